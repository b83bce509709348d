"""A real run of scenarios leaves none of the secrets it used in reports/, nor in the traces it kept.

Every output is read: index.html, results.json, cucumber.json (embedded pictures too), junit.xml,
reports/allure-results/ (results and attachments) and cucumber-messages.ndjson (embedded pictures too).
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.keycloak.pack import PACK as KEYCLOAK
from fixtures.keycloak.server import shared_state_file
from herstelpad.camera import decode_qr_codes
from herstelpad.fixtures import Targets
from herstelpad.plugin import LEAK_TEST_ENV

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository

BASE64_BLOB = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")  # a picture inlined as base64 (data URI, Cucumber embedding)
PICTURES = (".png", ".jpeg", ".jpg")
KINDS = ("wachtwoord", "e-mail aan", "TOTP-code", "TOTP-geheim", "otpauth", "apparaattoken")


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON value (the numbers of a trace, timestamps, are no place for a secret)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)


def qr_codes(picture: bytes) -> list[str]:
    """The QR texts of a picture; none when it is no whole picture (cut off, as in Playwright's log lines)."""
    try:
        return decode_qr_codes(picture)
    except (ValueError, OSError):
        return []


def readable(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """(where, text) for what a person can read in a file: its text, and the QR codes of its pictures.

    Pictures are read as pictures: the bytes of a PNG, or its base64 inside JSON, can hold six digits
    in a row by chance, which is no secret in clear; a QR code that holds the TOTP secret is one.
    """
    if name.endswith(PICTURES):
        yield from ((f"{name} (QR-code)", text) for text in qr_codes(data))
        return
    text = data.decode("utf-8", errors="ignore")
    for blob in set(BASE64_BLOB.findall(text)):
        if len(blob.rstrip("=")) % 4 == 1:  # a piece cut out of a longer run (JSON's `\/`): no picture on its own
            continue
        picture = base64.b64decode(blob + "=" * (-len(blob) % 4))
        yield from ((f"{name} (QR-code in base64)", qr) for qr in qr_codes(picture))
    text = BASE64_BLOB.sub("<base64>", text)
    if name.endswith((".trace", ".network")):  # JSON lines: their strings
        yield from ((name, "\n".join(strings(json.loads(line)))) for line in text.splitlines() if line.strip())
    else:
        yield name, text


def shows(secret: str, text: str) -> bool:
    """Whether the text shows the secret; a code of digits only where no digit touches it (a timestamp's
    nanoseconds 394000053 do not show the code 394000)."""
    if not secret.isdigit():
        return secret in text
    return re.search(rf"(?<!\d){secret}(?!\d)", text) is not None


def trace_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a trace zip holds."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            yield from readable(f"{path.parent.name}/{name}", archive.read(name))


# Where a recorded URL or form shows an OAuth/OIDC or reset parameter, its value must be a marker: read from the
# outputs themselves, whatever any registry knows.
UNMASKED_PARAMETER = re.compile(
    r"(?i)(?:[?&#]|&amp;|%3F|%26)(code|state|session_state|id_token|access_token|refresh_token|key|token)(?:=|%3D)"
    r"(?!«geheim:|%C2%AB|&laquo;|\\u00ab)([^&#\s\"'<>\\]{4,})"
)


def collect(reports: Path, traces: Path, tracing: bool) -> list[tuple[str, str]]:
    """(where, text) for every output in `reports` (logs included) and every kept trace."""
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert {"index.html", "cucumber.json", "junit.xml", "results.json", "cucumber-messages.ndjson"} <= {p.name for p in files}
    allure = [p.name for p in (reports / "allure-results").iterdir()]
    assert any(n.endswith("-result.json") for n in allure), f"no Allure results: {allure}"
    assert any(n.endswith("-attachment.png") for n in allure), f"no screenshots among the Allure attachments: {allure}"
    messages = (reports / "cucumber-messages.ndjson").read_text(encoding="utf-8")
    assert '"mediaType":"image/png"' in messages, "the messages embed no screenshot"
    texts = [found for p in files for found in readable(str(p.relative_to(reports)), p.read_bytes())]
    kept = sorted(traces.rglob("*.zip"))
    if tracing:
        scenarios = len(json.loads((reports / "results.json").read_text(encoding="utf-8"))["scenarios"])
        assert len(kept) >= scenarios >= 1, f"expected a trace per scenario ({scenarios}) in {traces}: {kept}"
        texts += [found for zip_path in kept for found in trace_texts(zip_path)]
    else:
        assert kept == []
    return texts


def run_scenarios(tmp_path: Path, args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], Path, Path, dict[str, str]]:
    """Runs scenarios in a pytest of their own; returns the run, reports/, the traces and the secrets they registered."""
    reports, traces = tmp_path / "reports", tmp_path / "test-results"
    secrets_file = tmp_path / "secrets.json"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", f"--herstelpad-reports={reports}",
         f"--junitxml={reports / 'junit.xml'}", f"--output={traces}", "-q"],
        cwd=PROJECT_ROOT, env=dict(os.environ, **{LEAK_TEST_ENV: str(secrets_file)}, **(env or {})),
        capture_output=True, text=True, timeout=1500, check=False,
    )
    secrets: dict[str, str] = {}
    for found in tmp_path.glob("secrets.json*"):  # one file per xdist worker
        secrets |= json.loads(found.read_text(encoding="utf-8"))
    return run, reports, traces, secrets


