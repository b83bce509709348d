"""Screenshots paint over QR codes in any form and elements showing a secret, on a page that names none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import segno
from PIL import Image, ImageChops, ImageColor
from playwright.sync_api import Page

from herstelpad.camera import decode_qr_codes
from herstelpad.pack import DEFAULT_MASKS
from herstelpad.report.fingerprint import page_fingerprint
from herstelpad.report.screenshots import MASK_COLOR, OWN_BOXES_JS, boxes_in, capture
from herstelpad.screen_masks import mark_secrets, masked_screenshot, quick_picture
from herstelpad.secrets import REGISTRY

KEY = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"  # never registered: the page shows it before any scan
GROUPED = " ".join(KEY[i : i + 4] for i in range(0, len(KEY), 4))
URI = f"otpauth://totp/Ander:els%40example.org?secret={KEY}&issuer=Ander"
RECOVERY = "herstel-7Kq2-Lm9x-Pz4w"  # a registered secret the page shows as text and in a field


def enrolment_page() -> str:
    """An enrolment page of another target: nothing is called 'qr', no field is a password or one-time code."""
    qr = segno.make(URI, error="m")
    box = "position:absolute;width:180px;height:180px"
    return (
        '<!doctype html><body style="margin:0;background:#fff;font:16px sans-serif">'
        f'<div style="{box};left:10px;top:10px">{qr.svg_inline(scale=4)}</div>'
        f'<img alt="scan me" style="{box};left:210px;top:10px" src="{qr.svg_data_uri(scale=4)}">'
        f'<img alt="of deze" style="{box};left:410px;top:10px" src="{qr.png_data_uri(scale=4)}">'
        f'<p style="position:absolute;left:10px;top:220px;margin:0">Sleutel: <code id="k">{GROUPED}</code></p>'
        f'<span id="r" style="position:absolute;left:10px;top:260px">{RECOVERY}</span>'
        f'<input id="i" style="position:absolute;left:10px;top:300px;width:300px" value="{RECOVERY}">'
        '<p id="gewoon" style="position:absolute;left:10px;top:340px;margin:0">Gewone tekst blijft staan</p>'
        "</body>"
    )


def test_every_qr_shape_and_every_secret_text_is_painted_over(report_page: Page, tmp_path: Path) -> None:
    """Inline SVG, SVG and PNG images of a QR code, a grouped key and a known secret as text and typed value."""
    REGISTRY.register(RECOVERY, "herstelcode")
    report_page.set_content(enrolment_page())
    unmasked = tmp_path / "raw.png"
    report_page.screenshot(path=str(unmasked))
    assert URI in decode_qr_codes(unmasked.read_bytes())  # what would leak without the masks
    before = page_fingerprint(report_page)
    path = tmp_path / "masked.png"
    masked_screenshot(report_page, report_page, path, ", ".join(DEFAULT_MASKS), MASK_COLOR, 10_000)
    assert decode_qr_codes(path.read_bytes()) == []
    assert page_fingerprint(report_page) == before  # the marks are gone again: an unchanged page stays unchanged
    colour = ImageColor.getrgb(MASK_COLOR)
    with Image.open(path) as picture:
        rgb = picture.convert("RGB")
        for element in ("#k", "#r", "#i"):
            box = report_page.locator(element).bounding_box()
            assert box is not None
            centre = (int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2))
            assert rgb.getpixel(centre) == colour, element
        box = report_page.locator("#gewoon").bounding_box()
        assert box is not None
        assert rgb.getpixel((int(box["x"] + 2), int(box["y"] + box["height"] / 2))) != colour  # words stay readable


def test_a_clip_of_the_viewport_is_masked_by_chromiums_own_capture(report_page: Page, tmp_path: Path) -> None:
    """A picture of a clip (as most pictures of a scenario are): taken by Chromium's capture and painted over from
    the boxes, with the same masks as Playwright's: no QR code, no secret as text or typed value, words readable."""
    REGISTRY.register(RECOVERY, "herstelcode")
    report_page.set_content(enrolment_page())
    clip = {"x": 5.0, "y": 5.0, "width": 600.0, "height": 360.0}
    assert mark_secrets(report_page)
    path = tmp_path / "quick.png"
    assert quick_picture(report_page, path, ", ".join(DEFAULT_MASKS), MASK_COLOR, clip)
    assert decode_qr_codes(path.read_bytes()) == []
    colour = ImageColor.getrgb(MASK_COLOR)
    with Image.open(path) as picture:
        rgb = picture.convert("RGB")
        assert rgb.size == (600, 360)
        for element in ("#k", "#r", "#i"):
            box = report_page.locator(element).bounding_box()
            assert box is not None
            for x, y in ((box["x"], box["y"]), (box["x"] + box["width"] - 1, box["y"] + box["height"] - 1)):
                assert rgb.getpixel((int(x - clip["x"]), int(y - clip["y"]))) == colour, element  # edge to edge
        box = report_page.locator("#gewoon").bounding_box()
        assert box is not None
        assert rgb.getpixel((int(box["x"] + 2 - clip["x"]), int(box["y"] + box["height"] / 2 - clip["y"]))) != colour


