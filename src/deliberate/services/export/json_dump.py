"""The complete forum as one JSON document (format `deliberate-forum`, docs/exports.md).

It streams: one read snapshot, rows fetched in batches and written as they come, so memory
does not grow with the number of ballots. `json_load` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import DateTime, Dialect, String, func, select, text, type_coerce
from sqlalchemy.orm import Session

import deliberate
from deliberate.services import audit, counting
from deliberate.services.export.progress import NO_PROGRESS, Progress
from deliberate.services.export.results import results_in
from deliberate.services.export.snapshot import STREAM, raw_batches, snapshot
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    Amendment,
    Attendance,
    AuditEntry,
    AuditHead,
    Comment,
    ForumSetting,
    Meeting,
    Member,
    Programme,
    Proposal,
    ProposalStatus,
    Proxy,
    SecretBallot,
    SecretParticipation,
    SpeakerRequest,
    Supporter,
    Tally,
    Vote,
    VoteHistory,
)

FORMAT = "deliberate-forum"
VERSION = 1


@dataclass(frozen=True)
class ExportSummary:
    members: int
    proposals: int
    votes: int
    audit_entries: int
    audit_head: tuple[int, str]


# ------------------------------------------------------------------------------------ values


def iso(moment: dt.datetime | None) -> str | None:
    """UTC ISO 8601 with microseconds: exact enough to restore audit hashes."""
    return None if moment is None else moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _numbers(csv_numbers: str | None) -> list[int]:
    return [int(n) for n in (csv_numbers or "").split(",") if n]


def _json_text(value: str | None, default: Any) -> Any:
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return value  # not JSON after all: keep the text as it is


# Escaped as \uXXXX (the data stays exact): < > & so the file is inert even if served as HTML;
# DEL, C1 controls, bidi overrides and line separators so it is inert in a terminal or a script.
_INERT = str.maketrans(
    {
        c: f"\\u{ord(c):04x}"
        for c in "<>&\x7f\u2028\u2029\u061c\u200e\u200f"
        + "".join(map(chr, range(0x80, 0xA0)))
        + "".join(map(chr, range(0x202A, 0x202F)))
        + "".join(map(chr, range(0x2066, 0x206A)))
    }
)


_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _INERT))) + "]")


def _needs_escape(text: str) -> bool:
    """Whether `text` holds a character of _INERT (ASCII text: only four can be there)."""
    if text.isascii():
        return "<" in text or ">" in text or "&" in text or "\x7f" in text
    return _NEEDS_ESCAPE.search(text) is not None


# One encoder for the whole export (json.dumps with options builds one per call).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept, with the characters above escaped (json escapes C0 itself)."""
    return _ENCODE(value).translate(_INERT)


# ------------------------------------------------------------------------------------ export


def export_forum(
    db: Database,
    out: IO[str],
    *,
    lang: str = "da",
    progress: Progress = NO_PROGRESS,
    now: dt.datetime | None = None,
) -> ExportSummary:
    """Write the complete forum to `out` as it stands in one snapshot."""
    exported_at = now or dt.datetime.now(dt.UTC)
    with snapshot(db) as session:
        head = session.execute(select(AuditHead.seq, AuditHead.hash)).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, audit.GENESIS)
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Vote, VoteHistory, Comment, AuditEntry)
        }
        w = _Writer(out)
        w.value("format", FORMAT)
        w.value("version", VERSION)
        w.value("exported_at", iso(exported_at))
        w.value("generator", {"name": "deliberate", "version": deliberate.__version__})
        w.value("schema_revision", _revision(session))
        w.value("audit_head", {"seq": head_seq, "hash": head_hash})
        n_members = w.encoded("members", _members(session.connection()))
        w.array("programmes", _programmes(session))
        n_proposals = w.array("proposals", _proposals(session))
        w.array("supporters", _supporters(session))
        w.array("forum_settings", _forum_settings(session))
        w.array("results", (r.as_json(lang) for r in results_in(session)))
        w.array("tallies", _tallies(session))
        w.array("meetings", _meetings(session))
        w.array("agenda_items", _agenda_items(session))
        w.array("speaker_requests", _speaker_requests(session))
        w.array("attendance", _attendance(session))
        w.array("proxies", _proxies(session))
        w.array("secret_participations", _participations(session))
        w.array("secret_ballots", _secret_ballots(session))
        total = sum(counts.values())
        progress.start("JSON", total)
        connection = session.connection()
        n_votes = w.encoded("votes", _votes(connection), progress)
        w.encoded("vote_history", _history(connection), progress)
        w.array("comments", _comments(session), progress)
        n_audit = w.encoded("audit_log", _audit_log(connection), progress)
        w.close()
        progress.finish()
    return ExportSummary(n_members, n_proposals, n_votes, n_audit, (head_seq, head_hash))