def leaks_of(texts: list[tuple[str, str]], secrets: dict[str, str]) -> list[str]:
    """Where a secret shows in clear, and where an OAuth/OIDC parameter stands unmasked."""
    found = [f"{where}: {label}" for where, content in texts for value, label in secrets.items()
             if len(value) >= 6 and shows(value, content)]
    found += [f"{where}: {m.group(1)}=…" for where, content in texts for m in UNMASKED_PARAMETER.finditer(content)]
    return found


def assert_kinds(secrets: dict[str, str], kinds: tuple[str, ...]) -> None:
    """The run registered a secret of every kind it should (else it proved nothing)."""
    labels = " ".join(secrets.values()).lower()
    for kind in kinds:
        assert kind.lower() in labels, f"the run registered no {kind}: {sorted(set(secrets.values()))}"


# The two shapes of a run, between them the three paths of the manual (@handleiding) and every screen they show.
# Serial, the one process writing every report itself: manier 1 (the e-mailed reset link and code, the new QR code).
# On two workers, traced (the reports and the traces): the other two, manier 2 (a colleague's e-mailed code) and
# re-linking in Instellingen / Beveiliging (a new QR code), one per worker. Each registers a secret of every kind.
SHAPES = {"serieel": ["-m", "handleiding and manier-1"],
          "twee-workers-met-traces": ["-m", "handleiding and not manier-1", "-n", "2", "--tracing", "on"]}


@pytest.mark.parametrize("shape", list(SHAPES.values()), ids=list(SHAPES))
def test_no_secret_of_a_real_run_is_in_reports_or_traces(tmp_path: Path, shape: list[str]) -> None:
    """Runs real scenarios, collects every secret they registered, and looks for each in reports/ and the traces."""
    run, reports, traces, secrets = run_scenarios(tmp_path, ["steps/portaal", *shape])
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert_kinds(secrets, KINDS)
    texts = collect(reports, traces, "--tracing" in shape)
    leaks = leaks_of(texts, secrets)
    assert leaks == [], f"secrets found: {leaks[:20]}"


@pytest.fixture
def shared_keycloak(targets: Targets) -> None:
    """Under xdist, the run's shared Keycloak, held by this worker until its session ends (as its Keycloak scenarios
    hold it): the nested run, which inherits the run's id, joins it instead of starting and stopping one of its own."""
    if shared_state_file() is not None:
        targets.get(KEYCLOAK)


@pytest.mark.usefixtures("shared_keycloak")
def test_no_secret_of_keycloak_is_in_reports_or_traces(tmp_path: Path) -> None:
    """Keycloak's reset link (`action-token?key=eyJ…`) and the account console's OIDC `code=`/`session_state=`:
    masked in every output and trace, with the secrets found by shape besides what the run registered."""
    run, reports, traces, secrets = run_scenarios(
        tmp_path, ["steps/keycloak", "-m", "herstel", "-k", "nieuw_wachtwoord", "--tracing", "on"])  # link, QR, password
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert_kinds(secrets, ("wachtwoord", "TOTP-geheim", "link"))
    texts = collect(reports, traces, tracing=True)
    assert any("action-token?key=«geheim:" in content for _, content in texts), "no masked reset link in the outputs"
    leaks = leaks_of(texts, secrets)
    assert leaks == [], f"secrets found: {leaks[:20]}"


def test_no_secret_of_a_foreign_target_is_in_reports_traces_or_its_log(tmp_path: Path) -> None:
    """A target of other shapes (tests/report/foreign: a token in the link's path, an SVG QR code, the key as grouped
    text, OAuth code/state in a redirect, a look-alike mail from a second sender), traced, one scenario failing
    before the scan: no secret the target handed out (read from the target's side) is in any output, trace or log."""
    handed_out = tmp_path / "target-secrets.jsonl"
    run, reports, traces, secrets = run_scenarios(
        tmp_path, ["tests/report/foreign/scenarios_foreign.py", "--tracing", "on"],
        env={"FOREIGN_TARGET_SECRETS": str(handed_out)},
    )
    assert "1 failed, 1 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    target_side = [json.loads(line) for line in handed_out.read_text(encoding="utf-8").splitlines()]
    kinds = {entry["kind"] for entry in target_side}
    assert {"password", "link", "totp", "oauth code", "oauth state"} <= kinds, kinds
    for entry in target_side:  # every form a page, a URL or a person shows it in
        value = entry["value"]
        secrets[value] = f"{entry['kind']} (doelsysteem)"
        if entry["kind"] == "totp":
            for size in (4,):
                grouped = " ".join(value[i : i + size] for i in range(0, len(value), size))
                secrets |= {grouped: "totp gegroepeerd (doelsysteem)", value.lower(): "totp kleine letters (doelsysteem)"}
    log = reports / "logs" / "vreemd.log"
    assert log.is_file(), f"the failing run kept no target log: {sorted(p.name for p in (reports / 'logs').glob('*'))}"
    assert "/password/reset/key/«geheim:link»/" in log.read_text(encoding="utf-8")
    texts = collect(reports, traces, tracing=True)
    results = (reports / "results.json").read_text(encoding="utf-8")
    assert "noreply@foreign-app.example" in results and "geweigerd" in results, "the look-alike mail is not named as refused"
    leaks = leaks_of(texts, secrets)
    assert leaks == [], f"secrets found: {leaks[:20]}"
