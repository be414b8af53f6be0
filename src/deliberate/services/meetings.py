"""Facilitated sessions (møder): agenda, current item, speakers' list, presence.

UI-free. Each public function is one transaction; facilitator actions check the role inside
it. `meeting_state` reads everything a facilitator console, a member's screen or the projector
shows in ONE read transaction, so all three agree on what they show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Result, Select, delete, func, select, update
from sqlalchemy.orm import Session

from deliberate.domain.rules import Decision
from deliberate.domain.text import normalize, sanitize_line
from deliberate.errors import UserError
from deliberate.services.members import require_member
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    AuditHead,
    Meeting,
    MeetingStatus,
    Member,
    Presence,
    Proposal,
    ProposalStatus,
    Role,
    SpeakerRequest,
    Tally,
    utcnow,
)

PRESENCE_WINDOW_SECONDS = 60  # "connected now": a heartbeat within this many seconds
SPEAK = "speak"
POINT_OF_ORDER = "point_of_order"
MAX_SECONDS = 24 * 3600

# Audit actions
MEETING_START = "meeting_start"
MEETING_END = "meeting_end"
MEETING_ITEM = "meeting_item"
FLOOR_GRANTED = "floor_granted"


# ------------------------------------------------------------------------------ snapshots


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    title: str
    status: MeetingStatus
    hide_counts: bool
    speaker_limit_seconds: int | None
    current_position: int | None
    item_count: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None


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
    counts: dict[str, int] | None  # None while hidden (hide_counts and still open)
    closes_at: dt.datetime | None
    seconds_left: float | None  # countdown; None without a deadline
    decision: Decision | None  # once closed: the outcome and its explanation
    outcome: str | None  # the stored outcome token once closed
    carried_amendments: tuple[int, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.VOTING

    @property
    def is_closed(self) -> bool:
        return self.status == ProposalStatus.CLOSED


@dataclass(frozen=True)
class SpeakerEntry:
    id: int
    handle: str
    name: str
    kind: str  # speak | point_of_order
    requested_at: dt.datetime
    granted_at: dt.datetime | None
    finished_at: dt.datetime | None
    limit_seconds: int | None

    @property
    def is_point_of_order(self) -> bool:
        return self.kind == POINT_OF_ORDER


@dataclass(frozen=True)
class SpeakingTotal:
    handle: str
    name: str
    seconds: float
    turns: int


@dataclass(frozen=True)
class ConnectedMember:
    handle: str
    name: str
    role: Role
    connections: int


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

    def queue_position(self, handle: str) -> int | None:
        """1-based place of `handle` in the queue, or None."""
        for i, entry in enumerate(self.queue, start=1):
            if entry.handle == handle:
                return i
        return None


# ------------------------------------------------------------------------------ helpers


def _audit(session: Session, actor: str, action: str, subject: str, payload: dict) -> None:
    from deliberate.services import audit

    audit.append(session, actor=actor, action=action, subject=subject, payload=payload)


def _notify(session: Session) -> None:
    """Wake live screens on PostgreSQL for a change that writes no audit entry (SQLite
    screens notice every commit by themselves)."""
    from deliberate.services import audit

    audit.notify(session, "meeting")


def _facilitator(session: Session, handle: str) -> Member:
    member = require_member(session, handle)
    if member.role not in (Role.FACILITATOR, Role.ORGANIZER):
        raise UserError("meeting.not_facilitator", handle=member.handle)
    return member


def _meeting(session: Session, meeting_id: int, *, lock: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if lock:
        query = query.with_for_update()
    meeting = session.scalars(query).one_or_none()
    if meeting is None:
        raise UserError("meeting.unknown", meeting=meeting_id)
    return meeting


def _running(session: Session, meeting_id: int, *, lock: bool = True) -> Meeting:
    meeting = _meeting(session, meeting_id, lock=lock)
    if meeting.status != MeetingStatus.RUNNING:
        raise UserError(f"meeting.is_{meeting.status}", meeting=meeting.id)
    return meeting


def _items(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        )
    )


def _seconds(value: int | None, *, allow_none: bool = True) -> int | None:
    if value is None and allow_none:
        return None
    if value is None or isinstance(value, bool) or not 1 <= int(value) <= MAX_SECONDS:
        raise UserError("meeting.bad_seconds", seconds=value, max=MAX_SECONDS)
    return int(value)


def _check_proposals(session: Session, proposal_ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for proposal_id in proposal_ids:
        if proposal_id in seen:
            raise UserError("meeting.proposal_twice", proposal=sanitize_line(proposal_id))
        seen.add(proposal_id)
        if session.get(Proposal, proposal_id) is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))


def _summary(session: Session, m: Meeting) -> MeetingSummary:
    count = session.scalar(
        select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == m.id)
    )
    return MeetingSummary(
        id=m.id,
        title=m.title,
        status=MeetingStatus(m.status),
        hide_counts=m.hide_counts,
        speaker_limit_seconds=m.speaker_limit_seconds,
        current_position=m.current_position,
        item_count=count or 0,
        created_at=m.created_at,
        started_at=m.started_at,
        ended_at=m.ended_at,
    )


# ------------------------------------------------------------------------------ meetings


def create_meeting(
    db: Database,
    actor: str,
    title: str,
    agenda: Sequence[str] = (),
    *,
    hide_counts: bool = False,
    speaker_limit_seconds: int | None = None,
    countdown_seconds: int | None = None,
) -> MeetingSummary:
    """A planned meeting with `agenda` (proposal ids, in order), each item with `countdown_seconds`."""
    title = sanitize_line(normalize(title))
    if not title:
        raise UserError("meeting.empty_title")
    limit = _seconds(speaker_limit_seconds)
    countdown = _seconds(countdown_seconds)
    with db.write() as session:
        member = _facilitator(session, actor)
        _check_proposals(session, agenda)
        meeting = Meeting(
            title=title[:300],
            status=MeetingStatus.PLANNED,
            hide_counts=hide_counts,
            speaker_limit_seconds=limit,
            created_by=member.id,
        )
        session.add(meeting)
        session.flush()
        for position, proposal_id in enumerate(agenda, start=1):
            session.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=position,
                    proposal_id=proposal_id,
                    countdown_seconds=countdown,
                )
            )
        session.flush()
        _notify(session)
        return _summary(session, meeting)


def list_meetings(db: Database) -> list[MeetingSummary]:
    with db.read() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        return [_summary(session, m) for m in meetings]


def get_meeting(db: Database, meeting_id: int) -> MeetingSummary:
    with db.read() as session:
        return _summary(session, _meeting(session, meeting_id))


def running_meeting_id(db: Database) -> int | None:
    """The meeting now running (at most one runs at a time), or None."""
    with db.read() as session:
        return _running_id(session)


def _running_id(session: Session) -> int | None:
    return session.scalar(
        select(Meeting.id)
        .where(Meeting.status == MeetingStatus.RUNNING)
        .order_by(Meeting.started_at.desc(), Meeting.id.desc())
        .limit(1)
    )


def start_meeting(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    """Planned -> running, at the first agenda item. Only one meeting runs at a time."""
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _meeting(session, meeting_id, lock=True)
        if meeting.status != MeetingStatus.PLANNED:
            raise UserError(f"meeting.is_{meeting.status}", meeting=meeting.id)
        other = _running_id(session)
        if other is not None:
            raise UserError("meeting.another_running", meeting=other)
        items = _items(session, meeting.id)
        if not items:
            raise UserError("meeting.no_agenda", meeting=meeting.id)
        meeting.status = MeetingStatus.RUNNING
        meeting.started_at = utcnow()
        meeting.current_position = items[0].position
        _audit(
            session,
            actor,
            MEETING_START,
            f"meeting:{meeting.id}",
            {"title": meeting.title, "agenda": [i.proposal_id for i in items]},
        )
        return _summary(session, meeting)


def end_meeting(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    """Running -> ended. Whoever has the floor finishes; waiting requests lapse."""
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _running(session, meeting_id)
        now = utcnow()
        _finish_current(session, meeting.id, now)
        session.execute(
            update(SpeakerRequest)
            .where(
                SpeakerRequest.meeting_id == meeting.id,
                SpeakerRequest.granted_at.is_(None),
                SpeakerRequest.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )
        meeting.status = MeetingStatus.ENDED
        meeting.ended_at = now
        _audit(session, actor, MEETING_END, f"meeting:{meeting.id}", {"title": meeting.title})
        return _summary(session, meeting)


# ------------------------------------------------------------------------------ agenda


def add_agenda_item(
    db: Database,
    actor: str,
    meeting_id: int,
    proposal_id: str,
    *,
    countdown_seconds: int | None = None,
) -> MeetingSummary:
    """Append a proposal to the agenda (not after the meeting ended)."""
    countdown = _seconds(countdown_seconds)
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _meeting(session, meeting_id, lock=True)
        if meeting.status == MeetingStatus.ENDED:
            raise UserError("meeting.is_ended", meeting=meeting.id)
        items = _items(session, meeting.id)
        _check_proposals(session, [*(i.proposal_id for i in items), proposal_id])
        last = max((i.position for i in items), default=0)
        session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=last + 1,
                proposal_id=proposal_id,
                countdown_seconds=countdown,
            )
        )
        session.flush()
        _notify(session)
        return _summary(session, meeting)


def reorder_agenda(
    db: Database, actor: str, meeting_id: int, proposal_ids: Sequence[str]
) -> MeetingSummary:
    """Put the agenda in this order; it must name exactly the proposals already on it."""
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _meeting(session, meeting_id, lock=True)
        if meeting.status == MeetingStatus.ENDED:
            raise UserError("meeting.is_ended", meeting=meeting.id)
        items = {i.proposal_id: i for i in _items(session, meeting.id)}
        if sorted(proposal_ids) != sorted(items) or len(set(proposal_ids)) != len(proposal_ids):
            raise UserError("meeting.reorder_mismatch", agenda=", ".join(items))
        current = None
        if meeting.current_position is not None:
            current = next(
                (p for p, i in items.items() if i.position == meeting.current_position), None
            )
        # Two steps, so the unique (meeting, position) constraint never sees a duplicate.
        for n, item in enumerate(items.values(), start=1):
            item.position = -n
        session.flush()
        for position, proposal_id in enumerate(proposal_ids, start=1):
            items[proposal_id].position = position
        if current is not None:
            meeting.current_position = items[current].position
        session.flush()
        _notify(session)
        return _summary(session, meeting)


def set_countdown(
    db: Database, actor: str, meeting_id: int, position: int, seconds: int | None
) -> None:
    """The countdown that closes voting on one agenda item (None: no countdown)."""
    seconds = _seconds(seconds)
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _meeting(session, meeting_id, lock=True)
        item = _item_at(session, meeting, position)
        item.countdown_seconds = seconds
        _notify(session)


def _item_at(session: Session, meeting: Meeting, position: int) -> AgendaItem:
    item = session.scalars(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.position == position
        )
    ).one_or_none()
    if item is None:
        raise UserError("meeting.no_such_item", meeting=meeting.id, position=position)
    return item


def goto_item(db: Database, actor: str, meeting_id: int, position: int) -> MeetingSummary:
    """Make agenda item `position` the current one; every member's screen follows."""
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _running(session, meeting_id)
        item = _item_at(session, meeting, position)
        if meeting.current_position != item.position:
            meeting.current_position = item.position
            _audit(
                session,
                actor,
                MEETING_ITEM,
                f"meeting:{meeting.id}",
                {"position": item.position, "proposal": item.proposal_id},
            )
        return _summary(session, meeting)


