"""Cucumber Messages (NDJSON, what current Cucumber tooling reads) from the run model, with the `cucumber-messages` model."""

from __future__ import annotations

import base64
import html
import json
import platform
import sys
from collections.abc import Iterator
from datetime import datetime
from importlib.metadata import version
from itertools import count
from pathlib import Path
from typing import Any

import cucumber_messages as cm

from herstelpad.report.cucumber import read_attachment, step_output
from herstelpad.report.masking import mask_data
from herstelpad.report.model import FeatureResult, Run, Scenario, Step
from herstelpad.report.results import write_text

MESSAGES_FILE = "cucumber-messages.ndjson"
_STATUS = {
    "passed": cm.TestStepResultStatus.passed, "failed": cm.TestStepResultStatus.failed,
    "skipped": cm.TestStepResultStatus.skipped, "undefined": cm.TestStepResultStatus.undefined,
}
_PICKLE_TYPE = {"given": cm.PickleStepType.context, "when": cm.PickleStepType.action, "then": cm.PickleStepType.outcome}
_CONJUNCTIONS = {"En", "Maar", "And", "But", "*"}


def _timestamp(iso: str, plus_seconds: float = 0.0) -> cm.Timestamp:
    """A Timestamp message for an ISO time plus some seconds."""
    try:
        moment = datetime.fromisoformat(iso).timestamp() + plus_seconds
    except ValueError:
        moment = plus_seconds
    return cm.Timestamp(seconds=int(moment), nanos=int((moment % 1) * 1_000_000_000))


def _description(text: str) -> str:
    """A Gherkin description as Cucumber's formatters read it (Markdown, where raw HTML would be rendered): HTML as text."""
    return html.escape(text, quote=False)


def _duration(seconds: float) -> cm.Duration:
    """A Duration message."""
    return cm.Duration(seconds=int(seconds), nanos=int((seconds % 1) * 1_000_000_000))


class _Ids:
    """Hands out the ids messages refer to each other by."""

    def __init__(self) -> None:
        """Starts at 1."""
        self._next = count(1)

    def __call__(self) -> str:
        """The next id."""
        return str(next(self._next))


class _Document:
    """The Gherkin text and AST of one feature, as it ran: every recorded scenario (outline rows too) as a scenario."""

    def __init__(self, group: FeatureResult, ids: _Ids) -> None:
        """Lays out the feature's text and its AST with matching line numbers."""
        feature = group.feature
        self.lines: list[str] = [f"# language: {feature.language}"]
        self.step_ids: dict[tuple[str, int], str] = {}
        self.scenario_ids: dict[str, str] = {}
        self.tag_ids: dict[tuple[str, str], str] = {}
        feature_tags = self._tags(feature.tags, ids, "feature")
        self.lines.append(f"{feature.keyword}: {feature.name}")
        feature_line = len(self.lines)
        self.lines += [f"  {line.strip()}" for line in feature.description.splitlines()]
        children = [cm.FeatureChild(scenario=self._scenario(scenario, ids)) for scenario in group.scenarios]
        self.ast = cm.Feature(
            children=children, description=_description(feature.description), keyword=feature.keyword, language=feature.language,
            location=cm.Location(line=feature_line, column=1), name=feature.name, tags=feature_tags,
        )

    def _tags(self, tags: list[str], ids: _Ids, owner: str, indent: str = "") -> list[cm.Tag]:
        """Writes a tag line and returns its Tag nodes."""
        if not tags:
            return []
        self.lines.append(indent + " ".join(f"@{tag}" for tag in tags))
        found = []
        for tag in tags:
            self.tag_ids[(owner, tag)] = tag_id = ids()
            found.append(cm.Tag(id=tag_id, location=cm.Location(line=len(self.lines)), name=f"@{tag}"))
        return found

    def _scenario(self, scenario: Scenario, ids: _Ids) -> cm.Scenario:
        """Writes one scenario and returns its node."""
        self.lines.append("")
        tags = self._tags(scenario.tags, ids, scenario.id, "  ")
        name = scenario.name
        if scenario.example:
            name += " (" + ", ".join(f"{k} = {v}" for k, v in scenario.example.items()) + ")"
        self.lines.append(f"  Scenario: {name}")
        line = len(self.lines)
        steps = []
        for index, step in enumerate(scenario.steps):
            self.lines.append(f"    {step.keyword} {step.text}")
            self.step_ids[(scenario.id, index)] = step_id = ids()
            steps.append(self._step(step, step_id, len(self.lines)))
            if step.docstring:
                self.lines += ['      """', *[f"      {text}" for text in step.docstring.splitlines()], '      """']
            for row in step.datatable or []:
                self.lines.append("      | " + " | ".join(row) + " |")
        self.scenario_ids[scenario.id] = scenario_id = ids()
        return cm.Scenario(description=_description(scenario.description), examples=[], id=scenario_id,
                           keyword="Scenario",
                           location=cm.Location(line=line, column=3), name=name, steps=steps, tags=tags)

    @staticmethod
    def _step(step: Step, step_id: str, line: int) -> cm.Step:
        """One step node."""
        keyword_type = cm.StepKeywordType.conjunction if step.keyword in _CONJUNCTIONS else {
            "given": cm.StepKeywordType.context, "when": cm.StepKeywordType.action, "then": cm.StepKeywordType.outcome,
        }.get(step.type, cm.StepKeywordType.unknown)
        return cm.Step(id=step_id, keyword=f"{step.keyword} ", keyword_type=keyword_type,
                       location=cm.Location(line=line, column=5), text=step.text)