def _revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


class _Writer:
    """Writes one JSON object key by key; arrays one element per line, as they come."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.first = True
        out.write("{")

    def _key(self, key: str) -> None:
        self.out.write("\n" if self.first else ",\n")
        self.first = False
        self.out.write(f"{dumps(key)}: ")

    def value(self, key: str, value: Any) -> None:
        self._key(key)
        self.out.write(dumps(value))

    def array(
        self, key: str, items: Iterable[Mapping[str, Any]], progress: Progress = NO_PROGRESS
    ) -> int:
        """One element per line, each encoded as it comes."""
        return self.encoded(key, _chunks(map(_ENCODE, items)), progress)

    def encoded(
        self, key: str, batches: Iterable[list[str]], progress: Progress = NO_PROGRESS
    ) -> int:
        """One element per line from batches of elements encoded already (not yet made
        inert): each batch is escaped and written at once (the escaping is per character,
        so the text is the same as element by element)."""
        self._key(key)
        n = 0
        for batch in batches:
            if batch:
                text = ",\n  ".join(batch)
                if _needs_escape(text):  # rare: translating a long text is slow
                    text = text.translate(_INERT)
                self.out.write(("[\n  " if n == 0 else ",\n  ") + text)
                progress.advance(len(batch))
                n += len(batch)
        self.out.write("[]" if n == 0 else "\n]")
        return n

    def close(self) -> None:
        self.out.write("\n}\n")


def _stream(session: Session, query: Any) -> Iterator[Any]:
    """Plain Core rows in batches (no ORM result machinery), inside the export's snapshot."""
    yield from session.connection().execute(query, execution_options=STREAM)


def _members(connection: Any) -> Iterator[list[str]]:
    dialect = connection.dialect
    m = Member
    query = select(
        m.id,
        m.handle,
        m.name,
        m.role,
        m.can_vote,
        m.active,
        _stored_time(m.created_at, dialect),
        _stored_time(m.deactivated_at, dialect),
    ).order_by(m.id)
    iso_of = _iso_of(dialect)
    for rows in raw_batches(connection, query, "deliberate_export_members"):
        if (
            _all_int(rows, 0)
            and {type(row[i]) for i in (4, 5) for row in rows} <= {int, bool}
            and _all_plain(rows, 1, 3)
            and _all_match(_TIME_LINES, rows, 6)
            and _all_match(_TIME_LINES, [row for row in rows if row[7] is not None], 7)
        ):
            yield [
                f'{{"id":{i},"handle":"{h}","name":{_member_text(n)},"role":"{r}",'
                f'"can_vote":{"true" if v else "false"},"active":{"true" if a else "false"},'
                f'"created_at":"{c[:10]}T{c[11:]}+00:00","deactivated_at":{_iso_or_null(d)}}}'
                for i, h, n, r, v, a, c, d in rows
            ]
            continue
        yield [
            _ENCODE(
                {
                    "id": i,
                    "handle": h,
                    "name": n,
                    "role": r,
                    "can_vote": bool(v),
                    "active": bool(a),
                    "created_at": iso_of(c),
                    "deactivated_at": iso_of(d),
                }
            )
            for i, h, n, r, v, a, c, d in rows
        ]


def _programmes(session: Session) -> Iterator[dict[str, Any]]:
    for p in _stream(session, select(Programme.__table__).order_by(Programme.id)):
        yield {"id": p.id, "slug": p.slug, "name": p.name, "description": p.description}


