"""The proposal list with each proposal's phase and, once closed, its outcome, read on
SQLAlchemy Core in one statement: `deliberate proposals` imports no ORM.

The status is derived from the clock as every read derives it (DESIGN §9); a closed vote's
outcome and carried amendments are the frozen tally's. A vote whose deadline has passed but
that the scheduler has not closed yet reads as the close will freeze it: that needs the
ballots, the meeting's attendance and the rules, so it is read by `voting.tally_in` (the
ORM) inside the same transaction. Every command runs the scheduler before it answers, so
that happens only when a deadline passes between the two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from deliberate.domain.phases import Clock, effective_status
from deliberate.domain.rules import Outcome
from deliberate.domain.status import ProposalStatus
from deliberate.store import tables
from deliberate.store.engine import Database


@dataclass(frozen=True)
class ListedProposal:
    id: str
    title: str
    programme: str | None
    section: str | None
    status: ProposalStatus  # effective: boundaries that passed count, scheduler or not
    amendment_count: int
    comment_count: int
    outcome: Outcome  # OPEN until closed
    carried_amendments: tuple[int, ...] = ()

    @property
    def outcome_value(self) -> str | None:
        """The outcome as `tally --json` gives it: none for a draft."""
        return None if self.status is ProposalStatus.DRAFT else self.outcome.value


def list_proposals(db: Database) -> list[ListedProposal]:
    """All proposals: programmes by name and their sections in numeric order, then stand-alones."""
    with db.read_rows() as connection:
        rows = connection.execute(_QUERY).all()
        now = dt.datetime.now(dt.UTC)
        listed = [_listed(r, now) for r in rows]
        pending = [i for i, p in enumerate(listed) if _closing(p, rows[i])]
        if pending:
            _read_closing(connection, listed, pending)
    return listed


def _listed(r: Any, now: dt.datetime) -> ListedProposal:
    if r.outcome is not None:  # closed: the frozen tally is the record
        status = ProposalStatus(r.status)
        outcome = Outcome(r.outcome)
        carried = tuple(int(k) for k in r.carried_amendments.split(",") if k)
    else:
        clock = Clock(
            status=ProposalStatus(r.status),
            debate_from=_utc(r.debate_from),
            amendments_close_at=_utc(r.amendments_close_at),
            filing_closed=r.filing_closed_at is not None,
            opens_at=_utc(r.opens_at),
            closes_at=_utc(r.closes_at),
        )
        status, outcome, carried = effective_status(clock, now), Outcome.OPEN, ()
    return ListedProposal(
        id=r.id,
        title=r.title,
        programme=r.programme,
        section=r.section,
        status=status,
        amendment_count=r.n_amendments,
        comment_count=r.n_comments,
        outcome=outcome,
        carried_amendments=carried,
    )


def _closing(p: ListedProposal, row: Any) -> bool:
    """Closed by its deadline, not yet by the scheduler (no tally frozen)."""
    return p.status is ProposalStatus.CLOSED and row.outcome is None


def _read_closing(connection: Connection, listed: list[ListedProposal], pending: list[int]) -> None:
    """The result each pending close will freeze, by the tally code, in this transaction."""
    from sqlalchemy.orm import Session

    from deliberate.services.voting import tally_in

    with Session(bind=connection) as session:
        for i in pending:
            result = tally_in(session, listed[i].id)
            listed[i] = ListedProposal(
                id=listed[i].id,
                title=listed[i].title,
                programme=listed[i].programme,
                section=listed[i].section,
                status=result.status,
                amendment_count=listed[i].amendment_count,
                comment_count=listed[i].comment_count,
                outcome=result.outcome,
                carried_amendments=result.carried_amendments,
            )


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.replace(tzinfo=dt.UTC)  # stored as naive UTC


def _query() -> Any:
    p, g, t = tables.proposals.c, tables.programmes.c, tables.tallies.c
    a, c = tables.amendments.c, tables.comments.c
    amendments = select(a.proposal_id, func.count().label("n")).group_by(a.proposal_id).subquery()
    comments = (
        select(c.proposal_id, func.count().label("n"))
        .where(c.deleted_at.is_(None))
        .group_by(c.proposal_id)
        .subquery()
    )
    return (
        select(
            p.id,
            p.title,
            p.section,
            p.status,
            p.debate_from,
            p.amendments_close_at,
            p.filing_closed_at,
            p.opens_at,
            p.closes_at,
            g.name.label("programme"),
            func.coalesce(amendments.c.n, 0).label("n_amendments"),
            func.coalesce(comments.c.n, 0).label("n_comments"),
            t.outcome,
            t.carried_amendments,
        )
        .select_from(tables.proposals)
        .outerjoin(tables.programmes, p.programme_id == g.id)
        .outerjoin(amendments, amendments.c.proposal_id == p.id)
        .outerjoin(comments, comments.c.proposal_id == p.id)
        .outerjoin(tables.tallies, t.proposal_id == p.id)
        .order_by(g.name.is_(None), g.name, p.section_key, p.title, p.id)
    )


_QUERY = _query()
