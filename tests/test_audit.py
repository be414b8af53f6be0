"""The audit chain: hashes, receipts, and `verify` catching each kind of tampering."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from deliberate.services import audit, comments, voting
from deliberate.store.engine import Database
from deliberate.store.models import (
    AuditEntry,
    AuditHead,
    Comment,
    Member,
    Proposal,
    Tally,
    Vote,
    VoteAmendment,
    VoteHistory,
)
from voting_harness import FACILITATOR, make_forum


def build_forum(any_db: Database) -> Database:
    """Two proposals: 'p' closed (adopted with amendment 1), 'r' open; votes, a change, comments."""
    make_forum(any_db, voters=6, proposals={"p": 2, "r": 1})
    voting.open_voting(any_db, FACILITATOR, "p")
    voting.open_voting(any_db, FACILITATOR, "r")
    voting.cast_vote(any_db, "v000", "p", "betinget-ja", amendments=[1])
    voting.cast_vote(any_db, "v001", "p", "betinget-ja", amendments=[1, 2])
    voting.cast_vote(any_db, "v002", "p", "nej")
    voting.cast_vote(any_db, "v002", "p", "ja")  # a change
    voting.cast_vote(any_db, "v003", "r", "bloker", reason="Nej, aldrig")
    first = comments.add_comment(any_db, "v000", "p", "Godt forslag")
    comments.add_comment(any_db, "v001", "p", "Enig", reply_to=first.id)
    voting.close_voting(any_db, FACILITATOR, "p")
    assert voting.tally(any_db, "p").outcome.value == "adopted_with_amendments"
    return any_db


@pytest.fixture
def forum(any_db: Database) -> Database:
    return build_forum(any_db)


def seq_of(db: Database, action: str, index: int = 0) -> int:
    return [e.seq for e in audit.entries(db) if e.action == action][index]


def member_id(session: Session, handle: str) -> int:
    return session.scalar(select(Member.id).where(Member.handle == handle))  # type: ignore[return-value]


def test_an_untouched_forum_verifies(forum: Database) -> None:
    report = audit.verify(forum)
    assert report.ok and report.problems == []
    assert report.entries == 10
    assert (report.entries, report.head_hash) == audit.head(forum)


def test_chain_links_and_hashes_are_recomputable_from_the_published_log(forum: Database) -> None:
    """What docs/voting.md tells a third party to do, with nothing but hashlib and json."""
    import hashlib

    prev = "0" * 64
    with forum.read() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    for row in rows:
        body = json.dumps(
            {
                "seq": row.seq,
                "created_at": row.created_at.isoformat(timespec="microseconds"),
                "actor": row.actor,
                "action": row.action,
                "subject": row.subject,
                "payload": json.loads(row.payload),
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        assert row.prev_hash == prev
        assert hashlib.sha256((prev + body).encode()).hexdigest() == row.hash
        prev = row.hash


def test_empty_log_verifies_with_the_genesis_hash(any_db: Database) -> None:
    assert audit.head(any_db) == (0, "0" * 64)
    report = audit.verify(any_db)
    assert report.ok and report.entries == 0 and report.head_hash == "0" * 64


def test_receipt_codes_are_short_and_unambiguous() -> None:
    code = audit.receipt_code("f" * 64)
    assert code == "ZZZZ-ZZZZ"
    assert audit.receipt_code("0" * 64) == "0000-0000"
    for digest in ("0123456789abcdef" * 4, "deadbeef" * 8):
        code = audit.receipt_code(digest)
        assert len(code) == 9 and not set(code) & set("ILOU")


def _edit_vote(s: Session) -> None:
    s.execute(update(Vote).where(Vote.member_id == member_id(s, "v002")).values(choice="nej"))


def _edit_vote_amendments(s: Session) -> None:
    vote_id = s.scalar(select(Vote.id).where(Vote.member_id == member_id(s, "v000")))
    s.execute(insert(VoteAmendment).values(vote_id=vote_id, number=2, proposal_id="p"))


def _edit_reason(s: Session) -> None:
    s.execute(update(Vote).where(Vote.member_id == member_id(s, "v003")).values(reason="Ja tak"))


def _insert_vote(s: Session) -> None:
    s.execute(
        insert(Vote).values(
            proposal_id="r",
            member_id=member_id(s, "v005"),
            choice="ja",
            receipt="XXXX-XXXX",
            version=1,
            reason="",
            cast_at=s.scalar(select(Tally.closed_at)),
        )
    )


def _delete_vote(s: Session) -> None:
    s.execute(delete(Vote).where(Vote.member_id == member_id(s, "v003")))


def _edit_history(s: Session) -> None:
    s.execute(
        update(VoteHistory)
        .where(VoteHistory.member_id == member_id(s, "v002"), VoteHistory.version == 1)
        .values(choice="ja")
    )


def _delete_history(s: Session) -> None:
    s.execute(
        delete(VoteHistory).where(
            VoteHistory.member_id == member_id(s, "v002"), VoteHistory.version == 1
        )
    )


def _edit_tally(s: Session) -> None:
    s.execute(update(Tally).values(ja=5, cast=7))


def _edit_tally_outcome(s: Session) -> None:
    s.execute(update(Tally).values(outcome="rejected"))


def _delete_tally(s: Session) -> None:
    s.execute(delete(Tally))


def _reopen(s: Session) -> None:
    s.execute(update(Proposal).where(Proposal.id == "p").values(status="voting"))


def _edit_rules(s: Session) -> None:
    spec = json.loads(s.scalar(select(Proposal.rules_spec).where(Proposal.id == "p")))
    spec["block_threshold"] = "1/2"
    s.execute(update(Proposal).where(Proposal.id == "p").values(rules_spec=json.dumps(spec)))


def _edit_text(s: Session) -> None:
    s.execute(
        update(Proposal).where(Proposal.id == "r").values(body="Ny tekst", content_hash="f" * 64)
    )


def _edit_comment(s: Session) -> None:
    s.execute(update(Comment).where(Comment.body == "Enig").values(body="Uenig"))


def _undelete_comment(s: Session) -> None:
    s.execute(update(Comment).values(deleted_at=s.scalar(select(Tally.closed_at))))


def _insert_comment(s: Session) -> None:
    s.execute(
        insert(Comment).values(
            proposal_id="p",
            author_id=member_id(s, "v004"),
            body="Falsk",
            created_at=s.scalar(select(Tally.closed_at)),
        )
    )


def _edit_entry(s: Session) -> None:
    row = s.get(AuditEntry, 5)
    payload = json.loads(row.payload)  # type: ignore[union-attr]
    payload["choice"] = "ja"
    s.execute(
        update(AuditEntry).where(AuditEntry.seq == 5).values(payload=audit.canonical(payload))
    )


def _edit_entry_actor(s: Session) -> None:
    s.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="v005"))


def _delete_middle_entry(s: Session) -> None:
    s.execute(delete(AuditEntry).where(AuditEntry.seq == 6))


def _delete_last_entry_and_fix_head(s: Session) -> None:
    last = s.get(AuditEntry, 10)
    s.execute(delete(AuditEntry).where(AuditEntry.seq == 10))
    s.execute(update(AuditHead).values(seq=9, hash=last.prev_hash))  # type: ignore[union-attr]


def _delete_last_entry(s: Session) -> None:
    s.execute(delete(AuditEntry).where(AuditEntry.seq == 10))


def _swap_entries(s: Session) -> None:
    a, b = s.get(AuditEntry, 3), s.get(AuditEntry, 4)
    assert a is not None and b is not None
    fields = ("created_at", "actor", "action", "subject", "payload", "prev_hash", "hash")
    va, vb = ({f: getattr(x, f) for f in fields} for x in (a, b))
    s.execute(delete(AuditEntry).where(AuditEntry.seq.in_([3, 4])))
    s.flush()
    s.execute(insert(AuditEntry).values(seq=3, **vb))
    s.execute(insert(AuditEntry).values(seq=4, **va))


def _rewrite_chain_from_a_vote(s: Session) -> None:
    """A forger who edits a vote entry and recomputes every later hash: the chain is
    consistent again, but the replay still sees the stored vote and its receipt differ."""
    rows = s.scalars(select(AuditEntry).where(AuditEntry.seq >= 5).order_by(AuditEntry.seq)).all()
    prev = rows[0].prev_hash
    for row in rows:
        payload = json.loads(row.payload)
        if row.seq == 5:
            payload["choice"] = "ja"
        digest = audit.entry_hash(
            prev, row.seq, row.created_at, row.actor, row.action, row.subject, payload
        )
        s.execute(delete(AuditEntry).where(AuditEntry.seq == row.seq))
        s.flush()
        s.execute(
            insert(AuditEntry).values(
                seq=row.seq,
                created_at=row.created_at,
                actor=row.actor,
                action=row.action,
                subject=row.subject,
                payload=audit.canonical(payload),
                prev_hash=prev + "",
                hash=digest,
            )
        )
        prev = digest
    s.execute(update(AuditHead).values(hash=prev))


TAMPERING: list[tuple[str, Callable[[Session], None], tuple[str, ...]]] = [
    ("edited vote row", _edit_vote, ("v002", "'p'", "choice")),
    ("amendment added to a vote", _edit_vote_amendments, ("v000", "amendments")),
    ("edited reason", _edit_reason, ("v003", "reason")),
    ("vote without a log entry", _insert_vote, ("v005", "no log entry")),
    ("deleted vote row", _delete_vote, ("v003", "missing")),
    ("edited vote history", _edit_history, ("v002", "version 1", "choice")),
    ("deleted vote history", _delete_history, ("v002", "version 1", "missing")),
    ("altered tally counts", _edit_tally, ("'p'", "counts", "cast")),
    ("altered tally outcome", _edit_tally_outcome, ("'p'", "outcome")),
    ("deleted tally", _delete_tally, ("'p'", "tally is missing")),
    ("reopened proposal", _reopen, ("'p'", "status voting", "closed")),
    ("edited rule set", _edit_rules, ("'p'", "rule set")),
    ("text changed after opening", _edit_text, ("'r'", "text was changed")),
    ("edited comment", _edit_comment, ("Comment", "body")),
    ("deleted comment flag", _undelete_comment, ("Comment", "deleted")),
    ("comment without a log entry", _insert_comment, ("Comment", "no log entry")),
    ("edited log entry", _edit_entry, ("Log entry 5", "edited")),
    ("edited log actor", _edit_entry_actor, ("Log entry 3", "edited")),
    (
        "deleted middle log entry",
        _delete_middle_entry,
        ("Log entry 7", "expected sequence number 6"),
    ),
    ("deleted last log entry", _delete_last_entry, ("chain head",)),
    ("deleted last log entry, head fixed", _delete_last_entry_and_fix_head, ("'p'", "close")),
    ("reordered log entries", _swap_entries, ("Log entry 3", "prev_hash")),
    ("log rewritten with recomputed hashes", _rewrite_chain_from_a_vote, ("v002", "receipt")),
]


def check_tampering(
    db: Database, name: str, tamper: Callable[[Session], None], needles: tuple[str, ...]
) -> None:
    with db.write() as session:
        if db.is_postgres:
            session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
        tamper(session)
    report = audit.verify(db, lang="en")
    assert not report.ok, name
    assert report.problems
    text_ = "\n".join(report.problems)
    for needle in needles:
        assert needle.lower() in text_.lower(), f"{name}: {needle!r} not in:\n{text_}"
    for line in report.problems:
        assert "\n" not in line and "{" not in line
    danish = audit.verify(db, lang="da")
    assert len(danish.problems) == len(report.problems) and danish.problems != report.problems


@pytest.mark.parametrize(("name", "tamper", "needles"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_verify_catches_tampering(
    sqlite_db: Database, name: str, tamper: Callable[[Session], None], needles: tuple[str, ...]
) -> None:
    check_tampering(build_forum(sqlite_db), name, tamper, needles)


@pytest.mark.postgres
def test_verify_catches_tampering_on_postgres(pg_db: Database, pg_databases) -> None:  # type: ignore[no-untyped-def]
    """Each kind of tampering on its own copy of one forum (CREATE DATABASE ... TEMPLATE)."""
    build_forum(pg_db)
    pg_db.dispose()  # a template database must have no connections
    template = pg_db.engine.url.database
    for i, (name, tamper, needles) in enumerate(TAMPERING):
        copy = f"{template}_t{i}"
        with pg_databases.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"'))
        url = pg_databases.base.set(database=copy).render_as_string(hide_password=False)
        db = Database(url)
        try:
            check_tampering(db, name, tamper, needles)
        finally:
            db.dispose()
            pg_databases.drop(url)


def test_verify_streams_a_long_chain_and_catches_late_tampering(
    any_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`verify` reads the log and the ballots in batches (here of 7 rows, so a chain of a few
    hundred entries crosses many batch boundaries) and merges one member's ballots at a time:
    a forum verifies, and tampering near the end of the chain is still caught and located."""
    from deliberate.services import audit_replay

    monkeypatch.setattr(audit_replay, "BATCH", 7)
    voters = make_forum(any_db, voters=40, proposals={"p": 2, "r": 1, "s": 0})
    for pid in ("p", "r", "s"):
        voting.open_voting(any_db, FACILITATOR, pid)
    for i, handle in enumerate(voters):
        voting.cast_vote(any_db, handle, "p", "betinget-ja", amendments=[1 + i % 2])
        voting.cast_vote(any_db, handle, "r", "ja" if i % 3 else "nej")
        voting.cast_vote(any_db, handle, "s", "udskyd")
    for handle in voters[::2]:
        voting.cast_vote(any_db, handle, "p", "nej")  # changes, spread over the members
    voting.close_voting(any_db, FACILITATOR, "p")
    voting.cast_vote(any_db, voters[-1], "r", "bloker", reason="Sidst i kæden")
    report = audit.verify(any_db, lang="en")
    assert report.ok, report.problems
    assert report.entries == 3 + 40 * 3 + 20 + 1 + 1
    last = report.entries

    # The current vote of the member whose change is the chain's last entry.
    with any_db.write() as s:
        s.execute(
            update(Vote)
            .where(Vote.member_id == member_id(s, voters[-1]), Vote.proposal_id == "r")
            .values(choice="ja")
        )
    report = audit.verify(any_db, lang="en")
    assert report.problems == [
        f"{voters[-1]}'s vote on 'r' in the votes table differs from log entry {last} (choice)."
    ]

    # The log entry itself, the last one of a long chain.
    with any_db.write() as s:
        row = s.get(AuditEntry, last)
        assert row is not None
        payload = json.loads(row.payload)
        payload["choice"] = "ja"
        s.execute(
            update(AuditEntry)
            .where(AuditEntry.seq == last)
            .values(payload=audit.canonical(payload))
        )
    problems = audit.verify(any_db, lang="en").problems
    assert f"Log entry {last} (vote_change r): its contents do not match its hash" in problems[0]

    # An early ballot in the history of the closed proposal, read late in the merge.
    with any_db.write() as s:
        s.execute(
            update(VoteHistory)
            .where(
                VoteHistory.member_id == member_id(s, voters[-2]),
                VoteHistory.proposal_id == "p",
            )
            .values(reason="x")
        )
    text_ = "\n".join(audit.verify(any_db, lang="en").problems)
    assert f"Vote history: {voters[-2]}'s version 1 on 'p' differs" in text_


@settings(max_examples=200, deadline=None)
@given(
    seq=st.integers(min_value=1, max_value=2**40),
    micros=st.integers(min_value=0, max_value=10**15),
    actor=st.text(),
    action=st.text(),
    subject=st.text(),
    payload=st.dictionaries(
        st.text(),
        st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.lists(st.integers())),
    ),
)
def test_the_vote_paths_entry_hash_is_the_canonical_one(
    seq: int, micros: int, actor: str, action: str, subject: str, payload: dict[str, object]
) -> None:
    """The vote path puts an entry's body together from its parts (the payload serialised
    once); it must hash exactly what `entry_hash` (and so verify, and anyone) computes."""
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)
    text_ = audit.canonical(payload)
    assert audit.entry_hash_of_text(
        "a" * 64, seq, moment, actor, action, subject, text_
    ) == audit.entry_hash("a" * 64, seq, moment, actor, action, subject, json.loads(text_))
