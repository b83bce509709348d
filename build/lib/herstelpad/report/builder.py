"""Builds reports/index.html: the living documentation, in Dutch, one folder that opens offline."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from herstelpad.report.articles import Article, article_of
from herstelpad.report.handleiding import Illustration, illustrations
from herstelpad.report.history import flaky_scenarios, load_history
from herstelpad.report.masking import mask
from herstelpad.report.results import STATUS_NL, STATUSES, count_statuses, load_results

ASSETS = Path(__file__).parent
STATUS_ICON = {"passed": "✔", "failed": "✘", "skipped": "–", "undefined": "?"}
ACTOR_CLASS = {"de persoon": "persoon", "de collega": "collega", "AFAS Pocket": "pocket", "de portal": "portal"}
SLOWEST = 5


# --- small helpers -----------------------------------------------------------------------


def e(value: object) -> str:
    """Masks and HTML-escapes any value: the only way text gets into the page."""
    return html.escape(mask("" if value is None else value), quote=True)


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


def paragraphs(text: str | None) -> str:
    """Turns a Gherkin description into HTML paragraphs."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in (text or "").strip().split("\n\n")]
    return "".join(f"<p>{e(block)}</p>" for block in blocks if block)


def badge(status: str) -> str:
    """Returns the coloured status label."""
    return f'<span class="badge {e(status)}">{e(STATUS_ICON.get(status, ""))} {e(STATUS_NL.get(status, status))}</span>'


def tag_chips(tags: Iterable[str]) -> str:
    """Returns clickable tag labels (they set the tag filter)."""
    return "".join(f'<button type="button" class="tag" data-set-tag="{e(t)}">@{e(t)}</button>' for t in tags)


def shot(path: str | None, caption: str, css: str = "shot") -> str:
    """Returns a screenshot thumbnail that enlarges on click (a plain link without JavaScript)."""
    if not path:
        return ""
    return (
        f'<a class="{css}" href="{e(path)}" data-caption="{e(caption)}">'
        f'<img loading="lazy" src="{e(path)}" alt="Schermafbeelding: {e(caption)}"></a>'
    )


def scenario_anchor(scenario: dict[str, Any]) -> str:
    """Returns the HTML id of a scenario."""
    return f"sc-{scenario['id']}"


def step_line(step: dict[str, Any]) -> str:
    """Returns 'Keyword text' of a step."""
    return f"{step['keyword']} {step['text']}"


# --- the parts of the page ---------------------------------------------------------------


def _summary(results: dict[str, Any], flaky: set[str]) -> str:
    """Samenvatting: counts by status and by tag, total time, slowest and flaky scenarios."""
    scenarios = results["scenarios"]
    counts = count_statuses(scenarios)
    cards = [
        f'<button type="button" class="card total" data-set-status=""><b>{len(scenarios)}</b> scenario\'s</button>'
    ]
    cards += [
        f'<button type="button" class="card {e(s)}" data-set-status="{e(s)}"><b>{n}</b> {e(STATUS_NL.get(s, s))}</button>'
        for s, n in counts.items()
    ]
    run = results["run"]
    cards.append(f'<div class="card time"><b>{e(seconds(run.get("duration", 0)))}</b> totale tijd</div>')
    by_tag: dict[str, Counter[str]] = defaultdict(Counter)
    for scenario in scenarios:
        for tag in scenario["tags"]:
            by_tag[tag][scenario["status"]] += 1
    tag_rows = "".join(
        f'<tr><td><button type="button" class="tag" data-set-tag="{e(tag)}">@{e(tag)}</button></td>'
        + "".join(f'<td class="num {e(s)}">{c[s] or ""}</td>' for s in STATUSES)
        + "</tr>"
        for tag, c in sorted(by_tag.items())
    )
    head = "".join(f'<th class="num" title="{e(STATUS_NL[s])}">{e(STATUS_ICON[s])}</th>' for s in STATUSES)
    slow = sorted(scenarios, key=lambda s: s["duration"], reverse=True)[:SLOWEST]
    slow_rows = "".join(
        f'<li><a href="#{e(scenario_anchor(s))}">{e(s["scenario"]["name"])}</a> <span class="muted">{e(seconds(s["duration"]))}</span></li>'
        for s in slow
    )
    flaky_rows = "".join(
        f'<li><a href="#{e(scenario_anchor(s))}">{e(s["scenario"]["name"])}</a></li>'
        for s in scenarios
        if s["nodeid"] in flaky
    )
    flaky_block = (
        f'<div class="panel"><h3>Wisselvallig</h3><p class="muted">Mislukt én geslaagd met dezelfde stappen.</p><ul>{flaky_rows}</ul></div>'
        if flaky_rows
        else ""
    )
    return f"""
<section id="samenvatting" aria-labelledby="h-samenvatting">
  <h2 id="h-samenvatting">Samenvatting</h2>
  <p class="muted">Run van {e(when(run.get("started")))} · {len({s["feature"]["file"] for s in scenarios})} functionaliteiten</p>
  <div class="cards">{"".join(cards)}</div>
  <div class="panels">
    <div class="panel"><h3>Per tag</h3><table class="tags-table"><thead><tr><th>tag</th>{head}</tr></thead><tbody>{tag_rows}</tbody></table></div>
    <div class="panel"><h3>Traagste scenario's</h3><ol>{slow_rows}</ol></div>
    {flaky_block}
  </div>
</section>"""


