"""pytest plugin: records every pytest-bdd scenario (steps, screenshots, e-mails, events) for the living documentation.

The hooks only: the record is built in `recording`, the pictures are taken in `screenshots` (by the run's
screenshot policy), the outputs are written by `herstelpad.report.write_outputs`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import pytest

from herstelpad.plugin import pack_key, settings_key
from herstelpad.report import errors
from herstelpad.report.article import shots_for_step
from herstelpad.report.journal import Journal
from herstelpad.report.junit import junitxml_path, mask_junitxml
from herstelpad.report.masking import mask, strip_ansi
from herstelpad.report.model import Attachment, ErrorInfo
from herstelpad.report.recording import (
    JOURNAL,
    RECORDING,
    STATE,
    Recording,
    RunState,
    finalize,
    is_scenario,
    new_recording,
    recording_for,
    selection_info,
    summary_line,
)
from herstelpad.report.results import finish_run
from herstelpad.report.screenshots import safe_url, take_picture, wants_after, wants_before, watch_actions

if TYPE_CHECKING:
    from _pytest.reports import TestReport
    from _pytest.terminal import TerminalReporter
    from pytest_bdd import parser


# --- set-up ----------------------------------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Decides the reports folder, the screenshot policy and the run id (workers take the controller's id)."""
    settings = config.stash[settings_key]
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    run_id = (workerinput or {}).get("herstelpad_run_id") or f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    config.stash[STATE] = RunState(settings.reports, run_id, time.time(), controller=workerinput is None,
                                   screenshots=settings.screenshots)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Hands the run id to an xdist worker, so the controller merges only this run's files."""
    node.workerinput["herstelpad_run_id"] = node.config.stash[STATE].run_id


@pytest.fixture
def journal(request: pytest.FixtureRequest) -> Journal:
    """The scenario's journal: fixtures record the e-mails read and what each actor did."""
    entry = Journal()
    recording = request.node.stash.get(RECORDING, None)
    entry.step = recording.current_step if recording else None
    request.node.stash[JOURNAL] = entry
    return entry


# --- pytest-bdd hooks --------------------------------------------------------------------


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: parser.Feature, scenario: parser.Scenario) -> None:
    """Starts recording the scenario."""
    request.node.stash[RECORDING] = new_recording(request.node, feature, scenario)


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_before_step(request: pytest.FixtureRequest, step: parser.Step) -> None:
    """Marks the step as the current one (the journal files e-mails and events under it); takes the screen before
    it when the pack's help article shows this step (and the policy keeps it), with the controls it names outlined."""
    recording = request.node.stash[RECORDING]
    recording.current_step = recording.index_of(step)
    shots = shots_for_step(recording.scenario.article, recording.scenario.name, step.name)
    if wants_before(request.config.stash[STATE].screenshots, shots):
        highlights = tuple(dict.fromkeys(shot.highlight for shot in shots if shot.highlight))
        recorded = recording.scenario.steps[recording.current_step]
        taken = time.perf_counter()
        recorded.before, _ = _screenshot(request, recording, recording.current_step, "voor", highlights)
        recorded.screenshot_seconds = round(time.perf_counter() - taken, 3)
    recording.step_started = time.perf_counter()
    if (entry := request.node.stash.get(JOURNAL, None)) is not None:
        entry.step = recording.current_step


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_after_step(request: pytest.FixtureRequest, step: parser.Step) -> None:
    """Records a passed step and the screenshot after it."""
    _finish_step(request, step, "passed", None)


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_step_error(request: pytest.FixtureRequest, step: parser.Step, exception: Exception) -> None:
    """Records a failed step, its error in plain words and the screenshot of the moment."""
    _finish_step(request, step, "failed", ErrorInfo.model_validate(errors.from_exception(exception)))


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, step: parser.Step, exception: Exception) -> None:
    """Records a step without a step definition."""
    recording = request.node.stash[RECORDING]
    recording.current_step = recording.index_of(step)
    recording.step_started = time.perf_counter()
    _finish_step(request, step, "undefined", ErrorInfo.model_validate(errors.from_exception(exception)))


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """Records the URL the scenario ended on."""
    page = _active_page(request)
    if page is not None:
        request.node.stash[RECORDING].scenario.url = safe_url(page)


def _finish_step(request: pytest.FixtureRequest, step: parser.Step, status: str, error: ErrorInfo | None) -> None:
    """Stores a step's outcome, duration, URL and the screenshot after it (when the policy asks for one)."""
    recording = request.node.stash[RECORDING]
    index = recording.index_of(step)
    recorded = recording.scenario.steps[index]
    recorded.status = status
    recorded.duration = round(time.perf_counter() - recording.step_started, 3)
    shots = shots_for_step(recording.scenario.article, recording.scenario.name, step.name)
    taken = time.perf_counter()
    if wants_after(request.config.stash[STATE].screenshots, status, shots):
        recorded.screenshot, recorded.url = _screenshot(request, recording, index)
    elif (page := _active_page(request)) is not None:
        recorded.url = safe_url(page)
    if (page := _active_page(request)) is not None and id(page) not in recording.watched:
        _watch(recording, page)  # from here on, the pictures are cropped around what the steps act on
    recorded.screenshot_seconds = round(recorded.screenshot_seconds + time.perf_counter() - taken, 3)
    if error is not None:
        recorded.error = error
        recording.scenario.error = error.model_copy(update={"step": index})


def _active_page(request: pytest.FixtureRequest) -> Any | None:
    """Returns the scenario's Playwright page when the scenario has one (never starts a browser)."""
    if "page" not in request.fixturenames:  # also lists fixtures requested later, by steps
        return None
    try:
        return request.getfixturevalue("page")
    except Exception:  # noqa: BLE001 - a broken page fixture is reported by pytest itself
        return None


