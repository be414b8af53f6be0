"""The member list, read on SQLAlchemy Core: `deliberate member list` imports no ORM."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from deliberate.domain.status import Role
from deliberate.services.read_models import KeyInfo as KeyInfo
from deliberate.services.read_models import MemberInfo as MemberInfo
from deliberate.store import tables
from deliberate.store.engine import Database


def list_members(db: Database, *, include_inactive: bool = True) -> list[MemberInfo]:
    """Every member by handle, with their keys in the order they were added."""
    m, k = tables.members, tables.member_keys
    query = select(m.c.id, m.c.handle, m.c.name, m.c.role, m.c.can_vote, m.c.active)
    if not include_inactive:
        query = query.where(m.c.active.is_(True))
    keys: defaultdict[int, list[KeyInfo]] = defaultdict(list)
    with db.read_rows() as connection:
        rows = connection.execute(query.order_by(m.c.handle)).all()
        for member_id, algorithm, fingerprint, comment in connection.execute(
            select(k.c.member_id, k.c.algorithm, k.c.fingerprint, k.c.comment).order_by(k.c.id)
        ):
            keys[member_id].append(KeyInfo(algorithm, fingerprint, comment))
    return [
        MemberInfo(
            id=r.id,
            handle=r.handle,
            name=r.name,
            role=Role(r.role),
            can_vote=bool(r.can_vote),
            active=bool(r.active),
            keys=tuple(keys[r.id]),
        )
        for r in rows
    ]
