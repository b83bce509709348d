"""The phone's camera: reading QR codes, and the otpauth account in one, from a picture of the screen."""

from __future__ import annotations

import io
from typing import cast

import zxingcpp
from PIL import Image, ImageOps

from herstelpad.otpauth import OtpAuth, is_otpauth, masked_otpauth
from herstelpad.otpauth import parse as parse_otpauth

QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
BACKGROUNDS = ((255, 255, 255), (0, 0, 0))  # transparent parts as on a light screen, then as on a dark one
QUIET_ZONE = 0.05  # share of the picture's shorter side added as a plain margin around it (at least 8 px)
SHOWN_CHARACTERS = 120


class CameraError(ValueError):
    """The camera found no usable otpauth QR code in a picture."""


def _to_8_bit(image: Image.Image) -> Image.Image:
    """The picture with 8 bits a channel (16-bit and float greyscale scaled down, not clipped)."""
    if image.mode.startswith("I;16"):
        return image.point(lambda value: value / 257, "L")
    if image.mode in ("I", "F"):
        low, high = cast("tuple[float, float]", image.getextrema())
        span = max(float(high) - float(low), 1.0)
        return image.point(lambda value: (value - low) * 255 / span, "L") if high > 255 else image.convert("L")
    return image


def _views(image: Image.Image) -> list[Image.Image]:
    """Greyscale views of a picture as a camera would see it on a screen, each with a plain margin.

    Transparent parts are laid on white first and on black next: a code drawn with transparent dark
    (or light) modules shows only on one of the two. An opaque picture gives one view.
    """
    image = _to_8_bit(image)
    if image.mode not in ("RGBA", "LA", "PA", "RGBa", "La") and "transparency" not in image.info:
        backgrounds: tuple[tuple[int, int, int], ...] = BACKGROUNDS[:1]
        rgba = image.convert("RGB").convert("RGBA")
    else:
        rgba = image.convert("RGBA")
        alpha = cast("tuple[tuple[int, int], ...]", rgba.getextrema())[3]
        backgrounds = BACKGROUNDS if alpha[0] < 255 else BACKGROUNDS[:1]
    margin = max(8, int(min(rgba.size) * QUIET_ZONE))
    views = []
    for background in backgrounds:
        flat = Image.new("RGBA", rgba.size, (*background, 255))
        flat.alpha_composite(rgba)
        views.append(ImageOps.expand(flat.convert("L"), border=margin, fill=background[0]))
    return views


def decode_qr_codes(png: bytes) -> list[str]:
    """The texts of all QR codes in a picture (PNG, JPEG, ...; empty when none is found); OSError when it is no whole picture."""
    image = Image.open(io.BytesIO(png))
    image.load()  # a cut-off picture fails here, plainly, instead of deep inside zxing
    for view in _views(image):
        texts = [barcode.text for barcode in zxingcpp.read_barcodes(view, formats=QR_ONLY)]
        if texts:
            return texts
    return []


def read_otpauth_qr(png: bytes) -> OtpAuth:
    """The otpauth account in the QR code of a picture; CameraError (secret masked) when there is none."""
    texts = decode_qr_codes(png)
    refused: list[str] = []
    for text in texts:
        if is_otpauth(text):
            try:
                return parse_otpauth(text)
            except ValueError as exc:
                refused.append(f"{masked_otpauth(text)[:SHOWN_CHARACTERS]!r}: {exc}")
    if refused:
        raise CameraError(f"De camera zag een QR-code met een ongeldige otpauth-URI: {'; '.join(refused)}")
    shown = [masked_otpauth(text)[:SHOWN_CHARACTERS] for text in texts]
    raise CameraError(
        f"De camera vond geen QR-code met een otpauth-URI in het beeld ({len(texts)} QR-code(s) gevonden: {shown})"
    )
