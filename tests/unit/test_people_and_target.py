"""The people factory and the test-data API client, against a stub of the test-data API."""

from __future__ import annotations

import itertools
import re
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from tests_unit_support import URI

from fixtures.portaal.services import start_portal
from fixtures.portaal.testdata import PortalProvisioner, TargetApiError, TargetUnavailable, TestDataApi
from herstelpad.people import PeopleFactory, ascii_slug, strong_password
from herstelpad.secrets import REGISTRY
from herstelpad.services import free_port, start_process
from herstelpad.waiting import poll_until

TOKEN = "test-token-abcdef"


@pytest.fixture
def test_data_api(stub_server: Any) -> TestDataApi:
    """A stub test-data API that checks the token and hands out ids."""
    ids = itertools.count(1)

    def authorised(handler: Any) -> Any:
        def wrapped(call: Any) -> tuple[int, Any]:
            if call.headers.get("Authorization") != f"Bearer {TOKEN}":
                return 404, {"detail": "Not Found"}
            return handler(call)

        return wrapped

    def organisation(call: Any) -> tuple[int, Any]:
        return 201, {"id": next(ids), "naam": call.body["naam"], "deelnemersnummer": "12345"}

    def user(call: Any) -> tuple[int, Any]:
        uri = URI.replace("jan%40voorbeeld.nl", call.body["email"].replace("@", "%40")) if call.body["pocket"] else None
        return 201, {"id": next(ids), "email": call.body["email"], "otpauth_uri": uri}

    stub_server.route("POST", "/__test__/organisaties", authorised(organisation))
    stub_server.route("POST", "/__test__/gebruikers", authorised(user))
    stub_server.route("POST", "/__test__/klok", authorised(lambda call: (200, {"offset": call.body["seconden"]})))
    stub_server.route(
        "GET",
        "/__test__/aanmeldingen",
        authorised(lambda call: (200, {"aanmeldingen": [{"email": "a@b.nl", "methode": "push", "collega": None}]})),
    )
    return TestDataApi(stub_server.url, TOKEN)


def seeded() -> Faker:
    faker = Faker("nl_NL")
    faker.seed_instance(0)
    return faker


def test_unique_addresses_with_faker_seeded_to_zero(test_data_api: TestDataApi) -> None:
    first = PeopleFactory(seeded(), PortalProvisioner(test_data_api), "Run-Ä1")
    second = PeopleFactory(seeded(), PortalProvisioner(test_data_api), "Run-Ä1")  # same seed, same run: still unique
    organisation = first.organisation("Bakker BV")
    people = [factory.person(organisation) for factory in (first, second) for _ in range(20)]
    emails = [person.email for person in people]
    assert len(set(emails)) == len(emails)
    assert people[0].name == people[20].name  # the seed really repeats the names
    for email in emails:
        assert email == email.lower() and email.isascii()
        assert "+runa1" in email and email.endswith(organisation.domain)


def test_person_fields_and_secrets(test_data_api: TestDataApi, stub_server: Any) -> None:
    factory = PeopleFactory(seeded(), PortalProvisioner(test_data_api), "r1")
    organisation = factory.organisation("Bakker & Zonen B.V.")
    assert organisation.domain.startswith("bakkerzonenbv-r1") and organisation.details["deelnemersnummer"] == "12345"
    person = factory.person(organisation)
    colleague = factory.person(organisation, pocket=False, active=False)
    assert person.name.startswith(person.first_name) and person.organisation == organisation
    assert person.otpauth_uri and colleague.otpauth_uri is None
    assert REGISTRY.is_secret(person.password) and REGISTRY.is_secret(person.otpauth_uri)
    assert person.password not in repr(person)
    body = stub_server.calls[-1].body
    assert (body["pocket"], body["actief"], body["organisatie_id"]) == (False, False, organisation.id)