def envelopes(run: Run, reports_dir: Path) -> Iterator[dict[str, Any]]:
    """Every message of the run, in the order a Cucumber implementation would emit them, as JSON-ready dicts."""
    ids = _Ids()

    def out(**message: Any) -> dict[str, Any]:
        """One envelope as a masked dict."""
        return mask_data(cm.message_converter.to_dict(cm.Envelope(**message)))

    yield out(meta=cm.Meta(
        protocol_version=version("cucumber-messages"),
        implementation=cm.Product(name="herstelpad", version=version("herstelpad")),
        runtime=cm.Product(name=platform.python_implementation(), version=platform.python_version()),
        os=cm.Product(name=sys.platform), cpu=cm.Product(name=platform.machine()),
    ))
    cases: list[tuple[Scenario, _Document, cm.Pickle]] = []
    for group in run.features():
        document = _Document(group, ids)
        uri = group.feature.file
        yield out(source=cm.Source(data="\n".join(document.lines) + "\n", uri=uri,
                                   media_type=cm.SourceMediaType.text_x_cucumber_gherkin_plain))
        yield out(gherkin_document=cm.GherkinDocument(comments=[], feature=document.ast, uri=uri))
        for scenario in group.scenarios:
            pickle = cm.Pickle(
                id=ids(), uri=uri, name=scenario.name, language=group.feature.language,
                ast_node_ids=[document.scenario_ids[scenario.id]],
                tags=[cm.PickleTag(ast_node_id=document.tag_ids[(scenario.id, t)], name=f"@{t}") for t in scenario.tags],
                steps=[
                    cm.PickleStep(id=ids(), text=step.text, type=_PICKLE_TYPE.get(step.type, cm.PickleStepType.unknown),
                                  ast_node_ids=[document.step_ids[(scenario.id, i)]])
                    for i, step in enumerate(scenario.steps)
                ],
            )
            yield out(pickle=pickle)
            cases.append((scenario, document, pickle))
    run_id = ids()
    yield out(test_run_started=cm.TestRunStarted(id=run_id, timestamp=_timestamp(run.run.started)))
    for scenario, _document, pickle in cases:
        test_steps = [cm.TestStep(id=ids(), pickle_step_id=p.id, step_definition_ids=[], step_match_arguments_lists=[])
                      for p in pickle.steps]
        case_id, started_id = ids(), ids()
        yield out(test_case=cm.TestCase(id=case_id, pickle_id=pickle.id, test_steps=test_steps, test_run_started_id=run_id))
        yield out(test_case_started=cm.TestCaseStarted(attempt=0, id=started_id, test_case_id=case_id,
                                                       timestamp=_timestamp(scenario.started), worker_id=scenario.worker))
        moment = 0.0
        for index, (step, test_step) in enumerate(zip(scenario.steps, test_steps, strict=True)):
            yield out(test_step_started=cm.TestStepStarted(test_case_started_id=started_id, test_step_id=test_step.id,
                                                           timestamp=_timestamp(scenario.started, moment)))
            if (data := read_attachment(reports_dir, step.screenshot)) is not None and step.screenshot is not None:
                yield {"attachment": {  # base64 picture data is no text to mask: the picture was masked when taken
                    "body": base64.b64encode(data).decode("ascii"), "contentEncoding": "BASE64",
                    "mediaType": step.screenshot.media_type, "fileName": step.screenshot.name,
                    "testCaseStartedId": started_id, "testStepId": test_step.id,
                }}
            if lines := step_output(scenario, index):
                yield out(attachment=cm.Attachment(body="\n\n".join(lines), file_name="E-mails en gebeurtenissen",
                                                   content_encoding=cm.AttachmentContentEncoding.identity,
                                                   media_type="text/plain", test_case_started_id=started_id,
                                                   test_step_id=test_step.id))
            moment += step.duration
            error = step.error
            result = cm.TestStepResult(
                duration=_duration(step.duration), status=_STATUS.get(step.status, cm.TestStepResultStatus.unknown),
                message=f"{error.title}\n{error.message}\n\n{error.details}".strip() if error else None,
                exception=cm.Exception(type=error.type or "Fout", message=error.message) if error else None,
            )
            yield out(test_step_finished=cm.TestStepFinished(test_case_started_id=started_id, test_step_id=test_step.id,
                                                             test_step_result=result,
                                                             timestamp=_timestamp(scenario.started, moment)))
        yield out(test_case_finished=cm.TestCaseFinished(test_case_started_id=started_id, will_be_retried=False,
                                                         timestamp=_timestamp(scenario.started, max(moment, scenario.duration))))
    success = not any(s.status == "failed" for s in run.scenarios)
    yield out(test_run_finished=cm.TestRunFinished(success=success, test_run_started_id=run_id,
                                                   timestamp=_timestamp(run.run.started, run.run.duration)))


def write_messages(run: Run, reports_dir: Path) -> Path:
    """Writes reports/cucumber-messages.ndjson (one message per line) and returns its path."""
    path = reports_dir / MESSAGES_FILE
    write_text(path, "".join(json.dumps(m, ensure_ascii=False, separators=(",", ":")) + "\n" for m in envelopes(run, reports_dir)))
    return path
