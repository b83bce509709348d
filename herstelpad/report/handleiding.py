"""The Handleiding: per part of a help article, the passing scenario whose screenshots illustrate it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from herstelpad.report.masking import mask_data
from herstelpad.report.model import Attachment, Run, Scenario, Step
from herstelpad.report.results import HANDLEIDING_DIR, read_json, write_json

PREFERRED_TAG = "handleiding"


@dataclass(frozen=True)
class ArticleStep:
    """One numbered step of the article; `cues` are words in a scenario step that show this step."""

    text: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class ArticleSection:
    """A part of the article, illustrated by the latest passing scenario with one of `tags`."""

    key: str
    title: str
    intro: str
    tags: tuple[str, ...]
    steps: tuple[ArticleStep, ...]


@dataclass(frozen=True)
class Article:
    """A help article as the Handleiding shows it: title, intro and its illustrated parts (a target pack's)."""

    title: str
    intro: str
    sections: tuple[ArticleSection, ...]


class KeptIllustration(BaseModel):
    """What reports/handleiding/<key>.json keeps: the illustrating scenario and when its run started."""

    run_started: str
    scenario: Scenario


@dataclass
class Illustration:
    """A part of the article with the scenario that shows it (None when no passing run exists yet)."""

    section: ArticleSection
    scenario: Scenario | None
    run_started: str | None
    from_earlier_run: bool
    steps_by_article_step: list[list[Step]]


def match_steps(section: ArticleSection, steps: list[Step]) -> list[list[Step]]:
    """Assigns the scenario's action steps to the article's steps, in order, by the longest cue word they contain."""
    groups: list[list[Step]] = [[] for _ in section.steps]
    pointer = 0
    for step in steps:
        if step.type == "given":
            continue  # the starting situation, not something the reader does
        text = step.text.lower()
        scores = [
            (max((len(cue) for cue in section.steps[index].cues if cue in text), default=0), -index)
            for index in range(pointer, len(section.steps))
        ]
        best, negative_index = max(scores)
        if best:  # the longest cue word decides; on a tie the nearest article step
            pointer = -negative_index
        groups[pointer].append(step)
    return groups


def _coverage(section: ArticleSection, scenario: Scenario) -> int:
    """Counts the article steps that get at least one screenshot from the scenario."""
    return sum(1 for group in match_steps(section, scenario.steps) if any(s.screenshot for s in group))


def _rank(section: ArticleSection, scenario: Scenario) -> tuple[bool, int]:
    """Ranks a candidate illustration: tagged @handleiding first, then the number of article steps it shows."""
    return PREFERRED_TAG in scenario.tags, _coverage(section, scenario)


def _choose(section: ArticleSection, scenarios: list[Scenario]) -> Scenario | None:
    """Picks this run's best passing scenario tagged for the section."""
    candidates = [s for s in scenarios if s.status == "passed" and set(section.tags) & set(s.tags)]
    return max(candidates, key=lambda s: _rank(section, s)) if candidates else None


def _read_kept(path: Path) -> KeptIllustration | None:
    """Reads the illustration kept from an earlier run; None when there is none or it is of an older format."""
    try:
        return KeptIllustration.model_validate(read_json(path)) if path.is_file() else None
    except (ValidationError, ValueError):
        return None


def keep_illustrations(reports_dir: Path, run: Run, article: Article) -> None:
    """Part of finishing a run: copies each section's best passing scenario and its pictures to reports/handleiding/.

    A failing run, or one whose passing scenario shows fewer steps, leaves the copy of an earlier run in place.
    """
    for section in article.sections:
        chosen = _choose(section, run.scenarios)
        saved = reports_dir / HANDLEIDING_DIR / f"{section.key}.json"
        kept = _read_kept(saved)
        if chosen is None or (kept is not None and _rank(section, kept.scenario) > _rank(section, chosen)):
            continue
        folder = reports_dir / HANDLEIDING_DIR / section.key
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        copy = chosen.model_copy(deep=True)
        for step in copy.steps:
            source = reports_dir / step.screenshot.path if step.screenshot else None
            if source is not None and source.is_file():
                shutil.copy2(source, folder / source.name)
                step.screenshot = Attachment(path=f"{HANDLEIDING_DIR}/{section.key}/{source.name}")
            else:
                step.screenshot = None
        write_json(saved, mask_data(KeptIllustration(run_started=run.run.started, scenario=copy).model_dump(mode="json")))


def illustrations(reports_dir: Path, run: Run, article: Article) -> list[Illustration]:
    """Returns every article part with its illustrating scenario; only reads (keep_illustrations stores them)."""
    found = []
    for section in article.sections:
        kept = _read_kept(reports_dir / HANDLEIDING_DIR / f"{section.key}.json")
        scenario = kept.scenario if kept else None
        chosen = _choose(section, run.scenarios)
        from_this_run = chosen is not None and kept is not None and chosen.nodeid == kept.scenario.nodeid
        earlier = kept is not None and not (from_this_run and kept.run_started == run.run.started)
        groups = match_steps(section, scenario.steps) if scenario else [[] for _ in section.steps]
        found.append(Illustration(section, scenario, kept.run_started if kept else None, earlier, groups))
    return found
