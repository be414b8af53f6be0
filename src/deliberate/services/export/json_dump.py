"""The complete forum as one JSON document, and loading it back (docs/exports.md).

Export streams: one read snapshot, rows fetched in batches and written as they come, so
memory does not grow with the number of ballots. Import loads the document into an EMPTY,
migrated database, restoring every row with its ids, times, receipts and audit entries,
then checks that `verify` passes and every result matches the one in the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import delete, func, insert, literal, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import deliberate
from deliberate.domain.proposal_file import is_valid_id
from deliberate.errors import UserError
from deliberate.services import audit
from deliberate.services.members import HANDLE_RE
from deliberate.services.export.csv_export import named_amendments
from deliberate.services.export.progress import NO_PROGRESS, Progress
from deliberate.services.export.results import results_in
from deliberate.services.export.snapshot import STREAM, snapshot
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    Amendment,
    AuditEntry,
    AuditHead,
    Comment,
    Meeting,
    Member,
    Programme,
    Proposal,
    SpeakerRequest,
    Tally,
    Vote,
    VoteAmendment,
    VoteHistory,
)

FORMAT = "deliberate-forum"
VERSION = 1

# Tables restored by import, parents first; deleted in reverse if the check after import fails.
_TABLES = (
    Member, Programme, Proposal, Amendment, Meeting, AgendaItem, SpeakerRequest,
    Vote, VoteAmendment, VoteHistory, Tally, Comment, AuditEntry, AuditHead,
)
# Tables with generated integer ids whose PostgreSQL sequences must move past restored ids.
_SERIAL = (Member, Programme, Amendment, Meeting, AgendaItem, SpeakerRequest, Vote, VoteHistory, Comment)


@dataclass(frozen=True)
class ExportSummary:
    members: int
    proposals: int
    votes: int
    audit_entries: int
    audit_head: tuple[int, str]


@dataclass(frozen=True)
class ImportSummary:
    members: int
    proposals: int
    votes: int
    comments: int
    audit_entries: int
    audit_head: tuple[int, str]


# ------------------------------------------------------------------------------------ values


def iso(moment: dt.datetime | None) -> str | None:
    """UTC ISO 8601 with microseconds: exact enough to restore audit hashes."""
    return None if moment is None else moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


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


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept, with the characters above escaped (json escapes C0 itself)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_INERT)


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
    from deliberate.services import voting

    voting.close_expired(db)  # as `tally` would: an expired deadline closes the vote first
    exported_at = now or dt.datetime.now(dt.timezone.utc)
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
        n_members = w.array("members", _members(session))
        w.array("programmes", _programmes(session))
        n_proposals = w.array("proposals", _proposals(session))
        w.array("results", (r.as_json(lang) for r in results_in(session)))
        w.array("tallies", _tallies(session))
        w.array("meetings", _meetings(session))
        w.array("agenda_items", _agenda_items(session))
        w.array("speaker_requests", _speaker_requests(session))
        total = sum(counts.values())
        progress.start("JSON", total)
        n_votes = w.array("votes", _votes(session), progress)
        w.array("vote_history", _history(session), progress)
        w.array("comments", _comments(session), progress)
        n_audit = w.array("audit_log", _audit_log(session), progress)
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

    def array(self, key: str, items: Iterable[Mapping[str, Any]], progress: Progress = NO_PROGRESS) -> int:
        self._key(key)
        n = 0
        write = self.out.write
        for item in items:
            write("[\n  " if n == 0 else ",\n  ")
            write(dumps(item))
            n += 1
            if n % 1000 == 0:
                progress.advance(1000)
        progress.advance(n % 1000)
        write("[]" if n == 0 else "\n]")
        return n

    def close(self) -> None:
        self.out.write("\n}\n")


def _stream(session: Session, query: Any) -> Iterator[Any]:
    yield from session.execute(query, execution_options=STREAM)


def _members(session: Session) -> Iterator[dict[str, Any]]:
    for m in _stream(session, select(Member.__table__).order_by(Member.id)):
        yield {
            "id": m.id, "handle": m.handle, "name": m.name, "role": m.role,
            "can_vote": bool(m.can_vote), "active": bool(m.active),
            "created_at": iso(m.created_at), "deactivated_at": iso(m.deactivated_at),
        }


def _programmes(session: Session) -> Iterator[dict[str, Any]]:
    for p in _stream(session, select(Programme.__table__).order_by(Programme.id)):
        yield {"id": p.id, "slug": p.slug, "name": p.name, "description": p.description}


def _proposals(session: Session) -> Iterator[dict[str, Any]]:
    amendments: dict[str, list[dict[str, Any]]] = {}
    for a in session.execute(select(Amendment.__table__).order_by(Amendment.proposal_id, Amendment.number)):
        amendments.setdefault(a.proposal_id, []).append(
            {"id": a.id, "number": a.number, "title": a.title, "body": a.body}
        )
    for p in _stream(session, select(Proposal.__table__).order_by(Proposal.id)):
        yield {
            "id": p.id, "title": p.title, "programme_id": p.programme_id, "section": p.section,
            "section_key": p.section_key, "authors": _json_text(p.authors, []), "body": p.body,
            "content_hash": p.content_hash, "source": p.source, "status": p.status,
            "rules_name": p.rules_name, "rules": _json_text(p.rules_spec, None),
            "opened_at": iso(p.opened_at), "opened_by": p.opened_by,
            "closes_at": iso(p.closes_at), "closed_at": iso(p.closed_at), "closed_by": p.closed_by,
            "created_at": iso(p.created_at), "updated_at": iso(p.updated_at),
            "amendments": amendments.get(p.id, []),
        }


def _tallies(session: Session) -> Iterator[dict[str, Any]]:
    for t in _stream(session, select(Tally.__table__).order_by(Tally.proposal_id)):
        yield {
            "proposal_id": t.proposal_id,
            "counts": {"ja": t.ja, "betinget_ja": t.betinget_ja, "udskyd": t.udskyd, "nej": t.nej, "bloker": t.bloker},
            "cast": t.cast, "eligible": t.eligible,
            "amendment_support": _json_text(t.amendment_support, {}),
            "outcome": t.outcome, "carried_amendments": _numbers(t.carried_amendments),
            "closed_at": iso(t.closed_at),
        }


def _meetings(session: Session) -> Iterator[dict[str, Any]]:
    for m in _stream(session, select(Meeting.__table__).order_by(Meeting.id)):
        yield {
            "id": m.id, "title": m.title, "status": m.status, "hide_counts": bool(m.hide_counts),
            "speaker_limit_seconds": m.speaker_limit_seconds, "current_position": m.current_position,
            "created_by": m.created_by, "created_at": iso(m.created_at),
            "started_at": iso(m.started_at), "ended_at": iso(m.ended_at),
        }


def _agenda_items(session: Session) -> Iterator[dict[str, Any]]:
    query = select(AgendaItem.__table__).order_by(AgendaItem.meeting_id, AgendaItem.position)
    for a in _stream(session, query):
        yield {
            "id": a.id, "meeting_id": a.meeting_id, "position": a.position,
            "proposal_id": a.proposal_id, "countdown_seconds": a.countdown_seconds,
        }


def _speaker_requests(session: Session) -> Iterator[dict[str, Any]]:
    for r in _stream(session, select(SpeakerRequest.__table__).order_by(SpeakerRequest.id)):
        yield {
            "id": r.id, "meeting_id": r.meeting_id, "member_id": r.member_id, "kind": r.kind,
            "requested_at": iso(r.requested_at), "granted_at": iso(r.granted_at),
            "finished_at": iso(r.finished_at), "withdrawn_at": iso(r.withdrawn_at),
            "limit_seconds": r.limit_seconds,
        }


def _votes(session: Session) -> Iterator[dict[str, Any]]:
    query = select(Vote.__table__, named_amendments().label("numbers")).order_by(Vote.id)
    for v in _stream(session, query):
        yield {
            "id": v.id, "proposal_id": v.proposal_id, "member_id": v.member_id,
            "choice": v.choice, "amendments": sorted(_numbers(v.numbers)), "reason": v.reason,
            "receipt": v.receipt, "version": v.version, "cast_at": iso(v.cast_at),
        }


def _history(session: Session) -> Iterator[dict[str, Any]]:
    for h in _stream(session, select(VoteHistory.__table__).order_by(VoteHistory.id)):
        yield {
            "id": h.id, "proposal_id": h.proposal_id, "member_id": h.member_id,
            "version": h.version, "choice": h.choice, "amendments": _numbers(h.amendments),
            "reason": h.reason, "receipt": h.receipt, "cast_at": iso(h.cast_at),
        }


def _comments(session: Session) -> Iterator[dict[str, Any]]:
    for c in _stream(session, select(Comment.__table__).order_by(Comment.id)):
        yield {
            "id": c.id, "proposal_id": c.proposal_id, "amendment_number": c.amendment_number,
            "parent_id": c.parent_id, "author_id": c.author_id, "body": c.body,
            "created_at": iso(c.created_at), "edited_at": iso(c.edited_at),
            "deleted_at": iso(c.deleted_at),
        }


def _audit_log(session: Session) -> Iterator[dict[str, Any]]:
    for e in _stream(session, select(AuditEntry.__table__).order_by(AuditEntry.seq)):
        yield {
            "seq": e.seq, "created_at": iso(e.created_at), "actor": e.actor, "action": e.action,
            "subject": e.subject, "payload": _json_text(e.payload, {}),
            "prev_hash": e.prev_hash, "hash": e.hash,
        }


# ------------------------------------------------------------------------------------ import


class _Bad(Exception):
    """Invalid content at a place in the document (turned into one UserError line)."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where, self.what = where, what


