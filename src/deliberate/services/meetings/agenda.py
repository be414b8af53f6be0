"""A meeting's life and its agenda: create, start, end; the current item; voting per item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deliberate.domain.rules import DEFAULT_RULES, RuleSet
from deliberate.domain.text import normalize, sanitize_line
from deliberate.errors import UserError
from deliberate.services import voting
from deliberate.services.meetings import records, speakers
from deliberate.services.meetings.records import MeetingSummary
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    Proposal,
    SpeakerRequest,
    utcnow,
)


def _check_proposals(session: Session, proposal_ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for proposal_id in proposal_ids:
        if proposal_id in seen:
            raise UserError("meeting.proposal_twice", proposal=sanitize_line(proposal_id))
        seen.add(proposal_id)
        if session.get(Proposal, proposal_id) is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))


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
    limit = records.seconds(speaker_limit_seconds)
    countdown = records.seconds(countdown_seconds)

    def work(session: Session) -> MeetingSummary:
        member = records.facilitator(session, actor)
        _check_proposals(session, agenda)
        meeting = Meeting(
            title=title[:300],
            status=MeetingStatus.PLANNED,
            hide_counts=hide_counts,
            speaker_limit_seconds=limit,
            created_by=member.id,
            checkin_open=False,
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
        records.notify(session)
        return records.summary(session, meeting)

    return records.write(db, work)


def list_meetings(db: Database) -> list[MeetingSummary]:
    with db.read() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        return [records.summary(session, m) for m in meetings]


def get_meeting(db: Database, meeting_id: int) -> MeetingSummary:
    with db.read() as session:
        return records.summary(session, records.get(session, meeting_id))


def running_meeting_id(db: Database) -> int | None:
    """The meeting now running (at most one runs at a time), or None."""
    with db.read() as session:
        return records.running_id(session)


def start_meeting(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    """Planned -> running, at the first agenda item. Only one meeting runs at a time."""

    def work(session: Session) -> MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.get(session, meeting_id, lock=True)
        if meeting.status != MeetingStatus.PLANNED:
            raise UserError(f"meeting.is_{meeting.status}", meeting=meeting.id)
        other = records.running_id(session)
        if other is not None:
            raise UserError("meeting.another_running", meeting=other)
        items = records.items(session, meeting.id)
        if not items:
            raise UserError("meeting.no_agenda", meeting=meeting.id)
        meeting.status = MeetingStatus.RUNNING
        meeting.started_at = utcnow()
        meeting.current_position = items[0].position
        records.record(
            session,
            actor,
            records.MEETING_START,
            meeting.id,
            {"title": meeting.title, "agenda": [i.proposal_id for i in items]},
        )
        return records.summary(session, meeting)

    return records.write(db, work)


def end_meeting(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    """Running -> ended. Whoever has the floor finishes; waiting requests lapse; everyone
    still checked in is checked out at the end."""

    def work(session: Session) -> MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        now = utcnow()
        speakers.finish_current(session, meeting.id, now)
        session.execute(
            update(SpeakerRequest)
            .where(
                SpeakerRequest.meeting_id == meeting.id,
                SpeakerRequest.granted_at.is_(None),
                SpeakerRequest.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )
        session.execute(
            update(Attendance)
            .where(Attendance.meeting_id == meeting.id, Attendance.checked_out_at.is_(None))
            .values(checked_out_at=now)
        )
        meeting.status = MeetingStatus.ENDED
        meeting.ended_at = now
        meeting.checkin_open = False
        records.record(session, actor, records.MEETING_END, meeting.id, {"title": meeting.title})
        return records.summary(session, meeting)

    return records.write(db, work)


def add_agenda_item(
    db: Database,
    actor: str,
    meeting_id: int,
    proposal_id: str,
    *,
    countdown_seconds: int | None = None,
) -> MeetingSummary:
    """Append a proposal to the agenda (not after the meeting ended)."""
    countdown = records.seconds(countdown_seconds)

    def work(session: Session) -> MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.not_ended(session, meeting_id)
        items = records.items(session, meeting.id)
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
        records.notify(session)
        return records.summary(session, meeting)

    return records.write(db, work)


def reorder_agenda(
    db: Database, actor: str, meeting_id: int, proposal_ids: Sequence[str]
) -> MeetingSummary:
    """Put the agenda in this order; it must name exactly the proposals already on it."""

    def work(session: Session) -> MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.not_ended(session, meeting_id)
        items = {i.proposal_id: i for i in records.items(session, meeting.id)}
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
        records.notify(session)
        return records.summary(session, meeting)

    return records.write(db, work)


def set_countdown(
    db: Database, actor: str, meeting_id: int, position: int, seconds: int | None
) -> None:
    """The countdown that closes voting on one agenda item (None: no countdown)."""
    seconds = records.seconds(seconds)

    def work(session: Session) -> None:
        records.facilitator(session, actor)
        meeting = records.get(session, meeting_id, lock=True)
        item = records.item_at(session, meeting, position)
        item.countdown_seconds = seconds
        records.notify(session)

    records.write(db, work)


def goto_item(db: Database, actor: str, meeting_id: int, position: int) -> MeetingSummary:
    """Make agenda item `position` the current one; every member's screen follows."""

    def work(session: Session) -> MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        item = records.item_at(session, meeting, position)
        if meeting.current_position != item.position:
            _move_to(session, actor, meeting, item)
        return records.summary(session, meeting)

    return records.write(db, work)