def _proposals(session: Session) -> Iterator[dict[str, Any]]:
    amendments: dict[str, list[dict[str, Any]]] = {}
    for a in session.execute(
        select(Amendment.__table__).order_by(Amendment.proposal_id, Amendment.number)
    ):
        amendments.setdefault(a.proposal_id, []).append(
            {
                "id": a.id,
                "number": a.number,
                "title": a.title,
                "body": a.body,
                "kind": a.kind,
                "paragraph": a.paragraph,
                "operation": a.operation,
                "new_text": a.new_text,
                "justification": a.justification,
                "author_id": a.author_id,
                "created_at": iso(a.created_at),
                "state": a.state,
                "alternative_group": a.alternative_group,
            }
        )
    for p in _stream(session, select(Proposal.__table__).order_by(Proposal.id)):
        yield {
            "id": p.id,
            "title": p.title,
            "programme_id": p.programme_id,
            "section": p.section,
            "section_key": p.section_key,
            "authors": _json_text(p.authors, []),
            "body": p.body,
            "content_hash": p.content_hash,
            "source": p.source,
            "status": p.status,
            "rules_name": p.rules_name,
            "rules": _json_text(p.rules_spec, None),
            "opened_at": iso(p.opened_at),
            "opened_by": p.opened_by,
            "closes_at": iso(p.closes_at),
            "closed_at": iso(p.closed_at),
            "closed_by": p.closed_by,
            "secret": bool(p.secret),
            "created_at": iso(p.created_at),
            "updated_at": iso(p.updated_at),
            "submitted_by": p.submitted_by,
            "submitted_at": iso(p.submitted_at),
            "debate_from": iso(p.debate_from),
            "debate_started_at": iso(p.debate_started_at),
            "amendments_close_at": iso(p.amendments_close_at),
            "filing_closed_at": iso(p.filing_closed_at),
            "opens_at": iso(p.opens_at),
            "withdrawn_at": iso(p.withdrawn_at),
            "amendments": amendments.get(p.id, []),
        }


def _supporters(session: Session) -> Iterator[dict[str, Any]]:
    query = select(Supporter.__table__).order_by(Supporter.proposal_id, Supporter.member_id)
    for row in _stream(session, query):
        yield {
            "proposal_id": row.proposal_id,
            "member_id": row.member_id,
            "created_at": iso(row.created_at),
        }


def _forum_settings(session: Session) -> Iterator[dict[str, Any]]:
    for row in _stream(session, select(ForumSetting.__table__).order_by(ForumSetting.key)):
        yield {"key": row.key, "value": row.value}


def _tallies(session: Session) -> Iterator[dict[str, Any]]:
    for t in _stream(session, select(Tally.__table__).order_by(Tally.proposal_id)):
        yield {
            "proposal_id": t.proposal_id,
            "counts": {
                "ja": t.ja,
                "betinget_ja": t.betinget_ja,
                "udskyd": t.udskyd,
                "nej": t.nej,
                "bloker": t.bloker,
            },
            "cast": t.cast,
            "eligible": t.eligible,
            "amendment_support": _json_text(t.amendment_support, {}),
            "outcome": t.outcome,
            "carried_amendments": _numbers(t.carried_amendments),
            "closed_at": iso(t.closed_at),
            "present": t.present,
            "method": t.method,
            "ballots_sha256": t.ballots_sha256,
            "amendment_votes": _json_text(t.amendment_votes, {}),
            "amendment_ballot": _json_text(t.amendment_ballot, {}),
            "adopted_text": t.adopted_text,
            "adopted_text_sha256": t.adopted_sha256,
        }


def _meetings(session: Session) -> Iterator[dict[str, Any]]:
    for m in _stream(session, select(Meeting.__table__).order_by(Meeting.id)):
        yield {
            "id": m.id,
            "title": m.title,
            "status": m.status,
            "hide_counts": bool(m.hide_counts),
            "speaker_limit_seconds": m.speaker_limit_seconds,
            "current_position": m.current_position,
            "created_by": m.created_by,
            "created_at": iso(m.created_at),
            "started_at": iso(m.started_at),
            "ended_at": iso(m.ended_at),
            "checkin_open": bool(m.checkin_open),
        }


def _agenda_items(session: Session) -> Iterator[dict[str, Any]]:
    query = select(AgendaItem.__table__).order_by(AgendaItem.meeting_id, AgendaItem.position)
    for a in _stream(session, query):
        yield {
            "id": a.id,
            "meeting_id": a.meeting_id,
            "position": a.position,
            "proposal_id": a.proposal_id,
            "countdown_seconds": a.countdown_seconds,
        }


