"""Made-up Dutch people (Faker nl_NL) and their organisations, provisioned in the target."""

from __future__ import annotations

import itertools
import re
import secrets
import string
import threading
import unicodedata
from dataclasses import dataclass, field

from faker import Faker

from herstelpad.secrets import register
from herstelpad.target import TestDataApi

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
    """An organisation in the target."""

    id: int | str
    naam: str
    deelnemersnummer: str
    domain: str


@dataclass(frozen=True)
class Person:
    """A user in the target, with what the person knows (password) and the linked Pocket's URI, if any."""

    naam: str
    voornaam: str
    email: str
    wachtwoord: str = field(repr=False)
    organisation: Organisation
    user_id: int | str
    otpauth_uri: str | None = field(default=None, repr=False)


class PeopleFactory:
    """Creates organisations and people with unique e-mail addresses, even with a seeded Faker."""

    def __init__(self, faker: Faker, test_data_api: TestDataApi, run_id: str) -> None:
        """Use `faker` (nl_NL) for names and `run_id` to keep addresses unique across runs."""
        self.faker = faker
        self.api = test_data_api
        self.run_id = ascii_slug(run_id) or "run"

    def _suffix(self) -> str:
        """A fresh, unique suffix for an address or domain."""
        return f"{self.run_id}{_next_number()}"

    def organisation(self, naam: str | None = None) -> Organisation:
        """Create an organisation (a Faker company name unless given) with its own mail domain."""
        naam = naam or self.faker.company()
        created = self.api.create_organisation(naam)
        domain = f"{ascii_slug(naam, keep='-')[:40].strip('-') or 'organisatie'}-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return Organisation(
            id=created["id"],
            naam=created.get("naam", naam),
            deelnemersnummer=str(created["deelnemersnummer"]),
            domain=domain,
        )

    def email_for(self, voornaam: str, achternaam: str, organisation: Organisation) -> str:
        """A unique address `voornaam.achternaam+suffix@domain`, ASCII and lower-case."""
        local = ".".join(part for part in (ascii_slug(voornaam), ascii_slug(achternaam)) if part) or "medewerker"
        return f"{local}+{self._suffix()}@{organisation.domain}"

    def unregistered_email(self, organisation: Organisation | None = None) -> str:
        """An address that looks like a colleague's but belongs to no user of the target."""
        domain = organisation.domain if organisation else f"onbekend-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return f"{ascii_slug(self.faker.first_name())}.niet.aangemeld+{self._suffix()}@{domain}"

    def person(self, organisation: Organisation, pocket: bool = True, actief: bool = True) -> Person:
        """Create a user of `organisation` (with a linked Pocket unless pocket=False)."""
        voornaam = self.faker.first_name()
        achternaam = self.faker.last_name()
        email = self.email_for(voornaam, achternaam, organisation)
        wachtwoord = register(strong_password(), f"wachtwoord {email}") or ""
        naam = f"{voornaam} {achternaam}"
        user = self.api.create_user(organisation.id, naam, email, wachtwoord, actief=actief, pocket=pocket)
        return Person(
            naam=naam,
            voornaam=voornaam,
            email=user.get("email", email),
            wachtwoord=wachtwoord,
            organisation=organisation,
            user_id=user["id"],
            otpauth_uri=user.get("otpauth_uri"),
        )
