"""What the front ends need of the store, so that screens reach it only through services.

`Database` is the handle every service takes; `utcnow()` is the clock the stored times use.
"""

from __future__ import annotations

from deliberate.store.clock import utcnow
from deliberate.store.engine import Database, data_dir, resolve_url

__all__ = ["Database", "data_dir", "require_current", "resolve_url", "utcnow"]


def require_current(db: Database) -> None:
    """UserError unless the schema is at the newest migration (Alembic loads only when asked)."""
    from deliberate.store import migrate

    migrate.require_current(db)
