"""Builds reports/index.html from the run model with Jinja2 templates: the living documentation, in Dutch, offline."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from herstelpad.report.article import Article, inline
from herstelpad.report.history import flaky_scenarios, load_history
from herstelpad.report.illustrations import illustrations
from herstelpad.report.masking import mask
from herstelpad.report.model import (
    STATUSES,
    Run,
    Scenario,
    count_statuses,
    overall_status,
)
from herstelpad.report.results import STATUS_NL, load_results, write_text
from herstelpad.settings import DOCUMENTATION, FAILURES, SCREENSHOT_POLICIES

ASSETS = Path(__file__).parent
STATUS_ICON = {"passed": "✔", "failed": "✘", "skipped": "–", "undefined": "?"}
SLOWEST = 5
TECHNICAL_TAG = "technisch"  # features with this tag are technical checks, listed apart from the reader's documentation
BAR_WIDTH, CHART_HEIGHT, BAR_GAP = 40, 120, 12


# --- filters ------------------------------------------------------------------------------


def seconds(value: float) -> str:
    """Formats a duration the Dutch way: '0,4 s', '12 s', '2 min 05 s'."""
    if value < 10:
        return f"{value:.1f} s".replace(".", ",")
    if value < 60:
        return f"{value:.0f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def when(iso: str | None) -> str:
    """Formats an ISO time as 'dd-mm-jjjj uu:mm'."""
    try:
        return datetime.fromisoformat(iso or "").strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return iso or "onbekend"


def paragraph_blocks(text: str | None) -> list[str]:
    """Splits a Gherkin description into paragraphs (blank-line separated, lines joined)."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in (text or "").strip().split("\n\n")]
    return [block for block in blocks if block]


def search_text(scenario: Scenario) -> str:
    """Returns the lower-case text the search box looks in."""
    parts = [scenario.feature.name, scenario.name, " ".join(scenario.tags)]
    parts += [step.line_text for step in scenario.steps]
    parts += [f"{m.subject} {m.to} {m.text}" for m in scenario.emails]
    parts += [f"{ev.actor} {ev.text}" for ev in scenario.events]
    parts += [scenario.error.message if scenario.error else ""]
    return " ".join(parts).lower()


def count_text(scenarios: list[Scenario]) -> str:
    """'3 geslaagd · 1 mislukt': the non-zero counts of a feature."""
    return " · ".join(f"{n} {STATUS_NL.get(s, s)}" for s, n in count_statuses(scenarios).items() if n)


def groupby_first(items: Iterable[Any], attribute: str) -> list[tuple[str, list[Any]]]:
    """Groups items by an attribute in the order each value first appears (Jinja's groupby sorts)."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[getattr(item, attribute)].append(item)
    return list(groups.items())


def _finalize(value: object) -> object:
    """Masks every value the templates print (markup made by the templates themselves passes as it is)."""
    if isinstance(value, Markup):
        return value
    return mask("" if value is None else value)


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report: packaged templates, autoescape on, every value masked."""
    env = Environment(
        loader=PackageLoader("herstelpad.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        seconds=seconds, when=when, paragraph_blocks=paragraph_blocks, search_text=search_text,
        count_text=count_text, groupby_first=groupby_first, inline=inline,
    )
    env.globals.update(TECHNICAL_TAG=TECHNICAL_TAG, STATUS_ICON=STATUS_ICON, STATUS_NL=STATUS_NL, STATUSES=STATUSES, zip=zip)
    return env


# --- the history chart ---------------------------------------------------------------------


@dataclass
class Bar:
    """One run in the history chart: its stacked rectangles and labels."""

    x: int
    started: str
    title: str
    passed: int
    total: int
    partial: bool = False  # a filtered or stopped run: drawn hatched, its count is not the whole documentation
    top: int = CHART_HEIGHT
    rects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def center(self) -> float:
        """The x of the bar's middle (for its labels)."""
        return self.x + BAR_WIDTH / 2


def history_chart(history: list[dict[str, Any]]) -> dict[str, Any]:
    """Lays out the bar chart of the last runs: per run a stack of passed, failed and skipped."""
    top = max((sum(h.get("counts", {}).values()) for h in history), default=0) or 1
    bars = []
    for i, entry in enumerate(history):
        counts = entry.get("counts", {})
        bar = Bar(
            x=30 + i * (BAR_WIDTH + BAR_GAP), started=entry.get("started", ""),
            title=", ".join(f"{n} {STATUS_NL.get(s, s)}" for s, n in counts.items()),
            passed=counts.get("passed", 0), total=sum(counts.values()), partial=bool(entry.get("partial")),
        )
        for status in STATUSES:
            if h := round(counts.get(status, 0) / top * CHART_HEIGHT):
                bar.top -= h
                bar.rects.append({"status": status, "y": bar.top, "h": h})
        bars.append(bar)
    return {"bars": bars, "width": 40 + len(history) * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT, "bar_width": BAR_WIDTH}


# --- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What the top of the report says: its title and each target's introduction (with the target's title when
    the run has several)."""

    title: str
    introductions: list[tuple[str, str]]


def default_introduction(title: str, article: Article) -> str:
    """What the header says of a target whose pack gives no introduction."""
    if article.sections:
        return f"{article.title}: elke stap nagespeeld in de browser en getoond naast het scherm waarop je hem doet."
    return f"De scenario's van {title}: elke stap nagespeeld in de browser, met wat de persoon ziet en ontvangt."


def policy_text(policy: str, article: Article) -> str:
    """What the screenshot policy kept, in the reader's words (without an article: no Handleiding to picture)."""
    if policy == DOCUMENTATION and not article.sections:
        return SCREENSHOT_POLICIES[FAILURES]
    return SCREENSHOT_POLICIES.get(policy, "")


