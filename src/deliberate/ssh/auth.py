"""Who a connection is, from the key its client offers (`deliberate serve`).

- A key registered to an active member: that member (`Registered`).
- A key nobody has registered, while some invite code is waiting to be used: `Unregistered`:
  the client still proves it holds the key (asyncssh checks the signature), and the connection
  is let in *unbound*, to the invite-code screen only. The right code binds this key.
- Otherwise: refused, as before invites existed.

`ConnectionGuard` holds what every connection of a server process shares for the limits
(ssh/limits.py): failed logins per address and sessions per member.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncssh

from deliberate.services import invites, members
from deliberate.ssh.keys import fingerprint, openssh_parts
from deliberate.ssh.limits import FailedLogins, SessionSlots, SshLimits
from deliberate.store.engine import Database


@dataclass(frozen=True)
class Registered:
    member: members.MemberInfo
    fingerprint: str


@dataclass(frozen=True)
class Unregistered:
    key: members.PublicKey


Verdict = Registered | Unregistered | None


def judge_key(db: Database, key: asyncssh.SSHKey, *, invites_enabled: bool) -> Verdict:
    """What a key offered by a client may do (blocking: call it in a thread)."""
    algorithm, blob = openssh_parts(key)
    member = members.member_for_key(db, algorithm, blob)
    if member is not None:
        return Registered(member, fingerprint(key))
    if invites_enabled and invites.has_pending(db):
        public = members.PublicKey(
            algorithm=algorithm,
            key_data=blob,
            comment="invite",
            fingerprint=fingerprint(key),
        )
        return Unregistered(public)
    return None


@dataclass
class ConnectionGuard:
    limits: SshLimits
    failed: FailedLogins = field(init=False)
    slots: SessionSlots = field(init=False)

    def __post_init__(self) -> None:
        self.failed = FailedLogins(self.limits)
        self.slots = SessionSlots(self.limits)
