"""JUnit XML of the scenarios (what CI servers show as test results): herstelpad's one writer of it, from the run model.

A `--junitxml` of the user's own is pytest's: herstelpad then leaves that file to pytest and masks it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from herstelpad.report.masking import mask
from herstelpad.report.model import Run, count_statuses
from herstelpad.report.results import write_text

JUNIT_FILE = "junit.xml"


def to_junit(run: Run) -> ET.Element:
    """Returns the <testsuites> element: a suite per feature, a test case per scenario, the steps as its output."""
    suites = ET.Element("testsuites", name="herstelpad", tests=str(len(run.scenarios)), time=f"{run.run.duration:.3f}")
    for group in run.features():
        counts = count_statuses(group.scenarios)
        suite = ET.SubElement(
            suites, "testsuite", name=mask(group.feature.name or group.feature.file), tests=str(len(group.scenarios)),
            failures=str(counts.get("failed", 0)), skipped=str(counts.get("skipped", 0)), errors="0",
            time=f"{sum(s.duration for s in group.scenarios):.3f}", timestamp=group.scenarios[0].started,
        )
        for scenario in group.scenarios:
            case = ET.SubElement(
                suite, "testcase", classname=mask(f"{scenario.target}.{group.feature.file}"), name=mask(scenario.name),
                file=group.feature.file, line=str(scenario.line), time=f"{scenario.duration:.3f}",
            )
            if scenario.status == "failed":
                error = scenario.error
                failure = ET.SubElement(case, "failure", message=mask(error.message if error else "mislukt"),
                                        type=mask(error.type if error else "Fout"))
                failure.text = mask(f"{error.title}\n\n{error.details}" if error else "")
            elif scenario.status == "skipped":
                ET.SubElement(case, "skipped", message=mask(scenario.skip_reason or "niet uitgevoerd"))
            out = ET.SubElement(case, "system-out")
            out.text = mask("\n".join(f"{step.status:>9}  {step.line_text}" for step in scenario.steps))
    return suites


def write_junit(run: Run, reports_dir: Path) -> Path:
    """Writes reports/junit.xml and returns its path."""
    path = reports_dir / JUNIT_FILE
    root = to_junit(run)
    ET.indent(root)
    write_text(path, '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode"))
    return path


def junitxml_path(config: pytest.Config) -> Path | None:
    """The file pytest's own --junitxml writes, if any."""
    xmlpath = getattr(config.option, "xmlpath", None)
    return Path(config.invocation_params.dir, xmlpath).resolve() if xmlpath else None


def mask_junitxml(path: Path) -> None:
    """Masks the secrets in the JUnit XML that pytest's junitxml plugin wrote (at session finish, after ours)."""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        masked = mask(text)
        if masked != text:
            path.write_text(masked, encoding="utf-8")
