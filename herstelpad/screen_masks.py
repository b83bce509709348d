"""What a screenshot paints over, on any target: the pack's selectors, elements showing a secret, matrix codes.

CSS alone cannot see what an element shows. Before a picture is taken, `secret_locators` marks the
elements whose text or typed value is a known secret or has a secret's shape (a TOTP key grouped in
fours, an OAuth code), every SVG drawn like a QR code (inline, or an `<img>` of an SVG data URI) and every
square `<canvas>` (its pixels cannot be read back safely), so the one screenshot call masks them with the
pack's selectors. After the picture is taken, `cover_qr_codes` reads it once more and paints over any QR
code with an otpauth URI or a secret that still shows (a PNG QR code no selector names).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image, ImageDraw

from herstelpad.otpauth import is_otpauth
from herstelpad.secrets import mask

MARK = "data-herstelpad-geheim"  # the attribute on an element to paint over
MARKED = f"[{MARK}]"
MAX_TEXT = 300  # longer texts are paragraphs, not a secret standing alone
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

# Marks matrix-code SVGs and square canvases, and returns the short texts and typed values on the page
# (by index) for Python to judge against the secret registry; the second call marks the chosen ones.
_CANDIDATES_JS = """(maxText) => {
  const matrix = (markup) => {
    if (/[CcSsQqTtAa]/.test((markup.match(/\\sd=["'][^"']*/g) || []).join(''))) return false;
    const straight = (markup.match(/\\sd=["'][^"']*/g) || []).join('').match(/[MmHhVvLlZz]/g) || [];
    return straight.length + (markup.match(/<rect\\b/gi) || []).length >= 40;
  };
  for (const el of document.querySelectorAll('[data-herstelpad-geheim]')) el.removeAttribute('data-herstelpad-geheim');
  for (const svg of document.querySelectorAll('svg')) if (matrix(svg.outerHTML)) svg.setAttribute('data-herstelpad-geheim', 'qr');
  for (const img of document.querySelectorAll('img[src^="data:image/svg" i]')) {
    const [head, data] = img.src.split(',', 2);
    let markup = '';
    try { markup = /;base64/i.test(head) ? atob(data) : decodeURIComponent(data); } catch (e) { markup = ''; }
    if (matrix(markup)) img.setAttribute('data-herstelpad-geheim', 'qr');
  }
  for (const canvas of document.querySelectorAll('canvas')) {
    const box = canvas.getBoundingClientRect();
    if (box.width >= 48 && box.height >= 48 && Math.abs(box.width - box.height) <= 0.25 * box.width) {
      canvas.setAttribute('data-herstelpad-geheim', 'canvas');
    }
  }
  const found = [];
  const all = Array.from(document.querySelectorAll('body *'));
  window.__herstelpadCandidates = [];
  for (const el of all) {
    let text = '';
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) text = el.value || '';
    else if (el.childElementCount === 0 || el.tagName === 'CODE' || el.tagName === 'KBD') text = el.textContent || '';
    text = text.trim();
    if (text.length >= 4 && text.length <= maxText) {
      window.__herstelpadCandidates.push(el);
      found.push(text);
    }
  }
  return found;
}"""
_MARK_JS = """(chosen) => {
  const candidates = window.__herstelpadCandidates || [];
  for (const index of chosen) if (candidates[index]) candidates[index].setAttribute('data-herstelpad-geheim', 'tekst');
  delete window.__herstelpadCandidates;
}"""


_UNMARK_JS = """() => {
  for (const el of document.querySelectorAll('[data-herstelpad-geheim]')) el.removeAttribute('data-herstelpad-geheim');
}"""


def masked_screenshot(
    target: Any, page: Any, path: Path, selector: str, color: str, timeout: float, **options: Any
) -> None:
    """Takes the picture of `target` (the page or an element of it) to `path` with the pack's `selector`, every
    element showing a secret and every matrix code painted over in `color` (`options`: Playwright's, e.g. `clip`), then
    covers any QR code with a secret that still shows; the page is left as it was (the marks are removed again)."""
    try:
        target.screenshot(path=str(path), mask=secret_locators(page, selector), mask_color=color, timeout=timeout, **options)
    finally:
        with contextlib.suppress(Exception):  # the page navigated away: no marks left to remove
            page.evaluate(_UNMARK_JS)
    cover_qr_codes(path, color)


def secret_locators(page: Any, selector: str) -> list[Any]:
    """The locators to paint over in this page's picture: the pack's CSS selector and every element marked as
    showing a secret (its text or typed value masked by herstelpad.secrets.mask), a matrix code or a canvas."""
    try:
        texts: list[str] = page.evaluate(_CANDIDATES_JS, MAX_TEXT)
        chosen = [index for index, text in enumerate(texts) if mask(text) != text]
        page.evaluate(_MARK_JS, chosen)
    except Exception:  # noqa: BLE001 - a page that navigates away gets the pack's selectors only
        return [page.locator(selector)]
    return [page.locator(f"{selector}, {MARKED}" if selector else MARKED)]


def cover_qr_codes(path: Path, color: str) -> int:
    """Paints over every QR code in the picture at `path` that holds an otpauth URI or a secret; returns how many."""
    image = Image.open(path)
    image.load()
    found = [code for code in zxingcpp.read_barcodes(image.convert("L"), formats=_QR_ONLY)
             if is_otpauth(code.text) or mask(code.text) != code.text]
    if not found:
        return 0
    canvas = image.convert("RGB")
    draw = ImageDraw.Draw(canvas)
    for code in found:
        corners = [code.position.top_left, code.position.top_right, code.position.bottom_right, code.position.bottom_left]
        xs, ys = [point.x for point in corners], [point.y for point in corners]
        margin = max(8, (max(xs) - min(xs)) // 8)
        draw.rectangle((min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin), fill=color)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return len(found)
