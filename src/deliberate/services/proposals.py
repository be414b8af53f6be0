"""Reading proposals: the list and one proposal in full."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from deliberate.domain.proposal_file import ParsedAmendment, compute_content_hash
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


def stored_text_hashes(session: Session, proposal_id: str | None = None) -> dict[str, str]:
    """The content hash recomputed from the text as stored (title, programme, section,
    authors, body and amendments), per proposal: what `verify` compares with the logged hash
    and what `open` freezes. One place, so every writer of proposal text hashes alike."""
    query = select(
        Proposal.id,
        Proposal.title,
        Proposal.section,
        Proposal.authors,
        Proposal.body,
        Programme.name,
    ).outerjoin(Programme, Programme.id == Proposal.programme_id)
    amendments_query = select(
        Amendment.proposal_id, Amendment.number, Amendment.title, Amendment.body
    ).order_by(Amendment.proposal_id, Amendment.number)
    if proposal_id is not None:
        query = query.where(Proposal.id == proposal_id)
        amendments_query = amendments_query.where(Amendment.proposal_id == proposal_id)
    amendments: dict[str, list[ParsedAmendment]] = {}
    for a in session.execute(amendments_query):
        amendments.setdefault(a.proposal_id, []).append(ParsedAmendment(a.number, a.title, a.body))
    hashes = {}
    for row in session.execute(query):
        try:
            authors = tuple(json.loads(row.authors or "[]"))
        except ValueError:
            authors = ("<unreadable>",)
        hashes[row.id] = compute_content_hash(
            id=row.id,
            title=row.title,
            programme=row.name,
            section=row.section,
            authors=authors,
            body=row.body,
            amendments=tuple(amendments.get(row.id, ())),
        )
    return hashes


# The ballot text as `open` logs it (text_sha256): the proposal's fields and every field of
# every amendment that can change what is voted on. Versioned: a new field needs a new version.
_BALLOT_TEXT_VERSION = "deliberate-ballot-text-v1"
_AMENDMENT_TEXT_FIELDS = (
    "number",
    "title",
    "body",
    "kind",
    "paragraph",
    "operation",
    "new_text",
    "justification",
    "state",
    "alternative_group",
)


def ballot_text_digests(session: Session, proposal_id: str | None = None) -> dict[str, str]:
    """SHA-256 of each proposal's ballot text as stored (see _AMENDMENT_TEXT_FIELDS)."""
    query = select(
        Proposal.id,
        Proposal.title,
        Proposal.section,
        Proposal.authors,
        Proposal.body,
        Programme.name,
    ).outerjoin(Programme, Programme.id == Proposal.programme_id)
    amendments_query = select(Amendment).order_by(Amendment.proposal_id, Amendment.number)
    if proposal_id is not None:
        query = query.where(Proposal.id == proposal_id)
        amendments_query = amendments_query.where(Amendment.proposal_id == proposal_id)
    amendments: dict[str, list[list[object]]] = {}
    for a in session.scalars(amendments_query):
        amendments.setdefault(a.proposal_id, []).append(
            [getattr(a, name, None) for name in _AMENDMENT_TEXT_FIELDS]
        )
    digests = {}
    for row in session.execute(query):
        document = {
            "id": row.id,
            "title": row.title,
            "programme": row.name,
            "section": row.section,
            "authors": row.authors,
            "body": row.body,
            "amendments": amendments.get(row.id, []),
        }
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digests[row.id] = hashlib.sha256(f"{_BALLOT_TEXT_VERSION}\n{text}".encode()).hexdigest()
    return digests
