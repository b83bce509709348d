"""herstelpad's pytest plugin: its option group, validated settings and plain-words failures."""

from __future__ import annotations

import difflib
import importlib
import json
import os
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from herstelpad.pack import CAPABILITIES, REQUIREMENT_PREFIX
from herstelpad.settings import CLEAN_ALLURE_DIR, SETTINGS, Settings, SettingsError, resolve

# The other modules of the plugin: the generic Dutch steps and the report. The core's fixtures and the
# browser's come in at pytest_configure, after every plugin of an entry point: they override some of
# pytest-playwright's and Faker's fixtures, and among plugins the one registered last wins.
pytest_plugins = ["herstelpad.steps", "herstelpad.report.recorder"]
OVERRIDING_PLUGINS = ("herstelpad.fixtures", "herstelpad.browser", "herstelpad.contexts")

PACK_ENV = "HERSTELPAD_PACK"
settings_key = pytest.StashKey[Settings]()
_pack_key = pytest.StashKey[Any]()
_shared_key = pytest.StashKey[Any]()
_failed_key = pytest.StashKey[bool]()
pack_key = pytest.StashKey[Any]()  # an item's TargetPack, stored when its set-up starts
skipped_for_key = pytest.StashKey[str]()  # the capabilities a scenario needs and its target lacks
ALLURE_PLUGINS = ("allure_pytest", "allure_pytest_bdd")  # their results would hold the secrets unmasked
SHARED_MAILPIT = "herstelpad_mailpit"  # the workerinput key of the controller's Mailpit: [url, "host:port"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Adds herstelpad's options in one group; environment variables give their defaults."""
    group = parser.getgroup("herstelpad", "herstelpad (recovery-path scenarios)")
    for name, setting in SETTINGS.items():
        default = f" [env {setting.env}" + (f", default {setting.default}]" if setting.default else "]")
        try:
            group.addoption(setting.option, dest=f"herstelpad_{name}", default=None, help=setting.help + default)
        except ValueError:  # --alluredir of allure-pytest, when it is installed too: refused in pytest_configure
            pass
    try:
        group.addoption(CLEAN_ALLURE_DIR, dest="herstelpad_clean_allure_dir", action="store_true", default=False,
                        help="empty the --alluredir folder before writing the Allure results (as allure-pytest)")
    except ValueError:
        pass
    group.addoption(
        "--herstelpad-pack", dest="herstelpad_pack", default=None, metavar="NAME",
        help=f"run this pack's scenarios (an installed one, or fixtures/NAME/pack.py here); its pack where no "
        f"conftest binds one [env {PACK_ENV}]",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Validates the settings once, so a bad value ends the run before anything starts."""
    # pytest-playwright's own fallback base_url fixture warns in every project (fixed upstream, not here)
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    )
    for name in OVERRIDING_PLUGINS:
        if not config.pluginmanager.has_plugin(name):
            config.pluginmanager.register(importlib.import_module(name), name)
    allure_plugins = [name for name in ALLURE_PLUGINS if config.pluginmanager.has_plugin(name)]
    if allure_plugins:
        raise pytest.UsageError(
            f"{', '.join(allure_plugins)} is loaded: it writes its own Allure results, with the secrets of the "
            "scenarios unmasked. herstelpad writes the Allure results itself, masked (--alluredir works as usual): "
            f"leave the plugin out with {' '.join(f'-p no:{name}' for name in allure_plugins)} or uninstall it."
        )
    raw = {name: config.getoption(f"herstelpad_{name}", default=None) for name in SETTINGS}
    raw["clean_allure_dir"] = config.getoption("herstelpad_clean_allure_dir", default=False)
    base_url = config.getoption("--base-url", default=None)
    if base_url and not raw["target_url"]:
        raw["target_url"] = base_url
    try:
        settings = resolve(raw, config.invocation_params.dir, config.rootpath)
    except SettingsError as exc:
        raise pytest.UsageError(str(exc)) from None
    browsers = config.getoption("--browser", default=None) or []
    if any(name != "chromium" for name in browsers):
        raise pytest.UsageError(
            f"--browser {' '.join(browsers)}: herstelpad drives Chromium only (the portal's "
            "push page and the QR scan are checked there). Leave --browser out."
        )
    unmasked = [f"--{name} {value}" for name in ("screenshot", "video")
                if (value := config.getoption(f"--{name}", default="off")) != "off"]
    if unmasked:
        raise pytest.UsageError(
            f"{' '.join(unmasked)}: pytest-playwright's own screenshots and videos show the typed codes and "
            "the QR code (the TOTP secret) unmasked. herstelpad already keeps masked screenshots in the report "
            "(which ones: --herstelpad-screenshots elke-stap|documentatie|fouten) and a redacted trace of each "
            "failing scenario. Leave these options out."
        )
    config.stash[settings_key] = settings
    _select_pack(config)
    for capability, meaning in CAPABILITIES.items():
        config.addinivalue_line("markers", f"{REQUIREMENT_PREFIX}{capability}: runs only on a target that offers {meaning}")
    if _is_xdist_controller(config):
        _start_shared_mailpit(config, settings)


def _select_pack(config: pytest.Config) -> None:
    """Finds the pack --herstelpad-pack names; without paths on the command line, runs its scenarios."""
    from herstelpad.pack import PackError, find_pack, repository_root

    name = config.getoption("herstelpad_pack", default=None) or os.environ.get(PACK_ENV)
    if not name:
        return
    try:
        pack = find_pack(name, repository_root(config.invocation_params.dir) or repository_root(config.rootpath))
    except PackError as exc:
        raise pytest.UsageError(f"--herstelpad-pack {name}: {exc}") from None
    config.stash[_pack_key] = pack
    if config.args_source != pytest.Config.ArgsSource.ARGS:  # no paths given: the pack's scenarios
        folder = pack.scenario_folder()
        if not folder.is_dir():
            raise pytest.UsageError(f"--herstelpad-pack {name}: its scenario folder {folder} does not exist")
        config.args[:] = [str(folder)]


def selected_pack(config: pytest.Config) -> Any:
    """The TargetPack --herstelpad-pack names, or None."""
    return config.stash.get(_pack_key, None)


def _is_xdist_controller(config: pytest.Config) -> bool:
    """True in the process that hands tests to pytest-xdist workers."""
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


def _start_shared_mailpit(config: pytest.Config, settings: Settings) -> None:
    """Starts one Mailpit for all xdist workers (unless a running one is configured); the workers hear of it."""
    if settings.mailpit_url:
        return
    from herstelpad.services import ServiceError, start_mailpit

    try:
        config.stash[_shared_key] = start_mailpit(settings.reports / "logs")
    except ServiceError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tells an xdist worker where the controller's Mailpit is."""
    shared = node.config.stash.get(_shared_key, None)
    if shared is not None:
        node.workerinput[SHARED_MAILPIT] = [shared.url, f"{shared.smtp_host}:{shared.smtp_port}"]


def shared_mailpit_of(config: pytest.Config) -> tuple[str, str] | None:
    """The Mailpit an xdist controller started for this worker: (url, "host:port"), or None."""
    shared = getattr(config, "workerinput", {}).get(SHARED_MAILPIT)
    return (shared[0], shared[1]) if shared else None


def failed_so_far(config: pytest.Config) -> bool:
    """Whether a test of this run failed yet (the services' logs are kept then)."""
    return config.stash.get(_failed_key, False)


LEAK_TEST_ENV = "HERSTELPAD_LEAK_TEST_SECRETS"  # a file outside reports/, set only by tests/report's leak test


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Notes a failure for the services' logs; for the leak test, hands over the secrets this run used."""
    if session.testsfailed:  # in an xdist controller too: the workers' reports are counted there
        session.config.stash[_failed_key] = True
    target = os.environ.get(LEAK_TEST_ENV)
    if target:
        from herstelpad.secrets import REGISTRY

        worker = os.environ.get("PYTEST_XDIST_WORKER")  # each xdist worker registered its own secrets
        Path(f"{target}.{worker}" if worker else target).write_text(json.dumps(REGISTRY.originals()), encoding="utf-8")


@pytest.hookimpl(tryfirst=True)
def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """herstelpad's own stop (pytest.exit with a message that says what to fix) keeps only its last frames (the one
    that stopped, and pytest.exit's own, hidden) and not the error it names: pytest's terminal writer renders the
    whole traceback of a stop with every argument, which only --fulltrace shows, and that took 1.8 s for the eighty
    frames between the session and a fixture and Playwright's chained error (whose source it parses)."""
    if isinstance(excinfo.value, pytest.exit.Exception) and str(excinfo.value).startswith("herstelpad:"):
        excinfo.traceback = excinfo.traceback[-3:]
        excinfo.value.__suppress_context__ = True


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stops the Mailpit an xdist controller started for its workers."""
    shared = config.stash.get(_shared_key, None)
    if shared is not None and shared.process is not None:
        shared.process.end(keep_log=failed_so_far(config))


def settings_of(config: pytest.Config) -> Settings:
    """Returns the run's validated settings."""
    return config.stash[settings_key]


unknown_step_key = pytest.StashKey[str]()


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, exception: Exception) -> None:
    """Remembers, in plain words, which step text has no definition."""
    request.node.stash[unknown_step_key] = unknown_step_message(request, step.keyword, step.name, feature.filename, step.line_number)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Replaces the stack trace of an unknown step by one plain sentence; keeps traces only redacted."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "teardown":
        redact_kept_traces(item, report)
    if report.failed:
        item.config.stash[_failed_key] = True
    message = item.stash.get(unknown_step_key, None)
    if message and report.when == "call":
        report.longrepr = message
    template = scenario_template(item)
    if report.skipped and item.stash.get(skipped_for_key, None) and template and isinstance(report.longrepr, tuple):
        feature = os.path.relpath(template.feature.filename, item.config.rootpath)
        report.longrepr = (feature, template.line_number, report.longrepr[2])  # the scenario, not a line in pytest-bdd


