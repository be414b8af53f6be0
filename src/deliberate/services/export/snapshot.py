"""One consistent, read-only view of the database for the length of an export.

SQLite: a deferred read transaction in WAL mode sees one snapshot from its first read on.
PostgreSQL: REPEATABLE READ (READ COMMITTED would give each statement a new snapshot, so
ballots written during a long export could disagree with the counts printed beside them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from deliberate.store.engine import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

BATCH = 5000  # rows fetched per round trip when streaming


@contextmanager
def snapshot(db: Database) -> Iterator[Session]:
    if not db.is_postgres:
        with db.read() as session:
            yield session
        return
    engine = db.engine.execution_options(
        isolation_level="REPEATABLE READ", postgresql_readonly=True
    )
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def rows_snapshot(db: Database) -> Iterator[Connection]:
    """The same snapshot on a Core connection, for exports that need no ORM (ballots CSV)."""
    if not db.is_postgres:
        with db.read_rows() as connection:
            yield connection
        return
    engine = db.engine.execution_options(
        isolation_level="REPEATABLE READ", postgresql_readonly=True
    )
    with engine.connect() as connection, connection.begin():
        yield connection


STREAM = {"yield_per": BATCH}  # execution options: server-side cursor on PostgreSQL


def raw_batches(connection: Connection, statement: Any, name: str) -> Iterator[list[Any]]:
    """Plain DB-API tuples in batches, read through the connection's own driver connection
    (so inside its snapshot): a server-side cursor `name` on PostgreSQL, SQLite's lazy
    cursor otherwise. No Row objects and no type processing: columns come as the driver
    gives them."""
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    driver = connection.connection.driver_connection
    assert driver is not None  # the connection is open
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor(name=name)
        params: Any = compiled.params
    else:
        cursor = driver.cursor()
        params = tuple(compiled.params[key] for key in compiled.positiontup or ())
    try:
        cursor.execute(compiled.string, params)
        while rows := cursor.fetchmany(BATCH):
            yield rows
    finally:
        cursor.close()
