"""Proxies (fuldmagt): an organizer records that one member (the holder) votes for another
(the principal) at one meeting, within the forum's limit of proxies per holder.

The holder then votes for the principal (`voting.cast_vote(..., for_member=...)`); the
principal's own vote, if they vote, replaces the proxy vote; the principal counts as present
while the holder is checked in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from deliberate.errors import UserError
from deliberate.services.meetings import records
from deliberate.services.members import require_member
from deliberate.store.engine import Database
from deliberate.store.models import ForumSetting, Member, Proxy, utcnow

PROXY_LIMIT_KEY = "proxy_limit"
DEFAULT_PROXY_LIMIT = 1
MAX_PROXY_LIMIT = 100


@dataclass(frozen=True)
class ProxyEntry:
    principal: str
    principal_name: str
    holder: str
    holder_name: str
    created_at: dt.datetime


def proxy_limit_in(session: Session) -> int:
    raw = session.scalar(select(ForumSetting.value).where(ForumSetting.key == PROXY_LIMIT_KEY))
    return int(raw) if raw is not None else DEFAULT_PROXY_LIMIT


def proxy_limit(db: Database) -> int:
    """How many proxies one member may hold at a meeting (forum setting, default 1)."""
    with db.read() as session:
        return proxy_limit_in(session)


def set_proxy_limit(db: Database, actor: str, limit: int) -> int:
    """Set the forum's limit of proxies per holder (organizer); 0 allows no proxies."""
    if isinstance(limit, bool) or not 0 <= int(limit) <= MAX_PROXY_LIMIT:
        raise UserError("proxy.bad_limit", limit=limit, max=MAX_PROXY_LIMIT)

    def work(session: Session) -> int:
        member = records.organizer(session, actor)
        row = session.get(ForumSetting, PROXY_LIMIT_KEY)
        if row is None:
            session.add(ForumSetting(key=PROXY_LIMIT_KEY, value=str(int(limit))))
        else:
            row.value = str(int(limit))
        records.record_setting(session, member.handle, PROXY_LIMIT_KEY, int(limit))
        return int(limit)

    return records.write(db, work)


def add_proxy(db: Database, actor: str, meeting_id: int, principal: str, holder: str) -> ProxyEntry:
    """`holder` votes for `principal` at the meeting (organizer)."""

    def work(session: Session) -> ProxyEntry:
        organizer = records.organizer(session, actor)
        meeting = records.not_ended(session, meeting_id)
        giver = require_member(session, principal)
        taker = require_member(session, holder)
        if giver.id == taker.id:
            raise UserError("proxy.to_oneself", handle=giver.handle)
        for member in (giver, taker):
            if not member.can_vote:
                raise UserError("voting.error.no_right_to_vote", handle=member.handle)
        rows = session.execute(
            select(Proxy.principal_id, Proxy.holder_id).where(Proxy.meeting_id == meeting.id)
        ).all()
        if any(p == giver.id for p, _ in rows):
            raise UserError("proxy.already_given", handle=giver.handle, meeting=meeting.id)
        if any(p == taker.id for p, _ in rows):
            raise UserError("proxy.holder_gave_proxy", handle=taker.handle)
        if any(h == giver.id for _, h in rows):
            raise UserError("proxy.principal_holds_proxy", handle=giver.handle)
        held = sum(1 for _, h in rows if h == taker.id)
        limit = proxy_limit_in(session)
        if held >= limit:
            raise UserError("proxy.over_limit", handle=taker.handle, limit=limit)
        now = utcnow()
        session.add(
            Proxy(
                meeting_id=meeting.id,
                principal_id=giver.id,
                holder_id=taker.id,
                created_at=now,
                created_by=organizer.id,
            )
        )
        records.record(
            session,
            organizer.handle,
            records.PROXY_ADD,
            meeting.id,
            {"principal": giver.handle, "holder": taker.handle},
        )
        return ProxyEntry(giver.handle, giver.name, taker.handle, taker.name, now)

    return records.write(db, work)


def remove_proxy(
    db: Database, actor: str, meeting_id: int, principal: str, holder: str
) -> ProxyEntry:
    """Withdraw a proxy (organizer). Votes already cast by it stay as cast."""

    def work(session: Session) -> ProxyEntry:
        organizer = records.organizer(session, actor)
        meeting = records.not_ended(session, meeting_id)
        giver = require_member(session, principal, active=False)
        taker = require_member(session, holder, active=False)
        row = session.scalars(
            select(Proxy).where(
                Proxy.meeting_id == meeting.id,
                Proxy.principal_id == giver.id,
                Proxy.holder_id == taker.id,
            )
        ).one_or_none()
        if row is None:
            raise UserError("proxy.unknown", principal=giver.handle, holder=taker.handle)
        entry = ProxyEntry(giver.handle, giver.name, taker.handle, taker.name, row.created_at)
        session.delete(row)
        records.record(
            session,
            organizer.handle,
            records.PROXY_REMOVE,
            meeting.id,
            {"principal": giver.handle, "holder": taker.handle},
        )
        return entry

    return records.write(db, work)


def proxies_in(session: Session, meeting_id: int) -> list[ProxyEntry]:
    giver, taker = aliased(Member), aliased(Member)
    rows = session.execute(
        select(giver.handle, giver.name, taker.handle, taker.name, Proxy.created_at)
        .join(giver, giver.id == Proxy.principal_id)
        .join(taker, taker.id == Proxy.holder_id)
        .where(Proxy.meeting_id == meeting_id)
        .order_by(taker.handle, giver.handle)
    ).all()
    return [ProxyEntry(*row) for row in rows]


def list_proxies(db: Database, meeting_id: int) -> list[ProxyEntry]:
    with db.read() as session:
        records.get(session, meeting_id)
        return proxies_in(session, meeting_id)


def proxies_held(db: Database, handle: str, proposal_id: str) -> list[ProxyEntry]:
    """The proxies `handle` holds at the meeting whose agenda holds the proposal (what the
    vote dialog offers)."""
    with db.read() as session:
        meeting_id = records.meeting_of_proposal(session, proposal_id)
        if meeting_id is None:
            return []
        return [p for p in proxies_in(session, meeting_id) if p.holder == handle]