def test_a_secret_that_moves_during_the_capture_is_left_to_playwrights_masking(report_page: Page, tmp_path: Path) -> None:
    """The boxes are measured before and after the capture: a secret moving on every frame is not painted over
    from a stale box, the quick picture is refused, and masked_screenshot's picture still hides it."""
    REGISTRY.register(RECOVERY, "herstelcode")
    report_page.set_content(
        '<!doctype html><body style="margin:0"><span id="r" style="position:absolute;left:0;top:20px">'
        f"{RECOVERY}</span><script>let n = 0; const move = () => {{ n = (n + 7) % 300;"
        " document.getElementById('r').style.left = n + 'px'; requestAnimationFrame(move); }; move();</script></body>")
    clip = {"x": 0.0, "y": 0.0, "width": 600.0, "height": 100.0}
    assert mark_secrets(report_page)
    path = tmp_path / "moving.png"
    assert not quick_picture(report_page, path, "", MASK_COLOR, clip)
    assert not path.exists()
    masked_screenshot(report_page, report_page, path, ", ".join(DEFAULT_MASKS), MASK_COLOR, 10_000, clip=clip)
    assert path.is_file()


def test_the_capture_of_a_scrolled_page_is_of_the_clip_the_viewport_shows(report_page: Page, tmp_path: Path) -> None:
    """The clip is in the viewport's pixels and Chromium's capture in the document's: on a page scrolled 700 px the
    quick picture shows what Playwright's clip screenshot shows, with the secret where it stands painted over."""
    REGISTRY.register(RECOVERY, "herstelcode")
    text = "position:absolute;left:40px;font:20px sans-serif"
    report_page.set_content(
        '<body style="margin:0"><div style="height:1500px;background:linear-gradient(#fff,#08f)">'
        f'<p style="{text};top:900px">Boven</p><span id="r" style="{text};top:950px">{RECOVERY}</span>'
        f'<p style="{text};top:1000px">Onder de code</p></div></body>')
    report_page.evaluate("window.scrollTo(0, 700)")
    clip = {"x": 0.0, "y": 150.0, "width": 500.0, "height": 250.0}
    assert mark_secrets(report_page)
    quick, plain = tmp_path / "quick.png", tmp_path / "plain.png"
    assert quick_picture(report_page, quick, "", MASK_COLOR, clip)
    report_page.screenshot(path=str(plain), clip=clip)
    box = report_page.locator("#r").bounding_box()
    assert box is not None
    with Image.open(quick) as ours, Image.open(plain) as theirs:
        ours, theirs = ours.convert("RGB"), theirs.convert("RGB")
        assert ImageChops.difference(ours.crop((0, 0, 500, 60)), theirs.crop((0, 0, 500, 60))).getbbox() is None
        centre = (int(box["x"] + box["width"] / 2 - clip["x"]), int(box["y"] + box["height"] / 2 - clip["y"]))
        assert ours.getpixel(centre) == ImageColor.getrgb(MASK_COLOR) != theirs.getpixel(centre)


