"""Process-wide registry of secrets the harness touches, and masking of them in text and logs."""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from pathlib import Path
from urllib.parse import quote, quote_plus

from herstelpad.secret_shapes import found_values, marker, mask_shapes

__all__ = ["REGISTRY", "SecretMaskingFilter", "SecretRegistry", "install_log_filter", "learn", "marker", "mask",
           "mask_file", "register"]

MIN_SECRET_LENGTH = 4
_BASE32 = re.compile(r"^[A-Za-z2-7]+=*$")


def _grouped(value: str) -> set[str]:
    """A base32 key as people are shown it to type: in groups of three to eight, split by a space, NBSP or hyphen."""
    forms = set()
    for size in (3, 4, 5, 6, 8):
        for separator in (" ", "\u00a0", "-"):
            grouped = separator.join(value[i : i + size] for i in range(0, len(value), size))
            forms |= {grouped, grouped.lower()}
    return forms


def _variants(value: str) -> set[str]:
    """The forms in which `value` may show up in a URL, HTML, a JSON string or a base32 field."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value), html.escape(value)}
    forms |= {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    if _BASE32.match(value) and len(value) >= 16:
        bare = value.rstrip("=")
        forms |= {bare, bare.upper(), bare.lower(), value.upper(), value.lower()}
        forms |= _grouped(bare.upper())
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class SecretRegistry:
    """Thread-safe set of secret values with a label each; masks them in any text."""

    def __init__(self) -> None:
        """Start empty."""
        self._lock = threading.Lock()
        self._labels: dict[str, str] = {}
        self._by_prefix: dict[str, list[str]] = {}  # first MIN_SECRET_LENGTH characters → forms, longest first

    def register(self, value: str | None, label: str) -> str | None:
        """Remember `value` (and its URL-encoded/base32 forms) as a secret; returns `value`.

        Values shorter than MIN_SECRET_LENGTH characters are ignored: masking them would garble text.
        """
        if not value:
            return value
        with self._lock:
            for form in _variants(value):
                if form not in self._labels:
                    self._labels[form] = label
                    bucket = self._by_prefix.setdefault(form[:MIN_SECRET_LENGTH], [])
                    bucket.append(form)
                    bucket.sort(key=len, reverse=True)
        return value

    def mask(self, text: str) -> str:
        """Replace every registered secret in `text` by its marker (longest match first, left to right).

        Only what was registered: `mask` below also masks the secrets recognised by their shape.
        """
        if not text:
            return text
        pieces: list[str] = []
        start = position = 0
        last = len(text) - MIN_SECRET_LENGTH
        with self._lock:
            if not self._labels:
                return text
            while position <= last:
                for form in self._by_prefix.get(text[position : position + MIN_SECRET_LENGTH], ()):
                    if text.startswith(form, position):
                        pieces += [text[start:position], marker(self._labels[form])]
                        position = start = position + len(form)
                        break
                else:
                    position += 1
        pieces.append(text[start:])
        return "".join(pieces)

    def is_secret(self, value: str) -> bool:
        """Whether `value` is a registered secret (in any of its forms)."""
        with self._lock:
            return value in self._labels

    def originals(self) -> dict[str, str]:
        """Every registered form with its label (only for the leak test, which hunts for them in reports/)."""
        with self._lock:
            return dict(self._labels)

    def copy(self) -> SecretRegistry:
        """A registry with the same secrets, to add more to without touching this one (a trace's own findings)."""
        other = SecretRegistry()
        with self._lock:
            other._labels = dict(self._labels)
            other._by_prefix = {prefix: list(forms) for prefix, forms in self._by_prefix.items()}
        return other

    def clear(self) -> None:
        """Forget every secret (for tests of the registry itself)."""
        with self._lock:
            self._labels.clear()
            self._by_prefix.clear()

    def __len__(self) -> int:
        """Number of registered forms."""
        with self._lock:
            return len(self._labels)


REGISTRY = SecretRegistry()


def register(value: str | None, label: str) -> str | None:
    """Register `value` in the process-wide registry; returns `value`."""
    return REGISTRY.register(value, label)


def mask(text: str, registry: SecretRegistry | None = None) -> str:
    """`text` with every registered secret (of `registry`, default the process-wide one) and every secret
    recognised by its shape (herstelpad.secret_shapes) masked: the one masking of every output."""
    return mask_shapes((registry or REGISTRY).mask(text))


def learn(text: str, registry: SecretRegistry | None = None) -> int:
    """Registers every secret recognised by shape in `text` (so it is masked where it stands without its shape,
    in a cookie or a JSON answer); returns how many values were found."""
    target = registry or REGISTRY
    found = 0
    for value, label in found_values(text):
        if len(value) >= MIN_SECRET_LENGTH:
            target.register(value, label)
            found += 1
    return found


def mask_file(path: Path) -> bool:
    """Masks a kept log file in place (a target's log copied into reports/logs/); True when it changed."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    masked = mask(text)
    if masked != text:
        path.write_text(masked, encoding="utf-8")
    return masked != text


class SecretMaskingFilter(logging.Filter):
    """Logging filter that masks registered secrets in a record's message and traceback."""

    def __init__(self, registry: SecretRegistry | None = None) -> None:
        """Mask with `registry` (default: the process-wide one)."""
        super().__init__()
        self.registry = registry or REGISTRY

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        record.msg = mask(record.getMessage(), self.registry)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text, self.registry)
        if record.stack_info:
            record.stack_info = mask(record.stack_info, self.registry)
        return True


def install_log_filter(logger: logging.Logger | None = None) -> SecretMaskingFilter:
    """Add the masking filter to every handler of `logger` (default: the root logger)."""
    target = logger or logging.getLogger()
    filt = SecretMaskingFilter()
    for handler in target.handlers:
        if not any(isinstance(existing, SecretMaskingFilter) for existing in handler.filters):
            handler.addFilter(filt)
    return filt
