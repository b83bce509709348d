"""What a screenshot paints over, on any target: the pack's selectors, elements showing a secret, matrix codes.

CSS alone cannot see what an element shows. Before a picture is taken, `mark_secrets` marks the
elements whose text or typed value is a known secret or has a secret's shape (a TOTP key grouped in
fours, an OAuth code), every SVG drawn like a QR code (inline, or an `<img>` of an SVG data URI) and every
square `<canvas>` (its pixels cannot be read back safely), so the one screenshot call masks them with the
pack's selectors. After the picture is taken, `cover_qr_codes_in` reads it once more and paints over any QR
code with an otpauth URI or a secret that still shows (a PNG QR code no selector names).

A picture of a clip of the viewport is taken by Chromium's own capture (DevTools `Page.captureScreenshot`) and
painted over here, from the boxes of what to mask measured just before and again just after it: a third of the time
of Playwright's masked screenshot (35 against 55–160 ms). When the boxes moved in between, the page is scaled, or
there is no DevTools session (another browser), Playwright's own masking takes the picture instead.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image, ImageDraw

from herstelpad.contexts import devtools, forget_devtools
from herstelpad.otpauth import is_otpauth
from herstelpad.secrets import mask

MARK = "data-herstelpad-geheim"  # the attribute on an element to paint over
MARKED = f"[{MARK}]"
MAX_TEXT = 300  # longer texts are paragraphs, not a secret standing alone
PNG_LEVEL = 3  # zlib level of a picture written here: 5 against 8 ms at the default 6, 3 % larger
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


_UNMARK_JS = """() => {
  for (const el of document.querySelectorAll('[data-herstelpad-geheim]')) el.removeAttribute('data-herstelpad-geheim');
}"""


# The boxes of what to paint over, in the viewport's CSS pixels, once the page's fonts are in (Playwright waits for
# them too before a picture), with the scale and scroll position the capture's clip depends on.
_BOXES_JS = """async (selector) => {
  if (document.fonts && document.fonts.status !== 'loaded') await document.fonts.ready;
  const boxes = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) boxes.push([r.x, r.y, r.width, r.height]);
  }
  return { boxes, ratio: devicePixelRatio, scroll: [scrollX, scrollY] };
}"""
# Marks the chosen candidates; with a selector, returns the boxes of its elements in the same round trip.
_MARK_JS = f"""async ([chosen, selector]) => {{
  const candidates = window.__herstelpadCandidates || [];
  for (const index of chosen) if (candidates[index]) candidates[index].setAttribute('data-herstelpad-geheim', 'tekst');
  delete window.__herstelpadCandidates;
  return selector ? await ({_BOXES_JS})(selector) : null;
}}"""


def _held_still_js(after: str | None) -> str:
    """After the capture: whether the boxes are still those measured before it; when they are, the marks go and the
    caller's `after` function (JavaScript) runs, in the same round trip (when they moved, the marks stay for
    Playwright's masking)."""
    return f"""async ([selector, before]) => {{
  const now = await ({_BOXES_JS})(selector);
  const still = JSON.stringify(now) === JSON.stringify(before);
  if (still) ({_UNMARK_JS})();
  return [still, still ? await ({after or "() => null"})() : null];
}}"""


def masked_screenshot(
    target: Any, page: Any, path: Path, selector: str, color: str, timeout: float, after: str | None = None,
    **options: Any,
) -> Any:
    """Takes the picture of `target` (the page or an element of it) to `path` with the pack's `selector`, every
    element showing a secret and every matrix code painted over in `color` (`options`: Playwright's, e.g. `clip`), then
    covers any QR code with a secret that still shows; the page is left as it was (the marks are removed again).
    Returns what `after` (a JavaScript function, for example the page's fingerprint) gives once the marks are gone,
    read in the round trip of the after-check when it can be, else in one of its own; None without it."""
    what = f"{selector}, {MARKED}" if selector else MARKED
    of_a_clip = target is page and set(options) == {"clip"}  # Chromium's capture: a clip of the viewport only
    before = _mark(page, what if of_a_clip else None)
    if before and of_a_clip:
        took, shown = _quick(page, path, what, color, options["clip"], before, after)
        if took:
            return shown  # (it removed the marks and covered the QR codes)
    try:
        masks = [page.locator(what)]
        target.screenshot(path=str(path), mask=masks, mask_color=color, timeout=timeout, **options)
    finally:
        with contextlib.suppress(Exception):  # the page navigated away: no marks left to remove
            page.evaluate(_UNMARK_JS)
    cover_qr_codes(path, color)
    return page.evaluate(f"async () => await ({after})()") if after else None


