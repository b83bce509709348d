"""The target-pack contract: everything one system under test tells the target-neutral core, in one class.

A pack is a `TargetPack` subclass with one instance, `PACK`, in `fixtures/<name>/pack.py` (found by name in
the repository one runs in) or registered by an installed package under the `herstelpad.packs` entry-point
group (`name = "module:OBJECT"`). Its scenarios are `features/<name>/`, bound by `steps/<name>/`. The core
starts its target, provisions people through its `Provisioner`, builds each actor (person, phone, mailbox) and
asks it how to log in up to the second factor, how to type a code and what the parallel steps fire and count.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import shutil
import sys
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from herstelpad.mail import DEFAULT_CODE
from herstelpad.recovery_codes import DEFAULT_SELECTOR as DEFAULT_RECOVERY_CODES

if TYPE_CHECKING:
    import pytest
    from playwright.sync_api import Page

    from herstelpad.actors import Actor
    from herstelpad.authenticator import Authenticator
    from herstelpad.clock import Clock
    from herstelpad.people import Person, Provisioner
    from herstelpad.services import MailpitEndpoints, Process
    from herstelpad.settings import Settings

ENTRY_POINT_GROUP = "herstelpad.packs"  # installed packs: name = "module:OBJECT" (a TargetPack instance or class)
PACKS_FOLDER = "fixtures"  # a repository's packs: fixtures/<name>/pack.py with a PACK
SCENARIOS_FOLDER = "steps"  # a pack's scenario tests by default: steps/<name>/ beside fixtures/<name>/
FEATURES_FOLDER = "features"  # its Gherkin: features/<name>/

ParallelAction = Callable[[int], Callable[[int], Any]]
"""Prepares n independent attempts (sessions, logins) and returns the call that makes attempt i."""
ParallelCount = Callable[[], int]
"""Counts what the target let through (e-mails sent, login requests shown)."""

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
    scratch: list[Path] = field(default_factory=list)  # folders made for this target (its database), removed at stop

    def stop(self, keep_logs: bool) -> None:
        """Stops what the pack started for this target; keeps the logs only when asked, masked (secrets.mask);
        removes its scratch folders."""
        for process in self.processes:
            process.end(keep_log=keep_logs)
        for folder in self.scratch:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class StartContext:
    """What a pack gets to start its target: the settings, the Mailpit to send mail to, a log folder."""

    settings: Settings
    mailpit: MailpitEndpoints
    log_dir: Path
    private: bool = False  # True for a scenario's own target (its own Mailpit): never an external one


@dataclass
class Scenario:
    """What a pack's methods get of the running scenario: its page, target, settings and its other fixtures."""

    request: pytest.FixtureRequest
    target: RunningTarget
    settings: Settings

    @property
    def page(self) -> Page:
        """The scenario's browser page (with herstelpad's timeouts), opened on first use."""
        page: Page = self.request.getfixturevalue("prepared_page")
        return page

    def fixture(self, name: str) -> Any:
        """Another fixture of the scenario by name: the pack's own (its page objects, a client) or a step's `me`."""
        return self.request.getfixturevalue(name)


@dataclass(frozen=True)
class PhoneContext:
    """What a pack gets to make an actor's phone: the scenario, the actor's role, its clock and a journal listener."""

    scenario: Scenario
    role: str
    clock: Clock
    timeout: float
    listener: Callable[[str], None]


