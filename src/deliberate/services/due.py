"""Which proposals have a time boundary due (DESIGN §9), on SQLAlchemy Core.

Every command runs the scheduler before it answers; almost always nothing is due. Asking
that here, without the ORM, lets a command like `member list` answer without importing it;
`services.scheduler` uses the same query to find what to move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select

from deliberate.domain.status import ProposalStatus
from deliberate.store import tables
from deliberate.store.engine import Database


def due_query(now: dt.datetime) -> Any:
    """The ids of proposals with a boundary at or before `now` (aware), by id."""
    at = now.astimezone(dt.UTC).replace(tzinfo=None)  # stored as naive UTC
    p = tables.proposals.c
    return (
        select(p.id)
        .where(
            or_(
                and_(p.status == ProposalStatus.DRAFT, p.debate_from <= at),
                and_(
                    p.status == ProposalStatus.DEBATE,
                    or_(
                        p.opens_at <= at,
                        and_(p.filing_closed_at.is_(None), p.amendments_close_at <= at),
                    ),
                ),
                and_(p.status == ProposalStatus.VOTING, p.closes_at <= at),
            )
        )
        .order_by(p.id)
    )


def anything_due(db: Database, now: dt.datetime | None = None) -> bool:
    moment = now or dt.datetime.now(dt.UTC)
    with db.read_rows() as connection:
        return connection.execute(due_query(moment).limit(1)).first() is not None
