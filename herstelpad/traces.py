"""Playwright traces without secrets: what was typed, sent and shown is masked before a trace is kept.

A trace zip holds the actions with their arguments (`fill` with the password), the DOM snapshots
(input values, the QR code as a data URI), the network log with request bodies, and the screencast
(a film strip of the screen, showing typed codes). `redact_trace` rewrites the zip in place:

- first the whole trace is read for secrets the registry may not know yet: the otpauth secret of every
  QR code in it (PNG, JPEG, GIF, WebP or BMP files and data URIs) and of every otpauth URI in its text,
  and what herstelpad.secret_shapes recognises (OAuth/OIDC parameters, JWTs, token answers, TOTP keys
  shown as text) — a scenario that failed before the phone scanned has registered none of them;
- every text entry is then masked with the one masking (the same markers as the reports);
- images and `data:image/...` URIs whose QR code holds an otpauth URI or a secret are blanked, and so
  is every SVG drawn like a matrix code (inline `<svg>` in DOM snapshots and HTML, SVG files and SVG
  data URIs): only straight lines or rectangles, many of them;
- the screencast frames are dropped (pixels cannot be masked by text), with their events, so the
  trace viewer shows the DOM snapshots (masked) instead of the film strip; a `<canvas>` is drawn by
  the viewer only from those frames, so its picture goes with them;
- the redacted trace is read once more: if a known secret (or a QR code with one) is still in it,
  `TraceLeak` is raised and the caller deletes the trace.
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
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

from herstelpad.camera import decode_qr_codes
from herstelpad.otpauth import SECRET_LABEL, is_otpauth
from herstelpad.secrets import REGISTRY, SecretRegistry, learn, mask

_SCREENCAST_ENTRY = re.compile(r"^(screencast/|resources/page@)[^/]*\.(jpe?g|png)$")
_JSON_LINES = (".trace", ".network")
# Keycloak writes `data:image/png;base64, iVBOR…` (a space after the comma): whitespace there is allowed.
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|bmp);base64,\s*([A-Za-z0-9+/]+=*)")
_BASE64_BLOB = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")  # a picture inlined as base64 anywhere
_DATA_SVG = re.compile(r"data:image/svg\+xml(?P<params>(?:;[A-Za-z0-9=_-]+)*),(?P<data>[^\s\"'()<>]+)", re.IGNORECASE)
_INLINE_SVG = re.compile(r"<svg\b.*?</svg\s*>", re.IGNORECASE | re.DOTALL)
_OTPAUTH_URI = re.compile(r"otpauth(?::|%3A)(?://|%2F%2F)[^\s\"'<>]+", re.IGNORECASE)
_PATH_DATA = re.compile(r"\bd\s*=\s*\\?[\"']([^\"'\\]+)|\"d\"\s*:\s*\"([^\"]+)\"")
_STRAIGHT_COMMANDS = re.compile(r"[MmHhVvLlZz]")
_CURVES = re.compile(r"[CcSsQqTtAa]")
_RECT = re.compile(r"<rect\b|\"rect\"", re.IGNORECASE)
MATRIX_PARTS = 40  # a QR code of version 1 (21×21) draws far more lines or squares; an icon far fewer
_IMAGE_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif", ".webp", ".bmp")
_SVG_SUFFIX = ".svg"
# A 1×1 grey PNG: what a blanked QR code becomes.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
)
BLANK_DATA_URI = "data:image/png;base64," + base64.b64encode(BLANK_PNG).decode("ascii")
BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'


class TraceLeak(RuntimeError):
    """A redacted trace still holds a known secret; it must not be kept."""


def draws_a_matrix_code(svg: str) -> bool:
    """Whether SVG markup (or a DOM snapshot's SVG node as JSON) is drawn like a QR or other matrix code:
    straight path segments or rectangles only, at least MATRIX_PARTS of them."""
    paths = [first or second for first, second in _PATH_DATA.findall(svg)]
    if any(_CURVES.search(path) for path in paths):
        return False
    segments = sum(len(_STRAIGHT_COMMANDS.findall(path)) for path in paths)
    return segments + len(_RECT.findall(svg)) >= MATRIX_PARTS


def _svg_of_data_uri(match: re.Match[str]) -> str:
    """The markup of an SVG data URI (base64 or percent-encoded); empty when it cannot be read."""
    try:
        raw = base64.b64decode(match.group("data")) if "base64" in match.group("params").lower() else unquote_to_bytes(match.group("data"))
    except (binascii.Error, ValueError):
        return ""
    return raw.decode("utf-8", errors="replace")


@dataclass
class Redaction:
    """What `redact_trace` changed in one trace."""

    entries: int = 0  # entries in the trace
    masked: int = 0  # text entries in which a secret was masked
    blanked: int = 0  # images (files or data URIs) showing a QR code with a secret, and SVG matrix codes
    frames: int = 0  # screencast frames dropped
    learned: int = 0  # secrets found in the trace itself (QR codes, otpauth URIs, shapes) before masking

    def summary(self) -> str:
        """One line for a log or a report section."""
        return (
            f"trace geschoond: {self.masked} tekstbestand(en) gemaskeerd, {self.blanked} QR-afbeelding(en) "
            f"leeggemaakt, {self.frames} schermopname(s) weggelaten (van {self.entries} onderdelen; "
            f"{self.learned} geheim(en) in de trace zelf gevonden)"
        )


class _Redactor:
    """Redacts the entries of one trace; remembers which images it already judged."""

    def __init__(self, registry: SecretRegistry) -> None:
        """Mask with a copy of `registry`, to which the trace's own findings are added."""
        self.registry = registry.copy()
        self.result = Redaction()
        self._verdicts: dict[str, bool] = {}  # image digest → shows a secret
        self._hit = False  # a secret was masked in the current entry

    def _qr_texts(self, image: bytes) -> list[str]:
        """The QR texts of an image; none when Pillow cannot read it."""
        try:
            return decode_qr_codes(image)
        except Exception:  # noqa: BLE001  # not an image Pillow reads: nothing to scan
            return []

    def learn_uri(self, uri: str) -> None:
        """Registers the secret (and the URI) of an otpauth URI found in the trace."""
        self.registry.register(uri, "otpauth-URI")
        for name, value in parse_qsl(urlsplit(uri.strip()).query):
            if name.lower() == "secret" and value:
                self.result.learned += 1
                self.registry.register(value, SECRET_LABEL)
                self.registry.register("".join(value.split()).upper().rstrip("="), SECRET_LABEL)

    def learn_image(self, image: bytes) -> None:
        """Registers what the QR codes of an image hold (an otpauth URI's secret)."""
        for text in self._qr_texts(image):
            if is_otpauth(text):
                self.learn_uri(text)

    def learn_text(self, text: str) -> None:
        """Registers the secrets a text shows by shape: otpauth URIs, QR data URIs, OAuth parameters, JWTs, keys."""
        for uri in _OTPAUTH_URI.findall(text):
            self.learn_uri(unquote_to_bytes(uri).decode("utf-8", errors="replace"))
        for match in _DATA_IMAGE.finditer(text):
            try:
                self.learn_image(base64.b64decode(match.group(1), validate=True))
            except (binascii.Error, ValueError):
                continue
        self.result.learned += learn(text, self.registry)

    def learn_entry(self, name: str, data: bytes) -> None:
        """The first pass over one entry: what secrets it shows, before anything is masked."""
        if _SCREENCAST_ENTRY.match(name):
            return
        if name.lower().endswith(_IMAGE_SUFFIXES):
            self.learn_image(data)
            return
        try:
            self.learn_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            return

    def shows_secret(self, image: bytes) -> bool:
        """Whether `image` holds a QR code with an otpauth URI or a known secret in it."""
        digest = hashlib.sha1(image, usedforsecurity=False).hexdigest()
        if digest not in self._verdicts:
            texts = self._qr_texts(image)
            self._verdicts[digest] = any(is_otpauth(text) or mask(text, self.registry) != text for text in texts)
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

    def svg_data_uri(self, match: re.Match[str]) -> str:
        """An SVG data URI, blanked when it draws a matrix code."""
        if draws_a_matrix_code(_svg_of_data_uri(match)):
            self.result.blanked += 1
            return BLANK_DATA_URI
        return match.group(0)

    def inline_svg(self, match: re.Match[str]) -> str:
        """An `<svg>…</svg>` in HTML text, emptied when it draws a matrix code."""
        if draws_a_matrix_code(match.group(0)):
            self.result.blanked += 1
            return BLANK_SVG
        return match.group(0)

    def string(self, text: str) -> str:
        """One piece of text with QR data URIs and SVG matrix codes blanked and secrets masked."""
        if "data:image/" in text:
            text = _DATA_IMAGE.sub(self.data_uri, text)
            text = _DATA_SVG.sub(self.svg_data_uri, text)
        if "<svg" in text.lower():
            text = _INLINE_SVG.sub(self.inline_svg, text)
        masked = mask(text, self.registry)
        self._hit = self._hit or masked != text
        return masked

    def value(self, value: Any) -> Any:
        """A JSON value with every string in it redacted (numbers stay numbers); a DOM snapshot's SVG node that
        draws a matrix code loses its children."""
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            if value and isinstance(value[0], str) and value[0].lower() == "svg" and draws_a_matrix_code(json.dumps(value)):
                self.result.blanked += 1
                return [value[0], {"width": "1", "height": "1"}]
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
        if name.lower().endswith(_SVG_SUFFIX) and draws_a_matrix_code(data.decode("utf-8", errors="replace")):
            self.result.blanked += 1
            return BLANK_SVG.encode("utf-8")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data  # fonts and other binary resources
        return self.text(name, text).encode("utf-8")


    def _blob_shows_secret(self, blob: str) -> bool:
        """Whether a base64 blob left in a text is a picture whose QR code holds a secret."""
        image = _decoded(blob)
        if image is None or not image.startswith((b"\x89PNG", b"GIF8", b"RIFF", b"BM", b"\xff\xd8\xff")):
            return False
        return self.shows_secret(image)

    def leftover(self, name: str, data: bytes) -> bool:
        """Whether a redacted entry still shows a known secret (as text, in a QR code or as an SVG matrix code)."""
        if name.lower().endswith(_IMAGE_SUFFIXES):
            self._verdicts.clear()
            return self.shows_secret(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        if name.endswith(_JSON_LINES):
            pieces = [piece for line in text.splitlines() if line.strip() for piece in _strings(_json_or_text(line))]
        else:
            pieces = [text]
        if any(self._blob_shows_secret(blob) for piece in pieces for blob in _BASE64_BLOB.findall(piece)):
            return True
        return any(self.registry.mask(piece) != piece for piece in pieces) or (
            name.lower().endswith(_SVG_SUFFIX) and draws_a_matrix_code(text)
        )


def _decoded(blob: str) -> bytes | None:
    """The bytes of a base64 blob, or None when it is none."""
    try:
        return base64.b64decode(blob + "=" * (-len(blob) % 4))
    except (binascii.Error, ValueError):
        return None


def _json_or_text(line: str) -> Any:
    """A JSON line parsed, or the line itself when it is no JSON."""
    try:
        return json.loads(line)
    except ValueError:
        return line


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value (its numbers, such as timestamps, hold no secret by chance)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return []


def redact_trace(path: str | os.PathLike[str], registry: SecretRegistry = REGISTRY) -> Redaction:
    """Rewrites the trace zip at `path` without secrets (see the module text); returns what changed.

    The new zip is written next to the old one, read back, and moved over the old one only when no known
    secret is left in it (else TraceLeak), so a trace is never left half redacted. On any error the exception
    propagates and the original file is untouched: the caller deletes the trace rather than keep it.
    """
    path = Path(path)
    redactor = _Redactor(registry)
    handle, temporary = tempfile.mkstemp(prefix=".redacting-", suffix=".zip", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
            files = [info for info in source.infolist() if not info.is_dir()]
            for info in files:
                redactor.learn_entry(info.filename, source.read(info))
            for info in files:
                content = redactor.entry(info.filename, source.read(info))
                if content is not None:
                    target.writestr(info.filename, content)
        with zipfile.ZipFile(temporary) as redacted:
            left = [name for name in redacted.namelist() if redactor.leftover(name, redacted.read(name))]
        if left:
            raise TraceLeak(f"na het schonen staat nog een geheim in {', '.join(left[:5])}")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return redactor.result
