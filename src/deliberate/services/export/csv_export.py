"""Results and ballots as CSV (UTF-8, a header row), for spreadsheets and scripts.

Member text is untrusted (DESIGN §6): control characters are stripped and a text cell that
starts with = + - @ tab or CR gets a leading ' so no spreadsheet runs it as a formula. Count
columns are plain integers. Ballots stream in batches from one snapshot, so memory stays flat
however many there are.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import String, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from deliberate.domain.text import sanitize
from deliberate.services.export.progress import NO_PROGRESS, Progress
from deliberate.services.export.results import Selection, proposal_ids, results_in
from deliberate.services.export.snapshot import STREAM, snapshot
from deliberate.store.engine import Database
from deliberate.store.models import Member, Programme, Proposal, Vote, VoteAmendment

RESULT_COLUMNS = (
    "proposal", "title", "programme", "section", "content_hash", "status", "rules",
    "ja", "betinget_ja", "udskyd", "nej", "bloker", "cast", "eligible",
    "outcome", "carried_amendments", "explanation", "closed_at",
)
BALLOT_COLUMNS = (
    "proposal", "member", "name", "choice", "amendments", "reason",
    "changed", "version", "receipt", "cast_at",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str | None) -> str:
    """A member-written text cell, made harmless: sanitised, formulas neutralised."""
    if not text:
        return ""
    text = sanitize(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _numbers(numbers: list[int] | tuple[int, ...]) -> str:
    return ";".join(str(n) for n in numbers)


def _iso(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.isoformat(timespec="seconds")


def export_csv(
    db: Database,
    *,
    results_out: IO[str] | None,
    ballots_out: IO[str] | None,
    selection: Selection = Selection(),
    lang: str = "da",
    progress: Progress = NO_PROGRESS,
) -> tuple[int, int]:
    """Write the results table and/or the ballots table from one snapshot.
    Returns (result rows, ballot rows)."""
    from deliberate.services import voting

    voting.close_expired(db)  # as `tally` would: an expired deadline closes the vote first
    n_results = n_ballots = 0
    with snapshot(db) as session:
        if results_out is not None:
            n_results = write_results(session, results_out, selection, lang)
        if ballots_out is not None:
            n_ballots = write_ballots(session, ballots_out, selection, progress)
    return n_results, n_ballots


def write_results(session: Session, out: IO[str], selection: Selection, lang: str) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    info = {
        p.id: p
        for p in session.execute(
            select(Proposal.id, Proposal.title, Proposal.section, Proposal.content_hash, Programme.name)
            .outerjoin(Programme, Proposal.programme_id == Programme.id)
        )
    }
    n = 0
    for r in results_in(session, selection):
        p = info[r.proposal_id]
        data = r.as_json(lang)
        counts = r.counts.as_dict()
        writer.writerow((
            cell(r.proposal_id), cell(p.title), cell(p.name), cell(p.section), p.content_hash,
            r.status.value, cell(data["rules"]),
            counts["ja"], counts["betinget_ja"], counts["udskyd"], counts["nej"], counts["bloker"],
            r.cast, r.eligible, data["outcome"] or "", _numbers(r.carried_amendments),
            cell(data["explanation"]), _iso(r.closed_at),
        ))
        n += 1
    return n


def named_amendments() -> Any:
    """Scalar subquery: the amendment numbers the outer vote names, as "1,3" (any order)."""
    return (
        select(func.aggregate_strings(sql_cast(VoteAmendment.number, String), ","))
        .where(VoteAmendment.vote_id == Vote.id)
        .scalar_subquery()
    )


def ballots_query(proposal_id: str) -> Any:
    """One proposal's current votes with the voter, in member order (the unique index's)."""
    return (
        select(
            Vote.proposal_id, Member.handle, Member.name, Vote.choice,
            named_amendments().label("numbers"), Vote.reason, Vote.version, Vote.receipt,
            Vote.cast_at,
        )
        .join(Member, Member.id == Vote.member_id)
        .where(Vote.proposal_id == proposal_id)
        .order_by(Vote.proposal_id, Vote.member_id)
    )


def write_ballots(session: Session, out: IO[str], selection: Selection, progress: Progress = NO_PROGRESS) -> int:
    ids = [pid for _, pid in proposal_ids(session, selection)]
    total = session.scalar(select(func.count()).select_from(Vote).where(Vote.proposal_id.in_(ids))) if ids else 0
    progress.start("CSV", total)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BALLOT_COLUMNS)
    n = 0
    for pid in ids:
        rows = _ballot_rows(session, pid)
        while True:
            chunk = [row for _, row in zip(range(2000), rows)]
            if not chunk:
                break
            writer.writerows(chunk)
            n += len(chunk)
            progress.advance(len(chunk))
    progress.finish()
    return n


def _ballot_rows(session: Session, proposal_id: str) -> Iterator[tuple[Any, ...]]:
    proposal = cell(proposal_id)
    for pid, handle, name, choice, numbers, reason, version, receipt, cast_at in session.execute(
        ballots_query(proposal_id), execution_options=STREAM
    ):
        if numbers and "," in numbers:
            numbers = ";".join(sorted(numbers.split(","), key=int))
        yield (
            proposal, cell(handle), cell(name), choice, numbers or "", cell(reason) if reason else "",
            "true" if version > 1 else "false", version, receipt, _iso(cast_at),
        )