def test_strong_password_and_slug() -> None:
    passwords = {strong_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 20
        assert any(c.islower() for c in password) and any(c.isupper() for c in password)
        assert any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)
    assert ascii_slug("Ëlise van 't Hoff-Ça") == "elisevanthoffca"


def test_clock_and_logins(test_data_api: TestDataApi) -> None:
    assert test_data_api.advance_clock(3, 660) == 660.0
    assert test_data_api.logins(3) == [{"email": "a@b.nl", "methode": "push", "collega": None}]


def test_missing_test_data_api_is_explained(stub_server: Any) -> None:
    api = TestDataApi(stub_server.url, "wrong-token-000")
    with pytest.raises(TargetApiError, match="no test-data API.*HERSTELPAD_TARGET_TOKEN") as caught:
        api.create_organisation("X")
    assert caught.value.status == 404


def test_an_api_error_is_not_mistaken_for_a_missing_api(stub_server: Any) -> None:
    stub_server.route("POST", "/__test__/klok", lambda call: (404, {"fout": "Onbekende organisatie."}))
    with pytest.raises(TargetApiError, match=r"→ 404 \(expected 200\): Onbekende organisatie"):
        TestDataApi(stub_server.url, TOKEN).advance_clock(99, 10)


def test_unreachable_target_is_explained() -> None:
    with pytest.raises(TargetUnavailable, match="niet bereikbaar op http://127.0.0.1:9"):
        TestDataApi("http://127.0.0.1:9", TOKEN).logins(1)


def test_the_faker_of_a_scenario_is_dutch_and_seeded_by_its_node_id(faker: Faker, request: pytest.FixtureRequest) -> None:
    """The steps' `faker` makes Dutch people (nl_NL), reproducibly per scenario, different between scenarios."""
    assert faker.locales == ["nl_NL"]
    assert re.fullmatch(r"\d{4} ?[A-Z]{2}", faker.postcode()), "not a Dutch postcode"
    names = [faker.name() for _ in range(3)]
    again = Faker("nl_NL")
    again.seed_instance(zlib.crc32(request.node.nodeid.encode()))
    again.postcode()
    assert names == [again.name() for _ in range(3)]
    other = Faker("nl_NL")
    other.seed_instance(zlib.crc32(b"een ander scenario"))
    assert names != [other.name() for _ in range(3)]


def test_a_started_portal_leaves_no_database_behind(tmp_path: Path) -> None:
    """The reference portal's own SQLite folder lives as long as the portal: gone once it stops (a run starts it
    dozens of times, and /tmp filled with them)."""
    target = start_portal(tmp_path, "127.0.0.1", free_port())
    (folder,) = target.scratch
    assert (folder / "portal.sqlite3").is_file(), sorted(p.name for p in folder.iterdir())
    target.stop(keep_logs=False)
    assert not folder.exists(), sorted(p.name for p in folder.iterdir())


def test_a_service_log_kept_after_a_failure_is_masked_and_otherwise_removed(tmp_path: Path) -> None:
    """Every service herstelpad starts (Mailpit, a target) ends the same way: its log kept only for a failed run,
    with the secrets it printed masked."""
    secret = REGISTRY.register("Zw8-kept-log-secret-41", "wachtwoord") or ""
    for keep in (True, False):
        process = start_process("service", [sys.executable, "-c", f"print({secret!r}, flush=True); input()"], tmp_path)
        assert await_output(process.log_path, secret)
        process.end(keep_log=keep)
        if keep:
            text = process.log_path.read_text(encoding="utf-8")
            assert secret not in text and "«geheim:wachtwoord»" in text, text
        else:
            assert not process.log_path.exists()


def await_output(path: Path, text: str) -> bool:
    """Polls the log until `text` is in it (to a deadline)."""
    return bool(poll_until(lambda: text in path.read_text(encoding="utf-8") or None, timeout=10, interval=0.02,
                           what=f"{text!r} in {path.name}"))
