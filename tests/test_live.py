"""services.live.ChangeWatcher on SQLite and a real PostgreSQL: a write by another connection
is noticed; nothing is reported when nothing changed; close() ends a wait."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from deliberate.services import comments, importer, members, voting
from deliberate.services.live import ChangeWatcher
from deliberate.store.engine import Database


def build(db: Database, tmp_path: Path) -> Database:
    (tmp_path / "p.md").write_text("---\nid: p\ntitle: P\n---\n\nTekst.\n", encoding="utf-8")
    importer.import_paths(db, [tmp_path / "p.md"])
    members.add_member(db, "ole", "Ole", role="facilitator")
    members.add_member(db, "ida", "Ida")
    voting.open_voting(db, "ole", "p")
    return db


@pytest.fixture
def forum(any_db: Database, tmp_path: Path) -> Database:
    return build(any_db, tmp_path)


def other_process(db: Database) -> Database:
    """A second engine on the same database: what another member's session looks like."""
    return Database(db.url)


def test_a_vote_by_another_connection_is_noticed(forum: Database) -> None:
    with ChangeWatcher(forum.url) as watcher:
        assert watcher.changed() is False
        other = other_process(forum)
        try:
            voting.cast_vote(other, "ida", "p", "ja")
        finally:
            other.dispose()
        assert watcher.wait(30.0) is True  # how soon: bench/bench_live.py
        assert watcher.changed() is False  # reported once


def test_a_comment_wakes_a_waiting_thread(forum: Database) -> None:
    with ChangeWatcher(forum.url) as watcher:
        timer = threading.Timer(0.3, lambda: comments.add_comment(forum, "ida", "p", "Hej"))
        timer.start()
        started = time.monotonic()
        assert watcher.wait(30.0) is True
        assert time.monotonic() - started >= 0.25  # woken by the comment, not before it
        timer.join()


def test_nothing_changed_means_no_report(forum: Database) -> None:
    with ChangeWatcher(forum.url) as watcher:
        voting.tally(forum, "p")  # reads write nothing
        assert watcher.wait(0.6) is False


def test_close_ends_a_wait_at_once(forum: Database) -> None:
    watcher = ChangeWatcher(forum.url)
    threading.Timer(0.2, watcher.close).start()
    started = time.monotonic()
    assert watcher.wait(60.0) is False
    assert time.monotonic() - started < 30.0  # generous: a wait left alone would take 60 s
    assert watcher.closed and watcher.wait(0.1) is False


async def test_async_iterator(forum: Database) -> None:
    with ChangeWatcher(forum.url) as watcher:
        loop = asyncio.get_running_loop()
        loop.call_later(
            0.2,
            lambda: threading.Thread(
                target=voting.cast_vote, args=(forum, "ida", "p", "nej")
            ).start(),
        )
        changes = watcher.changes(timeout=0.25)
        await asyncio.wait_for(anext(changes), timeout=30)  # generous: a bound, not a measure
        await changes.aclose()


def test_in_memory_sqlite_is_refused() -> None:
    with pytest.raises(ValueError):
        ChangeWatcher("sqlite://")


def test_a_wake_ends_a_sqlite_wait_before_the_next_poll(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """A write this process knows about (the live hub's wake) needs no poll: the wait ends,
    says whether the forum changed, and has taken that change in (it is not reported again)."""
    build(sqlite_db, tmp_path)
    wake = threading.Event()
    with ChangeWatcher(sqlite_db.url, interval=60.0, wake=wake) as watcher:
        comments.add_comment(sqlite_db, "ida", "p", "Hej")
        threading.Timer(0.2, wake.set).start()
        started = time.monotonic()
        assert watcher.wait(120.0) is True
        assert time.monotonic() - started < 60.0  # the next poll would have been at 60 s
        wake.clear()
        assert watcher.changed() is False
        threading.Timer(0.2, wake.set).start()
        assert watcher.wait(120.0) is False  # woken, nothing new
        assert time.monotonic() - started < 60.0
