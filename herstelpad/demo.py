"""A demo organisation for exploring the reference portal by hand (`herstelpad serve`)."""

from __future__ import annotations

import uuid

from faker import Faker

from herstelpad.people import PeopleFactory
from herstelpad.services import Services
from herstelpad.target import TestDataApi


def seed_demo(services: Services) -> str:
    """Creates a demo organisation with three people and returns what to tell the user."""
    if not services.portal.test_token:
        return f"Target: {services.portal.url} (no test-data API token, so no demo people)"
    faker = Faker("nl_NL")
    people = PeopleFactory(faker, TestDataApi(services.portal.url, services.portal.test_token), uuid.uuid4().hex[:4])
    organisation = people.organisation("Demo B.V.")
    with_pocket = people.person(organisation, pocket=True)
    without_pocket = people.person(organisation, pocket=False)
    colleague = people.person(organisation, pocket=True)
    lines = [
        "",
        f"Portal:   {services.portal.url}/inloggen",
        f"SSO:      {services.portal.url}/{organisation.deelnemersnummer}",
        f"Mailpit:  {services.mailpit.url}   (every e-mail the portal sends lands here)",
        "",
        f"Organisation {organisation.naam} (deelnemersnummer {organisation.deelnemersnummer}):",
    ]
    for role, person in (("with AFAS Pocket", with_pocket), ("without Pocket", without_pocket),
                         ("colleague", colleague)):
        lines.append(f"  {role:17} {person.email}  password: {person.wachtwoord}")
        if person.otpauth_uri:
            lines.append(f"  {'':17} authenticator URI (add to any TOTP app): {person.otpauth_uri}")
    return "\n".join(lines)
