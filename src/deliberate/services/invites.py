"""Invite codes: a one-time code that binds a member's SSH key to the member.

`create_invite` makes a code like `K7PX-3MRT-9QHW` (12 characters from an alphabet without
0/O, 1/I/L and U: about 59 bits) and keeps only a salted SHA-256 of it. A new invite for the
same member revokes the older ones. `redeem` checks a typed code for an SSH key that is not
registered yet: the right code (unused, unexpired, not revoked) binds the key and is used up.

Wrong, expired and used codes are refused with their own message; each refusal is recorded
(`invite_attempts`, and the audit chain) and five of them from one address within a minute
lock that address out for a while (`InvitePolicy`). The lockout is kept in the database, so it
holds for every process and every host serving the forum. Created, used and refused codes are
all in the audit chain; `replay` checks them in `deliberate verify`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.services import audit
from deliberate.services.members import (
    MemberInfo,
    PublicKey,
    _attach_key,
    member_info,
    require_member,
)
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import Invite, InviteAttempt, Member, MemberKey, utcnow

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read aloud and type
GROUPS = 3
GROUP_LENGTH = 4
CODE_LENGTH = GROUPS * GROUP_LENGTH
DEFAULT_VALID = dt.timedelta(days=7)
MAX_VALID = dt.timedelta(days=365)

# Audit actions
INVITE_CREATE = "invite_create"
INVITE_USE = "invite_use"
INVITE_REFUSE = "invite_refuse"
ACTIONS = (INVITE_CREATE, INVITE_USE, INVITE_REFUSE)

# Why a code was refused (also the message key suffix: invite.refused.<reason>)
WRONG = "wrong"
EXPIRED = "expired"
USED = "used"
LOCKED = "locked"


@dataclass(frozen=True)
class InvitePolicy:
    """How many refused codes from one address (within `window`) lock it out, and for how long."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=1)
    lockout: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class IssuedInvite:
    handle: str
    name: str
    code: str  # shown once, never stored
    expires_at: dt.datetime
    replaced: int  # older invites of this member that this one revoked


# ------------------------------------------------------------------------------ codes


def new_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def normalize_code(text: str) -> str | None:
    """The code's 12 characters as stored in the hash, or None if it cannot be a code.
    Case, spaces and dashes do not matter."""
    plain = re.sub(r"[\s\-_.]", "", text).upper()
    if len(plain) != CODE_LENGTH or any(c not in ALPHABET for c in plain):
        return None
    return plain


def code_digest(salt_hex: str, code: str) -> str:
    """SHA-256 of the salt's bytes followed by the normalized code."""
    plain = normalize_code(code)
    if plain is None:
        raise ValueError("not an invite code")
    return hashlib.sha256(bytes.fromhex(salt_hex) + plain.encode("ascii")).hexdigest()


