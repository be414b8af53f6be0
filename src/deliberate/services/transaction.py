"""Running one use case in one write transaction, retried when the database asks for it.

PostgreSQL may abort a transaction with a serialization failure or a deadlock; SQLite may, in
rare cases past the busy timeout, say "database is locked". Neither may reach a voter: the
whole transaction is simply run again.

SQLite writers also queue for their turn (see `store.writer_queue`), inside `Database.write()`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deliberate.store.direct import DirectWrite
from deliberate.store.engine import Database

T = TypeVar("T")
X = TypeVar("X")

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
    return _retried(db.write, work)


def run_direct(db: Database, work: Callable[[DirectWrite], T]) -> T:
    """The same on the DB-API cursor (`db.write_direct()`, see `store.direct`): the vote."""
    return _retried(db.write_direct, work)


def _retried(begin: Callable[[], AbstractContextManager[X]], work: Callable[[X], T]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with begin() as tx:
                return work(tx)
        except DBAPIError as exc:
            if attempt == ATTEMPTS or not is_retryable(exc):
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))
    raise AssertionError("unreachable")
