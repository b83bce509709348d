"""A report for any pack: its title and introduction, no reference-portal words, readable thumbnails, the screenshot
policy, and a history that can start afresh. Real pytest runs (pytester) with a real Chromium on a plain page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageColor

from fixtures.portaal.pack import ReferencePortal
from herstelpad.cli import main as herstelpad_main
from herstelpad.report import rebuild
from herstelpad.report.article import Shot
from herstelpad.report.history import save_history
from herstelpad.report.model import Run, Scenario
from herstelpad.report.screenshots import CROP_WIDTH, MASK_COLOR, wants_after, wants_before
from herstelpad.settings import DOCUMENTATION, EVERY_STEP, FAILURES

PORTAL_PACK = ReferencePortal()
TITLE = "Mijn Zelfbedieningsapp"
INTRODUCTION = "Hoe een medewerker van Voorbeeld BV weer binnenkomt zonder telefoon."
# what only the reference portal's report may say
PORTAL_WORDS = ("helpartikel", "Handleiding", "AFAS", "Pocket", "portaal", "portal", "Het helpartikel woord voor woord")

FEATURE = """\
# language: nl
Functionaliteit: Inloggen bij de zelfbedieningsapp
  Scenario: Het wachtwoord intypen
    Gegeven de persoon opent het inlogscherm
    Als de persoon het wachtwoord intypt
    Dan staat het wachtwoord in het veld

  Scenario: Een melding die er niet is
    Gegeven de persoon opent het inlogscherm
    Dan staat er "iets dat er niet is"
"""

STEPS = """\
from playwright.sync_api import expect
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("inloggen.feature")


@given("de persoon opent het inlogscherm")
def opens_form(page, target):
    page.goto(f"{target.url}/login.html")


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

# a plain page as wide as the viewport, without a card or a main landmark: a title at the top left, the form far
# to the right and down
LOGIN_HTML = """<!doctype html><html lang="nl"><body style="margin:0;background:#fff;font:16px sans-serif">
<h1 style="position:absolute;left:24px;top:8px;margin:0">Zelfbediening</h1>
<p style="position:absolute;left:24px;top:60px;margin:0">Log in met je e-mailadres en wachtwoord.</p>
<label for="pw" style="position:absolute;left:900px;top:470px">Wachtwoord</label>
<input id="pw" type="password" style="position:absolute;left:900px;top:500px;width:240px;height:36px">
<button style="position:absolute;left:900px;top:560px">Volgende</button>
</body></html>"""


def conftest(chromium_launch_args: dict[str, Any]) -> str:
    """The project's conftest: its own pack (no article, no content selector; its app a small local HTTP server of
    this folder) and herstelpad's Chromium."""
    return f"""
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from herstelpad.pack import RunningTarget, TargetPack


class SelfService(TargetPack):
    name = "zelfbediening"
    title = {TITLE!r}
    introduction = {INTRODUCTION!r}

    def start(self, context):
        handler = functools.partial(SimpleHTTPRequestHandler, directory=str(Path(__file__).parent))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return RunningTarget(url=f"http://127.0.0.1:{{server.server_port}}")


@pytest.fixture
def target_pack():
    return SelfService()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {{**browser_type_launch_args, **{chromium_launch_args!r}}}
"""


@pytest.fixture
def other_pack(pytester: pytest.Pytester, chromium_launch_args: dict[str, Any]) -> pytest.Pytester:
    """A small pytest-bdd project of another app, with a pack of its own."""
    pytester.makefile(".feature", inloggen=FEATURE)
    pytester.makepyfile(test_inloggen=STEPS)
    pytester.makeconftest(conftest(chromium_launch_args))
    (pytester.path / "login.html").write_text(LOGIN_HTML, encoding="utf-8")
    return pytester


def records(project: pytest.Pytester) -> dict[str, dict[str, Any]]:
    """The scenarios of the project's last run, by name."""
    results = json.loads((project.path / "reports" / "results.json").read_text(encoding="utf-8"))
    return {scenario["name"]: scenario for scenario in results["scenarios"]}


def test_the_report_of_another_pack_is_about_that_app(other_pack: pytest.Pytester) -> None:
    """Its title and introduction head the page; no Handleiding, no reference-portal words, no empty tag box; its
    thumbnails are cropped to what the steps acted on."""
    other_pack.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=1, failed=1)
    page = (other_pack.path / "reports" / "index.html").read_text(encoding="utf-8")
    assert f"<title>Herstelpad — {TITLE}</title>" in page
    assert re.search(rf"<h1>{TITLE}</h1>\s*<p>{INTRODUCTION}</p>", page), page.split("<main>")[0][-800:]
    visible = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", page, flags=re.DOTALL)
    found = [word for word in PORTAL_WORDS if word.lower() in visible.lower()]
    assert not found, f"words of the reference portal in another pack's report: {found}"
    assert "Per tag" not in visible and 'id="handleiding"' not in visible
    assert f"De documentatie van {TITLE}" in visible  # the features are that app's document
    assert "Schermafbeeldingen: <b>elke-stap</b>" in visible

    # the thumbnails of its plain 1280 px page, without a card: at most CROP_WIDTH wide, around the field typed into
    typed = records(other_pack)["Het wachtwoord intypen"]
    reports = other_pack.path / "reports"
    mask = ImageColor.getrgb(MASK_COLOR)
    for step in typed["steps"]:
        with Image.open(reports / step["screenshot"]["path"]) as picture:
            assert picture.width <= CROP_WIDTH, (step["text"], picture.size)
    with Image.open(reports / typed["steps"][1]["screenshot"]["path"]) as picture:  # after typing the password
        rgb = picture.convert("RGB")
        masked = [(x, y) for x in range(0, rgb.width, 4) for y in range(0, rgb.height, 4) if rgb.getpixel((x, y)) == mask]
        assert masked, "the (masked) password field typed into is not in the picture"
    with Image.open(reports / typed["steps"][0]["screenshot"]["path"]) as picture:  # nothing acted on yet: the text
        assert picture.height < 720


