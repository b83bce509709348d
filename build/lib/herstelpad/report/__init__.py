"""The living-documentation report of herstelpad: journal, pytest recorder and the HTML builder."""

from __future__ import annotations

from pathlib import Path

from herstelpad.report.builder import build_report
from herstelpad.report.cucumber import write_cucumber
from herstelpad.report.journal import Journal
from herstelpad.report.history import save_history
from herstelpad.report.results import MergeError, load_results, merge_reports

__all__ = ["Journal", "MergeError", "build_report", "merge", "rebuild"]


def rebuild(reports_dir: Path | str) -> Path:
    """Rebuilds results.json (from reports/.run when present), cucumber.json and index.html; for `herstelpad report`."""
    folder = Path(reports_dir)
    results = load_results(folder)
    write_cucumber(results, folder)
    return build_report(folder, results=results)


def merge(reports_dir: Path | str, sources: list[Path]) -> Path:
    """Merges finished report folders (CI shards) into one run in `reports_dir` and builds its report."""
    folder = Path(reports_dir)
    results = merge_reports(folder, sources)
    save_history(folder, results)
    write_cucumber(results, folder)
    return build_report(folder, results=results)
