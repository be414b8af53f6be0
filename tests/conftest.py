"""Fixtures: throwaway databases on SQLite and on a real PostgreSQL server.

PostgreSQL comes from DELIBERATE_TEST_PG (an admin URL, set by scripts/test after it starts
the server). Without it the PostgreSQL tests are skipped with a reason — except under CI=true,
where they must run.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from deliberate.store import migrate
from deliberate.store.engine import Database

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("DELIBERATE_TEST_PG", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_unavailable_reason() -> str | None:
    if not PG_ADMIN_URL:
        return "PostgreSQL not configured: set DELIBERATE_TEST_PG or run scripts/test"
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at DELIBERATE_TEST_PG is unreachable: {exc.__class__.__name__}"
    return None


_PG_REASON = _pg_unavailable_reason()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _PG_REASON is None:
        return
    if IN_CI:
        raise pytest.UsageError(f"CI=true but {_PG_REASON}")
    skip = pytest.mark.skip(reason=_PG_REASON)
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


class PgDatabases:
    """Creates and drops throwaway PostgreSQL databases."""

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.base = make_url(admin_url)
        self.created: list[str] = []
        # DROP DATABASE waits for a checkpoint (seconds on a busy machine): a test hands its
        # database to this thread and goes on; close() waits for the drops to finish.
        self._drops: queue.Queue[str | None] = queue.Queue()
        self._dropper = threading.Thread(target=self._drop_queued, name="pg-drop", daemon=True)
        self._dropper.start()

    def create(self, template: str | None = None) -> str:
        name = f"deliberate_test_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        for attempt in range(50):
            try:
                with self.admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
                break
            except OperationalError as exc:
                # "source database … is being accessed by other users": autovacuum visits the
                # template now and then; it leaves within moments.
                if "being accessed by other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        self.created.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop the database soon, in the background (see __init__)."""
        name = make_url(url).database
        assert name is not None
        self._drops.put(name)

    def _drop_queued(self) -> None:
        while (name := self._drops.get()) is not None:
            with contextlib.suppress(Exception):  # left for close(): it drops what is still there
                self._drop_now(name)

    def _drop_now(self, name: str) -> None:
        for attempt in range(50):
            try:
                with self.admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except (OperationalError, ProgrammingError) as exc:
                # FORCE cannot end an autovacuum worker (it runs as the superuser): wait for it.
                if "must be a member of the role" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        self._drops.put(None)
        self._dropper.join()
        for name in list(self.created):  # templates and anything a failed test left behind
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    if _PG_REASON is not None:
        pytest.skip(_PG_REASON)
    pgs = PgDatabases(PG_ADMIN_URL)
    yield pgs
    pgs.close()


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'forum.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no schema), on each backend."""
    if request.param == "sqlite":
        yield _sqlite_url(tmp_path)
        return
    pgs: PgDatabases = request.getfixturevalue("pg_databases")
    url = pgs.create()
    yield url
    pgs.drop(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty SQLite forum per test process; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "forum.db"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    with db.engine.connect() as conn:  # fold the WAL into the file so one file is the forum
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template(pg_databases: PgDatabases) -> str:
    """One migrated, empty PostgreSQL forum per test process, used as a CREATE DATABASE template."""
    url = pg_databases.create()
    db = Database(url)
    migrate.upgrade(db)
    db.dispose()
    name = make_url(url).database
    assert name is not None
    return name


def _sqlite_copy(template: Path, tmp_path: Path) -> Database:
    target = tmp_path / "forum.db"
    shutil.copyfile(template, target)
    return Database(_sqlite_url(tmp_path))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty forum on each backend (a copy of the session's template)."""
    if request.param == "sqlite":
        db = _sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
        yield db
        db.dispose()
        return
    pgs: PgDatabases = request.getfixturevalue("pg_databases")
    url = pgs.create(template=request.getfixturevalue("pg_template"))
    db = Database(url)
    yield db
    db.dispose()
    pgs.drop(url)


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty forum on SQLite only (for tests that are about SQLite)."""
    db = _sqlite_copy(sqlite_template, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_databases: PgDatabases, pg_template: str) -> Iterator[Database]:
    url = pg_databases.create(template=pg_template)
    db = Database(url)
    yield db
    db.dispose()
    pg_databases.drop(url)


@pytest.fixture
def samples_dir() -> Path:
    return REPO / "proposals"
