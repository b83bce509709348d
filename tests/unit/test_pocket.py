"""The virtual phone: TOTP codes and the device API (against a stub server)."""

from __future__ import annotations

import threading
from typing import Any

import pyotp
import pytest
from tests_unit_support import SECRET, URI

from fixtures.portaal.pocket import LoginRequest, Pocket, PocketError, wrong_code
from herstelpad.clock import Clock
from herstelpad.pack import TotpWindow
from herstelpad.secrets import REGISTRY, mask

T0 = 1_700_000_010.0


def phone(url: str = "http://127.0.0.1:9", start: float = T0) -> tuple[Pocket, Clock]:
    """A phone with the afasonline.com account for the portal's window, its clock fixed at `start`."""
    clock = Clock(source=lambda: start)
    pocket = Pocket(url, clock=clock, window=TotpWindow(1, 1))
    pocket.add_account(URI)
    return pocket, clock


def test_code_equals_pyotp_and_never_repeats_a_step() -> None:
    pocket, clock = phone()
    reference = pyotp.TOTP(SECRET)
    assert pocket.code() == reference.at(T0)
    assert pocket.code() == reference.at(T0 + 30)  # same moment: the next step, one step of drift allowed
    pocket.listener = lambda line: clock.advance(30) if "wacht op de volgende code" in line else None
    assert pocket.code() == reference.at(T0 + 60)  # waited (the listener plays the passing time) for step + 1
    pocket.listener = None
    clock.advance(30)  # now T0 + 60: step + 2 was handed out, step + 3 is one ahead
    assert pocket.code() == reference.at(T0 + 90)
    clock.advance(300)
    assert pocket.code() == reference.at(T0 + 360)


def test_codes_are_registered_as_secrets() -> None:
    pocket, _ = phone()
    code = pocket.code()
    assert mask(f"code {code}") != f"code {code}"
    assert all(code not in line and SECRET not in line for line in pocket.log)


def test_accounts_add_delete_and_errors() -> None:
    pocket, _ = phone()
    assert [(a.issuer, a.label) for a in pocket.accounts()] == [("afasonline.com", "jan@voorbeeld.nl")]
    assert pocket.account().label == "jan@voorbeeld.nl"
    with pytest.raises(PocketError, match="geen account 'elders.nl'"):
        pocket.account("elders.nl")
    pocket.add_account(URI.replace("jan%40", "piet%40"))
    with pytest.raises(PocketError, match="meer dan één"):
        pocket.code()
    assert pocket.code(label="piet@voorbeeld.nl")
    assert pocket.delete_account() is True
    assert pocket.delete_account() is False
    assert pocket.accounts() == []


def test_wrong_code_is_valid_in_no_nearby_step() -> None:
    pocket, _ = phone()
    totp = pyotp.TOTP(SECRET)
    bad = wrong_code(pocket)
    assert len(bad) == 6 and bad.isdigit()
    assert bad not in {totp.at(T0 + 30 * k) for k in range(-2, 3)}


class DeviceApi:
    """The device API of a portal, as a stub with a list of pending requests."""

    def __init__(self, stub: Any) -> None:
        self.pending: list[dict[str, str]] = []
        self.changed = threading.Condition()
        self.answered: list[str] = []
        stub.route("POST", "/api/pocket/registreer", self.register)
        stub.route("GET", "/api/pocket/verzoeken", self.requests)
        for request_id in ("r1", "r2"):
            stub.route("POST", f"/api/pocket/verzoeken/{request_id}/goedkeuren", self.answer)
            stub.route("POST", f"/api/pocket/verzoeken/{request_id}/weigeren", self.answer)
        self.codes: list[str] = []

    def register(self, call: Any) -> tuple[int, Any]:
        self.codes.append(call.body["code"])
        if call.body["code"] != pyotp.TOTP(SECRET).at(T0):
            return 401, {"fout": "De code is onjuist."}
        return 201, {"apparaat_id": 7, "token": "apparaat-token-123456"}

    def requests(self, call: Any) -> tuple[int, Any]:
        if call.headers.get("Authorization") != "Bearer apparaat-token-123456":
            return 401, {"fout": "onbekend apparaat"}
        with self.changed:
            self.changed.wait_for(lambda: self.pending, timeout=int(call.query["wacht"][0]))
            return 200, {"verzoeken": list(self.pending)}

    def answer(self, call: Any) -> tuple[int, Any]:
        request_id = call.path.split("/")[-2]
        if request_id in self.answered:
            return 409, {"fout": "niet meer open"}
        self.answered.append(request_id)
        with self.changed:
            self.pending = [p for p in self.pending if p["id"] != request_id]
        return 200, {"status": "ok"}

    def add(self, request_id: str) -> None:
        with self.changed:
            self.pending.append({"id": request_id, "aangemaakt": "nu", "omschrijving": "Inloggen AFAS Online"})
            self.changed.notify_all()


def test_register_push_and_long_poll(stub_server: Any) -> None:
    api = DeviceApi(stub_server)
    pocket, _ = phone(stub_server.url)
    assert pocket.register_push("jan@voorbeeld.nl") == "7"
    assert pocket.registered and REGISTRY.is_secret("apparaat-token-123456")
    threading.Timer(0.2, api.add, args=("r1",)).start()
    request = pocket.wait_for_login_request(timeout=5)
    assert request == LoginRequest("r1", "nu", "Inloggen AFAS Online")
    assert pocket.notifications_shown == [request]
    pocket.approve(request)
    with pytest.raises(PocketError, match="niet meer open"):
        pocket.approve(request)
    assert "AFAS Pocket: inlogverzoek goedgekeurd" in pocket.log


def test_long_poll_times_out_with_a_clear_message(stub_server: Any) -> None:
    DeviceApi(stub_server)
    pocket, _ = phone(stub_server.url)
    pocket.register_push("jan@voorbeeld.nl")
    with pytest.raises(TimeoutError, match="inlogverzoek"):
        pocket.wait_for_login_request(timeout=1)


def test_notifications_off_means_open_the_app(stub_server: Any) -> None:
    api = DeviceApi(stub_server)
    pocket, _ = phone(stub_server.url)
    pocket.register_push("jan@voorbeeld.nl")
    pocket.notifications_enabled = False
    with pytest.raises(PocketError, match="Pushmeldingen staan uit"):
        pocket.wait_for_login_request(timeout=1)
    with pytest.raises(PocketError, match="niet geopend"):
        pocket.pending_request(timeout=1)
    api.add("r2")
    assert [r.id for r in pocket.open_app()] == ["r2"]
    pocket.deny(pocket.pending_request())
    assert pocket.shown_requests == [] and pocket.notifications_shown == []


def test_registration_refused_and_unregistered_phone(stub_server: Any) -> None:
    DeviceApi(stub_server)
    pocket, _ = phone(stub_server.url, start=T0 + 600)
    with pytest.raises(PocketError, match="weigerde de registratie.*401: De code is onjuist"):
        pocket.register_push("jan@voorbeeld.nl")
    with pytest.raises(PocketError, match="niet geregistreerd"):
        pocket.open_app()


def test_reset_forgets_everything(stub_server: Any) -> None:
    DeviceApi(stub_server)
    pocket, _ = phone(stub_server.url)
    pocket.register_push("jan@voorbeeld.nl")
    pocket.reset()
    assert pocket.accounts() == [] and not pocket.registered
    with pytest.raises(PocketError, match="geen account"):
        pocket.code()
