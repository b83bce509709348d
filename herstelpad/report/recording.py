"""The record of a scenario while it runs: built from pytest-bdd's feature and scenario, completed and written at its end."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from herstelpad.pack import SCENARIOS_FOLDER, find_pack, repository_packs, repository_root
from herstelpad.plugin import pack_key, scenario_template
from herstelpad.report.journal import Journal
from herstelpad.report.model import DEFAULT_TARGET, Failure, Feature, Run, Scenario, Step, TargetInfo
from herstelpad.report.results import (
    FILTERED,
    INTERRUPTED,
    STATUS_NL,
    count_statuses,
    now_iso,
    run_folder,
    safe_id,
    steps_hash,
    write_scenario,
)
from herstelpad.settings import EVERY_STEP

if TYPE_CHECKING:
    from _pytest.reports import TestReport
    from pytest_bdd import parser


@dataclass
class RunState:
    """What the recorder knows about this pytest process's run."""

    reports_dir: Path
    run_id: str
    started: float
    controller: bool
    screenshots: str = EVERY_STEP  # the screenshot policy
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
    watched: set[int] = field(default_factory=set)  # the pages that remember what a step acted on (for the crop)

    def index_of(self, step: parser.Step) -> int:
        """Returns the position of a pytest-bdd step in the scenario (by line and text)."""
        for index, recorded in enumerate(self.scenario.steps):
            if recorded.line == step.line_number and recorded.text == step.name:
                return index
        return len(self.scenario.steps) - 1


STATE = pytest.StashKey[RunState]()
RECORDING = pytest.StashKey[Recording]()
JOURNAL = pytest.StashKey[Journal]()


def example_row(item: pytest.Item) -> dict[str, str] | None:
    """Returns the Voorbeelden row of an Abstract Scenario item, or None."""
    callspec = getattr(item, "callspec", None)
    row = callspec.params.get("_pytest_bdd_example") if callspec else None
    return dict(row) if row else None


def new_recording(item: pytest.Item, feature: parser.Feature, scenario: parser.Scenario) -> Recording:
    """Starts the record of a scenario: feature, scenario and every step as not (yet) run."""
    config = item.config
    state = config.stash[STATE]
    pack = item.stash.get(pack_key, None)
    target = pack.name if pack is not None else DEFAULT_TARGET
    record = Scenario(
        run_id=state.run_id,
        nodeid=item.nodeid,
        id=safe_id(item.nodeid),
        worker=getattr(config, "workerinput", {}).get("workerid"),
        target=target,
        article=pack.article_module if pack is not None else None,
        target_info=TargetInfo(name=pack.name, title=pack.title, introduction=pack.introduction) if pack is not None else None,
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
        example=example_row(item),
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


def recording_for(item: pytest.Item) -> Recording | None:
    """Returns the item's recording, creating it from the scenario template when the scenario never started."""
    recording = item.stash.get(RECORDING, None)
    if recording is not None:
        return recording
    template = scenario_template(item)
    if template is None:
        return None
    recording = new_recording(item, template.feature, template.render(example_row(item) or {}))
    item.stash[RECORDING] = recording
    return recording


def failure_screenshot(scenario: Scenario) -> tuple[str | None, str | None]:
    """The picture and URL of the moment a scenario failed: its failing step's, else its last step's with a picture."""
    failing = scenario.error.step if scenario.error is not None else None
    if failing is not None and failing < len(scenario.steps) and scenario.steps[failing].screenshot is not None:
        step = scenario.steps[failing]
        return step.screenshot.path if step.screenshot else None, step.url
    shots = [step for step in scenario.steps if step.screenshot]
    return (shots[-1].screenshot.path if shots[-1].screenshot else None, shots[-1].url) if shots else (None, None)


def finalize(recording: Recording, report: TestReport, item: pytest.Item) -> None:
    """Completes the record (journal, duration, failure details) and writes reports/.run/<run>/<id>.json."""
    scenario = recording.scenario
    state = item.config.stash[STATE]
    if (entry := item.stash.get(JOURNAL, None)) is not None:
        scenario.emails, scenario.events = list(entry.emails), list(entry.events)
    scenario.duration = round(sum(recording.durations.values()), 3)
    scenario.steps_hash = steps_hash(scenario.steps)
    if scenario.status == "failed":
        screenshot, url = failure_screenshot(scenario)
        artifacts = {name: value for name, value in report.user_properties if str(name).startswith("playwright_")}
        trace = str(artifacts["playwright_trace"]) if artifacts.get("playwright_trace") else None
        scenario.failure = Failure(
            screenshot=screenshot,
            url=scenario.url or url,
            trace=relative(Path(item.config.invocation_params.dir, trace), state.reports_dir) if trace else None,
            trace_command=f"playwright show-trace {trace}" if trace else None,
            video=relative(Path(item.config.invocation_params.dir, str(v)), state.reports_dir)
            if (v := artifacts.get("playwright_video"))
            else None,
        )
    write_scenario(run_folder(state.reports_dir, state.run_id) / f"{scenario.id}.json", scenario)


def relative(path: Path, base: Path) -> str:
    """Returns `path` relative to `base` as a URL-style path (for links in the report)."""
    return Path(os.path.relpath(path.resolve(), base)).as_posix()


def is_scenario(item: pytest.Item) -> bool:
    """True for a pytest-bdd scenario item."""
    return scenario_template(item) is not None


def selection_info(config: pytest.Config, state: RunState, exitstatus: int) -> dict[str, Any]:
    """The run's collected and selected scenario counts and why it is partial (filtered, interrupted), if it is."""
    reasons = []
    if state.deselected:
        how = " ".join(f"{flag} '{value}'" for flag, value in (("-m", config.option.markexpr), ("-k", config.option.keyword)) if value)
        total = state.selected + state.deselected
        reasons.append(f"{FILTERED}: {state.selected} van de {total} scenario's geselecteerd{f' ({how})' if how else ''}")
    elif any("::" in str(arg) for arg in config.invocation_params.args):  # node ids: what was named, nothing else
        reasons.append(f"{FILTERED}: {state.selected} scenario('s) bij naam gekozen")
    if left_out := left_out_packs(config):  # a run of one pack's folder in a repository of several
        reasons.append(f"{FILTERED}: zonder de scenario's van {' en '.join(left_out)}")
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        reasons.append(f"{INTERRUPTED} (Ctrl-C of een fout buiten de scenario's)")
    return {"collected": state.selected + state.deselected, "selected": state.selected, "partial": reasons}


def left_out_packs(config: pytest.Config) -> list[str]:
    """The titles of this repository's packs whose scenario folders the run's paths leave out (`pytest steps/a` where
    steps/b is there too): the report keeps showing their scenarios from the last full run."""
    root = repository_root(config.rootpath)
    if root is None:
        return []
    here = config.invocation_params.dir
    paths = [(here / str(arg).split("::")[0]).resolve() for arg in config.args]
    left_out = []
    for name in repository_packs(root):
        try:
            pack = find_pack(name, root)
            folder, title = pack.scenario_folder().resolve(), pack.title or name
        except Exception:  # noqa: BLE001 - a pack that does not load: its folder by the convention
            folder, title = (root / SCENARIOS_FOLDER / name).resolve(), name
        if folder.is_dir() and not any(folder.is_relative_to(path) or path.is_relative_to(folder) for path in paths):
            left_out.append(title)
    return left_out


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
