"""The recorder plugin in a real pytest run (pytester): results, cucumber.json, index.html, JUnit — all masked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageColor
from playwright.sync_api import Page

from herstelpad.report.fingerprint import page_fingerprint
from herstelpad.report.screenshots import MASK_COLOR

PASSWORD = "Geheim-Wachtwoord-42"
CODE = "531908"

FEATURE = """\
# language: nl
@herstel
Functionaliteit: Herstel zonder browser
  Een persoon leest een bevestigingscode uit de e-mail.

  @manier-1
  Scenario: Bevestigingscode uit de e-mail
    Gegeven een persoon met een geheim wachtwoord
    Als de persoon de e-mail met de bevestigingscode leest
    Dan klopt de code

  @manier-2
  Scenario: Een fout met een geheim erin
    Gegeven een persoon met een geheim wachtwoord
    Als de persoon de e-mail met de bevestigingscode leest
    Dan is de code onjuist
    En wordt dit nooit uitgevoerd

  Abstract Scenario: Een voorbeeld per regel
    Gegeven een persoon met een geheim wachtwoord
    Dan heet de persoon "<naam>"

    Voorbeelden:
      | naam |
      | Anna |
      | Bram |
"""

STEPS = f'''\
from pytest_bdd import given, parsers, scenarios, then, when

from herstelpad.secrets import REGISTRY

PASSWORD = "{PASSWORD}"
CODE = "{CODE}"
scenarios("herstel.feature")


@given("een persoon met een geheim wachtwoord", target_fixture="person")
def person(journal):
    REGISTRY.register(PASSWORD, "wachtwoord")
    journal.record_event("de persoon", f"typt het wachtwoord {{PASSWORD}}")
    return {{"password": PASSWORD}}


@when("de persoon de e-mail met de bevestigingscode leest", target_fixture="code")
def reads_code_mail(journal):
    REGISTRY.register(CODE, "bevestigingscode")
    journal.record_email(
        {{"subject": "Bevestigingscode", "sender": "AFAS Online <noreply@afasonline.nl>",
          "to": ["persoon@example.nl"], "text": f"Bevestigingscode: {{CODE}}", "received": "2025-11-25T13:00:00"}},
        reader="de persoon",
    )
    journal.record_event("de portal", "verstuurt de bevestigingsmail")
    return CODE


@then("klopt de code")
def code_is_right(code):
    assert code == CODE


@then("is de code onjuist")
def code_is_wrong(code, person):
    print(f"wachtwoord in de uitvoer: {{PASSWORD}}")
    assert code == "000000", f"code {{code}} en wachtwoord {{person['password']}}"


@then("wordt dit nooit uitgevoerd")
def never_run():
    pass


@then(parsers.parse('heet de persoon "{{name}}"'))
def person_is_called(name):
    assert name in ("Anna", "Bram")
'''


def read_json(path: Path) -> dict[str, Any]:
    """Reads a JSON file the recorder wrote."""
    return dict(json.loads(path.read_text(encoding="utf-8")))


def text_of(folder: Path) -> str:
    """Returns the text of every non-image file under the folder."""
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file() and p.suffix != ".png")


@pytest.fixture
def bdd_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A tiny pytest-bdd project (no browser) that uses the journal."""
    pytester.makefile(".feature", herstel=FEATURE)
    pytester.makepyfile(test_herstel=STEPS)
    return pytester


