"""SQLite writers queue for their turn on a lock file beside the database (`flock`).

SQLite's own busy handler polls with sleeps of up to 100 ms, so under many writers a vote
could wait seconds while the database sat idle; the kernel wakes a process queued on the lock
file the moment the previous writer commits. The lock is released by the kernel if a process
dies, and BEGIN IMMEDIATE with the busy timeout still serialises writers where it is missing.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

if sys.platform != "win32":  # POSIX only: SQLite writers elsewhere are not queued here
    import fcntl


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
            fd = self.fd
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0 and fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)


_queues: dict[str, _WriterQueue] = {}
_queues_lock = threading.Lock()


def _forget_after_fork() -> None:
    # A forked child (the SSH fork server's members) must not share its parent's lock file
    # description: flock locks belong to it, so parent and child would both "hold" the turn.
    global _queues, _queues_lock
    for queue in _queues.values():
        if queue.fd is not None:
            os.close(queue.fd)
    _queues = {}
    _queues_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


@contextmanager
def writer_turn(path: str | None) -> Iterator[None]:
    """Wait for this process's turn to write to the SQLite file `path` (a no-op for None,
    in-memory databases, or when the lock file cannot be created)."""
    if sys.platform == "win32" or not path or path == ":memory:" or path.startswith("file:"):
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
