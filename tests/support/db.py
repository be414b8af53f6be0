"""Looking at a forum database as a whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest
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


def assert_each_refused_cleanly(db: Database, refusals: dict[str, Callable[[], object]]) -> None:
    """Each attempt is refused with one line in both languages and writes nothing; the chain
    still verifies."""
    from deliberate.errors import UserError
    from deliberate.services import audit

    for name, attempt in refusals.items():
        before = fingerprint(db)
        with pytest.raises(UserError) as err:
            attempt()
        for lang in ("da", "en"):
            message = err.value.message(lang)
            assert "\n" not in message and not message.startswith("phases."), (name, message)
        assert fingerprint(db) == before, name
    assert audit.verify(db).ok