def next_item(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    return _step(db, actor, meeting_id, +1)


def previous_item(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    return _step(db, actor, meeting_id, -1)


def _step(db: Database, actor: str, meeting_id: int, direction: int) -> MeetingSummary:
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _running(session, meeting_id)
        positions = [i.position for i in _items(session, meeting.id)]
        index = (
            positions.index(meeting.current_position)
            if meeting.current_position in positions
            else -1
        )
        target = index + direction
        if not 0 <= target < len(positions):
            raise UserError("meeting.at_last_item" if direction > 0 else "meeting.at_first_item")
        item = _item_at(session, meeting, positions[target])
        meeting.current_position = item.position
        _audit(
            session,
            actor,
            MEETING_ITEM,
            f"meeting:{meeting.id}",
            {"position": item.position, "proposal": item.proposal_id},
        )
        return _summary(session, meeting)


def current_proposal(db: Database, meeting_id: int) -> tuple[str, int | None]:
    """(proposal id, countdown seconds) of the current item of a running meeting."""
    with db.read() as session:
        meeting = _running(session, meeting_id, lock=False)
        if meeting.current_position is None:
            raise UserError("meeting.no_current_item", meeting=meeting.id)
        item = _item_at(session, meeting, meeting.current_position)
        return item.proposal_id, item.countdown_seconds


# ------------------------------------------------------------------------------ voting per item


def open_item_voting(
    db: Database,
    actor: str,
    meeting_id: int,
    *,
    rules: str = "pofo",
    countdown_seconds: int | None = None,
) -> str:
    """Open voting on the current item; a countdown (the item's own unless given) closes it."""
    from deliberate.services import voting

    proposal_id, item_countdown = current_proposal(db, meeting_id)
    seconds = _seconds(countdown_seconds) or item_countdown
    closes_at = utcnow() + dt.timedelta(seconds=seconds) if seconds else None
    voting.open_voting(db, actor, proposal_id, rules=rules, closes_at=closes_at)
    return proposal_id


def close_item_voting(db: Database, actor: str, meeting_id: int) -> str:
    """Close voting on the current item (freezes the tally)."""
    from deliberate.services import voting

    proposal_id, _ = current_proposal(db, meeting_id)
    voting.close_voting(db, actor, proposal_id)
    return proposal_id


def extend_item_voting(db: Database, actor: str, meeting_id: int, seconds: int) -> dt.datetime:
    """Give the current item's vote `seconds` more (from its deadline, or from now)."""
    from deliberate.services import voting

    seconds = _seconds(seconds, allow_none=False) or 0
    proposal_id, _ = current_proposal(db, meeting_id)
    with db.read() as session:
        closes_at = session.scalar(select(Proposal.closes_at).where(Proposal.id == proposal_id))
    now = utcnow()
    base = closes_at if closes_at is not None and closes_at > now else now
    new_deadline = base + dt.timedelta(seconds=seconds)
    voting.extend_deadline(db, actor, proposal_id, new_deadline)
    return new_deadline


# ------------------------------------------------------------------------------ speakers' list


def request_to_speak(db: Database, actor: str, meeting_id: int) -> SpeakerEntry:
    """Put the member on the speakers' list (once; withdraw to leave it)."""
    return _request(db, actor, meeting_id, SPEAK)


def point_of_order(db: Database, actor: str, meeting_id: int) -> SpeakerEntry:
    """A point of order: goes before every ordinary request."""
    return _request(db, actor, meeting_id, POINT_OF_ORDER)


def _waiting(session: Session, meeting_id: int) -> Select[SpeakerRequest]:
    return select(SpeakerRequest).where(
        SpeakerRequest.meeting_id == meeting_id,
        SpeakerRequest.granted_at.is_(None),
        SpeakerRequest.withdrawn_at.is_(None),
    )


def _request(db: Database, actor: str, meeting_id: int, kind: str) -> SpeakerEntry:
    with db.write() as session:
        member = require_member(session, actor)
        meeting = _running(session, meeting_id)
        already = session.scalars(
            _waiting(session, meeting.id).where(
                SpeakerRequest.member_id == member.id, SpeakerRequest.kind == kind
            )
        ).first()
        if already is not None:
            raise UserError(f"meeting.already_{kind}")
        request = SpeakerRequest(
            meeting_id=meeting.id, member_id=member.id, kind=kind, requested_at=utcnow()
        )
        session.add(request)
        session.flush()
        _notify(session)
        return _entry(request, member)


def withdraw_request(db: Database, actor: str, meeting_id: int) -> int:
    """Take the member's waiting requests off the list; returns how many."""
    with db.write() as session:
        member = require_member(session, actor)
        meeting = _running(session, meeting_id)
        waiting = session.scalars(
            _waiting(session, meeting.id).where(SpeakerRequest.member_id == member.id)
        ).all()
        if not waiting:
            raise UserError("meeting.nothing_to_withdraw")
        now = utcnow()
        for request in waiting:
            request.withdrawn_at = now
        _notify(session)
        return len(waiting)


def _queue(session: Session, meeting_id: int) -> list[tuple[SpeakerRequest, Member]]:
    """Waiting requests in floor order: points of order first, then by time asked."""
    rows = session.execute(
        _waiting(session, meeting_id)
        .add_columns(Member)
        .join(Member, Member.id == SpeakerRequest.member_id)
        .order_by(
            (SpeakerRequest.kind != POINT_OF_ORDER),
            SpeakerRequest.requested_at,
            SpeakerRequest.id,
        )
    ).all()
    return [(r, m) for r, m in rows]


def _current_speaker(session: Session, meeting_id: int) -> SpeakerRequest | None:
    return session.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == meeting_id,
            SpeakerRequest.granted_at.is_not(None),
            SpeakerRequest.finished_at.is_(None),
        )
        .order_by(SpeakerRequest.granted_at.desc())
    ).first()


