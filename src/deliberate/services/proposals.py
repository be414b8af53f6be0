"""Reading proposals: the list and one proposal in full."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from deliberate.domain.paragraphs import ParagraphOp
from deliberate.domain.phases import Clock
from deliberate.domain.proposal_file import ParsedAmendment, compute_content_hash
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.services.read_models import Phase as Phase
from deliberate.services.read_models import make_phase
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
    """The phase of a proposal (also given a row of the same columns: list_proposals)."""
    clock = Clock(
        status=ProposalStatus(p.status),
        debate_from=p.debate_from,
        amendments_close_at=p.amendments_close_at,
        filing_closed=p.filing_closed_at is not None,
        opens_at=p.opens_at,
        closes_at=p.closes_at,
    )
    return make_phase(
        clock,
        utcnow(),
        submitted_by=handles.get(p.submitted_by) if p.submitted_by else None,
        submitted_at=p.submitted_at,
        supporters=supporters,
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
            *_SUMMARY_COLUMNS,
            Programme.name.label("programme_name"),
            Programme.slug,
            func.coalesce(amendments.c.n, 0).label("n_amendments"),
            func.coalesce(comments.c.n, 0).label("n_comments"),
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
        # Plain rows of the columns a summary shows (no ORM objects per proposal).
        rows: Sequence[Any] = session.connection().execute(query).all()
        return [
            ProposalSummary(
                id=p.id,
                title=p.title,
                programme=p.programme_name,
                programme_slug=p.slug,
                section=p.section,
                status=phase.status,
                amendment_count=p.n_amendments,
                comment_count=p.n_comments,
                rules_name=p.rules_name,
                opened_at=p.opened_at,
                closes_at=p.closes_at,
                closed_at=p.closed_at,
                phase=phase,
            )
            for p in rows
            for phase in (phase_of(p, handles, support.get(p.id, ())),)
        ]


# What list_proposals reads of each proposal: the summary's and phase_of's columns.
_SUMMARY_COLUMNS = (
    Proposal.id,
    Proposal.title,
    Proposal.section,
    Proposal.status,
    Proposal.rules_name,
    Proposal.opened_at,
    Proposal.closes_at,
    Proposal.closed_at,
    Proposal.debate_from,
    Proposal.amendments_close_at,
    Proposal.filing_closed_at,
    Proposal.opens_at,
    Proposal.submitted_by,
    Proposal.submitted_at,
)


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


def stored_text_hashes(session: Session, proposal_id: str | None = None) -> dict[str, set[str]]:
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
        Amendment.proposal_id, Amendment.number, Amendment.title, Amendment.body, Amendment.new_text
    ).order_by(Amendment.proposal_id, Amendment.number)
    if proposal_id is not None:
        query = query.where(Proposal.id == proposal_id)
        amendments_query = amendments_query.where(Amendment.proposal_id == proposal_id)
    # Files hash an amendment's text as written; submissions.rehash hashes body + new_text.
    as_filed: dict[str, list[ParsedAmendment]] = {}
    as_submitted: dict[str, list[ParsedAmendment]] = {}
    for a in session.execute(amendments_query):
        as_filed.setdefault(a.proposal_id, []).append(ParsedAmendment(a.number, a.title, a.body))
        as_submitted.setdefault(a.proposal_id, []).append(
            ParsedAmendment(a.number, a.title, a.body + (a.new_text or ""))
        )
    hashes: dict[str, set[str]] = {}
    for row in session.execute(query):
        try:
            authors = tuple(json.loads(row.authors or "[]"))
        except ValueError:
            authors = ("<unreadable>",)
        hashes[row.id] = {
            compute_content_hash(
                id=row.id,
                title=row.title,
                programme=row.name,
                section=row.section,
                authors=authors,
                body=row.body,
                amendments=tuple(variant.get(row.id, ())),
            )
            for variant in (as_filed, as_submitted)
        }
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
