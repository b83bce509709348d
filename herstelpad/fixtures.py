"""The core's pytest fixtures: settings, Mailpit, the pack's running target, and the actors it builds for a pack."""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import BrowserContext, Page

from herstelpad.actors import Actor
from herstelpad.clock import Clock
from herstelpad.locate import SetupError
from herstelpad.mail import DEFAULT_CODE, MailTrust
from herstelpad.mailbox import Mailbox, Mailpit
from herstelpad.pack import (
    SMTP_FAULTS,
    PackError,
    PhoneContext,
    RunningTarget,
    Scenario,
    StartContext,
    TargetPack,
    check_pack,
    required_capabilities,
)
from herstelpad.people import Organisation, PeopleFactory, Provisioner
from herstelpad.plugin import (
    failed_so_far,
    pack_key,
    selected_pack,
    settings_of,
    shared_mailpit_of,
    skipped_for_key,
)
from herstelpad.services import (
    MailpitEndpoints,
    ServiceError,
    connect_mailpit,
    start_mailpit,
)
from herstelpad.settings import Settings

FAKER_LOCALE = "nl_NL"


@pytest.fixture(scope="session")
def settings(pytestconfig: pytest.Config) -> Settings:
    """The run's validated herstelpad settings."""
    return settings_of(pytestconfig)


@pytest.fixture(scope="session")
def mailpit_service(settings: Settings, pytestconfig: pytest.Config) -> Iterator[MailpitEndpoints]:
    """The session's Mailpit: the xdist controller's, the configured running one, or one started now."""
    shared = shared_mailpit_of(pytestconfig)
    try:
        if shared is not None:
            endpoints = connect_mailpit(*shared)
        elif settings.mailpit_url:
            endpoints = connect_mailpit(settings.mailpit_url, settings.mailpit_smtp)
        else:
            endpoints = start_mailpit(settings.reports / "logs")
    except ServiceError as exc:
        pytest.exit(f"herstelpad: {exc}", returncode=3)
    yield endpoints
    if endpoints.process is not None:
        endpoints.process.end(keep_log=failed_so_far(pytestconfig))


@pytest.fixture(scope="session")
def shared_mailpit(mailpit_service: MailpitEndpoints) -> Iterator[Mailpit]:
    """The client of the session's Mailpit (one websocket listener for all scenarios)."""
    with Mailpit(mailpit_service.url) as client:
        yield client


@pytest.fixture
def target_pack(pytestconfig: pytest.Config) -> TargetPack | None:
    """The target pack of these tests: the one --herstelpad-pack names, else None; a pack's conftest binds its own."""
    pack: TargetPack | None = selected_pack(pytestconfig)
    return pack


class Targets:
    """The targets of one test session, started on first use, one per pack, stopped at the end.

    A target that cannot start fails each of its pack's scenarios with the pack's one-line message
    (the first attempt's), so that the scenarios of other packs still run.
    """

    def __init__(self, settings: Settings, mailpit: MailpitEndpoints) -> None:
        """Nothing started yet."""
        self.settings = settings
        self.mailpit = mailpit
        self.running: dict[str, RunningTarget] = {}
        self.broken: dict[str, str] = {}

    def get(self, pack: TargetPack) -> RunningTarget:
        """The pack's running target, started (or connected to) on first use."""
        if pack.name not in self.running and pack.name not in self.broken:
            context = StartContext(self.settings, self.mailpit, self.settings.reports / "logs")
            try:
                self.running[pack.name] = pack.start(context)
            except (PackError, ServiceError, SetupError) as exc:
                self.broken[pack.name] = f"herstelpad ({pack.title or pack.name}): {exc}"
        if pack.name in self.broken:
            pytest.fail(self.broken[pack.name], pytrace=False)
        return self.running[pack.name]

    def stop(self, keep_logs: bool) -> None:
        """Stops every target the session started."""
        for target in self.running.values():
            target.stop(keep_logs)


def start_target(pack: TargetPack, context: StartContext) -> RunningTarget:
    """Starts a scenario's own target; one that cannot start fails the scenario with the pack's message."""
    problem = None
    try:
        return pack.start(context)
    except (PackError, ServiceError, SetupError) as exc:
        problem = f"herstelpad ({pack.title or pack.name}): {exc}"
    pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def targets(settings: Settings, mailpit_service: MailpitEndpoints, pytestconfig: pytest.Config) -> Iterator[Targets]:
    """The session's running targets, by pack."""
    running = Targets(settings, mailpit_service)
    yield running
    running.stop(keep_logs=failed_so_far(pytestconfig))


def _private_mailpit_needed(request: pytest.FixtureRequest) -> bool:
    """Whether this scenario switches its Mailpit's SMTP to refusing mail (so it needs its own)."""
    return SMTP_FAULTS in required_capabilities({m.name for m in request.node.iter_markers()})


