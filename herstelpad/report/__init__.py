"""The living-documentation report of herstelpad: journal, pytest recorder and the HTML builder."""

from __future__ import annotations

from pathlib import Path

from herstelpad.report.builder import build_report
from herstelpad.report.cucumber import write_cucumber
from herstelpad.report.journal import Journal
from herstelpad.report.results import load_results

__all__ = ["Journal", "build_report", "rebuild"]


def rebuild(reports_dir: Path | str) -> Path:
    """Rebuilds results.json (from reports/.run when present), cucumber.json and index.html; for `herstelpad report`."""
    folder = Path(reports_dir)
    results = load_results(folder)
    write_cucumber(results, folder)
    return build_report(folder, results=results)
