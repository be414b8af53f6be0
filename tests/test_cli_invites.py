"""`deliberate member invite` and `deliberate member import FILE.csv [--invite]`."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from support.cli import assert_one_line_error, run

CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "forum.db")
    assert run(capsys, "--db", path, "init")[0] == 0
    assert run(capsys, "--db", path, "member", "add", "anna", "--name", "Anna")[0] == 0
    return path


def test_invite_prints_one_code_and_says_when_it_replaces_one(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db, "--lang", "en", "member", "invite", "anna")
    assert code == 0 and err == ""
    assert len(CODE.findall(out)) == 1 and "Invite code for anna (Anna)" in out
    assert "no longer works" not in out
    code, out, _ = run(capsys, "--db", db, "member", "invite", "anna", "--valid", "36h")
    assert code == 0 and "virker ikke længere" in out


def test_invite_refusals_are_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(
        run(capsys, "--db", db, "member", "invite", "nobody"), "nobody", code=None
    )
    assert_one_line_error(
        run(capsys, "--db", db, "member", "invite", "anna", "--valid", "forever"),
        "forever",
        code=None,
    )


def test_import_adds_members_and_writes_their_codes_to_a_private_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members_csv = tmp_path / "members.csv"
    members_csv.write_text(
        "handle,name,role\nbo,=HYPERLINK(x),facilitator\nanna,Anna\n", encoding="utf-8"
    )
    codes = tmp_path / "codes.csv"
    args = ("--db", db, "--lang", "en", "member", "import", str(members_csv), "--invite")
    code, out, err = run(capsys, *args, "--out", str(codes))
    assert code == 0, err
    assert "1 members added, 1 already existed" in out and not CODE.search(out)
    assert stat.S_IMODE(codes.stat().st_mode) == 0o600
    lines = codes.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "handle,name,code,expires_at"
    assert lines[1].startswith("bo,'=HYPERLINK(x),") and CODE.search(lines[1])
    assert lines[2].startswith("anna,Anna,") and CODE.search(lines[2])
    # Never overwritten; nothing is imported or invited when refused.
    before = codes.read_text(encoding="utf-8")
    assert_one_line_error(run(capsys, *args, "--out", str(codes)), "already exists", code=None)
    assert codes.read_text(encoding="utf-8") == before
    # Without --out the codes are printed, one line per member.
    code, out, _ = run(capsys, *args)
    assert code == 0 and len(CODE.findall(out)) == 2


def test_import_names_the_bad_line_and_adds_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members_csv = tmp_path / "members.csv"
    members_csv.write_text("bo,Bo\ncarl,Carl,king\n", encoding="utf-8")
    assert_one_line_error(
        run(capsys, "--db", db, "member", "import", str(members_csv)),
        "members.csv, linje 2",
        "king",
        code=None,
    )
    code, out, _ = run(capsys, "--db", db, "member", "list")
    assert "bo" not in out.split()
    members_csv.write_bytes(b"bo,B\xf8\n")
    assert_one_line_error(
        run(capsys, "--db", db, "member", "import", str(members_csv)), "UTF-8", code=None
    )