def next_item(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    return _step(db, actor, meeting_id, +1)


def previous_item(db: Database, actor: str, meeting_id: int) -> MeetingSummary:
    return _step(db, actor, meeting_id, -1)


def _step(db: Database, actor: str, meeting_id: int, direction: int) -> MeetingSummary:
    def work(session: Session) -> MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        positions = [i.position for i in records.items(session, meeting.id)]
        index = (
            positions.index(meeting.current_position)
            if meeting.current_position in positions
            else -1
        )
        target = index + direction
        if not 0 <= target < len(positions):
            raise UserError("meeting.at_last_item" if direction > 0 else "meeting.at_first_item")
        _move_to(session, actor, meeting, records.item_at(session, meeting, positions[target]))
        return records.summary(session, meeting)

    return records.write(db, work)


def _move_to(session: Session, actor: str, meeting: Meeting, item: AgendaItem) -> None:
    meeting.current_position = item.position
    records.record(
        session,
        actor,
        records.MEETING_ITEM,
        meeting.id,
        {"position": item.position, "proposal": item.proposal_id},
    )


def current_proposal(db: Database, meeting_id: int) -> tuple[str, int | None]:
    """(proposal id, countdown seconds) of the current item of a running meeting."""
    with db.read() as session:
        return current_in(session, meeting_id)


def current_in(session: Session, meeting_id: int, *, lock: bool = False) -> tuple[str, int | None]:
    meeting = records.running(session, meeting_id, lock=lock)
    if meeting.current_position is None:
        raise UserError("meeting.no_current_item", meeting=meeting.id)
    item = records.item_at(session, meeting, meeting.current_position)
    return item.proposal_id, item.countdown_seconds


# ------------------------------------------------------------------------------ voting per item


def open_item_voting(
    db: Database,
    actor: str,
    meeting_id: int,
    *,
    rules: str | RuleSet = DEFAULT_RULES,
    countdown_seconds: int | None = None,
    secret: bool = False,
) -> str:
    """Open voting on the current item (secret or open ballot); a countdown (the item's own
    unless given) closes it."""
    proposal_id, item_countdown = current_proposal(db, meeting_id)
    seconds = records.seconds(countdown_seconds) or item_countdown
    closes_at = utcnow() + dt.timedelta(seconds=seconds) if seconds else None
    voting.open_voting(db, actor, proposal_id, rules=rules, closes_at=closes_at, secret=secret)
    return proposal_id


def close_item_voting(db: Database, actor: str, meeting_id: int) -> str:
    """Close voting on the current item (freezes the tally)."""
    proposal_id, _ = current_proposal(db, meeting_id)
    voting.close_voting(db, actor, proposal_id)
    return proposal_id


def extend_item_voting(db: Database, actor: str, meeting_id: int, seconds: int) -> dt.datetime:
    """Give the current item's vote `seconds` more (from its deadline, or from now)."""
    seconds = records.seconds(seconds, allow_none=False) or 0
    proposal_id, _ = current_proposal(db, meeting_id)
    with db.read() as session:
        closes_at = session.scalar(select(Proposal.closes_at).where(Proposal.id == proposal_id))
    now = utcnow()
    base = closes_at if closes_at is not None and closes_at > now else now
    new_deadline = base + dt.timedelta(seconds=seconds)
    voting.extend_deadline(db, actor, proposal_id, new_deadline)
    return new_deadline
