"""The audit chain (DESIGN §5): an append-only log where each entry carries the SHA-256 of
the previous one, and `verify`, which recomputes the chain and replays it against the stored
votes, vote history, tallies and comments.

Hash of entry n = sha256(prev_hash + canonical JSON of {seq, created_at, actor, action,
subject, payload}); the first entry's prev_hash is 64 zeros. Canonical JSON: sorted keys, no
whitespace, UTF-8. docs/voting.md shows how anyone can recompute it from a published log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from deliberate.store.direct import DirectWrite, Prepared
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, AuditHead, utcnow

GENESIS = "0" * 64
NOTIFY_CHANNEL = "deliberate_changes"

# Actions
OPEN = "open"
EXTEND = "extend"
VOTE = "vote"
VOTE_CHANGE = "vote_change"
CLOSE = "close"
COMMENT_ADD = "comment_add"
COMMENT_EDIT = "comment_edit"
COMMENT_DELETE = "comment_delete"
# Members: every change logs the member's whole resulting state (member_state()).
MEMBER_ADD = "member_add"
MEMBER_CHANGE = "member_change"
MEMBER_REMOVE = "member_remove"
MEMBER_KEY_ADD = "member_key_add"
MEMBER_KEY_REMOVE = "member_key_remove"
MEMBER_ACTIONS = frozenset(
    {MEMBER_ADD, MEMBER_CHANGE, MEMBER_REMOVE, MEMBER_KEY_ADD, MEMBER_KEY_REMOVE}
)
# Proposal text written or replaced (import); payload {"content_hash": ...}.
PROPOSAL_IMPORT = "proposal_import"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_json_string = json.encoder.encode_basestring  # a JSON string as canonical() writes it


# One encoder (json.dumps with options builds one per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical(obj: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, non-ASCII kept as UTF-8."""
    return _CANONICAL(obj)


def sha256_text(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def timestamp(moment: dt.datetime) -> str:
    """How a time enters a hash: UTC ISO 8601 with microseconds."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str,
    seq: int,
    created_at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
) -> str:
    body = canonical(
        {
            "seq": seq,
            "created_at": timestamp(created_at),
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": payload,
        }
    )
    return sha256_text(prev_hash + body)


def entry_hash_of_text(
    prev_hash: str,
    seq: int,
    created_at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    payload_text: str,
) -> str:
    """`entry_hash` with the payload already canonical text: the body is put together in the
    canonical key order instead of serialising the payload again (the vote path)."""
    body = (
        f'{{"action":{_json_string(action)},"actor":{_json_string(actor)},'
        f'"created_at":"{timestamp(created_at)}","payload":{payload_text},'
        f'"seq":{int(seq)},"subject":{_json_string(subject)}}}'
    )
    return sha256_text(prev_hash + body)


def receipt_code(entry_hash_hex: str) -> str:
    """A short human code from an entry's hash: 40 bits in Crockford base32, e.g. 7F3K-9QX2."""
    value = int(entry_hash_hex[:10], 16)  # 40 bits: four pairs of 5-bit characters
    pairs = _CROCKFORD_PAIRS
    return (
        f"{pairs[value >> 30]}{pairs[(value >> 20) & 1023]}-"
        f"{pairs[(value >> 10) & 1023]}{pairs[value & 1023]}"
    )


_CROCKFORD_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]  # 10 bits each


