"""The pictures of a scenario: which the screenshot policy asks for, and each one masked and cropped so it reads small."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from herstelpad.contexts import own_init_script
from herstelpad.pack import DEFAULT_MASKS
from herstelpad.report.fingerprint import FINGERPRINT_JS, digest
from herstelpad.report.masking import mask
from herstelpad.report.model import Attachment
from herstelpad.report.results import SCREENSHOT_DIR
from herstelpad.screen_masks import masked_screenshot
from herstelpad.settings import DOCUMENTATION, EVERY_STEP

if TYPE_CHECKING:
    from herstelpad.pack import TargetPack
    from herstelpad.report.article import Shot

MASK_COLOR = "#3d4a5c"  # a calm slate block where a QR code or a typed secret would be
SCREENSHOT_TIMEOUT_MS = 10_000
CROP_WIDTH = 640  # CSS pixels at most across a picture: shown 400 px wide, its text stays readable
CROP_PADDING = 16  # room kept around what a picture is cropped to
# remembers the element a step last acted on (clicked, typed into, focused) for the crop; in the page's own memory,
# never in its DOM, so the picture and the fingerprint do not change
ACTED_JS = """() => {
  if (window.__herstelpadActed) return;
  window.__herstelpadActed = { element: null };
  for (const type of ['pointerdown', 'click', 'focusin', 'input', 'change']) {
    document.addEventListener(type, (event) => { window.__herstelpadActed.element = event.composedPath()[0]; }, true);
  }
}"""
# where to crop: the pack's content element, else the page's main landmark, when it is narrow enough to be the
# picture; else the part of the viewport that holds text or controls, narrowed to CROP_WIDTH around the element the
# step acted on. Returns {clip: {x, y, width, height}} (viewport pixels) with `element: 'content' | 'main'` when the
# clip is that element's box, or {element} alone when the element reaches beyond the viewport (then Playwright's
# element screenshot scrolls to it: slower, about 130 ms against 50 ms for a clip here).
FIRST_BOX_JS = """(elements) => {
  if (!elements.length) return null;
  const r = elements[0].getBoundingClientRect();
  return [r.x, r.y, r.width, r.height];
}"""
# The boxes of highlighted controls by the page's own CSS engine, all in one round trip: a selector that is CSS, maybe
# with Playwright's `:text-is("…")` at its end and a last `>> visible=true`, matched as Playwright matches them (the
# deepest element whose text, or one of its own text nodes, is the text after whitespace is normalized; visible: a
# box and CSS visibility). Any other selector, or one that finds nothing here (an element in a shadow root, text in
# one), is null, and Playwright's engine measures it (FIRST_BOX_JS): its first use in a document costs 20-25 ms,
# loading Playwright's script into the page's own world.
OWN_BOXES_JS = r"""(selectors) => selectors.map((selector) => {
  let css = selector, visibleOnly = false, text = null;
  const visible = /\s*>>\s*visible=true\s*$/;
  if (visible.test(css)) { visibleOnly = true; css = css.replace(visible, ''); }
  const textIs = css.match(/:text-is\("((?:[^"\\]|\\.)*)"\)$/);
  const norm = (value) => value.replace(/\s+/g, ' ').trim();
  if (textIs) { text = norm(textIs[1].replace(/\\(.)/g, '$1')); css = css.slice(0, textIs.index) || '*'; }
  const skipped = (el) => /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(el.tagName);
  const full = (el) => skipped(el) ? '' : [...el.childNodes].map((n) =>
    n.nodeType === Node.TEXT_NODE ? n.data : n.nodeType === Node.ELEMENT_NODE ? full(n) : '').join('');
  const hasText = (el) => !skipped(el) && (norm(full(el)) === text ||
    [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && norm(n.data) === text));
  const deepest = (el) => hasText(el) && ![...el.children].some(hasText);
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility === 'visible' &&
      (!el.checkVisibility || el.checkVisibility());
  };
  let found;
  try { found = document.querySelectorAll(css); } catch (e) { return null; }
  for (const el of found) {
    if (text !== null && (el.shadowRoot || !deepest(el))) continue;
    if (visibleOnly && !shown(el)) continue;
    const r = el.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height];
  }
  return null;
})"""
CROP_JS = """([selector, maxWidth, pad]) => {
  const box = (el) => {
    if (!el || !el.isConnected || !el.getBoundingClientRect) return null;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? { x: r.left, y: r.top, w: r.width, h: r.height } : null;
  };
  const cut = (a, b) => {
    const x = Math.max(a.x, b.x), y = Math.max(a.y, b.y);
    const right = Math.min(a.x + a.w, b.x + b.w), bottom = Math.min(a.y + a.h, b.y + b.h);
    return right > x && bottom > y ? { x, y, w: right - x, h: bottom - y } : null;
  };
  const view = { x: 0, y: 0, w: innerWidth, h: innerHeight };
  const fits = (r) => r.x >= 0 && r.y >= 0 && r.x + r.w <= view.w && r.y + r.h <= view.h;
  const whole = (kind, el, r) => {  // the element's own box: as a clip of the viewport when it fits in it
    if (!fits(r) && r.w <= view.w && r.h <= view.h) {  // it fits once the window scrolls (Playwright scrolls too)
      scrollBy({ left: r.x < 0 ? r.x : Math.max(0, r.x + r.w - view.w),
                 top: r.y < 0 ? r.y : Math.max(0, r.y + r.h - view.h), behavior: 'instant' });
      r = box(el) || r;  // (in a scrolling box of its own it has not moved: Playwright's picture then)
    }
    return fits(r) ? { element: kind, clip: { x: r.x, y: r.y, width: r.w, height: r.h } } : { element: kind };
  };
  let contentElement = null;
  try { contentElement = selector ? document.querySelector(selector) : null; } catch (e) { contentElement = null; }
  const content = box(contentElement);
  if (content && content.w <= maxWidth) return whole('content', contentElement, content);
  const mainElement = document.querySelector('main, [role=main]');
  const main = box(mainElement);
  if (!content && main && main.w <= maxWidth) return whole('main', mainElement, main);
  const area = cut(content || main || view, view) || view;
  let used = null;
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.data.trim());
    if (!own && !/^(INPUT|SELECT|TEXTAREA|BUTTON|IMG|SVG|CANVAS|VIDEO|IFRAME)$/i.test(el.tagName)) continue;
    const r = box(el);
    const inside = r && cut(r, area);
    if (!inside || getComputedStyle(el).visibility === 'hidden') continue;
    used = used ? { x: Math.min(used.x, inside.x), y: Math.min(used.y, inside.y),
                    w: Math.max(used.x + used.w, inside.x + inside.w) - Math.min(used.x, inside.x),
                    h: Math.max(used.y + used.h, inside.y + inside.h) - Math.min(used.y, inside.y) } : inside;
  }
  used = used ? cut({ x: used.x - pad, y: used.y - pad, w: used.w + 2 * pad, h: used.h + 2 * pad }, area) : area;
  const acted = window.__herstelpadActed && box(window.__herstelpadActed.element);
  const focus = acted && cut(acted, used);
  const width = Math.min(maxWidth, used.w), height = Math.min(used.h, Math.round(maxWidth * 0.75));
  const clamp = (v, low, high) => Math.max(low, Math.min(v, high));
  const x = focus ? clamp(focus.x + focus.w / 2 - width / 2, used.x, used.x + used.w - width) : used.x;
  const y = focus ? clamp(focus.y + focus.h / 2 - height / 2, used.y, used.y + used.h - height) : used.y;
  return { clip: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) } };
}"""


# --- which pictures the policy asks for -------------------------------------------------------


def wants_before(policy: str, shots: Sequence[Shot]) -> bool:
    """Whether to picture the screen before a step: the help article shows it (not with the failures-only policy)."""
    if not shots or policy not in (EVERY_STEP, DOCUMENTATION):
        return False
    return policy == EVERY_STEP or any(shot.phone is None for shot in shots)


def wants_after(policy: str, status: str, shots: Sequence[Shot]) -> bool:
    """Whether to picture the screen after a step: every step, a failed one (the failure view), or one the article shows."""
    if policy == EVERY_STEP or status != "passed":
        return True
    return policy == DOCUMENTATION and any(shot.after for shot in shots)


# --- one picture --------------------------------------------------------------------------------


def mask_selector(pack: TargetPack | None) -> str:
    """The CSS of what to paint over in a picture of this page: the pack's masks, else the defaults; besides it
    herstelpad.screen_masks paints over what it finds by content (the one place of masking)."""
    return ", ".join(pack.masks() if pack is not None else DEFAULT_MASKS)


def watch_actions(page: Any) -> None:
    """Makes the page remember the element a step acts on, in this document and every one it loads next."""
    own_init_script(page, f"({ACTED_JS})()")
    page.evaluate(ACTED_JS)


@dataclass
class Crop:
    """What a picture shows: an element (its own box) or a clip of the viewport."""

    element: Any | None = None
    clip: dict[str, float] | None = None

    def frame(self) -> dict[str, float] | None:
        """The cropped part of the viewport (x, y, width, height), or None when it is unknown."""
        return self.element.bounding_box() if self.element is not None else self.clip

    def key(self) -> str:
        """What a picture's reuse depends on besides the page: where it is cropped."""
        return repr(self.clip) if self.clip is not None else "element"


