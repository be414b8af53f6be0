"""services.live.ChangeWatcher on SQLite and a real PostgreSQL: a write by another connection
is noticed, quickly; nothing is reported when nothing changed; close() ends a wait."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from deliberate.services import comments, importer, members, voting
from deliberate.services.live import ChangeWatcher
from deliberate.store.engine import Database


@pytest.fixture
def forum(any_db: Database, tmp_path) -> Database:  # type: ignore[no-untyped-def]
    (tmp_path / "p.md").write_text("---\nid: p\ntitle: P\n---\n\nTekst.\n", encoding="utf-8")
    importer.import_paths(any_db, [tmp_path / "p.md"])
    members.add_member(any_db, "ole", "Ole", role="facilitator")
    members.add_member(any_db, "ida", "Ida")
    voting.open_voting(any_db, "ole", "p")
    return any_db


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
        started = time.monotonic()
        assert watcher.wait(2.0) is True
        assert time.monotonic() - started < 1.0
        assert watcher.changed() is False  # reported once


def test_a_comment_wakes_a_waiting_thread(forum: Database) -> None:
    with ChangeWatcher(forum.url) as watcher:
        timer = threading.Timer(0.3, lambda: comments.add_comment(forum, "ida", "p", "Hej"))
        timer.start()
        started = time.monotonic()
        assert watcher.wait(3.0) is True
        assert 0.25 <= time.monotonic() - started < 1.3
        timer.join()


def test_nothing_changed_means_no_report(forum: Database) -> None:
    with ChangeWatcher(forum.url) as watcher:
        voting.tally(forum, "p")  # reads write nothing
        assert watcher.wait(0.6) is False


def test_close_ends_a_wait_at_once(forum: Database) -> None:
    watcher = ChangeWatcher(forum.url)
    threading.Timer(0.2, watcher.close).start()
    started = time.monotonic()
    assert watcher.wait(10.0) is False
    assert time.monotonic() - started < 2.0
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
        await asyncio.wait_for(anext(changes), timeout=3)
        await changes.aclose()


def test_in_memory_sqlite_is_refused() -> None:
    with pytest.raises(ValueError):
        ChangeWatcher("sqlite://")
