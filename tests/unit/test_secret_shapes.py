"""Secrets recognised by shape, on links and texts of targets we did not write (and what stays readable)."""

from __future__ import annotations

import random

import pytest

from herstelpad.secret_shapes import link_tokens, looks_like_token, mask_shapes
from herstelpad.secrets import SecretRegistry, learn, marker, mask

# A Keycloak 26 action token as it stands in its reset mail (header and payload base64url, HS512 signature).
KEYCLOAK_KEY = (
    "eyJhbGciOiJIUzUxMiIsInR5cCIgOiAiSldUIiwia2lkIiA6ICI0ZTM0NmRkNi1hYjM0LTQ2NDYtOGI4ZS1iMzQ0ZGQ5ZWNhYjMifQ"
    ".eyJleHAiOjE3MzMxNDk1NzUsImlhdCI6MTczMzE0OTI3NSwianRpIjoiYTFiMmMzZDQiLCJzdWIiOiJ1c2VyIn0"
    ".q3V1c2VjcmV0c2lnbmF0dXJlX3dpdGhfc29tZV9sZW5ndGhfdG9fbG9va19yZWFs"
)
KEYCLOAK_LINK = (
    "http://127.0.0.1:8080/realms/herstelpad-1a2b/login-actions/action-token?key="
    f"{KEYCLOAK_KEY}&client_id=account-console&tab_id=Zk3xQp2LmRw"
)
DJANGO_LINK = "https://shop.example.org/accounts/reset/MQ/c3p5ay-7b1f0e1a2d3c4b5a6f7e8d9c0b1a2f3e/"
ALLAUTH_LINK = "https://app.example.com/accounts/password/reset/key/6-c3p5az-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c/"
AUTH0_LINK = "https://tenant.eu.auth0.com/lo/reset?ticket=Vx9kQ2mN8pL4rT6wY1zA3bC5dE7fG0hJ#"
FIREBASE_LINK = (
    "https://project.firebaseapp.com/__/auth/action?mode=resetPassword&oobCode=Hq8Kz0Lp3XwYt5Uv7RsNm2Bc4Df6Gh9J"
    "&apiKey=AIzaSyA1b2C3d4E5f6G7h8I9j0K&lang=nl"
)
UUID_LINK = "https://portal.example.nl/verify/3f2b8c1e-9a4d-4e7f-b6a1-0c5d2e8f9a7b?lang=nl"
FRAGMENT_LINK = "https://spa.example.com/#/reset/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5?utm_source=mail"


@pytest.mark.parametrize(
    ("link", "secret", "kept"),
    [
        (KEYCLOAK_LINK, KEYCLOAK_KEY, ["/realms/herstelpad-1a2b/login-actions/action-token", "client_id=account-console"]),
        (DJANGO_LINK, "c3p5ay-7b1f0e1a2d3c4b5a6f7e8d9c0b1a2f3e", ["https://shop.example.org/accounts/reset/MQ/"]),
        (ALLAUTH_LINK, "6-c3p5az-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c", ["/accounts/password/reset/key/"]),
        (AUTH0_LINK, "Vx9kQ2mN8pL4rT6wY1zA3bC5dE7fG0hJ", ["https://tenant.eu.auth0.com/lo/reset?ticket="]),
        (FIREBASE_LINK, "Hq8Kz0Lp3XwYt5Uv7RsNm2Bc4Df6Gh9J", ["mode=resetPassword", "lang=nl"]),
        (UUID_LINK, "3f2b8c1e-9a4d-4e7f-b6a1-0c5d2e8f9a7b", ["https://portal.example.nl/verify/", "?lang=nl"]),
        (FRAGMENT_LINK, "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5", ["#/reset/", "utm_source=mail"]),
    ],
    ids=["keycloak", "django", "allauth", "auth0", "firebase", "uuid", "fragment"],
)
def test_an_emailed_link_loses_its_token_and_keeps_its_shape(link: str, secret: str, kept: list[str]) -> None:
    """The link's token is found, masked where it stands, and the host and path shape stay for the reader."""
    registry = SecretRegistry()
    for token in link_tokens(link):
        registry.register(token, "link")
    masked = mask(link, registry)
    assert secret not in masked, masked
    assert marker("link") in masked
    for part in kept:
        assert part in masked, masked