# where to crop and the page's fingerprint, in one round trip
LOOK_JS = f"([crop]) => [({CROP_JS})(crop), ({FINGERPRINT_JS})()]"


def look_at(page: Any, pack: TargetPack | None) -> tuple[Crop, str]:
    """Where to crop the picture of this page (see CROP_JS), and what the picture would show (its fingerprint)."""
    selector = pack.content_selector if pack is not None else None
    found, shown = page.evaluate(LOOK_JS, [[selector, CROP_WIDTH, CROP_PADDING]])
    if "clip" in found:
        return Crop(clip=found["clip"]), digest(shown)  # also an element's own box that fits in the viewport
    element = page.locator(selector if found["element"] == "content" and selector else "main, [role=main]").first
    return Crop(element=element), digest(shown)


def boxes_in(page: Any, frame: dict[str, float] | None, selectors: tuple[str, ...]) -> dict[str, list[float]]:
    """Where each selector's element is in the picture, as fractions [x, y, w, h] (left out when it is not there)."""
    size = page.viewport_size or {"width": 1, "height": 1}
    ox, oy, width, height = (frame["x"], frame["y"], frame["width"], frame["height"]) if frame else (0, 0, size["width"], size["height"])
    boxes = {}
    own = page.evaluate(OWN_BOXES_JS, list(selectors))
    for selector, box in zip(selectors, own, strict=True):
        if box is None:  # Playwright's engine, no wait for an element that is not there
            box = page.locator(selector).evaluate_all(FIRST_BOX_JS)
        if box and width and height:
            x, y, w, h = box
            boxes[selector] = [round((x - ox) / width, 4), round((y - oy) / height, 4),
                               round(w / width, 4), round(h / height, 4)]
    return boxes


