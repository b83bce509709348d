"""`herstelpad bench`: suite wall and CPU times per target and phase, e-mail wait latency, cold starts, TOTP waits."""

from __future__ import annotations

import ctypes
import json
import os
import random
import resource
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from herstelpad.authenticator import TOTP_TIMING_ENV
from herstelpad.mailbox import Mailbox, Mailpit
from herstelpad.pack import StartContext, TargetPack
from herstelpad.report.junit import JUNIT_FILE
from herstelpad.report.results import RESULTS_FILE, load_results
from herstelpad.secrets import mask
from herstelpad.services import MailpitEndpoints, start_mailpit
from herstelpad.settings import resolve
from herstelpad.tooling.benchphases import (
    PHASES_ENV,
    PLAYER_ENV,
    ROUND_ID,
    ROUNDS_ENV,
    TURN_TIMEOUT,
    TURNS_ENV,
    done_file,
    go_file,
    read_phases,
)
from herstelpad.waiting import WaitTimeout, pause, poll_until

TOTP_WAIT_THRESHOLD = 1.0  # a code() call this long could only be a wait for the next 30 s window
SEND_DELAY = (0.05, 0.15)  # the waiter is listening by then; spread over one 100 ms poll interval
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
ORPHANS_TIMEOUT = 30.0  # seconds the suite's leftover processes (Chromium's) get to end after pytest
PHASES = ("set-up", "provisioning", "steps", "screenshots", "recording", "teardown")  # per scenario, in order
# The first pack's suite (the reference portal's in `make bench`) is held against these figures from before issue 13
# (2 cores, 2026-11-25): median scenario and whole suite on one worker, quiet; CPU seconds per scenario on one worker
# (pytest, Chromium with its orphaned helpers, the portal and Mailpit) of the 17 @inloggen/@manier-1 scenarios, under
# load (load average 7-10: CPU seconds grow with contention, so a quiet run's figure is somewhat lower anyway).
EARLIER = {"median_scenario_seconds": 2.1, "suite_seconds": 107.0, "cpu_seconds_per_scenario": 5.9}
GOALS = {"median_scenario_seconds": 1.0, "suite_seconds": 60.0}
PEER_GOALS = {"every step": 1.25, "documentation": 1.05}  # issue 23: herstelpad's median / the bare script's, per pair


@dataclass
class Case:
    """One scenario of a suite run, as its report's model has it."""

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
    cpu_seconds: float = 0.0  # user + sys of pytest and every process below it (Chromium, targets, Mailpit)
    left_running: int = 0  # processes of the suite still running ORPHANS_TIMEOUT after pytest ended (then ended)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, summed over the scenarios
    scenarios: dict[str, dict[str, float]] = field(default_factory=dict)  # nodeid → seconds in all and per phase

    def durations(self) -> list[float]:
        """The run's scenario times, in seconds."""
        return [case.seconds for case in self.cases if case.outcome != "skipped"]