class TargetPack:
    """One target: subclass it, set the class attributes, implement `start` (and what its steps need below)."""

    name: str = ""  # one name in three places: features/<name>/, steps/<name>/, fixtures/<name>/, and the report
    title: str = ""  # for readers: the product's name as its users know it
    introduction: str = ""  # for readers: what the report's first paragraph says about this app (Dutch)
    scenarios: str | None = None  # the folder of its scenario tests, relative to the pack's module; None: ../../steps/<name>
    modules: tuple[str, ...] = ()  # modules of fixtures its steps use, besides every module in its scenario folder
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
    phone_name: str = "telefoon"  # the journal's name of an actor's phone: "<phone_name> van <role>"
    recovery_codes_selector: str = DEFAULT_RECOVERY_CODES  # where its screen lists the recovery codes, one per element
    article_module: str | None = None  # importable module with the help article for the report's Handleiding
    content_selector: str | None = None  # the element screenshots are cropped to (its text readable in a thumbnail)

    # --- the target ------------------------------------------------------------------------------------

    def start(self, context: StartContext) -> RunningTarget:
        """Starts the target (or connects to the configured one) and returns where it is."""
        raise NotImplementedError(f"{type(self).__name__}.start")

    def demo(self, target: RunningTarget, mailpit_url: str) -> str:
        """What `herstelpad serve` tells a person exploring the target by hand (override to add demo people)."""
        return f"Target: {target.url}\nMailpit: {mailpit_url}"

    def scenario_folder(self) -> Path:
        """Where the pack's scenario tests are: `scenarios` from the pack's module, else steps/<name> beside it."""
        module = sys.modules.get(type(self).__module__)
        here = Path(module.__file__).resolve().parent if module and module.__file__ else Path.cwd() / PACKS_FOLDER / self.name
        if self.scenarios is not None:
            return (here / self.scenarios).resolve()
        return here.parent.parent / SCENARIOS_FOLDER / self.name

    # --- people and their phones -----------------------------------------------------------------------

    def provisioner(self, scenario: Scenario) -> Provisioner | None:
        """How people are made in the target for this scenario (None: the pack makes no people)."""
        return None

    def make_phone(self, context: PhoneContext, person: Person, options: Mapping[str, Any]) -> Authenticator:
        """The actor's phone: an authenticator app holding the person's account (override for the target's own app)."""
        from herstelpad.authenticator import Authenticator

        phone = Authenticator(clock=context.clock, listener=context.listener, window=self.totp_window)
        if person.otpauth_uri:
            phone.add_account(person.otpauth_uri)
        return phone

    # --- the screens the generic steps use -------------------------------------------------------------

    def enter_code(self, scenario: Scenario, code: str) -> None:
        """Types a code on the screen that asks for one and sends it (default: the one-time-code field, then Enter)."""
        field_ = scenario.page.locator("input[autocomplete='one-time-code']:visible").first
        field_.fill(code)
        field_.press("Enter")

    def second_factor_login(self, scenario: Scenario, actor: Actor, code: str) -> bool:
        """Logs the actor in afresh up to the second factor, types `code`; True when that logged them in."""
        raise PackError(
            f"pack {self.name}: the step about the old phone's code needs {type(self).__name__}.second_factor_login "
            "(log the actor in up to the second factor, type the code, return whether it logged in); see docs/packs.md."
        )

    def parallel_actions(self, scenario: Scenario) -> Mapping[str, ParallelAction]:
        """What the step 'iemand N keer tegelijk "…"' can fire at the target, by its Dutch wording."""
        return {}

    def parallel_counts(self, scenario: Scenario) -> Mapping[str, ParallelCount]:
        """How the step 'zijn er hoogstens N …' counts what the target let through, by its Dutch wording."""
        return {}

    # --- masks and capabilities ------------------------------------------------------------------------

    def masks(self) -> tuple[str, ...]:
        """Every CSS selector to paint over in this target's screenshots (its recovery codes included)."""
        return (*DEFAULT_MASKS, self.recovery_codes_selector, *self.mask_selectors)

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
    """The pack, or a PackError saying what a pack must be."""
    if pack is None:
        raise PackError(
            "no target pack: run the scenarios of a pack (steps/<name>/ with `bind(\"<name>\", globals())` in its "
            "conftest.py) or name one with --herstelpad-pack NAME (see docs/packs.md)."
        )
    if not isinstance(pack, TargetPack) or not pack.name:
        raise PackError(
            f"{pack!r} is no pack: it must be an instance of a herstelpad.pack.TargetPack subclass "
            "with a name (see docs/packs.md)."
        )
    unknown = set(pack.capabilities) - set(CAPABILITIES)
    if unknown:
        raise PackError(f"pack {pack.name}: unknown capabilities {sorted(unknown)}; known: {sorted(CAPABILITIES)}")
    return pack


# --- finding packs by name -------------------------------------------------------------------------------


def repository_root(start: Path) -> Path | None:
    """The folder at or above `start` that holds packs (fixtures/<name>/pack.py), or None."""
    for folder in (start.resolve(), *start.resolve().parents):
        if any((folder / PACKS_FOLDER).glob("*/pack.py")):
            return folder
    return None


def installed_packs() -> dict[str, str]:
    """The packs installed packages register: name → "module:OBJECT" (entry-point group herstelpad.packs)."""
    return {point.name: point.value for point in entry_points(group=ENTRY_POINT_GROUP)}


def repository_packs(root: Path | None) -> dict[str, Path]:
    """The packs of a repository: name → its fixtures/<name>/pack.py."""
    if root is None:
        return {}
    return {path.parent.name: path for path in sorted((root / PACKS_FOLDER).glob("*/pack.py"))}


def importable_pack(name: str) -> Path | None:
    """The root of a repository on the import path that holds fixtures/<name>/pack.py, or None."""
    for entry in sys.path:
        root = Path(entry or ".").resolve()
        if (root / PACKS_FOLDER / name / "pack.py").is_file():
            return root
    return None


