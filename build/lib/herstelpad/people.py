"""Made-up Dutch people (Faker nl_NL) and their organisations, provisioned in the target through its pack."""

from __future__ import annotations

import itertools
import re
import secrets
import string
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from faker import Faker

from herstelpad.otpauth import parse as parse_otpauth
from herstelpad.secrets import register

PASSWORD_LENGTH = 20
PASSWORD_SYMBOLS = "!#%*+-=?@_"
MAIL_DOMAIN_SUFFIX = "example.com"

_counter = itertools.count(1)
_counter_lock = threading.Lock()


def ascii_slug(text: str, keep: str = "") -> str:
    """Lower-case ASCII letters and digits of `text` (accents stripped), plus the characters in `keep`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "", plain)


def strong_password(length: int = PASSWORD_LENGTH) -> str:
    """A random password from `secrets` with lower, upper, digit and symbol characters."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, PASSWORD_SYMBOLS]
    alphabet = "".join(classes)
    chars = [secrets.choice(group) for group in classes]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _next_number() -> int:
    """A process-wide serial number (unique across factories and threads)."""
    with _counter_lock:
        return next(_counter)


@dataclass(frozen=True)
class Organisation:
    """An organisation in the target (a tenant, a realm's group): its mail domain and what the target said of it."""

    id: int | str
    naam: str
    domain: str
    details: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Person:
    """A user in the target, with what the person knows (password) and the linked authenticator's otpauth URI, if any."""

    naam: str
    voornaam: str
    email: str
    wachtwoord: str = field(repr=False)
    organisation: Organisation
    user_id: int | str
    otpauth_uri: str | None = field(default=None, repr=False)
    achternaam: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class Provisioner(Protocol):
    """How a pack creates organisations and people in its target (a test-data API, an admin API)."""

    def create_organisation(self, naam: str) -> dict[str, Any]:
        """Creates an organisation; the answer has its "id" (and whatever else the target tells)."""
        ...

    def create_user(self, organisation: Organisation, person: Person, **options: Any) -> dict[str, Any]:
        """Creates the person; the answer has the user's "id" and, when an authenticator is linked, "otpauth_uri"."""
        ...


class PeopleFactory:
    """Creates organisations and people with unique e-mail addresses, even with a seeded Faker."""

    def __init__(self, faker: Faker, provisioner: Provisioner, run_id: str) -> None:
        """Use `faker` (nl_NL) for names, the pack's `provisioner`, and `run_id` to keep addresses unique."""
        self.faker = faker
        self.provisioner = provisioner
        self.run_id = ascii_slug(run_id) or "run"

    def _suffix(self) -> str:
        """A fresh, unique suffix for an address or domain."""
        return f"{self.run_id}{_next_number()}"

    def organisation(self, naam: str | None = None) -> Organisation:
        """Create an organisation (a Faker company name unless given) with its own mail domain."""
        naam = naam or self.faker.company()
        created = self.provisioner.create_organisation(naam)
        domain = f"{ascii_slug(naam, keep='-')[:40].strip('-') or 'organisatie'}-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return Organisation(id=created["id"], naam=created.get("naam", naam), domain=domain, details=created)

    def email_for(self, voornaam: str, achternaam: str, organisation: Organisation) -> str:
        """A unique address `voornaam.achternaam+suffix@domain`, ASCII and lower-case."""
        local = ".".join(part for part in (ascii_slug(voornaam), ascii_slug(achternaam)) if part) or "medewerker"
        return f"{local}+{self._suffix()}@{organisation.domain}"

    def unregistered_email(self, organisation: Organisation | None = None) -> str:
        """An address that looks like a colleague's but belongs to no user of the target."""
        domain = organisation.domain if organisation else f"onbekend-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return f"{ascii_slug(self.faker.first_name())}.niet.aangemeld+{self._suffix()}@{domain}"

    def person(self, organisation: Organisation, **options: Any) -> Person:
        """Create a user of `organisation`; `options` go to the pack's provisioner (e.g. an authenticator linked)."""
        voornaam = self.faker.first_name()
        achternaam = self.faker.last_name()
        email = self.email_for(voornaam, achternaam, organisation)
        wachtwoord = register(strong_password(), f"wachtwoord {email}") or ""
        new = Person(
            naam=f"{voornaam} {achternaam}", voornaam=voornaam, achternaam=achternaam, email=email,
            wachtwoord=wachtwoord, organisation=organisation, user_id="",
        )
        user = self.provisioner.create_user(organisation, new, **options)
        uri = user.get("otpauth_uri")
        if uri:
            parse_otpauth(uri)  # registers the URI and its secret, and refuses a malformed one here
        return Person(
            naam=new.naam, voornaam=voornaam, achternaam=achternaam, email=user.get("email", email),
            wachtwoord=wachtwoord, organisation=organisation, user_id=user["id"], otpauth_uri=uri, details=user,
        )
