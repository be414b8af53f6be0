"""The one clock (DESIGN §9): where a proposal stands at a moment, from its stored phase and
its times. Pure: no I/O.

The scheduler writes what `due_transitions` names; reads call `effective_status` and so show
a phase change the moment its time has come, whether or not the scheduler has run yet.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from deliberate.domain.status import OLD_STATUS_WORDS, ProposalStatus, parse_status

__all__ = ["OLD_STATUS_WORDS", "ProposalStatus", "parse_status"]


class Boundary(enum.StrEnum):
    """A time at which the scheduler moves a proposal (in this order)."""

    DEBATE = "debate"  # draft → debate at debate_from
    FILING_CLOSED = "filing_closed"  # amendment filing ends at amendments_close_at
    OPEN = "open"  # debate → voting at opens_at
    CLOSE = "close"  # voting → closed at closes_at


@dataclass(frozen=True, slots=True)
class Clock:
    """The phase fields of one proposal."""

    status: ProposalStatus
    debate_from: dt.datetime | None = None
    amendments_close_at: dt.datetime | None = None
    filing_closed: bool = False
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


def due_transitions(clock: Clock, now: dt.datetime) -> list[tuple[Boundary, dt.datetime]]:
    """The boundaries whose time has come, in order, each with its time. A scheduled draft
    (debate_from set) goes to debate first; one whose opens_at has also passed then opens."""
    due: list[tuple[Boundary, dt.datetime]] = []
    status = clock.status
    if status is ProposalStatus.DRAFT and clock.debate_from and clock.debate_from <= now:
        due.append((Boundary.DEBATE, clock.debate_from))
        status = ProposalStatus.DEBATE
    if (
        status is ProposalStatus.DEBATE
        and not clock.filing_closed
        and clock.amendments_close_at
        and clock.amendments_close_at <= now
    ):
        due.append((Boundary.FILING_CLOSED, clock.amendments_close_at))
    if status is ProposalStatus.DEBATE and clock.opens_at and clock.opens_at <= now:
        due.append((Boundary.OPEN, clock.opens_at))
        status = ProposalStatus.VOTING
    if status is ProposalStatus.VOTING and clock.closes_at and clock.closes_at <= now:
        due.append((Boundary.CLOSE, clock.closes_at))
    return due


def effective_status(clock: Clock, now: dt.datetime) -> ProposalStatus:
    """The phase a proposal is in at `now`: the stored one moved over every passed boundary."""
    status = clock.status
    for boundary, _ in due_transitions(clock, now):
        if boundary is Boundary.DEBATE:
            status = ProposalStatus.DEBATE
        elif boundary is Boundary.OPEN:
            status = ProposalStatus.VOTING
        elif boundary is Boundary.CLOSE:
            status = ProposalStatus.CLOSED
    return status


def filing_open(clock: Clock, now: dt.datetime) -> bool:
    """Whether members may file amendments now: in debate, before amendments_close_at."""
    if effective_status(clock, now) is not ProposalStatus.DEBATE:
        return False
    return clock.amendments_close_at is None or now < clock.amendments_close_at


def next_boundary(clock: Clock, now: dt.datetime) -> tuple[Boundary, dt.datetime] | None:
    """The next boundary ahead of `now` (for "debat til fre. 14.00"), or None."""
    status = effective_status(clock, now)
    ahead: list[tuple[Boundary, dt.datetime | None]] = []
    if status is ProposalStatus.DRAFT:
        ahead = [(Boundary.DEBATE, clock.debate_from)]
    elif status is ProposalStatus.DEBATE:
        ahead = [
            (Boundary.FILING_CLOSED, clock.amendments_close_at),
            (Boundary.OPEN, clock.opens_at),
        ]
    elif status is ProposalStatus.VOTING:
        ahead = [(Boundary.CLOSE, clock.closes_at)]
    for boundary, moment in ahead:
        if moment is not None and moment > now:
            return boundary, moment
    return None


def parse_time(text: str) -> dt.datetime:
    """ISO 8601 with or without a zone (no zone: local time), as aware UTC."""
    from deliberate.domain.text import sanitize_line
    from deliberate.errors import UserError

    raw = text.strip()
    try:
        moment = dt.datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise UserError("voting.cli.bad_time", value=sanitize_line(text)[:60]) from None
    return moment.astimezone(dt.UTC)  # naive = local time
