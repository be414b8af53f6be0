"""Running database work off the UI thread (harlequin's discipline).

A job runs in a thread worker, never touches widgets, and returns a message; the message is
posted to the node that started it, whose handler owns the state change. User errors and
database trouble become an `ActionFailed` message in plain words; a bug is logged to a file.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from deliberate.domain.text import for_log_block
from deliberate.errors import UserError
from deliberate.i18n import Translator
from deliberate.tui.messages import ActionFailed

Job = Callable[[], Message | None]


def default_log_path() -> Path:
    from deliberate.services.database import data_dir

    return data_dir() / "deliberate.log"


def log_exception(exc: BaseException, path: Path | None = None) -> str:
    """Append the traceback to the log file; returns where it went."""
    target = path or default_log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as log:
            log.write(
                f"{dt.datetime.now().isoformat(timespec='seconds')} unexpected error in the TUI\n"
            )
            log.write(for_log_block("".join(traceback.format_exception(exc))))
            log.write("\n")
    except OSError:
        return "(no log)"
    return str(target)


def failure_message(exc: BaseException, t: Translator, log_path: Path | None = None) -> str:
    """Plain words for any exception a job raised."""
    if isinstance(exc, UserError):
        return exc.message(t.lang)
    if _from_database(exc):
        orig = getattr(exc, "orig", None)
        reason = (str(orig) if orig else str(exc) or exc.__class__.__name__).strip().splitlines()
        return t("tui.error.database", reason=reason[0] if reason else "?")
    return t("tui.error.unexpected", log=log_exception(exc, log_path))


def _from_database(exc: BaseException) -> bool:
    """An error of the database (SQLAlchemy's, or the driver's on a plain read); SQLAlchemy
    is only asked when it is loaded (the first screen reads without it)."""
    if isinstance(exc, sqlite3.Error):
        return True
    if "sqlalchemy.exc" not in sys.modules:
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)


def run_db(
    node: DOMNode,
    job: Job,
    t: Translator,
    *,
    group: str,
    exclusive: bool = True,
    log_path: Path | None = None,
) -> Worker[None]:
    """Run `job` in a thread; post its message (or an ActionFailed) back to `node`."""

    def run() -> None:
        worker = get_current_worker()
        try:
            message = job()
        except Exception as exc:
            message = ActionFailed(failure_message(exc, t, log_path))
        if message is not None and not worker.is_cancelled:
            node.post_message(message)

    return node.run_worker(
        run, thread=True, group=group, exclusive=exclusive, exit_on_error=False, name=group
    )
