"""Reading the adopted text of a closed proposal, its changes, and what became of each
amendment (carried, not carried, superseded, adopted before the vote, withdrawn)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.adopted import CarriedAmendment, build_adopted_text
from deliberate.domain.paragraphs import DiffOp, DiffPart, word_diff
from deliberate.domain.rules import Outcome
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.i18n import translate
from deliberate.services.voting import TallyResult, carried_amendment, tally_in
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, AmendmentState, Proposal, ProposalStatus, Tally

ADOPTED_OUTCOMES = (Outcome.ADOPTED, Outcome.ADOPTED_WITH_AMENDMENTS)


@dataclass(frozen=True)
class AdoptedText:
    proposal_id: str
    title: str
    original: str  # the frozen body voted on
    text: str  # as stored with the tally
    sha256: str
    instructions: tuple[CarriedAmendment, ...]  # carried, listed under the text

    @property
    def diff(self) -> list[DiffPart]:
        return quiet_whitespace(word_diff(self.original, self.text))


def quiet_whitespace(parts: list[DiffPart]) -> list[DiffPart]:
    """Easier reading: a line break that became a space (a re-wrapped paragraph) is no change,
    and replaced words separated by one space read as one replacement:
    `[-aldrig er-]{+ikke bliver+}`, not `[-aldrig-]{+ikke+} [-er-]{+bliver+}`."""
    groups: list[list[DiffPart]] = []  # runs of changes and single equal parts
    for part in parts:
        if part.op is not DiffOp.EQUAL and groups and groups[-1][0].op is not DiffOp.EQUAL:
            groups[-1].append(part)
        else:
            groups.append([part])
    out: list[list[DiffPart]] = []
    for group in groups:
        if group[0].op is not DiffOp.EQUAL:
            deleted = "".join(p.text for p in group if p.op is DiffOp.DELETE)
            inserted = "".join(p.text for p in group if p.op is DiffOp.INSERT)
            if not deleted.strip() and not inserted.strip() and inserted:
                group = [DiffPart(DiffOp.EQUAL, inserted)]
            elif (
                len(out) >= 2
                and out[-1][0].op is DiffOp.EQUAL
                and not out[-1][0].text.strip()
                and _replaces(out[-2])
                and deleted
                and inserted
            ):
                space = out.pop()[0].text
                before = out.pop()
                deleted = "".join(p.text for p in before if p.op is DiffOp.DELETE) + space + deleted
                inserted = (
                    "".join(p.text for p in before if p.op is DiffOp.INSERT) + space + inserted
                )
                group = [DiffPart(DiffOp.DELETE, deleted), DiffPart(DiffOp.INSERT, inserted)]
        out.append(group)
    merged: list[DiffPart] = []
    for part in (p for group in out for p in group):
        if merged and merged[-1].op is part.op:
            merged[-1] = DiffPart(part.op, merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged


def _replaces(group: list[DiffPart]) -> bool:
    ops = {p.op for p in group}
    return ops == {DiffOp.DELETE, DiffOp.INSERT}


def adopted_in(session: Session, proposal_id: str) -> AdoptedText | None:
    """The adopted text, or None when there is none (not closed, not adopted, closed before
    adopted texts were stored)."""
    row = session.execute(
        select(Proposal.title, Proposal.body, Tally.adopted_text, Tally.adopted_sha256, Tally)
        .join(Tally, Tally.proposal_id == Proposal.id)
        .where(Proposal.id == proposal_id)
    ).first()
    if row is None or row.adopted_text is None or row.adopted_sha256 is None:
        return None
    carried = [int(k) for k in row.Tally.carried_amendments.split(",") if k]
    amendments = session.scalars(
        select(Amendment)
        .where(Amendment.proposal_id == proposal_id, Amendment.number.in_(carried))
        .order_by(Amendment.number)
    ).all()
    rebuilt = build_adopted_text(row.body, [carried_amendment(a) for a in amendments])
    return AdoptedText(
        proposal_id,
        row.title,
        row.body,
        row.adopted_text,
        row.adopted_sha256,
        rebuilt.instructions,
    )


def adopted_text(db: Database, proposal_id: str, lang: str = "da") -> AdoptedText:
    """The adopted text of a proposal; a UserError saying why when there is none."""
    with db.read() as session:
        result = tally_in(session, proposal_id)
        found = adopted_in(session, proposal_id)
    if found is not None:
        return found
    if result.status is not ProposalStatus.CLOSED:
        why = "not_closed"
    elif result.outcome not in ADOPTED_OUTCOMES:
        why = "not_adopted"
    else:
        why = "before"
    raise UserError(
        "adopted.none",
        proposal=sanitize_line(proposal_id),
        reason=translate(f"adopted.none.{why}", lang),
    )


def amendment_states(session: Session, result: TallyResult) -> dict[int, str]:
    """What became of each amendment: its verdict once adopted, else its own state."""
    rows = session.execute(
        select(Amendment.number, Amendment.state)
        .where(Amendment.proposal_id == result.proposal_id)
        .order_by(Amendment.number)
    ).all()
    closed = result.status is ProposalStatus.CLOSED
    adopted = closed and result.outcome in ADOPTED_OUTCOMES
    out: dict[int, str] = {}
    for number, state in rows:
        if state != AmendmentState.PROPOSED:
            out[number] = state  # adopted (before the vote) or withdrawn
            continue
        if not closed:
            continue
        verdict = result.decision.verdict(number) if result.decision and adopted else None
        if number in result.carried_amendments:
            out[number] = "carried"
        elif verdict is not None:
            out[number] = verdict.status.value
        else:
            out[number] = "not_carried"
    return out


@dataclass(frozen=True)
class ResultExtras:
    """What a result screen shows beside the tally: the adopted text and amendment states."""

    adopted: AdoptedText | None
    states: dict[int, str]


def result_extras(db: Database, result: TallyResult) -> ResultExtras:
    with db.read() as session:
        adopted = adopted_in(session, result.proposal_id)
        return ResultExtras(adopted, amendment_states(session, result))
