"""The report's Allure results and Cucumber Messages, read by their real readers and opened in Chromium.

The readers come from `make setup` (npm into .tools/node); without them these tests fail with what to install.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from herstelpad.report import rebuild
from herstelpad.report.model import Run, Scenario
from herstelpad.report.readers import allure_generate, cucumber_html

Factory = Callable[..., Scenario]
Writer = Callable[[list[Scenario]], Run]
STEPS = (
    ("Gegeven", "given", "ik ben een medewerker met een gekoppelde AFAS Pocket"),
    ("Als", "when", "ik inlog met mijn e-mailadres en wachtwoord"),
    ("En", "when", "ik kies 'Stel AFAS Pocket opnieuw in'"),
    ("Dan", "then", "kom ik terug in het inlogscherm"),
)
ERROR = {"title": "Het resultaat was anders dan het scenario verwacht.", "message": "De code is onjuist.",
         "type": "AssertionError", "details": ""}


@pytest.fixture
def outputs(reports_dir: Path, make_scenario: Factory, write_results: Writer) -> Path:
    """A finished run of three scenarios (one failed, one in a second feature) with every output written."""
    write_results([
        make_scenario("Manier 1 opnieuw instellen", tags=("manier-1",), steps=STEPS,
                      events=[{"actor": "AFAS Pocket", "text": "scant de QR-code", "at": "", "step": 2}]),
        make_scenario("Inloggen via een collega", status="failed", tags=("manier-2",), steps=STEPS, error=ERROR, line=20),
        make_scenario("Inloggen met pushbericht", tags=("inloggen",), feature="Inloggen",
                      feature_file="features/inloggen.feature", steps=STEPS[:2]),
    ])
    rebuild(reports_dir)
    return reports_dir


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging every request."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Says nothing."""


@pytest.fixture
def serve() -> Generator[Callable[[Path], str], None, None]:
    """Serves a folder on 127.0.0.1 (Allure's report loads its data with fetch, which file:// does not allow)."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        """Returns the base URL of a server for the folder."""
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_allure_generates_a_report_from_the_results(outputs: Path, tmp_path: Path, serve: Callable[[Path], str],
                                                    report_page: Page) -> None:
    """Allure 3 reads reports/allure-results; its report shows target, feature, scenario, steps and screenshots."""
    report = allure_generate(outputs / "allure-results", tmp_path / "allure-report")
    page = report_page
    page.goto(f"{serve(report.parent)}/index.html")
    expect(page.get_by_test_id("metadata-item-total")).to_contain_text("3")
    tree = page.get_by_test_id("tree-content").first
    expect(tree).to_contain_text("portaal")  # the target, then the feature, as Allure's suites
    expect(tree).to_contain_text("Opnieuw koppelen")
    tree.get_by_text("Inloggen via een collega", exact=True).click()
    expect(page.get_by_text("Failed", exact=True).first).to_be_visible()
    expect(page.get_by_text("Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket")).to_be_visible()
    expect(page.get_by_text("Dan kom ik terug in het inlogscherm")).to_be_visible()
    expect(page.get_by_text("De code is onjuist.").first).to_be_visible()
    expect(page.get_by_role("button", name="Attachments 4")).to_be_visible()  # a masked screenshot per step
    for label in ("manier-2", "Opnieuw koppelen"):
        expect(page.get_by_text(label, exact=True).first).to_be_visible()


def test_cucumber_html_formatter_renders_the_messages(outputs: Path, tmp_path: Path, report_page: Page) -> None:
    """Cucumber's HTML formatter reads reports/cucumber-messages.ndjson; the page shows features, scenarios, steps."""
    html = cucumber_html(outputs / "cucumber-messages.ndjson", tmp_path / "cucumber.html")
    page = report_page
    page.goto(html.as_uri())
    expect(page.get_by_text("(2 / 3) passed")).to_be_visible()
    expect(page.get_by_text("Scenario: Inloggen via een collega")).to_be_visible()  # a failed feature opens by itself
    expect(page.get_by_text("Scenario: Manier 1 opnieuw instellen")).to_be_visible()
    expect(page.get_by_role("heading", name="En ik kies 'Stel AFAS Pocket opnieuw in'").first).to_be_visible()
    expect(page.get_by_text("AFAS Pocket: scant de QR-code")).to_be_attached()
    page.get_by_text("features_koppelen.feature_Inloggen_via_een_collega-04.png").click()  # the embedded screenshot
    expect(page.locator("img[src^='data:image/png;base64,']:visible")).to_have_count(1)
    page.get_by_text("features/inloggen.feature").click()
    expect(page.get_by_text("Scenario: Inloggen met pushbericht")).to_be_visible()


