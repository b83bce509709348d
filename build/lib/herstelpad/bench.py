"""`herstelpad bench`: suite wall times, e-mail wait latency, services cold start, TOTP waits."""

from __future__ import annotations

import json
import os
import random
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any


from herstelpad.mailbox import Mailpit
from herstelpad.authenticator import TOTP_TIMING_ENV
from herstelpad.pack import StartContext, TargetPack
from herstelpad.services import MailpitEndpoints, start_mailpit
from herstelpad.settings import resolve
from herstelpad.waiting import pause

TOTP_WAIT_THRESHOLD = 1.0  # a code() call this long could only be a wait for the next 30 s window
SEND_DELAY = (0.05, 0.15)  # the waiter is listening by then; spread over one 100 ms poll interval


@dataclass
class Case:
    """One test case of a JUnit XML file."""

    nodeid: str
    seconds: float
    outcome: str  # passed, failed, error, skipped
    message: str = ""


@dataclass
class SuiteRun:
    """One run of the scenario suite in a subprocess."""

    workers: int
    exit_code: int
    wall_seconds: float
    cases: list[Case] = field(default_factory=list)

    def durations(self) -> list[float]:
        """The run's scenario times, in seconds."""
        return [case.seconds for case in self.cases if case.outcome != "skipped"]


def read_junit(path: Path) -> list[Case]:
    """The test cases of a JUnit XML file that pytest wrote with --junitxml."""
    cases = []
    for element in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - our own pytest's output
        nodeid = f"{element.get('classname', '')}::{element.get('name', '')}"
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            problem = element.find(kind)
            if problem is not None:
                outcome = "failed" if kind == "failure" else kind
                lines = (problem.get("message") or problem.text or "").strip().splitlines()
                message = lines[0][:300] if lines else ""
                break
        cases.append(Case(nodeid, float(element.get("time") or 0.0), outcome, message))
    return cases


def run_suite(workers: int, junit: Path, tags: str | None = None, env: dict[str, str] | None = None) -> SuiteRun:
    """Runs `pytest steps` once (0 workers: serial) with its own reports folder; returns times and cases."""
    junit.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pytest", "steps", "-q", "-p", "no:cacheprovider", "-p", "no:warnings",
           f"--junitxml={junit}"]
    if workers:
        cmd += ["-n", str(workers)]
    if tags:
        cmd += ["-m", tags]
    with tempfile.TemporaryDirectory(prefix="herstelpad-bench-") as reports:
        run_env = dict(os.environ if env is None else env, HERSTELPAD_REPORTS=reports)
        started = time.monotonic()
        done = subprocess.run(cmd, cwd=Path.cwd(), env=run_env, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.DEVNULL, check=False)
        wall = time.monotonic() - started
    cases = read_junit(junit) if junit.exists() else []
    return SuiteRun(workers, done.returncode, wall, cases)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    """Median, p95 and maximum of some seconds."""
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": statistics.median(values), "p95": percentile(values, 0.95), "max": max(values)}


# --- e-mail wait --------------------------------------------------------------------------


def send_mail(mailpit: MailpitEndpoints, to: str, subject: str) -> None:
    """Sends one plain e-mail to Mailpit over SMTP."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "bench@herstelpad.test", to, subject
    message.set_content("Code: 123456\r\n")
    with smtplib.SMTP(mailpit.smtp_host, mailpit.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)


def email_wait_latencies(mailpit: MailpitEndpoints, messages: int, seed: int = 7) -> dict[str, list[float]]:
    """Seconds from Mailpit's `Created` to Mailbox.wait_for returning, for the websocket and 100 ms polling."""
    rng = random.Random(seed)  # noqa: S311 - spreading send moments, not security
    clients = {"websocket": Mailpit(mailpit.url), "polling_100ms": Mailpit(mailpit.url, use_websocket=False)}
    latencies: dict[str, list[float]] = {mode: [] for mode in clients}
    try:
        clients["websocket"].listener()  # connected before the first measurement
        for number in range(messages):
            for mode, client in clients.items():  # interleaved: both see the same conditions
                address = f"bench-{number}-{mode}@herstelpad.test"
                delay = rng.uniform(*SEND_DELAY)
                sender = threading.Thread(target=lambda a=address, d=delay: (pause(d), send_mail(mailpit, a, "bench")))
                sender.start()
                email = client.mailbox(address).wait_for("bench", timeout=10)
                returned = datetime.now(UTC)
                sender.join()
                latencies[mode].append((returned - email.received).total_seconds())
    finally:
        for client in clients.values():
            client.close()
    return latencies


# --- the benchmark ---------------------------------------------------------------------------


