"""Who runs a command and on which forum: what every command shares, without typer (the
member app's plain command line, `cli/fast_tui.py`, starts without importing typer)."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deliberate.errors import UserError
from deliberate.i18n import Translator

if TYPE_CHECKING:
    from deliberate.store.engine import Database


@dataclass
class CliContext:
    db_arg: str | None
    lang: str
    _db: Database | None = field(default=None, repr=False)

    @property
    def t(self) -> Translator:
        return Translator(self.lang)

    def database(self, *, require_schema: bool = True) -> Database:
        if self._db is None:
            # Imported here: `--help` and commands without a database never load SQLAlchemy.
            from deliberate.store import migrate
            from deliberate.store.engine import Database, describe_url, resolve_url

            url = resolve_url(self.db_arg)
            if require_schema and _missing_sqlite_file(url):
                raise UserError("db_not_initialised", where=describe_url(url))
            self._db = Database(url)
            if require_schema:
                migrate.require_current(self._db)
                # Every command answers after the one scheduler moved what is due (DESIGN §9);
                # asking first, on Core, spares commands the ORM when nothing is due.
                from deliberate.services.due import anything_due

                if anything_due(self._db):
                    from deliberate.services.scheduler import run_scheduler

                    run_scheduler(self._db)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def _missing_sqlite_file(url: str) -> bool:
    from deliberate.store.engine import sqlite_file

    path = sqlite_file(url)
    if path is None and url.startswith("sqlite"):  # a URL with options: SQLAlchemy parses it
        from sqlalchemy.engine import make_url

        path = make_url(url).database
        path = None if path in (None, "", ":memory:") else path
    return path is not None and not Path(path).exists()


def acting_handle(as_handle: str | None) -> str:
    """--as, else DELIBERATE_MEMBER, else the OS login name (DESIGN §7)."""
    if as_handle:
        return as_handle
    env = os.environ.get("DELIBERATE_MEMBER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:
        return ""