def test_a_percent_encoded_token_is_found_in_both_forms() -> None:
    """A token that stands percent-encoded in the link is registered as it stands and decoded."""
    link = "https://id.example.com/reset?token=Ab3%2BxY9%2Fkq7Lm2Np4Qr6St8Uv0Wx%3D%3D"
    tokens = set(link_tokens(link))
    assert "Ab3+xY9/kq7Lm2Np4Qr6St8Uv0Wx==" in tokens


@pytest.mark.parametrize(
    "url",
    [
        "https://id.example.com/realms/x/account/#state=9f1c2b3a-4d5e&session_state=7a8b9c0d-1e2f&code=6f1e2d3c.4b5a.6978",
        "https://id.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz123abc",
        "https://rp.example.com/cb?access_token=2YotnFZFEjr1zCsicMWpAA&token_type=bearer&id_token=abc.def.ghi",
        "https://login.example.com/auth?redirect_uri=https%3A%2F%2Frp%2Fcb%3Fcode%3DSplxlOBeZQQ%26state%3Dq9w8e7",
        "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=dBjftJeZ4CVPmB92K27uhbUJU1p1r",
        '<a href="/x?session_code=Gh7Jk9Lm&amp;state=Qw2Er4Ty">x</a>',
    ],
    ids=["oidc-fragment", "oauth-code", "implicit", "nested-percent-encoded", "token-request-body", "html-amp"],
)
def test_oauth_and_oidc_parameters_are_masked_in_any_recorded_url(url: str) -> None:
    """code, state, session_state, tokens and verifiers lose their values; their names stay."""
    masked = mask_shapes(url)
    for value in ("9f1c2b3a", "7a8b9c0d", "6f1e2d3c", "SplxlOBeZQQ", "xyz123abc", "2YotnFZFEjr1zCsicMWpAA",
                  "abc.def.ghi", "q9w8e7", "dBjftJeZ4CVPmB92K27uhbUJU1p1r", "Gh7Jk9Lm", "Qw2Er4Ty"):
        assert value not in masked, masked
    assert "«geheim:" in masked
    assert "token_type=bearer" in masked or "token_type" not in url


def test_a_jwt_and_a_token_answer_are_masked_anywhere() -> None:
    """A JWT in a log line and the members of a token answer lose their values."""
    line = f"DEBUG sending action token {KEYCLOAK_KEY} to jan@example.nl"
    assert KEYCLOAK_KEY not in mask_shapes(line) and "jan@example.nl" in mask_shapes(line)
    answer = '{"access_token":"Zx81kq","expires_in":300,"refresh_token":"Yw72jp","token_type":"Bearer","session_state":"5e6f"}'
    masked = mask_shapes(answer)
    assert all(value not in masked for value in ("Zx81kq", "Yw72jp", "5e6f")), masked
    assert '"expires_in":300' in masked and '"token_type":"Bearer"' in masked


@pytest.mark.parametrize(
    "shown",
    ["JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ", "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXQ", "JBSW\u00a0Y3DP\u00a0EHPK\u00a03PXP"],
    ids=["plain", "groups-of-four", "nbsp-groups"],
)
def test_a_totp_key_shown_as_text_is_masked_before_anyone_registered_it(shown: str) -> None:
    """'Can't scan? Type this key': the key is masked by its shape."""
    masked = mask_shapes(f"Voer deze sleutel in: {shown} en druk op OK")
    assert masked == f"Voer deze sleutel in: {marker('TOTP-geheim')} en druk op OK"


