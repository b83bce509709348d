"""A Selenium Grid 4 on this machine: its jars (Maven Central) and chromedriver (Debian) installed, a hub and nodes started.

`herstelpad grid` and the grid tests start one: a hub and (by default) two nodes, each with one
Chromium slot driven by Debian's chromium-driver, all listening on 127.0.0.1 only. The run then
takes its browsers from it with `--herstelpad-grid-url` (herstelpad.grid).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from herstelpad.grid import GridError, GridStatus, grid_status
from herstelpad.locate import (
    Found,
    SetupError,
    find_binary,
    find_browser,
    find_java,
    install_dir,
    java_install_hint,
    tools_dirs,
)
from herstelpad.services import Process, free_port, start_process
from herstelpad.tooling.install import ensure_with_apt, run_command, say
from herstelpad.waiting import Deadline, pause

GRID_VERSION = "4.47.0"  # the newest selenium-grid on Maven Central when pinned
GRID_ARTIFACT = f"org.seleniumhq.selenium:selenium-grid:{GRID_VERSION}"
SERVER_URL = (  # the same grid as one jar, from Selenium's releases: the fallback without Maven
    f"https://github.com/SeleniumHQ/selenium/releases/download/selenium-{GRID_VERSION}/selenium-server-{GRID_VERSION}.jar"
)
LOCAL_NAME = f"selenium-grid-{GRID_VERSION}"  # a folder of jars in one of herstelpad's tools folders
GRID_MAIN = "org.openqa.selenium.grid.Main"
DRIVER_PACKAGE = "chromium-driver"  # Debian's chromedriver, built with Debian's chromium
DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
JVM_OPTIONS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx384m"]  # three small JVMs on a small machine
MIN_JAVA = 11  # Selenium 4
START_TIMEOUT = 180.0  # seconds for the hub to answer and every node to register (three JVMs on two cores)
POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>herstelpad</groupId><artifactId>selenium-grid-jars</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.seleniumhq.selenium</groupId><artifactId>selenium-grid</artifactId>
    <version>{version}</version></dependency></dependencies>
</project>
"""


# --- installing ------------------------------------------------------------------------


def _has_grid_jars(folder: Path) -> bool:
    """True when the folder holds the grid's jars (selenium-grid and its libraries, or selenium-server)."""
    return any(folder.glob("selenium-grid-*.jar")) or any(folder.glob("selenium-server-*.jar"))


def find_grid() -> Found | None:
    """Finds the grid's jars: SELENIUM_GRID_JARS (a folder of jars or a selenium-server jar), then the tools folders."""
    configured = os.environ.get("SELENIUM_GRID_JARS")
    if configured:
        path = Path(configured)
        if (path.is_file() and path.suffix == ".jar") or (path.is_dir() and _has_grid_jars(path)):
            return Found(configured, "SELENIUM_GRID_JARS")
        raise SetupError(f"SELENIUM_GRID_JARS={configured} is neither a selenium-server jar nor a folder with the "
                         "selenium-grid jars. Fix or unset it.")
    for tools in tools_dirs():
        if _has_grid_jars(tools / LOCAL_NAME):
            return Found(str(tools / LOCAL_NAME), str(tools))
    return None


def _maven_copy() -> bool:
    """Copies selenium-grid and every library it needs from Maven Central (Maven's own client) into the tools folder."""
    mvn = shutil.which("mvn")
    if not mvn:
        say("Maven (mvn) is not installed")
        return False
    say(f"fetching Selenium Grid {GRID_VERSION} with Maven ({GRID_ARTIFACT} and its libraries, about 60 MB)")
    install_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=install_dir()) as tmp:
        (Path(tmp) / "pom.xml").write_text(POM.format(version=GRID_VERSION), encoding="utf-8")
        jars = Path(tmp) / "jars"
        if not run_command([mvn, "-q", "-B", "-f", str(Path(tmp) / "pom.xml"), "dependency:copy-dependencies",
                     "-DincludeScope=runtime", f"-DoutputDirectory={jars}"], timeout=1800):
            return False
        if not _has_grid_jars(jars):
            say("Maven copied no selenium-grid jar")
            return False
        shutil.move(str(jars), install_dir() / LOCAL_NAME)
    return True