def _finish_current(session: Session, meeting_id: int, now: dt.datetime) -> None:
    session.execute(
        update(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == meeting_id,
            SpeakerRequest.granted_at.is_not(None),
            SpeakerRequest.finished_at.is_(None),
        )
        .values(finished_at=now)
    )


def grant_floor(
    db: Database, actor: str, meeting_id: int, *, request_id: int | None = None
) -> SpeakerEntry:
    """Give the floor to the next in the queue (or to `request_id`); the previous speaker
    finishes. The speaker's timer starts now, with the meeting's speaking-time limit."""
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _running(session, meeting_id)
        queue = _queue(session, meeting.id)
        if request_id is not None:
            queue = [(r, m) for r, m in queue if r.id == request_id]
            if not queue:
                raise UserError("meeting.no_such_request", request=request_id)
        if not queue:
            raise UserError("meeting.queue_empty")
        request, member = queue[0]
        now = utcnow()
        _finish_current(session, meeting.id, now)
        request.granted_at = now
        request.limit_seconds = meeting.speaker_limit_seconds
        _audit(
            session,
            actor,
            FLOOR_GRANTED,
            f"meeting:{meeting.id}",
            {"member": member.handle, "kind": request.kind},
        )
        return _entry(request, member)


def finish_speaker(db: Database, actor: str, meeting_id: int) -> SpeakerEntry:
    """The current speaker's time ends."""
    with db.write() as session:
        _facilitator(session, actor)
        meeting = _running(session, meeting_id)
        request = _current_speaker(session, meeting.id)
        if request is None:
            raise UserError("meeting.no_speaker")
        request.finished_at = utcnow()
        _notify(session)
        member = session.get(Member, request.member_id)
        assert member is not None
        return _entry(request, member)


