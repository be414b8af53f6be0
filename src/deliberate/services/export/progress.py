"""Progress of a long export, without any UI: services report, front ends show.

The CLI passes a `TextBar` on stderr only when stderr is a terminal; everything else (tests,
pipes, the TUI) gets `NO_PROGRESS`, which does nothing.
"""

from __future__ import annotations

import time
from typing import Protocol, TextIO


class Progress(Protocol):
    """What an export calls while it works. `total` may be None when unknown."""

    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    def start(self, label: str, total: int | None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


NO_PROGRESS: Progress = NoProgress()


class TextBar:
    """A one-line bar redrawn with '\\r', at most every `interval` seconds."""

    def __init__(self, stream: TextIO, *, width: int = 30, interval: float = 0.1) -> None:
        self.stream = stream
        self.width = width
        self.interval = interval
        self._label = ""
        self._total: int | None = None
        self._done = 0
        self._drawn_at = 0.0
        self._active = False

    def start(self, label: str, total: int | None) -> None:
        if self._active:
            self.finish()
        self._label, self._total, self._done = label, total, 0
        self._active = True
        self._drawn_at = 0.0
        self._draw()

    def advance(self, n: int = 1) -> None:
        self._done += n
        now = time.monotonic()
        if now - self._drawn_at >= self.interval:
            self._draw(now)

    def finish(self) -> None:
        if not self._active:
            return
        if self._total is not None:
            self._done = self._total
        self._draw()
        self.stream.write("\n")
        self.stream.flush()
        self._active = False

    def line(self) -> str:
        """The bar as text (without '\\r')."""
        if self._total:
            share = min(1.0, self._done / self._total)
            filled = int(share * self.width)
            bar = "█" * filled + "░" * (self.width - filled)
            return f"{self._label} {bar} {share * 100:5.1f} % ({self._done:,}/{self._total:,})"
        return f"{self._label} {self._done:,}"

    def _draw(self, now: float | None = None) -> None:
        self._drawn_at = time.monotonic() if now is None else now
        self.stream.write("\r" + self.line())
        self.stream.flush()
