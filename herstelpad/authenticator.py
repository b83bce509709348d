"""A virtual authenticator app on a phone: TOTP accounts added by scanning the screen, codes by RFC 6238."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, Self

from herstelpad.camera import CameraError, read_otpauth_qr
from herstelpad.clock import Clock
from herstelpad.otpauth import OtpAuth
from herstelpad.otpauth import parse as parse_otpauth
from herstelpad.pack import TotpWindow
from herstelpad.secrets import mask, register

TOTP_TIMING_ENV = "HERSTELPAD_TOTP_TIMING"  # a file: `herstelpad bench` has every code() call append its seconds
MIN_VALIDITY = 5.0  # seconds a code must stay in the target's window after it is handed out (typing and sending it)
CLOCK_NUDGE = 0.001  # a moved clock goes this far past the step boundary, so that rounding never lands just before it


class AuthenticatorError(RuntimeError):
    """The virtual phone cannot do what a step asked."""


class Screenshottable(Protocol):
    """Anything a camera can look at: a Playwright Page or Locator."""

    def screenshot(self, **kwargs: Any) -> bytes:
        """A PNG image of what is shown."""
        ...


@dataclass
class Account:
    """One account in the app: what was scanned, and the last time step whose code was handed out."""

    otp: OtpAuth
    last_step: int | None = None

    @property
    def issuer(self) -> str:
        """The issuer, e.g. the service's domain."""
        return self.otp.issuer

    @property
    def label(self) -> str:
        """The account name, e.g. the e-mail address."""
        return self.otp.account