def _filters(scenarios: list[dict[str, Any]]) -> str:
    """The filter bar: status, tag and a search box (plain JavaScript in report.js)."""
    statuses = "".join(f'<option value="{e(s)}">{e(STATUS_NL.get(s, s))}</option>' for s in STATUSES)
    tags = "".join(
        f'<option value="{e(t)}">@{e(t)}</option>' for t in sorted({t for s in scenarios for t in s["tags"]})
    )
    return f"""
<form class="filters" id="filters" role="search" onsubmit="return false">
  <label>Status <select id="filter-status"><option value="">alle</option>{statuses}</select></label>
  <label>Tag <select id="filter-tag"><option value="">alle</option>{tags}</select></label>
  <label class="grow">Zoeken <input type="search" id="filter-search" placeholder="scenario, stap, e-mail, foutmelding…"></label>
  <button type="button" id="filter-reset">Wis filters</button>
  <output id="filter-count" aria-live="polite">{len(scenarios)} van {len(scenarios)} scenario's</output>
</form>"""


def _illustration(scenario: dict[str, Any], step: dict[str, Any]) -> str:
    """One scenario step in the Handleiding: its screenshot, or (a phone action) what the actors did."""
    if step.get("screenshot"):
        return (
            f"<figure>{shot(step['screenshot'], step_line(step))}<figcaption>{e(step_line(step))}</figcaption></figure>"
        )
    index = scenario["steps"].index(step)
    done = "".join(
        f"<li>{e(ev['actor'])}: {e(ev['text'])}</li>" for ev in scenario["events"] if ev.get("step") == index
    )
    return f'<div class="stepnote"><p>{e(step_line(step))}</p><ul>{done}</ul></div>'