def _entry(request: SpeakerRequest, member: Member) -> SpeakerEntry:
    return SpeakerEntry(
        id=request.id,
        handle=member.handle,
        name=member.name,
        kind=request.kind,
        requested_at=request.requested_at,
        granted_at=request.granted_at,
        finished_at=request.finished_at,
        limit_seconds=request.limit_seconds,
    )


def _totals(session: Session, meeting_id: int, now: dt.datetime) -> list[SpeakingTotal]:
    rows = session.execute(
        select(SpeakerRequest.granted_at, SpeakerRequest.finished_at, Member.handle, Member.name)
        .join(Member, Member.id == SpeakerRequest.member_id)
        .where(SpeakerRequest.meeting_id == meeting_id, SpeakerRequest.granted_at.is_not(None))
    ).all()
    seconds: dict[str, float] = {}
    turns: dict[str, int] = {}
    names: dict[str, str] = {}
    for granted, finished, handle, name in rows:
        if granted is None:  # excluded by the query; tells the type checker
            continue
        spoken = ((finished or now) - granted).total_seconds()
        seconds[handle] = seconds.get(handle, 0.0) + max(0.0, spoken)
        turns[handle] = turns.get(handle, 0) + 1
        names[handle] = name
    return sorted(
        (SpeakingTotal(h, names[h], seconds[h], turns[h]) for h in seconds),
        key=lambda t: (-t.seconds, t.handle),
    )


