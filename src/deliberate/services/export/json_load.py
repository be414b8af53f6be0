"""`import-json`: load a forum export into an EMPTY, migrated database (docs/exports.md).

The document streams in (rows checked and inserted in batches as they are read, in one write
transaction), so memory stays flat however many votes it holds. Every row keeps its id, times,
receipt and audit entry. Then, inside the same transaction, `verify` must pass, the audit head
must be the file's and every result must equal the file's `results`: a refusal or a kill at
any point leaves the database as it was.
Arrays are expected in the order the export writes them (parents before children).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import IO, Any

from sqlalchemy import insert, literal, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from deliberate.domain.proposal_file import is_valid_id
from deliberate.domain.status import OLD_STATUS_WORDS
from deliberate.domain.text import sanitize
from deliberate.errors import Message, UserError
from deliberate.services import audit
from deliberate.services.export.json_dump import FORMAT, VERSION
from deliberate.services.export.json_stream import END, JsonObjectStream, NotAnObject, StreamError
from deliberate.services.export.results import results_in
from deliberate.services.members import HANDLE_RE
from deliberate.store.crashpoint import crash_point
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    Amendment,
    AmendmentAnswer,
    Attendance,
    AuditEntry,
    AuditHead,
    Comment,
    ForumSetting,
    Meeting,
    Member,
    Programme,
    Proposal,
    Proxy,
    SecretBallot,
    SecretParticipation,
    SpeakerRequest,
    Supporter,
    Tally,
    Vote,
    VoteAmendment,
    VoteHistory,
)

BATCH = 5000
LOAD_CACHE_KIB = 16384  # SQLite's page cache while loading (the default is 2,000 KiB)
# Tables restored, parents first; emptied in reverse when the check after loading fails.
TABLES = (
    Member,
    Programme,
    Proposal,
    Amendment,
    Supporter,
    ForumSetting,
    Meeting,
    AgendaItem,
    SpeakerRequest,
    Attendance,
    Proxy,
    SecretParticipation,
    SecretBallot,
    Vote,
    VoteAmendment,
    AmendmentAnswer,
    VoteHistory,
    Tally,
    Comment,
    AuditEntry,
    AuditHead,
)
# Tables with generated integer ids whose PostgreSQL sequences must move past restored ids.
_SERIAL = (
    Member,
    Programme,
    Amendment,
    Meeting,
    AgendaItem,
    SpeakerRequest,
    Attendance,
    Proxy,
    Vote,
    VoteHistory,
    Comment,
)


@dataclass(frozen=True)
class ImportSummary:
    members: int
    proposals: int
    votes: int
    comments: int
    audit_entries: int
    audit_head: tuple[int, str]


class _Bad(Exception):
    """Invalid content at a place in the document (becomes one UserError line)."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where, self.what = where, what


# ------------------------------------------------------------------------------ values

_Conv = Callable[[Any, str], Any]


_INT_RANGE = range(-(2**63), 2**63)


def _int(v: Any, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Bad(where, "expected a whole number")
    if v not in _INT_RANGE:
        raise _Bad(where, "number out of range")
    return v


def _opt_int(v: Any, where: str) -> int | None:
    return None if v is None else _int(v, where)


def _str(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise _Bad(where, "expected text")
    return v


def _opt_str(v: Any, where: str) -> str | None:
    return None if v is None else _str(v, where)


# Text a member or an organizer wrote passes the same input sanitiser as every other way into
# storage (legitimate exports hold sanitised text already, so this changes nothing for them;
# a hostile file's text is cleaned, and where the log holds its hash, refused by verify).
def _text(v: Any, where: str) -> str:
    return sanitize(_str(v, where))


def _line(v: Any, where: str) -> str:
    return sanitize(_str(v, where)).replace("\n", " ")


def _opt_line(v: Any, where: str) -> str | None:
    return None if v is None else _line(v, where)


def _status(v: Any, where: str) -> str:
    """A proposal status; files from before the phases say `open` for `voting`."""
    word = _str(v, where)
    return OLD_STATUS_WORDS[word].value if word in OLD_STATUS_WORDS else word


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
    return moment.astimezone(dt.UTC)


def _opt_time(v: Any, where: str) -> dt.datetime | None:
    return None if v is None else _time(v, where)


_ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")


def _stored_time(v: Any, where: str) -> str:
    """A time as the store keeps it (naive UTC "YYYY-MM-DD HH:MM:SS.ffffff", the text both
    databases take): the export's form is cut to it once it is known to be a real time."""
    if isinstance(v, str) and _ISO_UTC.fullmatch(v):
        try:
            dt.datetime.fromisoformat(v)
        except ValueError:
            pass  # _time says what is wrong
        else:
            return f"{v[:10]} {v[11:26]}"
    m = _time(v, where)
    return (  # as SQLAlchemy writes it (zero-padded, microseconds always)
        f"{m.year:04d}-{m.month:02d}-{m.day:02d} "
        f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}"
    )


def _handle(v: Any, where: str) -> str:
    if not isinstance(v, str) or not HANDLE_RE.match(v):
        raise _Bad(where, "not a valid handle")
    return v


def _proposal_id(v: Any, where: str) -> str:
    if not isinstance(v, str) or not is_valid_id(v):
        raise _Bad(where, "not a valid proposal id")
    return v


_RECEIPT = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,31}")