def _handleiding(parts: list[Illustration], article: Article | None) -> str:
    """Handleiding: the article's ways, step by step, with the screenshots of the latest passing run."""
    blocks = []
    for part in parts:
        section, scenario = part.section, part.scenario
        if scenario is None:
            source = (
                '<p class="notice">Nog geen geslaagde run van een scenario met '
                + ", ".join(f"@{e(t)}" for t in section.tags)
                + ": hier komen de afbeeldingen zodra er een slaagt.</p>"
            )
        else:
            earlier = (
                '<p class="notice">In deze run slaagde hiervoor geen scenario dat de stappen even goed laat zien; de afbeeldingen komen uit de laatste geslaagde run.</p>'
                if part.from_earlier_run
                else ""
            )
            source = (
                f'{earlier}<p class="source">Afbeeldingen uit de run van {e(when(part.run_started))}: '
                f'<a href="#{e(scenario_anchor(scenario))}">{e(scenario["scenario"]["name"])}</a></p>'
            )
        items = []
        for article_step, steps in zip(section.steps, part.steps_by_article_step, strict=True):
            figures = "".join(_illustration(scenario, s) for s in steps) if scenario else ""
            css = ' class="zie"' if "zie afbeelding" in article_step.text else ""
            items.append(
                f'<li{css}><blockquote class="article-text">{e(article_step.text)}</blockquote>'
                f'<div class="figures">{figures or "<p class=muted>geen schermafbeelding bij deze stap</p>"}</div></li>'
            )
        blocks.append(
            f'<article class="manier" id="handleiding-{e(section.key)}"><h3>{e(section.title)}</h3>'
            f'<p>{e(section.intro)}</p>{source}<ol class="article-steps">{"".join(items)}</ol></article>'
        )
    return f"""
<section id="handleiding" aria-labelledby="h-handleiding">
  <h2 id="h-handleiding">Handleiding: {e(article.title if article else "")}</h2>
  <p class="lead">{e(article.intro if article else "")}</p>
  {"".join(blocks)}
</section>"""


def _failure(scenario: dict[str, Any]) -> str:
    """On failure: the error in plain words, the last screenshot, the URL and the trace with its command."""
    error = scenario.get("error") or {}
    failure = scenario.get("failure") or {}
    step_index = error.get("step")
    where = (
        f"bij stap {step_index + 1}: <q>{e(step_line(scenario['steps'][step_index]))}</q>"
        if isinstance(step_index, int) and step_index < len(scenario["steps"])
        else f"tijdens {e(scenario.get('phase') or 'het scenario')}"
    )
    rows = [f"<dt>Waar</dt><dd>{where}</dd>"]
    if failure.get("url"):
        rows.append(f"<dt>Pagina</dt><dd><code>{e(failure['url'])}</code></dd>")
    if failure.get("trace"):
        rows.append(
            f'<dt>Trace</dt><dd><a href="{e(failure["trace"])}">{e(failure["trace"])}</a><br>'
            f'Openen met: <code class="command">{e(failure["trace_command"])}</code></dd>'
        )
    if failure.get("video"):
        rows.append(f'<dt>Video</dt><dd><a href="{e(failure["video"])}">{e(failure["video"])}</a></dd>')
    details = (
        f"<details><summary>Technische details</summary><pre>{e(error.get('details'))}</pre></details>"
        if error.get("details")
        else ""
    )
    picture = shot(failure.get("screenshot"), "laatste scherm voor de fout", "shot failure-shot")
    return f"""
<div class="failure" role="note">
  <div class="failure-text">
    <h4>Wat ging er mis</h4>
    <p class="plain">{e(error.get("title") or "Het scenario is mislukt.")}</p>
    <pre class="message">{e(error.get("message"))}</pre>
    <dl>{"".join(rows)}</dl>
    {details}
  </div>
  {picture}
</div>"""


def _step(index: int, step: dict[str, Any]) -> str:
    """One Gegeven/Als/Dan step with its status, duration, screenshot and error."""
    extra = ""
    if step.get("docstring"):
        extra += f'<pre class="docstring">{e(step["docstring"])}</pre>'
    if step.get("datatable"):
        rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in step["datatable"])
        extra += f'<table class="datatable">{rows}</table>'
    if step.get("error"):
        extra += f'<p class="step-error">{e(step["error"]["message"] or step["error"]["title"])}</p>'
    status = step["status"]
    return (
        f'<li class="step {e(status)}"><div class="step-body">'
        f'<span class="icon" title="{e(STATUS_NL.get(status, status))}">{e(STATUS_ICON.get(status, ""))}</span>'
        f'<span class="kw">{e(step["keyword"])}</span> <span class="text">{e(step["text"])}</span>'
        f'<span class="muted dur">{e(seconds(step["duration"])) if status != "skipped" else "niet uitgevoerd"}</span>'
        f"{extra}</div>{shot(step.get('screenshot'), f'na stap {index + 1}: ' + step_line(step))}</li>"
    )