def _speaker_requests(session: Session) -> Iterator[dict[str, Any]]:
    for r in _stream(session, select(SpeakerRequest.__table__).order_by(SpeakerRequest.id)):
        yield {
            "id": r.id,
            "meeting_id": r.meeting_id,
            "member_id": r.member_id,
            "kind": r.kind,
            "requested_at": iso(r.requested_at),
            "granted_at": iso(r.granted_at),
            "finished_at": iso(r.finished_at),
            "withdrawn_at": iso(r.withdrawn_at),
            "limit_seconds": r.limit_seconds,
        }


def _attendance(session: Session) -> Iterator[dict[str, Any]]:
    for a in _stream(session, select(Attendance.__table__).order_by(Attendance.id)):
        yield {
            "id": a.id,
            "meeting_id": a.meeting_id,
            "member_id": a.member_id,
            "checked_in_at": iso(a.checked_in_at),
            "checked_in_by": a.checked_in_by,
            "checked_out_at": iso(a.checked_out_at),
        }


def _proxies(session: Session) -> Iterator[dict[str, Any]]:
    for p in _stream(session, select(Proxy.__table__).order_by(Proxy.id)):
        yield {
            "id": p.id,
            "meeting_id": p.meeting_id,
            "principal_id": p.principal_id,
            "holder_id": p.holder_id,
            "created_at": iso(p.created_at),
            "created_by": p.created_by,
        }


def _participations(session: Session) -> Iterator[dict[str, Any]]:
    query = select(SecretParticipation.__table__).order_by(
        SecretParticipation.proposal_id, SecretParticipation.member_id
    )
    for p in _stream(session, query):
        yield {"proposal_id": p.proposal_id, "member_id": p.member_id, "cast_by": p.cast_by}


def _secret_ballots(session: Session) -> Iterator[dict[str, Any]]:
    """Ballots of CLOSED secret votes only, by tracker code: while a vote runs, two exports
    taken between two ballots would show which ballot came with which participation."""
    query = (
        select(SecretBallot.__table__)
        .join(Proposal, Proposal.id == SecretBallot.proposal_id)
        .where(Proposal.status == ProposalStatus.CLOSED)
        .order_by(SecretBallot.proposal_id, SecretBallot.tracker)
    )
    for b in _stream(session, query):
        yield {
            "proposal_id": b.proposal_id,
            "tracker": b.tracker,
            "choice": b.choice,
            "amendments": _numbers(b.amendments),
            "reason": b.reason,
            # separate amendment votes: {"2": "ja"}, as on an open vote's row
            **({"amendment_votes": _answers(b.amendment_answers)} if b.amendment_answers else {}),
        }


def _answers(text: str) -> dict[str, str]:
    pairs = (x.partition("=") for x in text.split(",") if x)
    return {n: a for n, _, a in sorted(pairs, key=lambda p: int(p[0]))}


def _comments(session: Session) -> Iterator[dict[str, Any]]:
    for c in _stream(session, select(Comment.__table__).order_by(Comment.id)):
        yield {
            "id": c.id,
            "proposal_id": c.proposal_id,
            "amendment_number": c.amendment_number,
            "parent_id": c.parent_id,
            "author_id": c.author_id,
            "body": c.body,
            "created_at": iso(c.created_at),
            "edited_at": iso(c.edited_at),
            "deleted_at": iso(c.deleted_at),
        }


def _chunks(lines: Iterable[str], size: int = 1000) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    yield batch


# ------------------------------------------------------------------ votes, history, the log
# The arrays that grow with the forum are written batch by batch from plain driver rows: a
# batch whose values have their usual shape (ids whole numbers, names and hashes plain
# ASCII, times as stored "YYYY-MM-DD HH:MM:SS.ffffff") is formatted line by line, only
# member text and payloads going through the encoder; any other batch goes through the same
# dicts and encoder as the small arrays. Both give the same bytes.

_TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}"  # as SQLite stores a time, as to_char writes it
_NUMBERS_TEXT = r"(?:(?:0|-?[1-9]\d*)(?:,(?:0|-?[1-9]\d*))*)?"  # "1,3" as the store keeps lists


def _lines_of(pattern: str) -> re.Pattern[str]:
    return re.compile(f"{pattern}(?:\n{pattern})*", re.ASCII)


_TIME_LINES, _NUMBER_LINES = map(_lines_of, (_TIME, _NUMBERS_TEXT))


