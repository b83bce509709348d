"""pytest plugin: records every pytest-bdd scenario (steps, screenshots, e-mails, events) for the living documentation."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Generator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from herstelpad.pack import DEFAULT_MASKS
from herstelpad.plugin import pack_key, scenario_template, settings_key
from herstelpad.report import errors
from herstelpad.report.journal import Journal
from herstelpad.report.masking import mask, strip_ansi
from herstelpad.report.model import DEFAULT_TARGET, Attachment, ErrorInfo, Failure, Feature, Run, Scenario, Step
from herstelpad.report.results import (
    FILTERED,
    INTERRUPTED,
    SCREENSHOT_DIR,
    STATUS_NL,
    count_statuses,
    finish_run,
    now_iso,
    run_folder,
    safe_id,
    steps_hash,
    write_scenario,
)
from herstelpad.screen_masks import masked_screenshot

if TYPE_CHECKING:
    from _pytest.reports import TestReport
    from _pytest.terminal import TerminalReporter
    from pytest_bdd import parser

MASK_COLOR = "#3d4a5c"  # a calm slate block where a QR code or a typed secret would be
MASK_SELECTOR = ", ".join(DEFAULT_MASKS)  # a test without a pack; a pack's scenarios mask what its pack names
SCREENSHOT_TIMEOUT_MS = 10_000
# what the picture of a page depends on: its URL, elements, texts, typed values, focus, scroll (of the page and of
# each element), viewport, fonts and loaded images (typed values only feed a digest that stays in memory: never
# stored, never shown). Styles are read as the browser's canonical text: Playwright's masked screenshot sets and
# removes styles, which rewrites the attribute.
# A frame, canvas or video draws what no DOM shows: a page with one never counts as unchanged.
FINGERPRINT_JS = """() => {
  const out = [location.href, scrollX, scrollY, innerWidth, innerHeight, document.fonts.status];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push('#' + node.data); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const attributes = [...node.attributes].filter((a) => a.name !== 'style').map((a) => a.name + '=' + a.value);
    out.push('<' + node.tagName, ...attributes, 'style=' + (node.style ? node.style.cssText : ''));
    if (node === document.activeElement) out.push('focus');
    if (node.scrollTop || node.scrollLeft) out.push('scroll=' + node.scrollTop + ',' + node.scrollLeft);
    if ('value' in node && /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName)) {
      out.push('value=' + node.value, node.checked);
    }
    if (node.tagName === 'IMG') out.push(node.complete ? node.naturalWidth : -1);
    if (/^(IFRAME|FRAME|OBJECT|EMBED|CANVAS|VIDEO)$/.test(node.tagName)) out.push(Math.random());
    for (const child of [...node.childNodes, ...(node.shadowRoot ? node.shadowRoot.childNodes : [])]) walk(child);
    out.push('>');
  };
  walk(document.documentElement);
  return out.join('\\u0000');
}"""


@dataclass
class RunState:
    """What the plugin knows about this pytest process's run."""

    reports_dir: Path
    run_id: str
    started: float
    controller: bool
    report_path: Path | None = None
    summary: str = ""
    selected: int = 0  # pytest-bdd scenarios left to run after -m/-k/deselection
    deselected: int = 0


@dataclass
class Recording:
    """The scenario being recorded for one test item: its model plus timers and the current step."""

    scenario: Scenario
    current_step: int | None = None
    step_started: float = 0.0
    durations: dict[str, float] = field(default_factory=dict)
    last_shot: tuple[str, Path] | None = None  # the fingerprint of the page in the last picture, and that picture

    def index_of(self, step: parser.Step) -> int:
        """Returns the position of a pytest-bdd step in the scenario (by line and text)."""
        for index, recorded in enumerate(self.scenario.steps):
            if recorded.line == step.line_number and recorded.text == step.name:
                return index
        return len(self.scenario.steps) - 1


_STATE = pytest.StashKey[RunState]()
_RECORDING = pytest.StashKey[Recording]()
_JOURNAL = pytest.StashKey[Journal]()


# --- options and set-up ------------------------------------------------------------------


