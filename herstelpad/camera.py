"""The phone's camera: reads the QR codes in a picture of the screen."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from herstelpad.otpauth import OtpAuth
from herstelpad.otpauth import parse as parse_otpauth
from herstelpad.secrets import mask

QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


class CameraError(ValueError):
    """The picture holds no usable otpauth QR code; the message never shows a secret."""


def decode_qr_codes(png: bytes) -> list[str]:
    """The texts of all QR codes in a PNG picture (empty when none is found); OSError when it is no whole picture."""
    image = Image.open(io.BytesIO(png))
    image.load()  # a cut-off picture fails here, plainly, instead of deep inside zxing
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=QR_ONLY)]


def read_otpauth_qr(png: bytes) -> OtpAuth:
    """The otpauth account in the QR code of a PNG picture; CameraError when there is none."""
    texts = decode_qr_codes(png)
    for text in texts:
        if text.lower().startswith("otpauth://"):
            return parse_otpauth(text)
    raise CameraError(
        "geen QR-code met een otpauth-URI in het camerabeeld "
        f"({len(texts)} QR-code(s) gevonden: {[mask(text)[:80] for text in texts]})"
    )
