"""One read per change, handed to every screen that shows it (DESIGN §11).

A `LiveHub` serves every app in a process: the SSH server's worker (hundreds of members'
apps) or `deliberate tui` (one). It owns the process's one `ChangeWatcher`; on a change it
reads each *topic* that some screen shows — the running meeting, the facilitator's console,
the forum overview, an open proposal — once, in its own thread, and hands the same frozen
snapshot to every subscriber. Per-member parts (my vote) are read for all subscribed members
in the same query; each screen picks its own.

Screens subscribe while shown and ask for the current snapshot when they appear
(`Subscription.request`): a fresh cached snapshot is handed over at once, otherwise one
read serves everyone who asked meanwhile. Database work never runs on an event loop.

Callbacks (`deliver`) run in the hub's thread: a screen's callback only posts a message
(Textual's `post_message` is thread-safe).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from deliberate.services.database import Database

log = logging.getLogger("deliberate.live")

Loader = Callable[[Database, frozenset[str], Any], Any]  # (db, handles, previous) -> snapshot
MIN_GAP = 0.1  # seconds between two reads caused by changes (a burst of votes is one read)


@dataclass(eq=False)
class Subscription:
    hub: LiveHub
    key: Hashable
    handle: str
    deliver: Callable[[Any], None]
    failed: Callable[[BaseException], None] | None = None  # a read this subscriber asked for failed

    def request(self) -> None:
        """Hand this subscriber the current snapshot (cached if fresh, else after a read)."""
        self.hub._request(self)

    def close(self) -> None:
        self.hub._unsubscribe(self)


@dataclass(eq=False)
class _Topic:
    loader: Loader
    subs: set[Subscription] = field(default_factory=set)
    waiting: set[Subscription] = field(default_factory=set)
    snapshot: Any = None
    handles: frozenset[str] = frozenset()
    stale: bool = True
    reads: int = 0


class LiveHub:
    """See the module doc. `watch=False`: no watcher (tests; changes come via `changed()`)."""

    def __init__(
        self, db: Database, *, watch: bool = True, on_error: Callable[[], None] | None = None
    ) -> None:
        self.db = db
        self._watch = watch
        self._on_error = on_error
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._changed = False
        self._topics: dict[Hashable, _Topic] = {}
        self._thread: threading.Thread | None = None
        self._watcher: Any = None
        self._listeners: list[Callable[[], None]] = []
        self.reads = 0  # snapshots read (for tests and benchmarks)

    # ------------------------------------------------------------------ life

    def start(self) -> LiveHub:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="deliberate-live", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        watcher = self._watcher
        if watcher is not None:
            watcher.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def changed(self) -> None:
        """Something changed (tests, or a write this process knows about): read again."""
        with self._lock:
            self._changed = True
        self._wake.set()

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` (in the hub's thread) on every change; returns how to stop."""
        with self._lock:
            self._listeners.append(callback)

        def stop() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return stop

    def reads_of(self, key: Hashable) -> int:
        """How often the topic `key` was read while subscribed (for tests and benchmarks)."""
        with self._lock:
            topic = self._topics.get(key)
            return topic.reads if topic is not None else 0

    # ------------------------------------------------------------------ subscribers

    def subscribe(
        self,
        key: Hashable,
        loader: Loader,
        handle: str,
        deliver: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> Subscription:
        sub = Subscription(self, key, handle, deliver, failed)
        with self._lock:
            topic = self._topics.get(key)
            if topic is None:
                topic = self._topics[key] = _Topic(loader)
            topic.subs.add(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            topic = self._topics.get(sub.key)
            if topic is None:
                return
            topic.subs.discard(sub)
            topic.waiting.discard(sub)
            if not topic.subs:
                del self._topics[sub.key]

    def _request(self, sub: Subscription) -> None:
        with self._lock:
            topic = self._topics.get(sub.key)
            if topic is None or sub not in topic.subs:
                return
            fresh = (
                topic.snapshot is not None
                and not topic.stale
                and not self._changed
                and sub.handle in topic.handles
            )
            snapshot = topic.snapshot
            if not fresh:
                topic.waiting.add(sub)
        if fresh:
            self._hand(sub, snapshot)
        else:
            self._wake.set()

    # ------------------------------------------------------------------ the thread

    def _run(self) -> None:
        try:
            if self._watch:
                from deliberate.services.live import ChangeWatcher

                self._watcher = ChangeWatcher(self.db.url, wake=self._wake)
        except Exception:
            log.exception("no live updates: the change watcher could not start")
            if self._on_error is not None:
                self._on_error()
        last_read = 0.0
        while not self._stop.is_set():
            if self._watcher is not None:
                try:
                    if self._watcher.wait(0.0 if self._wake.is_set() else 0.25):
                        self.changed()
                except Exception:
                    log.exception("the change watcher failed")
                    self._stop.wait(1.0)
            else:
                self._wake.wait(0.25)
            if self._stop.is_set():
                return
            self._wake.clear()
            with self._lock:
                changed, self._changed = self._changed, False
                if changed:
                    for topic in self._topics.values():
                        topic.stale = True
                due = [
                    (key, t)
                    for key, t in self._topics.items()
                    if t.subs and (t.waiting or (t.stale and changed))
                ]
            if changed:
                gap = last_read + MIN_GAP - time.monotonic()
                if gap > 0:
                    self._stop.wait(gap)
                last_read = time.monotonic()
            for key, topic in due:
                self._read(key, topic)
            if changed:
                with self._lock:
                    listeners = list(self._listeners)
                for callback in listeners:
                    try:
                        callback()
                    except Exception:
                        log.exception("a change listener failed")

    def _read(self, key: Hashable, topic: _Topic) -> None:
        with self._lock:
            handles = frozenset(s.handle for s in topic.subs)
            previous = topic.snapshot
        try:
            snapshot = topic.loader(self.db, handles, previous)
        except Exception as exc:
            log.exception("reading %r failed", key)
            with self._lock:
                asked = list(topic.waiting)
                topic.waiting.clear()
            for sub in asked:  # those who asked hear of it (once each); the log has it once
                if sub.failed is not None:
                    try:
                        sub.failed(exc)
                    except Exception:
                        log.exception("reporting a failed read failed")
            return
        self.reads += 1
        with self._lock:
            topic.snapshot, topic.handles, topic.reads = snapshot, handles, topic.reads + 1
            topic.stale = False
            # Everyone sees a change; an unchanged snapshot goes only to those who asked.
            targets = list(topic.subs) if snapshot != previous else list(topic.waiting)
            topic.waiting.clear()
        for sub in targets:
            self._hand(sub, snapshot)

    @staticmethod
    def _hand(sub: Subscription, snapshot: Any) -> None:
        try:
            sub.deliver(snapshot)
        except Exception:
            log.exception("handing a snapshot to a screen failed")
