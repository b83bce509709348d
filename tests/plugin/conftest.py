"""One fresh virtualenv with herstelpad's wheel installed by pip, shared by the tests of a plain install.

Building the wheel and installing it with its dependencies is most of what those tests cost; it is done once per
test run, also across xdist workers (the root conftest's `once_per_run`: the first one builds it under a file lock,
the others wait and reuse it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from plain_install_support import PlainInstall, build_plain_install


@pytest.fixture(scope="session")
def plain_install(once_per_run: Callable[..., dict[str, Any]]) -> PlainInstall:
    """herstelpad as a new user has it after `pip install herstelpad`: built once per run, shared by the workers."""

    def build(root: Path) -> dict[str, str]:
        made = build_plain_install(root)
        return {"wheel": str(made.wheel), "python": str(made.python)}

    found = once_per_run("plain-install", build)
    return PlainInstall(Path(found["wheel"]), Path(found["python"]))
