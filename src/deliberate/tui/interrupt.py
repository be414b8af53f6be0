"""SIGINT while the app runs (a Ctrl+C that reached the process before the terminal was in
raw mode, or `kill -INT`): ask the app to quit, so the terminal is restored and nothing
half-mounted raises; outside the event loop, end at once (console.quit_at_once)."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from textual.app import App

INTERRUPTED = 130


@contextmanager
def quit_on_interrupt(app: App[Any]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    from deliberate.console import quit_at_once

    def handler(signum: int, frame: FrameType | None) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            quit_at_once(signum)
            return
        loop.call_soon_threadsafe(lambda: app.exit(return_code=INTERRUPTED))

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
