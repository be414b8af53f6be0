"""The `deliberate` console script. Ctrl+C at any moment ends the program quietly.

Until the full-screen app runs, Ctrl+C (SIGINT) ends the process at once with status 130:
nothing has touched the terminal, and every database write is one transaction that SQLite or
PostgreSQL rolls back if it did not commit. While the app runs, `tui.interrupt` asks it to
quit instead, so the terminal is restored.
"""

from __future__ import annotations

import os
import signal
import sys
import threading


def quit_at_once(signum: int = signal.SIGINT, frame: object = None) -> None:
    try:
        sys.stderr.write("\n")
        sys.stderr.flush()
    finally:
        os._exit(128 + signum)


def main() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, quit_at_once)
    from deliberate.cli import main as cli_main

    cli_main()
