"""Reading proposals: the list and one proposal in full."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from deliberate.domain.paragraphs import ParagraphOp
from deliberate.domain.phases import Boundary, Clock, effective_status, filing_open, next_boundary
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.store.engine import Database
from deliberate.store.models import (
    Amendment,
    AmendmentKind,
    AmendmentState,
    Comment,
    Member,
    Programme,
    Proposal,
    ProposalStatus,
    Supporter,
    utcnow,
)


@dataclass(frozen=True)
class AmendmentInfo:
    number: int
    title: str
    body: str
    kind: AmendmentKind = AmendmentKind.FREE
    paragraph: int | None = None
    operation: ParagraphOp | None = None
    new_text: str = ""
    justification: str = ""
    author: str | None = None  # handle; None: from a file
    created_at: dt.datetime | None = None
    state: AmendmentState = AmendmentState.PROPOSED
    alternative_group: int | None = None

    @property
    def on_ballot(self) -> bool:
        return self.state is AmendmentState.PROPOSED


@dataclass(frozen=True)
class Phase:
    """A proposal's place on the clock (DESIGN §9), derived at read time."""

    status: ProposalStatus  # effective: boundaries that passed count, scheduler or not
    submitted_by: str | None
    submitted_at: dt.datetime | None
    supporters: tuple[str, ...]
    debate_from: dt.datetime | None
    amendments_close_at: dt.datetime | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    filing_open: bool
    next_boundary: tuple[Boundary, dt.datetime] | None


@dataclass(frozen=True)
class ProposalSummary:
    id: str
    title: str
    programme: str | None
    programme_slug: str | None
    section: str | None
    status: ProposalStatus
    amendment_count: int
    comment_count: int
    rules_name: str | None
    opened_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    phase: Phase | None = None


@dataclass(frozen=True)
class ProposalDetail:
    id: str
    title: str
    programme: str | None
    section: str | None
    authors: tuple[str, ...]
    body: str
    content_hash: str
    status: ProposalStatus
    amendments: tuple[AmendmentInfo, ...]
    rules_name: str | None
    rules_spec: dict | None
    opened_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    phase: Phase | None = None


def phase_of(p: Proposal, handles: dict[int, str], supporters: tuple[str, ...]) -> Phase:
    now = utcnow()
    clock = Clock(
        status=ProposalStatus(p.status),
        debate_from=p.debate_from,
        amendments_close_at=p.amendments_close_at,
        filing_closed=p.filing_closed_at is not None,
        opens_at=p.opens_at,
        closes_at=p.closes_at,
    )
    return Phase(
        status=effective_status(clock, now),
        submitted_by=handles.get(p.submitted_by) if p.submitted_by else None,
        submitted_at=p.submitted_at,
        supporters=supporters,
        debate_from=p.debate_from,
        amendments_close_at=p.amendments_close_at,
        opens_at=p.opens_at,
        closes_at=p.closes_at,
        filing_open=filing_open(clock, now),
        next_boundary=next_boundary(clock, now),
    )


def _supporters(session: Any, proposal_id: str | None = None) -> dict[str, tuple[str, ...]]:
    query = (
        select(Supporter.proposal_id, Member.handle)
        .join(Member, Member.id == Supporter.member_id)
        .order_by(Supporter.proposal_id, Supporter.created_at, Member.handle)
    )
    if proposal_id is not None:
        query = query.where(Supporter.proposal_id == proposal_id)
    found: dict[str, list[str]] = defaultdict(list)
    for pid, handle in session.execute(query):
        found[pid].append(handle)
    return {pid: tuple(h) for pid, h in found.items()}


def _handles(session: Any) -> dict[int, str]:
    return {i: h for i, h in session.execute(select(Member.id, Member.handle))}


def list_proposals(db: Database) -> list[ProposalSummary]:
    """All proposals: programmes by name and their sections in numeric order, then stand-alones."""
    amendments = (
        select(Amendment.proposal_id, func.count().label("n"))
        .group_by(Amendment.proposal_id)
        .subquery()
    )
    comments = (
        select(Comment.proposal_id, func.count().label("n"))
        .where(Comment.deleted_at.is_(None))
        .group_by(Comment.proposal_id)
        .subquery()
    )
    query = (
        select(
            Proposal,
            Programme.name,
            Programme.slug,
            func.coalesce(amendments.c.n, 0),
            func.coalesce(comments.c.n, 0),
        )
        .outerjoin(Programme, Proposal.programme_id == Programme.id)
        .outerjoin(amendments, amendments.c.proposal_id == Proposal.id)
        .outerjoin(comments, comments.c.proposal_id == Proposal.id)
        .order_by(
            Programme.name.is_(None),
            Programme.name,
            Proposal.section_key,
            Proposal.title,
            Proposal.id,
        )
    )
    with db.read() as session:
        handles = _handles(session)
        support = _supporters(session)
        rows = session.execute(query).all()
        return [
            ProposalSummary(
                id=p.id,
                title=p.title,
                programme=name,
                programme_slug=slug,
                section=p.section,
                status=phase.status,
                amendment_count=n_amendments,
                comment_count=n_comments,
                rules_name=p.rules_name,
                opened_at=p.opened_at,
                closes_at=p.closes_at,
                closed_at=p.closed_at,
                phase=phase,
            )
            for p, name, slug, n_amendments, n_comments in rows
            for phase in (phase_of(p, handles, support.get(p.id, ())),)
        ]


def get_proposal(db: Database, proposal_id: str) -> ProposalDetail:
    with db.read() as session:
        proposal = session.scalars(
            select(Proposal)
            .where(Proposal.id == proposal_id)
            .options(selectinload(Proposal.amendments), selectinload(Proposal.programme))
        ).one_or_none()
        if proposal is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
        handles = _handles(session)
        phase = phase_of(proposal, handles, _supporters(session, proposal.id).get(proposal.id, ()))
        return ProposalDetail(
            id=proposal.id,
            title=proposal.title,
            programme=proposal.programme.name if proposal.programme else None,
            section=proposal.section,
            authors=tuple(json.loads(proposal.authors or "[]")),
            body=proposal.body,
            content_hash=proposal.content_hash,
            status=phase.status,
            amendments=tuple(_amendment_info(a, handles) for a in proposal.amendments),
            rules_name=proposal.rules_name,
            rules_spec=json.loads(proposal.rules_spec) if proposal.rules_spec else None,
            opened_at=proposal.opened_at,
            closes_at=proposal.closes_at,
            closed_at=proposal.closed_at,
            phase=phase,
        )


def _amendment_info(a: Amendment, handles: dict[int, str]) -> AmendmentInfo:
    return AmendmentInfo(
        number=a.number,
        title=a.title,
        body=a.body,
        kind=AmendmentKind(a.kind),
        paragraph=a.paragraph,
        operation=ParagraphOp(a.operation) if a.operation else None,
        new_text=a.new_text,
        justification=a.justification,
        author=handles.get(a.author_id) if a.author_id else None,
        created_at=a.created_at,
        state=AmendmentState(a.state),
        alternative_group=a.alternative_group,
    )
