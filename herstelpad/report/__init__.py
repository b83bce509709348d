"""The living-documentation report of herstelpad: the run model, its finishing step, and the writers of every output."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from herstelpad.report.allure import write_allure
from herstelpad.report.article import Article, article_of
from herstelpad.report.builder import build_report
from herstelpad.report.cucumber import write_cucumber
from herstelpad.report.history import save_history
from herstelpad.report.illustrations import keep_illustrations
from herstelpad.report.journal import Journal
from herstelpad.report.junit import JUNIT_FILE, write_junit
from herstelpad.report.messages import write_messages
from herstelpad.report.model import Run
from herstelpad.report.results import MergeError, finish_run, load_results, run_files

__all__ = ["Journal", "MergeError", "Run", "build_report", "finish_run", "load_results", "merge", "rebuild", "write_outputs"]


def write_outputs(
    reports_dir: Path, run: Run, article: Article, *, pytest_junit: Path | None = None,
    allure_dir: Path | None = None, clean_allure_dir: bool = False,
) -> Path:
    """Writes every output of a finished run from the one model; returns the path of index.html.

    cucumber.json, junit.xml (left to pytest when its --junitxml writes that same file), allure-results/,
    cucumber-messages.ndjson, the Handleiding's kept pictures and index.html.
    """
    folder = Path(reports_dir)
    write_cucumber(run, folder)
    if pytest_junit is None or pytest_junit != (folder / JUNIT_FILE).resolve():
        write_junit(run, folder)
    write_allure(run, folder, allure_dir, clean_allure_dir)
    write_messages(run, folder)
    keep_illustrations(folder, run, article)
    return build_report(folder, article, run=run)


def rebuild(reports_dir: Path | str, article: Article | None = None) -> Path:
    """`herstelpad report`: finishes a run left unfinished in reports/.run, then writes every output again."""
    folder = Path(reports_dir)
    run = finish_run(folder) if run_files(folder) else None
    if run is not None:
        save_history(folder, run)
    run = run or load_results(folder)
    return write_outputs(folder, run, article or article_of(run))


def merge(reports_dir: Path | str, sources: Iterable[Path], article: Article | None = None) -> Path:
    """`herstelpad report --merge`: finishes one run from finished report folders (CI shards) and writes its outputs."""
    folder = Path(reports_dir)
    run = finish_run(folder, sources=list(sources))
    if run is None:
        raise MergeError("no report folders given to merge")
    save_history(folder, run)
    return write_outputs(folder, run, article or article_of(run))
