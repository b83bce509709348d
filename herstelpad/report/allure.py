"""Allure results (the folder `pytest --alluredir` writes) from the run model, with allure-python-commons' model."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from datetime import datetime
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import (
    Attachment as AllureAttachment,
)
from allure_commons.model2 import (
    Label,
    Parameter,
    Status,
    StatusDetails,
    TestResult,
    TestStepResult,
)

from herstelpad.report.cucumber import error_text, read_attachment, step_output
from herstelpad.report.masking import mask
from herstelpad.report.model import Run, Scenario, Step

ALLURE_DIR = "allure-results"
_STATUS = {"passed": Status.PASSED, "failed": Status.FAILED, "skipped": Status.SKIPPED, "undefined": Status.BROKEN}


def _millis(iso: str) -> int:
    """Milliseconds since the epoch of an ISO time (0 when unreadable)."""
    try:
        return int(datetime.fromisoformat(iso).timestamp() * 1000)
    except ValueError:
        return 0


def _history_id(scenario: Scenario) -> str:
    """The same id for the same scenario in every run (Allure's history and retries follow it)."""
    return hashlib.md5(f"{scenario.target}:{scenario.nodeid}".encode(), usedforsecurity=False).hexdigest()


class _Writer:
    """Writes one run's results into an Allure results folder."""

    def __init__(self, reports_dir: Path, folder: Path) -> None:
        """Starts on an emptied folder."""
        self.reports_dir = reports_dir
        self.logger = AllureFileLogger(str(folder), clean=False)  # emptied (or not) by write_allure

    def attach_file(self, source: Path, name: str, media_type: str) -> AllureAttachment:
        """Copies a file into the results as an attachment."""
        file_name = f"{uuid.uuid4()}-attachment{source.suffix}"
        self.logger.report_attached_file(source=str(source), file_name=file_name)
        return AllureAttachment(name=name, source=file_name, type=media_type)

    def attach_text(self, text: str, name: str) -> AllureAttachment:
        """Writes a (masked) text into the results as an attachment."""
        file_name = f"{uuid.uuid4()}-attachment.txt"
        self.logger.report_attached_data(body=mask(text), file_name=file_name)
        return AllureAttachment(name=name, source=file_name, type="text/plain")

    def step(self, scenario: Scenario, index: int, step: Step, start: int) -> TestStepResult:
        """One Gegeven/Als/Dan step with its screenshot and what the actors did during it."""
        stop = start + int(step.duration * 1000)
        result = TestStepResult(name=mask(step.line_text), status=_STATUS.get(step.status, Status.SKIPPED),
                                stage="finished", start=start, stop=stop)
        if step.error:
            result.statusDetails = StatusDetails(message=mask(step.error.message or step.error.title),
                                                 trace=mask(step.error.details))
        if step.screenshot and read_attachment(self.reports_dir, step.screenshot) is not None:
            result.attachments.append(
                self.attach_file(self.reports_dir / step.screenshot.path, f"Scherm na stap {index + 1}",
                                 step.screenshot.media_type)
            )
        if lines := step_output(scenario, index):
            result.attachments.append(self.attach_text("\n\n".join(lines), "E-mails en gebeurtenissen"))
        return result

    def scenario(self, scenario: Scenario) -> None:
        """One scenario as an Allure test result: steps, labels, behaviours, parameters."""
        start = _millis(scenario.started)
        labels = [
            Label(name="epic", value=scenario.target),
            Label(name="feature", value=scenario.feature.name or scenario.feature.file),
            Label(name="story", value=scenario.name),
            Label(name="parentSuite", value=scenario.target),
            Label(name="suite", value=scenario.feature.name or scenario.feature.file),
            Label(name="framework", value="pytest-bdd"),
            Label(name="language", value="python"),
        ]
        labels += [Label(name="tag", value=tag) for tag in scenario.tags]
        if scenario.worker:
            labels.append(Label(name="thread", value=scenario.worker))
        result = TestResult(
            uuid=str(uuid.uuid4()), historyId=_history_id(scenario), testCaseId=_history_id(scenario),
            fullName=f"{scenario.feature.file}::{scenario.name}", name=scenario.name,
            description=scenario.description or None, status=_STATUS.get(scenario.status, Status.UNKNOWN),
            stage="finished", start=start, stop=start + int(scenario.duration * 1000), labels=labels,
            titlePath=[scenario.target, scenario.feature.name or scenario.feature.file],
            parameters=[Parameter(name=k, value=v) for k, v in (scenario.example or {}).items()],
        )
        if scenario.status == "failed" and scenario.error:
            failing = next((s for s in scenario.steps if s.error), None)
            result.statusDetails = StatusDetails(
                message=f"{scenario.error.title}\n{scenario.error.message}".strip(),
                trace=error_text(failing) if failing else scenario.error.details,
            )
        elif scenario.status == "skipped" and scenario.skip_reason:
            result.statusDetails = StatusDetails(message=scenario.skip_reason)
        moment = start
        for index, step in enumerate(scenario.steps):
            result.steps.append(self.step(scenario, index, step, moment))
            moment += int(step.duration * 1000)
        self.logger.report_result(_masked(result))


def _masked(result: TestResult) -> TestResult:
    """Masks the texts of a test result's own fields (steps' texts are masked as they are made)."""
    for field in ("name", "fullName", "description"):
        if getattr(result, field):
            setattr(result, field, mask(getattr(result, field)))
    result.titlePath = [mask(part) for part in result.titlePath]
    for item in [*result.labels, *result.parameters]:
        item.value = mask(item.value)
    if result.statusDetails:
        result.statusDetails.message = mask(result.statusDetails.message or "")
        result.statusDetails.trace = mask(result.statusDetails.trace or "")
    return result


def write_allure(run: Run, reports_dir: Path, folder: Path | None = None, clean: bool = False) -> Path:
    """Writes the Allure results: one result per scenario, screenshots as attachments.

    By default into reports/allure-results/, emptied first. Into a folder of the user's (`--alluredir`) as
    allure-pytest does: added to what is there (Allure then shows every run's results), emptied only when asked.
    """
    if folder is None:
        folder, clean = reports_dir / ALLURE_DIR, True
    if clean:
        shutil.rmtree(folder, ignore_errors=True)
    writer = _Writer(reports_dir, folder)
    for scenario in run.scenarios:
        writer.scenario(scenario)
    return folder
