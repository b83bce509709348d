"""The `herstelpad` command: run the scenarios, serve the reference portal, rebuild the report."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from herstelpad.locate import (
    SetupError,
    browser_install_hint,
    find_browser,
    find_mailpit,
    mailpit_install_hint,
)
from herstelpad.settings import SETTINGS, TRACES_DIR, Settings, SettingsError, reports_path, resolve


def _fail(message: str, code: int = 2) -> int:
    """Prints one clear line on stderr and returns the exit code."""
    print(f"herstelpad: {message}", file=sys.stderr)
    return code


PACK_ENV = "HERSTELPAD_PACK"


def reports_dir() -> Path:
    """The reports folder of the commands that take no pytest options: HERSTELPAD_REPORTS, else ./reports."""
    return reports_path(None, Path.cwd())


def options_in(extra: list[str]) -> dict[str, str]:
    """herstelpad's settings given as pytest options after `--` (`--herstelpad-x v` or `--herstelpad-x=v`)."""
    names = {setting.option: name for name, setting in SETTINGS.items()} | {"--base-url": "target_url"}
    found: dict[str, str] = {}
    for index, arg in enumerate(extra):
        option, equals, value = arg.partition("=")
        if option in names and (equals or index + 1 < len(extra)):
            found.setdefault(names[option], value if equals else extra[index + 1])
    return found


def preflight(settings: Settings) -> str | None:
    """Checks the browser and Mailpit before a run; returns the problem or None."""
    try:
        remote = settings.remote_browser
        # whether there is a Chromium at all (pytest picks which): the system's is found without starting a
        # Playwright driver (a second of CPU), which is asked for its own build only when there is none
        if not (remote or settings.browser_path) and find_browser(own=lambda: None) is None and find_browser() is None:
            return browser_install_hint()
        if not settings.mailpit_url and find_mailpit() is None:
            return mailpit_install_hint()
    except SetupError as exc:
        return str(exc)
    return None


def pytest_command(args: argparse.Namespace, extra: list[str], reports: Path = Path("reports")) -> list[str]:
    """Builds the pytest command line of a scenario run that writes its report to `reports`."""
    paths = args.paths or scenario_paths(getattr(args, "pack", None) or [])
    cmd = [sys.executable, "-m", "pytest", *paths, "-v", "--tb=short"]  # junit.xml: the report's
    if args.tags:
        cmd += ["-m", args.tags]
    if args.workers:
        cmd += ["-n", args.workers]
    if args.tracing and "--tracing" not in extra:
        cmd += ["--tracing", "retain-on-failure"]  # the plugin redacts each kept trace
    if not any(arg == "--output" or arg.startswith("--output=") for arg in extra):
        cmd += [f"--output={reports / TRACES_DIR}"]  # in reports/, so the report's links work wherever it is published
    return cmd + extra


def cmd_run(args: argparse.Namespace, extra: list[str]) -> int:
    """Runs the scenarios and writes the report."""
    try:
        settings = resolve(options_in(extra))
    except SettingsError as exc:
        return _fail(str(exc))
    problem = preflight(settings)
    if problem:
        return _fail(problem)
    cmd = pytest_command(args, extra, settings.reports)
    print("herstelpad: " + " ".join(cmd[2:]), flush=True)
    code = subprocess.call(cmd)  # noqa: S603 - our own interpreter and pytest
    report = settings.reports / "index.html"
    if code > 1:  # interrupted, stopped by herstelpad, a usage error, nothing selected: no report to read
        print(f"herstelpad: the run stopped (pytest exit code {code}); see the message above.", flush=True)
        return code
    verdict = "all scenarios passed" if code == 0 else "some scenarios failed"
    print(f"herstelpad: {verdict}. Report: {report}", flush=True)
    return code


