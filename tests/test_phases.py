"""Members propose, support and amend; authors adopt and group; facilitators schedule; the
scheduler opens and closes by the clock (DESIGN §9). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from deliberate.domain.paragraphs import ParagraphOp
from deliberate.errors import UserError
from deliberate.services import amending, audit, importer, members, proposals, submissions, voting
from deliberate.services.scheduler import run_scheduler
from deliberate.store.engine import Database
from deliberate.store.models import AmendmentState, Proposal, ProposalStatus, Role, utcnow
from support.cli import assert_one_line_error, run
from support.db import assert_each_refused_cleanly

REPO = Path(__file__).resolve().parents[1]
BODY = "Første afsnit om skoler.\n\nAndet afsnit om busser.\n\n- punkt et\n- punkt to"
H = dt.timedelta(hours=1)


@pytest.fixture
def forum(any_db: Database) -> Database:
    for handle in ("anna", "bo", "cy", "dan"):
        members.add_member(any_db, handle, handle.title())
    members.add_member(any_db, "ole", "Ole", role=Role.FACILITATOR)
    members.add_member(any_db, "org", "Org", role=Role.ORGANIZER)
    return any_db


def test_propose_support_debate_amend_adopt_group_vote(forum: Database) -> None:
    submissions.set_setting(forum, "required_supporters", "2")
    r = submissions.propose(forum, "anna", "Bedre skoler", BODY)
    assert (r.proposal_id, r.status, r.supporters) == ("bedre-skoler", ProposalStatus.DRAFT, 0)
    pid = r.proposal_id
    assert submissions.support(forum, "bo", pid).status is ProposalStatus.DRAFT
    assert submissions.support(forum, "cy", pid).status is ProposalStatus.DEBATE
    a1 = amending.file_amendment(
        forum, "bo", pid, "Tog", paragraph=2, operation="replace", new_text="Andet afsnit om tog."
    )
    a2 = amending.file_amendment(
        forum, "cy", pid, "Også tog", paragraph=2, operation=ParagraphOp.REPLACE, new_text="Tog."
    )
    a3 = amending.file_amendment(forum, "dan", pid, "Ophøj", text="Ophøjes til mærkesag 1")
    a4 = amending.file_amendment(
        forum, "dan", pid, "Nyt", paragraph=1, operation="insert_after", new_text="Indsat."
    )
    assert [a.number for a in (a1, a2, a3, a4)] == [1, 2, 3, 4]
    before_hash = proposals.get_proposal(forum, pid).content_hash
    adopted = amending.adopt_amendment(forum, "anna", pid, 4)
    assert adopted.state is AmendmentState.ADOPTED and adopted.content_hash != before_hash
    detail = proposals.get_proposal(forum, pid)
    assert "Første afsnit om skoler.\n\nIndsat.\n\nAndet" in detail.body
    by_number = {a.number: a for a in detail.amendments}
    assert by_number[1].paragraph == 3 and by_number[2].paragraph == 3  # followed the insert
    grouped = amending.group_amendments(forum, "anna", pid, [1, 2])
    assert {g.alternative_group for g in grouped} == {1}
    assert by_number[3].author == "dan" and by_number[4].state is AmendmentState.ADOPTED
    assert detail.phase is not None and detail.phase.supporters == ("bo", "cy")
    # Numbers are never reused: a withdrawn amendment keeps its number.
    amending.withdraw_amendment(forum, "dan", pid, 3)
    assert amending.file_amendment(forum, "bo", pid, "Sidste", text="x").number == 5
    # Schedule, then the scheduler opens and closes with nobody acting.
    now = utcnow()
    submissions.schedule(
        forum, "ole", pid, debate_until=now + H, opens_at=now + 2 * H, closes_at=now + 3 * H
    )
    report = run_scheduler(forum, now + 2 * H + dt.timedelta(seconds=1))
    assert report.opened == [pid]
    assert voting.tally(forum, pid).status is ProposalStatus.VOTING
    assert run_scheduler(forum, now + 3 * H).closed == [pid]
    assert voting.tally(forum, pid).status is ProposalStatus.CLOSED
    assert audit.verify(forum).ok


def _refusals(db: Database) -> dict[str, Callable[[], object]]:
    return {
        "empty title": lambda: submissions.propose(db, "anna", "  ", BODY),
        "1 MB body": lambda: submissions.propose(db, "anna", "Stor", "x" * 1_000_000),
        "support twice": lambda: submissions.support(db, "bo", "skoler"),
        "support own": lambda: submissions.support(db, "anna", "skoler"),
        "no such paragraph": lambda: amending.file_amendment(
            db, "bo", "skoler", "T", paragraph=9, operation="delete"
        ),
        "amend a closed proposal": lambda: amending.file_amendment(
            db, "bo", "lukket", "T", text="x"
        ),
        "filing after the deadline": lambda: amending.file_amendment(
            db, "bo", "frist", "T", text="x"
        ),
        "member adopts someone else's amendment": lambda: amending.adopt_amendment(
            db, "cy", "skoler", 1
        ),
        "withdraw someone else's proposal": lambda: submissions.withdraw(db, "bo", "skoler"),
        "member admits": lambda: submissions.admit(db, "bo", "skoler"),
        "member schedules": lambda: submissions.schedule(db, "bo", "skoler", opens_at=utcnow() + H),
        "times out of order": lambda: submissions.schedule(
            db, "ole", "skoler", opens_at=utcnow() + 2 * H, closes_at=utcnow() + H
        ),
        "group of one": lambda: amending.group_amendments(db, "anna", "skoler", [1]),
        "replace without text": lambda: amending.file_amendment(
            db, "bo", "skoler", "T", paragraph=1, operation="replace"
        ),
    }


def _setup_refusals(db: Database) -> None:
    submissions.set_setting(db, "required_supporters", "1")
    assert submissions.propose(db, "anna", "Skoler", BODY).proposal_id == "skoler"
    submissions.support(db, "bo", "skoler")
    amending.file_amendment(
        db, "bo", "skoler", "Tog", paragraph=2, operation="replace", new_text="Tog."
    )
    submissions.propose(db, "anna", "Lukket", BODY)
    submissions.support(db, "bo", "lukket")
    voting.open_voting(db, "ole", "lukket")
    voting.close_voting(db, "ole", "lukket")
    submissions.propose(db, "anna", "Frist", BODY)
    submissions.support(db, "bo", "frist")
    submissions.schedule(db, "ole", "frist", debate_until=utcnow() + H)
    with db.write() as s:  # time passes: the filing deadline is behind us
        s.execute(
            update(Proposal)
            .where(Proposal.id == "frist")
            .values(amendments_close_at=utcnow() - dt.timedelta(seconds=1))
        )


def test_every_refusal_is_clear_and_writes_nothing(forum: Database) -> None:
    _setup_refusals(forum)
    assert_each_refused_cleanly(forum, _refusals(forum))


def test_cli_flow_and_refusals(
    forum: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ("--db", forum.url)
    body = tmp_path / "body.md"
    body.write_text(BODY, encoding="utf-8")
    assert run(capsys, *db, "setting", "required_supporters", "2")[0] == 0
    code, out, err = run(
        capsys, *db, "propose", "--title", "Bedre skoler", "--file", str(body), "--as", "anna"
    )
    assert code == 0 and "bedre-skoler" in out, err
    assert run(capsys, *db, "support", "bedre-skoler", "--as", "bo")[0] == 0
    assert_one_line_error(run(capsys, *db, "support", "bedre-skoler", "--as", "bo"), "allerede")
    code, out, _ = run(capsys, *db, "--lang", "en", "support", "bedre-skoler", "--as", "cy")
    assert code == 0 and "debate" in out
    code, out, _ = run(capsys, *db, "show", "bedre-skoler", "--paragraphs")
    assert "[2]\nAndet afsnit om busser." in out
    new = tmp_path / "new.md"
    new.write_text("Andet afsnit om tog og busser.", encoding="utf-8")
    args = ("amend", "bedre-skoler", "--title", "Tog", "--paragraph", "2", "--replace")
    assert run(capsys, *db, *args, "--file", str(new), "--as", "dan")[0] == 0
    assert_one_line_error(
        run(
            capsys,
            *db,
            "amend",
            "bedre-skoler",
            "--title",
            "X",
            "--paragraph",
            "7",
            "--delete",
            "--as",
            "dan",
        ),
        "afsnit 7",
    )
    assert_one_line_error(
        run(capsys, *db, "amend", "bedre-skoler", "--title", "", "--text", "x", "--as", "dan"),
        "Titlen",
    )
    big = tmp_path / "big.md"
    big.write_text("x" * 1_000_000, encoding="utf-8")
    assert_one_line_error(
        run(capsys, *db, "propose", "--title", "Stor", "--file", str(big), "--as", "anna"),
        "for lang",
    )
    assert_one_line_error(run(capsys, *db, "adopt", "bedre-skoler", "1", "--as", "cy"), "forfatter")
    code, out, _ = run(capsys, *db, "show", "bedre-skoler")
    assert "{+tog og +}" in out
    assert run(capsys, *db, "adopt", "bedre-skoler", "1", "--as", "anna")[0] == 0
    code, out, _ = run(capsys, *db, "proposals", "--status", "debate")
    assert "bedre-skoler" in out
    assert run(capsys, *db, "proposals", "--status", "open")[0] == 0  # the old word still works
    code, out, _ = run(capsys, *db, "verify")
    assert code == 0, out


def test_json_round_trip_carries_phases(
    forum: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Member proposals, supporters, amendments (adopted, grouped, withdrawn), schedules and
    settings survive export → import-json → export byte for byte, and verify passes."""
    _setup_refusals(forum)
    amending.file_amendment(forum, "cy", "skoler", "Alt", paragraph=2, operation="delete")
    amending.group_amendments(forum, "anna", "skoler", [1, 2])
    amending.file_amendment(forum, "dan", "skoler", "Fri", text="Fri tekst", justification="Fordi")
    amending.adopt_amendment(forum, "anna", "skoler", 3)
    first = tmp_path / "a.json"
    assert run(capsys, "--db", forum.url, "export", "--format", "json", "--out", str(first))[0] == 0
    empty_url = f"sqlite:///{tmp_path / 'copy.db'}"
    assert run(capsys, "--db", empty_url, "init")[0] == 0
    code, _, err = run(capsys, "--db", empty_url, "import-json", str(first))
    assert code == 0, err
    second = tmp_path / "b.json"
    assert (
        run(capsys, "--db", empty_url, "export", "--format", "json", "--out", str(second))[0] == 0
    )
    strip = lambda text: [ln for ln in text.splitlines() if '"exported_at"' not in ln]  # noqa: E731
    assert strip(first.read_text("utf-8")) == strip(second.read_text("utf-8"))
    assert '"supporters"' in first.read_text("utf-8")
    assert run(capsys, "--db", empty_url, "verify")[0] == 0


