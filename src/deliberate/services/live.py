"""Noticing changes made by other processes (other members' sessions, the CLI). UI-free.

SQLite: `PRAGMA data_version` on a dedicated connection changes whenever another connection
commits; it is polled a few times a second, outside any transaction, so WAL checkpoints are
never held up. PostgreSQL: every write appends to the audit log, which NOTIFYs
`deliberate_changes`; we LISTEN on a dedicated autocommit connection.

    watcher = ChangeWatcher(db.url)
    while running:
        if watcher.wait(timeout=0.5):   # True: something changed since the last call
            refresh()
    watcher.close()
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from typing import Any, Protocol

from sqlalchemy.engine import make_url

NOTIFY_CHANNEL = "deliberate_changes"  # the channel services.audit notifies on
POLL_INTERVAL = 0.25  # seconds between SQLite polls: changes show well within a second


class _Source(Protocol):
    def wait(self, timeout: float) -> bool: ...
    def close(self) -> None: ...


class ChangeWatcher:
    """Tells whether the forum's database changed since the last time it was asked.

    `changed()` never blocks; `wait(timeout)` blocks up to `timeout` seconds for a change;
    `changes()` is an async iterator for an asyncio task. Thread-safe `close()` ends waits.
    `wake`, when given, is an event another thread sets to end a SQLite wait before the next
    poll (a write this process knows about needs no poll); such a wait returns False.
    """

    def __init__(
        self,
        db_url: str,
        *,
        interval: float = POLL_INTERVAL,
        wake: threading.Event | None = None,
    ) -> None:
        url = make_url(db_url)
        self._closed = threading.Event()
        self._wake = wake
        backend = url.get_backend_name()
        if backend == "sqlite":
            self._source: _Source = _SqliteSource(url.database or "", interval, self._closed, wake)
        elif backend == "postgresql":
            self._source = _PostgresSource(url, self._closed)
        else:
            raise ValueError(f"no change watcher for {backend}")

    def changed(self) -> bool:
        return self._source.wait(0)

    def wait(self, timeout: float) -> bool:
        if self._closed.is_set():
            return False
        return self._source.wait(timeout)

    async def changes(self, timeout: float = 0.5) -> AsyncIterator[None]:
        """Yields once per batch of changes, until closed."""
        while not self._closed.is_set():
            if await asyncio.to_thread(self.wait, timeout):
                yield None

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()
        if self._wake is not None:
            self._wake.set()  # a SQLite wait sleeps on it
        self._source.close()

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _SqliteSource:
    def __init__(
        self, path: str, interval: float, closed: threading.Event, wake: threading.Event | None
    ) -> None:
        if not path or path == ":memory:":
            raise ValueError("an in-memory SQLite database has no other writers to watch")
        self._interval = interval
        self._closed = closed
        self._wake = wake
        self._lock = threading.Lock()
        # Autocommit (isolation_level=None): the PRAGMA never opens a lasting transaction.
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._version = self._read()

    def _read(self) -> int:
        with self._lock:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self._closed.is_set():
                return False
            version = self._read()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._wake is None:
                self._closed.wait(min(self._interval, left))  # returns early when closed
            elif self._wake.wait(min(self._interval, left)):
                # Woken: one more look (the waker's own commit is visible now), no more sleep.
                if self._closed.is_set():
                    return False
                version = self._read()
                changed, self._version = version != self._version, version
                return changed

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _PostgresSource:
    CHUNK = 0.25  # longest single block, so close() never waits long

    def __init__(self, url: Any, closed: threading.Event) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._closed = closed
        self._lock = threading.Lock()
        self._conn: Any = None
        self._connect()

    def _connect(self) -> None:
        import psycopg  # optional dependency, only for PostgreSQL forums

        self._conn = psycopg.connect(self._conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._closed.is_set():
            left = max(0.0, deadline - time.monotonic())
            with self._lock:
                if self._closed.is_set():
                    return False
                try:
                    if self._poll(min(left, self.CHUNK)):
                        return True
                except Exception:
                    return self._reconnect()
            if left <= 0:
                return False
        return False

    def _poll(self, timeout: float) -> bool:
        seen = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            seen = True
        if seen:  # drain what is already queued: one refresh covers them all
            for _ in self._conn.notifies(timeout=0):
                pass
        return seen

    def _reconnect(self) -> bool:
        with contextlib.suppress(Exception):
            self._conn.close()
        self._closed.wait(1.0)
        if self._closed.is_set():
            return False
        try:
            self._connect()
        except Exception:
            return False
        return True  # notifications may have been missed meanwhile

    def close(self) -> None:
        with self._lock, contextlib.suppress(Exception):
            self._conn.close()
