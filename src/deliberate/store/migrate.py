"""Creating and upgrading the schema with Alembic (never create_all)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from deliberate.errors import UserError
from deliberate.store.engine import Database


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
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision(db: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(db)).get_current_head()


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise UserError("db_unreachable", where=db.where, reason=_first_line(exc)) from None


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `revision`; returns (before, after)."""
    before = current_revision(db)
    cfg = alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(db)


def downgrade(db: Database, revision: str = "base") -> None:
    cfg = alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def require_current(db: Database) -> None:
    """Refuse to work on a database that is missing or not at the head revision."""
    if current_revision(db) != head_revision(db):
        raise UserError("db_not_initialised", where=db.where)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