def _receipt(v: Any, where: str) -> str:
    if not isinstance(v, str) or not _RECEIPT.fullmatch(v):
        raise _Bad(where, "not a valid receipt code")
    return v


def _numbers_text(v: Any, where: str) -> str:
    """[1, 3] -> "1,3", as the store keeps amendment lists."""
    if not isinstance(v, list):
        raise _Bad(where, "expected a list of numbers")
    return ",".join(str(_int(n, f"{where}[{i}]")) for i, n in enumerate(v))


def _object(v: Any, where: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _Bad(where, "expected an object")
    return v


def _canonical(v: Any, where: str) -> str:
    return audit.canonical(_object(v, where))


def _opt_canonical(v: Any, where: str) -> str | None:
    return None if v is None else _canonical(v, where)


def _authors(v: Any, where: str) -> str:
    if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
        raise _Bad(where, "expected a list of names")
    return json.dumps([_line(a, where) for a in v], ensure_ascii=False)  # as the importer does


class _Optional:
    """A field exports made before it existed lack: `default` then."""

    def __init__(self, conv: _Conv, default: Any) -> None:
        self.conv, self.default = conv, default

    def __call__(self, v: Any, where: str) -> Any:
        return self.conv(v, where)


# Per field list: (key, converter, whether a file may lack it, the value it then means).
_PLANS: dict[int, list[tuple[str, _Conv, bool, Any]]] = {}


def _plan(fields: Mapping[str, _Conv]) -> list[tuple[str, _Conv, bool, Any]]:
    plan = _PLANS.get(id(fields))
    if plan is None:
        added = _ADDED.get(id(fields), {})  # fields a file written before they existed lacks
        plan = [
            (key, conv, True, added[key])
            if key in added
            else (key, conv, True, conv.default)
            if isinstance(conv, _Optional)
            else (key, conv, False, None)
            for key, conv in fields.items()
        ]
        _PLANS[id(fields)] = plan
    return plan


def _row(item: Any, where: str, fields: Mapping[str, _Conv]) -> dict[str, Any]:
    obj = _object(item, where)
    row = {}
    key = ""
    try:
        for key, conv, optional, default in _plan(fields):
            if key in obj:
                row[key] = conv(obj[key], key)
            elif optional:
                row[key] = default
            else:
                raise _Bad(where, f"'{key}' is missing")
    except _Bad as bad:
        if bad.where is where:
            raise
        # converters name the field (and the place in it); the row's place goes in front
        raise _Bad(f"{where}.{bad.where}", bad.what) from None
    return row


# ------------------------------------------------------------------------------ tables

_MEMBER = {
    "id": _int,
    "handle": _handle,
    "name": _line,
    "role": _str,
    "can_vote": _bool,
    "active": _bool,
    "created_at": _time,
    "deactivated_at": _opt_time,
}
_PROGRAMME = {"id": _int, "slug": _line, "name": _line, "description": _text}
_PROPOSAL: dict[str, _Conv] = {
    "id": _proposal_id,
    "title": _line,
    "programme_id": _opt_int,
    "section": _opt_line,
    "section_key": _line,
    "authors": _authors,
    "body": _text,
    "content_hash": _str,
    "source": _line,
    "status": _status,
    "rules_name": _opt_str,
    "rules": _opt_canonical,
    "opened_at": _opt_time,
    "opened_by": _opt_int,
    "closes_at": _opt_time,
    "closed_at": _opt_time,
    "closed_by": _opt_int,
    "secret": _Optional(_bool, False),
    "created_at": _time,
    "updated_at": _time,
    "submitted_by": _opt_int,
    "submitted_at": _opt_time,
    "debate_from": _opt_time,
    "debate_started_at": _opt_time,
    "amendments_close_at": _opt_time,
    "filing_closed_at": _opt_time,
    "opens_at": _opt_time,
    "withdrawn_at": _opt_time,
}
_AMENDMENT = {"id": _int, "number": _int, "title": _line, "body": _text}
# Written by members (migration 0003); files from before carry none of these keys.
_AMENDMENT_OPTIONAL: dict[str, tuple[_Conv, Any]] = {
    "kind": (_str, "free"),
    "paragraph": (_opt_int, None),
    "operation": (_opt_str, None),
    "new_text": (_text, ""),
    "justification": (_text, ""),
    "author_id": (_opt_int, None),
    "created_at": (_opt_time, None),
    "state": (_str, "proposed"),
    "alternative_group": (_opt_int, None),
}
# Fields added after version 1 was first written, with the value a file without them means.
_ADDED: dict[int, dict[str, Any]] = {
    id(_PROPOSAL): dict.fromkeys(
        (
            "submitted_by",
            "submitted_at",
            "debate_from",
            "debate_started_at",
            "amendments_close_at",
            "filing_closed_at",
            "opens_at",
            "withdrawn_at",
        )
    ),
}
_SUPPORTER = {"proposal_id": _str, "member_id": _int, "created_at": _time}
_FORUM_SETTING = {"key": _str, "value": _str}
_MEETING: dict[str, _Conv] = {
    "id": _int,
    "title": _line,
    "status": _str,
    "hide_counts": _bool,
    "speaker_limit_seconds": _opt_int,
    "current_position": _opt_int,
    "created_by": _opt_int,
    "created_at": _time,
    "started_at": _opt_time,
    "ended_at": _opt_time,
    "checkin_open": _Optional(_bool, False),
}
_AGENDA_ITEM = {
    "id": _int,
    "meeting_id": _int,
    "position": _int,
    "proposal_id": _str,
    "countdown_seconds": _opt_int,
}
_SPEAKER_REQUEST = {
    "id": _int,
    "meeting_id": _int,
    "member_id": _int,
    "kind": _str,
    "requested_at": _time,
    "granted_at": _opt_time,
    "finished_at": _opt_time,
    "withdrawn_at": _opt_time,
    "limit_seconds": _opt_int,
}
_VOTE: dict[str, _Conv] = {
    "id": _int,
    "proposal_id": _str,
    "member_id": _int,
    "choice": _str,
    "amendments": _numbers_text,
    "reason": _text,
    "receipt": _receipt,
    "version": _int,
    "cast_at": _stored_time,
    "cast_by": _Optional(_opt_int, None),
}
_HISTORY: dict[str, _Conv] = {
    "id": _int,
    "proposal_id": _str,
    "member_id": _int,
    "version": _int,
    "choice": _str,
    "amendments": _numbers_text,
    "reason": _text,
    "receipt": _receipt,
    "cast_at": _stored_time,
    "cast_by": _Optional(_opt_int, None),
}
_TALLY: dict[str, _Conv] = {
    "proposal_id": _str,
    "counts": _object,
    "cast": _int,
    "eligible": _int,
    "amendment_support": _canonical,
    "outcome": _str,
    "carried_amendments": _numbers_text,
    "closed_at": _time,
    "present": _Optional(_opt_int, None),
    "method": _Optional(_str, "electronic"),
    "ballots_sha256": _Optional(_opt_str, None),
}
_ATTENDANCE: dict[str, _Conv] = {
    "id": _int,
    "meeting_id": _int,
    "member_id": _int,
    "checked_in_at": _time,
    "checked_in_by": _opt_int,
    "checked_out_at": _opt_time,
}
_PROXY: dict[str, _Conv] = {
    "id": _int,
    "meeting_id": _int,
    "principal_id": _int,
    "holder_id": _int,
    "created_at": _time,
    "created_by": _opt_int,
}
_PARTICIPATION: dict[str, _Conv] = {"proposal_id": _str, "member_id": _int, "cast_by": _opt_int}
_SECRET_BALLOT: dict[str, _Conv] = {
    "proposal_id": _str,
    "tracker": _str,
    "choice": _str,
    "amendments": _numbers_text,
    "reason": _str,
}
_COMMENT = {
    "id": _int,
    "proposal_id": _str,
    "amendment_number": _opt_int,
    "parent_id": _opt_int,
    "author_id": _int,
    "body": _text,
    "created_at": _time,
    "edited_at": _opt_time,
    "deleted_at": _opt_time,
}
_AUDIT = {
    "seq": _int,
    "created_at": _stored_time,
    "actor": _str,
    "action": _str,
    "subject": _str,
    "payload": _canonical,
    "prev_hash": _str,
    "hash": _str,
}
_CHOICES = ("ja", "betinget_ja", "udskyd", "nej", "bloker")


def _proposal_rows(
    row: dict[str, Any], item: Mapping[str, Any], where: str
) -> list[tuple[Any, dict[str, Any]]]:
    amendments = item.get("amendments")
    if not isinstance(amendments, list):
        raise _Bad(f"{where}.amendments", "missing or not a list")
    row["rules_spec"] = row.pop("rules")
    out: list[tuple[Any, dict[str, Any]]] = [(Proposal, row)]
    for i, a in enumerate(amendments):
        at = f"{where}.amendments[{i}]"
        amendment = {**_row(a, at, _AMENDMENT), "proposal_id": row["id"]}
        for key, (conv, default) in _AMENDMENT_OPTIONAL.items():
            amendment[key] = conv(a[key], f"{at}.{key}") if key in a else default
        out.append((Amendment, amendment))
    return out


def _vote_rows(
    row: dict[str, Any], item: Mapping[str, Any], where: str
) -> list[tuple[Any, dict[str, Any]]]:
    numbers = row.pop("amendments")
    out: list[tuple[Any, dict[str, Any]]] = [(Vote, row)]
    out += [
        (VoteAmendment, {"vote_id": row["id"], "number": int(n), "proposal_id": row["proposal_id"]})
        for n in numbers.split(",")
        if n
    ]
    answers = _answers(item.get("amendment_votes", {}), f"{where}.amendment_votes")
    out += [
        (
            AmendmentAnswer,
            {"vote_id": row["id"], "number": n, "proposal_id": row["proposal_id"], "answer": a},
        )
        for n, a in answers
    ]
    return out


def _answers(v: Any, where: str) -> list[tuple[int, str]]:
    """{"2": "ja"} -> [(2, "ja")]: separate amendment votes (absent in older files)."""
    pairs = [
        (_int(int(k) if str(k).isdigit() else k, where), a) for k, a in _object(v, where).items()
    ]
    for _, a in pairs:
        if a not in ("ja", "nej", "undlad"):
            raise _Bad(where, f"not an answer: {str(a)[:20]!r}")
    return sorted(pairs)


def _history_rows(
    row: dict[str, Any], item: Mapping[str, Any], where: str
) -> list[tuple[Any, dict[str, Any]]]:
    answers = _answers(item.get("amendment_votes", {}), f"{where}.amendment_votes")
    row["amendment_answers"] = ",".join(f"{n}={a}" for n, a in answers)
    return [(VoteHistory, row)]


def _secret_ballot_rows(
    row: dict[str, Any], item: Mapping[str, Any], where: str
) -> list[tuple[Any, dict[str, Any]]]:
    answers = _answers(item.get("amendment_votes", {}), f"{where}.amendment_votes")
    row["amendment_answers"] = ",".join(f"{n}={a}" for n, a in answers)
    return [(SecretBallot, row)]


def _tally_rows(
    row: dict[str, Any], item: Mapping[str, Any], where: str
) -> list[tuple[Any, dict[str, Any]]]:
    counts = row.pop("counts")
    row.update({c: _int(counts.get(c), f"{where}.counts.{c}") for c in _CHOICES})
    # Keys newer files carry (absent: a tally closed before they existed).
    row["amendment_votes"] = _canonical(item.get("amendment_votes", {}), f"{where}.amendment_votes")
    row["amendment_ballot"] = _canonical(
        item.get("amendment_ballot", {}), f"{where}.amendment_ballot"
    )
    adopted = item.get("adopted_text")  # member text: sanitised like every other way in
    row["adopted_text"] = None if adopted is None else _text(adopted, f"{where}.adopted_text")
    row["adopted_sha256"] = _opt_str(
        item.get("adopted_text_sha256"), f"{where}.adopted_text_sha256"
    )
    return [(Tally, row)]


_Expand = Callable[[dict[str, Any], Mapping[str, Any], str], list[tuple[Any, dict[str, Any]]]]


def _plain(model: Any) -> _Expand:
    return lambda row, item, where: [(model, row)]


# Every array of the document: its fields and the rows (of one or more tables) it becomes.
_ARRAYS: dict[str, tuple[Mapping[str, _Conv], _Expand]] = {
    "members": (_MEMBER, _plain(Member)),
    "programmes": (_PROGRAMME, _plain(Programme)),
    "proposals": (_PROPOSAL, _proposal_rows),
    "supporters": (_SUPPORTER, _plain(Supporter)),
    "forum_settings": (_FORUM_SETTING, _plain(ForumSetting)),
    "tallies": (_TALLY, _tally_rows),
    "meetings": (_MEETING, _plain(Meeting)),
    "agenda_items": (_AGENDA_ITEM, _plain(AgendaItem)),
    "speaker_requests": (_SPEAKER_REQUEST, _plain(SpeakerRequest)),
    "attendance": (_ATTENDANCE, _plain(Attendance)),
    "proxies": (_PROXY, _plain(Proxy)),
    "secret_participations": (_PARTICIPATION, _plain(SecretParticipation)),
    "secret_ballots": (_SECRET_BALLOT, _secret_ballot_rows),
    "votes": (_VOTE, _vote_rows),
    "vote_history": (_HISTORY, _history_rows),
    "comments": (_COMMENT, _plain(Comment)),
    "audit_log": (_AUDIT, _plain(AuditEntry)),
}


# Arrays added after version 1 was first written: a file without them has none.
_ADDED_ARRAYS = frozenset(
    {
        "supporters",
        "forum_settings",
        "attendance",
        "proxies",
        "secret_participations",
        "secret_ballots",
    }
)


# ------------------------------------------------------------------------------ loading


@dataclass
class _Load:
    """What the stream has given so far."""

    header: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    results: list[Any] = field(default_factory=list)
    pending: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)
    n_pending: int = 0

    def add(self, session: Session, rows: list[tuple[Any, dict[str, Any]]]) -> None:
        for model, row in rows:
            self.pending.setdefault(model, []).append(row)
        self.n_pending += len(rows)
        if self.n_pending >= BATCH:
            self.flush(session)

    def flush(self, session: Session) -> None:
        for model in TABLES:  # parents first
            values = self.pending.pop(model, None)
            if values:
                if model in _DRIVER_ROWS:
                    _insert_plain(session, model, values)
                else:
                    session.execute(insert(model), values)
        self.n_pending = 0


