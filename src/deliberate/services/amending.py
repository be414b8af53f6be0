"""Members amend (DESIGN §9): during debate, until `amendments_close_at`, any member files an
amendment — a paragraph change (replace, insert after, delete; paragraphs as numbered by
`domain.paragraphs`) or a free-text instruction. Before the vote the proposal's author (or an
organizer) may adopt an amendment into the text ("overtaget": the body and its hash change,
the amendment leaves the ballot) or mark amendments as alternatives (one group number).
Numbers are never reused. Each use case is one audited write transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deliberate.domain.paragraphs import (
    ParagraphChange,
    ParagraphOp,
    apply_changes,
    split_paragraphs,
)
from deliberate.domain.phases import effective_status, filing_open
from deliberate.errors import UserError
from deliberate.services import audit
from deliberate.services.submissions import (
    MAX_BODY,
    clean_text,
    clean_title,
    lock_proposal,
    rehash,
)
from deliberate.services.transaction import run_write
from deliberate.services.voting import clock_of
from deliberate.store.engine import Database
from deliberate.store.models import (
    Amendment,
    AmendmentKind,
    AmendmentState,
    Member,
    Proposal,
    ProposalStatus,
    Role,
    utcnow,
)

MAX_AMENDMENT_TEXT = 20_000
MAX_JUSTIFICATION = 5_000

AMEND = "amend"
ADOPT = "adopt"
GROUP = "group"
AMENDMENT_WITHDRAW = "amendment_withdraw"


@dataclass(frozen=True)
class AmendmentRef:
    proposal_id: str
    number: int
    state: AmendmentState
    alternative_group: int | None
    content_hash: str


def file_amendment(
    db: Database,
    actor: str,
    proposal_id: str,
    title: str,
    *,
    paragraph: int | None = None,
    operation: ParagraphOp | str | None = None,
    new_text: str = "",
    text: str = "",
    justification: str = "",
) -> AmendmentRef:
    """File an amendment: a paragraph change (`paragraph` and `operation`, `new_text` unless
    deleting) or, without a paragraph, a free-text instruction (`text`)."""
    title = clean_title(title)
    op = ParagraphOp(operation) if operation else None
    if (paragraph is None) != (op is None):
        raise UserError("phases.error.amend_kind")
    new_text = _clean_limited(new_text, MAX_AMENDMENT_TEXT)
    text = _clean_limited(text, MAX_AMENDMENT_TEXT)
    justification = clean_text(justification)
    if len(justification) > MAX_JUSTIFICATION:
        raise UserError(
            "phases.error.justification_too_long",
            length=len(justification),
            limit=MAX_JUSTIFICATION,
        )
    if op is None:
        if not text.strip():
            raise UserError("phases.error.amend_kind")
    elif op is ParagraphOp.DELETE:
        if new_text.strip() or text.strip():
            raise UserError("phases.error.delete_takes_no_text")
    else:
        new_text = new_text or text
        text = ""
        if not new_text.strip():
            raise UserError("phases.error.needs_text")

    def work(session: Session) -> AmendmentRef:
        proposal, member = lock_proposal(session, proposal_id, actor)
        now = utcnow()
        _require_filing(proposal, now)
        if op is not None:
            assert paragraph is not None
            paragraphs = split_paragraphs(proposal.body)
            if not 1 <= paragraph <= len(paragraphs):
                raise UserError(
                    "phases.error.no_paragraph",
                    proposal=proposal.id,
                    paragraph=paragraph,
                    count=len(paragraphs),
                )
            if (
                op is ParagraphOp.REPLACE
                and new_text.strip() == paragraphs[paragraph - 1].text.strip()
            ):
                raise UserError("phases.error.unchanged")
        number = (
            session.scalar(
                select(func.max(Amendment.number)).where(Amendment.proposal_id == proposal.id)
            )
            or 0
        ) + 1
        amendment = Amendment(
            proposal_id=proposal.id,
            number=number,
            title=title,
            body=text,
            kind=AmendmentKind.PARAGRAPH if op else AmendmentKind.FREE,
            paragraph=paragraph if op else None,
            operation=op.value if op else None,
            new_text=new_text if op else "",
            justification=justification,
            author_id=member.id,
            created_at=now,
            state=AmendmentState.PROPOSED,
        )
        session.add(amendment)
        session.flush()
        session.refresh(proposal, ["amendments"])
        rehash(proposal)
        proposal.updated_at = now
        audit.append(
            session,
            actor=member.handle,
            action=AMEND,
            subject=proposal.id,
            payload={
                "number": number,
                "title": title,
                "kind": amendment.kind,
                "paragraph": amendment.paragraph,
                "operation": amendment.operation,
                "text_sha256": audit.sha256_text(text),
                "new_text_sha256": audit.sha256_text(amendment.new_text),
                "justification_sha256": audit.sha256_text(justification),
                "content_hash": proposal.content_hash,
            },
        )
        return _ref(proposal, amendment)

    return run_write(db, work)


def adopt_amendment(db: Database, actor: str, proposal_id: str, number: int) -> AmendmentRef:
    """The author (or an organizer) takes an amendment into the text before the vote."""

    def work(session: Session) -> AmendmentRef:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_proposer(proposal, member)
        _require_before_vote(proposal)
        amendment = _proposed(session, proposal, number)
        if amendment.kind == AmendmentKind.PARAGRAPH:
            _apply(session, proposal, amendment)
        amendment.state = AmendmentState.ADOPTED
        amendment.alternative_group = None
        session.flush()
        session.refresh(proposal, ["amendments"])
        rehash(proposal)
        proposal.updated_at = utcnow()
        audit.append(
            session,
            actor=member.handle,
            action=ADOPT,
            subject=proposal.id,
            payload={
                "number": number,
                "body_sha256": audit.sha256_text(proposal.body),
                "content_hash": proposal.content_hash,
                "renumbered": _numbering(proposal),
            },
        )
        return _ref(proposal, amendment)

    return run_write(db, work)


def group_amendments(
    db: Database, actor: str, proposal_id: str, numbers: Sequence[int]
) -> list[AmendmentRef]:
    """Mark amendments as alternatives (they change the same paragraph): one group, numbered
    by its lowest amendment. A voter may name at most one of a group."""
    wanted = sorted({int(n) for n in numbers})
    if len(wanted) < 2:
        raise UserError("phases.error.group_size")

    def work(session: Session) -> list[AmendmentRef]:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_proposer(proposal, member)
        _require_before_vote(proposal)
        found = [_proposed(session, proposal, n) for n in wanted]
        targets = [a for a in found if a.kind == AmendmentKind.PARAGRAPH]
        if targets:
            expected = targets[0].paragraph
            for a in targets[1:]:
                if a.paragraph != expected:
                    raise UserError(
                        "phases.error.group_paragraphs",
                        number=a.number,
                        paragraph=a.paragraph,
                        expected=expected,
                    )
        # Joining a member of an existing group joins the whole group.
        old_groups = {a.alternative_group for a in found if a.alternative_group is not None}
        members_of = [
            a
            for a in proposal.amendments
            if a.alternative_group is not None and a.alternative_group in old_groups
        ]
        every = {a.number: a for a in [*found, *members_of]}
        group = min(every)
        for a in every.values():
            a.alternative_group = group
        audit.append(
            session,
            actor=member.handle,
            action=GROUP,
            subject=proposal.id,
            payload={"numbers": sorted(every), "group": group},
        )
        session.flush()
        return [_ref(proposal, every[n]) for n in sorted(every)]

    return run_write(db, work)


def ungroup_amendment(db: Database, actor: str, proposal_id: str, number: int) -> AmendmentRef:
    """Take an amendment out of its group of alternatives."""

    def work(session: Session) -> AmendmentRef:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_proposer(proposal, member)
        _require_before_vote(proposal)
        amendment = _proposed(session, proposal, number)
        old = amendment.alternative_group
        amendment.alternative_group = None
        rest = [a for a in proposal.amendments if old is not None and a.alternative_group == old]
        rest = [a for a in rest if a.number != number]
        if len(rest) == 1:  # a group of one is no group
            rest[0].alternative_group = None
        elif rest and old == number:
            for a in rest:
                a.alternative_group = min(r.number for r in rest)
        audit.append(
            session,
            actor=member.handle,
            action=GROUP,
            subject=proposal.id,
            payload={"numbers": [number], "group": None},
        )
        session.flush()
        return _ref(proposal, amendment)

    return run_write(db, work)


def withdraw_amendment(db: Database, actor: str, proposal_id: str, number: int) -> AmendmentRef:
    """The amendment's author withdraws it before the vote."""

    def work(session: Session) -> AmendmentRef:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_before_vote(proposal)
        amendment = _proposed(session, proposal, number)
        if amendment.author_id != member.id:
            raise UserError("phases.error.not_amendment_author", number=number)
        amendment.state = AmendmentState.WITHDRAWN
        old = amendment.alternative_group
        amendment.alternative_group = None
        rest = [a for a in proposal.amendments if old is not None and a.alternative_group == old]
        rest = [a for a in rest if a.number != number]
        if len(rest) == 1:
            rest[0].alternative_group = None
        audit.append(
            session,
            actor=member.handle,
            action=AMENDMENT_WITHDRAW,
            subject=proposal.id,
            payload={"number": number},
        )
        session.flush()
        return _ref(proposal, amendment)

    return run_write(db, work)