def speaking_totals(db: Database, meeting_id: int) -> list[SpeakingTotal]:
    """Each member's total speaking time in the meeting, longest first."""
    with db.read() as session:
        _meeting(session, meeting_id)
        return _totals(session, meeting_id, utcnow())


# ------------------------------------------------------------------------------ presence


def heartbeat(
    db: Database, handle: str, *, client: str = "", presence_id: int | None = None
) -> int:
    """Record that `handle` is connected now; returns the presence id to refresh next time."""
    now = utcnow()
    with db.write() as session:
        if presence_id is not None:
            done = session.execute(
                update(Presence).where(Presence.id == presence_id).values(last_seen=now)
            )
            if _rowcount(done):
                return presence_id
        member = require_member(session, handle)
        row = Presence(
            member_id=member.id, client=sanitize_line(client)[:100], connected_at=now, last_seen=now
        )
        session.add(row)
        session.flush()
        _notify(session)
        return row.id


def refresh_presence(db: Database, presence_ids: Sequence[int]) -> int:
    """Refresh many connections in one transaction (an SSH server beats for all of its own);
    returns how many rows were still there."""
    if not presence_ids:
        return 0
    with db.write() as session:
        done = session.execute(
            update(Presence).where(Presence.id.in_(list(presence_ids))).values(last_seen=utcnow())
        )
        return _rowcount(done)


