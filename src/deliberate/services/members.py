"""Members and their SSH keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.text import normalize, sanitize_line
from deliberate.errors import Message, UserError, os_reason
from deliberate.store.engine import Database
from deliberate.store.models import Member, MemberKey, Role, utcnow

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class KeyInfo:
    algorithm: str
    fingerprint: str
    comment: str


@dataclass(frozen=True)
class MemberInfo:
    id: int
    handle: str
    name: str
    role: Role
    can_vote: bool
    active: bool
    keys: tuple[KeyInfo, ...] = ()

    @property
    def may_facilitate(self) -> bool:
        return self.active and self.role in (Role.FACILITATOR, Role.ORGANIZER)


@dataclass(frozen=True)
class PublicKey:
    algorithm: str
    key_data: str
    comment: str
    fingerprint: str


def member_info(member: Member) -> MemberInfo:
    return MemberInfo(
        id=member.id,
        handle=member.handle,
        name=member.name,
        role=Role(member.role),
        can_vote=member.can_vote,
        active=member.active,
        keys=tuple(KeyInfo(k.algorithm, k.fingerprint, k.comment) for k in member.keys),
    )


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise UserError("unknown_role", role=role) from None


def check_handle(handle: str) -> str:
    if not HANDLE_RE.match(handle):
        raise UserError("bad_handle", handle=sanitize_line(handle))
    return handle


def parse_public_key(text: str, source: str) -> PublicKey:
    """Validate one OpenSSH public key line (as in an .pub file or authorized_keys)."""
    if "PRIVATE KEY" in text:
        raise UserError("key_private", path=source)
    import asyncssh  # only here: it is slow to import, and most commands never need it

    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if len(lines) != 1:
        reason = "empty file" if not lines else "more than one key; give one key per file"
        raise UserError("key_invalid", path=source, reason=reason)
    try:
        key = asyncssh.import_public_key(lines[0])
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise UserError(
            "key_invalid", path=source, reason=str(exc).strip() or "unreadable"
        ) from None
    exported = key.export_public_key("openssh").decode("ascii").split()
    parts = lines[0].split(None, 2)
    comment = sanitize_line(parts[2]) if len(parts) > 2 else ""
    return PublicKey(
        algorithm=exported[0],
        key_data=exported[1],
        comment=comment[:200],
        fingerprint=key.get_fingerprint("sha256"),
    )


def read_public_key_file(path: Path) -> PublicKey:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else Message("os.not_a_text_file")
        raise UserError("key_file_unreadable", path=str(path), reason=reason) from None
    return parse_public_key(text, str(path))


def _get(session: Session, handle: str, *, lock: bool = False) -> Member:
    query = select(Member).where(Member.handle == handle)
    if lock:
        query = query.with_for_update()
    member = session.scalars(query).one_or_none()
    if member is None:
        raise UserError("unknown_member", handle=sanitize_line(handle))
    return member


def require_member(session: Session, handle: str, *, active: bool = True) -> Member:
    """The member acting, inside a service's transaction."""
    member = _get(session, handle)
    if active and not member.active:
        raise UserError("inactive_member", handle=handle)
    return member


def _attach_key(session: Session, member: Member, key: PublicKey) -> None:
    existing = session.scalars(
        select(MemberKey).where(MemberKey.fingerprint == key.fingerprint)
    ).one_or_none()
    if existing is not None:
        owner = session.get(Member, existing.member_id)
        raise UserError(
            "key_in_use", fingerprint=key.fingerprint, handle=owner.handle if owner else "?"
        )
    session.add(
        MemberKey(
            member=member,
            algorithm=key.algorithm,
            key_data=key.key_data,
            comment=key.comment,
            fingerprint=key.fingerprint,
        )
    )


def add_member(
    db: Database,
    handle: str,
    name: str,
    *,
    role: Role | str = Role.MEMBER,
    key: PublicKey | None = None,
    can_vote: bool = True,
) -> MemberInfo:
    handle = check_handle(normalize(handle.strip()))
    name = sanitize_line(normalize(name))
    if not name:
        raise UserError("empty_name")
    role = parse_role(role) if isinstance(role, str) else role
    with db.write() as session:
        if session.scalars(select(Member.id).where(Member.handle == handle)).first() is not None:
            raise UserError("member_exists", handle=handle)
        member = Member(handle=handle, name=name[:200], role=role, can_vote=can_vote, active=True)
        session.add(member)
        if key is not None:
            _attach_key(session, member, key)
        session.flush()
        return member_info(member)


def add_key(db: Database, handle: str, key: PublicKey) -> MemberInfo:
    with db.write() as session:
        member = _get(session, handle)
        _attach_key(session, member, key)
        session.flush()
        session.refresh(member)
        return member_info(member)


def remove_member(db: Database, handle: str) -> MemberInfo:
    """Deactivate: the member can no longer act; past votes and comments stay."""
    with db.write() as session:
        member = _get(session, handle)
        if member.active:
            member.active = False
            member.deactivated_at = utcnow()
        return member_info(member)


def list_members(db: Database, *, include_inactive: bool = True) -> list[MemberInfo]:
    with db.read() as session:
        query = select(Member).order_by(Member.handle)
        if not include_inactive:
            query = query.where(Member.active.is_(True))
        return [member_info(m) for m in session.scalars(query)]


def get_member(db: Database, handle: str) -> MemberInfo:
    with db.read() as session:
        return member_info(_get(session, handle))


def member_for_key(db: Database, algorithm: str, key_data: str) -> MemberInfo | None:
    """The active member a public key belongs to, or None (SSH authentication)."""
    with db.read() as session:
        member = session.scalars(
            select(Member)
            .join(MemberKey)
            .where(MemberKey.algorithm == algorithm, MemberKey.key_data == key_data)
        ).one_or_none()
        if member is None or not member.active:
            return None
        return member_info(member)
