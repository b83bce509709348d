"""The Keycloak pack's server: a prepared, optimized Keycloak on a database copy whose admin password is nowhere in clear."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from fixtures.keycloak import server as keycloak_server
from fixtures.keycloak.provisioning import KeycloakProvisioner
from herstelpad.waiting import poll_until


@pytest.mark.parametrize("first_realm", [keycloak_server.PREPARED_REALMS[0], None], ids=["prepared", "start-dev"])
def test_each_holder_of_the_shared_server_gets_a_prepared_realm_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, first_realm: str | None,
) -> None:
    """The worker that started the run's Keycloak holds the first realm made at set-up; each one joining gets the
    next, never one twice; when they are all taken, or the server has none (start-dev), a holder makes its own."""
    monkeypatch.setenv(keycloak_server.XDIST_RUN_ENV, "run-of-this-test")
    state = tmp_path / "server.json"
    started = keycloak_server.KeycloakServer("http://127.0.0.1:1", "admin", "", os.getpid(), realm=first_realm)
    state.write_text(json.dumps({"server": {k: v for k, v in vars(started).items() if k != "password"},
                                 "salt": "zout", "users": 1, "realms_taken": 1}))
    joined = [keycloak_server.acquire_shared(state, tmp_path).realm for _ in range(len(keycloak_server.PREPARED_REALMS) + 1)]
    expected = [*keycloak_server.PREPARED_REALMS[1:], None, None] if first_realm else [None] * len(joined)
    assert joined == expected
    assert json.loads(state.read_text())["users"] == len(joined) + 1


def test_a_prepared_server_is_made_again_when_the_features_or_the_version_change(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """The prepared server's name and marker follow Keycloak's version and FEATURES: a changed one is not used."""
    today = keycloak_server.prepared_name()
    folder = tmp_path / today
    (folder / keycloak_server.TEMPLATE_DIR).mkdir(parents=True)
    (folder / keycloak_server.PREPARED_MARKER).write_text(json.dumps({"fingerprint": keycloak_server.prepared_fingerprint()}))
    assert keycloak_server.is_prepared(folder)

    monkeypatch.setattr(keycloak_server, "FEATURES", ("recovery-codes",))
    assert keycloak_server.prepared_name() != today
    assert "--features=recovery-codes" in keycloak_server.build_arguments()
    assert not keycloak_server.is_prepared(folder), "a server built without the feature counts as prepared"

    monkeypatch.setattr(keycloak_server, "FEATURES", ())
    monkeypatch.setattr(keycloak_server, "KEYCLOAK_VERSION", "99.0.0")
    assert keycloak_server.prepared_name() != today
    assert not keycloak_server.is_prepared(folder), "a server of another Keycloak version counts as prepared"


def test_the_admin_password_hash_has_keycloaks_pbkdf2_form() -> None:
    """The hash written into a database copy is PBKDF2-SHA256 in Keycloak's JSON, salted afresh each time."""
    secret, credential = keycloak_server.password_hash("Een-wachtwoord-van-24-tekens")
    again, _ = keycloak_server.password_hash("Een-wachtwoord-van-24-tekens")
    assert json.loads(credential) == {"hashIterations": keycloak_server.ADMIN_HASH_ITERATIONS,
                                      "algorithm": "pbkdf2-sha256", "additionalParameters": {}}
    assert set(json.loads(secret)) == {"value", "salt", "additionalParameters"}
    assert json.loads(secret)["salt"] != json.loads(again)["salt"]
    assert "wachtwoord" not in secret + credential


def _files_containing(root: Path, text: str) -> list[str]:
    """The files under `root` whose bytes contain `text`."""
    needle = text.encode()
    return [str(path) for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()]


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants (kc.sh and the java it starts)."""
    tree, queue = [], [pid]
    while queue:
        current = queue.pop()
        tree.append(current)
        for child in Path("/proc").glob("[0-9]*"):
            try:
                if (child / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(current):
                    queue.append(int(child.name))
            except OSError:
                continue
    return tree


def test_a_session_keycloak_starts_optimized_with_a_fresh_admin_kept_nowhere_in_clear(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """Two xdist workers share one started Keycloak; its admin logs in, yet its password is in no file, argument or environment."""
    prepared = keycloak_server.find_prepared()
    assert prepared is not None, f"no prepared Keycloak ({keycloak_server.prepared_name()}): run `python -m fixtures.keycloak.install`"
    monkeypatch.setenv(keycloak_server.XDIST_RUN_ENV, "a-run-of-this-test")
    monkeypatch.setattr(keycloak_server.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    state_file = keycloak_server.shared_state_file()
    assert state_file is not None
    first = keycloak_server.acquire_shared(state_file, tmp_path / "logs")
    try:
        second = keycloak_server.acquire_shared(state_file, tmp_path / "logs")
        assert (second.url, second.pid, second.password) == (first.url, first.pid, first.password)
        log = Path(str(first.log_path)).read_text()
        assert "start-dev" not in log and "Updating the configuration" not in log, "Keycloak was built at start"

        provisioner = KeycloakProvisioner.connect(first.url, first.admin, first.password, "master")
        assert "master" in {realm["realm"] for realm in provisioner.admin.get_realms()}
        refused = httpx.post(f"{first.url}/realms/master/protocol/openid-connect/token", data={
            "grant_type": "password", "client_id": "admin-cli", "username": first.admin, "password": "x" + first.password,
        })
        assert refused.status_code == 401, refused.text

        for root in (tmp_path, Path(str(first.data_dir)), prepared / keycloak_server.TEMPLATE_DIR):
            assert _files_containing(root, first.password) == [], f"the admin password is written in {root}"
        for pid in _process_tree(int(str(first.pid))):
            for what in ("environ", "cmdline"):
                shown = (Path("/proc") / str(pid) / what).read_bytes()
                assert first.password.encode() not in shown, f"the admin password is in the {what} of process {pid}"
    finally:
        assert keycloak_server.release_shared(state_file) is None, "the first worker out stopped the shared Keycloak"
        last = keycloak_server.release_shared(state_file)
        assert last is not None and last.pid == first.pid
        keycloak_server.stop_pid(int(str(last.pid)))
    assert not keycloak_server._alive(int(str(first.pid)))


def test_another_workers_stopped_keycloak_counts_as_gone_when_it_is_left_a_zombie() -> None:
    """The last worker stops the shared Keycloak, which another worker started: once that worker has ended, the
    server is nobody's child, and where the container's first process does not reap, it stays a zombie. A zombie is
    not running (stop_pid waited its whole 20 s grace for one in every run's teardown)."""
    spawn = ("import subprocess; "
             "print(subprocess.Popen(['sleep', '600'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")
    pid = int(subprocess.run([sys.executable, "-c", spawn], capture_output=True, text=True, check=True).stdout)
    assert keycloak_server._alive(pid), "the orphaned process should still run"
    os.kill(pid, signal.SIGKILL)

    def ended() -> bool | None:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True  # reaped: gone
        return state == "Z" or None

    poll_until(ended, timeout=10, interval=0.05, what=f"process {pid} to end")
    assert not keycloak_server._alive(pid)
