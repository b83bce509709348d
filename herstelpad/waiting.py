"""Waiting to a deadline: the one place where herstelpad polls (never sleeps blindly)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(TimeoutError):
    """Something awaited did not happen in time; the message says what did arrive instead."""


class Deadline:
    """A point in monotonic time with the time left until it."""

    def __init__(self, seconds: float) -> None:
        """Start a deadline `seconds` from now."""
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._end - time.monotonic())

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.remaining() <= 0.0


def pause(seconds: float) -> None:
    """Block for `seconds` on an Event (the one pause herstelpad uses)."""
    threading.Event().wait(seconds)


def timeout_error(what: str, timeout: float, describe: Callable[[], str] | None = None) -> WaitTimeout:
    """Build the WaitTimeout for `what` after `timeout` seconds, saying what did arrive."""
    message = f"Gewacht op {what}: niet gekomen binnen {timeout:g} s (timed out)."
    if describe is not None:
        try:
            arrived = describe()
        except Exception as exc:  # noqa: BLE001 - the description must never hide the timeout itself
            arrived = f"(could not describe what arrived: {exc!r})"
        message += f"\nWel binnengekomen (what did arrive):\n{arrived}"
    return WaitTimeout(message)


def poll_until(
    fn: Callable[[], T | None],
    *,
    timeout: float,
    interval: float = 0.1,
    what: str = "a condition",
    describe: Callable[[], str] | None = None,
    wait: Callable[[float], object] | None = None,
    deadline: Deadline | None = None,
) -> T:
    """Call `fn` until it returns something truthy and return that; raise WaitTimeout at the deadline.

    `wait(seconds)` is how to pause between attempts (default: an Event wait); a caller that can be
    woken early, such as the mailbox listener, passes its own; one that started the clock before
    calling passes its `deadline` (then `timeout` only names it in the message).
    """
    deadline = deadline or Deadline(timeout)
    rest = wait or pause
    while True:
        result = fn()
        if result:
            return result
        left = deadline.remaining()
        if left <= 0:
            raise timeout_error(what, timeout, describe)
        rest(min(interval, left))
