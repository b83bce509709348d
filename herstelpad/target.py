"""Client of the target portal's test-data API (only present when the target runs in test mode)."""

from __future__ import annotations

from typing import Any

import httpx

from herstelpad.otpauth import parse as parse_otpauth
from herstelpad.secrets import register

TARGET_TOKEN_ENV = "HERSTELPAD_TARGET_TOKEN"


class TargetUnavailable(ConnectionError):
    """The target portal cannot be reached."""


class TargetApiError(RuntimeError):
    """The target answered an API call with an unexpected status."""

    def __init__(self, message: str, status: int) -> None:
        """Keep the HTTP status next to the message."""
        super().__init__(message)
        self.status = status


def send(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One HTTP call to the target; a readable TargetUnavailable when it cannot be reached."""
    try:
        return client.request(method, path, **kwargs)
    except httpx.TransportError as exc:
        raise TargetUnavailable(
            f"Het doelportaal is niet bereikbaar op {client.base_url}: {exc}. "
            "Start it with `herstelpad serve` or pass --base-url of a running target."
        ) from exc


def error_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of an answer, empty when it has none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_text(response: httpx.Response) -> str:
    """The `fout` (or raw body) of an error answer, short."""
    body = error_body(response)
    return str(body["fout"]) if "fout" in body else response.text[:200]


class TestDataApi:
    """The target's test-data API: organisations, users, the organisation clock, the login log."""

    __test__ = False  # not a pytest test class

    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        """Call the API of the target at `base_url` with the test token."""
        register(token, "testtoken")
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, headers={"Authorization": f"Bearer {token}"})

    def close(self) -> None:
        """Close HTTP connections."""
        self._http.close()

    def _call(self, method: str, path: str, expect: int, **kwargs: Any) -> dict[str, Any]:
        """Call and return the JSON answer, or raise a clear error."""
        response = send(self._http, method, path, **kwargs)
        if response.status_code == 404 and "fout" not in error_body(response):
            raise TargetApiError(
                f"The target at {self.base_url} answered {method} {path} with 404 ({error_text(response)}): it has "
                f"no test-data API. Start it in test mode with a token (portal --test-token) and check "
                f"{TARGET_TOKEN_ENV}.",
                404,
            )
        if response.status_code != expect:
            raise TargetApiError(
                f"Test-data API {method} {path} → {response.status_code} (expected {expect}): {error_text(response)}",
                response.status_code,
            )
        answer: dict[str, Any] = response.json()
        return answer

    def create_organisation(self, naam: str, deelnemersnummer: str | None = None) -> dict[str, Any]:
        """Create an organisation; returns {"id", "naam", "deelnemersnummer"}."""
        body: dict[str, Any] = {"naam": naam}
        if deelnemersnummer is not None:
            body["deelnemersnummer"] = deelnemersnummer
        return self._call("POST", "/__test__/organisaties", 201, json=body)

    def create_user(
        self,
        organisatie_id: int | str,
        naam: str,
        email: str,
        wachtwoord: str,
        *,
        actief: bool = True,
        pocket: bool = True,
    ) -> dict[str, Any]:
        """Create a user; returns {"id", "email", "otpauth_uri"} (URI None without Pocket), secrets registered."""
        register(wachtwoord, f"wachtwoord {email}")
        body = {
            "organisatie_id": organisatie_id,
            "naam": naam,
            "email": email,
            "wachtwoord": wachtwoord,
            "actief": actief,
            "pocket": pocket,
        }
        user = self._call("POST", "/__test__/gebruikers", 201, json=body)
        if user.get("otpauth_uri"):
            parse_otpauth(user["otpauth_uri"])  # registers the URI and its secret
        return user

    def advance_clock(self, organisation_id: int | str, seconds: float) -> float:
        """Move the organisation's clock forward; returns its total offset in seconds."""
        answer = self._call(
            "POST", "/__test__/klok", 200, json={"organisatie_id": organisation_id, "seconden": seconds}
        )
        return float(answer["offset"])

    def logins(self, organisation_id: int | str) -> list[dict[str, Any]]:
        """The organisation's recorded logins: [{"email", "methode", "collega"}]."""
        answer = self._call("GET", "/__test__/aanmeldingen", 200, params={"organisatie_id": organisation_id})
        return list(answer["aanmeldingen"])
