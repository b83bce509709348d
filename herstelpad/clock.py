"""The one clock of a scenario: real time plus an offset that a scenario moves forward with its target's."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from herstelpad.waiting import Deadline, WaitTimeout

WAIT_GRACE = 5.0  # seconds a wait for a moment may overrun before the clock is taken to be stuck (a hang guard)


class Clock:
    """Unix time as the target and the phones see it: `source()` plus an offset moved by `advance`."""

    def __init__(self, offset: float = 0.0, source: Callable[[], float] = time.time) -> None:
        """Start at `source()` + `offset` seconds."""
        self.offset = offset
        self._source = source
        self._moved = threading.Condition()

    def __call__(self) -> float:
        """Current Unix time on this clock."""
        return self._source() + self.offset

    def now(self) -> float:
        """Current Unix time on this clock (the same as calling it)."""
        return self()

    def advance(self, seconds: float) -> None:
        """Move the clock forward (a wait for a moment it now shows ends at once)."""
        with self._moved:
            self.offset += seconds
            self._moved.notify_all()

    def wait_until(self, moment: float, what: str = "een tijdstip") -> float:
        """Blocks until this clock shows `moment` (a deadline on the clock; moving it ends the wait early); seconds waited.

        The wait is for an event, the clock reaching `moment`, on a condition that `advance` notifies; a clock
        whose source stands still raises WaitTimeout after the expected wait plus WAIT_GRACE, saying where it stands.
        """
        started = time.monotonic()
        guard = Deadline(max(0.0, moment - self()) + WAIT_GRACE)
        with self._moved:
            while (left := moment - self()) > 0:
                if guard.expired():
                    raise WaitTimeout(
                        f"Gewacht op {what}: de klok bereikte het tijdstip niet binnen {guard.seconds:.0f} s "
                        f"(timed out); hij staat nog {left:.1f} s ervoor (is its source standing still?)."
                    )
                self._moved.wait(min(left, guard.remaining()))
        return time.monotonic() - started