def test_recorder_writes_masked_results_cucumber_and_report(bdd_project: pytest.Pytester) -> None:
    """One run: per-scenario files, results.json, cucumber.json, index.html, history and JUnit, without secrets."""
    result = bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder", "--junitxml=reports/junit.xml")
    result.assert_outcomes(passed=3, failed=1)
    reports = bdd_project.path / "reports"
    result.stdout.fnmatch_lines(
        [f"Verslag: {reports / 'index.html'}", "Scenario's: 4 (3 geslaagd, 1 mislukt, 0 overgeslagen)*"]
    )
    for name in ("results.json", "cucumber.json", "index.html", "junit.xml", "cucumber-messages.ndjson"):
        assert (reports / name).is_file(), name
    assert len(list((reports / "allure-results").glob("*-result.json"))) == 4
    assert not (reports / ".run").exists() or not list((reports / ".run").iterdir()), "the run folder is merged once"
    assert len(list((reports / "history").glob("*.json"))) == 1

    scenarios = read_json(reports / "results.json")["scenarios"]
    records = {r["name"] + str(r["example"] or ""): r for r in scenarios}
    assert len(records) == 4
    failed = records["Een fout met een geheim erin"]
    assert [s["keyword"] for s in failed["steps"]] == ["Gegeven", "Als", "Dan", "En"]
    assert [s["status"] for s in failed["steps"]] == ["passed", "passed", "failed", "skipped"]
    assert failed["status"] == "failed" and failed["error"]["step"] == 2
    assert failed["error"]["title"] == "Het resultaat was anders dan het scenario verwacht."
    assert failed["feature"]["tags"] == ["herstel"] and failed["tags"] == ["herstel", "manier-2"]
    assert failed["emails"][0]["reader"] == "de persoon" and failed["emails"][0]["step"] == 1
    assert [(e["actor"], e["step"]) for e in failed["events"]] == [("de persoon", 0), ("de portal", 1)]
    assert records["Een voorbeeld per regel{'naam': 'Anna'}"]["status"] == "passed"

    features = json.loads((reports / "cucumber.json").read_text(encoding="utf-8"))
    assert [len(f["elements"]) for f in features] == [4]
    for secret in (PASSWORD, CODE):
        assert secret not in text_of(reports), secret
        assert secret not in result.stdout.str(), secret
    assert "«geheim:wachtwoord»" in (reports / "junit.xml").read_text(encoding="utf-8")


