"""Looking at a forum database as a whole."""

from __future__ import annotations

from sqlalchemy import select, text

from deliberate.store.engine import Database
from deliberate.store.models import Base


def fingerprint(db: Database) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table, in a stable order."""
    out = []
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table)).all()
            out.append((table.name, sorted(tuple(map(repr, r)) for r in rows)))
        out.append(("alembic", session.execute(text("SELECT * FROM alembic_version")).all()))
    return out  # type: ignore[return-value]
