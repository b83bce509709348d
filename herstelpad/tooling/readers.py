"""The real readers of the report's outputs, from .tools/node: Allure 3's command line and Cucumber's HTML formatter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from herstelpad.tooling.install import node_dir, node_readers_missing

FORMATTER_SCRIPT = Path(__file__).with_name("cucumber_html.mjs")


class ReaderMissing(RuntimeError):
    """The npm readers are not installed; the message says how to install them."""


def _check() -> str:
    """Returns the node executable, or raises ReaderMissing with what to do."""
    if problem := node_readers_missing():
        raise ReaderMissing(problem)
    node = shutil.which("node")
    assert node is not None  # node_readers_missing checked it
    return node


def allure_generate(results: Path, output: Path, timeout: float = 300) -> Path:
    """Runs `allure generate <results> --output <output>` (Allure 3) and returns the report's index.html."""
    node = _check()
    cli = node_dir() / "node_modules" / "allure" / "cli.js"
    done = subprocess.run(
        [node, str(cli), "generate", str(results), "--output", str(output), "--report-name", "herstelpad"],
        capture_output=True, text=True, timeout=timeout, check=False, cwd=output.parent,
    )
    if done.returncode != 0 or not (output / "index.html").is_file():
        raise RuntimeError(f"allure generate failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return output / "index.html"


def cucumber_html(messages: Path, output: Path, timeout: float = 120) -> Path:
    """Renders the Cucumber Messages (NDJSON) with @cucumber/html-formatter into one HTML file."""
    node = _check()
    with messages.open("rb") as source, output.open("wb") as target:
        done = subprocess.run(
            [node, str(FORMATTER_SCRIPT), str(node_dir() / "node_modules")], stdin=source, stdout=target,
            stderr=subprocess.PIPE, timeout=timeout, check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the Cucumber HTML formatter failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return output
