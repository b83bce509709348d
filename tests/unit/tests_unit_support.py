"""Shared constants of the unit tests."""

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/afasonline.com:jan%40voorbeeld.nl?secret={SECRET}&issuer=afasonline.com"
