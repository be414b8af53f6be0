"""The one scheduler (DESIGN §9): the only code that moves proposals across their time
boundaries — debate starts at `debate_from`, amendment filing ends at `amendments_close_at`,
voting opens at `opens_at` and closes at `closes_at`.

`serve` and the TUI run it on an interval, every CLI command runs it before it answers. Each
proposal due is moved in its own short write transaction that re-checks the clock under the
locks, so two schedulers running at once move each proposal once. Reads never call it: they
derive the same phase from the same clock (`domain.phases.effective_status`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.phases import Boundary, due_transitions
from deliberate.domain.rules import DEFAULT_RULES, RuleSet
from deliberate.services import audit, voting
from deliberate.services.due import due_ids
from deliberate.services.rulesets import load_rules
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import Proposal, ProposalStatus, utcnow

PHASE = "phase"  # audit action: a phase change made by the clock or by a person


@dataclass(frozen=True)
class SchedulerReport:
    """What one run moved: (proposal id, boundary) in the order done."""

    moved: tuple[tuple[str, Boundary], ...] = field(default_factory=tuple)

    @property
    def opened(self) -> list[str]:
        return [pid for pid, b in self.moved if b is Boundary.OPEN]

    @property
    def closed(self) -> list[str]:
        return [pid for pid, b in self.moved if b is Boundary.CLOSE]


def run_scheduler(db: Database, now: dt.datetime | None = None) -> SchedulerReport:
    """Move every proposal whose boundary has come; returns what this run moved."""
    moment = now or utcnow()
    with db.plain_read() as rows:
        due = due_ids(rows, db, moment)
    moved: list[tuple[str, Boundary]] = []
    for proposal_id in due:

        def work(session: Session, pid: str = proposal_id) -> list[tuple[str, Boundary]]:
            return _advance(session, pid, moment)

        moved += run_write(db, work)
    return SchedulerReport(tuple(moved))


def _advance(session: Session, proposal_id: str, now: dt.datetime) -> list[tuple[str, Boundary]]:
    """One proposal, under the audit head and row locks: apply each boundary that is due."""
    audit.lock_head(session)
    proposal = session.scalars(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if proposal is None:
        return []
    done: list[tuple[str, Boundary]] = []
    for boundary, at in due_transitions(voting.clock_of(proposal), now):
        if boundary is Boundary.DEBATE:
            start_debate_in(session, proposal, None, at)
        elif boundary is Boundary.FILING_CLOSED:
            proposal.filing_closed_at = at
            phase_entry(session, proposal, "", "filing_closed", at)
        elif boundary is Boundary.OPEN:
            rules = (
                RuleSet.from_dict(json.loads(proposal.rules_spec))
                if proposal.rules_spec
                else load_rules(proposal.rules_name or DEFAULT_RULES)
            )
            voting.open_in(session, proposal, None, rules, proposal.closes_at, at)
        elif boundary is Boundary.CLOSE:
            voting.close_in(session, proposal, None, now)
        session.flush()
        done.append((proposal_id, boundary))
    return done


def start_debate_in(
    session: Session, proposal: Proposal, actor: str | None, at: dt.datetime
) -> None:
    """draft → debate (by the clock, an organizer's admission, or enough supporters)."""
    proposal.status = ProposalStatus.DEBATE
    proposal.debate_started_at = at
    phase_entry(session, proposal, actor or "", "debate", at)


def phase_entry(
    session: Session, proposal: Proposal, actor: str, phase: str, at: dt.datetime
) -> None:
    audit.append(
        session,
        actor=actor,
        action=PHASE,
        subject=proposal.id,
        payload={"phase": phase, "at": audit.timestamp(at)},
    )
