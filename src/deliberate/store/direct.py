"""Writes straight on the DB-API cursor, for the path that runs most often: a vote.

Through SQLAlchemy a statement costs ~0.1 ms of Python (execution context, parameter and
result objects) and a Session transaction more; a vote is a handful of short statements, so
that was most of its time. Here each Core statement is compiled once per dialect
(`Prepared`) and run on the cursor of a pooled DB-API connection (`DirectWrite`, opened by
`Database.write_direct`). The column types' own bind and result conversions are applied,
so what is stored and read is exactly what Core would store and read; the drivers keep the
statements prepared (sqlite3 caches them per connection; psycopg prepares a query it has
run five times).

Each statement is logged at DEBUG on this module's logger (tests count them that way).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Dialect
from sqlalchemy.sql import Executable, Select

log = logging.getLogger(__name__)

_Processor = Callable[[Any], Any]
_GIVEN: Any = object()  # a parameter given per call (not a value the statement holds)


class Row(tuple[Any, ...]):
    """A result row whose columns are also attributes (`row.choice`)."""

    __slots__ = ()
    columns: ClassVar[dict[str, int]] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self.columns[name]]
        except KeyError:
            raise AttributeError(name) from None


def _row_type(names: Sequence[str]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "columns": {n: i for i, n in enumerate(names)}})


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool
    # Per bind parameter, in the statement's order: (name, value, bind conversion); the
    # value is one the statement holds (e.g. `id = 1`), or _GIVEN per call.
    binds: tuple[tuple[str, Any, _Processor | None], ...]
    row: type[Row]  # the result's row type (no columns: no result)
    results: tuple[tuple[int, _Processor], ...]  # result conversions by column position

    def parameters(self, given: Mapping[str, Any]) -> Any:
        values = []
        for name, fixed, process in self.binds:
            value = given[name] if fixed is _GIVEN else fixed
            values.append(value if process is None or value is None else process(value))
        if self.positional:
            return tuple(values)
        return {name: value for (name, _, _), value in zip(self.binds, values, strict=True)}

    def make_row(self, raw: Sequence[Any]) -> Row:
        if self.results:
            values = list(raw)
            for index, process in self.results:
                values[index] = process(values[index])
            raw = values
        return self.row(raw)


class Prepared:
    """A Core statement compiled once per dialect for `DirectWrite`.

    `params`: the names of the values given per call (bind parameters of a query, or the
    columns an INSERT or UPDATE sets). `key`: for an INSERT run by `DirectWrite.insert`, the
    primary key column it returns."""

    def __init__(
        self, statement: Executable, *, params: Iterable[str] = (), key: Any = None
    ) -> None:
        self.statement = statement
        self.params = tuple(params)
        self.key = key
        self._by_dialect: dict[tuple[str, str], _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver)
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement: Any = self.statement
        if self.key is not None and dialect.name != "sqlite":  # SQLite: its last row id
            statement = statement.returning(self.key)
        keys = None if isinstance(statement, Select) else list(self.params) or None
        compiled: Any = statement.compile(dialect=dialect, column_keys=keys)
        missing = [c.key for c in compiled.insert_prefetch if c.key not in self.params]
        if missing or compiled.update_prefetch:  # column defaults are not applied here
            raise ValueError(f"give every column's value: {missing or compiled.update_prefetch}")
        # Literal parameters (an aggregate's separator) are rendered into the SQL text.
        state = compiled.construct_expanded_state({name: None for name in self.params})
        binds = []
        for name in state.positiontup if compiled.positional else list(state.parameters):
            process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            fixed = _GIVEN if name in self.params else state.parameters[name]
            binds.append((name, fixed, process))
        columns = list(statement.selected_columns) if isinstance(statement, Select) else []
        results: list[tuple[int, _Processor]] = []
        for i, column in enumerate(columns):
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if process is not None:
                results.append((i, process))
        row = _row_type([str(column.key) for column in columns])
        return _Compiled(
            state.statement, bool(compiled.positional), tuple(binds), row, tuple(results)
        )


class DirectWrite:
    """One write transaction on a DB-API cursor (see `Database.write_direct`).

    `info` holds what the transaction has learnt (the audit head it locked)."""

    def __init__(self, dialect: Dialect, cursor: Any) -> None:
        self.dialect = dialect
        self.cursor = cursor
        self.is_postgres = dialect.name == "postgresql"
        self.info: dict[str, Any] = {}
        self.statement = ""  # the last one run, for error reports

    def execute(self, prepared: Prepared, params: Mapping[str, Any] | None = None) -> None:
        compiled = prepared.compiled(self.dialect)
        self._run(compiled.sql)
        self.cursor.execute(compiled.sql, compiled.parameters(params or {}))

    def execute_many(self, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        compiled = prepared.compiled(self.dialect)
        self._run(compiled.sql)
        self.cursor.executemany(compiled.sql, [compiled.parameters(row) for row in rows])

    def first(self, prepared: Prepared, params: Mapping[str, Any] | None = None) -> Row | None:
        """The first row, or None."""
        compiled = prepared.compiled(self.dialect)
        self._run(compiled.sql)
        self.cursor.execute(compiled.sql, compiled.parameters(params or {}))
        raw = self.cursor.fetchone()
        return None if raw is None else compiled.make_row(raw)

    def insert(self, prepared: Prepared, params: Mapping[str, Any]) -> int:
        """Run an INSERT of one row and return its integer primary key (`Prepared(key=…)`:
        RETURNING it, or SQLite's last row id)."""
        compiled = prepared.compiled(self.dialect)
        self._run(compiled.sql)
        self.cursor.execute(compiled.sql, compiled.parameters(params))
        sqlite = self.dialect.name == "sqlite"
        return int(self.cursor.lastrowid if sqlite else self.cursor.fetchone()[0])

    def _run(self, sql: str) -> None:
        self.statement = sql
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", sql)
