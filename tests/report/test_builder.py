"""Unit tests of the report builder, cucumber.json, history and the Handleiding, with synthetic results."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.portaal.article import ARTICLE, ARTICLE_FILE, LOG_IN, MANIER_1, SHOTS, VOLGENDE
from herstelpad.report import rebuild
from herstelpad.report.article import sentences
from herstelpad.report.history import flaky_scenarios, history_entry, save_history
from herstelpad.report.masking import mask
from herstelpad.report.model import Attachment, Run, RunInfo, Scenario
from herstelpad.report.results import read_json, safe_id
from herstelpad.secrets import REGISTRY

MANIER_1_STEPS = (
    ("Gegeven", "given", "ik ben een medewerker met een gekoppelde AFAS Pocket"),
    ("Als", "when", "ik inlog met mijn e-mailadres en wachtwoord"),
    ("En", "when", "ik klik op 'Geen melding ontvangen?'"),
    ("En", "when", "ik kies 'Stel AFAS Pocket opnieuw in'"),
    ("En", "when", "ik de bevestigingscode uit de e-mail invul"),
    ("En", "when", "ik de QR-code scan met AFAS Pocket"),
    ("Dan", "then", "kom ik terug in het inlogscherm"),
    ("Als", "when", "ik opnieuw inlog met de zojuist gekoppelde inlogmethode"),
    ("Dan", "then", "ben ik ingelogd op de AFAS Online Portal"),
)
Factory = Callable[..., Scenario]
Writer = Callable[[list[Scenario]], Run]


def all_text(folder: Path) -> str:
    """Returns the text of every non-image file under the folder."""
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file() and p.suffix != ".png")


def test_index_is_one_offline_folder(reports_dir: Path, make_scenario: Factory, write_results: Writer) -> None:
    """The page has inline CSS/JS, no external URLs to load, and its images are files in the folder."""
    write_results([make_scenario("Manier 1", tags=("manier-1",), steps=MANIER_1_STEPS)])
    page = rebuild(reports_dir).read_text(encoding="utf-8")
    assert '<html lang="nl">' in page
    assert "<style>" in page and "<script>" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", page)
    images = re.findall(r'<img loading="lazy" src="([^"]+)"', page)
    assert images and all((reports_dir / src).is_file() for src in images)
    for heading in ("Samenvatting", "Handleiding", "Functionaliteiten", "Geschiedenis"):
        assert heading in page


def test_everything_is_escaped(reports_dir: Path, make_scenario: Factory, write_results: Writer) -> None:
    """Text from scenarios, e-mails and errors never becomes markup."""
    evil = "<script>alert('x')</script>"
    scenario = make_scenario(
        f"Naam {evil}",
        status="failed",
        error={"title": "Fout", "message": evil, "type": "AssertionError", "details": evil},
        emails=[{"subject": evil, "sender": "a@b", "to": "c@d", "text": evil, "received": "", "reader": "de persoon", "step": 0}],
        events=[{"actor": "de portal", "text": evil, "at": "", "step": 0}],
    )
    write_results([scenario])
    page = rebuild(reports_dir).read_text(encoding="utf-8")
    assert evil not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_registered_secrets_appear_in_no_report_file(
    reports_dir: Path, make_scenario: Factory, write_results: Writer
) -> None:
    """Secrets registered before the build are masked in index.html, cucumber.json, results, history and Handleiding."""
    registry = REGISTRY
    password, code, totp_secret = "Wachtwoord!2025-xyz", "531907", "JBSWY3DPEHPK3PXPJBSWY3DP"
    for value, label in ((password, "wachtwoord"), (code, "bevestigingscode"), (totp_secret, "totp")):
        registry.register(value, label)
    mail = {
        "subject": "Bevestig het opnieuw instellen van AFAS Pocket",
        "sender": "AFAS Online <noreply@afasonline.nl>",
        "to": "persoon@example.nl",
        "text": f"Bevestigingscode: {code}\nLink: http://127.0.0.1:8000/herstel/bevestig?token={totp_secret}",
        "received": "2025-11-25T13:00:05+01:00",
        "reader": "de persoon",
        "step": 4,
    }
    passing = make_scenario(
        MANIER_1,
        tags=("manier-1",),
        steps=(*MANIER_1_STEPS[:-1], ("Dan", "then", f"is het wachtwoord niet {password}")),
        emails=[mail],
        events=[{"actor": "AFAS Pocket", "text": f"scant otpauth://totp/x?secret={totp_secret}", "at": "", "step": 5}],
        description=f"Het wachtwoord {password} staat hier per ongeluk.",
    )
    failing = make_scenario(
        "Onjuiste code",
        status="failed",
        tags=("manier-2",),
        error={"title": "Fout", "message": f"verwacht {code}", "type": "AssertionError", "details": password},
    )
    write_results([passing, failing])
    results = rebuild(reports_dir)
    save_history(reports_dir, Run.model_validate(read_json(reports_dir / "results.json")))
    rebuild(reports_dir)
    text = all_text(reports_dir)
    assert results.name == "index.html" and (reports_dir / "cucumber.json").is_file()
    assert (reports_dir / "handleiding" / f"{safe_id(MANIER_1)}.json").is_file()
    for secret in (password, code, totp_secret, "Wachtwoord%212025-xyz"):
        assert secret not in text
    assert "«geheim:" in text


def test_flaky_needs_same_steps_hash(make_scenario: Factory) -> None:
    """A scenario that failed and passed with the same steps is wisselvallig; a changed scenario is not."""
    stable = make_scenario("Stabiel")
    changed = make_scenario("Gewijzigd")
    first = Run(run=RunInfo(id="1"), scenarios=[stable.model_copy(update={"status": "failed"}), changed.model_copy(update={"status": "failed"})])
    second = Run(run=RunInfo(id="2"), scenarios=[stable, changed.model_copy(update={"steps_hash": "anders"})])
    history = [history_entry(first), history_entry(second)]
    assert flaky_scenarios(history) == {stable.nodeid}
    assert flaky_scenarios(history[:1]) == set()


def test_flaky_mark_and_trend_in_page(reports_dir: Path, make_scenario: Factory, write_results: Writer) -> None:
    """The history chapter draws a bar per run and marks the flaky scenario."""
    scenario = make_scenario("Soms mis", tags=("manier-2",))
    save_history(reports_dir, write_results([scenario.model_copy(update={"status": "failed"})]))
    save_history(reports_dir, write_results([scenario]))
    page = rebuild(reports_dir).read_text(encoding="utf-8")
    assert page.count('<rect class="passed"') == 1 and page.count('<rect class="failed"') == 1
    assert 'class="badge flaky"' in page


def test_cucumber_json_embeds_step_screenshots(
    reports_dir: Path, make_scenario: Factory, write_results: Writer
) -> None:
    """cucumber.json holds features, Dutch keywords, statuses and base64 PNG embeddings."""
    write_results([make_scenario("Met fout", status="failed", steps=MANIER_1_STEPS[:3], tags=("manier-1",))])
    rebuild(reports_dir)
    features = json.loads((reports_dir / "cucumber.json").read_text(encoding="utf-8"))
    steps = features[0]["elements"][0]["steps"]
    assert [s["keyword"].strip() for s in steps] == ["Gegeven", "Als", "En"]
    assert [s["result"]["status"] for s in steps] == ["passed", "passed", "failed"]
    assert all(s["embeddings"][0]["mime_type"] == "image/png" for s in steps)
    assert steps[0]["embeddings"][0]["data"].startswith("iVBORw0KGgo")
    assert features[0]["elements"][0]["tags"] == [{"name": "@manier-1", "line": 4}]


def handleiding_text(page: str) -> str:
    """The reader's text of the Handleiding section of a report page (tags dropped, entities read)."""
    section = page.split('<section id="handleiding"', 1)[1].split("</section>", 1)[0]
    inline_tags = re.sub(r"</?(?:strong|span|a|i|b)\b[^>]*>", "", section)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline_tags)).split())


