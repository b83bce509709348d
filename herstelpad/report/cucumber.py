"""Cucumber JSON (the format Jenkins, Xray and cucumber-html-reporter read), with screenshots embedded."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from herstelpad.report.masking import mask_data
from herstelpad.report.model import Attachment, Run, Scenario, Step
from herstelpad.report.results import write_json

_CUCUMBER_STATUS = {"passed": "passed", "failed": "failed", "skipped": "skipped", "undefined": "undefined"}


def slug(text: str) -> str:
    """Returns a Cucumber-style id part: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    """Returns tags in Cucumber form: [{"name": "@tag", "line": n}]."""
    return [{"name": f"@{tag}", "line": max(line - 1, 1)} for tag in tags]


def read_attachment(reports_dir: Path, attachment: Attachment | None) -> bytes | None:
    """Returns the bytes of an attachment, or None when it is missing."""
    if attachment is None or not (reports_dir / attachment.path).is_file():
        return None
    return (reports_dir / attachment.path).read_bytes()


def step_output(scenario: Scenario, index: int) -> list[str]:
    """Returns the e-mails and events of one step as lines of text (Cucumber 'output', Allure and messages logs)."""
    lines = [f"{event.actor}: {event.text}" for event in scenario.events if event.step == index]
    lines += [
        f"E-mail aan {mail.to} (gelezen door {mail.reader}): {mail.subject}\n\n{mail.text}"
        for mail in scenario.emails
        if mail.step == index
    ]
    return lines


def error_text(step: Step) -> str:
    """The error of a step as one text: title, message and details."""
    return f"{step.error.title}: {step.error.message}\n\n{step.error.details}" if step.error else ""


def _step(reports_dir: Path, scenario: Scenario, index: int, step: Step) -> dict[str, Any]:
    """Returns one step element."""
    result: dict[str, Any] = {
        "status": _CUCUMBER_STATUS.get(step.status, "skipped"),
        "duration": int(step.duration * 1_000_000_000),
    }
    if step.error:
        result["error_message"] = error_text(step)
    element: dict[str, Any] = {
        "keyword": f"{step.keyword} ",
        "name": step.text,
        "line": step.line,
        "match": {"location": ""},
        "result": result,
    }
    if output := step_output(scenario, index):
        element["output"] = output
    if step.docstring:
        element["doc_string"] = {"value": step.docstring, "content_type": "", "line": step.line + 1}
    if step.datatable:
        element["rows"] = [{"cells": row} for row in step.datatable]
    element = mask_data(element)  # before the embeddings: base64 data is not text to mask
    if (data := read_attachment(reports_dir, step.screenshot)) is not None and step.screenshot is not None:
        element["embeddings"] = [
            {"mime_type": step.screenshot.media_type, "data": base64.b64encode(data).decode("ascii"), "name": step.screenshot.name}
        ]
    return element


def to_cucumber(run: Run, reports_dir: Path) -> list[dict[str, Any]]:
    """Converts the run to the Cucumber JSON structure (a list of features)."""
    features = []
    for group in run.features():
        feature = group.feature
        element = mask_data(
            {
                "keyword": feature.keyword,
                "uri": feature.file,
                "name": feature.name,
                "id": slug(feature.name or feature.file),
                "line": feature.line,
                "description": feature.description,
                "language": feature.language,
                "tags": _tags(feature.tags, feature.line),
                "elements": [],
            }
        )
        for scenario in group.scenarios:
            scenario_element = mask_data(
                {
                    "keyword": scenario.keyword,
                    "id": f"{element['id']};{slug(scenario.name)};{scenario.id}",
                    "name": scenario.name,
                    "line": scenario.line,
                    "description": scenario.description,
                    "tags": _tags(scenario.tags, scenario.line),
                    "type": "scenario",
                }
            )
            scenario_element["steps"] = [_step(reports_dir, scenario, i, step) for i, step in enumerate(scenario.steps)]
            element["elements"].append(scenario_element)
        features.append(element)
    return features


def write_cucumber(run: Run, reports_dir: Path) -> Path:
    """Writes reports/cucumber.json and returns its path."""
    path = reports_dir / "cucumber.json"
    write_json(path, to_cucumber(run, reports_dir))
    return path
