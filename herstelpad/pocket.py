"""The virtual phone with AFAS Pocket: TOTP accounts, QR scanning by camera, push login requests."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from herstelpad.camera import CameraError, decode_qr_codes, read_otpauth_qr  # noqa: F401  (decode_qr_codes: still importable from here)
from herstelpad.otpauth import OtpAuth
from herstelpad.otpauth import parse as parse_otpauth
from herstelpad.secrets import mask, register
from herstelpad.target import error_text, send
from herstelpad.waiting import Deadline, poll_until

DEFAULT_ISSUER = "afasonline.com"
LONG_POLL_MAX = 25
APP = "AFAS Pocket"
TOTP_TIMING_ENV = "HERSTELPAD_TOTP_TIMING"  # a file: `herstelpad bench` has every code() call append its seconds


class PocketError(RuntimeError):
    """The virtual phone cannot do what a step asked."""


class Screenshottable(Protocol):
    """Anything a camera can look at: a Playwright Page or Locator."""

    def screenshot(self, **kwargs: Any) -> bytes:
        """A PNG image of what is shown."""
        ...


class OffsetClock:
    """The phone's clock: real time plus an offset that a scenario can move forward."""

    def __init__(self, offset: float = 0.0, source: Callable[[], float] = time.time) -> None:
        """Start at `source()` + `offset` seconds."""
        self.offset = offset
        self._source = source

    def __call__(self) -> float:
        """Current Unix time of the phone."""
        return self._source() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.offset += seconds


@dataclass
class PocketAccount:
    """One account in the app: what was scanned, and the last time step whose code was handed out."""

    otp: OtpAuth
    last_step: int | None = None

    @property
    def issuer(self) -> str:
        """The issuer, e.g. 'afasonline.com'."""
        return self.otp.issuer

    @property
    def label(self) -> str:
        """The account name, e.g. the e-mail address."""
        return self.otp.account


@dataclass(frozen=True)
class LoginRequest:
    """A pending login request shown by the app."""

    id: str
    aangemaakt: str = ""
    omschrijving: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoginRequest:
        """Build from one item of the device API's `verzoeken`."""
        known = {"id", "aangemaakt", "omschrijving"}
        return cls(
            id=str(data["id"]),
            aangemaakt=str(data.get("aangemaakt", "")),
            omschrijving=str(data.get("omschrijving", "")),
            extra={key: value for key, value in data.items() if key not in known},
        )


