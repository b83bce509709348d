"""Secrets recognised by their shape, on any target: tokens in links, OAuth/OIDC parameters, JWTs, TOTP keys.

The secret registry (herstelpad.secrets) masks what the harness knows; this module finds what a target
handed out without the harness knowing its form: a reset token in a link's path, an OIDC `code=` in a
redirect, a JWT in a log line, a TOTP key shown as text before the phone scanned it. It keeps what a
reader needs: the host, the path shape and ordinary words stay (`/password/reset/key/«geheim:link»/`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote, urlsplit

LINK_LABEL = "link"  # the marker label of a token in an e-mailed link: «geheim:link»
TOKEN_LABEL = "token"  # a JWT found anywhere
TOTP_KEY_LABEL = "TOTP-geheim"  # a base32 key shown as text (the same label as a registered one)

# Query, fragment and form parameters whose value is a credential in OAuth 2.0 (RFC 6749, 7636, 8628),
# OpenID Connect (Core, Session Management), SAML bindings, CAS, and the usual names of reset/verify links.
SECRET_PARAMETERS = frozenset({
    "code", "state", "session_state", "id_token", "access_token", "refresh_token", "id_token_hint",
    "code_verifier", "client_secret", "client_assertion", "assertion", "logout_token", "device_code",
    "user_code", "key", "token", "secret", "password", "otp", "totp", "ticket", "session_code",
    "samlresponse", "samlrequest", "signature", "sig", "nonce", "auth", "hash", "reset_token",
    "confirmation_token", "verification_token", "oobcode", "apikey", "api_key",
})
# JSON members that carry a credential in a token or session answer (`"access_token":"…"`).
SECRET_MEMBERS = frozenset({
    "access_token", "refresh_token", "id_token", "session_state", "client_secret", "code_verifier",
    "device_code", "secret", "password", "token", "otpauth",
})

_PARAMETER_NAMES = "|".join(sorted((re.escape(name) for name in SECRET_PARAMETERS), key=len, reverse=True))
# `name=value` after ?, &, #, ; (also as &amp; in HTML and percent-encoded inside another URL), or at the
# start of a form body; the value runs to the next separator.
_PARAMETER = re.compile(
    rf"(?i)(?:(?<=[?&#;])|(?<=&amp;)|(?<=%3F)|(?<=%26)|(?<=%23)|^)({_PARAMETER_NAMES})(=|%3D|%253D)"
    r"((?:(?!%26|%2526|&amp;)[^&#\s\"'<>\\])+)"
)
_MEMBER_NAMES = "|".join(sorted((re.escape(name) for name in SECRET_MEMBERS), key=len, reverse=True))
_MEMBER = re.compile(rf"(?i)(\\?\"(?:{_MEMBER_NAMES})\\?\"\s*:\s*\\?\")((?:[^\"\\]|\\[^\"])+)(?=\\?\")")
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){1,3}")
# A TOTP key as a person would type it: base32 capitals, whole or in four groups or more of four (or three to eight),
# the last one shorter when the key's length is no multiple of the group's.
_TOTP_KEY = re.compile(r"(?<![A-Za-z0-9+/=])(?:[A-Z2-7]{16,}={0,6}|[A-Z2-7]{3,8}(?:[ \u00a0-][A-Z2-7]{3,8}){2,}[ \u00a0-][A-Z2-7]{1,8})(?![A-Za-z0-9+/])")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^[0-9a-fA-F]{16,}$")
_TOKEN_ALPHABET = re.compile(r"^[A-Za-z0-9_\-.~+/=:]+$")
_CHUNK = re.compile(r"[A-Za-z0-9]+")
URL = re.compile(r"https?://[^\s<>\"']+")
MIN_TOKEN = 12  # shorter path segments and values are words, numbers or ids a reader needs
MIN_JOINED = 20  # letters and digits of a value cut by `-`/`_`: this many, of all three kinds, are a token
MIN_RANDOM_RUN = 10  # a run mixing letters and digits this long is random; shorter ones are ids (a realm's `herstelpad-3862b5cb`)


def marker(label: str) -> str:
    """The text that stands in for a masked secret."""
    return f"«geheim:{label}»"


def _mixes(chunk: str) -> bool:
    """Whether a run of letters and digits looks random: letters and digits mixed, or capitals inside lower case."""
    digits = sum(char.isdigit() for char in chunk)
    letters = len(chunk) - digits
    if digits >= 2 and letters >= 2 and len(chunk) >= MIN_RANDOM_RUN:
        return True
    inner_capitals = sum(char.isupper() for char in chunk[1:])
    return len(chunk) >= 16 and inner_capitals >= 3 and any(char.islower() for char in chunk)


def looks_like_token(value: str) -> bool:
    """Whether a path segment, query value or fragment looks like a credential rather than a word or a number.

    A JWT, a UUID, 16+ hex digits, 12+ digits, or 12+ token characters with a random-looking run in them
    (`6-c3p5ay-7b1f0e…`, `Zm9vYmFyYmF6cXV4`); never ordinary words (`reset-password-confirmation`) nor short ids
    (`herstelpad-3862b5cb`, a Keycloak realm in the reset link's path).
    """
    text = unquote(value).strip()
    if len(text) < MIN_TOKEN or not _TOKEN_ALPHABET.match(text):
        return bool(_UUID.match(text))
    if _JWT.fullmatch(text) or _UUID.match(text) or _HEX.match(text) or text.isdigit():
        return True
    if any(_mixes(chunk) for chunk in _CHUNK.findall(text)):
        return True
    # base64url's own `-` and `_` can cut a token into runs too short to judge (`6-a1b2c3d4-Xk_9-qLw2_…`): 20 letters
    # and digits or more, with capitals, small letters and digits all in them, are random (a word or an id has not all)
    joined = "".join(_CHUNK.findall(text))
    kinds = (str.isdigit, str.isupper, str.islower)
    return len(joined) >= MIN_JOINED and all(any(kind(char) for char in joined) for kind in kinds)


def link_tokens(url: str) -> Iterator[str]:
    """The secret parts of a link read from an e-mail: named credentials and token-like values, path segments
    and fragment parts (each as it stands in the link, and percent-decoded)."""
    parts = urlsplit(url)
    pieces: list[str] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if name.lower() in SECRET_PARAMETERS or looks_like_token(value):
            pieces.append(value)
    pieces += [segment for segment in parts.path.split("/") if looks_like_token(segment)]
    for piece in re.split(r"[/?&]", parts.fragment):  # `#/reset/TOKEN?x=y`, `#state=…&code=…`
        name, equals, value = piece.partition("=")
        if equals and value and (unquote(name).lower() in SECRET_PARAMETERS or looks_like_token(value)):
            pieces.append(value)
        elif not equals and looks_like_token(piece):
            pieces.append(piece)
    for piece in pieces:
        yield piece
        if unquote(piece) != piece:
            yield unquote(piece)


def _parameter(match: re.Match[str]) -> str:
    """A secret parameter with its value masked (the name stays for the reader)."""
    value = match.group(3)
    if value.startswith("«geheim:"):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{marker(match.group(1).lower())}"


def _member(match: re.Match[str]) -> str:
    """A JSON member with a credential's value masked."""
    if match.group(2).startswith("«geheim:"):
        return match.group(0)
    return match.group(1) + marker(TOKEN_LABEL)


def _looks_like_a_key(text: str) -> bool:
    """Whether capitals matched as a TOTP key are one rather than shouted words.

    Two digits or more decide it (words have none). Without them (a random base32 key of 32 characters has fewer
    than two once in a hundred, one of 16 once in six): groups of one size, the last no longer, are a key shown to
    type (`JBSW Y3DP …`; words vary in length); a run without separators is one when under a third of its letters
    are vowels (random base32 has about a fifth, words a third or more)."""
    bare = re.sub(r"[ \u00a0=-]", "", text)
    if len(bare) < 16 or len(set(bare)) < 8:
        return False
    if sum(char.isdigit() for char in bare) >= 2:
        return True
    groups = re.split(r"[ \u00a0-]", text.rstrip("="))
    if len(groups) > 1:
        size = len(groups[0])
        return all(len(group) == size for group in groups[:-1]) and len(groups[-1]) <= size
    return sum(char in "AEIOU" for char in bare) * 3 < len(bare)


def _totp_key(match: re.Match[str]) -> str:
    """A base32 key shown as text masked; shouted words stay."""
    text = match.group(0)
    return marker(TOTP_KEY_LABEL) if _looks_like_a_key(text) else text


def mask_shapes(text: str) -> str:
    """`text` with every secret recognised by shape masked: OAuth/OIDC and reset parameters in URLs and form
    bodies, credential members of JSON answers, JWTs, and TOTP keys shown as text."""
    if not text:
        return text
    text = _JWT.sub(marker(TOKEN_LABEL), text)
    if "=" in text or "%3D" in text.upper():
        text = _PARAMETER.sub(_parameter, text)
    if '"' in text:
        text = _MEMBER.sub(_member, text)
    return _TOTP_KEY.sub(_totp_key, text)


def found_values(text: str) -> Iterator[tuple[str, str]]:
    """(value, label) of every secret `mask_shapes` would mask in `text`, and every token of the links in it,
    so that the same value is masked where it stands without its shape (a cookie, a JSON answer)."""
    for match in _JWT.finditer(text):
        yield match.group(0), TOKEN_LABEL
    for match in _PARAMETER.finditer(text):
        if not match.group(3).startswith("«geheim:"):
            yield match.group(3), match.group(1).lower()
            yield unquote(match.group(3)), match.group(1).lower()
    for match in _MEMBER.finditer(text):
        yield match.group(2), TOKEN_LABEL
    for match in _TOTP_KEY.finditer(text):
        if _totp_key(match) != match.group(0):
            yield re.sub(r"[ \u00a0=-]", "", match.group(0)), TOTP_KEY_LABEL
