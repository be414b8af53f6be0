"""One consistent snapshot of a meeting, read in ONE transaction, so the facilitator console,
a member's screen and the projector agree on what they show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.rules import Decision
from deliberate.services import counting, voting
from deliberate.services.meetings import attendance, proxies, records, speakers
from deliberate.services.meetings.records import MeetingSummary
from deliberate.services.meetings.speakers import SpeakerEntry, SpeakingTotal
from deliberate.services.presence import PRESENCE_WINDOW_SECONDS, ConnectedMember, connected_in
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    AuditHead,
    Member,
    Proposal,
    ProposalStatus,
    SecretParticipation,
    Tally,
    Vote,
    utcnow,
)


@dataclass(frozen=True)
class AgendaEntry:
    position: int
    proposal_id: str
    title: str
    section: str | None
    status: ProposalStatus
    countdown_seconds: int | None
    outcome: str | None  # the outcome token once voting closed


@dataclass(frozen=True)
class ItemVoting:
    """The current item's vote as everybody sees it."""

    proposal_id: str
    status: ProposalStatus
    rules_name: str | None
    voted: int
    eligible: int
    counts: dict[str, int] | None  # None while hidden (hide_counts, or a secret ballot, open)
    closes_at: dt.datetime | None
    seconds_left: float | None  # countdown; None without a deadline
    decision: Decision | None  # once closed: the outcome and its explanation
    outcome: str | None  # the stored outcome token once closed
    carried_amendments: tuple[int, ...] = ()
    secret: bool = False
    hand_count: bool = False  # counted in the room ("optalt i salen")
    present: int | None = None  # members present now (or when voting closed)
    separate: bool = False  # each amendment has its own vote (rule `amendments = "separate"`)

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.VOTING

    @property
    def is_closed(self) -> bool:
        return self.status == ProposalStatus.CLOSED


@dataclass(frozen=True)
class NonVoter:
    handle: str
    name: str


@dataclass(frozen=True)
class MeetingState:
    """Everything a facilitator console, a member's screen or the projector shows."""

    meeting: MeetingSummary
    agenda: tuple[AgendaEntry, ...]
    current: AgendaEntry | None
    voting: ItemVoting | None
    speaker: SpeakerEntry | None  # who has the floor
    speaker_seconds: float | None  # how long they have spoken
    queue: tuple[SpeakerEntry, ...]  # in the order the floor will be given
    totals: tuple[SpeakingTotal, ...]  # speaking time in this meeting, longest first
    connected: tuple[ConnectedMember, ...]
    audit_seq: int
    audit_hash: str
    now: dt.datetime
    present_count: int = 0  # checked in with the right to vote, proxies included
    checked_in: tuple[str, ...] = ()  # handles checked in now
    # Present members who have not voted on the current open ballot; () on a secret ballot.
    non_voters: tuple[NonVoter, ...] = ()
    proxies: tuple[proxies.ProxyEntry, ...] = ()

    def queue_position(self, handle: str) -> int | None:
        """1-based place of `handle` in the queue, or None."""
        for i, entry in enumerate(self.queue, start=1):
            if entry.handle == handle:
                return i
        return None

    def is_checked_in(self, handle: str) -> bool:
        return handle in self.checked_in

    def speaker_seconds_left(self) -> float | None:
        return None if self.speaker is None else self.speaker.seconds_left(self.now)


def _item_voting(
    session: Session,
    proposal_id: str,
    hide_counts: bool,
    now: dt.datetime,
    present: int,
) -> ItemVoting:
    """The vote on one item, counted exactly as `voting.tally` counts it."""
    result = voting.tally_in(session, proposal_id)
    seconds_left = None
    if result.status is ProposalStatus.VOTING and result.closes_at is not None:
        seconds_left = max(0.0, (result.closes_at - now).total_seconds())
    closed = result.status is ProposalStatus.CLOSED
    hidden = (hide_counts or result.secret) and not closed
    return ItemVoting(
        proposal_id=proposal_id,
        status=result.status,
        rules_name=result.rules.name if result.rules else None,
        voted=result.cast,
        eligible=result.eligible,
        counts=None if hidden else result.counts.as_dict(),
        closes_at=result.closes_at,
        seconds_left=seconds_left,
        decision=result.decision if closed else None,
        outcome=result.outcome.value if closed else None,
        carried_amendments=result.carried_amendments,
        secret=result.secret,
        hand_count=result.hand_count,
        present=result.present if closed and result.present is not None else present,
        separate=result.separate,
    )


