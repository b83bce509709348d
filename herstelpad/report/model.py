"""The one typed model of a run (run, feature, scenario, step, e-mail, event, attachment) that every writer reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from herstelpad.report.masking import mask_data

SCHEMA = 2
DEFAULT_TARGET = ""  # a test without a target pack
STATUSES: tuple[str, ...] = ("passed", "failed", "skipped")


class Record(BaseModel):
    """Base of every part of the model: unknown keys are refused, values are checked on the way in."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def masked(self) -> Any:
        """Returns this part as JSON-ready data with every string masked."""
        return mask_data(self.model_dump(mode="json"))


class Attachment(Record):
    """A file that belongs to a step or scenario (a masked screenshot), relative to the reports folder."""

    path: str
    media_type: str = "image/png"
    boxes: dict[str, list[float]] = Field(default_factory=dict)  # selector → [x, y, w, h] as fractions of the picture

    @property
    def name(self) -> str:
        """The file's own name."""
        return Path(self.path).name


class Email(Record):
    """One e-mail that someone in the scenario received and read."""

    subject: str
    sender: str
    to: str
    text: str
    received: str
    reader: str
    step: int | None = None


class Event(Record):
    """One thing an actor did or saw, in plain words."""

    actor: str
    text: str
    at: str = ""
    step: int | None = None
    accounts: list[str] | None = None  # what the actor's phone app lists after this event, if it is a phone's


class ErrorInfo(Record):
    """An error in plain Dutch words plus the (masked) technical text; `step` is the failing step's index."""

    title: str
    message: str = ""
    type: str = ""
    details: str = ""
    step: int | None = None


class Failure(Record):
    """What a failed scenario leaves to look at: the last screenshot, the URL, the trace and video."""

    screenshot: str | None = None
    url: str | None = None
    trace: str | None = None
    trace_command: str | None = None
    video: str | None = None


class Step(Record):
    """One Gegeven/Als/Dan step as it ran."""

    keyword: str
    type: str
    text: str
    line: int
    status: str = "skipped"
    duration: float = 0.0
    screenshot_seconds: float = 0.0  # time taken by the masked screenshots before and after the step (not in `duration`)
    screenshot: Attachment | None = None
    before: Attachment | None = None  # the screen on which the step is done, when a help article asks for it
    url: str | None = None
    error: ErrorInfo | None = None
    docstring: str | None = None
    datatable: list[list[str]] | None = None

    @property
    def line_text(self) -> str:
        """'Keyword text' of the step."""
        return f"{self.keyword} {self.text}"


class Feature(Record):
    """A feature file's header: name, description, tags, and the target (pack) its scenarios ran against."""

    keyword: str = "Functionaliteit"
    name: str
    description: str = ""
    file: str
    line: int = 1
    tags: list[str] = Field(default_factory=list)
    language: str = "nl"
    target: str = DEFAULT_TARGET


class TargetInfo(Record):
    """What the report tells its readers of a target (pack): its name, its title and its introduction (Dutch)."""

    name: str
    title: str = ""
    introduction: str = ""


class Scenario(Record):
    """One scenario (or one row of an outline) as it ran: steps, e-mails, events, outcome."""

    run_id: str = ""
    nodeid: str
    id: str
    worker: str | None = None
    target: str = DEFAULT_TARGET
    article: str | None = None  # the module of the target pack's help article (the Handleiding), if any
    target_info: TargetInfo | None = None  # its pack's title and introduction, for the report's header
    feature: Feature
    keyword: str = "Scenario"
    name: str
    description: str = ""
    line: int
    own_tags: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    example: dict[str, str] | None = None
    rule: str | None = None
    status: str = "skipped"
    phase: str | None = None
    started: str
    duration: float = 0.0
    url: str | None = None
    steps: list[Step] = Field(default_factory=list)
    error: ErrorInfo | None = None
    failure: Failure | None = None
    skip_reason: str | None = None
    emails: list[Email] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    steps_hash: str = ""

    @property
    def anchor(self) -> str:
        """The scenario's HTML id in the report."""
        return f"sc-{self.id}"

    def sort_key(self) -> tuple[str, str, int, str]:
        """Orders scenarios by target and as they stand in the feature files."""
        return (self.target, self.feature.file, self.line, self.nodeid)

    def attachments(self) -> list[Attachment]:
        """Every screenshot of the scenario, in step order."""
        return [shot for step in self.steps for shot in (step.before, step.screenshot) if shot is not None]


class BaseRun(Record):
    """The last full run whose scenarios a partial run's report keeps showing beside its own."""

    id: str
    started: str
    counts: dict[str, int] = Field(default_factory=dict)


class RunInfo(Record):
    """When a run started and ended, how long it took, its counts by status, and whether it was whole.

    `collected` and `selected` count scenarios (before and after -m/-k/deselection); `partial` names why a run
    did not run every scenario (filtered, stopped early, interrupted); `base` is the full run it completes.
    """

    id: str = ""
    started: str = ""
    finished: str = ""
    duration: float = 0.0
    exitstatus: int | None = None
    shards: int | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    collected: int | None = None
    selected: int | None = None
    ran: int | None = None
    partial: list[str] = Field(default_factory=list)
    base: BaseRun | None = None
    screenshots: str = ""  # the screenshot policy the run's pictures were taken by (settings.SCREENSHOT_POLICIES)


class FeatureResult(BaseModel):
    """A feature with the scenarios of the run that belong to it (a view for the writers, not stored)."""

    feature: Feature
    scenarios: list[Scenario]

    @property
    def status(self) -> str:
        """failed when one failed, passed when one passed, else skipped."""
        return overall_status(self.scenarios)


class Run(Record):
    """A whole run: its info and every scenario; what results.json holds."""

    schema_: int = Field(default=SCHEMA, alias="schema")
    run: RunInfo = Field(default_factory=RunInfo)
    scenarios: list[Scenario] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    def features(self) -> list[FeatureResult]:
        """The scenarios grouped per feature file (and target), in file order."""
        groups: dict[tuple[str, str], list[Scenario]] = {}
        for scenario in sorted(self.scenarios, key=Scenario.sort_key):
            groups.setdefault((scenario.target, scenario.feature.file), []).append(scenario)
        return [FeatureResult(feature=items[0].feature, scenarios=items) for items in groups.values()]

    def is_earlier(self, scenario: Scenario) -> bool:
        """True for a scenario a partial run shows from the last full run (it did not run this time)."""
        return self.run.base is not None and scenario.run_id not in self.run.id.split("+")

    def targets(self) -> list[str]:
        """The targets (packs) the run's scenarios ran against, sorted."""
        return sorted({scenario.target for scenario in self.scenarios})

    def target_infos(self) -> list[TargetInfo]:
        """What the run's scenarios say of their targets (one per target, the newest record), sorted by name."""
        found = {scenario.target: scenario.target_info for scenario in self.scenarios if scenario.target_info}
        return [found[name] for name in sorted(found)]


def count_statuses(scenarios: Iterable[Scenario]) -> dict[str, int]:
    """Counts scenarios by status, every known status present (also with 0)."""
    counts = Counter(scenario.status for scenario in scenarios)
    return {status: counts.get(status, 0) for status in STATUSES} | {
        status: n for status, n in counts.items() if status not in STATUSES
    }


def overall_status(scenarios: Iterable[Scenario]) -> str:
    """failed when one failed, passed when one passed, else skipped."""
    counts = count_statuses(scenarios)
    return "failed" if counts.get("failed") else "passed" if counts.get("passed") else "skipped"
