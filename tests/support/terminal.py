"""The installed `deliberate` console script in a real pseudo-terminal, for tests that press
keys or send signals the way a member's terminal does (Ctrl+C at start-up, say)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from support.waiting import wait_until

SCRIPT = Path(sys.executable).with_name("deliberate")
_ANSI = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]"
)
ALT_SCREEN = "\x1b[?1049h"


class Terminal:
    """`deliberate ARGS` on an 80×24 pty, in its own session (so Ctrl+C reaches it as it would
    from a real terminal's foreground process group)."""

    def __init__(self, *args: str, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        master, slave = pty.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", **env}
        full_env.pop("COLUMNS", None)
        full_env.pop("LINES", None)
        self.proc = subprocess.Popen(
            [str(SCRIPT), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master = master
        self.raw = b""

    @property
    def output(self) -> str:
        return self.raw.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        """What was written, without escape sequences."""
        return _ANSI.sub("", self.output)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.raw += data
        return bool(data)

    def wait_for(self, condition: Callable[[Terminal], object], timeout: float = 60.0) -> None:

        def met() -> bool:
            if condition(self):
                return True
            exited = not self._read(0.05) and self.proc.poll() is not None
            if exited and not condition(self):
                raise AssertionError(f"exited ({self.proc.returncode}):\n{self.text[-3000:]}")
            return False

        wait_until(
            met, timeout, interval=0, what="the terminal", describe=lambda: self.text[-3000:]
        )

    def interrupt(self) -> None:
        """Ctrl+C as the terminal delivers it while not in raw mode: SIGINT to the group."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the process to end, collecting everything it writes; its exit code."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None or self._read(0.05) and self._pending():
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError(f"did not end within {timeout}s:\n{self.text[-3000:]}")
            self._read(0.05)
        while self._pending() and self._read(0.05):
            pass
        os.close(self.master)
        return self.proc.returncode

    def _pending(self) -> bool:
        return bool(select.select([self.master], [], [], 0)[0])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
