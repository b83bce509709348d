"""A virtual authenticator app on a phone: TOTP accounts added by scanning the screen, codes by RFC 6238."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, Self

from herstelpad.camera import CameraError, read_otpauth_qr
from herstelpad.clock import Clock
from herstelpad.otpauth import OtpAuth
from herstelpad.otpauth import parse as parse_otpauth
from herstelpad.secrets import mask, register

TOTP_TIMING_ENV = "HERSTELPAD_TOTP_TIMING"  # a file: `herstelpad bench` has every code() call append its seconds


class AuthenticatorError(RuntimeError):
    """The virtual phone cannot do what a step asked."""


class Screenshottable(Protocol):
    """Anything a camera can look at: a Playwright Page or Locator."""

    def screenshot(self) -> bytes:
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
    """One phone with an authenticator app: accounts, the camera, and codes that are never handed out twice."""

    app_name = "de authenticator-app"
    default_issuer: str | None = None  # the issuer a step means when it names none (None: the only account)

    def __init__(self, *, clock: Callable[[], float] | None = None, listener: Callable[[str], None] | None = None) -> None:
        """A fresh phone: no accounts."""
        self.clock: Callable[[], float] = clock or Clock()
        self.listener = listener
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
        """The current code of an account, never for a time step handed out before (at most one step ahead)."""
        started = time.perf_counter()
        code = self._code(issuer, label)
        timing_file = os.environ.get(TOTP_TIMING_ENV)
        if timing_file:  # one short O_APPEND write per call: safe across xdist workers
            with open(timing_file, "a", encoding="ascii") as out:
                out.write(f"{time.perf_counter() - started:.6f}\n")
        return code

    def _code(self, issuer: str | None, label: str | None) -> str:
        """Computes the code; it never waits for a TOTP window (it takes the next step, or refuses)."""
        with self._lock:
            account = self.account(issuer, label)
            current = int(self.clock() // account.otp.period)
            step = current if account.last_step is None or account.last_step < current else account.last_step + 1
            if step > current + 1:
                raise AuthenticatorError(
                    f"{self.app_name} gaf de codes van tijdstap {current} en {current + 1} van '{account.issuer}' al; "
                    "een server neemt een code maar één keer aan en hoogstens één stap vooruit. Move the clock "
                    "forward (Clock.advance together with the target's clock) instead of waiting."
                )
            account.last_step = step
            code = account.otp.code_at_step(step)
        register(code, f"TOTP-code {account.label}")
        self._note(f"{account.otp.digits}-cijferige code van '{account.issuer}' afgelezen")
        return code

    def wrong_code(self, issuer: str | None = None) -> str:
        """A well-formed code that a server accepts in no time step around now (nor two steps away)."""
        found = self._find(issuer or self.default_issuer, None)
        if not found:
            return "000000"
        otp = found[0].otp
        current = int(self.clock() // otp.period)
        valid = {otp.code_at_step(step) for step in range(current - 2, current + 3)}
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
        return type(self)(clock=self.clock, listener=self.listener)

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
