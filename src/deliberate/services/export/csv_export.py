"""Results and ballots as CSV (UTF-8, a header row), for spreadsheets and scripts.

Member text is untrusted (DESIGN §6): control characters are stripped and a text cell that
starts with = + - @ tab or CR gets a leading ' so no spreadsheet runs it as a formula. Count
columns are plain integers. Ballots stream in batches from one snapshot, so memory stays flat
however many there are.

The ballots table alone is read on SQLAlchemy Core (store/tables.py) and imports neither the
ORM nor the results code: a command that only streams rows pays only for what it uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from functools import cache, lru_cache
from itertools import compress, repeat
from operator import gt, itemgetter
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Connection, String, case, func, literal, select, type_coerce
from sqlalchemy import cast as sql_cast

from deliberate.domain.ballot import Choice
from deliberate.domain.text import sanitize
from deliberate.services.export.progress import NO_PROGRESS, Progress
from deliberate.services.export.selection import Selection, selected_ids
from deliberate.services.export.snapshot import raw_batches, rows_snapshot, snapshot
from deliberate.store.engine import Database
from deliberate.store.tables import members, vote_amendments, votes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RESULT_COLUMNS = (
    "proposal",
    "title",
    "programme",
    "section",
    "content_hash",
    "status",
    "rules",
    "ja",
    "betinget_ja",
    "udskyd",
    "nej",
    "bloker",
    "cast",
    "eligible",
    "outcome",
    "carried_amendments",
    "explanation",
    "closed_at",
    "adopted_text_sha256",
    "method",
    "secret",
)
BALLOT_COLUMNS = (
    "proposal",
    "member",
    "choice",
    "amendments",
    "reason",
    "changed",
    "receipt",
    "cast_at",
)
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
    return "" if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    if results_out is None:
        if ballots_out is None:
            return 0, 0
        with rows_snapshot(db) as connection:
            return 0, write_ballots(connection, ballots_out, selection, progress)
    n_ballots = 0
    with snapshot(db) as session:
        n_results = write_results(session, results_out, selection, lang)
        if ballots_out is not None:
            n_ballots = write_ballots(session.connection(), ballots_out, selection, progress)
    return n_results, n_ballots


def write_results(session: Session, out: IO[str], selection: Selection, lang: str) -> int:
    # The results need the ORM and the tally code; imported here, not by the ballots path.
    from deliberate.services.export.results import results_in
    from deliberate.store.models import Programme, Proposal

    results = results_in(session, selection)  # an unknown proposal fails before any output
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    info = {
        p.id: p
        for p in session.execute(
            select(
                Proposal.id, Proposal.title, Proposal.section, Proposal.content_hash, Programme.name
            ).outerjoin(Programme, Proposal.programme_id == Programme.id)
        )
    }
    n = 0
    for r in results:
        p = info[r.proposal_id]
        data = r.as_json(lang)
        counts = r.counts.as_dict()
        writer.writerow(
            (
                cell(r.proposal_id),
                cell(p.title),
                cell(p.name),
                cell(p.section),
                p.content_hash,
                r.status.value,
                cell(data["rules"]),
                counts["ja"],
                counts["betinget_ja"],
                counts["udskyd"],
                counts["nej"],
                counts["bloker"],
                r.cast,
                r.eligible,
                data["outcome"] or "",
                _numbers(r.carried_amendments),
                cell(data["explanation"]),
                _iso(r.closed_at),
                r.adopted_sha256 or "",
                "hand" if r.hand_count else "electronic",
                "true" if r.secret else "false",
            )
        )
        n += 1
    return n


def stored_time_text(column: Any, dialect: str) -> Any:
    """A UTC time column as the text "YYYY-MM-DD HH:MM:SS[.ffffff]": SQLite's stored form as
    it is (no parsing per row), PostgreSQL's by to_char."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24:MI:SS")
    return type_coerce(column, String)


def ballots_query(proposal_id: str, dialect: str) -> Any:
    """One proposal's current votes, in member order (the unique index's):
    handle, choice, amendments ("1;3"), reason, version, receipt, cast_at text."""
    v = votes.c
    named = (
        select(func.aggregate_strings(sql_cast(vote_amendments.c.number, String), ";"))
        .where(vote_amendments.c.vote_id == v.id)
        .scalar_subquery()
    )
    numbers = case(
        (v.choice == "betinget_ja", func.coalesce(named, literal(""))), else_=literal("")
    )
    return (
        select(
            members.c.handle,
            v.choice,
            numbers,
            v.reason,
            v.version,
            v.receipt,
            stored_time_text(v.cast_at, dialect),
        )
        .join(members, members.c.id == v.member_id)
        .where(v.proposal_id == proposal_id)
        .order_by(v.proposal_id, v.member_id)
    )


def write_ballots(
    connection: Connection,
    out: IO[str],
    selection: Selection,
    progress: Progress = NO_PROGRESS,
) -> int:
    ids = [pid for _, pid in selected_ids(connection, selection)]
    total = None
    if ids and progress is not NO_PROGRESS:  # counting a million rows is for a person watching
        total = connection.scalar(
            select(func.count()).select_from(votes).where(votes.c.proposal_id.in_(ids))
        )
    progress.start("CSV", total)
    out.write(",".join(BALLOT_COLUMNS) + "\n")
    # Handles and ids are checked when created; if one in the database is not what that
    # check allows (a hand edit, an old version), every row goes through cell().
    odd_handles = not all(
        [
            _all_lines(_SAFE_HANDLE, rows, _FIRST)
            for rows in raw_batches(connection, _HANDLES, "deliberate_export_handles")
        ]
    )
    lines = _Lines()
    n = 0
    for pid in ids:
        careful = odd_handles or not _SAFE_ID.fullmatch(pid)
        for rows in raw_batches(
            connection, ballots_query(pid, connection.dialect.name), "deliberate_export_ballots"
        ):
            out.write(_ballot_text(pid, rows, careful, lines))
            n += len(rows)
            progress.advance(len(rows))
    progress.finish()
    return n