def cold_starts(log_dir: Path, times: int, packs: list[TargetPack]) -> list[dict[str, float]]:
    """Starts Mailpit and each pack's target `times` times; their ready_seconds each time."""
    starts = []
    settings = resolve({})
    for _ in range(times):
        mailpit = start_mailpit(log_dir)
        start = {"mailpit": mailpit.ready_seconds}
        try:
            for pack in packs:
                target = pack.start(StartContext(settings, mailpit, log_dir, private=True))
                start[pack.name] = target.ready_seconds
                target.stop(keep_logs=False)
        finally:
            if mailpit.process is not None:
                mailpit.process.stop()
        starts.append(start)
    return starts


def suite_figures(out: Path, tags: str | None, workers: list[int]) -> dict[str, Any]:
    """Runs the suite once per worker count and measures wall time, scenario times and TOTP waits."""
    timing_file = out / "totp-timing.txt"
    timing_file.unlink(missing_ok=True)
    env = dict(os.environ, **{TOTP_TIMING_ENV: str(timing_file)})
    runs = {}
    for count in workers:
        print(f"  suite with {count or 1} worker(s)…", flush=True)
        runs[count] = run_suite(count, out / f"junit-{count or 1}w.xml", tags, env)
    serial = runs[workers[0]]
    slowest = max(serial.cases, key=lambda case: case.seconds, default=None)
    code_calls = [float(line) for line in timing_file.read_text().split()] if timing_file.exists() else []
    timing_file.unlink(missing_ok=True)
    figures: dict[str, Any] = {
        "tags": tags,
        "runs": {f"{count or 1}_workers": {"wall_seconds": run.wall_seconds, "exit_code": run.exit_code,
                                           "scenarios": len(run.cases),
                                           "failed": sum(c.outcome in ("failed", "error") for c in run.cases)}
                 for count, run in runs.items()},
        "scenario_seconds": {**summary(serial.durations()),
                             "slowest": slowest.nodeid if slowest else None},
        "totp": {"code_calls": len(code_calls), "seconds_in_code": sum(code_calls),
                 "longest_call_seconds": max(code_calls, default=0.0),
                 "waits": sum(seconds >= TOTP_WAIT_THRESHOLD for seconds in code_calls)},
    }
    if len(runs) == 2:
        one, two = (runs[count].wall_seconds for count in workers)
        figures["speedup_2_workers"] = one / two
    return figures


def run_bench(
    out: Path, messages: int = 30, quick: bool = False, tags: str | None = None, packs: list[TargetPack] | None = None
) -> dict[str, Any]:
    """Runs every measurement and writes out/bench.json."""
    out.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
                              "messages": messages}
    print("  services cold start…", flush=True)
    starts = cold_starts(out / "bench-logs", 3, packs or [])
    result["cold_start_seconds"] = {name: summary([s[name] for s in starts]) for name in starts[0]}
    print(f"  e-mail wait, {messages} messages per helper…", flush=True)
    mailpit = start_mailpit(out / "bench-logs")
    try:
        latencies = email_wait_latencies(mailpit, messages)
    finally:
        if mailpit.process is not None:
            mailpit.process.stop()
    result["email_wait_seconds"] = {mode: summary(values) for mode, values in latencies.items()}
    if not quick:
        result["suite"] = suite_figures(out, tags, [0, 2])
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def table(result: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    rows = [("measure", "value")]
    for name, figures in result["cold_start_seconds"].items():
        rows.append((f"cold start {name} (median of {figures['n']})", f"{figures['median']:.2f} s"))
    for mode, figures in result["email_wait_seconds"].items():
        rows.append((f"e-mail wait, {mode}: median / p95",
                     f"{figures['median'] * 1000:.0f} / {figures['p95'] * 1000:.0f} ms (n={figures['n']})"))
    suite = result.get("suite")
    if suite:
        for name, run in suite["runs"].items():
            rows.append((f"suite wall time, {name.replace('_workers', ' worker(s)')}",
                         f"{run['wall_seconds']:.1f} s ({run['scenarios']} scenarios, {run['failed']} failed)"))
        if "speedup_2_workers" in suite:
            rows.append(("speed-up 2 workers vs 1", f"{suite['speedup_2_workers']:.2f}×"))
        scenario = suite["scenario_seconds"]
        if scenario.get("n"):
            rows.append(("scenario time median / slowest", f"{scenario['median']:.2f} / {scenario['max']:.2f} s"))
            rows.append(("slowest scenario", str(scenario["slowest"]).split("::")[-1]))
        totp = suite["totp"]
        calls = f"{totp['code_calls']} code() calls, {totp['seconds_in_code'] * 1000:.1f} ms in all"
        rows.append(("TOTP window waits", f"{totp['waits']} (in {calls})"))
    width = max(len(row[0]) for row in rows)
    return "\n".join(f"{left.ljust(width)}  {right}" for left, right in rows)
