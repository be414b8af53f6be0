"""`verify` covers every fact a result or minute depends on (issue 14, break 1): the text that
was voted on, members, comment times, deadlines, drafts; and witnesses catch a rolled-back or
rewritten log. One table of database tamperings on SQLite, each run on its own forum."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from deliberate.services import audit, comments, importer, members, voting
from deliberate.store.engine import Database
from deliberate.store.models import (
    Amendment,
    AuditEntry,
    AuditHead,
    Comment,
    Member,
    MemberKey,
    Proposal,
    Vote,
    VoteHistory,
)
from support.cli import run

PROPOSAL = """---
title: {title}
---

Teksten til {title}.

## Forslag til ændringer

### Første ændring

Ændre første afsnit.

### Anden ændring

Slet andet afsnit.
"""


def build(db: Database, folder: Path) -> Database:
    """Through the services only: imported texts, members (one with a key), votes, an edited
    comment, one closed proposal ('a'), one open with a deadline ('b'), one draft ('d')."""
    folder.mkdir()
    for pid in ("a", "b", "d"):
        (folder / f"{pid}.md").write_text(PROPOSAL.format(title=f"Forslag {pid}"), "utf-8")
    importer.import_paths(db, [folder])
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    members.add_member(db, "ole", "Ole Ordstyrer", role="facilitator", can_vote=False)
    members.add_member(db, "anna", "Anna", key=members.parse_public_key(key, "anna.pub"))
    members.add_member(db, "bo", "Bo")
    members.add_member(db, "cai", "Cai")
    members.remove_member(db, "cai")
    voting.open_voting(db, "ole", "a")
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    voting.open_voting(db, "ole", "b", closes_at=deadline)
    voting.cast_vote(db, "anna", "a", "ja")
    voting.cast_vote(db, "bo", "a", "betinget-ja", amendments=[1])
    comment = comments.add_comment(db, "anna", "a", "Godt")
    comments.edit_comment(db, "anna", comment.id, "Rigtig godt")
    comments.add_comment(db, "bo", "a", "Enig")
    voting.close_voting(db, "ole", "a")
    voting.cast_vote(db, "anna", "b", "nej")
    return db


def _member_id(s: Session, handle: str) -> int:
    return s.scalar(select(Member.id).where(Member.handle == handle))  # type: ignore[return-value]


def _title(s: Session) -> None:
    s.execute(update(Proposal).where(Proposal.id == "a").values(title="TAMPERED TITLE"))


def _body(s: Session) -> None:
    s.execute(update(Proposal).where(Proposal.id == "b").values(body="TAMPERED"))


def _amendment_body(s: Session) -> None:
    s.execute(
        update(Amendment)
        .where(Amendment.proposal_id == "a", Amendment.number == 1)
        .values(body="Noget helt andet")
    )


def _amendment_deleted(s: Session) -> None:
    s.execute(delete(Amendment).where(Amendment.proposal_id == "b", Amendment.number == 2))


def _amendment_new_text(s: Session) -> None:
    s.execute(
        update(Amendment)
        .where(Amendment.proposal_id == "b", Amendment.number == 1)
        .values(new_text="Helt ny tekst", alternative_group=1)
    )


def _draft_text(s: Session) -> None:
    s.execute(update(Proposal).where(Proposal.id == "d").values(body="Ny tekst"))


def _draft_deleted(s: Session) -> None:
    s.execute(delete(Amendment).where(Amendment.proposal_id == "d"))
    s.execute(delete(Proposal).where(Proposal.id == "d"))


def _draft_inserted(s: Session) -> None:
    s.execute(insert(Proposal).values(id="x", title="X", body="", content_hash="0" * 64))


def _comment_created_at(s: Session) -> None:
    s.execute(
        update(Comment)
        .where(Comment.body == "Enig")
        .values(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    )


def _comment_edited_at(s: Session) -> None:
    s.execute(
        update(Comment)
        .where(Comment.body == "Enig")
        .values(edited_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    )


def _comment_edit_time(s: Session) -> None:
    s.execute(
        update(Comment)
        .where(Comment.body == "Rigtig godt")
        .values(edited_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    )


def _role(s: Session) -> None:
    s.execute(update(Member).where(Member.handle == "bo").values(role="organizer"))


def _reactivated(s: Session) -> None:
    s.execute(update(Member).where(Member.handle == "cai").values(active=True))


def _name(s: Session) -> None:
    s.execute(update(Member).where(Member.handle == "bo").values(name="Bent"))


def _can_vote(s: Session) -> None:
    s.execute(update(Member).where(Member.handle == "ole").values(can_vote=True))


def _key_removed(s: Session) -> None:
    s.execute(delete(MemberKey))


def _key_added(s: Session) -> None:
    s.execute(
        insert(MemberKey).values(
            member_id=_member_id(s, "bo"),
            algorithm="ssh-ed25519",
            key_data="AAAA",
            comment="",
            fingerprint="SHA256:forged",
        )
    )


def _member_inserted(s: Session) -> None:
    s.execute(insert(Member).values(handle="eve", name="Eve", role="organizer"))


def _deadline(s: Session) -> None:
    s.execute(
        update(Proposal)
        .where(Proposal.id == "b")
        .values(closes_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    )


def _deadline_removed(s: Session) -> None:
    s.execute(update(Proposal).where(Proposal.id == "b").values(closes_at=None))


TAMPERING: list[tuple[str, Callable[[Session], None], tuple[str, ...]]] = [
    ("title of a voted proposal", _title, ("'a'", "does not match its hash")),
    ("body of an open proposal", _body, ("'b'", "does not match its hash")),
    ("amendment text changed", _amendment_body, ("'a'", "does not match its hash")),
    ("amendment deleted", _amendment_deleted, ("'b'", "does not match its hash")),
    ("amendment change text", _amendment_new_text, ("'b'", "text was changed after voting")),
    ("draft text changed", _draft_text, ("'d'", "does not match its hash")),
    ("draft proposal deleted", _draft_deleted, ("'d'", "missing from the database")),
    ("proposal inserted", _draft_inserted, ("'x'", "no log entry")),
    ("comment created_at", _comment_created_at, ("Comment", "created_at")),
    ("comment edited_at set", _comment_edited_at, ("Comment", "edited_at")),
    ("comment edit time changed", _comment_edit_time, ("Comment", "edited_at")),
    ("member role", _role, ("bo", "role")),
    ("member reactivated", _reactivated, ("cai", "active")),
    ("member name", _name, ("bo", "name")),
    ("member right to vote", _can_vote, ("ole", "can_vote")),
    ("member key removed", _key_removed, ("anna", "keys")),
    ("member key added", _key_added, ("bo", "keys")),
    ("member inserted", _member_inserted, ("eve", "no log entry")),
    ("deadline moved", _deadline, ("'b'", "deadline", "2099")),
    ("deadline removed", _deadline_removed, ("'b'", "deadline")),
]


@pytest.mark.parametrize(("name", "tamper", "needles"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_verify_catches_tampering(
    sqlite_db: Database,
    tmp_path: Path,
    name: str,
    tamper: Callable[[Session], None],
    needles: tuple[str, ...],
) -> None:
    db = build(sqlite_db, tmp_path / "proposals")
    assert audit.verify(db).ok, audit.verify(db, lang="en").problems
    with db.write() as session:
        tamper(session)
    report = audit.verify(db, lang="en")
    assert not report.ok, name
    text = "\n".join(report.problems)
    for needle in needles:
        assert needle.lower() in text.lower(), f"{name}: {needle!r} not in:\n{text}"
    assert all("\n" not in line and "{" not in line for line in report.problems)
    danish = audit.verify(db, lang="da")
    assert len(danish.problems) == len(report.problems)


def _roll_back_last_vote(db: Database) -> None:
    """Delete the last vote and its log entry and move the head back: a consistent chain."""
    with db.write() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert last.action == audit.VOTE
        s.execute(delete(AuditEntry).where(AuditEntry.seq == last.seq))
        s.execute(update(AuditHead).values(seq=last.seq - 1, hash=last.prev_hash))
        anna = _member_id(s, "anna")
        s.execute(delete(VoteHistory).where(VoteHistory.proposal_id == "b"))
        s.execute(delete(Vote).where(Vote.proposal_id == "b", Vote.member_id == anna))


def test_a_rollback_passes_alone_and_fails_against_a_witness(
    sqlite_db: Database, tmp_path: Path
) -> None:
    db = build(sqlite_db, tmp_path / "proposals")
    published = audit.head(db)[1]
    assert audit.verify(db, witnesses=(published,)).witnesses == {published: audit.head(db)[0]}
    _roll_back_last_vote(db)
    assert audit.verify(db).ok  # no chain can see this on its own
    report = audit.verify(db, lang="en", witnesses=(published,))
    assert not report.ok
    assert any(published in line and "rolled back" in line for line in report.problems)


def test_a_rewritten_chain_fails_against_a_witness(sqlite_db: Database, tmp_path: Path) -> None:
    """Recompute every hash after changing an early entry's time: consistent, but not the
    chain that was published."""
    db = build(sqlite_db, tmp_path / "proposals")
    published = audit.head(db)[1]
    with db.write() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        prev = audit.GENESIS
        for row in rows:
            created = row.created_at + dt.timedelta(seconds=1)
            payload = json.loads(row.payload)
            digest = audit.entry_hash(
                prev, row.seq, created, row.actor, row.action, row.subject, payload
            )
            s.execute(
                update(AuditEntry)
                .where(AuditEntry.seq == row.seq)
                .values(created_at=created, prev_hash=prev, hash=digest)
            )
            prev = digest
        s.execute(update(AuditHead).values(hash=prev))
    # The votes' receipts come from their entries' hashes, so the replay notices those; the
    # witness says what happened whatever the forger also rewrote.
    report = audit.verify(db, lang="en", witnesses=(published,))
    assert any("rolled back or rewritten" in line for line in report.problems)


def test_member_changes_are_logged_and_replayed(sqlite_db: Database) -> None:
    members.add_member(sqlite_db, "bo", "Bo")
    members.update_member(sqlite_db, "bo", name="Bo Bentsen", role="facilitator")
    members.update_member(sqlite_db, "bo", can_vote=False)
    members.remove_member(sqlite_db, "bo")
    actions = [e.action for e in audit.entries(sqlite_db)]
    assert actions == [
        audit.MEMBER_ADD,
        audit.MEMBER_CHANGE,
        audit.MEMBER_CHANGE,
        audit.MEMBER_REMOVE,
    ]
    assert audit.verify(sqlite_db).ok
    assert "Bo Bentsen" not in json.dumps([e.payload for e in audit.entries(sqlite_db)])


def test_a_forum_whose_log_predates_member_entries_is_covered_from_the_first_one(
    sqlite_db: Database,
) -> None:
    """Members written before members were logged: the first logged change records them all."""
    with sqlite_db.write() as s:
        s.execute(insert(Member).values(handle="old", name="Old", role="member"))
    assert audit.verify(sqlite_db).ok
    members.add_member(sqlite_db, "new", "New")
    assert audit.verify(sqlite_db).ok
    with sqlite_db.write() as s:
        s.execute(update(Member).where(Member.handle == "old").values(role="organizer"))
    assert not audit.verify(sqlite_db).ok


def test_the_first_logged_change_may_be_a_removal(sqlite_db: Database) -> None:
    with sqlite_db.write() as s:
        s.execute(insert(Member).values(handle="old", name="Old", role="member"))
        s.execute(insert(Member).values(handle="gone", name="Gone", role="member"))
    members.remove_member(sqlite_db, "gone")
    assert audit.verify(sqlite_db).ok, audit.verify(sqlite_db, lang="en").problems


def test_verify_witness_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DELIBERATE_LANG", "en")
    db_path = str(tmp_path / "forum.db")
    db = Database(f"sqlite:///{db_path}")
    from deliberate.store import migrate

    migrate.upgrade(db)
    build(db, tmp_path / "proposals")
    published = audit.head(db)[1]
    code, out, err = run(capsys, "--db", db_path, "--lang", "en", "export", "--format", "md")
    assert code == 0, err
    assert f"deliberate verify --witness {published}" in out
    code, out, err = run(capsys, "--db", db_path, "--lang", "en", "export", "--format", "html")
    assert f"deliberate verify --witness {published}" in out
    code, out, err = run(capsys, "--db", db_path, "verify", "--witness", published)
    assert code == 0, out + err
    assert published in out
    _roll_back_last_vote(db)
    db.dispose()
    (tmp_path / "heads.txt").write_text(f"# published heads\n{published}\n", "utf-8")
    code, out, err = run(capsys, "--db", db_path, "--lang", "en", "verify")
    assert code == 0, out + err
    code, out, err = run(
        capsys,
        "--db",
        db_path,
        "--lang",
        "en",
        "verify",
        "--witness-file",
        str(tmp_path / "heads.txt"),
    )
    assert code == 1 and "rolled back or rewritten" in out
    code, out, err = run(capsys, "--db", db_path, "verify", "--witness", "nonsense")
    assert code == 2 and "64" in err and err.count("\n") == 1


def test_member_update_on_the_command_line_is_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "forum.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "member", "add", "bo", "--name", "Bo")[0] == 0
    code, out, err = run(
        capsys,
        "--db",
        db,
        "--lang",
        "en",
        "member",
        "update",
        "bo",
        "--role",
        "organizer",
        "--no-vote",
    )
    assert code == 0 and "organizer" in out, err
    database = Database(f"sqlite:///{db}")
    try:
        assert [e.action for e in audit.entries(database)] == [
            audit.MEMBER_ADD,
            audit.MEMBER_CHANGE,
        ]
        assert audit.verify(database).ok
    finally:
        database.dispose()
