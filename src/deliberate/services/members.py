"""Members and their SSH keys (the member list itself is read in `services.roster`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.text import normalize, sanitize_line
from deliberate.errors import Message, UserError, os_reason
from deliberate.services import audit
from deliberate.services.roster import KeyInfo, MemberInfo
from deliberate.services.roster import list_members as list_members
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, Member, MemberKey, Role, utcnow

MAX_NAME = 200  # characters, the store's column width
HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


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


def member_state(member: Member) -> dict[str, object]:
    """What the audit log records of a member after each change (the name as a hash, so a
    published log does not list names); `verify` compares the members table with it."""
    return {
        "name_sha256": audit.sha256_text(member.name),
        "role": str(member.role),
        "can_vote": bool(member.can_vote),
        "active": bool(member.active),
        "keys": sorted(k.fingerprint for k in member.keys),
    }


def log_member(session: Session, member: Member, action: str, actor: str = "") -> None:
    """Append a member change (one of audit.MEMBER_ACTIONS) with the member's new state.
    Every writer of members or member keys calls this inside its transaction. The first
    member entry of a forum whose log predates them first records every other member."""
    session.flush()
    audit.lock_head(session)
    first = session.execute(
        select(AuditEntry.seq).where(AuditEntry.action.in_(audit.MEMBER_ACTIONS)).limit(1)
    ).first()
    if first is None:  # the baseline: everyone as found (the new member excepted)
        query = select(Member).order_by(Member.id)
        if action == audit.MEMBER_ADD:
            query = query.where(Member.id != member.id)
        others = session.scalars(query).all()
        audit.append_many(
            session, [("", audit.MEMBER_ADD, m.handle, member_state(m)) for m in others]
        )
    audit.append(
        session, actor=actor, action=action, subject=member.handle, payload=member_state(member)
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


MANAGING_ROLES = (Role.FACILITATOR, Role.ORGANIZER)


def require_role(
    session: Session,
    handle: str,
    roles: tuple[Role, ...] = MANAGING_ROLES,
    *,
    error: str = "not_permitted",
) -> Member:
    """The active member acting, who must hold one of `roles`; checked inside the service's
    transaction. `error` names the refusal in the caller's words."""
    member = require_member(session, handle)
    if member.role not in roles:
        raise UserError(error, handle=member.handle)
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
    if len(name) > MAX_NAME:
        raise UserError("name_too_long", length=len(name), limit=MAX_NAME)
    role = parse_role(role) if isinstance(role, str) else role
    with db.write() as session:
        if session.scalars(select(Member.id).where(Member.handle == handle)).first() is not None:
            raise UserError("member_exists", handle=handle)
        member = Member(handle=handle, name=name[:200], role=role, can_vote=can_vote, active=True)
        session.add(member)
        if key is not None:
            _attach_key(session, member, key)
        log_member(session, member, audit.MEMBER_ADD)
        return member_info(member)


def add_key(db: Database, handle: str, key: PublicKey) -> MemberInfo:
    with db.write() as session:
        member = _get(session, handle)
        _attach_key(session, member, key)
        session.flush()
        session.refresh(member)
        log_member(session, member, audit.MEMBER_KEY_ADD)
        return member_info(member)


def remove_member(db: Database, handle: str) -> MemberInfo:
    """Deactivate: the member can no longer act; past votes and comments stay."""
    with db.write() as session:
        member = _get(session, handle)
        if member.active:
            member.active = False
            member.deactivated_at = utcnow()
            log_member(session, member, audit.MEMBER_REMOVE)
        return member_info(member)


def update_member(
    db: Database,
    handle: str,
    *,
    name: str | None = None,
    role: Role | str | None = None,
    can_vote: bool | None = None,
) -> MemberInfo:
    """Change a member's name, role or right to vote (the operator's set-up command)."""
    new_name = sanitize_line(normalize(name)) if name is not None else None
    if name is not None and not new_name:
        raise UserError("empty_name")
    if new_name is not None and len(new_name) > MAX_NAME:
        raise UserError("name_too_long", length=len(new_name), limit=MAX_NAME)
    new_role = parse_role(role) if isinstance(role, str) else role
    with db.write() as session:
        member = _get(session, handle)
        before = member_state(member)
        if new_name is not None:
            member.name = new_name[:200]
        if new_role is not None:
            member.role = new_role
        if can_vote is not None:
            member.can_vote = can_vote
        if member_state(member) != before:
            log_member(session, member, audit.MEMBER_CHANGE)
        return member_info(member)


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
