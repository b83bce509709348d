"""Scenarios on a real Selenium Grid 4 (a hub and two nodes here), and the one message of a grid that is down or full."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from herstelpad.grid import GridError, GridSession, await_free_slot, cdp_endpoint, grid_status, start_session
from herstelpad.locate import CHROMIUM_ARGS
from herstelpad.services import free_port
from herstelpad.settings import SettingsError, resolve
from herstelpad.tooling.local_grid import START_TIMEOUT

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the repository
SESSION_TIMEOUT = 90  # the nodes' session timeout (s): shorter than the run, so the keep-alive must hold the browsers
# (not much shorter: the hub also gives a node this long to start a Chromium, which takes 20-50 s on a loaded machine)


# --- the grid client against small local HTTP servers ------------------------------------------


def node(uri: str, browser: str, session: str | None = None) -> dict[str, object]:
    """One node of a /status document, with one slot."""
    return {"uri": uri, "availability": "UP", "sessionTimeout": 300000,
            "slots": [{"stereotype": {"browserName": browser}, "session": {"sessionId": session} if session else None}]}


@pytest.fixture
def status_server() -> Iterator[tuple[str, dict[str, object]]]:
    """A local HTTP server whose GET /status answers with the document the test puts in the returned dict."""
    answer: dict[str, object] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = json.dumps(answer.get("document")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", answer
    finally:
        server.shutdown()
        server.server_close()


def test_a_grid_that_does_not_answer_is_named_with_what_to_do() -> None:
    """Nothing listening: one message naming the URL, how long it tried and how to start a grid."""
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(GridError) as caught:
        await_free_slot(url, timeout=0.5)
    message = str(caught.value)
    assert f"no Selenium Grid answers at {url}" in message and "herstelpad grid" in message
    assert "tried for 0.5 s" in message


def test_a_server_that_is_no_grid_a_grid_without_chromium_and_a_full_grid_each_say_so(
    status_server: tuple[str, dict[str, object]],
) -> None:
    """Not a grid, only Firefox nodes, every Chromium slot busy: three different messages, each after the deadline."""
    url, answer = status_server
    answer["document"] = {"status": "ok"}
    with pytest.raises(GridError, match="not as a Selenium Grid 4"):
        grid_status(url)
    answer["document"] = {"value": {"ready": True, "message": "ready", "nodes": [node("http://n1", "firefox")]}}
    with pytest.raises(GridError, match="no node that offers Chromium.*other browsers: firefox"):
        await_free_slot(url, timeout=0.3)
    answer["document"] = {"value": {"ready": True, "message": "ready", "nodes": [
        node("http://n1", "chrome", "s1"), node("http://n2", "chrome", "s2"), node("http://n3", "firefox")]}}
    with pytest.raises(GridError, match=r"is full: .* 2 Chromium slot\(s\), 2 busy.*fewer workers"):
        await_free_slot(url, timeout=0.3)
    answer["document"]["value"]["nodes"][1] = node("http://n2", "chrome")  # type: ignore[index]
    status = await_free_slot(url, timeout=0.3)
    assert [slot.node for slot in status.free_chromium_slots()] == ["http://n2"]
    assert status.sessions() == {"s1": "http://n1"} and status.session_timeout == 300


def test_the_cdp_url_is_reached_through_the_grid_url_that_was_given() -> None:
    """A grid names its own host in se:cdp (a container name, 127.0.0.1); the client uses the host it was given."""
    se_cdp = "ws://172.18.0.5:4444/session/abc/se/cdp"
    assert cdp_endpoint("https://qa:pw@grid.example.com", se_cdp) == "wss://grid.example.com/session/abc/se/cdp"
    assert cdp_endpoint("http://127.0.0.1:4444", se_cdp) == "ws://127.0.0.1:4444/session/abc/se/cdp"


def test_one_remote_browser_option_at_a_time() -> None:
    """The grid is a third way to a remote browser, beside CDP and a browser server: only one of them at a time."""
    with pytest.raises(SettingsError, match="--herstelpad-grid-url"):
        resolve({"grid_url": "http://127.0.0.1:4444", "cdp_url": "http://127.0.0.1:9222"})
    with pytest.raises(SettingsError, match="--herstelpad-grid-url"):
        resolve({"grid_url": "ws://127.0.0.1:4444"})
    assert resolve({"grid_url": "http://127.0.0.1:4444/"}).remote_browser == "http://127.0.0.1:4444"


# --- a real grid: a hub and two nodes ---------------------------------------------------------


@dataclass
class StartedGrid:
    """A grid that `herstelpad grid` started: its URL and the folder of its hub's and nodes' logs."""

    url: str
    logs: Path

    def node_logs(self) -> list[Path]:
        """The nodes' logs."""
        return sorted(self.logs.glob("grid-node-*.log"))


