"""Where a run's results live on disk, and the one finishing step that merges workers' and shards' results."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from herstelpad.report.model import (
    SCHEMA,
    STATUSES,
    BaseRun,
    Run,
    RunInfo,
    Scenario,
    Step,
    count_statuses,
)
from herstelpad.settings import TRACES_DIR

__all__ = ["SCHEMA", "STATUSES", "count_statuses"]

STATUS_NL: dict[str, str] = {
    "passed": "geslaagd",
    "failed": "mislukt",
    "skipped": "overgeslagen",
    "undefined": "geen stapdefinitie",
}
RUN_DIR = ".run"
SCREENSHOT_DIR = "screenshots"
HISTORY_DIR = "history"
ILLUSTRATIONS_DIR = "handleiding"  # the illustrating scenarios of the article, kept (readers see the name)
RESULTS_FILE = "results.json"
STALE_RUN_SECONDS = 24 * 3600
FILTERED = "gefilterd"  # the start of the reasons a run is partial
STOPPED_EARLY = "vroeg gestopt"
INTERRUPTED = "onderbroken"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class MergeError(ValueError):
    """Report folders that cannot be merged; the message says which and why."""


def safe_id(nodeid: str) -> str:
    """Turns a pytest node id into a file name that is unique, short and portable."""
    slug = _UNSAFE.sub("_", nodeid).strip("._")
    if len(slug) <= 120:
        return slug
    return f"{slug[:60]}-{hashlib.sha256(nodeid.encode()).hexdigest()[:10]}-{slug[-40:]}"


def steps_hash(steps: Iterable[Step]) -> str:
    """Returns a short hash of a scenario's step texts: equal hashes mean the scenario did not change."""
    text = "\n".join(f"{step.keyword} {step.text}" for step in steps)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def now_iso() -> str:
    """Returns the local time as an ISO 8601 string with seconds."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def write_text(path: Path, text: str) -> None:
    """Writes a text file atomically (temp file + rename), so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(path)


def write_json(path: Path, data: Any) -> None:
    """Writes JSON atomically."""
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def read_json(path: Path) -> Any:
    """Reads a JSON file written by write_json."""
    return json.loads(path.read_text(encoding="utf-8"))


def read_scenario(path: Path) -> Scenario:
    """Reads one scenario file of a run folder."""
    return Scenario.model_validate(read_json(path))


def write_scenario(path: Path, scenario: Scenario) -> None:
    """Writes one scenario file (masked)."""
    write_json(path, scenario.masked())


def run_folder(reports_dir: Path, run_id: str) -> Path:
    """The folder of one run's per-scenario files: runs that share reports/ never mix or clobber."""
    return reports_dir / RUN_DIR / safe_id(run_id)


def run_files(reports_dir: Path, run_id: str | None = None) -> list[Path]:
    """Lists one run's per-scenario files, or those of every run folder present (e.g. CI shards copied together)."""
    if run_id is not None:
        return sorted(run_folder(reports_dir, run_id).glob("*.json"))
    return sorted((reports_dir / RUN_DIR).glob("*/*.json"))


def load_results(reports_dir: Path) -> Run:
    """Reads reports/results.json (an empty run when there is none); never writes."""
    path = Path(reports_dir) / RESULTS_FILE
    if not path.exists():
        return Run(run=RunInfo(started=now_iso()))
    try:
        return Run.model_validate(read_json(path))
    except ValidationError as exc:
        raise MergeError(
            f"{path} is not in herstelpad's results format {SCHEMA} (written by an older version?): "
            f"{exc.error_count()} problems, first: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}. "
            "Run the scenarios again to write it anew."
        ) from exc


def _read_finished(source: Path) -> Run:
    """Reads the results.json of a finished report folder (a CI shard)."""
    if not (source / RESULTS_FILE).is_file():
        raise MergeError(f"{source} holds no {RESULTS_FILE}: give the reports/ folder of a finished run (a CI shard).")
    return load_results(source)


