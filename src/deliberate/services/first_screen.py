"""What the member app's first screen needs, read by plain SQL before SQLAlchemy loads.

`deliberate tui` shows the forum overview in about the time Textual itself takes to start
(issue 15): the acting member, whether a meeting runs and the overview are read here through
`Database.plain_read` — on an SQLite file the standard library's `sqlite3`, so neither
SQLAlchemy nor the ORM is imported before the first frame; the app loads them afterwards,
when the member does something that needs them. Each read returns the same records the
SQLAlchemy services return (tests compare the two on both databases).

The overview is one query: every proposal with its counts, its frozen outcome, its
supporters and the member's own vote, one row per proposal × supporter × amendment named.
A proposal whose deadline has passed but which the scheduler has not closed yet has no frozen
outcome: then `overview` answers None and the caller reads through the full services, which
derive that result as the close will freeze it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from deliberate.domain.ballot import Choice
from deliberate.domain.phases import Clock, effective_status
from deliberate.domain.rules import Outcome
from deliberate.domain.status import MeetingStatus, ProposalStatus, Role
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.services.read_models import CurrentVote, KeyInfo, MemberInfo, Phase, make_phase
from deliberate.store.clock import utcnow
from deliberate.store.engine import Database, plain_time


@dataclass(frozen=True)
class OverviewEntry:
    """One proposal as the overview lists it (as `voting.all_results` and
    `proposals.list_proposals` give it), with the acting member's vote."""

    id: str
    title: str
    programme: str | None
    section: str | None
    status: ProposalStatus  # effective: a boundary that passed counts
    amendment_count: int
    comment_count: int
    closes_at: dt.datetime | None
    outcome: Outcome | None  # once closed: the frozen outcome
    my_vote: CurrentVote | None
    phase: Phase


_MEMBER_SQL = "SELECT id, handle, name, role, can_vote, active FROM members WHERE handle = :handle"
_KEYS_SQL = (
    "SELECT algorithm, fingerprint, comment FROM member_keys WHERE member_id = :id ORDER BY id"
)


def member(db: Database, handle: str) -> MemberInfo:
    """The member `handle` (as `members.get_member`); UserError if there is none."""
    with db.plain_read() as rows:
        found = rows(_MEMBER_SQL, {"handle": handle})
        if not found:
            raise UserError("unknown_member", handle=sanitize_line(handle))
        member_id, handle_, name, role, can_vote, active = found[0]
        keys = tuple(KeyInfo(*k) for k in rows(_KEYS_SQL, {"id": member_id}))
    return MemberInfo(member_id, handle_, name, Role(role), bool(can_vote), bool(active), keys)


def meeting_running(db: Database) -> bool:
    """Whether a meeting runs now (members then join straight into it)."""
    with db.plain_read() as rows:
        return bool(
            rows(f"SELECT 1 FROM meetings WHERE status = '{MeetingStatus.RUNNING}' LIMIT 1")
        )


_OVERVIEW_SQL = """
SELECT p.id, p.title, pg.name, p.section, p.status,
       p.debate_from, p.amendments_close_at, p.filing_closed_at, p.opens_at, p.closes_at,
       author.handle, p.submitted_at,
       (SELECT count(*) FROM amendments a WHERE a.proposal_id = p.id),
       (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id AND c.deleted_at IS NULL),
       t.proposal_id IS NOT NULL, t.outcome,
       v.choice, v.reason, v.receipt, v.version, v.cast_at, va.number,
       supporter.handle
FROM proposals p
LEFT JOIN programmes pg ON pg.id = p.programme_id
LEFT JOIN members author ON author.id = p.submitted_by
LEFT JOIN tallies t ON t.proposal_id = p.id
LEFT JOIN votes v ON v.proposal_id = p.id AND v.member_id = :member
LEFT JOIN vote_amendments va ON va.vote_id = v.id
LEFT JOIN supporters s ON s.proposal_id = p.id
LEFT JOIN members supporter ON supporter.id = s.member_id
ORDER BY pg.name IS NULL, pg.name, p.section_key, p.title, p.id,
         s.created_at, supporter.handle, va.number
"""


def overview(db: Database, member_id: int) -> list[OverviewEntry] | None:
    """Every proposal in overview order, with member `member_id`'s votes; None when a vote
    closed by its deadline waits for the scheduler (see the module doc)."""
    with db.plain_read() as rows:
        found = rows(_OVERVIEW_SQL, {"member": member_id})
    now = utcnow()
    entries: list[OverviewEntry] = []
    current: list[tuple[Any, ...]] = []
    for row in found:
        if current and row[0] != current[0][0]:
            entries.append(_entry(current, now))
            current = []
        current.append(row)
    if current:
        entries.append(_entry(current, now))
    if any(e.status is ProposalStatus.CLOSED and e.outcome is None for e in entries):
        return None
    return entries


def _entry(rows: list[tuple[Any, ...]], now: dt.datetime) -> OverviewEntry:
    """One proposal from its rows (one per supporter × amendment its vote names)."""
    (pid, title, programme, section, stored, debate_from, amendments_close_at, filing_closed_at,
     opens_at, closes_at, author, submitted_at, n_amendments, n_comments, frozen, outcome,
     choice, reason, receipt, version, cast_at, _number, _supporter) = rows[0]  # fmt: skip
    supporters = tuple(dict.fromkeys(str(r[22]) for r in rows if r[22] is not None))
    clock = Clock(
        status=ProposalStatus(str(stored)),
        debate_from=plain_time(debate_from),
        amendments_close_at=plain_time(amendments_close_at),
        filing_closed=filing_closed_at is not None,
        opens_at=plain_time(opens_at),
        closes_at=plain_time(closes_at),
    )
    phase = make_phase(
        clock,
        now,
        submitted_by=str(author) if author is not None else None,
        submitted_at=plain_time(submitted_at),
        supporters=supporters,
    )
    # As `voting.all_results`: a frozen tally is the record; else the clock decides.
    status = clock.status if frozen else effective_status(clock, now)
    my_vote = None
    if choice is not None:
        numbers = sorted({int(r[21]) for r in rows if r[21] is not None})
        cast = plain_time(cast_at)
        assert cast is not None
        my_vote = CurrentVote(
            Choice(str(choice)), tuple(numbers), str(reason), str(receipt), int(version), cast
        )
    return OverviewEntry(
        id=str(pid),
        title=str(title),
        programme=str(programme) if programme is not None else None,
        section=str(section) if section is not None else None,
        status=status,
        amendment_count=int(n_amendments),
        comment_count=int(n_comments),
        closes_at=clock.closes_at,
        outcome=Outcome(str(outcome)) if frozen and status is ProposalStatus.CLOSED else None,
        my_vote=my_vote,
        phase=phase,
    )
