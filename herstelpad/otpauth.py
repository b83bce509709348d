"""Parsing and writing of `otpauth://totp/...` URIs (the text inside a TOTP QR code).

Follows the Key URI format (github.com/google/google-authenticator/wiki/Key-Uri-Format) and computes
codes as RFC 6238 does, for every period and digit count that can be computed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import pyotp

from herstelpad.secrets import marker, mask, register

ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
DEFAULT_ALGORITHM = "SHA1"
DEFAULT_DIGITS = 6
DEFAULT_PERIOD = 30
DIGITS = range(6, 11)  # RFC 4226 asks for at least 6; a 31-bit HOTP value has at most 10
MIN_SECRET_BITS = 80  # what common authenticator apps accept (pyotp's own default is 112)
SECRET_LABEL = "TOTP-geheim"
SECRET_PARAMETER = re.compile(r"(?i)(secret(?:=|%3D))[^&#]*")


class _Totp(pyotp.TOTP):
    """pyotp's TOTP, accepting shorter secrets and every period RFC 6238 can compute (pyotp stops at 120 s)."""

    min_secret_length_bits = MIN_SECRET_BITS

    def __init__(self, s: str, *, digits: int, digest: Any, interval: int, name: str, issuer: str | None) -> None:
        """Like pyotp.TOTP, without its 120-second ceiling on the period."""
        pyotp.OTP.__init__(self, s=s, digits=digits, digest=digest, name=name, issuer=issuer)
        self.interval = interval


def normalise_secret(secret: str) -> str:
    """Upper-case, padding-less, space-less base32 form of `secret`; ValueError when not base32."""
    bare = "".join(secret.split()).replace("-", "").upper().rstrip("=")
    if not bare:
        raise ValueError("otpauth URI: the secret is empty")
    try:
        key = base64.b32decode(bare + "=" * (-len(bare) % 8))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"otpauth URI: the secret is not valid base32 ({exc})") from None
    if len(key) * 8 < MIN_SECRET_BITS:
        raise ValueError(f"otpauth URI: the secret has {len(key) * 8} bits, fewer than {MIN_SECRET_BITS}")
    return bare


def normalise_algorithm(name: str) -> str:
    """The algorithm's name as ALGORITHMS spells it (sha256, SHA-256 → SHA256); ValueError when unknown."""
    algorithm = name.strip().upper().replace("-", "")
    if algorithm not in ALGORITHMS:
        raise ValueError(f"otpauth URI: unsupported algorithm {name!r} (use one of {sorted(ALGORITHMS)})")
    return algorithm


@dataclass(frozen=True)
class OtpAuth:
    """A TOTP account as an authenticator app stores it; checked and normalised when made."""

    issuer: str
    account: str
    secret: str = field(repr=False)
    algorithm: str = DEFAULT_ALGORITHM
    digits: int = DEFAULT_DIGITS
    period: int = DEFAULT_PERIOD

    def __post_init__(self) -> None:
        """Refuse what cannot give codes; strip names, normalise secret and algorithm."""
        register(self.secret, SECRET_LABEL)
        object.__setattr__(self, "issuer", self.issuer.strip())
        object.__setattr__(self, "account", self.account.strip())
        object.__setattr__(self, "secret", normalise_secret(self.secret))
        object.__setattr__(self, "algorithm", normalise_algorithm(self.algorithm))
        register(self.secret, SECRET_LABEL)
        if not self.account:
            raise ValueError("otpauth URI has no account name in its label")
        if self.digits not in DIGITS:
            raise ValueError(f"otpauth URI: digits={self.digits} is outside {DIGITS.start}..{DIGITS.stop - 1}")
        if self.period < 1:
            raise ValueError(f"otpauth URI: period={self.period} is not allowed: it must be at least 1 second")

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

    def step_at(self, unix_time: float) -> int:
        """The RFC 6238 time step T = floor(unix_time / period)."""
        return int(unix_time // self.period)

    def code_at_step(self, step: int) -> str:
        """The code for time step `step` (Unix time // period)."""
        return self.totp().generate_otp(step)

    def code_at(self, unix_time: float) -> str:
        """The code at Unix time `unix_time`."""
        return self.code_at_step(self.step_at(unix_time))

    def to_uri(self) -> str:
        """The otpauth URI for this account (defaults left out), registered as a secret; parse() gives it back.

        The label is `issuer:account`, each part percent-encoded (a colon inside either becomes %3A); parse()
        takes the issuer parameter as the label's prefix. Without an issuer an account holding a colon
        is written after an empty prefix (`:a:b`), so that it is not split.
        """
        account = quote(self.account, safe="")
        if self.issuer:
            label = f"{quote(self.issuer, safe='')}:{account}"
        else:
            label = f":{account}" if ":" in self.account else account
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


def _whole_number(params: dict[str, list[str]], name: str, default: int) -> int:
    """Integer parameter `name`, or `default` when absent; ValueError when it is no whole number."""
    raw = _single(params, name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"otpauth URI: {name}={raw!r} is not a whole number") from None


def _split_label(label: str, param_issuer: str) -> tuple[str, str]:
    """Issuer and account of a decoded label; the issuer parameter wins and may itself hold a colon."""
    if param_issuer and label.startswith(f"{param_issuer}:"):
        return param_issuer, label[len(param_issuer) + 1 :]
    if ":" in label:
        label_issuer, account = label.split(":", 1)
        return param_issuer or label_issuer, account
    return param_issuer, label


def is_otpauth(text: str) -> bool:
    """Whether `text` is meant as an otpauth URI (its scheme, ignoring case and surrounding whitespace)."""
    return urlsplit(text.strip()).scheme.lower() == "otpauth"


def masked_otpauth(text: str) -> str:
    """`text` with the value of its secret parameter and every registered secret masked, to show in a message."""
    return mask(SECRET_PARAMETER.sub(lambda match: match.group(1) + marker(SECRET_LABEL), text))


def parse(uri: str) -> OtpAuth:
    """Parse an `otpauth://totp/...` URI; registers the URI and secret; ValueError when invalid."""
    register(uri, "otpauth-URI")
    register(uri.strip(), "otpauth-URI")
    parts = urlsplit(uri.strip())
    if not is_otpauth(uri):
        raise ValueError(f"not an otpauth URI (scheme {parts.scheme!r}, expected 'otpauth')")
    kind = parts.netloc.lower()
    if kind == "hotp":
        raise ValueError("otpauth URI is HOTP (counter based); only TOTP (time based) is handled")
    if kind != "totp":
        raise ValueError(f"otpauth URI: unknown type {parts.netloc!r}, expected 'totp'")
    params: dict[str, list[str]] = {}
    for name, values in parse_qs(parts.query, keep_blank_values=True).items():
        params.setdefault(name.lower(), []).extend(values)
    raw_secret = _single(params, "secret")
    if raw_secret is None:
        raise ValueError("otpauth URI has no 'secret' parameter")
    register(raw_secret, SECRET_LABEL)
    issuer, account = _split_label(unquote(parts.path.lstrip("/")), (_single(params, "issuer") or "").strip())
    return OtpAuth(
        issuer=issuer,
        account=account,
        secret=raw_secret,
        algorithm=_single(params, "algorithm") or DEFAULT_ALGORITHM,
        digits=_whole_number(params, "digits", DEFAULT_DIGITS),
        period=_whole_number(params, "period", DEFAULT_PERIOD),
    )