_VALIDITY_RE = re.compile(r"^\s*(\d{1,6})\s*([dhm])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_validity(text: str) -> dt.timedelta:
    """'7d', '36h', '90m' -> a timedelta (at least a minute, at most a year)."""
    match = _VALIDITY_RE.match(text)
    if not match:
        raise UserError("invite.bad_validity", value=sanitize_line(text)[:40])
    valid = dt.timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    if not dt.timedelta(minutes=1) <= valid <= MAX_VALID:
        raise UserError("invite.bad_validity", value=sanitize_line(text)[:40])
    return valid


# ------------------------------------------------------------------------------ creating


def create_invite(
    db: Database,
    handle: str,
    *,
    valid: dt.timedelta = DEFAULT_VALID,
    now: dt.datetime | None = None,
) -> IssuedInvite:
    """A new one-time code for an active member; older unused codes of theirs stop working."""
    return run_write(db, lambda session: issue(session, handle, valid=valid, now=now))


def issue(
    session: Session, handle: str, *, valid: dt.timedelta, now: dt.datetime | None = None
) -> IssuedInvite:
    """`create_invite` inside the caller's transaction (the member import uses it too)."""
    audit.lock_head(session)  # locks in one order: the audit head first
    member = require_member(session, handle)
    moment = now or utcnow()
    replaced = session.scalars(
        select(Invite).where(
            Invite.member_id == member.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
        )
    ).all()
    for old in replaced:
        old.revoked_at = moment
    code = new_code()
    salt = secrets.token_hex(16)
    invite = Invite(
        member_id=member.id,
        code_salt=salt,
        code_hash=code_digest(salt, code),
        created_at=moment,
        expires_at=moment + valid,
    )
    session.add(invite)
    session.flush()
    audit.append(
        session,
        actor="",
        action=INVITE_CREATE,
        subject=member.handle,
        payload={
            "invite": invite.id,
            "expires_at": audit.timestamp(invite.expires_at),
            "replaces": [old.id for old in replaced],
        },
    )
    return IssuedInvite(member.handle, member.name, code, invite.expires_at, len(replaced))


def has_pending(db: Database, now: dt.datetime | None = None) -> bool:
    """Is any code waiting to be used? (The SSH server lets unknown keys in only then.)"""
    moment = now or utcnow()
    with db.read() as session:
        return bool(
            session.scalar(
                select(
                    exists().where(
                        Invite.used_at.is_(None),
                        Invite.revoked_at.is_(None),
                        Invite.expires_at > moment,
                    )
                )
            )
        )


# ------------------------------------------------------------------------------ redeeming


def locked_until(failures: Sequence[dt.datetime], policy: InvitePolicy) -> dt.datetime | None:
    """When the lockout that `failures` (one address's refused codes) earned ends, if any:
    `max_failures` of them within `window` lock the address for `lockout` after the last."""
    times = sorted(failures)
    n = policy.max_failures
    until: dt.datetime | None = None
    for i in range(n - 1, len(times)):
        if times[i] - times[i - n + 1] <= policy.window:
            until = times[i] + policy.lockout
    return until


def lockout_for(
    db: Database, address: str, policy: InvitePolicy, now: dt.datetime | None = None
) -> dt.datetime | None:
    """The end of `address`'s lockout, or None when it may try a code."""
    moment = now or utcnow()
    with db.read() as session:
        until = locked_until(_recent_failures(session, address, policy, moment), policy)
    return until if until is not None and until > moment else None


def _recent_failures(
    session: Session, address: str, policy: InvitePolicy, moment: dt.datetime
) -> list[dt.datetime]:
    since = moment - policy.window - policy.lockout
    return list(
        session.scalars(
            select(InviteAttempt.at).where(
                InviteAttempt.address == address, InviteAttempt.at > since
            )
        )
    )


@dataclass(frozen=True)
class _Outcome:
    member: MemberInfo | None = None
    refusal: str | None = None
    params: dict[str, Any] | None = None


def redeem(
    db: Database,
    code: str,
    *,
    key: PublicKey,
    address: str,
    policy: InvitePolicy | None = None,
    now: dt.datetime | None = None,
) -> MemberInfo:
    """Bind `key` to the member whose code this is and use the code up; returns the member.

    Refusals raise UserError `invite.refused.<reason>` (wrong, expired, used, locked; a
    refusal that locks the address out ends in `_locked`, with the minutes). A refused code is recorded (and counts towards the address's lockout) before the error is
    raised: that record is the refusal's only change to the database.
    """
    policy = policy or InvitePolicy()
    address = address[:64]
    outcome = run_write(db, lambda session: _redeem(session, code, key, address, policy, now))
    if outcome.refusal is not None:
        raise UserError(f"invite.refused.{outcome.refusal}", **(outcome.params or {}))
    assert outcome.member is not None
    return outcome.member


def _redeem(
    session: Session,
    code: str,
    key: PublicKey,
    address: str,
    policy: InvitePolicy,
    now: dt.datetime | None,
) -> _Outcome:
    audit.lock_head(session)
    moment = now or utcnow()
    until = locked_until(_recent_failures(session, address, policy, moment), policy)
    if until is not None and until > moment:
        minutes = max(1, -(-int((until - moment).total_seconds()) // 60))
        return _Outcome(refusal=LOCKED, params={"minutes": minutes})
    owner = session.scalars(
        select(Member).join(MemberKey).where(MemberKey.fingerprint == key.fingerprint)
    ).one_or_none()
    if owner is not None:
        raise UserError("key_in_use", fingerprint=key.fingerprint, handle=owner.handle)

    invite = _matching(session, code)
    member = session.get(Member, invite.member_id) if invite is not None else None
    if invite is None or member is None or invite.revoked_at is not None or not member.active:
        reason = WRONG
    elif invite.used_at is not None:
        reason = USED
    elif invite.expires_at <= moment:
        reason = EXPIRED
    else:
        invite.used_at = moment
        invite.used_key = key.fingerprint
        _attach_key(session, member, key)
        audit.append(
            session,
            actor=member.handle,
            action=INVITE_USE,
            subject=member.handle,
            payload={"invite": invite.id, "key": key.fingerprint},
        )
        session.flush()
        session.refresh(member)
        return _Outcome(member=member_info(member))

    session.add(InviteAttempt(address=address, at=moment))
    _forget_old_attempts(session, policy, moment)
    audit.append(
        session,
        actor="",
        action=INVITE_REFUSE,
        subject=member.handle if member is not None and reason != WRONG else "",
        payload={
            "reason": reason,
            "invite": invite.id if invite is not None and reason != WRONG else None,
            "key": key.fingerprint,
            "address": address,
        },
    )
    failures = _recent_failures(session, address, policy, moment)
    left = policy.max_failures - sum(1 for t in failures if moment - t <= policy.window)
    until = locked_until(failures, policy)
    if until is not None and until > moment:  # this refusal locked the address out
        minutes = max(1, -(-int((until - moment).total_seconds()) // 60))
        return _Outcome(refusal=f"{reason}_locked", params={"left": 0, "minutes": minutes})
    return _Outcome(refusal=reason, params={"left": max(0, left)})


def _matching(session: Session, code: str) -> Invite | None:
    """The invite whose hash this code has. Each code has its own salt, so every invite that
    could answer is tried (replaced ones cannot: a code of theirs is simply wrong); plain rows,
    not ORM objects, so 5,000 invites cost a few milliseconds."""
    plain = normalize_code(code)
    if plain is None:
        return None
    encoded = plain.encode("ascii")
    found = None
    rows = session.execute(
        select(Invite.id, Invite.code_salt, Invite.code_hash).where(Invite.revoked_at.is_(None))
    )
    for invite_id, salt, digest in rows:
        mine = hashlib.sha256(bytes.fromhex(salt) + encoded).hexdigest()
        if secrets.compare_digest(mine, digest):
            found = invite_id
    return session.get(Invite, found) if found is not None else None


def _forget_old_attempts(session: Session, policy: InvitePolicy, moment: dt.datetime) -> None:
    """Attempts older than any lockout they could still cause are not needed any more."""
    horizon = moment - 2 * (policy.window + policy.lockout)
    session.execute(delete(InviteAttempt).where(InviteAttempt.at < horizon))


# ------------------------------------------------------------------------------ verify


@dataclass
class ReplayState:
    """What the log says about invites so far: id -> (member, expires_at, used, revoked)."""

    invites: dict[int, dict[str, Any]]

    def __init__(self) -> None:
        self.invites = {}


def replay(e: audit.LogEntry, state: ReplayState, problems: Any) -> None:
    """Check one invite entry against the ones before it (called by `deliberate verify`).
    Raises KeyError/TypeError/ValueError on an unreadable payload (verify reports it)."""
    p = e.payload
    where = {"seq": e.seq, "action": e.action, "subject": e.subject}
    if e.action == INVITE_CREATE:
        invite_id = int(p["invite"])
        expires = dt.datetime.fromisoformat(str(p["expires_at"]))
        if invite_id in state.invites:
            problems.add("invite_twice", invite=invite_id, **where)
        for old in p["replaces"]:
            if int(old) in state.invites:
                state.invites[int(old)]["revoked"] = True
        state.invites[invite_id] = {
            "member": e.subject,
            "expires_at": expires,
            "used": False,
            "revoked": False,
        }
    elif e.action == INVITE_USE:
        invite_id = int(p["invite"])
        str(p["key"])  # present and readable
        logged = state.invites.get(invite_id)
        if (
            logged is None
            or logged["member"] != e.subject
            or logged["used"]
            or logged["revoked"]
            or e.created_at > logged["expires_at"]
        ):
            problems.add("invite_use_invalid", invite=invite_id, **where)
        else:
            logged["used"] = True
    elif e.action == INVITE_REFUSE and str(p["reason"]) not in (WRONG, EXPIRED, USED):
        raise ValueError("unknown refusal")