def capture(page: Any, pack: TargetPack | None, path: Path, last: tuple[str, Path] | None) -> tuple[Crop, tuple[str, Path] | None]:
    """Writes the masked, cropped picture of the page to `path`, or copies `last` (fingerprint, picture) when the
    page and its crop have not changed since; returns the crop and what to remember as the last picture."""
    crop, shown = look_at(page, pack)
    before = f"{shown}:{crop.key()}"
    if last is not None and last[0] == before and last[1].is_file():
        shutil.copyfile(last[1], path)
        return crop, last
    target, clip = (crop.element, {}) if crop.element is not None else (page, {"clip": crop.clip})
    shown = masked_screenshot(target, page, path, mask_selector(pack), MASK_COLOR, SCREENSHOT_TIMEOUT_MS,
                              after=FINGERPRINT_JS, **clip)  # (the page's fingerprint once the picture is taken)
    held_still = f"{digest(shown)}:{crop.key()}" == before  # the picture is of `before`
    return crop, (before, path) if held_still else None


def safe_url(page: Any) -> str | None:
    """Returns the page's URL (masked), or None when the page is gone."""
    try:
        return mask(page.url)
    except Exception:  # noqa: BLE001
        return None


@dataclass
class Picture:
    """A picture taken for a step: its attachment (None when it could not be taken) and why not."""

    attachment: Attachment | None
    problem: str | None = None


def take_picture(
    page: Any, pack: TargetPack | None, reports_dir: Path, name: str, last: tuple[str, Path] | None,
    highlights: tuple[str, ...] = (),
) -> tuple[Picture, tuple[str, Path] | None]:
    """Takes one picture (masked, cropped, `highlights` measured in it) as reports/screenshots/<name>; a failure
    to take it is returned, never raised: a missing picture must not fail the scenario."""
    path = reports_dir / SCREENSHOT_DIR / name
    try:
        if page.is_closed():
            return Picture(None), None
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            try:
                crop, last = capture(page, pack, path, last)
                boxes = boxes_in(page, crop.frame(), highlights) if highlights else {}
                break
            except Exception:  # noqa: BLE001 - a navigation was under way: let the page settle once, then retry
                last = None
                if attempt == 2:
                    raise
                page.wait_for_load_state(timeout=SCREENSHOT_TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001
        return Picture(None, mask(str(exc))), None
    return Picture(Attachment(path=f"{SCREENSHOT_DIR}/{name}", boxes=boxes)), last
