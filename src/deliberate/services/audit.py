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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def canonical(obj: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, non-ASCII kept as UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


def receipt_code(entry_hash_hex: str) -> str:
    """A short human code from an entry's hash: 40 bits in Crockford base32, e.g. 7F3K-9QX2."""
    value = int(entry_hash_hex[:10], 16)
    chars = "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


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
    seq = head_seq + 1
    created_at = utcnow()
    text_payload = canonical(payload)
    plain = json.loads(text_payload)  # plain JSON types only, as verify will see them
    digest = entry_hash(head_hash, seq, created_at, actor, action, subject, plain)
    values = {
        "seq": seq,
        "created_at": created_at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": canonical(plain),
        "prev_hash": head_hash,
        "hash": digest,
    }
    conn = session.connection()
    conn.execute(_INSERT_ENTRY, values)
    conn.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": digest})
    session.info[_HEAD_KEY] = (seq, digest)
    notify(conn, str(seq))
    return AuditEntry(**values)


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


def entries(db: Database, *, after: int = 0, batch: int = 5000) -> Iterator[LogEntry]:
    """The log in order, read in batches (each batch its own short read)."""
    last = after
    while True:
        with db.read() as session:
            rows = (
                session.execute(
                    select(AuditEntry)
                    .where(AuditEntry.seq > last)
                    .order_by(AuditEntry.seq)
                    .limit(batch)
                )
                .scalars()
                .all()
            )
        if not rows:
            return
        for row in rows:
            try:
                payload = json.loads(row.payload)
            except ValueError:
                payload = {"__unreadable__": row.payload}
            yield LogEntry(
                row.seq,
                row.created_at,
                row.actor,
                row.action,
                row.subject,
                payload,
                row.prev_hash,
                row.hash,
            )
        last = rows[-1].seq


@dataclass
class VerifyReport:
    ok: bool
    entries: int
    head_hash: str
    problems: list[str] = field(default_factory=list)


def verify(db: Database, *, lang: str = "da") -> VerifyReport:
    """Recompute the chain, then replay it against votes, history, tallies and comments."""
    from deliberate.services.audit_replay import verify_database

    return verify_database(db, lang=lang)
