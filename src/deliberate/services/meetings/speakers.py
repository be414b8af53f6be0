"""The speakers' list (taleliste): requests, points of order ahead of the queue, the floor
and its enforced time limit.

A speaker's time ends at `granted_at + limit_seconds` by itself: nobody has to write that
moment down (reads never write), every screen derives it, and speaking time is counted up to
it. The facilitator may extend the current speaker, even just after the time ran out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from deliberate.errors import UserError
from deliberate.services.meetings import records
from deliberate.services.members import require_member
from deliberate.store.engine import Database
from deliberate.store.models import AgendaItem, AuditEntry, Member, SpeakerRequest, utcnow

SPEAK = "speak"
POINT_OF_ORDER = "point_of_order"
WARNING_SECONDS = 30  # the console warns when this much speaking time is left


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

    @property
    def ends_at(self) -> dt.datetime | None:
        """When the floor ends by the time limit (None: no limit, or not granted)."""
        if self.granted_at is None or self.limit_seconds is None:
            return None
        return self.granted_at + dt.timedelta(seconds=self.limit_seconds)

    def seconds_left(self, now: dt.datetime) -> float | None:
        ends = self.ends_at
        return None if ends is None else max(0.0, (ends - now).total_seconds())


@dataclass(frozen=True)
class SpeakingTotal:
    handle: str
    name: str
    seconds: float
    turns: int


@dataclass(frozen=True)
class ItemSpeaking:
    """Who spoke while one agenda item was current, and for how long (for the minutes)."""

    position: int
    proposal_id: str
    totals: tuple[SpeakingTotal, ...]


def entry(request: SpeakerRequest, member: Member) -> SpeakerEntry:
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


def _end_of(request: SpeakerRequest, now: dt.datetime) -> dt.datetime:
    """When this turn ended (or ends, if still running): finished, out of time, or now."""
    assert request.granted_at is not None
    end = request.finished_at or now
    if request.limit_seconds is not None:
        end = min(end, request.granted_at + dt.timedelta(seconds=request.limit_seconds))
    return max(end, request.granted_at)


def request_to_speak(db: Database, actor: str, meeting_id: int) -> SpeakerEntry:
    """Put the member on the speakers' list (once; withdraw to leave it)."""
    return _request(db, actor, meeting_id, SPEAK)


def point_of_order(db: Database, actor: str, meeting_id: int) -> SpeakerEntry:
    """A point of order: goes before every ordinary request."""
    return _request(db, actor, meeting_id, POINT_OF_ORDER)


def _waiting(meeting_id: int) -> Select[Any]:
    return select(SpeakerRequest).where(
        SpeakerRequest.meeting_id == meeting_id,
        SpeakerRequest.granted_at.is_(None),
        SpeakerRequest.withdrawn_at.is_(None),
    )


def _request(db: Database, actor: str, meeting_id: int, kind: str) -> SpeakerEntry:
    def work(session: Session) -> SpeakerEntry:
        member = require_member(session, actor)
        meeting = records.running(session, meeting_id)
        already = session.scalars(
            _waiting(meeting.id).where(
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
        records.notify(session)
        return entry(request, member)

    return records.write(db, work)


def withdraw_request(db: Database, actor: str, meeting_id: int) -> int:
    """Take the member's waiting requests off the list; returns how many."""

    def work(session: Session) -> int:
        member = require_member(session, actor)
        meeting = records.running(session, meeting_id)
        waiting = session.scalars(
            _waiting(meeting.id).where(SpeakerRequest.member_id == member.id)
        ).all()
        if not waiting:
            raise UserError("meeting.nothing_to_withdraw")
        now = utcnow()
        for request in waiting:
            request.withdrawn_at = now
        records.notify(session)
        return len(waiting)

    return records.write(db, work)


def queue_in(session: Session, meeting_id: int) -> list[tuple[SpeakerRequest, Member]]:
    """Waiting requests in floor order: points of order first, then by time asked."""
    rows = session.execute(
        _waiting(meeting_id)
        .add_columns(Member)
        .join(Member, Member.id == SpeakerRequest.member_id)
        .order_by(
            (SpeakerRequest.kind != POINT_OF_ORDER),
            SpeakerRequest.requested_at,
            SpeakerRequest.id,
        )
    ).all()
    return [(r, m) for r, m in rows]


def current_in(session: Session, meeting_id: int, now: dt.datetime) -> SpeakerRequest | None:
    """Who has the floor: granted, not finished, and within the time limit."""
    request = session.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == meeting_id,
            SpeakerRequest.granted_at.is_not(None),
            SpeakerRequest.finished_at.is_(None),
        )
        .order_by(SpeakerRequest.granted_at.desc())
    ).first()
    if request is None or _end_of(request, now) < now:
        return None
    return request


def _unfinished(session: Session, meeting_id: int) -> SpeakerRequest | None:
    """The last granted turn not marked finished, even if its time ran out."""
    return session.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == meeting_id,
            SpeakerRequest.granted_at.is_not(None),
            SpeakerRequest.finished_at.is_(None),
        )
        .order_by(SpeakerRequest.granted_at.desc())
    ).first()


def finish_current(session: Session, meeting_id: int, now: dt.datetime) -> None:
    """Every running turn ends now, or when its time ran out if that was earlier."""
    for request in session.scalars(
        select(SpeakerRequest).where(
            SpeakerRequest.meeting_id == meeting_id,
            SpeakerRequest.granted_at.is_not(None),
            SpeakerRequest.finished_at.is_(None),
        )
    ):
        request.finished_at = _end_of(request, now)


