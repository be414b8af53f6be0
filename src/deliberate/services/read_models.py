"""Plain records the services hand to front ends, in a module that imports no database library.

The member app's first screen builds them from plain rows before SQLAlchemy is imported
(`services.first_screen`); the services that read through SQLAlchemy build the same records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deliberate.domain.ballot import Answer, Choice
from deliberate.domain.phases import Boundary, Clock, effective_status, filing_open, next_boundary
from deliberate.domain.status import ProposalStatus, Role


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
class CurrentVote:
    choice: Choice
    amendments: tuple[int, ...]
    reason: str
    receipt: str
    version: int
    cast_at: dt.datetime
    cast_by: str | None = None  # the proxy holder who cast it; None: the member
    answers: tuple[tuple[int, Answer], ...] = ()  # separate amendment votes

    @property
    def changed(self) -> bool:
        return self.version > 1


@dataclass(frozen=True)
class Phase:
    """A proposal's place on the clock (DESIGN §9), derived at read time."""

    status: ProposalStatus  # effective: boundaries that passed count, scheduler or not
    submitted_by: str | None
    submitted_at: dt.datetime | None
    supporters: tuple[str, ...]
    debate_from: dt.datetime | None
    amendments_close_at: dt.datetime | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    filing_open: bool
    next_boundary: tuple[Boundary, dt.datetime] | None

    @property
    def private_to(self) -> str | None:
        """A member's draft saved but not submitted is theirs alone (as a draft in any writing
        tool): other members' screens do not list it. Submitted, it is public."""
        return self.submitted_by if self.submitted_at is None else None


def make_phase(
    clock: Clock,
    now: dt.datetime,
    *,
    submitted_by: str | None,
    submitted_at: dt.datetime | None,
    supporters: tuple[str, ...],
) -> Phase:
    """A proposal's phase at `now`, from its clock and who submitted and supports it."""
    return Phase(
        status=effective_status(clock, now),
        submitted_by=submitted_by,
        submitted_at=submitted_at,
        supporters=supporters,
        debate_from=clock.debate_from,
        amendments_close_at=clock.amendments_close_at,
        opens_at=clock.opens_at,
        closes_at=clock.closes_at,
        filing_open=filing_open(clock, now),
        next_boundary=next_boundary(clock, now),
    )
