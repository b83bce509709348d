"""The plugin's runtime path: no tooling, no target pack, nothing of one target."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "herstelpad"
TARGET_WORDS = re.compile(r"afas|pocket|bevestigingscode|deelnemersnummer|collega", re.IGNORECASE)


def test_loading_the_plugin_imports_no_tooling_and_no_pack() -> None:
    probe = (
        "import sys, importlib\n"
        "for name in ('herstelpad.plugin', 'herstelpad.fixtures', 'herstelpad.browser', 'herstelpad.steps',"
        " 'herstelpad.report.recorder'):\n"
        "    importlib.import_module(name)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd="/").stdout.split()
    assert [name for name in loaded if name == "herstelpad.cli" or name.startswith("herstelpad.tooling")] == []
    assert not [name for name in loaded if name.split(".")[0] in ("fixtures", "steps", "portal")]
    # nothing of the reference portal's libraries nor of a pack's extra
    assert not {"fastapi", "uvicorn", "starlette", "argon2", "segno", "keycloak"} & set(loaded)


def test_the_core_names_no_target() -> None:
    found = [
        f"{path.relative_to(CORE)}:{number}"
        for path in sorted(CORE.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".js", ".mjs", ".html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TARGET_WORDS.search(line)
    ]
    assert found == []