def _reports_dir(config: pytest.Config) -> Path:
    """The run's reports folder, as herstelpad's settings resolved it."""
    from herstelpad.plugin import settings_key

    return config.stash[settings_key].reports


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Decides the reports folder and the run id (workers take the controller's id)."""
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    run_id = (workerinput or {}).get("herstelpad_run_id") or f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    config.stash[_STATE] = RunState(_reports_dir(config), run_id, time.time(), controller=workerinput is None)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Hands the run id to an xdist worker, so the controller merges only this run's files."""
    node.workerinput["herstelpad_run_id"] = node.config.stash[_STATE].run_id


@pytest.fixture
def journal(request: pytest.FixtureRequest) -> Journal:
    """The scenario's journal: fixtures record the e-mails read and what each actor did."""
    entry = Journal()
    recording = request.node.stash.get(_RECORDING, None)
    entry.step = recording.current_step if recording else None
    request.node.stash[_JOURNAL] = entry
    return entry


# --- building a scenario record ----------------------------------------------------------


def _example_row(item: pytest.Item) -> dict[str, str] | None:
    """Returns the Voorbeelden row of an Abstract Scenario item, or None."""
    callspec = getattr(item, "callspec", None)
    row = callspec.params.get("_pytest_bdd_example") if callspec else None
    return dict(row) if row else None


def _new_recording(item: pytest.Item, feature: parser.Feature, scenario: parser.Scenario) -> Recording:
    """Starts the record of a scenario: feature, scenario and every step as not (yet) run."""
    config = item.config
    state = config.stash[_STATE]
    pack = item.stash.get(pack_key, None)
    target = pack.name if pack is not None else DEFAULT_TARGET
    record = Scenario(
        run_id=state.run_id,
        nodeid=item.nodeid,
        id=safe_id(item.nodeid),
        worker=getattr(config, "workerinput", {}).get("workerid"),
        target=target,
        article=pack.article_module if pack is not None else None,
        feature=Feature(
            keyword=feature.keyword,
            name=feature.name,
            description=feature.description,
            file=Path(os.path.relpath(feature.filename, config.rootpath)).as_posix(),
            line=feature.line_number,
            tags=sorted(feature.tags),
            language=feature.language,
            target=target,
        ),
        keyword=scenario.keyword,
        name=scenario.name,
        description=scenario.description,
        line=scenario.line_number,
        own_tags=sorted(scenario.tags),
        tags=sorted(set(feature.tags) | set(scenario.tags)),
        example=_example_row(item),
        rule=scenario.rule.name if scenario.rule else None,
        started=now_iso(),
        steps=[
            Step(
                keyword=step.keyword.strip(),
                type=step.type,
                text=step.name,
                line=step.line_number,
                docstring=step.docstring,
                datatable=[[cell.value for cell in row.cells] for row in step.datatable.rows]
                if step.datatable
                else None,
            )
            for step in scenario.steps
        ],
    )
    return Recording(scenario=record)


def _recording_for(item: pytest.Item) -> Recording | None:
    """Returns the item's recording, creating it from the scenario template when the scenario never started."""
    recording = item.stash.get(_RECORDING, None)
    if recording is not None:
        return recording
    template = scenario_template(item)
    if template is None:
        return None
    recording = _new_recording(item, template.feature, template.render(_example_row(item) or {}))
    item.stash[_RECORDING] = recording
    return recording


# --- pytest-bdd hooks --------------------------------------------------------------------


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: parser.Feature, scenario: parser.Scenario) -> None:
    """Starts recording the scenario."""
    request.node.stash[_RECORDING] = _new_recording(request.node, feature, scenario)


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_before_step(request: pytest.FixtureRequest, step: parser.Step) -> None:
    """Marks the step as the current one (the journal files e-mails and events under it); takes the screen before
    it when the pack's help article shows this step, with the controls it names outlined."""
    recording = request.node.stash[_RECORDING]
    recording.current_step = recording.index_of(step)
    shots = _article_shots(recording.scenario.article, recording.scenario.name, step.name)
    if shots:
        highlights = tuple(dict.fromkeys(shot.highlight for shot in shots if shot.highlight))
        recorded = recording.scenario.steps[recording.current_step]
        recorded.before, _ = _screenshot(request, recording, recording.current_step, "voor", highlights)
    recording.step_started = time.perf_counter()
    if (entry := request.node.stash.get(_JOURNAL, None)) is not None:
        entry.step = recording.current_step


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_after_step(request: pytest.FixtureRequest, step: parser.Step) -> None:
    """Records a passed step and the screenshot after it."""
    _finish_step(request, step, "passed", None)


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_step_error(request: pytest.FixtureRequest, step: parser.Step, exception: Exception) -> None:
    """Records a failed step, its error in plain words and the screenshot of the moment."""
    _finish_step(request, step, "failed", ErrorInfo(**errors.from_exception(exception)))


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, step: parser.Step, exception: Exception) -> None:
    """Records a step without a step definition."""
    recording = request.node.stash[_RECORDING]
    recording.current_step = recording.index_of(step)
    recording.step_started = time.perf_counter()
    _finish_step(request, step, "undefined", ErrorInfo(**errors.from_exception(exception)))