@pytest.fixture
def scenario_target(
    request: pytest.FixtureRequest, target_pack: TargetPack, targets: Targets, settings: Settings
) -> Iterator[tuple[RunningTarget, MailpitEndpoints]]:
    """The scenario's target and its Mailpit; a scenario that breaks e-mail gets both to itself."""
    pack = check_pack(target_pack)
    if not _private_mailpit_needed(request):
        yield targets.get(pack), targets.mailpit
        return
    log_dir = settings.reports / "logs" / request.node.name[:60]
    try:
        own_mailpit = start_mailpit(log_dir)
    except ServiceError as exc:
        pytest.fail(f"herstelpad: {exc}", pytrace=False)
    own = start_target(pack, StartContext(settings, own_mailpit, log_dir, private=True))
    yield own, own_mailpit
    keep = failed_so_far(request.config)
    own.stop(keep)
    if own_mailpit.process is not None:
        own_mailpit.process.end(keep_log=keep)


@pytest.fixture
def target(scenario_target: tuple[RunningTarget, MailpitEndpoints]) -> RunningTarget:
    """The running target this scenario talks to."""
    return scenario_target[0]


@pytest.fixture
def mailpit(scenario_target: tuple[RunningTarget, MailpitEndpoints], shared_mailpit: Mailpit) -> Iterator[Mailpit]:
    """The Mailpit that receives the target's e-mail in this scenario."""
    endpoints = scenario_target[1]
    if endpoints.url == shared_mailpit.base_url:
        yield shared_mailpit
        return
    with Mailpit(endpoints.url) as client:
        yield client


@pytest.fixture
def email_failure(mailpit: Mailpit) -> Iterator[Mailpit]:
    """The scenario's own Mailpit, whose SMTP failures a step switches on; always switched off afterwards."""
    yield mailpit
    mailpit.clear_chaos()


@pytest.fixture(autouse=True)
def _herstelpad_pack(request: pytest.FixtureRequest, target_pack: TargetPack | None, settings: Settings) -> None:
    """Notes the test's pack for the report; skips, with the reason, a scenario its target cannot run."""
    if target_pack is None:
        return
    problem = None
    try:
        pack = check_pack(target_pack)
    except PackError as exc:
        problem = f"herstelpad: {exc}"
    if problem:
        pytest.fail(problem, pytrace=False)
    request.node.stash[pack_key] = pack
    missing = pack.missing(required_capabilities({marker.name for marker in request.node.iter_markers()}), settings)
    if missing:
        request.node.stash[skipped_for_key] = " ".join(missing)  # pytest's summary then names the scenario
        pytest.skip(pack.skip_reason(missing))


@pytest.fixture(scope="session")
def run_id(pytestconfig: pytest.Config) -> str:
    """A short id unique to this run and worker, part of every e-mail address it makes (read from the worker's
    config, not xdist's `worker_id` fixture: a run with `-p no:xdist` has none)."""
    worker: str = getattr(pytestconfig, "workerinput", {}).get("workerid", "")
    return f"{uuid.uuid4().hex[:6]}{worker.removeprefix('gw')}"


@pytest.fixture(scope="session")
def dutch_faker() -> Faker:
    """One Faker nl_NL per process (loading a locale's providers takes a moment)."""
    return Faker(FAKER_LOCALE)


@pytest.fixture
def faker(dutch_faker: Faker, request: pytest.FixtureRequest) -> Faker:
    """Dutch people, seeded per scenario (its node id): reproducible, and different in every scenario.

    Replaces the `faker` fixture of Faker's pytest plugin, which reads `faker_locale` and
    `faker_seed` only when the test itself asks for them, so its steps got en_US and seed 0.
    """
    dutch_faker.seed_instance(zlib.crc32(request.node.nodeid.encode()))
    dutch_faker.unique.clear()
    return dutch_faker


def mailbox_of(mailpit: Mailpit, address: str, pack: TargetPack | None, target: RunningTarget | None = None) -> Mailbox:
    """The view of one address's mail, reading codes where the pack's e-mails hold them: only the target's own mail
    (the pack's senders and subjects) and links (the running target's origin and the pack's origins)."""
    if pack is None:
        return Mailbox(mailpit, address, DEFAULT_CODE)
    return Mailbox(mailpit, address, pack.email_code, MailTrust.of(pack, target.url if target is not None else None))


@pytest.fixture
def mailbox_for(mailpit: Mailpit, target_pack: TargetPack, target: RunningTarget) -> Callable[[str], Mailbox]:
    """Gives the mailbox view of any address, for addresses that belong to no actor (only the target's own mail)."""
    return lambda address: mailbox_of(mailpit, address, target_pack, target)


@pytest.fixture
def scenario(request: pytest.FixtureRequest, target: RunningTarget, settings: Settings) -> Scenario:
    """What the pack's methods get of this scenario: its page, target, settings and other fixtures."""
    return Scenario(request, target, settings)


@pytest.fixture
def clock() -> Clock:
    """This scenario's one clock: the phones' (and the target's, where a pack moves it forward)."""
    return Clock()


