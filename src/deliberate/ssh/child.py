"""The member's side of an SSH connection: a process with the connection's pseudo-terminal
as its controlling terminal, running `deliberate … tui --as HANDLE`.

It starts either forked from a warm fork server (`run_member_tui`, the default: the imports
are already done) or as a fresh interpreter (`python -m deliberate.ssh.child`). Either way:
a new session, the pty opened by name (so it becomes the controlling terminal) on fds 0-2,
the environment replaced by the one the server built, no web browser, and no traceback ever
written to the terminal (it goes to the server log).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import sys
import traceback
import webbrowser
from collections.abc import Mapping, Sequence
from types import TracebackType

LOG_ENV = "DELIBERATE_SSH_LOG"


def _log(text: str) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(
                f"{dt.datetime.now().isoformat(timespec='seconds')} [pid {os.getpid()}] {text}\n"
            )
    except OSError:
        pass


def _attach_terminal(tty_path: str) -> None:
    """Make `tty_path` this process's controlling terminal and its stdin/stdout/stderr."""
    with contextlib.suppress(PermissionError):  # already a session leader
        os.setsid()
    fd = os.open(tty_path, os.O_RDWR)  # a session leader's first tty becomes its terminal
    for target in (0, 1, 2):
        if fd != target:
            os.dup2(fd, target)
    if fd > 2:
        os.close(fd)
    streams = {
        "stdin": io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8"),
        "stdout": io.TextIOWrapper(
            io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True
        ),
        "stderr": io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True
        ),
    }
    for name, stream in streams.items():  # sys.__stdout__ too: Textual's driver writes there
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _no_browser() -> None:
    """Nothing a member does may launch a program on the server (a text browser is a shell)."""
    os.environ["BROWSER"] = "true"  # if anything asks anyway, `true` opens nothing

    def refuse(*args: object, **kwargs: object) -> bool:
        return False

    webbrowser.open = refuse
    webbrowser.open_new = refuse
    webbrowser.open_new_tab = refuse


def _hooks() -> None:
    """Uncaught errors in any thread go to the server log, never to the member's terminal."""
    import threading

    def excepthook(
        kind: type[BaseException], value: BaseException | None, tb: TracebackType | None
    ) -> None:
        _log("uncaught error\n" + "".join(traceback.format_exception(kind, value, tb)))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def run_member_tui(tty_path: str, argv: Sequence[str], env: Mapping[str, str]) -> None:
    """Entry point in the member's process; exits with the app's status."""
    _attach_terminal(tty_path)
    os.environ.clear()
    os.environ.update(env)
    _no_browser()
    _hooks()
    code = 70
    try:
        from deliberate.cli import main

        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        _log("unexpected error\n" + traceback.format_exc())
        try:
            sys.stderr.write(
                "\r\ndeliberate: der skete en uventet fejl / an unexpected error happened\r\n"
            )
            sys.stderr.flush()
        except OSError:
            pass
    sys.exit(code)


def main() -> None:
    """`python -m deliberate.ssh.child TTY ARGV_JSON` (env comes from the server)."""
    tty_path, argv = sys.argv[1], json.loads(sys.argv[2])
    run_member_tui(tty_path, argv, dict(os.environ))


if __name__ == "__main__":
    main()
