"""Cucumber JSON (the format Jenkins, Xray and cucumber-html-reporter read), with screenshots embedded."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from herstelpad.report.masking import mask_data
from herstelpad.report.results import write_json

_CUCUMBER_STATUS = {"passed": "passed", "failed": "failed", "skipped": "skipped", "undefined": "undefined"}


def _slug(text: str) -> str:
    """Returns a Cucumber-style id part: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    """Returns tags in Cucumber form: [{"name": "@tag", "line": n}]."""
    return [{"name": f"@{tag}", "line": max(line - 1, 1)} for tag in tags]


def _embedding(reports_dir: Path, relative: str | None) -> list[dict[str, str]]:
    """Returns the screenshot as a base64 embedding, or nothing when it is missing."""
    if not relative or not (reports_dir / relative).is_file():
        return []
    data = base64.b64encode((reports_dir / relative).read_bytes()).decode("ascii")
    return [{"mime_type": "image/png", "data": data, "name": Path(relative).name}]


def _output(scenario: dict[str, Any], index: int) -> list[str]:
    """Returns the e-mails and events of one step as Cucumber 'output' lines."""
    lines = [f"{event['actor']}: {event['text']}" for event in scenario["events"] if event.get("step") == index]
    lines += [
        f"E-mail aan {mail['to']} (gelezen door {mail['reader']}): {mail['subject']}\n\n{mail['text']}"
        for mail in scenario["emails"]
        if mail.get("step") == index
    ]
    return lines


def _step(reports_dir: Path, scenario: dict[str, Any], index: int, step: dict[str, Any]) -> dict[str, Any]:
    """Returns one step element."""
    result: dict[str, Any] = {
        "status": _CUCUMBER_STATUS.get(step["status"], "skipped"),
        "duration": int(step.get("duration", 0) * 1_000_000_000),
    }
    if step.get("error"):
        result["error_message"] = (
            f"{step['error']['title']}: {step['error']['message']}\n\n{step['error'].get('details', '')}"
        )
    element: dict[str, Any] = {
        "keyword": f"{step['keyword']} ",
        "name": step["text"],
        "line": step["line"],
        "match": {"location": step.get("location", "")},
        "result": result,
    }
    if output := _output(scenario, index):
        element["output"] = output
    if step.get("docstring"):
        element["doc_string"] = {"value": step["docstring"], "content_type": "", "line": step["line"] + 1}
    if step.get("datatable"):
        element["rows"] = [{"cells": row} for row in step["datatable"]]
    element = mask_data(element)  # before the embeddings: base64 data is not text to mask
    if embeddings := _embedding(reports_dir, step.get("screenshot")):
        element["embeddings"] = embeddings
    return element


def to_cucumber(results: dict[str, Any], reports_dir: Path) -> list[dict[str, Any]]:
    """Converts results.json data to the Cucumber JSON structure (a list of features)."""
    features: dict[str, dict[str, Any]] = {}
    for scenario in results["scenarios"]:
        feature = scenario["feature"]
        if feature["file"] not in features:
            features[feature["file"]] = mask_data(
                {
                    "keyword": feature.get("keyword", "Functionaliteit"),
                    "uri": feature["file"],
                    "name": feature["name"],
                    "id": _slug(feature["name"] or feature["file"]),
                    "line": feature["line"],
                    "description": feature["description"],
                    "language": feature.get("language", "nl"),
                    "tags": _tags(feature["tags"], feature["line"]),
                    "elements": [],
                }
            )
        element = features[feature["file"]]
        scenario_element = mask_data(
            {
                "keyword": scenario["scenario"].get("keyword", "Scenario"),
                "id": f"{element['id']};{_slug(scenario['scenario']['name'])};{scenario['id']}",
                "name": scenario["scenario"]["name"],
                "line": scenario["scenario"]["line"],
                "description": scenario["scenario"]["description"],
                "tags": _tags(scenario["tags"], scenario["scenario"]["line"]),
                "type": "scenario",
            }
        )
        scenario_element["steps"] = [_step(reports_dir, scenario, i, step) for i, step in enumerate(scenario["steps"])]
        element["elements"].append(scenario_element)
    return list(features.values())


def write_cucumber(results: dict[str, Any], reports_dir: Path) -> Path:
    """Writes reports/cucumber.json and returns its path."""
    path = reports_dir / "cucumber.json"
    write_json(path, to_cucumber(results, reports_dir))
    return path