# The tables that grow with the forum: their rows hold every column, times as stored text
# (`_stored_time`), and go to the driver's executemany as they are (no bind processing).
_DRIVER_ROWS = frozenset({Vote, VoteAmendment, AmendmentAnswer, VoteHistory, AuditEntry})


def _insert_plain(session: Session, model: Any, values: list[dict[str, Any]]) -> None:
    conn = session.connection()
    statement = insert(model.__table__).compile(dialect=conn.dialect, column_keys=list(values[0]))
    params: Any = values
    if statement.positiontup is not None:  # SQLite: ? placeholders
        params = list(map(itemgetter(*statement.positiontup), values))
    driver = conn.connection.driver_connection
    assert driver is not None  # the session's connection is open
    cursor = driver.cursor()
    try:
        cursor.executemany(statement.string, params)
    except conn.dialect.loaded_dbapi.IntegrityError as exc:
        raise IntegrityError(statement.string, None, exc) from None
    finally:
        cursor.close()


def _header_checked(load: _Load, name: str) -> None:
    if load.header.get("format") != FORMAT:
        raise UserError("export.import_wrong_format", file=name, format=FORMAT)
    version = load.header.get("version")
    if version != VERSION:
        raise UserError(
            "export.import_wrong_version", file=name, version=str(version)[:20], supported=VERSION
        )


