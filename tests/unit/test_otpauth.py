"""Parsing and writing otpauth URIs."""

from __future__ import annotations

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
        (f"otpauth://totp/a:y?secret={SECRET}&issuer=b", "differs"),
        (f"otpauth://totp/x:y?secret={SECRET}&algorithm=MD5", "unsupported algorithm"),
        (f"otpauth://totp/x:y?secret={SECRET}&digits=zes", "not a whole number"),
        (f"otpauth://totp/x:y?secret={SECRET}&digits=4", "outside"),
        (f"otpauth://totp/x:y?secret={SECRET}&period=0", "outside"),
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
