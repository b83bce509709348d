"""The illustrations of the help article (the Handleiding, to readers): each numbered step beside the screen on which it is done.

The pack's article (herstelpad.report.article) maps each step to a scenario step (`Shot`); the pictures are that
step's "before" screen with the control to use outlined, and the screen after it where the shot asks. The
scenarios that illustrate the article are kept in reports/handleiding/ from their last passing run, so a failing
or partial run does not empty the Handleiding.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from herstelpad.report.article import Article, Shot
from herstelpad.report.masking import mask_data
from herstelpad.report.model import Attachment, Email, Event, Run, Scenario, Step
from herstelpad.report.results import ILLUSTRATIONS_DIR, read_json, safe_id, write_json

__all__ = ["Figure", "KeptIllustration", "illustrations", "keep_illustrations"]


class KeptIllustration(BaseModel):
    """What reports/handleiding/<scenario>.json keeps: an illustrating scenario and when its run started."""

    run_started: str
    scenario: Scenario


@dataclass
class Figure:
    """What the Handleiding shows beside one article step for one shot: screens, the phone, e-mails."""

    shot: Shot
    scenario: Scenario | None
    step: Step | None = None
    number: int = 0  # the scenario step's number (1-based)
    before: Attachment | None = None
    after: Attachment | None = None
    phone_before: list[str] | None = None
    phone_after: list[str] | None = None
    phone_events: list[Event] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    run_started: str | None = None
    from_earlier_run: bool = False

    @property
    def boxes(self) -> list[list[float]]:
        """The outlines of the control to use, as fractions of the before-picture."""
        if self.before is None or self.shot.highlight is None:
            return []
        box = self.before.boxes.get(self.shot.highlight)
        return [box] if box else []


def _kept_path(reports_dir: Path, name: str) -> Path:
    """Where the scenario of this name is kept for the Handleiding."""
    return reports_dir / ILLUSTRATIONS_DIR / f"{safe_id(name)}.json"


def _read_kept(path: Path) -> KeptIllustration | None:
    """Reads a kept illustration; None when there is none or it is of an older format."""
    try:
        return KeptIllustration.model_validate(read_json(path)) if path.is_file() else None
    except (ValidationError, ValueError):
        return None


def _passing(run: Run, name: str) -> Scenario | None:
    """The run's passing scenario of this name (the last, for an outline)."""
    found = [s for s in run.scenarios if s.name == name and s.status == "passed"]
    return found[-1] if found else None


def _copy_picture(reports_dir: Path, folder: Path, shot: Attachment | None) -> Attachment | None:
    """Copies a picture into the kept folder; the copy's attachment (None when the file is gone)."""
    source = reports_dir / shot.path if shot else None
    if shot is None or source is None or not source.is_file():
        return None
    shutil.copy2(source, folder / source.name)
    return shot.model_copy(update={"path": f"{ILLUSTRATIONS_DIR}/{folder.name}/{source.name}"})


def keep_illustrations(reports_dir: Path, run: Run, article: Article) -> None:
    """Part of finishing a run: copies each illustrating scenario that passed, with its pictures, to reports/handleiding/.

    A scenario that failed or did not run leaves the copy of its last passing run in place.
    """
    for name in article.scenarios():
        chosen = _passing(run, name)
        if chosen is None:
            continue
        folder = reports_dir / ILLUSTRATIONS_DIR / safe_id(name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        copy = chosen.model_copy(deep=True)
        for step in copy.steps:
            step.screenshot = _copy_picture(reports_dir, folder, step.screenshot)
            step.before = _copy_picture(reports_dir, folder, step.before)
        kept = KeptIllustration(run_started=run.run.started, scenario=copy)
        write_json(_kept_path(reports_dir, name), mask_data(kept.model_dump(mode="json")))


def _step_index(scenario: Scenario, shot: Shot) -> int | None:
    """The index of the scenario step a shot names (its n-th occurrence), None when the scenario has no such step."""
    found = [i for i, step in enumerate(scenario.steps) if step.text == shot.step]
    return found[shot.occurrence - 1] if len(found) >= shot.occurrence else None


def _accounts(events: list[Event], actor: str, up_to: int, including: bool) -> list[str] | None:
    """What the actor's phone listed after its last event before (or in) step `up_to`."""
    listed = [e.accounts for e in events if e.actor == actor and e.accounts is not None and e.step is not None
              and (e.step < up_to or (including and e.step == up_to))]
    return listed[-1] if listed else None


def figure(shot: Shot, kept: KeptIllustration | None, run: Run) -> Figure:
    """The pictures, phone and e-mails of one shot from the kept scenario (an empty figure when there is none)."""
    if kept is None:
        return Figure(shot, None)
    scenario = kept.scenario
    index = _step_index(scenario, shot)
    if index is None:
        return Figure(shot, scenario, run_started=kept.run_started)
    step = scenario.steps[index]
    before = step.before or (scenario.steps[index - 1].screenshot if index > 0 else None)
    view = Figure(
        shot, scenario, step, index + 1, before=None if shot.phone else before,
        after=step.screenshot if shot.after else None,
        emails=[m for m in scenario.emails if m.step == index],
        run_started=kept.run_started, from_earlier_run=kept.run_started != run.run.started,
    )
    if shot.phone:
        view.phone_before = _accounts(scenario.events, shot.phone, index, including=False)
        view.phone_after = _accounts(scenario.events, shot.phone, index, including=True)
        view.phone_events = [e for e in scenario.events if e.actor == shot.phone and e.step == index]
    return view


def illustrations(reports_dir: Path, run: Run, article: Article) -> dict[tuple[str, int], list[Figure]]:
    """Per (part key, step number) of the article its figures; only reads (keep_illustrations stores them)."""
    kept = {name: _read_kept(_kept_path(reports_dir, name)) for name in article.scenarios()}
    return {key: [figure(shot, kept[shot.scenario], run) for shot in shots] for key, shots in article.shots.items()}
