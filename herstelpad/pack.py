"""The target-pack interface: what one system under test tells the target-neutral core.

A pack is a `TargetPack` subclass that a conftest names through the `target_pack` fixture
(or that a package registers under the `herstelpad.packs` entry point group). The core asks it
to start (or connect to) its target once per test session and reads from it what to mask on its
screens, how to read a code from its e-mails, its help article and the capabilities it offers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from herstelpad.mail import DEFAULT_CODE
from herstelpad.secrets import mask_file

if TYPE_CHECKING:
    from herstelpad.services import MailpitEndpoints, Process
    from herstelpad.settings import Settings

# Capabilities a target may offer. A scenario tagged `@vereist-<capability>` runs only on a target
# that offers it; elsewhere it is skipped with the reason in the report (never failed, never dropped).
CLOCK = "klok"  # the target's clock can be moved forward (expiry of codes, throttles)
PUSH = "push"  # the target sends push login requests to a phone app
SMTP_FAULTS = "smtp-storing"  # the target can be started against a scenario's own Mailpit whose SMTP refuses mail
PROVISIONING = "testdata"  # people and organisations can be created through an API
CAPABILITIES: Mapping[str, str] = {
    CLOCK: "de klok van het doelsysteem vooruitzetten",
    PUSH: "pushmeldingen naar een telefoon-app",
    SMTP_FAULTS: "een eigen mailserver die e-mail weigert",
    PROVISIONING: "mensen aanmaken via een test-API",
}
REQUIREMENT_PREFIX = "vereist-"

# What every pack's screenshots mask: typed passwords and one-time codes (HTML's own markers for them, and the
# usual names of OTP fields), and pictures that call themselves a QR code (alt text, id, class, source or a
# container so named: <img>, <svg>, <canvas>, <object>), where an authenticator's secret stands. Besides these
# selectors every screenshot paints over what herstelpad.screen_masks finds by content: an element whose text or
# typed value is a known secret or has a secret's shape (a TOTP key grouped in fours), an SVG drawn like a QR
# code, a square canvas, and any QR code with an otpauth URI still visible in the picture.
DEFAULT_MASKS: tuple[str, ...] = (
    "input[type=password]",
    "input[autocomplete='one-time-code']",
    "input[name*='otp' i]",
    "input[id*='otp' i]",
    "img[alt*='qr' i]",
    "img[id*='qr' i]",
    "img[class*='qr' i]",
    "img[src*='qr' i]",
    "svg[id*='qr' i]",
    "svg[class*='qr' i]",
    "svg[aria-label*='qr' i]",
    "canvas[id*='qr' i]",
    "canvas[class*='qr' i]",
    "object[data*='qr' i]",
    "[id*='qr' i] :is(img, svg, canvas)",
    "[class*='qr' i] :is(img, svg, canvas)",
)


@dataclass(frozen=True)
class TotpWindow:
    """The time steps around now that a target's TOTP check accepts (RFC 6238 section 5.2): steps behind and ahead."""

    behind: int = 0
    ahead: int = 0


class PackError(RuntimeError):
    """A pack cannot start its target or is wrongly declared; the message says which and how to fix it."""


@dataclass
class RunningTarget:
    """A target as the scenarios reach it: its browser URL and whatever the pack needs to talk to it."""

    url: str
    details: dict[str, Any] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    ready_seconds: float = 0.0

    def stop(self, keep_logs: bool) -> None:
        """Stops what the pack started for this target; keeps the logs only when asked, masked (secrets.mask)."""
        for process in self.processes:
            process.stop()
            if keep_logs:
                mask_file(process.log_path)
            else:
                process.log_path.unlink(missing_ok=True)


@dataclass(frozen=True)
class StartContext:
    """What a pack gets to start its target: the settings, the Mailpit to send mail to, a log folder."""

    settings: Settings
    mailpit: MailpitEndpoints
    log_dir: Path
    private: bool = False  # True for a scenario's own target (its own Mailpit): never an external one


