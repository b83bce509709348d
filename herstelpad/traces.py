"""Playwright traces without secrets: what was typed, sent and shown is masked before a trace is kept.

A trace zip holds the actions with their arguments (`fill` with the password), the DOM snapshots
(input values, the QR code as a data URI), the network log with request bodies, and the screencast
(a film strip of the screen, showing typed codes). `redact_trace` rewrites the zip in place:

- every text entry is masked with the secret registry (the same markers as the reports);
- images, and `data:image/...` URIs inside text, that show a QR code holding a secret are blanked;
- the screencast frames are dropped (pixels cannot be masked by text), with their events, so the
  trace viewer shows the DOM snapshots (masked) instead of the film strip.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from herstelpad.camera import decode_qr_codes
from herstelpad.secrets import REGISTRY, SecretRegistry

_SCREENCAST_ENTRY = re.compile(r"^(screencast/|resources/page@)[^/]*\.(jpe?g|png)$")
_JSON_LINES = (".trace", ".network")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|bmp);base64,([A-Za-z0-9+/]+=*)")
_IMAGE_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif", ".webp", ".bmp")
# A 1×1 grey PNG: what a blanked QR code becomes.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
)
BLANK_DATA_URI = "data:image/png;base64," + base64.b64encode(BLANK_PNG).decode("ascii")


@dataclass
class Redaction:
    """What `redact_trace` changed in one trace."""

    entries: int = 0  # entries in the trace
    masked: int = 0  # text entries in which a secret was masked
    blanked: int = 0  # images (files or data URIs) showing a QR code with a secret
    frames: int = 0  # screencast frames dropped

    def summary(self) -> str:
        """One line for a log or a report section."""
        return (
            f"trace geschoond: {self.masked} tekstbestand(en) gemaskeerd, {self.blanked} QR-afbeelding(en) "
            f"leeggemaakt, {self.frames} schermopname(s) weggelaten (van {self.entries} onderdelen)"
        )


class _Redactor:
    """Redacts the entries of one trace; remembers which images it already judged."""

    def __init__(self, registry: SecretRegistry) -> None:
        """Mask with `registry`."""
        self.registry = registry
        self.result = Redaction()
        self._verdicts: dict[str, bool] = {}  # image digest → shows a secret
        self._hit = False  # a secret was masked in the current entry

    def shows_secret(self, image: bytes) -> bool:
        """Whether `image` holds a QR code whose text contains a registered secret."""
        digest = hashlib.sha1(image, usedforsecurity=False).hexdigest()
        if digest not in self._verdicts:
            try:
                texts = decode_qr_codes(image)
            except Exception:  # noqa: BLE001  # not an image Pillow reads: nothing to scan
                texts = []
            self._verdicts[digest] = any(self.registry.mask(text) != text for text in texts)
        return self._verdicts[digest]

    def data_uri(self, match: re.Match[str]) -> str:
        """A `data:image` URI, blanked when its picture shows a secret or cannot be judged (cut-off in a log line)."""
        try:
            image = base64.b64decode(match.group(1), validate=True)
        except (binascii.Error, ValueError):
            image = None
        if image is None or self.shows_secret(image):
            self.result.blanked += 1
            return BLANK_DATA_URI
        return match.group(0)

    def string(self, text: str) -> str:
        """One piece of text with QR data URIs blanked and secrets masked."""
        if "data:image/" in text:
            text = _DATA_IMAGE.sub(self.data_uri, text)
        masked = self.registry.mask(text)
        self._hit = self._hit or masked != text
        return masked

    def value(self, value: Any) -> Any:
        """A JSON value with every string in it redacted (numbers stay numbers)."""
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        return value

    def json_lines(self, text: str) -> str:
        """A JSON-lines log (trace.trace, trace.network) redacted event by event, without screencast events.

        Masking works on the parsed strings, not on the raw text: a six-digit code that happens to
        occur inside a timestamp would otherwise break the line's JSON.
        """
        lines = []
        for line in text.splitlines():
            try:
                event = json.loads(line) if line.strip() else None
            except ValueError:
                lines.append(self.string(line))
                continue
            if isinstance(event, dict) and event.get("type") == "screencast-frame":
                continue
            lines.append(line if event is None else json.dumps(self.value(event), ensure_ascii=False, separators=(",", ":")))
        return "\n".join(lines) + "\n"

    def text(self, name: str, text: str) -> str:
        """A text entry redacted; counts it when a secret was in it."""
        self._hit = False
        redacted = self.json_lines(text) if name.endswith(_JSON_LINES) else self.string(text)
        self.result.masked += self._hit
        return redacted

    def entry(self, name: str, data: bytes) -> bytes | None:
        """The redacted content of one zip entry; None to leave it out."""
        self.result.entries += 1
        if _SCREENCAST_ENTRY.match(name):
            self.result.frames += 1
            return None
        if name.lower().endswith(_IMAGE_SUFFIXES):
            if self.shows_secret(data):
                self.result.blanked += 1
                return BLANK_PNG
            return data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data  # fonts and other binary resources
        return self.text(name, text).encode("utf-8")


def redact_trace(path: str | os.PathLike[str], registry: SecretRegistry = REGISTRY) -> Redaction:
    """Rewrites the trace zip at `path` without secrets (see the module text); returns what changed.

    The new zip is written next to the old one and moved over it, so a trace is never left half
    redacted. On any error the exception propagates and the original file is untouched: the caller
    decides (the plugin deletes the trace rather than keep it unredacted).
    """
    path = Path(path)
    redactor = _Redactor(registry)
    handle, temporary = tempfile.mkstemp(prefix=".redacting-", suffix=".zip", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.is_dir():
                    continue
                content = redactor.entry(info.filename, source.read(info))
                if content is not None:
                    target.writestr(info.filename, content)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return redactor.result
