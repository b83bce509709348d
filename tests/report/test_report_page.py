"""The built report in a real browser: the status filter, the tag filter, the search box and the viewer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from herstelpad.report import rebuild
from herstelpad.report.model import Run, Scenario

Factory = Callable[..., Scenario]
Writer = Callable[[list[Scenario]], Run]


@pytest.fixture
def report(reports_dir: Path, make_scenario: Factory, write_results: Writer, report_page: Page) -> Page:
    """Opens a report of four scenarios with different tags and statuses (two features)."""
    error = {
        "title": "Het resultaat was anders dan het scenario verwacht.",
        "message": "De code is onjuist.",
        "type": "AssertionError",
        "details": "",
    }
    write_results(
        [
            make_scenario(
                "Manier 1 opnieuw instellen",
                tags=("manier-1",),
                steps=(("Als", "when", "ik klik op 'Geen melding ontvangen?'"),),
            ),
            make_scenario("Inloggen via een collega", status="failed", tags=("manier-2",), error=error),
            make_scenario("Opnieuw koppelen zonder Mailpit", status="skipped", tags=("opnieuw-koppelen",)),
            make_scenario(
                "Inloggen met pushbericht",
                tags=("inloggen", "push"),
                feature="Inloggen",
                feature_file="features/inloggen.feature",
            ),
        ]
    )
    report_page.goto(rebuild(reports_dir).as_uri())
    return report_page


def scenario(page: Page, name: str) -> Any:
    """Returns the scenario card with this name in the Functionaliteiten chapter."""
    return page.locator("#functionaliteiten .scenario").filter(has=page.get_by_role("heading", name=name))


def test_status_filter_shows_only_that_status(report: Page) -> None:
    """Choosing 'mislukt' hides the passed and skipped scenarios and the feature without a failure."""
    expect(report.locator("#filter-count")).to_have_text("4 van 4 scenario's")
    report.get_by_label("Status").select_option("failed")
    expect(scenario(report, "Scenario: Inloggen via een collega")).to_be_visible()
    expect(scenario(report, "Scenario: Manier 1 opnieuw instellen")).to_be_hidden()
    expect(scenario(report, "Scenario: Opnieuw koppelen zonder Mailpit")).to_be_hidden()
    expect(scenario(report, "Scenario: Inloggen met pushbericht")).to_be_hidden()
    expect(report.locator(".feature").filter(has_text="features/inloggen.feature")).to_be_hidden()
    expect(report.locator("#filter-count")).to_have_text("1 van 4 scenario's")


def test_tag_filter_and_tag_chips(report: Page) -> None:
    """Choosing a tag, in the select or by clicking a tag label, shows only its scenarios."""
    report.get_by_label("Tag").select_option("manier-1")
    expect(scenario(report, "Scenario: Manier 1 opnieuw instellen")).to_be_visible()
    expect(scenario(report, "Scenario: Inloggen via een collega")).to_be_hidden()
    report.get_by_role("button", name="Wis filters").click()
    expect(scenario(report, "Scenario: Inloggen via een collega")).to_be_visible()
    scenario(report, "Scenario: Inloggen met pushbericht").get_by_role("button", name="@push").click()
    expect(report.get_by_label("Tag")).to_have_value("push")
    expect(scenario(report, "Scenario: Inloggen met pushbericht")).to_be_visible()
    expect(scenario(report, "Scenario: Manier 1 opnieuw instellen")).to_be_hidden()


def test_search_box_and_status_cards(report: Page) -> None:
    """The search box finds words in names, steps and errors; a status card sets the status filter."""
    report.get_by_label("Zoeken").fill("geen melding")
    expect(scenario(report, "Scenario: Manier 1 opnieuw instellen")).to_be_visible()
    expect(scenario(report, "Scenario: Inloggen met pushbericht")).to_be_hidden()
    report.get_by_label("Zoeken").fill("code is onjuist")
    expect(scenario(report, "Scenario: Inloggen via een collega")).to_be_visible()
    expect(scenario(report, "Scenario: Manier 1 opnieuw instellen")).to_be_hidden()
    report.get_by_label("Zoeken").fill("bestaat nergens")
    expect(report.locator("#filter-empty")).to_be_visible()
    report.get_by_role("button", name="Wis filters").click()
    report.locator("#samenvatting").get_by_role("button", name="1 overgeslagen").click()
    expect(report.get_by_label("Status")).to_have_value("skipped")
    expect(scenario(report, "Scenario: Opnieuw koppelen zonder Mailpit")).to_be_visible()
    expect(scenario(report, "Scenario: Manier 1 opnieuw instellen")).to_be_hidden()


def test_screenshot_enlarges_on_click(report: Page) -> None:
    """Clicking a step's screenshot opens it large in the viewer; Escape closes it."""
    viewer = report.locator("#lightbox")
    expect(viewer).to_be_hidden()
    scenario(report, "Scenario: Inloggen met pushbericht").locator("a.shot").first.click()
    expect(viewer).to_be_visible()
    expect(viewer.locator("img")).to_have_attribute(
        "src", "screenshots/features_inloggen.feature_Inloggen_met_pushbericht-01.png"
    )
    report.keyboard.press("Escape")
    expect(viewer).to_be_hidden()


def test_viewer_goes_to_previous_and_next_with_buttons_and_arrow_keys_and_zooms(report: Page) -> None:
    """The viewer walks through every picture of the page (buttons, arrow keys) and zooms (button, + and -)."""
    viewer = report.locator("#lightbox")
    shots = report.locator("a.shot")
    first, second = shots.nth(0).get_attribute("href"), shots.nth(1).get_attribute("href")
    shots.nth(0).click()
    expect(viewer.locator("img")).to_have_attribute("src", str(first))
    expect(viewer.locator(".count")).to_have_text(f"1 / {shots.count()}")
    report.keyboard.press("ArrowRight")
    expect(viewer.locator("img")).to_have_attribute("src", str(second))
    report.keyboard.press("ArrowLeft")
    expect(viewer.locator("img")).to_have_attribute("src", str(first))
    viewer.get_by_role("button", name="Volgende afbeelding (pijl rechts)").click()
    expect(viewer.locator("img")).to_have_attribute("src", str(second))
    viewer.get_by_role("button", name="Inzoomen (+)").click()
    expect(viewer).to_have_class("zoomed")
    width = viewer.locator("img").evaluate("img => img.getBoundingClientRect().width")
    report.keyboard.press("+")
    assert viewer.locator("img").evaluate("img => img.getBoundingClientRect().width") > width
    report.keyboard.press("0")
    expect(viewer).not_to_have_class("zoomed")
    report.keyboard.press("Escape")
    expect(viewer).to_be_hidden()


def test_the_report_fits_a_phone_screen(report: Page) -> None:
    """At 390 px the page does not scroll sideways and the menu and filters cover nothing while reading."""
    report.set_viewport_size({"width": 390, "height": 844})
    assert report.evaluate("document.documentElement.scrollWidth") <= 390
    for menu in ("nav.toc", "#filters"):
        assert report.locator(menu).evaluate("el => getComputedStyle(el).position") == "static", menu
    step = scenario(report, "Scenario: Inloggen met pushbericht").locator("a.shot").first
    step.scroll_into_view_if_needed()
    step.click()  # a tap on a picture is not caught by a menu over it
    expect(report.locator("#lightbox")).to_be_visible()
