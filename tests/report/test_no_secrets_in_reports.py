"""A real run of scenarios leaves none of the secrets it used anywhere in reports/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from herstelpad.install import PROJECT_ROOT
from herstelpad.plugin import LEAK_TEST_ENV




def test_no_secret_of_a_real_run_is_in_reports(tmp_path: Path) -> None:
    """Runs real scenarios, collects every secret they registered, and greps all of reports/ for each."""
    reports = tmp_path / "reports"
    secrets_file = tmp_path / "secrets.json"
    env = dict(os.environ, **{LEAK_TEST_ENV: str(secrets_file)})
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "steps", "-m", "handleiding", "-p", "no:cacheprovider",
         f"--herstelpad-reports={reports}", f"--junitxml={reports / 'junit.xml'}", "-q"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    secrets: dict[str, str] = json.loads(secrets_file.read_text(encoding="utf-8"))
    labels = " ".join(secrets.values())
    for kind in ("wachtwoord", "e-mail aan", "TOTP-code", "TOTP-geheim", "otpauth", "apparaattoken"):
        assert kind.lower() in labels.lower(), f"the run registered no {kind}: {sorted(set(secrets.values()))}"

    files = [p for p in reports.rglob("*") if p.is_file()]
    assert {"index.html", "cucumber.json", "junit.xml", "results.json"} <= {p.name for p in files}
    leaks = [
        f"{path.relative_to(reports)}: {label}"
        for path in files
        for content in [path.read_bytes().decode("utf-8", errors="ignore")]
        for value, label in secrets.items()
        if len(value) >= 6 and value in content
    ]
    assert leaks == [], f"secrets found in reports/: {leaks[:20]}"
