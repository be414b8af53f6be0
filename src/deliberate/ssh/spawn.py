"""Starting one member process per SSH connection (server side).

Two ways, same child (`deliberate.ssh.child`):
- "fork" (default): a fork server that has already imported the app forks each member's
  process. A join costs a fork plus the app's start, not a fresh interpreter's ~1 s of
  imports, and members share the imported code's memory pages.
- "exec": a fresh interpreter per member (`python -m deliberate.ssh.child`); slower to start
  and heavier, kept for comparison and as a fallback.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Protocol

from deliberate.ssh.child import run_member_tui

# What the fork server imports once, so each member's process starts warm.
PRELOAD = (
    "deliberate.cli",
    "deliberate.tui.launch",
    "deliberate.tui.app",
    "deliberate.tui.modes",
    "deliberate.tui.screens.overview",
    "deliberate.tui.screens.meeting",
    "deliberate.tui.screens.facilitator",
    "deliberate.tui.screens.projector",
    "deliberate.services.voting",
    "deliberate.services.meetings",
    "deliberate.services.live",
    "deliberate.tui.screens.proposal",
    "deliberate.tui.screens.vote",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "deliberate.ssh.warm",  # last: freezes the heap so members share it
)


class Child(Protocol):
    @property
    def pid(self) -> int: ...

    @property
    def sentinel(self) -> int:
        """A file descriptor that becomes readable when the process ends."""

    def exit_code(self) -> int | None:
        """The exit status once the process has ended (None while it runs)."""

    def release(self) -> None:
        """Free what the launcher holds for an ended process."""


class Launcher(Protocol):
    name: str

    def start(self, tty_path: str, argv: Sequence[str], env: Mapping[str, str]) -> Child: ...

    def close(self) -> None: ...


def kill_group(pid: int, sig: int = signal.SIGHUP) -> None:
    """Signal the member's process group (the child is its session and group leader)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


# ------------------------------------------------------------------------------ exec


class _ExecChild:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        self._pidfd = os.pidfd_open(proc.pid)

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def sentinel(self) -> int:
        return self._pidfd

    def exit_code(self) -> int | None:
        code = self._proc.poll()
        return 128 - code if code is not None and code < 0 else code

    def release(self) -> None:
        self._proc.poll()
        if self._pidfd >= 0:
            os.close(self._pidfd)
            self._pidfd = -1


class ExecLauncher:
    """A fresh interpreter per member."""

    name = "exec"

    def start(self, tty_path: str, argv: Sequence[str], env: Mapping[str, str]) -> Child:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deliberate.ssh.child", tty_path, json.dumps(list(argv))],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=True,
            close_fds=True,
        )
        return _ExecChild(proc)

    def close(self) -> None:
        pass


# ------------------------------------------------------------------------------ fork server


class _ForkedChild:
    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self._process = process
        self._pid = process.pid or 0

    @property
    def pid(self) -> int:
        return self._pid

    @property
    def sentinel(self) -> int:
        return self._process.sentinel

    def exit_code(self) -> int | None:
        if self._process.is_alive():
            return None
        code = self._process.exitcode
        return 128 - code if code is not None and code < 0 else code  # -SIG -> 128+SIG style

    def release(self) -> None:
        try:
            self._process.join(0)
            self._process.close()
        except ValueError:
            pass  # still running: left to the fork server


class ForkLauncher:
    """Members' processes forked from a warm fork server (multiprocessing's forkserver)."""

    name = "fork"

    def __init__(self, preload: Sequence[str] = PRELOAD) -> None:
        self._ctx = multiprocessing.get_context("forkserver")
        importable = [m for m in preload if _importable(m)]
        self._ctx.set_forkserver_preload(importable)

    def warm_up(self) -> None:
        """Start the fork server now (it imports the app once), not at the first join."""
        from multiprocessing import forkserver

        forkserver.ensure_running()

    def start(self, tty_path: str, argv: Sequence[str], env: Mapping[str, str]) -> Child:
        # daemon: a stopping server never waits on members' processes (it hangs them up first).
        process = self._ctx.Process(
            target=run_member_tui, args=(tty_path, list(argv), dict(env)), daemon=True
        )
        process.start()
        return _ForkedChild(process)

    def close(self) -> None:
        pass


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def make_launcher(kind: str) -> Launcher:
    if kind == "exec":
        return ExecLauncher()
    launcher = ForkLauncher()
    launcher.warm_up()
    return launcher