def _all_plain(rows: list[Any], *columns: int) -> bool:
    """Each value of the columns is text JSON writes as it is: printable ASCII without a
    quote, a backslash or a character _INERT escapes."""
    try:
        text = "".join([row[i] for i in columns for row in rows])
    except TypeError:  # NULL, or not text
        return False
    return text.isascii() and text.isprintable() and not any(c in text for c in '"\\<>&')


def _all_match(pattern: re.Pattern[str], rows: list[Any], *columns: int) -> bool:
    """Each value of the columns is text the pattern matches (one match for the batch)."""
    values = [row[i] for i in columns for row in rows]
    if not values:
        return True
    try:
        joined = "\n".join(values)
    except TypeError:  # NULL, or not text
        return False
    return joined.count("\n") == len(values) - 1 and pattern.fullmatch(joined) is not None


def _all_int(rows: list[Any], *columns: int, null: bool = False) -> bool:
    kinds = {type(row[i]) for i in columns for row in rows}
    return kinds <= ({int, type(None)} if null else {int})


def _stored_time(column: Any, dialect: Dialect) -> Any:
    """A UTC time column as "YYYY-MM-DD HH:MM:SS.ffffff": SQLite's stored text as it is,
    PostgreSQL's by to_char (the driver would build a datetime)."""
    if dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24:MI:SS.US")
    return type_coerce(column, String)


def _iso_of(dialect: Dialect) -> Callable[[Any], str | None]:
    """A stored time (as `_stored_time` reads it) in the form iso() writes, by parsing it as
    the column type does: for batches off the usual shape."""
    if dialect.name == "postgresql":
        parse: Any = dt.datetime.fromisoformat
    else:
        parse = DateTime().dialect_impl(dialect).result_processor(dialect, None)
    return lambda value: None if value is None else iso(parse(value).replace(tzinfo=dt.UTC))


def _iso_or_null(stored: str | None) -> str:
    """A stored time known to have the usual shape, as the JSON iso() gives."""
    return "null" if stored is None else f'"{stored[:10]}T{stored[11:]}+00:00"'


def _member_text(value: Any) -> str:
    return _ENCODE(value) if value or value is None else '""'


def _sorted_numbers(numbers: str | None) -> str:
    """ "3,1" -> "[1,3]" (the numbers' text is their JSON already)."""
    if not numbers:
        return "[]"
    if "," not in numbers:
        return f"[{numbers}]"
    return "[" + ",".join(sorted(numbers.split(","), key=int)) + "]"


def _answers_member(answers: str | None) -> str:
    """',"amendment_votes":{...}' for separate amendment votes, else nothing."""
    return f',"amendment_votes":{_ENCODE(_answers(answers))}' if answers else ""


def _votes(connection: Any) -> Iterator[list[str]]:
    dialect = connection.dialect
    query = select(
        Vote.id,
        Vote.proposal_id,
        Vote.member_id,
        Vote.choice,
        counting.NUMBERS_OF_VOTE,
        Vote.reason,
        Vote.receipt,
        Vote.version,
        _stored_time(Vote.cast_at, dialect),
        Vote.cast_by,
        counting.ANSWERS_OF_VOTE,
    ).order_by(Vote.id)
    iso_of = _iso_of(dialect)
    for rows in raw_batches(connection, query, "deliberate_export_votes"):
        if (
            _all_int(rows, 0, 2, 7)
            and _all_int(rows, 9, null=True)
            and _all_plain(rows, 1, 3, 6)
            and _all_match(_TIME_LINES, rows, 8)
            and _all_match(_NUMBER_LINES, [(n or "",) for _, _, _, _, n, *_ in rows], 0)
        ):
            yield [
                f'{{"id":{i},"proposal_id":"{p}","member_id":{m},"choice":"{c}",'
                f'"amendments":{_sorted_numbers(a)},"reason":{_member_text(r)},'
                f'"receipt":"{rc}","version":{v},"cast_at":"{t[:10]}T{t[11:]}+00:00",'
                f'"cast_by":{"null" if b is None else b}{_answers_member(ans)}}}'
                for i, p, m, c, a, r, rc, v, t, b, ans in rows
            ]
            continue
        yield [
            _ENCODE(
                {
                    "id": i,
                    "proposal_id": p,
                    "member_id": m,
                    "choice": c,
                    "amendments": sorted(_numbers(a)),
                    "reason": r,
                    "receipt": rc,
                    "version": v,
                    "cast_at": iso_of(t),
                    "cast_by": b,
                    **({"amendment_votes": _answers(ans)} if ans else {}),
                }
            )
            for i, p, m, c, a, r, rc, v, t, b, ans in rows
        ]


