"""Who is connected now: one row per live TUI connection, refreshed by a heartbeat.

Presence is not attendance: a member may follow a meeting from home without being checked in
(see `meetings.attendance`), and a delegate in the hall may have no terminal open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Result, delete, func, select, update
from sqlalchemy.orm import Session

from deliberate.domain.text import sanitize_line
from deliberate.services import audit
from deliberate.services.members import require_member
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import Member, Presence, Role, utcnow

PRESENCE_WINDOW_SECONDS = 60  # "connected now": a heartbeat within this many seconds


@dataclass(frozen=True)
class ConnectedMember:
    handle: str
    name: str
    role: Role
    connections: int


def heartbeat(
    db: Database, handle: str, *, client: str = "", presence_id: int | None = None
) -> int:
    """Record that `handle` is connected now; returns the presence id to refresh next time."""
    now = utcnow()

    def work(session: Session) -> int:
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
        audit.notify(session, "meeting")
        return row.id

    return run_write(db, work)


def refresh_presence(db: Database, presence_ids: Sequence[int]) -> int:
    """Refresh many connections in one transaction (an SSH server beats for all of its own);
    returns how many rows were still there."""
    if not presence_ids:
        return 0

    def work(session: Session) -> int:
        done = session.execute(
            update(Presence).where(Presence.id.in_(list(presence_ids))).values(last_seen=utcnow())
        )
        return _rowcount(done)

    return run_write(db, work)


def disconnect(db: Database, presence_id: int) -> None:
    """A connection ended: it no longer counts as connected."""

    def work(session: Session) -> None:
        session.execute(
            delete(Presence)
            .where(Presence.id == presence_id)
            .execution_options(synchronize_session=False)
        )
        audit.notify(session, "meeting")

    run_write(db, work)


def prune_presence(db: Database, *, older_than_seconds: int = 3600) -> int:
    """Drop presence rows nobody has refreshed for a long time (crashed front ends)."""
    cutoff = utcnow() - dt.timedelta(seconds=older_than_seconds)

    def work(session: Session) -> int:
        done = session.execute(
            delete(Presence)
            .where(Presence.last_seen < cutoff)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(done)

    return run_write(db, work)


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (such statements return a CursorResult)."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def connected_in(session: Session, now: dt.datetime, window: int) -> list[ConnectedMember]:
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
        return connected_in(session, utcnow(), window_seconds)
