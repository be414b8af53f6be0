"""What every part of a meeting shares: the summary, the lookups, and the one way to write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deliberate.errors import UserError
from deliberate.services import audit
from deliberate.services.members import MANAGING_ROLES, require_role
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import AgendaItem, Meeting, MeetingStatus, Member, Role

T = TypeVar("T")
MAX_SECONDS = 24 * 3600

# Audit actions of meetings
MEETING_START = "meeting_start"
MEETING_END = "meeting_end"
MEETING_ITEM = "meeting_item"
FLOOR_GRANTED = "floor_granted"
FLOOR_EXTENDED = "floor_extended"
CHECKIN_OPEN = "checkin_open"
CHECKIN_CLOSE = "checkin_close"
CHECK_IN = "check_in"
CHECK_OUT = "check_out"
PROXY_ADD = "proxy_add"
PROXY_REMOVE = "proxy_remove"
HAND_COUNT = "hand_count"
SETTING = "setting"


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
    checkin_open: bool = False


def write(db: Database, work: Callable[[Session], T]) -> T:
    """Every meeting writer: one transaction through `run_write`, the audit head locked first
    (the one lock order of the whole core: head, then rows)."""

    def locked(session: Session) -> T:
        audit.lock_head(session)
        return work(session)

    return run_write(db, locked)


def record(session: Session, actor: str, action: str, meeting_id: int, payload: dict) -> None:
    audit.append(
        session, actor=actor, action=action, subject=f"meeting:{meeting_id}", payload=payload
    )


def record_setting(session: Session, actor: str, key: str, value: object) -> None:
    audit.append(session, actor=actor, action=SETTING, subject=key, payload={"value": value})


def notify(session: Session) -> None:
    """Wake live screens on PostgreSQL for a change that writes no audit entry (SQLite
    screens notice every commit by themselves)."""
    audit.notify(session, "meeting")


def facilitator(session: Session, handle: str) -> Member:
    return require_role(session, handle, MANAGING_ROLES, error="meeting.not_facilitator")


def organizer(session: Session, handle: str) -> Member:
    return require_role(session, handle, (Role.ORGANIZER,), error="meeting.not_organizer")


def get(session: Session, meeting_id: int, *, lock: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    if lock:
        query = query.with_for_update()
    meeting = session.scalars(query).one_or_none()
    if meeting is None:
        raise UserError("meeting.unknown", meeting=meeting_id)
    return meeting


def running(session: Session, meeting_id: int, *, lock: bool = True) -> Meeting:
    meeting = get(session, meeting_id, lock=lock)
    if meeting.status != MeetingStatus.RUNNING:
        raise UserError(f"meeting.is_{meeting.status}", meeting=meeting.id)
    return meeting


def not_ended(session: Session, meeting_id: int) -> Meeting:
    meeting = get(session, meeting_id, lock=True)
    if meeting.status == MeetingStatus.ENDED:
        raise UserError("meeting.is_ended", meeting=meeting.id)
    return meeting


def items(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        )
    )


def item_at(session: Session, meeting: Meeting, position: int) -> AgendaItem:
    item = session.scalars(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.position == position
        )
    ).one_or_none()
    if item is None:
        raise UserError("meeting.no_such_item", meeting=meeting.id, position=position)
    return item


def seconds(value: int | None, *, allow_none: bool = True) -> int | None:
    if value is None and allow_none:
        return None
    if value is None or isinstance(value, bool) or not 1 <= int(value) <= MAX_SECONDS:
        raise UserError("meeting.bad_seconds", seconds=value, max=MAX_SECONDS)
    return int(value)


def running_id(session: Session) -> int | None:
    return session.scalar(
        select(Meeting.id)
        .where(Meeting.status == MeetingStatus.RUNNING)
        .order_by(Meeting.started_at.desc(), Meeting.id.desc())
        .limit(1)
    )


def meeting_of_proposal(session: Session, proposal_id: str) -> int | None:
    """The meeting whose agenda holds the proposal (the latest, if several)."""
    return session.scalar(
        select(AgendaItem.meeting_id)
        .where(AgendaItem.proposal_id == proposal_id)
        .order_by(AgendaItem.meeting_id.desc())
        .limit(1)
    )


def summary(session: Session, m: Meeting) -> MeetingSummary:
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
        checkin_open=bool(m.checkin_open),
    )
