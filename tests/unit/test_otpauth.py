"""Parsing and writing otpauth URIs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import struct

import pyotp
import pytest

from herstelpad.otpauth import OtpAuth, parse

SECRET = "JBSWY3DPEHPK3PXP"


def test_portal_style_uri_with_encoded_email() -> None:
    otp = parse(f"otpauth://totp/afasonline.com:jan.jansen%40voorbeeld.nl?secret={SECRET}&issuer=afasonline.com")
    assert otp == OtpAuth("afasonline.com", "jan.jansen@voorbeeld.nl", SECRET)
    assert (otp.algorithm, otp.digits, otp.period) == ("SHA1", 6, 30)


def test_label_without_issuer_prefix_takes_issuer_param() -> None:
    otp = parse(f"otpauth://totp/jan%40voorbeeld.nl?secret={SECRET}&issuer=afasonline.com")
    assert (otp.issuer, otp.account) == ("afasonline.com", "jan@voorbeeld.nl")


def test_issuer_only_in_label_and_space_after_colon() -> None:
    otp = parse(f"otpauth://totp/afasonline.com:%20jan@voorbeeld.nl?secret={SECRET}")
    assert (otp.issuer, otp.account) == ("afasonline.com", "jan@voorbeeld.nl")


def test_no_issuer_at_all() -> None:
    otp = parse(f"otpauth://totp/jan@voorbeeld.nl?secret={SECRET}")
    assert otp.issuer == "" and otp.label == "jan@voorbeeld.nl"


def test_lowercase_padded_and_spaced_secret_is_normalised() -> None:
    assert parse("otpauth://totp/x:y?secret=jbsw y3dp ehpk 3pxp").secret == SECRET
    assert parse("otpauth://totp/x:y?secret=gezdgnbvgy3tqojqgezdgnbvgy======").secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY"
    assert parse("otpauth://totp/x:y?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY").secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY"


def test_explicit_parameters_and_case() -> None:
    otp = parse(f"OTPAUTH://TOTP/Acme:bob?secret={SECRET}&algorithm=sha256&digits=8&period=60&issuer=Acme")
    assert (otp.algorithm, otp.digits, otp.period) == ("SHA256", 8, 60)
    assert len(otp.totp().now()) == 8


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (f"otpauth://hotp/x:y?secret={SECRET}&counter=1", "HOTP"),
        (f"otpauth://foo/x:y?secret={SECRET}", "unknown type"),
        (f"https://totp/x:y?secret={SECRET}", "not an otpauth URI"),
        ("otpauth://totp/x:y?issuer=x", "no 'secret'"),
        ("otpauth://totp/x:y?secret=", "secret is empty"),
        ("otpauth://totp/x:y?secret=1189!", "not valid base32"),
        ("otpauth://totp/x:y?secret=MZXW6===", "fewer than 80"),
        (f"otpauth://totp/x:?secret={SECRET}", "no account name"),
        (f"otpauth://totp/x:y?secret={SECRET}&algorithm=MD5", "unsupported algorithm"),
        (f"otpauth://totp/x:y?secret={SECRET}&digits=zes", "not a whole number"),
        (f"otpauth://totp/x:y?secret={SECRET}&digits=4", "outside"),
        (f"otpauth://totp/x:y?secret={SECRET}&digits=11", "outside"),
        (f"otpauth://totp/x:y?secret={SECRET}&period=0", "at least 1 second"),
        (f"otpauth://totp/x:y?secret={SECRET}&period=-30", "at least 1 second"),
        (f"otpauth://totp/x:y?secret={SECRET}&secret=AAAA", "occurs 2 times"),
    ],
)
def test_invalid_uris_are_rejected_clearly(uri: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(uri)


def test_round_trip_and_defaults_left_out() -> None:
    uri = f"otpauth://totp/afasonline.com:jan%40voorbeeld.nl?secret={SECRET}&issuer=afasonline.com"
    assert parse(uri).to_uri() == uri
    custom = OtpAuth("Acme Corp", "bob smith", SECRET, "SHA512", 8, 60)
    assert parse(custom.to_uri()) == custom
    assert "algorithm=SHA512" in custom.to_uri() and "Acme%20Corp:bob%20smith" in custom.to_uri()


def test_secret_is_not_in_repr() -> None:
    assert SECRET not in repr(parse(f"otpauth://totp/x:y?secret={SECRET}"))


# -- inputs from other generators -------------------------------------------------------------------

# RFC 6238 Appendix B: the seeds, times and 8-digit codes of the test vectors.
RFC6238_SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def b32(seed: bytes) -> str:
    """The base32 text of a key, as an otpauth URI carries it."""
    return base64.b32encode(seed).decode()


def reference_code(key: bytes, unix_time: int, period: int, digits: int, algorithm: str) -> str:
    """RFC 6238 written out from the RFC (HOTP of T = floor(time / period)), independent of pyotp."""
    digest = hmac.new(key, struct.pack(">Q", unix_time // period), algorithm.lower()).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


@pytest.mark.parametrize(("unix_time", "sha1", "sha256", "sha512"), RFC6238_VECTORS)
def test_rfc6238_appendix_b_vectors(unix_time: int, sha1: str, sha256: str, sha512: str) -> None:
    for algorithm, expected in (("sha1", sha1), ("sha256", sha256), ("SHA512", sha512)):
        seed = RFC6238_SEEDS[algorithm.upper()]
        otp = parse(f"otpauth://totp/RFC:6238?secret={b32(seed).lower()}&algorithm={algorithm}&digits=8")
        assert otp.code_at(unix_time) == expected, (algorithm, unix_time)
        assert otp.totp().at(unix_time) == expected
        assert reference_code(seed, unix_time, 30, 8, algorithm) == expected


@pytest.mark.parametrize("period", [1, 29, 120, 121, 300, 3600, 86400, 10**9])
def test_every_period_that_parses_gives_codes(period: int) -> None:
    seed = RFC6238_SEEDS["SHA256"]
    otp = parse(f"otpauth://totp/Acme:bob?secret={b32(seed)}&period={period}&algorithm=SHA256&digits=8")
    for unix_time, *_ in RFC6238_VECTORS:
        assert otp.code_at(unix_time) == reference_code(seed, unix_time, period, 8, "SHA256")
        assert otp.totp().at(unix_time) == otp.code_at(unix_time)
    assert len(otp.totp().now()) == 8


@pytest.mark.parametrize("digits", [6, 7, 8, 9, 10])
def test_every_digit_count_that_parses_gives_codes(digits: int) -> None:
    seed = RFC6238_SEEDS["SHA1"]
    otp = parse(f"otpauth://totp/Acme:bob?secret={b32(seed)}&digits={digits}")
    assert otp.code_at(59) == reference_code(seed, 59, 30, digits, "SHA1")
    assert len(otp.code_at(59)) == digits


@pytest.mark.parametrize(
    ("label", "query", "issuer", "account"),
    [
        ("Acme%3Abob", "", "Acme", "bob"),  # the colon may be percent-encoded
        ("Acme%3A%20%20bob", "", "Acme", "bob"),  # optional spaces after it
        ("Acme:bob", "&issuer=Other", "Other", "bob"),  # the issuer parameter wins
        ("bob", "&issuer=Acme", "Acme", "bob"),
        ("Ac%3Ame%3Abob", "&issuer=Ac%3Ame", "Ac:me", "bob"),  # an issuer holding a colon
        ("Acme:a:b", "&issuer=Acme", "Acme", "a:b"),
        ("Acme%20%26%20Co/%C3%A9:jan%2Bx%40y.nl", "&issuer=Acme%20%26%20Co%2F%C3%A9", "Acme & Co/é", "jan+x@y.nl"),
        ("Acme:jan+x@y.nl", "&issuer=Acme+Corp", "Acme Corp", "jan+x@y.nl"),  # form encoding in the query
        ("Acme:bob", "&ISSUER=Acme&Algorithm=sha512", "Acme", "bob"),
    ],
)
def test_key_uri_format_labels(label: str, query: str, issuer: str, account: str) -> None:
    otp = parse(f"otpauth://totp/{label}?secret={SECRET}{query}")
    assert (otp.issuer, otp.account) == (issuer, account)


def test_secret_forms_and_whitespace_around_the_uri() -> None:
    for secret in ("jbswy3dpehpk3pxp", "JBSW%20Y3DP%20EHPK%203PXP", "JBSWY3DPEHPK3PXP%3D%3D%3D%3D%3D%3D", "JBSWY3DP-EHPK3PXP"):
        assert parse(f"  \n otpauth://totp/x:y?secret={secret}\t ").secret == SECRET


def test_uris_written_by_pyotp_parse_to_the_same_account() -> None:
    secret = SECRET * 2
    for name, issuer in [("a:b c&d@x", "Acme & Co/é"), ("jan+x@y.nl", "Acme"), ("100% #1?", "Q&A: test")]:
        uri = pyotp.TOTP(secret, digits=8, interval=60, digest=hashlib.sha256).provisioning_uri(name=name, issuer_name=issuer)
        otp = parse(uri)
        assert (otp.issuer, otp.account, otp.digits, otp.period, otp.algorithm) == (issuer, name, 8, 60, "SHA256")


PIECES = ["a", "Z", "0", ".", "@", ":", "%", "%3A", "?", "&", "#", "/", " ", "+", "=", ";", ",", '"', "'", "\\"]
PIECES += ["é", "日本", "😀", "<", ">", "~", "*", "%20", "%%", "::", "\t"]


def crafted_names(count: int, seed: int) -> list[str]:
    """Names made of pieces that URIs treat specially, some with an inner colon, percent or space."""
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8))) for _ in range(count)]


def test_to_uri_parses_back_to_the_same_account_for_crafted_names() -> None:
    issuers = ["", *crafted_names(150, 1)]
    accounts = crafted_names(150, 2)
    checked = 0
    for issuer, account in zip(issuers, accounts, strict=False):
        for issuer_variant in (issuer, ""):
            if not account.strip():
                continue
            original = OtpAuth(issuer_variant, account, SECRET, "SHA256", 8, 300)
            uri = original.to_uri()
            assert uri.isascii() and "#" not in uri and " " not in uri, uri
            assert parse(uri) == original, (issuer_variant, account, uri)
            checked += 1
    assert checked > 250


def test_account_is_normalised_when_made() -> None:
    otp = OtpAuth(" Acme ", " bob ", "jbsw y3dp ehpk 3pxp", "sha1")
    assert (otp.issuer, otp.account, otp.secret, otp.algorithm) == ("Acme", "bob", SECRET, "SHA1")
    assert parse(otp.to_uri()) == otp
    with pytest.raises(ValueError, match="no account name"):
        OtpAuth("Acme", "  ", SECRET)
    with pytest.raises(ValueError, match="at least 1 second"):
        OtpAuth("Acme", "bob", SECRET, period=0)
