"""Results and ballots as CSV (UTF-8, a header row), for spreadsheets and scripts.

Member text is untrusted (DESIGN §6): control characters are stripped and a text cell that
starts with = + - @ tab or CR gets a leading ' so no spreadsheet runs it as a formula. Count
columns are plain integers. Ballots stream in batches from one snapshot, so memory stays flat
however many there are.
"""

from __future__ import annotations

import csv
import re
import datetime as dt
from typing import IO, Any

from sqlalchemy import String, case, func, literal, select, type_coerce
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
BALLOT_COLUMNS = ("proposal", "member", "choice", "amendments", "reason", "changed", "receipt", "cast_at")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str | None) -> str:
    """A member-written text cell, made harmless: sanitised, formulas neutralised."""
    if not text:
        return ""
    if not text.isprintable():  # controls, bidi overrides, tabs and newlines are not
        text = sanitize(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _numbers(numbers: list[int] | tuple[int, ...]) -> str:
    return ";".join(str(n) for n in numbers)


def _iso(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    results = results_in(session, selection)  # an unknown proposal fails before any output
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
    for r in results:
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


def named_amendments(separator: str = ",") -> Any:
    """Scalar subquery: the amendment numbers the outer vote names, e.g. "1,3" (order not
    guaranteed by SQL; callers sort when there are several)."""
    return (
        select(func.aggregate_strings(sql_cast(VoteAmendment.number, String), separator))
        .where(VoteAmendment.vote_id == Vote.id)
        .scalar_subquery()
    )


def utc_text(column: Any, dialect: str) -> Any:
    """A UTC time column as ISO 8601 text with seconds ("2026-05-01T10:00:00Z"), made by
    the database: a million ballots need no Python datetime objects."""
    if dialect == "postgresql":
        return type_coerce(func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), String)
    return type_coerce(func.strftime("%Y-%m-%dT%H:%M:%SZ", column), String)


def ballots_query(proposal_id: str, dialect: str) -> Any:
    """One proposal's current votes, in member order (the unique index's), shaped as the
    CSV row: only member-written text is left for Python to check."""
    numbers = case((Vote.choice == "betinget_ja", named_amendments(";")), else_=literal(""))
    return (
        select(
            Vote.proposal_id, Member.handle, Vote.choice, numbers, Vote.reason,
            case((Vote.version > 1, literal("true")), else_=literal("false")),
            Vote.receipt, utc_text(Vote.cast_at, dialect),
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
    connection = session.connection()  # Core rows: no ORM work per ballot
    dialect = connection.dialect.name
    # Handles and ids are checked when created; if one in the database is not what that
    # check allows (a hand edit, an old version), every row goes through cell().
    odd_handles = any(not _SAFE_HANDLE.fullmatch(h) for h in session.scalars(select(Member.handle)))
    n = 0
    for pid in ids:
        careful = odd_handles or not _SAFE_ID.fullmatch(pid)
        result = connection.execute(ballots_query(pid, dialect), execution_options=STREAM)
        for rows in result.partitions():
            if careful:
                writer.writerows([_cleaned(row) for row in rows])
            else:  # the common row has no reason and names at most one amendment
                writer.writerows([row if not row[4] and ";" not in row[3] else _cleaned(row) for row in rows])
            n += len(rows)
            progress.advance(len(rows))
    progress.finish()
    return n


_SAFE_HANDLE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")  # members.HANDLE_RE
_SAFE_ID = re.compile(r"[A-Za-z0-9][\w.-]*")  # printable, no formula start, no CSV quoting


def _cleaned(row: Any) -> tuple[Any, ...]:
    pid, handle, choice, numbers, reason, changed, receipt, cast_at = row
    if ";" in numbers:
        numbers = ";".join(sorted(numbers.split(";"), key=int))
    return (cell(pid), cell(handle), choice, numbers, cell(reason), changed, cell(receipt), cast_at)