def grant_floor(
    db: Database, actor: str, meeting_id: int, *, request_id: int | None = None
) -> SpeakerEntry:
    """Give the floor to the next in the queue (or to `request_id`); the previous speaker
    finishes. The speaker's timer starts now, with the meeting's speaking-time limit."""

    def work(session: Session) -> SpeakerEntry:
        records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        queue = queue_in(session, meeting.id)
        if request_id is not None:
            queue = [(r, m) for r, m in queue if r.id == request_id]
            if not queue:
                raise UserError("meeting.no_such_request", request=request_id)
        if not queue:
            raise UserError("meeting.queue_empty")
        request, member = queue[0]
        now = utcnow()
        finish_current(session, meeting.id, now)
        request.granted_at = now
        request.limit_seconds = meeting.speaker_limit_seconds
        records.record(
            session,
            actor,
            records.FLOOR_GRANTED,
            meeting.id,
            {
                "member": member.handle,
                "kind": request.kind,
                "position": meeting.current_position,
            },
        )
        return entry(request, member)

    return records.write(db, work)


def finish_speaker(db: Database, actor: str, meeting_id: int) -> SpeakerEntry:
    """The current speaker's time ends."""

    def work(session: Session) -> SpeakerEntry:
        records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        now = utcnow()
        request = current_in(session, meeting.id, now)
        if request is None:
            raise UserError("meeting.no_speaker")
        request.finished_at = now
        records.notify(session)
        member = session.get(Member, request.member_id)
        assert member is not None
        return entry(request, member)

    return records.write(db, work)


def extend_speaker(db: Database, actor: str, meeting_id: int, seconds: int) -> SpeakerEntry:
    """Give the current speaker `seconds` more; also right after their time ran out (the
    floor then resumes). Only a turn with a time limit can be extended."""
    extra = records.seconds(seconds, allow_none=False) or 0

    def work(session: Session) -> SpeakerEntry:
        records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        request = _unfinished(session, meeting.id)
        if request is None or request.granted_at is None:
            raise UserError("meeting.no_speaker")
        if request.limit_seconds is None:
            raise UserError("meeting.no_speaker_limit")
        elapsed = int((utcnow() - request.granted_at).total_seconds())
        request.limit_seconds = min(
            max(request.limit_seconds, elapsed) + extra, records.MAX_SECONDS
        )
        member = session.get(Member, request.member_id)
        assert member is not None
        records.record(
            session,
            actor,
            records.FLOOR_EXTENDED,
            meeting.id,
            {"member": member.handle, "limit_seconds": request.limit_seconds},
        )
        return entry(request, member)

    return records.write(db, work)


def totals_in(session: Session, meeting_id: int, now: dt.datetime) -> list[SpeakingTotal]:
    rows = session.execute(
        select(SpeakerRequest, Member.handle, Member.name)
        .join(Member, Member.id == SpeakerRequest.member_id)
        .where(SpeakerRequest.meeting_id == meeting_id, SpeakerRequest.granted_at.is_not(None))
    ).all()
    return _sum([(r, h, n) for r, h, n in rows], now)


def _sum(rows: list[tuple[SpeakerRequest, str, str]], now: dt.datetime) -> list[SpeakingTotal]:
    seconds: dict[str, float] = {}
    turns: dict[str, int] = {}
    names: dict[str, str] = {}
    for request, handle, name in rows:
        assert request.granted_at is not None
        spoken = (_end_of(request, now) - request.granted_at).total_seconds()
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
        records.get(session, meeting_id)
        return totals_in(session, meeting_id, utcnow())


def speaking_by_item(db: Database, meeting_id: int) -> list[ItemSpeaking]:
    """Speaking time per agenda item: a turn belongs to the item that was current when the
    floor was granted (from the audit entries of the meeting's item changes)."""
    with db.read() as session:
        return by_item_in(session, meeting_id, utcnow())


def by_item_in(session: Session, meeting_id: int, now: dt.datetime) -> list[ItemSpeaking]:
    records.get(session, meeting_id)
    subject = f"meeting:{meeting_id}"
    # The item current at each moment: the start puts the first item current, each
    # meeting_item entry moves it.
    moves: list[tuple[dt.datetime, str]] = []
    for action, created_at, payload in session.execute(
        select(AuditEntry.action, AuditEntry.created_at, AuditEntry.payload)
        .where(
            AuditEntry.subject == subject,
            AuditEntry.action.in_((records.MEETING_START, records.MEETING_ITEM)),
        )
        .order_by(AuditEntry.seq)
    ):
        data = json.loads(payload)
        if action == records.MEETING_START:
            if data.get("agenda"):
                moves.append((created_at, data["agenda"][0]))
        else:
            moves.append((created_at, data["proposal"]))
    positions = {
        i.proposal_id: i.position
        for i in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id))
    }
    rows = session.execute(
        select(SpeakerRequest, Member.handle, Member.name)
        .join(Member, Member.id == SpeakerRequest.member_id)
        .where(SpeakerRequest.meeting_id == meeting_id, SpeakerRequest.granted_at.is_not(None))
        .order_by(SpeakerRequest.granted_at)
    ).all()
    grouped: dict[str, list[tuple[SpeakerRequest, str, str]]] = {}
    for request, handle, name in rows:
        current = None
        for moment, proposal in moves:
            if request.granted_at is not None and moment <= request.granted_at:
                current = proposal
        if current is not None:
            grouped.setdefault(current, []).append((request, handle, name))
    return [
        ItemSpeaking(positions.get(pid, 0), pid, tuple(_sum(turns, now)))
        for pid, turns in sorted(grouped.items(), key=lambda kv: positions.get(kv[0], 0))
    ]
