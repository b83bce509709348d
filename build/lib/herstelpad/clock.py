"""The one clock of a scenario: real time plus an offset that a scenario moves forward with its target's."""

from __future__ import annotations

import time
from collections.abc import Callable


class Clock:
    """Unix time as the target and the phones see it: `source()` plus an offset moved by `advance`."""

    def __init__(self, offset: float = 0.0, source: Callable[[], float] = time.time) -> None:
        """Start at `source()` + `offset` seconds."""
        self.offset = offset
        self._source = source

    def __call__(self) -> float:
        """Current Unix time on this clock."""
        return self._source() + self.offset

    def now(self) -> float:
        """Current Unix time on this clock (the same as calling it)."""
        return self()

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.offset += seconds