def finish_run(
    reports_dir: Path,
    run_id: str | None = None,
    *,
    sources: Iterable[Path] = (),
    info: dict[str, Any] | None = None,
) -> Run | None:
    """The one finishing step: merges run folders (xdist workers) and finished shards into results.json.

    Reads reports/.run/<run_id>/*.json (or every run folder when run_id is None) and the results.json of
    each source folder (whose screenshots, Handleiding pictures and traces are copied along), writes
    reports/results.json, removes the merged run folders and prunes screenshots nobody refers to.
    A scenario present more than once keeps its last record. Returns None when there is nothing to merge.
    A partial run (info["partial"] names why, or fewer scenarios ran than info["selected"]) never replaces the
    documentation: the last full run's scenarios stay beside its own, and `run.base` says which run they are from.
    """
    reports_dir = Path(reports_dir)
    files = run_files(reports_dir, run_id)
    shards = [_read_finished(Path(source)) for source in sources]
    for source in map(Path, sources):
        for name in (SCREENSHOT_DIR, ILLUSTRATIONS_DIR, TRACES_DIR):
            if (source / name).is_dir() and source.resolve() != reports_dir.resolve():
                shutil.copytree(source / name, reports_dir / name, dirs_exist_ok=True)
    by_id: dict[str, Scenario] = {}
    for shard in shards:
        by_id |= {scenario.id: scenario for scenario in shard.scenarios}
    by_id |= {scenario.id: scenario for scenario in map(read_scenario, files)}
    if not by_id:
        return None  # nothing ran: the results of the last run stay, so the report can still be rebuilt
    scenarios = sorted(by_id.values(), key=Scenario.sort_key)
    if shards:
        run_info = RunInfo(
            id="+".join(shard.run.id for shard in shards),
            started=min(shard.run.started for shard in shards),
            finished=max(shard.run.finished or shard.run.started for shard in shards),
            duration=max(shard.run.duration for shard in shards),  # the shards ran side by side
            shards=len(shards),
            **_shards_whole(shards),
        )
    else:
        run_info = RunInfo(
            id=run_id or scenarios[0].run_id,
            started=min(scenario.started for scenario in scenarios),
            finished=now_iso(),
            duration=sum(scenario.duration for scenario in scenarios),
        )
    run_info = run_info.model_copy(update=(info or {}) | {"counts": count_statuses(scenarios), "ran": len(scenarios)})
    run_info = run_info.model_copy(update={"partial": partial_reasons(run_info)})
    if run_info.partial:
        run_info, scenarios = _complete_with_last_full_run(reports_dir, run_info, scenarios)
    run = Run.model_validate(Run(run=run_info, scenarios=scenarios).masked())
    write_json(reports_dir / RESULTS_FILE, run.masked())
    _remove_run_folders(reports_dir, merged={path.parent for path in files})
    _prune_screenshots(reports_dir, run)
    return run


def _shards_whole(shards: list[Run]) -> dict[str, Any]:
    """Counts of CI shards together: each shard is filtered (pytest-split), together they may be whole."""
    collected = max((shard.run.collected or 0 for shard in shards), default=0) or None
    selected = sum(shard.run.selected or 0 for shard in shards) or None
    together_whole = collected is not None and selected is not None and selected >= collected
    reasons = [r for shard in shards for r in shard.run.partial if not (together_whole and r.startswith(FILTERED))]
    reasons = [r for r in reasons if not r.startswith(STOPPED_EARLY)]  # recounted from the merged scenarios
    policies = ", ".join(dict.fromkeys(shard.run.screenshots for shard in shards if shard.run.screenshots))
    return {"collected": collected, "selected": selected, "partial": list(dict.fromkeys(reasons)), "screenshots": policies}


def partial_reasons(info: RunInfo) -> list[str]:
    """Why a run did not run every scenario it collected (empty for a whole run), in the reader's words."""
    reasons = list(info.partial)
    if info.selected is not None and info.ran is not None and info.ran < info.selected:
        reasons.append(f"{STOPPED_EARLY}: {info.ran} van de {info.selected} geselecteerde scenario's liepen")
    return list(dict.fromkeys(reasons))


def _complete_with_last_full_run(reports_dir: Path, info: RunInfo, scenarios: list[Scenario]) -> tuple[RunInfo, list[Scenario]]:
    """A partial run's scenarios beside those of the last full run (from results.json), which stay readable."""
    try:
        previous = load_results(reports_dir) if (reports_dir / RESULTS_FILE).is_file() else None
    except MergeError:
        previous = None
    if previous is None or not previous.scenarios:
        return info, scenarios
    whole = BaseRun(id=previous.run.id, started=previous.run.started, counts=previous.run.counts)
    base = previous.run.base if previous.run.partial else whole  # only ever a full run
    by_id = {scenario.id: scenario for scenario in previous.scenarios} | {scenario.id: scenario for scenario in scenarios}
    return info.model_copy(update={"base": base}), sorted(by_id.values(), key=Scenario.sort_key)


def _remove_run_folders(reports_dir: Path, merged: set[Path]) -> None:
    """Removes the merged runs' folders (results.json has them now) and those of runs that died long ago."""
    cutoff = time.time() - STALE_RUN_SECONDS
    for folder in (reports_dir / RUN_DIR).glob("*"):
        if folder.is_dir() and (folder in merged or folder.stat().st_mtime < cutoff):
            shutil.rmtree(folder, ignore_errors=True)


def _prune_screenshots(reports_dir: Path, run: Run) -> None:
    """Removes screenshots that no scenario of the run refers to (left over from earlier runs)."""
    used = {a.path for s in run.scenarios for a in s.attachments()}
    used |= {s.failure.screenshot for s in run.scenarios if s.failure and s.failure.screenshot}
    try:
        started = datetime.fromisoformat(run.run.started).timestamp()
    except ValueError:
        return
    for path in (reports_dir / SCREENSHOT_DIR).glob("*.png"):
        # pictures made since this run started may belong to another run writing here now
        if f"{SCREENSHOT_DIR}/{path.name}" not in used and path.stat().st_mtime < started:
            path.unlink(missing_ok=True)