def _non_voters(
    session: Session, present: set[int], proposal_id: str, secret: bool
) -> tuple[NonVoter, ...]:
    """Present members (checked in, or represented by a checked-in holder) with no vote on
    the proposal. Never on a secret ballot: participation there is nobody's business live."""
    if secret or not present:
        return ()
    voted = set(session.scalars(select(Vote.member_id).where(Vote.proposal_id == proposal_id)))
    voted |= set(
        session.scalars(
            select(SecretParticipation.member_id).where(
                SecretParticipation.proposal_id == proposal_id
            )
        )
    )
    rows = session.execute(
        select(Member.handle, Member.name)
        .where(Member.id.in_(present - voted))
        .order_by(Member.handle)
    ).all()
    return tuple(NonVoter(h, n) for h, n in rows)


def meeting_state(
    db: Database, meeting_id: int, *, window_seconds: int = PRESENCE_WINDOW_SECONDS
) -> MeetingState:
    """One consistent snapshot of a meeting, read in one transaction. A read: a countdown that
    ran out shows the vote closed (derived), the scheduler writes the close."""
    return _read_state(db, meeting_id, window_seconds)


def _read_state(db: Database, meeting_id: int, window_seconds: int) -> MeetingState:
    with db.read() as session:
        now = utcnow()
        meeting = records.get(session, meeting_id)
        rows = session.execute(
            select(AgendaItem, Proposal, Tally.outcome)
            .join(Proposal, Proposal.id == AgendaItem.proposal_id)
            .outerjoin(Tally, Tally.proposal_id == Proposal.id)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        ).all()
        agenda = tuple(
            AgendaEntry(
                position=item.position,
                proposal_id=p.id,
                title=p.title,
                section=p.section,
                status=ProposalStatus(p.status),
                countdown_seconds=item.countdown_seconds,
                outcome=outcome if p.status == ProposalStatus.CLOSED else None,
            )
            for item, p, outcome in rows
        )
        present_ids = counting.present_members(session, meeting.id)
        present_count = len(present_ids)
        current = next((a for a in agenda if a.position == meeting.current_position), None)
        item_voting = None
        non_voters: tuple[NonVoter, ...] = ()
        if current is not None:
            item_voting = _item_voting(
                session, current.proposal_id, meeting.hide_counts, now, present_count
            )
            if item_voting.is_open:
                non_voters = _non_voters(
                    session, present_ids, current.proposal_id, item_voting.secret
                )
        speaker_row = speakers.current_in(session, meeting.id, now)
        speaker = None
        speaker_seconds = None
        if speaker_row is not None and speaker_row.granted_at is not None:
            member = session.get(Member, speaker_row.member_id)
            assert member is not None
            speaker = speakers.entry(speaker_row, member)
            speaker_seconds = max(0.0, (now - speaker_row.granted_at).total_seconds())
        head = session.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
        ).first()
        return MeetingState(
            meeting=records.summary(session, meeting),
            agenda=agenda,
            current=current,
            voting=item_voting,
            speaker=speaker,
            speaker_seconds=speaker_seconds,
            queue=tuple(speakers.entry(r, m) for r, m in speakers.queue_in(session, meeting.id)),
            totals=tuple(speakers.totals_in(session, meeting.id, now)),
            connected=tuple(connected_in(session, now, window_seconds)),
            audit_seq=head.seq if head else 0,
            audit_hash=head.hash if head else "0" * 64,
            now=now,
            present_count=present_count,
            checked_in=tuple(p.handle for p in attendance.present_in(session, meeting.id)),
            non_voters=non_voters,
            proxies=tuple(proxies.proxies_in(session, meeting.id)),
        )