def load_document(source: IO[bytes] | IO[str], name: str) -> dict[str, Any]:
    """Parse and check the envelope (format, version); one clear error otherwise."""
    try:
        data = json.load(source)
    except json.JSONDecodeError as exc:
        raise UserError("export.import_not_json", file=name, line=exc.lineno, column=exc.colno, reason=exc.msg) from None
    except UnicodeDecodeError:
        raise UserError("export.import_not_json", file=name, line=1, column=1, reason="not UTF-8") from None
    except RecursionError:
        raise UserError("export.import_not_json", file=name, line=1, column=1, reason="nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError("export.import_wrong_format", file=name, format=FORMAT)
    version = data.get("version")
    if version != VERSION:
        raise UserError("export.import_wrong_version", file=name, version=str(version)[:20], supported=VERSION)
    return data


def import_forum(db: Database, source: IO[bytes] | IO[str], *, name: str = "-") -> ImportSummary:
    """Load a forum export into an empty database; refuse anything else with one clear line."""
    data = load_document(source, name)
    try:
        rows = _rows(data)
    except _Bad as bad:
        raise UserError("export.import_invalid", file=name, where=bad.where, reason=bad.what) from None
    with db.write() as session:
        if _has_content(session):
            raise UserError("export.import_not_empty", where=db.where)
        try:
            for model, values in rows:
                if values:
                    for start in range(0, len(values), 5000):
                        session.execute(insert(model), values[start : start + 5000])
            if db.is_postgres:
                for model in _SERIAL:
                    table = model.__tablename__
                    session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                        )
                    )
        except IntegrityError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "constraint"
            raise UserError("export.import_rejected", file=name, reason=reason[:300]) from None
    problem = _check(db, data)
    if problem:
        _clear(db)
        raise UserError("export.import_check_failed", file=name, reason=problem)
    head = data["audit_head"]
    return ImportSummary(
        members=len(data["members"]), proposals=len(data["proposals"]), votes=len(data["votes"]),
        comments=len(data["comments"]), audit_entries=len(data["audit_log"]),
        audit_head=(head["seq"], head["hash"]),
    )