def adopt_orphans() -> bool:
    """Makes this process the reaper of its descendants' orphans (Linux), so that their CPU time is counted.

    Chromium's renderer and helper processes outlive the browser process that started them by a moment and are
    then re-parented; without this, getrusage(RUSAGE_CHILDREN) never sees their CPU seconds.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0


def _own_children() -> list[int]:
    """The process ids whose parent is this process (Linux /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                children.append(int(entry.name))
    return children


def reap_orphans(timeout: float = ORPHANS_TIMEOUT, keep: frozenset[int] = frozenset()) -> int:
    """Waits for every adopted process to end and reaps it (its CPU joins RUSAGE_CHILDREN); returns how many were
    still running at the deadline (those are ended, by their process id). The children in `keep` (services the bench
    started itself and still needs) are left running."""

    def left() -> list[int]:
        """The children still running, other than those to keep, after reaping every one that ended."""
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return []
            if pid == 0:
                break
        return [pid for pid in _own_children() if pid not in keep]

    try:
        poll_until(lambda: not left(), timeout=timeout, interval=0.05, what="the end of the suite's leftover processes",
                   describe=lambda: f"still running: {left()}")
        return 0
    except WaitTimeout:
        running = left()
        for pid in running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return len(running)


def child_cpu_seconds() -> float:
    """User + sys seconds of every ended and waited-for descendant so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_cases(reports: Path) -> list[Case]:
    """The scenarios a run in the reports folder ran, from its results.json (the report's model; none without it)."""
    if not (reports / RESULTS_FILE).exists():
        return []
    run = load_results(reports)
    cases = []
    for scenario in run.scenarios:
        if not run.is_earlier(scenario):
            lines = (scenario.error.message or scenario.error.title).strip().splitlines() if scenario.error else []
            cases.append(Case(scenario.nodeid, scenario.duration, scenario.status, lines[0][:300] if lines else ""))
    return cases


def scenario_phases(scenario: dict[str, Any], pytest_phases: dict[str, Any]) -> dict[str, float]:
    """Seconds per phase of one scenario that ran, from pytest's phases, the fixture timer and the report's steps.

    The steps ask for their fixtures when they run: the browser's fixtures (context, page) count as set-up wherever
    they are made; the background's steps (Achtergrond, where the people and their phones are made) as provisioning;
    the harness's work between and around the steps (the recorder, the report) as recording.
    """
    fixtures = pytest_phases.get("fixtures", {})
    browser = sum(bucket.get("browser", 0.0) for bucket in fixtures.values())
    seconds = dict.fromkeys(PHASES, 0.0)
    steps = 0.0
    for step in scenario["steps"]:
        own = step["duration"] - fixtures.get(str(step["line"]), {}).get("browser", 0.0)
        seconds["provisioning" if step["line"] < scenario["line"] else "steps"] += own
        seconds["screenshots"] += step.get("screenshot_seconds", 0.0)
        steps += step["duration"]
    seconds["set-up"] = pytest_phases.get("setup", 0.0) + browser
    seconds["recording"] = max(0.0, pytest_phases["call"] - steps - seconds["screenshots"])
    seconds["teardown"] = pytest_phases.get("teardown", 0.0)
    return seconds


def pictures_of(scenario: dict[str, Any]) -> int:
    """How many pictures a scenario's report shows (before and after its steps)."""
    return sum(bool(step.get("screenshot")) + bool(step.get("before")) for step in scenario["steps"])


def ran_scenarios(phases: dict[str, dict[str, Any]], results: Path) -> list[tuple[dict[str, Any], dict[str, float]]]:
    """The scenarios that ran (not skipped), each with its seconds per phase."""
    scenarios = json.loads(results.read_text(encoding="utf-8"))["scenarios"] if results.exists() else []
    return [(scenario, scenario_phases(scenario, phases[scenario["nodeid"]])) for scenario in scenarios
            if scenario["status"] != "skipped" and "call" in phases.get(scenario["nodeid"], {})]


@dataclass
class SuiteProcess:
    """A suite run under way: its pytest process, its own reports folder and where its output goes."""

    workers: int
    popen: subprocess.Popen[bytes]
    reports: tempfile.TemporaryDirectory[str]
    junit: Path
    started: float
    log: Any

    @property
    def phases_file(self) -> Path:
        """The bench plugin's lines of this run."""
        return Path(self.reports.name) / "phases.jsonl"


def start_suite(
    workers: int, junit: Path, tags: str | None = None, env: dict[str, str] | None = None,
    paths: tuple[str, ...] = ("steps",), extra: tuple[str, ...] = (),
) -> SuiteProcess:
    """Starts pytest on `paths` (0 workers: serial) with its own reports folder; finish_suite collects its figures."""
    junit.parent.mkdir(parents=True, exist_ok=True)
    junit.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider", "-p", "no:warnings",
           "-p", "herstelpad.tooling.benchphases", *extra]
    if workers:
        cmd += ["-n", str(workers)]
    if tags:
        cmd += ["-m", tags]
    reports = tempfile.TemporaryDirectory(prefix="herstelpad-bench-")
    phases_file = Path(reports.name) / "phases.jsonl"
    run_env = dict(os.environ if env is None else env, HERSTELPAD_REPORTS=reports.name, **{PHASES_ENV: str(phases_file)})
    log = junit.with_suffix(".log").open("w", encoding="utf-8")  # pytest's own output, to see a failure
    popen = subprocess.Popen(cmd, cwd=Path.cwd(), env=run_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    return SuiteProcess(workers, popen, reports, junit, time.monotonic(), log)


def finish_suite(suite: SuiteProcess, cpu: float) -> SuiteRun:
    """Waits for the run to end (the caller reaped it or not) and reads its times, cases and phases; `cpu` is its CPU."""
    exit_code = suite.popen.wait()
    wall = time.monotonic() - suite.started
    suite.log.close()
    reports = Path(suite.reports.name)
    try:
        phases = read_phases(suite.phases_file)
        ran = ran_scenarios(phases, reports / RESULTS_FILE)
        cases = read_cases(reports)
        if (reports / JUNIT_FILE).exists():
            shutil.copyfile(reports / JUNIT_FILE, suite.junit)
    finally:
        suite.reports.cleanup()
    totals = dict.fromkeys(PHASES, 0.0)
    for _, seconds in ran:
        for phase, value in seconds.items():
            totals[phase] += value
    per_scenario = {scenario["nodeid"]: {"seconds": sum(phases[scenario["nodeid"]].get(when, 0.0)
                                                       for when in ("setup", "call", "teardown")), **seconds,
                                         "pictures": pictures_of(scenario)}
                    for scenario, seconds in ran}
    return SuiteRun(suite.workers, exit_code, wall, cases, cpu, 0, totals, per_scenario)


def run_suite(
    workers: int, junit: Path, tags: str | None = None, env: dict[str, str] | None = None,
    paths: tuple[str, ...] = ("steps",), extra: tuple[str, ...] = (), keep: frozenset[int] = frozenset(),
) -> SuiteRun:
    """Runs pytest on `paths` once (0 workers: serial) with its own reports folder; times, CPU seconds and cases.

    The run's JUnit XML (the report's, written from its model) is kept as `junit`.
    """
    adopt_orphans()
    cpu_before = child_cpu_seconds()
    suite = start_suite(workers, junit, tags, env, paths, extra)
    suite.popen.wait()
    left = reap_orphans(keep=keep)
    run = finish_suite(suite, child_cpu_seconds() - cpu_before)
    run.left_running = left
    return run


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

                def send_later(to: str = address, after: float = delay) -> None:
                    pause(after)
                    send_mail(mailpit, to, "bench")

                sender = threading.Thread(target=send_later)
                sender.start()
                email = Mailbox(client, address).wait_for("bench", timeout=10)
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


def suite_of(pack: TargetPack) -> tuple[str, ...]:
    """The scenarios of a pack: the folder the pack names (TargetPack.scenario_folder), relative where it can be."""
    folder = pack.scenario_folder()
    return (str(folder.relative_to(Path.cwd())) if folder.is_relative_to(Path.cwd()) else str(folder),)


def run_figures(run: SuiteRun) -> dict[str, Any]:
    """Wall time, CPU seconds (in all and per scenario) and outcomes of one suite run."""
    ran = len(run.durations())
    return {"wall_seconds": run.wall_seconds, "exit_code": run.exit_code, "scenarios": len(run.cases),
            "ran": ran, "failed": sum(c.outcome in ("failed", "error") for c in run.cases),
            "cpu_seconds": run.cpu_seconds, "cpu_seconds_per_scenario": run.cpu_seconds / ran if ran else None,
            "left_running": run.left_running}


def suite_figures(out: Path, tags: str | None, workers: list[int], name: str = "steps",
                  paths: tuple[str, ...] = ("steps",)) -> dict[str, Any]:
    """Runs one target's suite once per worker count: wall and CPU time, scenario times, phases, TOTP waits."""
    timing_file = out / f"totp-timing-{name}.txt"
    timing_file.unlink(missing_ok=True)
    env = dict(os.environ, **{TOTP_TIMING_ENV: str(timing_file)})
    runs = {}
    for count in workers:
        print(f"  {name}: suite with {count or 1} worker(s)…", flush=True)
        runs[count] = run_suite(count, out / f"junit-{name}-{count or 1}w.xml", tags, env, paths)
    serial = runs[workers[0]]
    slowest = max(serial.cases, key=lambda case: case.seconds, default=None)
    code_calls = [float(line) for line in timing_file.read_text().split()] if timing_file.exists() else []
    timing_file.unlink(missing_ok=True)
    ran = len(serial.durations())
    figures: dict[str, Any] = {
        "paths": list(paths),
        "tags": tags,
        "runs": {f"{count or 1}_workers": run_figures(run) for count, run in runs.items()},
        "scenario_seconds": {**summary(serial.durations()),
                             "slowest": slowest.nodeid if slowest else None},
        "phase_seconds_per_scenario": {phase: seconds / ran for phase, seconds in serial.phases.items()} if ran else {},
        "totp": {"code_calls": len(code_calls), "seconds_in_code": sum(code_calls),
                 "longest_call_seconds": max(code_calls, default=0.0),
                 "waits": sum(seconds >= TOTP_WAIT_THRESHOLD for seconds in code_calls)},
    }
    if len(runs) == 2:
        one, two = (runs[count] for count in workers)
        figures["speedup_2_workers"] = one.wall_seconds / two.wall_seconds
        figures["cpu_ratio_2_workers"] = two.cpu_seconds / one.cpu_seconds if one.cpu_seconds else None
    return figures


# --- the peer: a bare Playwright script beside the matching herstelpad scenarios ---------------


def peer_scenarios(script: Path) -> dict[str, str]:
    """The peer script's flows, each with the node id of the herstelpad scenario it matches (`script --scenarios`)."""
    done = subprocess.run([sys.executable, str(script), "--scenarios"], capture_output=True, text=True,  # noqa: S603
                          timeout=60, check=False)
    if done.returncode != 0:
        raise PeerError(f"{script} --scenarios failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    scenarios: dict[str, str] = json.loads(done.stdout)
    return scenarios


class PeerError(RuntimeError):
    """The peer script could not run or gave no figures."""


def chromium_for_peer() -> str | None:
    """The Chromium herstelpad launches (the configured one, else Playwright's own, else the system's)."""
    from playwright.sync_api import sync_playwright

    from herstelpad.locate import existing, find_browser

    with sync_playwright() as playwright:
        found = find_browser(lambda: existing(playwright.chromium.executable_path))
    return found.path if found is not None else None


def peer_command(script: Path, rounds: int, flows: list[str], out: Path, turns: Path, player: str) -> list[str]:
    """The peer script's command line: `rounds` rounds of its flows, taking turns as `player`."""
    from herstelpad.locate import CHROMIUM_ARGS

    browser = chromium_for_peer()
    return [sys.executable, str(script), "--rounds", str(rounds), "--out", str(out), *(f"--flow={f}" for f in flows),
            *(["--browser-path", browser] if browser else []), *(f"--chromium-arg={arg}" for arg in CHROMIUM_ARGS),
            "--turns", str(turns), "--player", player]


def cpu_of(popen: subprocess.Popen[Any]) -> float:
    """Waits for a child and returns the CPU seconds (user + sys) of it and the children it waited for (0 when a poll
    already reaped it: a player that ended early)."""
    try:
        _, status, usage = os.wait4(popen.pid, 0)
    except ChildProcessError:
        popen.wait()
        return 0.0
    popen.returncode = os.waitstatus_to_exitcode(status)
    return float(usage.ru_utime + usage.ru_stime)


def take_turns(turns: Path, players: dict[str, subprocess.Popen[Any]], rounds: int,
               logs: dict[str, Path] | None = None) -> None:
    """Hands out the rounds: round 1 to each player in turn, then round 2, …; a player that ends early stops it
    (the error quotes the end of its log, when `logs` has one)."""
    for number in range(1, rounds + 1):
        for player, process in players.items():
            go_file(turns, player, number).touch()
            done = done_file(turns, player, number)
            def over(done: Path = done, process: subprocess.Popen[Any] = process) -> bool | None:
                return done.exists() or process.poll() is not None or None

            try:
                poll_until(over, timeout=TURN_TIMEOUT, interval=0.02, what=f"round {number} of {player}")
            except WaitTimeout as exc:
                raise PeerError(f"{player} did not finish round {number} within {TURN_TIMEOUT:g} s") from exc
            if not done.exists():
                log = (logs or {}).get(player)
                tail = log.read_text(encoding="utf-8", errors="replace").strip()[-1500:] if log and log.exists() else ""
                raise PeerError(f"{player} ended ({process.poll()}) before finishing round {number} of {rounds}"
                                + (f"; the end of its log ({log}):\n{mask(tail)}" if tail else ""))


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of every figure over some runs of one flow."""
    return {key: statistics.median(run.get(key, 0.0) for run in runs) for key in ("seconds", *PHASES, "pictures")}


def screenshot_variants() -> dict[str, tuple[str, ...]]:
    """The herstelpad runs beside the peer: every step pictured (the default), the documentation policy, and that
    policy with a new browser context per scenario as the bare script makes one (what the harness costs when it
    does what the script does; herstelpad keeps a cleaned context instead, herstelpad/contexts.py)."""
    from herstelpad.settings import DOCUMENTATION, FRESH_CONTEXT

    documentation = f"--herstelpad-screenshots={DOCUMENTATION}"
    return {"every step": (), "documentation": (documentation,),
            "documentation, new context": (documentation, f"--herstelpad-context={FRESH_CONTEXT}")}


def pair_figures(out: Path, script: Path, pack: TargetPack, rounds: int, variants: dict[str, tuple[str, ...]],
                 flows: list[str] | None = None) -> dict[str, Any]:
    """The peer's flows (or those named) and the matching herstelpad scenarios, `rounds` times each between a warm-up
    round and a last round (neither counted), in one run against one running target and Mailpit: medians, ratios and
    the medians per phase."""
    scenarios = peer_scenarios(script)
    unknown = sorted(set(flows or []) - set(scenarios))
    if unknown:
        raise PeerError(f"the peer script has no flow {unknown[0]!r}; it has {sorted(scenarios)}")
    scenarios = {flow: nodeid for flow, nodeid in scenarios.items() if not flows or flow in flows}
    log_dir = out / "bench-logs"
    mailpit = start_mailpit(log_dir)
    target = None
    try:
        target = pack.start(StartContext(resolve({}), mailpit, log_dir, private=True))
        env = {key: value for key, value in os.environ.items() if not key.startswith(("HERSTELPAD_", "PYTEST_XDIST"))}
        env.update(HERSTELPAD_TARGET_URL=target.url, HERSTELPAD_TARGET_TOKEN=str(target.details.get("token") or ""),
                   HERSTELPAD_MAILPIT_URL=mailpit.url, HERSTELPAD_MAILPIT_SMTP=f"{mailpit.smtp_host}:{mailpit.smtp_port}")
        total = rounds + 2  # a warm-up round (the session's start) and a last one (its teardown ends the session)
        services = frozenset(p.popen.pid for p in [*target.processes, *([mailpit.process] if mailpit.process else [])])
        print(f"  peer: the bare Playwright script and the matching herstelpad scenarios ({', '.join(variants)}), "
              f"{total} rounds of {len(scenarios)} flows, taking turns round by round…", flush=True)
        with tempfile.TemporaryDirectory(prefix="herstelpad-turns-") as folder:
            turns = Path(folder)
            adopt_orphans()
            with (out / "peer.log").open("w", encoding="utf-8") as peer_log:
                bare_process = subprocess.Popen(  # noqa: S603
                    peer_command(script, total, list(scenarios), out / "peer.json", turns, "bare"),
                    env=env, stdout=subprocess.DEVNULL, stderr=peer_log)
            suites = {variant: start_suite(0, out / f"junit-peer-{variant}.xml", None,
                                           {**env, ROUNDS_ENV: str(total), TURNS_ENV: folder,
                                            PLAYER_ENV: f"herstelpad-{index}"}, tuple(scenarios.values()), extra)
                      for index, (variant, extra) in enumerate(variants.items())}
            players: dict[str, subprocess.Popen[Any]] = {"bare": bare_process}
            players.update({f"herstelpad-{index}": suite.popen for index, suite in enumerate(suites.values())})
            started = time.monotonic()
            try:
                take_turns(turns, players, total, {"bare": out / "peer.log"} | {
                    f"herstelpad-{index}": suite.junit.with_suffix(".log") for index, suite in enumerate(suites.values())})
            except BaseException:
                for process in players.values():  # the others wait for a turn that will not come
                    process.kill()
                raise
            finally:
                bare_cpu = cpu_of(bare_process)
                wall = time.monotonic() - started  # of the three together, taking turns
                runs = {variant: finish_suite(suite, cpu_of(suite.popen)) for variant, suite in suites.items()}
                reap_orphans(keep=services)
            if bare_process.returncode != 0 or not (out / "peer.json").exists():
                stderr = (out / "peer.log").read_text(encoding="utf-8", errors="replace")
                raise PeerError(f"the peer script {script} failed ({bare_process.returncode}): {stderr.strip()[-600:]}")
            bare = json.loads((out / "peer.json").read_text(encoding="utf-8"))
    finally:
        if target is not None:
            target.stop(keep_logs=False)
        if mailpit.process is not None:
            mailpit.process.stop()
    figures: dict[str, Any] = {"rounds": rounds, "scenarios": scenarios, "wall_seconds": wall,
                               "bare_cpu_seconds": bare_cpu, "bare_browser_start_seconds": bare["browser_start_seconds"],
                               "variants": {}}
    for variant, run in runs.items():
        flow_figures: dict[str, Any] = {}
        for flow, nodeid in scenarios.items():
            bare_runs = [{"seconds": r["seconds"], **r["phases"]} for r in bare["flows"][flow][1:-1]]
            measured = {f"[{ROUND_ID.format(number)}]" for number in range(2, total)}
            ours = [seconds for key, seconds in run.scenarios.items()
                    if key.split("[")[0] == nodeid and key[len(nodeid):] in measured]
            if not bare_runs or not ours:
                flow_figures[flow] = {"error": f"no figures (bare: {len(bare_runs)}, herstelpad: {len(ours)} runs)"}
                continue
            peer, harness = _medians(bare_runs), _medians(ours)
            flow_figures[flow] = {"bare": peer, "herstelpad": harness, "ratio": harness["seconds"] / peer["seconds"],
                           "n": [len(bare_runs), len(ours)]}
        figures["variants"][variant] = {"flows": flow_figures, "exit_code": run.exit_code, "wall_seconds": run.wall_seconds,
                                        "cpu_seconds": run.cpu_seconds,
                                        "failed": [c.nodeid for c in run.cases if c.outcome in ("failed", "error")]}
    return figures


def run_bench(
    out: Path, messages: int = 30, quick: bool = False, tags: str | None = None, packs: list[TargetPack] | None = None,
    starts: int = 3, peer: Path | None = None, rounds: int = 5, peer_flows: list[str] | None = None,
) -> dict[str, Any]:
    """Runs every measurement and writes out/bench.json (the suite once per pack, else all of `steps`; the peer
    script beside its scenarios against the first pack's target, also when `quick`)."""
    out.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
                              "load_average": os.getloadavg(), "messages": messages,
                              "earlier": EARLIER, "goals": GOALS}
    print("  services cold start…", flush=True)
    started = cold_starts(out / "bench-logs", starts, packs or [])
    result["cold_start_seconds"] = {name: summary([s[name] for s in started]) for name in started[0]}
    print(f"  e-mail wait, {messages} messages per helper…", flush=True)
    mailpit = start_mailpit(out / "bench-logs")
    try:
        latencies = email_wait_latencies(mailpit, messages)
    finally:
        if mailpit.process is not None:
            mailpit.process.stop()
    result["email_wait_seconds"] = {mode: summary(values) for mode, values in latencies.items()}
    if peer is not None:
        if not packs:
            raise PeerError("the peer script needs a pack to start its target (--pack)")
        result["peer"] = pair_figures(out, peer, packs[0], rounds, screenshot_variants(), peer_flows)
    if not quick:
        suites = {pack.name: suite_of(pack) for pack in packs or []}
        result["suites"] = {name: suite_figures(out, tags, [0, 2], name, paths)
                            for name, paths in (suites or {"steps": ("steps",)}).items()}
        result["load_average_after"] = os.getloadavg()
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def peer_rows(peer: dict[str, Any]) -> list[tuple[str, str]]:
    """The table rows of the peer beside herstelpad: each pair's medians and ratio, then where the difference goes."""
    counted = (f"{peer['rounds']} (+ a warm-up and a last round; the bare script's browser start "
               f"{peer['bare_browser_start_seconds']:.2f} s is in no flow)")
    rows = [("peer: rounds counted", counted)]
    for variant, figures in peer["variants"].items():
        goal = PEER_GOALS.get(variant)
        for flow, pair in figures["flows"].items():
            if "error" in pair:
                rows.append((f"peer ({variant}): {flow}", pair["error"]))
                continue
            bare, ours = pair["bare"], pair["herstelpad"]
            text = f"{bare['seconds']:.2f} s / {ours['seconds']:.2f} s: {pair['ratio']:.2f}×"
            if goal:
                text += f" (goal ≤ {goal:.2f}×: {_goal(pair['ratio'], goal)})"
            rows.append((f"peer ({variant}): {flow}, bare / herstelpad median", text))
            where = ", ".join(f"{phase} {bare[phase]:.2f}/{ours[phase]:.2f}" for phase in PHASES)
            where += f"; {ours['pictures']:.0f} pictures"
            rows.append((f"peer ({variant}): {flow}, per phase bare/herstelpad (s)", where))
        if figures["failed"] or figures["exit_code"]:
            failed = ", ".join(figures["failed"]) or "none"
            rows.append((f"peer ({variant}): herstelpad run", f"exit code {figures['exit_code']}, failed: {failed}"))
    return rows


def _goal(value: float, goal: float) -> str:
    """'met' or 'not met' for a figure that must stay at or below its goal."""
    return "goal met" if value <= goal else "goal not met"


def suite_rows(name: str, suite: dict[str, Any], earlier: dict[str, float], goals: dict[str, float],
               reference: bool) -> list[tuple[str, str]]:
    """The table rows of one target's suite figures."""
    rows = []
    for key, run in suite["runs"].items():
        workers = key.replace("_workers", " worker(s)")
        wall = f"{run['wall_seconds']:.1f} s ({run['scenarios']} scenarios, {run['failed']} failed)"
        if reference and key == "1_workers":
            wall += (f"; earlier {earlier['suite_seconds']:.0f} s, goal ≤ {goals['suite_seconds']:.0f} s: "
                     f"{_goal(run['wall_seconds'], goals['suite_seconds'])}")
        rows.append((f"{name}: suite wall time, {workers}", wall))
        per = run["cpu_seconds_per_scenario"]
        cpu = f"{run['cpu_seconds']:.1f} s, {per:.2f} s per scenario" if per else f"{run['cpu_seconds']:.1f} s"
        if reference and key == "1_workers" and per:
            halved = earlier["cpu_seconds_per_scenario"] / 2
            cpu += (f"; earlier {earlier['cpu_seconds_per_scenario']:.1f} s under load, goal ≤ {halved:.2f} s: "
                    f"{_goal(per, halved)}")
        if run["left_running"]:
            cpu += f" ({run['left_running']} processes still running {ORPHANS_TIMEOUT:.0f} s after pytest, ended)"
        rows.append((f"{name}: CPU seconds (user+sys, all processes), {workers}", cpu))
    if "speedup_2_workers" in suite:
        ratio = suite.get("cpu_ratio_2_workers")
        rows.append((f"{name}: speed-up 2 workers vs 1 / CPU 2 vs 1",
                     f"{suite['speedup_2_workers']:.2f}× / {ratio:.2f}×" if ratio else f"{suite['speedup_2_workers']:.2f}×"))
    scenario = suite["scenario_seconds"]
    if scenario.get("n"):
        median = f"{scenario['median']:.2f} / {scenario['max']:.2f} s"
        if reference:
            median += (f"; earlier median {earlier['median_scenario_seconds']:.1f} s, goal ≤ "
                       f"{goals['median_scenario_seconds']:.1f} s: "
                       f"{_goal(scenario['median'], goals['median_scenario_seconds'])}")
        rows.append((f"{name}: scenario time median / slowest", median))
        rows.append((f"{name}: slowest scenario", str(scenario["slowest"]).split("::")[-1]))
    for phase, seconds in suite.get("phase_seconds_per_scenario", {}).items():
        rows.append((f"{name}: per scenario, {phase}", f"{seconds:.3f} s"))
    totp = suite["totp"]
    calls = f"{totp['code_calls']} code() calls, {totp['seconds_in_code'] * 1000:.1f} ms in all"
    rows.append((f"{name}: TOTP window waits", f"{totp['waits']} (in {calls})"))
    return rows


def table(result: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    rows = [("measure", "value")]
    for name, figures in result["cold_start_seconds"].items():
        rows.append((f"cold start {name} (median of {figures['n']})", f"{figures['median']:.2f} s"))
    for mode, figures in result["email_wait_seconds"].items():
        rows.append((f"e-mail wait, {mode}: median / p95",
                     f"{figures['median'] * 1000:.0f} / {figures['p95'] * 1000:.0f} ms (n={figures['n']})"))
    if "peer" in result:
        rows += peer_rows(result["peer"])
    for number, (name, suite) in enumerate(result.get("suites", {}).items()):
        rows += suite_rows(name, suite, result["earlier"], result["goals"], reference=number == 0)
    if "load_average_after" in result:
        loads = [" ".join(f"{value:.1f}" for value in result[key]) for key in ("load_average", "load_average_after")]
        rows.append(("load average (1/5/15 min) before / after", " / ".join(loads)))
    width = max(len(row[0]) for row in rows)
    return "\n".join(f"{left.ljust(width)}  {right}" for left, right in rows)