def test_handleiding_holds_every_sentence_of_the_article_in_order(reports_dir: Path, write_results: Writer) -> None:
    """Every sentence of the pack's article file stands in the Handleiding, in the article's order."""
    write_results([])
    text = handleiding_text(rebuild(reports_dir, ARTICLE).read_text(encoding="utf-8"))
    position = 0
    for sentence in sentences(ARTICLE_FILE.read_text(encoding="utf-8")):
        found = text.find(" ".join(mask(sentence).split()), position)  # masked only where it equals a run's secret
        assert found >= 0, f"niet (of niet op zijn plaats) in de Handleiding: {sentence!r}"
        position = found
    page = (reports_dir / "index.html").read_text(encoding="utf-8")
    assert "<strong>nieuwe telefoon</strong>" in page and "<strong>Instellingen / Beveiliging</strong>" in page


def test_every_shot_names_a_step_of_its_scenario() -> None:
    """The pack's mapping names scenario steps that exist in the features (by scenario title and step text)."""
    features = "\n".join(p.read_text(encoding="utf-8") for p in Path("features/portaal").glob("*.feature"))
    for key, shots in SHOTS.items():
        for shot in shots:
            assert f"Scenario: {shot.scenario}\n" in features, (key, shot.scenario)
            body = features.split(f"Scenario: {shot.scenario}\n", 1)[1].split("Scenario:", 1)[0]
            assert body.count(f" {shot.step}\n") >= shot.occurrence, (key, shot.step)