def _emails(scenario: dict[str, Any]) -> str:
    """The e-mails received during the scenario."""
    if not scenario["emails"]:
        return ""
    mails = "".join(
        f"""<article class="mail"><dl>
<dt>Onderwerp</dt><dd><b>{e(m["subject"])}</b></dd><dt>Van</dt><dd>{e(m["sender"])}</dd>
<dt>Aan</dt><dd>{e(m["to"])}</dd><dt>Ontvangen</dt><dd>{e(when(m["received"]))}</dd>
<dt>Gelezen door</dt><dd>{e(m["reader"])}{_at_step(m)}</dd></dl><pre>{e(m["text"])}</pre></article>"""
        for m in scenario["emails"]
    )
    return f'<div class="mails"><h4>E-mails</h4>{mails}</div>'


def _at_step(entry: dict[str, Any]) -> str:
    """Returns ' · bij stap n' for a journal entry filed under a step."""
    return f' <span class="muted">· bij stap {entry["step"] + 1}</span>' if isinstance(entry.get("step"), int) else ""


def _actors(scenario: dict[str, Any]) -> str:
    """Who acted: the journal's events grouped by actor."""
    by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in scenario["events"]:
        by_actor[event["actor"]].append(event)
    if not by_actor:
        return ""
    columns = "".join(
        f'<div class="actor {e(ACTOR_CLASS.get(actor, "ander"))}"><h5>{e(actor)}</h5><ul>'
        + "".join(f"<li>{e(ev['text'])}{_at_step(ev)}</li>" for ev in events)
        + "</ul></div>"
        for actor, events in by_actor.items()
    )
    return f'<div class="actors"><h4>Wie deed wat</h4><div class="actor-grid">{columns}</div></div>'


def _search_text(scenario: dict[str, Any]) -> str:
    """Returns the lower-case text the search box looks in."""
    parts = [scenario["feature"]["name"], scenario["scenario"]["name"], " ".join(scenario["tags"])]
    parts += [step_line(s) for s in scenario["steps"]]
    parts += [f"{m['subject']} {m['to']} {m['text']}" for m in scenario["emails"]]
    parts += [f"{ev['actor']} {ev['text']}" for ev in scenario["events"]]
    parts += [(scenario.get("error") or {}).get("message") or ""]
    return " ".join(parts).lower()


def _scenario(scenario: dict[str, Any], flaky: set[str]) -> str:
    """One scenario: status, duration, steps with screenshots, e-mails, actors, failure."""
    info = scenario["scenario"]
    example = info.get("example") or {}
    example_html = (
        '<p class="example">Voorbeeld: ' + ", ".join(f"{e(k)} = <b>{e(v)}</b>" for k, v in example.items()) + "</p>"
        if example
        else ""
    )
    flaky_mark = (
        '<span class="badge flaky" title="Mislukt én geslaagd met dezelfde stappen in de laatste runs">wisselvallig</span>'
        if scenario["nodeid"] in flaky
        else ""
    )
    skip = f'<p class="muted">Overgeslagen: {e(scenario["skip_reason"])}</p>' if scenario.get("skip_reason") else ""
    notes = "".join(f'<p class="muted note">{e(n)}</p>' for n in scenario.get("notes", []))
    failure = _failure(scenario) if scenario["status"] == "failed" else ""
    steps = "".join(_step(i, s) for i, s in enumerate(scenario["steps"]))
    return f"""
<article class="scenario {e(scenario["status"])}" id="{e(scenario_anchor(scenario))}" data-status="{e(scenario["status"])}"
  data-tags="{e(" ".join(scenario["tags"]))}" data-search="{e(_search_text(scenario))}">
  <header class="scenario-head">
    {badge(scenario["status"])}{flaky_mark}
    <h3><span class="kw">{e(info.get("keyword", "Scenario"))}:</span> {e(info["name"])}</h3>
    <span class="muted">{e(seconds(scenario["duration"]))}</span>
    <span class="chips">{tag_chips(info["tags"])}</span>
  </header>
  {paragraphs(info.get("description"))}{example_html}{skip}{failure}
  <ol class="steps">{steps}</ol>
  {_emails(scenario)}{_actors(scenario)}{notes}
  <p class="where muted">{e(scenario["feature"]["file"])}:{info["line"]} · <code>{e(scenario["nodeid"])}</code></p>
</article>"""