class Authenticator:
    """One phone with an authenticator app: accounts, the camera, and only codes the target accepts, each once.

    `window` is the target's (its pack's `totp_window`: the time steps its check accepts). A code whose step
    was handed out before is never handed out again; when the window holds no later step yet, the phone moves
    the target's clock forward with `move_target_clock(seconds)` (a target with clock control; the phone's own
    clock moves with it) or waits on its clock for the next step (`Clock.wait_until`, noted in the report).
    """

    app_name = "de authenticator-app"
    default_issuer: str | None = None  # the issuer a step means when it names none (None: the only account)

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        listener: Callable[[str], None] | None = None,
        window: TotpWindow | None = None,
        move_target_clock: Callable[[float], None] | None = None,
    ) -> None:
        """A fresh phone: no accounts; codes for a target with this window (default: the current step only)."""
        self.clock: Clock = clock or Clock()
        self.listener = listener
        self.window = window or TotpWindow()
        self.move_target_clock = move_target_clock
        self.log: list[str] = []
        self._accounts: list[Account] = []
        self._lock = threading.RLock()

    def close(self) -> None:
        """Release what the phone holds (nothing here; a pack's app may hold connections)."""

    def _note(self, text: str) -> None:
        """Add a line to the event log (secrets masked)."""
        line = mask(f"{self.app_name}: {text}")
        self.log.append(line)
        if self.listener is not None:
            self.listener(line)

    # -- accounts -------------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        """The accounts the app shows (a copy of the list)."""
        with self._lock:
            return list(self._accounts)

    def _find(self, issuer: str | None, label: str | None) -> list[Account]:
        """Accounts of `issuer` (any when None) and `label` (any when None), compared case-insensitively."""
        return [
            account
            for account in self._accounts
            if (issuer is None or account.issuer.lower() == issuer.lower())
            and (label is None or account.label.lower() == label.lower())
        ]

    def account(self, issuer: str | None = None, label: str | None = None) -> Account:
        """The one account of `issuer` (default: the app's default issuer) and `label`; error when missing or ambiguous."""
        issuer = issuer or self.default_issuer
        with self._lock:
            found = self._find(issuer, label)
            if len(found) == 1:
                return found[0]
            shown = [f"{a.issuer}:{a.label}" for a in self._accounts] or "geen (none)"
            wanted = ":".join(part for part in (issuer, label) if part) or "een account"
            if not found:
                raise AuthenticatorError(f"{self.app_name} heeft geen account {wanted!r}; accounts: {shown}")
            raise AuthenticatorError(
                f"{self.app_name} heeft meer dan één account {wanted!r}; name the label. Accounts: {shown}"
            )

    def add_account(self, uri: str | OtpAuth) -> Account:
        """Add an account ('+'), replacing one with the same issuer and label."""
        otp = uri if isinstance(uri, OtpAuth) else parse_otpauth(uri)
        account = Account(otp)
        with self._lock:
            replaced = self._find(otp.issuer, otp.account)
            self._accounts = [a for a in self._accounts if a not in replaced] + [account]
        self._note(f"account '{otp.issuer}' ({otp.account}) {'vervangen' if replaced else 'toegevoegd'}")
        return account

    def delete_account(self, issuer: str | None = None, label: str | None = None) -> bool:
        """Delete the account(s) of `issuer` (the trash icon); False when there was none."""
        issuer = issuer or self.default_issuer
        with self._lock:
            found = self._find(issuer, label)
            self._accounts = [a for a in self._accounts if a not in found]
        what = issuer or "alle accounts"
        self._note(f"account '{what}' verwijderd" if found else f"geen account '{what}' om te verwijderen")
        return bool(found)

    def scan_image(self, png: bytes) -> Account:
        """Add the account shown as a QR code in a camera picture (PNG); AuthenticatorError when it shows none."""
        try:
            otp = read_otpauth_qr(png)
        except CameraError as exc:
            raise AuthenticatorError(f"{self.app_name}: {exc}") from exc
        self._note("QR-code gescand")
        return self.add_account(otp)

    def scan(self, page_or_locator: Screenshottable) -> Account:
        """Point the camera at the screen (a Playwright Page or Locator) and add the scanned account."""
        return self.scan_image(page_or_locator.screenshot())

    def code(self, issuer: str | None = None, label: str | None = None) -> str:
        """A code of the account that the target accepts now, for a time step never handed out before."""
        started = time.perf_counter()
        code = self._code(issuer, label)
        timing_file = os.environ.get(TOTP_TIMING_ENV)
        if timing_file:  # one short O_APPEND write per call: safe across xdist workers
            with open(timing_file, "a", encoding="ascii") as out:
                out.write(f"{time.perf_counter() - started:.6f}\n")
        return code

    def next_step(self, account: Account, now: float) -> tuple[int, float]:
        """The step whose code to hand out next, and the moment (on the clock) from which the target accepts it."""
        otp, window = account.otp, self.window
        current = otp.step_at(now)
        step = current if account.last_step is None or account.last_step < current else account.last_step + 1
        left_in_step = (current + 1) * otp.period - now
        if step == current and window.behind == 0 and left_in_step < min(MIN_VALIDITY, otp.period / 4):
            step += 1  # the current step ends before its code could reach the target
        return step, (step - window.ahead) * otp.period

    def _code(self, issuer: str | None, label: str | None) -> str:
        """Computes the code; moves the target's clock or waits to the step from which the target takes it."""
        for _ in range(3):  # at most: a wait, and a second look when the clock moved meanwhile
            with self._lock:
                account = self.account(issuer, label)
                now = self.clock()
                step, accepted_from = self.next_step(account, now)
                if accepted_from <= now:
                    account.last_step = step
                    code = account.otp.code_at_step(step)
                    break
            self._await(accepted_from - now, accepted_from)
        else:
            raise AuthenticatorError(
                f"{self.app_name}: de klok bereikte de volgende tijdstap van '{account.issuer}' niet "
                f"(the clock did not reach the next time step; window {self.window})"
            )
        register(code, f"TOTP-code {account.label}")
        self._note(f"{account.otp.digits}-cijferige code van '{account.issuer}' afgelezen")
        return code

    def _await(self, seconds: float, moment: float) -> None:
        """Brings the clock to `moment`: moves the target's clock when it can, else waits on the clock."""
        shown = math.ceil(seconds)
        if self.move_target_clock is not None:
            self._note(f"zet de klok van het doelsysteem {shown} s vooruit naar de volgende code")
            self.move_target_clock(seconds + CLOCK_NUDGE)
            self.clock.advance(seconds + CLOCK_NUDGE)
            return
        self._note(f"wacht op de volgende code ({shown} s)")
        self.clock.wait_until(moment, what="de volgende tijdstap van de authenticator-app")

    def wrong_code(self, issuer: str | None = None) -> str:
        """A well-formed code that the target accepts in no step of its window (nor two steps around now)."""
        found = self._find(issuer or self.default_issuer, None)
        if not found:
            return "000000"
        otp = found[0].otp
        current = otp.step_at(self.clock())
        behind, ahead = max(2, self.window.behind + 1), max(2, self.window.ahead + 1)
        valid = {otp.code_at_step(step) for step in range(current - behind, current + ahead + 1)}
        modulus = 10**otp.digits
        candidate = int(otp.code_at_step(current))
        while f"{candidate:0{otp.digits}d}" in valid:
            candidate = (candidate + 7919) % modulus
        return f"{candidate:0{otp.digits}d}"

    # -- the phone as a whole -------------------------------------------------------------------

    def _copy_state_to(self, twin: Self) -> Self:
        """Gives `twin` copies of this phone's accounts (with their used steps)."""
        with self._lock:
            twin._accounts = [Account(a.otp, a.last_step) for a in self._accounts]
        return twin

    def fresh(self) -> Self:
        """A phone of the same kind with the app freshly installed (override when the app needs more)."""
        return type(self)(
            clock=self.clock, listener=self.listener, window=self.window, move_target_clock=self.move_target_clock
        )

    def clone(self) -> Self:
        """A copy of this phone as it is now (accounts, used steps), to try its codes later."""
        return self._copy_state_to(self.fresh())

    def new_phone(self) -> Self:
        """A new phone with the app freshly installed: no accounts."""
        self._note("vervangen door een nieuwe telefoon")
        return self.fresh()

    def reset(self) -> None:
        """The app was removed: every account is gone."""
        with self._lock:
            self._accounts = []
        self._note("app verwijderd: alle accounts zijn weg")