def pack_names(root: Path | None) -> list[str]:
    """Every pack that can be named here: installed ones and the repository's, sorted."""
    return sorted(set(installed_packs()) | set(repository_packs(root)))


def _importable_from(root: Path) -> None:
    """Puts the repository's root first on the import path (its fixtures/ and steps/ are packages there)."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))


def module_pack(module: Any, attribute: str = "") -> TargetPack:
    """The pack of a module: `attribute`, else its PACK, else the one TargetPack (instance or subclass) it defines."""
    if attribute or hasattr(module, "PACK"):
        found = getattr(module, attribute or "PACK", None)
    else:
        candidates = [value for value in vars(module).values()
                      if isinstance(value, TargetPack)
                      or (inspect.isclass(value) and issubclass(value, TargetPack) and value is not TargetPack
                          and value.__module__ == module.__name__)]
        if len(candidates) != 1:
            raise PackError(
                f"{module.__name__} has {'no' if not candidates else len(candidates)} TargetPack; "
                f"name one: --pack {module.__name__}:NAME, or set PACK = YourPack() in it"
            )
        found = candidates[0]
    return check_pack(found() if inspect.isclass(found) else found)


def find_pack(spec: str, root: Path | None = None) -> TargetPack:
    """The pack named `spec` (installed, or fixtures/<spec>/pack.py of the repository at `root`), or `module[:NAME]`."""
    root = root if root is not None else repository_root(Path.cwd())
    installed = installed_packs()
    here = repository_packs(root)
    if spec in installed:
        point = next(p for p in entry_points(group=ENTRY_POINT_GROUP) if p.name == spec)
        pack = check_pack(_called(point.load()))
    elif spec in here and root is not None:
        _importable_from(root)
        pack = module_pack(importlib.import_module(f"{PACKS_FOLDER}.{spec}.pack"))
    elif importable_pack(spec) is not None:  # a repository on the import path (PYTHONPATH), run from elsewhere
        pack = module_pack(importlib.import_module(f"{PACKS_FOLDER}.{spec}.pack"))
    elif "." in spec or ":" in spec:
        module_name, _, attribute = spec.partition(":")
        if root is not None:
            _importable_from(root)
        _importable_from(Path.cwd())
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise PackError(f"pack {spec}: cannot import {module_name} ({exc}); packs here: {_listed(root)}") from None
        return module_pack(module, attribute)
    else:
        raise PackError(f"no pack named {spec!r}; packs here: {_listed(root)}")
    if pack.name != spec:
        raise PackError(f"pack {spec!r} calls itself {pack.name!r}: a pack has one name (its folders, its entry point)")
    return pack


def _called(found: Any) -> Any:
    """An entry point's object: a pack instance as it is, a pack class instantiated."""
    return found() if inspect.isclass(found) else found


def _listed(root: Path | None) -> str:
    """The packs that can be named, in one line."""
    return ", ".join(pack_names(root)) or "none (installed ones register under herstelpad.packs; a repository's are fixtures/<name>/pack.py)"


# --- the glue: a pack's conftest -------------------------------------------------------------------------


def importable_name(path: Path) -> str:
    """The importable name of a module file: its packages (folders with __init__.py) upwards; their root importable."""
    parts = [path.stem]
    folder = path.resolve().parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    _importable_from(folder)
    return ".".join(parts)


def scenario_modules(pack: TargetPack) -> list[str]:
    """The importable names of the step modules in the pack's scenario folder (not conftest, not test_*)."""
    return [importable_name(path) for path in sorted(pack.scenario_folder().glob("*.py"))
            if path.name not in ("conftest.py", "__init__.py") and not path.name.startswith("test_")]


def bind(name: str, namespace: MutableMapping[str, Any]) -> TargetPack:
    """A pack's conftest in one line: its scenarios run against pack `name`, with its fixtures and steps.

    Puts into the conftest's namespace the `target_pack` fixture and every public name of the pack's `modules`
    and of the step modules beside its scenarios (pytest-bdd finds step definitions among a conftest's names).
    """
    import pytest

    where = Path(str(namespace.get("__file__", Path.cwd() / "conftest.py"))).resolve().parent
    root = repository_root(where)
    if root is not None:
        _importable_from(root)
    pack = find_pack(name, root)
    for dotted in (*pack.modules, *scenario_modules(pack)):
        module = importlib.import_module(dotted)
        namespace.update({key: value for key, value in vars(module).items() if not key.startswith("_")})

    @pytest.fixture(name="target_pack")
    def _target_pack() -> TargetPack:
        """The pack these scenarios run against."""
        return pack

    namespace["target_pack"] = _target_pack
    return pack
