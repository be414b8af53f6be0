"""What the minutes, the HTML report and the results CSV show, read in one snapshot.

`--proposal ID` picks one proposal; `--session ID` the proposals on a meeting's agenda, in
agenda order; neither: every proposal that has been opened for voting, in programme order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.services import audit, secret_ballots
from deliberate.services.adopted import AdoptedText, adopted_in, amendment_states
from deliberate.services.export.selection import Selection, selected_ids
from deliberate.services.export.snapshot import snapshot
from deliberate.services.meetings import attendance, proxies, speakers
from deliberate.services.meetings.attendance import Stay
from deliberate.services.meetings.proxies import ProxyEntry
from deliberate.services.meetings.speakers import SpeakingTotal
from deliberate.services.secret_ballots import PublishedBallot
from deliberate.services.voting import TallyResult, tally_in
from deliberate.store.engine import Database
from deliberate.store.models import (
    Amendment,
    AuditHead,
    Meeting,
    Member,
    Programme,
    Proposal,
    ProposalStatus,
    Vote,
)


@dataclass(frozen=True)
class BlockReason:
    handle: str | None  # None when anonymous
    name: str | None
    reason: str


@dataclass(frozen=True)
class ReportItem:
    position: int | None  # agenda position with --session
    proposal_id: str
    title: str
    programme: str | None
    section: str | None
    content_hash: str
    amendments: tuple[tuple[int, str], ...]  # (number, title)
    result: TallyResult
    block_reasons: tuple[BlockReason, ...]
    speakers: tuple[SpeakingTotal, ...] = ()  # who spoke while this item was current
    ballots: tuple[PublishedBallot, ...] = ()  # a closed secret ballot: trackers and choices
    adopted: AdoptedText | None = None  # once adopted
    amendment_states: dict[int, str] = field(default_factory=dict)  # number -> state token


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    title: str
    status: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    attendance: tuple[Stay, ...] = ()
    proxies: tuple[ProxyEntry, ...] = ()


@dataclass(frozen=True)
class Report:
    items: tuple[ReportItem, ...]
    meeting: MeetingInfo | None
    audit_seq: int
    audit_hash: str
    exported_at: dt.datetime
    anonymous: bool


def proposal_ids(
    session: Session, selection: Selection = Selection()
) -> list[tuple[int | None, str]]:
    """(agenda position or None, proposal id) in the order an export lists them."""
    return selected_ids(session.connection(), selection)


def results_in(session: Session, selection: Selection | None = None) -> list[TallyResult]:
    """Results inside the caller's transaction. None: every proposal, drafts included."""
    if selection is None:
        ids = session.scalars(select(Proposal.id).order_by(Proposal.id)).all()
    else:
        ids = [pid for _, pid in proposal_ids(session, selection)]
    return [tally_in(session, pid) for pid in ids]


def head_in(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditHead.seq, AuditHead.hash)).first()
    return (row.seq, row.hash) if row else (0, audit.GENESIS)


def build_report(
    db: Database,
    selection: Selection = Selection(),
    *,
    anonymous: bool = False,
    now: dt.datetime | None = None,
) -> Report:
    """Everything the minutes and the HTML report show, from one snapshot."""
    with snapshot(db) as session:
        meeting = None
        if selection.meeting is not None and selection.proposal is None:
            m = session.get(Meeting, selection.meeting)
            if m is not None:
                meeting = MeetingInfo(
                    m.id,
                    m.title,
                    m.status,
                    m.started_at,
                    m.ended_at,
                    tuple(attendance.stays_in(session, m.id)),
                    tuple(proxies.proxies_in(session, m.id)),
                )
        spoken: dict[str, tuple[SpeakingTotal, ...]] = {}
        if meeting is not None:
            spoken = {
                i.proposal_id: i.totals
                for i in speakers.by_item_in(session, meeting.id, now or dt.datetime.now(dt.UTC))
            }
        items = tuple(
            _item(session, position, pid, anonymous, spoken.get(pid, ()))
            for position, pid in proposal_ids(session, selection)
        )
        seq, head_hash = head_in(session)
    return Report(items, meeting, seq, head_hash, now or dt.datetime.now(dt.UTC), anonymous)


def _item(
    session: Session,
    position: int | None,
    proposal_id: str,
    anonymous: bool,
    spoken: tuple[SpeakingTotal, ...] = (),
) -> ReportItem:
    row = session.execute(
        select(Proposal.title, Proposal.section, Proposal.content_hash, Programme.name)
        .outerjoin(Programme, Proposal.programme_id == Programme.id)
        .where(Proposal.id == proposal_id)
    ).one()
    amendments = tuple(
        (number, title)
        for number, title in session.execute(
            select(Amendment.number, Amendment.title)
            .where(Amendment.proposal_id == proposal_id)
            .order_by(Amendment.number)
        )
    )
    blocks = session.execute(
        select(Member.handle, Member.name, Vote.reason)
        .join(Member, Member.id == Vote.member_id)
        .where(Vote.proposal_id == proposal_id, Vote.choice == "bloker")
        .order_by(Vote.cast_at, Vote.id)
    )
    result = tally_in(session, proposal_id)
    ballots: tuple[PublishedBallot, ...] = ()
    if result.secret:
        if result.status is ProposalStatus.CLOSED:
            ballots = tuple(secret_ballots.ballots_in(session, proposal_id))
        # A secret ballot's reasons never carry a name, in text order.
        reasons = tuple(
            sorted(
                (BlockReason(None, None, b.reason) for b in ballots if b.choice.value == "bloker"),
                key=lambda b: b.reason,
            )
        )
    elif anonymous:  # in text order, so the order gives away nothing about who voted when
        reasons = tuple(
            sorted((BlockReason(None, None, r) for _, _, r in blocks), key=lambda b: b.reason)
        )
    else:
        reasons = tuple(BlockReason(handle, name, reason) for handle, name, reason in blocks)
    result = tally_in(session, proposal_id)
    return ReportItem(
        position=position,
        proposal_id=proposal_id,
        title=row.title,
        programme=row.name,
        section=row.section,
        content_hash=row.content_hash,
        amendments=amendments,
        result=result,
        block_reasons=reasons,
        speakers=spoken,
        ballots=ballots,
        adopted=adopted_in(session, proposal_id),
        amendment_states=amendment_states(session, result),
    )
