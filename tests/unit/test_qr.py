"""Decoding QR codes from pictures, as the phone's camera sees them."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import qrcode
import qrcode.constants
import segno
from PIL import Image, ImageDraw

from fixtures.portaal.pocket import Pocket, PocketError
from herstelpad.camera import CameraError, decode_qr_codes, read_otpauth_qr

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
