"""History of runs (reports/history/*.json) and the flaky ("wisselvallig") scenarios it reveals."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from herstelpad.report.masking import mask_data
from herstelpad.report.model import Run, count_statuses
from herstelpad.report.results import HISTORY_DIR, read_json, write_json

KEEP_RUNS = 50


def history_entry(run: Run) -> dict[str, Any]:
    """Returns the small history record of a run: counts, duration, whether it was partial, and per scenario its
    status and steps hash (a partial run records only the scenarios it ran)."""
    own = [scenario for scenario in run.scenarios if not run.is_earlier(scenario)]
    return {
        "run": run.run.id,
        "started": run.run.started,
        "finished": run.run.finished,
        "duration": run.run.duration,
        "partial": run.run.partial,
        "collected": run.run.collected,
        "selected": run.run.selected,
        "counts": count_statuses(own),
        "scenarios": {
            scenario.nodeid: {
                "status": scenario.status,
                "hash": scenario.steps_hash,
                "name": scenario.name,
                "feature": scenario.feature.name,
                "target": scenario.target,
            }
            for scenario in own
        },
    }


def save_history(reports_dir: Path, run: Run) -> Path:
    """Writes the run's history entry as reports/history/<timestamp>.json and drops the oldest beyond KEEP_RUNS."""
    folder = reports_dir / HISTORY_DIR
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.json"
    write_json(path, mask_data(history_entry(run)))
    for old in sorted(folder.glob("*.json"))[:-KEEP_RUNS]:
        old.unlink(missing_ok=True)
    return path


def reset_history(reports_dir: Path) -> int:
    """Starts the history afresh (`herstelpad report --reset-history`): removes every entry; returns how many."""
    entries = sorted((reports_dir / HISTORY_DIR).glob("*.json"))
    for path in entries:
        path.unlink(missing_ok=True)
    return len(entries)


def load_history(reports_dir: Path, limit: int = 20) -> list[dict[str, Any]]:
    """Returns the last `limit` history entries, oldest first (unreadable files are skipped)."""
    entries = []
    for path in sorted((reports_dir / HISTORY_DIR).glob("*.json"))[-limit:]:
        try:
            entries.append(read_json(path))
        except (OSError, json.JSONDecodeError):
            continue
    return entries


def flaky_scenarios(history: list[dict[str, Any]]) -> set[str]:
    """Returns the node ids that both failed and passed with the same steps hash: they changed without a change."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in history:
        for nodeid, outcome in entry.get("scenarios", {}).items():
            seen[(nodeid, outcome.get("hash", ""))].add(outcome.get("status", ""))
    return {nodeid for (nodeid, _), statuses in seen.items() if {"passed", "failed"} <= statuses}