def test_the_failures_policy_keeps_only_the_picture_of_the_failed_step(other_pack: pytest.Pytester) -> None:
    """`fouten`: a passing scenario has no picture and reads as text; a failed one shows the moment it failed."""
    other_pack.runpytest_subprocess("-p", "no:randomly", "--herstelpad-screenshots", "fouten").assert_outcomes(
        passed=1, failed=1
    )
    found = records(other_pack)
    assert [step["screenshot"] for step in found["Het wachtwoord intypen"]["steps"]] == [None, None, None]
    failed = found["Een melding die er niet is"]
    assert failed["steps"][0]["screenshot"] is None and failed["steps"][0]["url"].endswith("/login.html")
    assert failed["failure"]["screenshot"] == failed["steps"][1]["screenshot"]["path"]
    assert len(list((other_pack.path / "reports" / "screenshots").glob("*.png"))) == 1
    page = (other_pack.path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Schermafbeeldingen: <b>fouten</b>" in page and "stappen zonder afbeelding staan er als tekst" in page


def test_a_bad_screenshot_policy_is_refused_with_the_choices(other_pack: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """One line, naming the option, the value and the choices; from the environment too."""
    result = other_pack.runpytest_subprocess("--herstelpad-screenshots", "soms")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    lines = [line for line in result.stderr.lines if "soms" in line]
    assert len(lines) == 1 and "elke-stap, documentatie, fouten" in lines[0], result.stderr.str()
    monkeypatch.setenv("HERSTELPAD_SCREENSHOTS", "alles")
    result = other_pack.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "HERSTELPAD_SCREENSHOTS: 'alles'" in result.stderr.str()


def test_the_documentation_policy_takes_what_the_article_and_the_failure_view_show() -> None:
    """Before a step the article pictures (not one on the phone only), after it a shot's `after` or a failure."""
    screen, phone, then = Shot("s", "a", "#knop"), Shot("s", "a", phone="telefoon"), Shot("s", "a", after=True)
    assert wants_before(DOCUMENTATION, [screen]) and not wants_before(DOCUMENTATION, [phone])
    assert not wants_before(DOCUMENTATION, []) and not wants_before(FAILURES, [screen])
    assert wants_before(EVERY_STEP, [phone])
    assert not wants_after(DOCUMENTATION, "passed", [screen]) and wants_after(DOCUMENTATION, "passed", [then])
    assert wants_after(DOCUMENTATION, "failed", []) and wants_after(FAILURES, "undefined", [])
    assert not wants_after(FAILURES, "passed", [then]) and wants_after(EVERY_STEP, "passed", [])


def test_the_reference_portal_report_is_headed_by_its_pack(
    reports_dir: Path, make_scenario: Callable[..., Scenario], write_results: Callable[[list[Scenario]], Run]
) -> None:
    """The portal's title and introduction from its pack, its article in the Handleiding."""
    write_results([make_scenario("Inloggen", tags=("inloggen",))])
    page = rebuild(reports_dir).read_text(encoding="utf-8")
    assert f"<title>Herstelpad — {PORTAL_PACK.title}</title>" in page and PORTAL_PACK.introduction in page
    assert 'id="handleiding"' in page and "Per tag" in page


def test_reset_history_starts_the_history_afresh(
    reports_dir: Path, make_scenario: Callable[..., Scenario], write_results: Callable[[list[Scenario]], Run],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """`herstelpad report --reset-history`: the flaky mark and the trend of earlier runs are gone, the report stays."""
    for status in ("failed", "passed"):
        save_history(reports_dir, write_results([make_scenario("Wisselend", status=status)]))
    monkeypatch.chdir(reports_dir.parent)
    herstelpad_main(["report"])
    assert 'class="badge flaky"' in (reports_dir / "index.html").read_text(encoding="utf-8")
    assert herstelpad_main(["report", "--reset-history"]) == 0
    assert "2 earlier runs forgotten" in capsys.readouterr().out
    assert not list((reports_dir / "history").glob("*.json"))
    page = (reports_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="badge flaky"' not in page and "Nog geen eerdere runs" in page and "Wisselend" in page


def test_herstelpad_run_refuses_a_bad_policy_before_it_starts(capsys: pytest.CaptureFixture[str]) -> None:
    """`herstelpad run -- --herstelpad-screenshots soms` ends at once with the choices (pytest never starts)."""
    assert herstelpad_main(["run", "--", "--herstelpad-screenshots", "soms"]) == 2
    message = capsys.readouterr().err.strip()
    assert message.count("\n") == 0 and "'soms'" in message and "elke-stap, documentatie, fouten" in message