_LOCK_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
_MOVE_HEAD = (
    update(AuditHead)
    .where(AuditHead.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
_INSERT_ENTRY = insert(AuditEntry)
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")
_HEAD_KEY = "deliberate.audit_head"


def lock_head(session: Session) -> tuple[int, str]:
    """Lock the head row (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers) and return (seq, hash). Created on first use. Remembered for the
    rest of the transaction: the session holds the lock until it ends."""
    cached: tuple[int, str] | None = session.info.get(_HEAD_KEY)
    if cached is not None:
        return cached
    conn = session.connection()
    row = conn.execute(_LOCK_HEAD).first()
    if row is None:
        dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(
            dialect_insert(AuditHead).values(id=1, seq=0, hash=GENESIS).on_conflict_do_nothing()
        )
        row = conn.execute(_LOCK_HEAD).one()
    session.info[_HEAD_KEY] = (row.seq, row.hash)
    return row.seq, row.hash


def append(
    session: Session, *, actor: str, action: str, subject: str, payload: dict[str, Any]
) -> AuditEntry:
    """Append one entry inside the caller's transaction. On PostgreSQL also NOTIFY
    `deliberate_changes` with the new seq (delivered at commit) so live screens can refresh.
    Returns the entry as written (not attached to the session)."""
    head_seq, head_hash = lock_head(session)
    values = new_entry(head_seq, head_hash, actor, action, subject, plain_text(payload))
    conn = session.connection()
    conn.execute(_INSERT_ENTRY, values)
    conn.execute(_MOVE_HEAD, {"new_seq": values["seq"], "new_hash": values["hash"]})
    session.info[_HEAD_KEY] = (values["seq"], values["hash"])
    notify(conn, str(values["seq"]))
    return AuditEntry(**values)


def new_entry(
    head_seq: int, head_hash: str, actor: str, action: str, subject: str, payload_text: str
) -> dict[str, Any]:
    """The next entry's columns after the head (head_seq, head_hash), stamped now;
    `payload_text`: the payload as canonical JSON of plain JSON types (see `plain_text`)."""
    seq = head_seq + 1
    created_at = utcnow()
    return {
        "seq": seq,
        "created_at": created_at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload_text,
        "prev_hash": head_hash,
        "hash": entry_hash_of_text(
            head_hash, seq, created_at, actor, action, subject, payload_text
        ),
    }


def plain_text(payload: Mapping[str, Any]) -> str:
    """A payload as canonical JSON of the plain JSON types verify will read back (tuples
    become lists, keys strings)."""
    return canonical(json.loads(canonical(payload)))


# The same on the DB-API cursor (store.direct), for the vote path.
_LOCK_HEAD_DIRECT = Prepared(_LOCK_HEAD)
_CREATE_HEAD_DIRECT = {
    name: Prepared(dml.insert(AuditHead).values(id=1, seq=0, hash=GENESIS).on_conflict_do_nothing())
    for name, dml in (("sqlite", sqlite), ("postgresql", postgresql))
}
_INSERT_ENTRY_DIRECT = Prepared(
    insert(AuditEntry),
    params=("seq", "created_at", "actor", "action", "subject", "payload", "prev_hash", "hash"),
)
_MOVE_HEAD_DIRECT = Prepared(_MOVE_HEAD, params=("new_seq", "new_hash"))
# PostgreSQL: the head moves and NOTIFY is sent (at commit) in one round trip.
_MOVE_HEAD_AND_NOTIFY = Prepared(
    _MOVE_HEAD.returning(func.pg_notify(NOTIFY_CHANNEL, bindparam("notice"))),
    params=("new_seq", "new_hash", "notice"),
)


@dataclass(frozen=True)
class Appended:
    """An entry as `append_direct` wrote it."""

    seq: int
    created_at: dt.datetime
    hash: str


def lock_head_direct(tx: DirectWrite) -> tuple[int, str]:
    """`lock_head` in a direct write transaction."""
    cached: tuple[int, str] | None = tx.info.get(_HEAD_KEY)
    if cached is not None:
        return cached
    row = tx.first(_LOCK_HEAD_DIRECT)
    if row is None:
        tx.execute(_CREATE_HEAD_DIRECT[tx.dialect.name])
        row = tx.first(_LOCK_HEAD_DIRECT)
        assert row is not None  # created, or by another writer before us
    tx.info[_HEAD_KEY] = (row.seq, row.hash)
    return row.seq, row.hash


def append_direct(
    tx: DirectWrite, *, actor: str, action: str, subject: str, payload: dict[str, Any]
) -> Appended:
    """`append` in a direct write transaction. The payload must hold plain JSON types only
    (string keys; strings, numbers, lists, dicts): it is serialised once, as it is."""
    head_seq, head_hash = lock_head_direct(tx)
    values = new_entry(head_seq, head_hash, actor, action, subject, canonical(payload))
    tx.execute(_INSERT_ENTRY_DIRECT, values)
    move = {"new_seq": values["seq"], "new_hash": values["hash"]}
    if tx.is_postgres:
        tx.execute(_MOVE_HEAD_AND_NOTIFY, {**move, "notice": str(values["seq"])})
    else:
        tx.execute(_MOVE_HEAD_DIRECT, move)
    tx.info[_HEAD_KEY] = (values["seq"], values["hash"])
    return Appended(values["seq"], values["created_at"], values["hash"])


def append_many(session: Session, items: list[tuple[str, str, str, dict[str, Any]]]) -> int:
    """Append (actor, action, subject, payload) entries in bulk inside the caller's
    transaction (bulk set-up: imports of many rows). Returns the new head seq."""
    if not items:
        return lock_head(session)[0]
    head_seq, head_hash = lock_head(session)
    created_at = utcnow()
    rows = []
    for actor, action, subject, payload in items:
        head_seq += 1
        plain = json.loads(canonical(payload))
        digest = entry_hash(head_hash, head_seq, created_at, actor, action, subject, plain)
        rows.append(
            {
                "seq": head_seq,
                "created_at": created_at,
                "actor": actor,
                "action": action,
                "subject": subject,
                "payload": canonical(plain),
                "prev_hash": head_hash,
                "hash": digest,
            }
        )
        head_hash = digest
    conn = session.connection()
    for start in range(0, len(rows), 5000):
        conn.execute(_INSERT_ENTRY, rows[start : start + 5000])
    conn.execute(_MOVE_HEAD, {"new_seq": head_seq, "new_hash": head_hash})
    session.info[_HEAD_KEY] = (head_seq, head_hash)
    notify(conn, str(head_seq))
    return head_seq


def notify(conn: Connection | Session, payload: str) -> None:
    """Wake live screens on PostgreSQL (delivered at commit); SQLite screens notice every
    commit by themselves."""
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    if bind.dialect.name == "postgresql":
        conn.execute(_NOTIFY, {"channel": NOTIFY_CHANNEL, "payload": payload})


def head(db: Database) -> tuple[int, str]:
    """(seq, hash) of the newest entry; (0, 64 zeros) when the log is empty."""
    with db.read() as session:
        row = session.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
        ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


@dataclass(frozen=True)
class LogEntry:
    seq: int
    created_at: dt.datetime
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


_ENTRY_COLUMNS = (
    AuditEntry.seq,
    AuditEntry.created_at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.subject,
    AuditEntry.payload,
    AuditEntry.prev_hash,
    AuditEntry.hash,
)


def entries(
    db: Database, *, after: int = 0, batch: int = 5000, session: Session | None = None
) -> Iterator[LogEntry]:
    """The log in order, read in batches of plain rows (each batch its own short read, or
    all in the caller's `session`: a check inside a transaction that has not committed, or
    `verify` reading the whole forum in one snapshot). Memory: one batch."""
    last = after
    while True:
        with reading(db, session) as session_:
            rows = (
                session_.connection()
                .execute(
                    select(*_ENTRY_COLUMNS)
                    .where(AuditEntry.seq > last)
                    .order_by(AuditEntry.seq)
                    .limit(batch)
                )
                .all()
            )
        if not rows:
            return
        for seq, created_at, actor, action, subject, raw, prev_hash, hash_ in rows:
            yield LogEntry(
                seq, created_at, actor, action, subject, read_payload(raw), prev_hash, hash_
            )
        last = rows[-1].seq


def read_payload(raw: str) -> dict[str, Any]:
    """An entry's payload as verify sees it (text that is not JSON stays visible)."""
    try:
        payload: dict[str, Any] = json.loads(raw)
    except ValueError:
        return {"__unreadable__": raw}
    return payload


@dataclass
class VerifyReport:
    ok: bool
    entries: int
    head_hash: str
    problems: list[str] = field(default_factory=list)
    # Each witness asked for, and the seq of the entry carrying it (None: not in the chain).
    witnesses: dict[str, int | None] = field(default_factory=dict)
    # The log is empty although the forum has proposals or members: consistent, but nothing
    # vouches for them (`verify` fails on it; a `cp` of a running forum looks like this).
    empty_log: tuple[int, int] | None = None


@contextmanager
def reading(db: Database, session: Session | None) -> Iterator[Session]:
    if session is not None:
        yield session
    else:
        with db.read() as fresh:
            yield fresh


def verify(
    db: Database,
    *,
    lang: str = "da",
    witnesses: tuple[str, ...] = (),
    session: Session | None = None,
) -> VerifyReport:
    """Recompute the chain, then replay it against votes, history, tallies, comments,
    members and proposal texts; each witness (a published head hash) must be in the chain.
    With `session`, everything is read inside that (uncommitted) transaction."""
    from deliberate.services.audit_replay import verify_database

    return verify_database(db, lang=lang, witnesses=witnesses, session=session)


def verify_command(head_hash: str) -> str:
    """The command that proves a database still holds a published head."""
    return f"deliberate verify --witness {head_hash}"