def _history(connection: Any) -> Iterator[list[str]]:
    dialect = connection.dialect
    h = VoteHistory
    query = select(
        h.id,
        h.proposal_id,
        h.member_id,
        h.version,
        h.choice,
        h.amendments,
        h.reason,
        h.receipt,
        _stored_time(h.cast_at, dialect),
        h.cast_by,
        h.amendment_answers,
    ).order_by(h.id)
    iso_of = _iso_of(dialect)
    for rows in raw_batches(connection, query, "deliberate_export_history"):
        if (
            _all_int(rows, 0, 2, 3)
            and _all_int(rows, 9, null=True)
            and _all_plain(rows, 1, 4, 7)
            and _all_match(_TIME_LINES, rows, 8)
            and _all_match(_NUMBER_LINES, rows, 5)
        ):
            yield [
                f'{{"id":{i},"proposal_id":"{p}","member_id":{m},"version":{v},'
                f'"choice":"{c}","amendments":[{a}],"reason":{_member_text(r)},'
                f'"receipt":"{rc}","cast_at":"{t[:10]}T{t[11:]}+00:00",'
                f'"cast_by":{"null" if b is None else b}{_answers_member(ans)}}}'
                for i, p, m, v, c, a, r, rc, t, b, ans in rows
            ]
            continue
        yield [
            _ENCODE(
                {
                    "id": i,
                    "proposal_id": p,
                    "member_id": m,
                    "version": v,
                    "choice": c,
                    "amendments": _numbers(a),
                    "reason": r,
                    "receipt": rc,
                    "cast_at": iso_of(t),
                    "cast_by": b,
                    **({"amendment_votes": _answers(ans)} if ans else {}),
                }
            )
            for i, p, m, v, c, a, r, rc, t, b, ans in rows
        ]


_DECODE = json.JSONDecoder().raw_decode


def _as_stored(payloads: list[Any]) -> bool:
    """Whether each payload is one JSON value exactly as the encoder writes it, so the
    stored text is what decoding and encoding it would give. Each must decode to its full
    length on its own; then the encoding of the whole list equal to their concatenation
    means each encodes to itself."""
    values = []
    try:
        for payload in payloads:
            value, end = _DECODE(payload)
            if end != len(payload):
                return False
            values.append(value)
    except (ValueError, TypeError, AttributeError):  # not JSON, empty, NULL
        return False
    return bool(_ENCODE(values) == "[" + ",".join(payloads) + "]")


def _audit_log(connection: Any) -> Iterator[list[str]]:
    dialect = connection.dialect
    e = AuditEntry
    query = select(
        e.seq,
        _stored_time(e.created_at, dialect),
        e.actor,
        e.action,
        e.subject,
        e.payload,
        e.prev_hash,
        e.hash,
    ).order_by(e.seq)
    iso_of = _iso_of(dialect)
    for rows in raw_batches(connection, query, "deliberate_export_audit_log"):
        if (
            _all_int(rows, 0)
            and _all_plain(rows, 2, 3, 4, 6, 7)
            and _all_match(_TIME_LINES, rows, 1)
            and _as_stored([row[5] for row in rows])
        ):
            yield [
                f'{{"seq":{seq},"created_at":"{t[:10]}T{t[11:]}+00:00","actor":"{actor}",'
                f'"action":"{action}","subject":"{subject}","payload":{payload},'
                f'"prev_hash":"{prev}","hash":"{hash_}"}}'
                for seq, t, actor, action, subject, payload, prev, hash_ in rows
            ]
            continue
        yield [
            _ENCODE(
                {
                    "seq": seq,
                    "created_at": iso_of(t),
                    "actor": actor,
                    "action": action,
                    "subject": subject,
                    "payload": _json_text(payload, {}),
                    "prev_hash": prev,
                    "hash": hash_,
                }
            )
            for seq, t, actor, action, subject, payload, prev, hash_ in rows
        ]