def test_a_shown_key_is_masked_whatever_its_letters_happen_to_be() -> None:
    """A random key has no digits or just one now and then (one in a hundred of 32 characters, one in six of 16):
    shown in groups it is masked all the same, and so is nearly every key shown whole."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    chance = random.Random(20261203)
    keys = ["".join(chance.choice(alphabet) for _ in range(length)) for length in [16, 32] * 500]
    keys += ["".join(chance.choice(alphabet[:26]) for _ in range(length)) for length in [16, 32] * 50]  # no digit
    for key in keys:
        for size in (4, 5):
            shown = " ".join(key[i : i + size] for i in range(0, len(key), size))
            assert mask_shapes(f"Type: {shown}.") == f"Type: {marker('TOTP-geheim')}.", shown
    whole = [key for key in keys[:1000] if mask_shapes(key) == key]
    assert len(whole) <= 10, whole[:5]


def test_a_base64url_token_cut_by_its_own_dashes_is_still_a_token() -> None:
    """`secrets.token_urlsafe` puts `-` and `_` in a token; cut there, no run of it may look random on its own
    (CI met one in the foreign target's reset link). Seeded, so the same thousand every run."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    chance = random.Random(20261203)
    for _ in range(1000):
        token = "".join(chance.choice(alphabet) for _ in range(32))
        key = f"6-{chance.getrandbits(32):08x}-{token}"
        assert looks_like_token(key), key
        assert list(link_tokens(f"https://app.example/password/reset/key/{key}/")) == [key]
    assert looks_like_token("6-1f2e3d4c-Xk_9-qLw2_Rt-5pZ_mN-8bVc_Q-2yHs")  # every run shorter than ten


def test_a_registered_totp_key_is_masked_in_lower_case_and_grouped() -> None:
    """The phone's secret, registered once, is masked in every form a page may show it."""
    registry = SecretRegistry()
    registry.register("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ", "TOTP-geheim")
    for shown in ("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxq", "JBSW-Y3DP-EHPK-3PXP-JBSW-Y3DP-EHPK-3PXQ", "jbswy3dpehpk3pxpjbswy3dpehpk3pxq"):
        assert registry.mask(shown) == marker("TOTP-geheim"), shown


def test_learning_masks_a_value_where_its_shape_is_gone() -> None:
    """A session_state seen in a URL is masked in a cookie that holds it without a name."""
    registry = SecretRegistry()
    learn("http://kc/realms/r/account/#session_state=5c2a9e7b-4f1d&code=abc", registry)
    assert "5c2a9e7b-4f1d" not in mask("Cookie: KEYCLOAK_SESSION=r/5c2a9e7b-4f1d", registry)


@pytest.mark.parametrize(
    "text",
    [
        "https://portal.example.nl/accounts/password/reset/",
        "http://127.0.0.1:8080/realms/herstelpad-3862b5cb/account",
        "https://portal.example.nl/reset-password-confirmation/done",
        "https://www.example.com/2026/12/02/welcome-back-2026?page=2&lang=nl&utm_campaign=spring2026",
        "https://www.example.com/api/v1/users/12345/settings#section-2",
        "Bevestig het opnieuw instellen van AFAS Pocket",
        "Scenario: THE QUICK BROWN FOXES JUMP OVER LAZY DOGS",
        "STAP 2: TWEESTAPSVERIFICATIE VOOR ALLE MEDEWERKERS",
        "a monkey=banana and e.key=Enter; width=100%",
    ],
)
def test_ordinary_words_paths_and_short_ids_stay_readable(text: str) -> None:
    """Over-masking hides what a reader needs: no word, short id, number or ordinary path is masked."""
    assert mask_shapes(text) == text
    if text.startswith("https://"):
        assert list(link_tokens(text)) == []


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("reset", False), ("MQ", False), ("account-console", False), ("spring2026", False), ("Zk3xQp2LmRw", False),
        ("Passwords-And-Security", False), ("20261202", False), ("herstelpad-3862b5cb", False),
        ("c3p5ay-7b1f0e1a2d3c4b5a6f7e8d9c", True), ("3f2b8c1e-9a4d-4e7f-b6a1-0c5d2e8f9a7b", True),
        ("0123456789abcdef0123", True), ("Zm9vYmFyYmF6cXV4MTIzNDU2", True), ("839201938475", True),
        (KEYCLOAK_KEY, True),
    ],
)
def test_what_looks_like_a_token(value: str, token: bool) -> None:
    """Random-looking, long enough: a token; words, short ids and dates: not."""
    assert looks_like_token(value) is token
