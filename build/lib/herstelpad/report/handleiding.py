"""Chooses, per part of the help article, the passing scenario whose screenshots illustrate it, and keeps them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from herstelpad.report.articles import Article

from herstelpad.report.masking import mask_data
from herstelpad.report.results import HANDLEIDING_DIR, read_json, write_json

PREFERRED_TAG = "handleiding"


@dataclass
class Illustration:
    """A part of the article with the scenario that shows it (None when no passing run exists yet)."""

    section: Any
    scenario: dict[str, Any] | None
    run_started: str | None
    from_earlier_run: bool
    steps_by_article_step: list[list[dict[str, Any]]]


def match_steps(section: Any, steps: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Assigns the scenario's action steps to the article's steps, in order, by the longest cue word they contain."""
    groups: list[list[dict[str, Any]]] = [[] for _ in section.steps]
    pointer = 0
    for step in steps:
        if step.get("type") == "given":
            continue  # the starting situation, not something the reader does
        text = step["text"].lower()
        scores = [
            (max((len(cue) for cue in section.steps[index].cues if cue in text), default=0), -index)
            for index in range(pointer, len(section.steps))
        ]
        best, negative_index = max(scores)
        if best:  # the longest cue word decides; on a tie the nearest article step
            pointer = -negative_index
        groups[pointer].append(step)
    return groups


def _coverage(section: Any, scenario: dict[str, Any]) -> int:
    """Counts the article steps that get at least one screenshot from the scenario."""
    return sum(1 for group in match_steps(section, scenario["steps"]) if any(s.get("screenshot") for s in group))


def _rank(section: Any, scenario: dict[str, Any]) -> tuple[bool, int]:
    """Ranks a candidate illustration: tagged @handleiding first, then the number of article steps it shows."""
    return PREFERRED_TAG in scenario["tags"], _coverage(section, scenario)


def _choose(section: Any, scenarios: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Picks this run's best passing scenario tagged for the section."""
    candidates = [s for s in scenarios if s["status"] == "passed" and set(section.tags) & set(s["tags"])]
    return max(candidates, key=lambda s: _rank(section, s)) if candidates else None


def _keep(reports_dir: Path, section: Any, scenario: dict[str, Any], run_started: str) -> dict[str, Any]:
    """Copies the scenario and its screenshots to reports/handleiding/<key>/ so a failing run does not erase them."""
    folder = reports_dir / HANDLEIDING_DIR / section.key
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    kept = mask_data(scenario)
    for step in kept["steps"]:
        source = reports_dir / step["screenshot"] if step.get("screenshot") else None
        if source is not None and source.is_file():
            shutil.copy2(source, folder / source.name)
            step["screenshot"] = f"{HANDLEIDING_DIR}/{section.key}/{source.name}"
        else:
            step["screenshot"] = None
    write_json(reports_dir / HANDLEIDING_DIR / f"{section.key}.json", {"run_started": run_started, "scenario": kept})
    return kept


def illustrations(reports_dir: Path, results: dict[str, Any], article: Article | None) -> list[Illustration]:
    """Returns every article part with its illustrating scenario: from this run, unless the copy kept earlier is better."""
    found = []
    for section in article.sections if article else ():
        chosen = _choose(section, results["scenarios"])
        saved = reports_dir / HANDLEIDING_DIR / f"{section.key}.json"
        kept = mask_data(read_json(saved)) if saved.is_file() else {}
        older_is_better = kept.get("scenario") and (
            chosen is None or _rank(section, kept["scenario"]) > _rank(section, chosen)
        )
        if older_is_better or chosen is None:  # a failing run, or only a poorer scenario passed: keep the old pictures
            scenario, run_started, earlier = kept.get("scenario"), kept.get("run_started"), True
        else:
            run_started = results["run"].get("started")
            scenario, earlier = _keep(reports_dir, section, chosen, run_started), False
        groups = match_steps(section, scenario["steps"]) if scenario else [[] for _ in section.steps]
        found.append(Illustration(section, scenario, run_started, earlier and scenario is not None, groups))
    return found