def test_recorder_merges_xdist_workers(bdd_project: pytest.Pytester) -> None:
    """With pytest-xdist the workers write the files and the controller merges them once."""
    result = bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder", "-n", "2")
    result.assert_outcomes(passed=3, failed=1)
    results = json.loads((bdd_project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert len(results["scenarios"]) == 4
    assert {s["worker"] for s in results["scenarios"]} <= {"gw0", "gw1"}
    assert len({s["run_id"] for s in results["scenarios"]}) == 1
    assert PASSWORD not in text_of(bdd_project.path / "reports")


def test_a_run_without_scenarios_leaves_the_report_alone(bdd_project: pytest.Pytester) -> None:
    """Unit tests run with the plugin loaded do not replace the last living documentation."""
    bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder").assert_outcomes(passed=3, failed=1)
    index = bdd_project.path / "reports" / "index.html"
    before = index.stat().st_mtime_ns
    bdd_project.makepyfile(test_eenheid="def test_iets():\n    assert True\n")
    result = bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder", "test_eenheid.py")
    result.assert_outcomes(passed=1)
    assert index.stat().st_mtime_ns == before and "Verslag:" not in result.stdout.str()
    results = read_json(bdd_project.path / "reports" / "results.json")
    assert len(results["scenarios"]) == 4  # the last run's results stay for `herstelpad report`


BROWSER_FEATURE = """\
# language: nl
Functionaliteit: Een scherm met een geheim
  Scenario: Het wachtwoord intypen
    Gegeven de persoon opent het inlogformulier
    Als de persoon het wachtwoord intypt
    Dan staat het wachtwoord in het veld

  Scenario: Een kapot scherm
    Gegeven de persoon opent het inlogformulier
    Dan staat er "iets dat er niet is"
"""

BROWSER_STEPS = """\
from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("scherm.feature")
FORM = Path(__file__).with_name("form.html").as_uri()


@given("de persoon opent het inlogformulier")
def opens_form(page):
    page.goto(FORM)


@when("de persoon het wachtwoord intypt")
def types_password(page):
    page.get_by_label("Wachtwoord").fill("Geheim-Wachtwoord-42")


@then("staat het wachtwoord in het veld")
def password_in_field(page):
    expect(page.get_by_label("Wachtwoord")).to_have_value("Geheim-Wachtwoord-42")


@then(parsers.parse('staat er "{text}"'))
def text_shown(page, text):
    expect(page.get_by_text(text)).to_be_visible(timeout=500)
"""

FORM_HTML = """<!doctype html><html lang="nl"><body style="margin:0;background:#fff">
<label for="pw" style="position:absolute;left:20px;top:80px">Wachtwoord</label>
<input id="pw" type="password" style="position:absolute;left:20px;top:20px;width:200px;height:40px">
<img alt="QR-code om AFAS Pocket te koppelen" style="position:absolute;left:300px;top:20px;width:100px;height:100px;background:#000">
</body></html>"""


def test_recorder_takes_a_masked_screenshot_after_each_step(
    pytester: pytest.Pytester, chromium_launch_args: dict[str, Any]
) -> None:
    """With a real browser: a screenshot after every step, secrets painted over, and the trace of a failure."""
    pytester.makefile(".feature", scherm=BROWSER_FEATURE)
    pytester.makepyfile(test_scherm=BROWSER_STEPS)
    (pytester.path / "form.html").write_text(FORM_HTML, encoding="utf-8")
    pytester.makeconftest(
        f"""
import pytest

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {{**browser_type_launch_args, **{chromium_launch_args!r}}}
"""
    )
    result = pytester.runpytest_subprocess("-p", "herstelpad.report.recorder", "--tracing", "retain-on-failure")
    result.assert_outcomes(passed=1, failed=1)
    reports = pytester.path / "reports"
    records = {r["name"]: r for r in read_json(reports / "results.json")["scenarios"]}

    typed = records["Het wachtwoord intypen"]
    shots = [s["screenshot"]["path"] for s in typed["steps"]]
    assert all(shots) and all((reports / s).is_file() for s in shots)
    assert all(s["screenshot_seconds"] > 0 for s in typed["steps"])  # timed apart from the step itself
    assert typed["url"].endswith("form.html") and typed["notes"] == []
    mask = ImageColor.getrgb(MASK_COLOR)
    with Image.open(reports / shots[1]) as picture:
        rgb = picture.convert("RGB")
        assert rgb.getpixel((120, 40)) == mask  # the password field is masked
        assert rgb.getpixel((350, 70)) == mask  # so is the QR code
    # the check changed nothing on the screen: its picture is a copy of the one before it, masked as that one is
    assert shots[2] != shots[1] and (reports / shots[2]).read_bytes() == (reports / shots[1]).read_bytes()

    broken = records["Een kapot scherm"]
    assert broken["failure"]["screenshot"] == broken["steps"][1]["screenshot"]["path"]
    assert broken["failure"]["trace_command"].startswith("playwright show-trace ")
    assert (reports / broken["failure"]["trace"]).resolve().is_file()
    assert "time-out" in broken["error"]["title"] or "anders" in broken["error"]["title"]


def test_the_fingerprint_of_a_page_changes_with_what_its_picture_shows(report_page: Page, tmp_path: Path) -> None:
    """Same page, same fingerprint (also after a masked screenshot); a typed value, focus or another URL change it."""
    form = tmp_path / "form.html"
    form.write_text(FORM_HTML, encoding="utf-8")
    report_page.goto(form.as_uri())
    first = page_fingerprint(report_page)
    report_page.screenshot(mask=[report_page.locator("input[type=password]")], mask_color=MASK_COLOR)
    assert page_fingerprint(report_page) == first
    report_page.get_by_label("Wachtwoord").focus()
    focused = page_fingerprint(report_page)
    assert focused != first
    report_page.get_by_label("Wachtwoord").fill(PASSWORD)
    typed = page_fingerprint(report_page)
    assert typed not in (first, focused) and PASSWORD not in typed
    report_page.goto(form.as_uri() + "#elders")
    assert page_fingerprint(report_page) != typed
    elsewhere = page_fingerprint(report_page)
    report_page.evaluate("document.body.insertAdjacentHTML('beforeend', "
                         "'<div id=lijst style=\"height:50px;overflow:auto\"><p style=\"height:500px\">lang</p></div>')")
    scrollable = page_fingerprint(report_page)
    assert scrollable != elsewhere
    report_page.evaluate("document.getElementById('lijst').scrollTop = 100")  # scrolled inside an element only
    assert page_fingerprint(report_page) != scrollable
    report_page.evaluate("document.body.append(document.createElement('canvas'))")  # draws what no DOM shows
    assert page_fingerprint(report_page) != page_fingerprint(report_page)


def test_a_run_of_scenarios_named_by_node_id_is_partial(bdd_project: pytest.Pytester) -> None:
    """`pytest file.py::test_x` deselects nothing, yet runs only what it names: partial, on the last full run."""
    bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder").assert_outcomes(passed=3, failed=1)
    reports = bdd_project.path / "reports"
    full = read_json(reports / "results.json")
    listed = bdd_project.runpytest_subprocess("--collect-only", "-q").stdout.lines
    named = next(line for line in listed if "::" in line)
    result = bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder", named)
    assert result.ret in (0, 1)
    one = read_json(reports / "results.json")
    assert one["run"]["partial"] == ["gefilterd: 1 scenario('s) bij naam gekozen"], one["run"]["partial"]
    assert one["run"]["base"]["id"] == full["run"]["id"] and len(one["scenarios"]) == 4


def test_a_partial_run_keeps_the_full_documentation_readable(bdd_project: pytest.Pytester) -> None:
    """A run filtered with -m or stopped with -x is labelled partial; the last full run's scenarios stay readable."""
    bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder").assert_outcomes(passed=3, failed=1)
    reports = bdd_project.path / "reports"
    full = read_json(reports / "results.json")
    assert full["run"]["partial"] == [] and full["run"]["collected"] == full["run"]["selected"] == 4

    result = bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder", "-m", "manier-1")
    result.assert_outcomes(passed=1, deselected=3)
    result.stdout.fnmatch_lines(["Gedeeltelijke run (gefilterd: 1 van de 4 scenario's geselecteerd (-m 'manier-1'))*"])
    partial = read_json(reports / "results.json")
    assert partial["run"]["base"]["id"] == full["run"]["id"]
    assert partial["run"]["selected"] == 1 and partial["run"]["collected"] == 4 and partial["run"]["ran"] == 1
    assert sorted(s["name"] for s in partial["scenarios"]) == sorted(s["name"] for s in full["scenarios"])
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "Gedeeltelijke run" in page and "gefilterd: 1 van de 4 scenario" in page
    for scenario in full["scenarios"]:  # every scenario of the full run still has its anchor, steps and outcome
        assert f'id="sc-{scenario["id"]}"' in page, scenario["name"]
    assert page.count("uit een eerdere run (") == 3
    history = [read_json(p) for p in sorted((reports / "history").glob("*.json"))]
    assert [bool(h["partial"]) for h in history] == [False, True]
    assert [sum(h["counts"].values()) for h in history] == [4, 1]  # the partial run counts only what it ran
    assert "deel 1/1" in page

    result = bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder", "-x", "-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)
    stopped = read_json(reports / "results.json")
    assert any(r.startswith("vroeg gestopt: 2 van de 4") for r in stopped["run"]["partial"]), stopped["run"]["partial"]
    assert stopped["run"]["base"]["id"] == full["run"]["id"]  # still the last full run, not the partial one between
    assert len(stopped["scenarios"]) == 4

    bdd_project.runpytest_subprocess("-p", "herstelpad.report.recorder").assert_outcomes(passed=3, failed=1)
    whole = read_json(reports / "results.json")
    assert whole["run"]["partial"] == [] and whole["run"]["base"] is None
    assert "Gedeeltelijke run" not in (reports / "index.html").read_text(encoding="utf-8")


def test_a_run_of_one_packs_folder_is_partial_beside_the_other_packs(pytester: pytest.Pytester) -> None:
    """In a repository of two packs, `pytest steps/een` runs one pack's scenarios: partial, and the other pack's
    scenarios stay in the report from the last full run; a run of both folders is full again."""
    for name in ("een", "twee"):
        (pytester.path / "fixtures" / name).mkdir(parents=True)
        (pytester.path / "fixtures" / name / "pack.py").write_text("# a pack that does not load: steps/<name> by convention\n")
        folder = pytester.path / "steps" / name
        folder.mkdir(parents=True)
        (folder / "herstel.feature").write_text(FEATURE.replace("Herstel zonder browser", f"Herstel {name}"), encoding="utf-8")
        (folder / f"test_{name}.py").write_text(STEPS, encoding="utf-8")
    pytester.runpytest_subprocess("-p", "herstelpad.report.recorder", "steps").assert_outcomes(passed=6, failed=2)
    reports = pytester.path / "reports"
    full = read_json(reports / "results.json")
    assert full["run"]["partial"] == [] and len(full["scenarios"]) == 8
    pytester.runpytest_subprocess("-p", "herstelpad.report.recorder", "steps/een").assert_outcomes(passed=3, failed=1)
    one = read_json(reports / "results.json")
    assert one["run"]["partial"] == ["gefilterd: zonder de scenario's van twee"], one["run"]["partial"]
    assert one["run"]["base"]["id"] == full["run"]["id"] and len(one["scenarios"]) == 8
    pytester.runpytest_subprocess("-p", "herstelpad.report.recorder", "steps/een", "steps/twee").assert_outcomes(passed=6, failed=2)
    assert read_json(reports / "results.json")["run"]["partial"] == []
