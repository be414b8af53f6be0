"""Hand counts: a result counted in the room ("optalt i salen") for the current item.

The facilitator records the five counts; the item's rule set (the one chosen when voting
opened, or the one given now for an item never opened) decides, exactly as for ballots. The
result is frozen like any close, marked as a hand count everywhere it is shown, and audited
with its counts, rules and outcome so `verify` can recompute it.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deliberate.domain.adopted import build_adopted_text
from deliberate.domain.ballot import Choice
from deliberate.domain.rules import DEFAULT_RULES, Counts, Outcome, RuleSet, decide
from deliberate.errors import UserError
from deliberate.services import audit, counting, voting
from deliberate.services.meetings import agenda, records
from deliberate.services.rulesets import load_rules
from deliberate.store.engine import Database
from deliberate.store.models import (
    Proposal,
    ProposalStatus,
    SecretParticipation,
    Tally,
    Vote,
    utcnow,
)

MAX_COUNT = 1_000_000


def record_hand_count(
    db: Database,
    actor: str,
    meeting_id: int,
    counts: dict[str, int],
    *,
    rules: str | RuleSet = DEFAULT_RULES,
) -> voting.TallyResult:
    """Record the counts of a show of hands for the current item and close it with them.
    Refused on a closed item, and on an open one where ballots were already cast (a count
    is one method or the other, never both added up)."""
    values = {c.value: _count(counts.get(c.value, 0), c) for c in Choice}
    rule_set = rules if isinstance(rules, RuleSet) else load_rules(rules)

    def work(session: Session) -> voting.TallyResult:
        member = records.facilitator(session, actor)
        meeting = records.running(session, meeting_id)
        proposal_id, _ = agenda.current_in(session, meeting.id)
        proposal = session.scalars(
            select(Proposal)
            .where(Proposal.id == proposal_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if proposal.status == ProposalStatus.CLOSED:
            raise UserError("meeting.hand_count_closed", proposal=proposal_id)
        ballots = (
            session.scalar(
                select(func.count()).select_from(Vote).where(Vote.proposal_id == proposal_id)
            )
            or 0
        )
        ballots += (
            session.scalar(
                select(func.count())
                .select_from(SecretParticipation)
                .where(SecretParticipation.proposal_id == proposal_id)
            )
            or 0
        )
        if ballots:
            raise UserError("meeting.hand_count_has_ballots", proposal=proposal_id, n=ballots)
        now = utcnow()
        if proposal.status == ProposalStatus.VOTING and proposal.rules_spec:
            used = RuleSet.from_dict(json.loads(proposal.rules_spec))
        else:
            used = rule_set
            proposal.rules_name = used.name
            proposal.rules_spec = audit.canonical(used.to_dict())
            proposal.opened_at = now
            proposal.opened_by = member.id
        n_amendments = counting.amendment_count(session, proposal_id)
        present = counting.present_for(session, proposal_id)
        tallied = Counts.from_choices(
            values,
            eligible=counting.eligible_now(session),
            amendment_count=n_amendments,
            present=present,
        )
        decision = decide(used, tallied)
        ballot = counting.ballot_of(session, proposal_id)
        adopted = None
        if decision.outcome in (Outcome.ADOPTED, Outcome.ADOPTED_WITH_AMENDMENTS):
            adopted = build_adopted_text(
                proposal.body, voting.carried_in(session, proposal_id, decision.carried_amendments)
            )
        payload = {
            "meeting": meeting.id,
            "rules": used.to_dict(),
            "content_hash": proposal.content_hash,
            "counts": tallied.as_dict(),
            "cast": tallied.cast,
            "eligible": tallied.eligible,
            "present": present,
            "amendment_count": n_amendments,
            "amendment_support": {},
            "outcome": decision.outcome.value,
            "carried_amendments": list(decision.carried_amendments),
            "closed_at": audit.timestamp(now),
            "ballot": ballot.as_json(),
            "adopted_text_sha256": adopted.sha256 if adopted else None,
        }
        audit.append(
            session,
            actor=member.handle,
            action=records.HAND_COUNT,
            subject=proposal_id,
            payload=payload,
        )
        session.add(
            Tally(
                proposal_id=proposal_id,
                **tallied.as_dict(),
                cast=tallied.cast,
                eligible=tallied.eligible,
                amendment_support="{}",
                outcome=decision.outcome.value,
                carried_amendments=",".join(str(k) for k in decision.carried_amendments),
                closed_at=now,
                present=present,
                method="hand",
                ballots_sha256=None,
                amendment_ballot=audit.canonical(ballot.as_json()),
                adopted_text=adopted.text if adopted else None,
                adopted_sha256=adopted.sha256 if adopted else None,
            )
        )
        proposal.status = ProposalStatus.CLOSED
        proposal.closes_at = None
        proposal.closed_at = now
        proposal.closed_by = member.id
        session.flush()
        return voting.tally_in(session, proposal_id)

    return records.write(db, work)


def _count(value: object, choice: Choice) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise UserError("meeting.bad_hand_count", choice=choice.value, value=value, max=MAX_COUNT)
    return value
