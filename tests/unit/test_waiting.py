"""Polling to a deadline."""

from __future__ import annotations

import itertools

import pytest

from herstelpad.waiting import Deadline, WaitTimeout, poll_until


def test_returns_the_first_truthy_result() -> None:
    counter = itertools.count()
    assert poll_until(lambda: next(counter) >= 3 and "klaar", timeout=2, interval=0.01, what="drie") == "klaar"


def test_timeout_says_what_was_awaited_and_what_arrived() -> None:
    deadline = Deadline(0.2)
    expected = r"(?s)Gewacht op de e-mail: niet gekomen binnen 0\.2 s.*Wel binnengekomen.*twee andere"
    with pytest.raises(WaitTimeout, match=expected):
        poll_until(lambda: None, timeout=0.2, interval=0.05, what="de e-mail", describe=lambda: "twee andere")
    assert deadline.expired()


def test_a_failing_description_does_not_hide_the_timeout() -> None:
    def broken() -> str:
        raise RuntimeError("kapot")

    with pytest.raises(WaitTimeout, match="could not describe.*kapot"):
        poll_until(lambda: None, timeout=0.05, interval=0.01, what="iets", describe=broken)


def test_custom_wait_is_used_between_attempts() -> None:
    waits: list[float] = []
    counter = itertools.count()
    poll_until(lambda: next(counter) == 2, timeout=5, interval=0.5, what="x", wait=waits.append)
    assert waits == [0.5, 0.5]