def test_import_json_of_an_old_file_maps_open_to_voting(
    forum: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file from before the phases: status `open`, no phase fields, no supporters array."""
    import json

    importer.import_paths(forum, [REPO / "proposals"])
    voting.open_voting(forum, "ole", "egf-1")
    voting.cast_vote(forum, "bo", "egf-1", "ja")
    dump = tmp_path / "new.json"
    assert run(capsys, "--db", forum.url, "export", "--format", "json", "--out", str(dump))[0] == 0
    doc = json.loads(dump.read_text("utf-8"))
    for p in doc["proposals"]:
        p["status"] = "open" if p["status"] == "voting" else p["status"]
        for key in ("submitted_by", "submitted_at", "debate_from", "debate_started_at"):
            del p[key]
        for key in ("amendments_close_at", "filing_closed_at", "opens_at", "withdrawn_at"):
            del p[key]
        for a in p["amendments"]:
            for key in ("kind", "paragraph", "operation", "new_text", "justification"):
                del a[key]
            for key in ("author_id", "created_at", "state", "alternative_group"):
                del a[key]
    for r in doc["results"]:
        r["status"] = "open" if r["status"] == "voting" else r["status"]
    del doc["supporters"], doc["forum_settings"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    target = f"sqlite:///{tmp_path / 'old.db'}"
    assert run(capsys, "--db", target, "init")[0] == 0
    code, _, err = run(capsys, "--db", target, "import-json", str(old))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", target, "tally", "egf-1", "--json")
    assert code == 0 and json.loads(out)["status"] == "voting"


FILE = """---
title: Afsnit
---
Første afsnit.

Andet afsnit.

## Forslag til ændringer

### Skærp andet afsnit

Afsnit 2: erstat

Andet afsnit, skærpet.

Begrundelse: Det er bedre.

### Ophøj afsnittet

Afsnittet ophøjes til mærkesag 1.
"""


def test_a_file_gives_paragraph_and_free_amendments() -> None:
    from deliberate.domain.proposal_file import parse_proposal

    parsed = parse_proposal(FILE, source="a.md", default_id="a")
    first, second = parsed.amendments
    assert (first.paragraph, first.operation) == (2, "replace")
    assert first.new_text == "Andet afsnit, skærpet." and first.justification == "Det er bedre."
    assert second.paragraph is None and second.body == "Afsnittet ophøjes til mærkesag 1."
    with pytest.raises(UserError) as err:
        parse_proposal(FILE.replace("Afsnit 2:", "Afsnit 7:"), source="a.md", default_id="a")
    assert err.value.code == "proposal_file.no_paragraph" and "a.md" in err.value.message("en")
