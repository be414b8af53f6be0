"""The author edits a saved draft before submitting it (`submissions.edit_draft`, `deliberate
edit`): cleaned and limited as `propose`, only the author, only an unsubmitted draft, audited
and replayed by `verify`, carried by the JSON round trip. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from deliberate.errors import UserError
from deliberate.services import audit, importer, members, proposals, submissions
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, Proposal, ProposalStatus, Role, utcnow
from support.cli import assert_one_line_error, run
from support.db import assert_each_refused_cleanly, fingerprint

REPO = Path(__file__).resolve().parents[1]
BODY = "Første afsnit om skoler.\n\nAndet afsnit om busser."


@pytest.fixture
def forum(any_db: Database) -> Database:
    for handle in ("anna", "bo"):
        members.add_member(any_db, handle, handle.title())
    members.add_member(any_db, "ole", "Ole", role=Role.FACILITATOR)
    members.add_member(any_db, "org", "Org", role=Role.ORGANIZER)
    return any_db


def _actions(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(AuditEntry.__table__.select().with_only_columns(AuditEntry.action)))


def test_the_author_edits_a_draft_then_submits_it(forum: Database) -> None:
    submissions.set_setting(forum, "required_supporters", "1")
    pid = submissions.propose(forum, "anna", "Skoler", BODY, submit=False).proposal_id
    before = proposals.get_proposal(forum, pid)
    # Cleaned as `propose` cleans: control characters and bidi overrides go, NFC, '\n' only.
    r = submissions.edit_draft(
        forum, "anna", pid, " Bedre\u202e skoler ", "Ny tekst\x1b[31m.\r\n\r\nOg mere.\r\n"
    )
    assert (r.proposal_id, r.status) == (pid, ProposalStatus.DRAFT)
    after = proposals.get_proposal(forum, pid)
    assert (after.id, after.title, after.body) == (pid, "Bedre skoler", "Ny tekst.\n\nOg mere.")
    assert after.content_hash != before.content_hash
    assert after.phase is not None and after.phase.submitted_at is None
    assert _actions(forum)[-1] == submissions.EDIT
    # The same text again writes nothing.
    same = fingerprint(forum)
    submissions.edit_draft(forum, "anna", pid, "Bedre skoler", after.body)
    assert fingerprint(forum) == same
    # Edit and submit in one go: it collects supporters; then it can no longer be edited.
    r = submissions.edit_draft(forum, "anna", pid, "Bedre skoler", "Sidste tekst.", submit=True)
    assert r.status is ProposalStatus.DRAFT and r.required == 1
    assert _actions(forum)[-2:] == [submissions.EDIT, submissions.SUBMIT]
    final = proposals.get_proposal(forum, pid)
    assert final.body == "Sidste tekst." and final.phase is not None
    assert final.phase.submitted_at is not None
    with pytest.raises(UserError, match="no longer be edited"):
        submissions.edit_draft(forum, "anna", pid, "Igen", "Igen.")
    report = audit.verify(forum)
    assert report.ok, report.problems


def _refusals(db: Database) -> dict[str, Callable[[], object]]:
    def edit(actor: str, pid: str, title: str = "Ny titel", body: str = "Ny tekst.") -> object:
        return submissions.edit_draft(db, actor, pid, title, body)

    return {
        "not the author": lambda: edit("bo", "kladde"),
        "an organizer is not the author": lambda: edit("org", "kladde"),
        "unknown proposal": lambda: edit("anna", "findes-ikke"),
        "empty title": lambda: edit("anna", "kladde", title=" \t "),
        "title too long": lambda: edit("anna", "kladde", title="x" * 301),
        "empty body": lambda: edit("anna", "kladde", body="\n\n"),
        "1 MB body": lambda: edit("anna", "kladde", body="x" * 1_000_000),
        "submitted": lambda: edit("anna", "indsendt"),
        "in debate": lambda: edit("anna", "debat"),
        "withdrawn": lambda: edit("anna", "tilbage"),
        "debate started by the clock, scheduler not run": lambda: edit("anna", "planlagt"),
        "an imported draft": lambda: edit("anna", "egf-1"),
        "edit and submit by another member": lambda: submissions.edit_draft(
            db, "bo", "kladde", "T", "x", submit=True
        ),
    }


def _setup_refusals(db: Database) -> None:
    submissions.set_setting(db, "required_supporters", "1")
    importer.import_paths(db, [REPO / "proposals"])
    submissions.propose(db, "anna", "Kladde", BODY, submit=False)
    submissions.propose(db, "anna", "Indsendt", BODY)
    submissions.propose(db, "anna", "Debat", BODY)
    submissions.support(db, "bo", "debat")
    submissions.propose(db, "anna", "Tilbage", BODY, submit=False)
    submissions.withdraw(db, "anna", "tilbage")
    submissions.propose(db, "anna", "Planlagt", BODY, submit=False)
    later = utcnow() + dt.timedelta(hours=1)
    submissions.schedule(db, "ole", "planlagt", debate_from=later)
    with db.write() as s:  # time passes: debate has begun by the clock
        s.execute(
            update(Proposal)
            .where(Proposal.id == "planlagt")
            .values(debate_from=utcnow() - dt.timedelta(seconds=1))
        )


def test_every_refusal_is_one_clear_line_and_writes_nothing(forum: Database) -> None:
    _setup_refusals(forum)
    assert_each_refused_cleanly(forum, _refusals(forum))


def test_verify_replays_edits_and_catches_a_changed_draft(forum: Database) -> None:
    pid = submissions.propose(forum, "anna", "Skoler", BODY, submit=False).proposal_id
    submissions.edit_draft(forum, "anna", pid, "Skoler", "Redigeret tekst.")
    assert audit.verify(forum).ok  # the edit is replayed: the table holds the edited text
    with forum.write() as s:  # the text changed behind the log's back
        s.execute(update(Proposal).where(Proposal.id == pid).values(body="Noget andet."))
    report = audit.verify(forum, lang="en")
    assert not report.ok
    assert any(f"text of '{pid}'" in p for p in report.problems), report.problems


def test_verify_flags_an_edit_by_someone_else_or_after_submitting(forum: Database) -> None:
    """An edit entry in a well-formed chain is still checked: only the author, only before
    submitting (the service never writes such entries; a forged one is caught)."""
    pid = submissions.propose(forum, "anna", "Skoler", BODY).proposal_id  # submitted at once
    with forum.write() as s:
        proposal = s.get(Proposal, pid)
        assert proposal is not None
        proposal.body = "Omskrevet af en anden."
        submissions.rehash(proposal)
        audit.lock_head(s)
        audit.append(
            s,
            actor="bo",
            action=submissions.EDIT,
            subject=pid,
            payload={
                "title": proposal.title,
                "body_sha256": audit.sha256_text(proposal.body),
                "content_hash": proposal.content_hash,
            },
        )
    report = audit.verify(forum, lang="en")
    assert not report.ok
    assert any("edited by 'bo'" in p for p in report.problems), report.problems


def test_cli_edit(forum: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = ("--db", forum.url)
    body = tmp_path / "body.md"
    body.write_text(BODY, encoding="utf-8")
    args = ("propose", "--title", "Skoler", "--file", str(body), "--draft", "--as", "anna")
    assert run(capsys, *db, *args)[0] == 0
    new = tmp_path / "new.md"
    new.write_text("Ny tekst om skoler.", encoding="utf-8")
    code, out, err = run(
        capsys, *db, "edit", "skoler", "--title", "Gode skoler", "--file", str(new), "--as", "anna"
    )
    assert code == 0 and "Kladden 'skoler' er gemt (kladde)" in out, err
    detail = proposals.get_proposal(forum, "skoler")
    assert (detail.title, detail.body) == ("Gode skoler", "Ny tekst om skoler.")
    # Only the title: the text stays.
    code, out, err = run(
        capsys, *db, "--lang", "en", "edit", "skoler", "--title", "T", "--as", "anna"
    )
    assert code == 0 and "has been saved (draft)" in out, err
    assert proposals.get_proposal(forum, "skoler").body == "Ny tekst om skoler."
    assert_one_line_error(
        run(capsys, *db, "edit", "skoler", "--title", "X", "--as", "bo"), "forfatter"
    )
    assert_one_line_error(
        run(capsys, *db, "edit", "skoler", "--title", "", "--as", "anna"), "Titlen"
    )
    big = tmp_path / "big.md"
    big.write_text("x" * 1_000_000, encoding="utf-8")
    assert_one_line_error(
        run(capsys, *db, "edit", "skoler", "--file", str(big), "--as", "anna"), "for lang"
    )
    assert_one_line_error(
        run(capsys, *db, "edit", "findes-ikke", "--title", "X", "--as", "anna"), "findes-ikke"
    )
    code, out, err = run(
        capsys, *db, "edit", "skoler", "--file", str(body), "--submit", "--as", "anna"
    )
    assert code == 0 and "indsendt" in out, err
    assert_one_line_error(
        run(capsys, *db, "edit", "skoler", "--title", "Y", "--as", "anna"), "ikke længere"
    )
    assert proposals.get_proposal(forum, "skoler").title == "T"
    code, out, _ = run(capsys, *db, "verify")
    assert code == 0, out


def test_json_round_trip_carries_draft_edits(
    forum: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Edited drafts (one submitted after its edit) survive export → import-json → export byte
    for byte, and verify passes on the copy."""
    submissions.propose(forum, "anna", "Skoler", BODY, submit=False)
    submissions.edit_draft(forum, "anna", "skoler", "Bedre skoler", "Ny tekst.")
    submissions.propose(forum, "bo", "Tog", BODY, submit=False)
    submissions.edit_draft(forum, "bo", "tog", "Flere tog", "Tog overalt.", submit=True)
    first = tmp_path / "a.json"
    assert run(capsys, "--db", forum.url, "export", "--format", "json", "--out", str(first))[0] == 0
    assert f'"{submissions.EDIT}"' in first.read_text("utf-8")
    empty_url = f"sqlite:///{tmp_path / 'copy.db'}"
    assert run(capsys, "--db", empty_url, "init")[0] == 0
    code, _, err = run(capsys, "--db", empty_url, "import-json", str(first))
    assert code == 0, err
    second = tmp_path / "b.json"
    assert (
        run(capsys, "--db", empty_url, "export", "--format", "json", "--out", str(second))[0] == 0
    )

    def strip(text: str) -> list[str]:
        return [ln for ln in text.splitlines() if '"exported_at"' not in ln]

    assert strip(first.read_text("utf-8")) == strip(second.read_text("utf-8"))
    assert run(capsys, "--db", empty_url, "verify")[0] == 0
