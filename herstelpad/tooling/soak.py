"""`herstelpad soak`: rerun the scenario suite and list the flaky scenarios with their failure messages."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from herstelpad.report.history import FAILED, is_flaky
from herstelpad.tooling.bench import Case, run_suite


@dataclass
class History:
    """One scenario's outcomes over the soak runs."""

    outcomes: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def failed(self) -> int:
        """How many runs it failed in."""
        return sum(outcome in FAILED for outcome in self.outcomes)

    def passed(self) -> int:
        """How many runs it passed in."""
        return self.outcomes.count("passed")


def histories(runs: dict[str, list[Case]]) -> dict[str, History]:
    """Every scenario's outcomes and failure messages over the runs (a run's name: its scenarios)."""
    found: dict[str, History] = defaultdict(History)
    for name, cases in runs.items():
        for case in cases:
            history = found[case.nodeid]
            history.outcomes.append(case.outcome)
            if case.outcome in FAILED:
                history.messages.append(f"{name}: {case.message}")
    return dict(found)


def run_soak(out: Path, runs: int, workers: int = 0, tags: str | None = None) -> dict[str, Any]:
    """Runs the suite `runs` times, one JUnit file each in `out`, and writes out/soak-<workers>w.json."""
    out.mkdir(parents=True, exist_ok=True)
    label = f"{workers or 1}w"
    files, walls, exits, cases = [], [], [], {}
    for number in range(1, runs + 1):
        junit = out / f"run-{label}-{number:03d}.xml"
        run = run_suite(workers, junit, tags)
        files.append(junit)
        walls.append(run.wall_seconds)
        exits.append(run.exit_code)
        cases[junit.stem] = run.cases
        failed = sum(case.outcome in FAILED for case in run.cases)
        print(f"  run {number}/{runs} ({label}): {len(run.cases)} scenarios, {failed} failed, "
              f"exit {run.exit_code}, {run.wall_seconds:.0f} s", flush=True)
    found = histories(cases)
    flaky = {nodeid: h for nodeid, h in found.items() if is_flaky(h.outcomes)}
    always = {nodeid: h for nodeid, h in found.items() if h.failed() and not h.passed()}
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "runs": runs, "workers": workers or 1,
        "tags": tags, "scenarios": len(found), "exit_codes": exits, "wall_seconds": walls,
        "runs_without_junit": sum(not path.exists() for path in files),
        "flaky": {nodeid: {"failed": h.failed(), "passed": h.passed(), "messages": h.messages}
                  for nodeid, h in sorted(flaky.items())},
        "always_failed": {nodeid: {"failed": h.failed(), "messages": h.messages[:3]}
                          for nodeid, h in sorted(always.items())},
    }
    (out / f"soak-{label}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def report(result: dict[str, Any]) -> str:
    """The soak's outcome in a few lines."""
    lines = [
        f"{result['runs']} runs with {result['workers']} worker(s)"
        + (f", tags {result['tags']!r}" if result["tags"] else "")
        + f": {result['scenarios']} scenarios, {len(result['flaky'])} flaky, "
        f"{len(result['always_failed'])} failed every time, "
        f"{sum(code != 0 for code in result['exit_codes'])} run(s) with a non-zero exit."
    ]
    for kind in ("flaky", "always_failed"):
        for nodeid, figures in result[kind].items():
            lines.append(f"  {kind.replace('_', ' ')}: {nodeid.split('::')[-1]} "
                         f"(failed {figures['failed']}×)")
            lines += [f"      {message}" for message in figures["messages"][:5]]
    return "\n".join(lines)
