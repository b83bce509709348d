"""TOTP: RFC 6238 test vectors, agreement with pyotp, drift and replay."""
from __future__ import annotations

import base64
import random

import pyotp
import pytest

from portal import totp

RFC_GEHEIM = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTOREN = [  # RFC 6238 appendix B, SHA1
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("tijd", "verwacht"), RFC_VECTOREN)
def test_rfc6238_vectoren(tijd: int, verwacht: str) -> None:
    """The 8-digit values of the RFC, and their last 6 digits as our codes."""
    assert totp.hotp(RFC_GEHEIM, totp.stap(tijd), cijfers=8) == verwacht
    assert totp.code(RFC_GEHEIM, tijd) == verwacht[-6:]


def test_gelijk_aan_pyotp() -> None:
    """Our codes equal pyotp's for random secrets and moments."""
    kans = random.Random(6238)
    for _ in range(200):
        geheim = totp.nieuw_geheim()
        tijd = kans.uniform(0, 4_000_000_000)
        assert totp.code(geheim, tijd) == pyotp.TOTP(geheim).at(tijd)


def test_nieuw_geheim_is_32_tekens_base32() -> None:
    """Secrets are 32 base32 characters and differ every time."""
    geheimen = {totp.nieuw_geheim() for _ in range(50)}
    assert len(geheimen) == 50
    for geheim in geheimen:
        assert len(geheim) == 32 and len(base64.b32decode(geheim)) == 20


def test_drift_van_een_stap() -> None:
    """Steps t-1, t and t+1 are accepted; t-2 and t+2 are not."""
    geheim, tijd = totp.nieuw_geheim(), 1_700_000_015.0
    nu = totp.stap(tijd)
    for verschil in (-1, 0, 1):
        assert totp.zoek_stap(geheim, totp.hotp(geheim, nu + verschil), tijd, -1) == nu + verschil
    for verschil in (-2, 2):
        assert totp.zoek_stap(geheim, totp.hotp(geheim, nu + verschil), tijd, -1) is None


def test_replay_geweigerd() -> None:
    """A step at or below the last used step is refused."""
    geheim, tijd = totp.nieuw_geheim(), 1_700_000_015.0
    nu = totp.stap(tijd)
    code = totp.code(geheim, tijd)
    assert totp.zoek_stap(geheim, code, tijd, nu - 1) == nu
    assert totp.zoek_stap(geheim, code, tijd, nu) is None
    assert totp.zoek_stap(geheim, totp.hotp(geheim, nu - 1), tijd, nu) is None
    assert totp.zoek_stap(geheim, totp.hotp(geheim, nu + 1), tijd, nu) == nu + 1


@pytest.mark.parametrize("invoer", ["", "12345", "1234567", "abcdef", "12 456"])
def test_onzin_geweigerd(invoer: str) -> None:
    """Anything but 6 digits is refused."""
    assert totp.zoek_stap(totp.nieuw_geheim(), invoer, 1_700_000_000, -1) is None


def test_otpauth_uri_zoals_pyotp() -> None:
    """The QR content is what pyotp would produce for the same account."""
    geheim = totp.nieuw_geheim()
    email = "g.m.v.dijksterhuis+test@voorbeeld.nl"
    uri = totp.otpauth_uri(email, geheim)
    assert uri == f"otpauth://totp/afasonline.com:g.m.v.dijksterhuis%2Btest%40voorbeeld.nl?secret={geheim}&issuer=afasonline.com"
    terug = pyotp.parse_uri(uri)
    assert terug.secret == geheim and terug.issuer == "afasonline.com" and terug.name == email