def illustrated(make_scenario: Factory, reports_dir: Path, status: str = "passed") -> Scenario:
    """The manier-1 scenario the article maps, with a before-picture and the box of 'Volgende' on its login step."""
    steps = (("Gegeven", "given", "ik ben op het aanmeldscherm van afasonline.nl"), ("Als", "when", LOG_IN),
             ("En", "when", 'ik klik op "Geen melding ontvangen?"'))
    scenario = make_scenario(MANIER_1, status=status, tags=("manier-1", "handleiding"), steps=steps)
    before = Attachment(path=f"screenshots/{scenario.id}-02-voor.png", boxes={VOLGENDE: [0.1, 0.8, 0.3, 0.08]})
    (reports_dir / before.path).write_bytes((reports_dir / scenario.steps[0].screenshot.path).read_bytes())
    scenario.steps[1].before = before
    return scenario


def test_a_step_shows_the_screen_on_which_it_is_done_with_the_control_outlined(
    reports_dir: Path, make_scenario: Factory, write_results: Writer
) -> None:
    """Manier 1, stap 1 shows the login step's before-picture with 'Volgende' outlined, and the screen after it."""
    write_results([illustrated(make_scenario, reports_dir)])
    page = rebuild(reports_dir, ARTICLE).read_text(encoding="utf-8")
    step = page.split('id="handleiding-manier-1-1"', 1)[1].split("</li>", 1)[0]
    assert "-02-voor.png" in step and 'class="hl" style="left:10.00%;top:80.00%;width:30.00%;height:8.00%"' in step
    assert "-02.png" in step  # the result after it
    second = page.split('id="handleiding-manier-1-2"', 1)[1].split("</li>", 1)[0]
    assert "-02.png" in second  # 'Geen melding ontvangen?' is done on the screen the login step left


def test_a_failing_run_keeps_the_last_passing_pictures(reports_dir: Path, make_scenario: Factory, write_results: Writer) -> None:
    """A failing run does not erase the Handleiding: it shows the copy kept from the last passing run."""
    write_results([illustrated(make_scenario, reports_dir)])
    rebuild(reports_dir, ARTICLE)
    kept = sorted(p.name for p in (reports_dir / "handleiding").glob("*/*.png"))
    assert any(name.endswith("-02-voor.png") for name in kept)
    for path in (reports_dir / "screenshots").glob("*.png"):
        path.unlink()
    write_results([make_scenario(MANIER_1, status="failed", tags=("manier-1",))])
    page = rebuild(reports_dir, ARTICLE).read_text(encoding="utf-8")
    step = page.split('id="handleiding-manier-1-1"', 1)[1].split("</li>", 1)[0]
    assert 'src="handleiding/' in step and "-02-voor.png" in step and 'src="screenshots/' not in step


def test_rebuild_merges_run_files(reports_dir: Path, make_scenario: Factory) -> None:
    """rebuild() merges the run folders in reports/.run (e.g. of two CI shards) into results.json."""
    from herstelpad.report.results import run_folder, write_json

    for shard, name in (("shard-1", "Een"), ("shard-2", "Twee")):
        scenario = make_scenario(name)
        write_json(run_folder(reports_dir, shard) / f"{scenario.id}.json", scenario.masked())
    rebuild(reports_dir)
    assert not list((reports_dir / ".run").glob("*")), "merged run folders are removed"
    results = read_json(reports_dir / "results.json")
    assert [s["name"] for s in results["scenarios"]] == ["Een", "Twee"]
    assert results["run"]["counts"]["passed"] == 2


