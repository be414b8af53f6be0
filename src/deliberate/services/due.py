"""Which proposals have a time boundary due (DESIGN §9), by plain SQL.

Every command runs the scheduler before it answers; almost always nothing is due. Asking
that by plain SQL (`Database.plain_read`: on an SQLite file, the standard library's driver)
lets a command like `member list`, or the member app's first screen, answer without
importing the ORM — or SQLAlchemy at all; `services.scheduler` uses the same query to find
what to move.
"""

from __future__ import annotations

import datetime as dt

from deliberate.domain.status import ProposalStatus
from deliberate.store.engine import Database, PlainRows

# The ids of proposals with a boundary at or before :at (a `Database.time_param`), by id.
DUE_SQL = f"""
SELECT id FROM proposals
WHERE (status = '{ProposalStatus.DRAFT}' AND debate_from <= :at)
   OR (status = '{ProposalStatus.DEBATE}'
       AND (opens_at <= :at OR (filing_closed_at IS NULL AND amendments_close_at <= :at)))
   OR (status = '{ProposalStatus.VOTING}' AND closes_at <= :at)
ORDER BY id
"""


def due_ids(rows: PlainRows, db: Database, now: dt.datetime) -> list[str]:
    """The proposals with a boundary due at `now`, in a read `rows` of `db`."""
    return [pid for (pid,) in rows(DUE_SQL, {"at": db.time_param(now)})]


def anything_due(db: Database, now: dt.datetime | None = None) -> bool:
    with db.plain_read() as rows:
        return bool(due_ids(rows, db, now or dt.datetime.now(dt.UTC)))