@pytest.hookimpl(optionalhook=True)  # the plugin also loads where pytest-bdd is absent
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """Records the URL the scenario ended on."""
    page = _active_page(request)
    if page is not None:
        request.node.stash[_RECORDING].scenario.url = _safe_url(page)


def _finish_step(request: pytest.FixtureRequest, step: parser.Step, status: str, error: ErrorInfo | None) -> None:
    """Stores a step's outcome, duration, screenshot and URL."""
    recording = request.node.stash[_RECORDING]
    index = recording.index_of(step)
    recorded = recording.scenario.steps[index]
    recorded.status = status
    recorded.duration = round(time.perf_counter() - recording.step_started, 3)
    taken = time.perf_counter()
    recorded.screenshot, recorded.url = _screenshot(request, recording, index)
    recorded.screenshot_seconds = round(time.perf_counter() - taken, 3)
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


def _safe_url(page: Any) -> str | None:
    """Returns the page's URL (masked), or None when the page is gone."""
    try:
        return mask(page.url)
    except Exception:  # noqa: BLE001
        return None


def _mask_selector(request: pytest.FixtureRequest) -> str:
    """What to paint over in this scenario's screenshots: its pack's masks, else the defaults."""
    pack = request.node.stash.get(pack_key, None)
    return ", ".join(pack.masks()) if pack is not None else MASK_SELECTOR


@cache
def _article(module: str) -> Any:
    """The help article a pack names (None when it has none); loaded once per process."""
    from herstelpad.report.articles import load_article

    return load_article(module)


def _article_shots(module: str | None, scenario: str, step: str) -> list[Any]:
    """The shots of the pack's help article that show this step of this scenario."""
    article = _article(module) if module else None
    return article.shots_for(scenario, step) if article is not None else []


def _content(request: pytest.FixtureRequest, page: Any) -> Any | None:
    """The element the pack crops its screenshots to, when the page has it."""
    pack = request.node.stash.get(pack_key, None)
    selector = pack.content_selector if pack is not None else None
    return page.locator(selector).first if selector and page.locator(selector).count() else None


def _boxes(page: Any, content: Any | None, selectors: tuple[str, ...]) -> dict[str, list[float]]:
    """Where each selector's element is in the picture, as fractions [x, y, w, h] (left out when it is not there)."""
    frame = content.bounding_box() if content is not None else None
    size = page.viewport_size or {"width": 1, "height": 1}
    ox, oy, width, height = (frame["x"], frame["y"], frame["width"], frame["height"]) if frame else (0, 0, size["width"], size["height"])
    boxes = {}
    for selector in selectors:
        element = page.locator(selector)
        box = element.first.bounding_box(timeout=1000) if element.count() else None
        if box and width and height:
            boxes[selector] = [round((box["x"] - ox) / width, 4), round((box["y"] - oy) / height, 4),
                               round(box["width"] / width, 4), round(box["height"] / height, 4)]
    return boxes


def page_fingerprint(page: Any) -> str:
    """A digest of everything the page's picture shows (same digest: the same picture); typed values stay inside it."""
    return hashlib.sha256(page.evaluate(FINGERPRINT_JS).encode("utf-8", "surrogatepass")).hexdigest()


def _capture(request: pytest.FixtureRequest, recording: Recording, page: Any, path: Path) -> Any | None:
    """Writes the masked picture of the page to `path`, or copies the last one when the page has not changed since;
    returns the content element the picture is cropped to."""
    content = _content(request, page)
    before = page_fingerprint(page)
    last = recording.last_shot
    if last is not None and last[0] == before and last[1].is_file():
        shutil.copyfile(last[1], path)
        return content
    recording.last_shot = None
    masked_screenshot(content or page, page, path, _mask_selector(request), MASK_COLOR, SCREENSHOT_TIMEOUT_MS)
    if page_fingerprint(page) == before:  # the page held still while it was taken: the picture is of `before`
        recording.last_shot = (before, path)
    return content