class Pocket:
    """One phone with AFAS Pocket installed, talking to the target's device API."""

    def __init__(
        self,
        device_api_base_url: str,
        *,
        clock: Callable[[], float] | None = None,
        naam: str = "Virtuele telefoon (herstelpad)",
        timeout: float = 10.0,
        listener: Callable[[str], None] | None = None,
    ) -> None:
        """A fresh phone: no accounts, not registered for push, notifications on."""
        self.base_url = device_api_base_url.rstrip("/")
        self.timeout = timeout
        self.listener = listener
        self._register_after_scan: str | None = None
        self.clock: Callable[[], float] = clock or time.time
        self.naam = naam
        self.notifications_enabled = True
        self.log: list[str] = []
        self.shown_requests: list[LoginRequest] = []
        self.notifications_shown: list[LoginRequest] = []
        self._accounts: list[PocketAccount] = []
        self._token: str | None = None
        self._lock = threading.RLock()
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def close(self) -> None:
        """Close HTTP connections."""
        self._http.close()

    def _note(self, text: str) -> None:
        """Add a line to the event log (secrets masked)."""
        line = mask(f"{APP}: {text}")
        self.log.append(line)
        if self.listener is not None:
            self.listener(line)

    @property
    def registered(self) -> bool:
        """Whether the phone is registered with the portal for login requests."""
        return self._token is not None

    # -- accounts -------------------------------------------------------------------------------

    def accounts(self) -> list[PocketAccount]:
        """The accounts the app shows (a copy of the list)."""
        with self._lock:
            return list(self._accounts)

    def _find(self, issuer: str, label: str | None) -> list[PocketAccount]:
        """Accounts of `issuer` (and `label`, when given), compared case-insensitively."""
        return [
            account
            for account in self._accounts
            if account.issuer.lower() == issuer.lower() and (label is None or account.label.lower() == label.lower())
        ]

    def account(self, issuer: str = DEFAULT_ISSUER, label: str | None = None) -> PocketAccount:
        """The one account of `issuer` (and `label`); PocketError when missing or ambiguous."""
        with self._lock:
            found = self._find(issuer, label)
            if len(found) == 1:
                return found[0]
            shown = [f"{a.issuer}:{a.label}" for a in self._accounts] or "geen (none)"
            wanted = f"{issuer}:{label}" if label else issuer
            if not found:
                raise PocketError(f"{APP} heeft geen account {wanted!r}; accounts: {shown}")
            raise PocketError(f"{APP} heeft meer dan één account {wanted!r}; name the label. Accounts: {shown}")

    def add_account(self, uri: str | OtpAuth) -> PocketAccount:
        """Add an account ('+'), replacing one with the same issuer and label."""
        otp = uri if isinstance(uri, OtpAuth) else parse_otpauth(uri)
        account = PocketAccount(otp)
        with self._lock:
            replaced = self._find(otp.issuer, otp.account)
            self._accounts = [a for a in self._accounts if a not in replaced] + [account]
        self._note(f"account '{otp.issuer}' ({otp.account}) {'vervangen' if replaced else 'toegevoegd'}")
        return account

    def delete_account(self, issuer: str = DEFAULT_ISSUER, label: str | None = None) -> bool:
        """Delete the account(s) of `issuer` (the trash icon); False when there was none."""
        with self._lock:
            found = self._find(issuer, label)
            self._accounts = [a for a in self._accounts if a not in found]
        self._note(f"account '{issuer}' verwijderd" if found else f"geen account '{issuer}' om te verwijderen")
        return bool(found)

    def scan_image(self, png: bytes) -> PocketAccount:
        """Add the account shown as a QR code in a camera picture (PNG); PocketError when it shows none."""
        try:
            otp = read_otpauth_qr(png)
        except CameraError as exc:
            raise PocketError(f"{APP}: {exc}") from exc
        self._note("QR-code gescand")
        account = self.add_account(otp)
        self._register_after_scan = otp.account  # the app signs up for push once the link is confirmed
        return account

    def scan(self, page_or_locator: Screenshottable) -> PocketAccount:
        """Point the camera at the screen (a Playwright Page or Locator) and add the scanned account."""
        return self.scan_image(page_or_locator.screenshot())

    def code(self, issuer: str = DEFAULT_ISSUER, label: str | None = None) -> str:
        """The current code of an account, never for a time step handed out before (at most one step ahead)."""
        started = time.perf_counter()
        code = self._code(issuer, label)
        timing_file = os.environ.get(TOTP_TIMING_ENV)
        if timing_file:  # one short O_APPEND write per call: safe across xdist workers
            with open(timing_file, "a", encoding="ascii") as out:
                out.write(f"{time.perf_counter() - started:.6f}\n")
        return code

    def _code(self, issuer: str, label: str | None) -> str:
        """Computes the code; it never waits for a TOTP window (it takes the next step, or refuses)."""
        with self._lock:
            account = self.account(issuer, label)
            current = int(self.clock() // account.otp.period)
            step = current if account.last_step is None or account.last_step < current else account.last_step + 1
            if step > current + 1:
                raise PocketError(
                    f"{APP} gaf de codes van tijdstap {current} en {current + 1} van '{account.issuer}' al; het "
                    "portaal neemt een code maar één keer aan en hoogstens één stap vooruit. Move the clock "
                    "forward (OffsetClock.advance together with TestDataApi.advance_clock) instead of waiting."
                )
            account.last_step = step
            code = account.otp.code_at_step(step)
        register(code, f"TOTP-code {account.label}")
        self._note(f"6-cijferige code van '{account.issuer}' afgelezen")
        return code

    # -- push login requests --------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        """The device's Authorization header; PocketError when not registered."""
        if self._token is None:
            raise PocketError(
                f"{APP} is niet geregistreerd voor inlogverzoeken (not registered for push): call register_push first"
            )
        return {"Authorization": f"Bearer {self._token}"}

    def register_push(self, email: str) -> str:
        """Register this phone for the login requests of `email`, proving it with a fresh code; the device id."""
        labelled = self._find(DEFAULT_ISSUER, email)
        code = self.code(DEFAULT_ISSUER, email if labelled else None)
        response = send(
            self._http, "POST", "/api/pocket/registreer", json={"email": email, "code": code, "naam": self.naam}
        )
        if response.status_code != 201:
            raise PocketError(
                f"Het portaal weigerde de registratie van {APP} voor {email} "
                f"({response.status_code}: {error_text(response)})"
            )
        answer = response.json()
        self._token = register(str(answer["token"]), "apparaattoken")
        self._note(f"geregistreerd voor inlogverzoeken van {email}")
        return str(answer["apparaat_id"])

    def _fetch_requests(self, wacht: int) -> list[LoginRequest]:
        """The pending login requests, waiting up to `wacht` seconds on the server for one."""
        response = send(
            self._http,
            "GET",
            "/api/pocket/verzoeken",
            params={"wacht": wacht},
            headers=self._auth(),
            timeout=wacht + 10,
        )
        if response.status_code == 401:
            raise PocketError(
                f"Het portaal kent dit apparaat niet (meer) (401): {APP} was unlinked, e.g. by re-linking; "
                "register again with register_push"
            )
        if response.status_code != 200:
            raise PocketError(f"Inlogverzoeken ophalen mislukt ({response.status_code}: {error_text(response)})")
        return [LoginRequest.from_json(item) for item in response.json().get("verzoeken", [])]

    def wait_for_login_request(self, timeout: float = 10.0) -> LoginRequest:
        """The push notification: long-poll until a login request is pending (notifications must be on)."""
        if not self.notifications_enabled:
            raise PocketError(
                f"Pushmeldingen staan uit op deze telefoon: {APP} krijgt geen melding. "
                "Open the app (open_app) to fetch the login request."
            )
        self._auth()
        deadline = Deadline(timeout)

        def one_long_poll() -> LoginRequest | None:
            """Ask once, letting the server hold the answer until a request is pending."""
            pending = self._fetch_requests(min(LONG_POLL_MAX, int(deadline.remaining())))
            return pending[0] if pending else None

        request = poll_until(
            one_long_poll,
            timeout=timeout,
            interval=0.05,
            what=f"een inlogverzoek (pushmelding) op {APP}",
            describe=lambda: "geen openstaand inlogverzoek voor dit apparaat; log: " + "; ".join(self.log[-5:]),
        )
        self.notifications_shown.append(request)
        self._note(f"pushmelding ontvangen: {request.omschrijving or 'inlogverzoek'}")
        return request

    def _ensure_registered(self) -> None:
        """After a scan the app registers for push the first time it needs to (the link is confirmed by then)."""
        if self._register_after_scan:  # a new link makes the portal forget the earlier registration
            email, self._register_after_scan = self._register_after_scan, None
            self.register_push(email)

    def open_app(self) -> list[LoginRequest]:
        """Open the app: it fetches the pending login requests once (works with notifications off)."""
        self._ensure_registered()
        self.shown_requests = self._fetch_requests(0)
        self._note(f"app geopend, {len(self.shown_requests)} inlogverzoek(en) opgehaald")
        return list(self.shown_requests)

    def pending_request(self, timeout: float = 10.0) -> LoginRequest:
        """The login request the phone shows: one the opened app fetched, else the push notification."""
        if self.shown_requests:
            return self.shown_requests[0]
        self._ensure_registered()
        if not self.notifications_enabled:
            raise PocketError(
                f"Pushmeldingen staan uit en {APP} is niet geopend: de telefoon toont geen inlogverzoek "
                "(open the app first: open_app)."
            )
        return self.wait_for_login_request(timeout)

    def _answer(self, request: LoginRequest, action: str, done: str) -> None:
        """Approve or deny a login request."""
        response = send(self._http, "POST", f"/api/pocket/verzoeken/{request.id}/{action}", headers=self._auth())
        if response.status_code != 200:
            reason = {404: "niet van deze gebruiker", 409: "niet meer open"}.get(response.status_code, "fout")
            raise PocketError(
                f"Inlogverzoek {request.id} {action} mislukt: {reason} ({response.status_code}: {error_text(response)})"
            )
        self.shown_requests = [shown for shown in self.shown_requests if shown.id != request.id]
        self._note(f"inlogverzoek {done}")

    def approve(self, request: LoginRequest) -> None:
        """Approve a login request."""
        self._answer(request, "goedkeuren", "goedgekeurd")

    def deny(self, request: LoginRequest) -> None:
        """Deny a login request."""
        self._answer(request, "weigeren", "geweigerd")

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> list[LoginRequest]:
        """Opens the app until it shows at least `count` pending login requests, oldest first."""
        self._ensure_registered()

        def enough() -> list[LoginRequest] | None:
            """The pending requests, once there are enough of them."""
            found = self._fetch_requests(0)
            return found if len(found) >= count else None

        requests = poll_until(
            enough,
            timeout=timeout,
            interval=0.1,
            what=f"{count} openstaande inlogverzoeken in {APP}",
            describe=lambda: f"{len(self._fetch_requests(0))} openstaand",
        )
        self.shown_requests = list(requests)
        self._note(f"app toont {len(requests)} inlogverzoeken")
        return list(requests)

    def portal_knows_device(self) -> bool:
        """Asks the portal whether this phone's push registration is still valid."""
        try:
            self._fetch_requests(0)
        except PocketError as exc:
            if "401" in str(exc):
                return False
            raise
        return True

    def forget_push_registration(self) -> None:
        """The phone lost its push registration: no login request reaches it until it is linked again."""
        self._token = None
        self._register_after_scan = None
        self._note("ontvangt geen inlogverzoeken meer (registratie kwijt)")

    def clone(self) -> Pocket:
        """A copy of this phone as it is now (accounts, used steps, registration), to try later."""
        twin = Pocket(self.base_url, clock=self.clock, naam=self.naam, timeout=self.timeout)
        with self._lock:
            twin._accounts = [PocketAccount(a.otp, a.last_step) for a in self._accounts]
            twin._token = self._token
        return twin

    def new_phone(self) -> Pocket:
        """A new phone with AFAS Pocket freshly installed: no accounts, not registered."""
        self._note("vervangen door een nieuwe telefoon")
        return Pocket(self.base_url, clock=self.clock, naam=self.naam, timeout=self.timeout, listener=self.listener)

    def reset(self) -> None:
        """The app was removed: every account and the push registration are gone."""
        with self._lock:
            self._accounts = []
            self._token = None
            self._register_after_scan = None
            self.shown_requests = []
        self._note("app verwijderd: alle accounts en de registratie zijn weg")


def wrong_code(pocket: Pocket, issuer: str = DEFAULT_ISSUER) -> str:
    """A well-formed code that the portal accepts in no time step around now (nor two steps away)."""
    found = pocket._find(issuer, None)
    if not found:
        return "000000"
    otp = found[0].otp
    current = int(pocket.clock() // otp.period)
    valid = {otp.code_at_step(step) for step in range(current - 2, current + 3)}
    modulus = 10**otp.digits
    candidate = int(otp.code_at_step(current))
    while f"{candidate:0{otp.digits}d}" in valid:
        candidate = (candidate + 7919) % modulus
    return f"{candidate:0{otp.digits}d}"
