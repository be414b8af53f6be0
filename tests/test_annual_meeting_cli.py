"""The annual meeting from the command line: 40 members, check-in of 30, two proxies, an open
vote with the non-voters listed, a secret vote, a hand count, a vote that fails the quorum of
those present; the refusals are one line and write nothing; the minutes hold it all and
`verify` passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import assert_one_line_error, run

PROPOSAL = "---\nid: {id}\ntitle: Forslag {id}\n---\n\nTekst.\n"
VOTERS = [f"m{n:02d}" for n in range(1, 39)]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    db = str(tmp_path / "forum.db")

    def call(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--db", db, "--lang", "en", *args)

    folder = tmp_path / "forslag"
    folder.mkdir()
    for pid in ("p1", "p2", "p3", "p4"):
        (folder / f"{pid}.md").write_text(PROPOSAL.format(id=pid), encoding="utf-8")
    (tmp_path / "present.toml").write_text(
        'name = "landsmoede"\nquorum = "1/2"\nquorum_base = "present"\n', encoding="utf-8"
    )
    assert call("init")[0] == 0
    assert call("import", str(folder))[0] == 0
    assert call("member", "add", "ole", "--name", "Ole", "--role", "facilitator")[0] == 0
    assert call("member", "add", "anne", "--name", "Anne", "--role", "organizer")[0] == 0
    for handle in VOTERS:
        assert call("member", "add", handle, "--name", f"Medlem {handle}")[0] == 0
    return call


def unchanged(cli, result, *needles):  # type: ignore[no-untyped-def]
    """A refusal: one line, and the audit chain did not grow."""
    assert_one_line_error(result, *needles)


def test_the_annual_meeting_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("meeting", "create", "Landsmøde", "--agenda", "p1,p2,p3,p4", "--as", "ole")[0] == 0
    assert cli("meeting", "checkin", "1", "--open", "--as", "ole")[0] == 0
    for handle in VOTERS[:28]:
        assert cli("meeting", "checkin", "1", "--as", handle)[0] == 0
    code, out, _ = cli("meeting", "checkin", "1", "--member", "m29", "--as", "ole")
    assert code == 0 and "29 present" in out
    assert cli("meeting", "checkin", "1", "--member", "m30", "--as", "ole")[0] == 0
    assert cli("meeting", "start", "1", "--as", "ole")[0] == 0
    assert cli("proxy", "add", "1", "--from", "m31", "--to", "m01", "--as", "anne")[0] == 0
    assert cli("proxy", "add", "1", "--from", "m32", "--to", "m02", "--as", "anne")[0] == 0

    entries = lambda: json.loads(cli("meeting", "show", "1", "--json")[1])["audit_head"]["seq"]  # noqa: E731
    before = entries()
    assert_one_line_error(
        cli("proxy", "add", "1", "--from", "m33", "--to", "m01", "--as", "anne"), "already holds"
    )
    assert_one_line_error(
        cli("proxy", "add", "1", "--from", "m33", "--to", "m33", "--as", "anne"), "themselves"
    )
    assert entries() == before
    code, out, _ = cli("proxy", "list", "1", "--json")
    assert json.loads(out) == [{"from": "m31", "to": "m01"}, {"from": "m32", "to": "m02"}]

    # An open vote: the non-voters are listed.
    assert cli("meeting", "open", "1", "--as", "ole")[0] == 0
    for handle in VOTERS[:10]:
        assert cli("vote", "p1", "ja", "--as", handle)[0] == 0
    code, out, _ = cli("vote", "p1", "nej", "--for", "m31", "--as", "m01")
    assert code == 0 and "by proxy for m31" in out
    state = json.loads(cli("meeting", "show", "1", "--json")[1])
    assert state["present"] == 32 and state["non_voters"] == VOTERS[10:30] + ["m32"]
    assert cli("vote", "p1", "ja", "--as", "m31")[0] == 0  # replaces the proxy vote
    before = entries()
    assert_one_line_error(
        cli("vote", "p1", "nej", "--for", "m31", "--as", "m01"), "m31", "voted themselves"
    )
    assert entries() == before
    assert cli("meeting", "close", "1", "--as", "ole")[0] == 0

    # A secret vote.
    assert cli("meeting", "next", "1", "--as", "ole")[0] == 0
    code, out, _ = cli("meeting", "open", "1", "--secret", "--as", "ole")
    assert code == 0
    trackers = []
    for n, handle in enumerate(VOTERS[:20]):
        code, out, _ = cli("vote", "p2", ("ja", "nej")[n % 2], "--as", handle)
        assert code == 0 and "final" in out and "tracker code" in out
        trackers.append(out.split("tracker code: ")[1].split(" ")[0])
    code, out, _ = cli("tally", "p2", "--json")
    assert json.loads(out)["counts"] is None and json.loads(out)["cast"] == 20
    state = json.loads(cli("meeting", "show", "1", "--json")[1])
    assert state["non_voters"] == [] and state["voting"]["counts"] is None
    before = entries()
    assert_one_line_error(cli("vote", "p2", "ja", "--as", "m05"), "final")
    assert entries() == before
    assert cli("meeting", "close", "1", "--as", "ole")[0] == 0
    tally = json.loads(cli("tally", "p2", "--json")[1])
    assert tally["counts"]["ja"] == 10 and tally["counts"]["nej"] == 10 and tally["secret"]

    # A hand count.
    assert cli("meeting", "next", "1", "--as", "ole")[0] == 0
    code, out, _ = cli(
        "meeting", "record", "1", "--ja", "20", "--betinget-ja", "0", "--udskyd", "1",
        "--nej", "5", "--bloker", "0", "--as", "ole",
    )  # fmt: skip
    assert code == 0 and "counted in the room" in out
    before = entries()
    assert_one_line_error(
        cli("meeting", "record", "1", "--ja", "3", "--as", "ole"), "already closed"
    )
    assert entries() == before
    assert "counted in the room" in cli("tally", "p3")[1]

    # A vote that fails the quorum of those present.
    assert cli("meeting", "next", "1", "--as", "ole")[0] == 0
    rules = str(tmp_path / "present.toml")
    assert cli("meeting", "open", "1", "--rules", rules, "--as", "ole")[0] == 0
    for handle in VOTERS[:15]:
        assert cli("vote", "p4", "ja", "--as", handle)[0] == 0
    code, out, _ = cli("meeting", "close", "1", "--as", "ole")
    assert code == 0 and "15 of 32 eligible members present voted" in out
    assert cli("meeting", "checkout", "1", "--as", "m05")[0] == 0
    assert cli("meeting", "end", "1", "--as", "ole")[0] == 0

    code, out, _ = cli("verify")
    assert code == 0, out
    code, minutes, _ = cli("export", "--format", "md", "--session", "1")
    assert code == 0
    for needle in ("Attendance", "m30", "Proxies", "m31 → m01", "counted in the room"):
        assert needle in minutes, needle
    for tracker in trackers:
        assert tracker in minutes