def mark_secrets(page: Any) -> bool:
    """Marks the elements of the page showing a secret (their text or typed value masked by
    herstelpad.secrets.mask), every matrix code and every square canvas; False when the page navigated away."""
    return _mark(page, None) is not None


def _mark(page: Any, measure: str | None) -> dict[str, Any] | None:
    """mark_secrets; with `measure`, the boxes of its elements too (see _BOXES_JS), else {}; None when the page
    navigated away."""
    try:
        texts: list[str] = page.evaluate(_CANDIDATES_JS, MAX_TEXT)
        chosen = [index for index, text in enumerate(texts) if mask(text) != text]
        boxes: dict[str, Any] | None = page.evaluate(_MARK_JS, [chosen, measure])
    except Exception:  # noqa: BLE001 - a page that navigates away gets the pack's selectors only
        return None
    return boxes or {}


def quick_picture(page: Any, path: Path, selector: str, color: str, clip: dict[str, float]) -> bool:
    """The picture of `clip` (viewport CSS pixels) by Chromium's capture, with the pack's `selector` and the marked
    elements painted over from their boxes, the marks removed and any QR code with a secret covered; False, with
    nothing written and the marks left for Playwright's masking, when it cannot be trusted: the boxes moved during
    the capture, the page is scaled, the picture is not of the clip's size, the selector is no CSS, or there is no
    DevTools session."""
    return _quick(page, path, f"{selector}, {MARKED}" if selector else MARKED, color, clip, None, None)[0]


def _quick(
    page: Any, path: Path, what: str, color: str, clip: dict[str, float], before: dict[str, Any] | None,
    after: str | None,
) -> tuple[bool, Any]:
    """quick_picture of the elements `what`, their boxes `before` measured already (or None), and what `after`
    gives (see masked_screenshot)."""
    try:
        session = devtools(page)
        if before is None:
            before = page.evaluate(_BOXES_JS, what)
        if before["ratio"] != 1:
            return False, None
        scroll_x, scroll_y = before["scroll"]
        shot = session.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True, "clip": {
            "x": clip["x"] + scroll_x, "y": clip["y"] + scroll_y, "width": clip["width"], "height": clip["height"],
            "scale": 1}})  # (optimizeForSpeed: Chromium's quicker PNG; the picture is encoded again below)
        png = Image.open(io.BytesIO(base64.b64decode(shot["data"])))  # (its size read, its pixels not yet)
        if abs(png.width - clip["width"]) > 1 or abs(png.height - clip["height"]) > 1:
            return False, None
        still, shown = page.evaluate(_held_still_js(after), [what, before])  # (when they held still, the marks go)
        if not still:
            return False, None
    except Exception:  # noqa: BLE001 - no DevTools (another browser), a navigation, a selector that is no CSS
        forget_devtools(page)
        return False, None
    image = png.convert("RGB")
    draw = ImageDraw.Draw(image)
    for x, y, width, height in before["boxes"]:  # whole pixels around each box, as Playwright's overlay covers them
        left, top = math.floor(x - clip["x"]), math.floor(y - clip["y"])
        right, bottom = math.ceil(x - clip["x"] + width) - 1, math.ceil(y - clip["y"] + height) - 1
        if right >= 0 and bottom >= 0 and left < image.width and top < image.height:
            draw.rectangle((left, top, right, bottom), fill=color)
    cover_qr_codes_in(image, color)
    image.save(path, format="PNG", compress_level=PNG_LEVEL)
    return True, shown


def cover_qr_codes(path: Path, color: str) -> int:
    """Paints over every QR code in the picture at `path` that holds an otpauth URI or a secret; returns how many."""
    image = Image.open(path)
    image.load()
    canvas = image.convert("RGB")
    found = cover_qr_codes_in(canvas, color)
    if found:
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG", compress_level=PNG_LEVEL)
        path.write_bytes(buffer.getvalue())
    return found


def cover_qr_codes_in(image: Image.Image, color: str) -> int:
    """Paints over every QR code in `image` (RGB) that holds an otpauth URI or a secret; returns how many."""
    found = [code for code in zxingcpp.read_barcodes(image.convert("L"), formats=_QR_ONLY)
             if is_otpauth(code.text) or mask(code.text) != code.text]
    draw = ImageDraw.Draw(image)
    for code in found:
        corners = [code.position.top_left, code.position.top_right, code.position.bottom_right, code.position.bottom_left]
        xs, ys = [point.x for point in corners], [point.y for point in corners]
        margin = max(8, (max(xs) - min(xs)) // 8)
        draw.rectangle((min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin), fill=color)
    return len(found)
