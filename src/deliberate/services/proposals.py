"""Reading proposals: the list and one proposal in full."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from deliberate.errors import UserError
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, Comment, Programme, Proposal, ProposalStatus


@dataclass(frozen=True)
class AmendmentInfo:
    number: int
    title: str
    body: str


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
        return [
            ProposalSummary(
                id=p.id,
                title=p.title,
                programme=name,
                programme_slug=slug,
                section=p.section,
                status=ProposalStatus(p.status),
                amendment_count=n_amendments,
                comment_count=n_comments,
                rules_name=p.rules_name,
                opened_at=p.opened_at,
                closes_at=p.closes_at,
                closed_at=p.closed_at,
            )
            for p, name, slug, n_amendments, n_comments in session.execute(query)
        ]


def get_proposal(db: Database, proposal_id: str) -> ProposalDetail:
    with db.read() as session:
        proposal = session.scalars(
            select(Proposal)
            .where(Proposal.id == proposal_id)
            .options(selectinload(Proposal.amendments), selectinload(Proposal.programme))
        ).one_or_none()
        if proposal is None:
            raise UserError("unknown_proposal", proposal=proposal_id)
        return ProposalDetail(
            id=proposal.id,
            title=proposal.title,
            programme=proposal.programme.name if proposal.programme else None,
            section=proposal.section,
            authors=tuple(json.loads(proposal.authors or "[]")),
            body=proposal.body,
            content_hash=proposal.content_hash,
            status=ProposalStatus(proposal.status),
            amendments=tuple(AmendmentInfo(a.number, a.title, a.body) for a in proposal.amendments),
            rules_name=proposal.rules_name,
            rules_spec=json.loads(proposal.rules_spec) if proposal.rules_spec else None,
            opened_at=proposal.opened_at,
            closes_at=proposal.closes_at,
            closed_at=proposal.closed_at,
        )