def _interrupt(_signum: int, _frame: object) -> None:
    """Turns SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt


def load_pack(spec: str | None) -> Any:
    """The pack named `spec` (installed, or fixtures/<spec>/pack.py of this repository), or `module[:NAME]`."""
    from herstelpad.pack import PackError, find_pack, pack_names, repository_root

    if not spec:
        names = ", ".join(pack_names(repository_root(Path.cwd()))) or "none here"
        raise SettingsError(f"name the target pack: --pack NAME or {PACK_ENV} (packs here: {names}).")
    try:
        return find_pack(spec)
    except PackError as exc:
        raise SettingsError(f"--pack {spec}: {exc}") from None


def scenario_paths(specs: list[str]) -> list[str]:
    """The scenario folders of these packs, or of every pack of this repository (relative where they can be)."""
    from herstelpad.pack import repository_packs, repository_root

    names = specs or list(repository_packs(repository_root(Path.cwd())))
    here = Path.cwd().resolve()
    folders = [load_pack(name).scenario_folder() for name in names]
    return [(folder.relative_to(here).as_posix() if folder.is_relative_to(here) else str(folder))
            for folder in folders if folder.is_dir()]


def cmd_serve(args: argparse.Namespace, _extra: list[str]) -> int:
    """Starts Mailpit and a pack's target (with its demo people, if any), until Ctrl-C."""
    from herstelpad.http import shown_url
    from herstelpad.pack import PackError, StartContext
    from herstelpad.services import ServiceError, connect_mailpit, start_mailpit

    mailpit = target = None
    try:
        settings = resolve({})
        pack = load_pack(args.pack or os.environ.get(PACK_ENV))
        if settings.mailpit_url:
            mailpit = connect_mailpit(settings.mailpit_url, settings.mailpit_smtp)
        else:
            mailpit = start_mailpit(settings.reports / "logs")
        print(f"  Mailpit: {shown_url(mailpit.url)}", flush=True)
        target = pack.start(StartContext(settings, mailpit, settings.reports / "logs"))
        print(f"  {pack.title or pack.name}: {target.url} (ready in {target.ready_seconds:.1f} s)", flush=True)
        print(pack.demo(target, shown_url(mailpit.url)), flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        signal.pause()
    except (SettingsError, ServiceError, PackError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        if target is not None:
            target.stop(keep_logs=True)
        if mailpit is not None and mailpit.process is not None:
            mailpit.process.stop()
    return 0


def cmd_browser_server(args: argparse.Namespace, _extra: list[str]) -> int:
    """Starts a Playwright browser server on this machine's Chromium, until Ctrl-C."""
    from herstelpad.tooling.browser_server import (
        BrowserServerError,
        cause,
        start_browser_server,
    )

    try:
        server = start_browser_server(host=args.host, port=args.port)
    except (SetupError, BrowserServerError) as exc:
        return _fail(str(exc))
    with server:
        print(f"herstelpad: Playwright browser server ({server.browser.how}, {server.browser.path})", flush=True)
        print(f"  {server.ws_endpoint}", flush=True)
        print(f"  elsewhere: herstelpad run -- --herstelpad-ws-endpoint {server.ws_endpoint}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            code = server.process.wait()
        except KeyboardInterrupt:
            return 0
    return _fail(f"the browser server stopped by itself (exit code {code}): {cause(server.output)}")


def cmd_grid(args: argparse.Namespace, _extra: list[str]) -> int:
    """Starts a Selenium Grid 4 here (a hub and its nodes, on 127.0.0.1), until Ctrl-C."""
    from herstelpad.grid import GridError
    from herstelpad.tooling.local_grid import start_local_grid

    print(f"herstelpad: starting a Selenium Grid hub and {args.nodes} node(s) (logs in {reports_dir() / 'logs'})", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        grid = start_local_grid(reports_dir() / "logs", nodes=args.nodes, port=args.port,
                                session_timeout=args.session_timeout)
    except (SetupError, GridError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 0  # the grid's processes were stopped while starting
    with grid:
        print(f"  {grid.url}", flush=True)
        print(f"  run through it: herstelpad run -n {args.nodes} -- --herstelpad-grid-url {grid.url}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        try:
            code = grid.hub.popen.wait()
        except KeyboardInterrupt:
            return 0
    return _fail(f"the grid's hub stopped by itself (exit code {code}); its log: {grid.hub.log_path}")


def cmd_report(args: argparse.Namespace, _extra: list[str]) -> int:
    """Rebuilds reports/index.html from the last results, or from the merged results of CI shards."""
    from herstelpad.report import MergeError, merge, rebuild
    from herstelpad.report.results import RESULTS_FILE, run_files

    reports = reports_dir()
    if args.reset_history:
        from herstelpad.report.history import reset_history

        print(f"herstelpad: history started afresh ({reset_history(reports)} earlier runs forgotten)")
        if not (reports / RESULTS_FILE).exists() and not run_files(reports):
            return 0
    if args.merge:
        try:
            path = merge(reports, [Path(folder) for folder in args.merge])
        except MergeError as exc:
            return _fail(str(exc))
        print(f"herstelpad: {len(args.merge)} report folders merged; report {path}")
        return 0
    if not (reports / RESULTS_FILE).exists() and not run_files(reports):
        return _fail(f"no results in {reports} to build a report from. Run `herstelpad run` first.")
    path = rebuild(reports)
    print(f"herstelpad: report {path}")
    return 0


def cmd_init(args: argparse.Namespace, _extra: list[str]) -> int:
    """Writes a new pack (its three folders and a conftest) in this folder."""
    from herstelpad.scaffold import ScaffoldError, init_pack

    try:
        written = init_pack(args.name, args.url, Path.cwd())
    except ScaffoldError as exc:
        return _fail(str(exc))
    for path in written:
        print(f"  {path.relative_to(Path.cwd())}")
    print(f"herstelpad: pack {args.name} written. Run its first scenario: herstelpad run --pack {args.name}", flush=True)
    return 0


def cmd_install(_args: argparse.Namespace, _extra: list[str]) -> int:
    """Installs what is missing (browser, Mailpit) and says what will be used."""
    from herstelpad.tooling.install import main

    return main()


def cmd_bench(args: argparse.Namespace, _extra: list[str]) -> int:
    """Measures the suite, the e-mail wait, the services' cold start and TOTP waits; writes bench.json."""
    from herstelpad.services import ServiceError
    from herstelpad.tooling.bench import PeerError, run_bench, table

    out = reports_dir()
    print("herstelpad bench" + (" (quick: no suite timings)" if args.quick else ""), flush=True)
    try:
        packs = [load_pack(spec) for spec in args.pack or []]
        result = run_bench(out, messages=args.messages, quick=args.quick, tags=args.tags, packs=packs,
                           starts=args.starts, peer=args.peer, rounds=args.rounds, peer_flows=args.peer_flow)
    except (ServiceError, SettingsError, PeerError) as exc:
        return _fail(str(exc))
    print(table(result))
    print(f"herstelpad: figures in {out / 'bench.json'}")
    return 0


def cmd_soak(args: argparse.Namespace, _extra: list[str]) -> int:
    """Reruns the suite and lists flaky scenarios (failed in some runs, passed in others)."""
    from herstelpad.tooling.soak import report, run_soak

    try:
        problem = preflight(resolve({}))
    except SettingsError as exc:
        problem = str(exc)
    if problem:
        return _fail(problem)
    out = reports_dir() / "soak"
    result = run_soak(out, args.runs, int(args.workers), args.tags)
    print(report(result))
    print(f"herstelpad: JUnit files and soak-{result['workers']}w.json in {out}")
    return 1 if result["flaky"] or result["always_failed"] else 0


def _count(text: str) -> int:
    """A positive whole number from the command line."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _bounded(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, with a one-line message otherwise."""

    def parse(text: str) -> int:
        """The number, or an ArgumentTypeError naming the range."""
        if not text.isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what} (a whole number from {low} to {high})")
        return int(text)

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The command line of `herstelpad`."""
    parser = argparse.ArgumentParser(
        prog="herstelpad",
        description="Scenarios of the recovery paths of a two-factor login, as living documentation.",
        epilog="Settings come from HERSTELPAD_* environment variables; see `pytest --help` "
        "(group herstelpad) for the options.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run the scenarios and write reports/ (extra args go to pytest)")
    run.add_argument("paths", nargs="*", help="scenario folders or files (default: the scenarios of --pack, else of every pack here)")
    run.add_argument("--pack", action="append", metavar="NAME", help="run this pack's scenarios (repeatable)")
    run.add_argument("--tags", help="tag expression, e.g. 'manier-1 and not beveiliging'")
    run.add_argument("-n", "--workers", help="parallel workers (a number or 'auto')")
    run.add_argument(
        "--no-tracing", dest="tracing", action="store_false",
        help="do not keep a Playwright trace of each failing scenario (kept, redacted, in reports/traces/ by default)",
    )
    run.set_defaults(func=cmd_run)
    init = sub.add_parser("init", help="write a new pack here: features/NAME, steps/NAME, fixtures/NAME and a conftest")
    init.add_argument("name", help="the pack's name (lower-case letters, digits, _): its three folders' name")
    init.add_argument("--url", required=True, help="the target's login page, for the first scenario")
    init.set_defaults(func=cmd_init)
    serve = sub.add_parser("serve", help="start Mailpit and a target pack's target (with demo people), to explore by hand")
    serve.add_argument("--pack", metavar="NAME", help=f"the pack: its name (or MODULE[:OBJECT]; default: {PACK_ENV})")
    serve.set_defaults(func=cmd_serve)
    server = sub.add_parser(
        "browser-server", help="serve this machine's Chromium as a Playwright browser server (for --herstelpad-ws-endpoint)"
    )
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1; 0.0.0.0 for other machines)")
    server.add_argument("--port", type=_bounded(0, 65535, "a port"), default=0, help="port (0: any free one)")
    server.set_defaults(func=cmd_browser_server)
    grid = sub.add_parser("grid", help="start a Selenium Grid 4 here, a hub and two nodes (for --herstelpad-grid-url)")
    grid.add_argument("--nodes", type=_bounded(1, 8, "a number of nodes"), default=2, help="nodes, one Chromium each (2)")
    grid.add_argument("--port", type=_bounded(0, 65535, "a port"), default=4444, help="the hub's port (4444; 0: any free one)")
    grid.add_argument("--session-timeout", type=_bounded(10, 86400, "a number of seconds"), default=300,
                      help="seconds a node keeps a session that gets no WebDriver command (300)")
    grid.set_defaults(func=cmd_grid)
    report = sub.add_parser("report", help="rebuild reports/index.html from the last results")
    report.add_argument("--merge", nargs="+", metavar="DIR",
                        help="first merge these finished report folders (CI shards) into one run")
    report.add_argument("--reset-history", action="store_true",
                        help="forget the earlier runs (trend, flaky marks) before rebuilding: the history starts afresh")
    report.set_defaults(func=cmd_report)
    sub.add_parser("install", help="install what is missing: Chromium, Mailpit").set_defaults(func=cmd_install)
    bench = sub.add_parser("bench", help="benchmark figures, printed and in reports/bench.json")
    bench.add_argument("--quick", action="store_true", help="skip the two runs of the whole suite")
    bench.add_argument("--messages", type=_count, default=30, help="e-mails per helper for the wait (30)")
    bench.add_argument("--tags", help="time only the scenarios with these tags")
    bench.add_argument("--starts", type=_count, default=3, help="cold starts per service (3; Keycloak's take long)")
    bench.add_argument("--peer", type=Path, metavar="SCRIPT",
                       help="a bare Playwright script to run beside its herstelpad scenarios, against the first pack")
    bench.add_argument("--rounds", type=_count, default=5, help="counted rounds of the peer and its scenarios (5)")
    bench.add_argument("--peer-flow", action="append", metavar="NAME", help="only this flow of the peer (repeatable)")
    bench.add_argument("--pack", nargs="*", metavar="NAME", help="target packs whose cold start and scenarios to time")
    bench.set_defaults(func=cmd_bench)
    soak = sub.add_parser("soak", help="rerun the suite N times and list flaky scenarios (reports/soak/)")
    soak.add_argument("--runs", type=_count, required=True, help="how many runs")
    soak.add_argument("-n", "--workers", type=_bounded(0, 64, "a number of workers"), default=0, metavar="N",
                      help="parallel workers per run (0: serial)")
    soak.add_argument("--tags", help="tag expression: soak only these scenarios")
    soak.set_defaults(func=cmd_soak)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `herstelpad` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    args = build_parser().parse_args(argv)
    if args.command == "run" and args.workers and not (args.workers == "auto" or args.workers.isdigit()):
        return _fail(f"--workers {args.workers!r}: give a number or 'auto'.")
    return int(args.func(args, extra))


if __name__ == "__main__":
    sys.exit(main())
