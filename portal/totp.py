"""TOTP (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

STAP_SECONDEN = 30
CIJFERS = 6
UITGEVER = "afasonline.com"


def nieuw_geheim() -> str:
    """Return a fresh base32 secret of 32 characters (160 random bits)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def stap(tijd: float) -> int:
    """Return the 30-second time step of a moment."""
    return int(tijd // STAP_SECONDEN)


def hotp(geheim: str, teller: int, cijfers: int = CIJFERS) -> str:
    """Return the HOTP value (RFC 4226) of a base32 secret for a counter."""
    sleutel = base64.b32decode(geheim.upper() + "=" * (-len(geheim) % 8))
    digest = hmac.new(sleutel, struct.pack(">Q", teller), hashlib.sha1).digest()
    begin = digest[-1] & 0x0F
    getal = struct.unpack(">I", digest[begin : begin + 4])[0] & 0x7FFFFFFF
    return str(getal % 10**cijfers).zfill(cijfers)


def code(geheim: str, tijd: float) -> str:
    """Return the TOTP code of a secret at a moment."""
    return hotp(geheim, stap(tijd))


def zoek_stap(geheim: str, invoer: str, tijd: float, laatste_stap: int, venster: int = 1) -> int | None:
    """Return the step (t-venster … t+venster; RFC 6238 section 5.2's look-around, 0: only the current step) the
    code belongs to if it is above laatste_stap."""
    invoer = invoer.strip()
    if len(invoer) != CIJFERS or not (invoer.isascii() and invoer.isdigit()):  # '١٢٣٤٥٦'.isdigit() is True too
        return None
    nu = stap(tijd)
    treffers = [s for s in range(nu - venster, nu + venster + 1) if hmac.compare_digest(hotp(geheim, s), invoer)]
    geldig = [s for s in treffers if s > laatste_stap]
    return geldig[0] if geldig else None


def otpauth_uri(email: str, geheim: str) -> str:
    """Return the otpauth:// URI that a QR code for this account shows."""
    return f"otpauth://totp/{UITGEVER}:{quote(email, safe='')}?secret={geheim}&issuer={UITGEVER}"