def test_cucumber_html_formatter_shows_html_in_descriptions_as_text(
    reports_dir: Path, make_scenario: Factory, write_results: Writer, tmp_path: Path, report_page: Page
) -> None:
    """Raw HTML in a Gherkin description is text in Cucumber's HTML report, never an element (its Markdown renders HTML)."""
    scenario = make_scenario("Beschrijving met HTML", description='Zie <img src="x" id="ingevoegd"> hier.', steps=STEPS[:1])
    scenario.feature.description = 'Over <b id="vet">HTML</b> & meer.'
    write_results([scenario])
    rebuild(reports_dir)
    page = report_page
    page.goto(cucumber_html(reports_dir / "cucumber-messages.ndjson", tmp_path / "cucumber.html").as_uri())
    page.get_by_text("features/koppelen.feature").click()  # a passed feature opens on a click
    expect(page.get_by_text("Scenario: Beschrijving met HTML")).to_be_visible()
    expect(page.get_by_text('<b id="vet">HTML</b> & meer.', exact=False)).to_be_visible()
    expect(page.get_by_text('<img src="x" id="ingevoegd"> hier.', exact=False)).to_be_attached()
    assert page.locator("#ingevoegd, #vet").count() == 0


def test_alluredir_as_allure_pytest_users_type_it(pytester: pytest.Pytester, tmp_path: Path, serve: Callable[[Path], str],
                                                  report_page: Page) -> None:
    """`--alluredir DIR` writes the results there (added to what is there; `--clean-alluredir` empties it first),
    reports/allure-results stays the default without it, and Allure's command line makes a report of DIR."""
    pytester.makefile(".feature", alluredir=ALLURE_FEATURE)
    pytester.makepyfile(test_alluredir=ALLURE_STEPS)
    results = pytester.path / "allure-uit"
    results.mkdir()
    (results / "eerder-result.json").write_text("{}", encoding="utf-8")  # another run's result: allure-pytest keeps it

    pytester.runpytest_subprocess("--alluredir", "allure-uit").assert_outcomes(passed=2)
    assert len(list(results.glob("*-result.json"))) == 3 and (results / "eerder-result.json").exists()
    assert not (pytester.path / "reports" / "allure-results").exists()

    pytester.runpytest_subprocess("--alluredir", "allure-uit", "--clean-alluredir").assert_outcomes(passed=2)
    assert len(list(results.glob("*-result.json"))) == 2 and not (results / "eerder-result.json").exists()

    pytester.runpytest_subprocess().assert_outcomes(passed=2)
    assert len(list((pytester.path / "reports" / "allure-results").glob("*-result.json"))) == 2

    report = allure_generate(results, tmp_path / "allure-report")
    report_page.goto(f"{serve(report.parent)}/index.html")
    expect(report_page.get_by_role("img", name="2 passed (100% of all tests)")).to_be_visible()  # not the earlier {}
    data = "".join(path.read_text(errors="replace") for path in report.parent.rglob("*.json"))
    assert "Eerste" in data and "Tweede" in data and "Allure zoals gewend" in data


ALLURE_FEATURE = """\
# language: nl
Functionaliteit: Allure zoals gewend
  Scenario: Eerste
    Gegeven een stap

  Scenario: Tweede
    Gegeven een stap
"""
ALLURE_STEPS = """\
from pytest_bdd import given, scenarios

scenarios("alluredir.feature")


@given("een stap")
def stap():
    pass
"""
