"""Engine and transaction set-up for SQLite (embedded default) and PostgreSQL.

SQLite under many writers (DESIGN §5): WAL, synchronous=FULL, foreign keys, a busy timeout,
and every transaction that may write begins with BEGIN IMMEDIATE — a deferred transaction
that reads and then writes fails at once with SQLITE_BUSY under contention.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from deliberate.errors import UserError
from deliberate.store.writer_queue import writer_turn

APP_NAME = "deliberate"
BUSY_TIMEOUT_MS = 30_000


def data_dir() -> Path:
    """The per-user data folder (database, SSH host key, logs)."""
    override = os.environ.get("DELIBERATE_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resolve_url(db: str | None = None) -> str:
    """`--db` / DELIBERATE_DB: a file path or an SQLAlchemy URL; default: the data folder."""
    db = db or os.environ.get("DELIBERATE_DB") or ""
    if not db:
        return f"sqlite:///{data_dir() / 'deliberate.db'}"
    if "://" in db:
        try:
            url = make_url(db)
        except ArgumentError:
            raise UserError("db_bad_url", url=db) from None
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def describe_url(url: str) -> str:
    """The database for messages, without a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        # We issue BEGIN ourselves (below), so pysqlite must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get("write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _sqlite_setup(engine)
        else:
            engine = create_engine(url, echo=echo, pool_pre_ping=True)
    except NoSuchModuleError:
        raise UserError("db_bad_url", url=describe_url(url)) from None
    except ModuleNotFoundError:
        raise UserError("db_driver_missing", url=describe_url(url)) from None
    return engine


class Database:
    """One database: an engine and short-lived sessions.

    `read()` for queries, `write()` for anything that may write (BEGIN IMMEDIATE on SQLite).
    Sessions are short: open, do one use case, commit, close. Never hold one while a person
    is thinking.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self._sqlite_file = self.engine.url.database if self.is_sqlite else None
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(write=True), expire_on_commit=False
        )

    @classmethod
    def open(cls, db: str | None = None) -> Database:
        return cls(resolve_url(db))

    @property
    def where(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any exception.

        On SQLite the writer first waits for its turn in the writer queue, then BEGINs
        IMMEDIATE, so writers take turns promptly instead of polling the busy handler."""
        with writer_turn(self._sqlite_file), self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
