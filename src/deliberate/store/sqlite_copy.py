"""Consistent copies of an SQLite forum file (`deliberate backup` / `restore`).

A plain `cp` of a forum in WAL mode copies only what has been checkpointed into the main file:
recent votes sit in `-wal` and are lost. SQLite's online backup API copies a consistent
snapshot, WAL included, while others keep writing.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from deliberate.store.engine import BUSY_TIMEOUT_MS


class InUse(Exception):
    """Another connection (a server, a TUI, a command) has the forum open."""


def copy_file(source: Path | str, target: Path) -> None:
    """A consistent snapshot of `source` written to the new file `target`, one file, no WAL."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        with closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        src.close()


def make_self_contained(path: Path) -> None:
    """Fold a WAL back into the file and switch it to rollback mode: one file to keep."""
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as con:
        con.execute("PRAGMA journal_mode = DELETE")


def lock_exclusively(path: Path) -> sqlite3.Connection:
    """A connection that holds `path` exclusively until it is closed.

    In WAL mode every open connection keeps a shared lock on the file, idle or not, so an
    exclusive lock is refused (InUse) while a server, a TUI or a command has the forum open.
    """
    con = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        con.execute("PRAGMA locking_mode = EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        con.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        con.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise InUse(str(exc)) from None
        raise
    return con


def row_count(con: sqlite3.Connection, tables: tuple[str, ...]) -> int:
    """Rows in those of `tables` that exist (0 for an empty or new file)."""
    present = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return sum(
        con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables if t in present
    )


def restore_into(source: Path, con: sqlite3.Connection) -> None:
    """Overwrite the database behind `con` (held by lock_exclusively) with `source`."""
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src:
        src.backup(con)