def _ballot_text(pid: str, rows: list[tuple[Any, ...]], careful: bool, lines: _Lines) -> str:
    """The CSV lines of a batch. When every system-written field (choice, amendment numbers,
    receipt, time) has its usual shape, the lines are joined column by column in C (map,
    zip, str.join), only reasons passing through Python; anything else goes through cell()
    and csv field by field."""
    if not careful and set(map(_CHOICE, rows)) <= _CHOICES and _codes(list(map(_RECEIPT, rows))):
        numbers = list(map(_number_list, map(_NUMBERS, rows)))
        # "YYYY-MM-DD HH:MM:SS[.ffffff]" -> "YYYY-MM-DDTHH:MM:SS" (+ "Z" from the line end)
        when = list(map(str.replace, map(_SECONDS, map(_CAST_AT, rows)), _SPACE, _T))
        if None not in numbers and _iso_seconds(when):
            reasons = list(map(_REASON, rows))
            for i in compress(range(len(rows)), reasons):
                reasons[i] = _field(reasons[i])
            changed = map(_CHANGED.__getitem__, map(gt, map(_VERSION, rows), _ONE))
            fields = zip(
                map(_FIRST, rows),
                map(_CHOICE, rows),
                numbers,
                reasons,
                changed,
                map(_RECEIPT, rows),
                when,
                strict=True,
            )
            prefix = f"{pid},"
            return prefix + f"Z\n{prefix}".join(map(",".join, fields)) + "Z\n"
    return "".join(lines.line(_cleaned(pid, row)) + "\n" for row in rows)


def _all_lines(pattern: re.Pattern[str], rows: list[tuple[Any, ...]], column: Any) -> bool:
    """Whether the column of every row is one line that `pattern` (of one line) matches."""
    text = "\n".join(map(column, rows))
    return text.count("\n") == len(rows) - 1 and _lines_of(pattern).fullmatch(text) is not None


@cache
def _lines_of(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern.pattern})(?:\n(?:{pattern.pattern}))*")


def _codes(receipts: list[str]) -> bool:
    """Whether each is a code as the system writes receipts: ASCII letters, digits and
    dashes, not empty and not starting with a dash (nothing to quote or neutralise)."""
    text = "".join(receipts)
    firsts = set(map(_FIRST_CHAR, receipts))
    return (
        "" not in firsts
        and "-" not in firsts
        and text.isascii()
        and text.replace("-", "").isalnum()
    )


@lru_cache(maxsize=4096)  # a forum's ballots name few different sets of amendments
def _number_list(text: str) -> str | None:
    """Amendment numbers as the export writes them ("3;1" -> "1;3"); None if not numbers."""
    if not _NUMBER_LIST.fullmatch(text):
        return None
    return _sorted_numbers(text) if ";" in text else text


def _iso_seconds(times: list[str]) -> bool:
    """Whether each is "YYYY-MM-DDTHH:MM:SS" in ASCII digits: digits read as 0 in one
    translate, compared with a template (a tenth of a regular expression's time)."""
    return "\n".join(times).translate(_DIGITS_AS_0) == _iso_template(len(times))


@lru_cache(maxsize=4)
def _iso_template(n: int) -> str:
    return "\n".join(["0000-00-00T00:00:00"] * n)


def _field(text: str) -> str:
    """Member text as one CSV field: cell(), then quoted as csv would (QUOTE_MINIMAL)."""
    text = cell(text)
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _sorted_numbers(numbers: str) -> str:
    return ";".join(sorted(numbers.split(";"), key=int))


class _Lines:
    """One row as a CSV line (quoting as needed), without the line end."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        # The terminator must be "\n" even though it is cut off: csv quotes a field that
        # holds a character of it, so a reason with line breaks stays one field.
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def line(self, row: tuple[Any, ...]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(row)
        return self._buffer.getvalue()[:-1]


_SAFE_HANDLE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")  # members.HANDLE_RE
_SAFE_ID = re.compile(r"[A-Za-z0-9][\w.-]*")  # printable, no formula start, no CSV quoting
_NUMBER_LIST = re.compile(r"(?:[0-9]+(?:;[0-9]+)*)?")  # "", "1", "3;1": as ballots_query gives them
_DIGITS_AS_0 = str.maketrans("123456789", "000000000")
_HANDLES = select(members.c.handle)
_CHOICES = frozenset(c.value for c in Choice)
# The columns of a ballots_query row, and the constant arguments of the column-wise maps.
_FIRST, _CHOICE, _NUMBERS, _REASON, _VERSION, _RECEIPT, _CAST_AT = map(itemgetter, range(7))
_CHANGED = ("false", "true")
_SECONDS, _FIRST_CHAR = itemgetter(slice(0, 19)), itemgetter(slice(0, 1))
_SPACE, _T = repeat(" "), repeat("T")  # endless, so one of each serves every call
_ONE = repeat(1)


def _cleaned(pid: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    handle, choice, numbers, reason, version, receipt, cast_at = row
    if ";" in numbers:
        numbers = _sorted_numbers(numbers)
    changed = "true" if version > 1 else "false"
    when = f"{cast_at[:10]}T{cast_at[11:19]}Z" if _TIME.fullmatch(cast_at[:19]) else cell(cast_at)
    return (cell(pid), cell(handle), choice, numbers, cell(reason), changed, cell(receipt), when)


_TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")