def _download_server() -> bool:
    """Downloads the one-jar selenium-server release into the tools folder."""
    say(f"downloading {SERVER_URL}")
    target = install_dir() / LOCAL_NAME
    try:
        with tempfile.TemporaryDirectory(dir=install_dir()) as tmp:
            jar = Path(tmp) / f"selenium-server-{GRID_VERSION}.jar"
            with urllib.request.urlopen(SERVER_URL, timeout=60) as response, jar.open("wb") as out:  # noqa: S310
                shutil.copyfileobj(response, out)
            target.mkdir(parents=True, exist_ok=True)
            shutil.move(str(jar), target / jar.name)
    except OSError as exc:
        say(f"download failed: {exc}")
        return False
    return True


def grid_missing_hint() -> str:
    """Says how a person gets the grid's jars by hand."""
    return (f"Selenium Grid {GRID_VERSION} is not installed and could not be fetched. Install Maven and run `make setup` "
            f"(it copies {GRID_ARTIFACT} and its libraries into {install_dir() / LOCAL_NAME}), or download "
            f"selenium-server-{GRID_VERSION}.jar from Selenium's releases and set SELENIUM_GRID_JARS to it.")


def ensure_grid() -> Found:
    """Returns the grid's jars, copying the pinned version from Maven Central (or Selenium's release) when missing."""
    found = find_grid()
    if found:
        return found
    install_dir().mkdir(parents=True, exist_ok=True)
    if _maven_copy() or _download_server():
        found = find_grid()
        if found:
            return found
    raise SetupError(grid_missing_hint())


def find_chromedriver() -> Found | None:
    """Finds chromedriver: HERSTELPAD_CHROMEDRIVER, PATH, then Debian's places."""
    return find_binary("HERSTELPAD_CHROMEDRIVER", "chromedriver", [(path, "Debian's chromium-driver") for path in DRIVER_PATHS])


def driver_missing_hint() -> str:
    """Says how a person installs chromedriver for the grid's nodes."""
    return (f"chromedriver is not installed: the grid's nodes need it. Install Debian/Ubuntu's package "
            f"(`sudo apt-get install {DRIVER_PACKAGE}`, made for its `chromium`), or set HERSTELPAD_CHROMEDRIVER "
            "to a chromedriver of your Chromium's version.")


def ensure_chromedriver() -> Found:
    """Returns chromedriver, installing Debian's chromium-driver with apt when running as root there."""
    return ensure_with_apt(find_chromedriver, DRIVER_PACKAGE, "no chromedriver for the grid's nodes", driver_missing_hint())


def _major_version(executable: str) -> str | None:
    """The major version a Chromium or chromedriver prints for --version, or None."""
    try:
        done = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for word in done.stdout.split():
        if word[:1].isdigit() and "." in word:
            return word.split(".")[0]
    return None


def node_chromium(driver: Found) -> Found:
    """The Chromium the nodes start: the system's `chromium` (Debian's driver is built for it), else the one herstelpad finds.

    Raises SetupError when its major version is not the driver's (chromedriver drives its own version only).
    """
    system = shutil.which("chromium")
    browser = Found(system, "system Chromium") if system else find_browser()
    if browser is None:
        raise SetupError("The grid's nodes need a Chromium: install Debian/Ubuntu's `chromium` package.")
    driver_major, browser_major = _major_version(driver.path), _major_version(browser.path)
    if driver_major and browser_major and driver_major != browser_major:
        raise SetupError(f"chromedriver {driver.path} is version {driver_major}, but the nodes' Chromium {browser.path} "
                         f"is {browser_major}: install the pair (`apt-get install chromium {DRIVER_PACKAGE}`) or set "
                         "HERSTELPAD_CHROMEDRIVER to a driver of the Chromium's version.")
    return browser


def java_command() -> str:
    """The java that runs the grid: JAVA_HOME's, else the one on PATH (Selenium 4 needs Java 11 or newer)."""
    found = find_java(MIN_JAVA)
    if found is None:
        raise SetupError(java_install_hint("Selenium Grid", MIN_JAVA))
    return found.path


# --- running ---------------------------------------------------------------------------


@dataclass
class LocalGrid:
    """A running hub and its nodes on 127.0.0.1: the URL to give --herstelpad-grid-url, and their processes."""

    url: str
    hub: Process
    nodes: list[Process] = field(default_factory=list)

    def processes(self) -> list[Process]:
        """The hub and the nodes."""
        return [self.hub, *self.nodes]

    def stopped(self) -> Process | None:
        """A process of the grid that has ended, if any."""
        return next((process for process in self.processes() if process.popen.poll() is not None), None)

    def stop(self) -> None:
        """Stops the nodes (and their browsers), then the hub."""
        for process in reversed(self.processes()):
            process.stop()

    def __enter__(self) -> LocalGrid:
        """Use as a context manager: stopped on exit."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stops the grid."""
        self.stop()