def _watch(recording: Recording, page: Any) -> None:
    """Makes the page remember what the steps act on, once per page (a page that cannot is cropped without it)."""
    recording.watched.add(id(page))
    try:
        watch_actions(page)
    except Exception:  # noqa: BLE001, S110 - a closed or navigating page: its pictures are cropped to its content instead
        pass


def _screenshot(
    request: pytest.FixtureRequest, recording: Recording, index: int, suffix: str = "", highlights: tuple[str, ...] = ()
) -> tuple[Attachment | None, str | None]:
    """Takes the picture of step `index` (see screenshots.take_picture); returns (attachment, URL). A picture that
    could not be taken is a note of the scenario."""
    page = _active_page(request)
    if page is None:
        return None, None
    name = f"{recording.scenario.id}-{index + 1:02d}{f'-{suffix}' if suffix else ''}.png"
    pack = request.node.stash.get(pack_key, None)
    picture, recording.last_shot = take_picture(
        page, pack, request.config.stash[STATE].reports_dir, name, recording.last_shot, highlights
    )
    if picture.problem is not None:
        when = "voor" if suffix else "na"
        recording.scenario.notes.append(f"Geen schermafbeelding {when} stap {index + 1}: {picture.problem}")
    return picture.attachment, safe_url(page)


# --- pytest reports: masking at source, outcome, writing ---------------------------------


def _mask_report(report: TestReport) -> None:
    """Masks the failure text and captured output of a report before anyone (terminal, JUnit, xdist) sees it."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        report.longrepr = (longrepr[0], longrepr[1], mask(longrepr[2]))
    elif longrepr is not None:
        text = str(longrepr)
        if (masked := mask(text)) != strip_ansi(text):  # keep pytest's own rendering unless a secret is in it
            report.longrepr = masked
    report.sections = [(title, mask(content)) for title, content in report.sections]


def _apply_report(recording: Recording, report: TestReport, item: pytest.Item) -> None:
    """Folds one phase's report (setup, call, teardown) into the scenario's status."""
    scenario = recording.scenario
    recording.durations[report.when] = report.duration
    if report.failed:
        scenario.status, scenario.phase = "failed", scenario.phase or report.when
        if scenario.error is None:
            scenario.error = ErrorInfo.model_validate(errors.from_report(report.longrepr, report.when))
    elif report.skipped and scenario.status != "failed":
        scenario.status = "skipped"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        scenario.skip_reason = mask(getattr(report, "wasxfail", "") or reason)
    elif report.when == "call" and report.passed and scenario.status == "skipped":
        scenario.status = "passed"
    if report.when == "teardown":
        finalize(recording, report, item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, TestReport, TestReport]:
    """Masks every report at source and records the scenario's outcome (after pytest-playwright kept its trace)."""
    report = yield
    _mask_report(report)
    if report.failed or report.skipped or report.when != "setup":
        recording = recording_for(item)
        if recording is not None:
            _apply_report(recording, report, item)
    return report


# --- what the session selected: a filtered or stopped run is partial ---------------------


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Counts the scenarios -m, -k or another plugin left out."""
    if items and (state := items[0].config.stash.get(STATE, None)) is not None:
        state.deselected += sum(map(is_scenario, items))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Counts the scenarios that are to run."""
    if (state := session.config.stash.get(STATE, None)) is not None:
        state.selected = sum(map(is_scenario, session.items))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller takes the counts of an xdist worker (each worker collects and deselects the same)."""
    counts = getattr(node, "workeroutput", {}).get("herstelpad_selection")
    if counts and (state := node.config.stash.get(STATE, None)) is not None:
        state.selected, state.deselected = max(state.selected, counts[0]), max(state.deselected, counts[1])


# --- end of the session (controller only) ------------------------------------------------


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Finishes the run once (merges the workers' scenario files) and writes every output from the model."""
    config = session.config
    state = config.stash.get(STATE, None)
    if state is not None and not state.controller:
        config.workeroutput["herstelpad_selection"] = (state.selected, state.deselected)  # type: ignore[attr-defined]
    if state is None or not state.controller:
        return
    duration = round(time.time() - state.started, 3)
    info = {"duration": duration, "exitstatus": int(exitstatus), "screenshots": state.screenshots}
    run = finish_run(state.reports_dir, state.run_id, info=info | selection_info(config, state, int(exitstatus)))
    if run is None:
        return  # no scenario ran in this session: leave the last report alone
    from herstelpad.report import write_outputs
    from herstelpad.report.article import article_of
    from herstelpad.report.history import save_history

    save_history(state.reports_dir, run)
    article = article_of(run)
    settings = config.stash.get(settings_key, None)
    state.report_path = write_outputs(
        state.reports_dir, run, article, pytest_junit=junitxml_path(config),
        allure_dir=settings.allure_dir if settings else None, clean_allure_dir=bool(settings and settings.clean_allure_dir),
    )
    state.summary = summary_line(run)


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    """Prints where the report is and the counts."""
    state = config.stash.get(STATE, None)
    if state is not None and state.report_path is not None:
        terminalreporter.write_line(f"Verslag: {state.report_path}")
        terminalreporter.write_line(state.summary)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Masks the JUnit XML that pytest's junitxml plugin wrote (it writes at session finish)."""
    state = config.stash.get(STATE, None)
    path = junitxml_path(config)
    if state is not None and state.controller and path is not None:
        mask_junitxml(path)