def header_of(run: Run, article: Article) -> Header:
    """The report's title and introductions, from the packs the run's scenarios ran against (else the article's title)."""
    infos = run.target_infos()
    if not infos:
        return Header(article.title, [])
    titles = [info.title or info.name for info in infos]
    introductions = [
        ("" if len(infos) == 1 else title, info.introduction or default_introduction(title, article))
        for title, info in zip(titles, infos, strict=True)
    ]
    return Header(" · ".join(titles), introductions)


def render(run: Run, history: list[dict[str, Any]], article: Article, reports_dir: Path) -> str:
    """Returns the whole index.html."""
    by_tag: dict[str, Counter[str]] = defaultdict(Counter)
    for scenario in run.scenarios:
        for tag in scenario.tags:
            by_tag[tag][scenario.status] += 1
    context = {
        "run": run,
        "article": article,
        "header": header_of(run, article),
        "policy": (run.run.screenshots, policy_text(run.run.screenshots, article)),
        "parts": illustrations(reports_dir, run, article),
        "features": [group for group in run.features() if TECHNICAL_TAG not in group.feature.tags],
        "technical": [group for group in run.features() if TECHNICAL_TAG in group.feature.tags],
        "targets": run.targets(),
        "counts": count_statuses(run.scenarios),
        "own": [s for s in run.scenarios if not run.is_earlier(s)],
        "overall": overall_status(run.scenarios),
        "by_tag": sorted(by_tag.items()),
        "slowest": sorted(run.scenarios, key=lambda s: s.duration, reverse=True)[:SLOWEST],
        "flaky": flaky_scenarios(history),
        "all_tags": sorted({t for s in run.scenarios for t in s.tags}),
        "history": history,
        "chart": history_chart(history),
        "by_nodeid": {s.nodeid: s for s in run.scenarios},
        "css": Markup((ASSETS / "report.css").read_text(encoding="utf-8")),
        "js": Markup((ASSETS / "report.js").read_text(encoding="utf-8")),
    }
    return environment().get_template("index.html.j2").render(context)


def build_report(reports_dir: Path, article: Article, *, run: Run | None = None) -> Path:
    """Builds reports/index.html from the run (default: reports/results.json), the history and the article."""
    reports_dir = Path(reports_dir)
    run = run if run is not None else load_results(reports_dir)
    page = render(run, load_history(reports_dir), article, reports_dir)
    path = reports_dir / "index.html"
    write_text(path, mask(page))  # a last pass over the whole page, besides the masking of every value
    return path.resolve()