def _classpath(jars: Found) -> str:
    """The java class path of the grid's jars: one selenium-server jar, or every jar of the folder."""
    path = Path(jars.path)
    return str(path) if path.is_file() else str(path / "*")


def node_config(driver: Found, browser: Found, sessions: int, session_timeout: int) -> str:
    """A node's TOML: no driver detection, one Chromium kind with its binary and chromedriver, `sessions` slots."""
    stereotype = json.dumps({"browserName": "chrome", "goog:chromeOptions": {"binary": browser.path}})
    return (f"[node]\ndetect-drivers = false\nmax-sessions = {sessions}\nsession-timeout = {session_timeout}\n\n"
            f"[[node.driver-configuration]]\ndisplay-name = \"chromium\"\nstereotype = '{stereotype}'\n"
            f"webdriver-executable = {json.dumps(driver.path)}\nmax-sessions = {sessions}\n")


def _ready(url: str, nodes: int) -> GridStatus | None:
    """The grid's status once it is ready with `nodes` Chromium nodes registered, else None."""
    try:
        status = grid_status(url)
    except GridError:
        return None
    registered = {slot.node for slot in status.chromium_slots()}
    return status if status.ready and len(registered) >= nodes else None


def start_local_grid(log_dir: Path, nodes: int = 2, port: int = 0, session_timeout: int = 300,
                     timeout: float = START_TIMEOUT) -> LocalGrid:
    """Starts a hub (port 0: a free one) and `nodes` nodes with one Chromium slot each; returns once all are registered.

    Raises SetupError when the jars, chromedriver, Chromium or Java are missing, GridError when a process stops or
    the grid is not ready within `timeout` seconds (with the last lines of the logs).
    """
    jars, driver = ensure_grid(), ensure_chromedriver()
    browser, java = node_chromium(driver), java_command()
    log_dir.mkdir(parents=True, exist_ok=True)
    base = [java, *JVM_OPTIONS, "-cp", _classpath(jars), GRID_MAIN]
    hub_port, publish, subscribe = port or free_port(), free_port(), free_port()
    bus = ["--publish-events", f"tcp://127.0.0.1:{publish}", "--subscribe-events", f"tcp://127.0.0.1:{subscribe}"]
    url = f"http://127.0.0.1:{hub_port}"
    hub = start_process("grid-hub", [*base, "hub", "--host", "127.0.0.1", "--port", str(hub_port), "--bind-bus", "true",
                                     *bus], log_dir)
    grid = LocalGrid(url, hub)
    config = log_dir / "grid-node.toml"
    config.write_text(node_config(driver, browser, 1, session_timeout), encoding="utf-8")
    for number in range(1, nodes + 1):
        grid.nodes.append(start_process(
            f"grid-node-{number}",
            [*base, "node", "--config", str(config), "--host", "127.0.0.1", "--port", str(free_port()), *bus,
             "--grid-url", url, "--register-cycle", "1"], log_dir))
    try:
        _await_registration(grid, nodes, timeout)
    except BaseException:  # a Ctrl-C while waiting too: no JVM is left behind
        grid.stop()
        raise
    return grid


def _await_registration(grid: LocalGrid, nodes: int, timeout: float) -> None:
    """Polls the hub until `nodes` Chromium nodes are registered; GridError (with the logs) when one stops or time is up."""
    deadline = Deadline(timeout)
    while _ready(grid.url, nodes) is None:
        gone = grid.stopped()
        if gone is not None or deadline.expired():
            why = f"{gone.name} stopped (exit code {gone.popen.returncode})" if gone else f"not ready in {timeout:g} s"
            logs = "\n".join(f"{p.name} ({p.log_path}):\n{p.log_tail(8)}" for p in grid.processes())
            raise GridError(f"the local Selenium Grid did not start: {why}.\n{logs}")
        pause(min(0.5, deadline.remaining()))


def main() -> int:
    """Installs the grid's jars and chromedriver when missing (set-up); never fails the set-up."""
    try:
        jars, driver = ensure_grid(), ensure_chromedriver()
        browser = node_chromium(driver)
    except SetupError as exc:
        print(f"    Selenium Grid: not installed: {exc} The grid tests fail with this message; the rest runs.",
              file=sys.stderr)
        return 0
    print(f"    Selenium Grid {GRID_VERSION}: {jars.path} ({jars.how})")
    print(f"    its nodes' chromedriver: {driver.path} ({driver.how}), Chromium: {browser.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