def _has_content(session: Session) -> bool:
    for model in (Member, Programme, Proposal, Meeting, AuditEntry):
        if session.execute(select(literal(1)).select_from(model).limit(1)).first() is not None:
            return True
    return False


def _check(db: Database, data: Mapping[str, Any]) -> str | None:
    """After import: the audit chain verifies, ends at the exported head, and every result
    equals the one in the file. Returns the first problem, or None."""
    report = audit.verify(db, lang="en")
    if not report.ok:
        return "verify: " + (report.problems[0] if report.problems else "audit chain broken")
    seq, head_hash = audit.head(db)
    expected = data["audit_head"]
    if (seq, head_hash) != (expected.get("seq"), expected.get("hash")):
        return f"audit head {seq}:{head_hash[:12]} differs from the file's {expected.get('seq')}:{str(expected.get('hash'))[:12]}"
    stored = {r["proposal"]: r for r in data.get("results", []) if isinstance(r, dict) and "proposal" in r}
    with db.read() as session:
        for result in results_in(session):
            mine = result.as_json("en")
            theirs = stored.get(result.proposal_id)
            if theirs is None:
                continue
            for key in ("status", "rules", "counts", "cast", "eligible", "outcome", "carried_amendments"):
                if mine[key] != theirs.get(key):
                    return f"result of {result.proposal_id}: {key} is {mine[key]!r}, the file says {theirs.get(key)!r}"
    return None


