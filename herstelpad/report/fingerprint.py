"""The fingerprint of a page: a digest of everything its picture shows, so an unchanged page is not captured twice."""

from __future__ import annotations

import hashlib
from typing import Any

# what the picture of a page depends on: its URL, elements, texts, typed values, focus, scroll (of the page and of
# each element), viewport, fonts and loaded images (typed values only feed a digest that stays in memory: never
# stored, never shown). Styles are read as the browser's canonical text: Playwright's masked screenshot sets and
# removes styles, which rewrites the attribute.
# A frame, canvas or video draws what no DOM shows: a page with one never counts as unchanged.
FINGERPRINT_JS = """() => {
  const out = [location.href, scrollX, scrollY, innerWidth, innerHeight, document.fonts.status];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push('#' + node.data); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const attributes = [...node.attributes].filter((a) => a.name !== 'style').map((a) => a.name + '=' + a.value);
    out.push('<' + node.tagName, ...attributes, 'style=' + (node.style ? node.style.cssText : ''));
    if (node === document.activeElement) out.push('focus');
    if (node.scrollTop || node.scrollLeft) out.push('scroll=' + node.scrollTop + ',' + node.scrollLeft);
    if ('value' in node && /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName)) {
      out.push('value=' + node.value, node.checked);
    }
    if (node.tagName === 'IMG') out.push(node.complete ? node.naturalWidth : -1);
    if (/^(IFRAME|FRAME|OBJECT|EMBED|CANVAS|VIDEO)$/.test(node.tagName)) out.push(Math.random());
    for (const child of [...node.childNodes, ...(node.shadowRoot ? node.shadowRoot.childNodes : [])]) walk(child);
    out.push('>');
  };
  walk(document.documentElement);
  return out.join('\\u0000');
}"""


def page_fingerprint(page: Any) -> str:
    """A digest of everything the page's picture shows (same digest: the same picture); typed values stay inside it."""
    return digest(page.evaluate(FINGERPRINT_JS))


def digest(shown: str) -> str:
    """The fingerprint of what FINGERPRINT_JS returned (for a caller that ran it together with other script)."""
    return hashlib.sha256(shown.encode("utf-8", "surrogatepass")).hexdigest()
