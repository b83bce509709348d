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

from herstelpad.camera import decode_qr_codes
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


@pytest.mark.parametrize("extra", [[], ["-n", "2", "--tracing", "on"]], ids=["serieel", "twee-workers-met-traces"])
def test_no_secret_of_a_real_run_is_in_reports_or_traces(tmp_path: Path, extra: list[str]) -> None:
    """Runs real scenarios, collects every secret they registered, and looks for each in reports/ and the traces."""
    reports, traces = tmp_path / "reports", tmp_path / "test-results"
    secrets_file = tmp_path / "secrets.json"
    env = dict(os.environ, **{LEAK_TEST_ENV: str(secrets_file)})
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "steps/portaal", "-m", "handleiding", "-p", "no:cacheprovider",
         f"--herstelpad-reports={reports}", f"--junitxml={reports / 'junit.xml'}", f"--output={traces}", "-q", *extra],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    secrets: dict[str, str] = {}
    for found in tmp_path.glob("secrets.json*"):  # one file per xdist worker
        secrets |= json.loads(found.read_text(encoding="utf-8"))
    labels = " ".join(secrets.values())
    for kind in KINDS:
        assert kind.lower() in labels.lower(), f"the run registered no {kind}: {sorted(set(secrets.values()))}"

    files = [p for p in reports.rglob("*") if p.is_file()]
    assert {"index.html", "cucumber.json", "junit.xml", "results.json", "cucumber-messages.ndjson"} <= {p.name for p in files}
    allure = [p.name for p in (reports / "allure-results").iterdir()]
    assert any(n.endswith("-result.json") for n in allure), f"no Allure results: {allure}"
    assert any(n.endswith("-attachment.png") for n in allure), f"no screenshots among the Allure attachments: {allure}"
    messages = (reports / "cucumber-messages.ndjson").read_text(encoding="utf-8")
    assert '"mediaType":"image/png"' in messages, "the messages embed no screenshot"
    texts = [found for p in files for found in readable(str(p.relative_to(reports)), p.read_bytes())]
    kept = sorted(traces.rglob("*.zip"))
    if "--tracing" in extra:
        assert len(kept) >= 3, f"expected a trace per scenario in {traces}: {kept}"
        texts += [found for zip_path in kept for found in trace_texts(zip_path)]
    else:
        assert kept == []
    leaks = [f"{where}: {label}" for where, content in texts for value, label in secrets.items() if len(value) >= 6 and shows(value, content)]
    assert leaks == [], f"secrets found: {leaks[:20]}"