def _clear(db: Database) -> None:
    """Undo a refused import: the database was empty before, so empty it again."""
    with db.write() as session:
        for model in reversed(_TABLES):
            session.execute(delete(model))


# Reading rows out of the document ----------------------------------------------------------

_Conv = Callable[[Any, str], Any]


def _get(obj: Mapping[str, Any], key: str, conv: _Conv, where: str) -> Any:
    if key not in obj:
        raise _Bad(where, f"'{key}' is missing")
    return conv(obj[key], f"{where}.{key}")


def _int(v: Any, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Bad(where, "expected a whole number")
    return v


def _opt_int(v: Any, where: str) -> int | None:
    return None if v is None else _int(v, where)


def _str(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise _Bad(where, "expected text")
    return v


def _opt_str(v: Any, where: str) -> str | None:
    return None if v is None else _str(v, where)


def _bool(v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        raise _Bad(where, "expected true or false")
    return v


def _time(v: Any, where: str) -> dt.datetime:
    if not isinstance(v, str):
        raise _Bad(where, "expected an ISO 8601 time")
    try:
        moment = dt.datetime.fromisoformat(v)
    except ValueError:
        raise _Bad(where, f"not an ISO 8601 time: {v[:40]!r}") from None
    if moment.tzinfo is None:
        raise _Bad(where, "time without a time zone")
    return moment.astimezone(dt.timezone.utc)


def _opt_time(v: Any, where: str) -> dt.datetime | None:
    return None if v is None else _time(v, where)


def _handle(v: Any, where: str) -> str:
    if not isinstance(v, str) or not HANDLE_RE.match(v):
        raise _Bad(where, "not a valid handle")
    return v


def _proposal_id(v: Any, where: str) -> str:
    if not isinstance(v, str) or not is_valid_id(v):
        raise _Bad(where, "not a valid proposal id")
    return v


def _receipt(v: Any, where: str) -> str:
    if not isinstance(v, str) or not _RECEIPT.fullmatch(v):
        raise _Bad(where, "not a valid receipt code")
    return v


_RECEIPT = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,31}")


def _numbers_text(v: Any, where: str) -> str:
    if not isinstance(v, list):
        raise _Bad(where, "expected a list of numbers")
    return ",".join(str(_int(n, f"{where}[{i}]")) for i, n in enumerate(v))


def _json_value(v: Any, where: str) -> str:
    return audit.canonical(v)


def _list(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = data.get(key)
    if not isinstance(items, list):
        raise _Bad(key, "missing or not a list")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Bad(f"{key}[{i}]", "expected an object")
    return items


def _table(data: Mapping[str, Any], key: str, fields: Mapping[str, _Conv]) -> list[dict[str, Any]]:
    rows = []
    for i, item in enumerate(_list(data, key)):
        where = f"{key}[{i}]"
        rows.append({column: _get(item, column, conv, where) for column, conv in fields.items()})
    return rows


def _rows(data: Mapping[str, Any]) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Every table's rows, parents first, checked for shape (the database checks the rest)."""
    head = data.get("audit_head")
    if not isinstance(head, dict):
        raise _Bad("audit_head", "missing or not an object")
    head_row = {"id": 1, "seq": _get(head, "seq", _int, "audit_head"), "hash": _get(head, "hash", _str, "audit_head")}

    members = _table(data, "members", {
        "id": _int, "handle": _handle, "name": _str, "role": _str, "can_vote": _bool,
        "active": _bool, "created_at": _time, "deactivated_at": _opt_time,
    })
    programmes = _table(data, "programmes", {"id": _int, "slug": _str, "name": _str, "description": _str})
    proposals = _table(data, "proposals", {
        "id": _proposal_id, "title": _str, "programme_id": _opt_int, "section": _opt_str,
        "section_key": _str, "body": _str, "content_hash": _str, "source": _str,
        "status": _str, "rules_name": _opt_str, "opened_at": _opt_time, "opened_by": _opt_int,
        "closes_at": _opt_time, "closed_at": _opt_time, "closed_by": _opt_int,
        "created_at": _time, "updated_at": _time,
    })
    amendments: list[dict[str, Any]] = []
    for i, (row, item) in enumerate(zip(proposals, _list(data, "proposals"), strict=True)):
        where = f"proposals[{i}]"
        authors = _get(item, "authors", lambda v, w: v, where)
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise _Bad(f"{where}.authors", "expected a list of names")
        row["authors"] = json.dumps(authors, ensure_ascii=False)
        rules = _get(item, "rules", lambda v, w: v, where)
        if rules is not None and not isinstance(rules, dict):
            raise _Bad(f"{where}.rules", "expected an object or null")
        row["rules_spec"] = None if rules is None else audit.canonical(rules)
        amendments += [
            {**a, "proposal_id": row["id"]}
            for a in _table(item, "amendments", {"id": _int, "number": _int, "title": _str, "body": _str})
        ]
    meetings = _table(data, "meetings", {
        "id": _int, "title": _str, "status": _str, "hide_counts": _bool,
        "speaker_limit_seconds": _opt_int, "current_position": _opt_int, "created_by": _opt_int,
        "created_at": _time, "started_at": _opt_time, "ended_at": _opt_time,
    })
    agenda = _table(data, "agenda_items", {
        "id": _int, "meeting_id": _int, "position": _int, "proposal_id": _str, "countdown_seconds": _opt_int,
    })
    speakers = _table(data, "speaker_requests", {
        "id": _int, "meeting_id": _int, "member_id": _int, "kind": _str, "requested_at": _time,
        "granted_at": _opt_time, "finished_at": _opt_time, "withdrawn_at": _opt_time,
        "limit_seconds": _opt_int,
    })
    votes = _table(data, "votes", {
        "id": _int, "proposal_id": _str, "member_id": _int, "choice": _str,
        "amendments": _numbers_text, "reason": _str, "receipt": _receipt, "version": _int, "cast_at": _time,
    })
    vote_amendments = [
        {"vote_id": v["id"], "number": int(n), "proposal_id": v["proposal_id"]}
        for v in votes
        for n in v.pop("amendments").split(",")
        if n
    ]
    history = _table(data, "vote_history", {
        "id": _int, "proposal_id": _str, "member_id": _int, "version": _int, "choice": _str,
        "amendments": _numbers_text, "reason": _str, "receipt": _receipt, "cast_at": _time,
    })
    tallies = []
    for i, item in enumerate(_list(data, "tallies")):
        where = f"tallies[{i}]"
        counts = _get(item, "counts", lambda v, w: v, where)
        if not isinstance(counts, dict):
            raise _Bad(f"{where}.counts", "expected an object")
        support = _get(item, "amendment_support", lambda v, w: v, where)
        if not isinstance(support, dict):
            raise _Bad(f"{where}.amendment_support", "expected an object")
        tallies.append({
            "proposal_id": _get(item, "proposal_id", _str, where),
            **{c: _get(counts, c, _int, f"{where}.counts") for c in ("ja", "betinget_ja", "udskyd", "nej", "bloker")},
            "cast": _get(item, "cast", _int, where),
            "eligible": _get(item, "eligible", _int, where),
            "amendment_support": audit.canonical(support),
            "outcome": _get(item, "outcome", _str, where),
            "carried_amendments": _get(item, "carried_amendments", _numbers_text, where),
            "closed_at": _get(item, "closed_at", _time, where),
        })
    comments = sorted(
        _table(data, "comments", {
            "id": _int, "proposal_id": _str, "amendment_number": _opt_int, "parent_id": _opt_int,
            "author_id": _int, "body": _str, "created_at": _time, "edited_at": _opt_time,
            "deleted_at": _opt_time,
        }),
        key=lambda c: c["id"],
    )
    log = _table(data, "audit_log", {
        "seq": _int, "created_at": _time, "actor": _str, "action": _str, "subject": _str,
        "payload": _json_value, "prev_hash": _str, "hash": _str,
    })
    return [
        (Member, members), (Programme, programmes), (Proposal, proposals), (Amendment, amendments),
        (Meeting, meetings), (AgendaItem, agenda), (SpeakerRequest, speakers), (Vote, votes),
        (VoteAmendment, vote_amendments), (VoteHistory, history), (Tally, tallies),
        (Comment, comments), (AuditEntry, log), (AuditHead, [head_row]),
    ]