def _features(scenarios: list[dict[str, Any]], flaky: set[str]) -> str:
    """Per feature a chapter: title, description, its scenarios."""
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for scenario in scenarios:
        by_file[scenario["feature"]["file"]].append(scenario)
    chapters = []
    for file, items in sorted(by_file.items()):
        feature = items[0]["feature"]
        counts = count_statuses(items)
        status = "failed" if counts.get("failed") else "passed" if counts.get("passed") else "skipped"
        summary = " · ".join(f"{n} {STATUS_NL.get(s, s)}" for s, n in counts.items() if n)
        chapters.append(
            f"""
<section class="feature" id="ft-{e(items[0]["id"])}">
  <header class="feature-head">{badge(status)}<h2>{e(feature["name"] or file)}</h2></header>
  <p class="muted">{e(summary)} · {e(file)} <span class="chips">{tag_chips(feature["tags"])}</span></p>
  <div class="description">{paragraphs(feature["description"])}</div>
  {"".join(_scenario(s, flaky) for s in items)}
</section>"""
        )
    empty = '<p id="filter-empty" class="notice" hidden>Geen scenario\'s die aan de filters voldoen.</p>'
    none = '<p class="notice">Er zijn (nog) geen scenario\'s uitgevoerd.</p>' if not scenarios else ""
    return f'<div id="functionaliteiten">{none}{empty}{"".join(chapters)}</div>'


def _history(history: list[dict[str, Any]], flaky: set[str], scenarios: list[dict[str, Any]]) -> str:
    """Geschiedenis: a bar chart of the last runs and the flaky scenarios."""
    if not history:
        return '<section id="geschiedenis"><h2>Geschiedenis</h2><p class="muted">Nog geen eerdere runs.</p></section>'
    width, height, gap = 40, 120, 12
    top = max(sum(h.get("counts", {}).values()) for h in history) or 1
    bars = []
    for i, entry in enumerate(history):
        counts, y = entry.get("counts", {}), height
        x = 30 + i * (width + gap)
        title = ", ".join(f"{n} {STATUS_NL.get(s, s)}" for s, n in counts.items())
        for status in STATUSES:
            h = round(counts.get(status, 0) / top * height)
            if h:
                y -= h
                bars.append(
                    f'<rect class="{status}" x="{x}" y="{y + 16}" width="{width}" height="{h}"><title>{e(when(entry.get("started")))}: {e(title)}</title></rect>'
                )
        total = sum(counts.values())
        bars.append(
            f'<text x="{x + width / 2}" y="{y + 6}" text-anchor="middle">{counts.get("passed", 0)}/{total}</text>'
        )
        label = when(entry.get("started"))[:5]
        bars.append(f'<text x="{x + width / 2}" y="{height + 32}" text-anchor="middle">{e(label)}</text>')
    svg_width = 40 + len(history) * (width + gap)
    rows = "".join(
        f"<tr><td>{e(when(h.get('started')))}</td>"
        + "".join(f'<td class="num {s}">{h.get("counts", {}).get(s, 0)}</td>' for s in STATUSES)
        + f'<td class="num">{e(seconds(h.get("duration", 0)))}</td></tr>'
        for h in reversed(history)
    )
    names = {s["nodeid"]: s for s in scenarios}
    flaky_items = "".join(
        f'<li><a href="#{e(scenario_anchor(names[n]))}">{e(names[n]["scenario"]["name"])}</a></li>'
        if n in names
        else f"<li>{e(n)}</li>"
        for n in sorted(flaky)
    )
    flaky_html = (
        f'<h3>Wisselvallige scenario\'s</h3><p class="muted">Mislukt én geslaagd zonder dat de stappen veranderden.</p><ul>{flaky_items}</ul>'
        if flaky
        else '<p class="muted">Geen wisselvallige scenario\'s in de laatste runs.</p>'
    )
    head = "".join(f"<th>{e(STATUS_NL[s])}</th>" for s in STATUSES)
    return f"""
<section id="geschiedenis" aria-labelledby="h-geschiedenis">
  <h2 id="h-geschiedenis">Geschiedenis</h2>
  <p class="muted">De laatste {len(history)} runs (oud → nieuw); boven elke staaf: geslaagd/totaal.</p>
  <p class="legend">{"".join(f'<span class="key {s}"></span>{e(STATUS_NL[s])} ' for s in STATUSES)}</p>
  <svg class="trend" role="img" aria-label="Trend van de laatste runs" viewBox="0 0 {svg_width} {height + 40}" width="{svg_width}" height="{height + 40}">
    <line x1="26" y1="{height + 16}" x2="{svg_width}" y2="{height + 16}" class="axis"/>{"".join(bars)}
  </svg>
  {flaky_html}
  <details><summary>Alle runs</summary><table class="runs"><thead><tr><th>run</th>{head}<th>duur</th></tr></thead><tbody>{rows}</tbody></table></details>
</section>"""