def scenario_template(item: pytest.Item) -> Any | None:
    """The pytest-bdd scenario template behind an item, or None for any other test (or without pytest-bdd)."""
    try:  # imported here: the plugin loads where pytest-bdd is absent
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:
        return None
    function = getattr(item, "obj", None)  # a doctest or a non-Python item has none (and None is no weak key)
    return scenario_wrapper_template_registry.get(function) if function is not None else None


def redact_kept_traces(item: pytest.Item, report: pytest.TestReport) -> None:
    """Masks the secrets in each trace pytest-playwright kept (it has attached them by now).

    A trace that cannot be redacted, or that still holds a known secret afterwards, is deleted: the report
    then links no trace and its journal says why.
    """
    from herstelpad.traces import redact_trace

    for name, value in list(report.user_properties):
        if name != "playwright_trace":
            continue
        path = Path(item.config.invocation_params.dir, str(value))
        try:
            result = redact_trace(path)
        except Exception as exc:  # noqa: BLE001 - a broken zip, a full disk, a secret left: never keep it as it is
            path.unlink(missing_ok=True)
            why = f"Playwright-trace {Path(str(value)).name} verwijderd: schonen mislukte ({exc})"
            report.user_properties = [kept for kept in report.user_properties if tuple(kept) != (name, value)]
            report.sections.append(("herstelpad trace", why))
            journal = getattr(item, "funcargs", {}).get("journal")
            if journal is not None:
                journal.record_event("herstelpad", why)
        else:
            report.sections.append(("herstelpad trace", f"{value}: {result.summary()}"))


