"""A real terminal for end-to-end tests: a tmux server of our own, one 80×24 window."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from support.waiting import wait_until

CLI = str(Path(sys.executable).with_name("deliberate"))


TMUX_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (scripts/test installs it)"
    ),
]


class Tmux:
    """One detached tmux server of our own (its own socket), one 80×24 window."""

    def __init__(self, command: str) -> None:
        self.socket = f"deliberate-e2e-{uuid.uuid4().hex[:8]}"
        self.run("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", command)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        try:
            return self.run("capture-pane", "-p", "-t", "e2e")
        except RuntimeError:
            return ""  # the program ended and took the window with it

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def wait_for(self, *needles: str, timeout: float = 20.0) -> str:
        def shown() -> str:
            text = self.screen()
            return text if all(n in text for n in needles) else ""

        return wait_until(
            shown,
            timeout,
            interval=0.1,
            what=repr(needles),
            describe=lambda: f"the terminal shows:\n{self.screen()}",
        )

    def alive(self) -> bool:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", "e2e"], capture_output=True
        )
        return result.returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
