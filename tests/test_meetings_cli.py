"""`deliberate meeting …`: a whole meeting from the command line, and its error paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import assert_one_line_error, run

PROPOSAL = "---\nid: {id}\ntitle: Forslag {id}\n---\n\nTekst.\n"


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    db = str(tmp_path / "forum.db")

    def call(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--db", db, "--lang", "en", *args)

    folder = tmp_path / "forslag"
    folder.mkdir()
    for pid in ("p1", "p2"):
        (folder / f"{pid}.md").write_text(PROPOSAL.format(id=pid), encoding="utf-8")
    assert call("init")[0] == 0
    assert call("import", str(folder))[0] == 0
    assert call("member", "add", "ole", "--name", "Ole", "--role", "facilitator")[0] == 0
    assert call("member", "add", "birgitte", "--name", "Birgitte Østergaard")[0] == 0
    assert call("member", "add", "jens", "--name", "Jens")[0] == 0
    return call


def test_a_whole_meeting_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(
        "meeting",
        "create",
        "Landsmøde",
        "--agenda",
        "p1,p2",
        "--speaker-limit",
        "120",
        "--as",
        "ole",
    )
    assert code == 0 and "Meeting 1 created" in out and "2 agenda items" in out
    code, out, _ = cli("meeting", "start", "1", "--as", "ole")
    assert code == 0 and "item 1: Forslag p1" in out
    code, out, _ = cli("meeting", "open", "1", "--countdown", "600", "--as", "ole")
    assert code == 0 and "Voting on 'p1' is open until" in out
    assert cli("vote", "p1", "ja", "--as", "birgitte")[0] == 0
    assert (
        cli("meeting", "speak", "1", "--as", "birgitte")[1].strip()
        == "You are number 1 on the speakers' list."
    )
    assert "number 1" in cli("meeting", "speak", "1", "--point-of-order", "--as", "jens")[1]
    assert "Jens (jens) has the floor" in cli("meeting", "grant", "1", "--as", "ole")[1]
    assert "has finished" in cli("meeting", "finish", "1", "--as", "ole")[1]
    code, out, _ = cli("meeting", "show", "1", "--json")
    state = json.loads(out)
    assert state["voting"]["voted"] == 1 and state["voting"]["eligible"] == 3
    assert state["queue"] == [{"id": 1, "handle": "birgitte", "kind": "speak"}]
    assert "jens" in state["speaking_totals"]
    code, out, _ = cli("meeting", "close", "1", "--as", "ole")
    assert code == 0 and "is closed" in out and "Audit log: #" in out
    assert "Item 2: Forslag p2" in cli("meeting", "next", "1", "--as", "ole")[1]
    code, out, _ = cli("meeting", "show", "1")
    assert code == 0 and "1. Forslag p1  [p1] · adopted" in out
    assert "Meeting 1 has ended" in cli("meeting", "end", "1", "--as", "ole")[1]
    code, out, _ = cli("meeting", "list", "--json")
    assert json.loads(out)[0]["status"] == "ended"


def test_meeting_mistakes_get_one_clear_line(cli) -> None:  # type: ignore[no-untyped-def]
    assert_one_line_error(
        cli("meeting", "create", "X", "--agenda", "p1,nope", "--as", "ole"),
        "Unknown proposal 'nope'",
    )
    assert_one_line_error(
        cli("meeting", "create", "X", "--agenda", "p1", "--as", "jens"), "neither a facilitator"
    )
    assert_one_line_error(
        cli("meeting", "start", "abc", "--as", "ole"), "Invalid meeting number 'abc'"
    )
    assert_one_line_error(cli("meeting", "start", "7", "--as", "ole"), "Unknown meeting '7'")
    assert cli("meeting", "create", "X", "--agenda", "p1", "--as", "ole")[0] == 0
    assert_one_line_error(cli("meeting", "speak", "1", "--as", "jens"), "has not started")
    assert_one_line_error(cli("meeting", "open", "1", "--as", "ole"), "has not started")
    assert cli("meeting", "start", "1", "--as", "ole")[0] == 0
    assert_one_line_error(cli("meeting", "grant", "1", "--as", "ole"), "list is empty")
    assert_one_line_error(cli("meeting", "next", "1", "--as", "ole"), "last agenda item")
    assert_one_line_error(cli("meeting", "extend", "1", "0", "--as", "ole"), "seconds")
    code, out, _ = cli("meeting", "list")
    assert code == 0 and "X" in out and "running" in out