class TargetPack:
    """One target: subclass it, set the class attributes, implement `start`."""

    name: str = ""  # short, for file names and the report: "referentieportaal", "keycloak"
    title: str = ""  # for readers: the product's name as its users know it
    introduction: str = ""  # for readers: what the report's first paragraph says about this app (Dutch)
    capabilities: frozenset[str] = frozenset()
    mask_selectors: tuple[str, ...] = ()  # CSS selectors painted over in every screenshot, besides DEFAULT_MASKS
    email_code: re.Pattern[str] = DEFAULT_CODE  # where a code stands in its e-mails; group 1 is the code
    # Only the target's own mail is used: the addresses it sends from (RFC 5322 addr-spec, case-insensitive;
    # shell-style wildcards, "*@example.org" for a whole domain), optionally its subjects (exact texts or patterns), and the origins
    # (scheme://host[:port]) its e-mailed links may point at besides the running target's own.
    senders: tuple[str, ...] = ()
    subjects: tuple[str | re.Pattern[str], ...] = ()
    origins: tuple[str, ...] = ()
    totp_window: TotpWindow = TotpWindow()  # the time steps its TOTP check accepts; default the current one only
    article_module: str | None = None  # importable module with the help article for the report's Handleiding
    content_selector: str | None = None  # the element screenshots are cropped to (its text readable in a thumbnail)

    def start(self, context: StartContext) -> RunningTarget:
        """Starts the target (or connects to the configured one) and returns where it is."""
        raise NotImplementedError(f"{type(self).__name__}.start")

    def demo(self, target: RunningTarget, mailpit_url: str) -> str:
        """What `herstelpad serve` tells a person exploring the target by hand (override to add demo people)."""
        return f"Target: {target.url}\nMailpit: {mailpit_url}"

    def masks(self) -> tuple[str, ...]:
        """Every CSS selector to paint over in this target's screenshots."""
        return DEFAULT_MASKS + tuple(self.mask_selectors)

    def offers(self, settings: Settings) -> frozenset[str]:
        """The capabilities offered with these settings (a pack may offer less against an external target)."""
        return self.capabilities

    def missing(self, required: set[str], settings: Settings) -> list[str]:
        """The required capabilities this target does not offer with these settings, sorted."""
        return sorted(required - set(self.offers(settings)))

    def skip_reason(self, missing: list[str]) -> str:
        """Why a scenario does not run on this target, in the reader's words."""
        names = ", ".join(f"{CAPABILITIES.get(cap, cap)} (@{REQUIREMENT_PREFIX}{cap})" for cap in missing)
        return f"{self.title or self.name} biedt niet: {names}"

    def __repr__(self) -> str:
        """The pack's name."""
        return f"<target pack {self.name}>"


def required_capabilities(marker_names: set[str]) -> set[str]:
    """The capabilities a scenario's tags ask for (`@vereist-klok` → `klok`)."""
    return {name.removeprefix(REQUIREMENT_PREFIX) for name in marker_names if name.startswith(REQUIREMENT_PREFIX)}


def check_pack(pack: object) -> TargetPack:
    """The pack, or a PackError saying what a `target_pack` fixture must return."""
    if pack is None:
        raise PackError(
            "no target pack: add a conftest.py next to your scenarios with a `target_pack` fixture that returns "
            "your TargetPack (see docs/packs.md)."
        )
    if not isinstance(pack, TargetPack) or not pack.name:
        raise PackError(
            f"target_pack returned {pack!r}: it must return an instance of a herstelpad.pack.TargetPack subclass "
            "with a name (see docs/packs.md)."
        )
    unknown = set(pack.capabilities) - set(CAPABILITIES)
    if unknown:
        raise PackError(f"pack {pack.name}: unknown capabilities {sorted(unknown)}; known: {sorted(CAPABILITIES)}")
    return pack