def render(
    results: dict[str, Any], history: list[dict[str, Any]], parts: list[Illustration], article: Article | None = None
) -> str:
    """Returns the whole index.html."""
    scenarios = results["scenarios"]
    flaky = flaky_scenarios(history)
    counts = count_statuses(scenarios)
    overall = "failed" if counts.get("failed") else "passed" if counts.get("passed") else "skipped"
    css = (ASSETS / "report.css").read_text(encoding="utf-8")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    title = article.title if article else "Levende documentatie van de herstelpaden"
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Herstelpad — {e(title)}</title>
<style>{css}</style>
</head>
<body>
<header class="top {overall}">
  <div><p class="eyebrow">Herstelpad · levende documentatie</p><h1>{e(title)}</h1>
  <p>Elke stap van het helpartikel, nagespeeld in de browser — met het scherm na iedere stap.</p></div>
  <div class="top-status">{badge(overall)}<span>{e(when(results["run"].get("started")))}</span></div>
</header>
<nav class="toc" aria-label="Inhoud"><a href="#samenvatting">Samenvatting</a><a href="#handleiding">Handleiding</a><a href="#functionaliteiten">Functionaliteiten</a><a href="#geschiedenis">Geschiedenis</a></nav>
<main>
{_summary(results, flaky)}
{_handleiding(parts, article) if article else ''}
<section aria-labelledby="h-functionaliteiten"><h2 id="h-functionaliteiten" class="chapter-title">Functionaliteiten</h2>
{_filters(scenarios)}
{_features(scenarios, flaky)}
</section>
{_history(history, flaky, scenarios)}
</main>
<dialog id="lightbox" aria-label="Schermafbeelding"><form method="dialog"><button class="close" aria-label="Sluiten">×</button></form><img alt=""><p class="caption"></p></dialog>
<footer class="muted">Gemaakt door herstelpad · {len(scenarios)} scenario's · geheimen zijn gemaskeerd, QR-codes en ingetypte codes zijn op de schermafbeeldingen afgedekt.</footer>
<script>{js}</script>
</body>
</html>
"""


def build_report(reports_dir: Path, *, results: dict[str, Any] | None = None) -> Path:
    """Builds reports/index.html from the latest results (reports/.run or results.json) and the history."""
    reports_dir = Path(reports_dir)
    results = results if results is not None else load_results(reports_dir)
    article = article_of(results)
    page = render(results, load_history(reports_dir), illustrations(reports_dir, results, article), article)
    path = reports_dir / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(mask(page), encoding="utf-8")  # a last pass over the whole page, besides e() on every text
    return path.resolve()
