"""Creating and upgrading the schema with Alembic (never create_all).

Alembic is imported only when the schema changes: checking that a database is current reads
`alembic_version` and the revision ids of our migration files, which keeps every command's
start-up fast.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from deliberate.errors import UserError
from deliberate.store.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"
_REVISION_RE = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION_RE = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def migrations_dir() -> Path:
    """The Alembic scripts: shipped inside the wheel, or the repository's `migrations/`."""
    shipped = Path(str(resources.files("deliberate") / "_migrations"))
    if (shipped / "env.py").is_file():
        return shipped
    repo = Path(__file__).resolve().parents[3] / "migrations"
    if (repo / "env.py").is_file():
        return repo
    raise RuntimeError("the Alembic migrations are missing from this installation")


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


@cache
def head_revision() -> str | None:
    """The newest revision: the one no other migration names as its down_revision."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if match := _REVISION_RE.search(source):
            revisions.add(match.group(1))
        if match := _DOWN_REVISION_RE.search(source):
            parents.add(match.group(1))
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"the migrations have several heads: {sorted(heads)}")
    return next(iter(heads), None)


def current_revision(db: Database) -> str | None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import OperationalError

    try:
        with db.engine.connect() as conn:
            if not inspect(conn).has_table(VERSION_TABLE):
                return None
            return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    except OperationalError as exc:
        raise UserError("db_unreachable", where=db.where, reason=_first_line(exc)) from None


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `revision`; returns (before, after)."""
    from alembic import command

    before = current_revision(db)
    cfg = alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(db)


def downgrade(db: Database, revision: str = "base") -> None:
    from alembic import command

    cfg = alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def require_current(db: Database) -> None:
    """Refuse to work on a database that is missing or not at the head revision (by plain
    SQL: a command's start-up needs no SQLAlchemy for it on an SQLite file)."""
    if _plain_revision(db) != head_revision():
        raise UserError("db_not_initialised", where=db.where)


def _plain_revision(db: Database) -> str | None:
    import sqlite3

    if not db.reads_plain_sqlite:
        return current_revision(db)
    try:
        with db.plain_read() as rows:
            if not rows(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name",
                {"name": VERSION_TABLE},
            ):
                return None
            found = rows(f"SELECT version_num FROM {VERSION_TABLE}")
    except sqlite3.Error as exc:
        raise UserError("db_unreachable", where=db.where, reason=_first_line(exc)) from None
    return str(found[0][0]) if found else None


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", exc) or exc)
    return text_.strip().splitlines()[0] if text_.strip() else type(exc).__name__
