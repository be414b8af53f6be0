"""Waiting for a condition: the one polling loop behind every test helper's `wait_for`.

Tests never assert wall-clock times (DESIGN §8): they wait for what they expect with a
generous bound, and fail with what the program showed instead. Latency is measured in bench/.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0


def _failure(timeout: float, what: str, describe: Callable[[], str] | None) -> AssertionError:
    shown = describe() if describe is not None else ""
    return AssertionError(
        f"timed out after {timeout} s waiting for {what}" + (f"\n{shown}" if shown else "")
    )


def wait_until(
    condition: Callable[[], T],
    timeout: float = DEFAULT_TIMEOUT,
    *,
    interval: float = 0.05,
    what: str = "",
    describe: Callable[[], str] | None = None,
) -> T:
    """Poll `condition` until it returns something truthy and return that; after `timeout`
    seconds fail with `what` and, if given, `describe()` (what the screen or log shows)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _failure(timeout, what or repr(condition), describe)
        if interval:
            time.sleep(interval)


async def wait_until_async(
    condition: Callable[[], T],
    pause: Callable[[float], Awaitable[object]],
    timeout: float = DEFAULT_TIMEOUT,
    *,
    interval: float = 0.02,
    what: str = "",
    describe: Callable[[], str] | None = None,
) -> T:
    """`wait_until` for code that must keep an event loop running while it waits (a Textual
    pilot: `pause` is `pilot.pause`)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _failure(timeout, what or repr(condition), describe)
        await pause(interval)
