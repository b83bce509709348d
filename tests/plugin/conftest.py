"""One fresh virtualenv with herstelpad's wheel installed by pip, shared by the tests of a plain install.

Building the wheel and installing it with its dependencies is most of what those tests cost; it is done once per
test run, also across xdist workers (the first one builds it under a file lock, the others wait and reuse it).
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest
from plain_install_support import PlainInstall, build_plain_install


@pytest.fixture(scope="session")
def plain_install(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PlainInstall:
    """herstelpad as a new user has it after `pip install herstelpad`: built once per run, shared by the workers."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if worker_id != "master" else base) / "plain-install"
    root.mkdir(exist_ok=True)
    done = root / "done.json"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when a worker dies
        if not done.exists():
            made = build_plain_install(root)
            done.write_text(json.dumps({"wheel": str(made.wheel), "python": str(made.python)}))
    found = json.loads(done.read_text())
    return PlainInstall(Path(found["wheel"]), Path(found["python"]))
