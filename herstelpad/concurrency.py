"""Fire the same call N times at once (a barrier lines the threads up) and count what came back.

Target-neutral: a pack decides what one call does (an HTTP request, a click in its own browser context);
this module only makes sure the calls really overlap and reports their results in order.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one of the parallel calls gave: its value, or the exception it raised."""

    index: int
    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """Whether the call returned without raising."""
        return self.error is None


def fire(n: int, call: Callable[[int], T], *, timeout: float = 60.0) -> list[Outcome[T]]:
    """Run call(0) … call(n-1) in n threads released together by a barrier; the outcomes in index order."""
    if n < 1:
        raise ValueError(f"fire() needs at least one call, got n={n}")
    barrier = threading.Barrier(n, timeout=timeout)

    def one(index: int) -> Outcome[T]:
        """Wait until every thread is ready, then make the call; keep an exception as the outcome."""
        try:
            barrier.wait()
            return Outcome(index, value=call(index))
        except BaseException as exc:  # noqa: BLE001 - the caller counts failures, nothing is swallowed
            return Outcome(index, error=exc)

    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="fire") as pool:
        futures = [pool.submit(one, i) for i in range(n)]
        return [future.result(timeout=timeout + 5) for future in futures]


def values(outcomes: Iterable[Outcome[T]]) -> list[T]:
    """The values of the calls; the first exception is raised again with how many calls failed."""
    outcomes = list(outcomes)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise AssertionError(
            f"{len(failed)} of {len(outcomes)} parallel calls failed; the first: {failed[0].error!r}"
        ) from failed[0].error
    return [o.value for o in outcomes]  # type: ignore[misc]


def fire_all(n: int, call: Callable[[int], T], *, timeout: float = 60.0) -> list[Outcome[T]]:
    """fire(), and a call that raised fails as in values(): a failed request is a failure, not an attempt that
    'did not count'."""
    outcomes = fire(n, call, timeout=timeout)
    values(outcomes)
    return outcomes


def tally(outcomes: Iterable[Outcome[T]], key: Callable[[T], K]) -> Counter[K]:
    """How many calls gave each key (e.g. each HTTP status); failed calls raise as in values()."""
    return Counter(key(v) for v in values(outcomes))


def at_most(counted: int, limit: int, what: str) -> None:
    """Assert that no more than `limit` of the parallel calls were counted, in words when not."""
    if counted > limit:
        raise AssertionError(f"{counted} keer {what}, maar de limiet is {limit} (parallelle verzoeken kwamen erdoor)")