def _screenshot(
    request: pytest.FixtureRequest, recording: Recording, index: int, suffix: str = "", highlights: tuple[str, ...] = ()
) -> tuple[Attachment | None, str | None]:
    """Takes the screenshot of a step (cropped to the pack's content element; QR codes and typed secrets masked)
    and measures where the `highlights` are in it; returns (attachment, URL). A page that has not changed since
    the last picture gets a copy of that picture."""
    page = _active_page(request)
    if page is None:
        return None, None
    name = f"{recording.scenario.id}-{index + 1:02d}{f'-{suffix}' if suffix else ''}.png"
    path = request.config.stash[_STATE].reports_dir / SCREENSHOT_DIR / name
    try:
        if page.is_closed():
            return None, None
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            try:
                content = _capture(request, recording, page, path)
                boxes = _boxes(page, content, highlights) if highlights else {}
                break
            except Exception:  # noqa: BLE001 - a navigation was under way: let the page settle once, then retry
                recording.last_shot = None
                if attempt == 2:
                    raise
                page.wait_for_load_state(timeout=SCREENSHOT_TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - a missing picture must not fail the scenario
        when = "voor" if suffix else "na"
        recording.scenario.notes.append(mask(f"Geen schermafbeelding {when} stap {index + 1}: {exc}"))
        return None, _safe_url(page)
    return Attachment(path=f"{SCREENSHOT_DIR}/{name}", boxes=boxes), _safe_url(page)


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
            scenario.error = ErrorInfo(**errors.from_report(report.longrepr, report.when))
    elif report.skipped and scenario.status != "failed":
        scenario.status = "skipped"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        scenario.skip_reason = mask(getattr(report, "wasxfail", "") or reason)
    elif report.when == "call" and report.passed and scenario.status == "skipped":
        scenario.status = "passed"
    if report.when == "teardown":
        _finalize(recording, report, item)


def _finalize(recording: Recording, report: TestReport, item: pytest.Item) -> None:
    """Completes the record (journal, duration, failure details) and writes reports/.run/<run>/<id>.json."""
    scenario = recording.scenario
    state = item.config.stash[_STATE]
    if (entry := item.stash.get(_JOURNAL, None)) is not None:
        scenario.emails, scenario.events = list(entry.emails), list(entry.events)
        scenario.notes = scenario.notes + list(entry.notes)
    scenario.duration = round(sum(recording.durations.values()), 3)
    scenario.steps_hash = steps_hash(scenario.steps)
    if scenario.status == "failed":
        shots = [step for step in scenario.steps if step.screenshot]
        artifacts = {name: value for name, value in report.user_properties if str(name).startswith("playwright_")}
        trace = artifacts.get("playwright_trace")
        scenario.failure = Failure(
            screenshot=shots[-1].screenshot.path if shots and shots[-1].screenshot else None,
            url=scenario.url or (shots[-1].url if shots else None),
            trace=_relative(Path(item.config.invocation_params.dir, trace), state.reports_dir) if trace else None,
            trace_command=f"playwright show-trace {trace}" if trace else None,
            video=_relative(Path(item.config.invocation_params.dir, v), state.reports_dir)
            if (v := artifacts.get("playwright_video"))
            else None,
        )
    write_scenario(run_folder(state.reports_dir, state.run_id) / f"{scenario.id}.json", scenario)


def _relative(path: Path, base: Path) -> str:
    """Returns `path` relative to `base` as a URL-style path (for links in the report)."""
    return Path(os.path.relpath(path.resolve(), base)).as_posix()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, TestReport, TestReport]:
    """Masks every report at source and records the scenario's outcome (after pytest-playwright kept its trace)."""
    report = yield
    _mask_report(report)
    if report.failed or report.skipped or report.when != "setup":
        recording = _recording_for(item)
        if recording is not None:
            _apply_report(recording, report, item)
    return report


# --- what the session selected: a filtered or stopped run is partial ---------------------


