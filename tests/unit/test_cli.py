"""The pytest command line `herstelpad run` builds, and the command line's own checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from herstelpad.cli import build_parser, options_in, preflight, pytest_command
from herstelpad.settings import resolve


def command(argv: list[str], extra: list[str] | None = None, reports: str = "reports") -> list[str]:
    """The pytest command of `herstelpad run <argv> -- <extra>`."""
    return pytest_command(build_parser().parse_args(["run", *argv]), extra or [], Path(reports))


def test_run_keeps_redacted_traces_of_failures_inside_reports() -> None:
    cmd = command(["--tags", "manier-1", "-n", "2"], reports="/tmp/verslag")
    assert cmd[cmd.index("--tracing") + 1] == "retain-on-failure"
    assert "--output=/tmp/verslag/traces" in cmd
    assert not [arg for arg in cmd if arg.startswith("--junitxml")]  # junit.xml is the report's, from its model
    assert cmd[cmd.index("-m", 3) + 1] == "manier-1" and cmd[cmd.index("-n") + 1] == "2"


def test_run_leaves_tracing_and_output_to_the_user_when_given() -> None:
    assert "--tracing" not in command(["--no-tracing"])
    cmd = command([], ["--tracing", "on", "--output", "elders"])
    assert cmd.count("--tracing") == 1 and not any(arg.startswith("--output=") for arg in cmd)
    assert cmd[-4:] == ["--tracing", "on", "--output", "elders"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["soak", "--runs", "0"], "'0' is not a positive whole number"),
        (["soak", "--runs", "3", "-n", "99"], "'99' is not a number of workers (a whole number from 0 to 64)"),
        (["browser-server", "--port", "70000"], "'70000' is not a port (a whole number from 0 to 65535)"),
    ],
)
def test_bad_numbers_get_one_plain_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_settings_after_the_double_dash_count_for_the_checks_before_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """`herstelpad run -- --herstelpad-… x` is checked with those values, not with the environment alone."""
    for name in ("HERSTELPAD_BROWSER_PATH", "HERSTELPAD_REPORTS", "HERSTELPAD_TIMEOUT", "HERSTELPAD_WS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    extra = ["-x", "--herstelpad-browser-path", "/bin/true", "--herstelpad-reports=/tmp/elders",
             "--herstelpad-timeout", "7", "--base-url", "http://127.0.0.1:9/"]
    assert options_in(extra) == {"browser_path": "/bin/true", "reports": "/tmp/elders", "timeout": "7",
                                 "target_url": "http://127.0.0.1:9/"}
    settings = resolve(options_in(extra[:-2]))
    assert settings.browser_path == "/bin/true" and settings.reports == Path("/tmp/elders") and settings.timeout == 7
    monkeypatch.setenv("PATH", "/nonexistent")  # no Chromium to find: the option's browser is enough
    monkeypatch.setenv("MAILPIT_BIN", "/bin/true")
    assert preflight(settings) is None