def unknown_step_message(request: pytest.FixtureRequest, keyword: str, text: str, filename: str, line: int) -> str:
    """Says which step has no definition and which known step text is closest."""
    close = difflib.get_close_matches(text, known_step_texts(request), n=1, cutoff=0.5)
    hint = f' Bedoel je: "{close[0]}"?' if close else ""
    hiding = modules_hiding_steps(text)
    if hiding:
        hint += (
            f" De module {', '.join(hiding)} definieert __all__ zonder zijn stapdefinities, dus `from … import *` "
            "neemt ze niet mee (pytest-bdd maakt per stap een fixture `pytestbdd_stepdef_…`): haal __all__ weg of "
            "importeer de stappen anders."
        )
    return (
        f'Onbekende stap: {keyword.strip()} "{text}" ({Path(filename).name}, regel {line}). '
        f"Geen stapdefinitie herkent deze tekst.{hint} "
        "(Unknown step: add a definition in your pack's steps or fix the text in the feature file.)"
    )


def modules_hiding_steps(text: str) -> list[str]:
    """The imported modules whose `__all__` leaves out step definitions, those that define this text first."""
    from pytest_bdd.steps import StepNamePrefix, step_function_context_registry

    parsers = {context.parser.name: context.parser for context in list(step_function_context_registry.values())}
    matching: list[str] = []
    other: list[str] = []
    prefix = StepNamePrefix.step_def.value + "_"
    for name, module in list(sys.modules.items()):
        exported = getattr(module, "__all__", None)
        if not isinstance(exported, list | tuple):
            continue
        hidden = [key.removeprefix(prefix) for key in list(vars(module)) if key.startswith(prefix) and key not in exported]
        if not hidden:
            continue
        texts = [key.partition("_")[2] for key in hidden]  # "<type>_<step text>"
        defines = any(parser.is_matching(text) for step, parser in parsers.items() if step in texts)
        (matching if defines else other).append(name)
    return matching or other


def known_step_texts(request: pytest.FixtureRequest) -> list[str]:
    """Lists the texts of the step definitions visible to this test."""
    from pytest_bdd.compat import get_fixture_names, getfixturedefs
    from pytest_bdd.steps import step_function_context_registry

    manager = request._fixturemanager  # noqa: SLF001 - pytest-bdd's own way of finding steps
    texts = []
    for name in get_fixture_names(fixturemanager=manager):
        for fixturedef in getfixturedefs(manager, name, request.node) or []:
            context = step_function_context_registry.get(fixturedef.func)
            if context is not None:
                texts.append(context.parser.name)
    return texts
