"""Decoding QR codes from pictures, as the phone's camera sees them."""

from __future__ import annotations

import base64
import io
import uuid
from collections.abc import Callable

import pytest
import qrcode
import qrcode.constants
import segno
from PIL import Image, ImageDraw

from fixtures.portaal.pocket import Pocket, PocketError
from herstelpad.camera import CameraError, decode_qr_codes, read_otpauth_qr
from herstelpad.secrets import REGISTRY

URI = (
    "otpauth://totp/afasonline.com:mieke.van.den.berg%2Bab12%40bakker-bv.example.com"
    "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=afasonline.com"
)
QRCODE_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def segno_png(text: str, level: str, scale: int = 4, border: int = 4) -> bytes:
    """A PNG made by segno."""
    out = io.BytesIO()
    segno.make_qr(text, error=level.lower(), boost_error=False).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def qrcode_png(text: str, level: str, box_size: int = 4, border: int = 4) -> bytes:
    """A PNG made by the qrcode package."""
    maker = qrcode.QRCode(error_correction=QRCODE_LEVELS[level], box_size=box_size, border=border)
    maker.add_data(text)
    maker.make(fit=True)
    out = io.BytesIO()
    maker.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def on_a_screen(png: bytes) -> bytes:
    """The QR picture in the middle of a larger, busy 'screen' (RGBA, like a browser screenshot)."""
    qr = Image.open(io.BytesIO(png)).convert("RGBA")
    screen = Image.new("RGBA", (qr.width + 600, qr.height + 400), (245, 247, 250, 255))
    draw = ImageDraw.Draw(screen)
    draw.text((20, 20), "Koppel AFAS Pocket", fill=(0, 0, 0, 255))
    draw.rectangle((20, 60, 400, 90), outline=(0, 90, 160, 255), width=2)
    screen.paste(qr, (300, 200))
    out = io.BytesIO()
    screen.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_segno_qr_codes_decode(level: str) -> None:
    assert decode_qr_codes(segno_png(URI, level)) == [URI]


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_qrcode_qr_codes_decode(level: str) -> None:
    assert decode_qr_codes(qrcode_png(URI, level)) == [URI]


@pytest.mark.parametrize("make", [segno_png, qrcode_png])
def test_qr_code_within_a_screenshot_of_the_page(make: Callable[..., bytes]) -> None:
    assert read_otpauth_qr(on_a_screen(make(URI, "M"))).account == "mieke.van.den.berg+ab12@bakker-bv.example.com"


@pytest.mark.parametrize("make", [segno_png, qrcode_png])
def test_tiny_qr_without_quiet_zone(make: Callable[..., bytes]) -> None:
    png = make(URI, "L", 1, 0)
    assert decode_qr_codes(png) == [URI]


def test_no_qr_code_in_the_picture() -> None:
    blank = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, format="PNG")
    assert decode_qr_codes(blank.getvalue()) == []
    with pytest.raises(CameraError, match="geen QR-code met een otpauth-URI"):
        read_otpauth_qr(blank.getvalue())
    with pytest.raises(PocketError, match="AFAS Pocket: De camera vond geen QR-code"):
        Pocket("http://127.0.0.1:9").scan_image(blank.getvalue())


def test_qr_code_without_otpauth_uri_is_refused() -> None:
    with pytest.raises(CameraError, match=r"1 QR-code\(s\) gevonden.*https://afasonline.nl"):
        read_otpauth_qr(segno_png("https://afasonline.nl", "M"))


class FakeLocator:
    """Stands in for a Playwright Locator: only a screenshot, nothing of the DOM."""

    def __init__(self, png: bytes) -> None:
        self.png = png
        self.calls = 0

    def screenshot(self, **kwargs: object) -> bytes:
        self.calls += 1
        return self.png


def test_scan_adds_or_replaces_the_account() -> None:
    pocket = Pocket("http://127.0.0.1:9")
    camera = FakeLocator(on_a_screen(segno_png(URI, "Q")))
    first = pocket.scan(camera)
    assert camera.calls == 1 and first.issuer == "afasonline.com"
    other = URI.replace("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQGEZDGNBVGY")
    pocket.scan(FakeLocator(qrcode_png(other, "H")))
    assert [a.otp.secret for a in pocket.accounts()] == ["GEZDGNBVGY3TQOJQGEZDGNBVGY"]
    assert any("QR-code gescand" in line for line in pocket.log)


# -- pictures and texts from other generators -----------------------------------------------------------

Rgba = tuple[int, int, int, int]
BLACK, WHITE, CLEAR_BLACK, CLEAR_WHITE = (0, 0, 0, 255), (255, 255, 255, 255), (0, 0, 0, 0), (255, 255, 255, 0)


def painted(text: str, dark: Rgba, light: Rgba, scale: int = 4, border: int = 4) -> Image.Image:
    """The QR code of `text` painted pixel by pixel in RGBA, quiet zone in the light colour."""
    matrix = [list(row) for row in segno.make_qr(text, error="m").matrix]
    size = (len(matrix) + 2 * border) * scale
    picture = Image.new("RGBA", (size, size), light)
    draw = ImageDraw.Draw(picture)
    for y, row in enumerate(matrix):
        for x, module in enumerate(row):
            if module:
                left, top = (x + border) * scale, (y + border) * scale
                draw.rectangle((left, top, left + scale - 1, top + scale - 1), fill=dark)
    return picture


