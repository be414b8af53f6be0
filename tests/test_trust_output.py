"""One sanitising boundary (issue 14, breaks 2-4): one hostile string goes into every field
through every entry path (proposal files, import-json, the CLI, service calls) and comes out
of no output path (CLI text and --json, exports, logs, the TUI) with a control character,
escape sequence or bidi override; Markdown entities cannot smuggle them in either."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import update

from deliberate.domain.text import SafeLogFormatter, escape_unsafe, for_terminal
from deliberate.services import comments, members, voting
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, Proposal
from support.cli import run

OSC52 = "\x1b]52;c;SGFja2VkIQ==\x1b\\"
HOSTILE = f"Ond{OSC52}\x1b[2J\u009b31m\u202eesrever\u2066iso\x07[@click=app.quit]&#x202E;&lt;b&gt;"
# What must never reach a terminal or a file (the entity text itself is harmless as text).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def assert_safe(where: str, text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, (
        f"{where}: {found.group(0)!r} at {found.start()}: {text[max(0, found.start() - 40) : found.start() + 40]!r}"
    )
    assert "]52;" not in text, where


def assert_json_safe(where: str, text: str) -> None:
    """Escaped (\\u001b) rather than removed: the value stays exact, the terminal safe."""
    found = UNSAFE.search(text)
    assert found is None, f"{where}: {found.group(0)!r} at {found.start()}"
    json.loads(text)


PROPOSAL = f"""---
id: ond
title: 'Titel {HOSTILE}'
programme: 'Program {HOSTILE}'
section: "1"
authors: ["Forfatter \\u202e \\u009b"]
---

Brødtekst {HOSTILE}

## Forslag til ændringer

### Ændring {HOSTILE}

Tekst til ændringen {HOSTILE}
"""


@pytest.fixture
def forum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """Every entry path: a proposal file, the CLI (member add, comment, vote reason, meeting
    title) and service calls (a member name change, a comment, an edit)."""
    monkeypatch.setenv("DELIBERATE_LANG", "en")
    monkeypatch.delenv("DELIBERATE_MEMBER", raising=False)
    db = str(tmp_path / "forum.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ond.md").write_text(PROPOSAL, "utf-8")
    code, _, err = run(capsys, "--db", db, "import", str(folder))
    assert code == 0, err
    for handle, role in (("ole", "facilitator"), ("eve", "member"), ("bo", "member")):
        code, _, err = run(
            capsys,
            "--db",
            db,
            "member",
            "add",
            handle,
            "--name",
            f"{handle} {HOSTILE}",
            "--role",
            role,
        )
        assert code == 0, err
    assert run(capsys, "--db", db, "open", "ond", "--as", "ole")[0] == 0
    code, _, err = run(
        capsys, "--db", db, "vote", "ond", "bloker", "--reason", HOSTILE, "--as", "eve"
    )
    assert code == 0, err
    code, _, err = run(capsys, "--db", db, "comment", "ond", HOSTILE, "--as", "eve")
    assert code == 0, err
    code, _, err = run(
        capsys, "--db", db, "meeting", "create", HOSTILE, "--agenda", "ond", "--as", "ole"
    )
    assert code == 0, err
    database = Database(f"sqlite:///{db}")
    members.update_member(database, "bo", name=f"Bo {HOSTILE}")
    first = comments.add_comment(database, "bo", "ond", f"Svar {HOSTILE}")
    comments.edit_comment(database, "bo", first.id, f"Rettet {HOSTILE}")
    voting.cast_vote(database, "bo", "ond", "ja", reason=HOSTILE)
    database.dispose()
    return db


def stored_text(db: str) -> list[tuple[str, str]]:
    """Every text value in every table."""
    found = []
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                found += [(table, v) for v in row if isinstance(v, str)]
    return found


def test_every_entry_path_stores_sanitised_text(forum: str) -> None:
    for table, value in stored_text(forum):
        assert_safe(table, value)


def test_every_cli_output_path_is_safe(forum: str, capsys: pytest.CaptureFixture[str]) -> None:
    commands = [
        ["show", "ond"],
        ["proposals"],
        ["member", "list"],
        ["meeting", "list"],
        ["meeting", "show", "1"],
        ["tally", "ond"],
        ["comments", "ond"],
        ["export", "--format", "csv"],
        ["export", "--format", "md"],
        ["export", "--format", "html"],
        ["verify"],
    ]
    json_commands = [
        ["proposals", "--json"],
        ["member", "list", "--json"],
        ["meeting", "list", "--json"],
        ["meeting", "show", "1", "--json"],
        ["tally", "ond", "--json"],
        ["export", "--format", "json"],
    ]
    for args in commands + json_commands:
        code, out, err = run(capsys, "--db", forum, "--lang", "en", *args)
        assert code == 0, (args, err)
        assert out.strip(), args
        check = assert_json_safe if args in json_commands else assert_safe
        check(" ".join(args), out)
        assert_safe(" ".join(args) + " (stderr)", err)
    code, out, _ = run(capsys, "--db", forum, "--lang", "en", "member", "list")
    assert "[@click=app.quit]" in out  # shown literally, not swallowed


def test_hostile_text_planted_in_the_database_is_still_not_printed(
    forum: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text that bypassed the input sanitiser (a hand-edited row): the output boundary holds."""
    with sqlite3.connect(forum) as conn:
        conn.execute("UPDATE members SET name = ?", (f"Alice{OSC52}\u202e\u009b",))
        conn.execute("UPDATE proposals SET title = ?", (HOSTILE,))
        conn.execute("UPDATE meetings SET title = ?", (HOSTILE,))
        conn.execute("UPDATE comments SET body = ?", (HOSTILE,))
    for args in (
        ["show", "ond"],
        ["proposals"],
        ["proposals", "--json"],
        ["member", "list"],
        ["member", "list", "--json"],
        ["meeting", "list"],
        ["meeting", "list", "--json"],
        ["meeting", "show", "1"],
        ["comments", "ond"],
        ["verify"],
    ):
        _, out, err = run(capsys, "--db", forum, "--lang", "en", *args)
        check = assert_json_safe if "--json" in args else assert_safe
        check(" ".join(args), out)
        assert_safe(" ".join(args), err)