def test_a_highlighted_control_is_measured_where_playwrights_engine_finds_it(report_page: Page) -> None:
    """A pack's highlight is any Playwright selector: CSS, with `:text-is("…")` and `>> visible=true`, is measured by
    the page's own CSS engine (no Playwright script loaded into the page), anything else by Playwright's; both give the
    box of the element Playwright would act on (the first visible match: not a hidden one, not one of another text,
    the deepest element with the text, or one whose own text node has it) and none where Playwright finds none."""
    report_page.set_content(
        '<!doctype html><body style="margin:0;font:16px sans-serif">'
        '<button style="visibility:hidden">Volgende</button><a href="#">Volgende stap</a>'
        '<p style="margin:40px">Tekst <a href="#" style="margin-left:30px">  Volgende </a></p>'
        '<input name="code" style="display:none"><input name="bevestigingscode" style="margin:20px">'
        '<button>Zeg "ja"</button><div style="padding:10px"><button><span>Verder</span></button></div>'
        '<p style="margin:30px">Terug <b>nu</b></p><script>/* Terug */</script></body>')
    frame = {"x": 0.0, "y": 0.0, "width": 1280.0, "height": 900.0}
    selectors = (
        ':is(button, a):text-is("Volgende") >> visible=true',
        "input[name*='code'] >> visible=true",
        ':is(button, a):text-is("Zeg \\"ja\\"")',
        ':text-is("Verder")',  # the span inside the button: the deepest element with the text
        'p:text-is("Terug")',  # one of its own text nodes
        'role=button[name="Zeg \\"ja\\""]',  # not CSS: Playwright's engine
        "text=Tekst",
    )
    own = report_page.evaluate(OWN_BOXES_JS, list(selectors))
    assert [box is not None for box in own] == [True] * 5 + [False] * 2  # the CSS ones without Playwright's script
    ours = boxes_in(report_page, frame, selectors)
    for selector in selectors:
        box = report_page.locator(selector).first.bounding_box()
        assert box is not None, selector
        expected = [round(box[key] / frame[size], 4) for key, size in
                    (("x", "width"), ("y", "height"), ("width", "width"), ("height", "height"))]
        assert ours[selector] == pytest.approx(expected, abs=1e-3), selector
    nowhere = (':is(button, a):text-is("Verder")', ':is(button, a):text-is("Vorige")')  # Playwright finds neither
    assert [report_page.locator(selector).count() for selector in nowhere] == [0, 0]
    assert report_page.evaluate(OWN_BOXES_JS, list(nowhere)) == [None, None]
    assert boxes_in(report_page, frame, nowhere) == {}


def card_page(top: int, height: int) -> str:
    """A page whose content (main, 500 px wide) starts `top` px down and is `height` px tall, with a QR code and a
    field showing a secret at its bottom."""
    qr = segno.make(URI, error="m")
    return (
        '<!doctype html><body style="margin:0;background:#eee;font:16px sans-serif">'
        f'<main style="position:absolute;left:100px;top:{top}px;width:500px;height:{height}px;background:#fff">'
        '<p id="kop" style="margin:0;padding:10px">Koppel de app</p>'
        f'<img alt="scan" style="position:absolute;left:10px;bottom:80px;width:180px" src="{qr.png_data_uri(scale=4)}">'
        f'<input id="i" style="position:absolute;left:10px;bottom:20px;width:300px" value="{RECOVERY}"></main>'
        '<div style="position:absolute;top:2500px;height:10px"></div></body>'
    )


def test_content_below_the_fold_that_fits_the_viewport_is_scrolled_into_it_and_captured_masked(
    report_page: Page, tmp_path: Path
) -> None:
    """Content that fits the viewport but sticks out below it: the window scrolls (as Playwright's element picture
    does), Chromium's capture takes it whole (a clip, not Playwright's element screenshot), masked."""
    REGISTRY.register(RECOVERY, "herstelcode")
    report_page.set_content(card_page(top=300, height=800))  # bottom at 1100 px in a viewport 900 px high
    path = tmp_path / "card.png"
    crop, _ = capture(report_page, None, path, None)
    assert crop.clip is not None and crop.element is None  # the quick picture's clip
    assert report_page.evaluate("scrollY") == 200
    assert decode_qr_codes(path.read_bytes()) == []
    box = report_page.locator("#i").bounding_box()
    assert box is not None
    with Image.open(path) as picture:
        rgb = picture.convert("RGB")
        assert rgb.size == (500, 800)  # the whole content
        centre = (int(box["x"] + box["width"] / 2 - crop.clip["x"]), int(box["y"] + box["height"] / 2 - crop.clip["y"]))
        assert rgb.getpixel(centre) == ImageColor.getrgb(MASK_COLOR)


def test_content_taller_than_the_viewport_goes_to_playwrights_element_picture(report_page: Page, tmp_path: Path) -> None:
    """Content taller than the viewport cannot be one clip of it: Playwright's element screenshot, masked too."""
    REGISTRY.register(RECOVERY, "herstelcode")
    report_page.set_content(card_page(top=100, height=1200))
    path = tmp_path / "tall.png"
    crop, _ = capture(report_page, None, path, None)
    assert crop.element is not None and crop.clip is None
    assert decode_qr_codes(path.read_bytes()) == []
    with Image.open(path) as picture:
        assert picture.size == (500, 1200)