def encoded(picture: Image.Image, kind: str = "PNG", **options: object) -> bytes:
    """The picture as a file of `kind`."""
    out = io.BytesIO()
    picture.save(out, format=kind, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("dark", "light"),
    [(BLACK, CLEAR_BLACK), (BLACK, CLEAR_WHITE), (CLEAR_BLACK, WHITE), (CLEAR_WHITE, WHITE), ((0, 0, 0, 200), CLEAR_BLACK)],
    ids=["dark-on-clear-black", "dark-on-clear-white", "clear-modules-on-white", "clear-white-modules-on-white", "half-dark"],
)
def test_qr_code_with_transparency_is_read(dark: Rgba, light: Rgba) -> None:
    picture = painted(URI, dark, light)
    assert decode_qr_codes(encoded(picture)) == [URI]
    assert decode_qr_codes(encoded(picture.convert("LA"))) == [URI]


def test_qr_code_on_a_transparent_screenshot_is_read() -> None:
    screen = Image.new("RGBA", (900, 700), CLEAR_BLACK)  # like a screenshot taken with omit_background
    screen.paste(painted(URI, BLACK, CLEAR_BLACK), (300, 200))
    assert read_otpauth_qr(encoded(screen)).account == "mieke.van.den.berg+ab12@bakker-bv.example.com"


def test_segno_transparent_output_is_read() -> None:
    for colours in ({"light": None}, {"dark": None}):
        out = io.BytesIO()
        segno.make_qr(URI, error="m").save(out, kind="png", scale=4, **colours)
        assert decode_qr_codes(out.getvalue()) == [URI], colours


@pytest.mark.parametrize("mode", ["L", "P", "1", "LA", "RGB", "CMYK", "I;16"])
def test_colour_modes(mode: str) -> None:
    picture = painted(URI, BLACK, WHITE)
    if mode == "I;16":
        converted = picture.convert("L").convert("I").point(lambda value: value * 257).convert("I;16")
    else:
        converted = picture.convert(mode)
    kind = "JPEG" if mode == "CMYK" else "PNG"
    assert decode_qr_codes(encoded(converted, kind)) == [URI]


@pytest.mark.parametrize("quality", [40, 75])
def test_jpeg_screenshot(quality: int) -> None:
    screen = Image.open(io.BytesIO(on_a_screen(segno_png(URI, "M")))).convert("RGB")
    assert read_otpauth_qr(encoded(screen, "JPEG", quality=quality)).issuer == "afasonline.com"


@pytest.mark.parametrize("border", [1, 2])
def test_small_quiet_zone_on_a_dark_screen(border: int) -> None:
    screen = Image.new("RGBA", (600, 500), (30, 30, 40, 255))  # a dark theme around a code with little margin
    screen.paste(painted(URI, BLACK, WHITE, scale=3, border=border), (150, 100))
    assert decode_qr_codes(encoded(screen)) == [URI]


@pytest.mark.parametrize("text", [f"  {URI}", f"{URI}\n", f"\t{URI} ", URI.replace("otpauth://totp", "OTPAUTH://TOTP")])
def test_camera_accepts_what_parse_accepts(text: str) -> None:
    assert read_otpauth_qr(segno_png(text, "M")).account == "mieke.van.den.berg+ab12@bakker-bv.example.com"


def unregistered_secret(case: str) -> str:
    """A base32 secret that only this case's QR code carries (so no earlier parse has registered it)."""
    return base64.b32encode(f"camera {case} {uuid.uuid4().hex}".encode()[:20]).decode()


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("otpauth://hotp/Acme:bob?secret={}&counter=1", "HOTP"),
        (" otpauth://totp/Acme:bob?secret={}&period=zero", "not a whole number"),
        ("otpauth://totp/Acme:bob?SECRET={}&digits=4", "outside"),
        ("otpauth//totp/Acme:bob?secret={}", "geen QR-code met een otpauth-URI"),
        ("otpauth:totp?secret={}", "unknown type"),
        ("https://example.com/koppel?secret={}&x=1", "geen QR-code met een otpauth-URI"),
    ],
)
def test_refused_qr_never_shows_its_secret(template: str, reason: str) -> None:
    secret = unregistered_secret(reason)
    assert not REGISTRY.is_secret(secret)
    with pytest.raises(CameraError, match=reason) as caught:
        read_otpauth_qr(segno_png(template.format(secret), "M"))
    message = str(caught.value)
    print(message)
    assert secret[:12] not in message.upper()
    assert "«geheim:" in message


def test_refused_qr_masks_registered_secrets_anywhere() -> None:
    REGISTRY.register("KRUGS4ZANFZSAYJAONSWG4TFOQ", "TOTP-geheim")
    with pytest.raises(CameraError) as caught:
        read_otpauth_qr(segno_png("code: KRUGS4ZANFZSAYJAONSWG4TFOQ", "M"))
    assert "KRUGS4ZANFZSAYJAONSWG4TFOQ" not in str(caught.value)
