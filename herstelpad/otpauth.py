"""Parsing and writing of `otpauth://totp/...` URIs (the text inside a TOTP QR code)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import pyotp

from herstelpad.secrets import register

ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
DEFAULT_ALGORITHM = "SHA1"
DEFAULT_DIGITS = 6
DEFAULT_PERIOD = 30
MIN_SECRET_BITS = 80  # what common authenticator apps accept (pyotp's own default is 112)


class _Totp(pyotp.TOTP):
    """pyotp's TOTP, accepting the shorter secrets authenticator apps accept."""

    min_secret_length_bits = MIN_SECRET_BITS


def normalise_secret(secret: str) -> str:
    """Upper-case, padding-less, space-less base32 form of `secret`; ValueError when not base32."""
    bare = secret.replace(" ", "").replace("-", "").upper().rstrip("=")
    if not bare:
        raise ValueError("otpauth URI: the secret is empty")
    try:
        key = base64.b32decode(bare + "=" * (-len(bare) % 8))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"otpauth URI: the secret is not valid base32 ({exc})") from None
    if len(key) * 8 < MIN_SECRET_BITS:
        raise ValueError(f"otpauth URI: the secret has {len(key) * 8} bits, fewer than {MIN_SECRET_BITS}")
    return bare


@dataclass(frozen=True)
class OtpAuth:
    """A TOTP account as an authenticator app stores it."""

    issuer: str
    account: str
    secret: str = field(repr=False)
    algorithm: str = DEFAULT_ALGORITHM
    digits: int = DEFAULT_DIGITS
    period: int = DEFAULT_PERIOD

    @property
    def label(self) -> str:
        """The `issuer:account` label (just the account when there is no issuer)."""
        return f"{self.issuer}:{self.account}" if self.issuer else self.account

    def totp(self) -> pyotp.TOTP:
        """A pyotp generator for this account."""
        return _Totp(
            self.secret,
            digits=self.digits,
            digest=ALGORITHMS[self.algorithm],
            interval=self.period,
            name=self.account,
            issuer=self.issuer or None,
        )

    def code_at_step(self, step: int) -> str:
        """The code for time step `step` (Unix time // period)."""
        return self.totp().generate_otp(step)

    def to_uri(self) -> str:
        """The otpauth URI for this account (defaults left out), registered as a secret."""
        label = quote(self.account, safe="")
        if self.issuer:
            label = f"{quote(self.issuer, safe='')}:{label}"
        params: dict[str, str | int] = {"secret": self.secret}
        if self.issuer:
            params["issuer"] = self.issuer
        if self.algorithm != DEFAULT_ALGORITHM:
            params["algorithm"] = self.algorithm
        if self.digits != DEFAULT_DIGITS:
            params["digits"] = self.digits
        if self.period != DEFAULT_PERIOD:
            params["period"] = self.period
        uri = f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"
        register(uri, "otpauth-URI")
        return uri


def _single(params: dict[str, list[str]], name: str) -> str | None:
    """The one value of query parameter `name`, None when absent; ValueError when repeated."""
    values = params.get(name)
    if values is None:
        return None
    if len(values) != 1:
        raise ValueError(f"otpauth URI: parameter {name!r} occurs {len(values)} times")
    return values[0]


def _positive_int(params: dict[str, list[str]], name: str, default: int, allowed: range) -> int:
    """Integer parameter `name` within `allowed`, or `default` when absent."""
    raw = _single(params, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"otpauth URI: {name}={raw!r} is not a whole number") from None
    if value not in allowed:
        raise ValueError(f"otpauth URI: {name}={value} is outside {allowed.start}..{allowed.stop - 1}")
    return value


def parse(uri: str) -> OtpAuth:
    """Parse an `otpauth://totp/...` URI; registers the URI and secret; ValueError when invalid."""
    register(uri, "otpauth-URI")
    parts = urlsplit(uri.strip())
    if parts.scheme.lower() != "otpauth":
        raise ValueError(f"not an otpauth URI (scheme {parts.scheme!r}, expected 'otpauth')")
    kind = parts.netloc.lower()
    if kind == "hotp":
        raise ValueError("otpauth URI is HOTP (counter based); herstelpad's authenticator only handles TOTP")
    if kind != "totp":
        raise ValueError(f"otpauth URI: unknown type {parts.netloc!r}, expected 'totp'")
    params = parse_qs(parts.query, keep_blank_values=True)
    raw_secret = _single(params, "secret")
    if raw_secret is None:
        raise ValueError("otpauth URI has no 'secret' parameter")
    register(raw_secret, "TOTP-geheim")
    secret = normalise_secret(raw_secret)
    register(secret, "TOTP-geheim")

    label = unquote(parts.path.lstrip("/"))
    if ":" in label:
        label_issuer, account = (piece.strip() for piece in label.split(":", 1))
    else:
        label_issuer, account = "", label.strip()
    if not account:
        raise ValueError("otpauth URI has no account name in its label")
    param_issuer = (_single(params, "issuer") or "").strip()
    if label_issuer and param_issuer and label_issuer != param_issuer:
        raise ValueError(
            f"otpauth URI: issuer in the label ({label_issuer!r}) differs from the issuer parameter ({param_issuer!r})"
        )
    algorithm = (_single(params, "algorithm") or DEFAULT_ALGORITHM).upper()
    if algorithm not in ALGORITHMS:
        raise ValueError(f"otpauth URI: unsupported algorithm {algorithm!r} (use one of {sorted(ALGORITHMS)})")
    return OtpAuth(
        issuer=param_issuer or label_issuer,
        account=account,
        secret=secret,
        algorithm=algorithm,
        digits=_positive_int(params, "digits", DEFAULT_DIGITS, range(6, 9)),
        period=_positive_int(params, "period", DEFAULT_PERIOD, range(1, 3601)),
    )
