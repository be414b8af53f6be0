"""Check-in (fremmøde): who is present at a meeting, with times.

The facilitator opens and closes check-in; a member checks in from the meeting view while it
is open, or the facilitator checks someone in (at the door) at any time before the meeting
ends. Checking out ends a stay; a member may check in again later (a new stay). Every step is
audited. A member present through a proxy holder (see `proxies`) counts as present too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from deliberate.errors import UserError
from deliberate.services import counting
from deliberate.services.meetings import records
from deliberate.services.members import MANAGING_ROLES, require_member
from deliberate.store.engine import Database
from deliberate.store.models import Attendance, Member, utcnow


@dataclass(frozen=True)
class Stay:
    """One stay at a meeting, for the minutes."""

    handle: str
    name: str
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    checked_in_by: str | None  # the facilitator who checked the member in; None: oneself


@dataclass(frozen=True)
class PresentMember:
    handle: str
    name: str
    since: dt.datetime


def open_checkin(db: Database, actor: str, meeting_id: int) -> records.MeetingSummary:
    """Members may now check themselves in (before or during the meeting)."""
    return _set_checkin(db, actor, meeting_id, True)


def close_checkin(db: Database, actor: str, meeting_id: int) -> records.MeetingSummary:
    """Members can no longer check themselves in; the facilitator still can check someone in."""
    return _set_checkin(db, actor, meeting_id, False)


def _set_checkin(db: Database, actor: str, meeting_id: int, value: bool) -> records.MeetingSummary:
    def work(session: Session) -> records.MeetingSummary:
        records.facilitator(session, actor)
        meeting = records.not_ended(session, meeting_id)
        if bool(meeting.checkin_open) == value:
            raise UserError("meeting.checkin_already_open" if value else "meeting.checkin_not_open")
        meeting.checkin_open = value
        action = records.CHECKIN_OPEN if value else records.CHECKIN_CLOSE
        records.record(session, actor, action, meeting.id, {})
        return records.summary(session, meeting)

    return records.write(db, work)


def _target(session: Session, actor: str, member: str | None) -> tuple[Member, Member]:
    """(who acts, who is checked in or out). Someone else only by a facilitator."""
    acting = require_member(session, actor)
    if member is None or member == acting.handle:
        return acting, acting
    if acting.role not in MANAGING_ROLES:
        raise UserError("meeting.not_facilitator", handle=acting.handle)
    return acting, require_member(session, member)


def _open_stay(session: Session, meeting_id: int, member_id: int) -> Attendance | None:
    return session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id,
            Attendance.member_id == member_id,
            Attendance.checked_out_at.is_(None),
        )
    ).first()


def check_in(db: Database, actor: str, meeting_id: int, member: str | None = None) -> Stay:
    """Check `member` (default: oneself) in."""

    def work(session: Session) -> Stay:
        acting, target = _target(session, actor, member)
        meeting = records.not_ended(session, meeting_id)
        by_other = acting.id != target.id
        if not by_other and not meeting.checkin_open:
            raise UserError("meeting.checkin_closed", meeting=meeting.id)
        if _open_stay(session, meeting.id, target.id) is not None:
            raise UserError("meeting.already_checked_in", handle=target.handle)
        now = utcnow()
        session.add(
            Attendance(
                meeting_id=meeting.id,
                member_id=target.id,
                checked_in_at=now,
                checked_in_by=acting.id if by_other else None,
            )
        )
        records.record(
            session,
            acting.handle,
            records.CHECK_IN,
            meeting.id,
            {"member": target.handle},
        )
        return Stay(target.handle, target.name, now, None, acting.handle if by_other else None)

    return records.write(db, work)


def check_out(db: Database, actor: str, meeting_id: int, member: str | None = None) -> Stay:
    """Check `member` (default: oneself) out: they are no longer present."""

    def work(session: Session) -> Stay:
        acting, target = _target(session, actor, member)
        meeting = records.not_ended(session, meeting_id)
        stay = _open_stay(session, meeting.id, target.id)
        if stay is None:
            raise UserError("meeting.not_checked_in", handle=target.handle)
        stay.checked_out_at = utcnow()
        records.record(
            session,
            acting.handle,
            records.CHECK_OUT,
            meeting.id,
            {"member": target.handle},
        )
        return Stay(target.handle, target.name, stay.checked_in_at, stay.checked_out_at, None)

    return records.write(db, work)


def present_in(session: Session, meeting_id: int) -> list[PresentMember]:
    """Members checked in now, by handle."""
    rows = session.execute(
        select(Member.handle, Member.name, Attendance.checked_in_at)
        .join(Attendance, Attendance.member_id == Member.id)
        .where(Attendance.meeting_id == meeting_id, Attendance.checked_out_at.is_(None))
        .order_by(Member.handle)
    ).all()
    return [PresentMember(h, n, t) for h, n, t in rows]


def present_count_in(session: Session, meeting_id: int) -> int:
    """Members with the right to vote present now, proxies included (the quorum base)."""
    return len(counting.present_members(session, meeting_id))


def present(db: Database, meeting_id: int) -> list[PresentMember]:
    with db.read() as session:
        records.get(session, meeting_id)
        return present_in(session, meeting_id)


def stays_in(session: Session, meeting_id: int) -> list[Stay]:
    by = aliased(Member)
    rows = session.execute(
        select(
            Member.handle,
            Member.name,
            Attendance.checked_in_at,
            Attendance.checked_out_at,
            by.handle,
        )
        .join(Attendance, Attendance.member_id == Member.id)
        .outerjoin(by, by.id == Attendance.checked_in_by)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Member.handle, Attendance.checked_in_at)
    ).all()
    return [Stay(h, n, i, o, b) for h, n, i, o, b in rows]


def attendance_log(db: Database, meeting_id: int) -> list[Stay]:
    """Every stay at the meeting, by member and time (for the minutes)."""
    with db.read() as session:
        records.get(session, meeting_id)
        return stays_in(session, meeting_id)