# ------------------------------------------------------------------------------ helpers


def _clean_limited(text: str, limit: int) -> str:
    if len(text or "") > limit * 2:
        raise UserError("phases.error.body_too_long", length=len(text), limit=limit)
    cleaned = clean_text(text)
    if len(cleaned) > limit:
        raise UserError("phases.error.body_too_long", length=len(cleaned), limit=limit)
    return cleaned


def _require_filing(proposal: Proposal, now: dt.datetime) -> None:
    clock = clock_of(proposal)
    if filing_open(clock, now):
        return
    status = effective_status(clock, now)
    closes = proposal.amendments_close_at
    if status is ProposalStatus.DEBATE and closes is not None and closes <= now:
        when = closes.astimezone().strftime("%Y-%m-%d %H:%M")
        raise UserError("phases.error.filing_closed", proposal=proposal.id, when=when)
    raise UserError("phases.error.amend_phase", proposal=proposal.id, status=status.value)


def _require_proposer(proposal: Proposal, member: Member) -> None:
    if member.role == Role.ORGANIZER:
        return
    if proposal.submitted_by is None or proposal.submitted_by != member.id:
        raise UserError("phases.error.not_proposer", handle=member.handle)


def _require_before_vote(proposal: Proposal) -> None:
    status = effective_status(clock_of(proposal), utcnow())
    if status not in (ProposalStatus.DRAFT, ProposalStatus.DEBATE):
        raise UserError("phases.error.before_vote_only", proposal=proposal.id, status=status.value)


