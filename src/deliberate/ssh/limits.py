"""Limits of the built-in SSH server (`deliberate serve`), with safe defaults.

- At most `max_auth_tries` keys offered on one connection; one more ends the connection.
- Failed connections (closed without logging in) are remembered per source address for
  `failure_window` seconds: after `backoff_after` of them each new connection from that address
  waits before it may authenticate (1, 2, 4 … seconds, at most `backoff_max`); at
  `refuse_after` the address is refused with one line until old failures age out.
- A connection that has not logged in within `login_grace` seconds is dropped.
- One TUI session per connection (a multiplexed second one gets one line and ends), at most
  `sessions_per_member` sessions of one member at once, and at most
  `invite_sessions_per_address` invite-code screens from one address (`invite_sessions` in all).
- Invite codes: `invite_failures` refused codes within `invite_window` seconds lock an address
  out for `invite_lockout` seconds (kept in the database: services/invites.py).

The counters here live in the server process (each worker process keeps its own); nothing
survives a restart. The invite lockout alone is kept in the database, for every process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncssh

from deliberate.i18n import translate
from deliberate.services.invites import InvitePolicy

MAX_TRACKED_ADDRESSES = 100_000


@dataclass(frozen=True)
class SshLimits:
    max_auth_tries: int = 6
    login_grace: float = 60.0
    backoff_after: int = 5
    backoff_max: float = 30.0
    refuse_after: int = 30
    failure_window: float = 600.0
    sessions_per_connection: int = 1
    sessions_per_member: int = 4
    invite_sessions_per_address: int = 3  # code screens open at once from one address
    invite_sessions: int = 50  # code screens open at once in all
    invite_failures: int = 5
    invite_window: float = 60.0
    invite_lockout: float = 900.0

    @property
    def invite_policy(self) -> InvitePolicy:
        return InvitePolicy(
            max_failures=self.invite_failures,
            window=dt.timedelta(seconds=self.invite_window),
            lockout=dt.timedelta(seconds=self.invite_lockout),
        )


_OPTION_NAMES = {
    "invite_failures": "--invite-attempts",
    "invite_sessions_per_address": "--invite-sessions",
}


def checked_limits(limits: SshLimits) -> SshLimits:
    """The limits `serve` was given; UserError names an option below its least value."""
    from deliberate.errors import UserError

    for spec in dataclasses.fields(limits):
        name, value = spec.name, getattr(limits, spec.name)
        least = 0 if name in ("invite_lockout", "backoff_max") else 1
        if not value >= least:  # also refuses NaN
            option = _OPTION_NAMES.get(name, "--" + name.replace("_", "-"))
            raise UserError("ssh.bad_limit", option=option, value=value, least=least)
    return limits


def both_languages(key: str, **params: object) -> str:
    """A line for a client whose language we do not know: Danish, then English."""
    return f"{translate(key, 'da', **params)} / {translate(key, 'en', **params)}"


class AuthAttempts:
    """The keys one connection offered (a key is asked about, then signed: counted once)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: set[bytes] = set()

    def offer(self, key_blob: bytes) -> bool:
        """Record an offered key; False once the connection has offered more than the limit."""
        self._seen.add(key_blob)
        return len(self._seen) <= self.limit

    @property
    def count(self) -> int:
        return len(self._seen)


@dataclass
class FailedLogins:
    """Failed connections per source address, for back-off and temporary refusal."""

    limits: SshLimits
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, address: str) -> deque[float]:
        found = self._failures.get(address)
        if found is None:
            return deque()
        horizon = self.clock() - self.limits.failure_window
        while found and found[0] < horizon:
            found.popleft()
        if not found:
            del self._failures[address]
        return found

    def record(self, address: str) -> None:
        if address not in self._failures and len(self._failures) >= MAX_TRACKED_ADDRESSES:
            for old in list(self._failures)[: MAX_TRACKED_ADDRESSES // 10]:
                del self._failures[old]  # the oldest-tracked addresses make room
        self._recent(address)
        self._failures.setdefault(address, deque()).append(self.clock())

    def failures(self, address: str) -> int:
        return len(self._recent(address))

    def delay(self, address: str) -> float:
        """Seconds a new connection from `address` waits before it may authenticate."""
        over = self.failures(address) - self.limits.backoff_after
        if over < 0:
            return 0.0
        return float(min(self.limits.backoff_max, 2.0 ** min(over, 30)))

    def refused_minutes(self, address: str) -> int | None:
        """Minutes until `address` may connect again, or None if it may now."""
        recent = self._recent(address)
        if len(recent) < self.limits.refuse_after:
            return None
        # Refused until enough failures age out to fall below the threshold.
        index = len(recent) - self.limits.refuse_after
        seconds = recent[index] + self.limits.failure_window - self.clock()
        return max(1, -(-int(seconds) // 60))


class SessionSlots:
    """Live sessions per name (in this process): a member's handle, or an invite-code
    screen's address (`invite@ADDRESS`) and all of them (`invite@*`)."""

    ALL_INVITES = "invite@*"

    def __init__(self, limits: SshLimits) -> None:
        self.limits = limits
        self._live: dict[str, int] = {}

    def take(self, *names_and_limits: tuple[str, int]) -> bool:
        """One slot under each name, or none at all if any is full."""
        if any(self._live.get(name, 0) >= limit for name, limit in names_and_limits):
            return False
        for name, _ in names_and_limits:
            self._live[name] = self._live.get(name, 0) + 1
        return True

    def take_member(self, handle: str) -> tuple[str, ...] | None:
        names = ((handle, self.limits.sessions_per_member),)
        return tuple(n for n, _ in names) if self.take(*names) else None

    def take_invite(self, address: str) -> tuple[str, ...] | None:
        names = (
            (f"invite@{address}", self.limits.invite_sessions_per_address),
            (self.ALL_INVITES, self.limits.invite_sessions),
        )
        return tuple(n for n, _ in names) if self.take(*names) else None

    def release(self, *names: str) -> None:
        for name in names:
            left = self._live.get(name, 0) - 1
            if left > 0:
                self._live[name] = left
            else:
                self._live.pop(name, None)

    def count(self, name: str) -> int:
        return self._live.get(name, 0)


class RefusedSession(asyncssh.SSHServerSession[bytes]):
    """A session the limits do not allow: one line on the client's screen, then the end."""

    def __init__(self, line: str) -> None:
        self.line = line
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(self, *args: object) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return True

    def session_started(self) -> None:
        if self._chan is not None:
            self._chan.write_stderr(f"{self.line}\r\n".encode())
            self._chan.exit(1)