@pytest.fixture
def provisioner(target_pack: TargetPack, scenario: Scenario) -> Iterator[Provisioner]:
    """The pack's provisioner for this scenario; a clear failure for a pack that makes no people."""
    made = check_pack(target_pack).provisioner(scenario)
    if made is None:
        pytest.fail(
            f"herstelpad: pack {target_pack.name} makes no people: its provisioner() returns None (see docs/packs.md).",
            pytrace=False,
        )
    yield made
    made.close()


@pytest.fixture
def people(faker: Faker, provisioner: Provisioner, run_id: str) -> PeopleFactory:
    """Makes Dutch people and provisions them in the target through the pack."""
    return PeopleFactory(faker, provisioner, run_id)


@pytest.fixture
def organisation(people: PeopleFactory) -> Organisation | None:
    """The organisation this scenario's people work for; None for a target without organisations."""
    return people.organisation() if people.provisioner.organisations else None


ActorFactory = Callable[..., Actor]
"""make_actor(role, organisation=None, **options): a provisioned person with a phone and a mailbox view."""


@pytest.fixture
def make_actor(
    target_pack: TargetPack,
    scenario: Scenario,
    people: PeopleFactory,
    organisation: Organisation | None,
    mailpit: Mailpit,
    clock: Clock,
    journal: Any,
    settings: Settings,
) -> Iterator[ActorFactory]:
    """Makes actors: provisioned people with the pack's phone and a mailbox view; at the end their mail and users go.

    `options` go to the pack's provisioner and phone (e.g. `active=False`); `organisation` is the scenario's own
    unless given (another organisation's person).
    """
    pack = check_pack(target_pack)
    made: list[Actor] = []

    home = organisation

    def make(role: str, organisation: Organisation | None = None, **options: Any) -> Actor:
        person = people.person(organisation or home, **options)
        owner: list[Actor] = []  # the listener lists the accounts of the owner's phone now (also after a new phone)

        def listener(line: str) -> None:
            """Journals a line of the phone's app with the accounts it lists afterwards."""
            shown = owner[0].phone.accounts() if owner else []
            journal.record_event(f"{pack.phone_name} van {role}", line, [f"{a.issuer}: {a.label}" for a in shown])

        context = PhoneContext(scenario, role, clock, settings.timeout, listener)
        phone = pack.make_phone(context, person, options)
        actor = Actor(role, person, mailbox_of(mailpit, person.email, pack, scenario.target), phone, journal, settings.timeout)
        owner.append(actor)
        made.append(actor)
        return actor

    yield make
    problems = []
    for actor in made:  # only this scenario's own messages and users: parallel runs share Mailpit and the target
        try:
            actor.mailbox.clear()
            actor.phone.close()
            people.provisioner.delete_user(actor.person)
        except Exception as exc:  # noqa: BLE001 - clean up the others; say what was left
            problems.append(f"{actor.role}: {exc}")
    if problems:
        pytest.fail("herstelpad: opruimen mislukt: " + "; ".join(problems), pytrace=False)


LEGACY_PERSON = "ik"  # the person's fixture name in packs written against the first docs/packs.md
NO_PERSON = (
    "herstelpad: this step needs the scenario's person, but no Gegeven step made one: a pack's Gegeven step must "
    'return the person with target_fixture="me" (e.g. @given("ik ben een medewerker …", target_fixture="me") '
    "returning make_actor(\"de persoon\")); see docs/packs.md."
)


@pytest.fixture
def me(request: pytest.FixtureRequest) -> Actor:
    """The scenario's person, whom the generic steps act as: what the pack's Gegeven step returned.

    A step with `target_fixture="me"` replaces this fixture with its actor (pytest-bdd injects it). Without one,
    this fixture gives the actor of a pack's older Gegeven step with `target_fixture="ik"`, or fails saying what
    a Gegeven step has to return.
    """
    try:
        person: Actor = request.getfixturevalue(LEGACY_PERSON)
    except pytest.FixtureLookupError:
        pytest.fail(NO_PERSON, pytrace=False)
    return person


@pytest.fixture
def code_entry(target_pack: TargetPack, scenario: Scenario) -> Callable[[str], None]:
    """Types a code on the screen that asks for one: the pack's `enter_code`."""
    return lambda code: check_pack(target_pack).enter_code(scenario, code)


@pytest.fixture
def open_page(new_context: Callable[..., BrowserContext], settings: Settings) -> Callable[[], Page]:
    """Opens a page in another browser (its own cookies), for a second person in the scenario."""

    def open_() -> Page:
        page = new_context().new_page()
        page.set_default_timeout(settings.timeout * 1000)
        return page

    return open_


@pytest.fixture
def prepared_page(page: Page, settings: Settings) -> Page:
    """The scenario's page with herstelpad's timeout for every wait and expectation."""
    from playwright.sync_api import expect

    page.set_default_timeout(settings.timeout * 1000)
    expect.set_options(timeout=settings.timeout * 1000)
    return page


def target_details(target: RunningTarget, key: str) -> Any:
    """One thing the pack told about its running target; a clear error when the pack did not."""
    if key not in target.details:
        raise PackError(f"the running target has no {key!r} (it has {sorted(target.details)})")
    return target.details[key]