def test_file_names_in_error_lines_are_sanitised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "forum.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\x1b]52;c;SGk=\x07\u202e\nforged line.md").write_text("no front matter", "utf-8")
    code, out, err = run(capsys, "--db", db, "--lang", "en", "import", str(folder))
    assert code == 2
    assert_safe("import error", out + err)
    assert err.count("\n") == 1, err
    code, out, err = run(
        capsys, "--db", db, "--lang", "en", "import", str(folder / "x\x1b[2J\u202e.md")
    )
    assert code == 2 and err.count("\n") == 1
    assert_safe("missing path", err)


def test_log_records_cannot_forge_lines_or_carry_escapes(tmp_path: Path) -> None:
    path = tmp_path / "server.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(SafeLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("deliberate.test_trust_output")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        term = (
            "xterm\x1b]0;owned\x07\n2026-12-02 04:00:00 INFO deliberate.ssh: member admin logged in"
        )
        log.info("member %s: TUI started (%s)", "eve", term)
        try:
            raise ValueError(f"bad {term}")
        except ValueError:
            log.exception("failed for %s", "eve\u202e")
    finally:
        log.removeHandler(handler)
        handler.close()
    text = path.read_text("utf-8")
    assert_safe("log", text)
    lines = text.splitlines()
    assert lines[0].endswith(
        "(xterm\\x1b]0;owned\\x07\\x0a2026-12-02 04:00:00 INFO deliberate.ssh: member admin logged in)"
    )
    # Only records start at column 0; a traceback's lines are indented.
    starts = [ln for ln in lines if not ln.startswith("    ")]
    assert len(starts) == 2 and all(re.match(r"\d{4}-\d\d-\d\d ", ln) for ln in starts)
    assert escape_unsafe("a\nb", newlines=True) == "a\\x0ab"
    assert for_terminal(HOSTILE).startswith("Ond") and not UNSAFE.search(for_terminal(HOSTILE))


def test_import_json_sanitises_or_refuses(
    forum: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile export: text without a logged hash (a meeting title, a programme description)
    is stored sanitised; text whose hash is logged no longer matches, so the file is refused.
    Either way no unsafe character is stored."""
    code, out, _ = run(capsys, "--db", forum, "export", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    doc["meetings"][0]["title"] = HOSTILE
    doc["programmes"][0]["description"] = HOSTILE
    accepted = tmp_path / "accepted.json"
    accepted.write_text(json.dumps(doc), "utf-8")
    target = str(tmp_path / "target.db")
    assert run(capsys, "--db", target, "init")[0] == 0
    code, _, err = run(capsys, "--db", target, "--lang", "en", "import-json", str(accepted))
    assert code == 0, err
    for table, value in stored_text(target):
        assert_safe(table, value)
    doc["members"][0]["name"] = f"Alice{OSC52}"
    refused = tmp_path / "refused.json"
    refused.write_text(json.dumps(doc), "utf-8")
    target2 = str(tmp_path / "target2.db")
    assert run(capsys, "--db", target2, "init")[0] == 0
    code, _, err = run(capsys, "--db", target2, "--lang", "en", "import-json", str(refused))
    assert code == 2 and "name" in err, err
    assert_safe("import-json error", err)
    for table, value in stored_text(target2):
        assert_safe(table, value)


# ------------------------------------------------------------------ Markdown entities (TUI)


ENTITIES = "Før &#x202E;vendt&#x202C; og &#x2066;isoleret&#x2069; og &#8238;decimal &#x9b;31m slut"


def plant_entities(db: Database) -> None:
    with db.write() as s:
        s.execute(
            update(Proposal)
            .where(Proposal.id == "klima")
            .values(body=f"# Overskrift\n\n{ENTITIES}\n")
        )
        s.execute(
            update(Amendment)
            .where(Amendment.proposal_id == "klima", Amendment.number == 2)
            .values(body=f"Ændringstekst {ENTITIES}")
        )


async def test_markdown_entities_are_sanitised_after_decoding(tmp_path: Path) -> None:
    from deliberate.tui.screens.amendment import AmendmentScreen
    from deliberate.tui.screens.proposal import ProposalScreen
    from support.tui import build_forum, shows, terminal_output, wait_for
    from test_tui_security import running

    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    plant_entities(db)
    try:
        async with running(db, tmp_path) as (app, pilot):
            await pilot.press("slash")
            from textual.widgets import Input

            app.screen.query_one("#search", Input).value = "klima"
            await pilot.press("enter", "enter")
            await wait_for(
                pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view
            )
            await shows(pilot, "Før vendt og isoleret og decimal", "31m slut")
            output = terminal_output(app)
            assert not UNSAFE.search(output.replace("\x1b", "")), "bidi or C1 in the proposal text"
            await pilot.press("a", "down", "enter")
            await wait_for(
                pilot, lambda: isinstance(app.screen, AmendmentScreen) and app.screen.view
            )
            await shows(pilot, "Ændringstekst Før vendt og isoleret")
            output = terminal_output(app)
            assert not UNSAFE.search(output.replace("\x1b", "")), (
                "bidi or C1 on the amendment screen"
            )
    finally:
        db.dispose()
