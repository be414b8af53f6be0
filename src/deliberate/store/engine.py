"""Engine and transaction set-up for SQLite (embedded default) and PostgreSQL.

SQLite under many writers (DESIGN §5): WAL, synchronous=FULL, foreign keys, a busy timeout,
and every transaction that may write begins with BEGIN IMMEDIATE — a deferred transaction
that reads and then writes fails at once with SQLITE_BUSY under contention.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from deliberate.errors import UserError
from deliberate.store.writer_queue import writer_turn

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

    from deliberate.store.direct import DirectWrite

APP_NAME = "deliberate"
BUSY_TIMEOUT_MS = 30_000
# How SQLAlchemy's DateTime stores a (naive UTC) time in SQLite.
SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"

# A `plain_read`: (SQL text with :name parameters, parameters) -> rows as tuples.
PlainRows = Callable[..., list[tuple[Any, ...]]]


def plain_time(value: object) -> dt.datetime | None:
    """A stored time from a `plain_read` row (SQLite: text; PostgreSQL: naive), aware UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC)


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
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

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
    path = sqlite_file(url)
    if path is not None:
        return path
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def sqlite_file(url: str) -> str | None:
    """The file of a plain SQLite URL (`sqlite:///path`, as `resolve_url` writes them), else
    None (another database, an in-memory one, or a URL with options: SQLAlchemy parses those)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return path if path and path != ":memory:" else None


def _sqlite_setup(engine: Engine) -> None:
    from sqlalchemy import event

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
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import NoSuchModuleError

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
    is thinking. `read_rows()` is a read transaction on SQLAlchemy Core, for read paths that
    run on every start and should not pay for importing the ORM.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self._echo = echo
        # A plain SQLite file: the engine (and SQLAlchemy) loads on first use, so a first
        # screen can be read before (`plain_read`). Any other URL is checked here and now.
        self._sqlite_file = sqlite_file(url)
        if self._sqlite_file is None:
            self.__dict__["engine"] = make_engine(url, echo=echo)
            backend = self.engine.dialect.name
            if backend == "sqlite":
                self._sqlite_file = self.engine.url.database or None
        else:
            backend = "sqlite"
        self.is_sqlite = backend == "sqlite"
        self.is_postgres = backend == "postgresql"

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.url, echo=self._echo)

    @property
    def reads_plain_sqlite(self) -> bool:
        """Whether `plain_read` runs on the standard library's `sqlite3` (no engine yet)."""
        return self._sqlite_file is not None and "engine" not in self.__dict__

    @contextmanager
    def plain_read(self) -> Iterator[PlainRows]:
        """A read transaction by SQL text with `:name` parameters, giving plain tuples.

        On an SQLite file whose engine is not built yet it runs on the standard library's
        `sqlite3`, so the member app's first screen is read without importing SQLAlchemy
        (issue 15); otherwise on the engine. Stored times come back as stored: `plain_time`
        reads them, `time_param` writes a moment to compare with them."""
        if self.reads_plain_sqlite:
            connection = self._plain_sqlite()
            try:
                connection.execute("BEGIN")
                yield lambda sql, params=None: connection.execute(sql, params or {}).fetchall()
                connection.execute("COMMIT")
            finally:
                connection.close()
            return
        from sqlalchemy import text

        with self.read_rows() as conn:
            yield lambda sql, params=None: [
                tuple(row) for row in conn.execute(text(sql), params or {})
            ]

    def _plain_sqlite(self) -> sqlite3.Connection:
        import sqlite3

        assert self._sqlite_file is not None
        if not Path(self._sqlite_file).exists():  # never created as a side effect of a read
            raise UserError("db_not_initialised", where=self.where)
        connection = sqlite3.connect(
            self._sqlite_file, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return connection

    def time_param(self, moment: dt.datetime) -> object:
        """`moment` as a parameter of a `plain_read` comparing with stored times (naive UTC;
        on SQLite the text SQLAlchemy stores, so that the comparison is of like with like)."""
        naive = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return naive.strftime(SQLITE_TIME_FORMAT) if self.is_sqlite else naive

    # The ORM is imported on the first session, not with the engine (see `read_rows`).
    @cached_property
    def _read(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @cached_property
    def _write(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine.execution_options(write=True), expire_on_commit=False)

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
    def read_rows(self) -> Iterator[Connection]:
        """A read transaction on a Core connection (no ORM)."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any exception.

        On SQLite the writer first waits for its turn in the writer queue, then BEGINs
        IMMEDIATE, so writers take turns promptly instead of polling the busy handler."""
        with writer_turn(self._sqlite_file), self._write() as session, session.begin():
            yield session

    @contextmanager
    def write_direct(self) -> Iterator[DirectWrite]:
        """A write transaction on a pooled DB-API connection, for the vote path (see
        `store.direct`): committed on success, rolled back on any exception; a driver's
        error is raised as SQLAlchemy's (`DBAPIError`), as from `write()`.

        The connection is taken from the pool before the writer's turn, which then lasts
        from BEGIN IMMEDIATE (SQLite) to the commit."""
        from sqlalchemy.exc import DBAPIError

        from deliberate.store.direct import DirectWrite

        dialect = self.engine.dialect
        connection = self.engine.raw_connection()
        tx = DirectWrite(dialect, connection.cursor())
        broken = False
        try:
            with writer_turn(self._sqlite_file):
                try:
                    if self.is_sqlite:
                        tx.cursor.execute("BEGIN IMMEDIATE")
                    yield tx
                    connection.commit()
                except BaseException as exc:  # ended inside the turn, before the next writer's
                    broken = isinstance(exc, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
                        exc, connection, tx.cursor
                    )
                    if broken:
                        connection.invalidate(exc)
                    else:
                        connection.rollback()
                    raise
        except dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                tx.statement,
                None,
                exc,
                dialect.loaded_dbapi.Error,
                connection_invalidated=broken,
                dialect=dialect,
            ) from exc
        finally:
            connection.close()

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()

    def ping(self) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