def _is_scenario(item: pytest.Item) -> bool:
    """True for a pytest-bdd scenario item."""
    return scenario_template(item) is not None


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Counts the scenarios -m, -k or another plugin left out."""
    if items and (state := items[0].config.stash.get(_STATE, None)) is not None:
        state.deselected += sum(map(_is_scenario, items))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Counts the scenarios that are to run."""
    if (state := session.config.stash.get(_STATE, None)) is not None:
        state.selected = sum(map(_is_scenario, session.items))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller takes the counts of an xdist worker (each worker collects and deselects the same)."""
    counts = getattr(node, "workeroutput", {}).get("herstelpad_selection")
    if counts and (state := node.config.stash.get(_STATE, None)) is not None:
        state.selected, state.deselected = max(state.selected, counts[0]), max(state.deselected, counts[1])


def selection_info(config: pytest.Config, state: RunState, exitstatus: int) -> dict[str, Any]:
    """The run's collected and selected scenario counts and why it is partial (filtered, interrupted), if it is."""
    reasons = []
    if state.deselected:
        how = " ".join(f"{flag} '{value}'" for flag, value in (("-m", config.option.markexpr), ("-k", config.option.keyword)) if value)
        total = state.selected + state.deselected
        reasons.append(f"{FILTERED}: {state.selected} van de {total} scenario's geselecteerd{f' ({how})' if how else ''}")
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        reasons.append(f"{INTERRUPTED} (Ctrl-C of een fout buiten de scenario's)")
    return {"collected": state.selected + state.deselected, "selected": state.selected, "partial": reasons}


# --- end of the session (controller only) ------------------------------------------------


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Finishes the run once (merges the workers' scenario files) and writes every output from the model."""
    config = session.config
    state = config.stash.get(_STATE, None)
    if state is not None and not state.controller:
        config.workeroutput["herstelpad_selection"] = (state.selected, state.deselected)  # type: ignore[attr-defined]
    if state is None or not state.controller:
        return
    duration = round(time.time() - state.started, 3)
    info = {"duration": duration, "exitstatus": int(exitstatus)} | selection_info(config, state, int(exitstatus))
    run = finish_run(state.reports_dir, state.run_id, info=info)
    if run is None:
        return  # no scenario ran in this session: leave the last report alone
    from herstelpad.report import write_outputs
    from herstelpad.report.articles import article_of
    from herstelpad.report.history import save_history

    save_history(state.reports_dir, run)
    article = article_of(run)
    settings = config.stash.get(settings_key, None)
    state.report_path = write_outputs(
        state.reports_dir, run, article, pytest_junit=_pytest_junit_path(config),
        allure_dir=settings.allure_dir if settings else None, clean_allure_dir=bool(settings and settings.clean_allure_dir),
    )
    state.summary = summary_line(run)


def _pytest_junit_path(config: pytest.Config) -> Path | None:
    """The file pytest's own --junitxml writes, if any (herstelpad then leaves that file to pytest)."""
    xmlpath = getattr(config.option, "xmlpath", None)
    return Path(config.invocation_params.dir, xmlpath).resolve() if xmlpath else None


def summary_line(run: Run) -> str:
    """Returns one line with the scenario counts by status and the run's duration, in Dutch."""
    counts = count_statuses(run.scenarios)
    parts = ", ".join(f"{n} {STATUS_NL.get(status, status)}" for status, n in counts.items())
    if run.run.partial:
        own = [scenario for scenario in run.scenarios if not run.is_earlier(scenario)]
        parts = ", ".join(f"{n} {STATUS_NL.get(status, status)}" for status, n in count_statuses(own).items())
        rest = (f"het verslag toont de andere {len(run.scenarios) - len(own)} uit de laatste volledige run" if run.run.base
                else "er is nog geen volledige run om de andere uit te tonen")
        return f"Gedeeltelijke run ({'; '.join(run.run.partial)}): {len(own)} scenario's ({parts}) in {run.run.duration:.1f} s; {rest}"
    return f"Scenario's: {len(run.scenarios)} ({parts}) in {run.run.duration:.1f} s"


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    """Prints where the report is and the counts."""
    state = config.stash.get(_STATE, None)
    if state is not None and state.report_path is not None:
        terminalreporter.write_line(f"Verslag: {state.report_path}")
        terminalreporter.write_line(state.summary)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Masks the JUnit XML that pytest's junitxml plugin wrote (it writes at session finish)."""
    state = config.stash.get(_STATE, None)
    xmlpath = getattr(config.option, "xmlpath", None)
    if state is None or not state.controller or not xmlpath:
        return
    path = Path(config.invocation_params.dir, xmlpath)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        masked = mask(text)
        if masked != text:
            path.write_text(masked, encoding="utf-8")
