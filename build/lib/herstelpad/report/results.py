"""Where a run's results live on disk and how the per-scenario files become one results.json."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from herstelpad.report.masking import mask_data

SCHEMA = 1
STATUSES: tuple[str, ...] = ("passed", "failed", "skipped")
STATUS_NL: dict[str, str] = {
    "passed": "geslaagd",
    "failed": "mislukt",
    "skipped": "overgeslagen",
    "undefined": "geen stapdefinitie",
}
RUN_DIR = ".run"
SCREENSHOT_DIR = "screenshots"
HISTORY_DIR = "history"
HANDLEIDING_DIR = "handleiding"
TRACES_DIR = "traces"  # pytest-playwright's --output under `herstelpad run` (emptied at each run)
RESULTS_FILE = "results.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_id(nodeid: str) -> str:
    """Turns a pytest node id into a file name that is unique, short and portable."""
    slug = _UNSAFE.sub("_", nodeid).strip("._")
    if len(slug) <= 120:
        return slug
    return f"{slug[:60]}-{hashlib.sha256(nodeid.encode()).hexdigest()[:10]}-{slug[-40:]}"


def steps_hash(steps: Iterable[dict[str, Any]]) -> str:
    """Returns a short hash of a scenario's step texts: equal hashes mean the scenario did not change."""
    text = "\n".join(f"{step.get('keyword', '')} {step.get('text', '')}" for step in steps)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def now_iso() -> str:
    """Returns the local time as an ISO 8601 string with seconds."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def write_json(path: Path, data: Any) -> None:
    """Writes JSON atomically (temp file + rename), so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    temp.replace(path)


def read_json(path: Path) -> Any:
    """Reads a JSON file written by write_json."""
    return json.loads(path.read_text(encoding="utf-8"))


def count_statuses(scenarios: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Counts scenarios by status, every known status present (also with 0)."""
    counts = Counter(scenario["status"] for scenario in scenarios)
    return {status: counts.get(status, 0) for status in STATUSES} | {
        status: n for status, n in counts.items() if status not in STATUSES
    }


def sort_key(scenario: dict[str, Any]) -> tuple[str, int, str]:
    """Orders scenarios as they stand in the feature files."""
    return (scenario["feature"]["file"], scenario["scenario"]["line"], scenario["nodeid"])


STALE_RUN_SECONDS = 24 * 3600


def run_folder(reports_dir: Path, run_id: str) -> Path:
    """The folder of one run's per-scenario files: runs that share reports/ never mix or clobber."""
    return reports_dir / RUN_DIR / safe_id(run_id)


def run_files(reports_dir: Path, run_id: str | None = None) -> list[Path]:
    """Lists one run's per-scenario files, or those of every run folder present (e.g. CI shards copied together)."""
    if run_id is not None:
        return sorted(run_folder(reports_dir, run_id).glob("*.json"))
    return sorted((reports_dir / RUN_DIR).glob("*/*.json"))


def merge_run(
    reports_dir: Path, run_id: str | None = None, run_info: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Merges reports/.run/*.json (of `run_id`, or all) into reports/results.json; None when there is nothing."""
    files = run_files(reports_dir, run_id)
    scenarios: list[dict[str, Any]] = [read_json(path) for path in files]
    if not scenarios:
        return None  # nothing ran: the results of the last run stay, so the report can still be rebuilt
    scenarios.sort(key=sort_key)
    started = min(scenario["started"] for scenario in scenarios)
    info = {
        "id": run_id or scenarios[0].get("run_id", ""),
        "started": started,
        "finished": now_iso(),
        "duration": sum(scenario["duration"] for scenario in scenarios),
    } | (run_info or {})
    info["counts"] = count_statuses(scenarios)
    results = mask_data({"schema": SCHEMA, "run": info, "scenarios": scenarios})
    write_json(reports_dir / RESULTS_FILE, results)
    remove_run_folders(reports_dir, merged={path.parent for path in files})
    return results


def remove_run_folders(reports_dir: Path, merged: set[Path]) -> None:
    """Removes the merged runs' folders (results.json has them now) and those of runs that died long ago."""
    cutoff = time.time() - STALE_RUN_SECONDS
    for folder in (reports_dir / RUN_DIR).glob("*"):
        if folder.is_dir() and (folder in merged or folder.stat().st_mtime < cutoff):
            shutil.rmtree(folder, ignore_errors=True)


class MergeError(ValueError):
    """Report folders that cannot be merged; the message says which and why."""


def merge_reports(target: Path, sources: Iterable[Path]) -> dict[str, Any]:
    """Combines the results of report folders made apart (CI shards) into target/results.json.

    Each source is the reports/ folder of a finished run: its results.json, screenshots, help-article
    pictures and traces are copied into `target`. A scenario in several sources keeps its last record.
    """
    target = Path(target)
    runs: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for source in map(Path, sources):
        path = source / RESULTS_FILE
        if not path.is_file():
            raise MergeError(f"{source} holds no {RESULTS_FILE}: give the reports/ folder of a finished run (a CI shard).")
        results = read_json(path)
        runs.append(results["run"])
        by_id |= {scenario["id"]: scenario for scenario in results["scenarios"]}
        for name in (SCREENSHOT_DIR, HANDLEIDING_DIR, TRACES_DIR):
            if (source / name).is_dir() and source.resolve() != target.resolve():
                shutil.copytree(source / name, target / name, dirs_exist_ok=True)
    if not runs:
        raise MergeError("no report folders given to merge")
    scenarios = sorted(by_id.values(), key=sort_key)
    info = {
        "id": "+".join(run.get("id", "") for run in runs),
        "started": min(run["started"] for run in runs),
        "finished": max(run.get("finished") or run["started"] for run in runs),
        "duration": max(run.get("duration", 0) for run in runs),  # the shards ran side by side
        "shards": len(runs),
        "counts": count_statuses(scenarios),
    }
    merged = mask_data({"schema": SCHEMA, "run": info, "scenarios": scenarios})
    write_json(target / RESULTS_FILE, merged)
    return merged


def load_results(reports_dir: Path) -> dict[str, Any]:
    """Returns the latest results: reports/.run merged when present, else reports/results.json."""
    merged = merge_run(reports_dir) if run_files(reports_dir) else None
    if merged is not None:
        return merged
    path = reports_dir / RESULTS_FILE
    if path.exists():
        results = mask_data(read_json(path))
        write_json(path, results)  # masked again with the secrets known now
        return results
    return {"schema": SCHEMA, "run": {"id": "", "started": now_iso(), "duration": 0, "counts": {}}, "scenarios": []}


def prune_screenshots(reports_dir: Path, results: dict[str, Any]) -> None:
    """Removes screenshots that no scenario of the results refers to (left over from earlier runs)."""
    used = {
        shot
        for scenario in results["scenarios"]
        for shot in [step.get("screenshot") for step in scenario["steps"]]
        + [(scenario.get("failure") or {}).get("screenshot")]
        if shot
    }
    started = datetime.fromisoformat(results["run"]["started"]).timestamp()
    for path in (reports_dir / SCREENSHOT_DIR).glob("*.png"):
        # pictures made since this run started may belong to another run writing here now
        if f"{SCREENSHOT_DIR}/{path.name}" not in used and path.stat().st_mtime < started:
            path.unlink(missing_ok=True)