def import_forum(
    db: Database, source: IO[bytes] | IO[str], *, name: str = "-", lang: str = "da"
) -> ImportSummary:
    """Load a forum export into an empty database; refuse anything else with one clear line."""
    load = _Load()
    try:
        with db.write() as session:
            if _has_content(session):
                raise UserError("export.import_not_empty", where=db.where)
            with _large_cache(session):
                _stream_into(session, load, source, name)
            head = _object(load.header.get("audit_head"), "audit_head")
            seq, head_hash = (
                _int(head.get("seq"), "audit_head.seq"),
                _str(head.get("hash"), "audit_head.hash"),
            )
            session.execute(insert(AuditHead), [{"id": 1, "seq": seq, "hash": head_hash}])
            if db.is_postgres:
                _advance_sequences(session)
            session.flush()
            crash_point("import-json.loaded")
            # Checked inside the same transaction: a refusal or a kill leaves nothing.
            problem = _check(db, session, load, (seq, head_hash), lang)
            if problem:
                raise UserError("export.import_check_failed", file=name, reason=problem)
    except _Bad as bad:
        raise UserError(
            "export.import_invalid", file=name, where=bad.where, reason=bad.what
        ) from None
    except NotAnObject:
        raise UserError("export.import_wrong_format", file=name, format=FORMAT) from None
    except StreamError as exc:
        raise UserError(
            "export.import_not_json",
            file=name,
            line=exc.line,
            column=exc.column,
            reason=exc.message,
        ) from None
    except UnicodeDecodeError:
        raise UserError(
            "export.import_not_json", file=name, line=1, column=1, reason=Message("os.not_utf8")
        ) from None
    except RecursionError:
        raise UserError(
            "export.import_not_json", file=name, line=1, column=1, reason="nested too deeply"
        ) from None
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "constraint"
        raise UserError("export.import_rejected", file=name, reason=reason[:300]) from None
    c = load.counts
    return ImportSummary(
        members=c["members"],
        proposals=c["proposals"],
        votes=c["votes"],
        comments=c["comments"],
        audit_entries=c["audit_log"],
        audit_head=(seq, head_hash),
    )


