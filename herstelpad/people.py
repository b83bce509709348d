"""Made-up Dutch people (Faker nl_NL) and their organisations, provisioned in the target through its pack."""

from __future__ import annotations

import itertools
import re
import secrets
import string
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

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
    """An organisation in the target (a tenant, a customer): its mail domain and what the target said of it."""

    id: int | str
    name: str
    domain: str
    details: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Person:
    """A user in the target, with what the person knows (password) and the linked authenticator's otpauth URI, if any."""

    name: str
    first_name: str
    email: str
    password: str = field(repr=False)
    organisation: Organisation | None
    user_id: int | str
    otpauth_uri: str | None = field(default=None, repr=False)
    last_name: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def with_password(self, password: str) -> Person:
        """The same person knowing a new password (registered as a secret, so every output masks it)."""
        return replace(self, password=register(password, f"wachtwoord {self.email}") or password)


class Provisioner:
    """How a pack makes people in its target (a test-data API, an admin API): subclass it, implement `create_user`.

    A target with organisations (tenants) sets `organisations = True` and implements `create_organisation`;
    one without them leaves both: its people then have `organisation=None` and a mail domain of the run.
    """

    organisations: bool = False

    def create_organisation(self, name: str) -> dict[str, Any]:
        """Creates an organisation; the answer has its "id" (and whatever else the target tells)."""
        raise NotImplementedError(f"{type(self).__name__} makes no organisations (organisations = False)")

    def create_user(self, person: Person, **options: Any) -> dict[str, Any]:
        """Creates the person (in `person.organisation`, if any); the answer has the user's "id" and, when an
        authenticator is linked, "otpauth_uri" (and "email" when the target changed the address)."""
        raise NotImplementedError(f"{type(self).__name__}.create_user")

    def delete_user(self, person: Person) -> None:
        """Removes a scenario's user at its end (default: the target keeps its users)."""

    def close(self) -> None:
        """Releases connections at the end of the scenario."""


class PeopleFactory:
    """Creates organisations and people with unique e-mail addresses, even with a seeded Faker."""

    def __init__(self, faker: Faker, provisioner: Provisioner, run_id: str) -> None:
        """Use `faker` (nl_NL) for names, the pack's `provisioner`, and `run_id` to keep addresses unique."""
        self.faker = faker
        self.provisioner = provisioner
        self.run_id = ascii_slug(run_id) or "run"
        self._run_domain = ""

    def _suffix(self) -> str:
        """A fresh, unique suffix for an address or domain."""
        return f"{self.run_id}{_next_number()}"

    def organisation(self, name: str | None = None) -> Organisation:
        """Create an organisation (a Faker company name unless given) with its own mail domain."""
        name = name or self.faker.company()
        created = self.provisioner.create_organisation(name)
        domain = f"{ascii_slug(name, keep='-')[:40].strip('-') or 'organisatie'}-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return Organisation(id=created["id"], name=str(created.get("naam", created.get("name", name))), domain=domain,
                            details=created)

    def domain_for(self, organisation: Organisation | None) -> str:
        """The mail domain of the organisation's people, or of this factory's people without one."""
        if organisation is not None:
            return organisation.domain
        if not self._run_domain:
            self._run_domain = f"mensen-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return self._run_domain

    def email_for(self, first_name: str, last_name: str, organisation: Organisation | None) -> str:
        """A unique address `first.last+suffix@domain`, ASCII and lower-case."""
        local = ".".join(part for part in (ascii_slug(first_name), ascii_slug(last_name)) if part) or "medewerker"
        return f"{local}+{self._suffix()}@{self.domain_for(organisation)}"

    def unregistered_email(self, organisation: Organisation | None = None) -> str:
        """An address that looks like a colleague's but belongs to no user of the target."""
        domain = organisation.domain if organisation else f"onbekend-{self._suffix()}.{MAIL_DOMAIN_SUFFIX}"
        return f"{ascii_slug(self.faker.first_name())}.niet.aangemeld+{self._suffix()}@{domain}"

    def person(self, organisation: Organisation | None = None, **options: Any) -> Person:
        """Create a user (of `organisation`, if the target has them); `options` go to the pack's provisioner."""
        first_name = self.faker.first_name()
        last_name = self.faker.last_name()
        email = self.email_for(first_name, last_name, organisation)
        password = register(strong_password(), f"wachtwoord {email}") or ""
        new = Person(
            name=f"{first_name} {last_name}", first_name=first_name, last_name=last_name, email=email,
            password=password, organisation=organisation, user_id="",
        )
        user = self.provisioner.create_user(new, **options)
        uri = user.get("otpauth_uri")
        if uri:
            parse_otpauth(uri)  # registers the URI and its secret, and refuses a malformed one here
        return replace(new, email=user.get("email", email), user_id=user["id"], otpauth_uri=uri, details=user)
