"""Running one use case in one write transaction, retried when the database asks for it.

PostgreSQL may abort a transaction with a serialization failure or a deadlock; SQLite may, in
rare cases past the busy timeout, say "database is locked". Neither may reach a voter: the
whole transaction is simply run again.

SQLite writers also queue for a lock file beside the database (`flock`) before BEGIN
IMMEDIATE. SQLite's own busy handler polls with sleeps of up to 100 ms, so under many
writers a vote could wait seconds while the database sat idle; the kernel wakes a process
queued on the lock file the moment the previous writer commits.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deliberate.store.engine import Database

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy timeout alone serialises writers
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

ATTEMPTS = 8
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_RETRY_SQLITE = ("database is locked", "database table is locked", "database is busy")


def is_retryable(exc: DBAPIError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    message = str(orig).lower()
    return any(text in message for text in _RETRY_SQLITE)


def run_write(db: Database, work: Callable[[Session], T]) -> T:
    """`work(session)` inside `db.write()`; rolled back and run again on a retryable error."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with writer_turn(db), db.write() as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == ATTEMPTS or not is_retryable(exc):
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))
    raise AssertionError("unreachable")


class _WriterQueue:
    """One SQLite file's writers: threads of this process take a lock, then processes take
    an exclusive flock on `<database>-writer.lock` (released by the kernel if one dies)."""

    def __init__(self, path: str) -> None:
        self.path = f"{path}-writer.lock"
        self.threads = threading.RLock()
        self.fd: int | None = None
        self.depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self.threads:
            if self.depth == 0:
                if self.fd is None:
                    self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(self.fd, fcntl.LOCK_EX)
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)


_queues: dict[str, _WriterQueue] = {}
_queues_lock = threading.Lock()


@contextmanager
def writer_turn(db: Database) -> Iterator[None]:
    """Wait for this process's turn to write (SQLite files only; a no-op elsewhere, or when
    the lock file cannot be created — SQLite's busy timeout still serialises writers)."""
    path = db.engine.url.database if db.is_sqlite and fcntl is not None else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    with _queues_lock:
        queue = _queues.get(path)
        if queue is None:
            queue = _queues[path] = _WriterQueue(path)
    try:
        turn = queue.turn()
        turn.__enter__()
    except OSError:
        yield
        return
    try:
        yield
    finally:
        turn.__exit__(None, None, None)
