"""The phone hands out only codes its target's TOTP window accepts: it waits on the clock or moves the target's."""

from __future__ import annotations

import hashlib
import threading
import time

import pyotp
import pytest
from tests_unit_support import SECRET, URI

import herstelpad.clock
from herstelpad.authenticator import MIN_VALIDITY, Authenticator
from herstelpad.clock import Clock
from herstelpad.otpauth import OtpAuth
from herstelpad.pack import TotpWindow
from herstelpad.waiting import WaitTimeout

STEP_START = 1_700_000_010.0  # a multiple of 30 (and of 60 minus 30)


class PassingTime:
    """A listener that plays time passing: when the phone says it waits, the clock reaches the moment."""

    def __init__(self, clock: Clock, seconds: float) -> None:
        """Moves `clock` by `seconds` whenever the phone notes a wait."""
        self.clock = clock
        self.seconds = seconds
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        """Notes the line; a wait makes the time pass."""
        self.lines.append(line)
        if "wacht op de volgende code" in line:
            self.clock.advance(self.seconds)


def phone_at(moment: float, window: TotpWindow, passing: float = 30.0, uri: str | OtpAuth = URI) -> tuple[Authenticator, Clock, PassingTime]:
    """A phone with one account, its clock standing at `moment`, for a target with `window`."""
    clock = Clock(source=lambda: moment)
    listener = PassingTime(clock, passing)
    phone = Authenticator(clock=clock, listener=listener, window=window)
    phone.add_account(uri)
    return phone, clock, listener


def waits(listener: PassingTime) -> list[str]:
    """The waits the phone noted."""
    return [line for line in listener.lines if "wacht op de volgende code" in line]


def test_strict_window_waits_for_the_next_step_and_says_how_long() -> None:
    phone, clock, listener = phone_at(STEP_START + 10, TotpWindow(0, 0), passing=20)
    reference = pyotp.TOTP(SECRET)
    assert phone.code() == reference.at(STEP_START)
    assert not waits(listener)
    assert phone.code() == reference.at(STEP_START + 30)
    assert waits(listener) == ["de authenticator-app: wacht op de volgende code (20 s)"]
    assert clock() == STEP_START + 30


def test_window_one_ahead_takes_the_next_step_without_waiting_then_waits() -> None:
    phone, _, listener = phone_at(STEP_START + 1, TotpWindow(1, 1), passing=29)
    reference = pyotp.TOTP(SECRET)
    assert [phone.code(), phone.code()] == [reference.at(STEP_START), reference.at(STEP_START + 30)]
    assert not waits(listener)
    assert phone.code() == reference.at(STEP_START + 60)  # step + 2 is taken once step + 1 has begun
    assert len(waits(listener)) == 1


def test_strict_window_never_hands_out_a_code_that_expires_on_the_way() -> None:
    late = STEP_START + 30 - (MIN_VALIDITY - 1)
    phone, _, listener = phone_at(late, TotpWindow(0, 0), passing=MIN_VALIDITY)
    assert phone.code() == pyotp.TOTP(SECRET).at(STEP_START + 30)
    assert len(waits(listener)) == 1
    tolerant, _, tolerant_listener = phone_at(late, TotpWindow(1, 0))  # a step behind: the late code still counts
    assert tolerant.code() == pyotp.TOTP(SECRET).at(STEP_START)
    assert not waits(tolerant_listener)


def test_other_algorithms_digits_and_periods_work_the_same() -> None:
    account = OtpAuth("voorbeeld.nl", "jan@voorbeeld.nl", SECRET, "SHA256", 8, 60)
    start = 1_700_000_040.0  # a multiple of 60
    phone, clock, listener = phone_at(start + 5, TotpWindow(0, 0), passing=55, uri=account)
    reference = pyotp.TOTP(SECRET, digits=8, digest=hashlib.sha256, interval=60)
    first, second = phone.code(), phone.code()
    assert (first, second) == (reference.at(start), reference.at(start + 60))
    assert waits(listener) == ["de authenticator-app: wacht op de volgende code (55 s)"]
    assert clock() == start + 60


def test_target_clock_control_moves_both_clocks_instead_of_waiting() -> None:
    clock = Clock(source=lambda: STEP_START + 12)
    moved: list[float] = []
    lines: list[str] = []
    phone = Authenticator(clock=clock, listener=lines.append, window=TotpWindow(0, 0), move_target_clock=moved.append)
    phone.add_account(URI)
    phone.code()
    assert phone.code() == pyotp.TOTP(SECRET).at(STEP_START + 30)
    assert len(moved) == 1 and 18 <= moved[0] < 18.01 and clock.offset == moved[0]
    assert "de authenticator-app: zet de klok van het doelsysteem 18 s vooruit naar de volgende code" in lines
    assert not any("wacht op" in line for line in lines)


def test_a_new_phone_and_a_copy_keep_the_targets_window() -> None:
    moved: list[float] = []
    phone = Authenticator(window=TotpWindow(2, 0), move_target_clock=moved.append)
    for twin in (phone.new_phone(), phone.clone()):
        assert twin.window == TotpWindow(2, 0) and twin.move_target_clock is phone.move_target_clock


def test_wrong_code_is_outside_a_wide_window() -> None:
    phone, _, _ = phone_at(STEP_START, TotpWindow(4, 3))
    bad = phone.wrong_code()
    totp = pyotp.TOTP(SECRET)
    assert bad not in {totp.at(STEP_START + 30 * k) for k in range(-5, 5)}


def test_clock_wait_until_waits_for_the_moment_and_ends_when_moved() -> None:
    clock = Clock()
    waited = clock.wait_until(clock() + 0.2)
    assert 0.15 <= waited < 2
    mover = threading.Timer(0.1, clock.advance, args=(3600,))
    mover.start()
    started = time.monotonic()
    clock.wait_until(clock() + 1800)  # an hour's wait, ended by the clock being moved forward
    assert time.monotonic() - started < 5
    mover.join()


def test_clock_wait_until_a_stuck_clock_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(herstelpad.clock, "WAIT_GRACE", 0.2)
    clock = Clock(source=lambda: 1000.0)
    with pytest.raises(WaitTimeout, match="Gewacht op de volgende stap: de klok bereikte het tijdstip niet"):
        clock.wait_until(1000.1, what="de volgende stap")
