"""The virtual phone against a real HTTP target that accepts only the current time step, and each step once."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field

import httpx
import pyotp
import pytest
from tests_unit_support import Call, StubServer

from herstelpad.authenticator import Authenticator
from herstelpad.clock import Clock
from herstelpad.otpauth import OtpAuth
from herstelpad.pack import TotpWindow

DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


@dataclass
class StrictTarget:
    """A verifier as pyotp's `verify(valid_window=0)`: the current step only, a used step never again; its clock movable."""

    account: OtpAuth | None = None
    offset: float = 0.0
    used: set[int] = field(default_factory=set)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attach(self, stub: StubServer) -> None:
        """Serves enrolment, verification and the clock on the stub server."""
        stub.route("POST", "/enrol", self.enrol)
        stub.route("POST", "/verify", self.verify)
        stub.route("POST", "/klok", self.move_clock)

    def now(self) -> float:
        """The target's own time."""
        return time.time() + self.offset

    def enrol(self, call: Call) -> tuple[int, object]:
        """Makes a fresh secret with the asked algorithm, digits and period; answers the otpauth URI."""
        body = call.body or {}
        secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
        self.account = OtpAuth("strikt.example", "jan@voorbeeld.nl", secret, body.get("algorithm", "SHA1"),
                               int(body.get("digits", 6)), int(body.get("period", 30)))
        self.used.clear()
        return 201, {"uri": self.account.to_uri()}

    def verify(self, call: Call) -> tuple[int, object]:
        """200 for the code of the current step, not used before; 401 otherwise."""
        account = self.account
        assert account is not None
        totp = pyotp.TOTP(account.secret, digits=account.digits, digest=DIGESTS[account.algorithm],
                          interval=account.period)
        with self.lock:
            now = self.now()
            step = int(now // account.period)
            if not totp.verify(str(call.body["code"]), for_time=now, valid_window=0) or step in self.used:
                self.refused += 1
                return 401, {"detail": "ongeldige code"}
            self.used.add(step)
        return 200, {"ok": True}

    def move_clock(self, call: Call) -> tuple[int, object]:
        """Moves the target's clock forward."""
        self.offset += float(call.body["seconden"])
        return 200, {"offset": self.offset}


@pytest.fixture
def strict(stub_server: StubServer) -> tuple[StrictTarget, httpx.Client]:
    """The strict target on a local HTTP server, and a client of it."""
    target = StrictTarget()
    target.attach(stub_server)
    return target, httpx.Client(base_url=stub_server.url, timeout=10)


def enrol_phone(client: httpx.Client, phone: Authenticator, **account: object) -> None:
    """Enrols an account at the target and adds it to the phone (as a scan of its QR code would)."""
    response = client.post("/enrol", json=account)
    assert response.status_code == 201
    phone.add_account(response.json()["uri"])


def test_enrol_then_log_in_twice_in_one_step_waits_for_the_next_code(strict: tuple[StrictTarget, httpx.Client]) -> None:
    target, client = strict
    lines: list[str] = []
    phone = Authenticator(clock=Clock(), listener=lines.append)  # default window: the current step only
    enrol_phone(client, phone, period=2)
    for attempt in range(3):  # confirming the enrolment, then two logins straight after it
        response = client.post("/verify", json={"code": phone.code()})
        assert response.status_code == 200, f"attempt {attempt + 1}: the strict target refused the phone's code"
    assert target.refused == 0
    assert len(target.used) == 3
    assert any("wacht op de volgende code (" in line for line in lines), lines


def test_a_target_with_clock_control_gets_its_clock_moved_instead(strict: tuple[StrictTarget, httpx.Client]) -> None:
    target, client = strict
    lines: list[str] = []
    clock = Clock()

    def move_target_clock(seconds: float) -> None:
        assert client.post("/klok", json={"seconden": seconds}).status_code == 200

    phone = Authenticator(clock=clock, listener=lines.append, window=TotpWindow(0, 0),
                          move_target_clock=move_target_clock)
    enrol_phone(client, phone, algorithm="SHA256", digits=8, period=60)
    assert client.post("/verify", json={"code": phone.code()}).status_code == 200
    second = phone.code()
    assert len(second) == 8
    assert client.post("/verify", json={"code": second}).status_code == 200
    assert 0 < target.offset <= 60 and clock.offset == target.offset
    assert not any("wacht op" in line for line in lines)
    assert any("klok van het doelsysteem" in line for line in lines), lines
