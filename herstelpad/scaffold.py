"""`herstelpad init NAME --url URL`: a new pack in the current folder, whose first Dutch scenario passes.

It writes the pack's three folders (features/NAME, steps/NAME, fixtures/NAME), the packages' __init__.py
files and a root conftest.py where they are missing; it never overwrites a file.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from urllib.parse import urlsplit

from herstelpad.pack import FEATURES_FOLDER, PACKS_FOLDER, SCENARIOS_FOLDER

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


class ScaffoldError(ValueError):
    """The name or URL is unusable, or the pack's folders exist: the message says which."""


def check_name(name: str) -> str:
    """The pack's name, or a ScaffoldError: lower-case letters, digits and _ (it is a Python package name)."""
    if not NAME_PATTERN.fullmatch(name) or keyword.iskeyword(name):
        raise ScaffoldError(
            f"{name!r} is no pack name: use lower-case letters, digits and _ (starting with a letter, at most 40), "
            "for example `mijnportaal`; it names features/<name>/, steps/<name>/ and fixtures/<name>/."
        )
    return name


def check_url(url: str) -> str:
    """The target's login page URL, or a ScaffoldError: an absolute http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ScaffoldError(f"{url!r} is no URL of a login page: give an absolute http:// or https:// URL.")
    return url


def class_name(name: str) -> str:
    """The pack class's name: `mijn_portaal` → `MijnPortaalPack`."""
    return "".join(part.capitalize() for part in name.split("_")) + "Pack"


def files(name: str, url: str) -> dict[str, str]:
    """The new pack's files by path, relative to the project folder."""
    return {
        "conftest.py": '"""The project\'s root: herstelpad is a pytest plugin; each pack\'s scenarios bind it in steps/<name>/."""\n',
        f"{PACKS_FOLDER}/__init__.py": "",
        f"{SCENARIOS_FOLDER}/__init__.py": "",
        f"{PACKS_FOLDER}/{name}/__init__.py": "",
        f"{SCENARIOS_FOLDER}/{name}/__init__.py": "",
        f"{PACKS_FOLDER}/{name}/pack.py": f'''"""The {name} pack: what herstelpad needs to know of the target (see herstelpad's docs/packs.md)."""

from __future__ import annotations

from herstelpad.pack import PackError, RunningTarget, StartContext, TargetPack
from herstelpad.services import answers

LOGIN_URL = {url!r}


class {class_name(name)}(TargetPack):
    """The target at LOGIN_URL (or HERSTELPAD_TARGET_URL): a running deployment."""

    name = {name!r}  # the same as its folders: features/{name}/, steps/{name}/, fixtures/{name}/
    title = {name!r}  # the product's name as its users know it
    # Next: `provisioner` (how people are made), `make_phone`, `second_factor_login`, `mask_selectors`,
    # `email_code`, `senders`, `totp_window`; every part is documented in docs/packs.md.

    def start(self, context: StartContext) -> RunningTarget:
        """Connects to the running target; a clear message when it does not answer."""
        url = context.settings.target_url or LOGIN_URL
        if not answers(url, timeout=10.0):
            raise PackError(f"the target does not answer at {{url}}: start it, or set HERSTELPAD_TARGET_URL")
        return RunningTarget(url)


PACK = {class_name(name)}()
''',
        f"{SCENARIOS_FOLDER}/{name}/conftest.py": f'''"""The scenarios of features/{name} run against the {name} pack: its pack, fixtures and steps."""

from herstelpad.pack import bind

bind({name!r}, globals())
''',
        f"{SCENARIOS_FOLDER}/{name}/test_scenarios.py": f'''"""Binds every scenario of features/{name} to a pytest test."""

from pytest_bdd import scenarios

scenarios("../../{FEATURES_FOLDER}/{name}")
''',
        f"{SCENARIOS_FOLDER}/{name}/inloggen.py": '''"""The steps about the target's own screens; the steps about e-mail and the authenticator app come with herstelpad.

A Gegeven step that makes the scenario's person returns it with `target_fixture="me"` (docs/packs.md).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import then, when

from herstelpad.pack import RunningTarget


@when("ik de inlogpagina open")
def open_login_page(prepared_page: Page, target: RunningTarget) -> None:
    """Opens the target's login page."""
    prepared_page.goto(target.url)


@then("zie ik een veld voor mijn wachtwoord")
def password_field_shown(prepared_page: Page) -> None:
    """The page asks for a password (HTML's own marker of a password field)."""
    expect(prepared_page.locator("input[type=password]").first).to_be_visible()
''',
        f"{FEATURES_FOLDER}/{name}/inloggen.feature": f'''# language: nl
Functionaliteit: Inloggen bij {name}
  De eerste stap van het inloggen: de inlogpagina vraagt om het wachtwoord.

  Scenario: De inlogpagina vraagt om mijn wachtwoord
    Als ik de inlogpagina open
    Dan zie ik een veld voor mijn wachtwoord
''',
    }


def init_pack(name: str, url: str, folder: Path) -> list[Path]:
    """Writes the new pack into `folder`; returns the files written. Nothing is written when a pack folder exists."""
    check_name(name)
    check_url(url)
    existing = [f"{top}/{name}/" for top in (FEATURES_FOLDER, SCENARIOS_FOLDER, PACKS_FOLDER) if (folder / top / name).exists()]
    if existing:
        raise ScaffoldError(f"pack {name} exists already here ({', '.join(existing)}): choose another name or remove them.")
    written = []
    for relative, text in files(name, url).items():
        path = folder / relative
        if path.exists():  # a root conftest.py or a package's __init__.py of an existing project stays as it is
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
