"""Fixtures for the report tests: synthetic results, a browser for the report page, pytester."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from fixtures.portaal.pack import ReferencePortal
from herstelpad.report.model import (
    Attachment,
    Email,
    ErrorInfo,
    Event,
    Failure,
    Feature,
    Run,
    RunInfo,
    Scenario,
    Step,
    TargetInfo,
)
from herstelpad.report.results import (
    RESULTS_FILE,
    SCREENSHOT_DIR,
    count_statuses,
    safe_id,
    steps_hash,
    write_json,
)

PORTAL_PACK = ReferencePortal()  # the synthetic scenarios are the reference portal's, with its article
ScenarioFactory = Callable[..., Scenario]

@pytest.fixture(scope="session")
def chromium_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for chromium.launch(), as herstelpad's own fixtures choose them (binary and flags)."""
    return {**browser_type_launch_args, "headless": True}


@pytest.fixture
def report_page(browser: Browser) -> Generator[Page, None, None]:
    """A fresh page (own context) for one report test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def png(width: int = 64, height: int = 40, rgb: tuple[int, int, int] = (40, 110, 200)) -> bytes:
    """Returns a small single-colour PNG (no image library needed)."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        """Returns one PNG chunk."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    """An empty reports folder."""
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


@pytest.fixture
def make_scenario(reports_dir: Path) -> ScenarioFactory:
    """Returns a factory of scenarios of the run model, with screenshot files on disk."""

    def factory(
        name: str,
        status: str = "passed",
        tags: tuple[str, ...] = (),
        steps: tuple[tuple[str, str, str], ...] = (("Gegeven", "given", "ik ben een medewerker"),),
        feature: str = "Opnieuw koppelen",
        feature_file: str = "features/koppelen.feature",
        duration: float = 1.5,
        emails: list[dict[str, Any]] | None = None,
        events: list[dict[str, Any]] | None = None,
        error: dict[str, Any] | None = None,
        description: str = "",
        line: int = 5,
    ) -> Scenario:
        """Builds one scenario; a failed one fails at its last step."""
        nodeid = f"{feature_file}::{name}"
        sid = safe_id(nodeid)
        step_records = []
        for index, (keyword, kind, text) in enumerate(steps):
            shot = f"{SCREENSHOT_DIR}/{sid}-{index + 1:02d}.png"
            (reports_dir / shot).parent.mkdir(parents=True, exist_ok=True)
            (reports_dir / shot).write_bytes(png(rgb=(30 + 20 * index, 120, 200)))
            failed_here = status == "failed" and index == len(steps) - 1
            step_status = "failed" if failed_here else "skipped" if status == "skipped" else "passed"
            step_records.append(
                Step(
                    keyword=keyword,
                    type=kind,
                    text=text,
                    line=line + 1 + index,
                    status=step_status,
                    duration=0.2,
                    screenshot=None if status == "skipped" else Attachment(path=shot),
                    url="http://127.0.0.1:8000/inloggen",
                    error=ErrorInfo(**error) if failed_here and error else None,
                )
            )
        failed_index = len(steps) - 1
        scenario = Scenario(
            run_id="test-run",
            nodeid=nodeid,
            id=sid,
            target=PORTAL_PACK.name,
            article=PORTAL_PACK.article_module,
            target_info=TargetInfo(name=PORTAL_PACK.name, title=PORTAL_PACK.title, introduction=PORTAL_PACK.introduction),
            feature=Feature(
                name=feature, description=f"Over {feature}.", file=feature_file, line=2, target=PORTAL_PACK.name
            ),
            name=name,
            description=description,
            line=line,
            own_tags=list(tags),
            tags=sorted(tags),
            status=status,
            phase="call" if status == "failed" else None,
            started="2025-11-25T13:00:00+01:00",
            duration=duration,
            url="http://127.0.0.1:8000/portal",
            steps=step_records,
            error=ErrorInfo(**((error or {"title": "Fout"}) | {"step": failed_index})) if status == "failed" else None,
            failure=Failure(
                screenshot=step_records[-1].screenshot.path if step_records[-1].screenshot else None,
                url="http://127.0.0.1:8000/herstel/pocket",
                trace="../test-results/x/trace.zip",
                trace_command="playwright show-trace test-results/x/trace.zip",
            )
            if status == "failed"
            else None,
            skip_reason="Mailpit draait niet" if status == "skipped" else None,
            emails=[Email(**m) for m in emails or []],
            events=[Event(**ev) for ev in events or []],
            steps_hash=steps_hash(step_records),
        )
        return scenario

    return factory


@pytest.fixture
def write_results(reports_dir: Path) -> Callable[[list[Scenario]], Run]:
    """Returns a function that saves scenarios as reports/results.json (a finished run) and gives back the run."""

    def write(scenarios: list[Scenario]) -> Run:
        """Saves the scenarios as one run."""
        run = Run(
            run=RunInfo(
                id="test-run",
                started="2025-11-25T13:00:00+01:00",
                finished="2025-11-25T13:01:00+01:00",
                duration=sum(s.duration for s in scenarios),
                counts=count_statuses(scenarios),
            ),
            scenarios=scenarios,
        )
        write_json(reports_dir / RESULTS_FILE, run.masked())
        return run

    return write