@pytest.fixture(scope="module")
def local_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedGrid]:
    """`herstelpad grid --port 0`: a hub and two nodes with one Chromium slot each, stopped with SIGTERM at the end.

    Missing jars or chromedriver fail the tests with the message the command prints.
    """
    reports = tmp_path_factory.mktemp("grid")
    cmd = [sys.executable, "-m", "herstelpad.cli", "grid", "--port", "0", "--session-timeout", str(SESSION_TIMEOUT)]
    command = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=dict(os.environ, HERSTELPAD_REPORTS=str(reports)),  # noqa: S603
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    printed: list[str] = []
    url_printed = threading.Event()

    def read() -> None:
        assert command.stdout is not None
        for line in command.stdout:
            printed.append(line.rstrip())
            if line.startswith("  http://"):
                url_printed.set()
        url_printed.set()  # the command ended

    threading.Thread(target=read, daemon=True).start()
    try:
        url_printed.wait(timeout=START_TIMEOUT + 60)
        urls = [line.strip() for line in printed if line.startswith("  http://")]
        if not urls:
            pytest.fail("`herstelpad grid` started no grid:\n" + "\n".join(printed), pytrace=False)
        print(f"local grid: {urls[0]}")
        yield StartedGrid(urls[0], reports / "logs")
    finally:
        command.send_signal(signal.SIGTERM)
        command.wait(timeout=60)


def run_scenarios(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs pytest on the portal's scenarios with `args`, where no browser of its own can start.

    The configured Chromium is /bin/false and Playwright's builds are looked for in an empty folder:
    a browser that works can only have come from the grid.
    """
    env = {k: v for k, v in os.environ.items()
           if k == "HERSTELPAD_TOOLS" or not k.startswith(("HERSTELPAD_", "PYTEST_XDIST"))}  # the tools stay found
    env.update(HERSTELPAD_REPORTS=str(tmp_path / "reports"), HERSTELPAD_BROWSER_PATH="/bin/false",
               PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "geen-browsers"))
    cmd = [sys.executable, "-m", "pytest", "steps/portaal", "-p", "no:cacheprovider", "-q", "-n", "2", *args]
    return subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=900, check=False)


class SessionWatch:
    """Watches a grid's /status in a thread and keeps every session it saw, with its node."""

    def __init__(self, url: str) -> None:
        """Starts watching `url`."""
        self.url = url
        self.seen: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        """Polls /status until stopped."""
        while not self._stop.wait(0.25):
            try:
                self.seen.update(grid_status(self.url).sessions())
            except GridError:
                continue

    def stop(self) -> dict[str, str]:
        """Stops watching; returns the sessions seen."""
        self._stop.set()
        self._thread.join(timeout=10)
        return self.seen


def test_portal_scenarios_run_in_browsers_on_both_nodes_of_the_grid(local_grid: StartedGrid, tmp_path: Path) -> None:
    """`-n 2 --herstelpad-grid-url`: the two @sso scenarios pass, one per worker, each worker's browser a session of
    the grid (one Chromium slot per node: the two are on both nodes), seen in /status while they ran and in each
    node's log, and no session is left once the run ends."""
    watch = SessionWatch(local_grid.url)
    done = run_scenarios(tmp_path, "-m", "sso", "--herstelpad-grid-url", local_grid.url)
    seen = watch.stop()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert f"browsers from the Selenium Grid at {local_grid.url}" in output
    assert re.search(r"\b2 passed\b", output) and not re.search(r"\b(failed|errors?)\b", output), output
    assert len(set(seen.values())) == 2, f"sessions seen in /status: {seen}"
    assert len(local_grid.node_logs()) == 2
    for log in local_grid.node_logs():
        assert "Session created by the Node" in log.read_text(errors="replace"), f"{log.name}: no browser started"
    assert grid_status(local_grid.url).sessions() == {}, "a session was left on the grid"


def test_a_full_grid_ends_the_run_with_one_message(local_grid: StartedGrid, tmp_path: Path) -> None:
    """Both slots taken: the run waits --herstelpad-timeout seconds for one, then stops with one message, no scenario run."""
    held: list[GridSession] = []
    try:
        for _ in local_grid.node_logs():
            held.append(start_session(local_grid.url, ["--headless", *CHROMIUM_ARGS], wait=30))
        done = run_scenarios(tmp_path, "-m", "sso", "--herstelpad-grid-url", local_grid.url,
                             "--herstelpad-timeout", "2")
    finally:
        for session in held:
            session.end()
    output = done.stdout + done.stderr
    assert done.returncode == 4, output
    assert output.count("is full: all its Chromium slots stayed busy for 2 s") == 1, output
    assert "2 Chromium slot(s), 2 busy" in output and "passed" not in output, output


def test_a_grid_that_is_down_ends_the_run_with_one_message(tmp_path: Path) -> None:
    """No grid at the URL: the run stops after --herstelpad-timeout seconds with one message that says what to do."""
    url = f"http://127.0.0.1:{free_port()}"
    done = run_scenarios(tmp_path, "-m", "sso", "--herstelpad-grid-url", url, "--herstelpad-timeout", "2")
    output = done.stdout + done.stderr
    assert done.returncode == 4, output
    assert output.count(f"no Selenium Grid answers at {url}") == 1, output
    assert "herstelpad grid" in output and "passed" not in output, output