def _proposed(session: Session, proposal: Proposal, number: int) -> Amendment:
    amendment = next((a for a in proposal.amendments if a.number == number), None)
    if amendment is None:
        raise UserError("phases.error.unknown_amendment", proposal=proposal.id, number=number)
    if amendment.state != AmendmentState.PROPOSED:
        raise UserError("phases.error.amendment_state", number=number, state=amendment.state)
    return amendment


def _apply(session: Session, proposal: Proposal, amendment: Amendment) -> None:
    """Change the body; later paragraph amendments follow their paragraphs' new numbers."""
    assert amendment.paragraph is not None and amendment.operation is not None
    op = ParagraphOp(amendment.operation)
    p = amendment.paragraph
    others = [
        a
        for a in proposal.amendments
        if a.number != amendment.number
        and a.state == AmendmentState.PROPOSED
        and a.kind == AmendmentKind.PARAGRAPH
    ]
    if op is ParagraphOp.DELETE:
        clash = next((a for a in others if a.paragraph == p), None)
        if clash is not None:
            raise UserError("phases.error.conflict", other=clash.number, paragraph=p)
    before = len(split_paragraphs(proposal.body))
    proposal.body = apply_changes(
        proposal.body, [ParagraphChange(p, op, amendment.new_text, amendment.number)]
    )
    if len(proposal.body) > MAX_BODY:
        raise UserError("phases.error.body_too_long", length=len(proposal.body), limit=MAX_BODY)
    shift = len(split_paragraphs(proposal.body)) - before
    for a in others:
        assert a.paragraph is not None
        if a.paragraph > p:
            a.paragraph += shift


def _numbering(proposal: Proposal) -> dict[str, int]:
    """Paragraph numbers of the pending paragraph amendments after an adoption."""
    return {
        str(a.number): a.paragraph
        for a in proposal.amendments
        if a.state == AmendmentState.PROPOSED and a.paragraph is not None
    }


def _ref(proposal: Proposal, amendment: Amendment) -> AmendmentRef:
    return AmendmentRef(
        proposal.id,
        amendment.number,
        AmendmentState(amendment.state),
        amendment.alternative_group,
        proposal.content_hash,
    )