def _stream_into(session: Session, load: _Load, source: IO[bytes] | IO[str], name: str) -> None:
    checked = False
    for key, index, value in JsonObjectStream(source).members():
        if key in ("format", "version") or (index is None and key not in _ARRAYS):
            load.header[key] = value
            continue
        if not checked:  # the envelope comes first: refuse a stranger before writing a row
            _header_checked(load, name)
            checked = True
        if key == "results":
            if index is not END:
                load.results.append(value)
            continue
        if key not in _ARRAYS:
            continue  # a key this version does not know: ignored
        if index is None:
            raise _Bad(key, "expected a list")
        if index is END:
            load.counts[key] = value
            continue
        fields, expand = _ARRAYS[key]
        where = f"{key}[{index}]"
        load.add(session, expand(_row(value, where, fields), value, where))
    if not checked:
        _header_checked(load, name)
    load.flush(session)
    missing = [key for key in _ARRAYS if key not in load.counts and key not in _ADDED_ARRAYS]
    if missing:
        raise _Bad(missing[0], "missing")
    if "audit_head" not in load.header:
        raise _Bad("audit_head", "missing")


@contextmanager
def _large_cache(session: Session) -> Iterator[None]:
    """SQLite: a larger page cache while loading (inserts into the unique indexes of hashes
    and receipts land all over them), the usual one after."""
    if session.connection().dialect.name != "sqlite":
        yield
        return
    before = session.execute(text("PRAGMA cache_size")).scalar()
    session.execute(text(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


def _advance_sequences(session: Session) -> None:
    for model in _SERIAL:
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def _has_content(session: Session) -> bool:
    for model in (Member, Programme, Proposal, Meeting, AuditEntry):
        if session.execute(select(literal(1)).select_from(model).limit(1)).first() is not None:
            return True
    return False


def _check(
    db: Database, session: Session, load: _Load, head: tuple[int, str], lang: str
) -> str | None:
    """The audit chain verifies and ends at the file's head, and every result equals the
    file's; read inside the loading transaction. Returns the first problem, or None."""
    report = audit.verify(db, lang=lang, session=session)
    if not report.ok:
        return "verify: " + (report.problems[0] if report.problems else "audit chain broken")
    row = session.execute(select(AuditHead.seq, AuditHead.hash)).one()
    if (row.seq, row.hash) != head:
        return f"audit head {row.seq}:{row.hash[:12]} ≠ audit_head {head[0]}:{head[1][:12]}"
    stored = {r.get("proposal"): r for r in load.results if isinstance(r, dict)}
    for result in results_in(session):
        mine, theirs = result.as_json(lang), stored.get(result.proposal_id)
        if theirs is None:
            continue
        for key in (
            "status",
            "rules",
            "counts",
            "cast",
            "eligible",
            "outcome",
            "carried_amendments",
        ):
            if key == "status" and theirs.get(key) in OLD_STATUS_WORDS:
                theirs = {**theirs, key: OLD_STATUS_WORDS[theirs[key]].value}
            if mine[key] != theirs.get(key):
                return f"results[{result.proposal_id}].{key}: {theirs.get(key)!r} ≠ {mine[key]!r}"
    return None
