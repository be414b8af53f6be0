"""Schema, migrations and engine set-up, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from deliberate.errors import UserError
from deliberate.store import migrate
from deliberate.store.engine import Database, resolve_url
from deliberate.store.models import Base, Member, Programme, Proposal, Vote


def test_models_and_migrations_agree(any_db: Database) -> None:
    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_to_head_and_down_to_base(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        assert migrate.current_revision(db) is None
        before, after = migrate.upgrade(db)
        assert before is None and after == migrate.head_revision()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.downgrade(db, "base")
        assert migrate.current_revision(db) is None
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(db)  # and up again
        assert migrate.current_revision(db) == migrate.head_revision()
    finally:
        db.dispose()


def test_require_current_refuses_an_empty_database(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        with pytest.raises(UserError) as err:
            migrate.require_current(db)
        assert "deliberate init" in err.value.message("en")
    finally:
        db.dispose()


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_sqlite_write_transactions_begin_immediate(sqlite_db: Database) -> None:
    """A write transaction holds the write lock from BEGIN: a second writer waits, not fails."""
    with sqlite_db.write() as session:
        session.add(Member(handle="a", name="A"))
    order: list[str] = []
    started = threading.Event()

    def second_writer() -> None:
        started.set()
        with sqlite_db.write() as session:
            session.execute(select(Member)).all()  # blocks until the first writer commits
            order.append("second")
            session.add(Member(handle="b", name="B"))

    with sqlite_db.write() as session:
        session.execute(select(Member)).all()  # the write lock is already ours
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait()
        thread.join(timeout=0.3)
        assert thread.is_alive(), "the second writer must wait for our BEGIN IMMEDIATE"
        order.append("first")
        session.add(Member(handle="c", name="C"))
    thread.join(timeout=10)
    assert order == ["first", "second"]
    with sqlite_db.read() as session:
        assert session.scalars(select(Member.handle).order_by(Member.handle)).all() == [
            "a",
            "b",
            "c",
        ]


def test_one_vote_per_member_and_proposal_is_a_constraint(any_db: Database) -> None:
    with any_db.write() as session:
        session.add(Member(handle="m", name="M"))
        session.add(Proposal(id="p", title="P", body="", content_hash="0" * 64))
    with any_db.write() as session:
        member = session.scalars(select(Member)).one()
        session.add(Vote(proposal_id="p", member_id=member.id, choice="ja", receipt="r1"))
    with pytest.raises(IntegrityError), any_db.write() as session:
        member = session.scalars(select(Member)).one()
        session.add(Vote(proposal_id="p", member_id=member.id, choice="nej", receipt="r2"))


def test_datetimes_come_back_in_utc(any_db: Database) -> None:
    moment = dt.datetime(2026, 11, 24, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with any_db.write() as session:
        session.add(Member(handle="t", name="T", created_at=moment))
    with any_db.read() as session:
        stored = session.scalars(select(Member.created_at)).one()
    assert stored == moment and stored.tzinfo == dt.UTC


def test_danish_text_round_trips(any_db: Database) -> None:
    name = "Ærø, Øster Åby & »Søndre« — “citat” 🙂"
    with any_db.write() as session:
        session.add(Programme(slug="x", name=name))
    with any_db.read() as session:
        assert session.scalars(select(Programme.name)).one() == name


def test_resolve_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DELIBERATE_DB", raising=False)
    monkeypatch.setenv("DELIBERATE_HOME", str(tmp_path / "home"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'home' / 'deliberate.db'}"
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u:p@h/db").startswith("postgresql+psycopg://u:p@h/db")
    monkeypatch.setenv("DELIBERATE_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")


def test_postgres_is_really_postgres(pg_db: Database) -> None:
    with pg_db.engine.connect() as conn:
        assert "PostgreSQL" in conn.execute(text("SELECT version()")).scalar_one()


def test_head_revision_matches_alembic(sqlite_db: Database) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config(sqlite_db))
    assert migrate.head_revision() == script.get_current_head()


def test_writer_queue_is_not_shared_with_a_forked_child(sqlite_db: Database) -> None:
    """The SSH fork server forks members' processes: a child must queue behind its parent."""
    import os
    import select as select_

    from deliberate.store.writer_queue import writer_turn

    with sqlite_db.write() as session:  # opens this process's lock file
        session.add(Member(handle="a", name="A"))
    path = sqlite_db.engine.url.database
    read_end, write_end = os.pipe()
    with writer_turn(path):
        pid = os.fork()
        if pid == 0:  # the child: wait for the turn, then report
            try:
                with writer_turn(path):
                    os.write(write_end, b"x")
            finally:
                os._exit(0)
        ready, _, _ = select_.select([read_end], [], [], 0.5)
        assert not ready, "the child took the turn while the parent held it"
    ready, _, _ = select_.select([read_end], [], [], 10)
    assert ready and os.read(read_end, 1) == b"x"
    os.waitpid(pid, 0)
    os.close(read_end)
    os.close(write_end)