def test_report_merge_combines_finished_ci_shards(
    tmp_path: Path, reports_dir: Path, make_scenario: Factory, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each shard ends its run as a session does (.run merged into results.json and removed); --merge joins them."""
    from herstelpad.cli import main
    from herstelpad.report.results import finish_run, run_folder, write_json

    shards = []
    for number, (name, status) in enumerate((("Een", "passed"), ("Twee", "failed")), 1):
        shard = tmp_path / f"herstelpad-shard-{number}"
        scenario = make_scenario(name, status=status, line=10 * number)
        for step in scenario.steps:  # its pictures belong to the shard's folder
            assert step.screenshot is not None
            (shard / step.screenshot.path).parent.mkdir(parents=True, exist_ok=True)
            (reports_dir / step.screenshot.path).rename(shard / step.screenshot.path)
        write_json(run_folder(shard, f"run-{number}") / f"{scenario.id}.json", scenario.masked())
        assert finish_run(shard, f"run-{number}", info={"duration": 60.0 + number}) is not None
        assert not list((shard / ".run").glob("*")), "a finished shard keeps results.json only"
        shards.append(shard)

    monkeypatch.setenv("HERSTELPAD_REPORTS", str(reports_dir))
    assert main(["report", "--merge", *map(str, shards)]) == 0
    results = read_json(reports_dir / "results.json")
    assert [s["name"] for s in results["scenarios"]] == ["Een", "Twee"]
    assert results["run"]["counts"]["passed"] == 1 and results["run"]["counts"]["failed"] == 1
    assert results["run"]["shards"] == 2 and results["run"]["duration"] == 62.0
    assert all((reports_dir / step["screenshot"]["path"]).is_file() for s in results["scenarios"] for step in s["steps"])
    page = (reports_dir / "index.html").read_text(encoding="utf-8")
    assert "Een" in page and "Twee" in page
    assert len(list((reports_dir / "history").glob("*.json"))) == 1

    capsys.readouterr()
    assert main(["report", "--merge", str(tmp_path / "geen-verslag")]) == 2
    assert "holds no results.json" in capsys.readouterr().err


@pytest.mark.parametrize("status", ["passed", "failed", "skipped"])
def test_empty_or_single_status_builds(
    reports_dir: Path, make_scenario: Factory, write_results: Writer, status: str
) -> None:
    """Any single-status run builds, and so does a folder without results."""
    assert rebuild(reports_dir).is_file()
    write_results([make_scenario("Alleen", status=status)])
    assert "Alleen" in rebuild(reports_dir).read_text(encoding="utf-8")


def test_reading_results_writes_nothing(reports_dir: Path, make_scenario: Factory, write_results: Writer) -> None:
    """load_results only reads: unfinished run folders and results.json stay as they are until finish_run()."""
    from herstelpad.report.results import finish_run, load_results, run_folder, write_json

    write_results([make_scenario("Klaar")])
    left = make_scenario("Nog in een run-map")
    write_json(run_folder(reports_dir, "onaf") / f"{left.id}.json", left.masked())
    before = {p: p.stat().st_mtime_ns for p in reports_dir.rglob("*.json")}
    assert [s.name for s in load_results(reports_dir).scenarios] == ["Klaar"]
    assert {p: p.stat().st_mtime_ns for p in reports_dir.rglob("*.json")} == before
    finished = finish_run(reports_dir)
    assert finished is not None and [s.name for s in finished.scenarios] == ["Nog in een run-map"]
    assert not list((reports_dir / ".run").glob("*/*.json"))


def test_the_report_names_the_targets_when_there_are_several(
    reports_dir: Path, make_scenario: Factory, write_results: Writer
) -> None:
    """One target: no target names in the page; two: each feature says its target."""
    portal = make_scenario("Via de portal")
    write_results([portal])
    assert "doel: " not in rebuild(reports_dir).read_text(encoding="utf-8")
    keycloak = make_scenario("Via Keycloak", feature_file="features/keycloak/inloggen.feature")
    keycloak = keycloak.model_copy(update={"target": "keycloak", "feature": keycloak.feature.model_copy(update={"target": "keycloak"})})
    write_results([portal, keycloak])
    page = rebuild(reports_dir).read_text(encoding="utf-8")
    assert "doel: keycloak" in page and "doel: portaal" in page
    assert "doelen: keycloak, portaal" in page
