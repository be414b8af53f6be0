"""What every command shares: the database, the language, who acts, and how to print."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.engine import make_url

from deliberate.errors import UserError
from deliberate.i18n import Translator
from deliberate.store import migrate
from deliberate.store.engine import Database, describe_url, resolve_url


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
            url = resolve_url(self.db_arg)
            if require_schema and _missing_sqlite_file(url):
                raise UserError("db_not_initialised", where=describe_url(url))
            self._db = Database(url)
            if require_schema:
                migrate.require_current(self._db)
                # Every command answers after the one scheduler moved what is due (DESIGN §9).
                from deliberate.services.scheduler import run_scheduler

                run_scheduler(self._db)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    return not Path(parsed.database).exists()


def context(ctx: typer.Context) -> CliContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliContext)
    return obj


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


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def echo(text: str = "") -> None:
    typer.echo(text)


AS_OPTION = typer.Option(
    None,
    "--as",
    metavar="HANDLE",
    help="Act as this member (default: $DELIBERATE_MEMBER, else your login name).",
)