def disconnect(db: Database, presence_id: int) -> None:
    """A connection ended: it no longer counts as connected."""
    with db.write() as session:
        session.execute(
            delete(Presence)
            .where(Presence.id == presence_id)
            .execution_options(synchronize_session=False)
        )
        _notify(session)


def prune_presence(db: Database, *, older_than_seconds: int = 3600) -> int:
    """Drop presence rows nobody has refreshed for a long time (crashed front ends)."""
    cutoff = utcnow() - dt.timedelta(seconds=older_than_seconds)
    with db.write() as session:
        done = session.execute(
            delete(Presence)
            .where(Presence.last_seen < cutoff)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(done)


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (such statements return a CursorResult)."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def _connected(session: Session, now: dt.datetime, window: int) -> list[ConnectedMember]:
    cutoff = now - dt.timedelta(seconds=window)
    rows = session.execute(
        select(Member.handle, Member.name, Member.role, func.count(Presence.id))
        .join(Presence, Presence.member_id == Member.id)
        .where(Presence.last_seen >= cutoff, Member.active.is_(True))
        .group_by(Member.id, Member.handle, Member.name, Member.role)
        .order_by(Member.handle)
    ).all()
    return [ConnectedMember(h, n, Role(r), c) for h, n, r, c in rows]


def connected_now(
    db: Database, *, window_seconds: int = PRESENCE_WINDOW_SECONDS
) -> list[ConnectedMember]:
    """Members with a heartbeat in the last `window_seconds`."""
    with db.read() as session:
        return _connected(session, utcnow(), window_seconds)


# ------------------------------------------------------------------------------ the snapshot


def _item_voting(
    session: Session, proposal_id: str, hide_counts: bool, now: dt.datetime
) -> ItemVoting:
    """The vote on one item, counted exactly as `voting.tally` counts it."""
    from deliberate.services import voting

    result = voting.tally_in(session, proposal_id)
    seconds_left = None
    if result.status is ProposalStatus.VOTING and result.closes_at is not None:
        seconds_left = max(0.0, (result.closes_at - now).total_seconds())
    hidden = hide_counts and result.status is not ProposalStatus.CLOSED
    return ItemVoting(
        proposal_id=proposal_id,
        status=result.status,
        rules_name=result.rules.name if result.rules else None,
        voted=result.cast,
        eligible=result.eligible,
        counts=None if hidden else result.counts.as_dict(),
        closes_at=result.closes_at,
        seconds_left=seconds_left,
        decision=result.decision if result.status is ProposalStatus.CLOSED else None,
        outcome=result.outcome.value if result.status is ProposalStatus.CLOSED else None,
        carried_amendments=result.carried_amendments,
    )


def meeting_state(
    db: Database, meeting_id: int, *, window_seconds: int = PRESENCE_WINDOW_SECONDS
) -> MeetingState:
    """One consistent snapshot of a meeting, read in one transaction. A read: a countdown that
    ran out shows the vote closed (derived), the scheduler writes the close."""
    return _read_state(db, meeting_id, window_seconds)


def _read_state(db: Database, meeting_id: int, window_seconds: int) -> MeetingState:
    with db.read() as session:
        now = utcnow()
        meeting = _meeting(session, meeting_id)
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
        current = next((a for a in agenda if a.position == meeting.current_position), None)
        voting = None
        if current is not None:
            voting = _item_voting(session, current.proposal_id, meeting.hide_counts, now)
        speaker_row = _current_speaker(session, meeting.id)
        speaker = None
        speaker_seconds = None
        if speaker_row is not None and speaker_row.granted_at is not None:
            member = session.get(Member, speaker_row.member_id)
            assert member is not None
            speaker = _entry(speaker_row, member)
            speaker_seconds = max(0.0, (now - speaker_row.granted_at).total_seconds())
        head = session.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
        ).first()
        return MeetingState(
            meeting=_summary(session, meeting),
            agenda=agenda,
            current=current,
            voting=voting,
            speaker=speaker,
            speaker_seconds=speaker_seconds,
            queue=tuple(_entry(r, m) for r, m in _queue(session, meeting.id)),
            totals=tuple(_totals(session, meeting.id, now)),
            connected=tuple(_connected(session, now, window_seconds)),
            audit_seq=head.seq if head else 0,
            audit_hash=head.hash if head else "0" * 64,
            now=now,
        )
