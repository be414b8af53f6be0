"""Inputs that must end in one clear line and leave nothing behind (issue 14): a kill inside
`import-json`, numbers out of range, arguments that are not UTF-8."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from deliberate.store.engine import Database
from support.cli import assert_one_line_error, run

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from deliberate.cli import main; main()"]


def deliberate(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env={**os.environ, "DELIBERATE_LANG": "en", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def export_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A complete forum export: members, proposals, votes, a closed result."""
    monkeypatch.setenv("DELIBERATE_LANG", "en")
    db = str(tmp_path / "source.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "import", str(REPO / "proposals"))[0] == 0
    for handle, role in (("ole", "facilitator"), ("anna", "member"), ("bo", "member")):
        code = run(capsys, "--db", db, "member", "add", handle, "--name", handle, "--role", role)
        assert code[0] == 0, code
    assert run(capsys, "--db", db, "open", "egf-1", "--as", "ole")[0] == 0
    assert run(capsys, "--db", db, "vote", "egf-1", "ja", "--as", "anna")[0] == 0
    assert run(capsys, "--db", db, "vote", "egf-1", "nej", "--as", "bo")[0] == 0
    assert run(capsys, "--db", db, "close", "egf-1", "--as", "ole")[0] == 0
    out = tmp_path / "forum.json"
    code, _, err = run(capsys, "--db", db, "export", "--format", "json", "--out", str(out))
    assert code == 0, err
    return out


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("members", "proposals", "votes", "audit_log", "audit_head")
        }


def test_a_kill_between_loading_and_checking_leaves_the_database_empty(
    tmp_path: Path, export_file: Path
) -> None:
    target = tmp_path / "target.db"
    assert deliberate("--db", str(target), "init").returncode == 0
    before = counts(target)
    killed = deliberate(
        "--db",
        str(target),
        "import-json",
        str(export_file),
        DELIBERATE_CRASH_AT="import-json.loaded",
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert counts(target) == before == dict.fromkeys(before, 0)
    again = deliberate("--db", str(target), "import-json", str(export_file))
    assert again.returncode == 0, again.stderr
    assert counts(target)["votes"] == 2
    verified = deliberate("--db", str(target), "verify")
    assert verified.returncode == 0, verified.stdout


def test_a_refused_check_leaves_the_database_empty(tmp_path: Path, export_file: Path) -> None:
    doc = json.loads(export_file.read_text("utf-8"))
    doc["votes"][0]["choice"] = "bloker"  # verify will refuse it after loading
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), "utf-8")
    target = tmp_path / "target.db"
    assert deliberate("--db", str(target), "init").returncode == 0
    refused = deliberate("--db", str(target), "import-json", str(bad))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert counts(target) == dict.fromkeys(counts(target), 0)


def test_a_huge_integer_is_one_clear_line(
    tmp_path: Path, export_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(export_file.read_text("utf-8"))
    doc["members"][0]["id"] = 10**30
    bad = tmp_path / "huge.json"
    bad.write_text(json.dumps(doc), "utf-8")
    target = str(tmp_path / "target.db")
    assert run(capsys, "--db", target, "init")[0] == 0
    result = run(capsys, "--lang", "en", "--db", target, "import-json", str(bad))
    assert_one_line_error(result, "members[0].id", "out of range")
    assert counts(Path(target))["members"] == 0


def test_an_argument_that_is_not_utf8_is_one_clear_line(tmp_path: Path) -> None:
    bad = b"egf-\xff\xfe".decode("utf-8", "surrogateescape")
    for args in (["show", bad], ["--db", str(tmp_path / "x.db"), "member", "add", bad]):
        result = subprocess.run(
            [*CLI, *args],
            env={**os.environ, "DELIBERATE_LANG": "en"},
            capture_output=True,
            timeout=120,
        )
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2, err
        assert err.count("\n") == 1 and "not valid UTF-8" in err and "Traceback" not in err


# ------------------------------------------------------------------------------ import limits

GOOD = "---\ntitle: Et forslag\n---\n\nTekst.\n"


def import_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, *paths: str
) -> tuple[int, str, str]:
    db = str(tmp_path / "forum.db")
    if not Path(db).exists():
        assert run(capsys, "--db", db, "init")[0] == 0
    return run(capsys, "--lang", "en", "--db", db, "import", *paths)


def proposal_count(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "forum.db") as conn:
        return conn.execute("SELECT count(*) FROM proposals").fetchone()[0]


def test_a_fifo_is_refused_not_waited_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, "utf-8")
    os.mkfifo(folder / "x.md")
    code, _, err = import_cli(capsys, tmp_path, str(folder))
    assert code == 2 and "x.md" in err and "not a regular file" in err, err
    assert proposal_count(tmp_path) == 0
    code, _, err = import_cli(capsys, tmp_path, str(folder / "x.md"))
    assert code == 2 and "not a regular file" in err, err


def test_symlinks_leaving_the_tree_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Hemmelig\n---\n\nHemmeligt.\n", "utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, "utf-8")
    (folder / "leak.md").symlink_to("../outside/secret.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    (folder / "inside.md").symlink_to("good.md")  # inside the tree: fine
    code, _, err = import_cli(capsys, tmp_path, str(folder))
    assert code == 2, err
    for name in ("leak.md", "zero.md", "sub"):
        assert name in err and "outside the folder" in err, err
    assert "Hemmelig" not in err and proposal_count(tmp_path) == 0
    for name in ("leak.md", "zero.md", "sub"):
        os.unlink(folder / name)
    code, _, err = import_cli(capsys, tmp_path, str(folder))
    assert code == 0, err


def test_file_size_and_title_limits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: Stor\n---\n\n" + "x" * 2_100_000 + "\n", "utf-8")
    code, _, err = import_cli(capsys, tmp_path, str(big))
    assert code == 2 and err.count("\n") == 1 and "larger than the limit of 2 MB" in err, err
    code, _, err = import_cli(capsys, tmp_path, "--max-file-size", "3MB", str(big))
    assert code == 0, err
    long_title = tmp_path / "title.md"
    long_title.write_text(f"---\ntitle: {'T' * 1_000_000}\n---\n\nTekst.\n", "utf-8")
    code, _, err = import_cli(capsys, tmp_path, str(long_title))
    assert code == 2 and "title.md:2" in err and "at most 300" in err, err[:300]
    assert len(err) < 500
    code, _, err = import_cli(capsys, tmp_path, "--max-file-size", "lots", str(big))
    assert code == 2 and "Invalid size" in err


def test_deeply_nested_folders_are_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top = tmp_path / "deep"
    folder = str(top)
    os.mkdir(folder)
    for _ in range(1200):
        folder += "/a"
        os.mkdir(folder)  # one by one: pathlib's mkdir(parents=True) recurses
    with open(folder + "/x.md", "w", encoding="utf-8") as f:
        f.write(GOOD)
    try:
        code, _, err = import_cli(capsys, tmp_path, str(top))
    finally:  # bottom up: pytest's recursive clean-up would itself hit the recursion limit
        os.unlink(folder + "/x.md")
        while folder != str(top):
            os.rmdir(folder)
            folder = folder.rsplit("/", 1)[0]
    assert code == 2 and err.count("\n") == 1 and "deeper than 32" in err, err[:300]
    assert "Traceback" not in err and "RecursionError" not in err


def test_duplicate_yaml_keys_are_refused_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dup = tmp_path / "dup.md"
    dup.write_text("---\ntitle: Første\nsection: '1'\ntitle: Anden\n---\n\nTekst.\n", "utf-8")
    code, _, err = import_cli(capsys, tmp_path, str(dup))
    assert code == 2 and "dup.md:4" in err and "'title'" in err and "line 2" in err, err
    assert proposal_count(tmp_path) == 0


# ------------------------------------------------------------------ member-written text limits


@pytest.fixture
def small_forum(tmp_path: Path) -> Database:
    from deliberate.services import importer, members
    from deliberate.store import migrate

    db = Database(f"sqlite:///{tmp_path / 'small.db'}")
    migrate.upgrade(db)
    (tmp_path / "p.md").write_text(GOOD, "utf-8")
    importer.import_paths(db, [tmp_path / "p.md"])
    members.add_member(db, "eve", "Eve")
    members.add_member(db, "bo", "Bo")
    yield db
    db.dispose()


def comment_rows(db: Database) -> int:
    from sqlalchemy import func, select

    from deliberate.store.models import Comment

    with db.read() as s:
        return s.scalar(select(func.count(Comment.id))) or 0


def test_comments_are_rate_limited_per_member(
    small_forum: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deliberate.errors import UserError
    from deliberate.services import comments

    monkeypatch.delenv(comments.COMMENTS_PER_MINUTE_ENV, raising=False)
    for i in range(10):
        comments.add_comment(small_forum, "eve", "p", f"Kommentar {i}")
    with pytest.raises(UserError) as refused:
        comments.add_comment(small_forum, "eve", "p", "Nummer elleve")
    assert "10 comments in the last minute" in refused.value.message("en")
    assert comment_rows(small_forum) == 10  # the refusal wrote nothing
    comments.add_comment(small_forum, "bo", "p", "En anden må gerne")  # per member
    monkeypatch.setenv(comments.COMMENTS_PER_MINUTE_ENV, "3")
    with pytest.raises(UserError):
        comments.add_comment(small_forum, "bo", "p", "To")
        comments.add_comment(small_forum, "bo", "p", "Tre")
        comments.add_comment(small_forum, "bo", "p", "Fire")
    assert comment_rows(small_forum) == 13
    monkeypatch.setenv(comments.COMMENTS_PER_MINUTE_ENV, "0")  # no limit
    comments.add_comment(small_forum, "eve", "p", "Nummer elleve")


def test_the_rate_limit_on_the_command_line_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DELIBERATE_COMMENTS_PER_MINUTE", "2")
    db = str(tmp_path / "forum.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    (tmp_path / "p.md").write_text(GOOD, "utf-8")
    assert run(capsys, "--db", db, "import", str(tmp_path / "p.md"))[0] == 0
    assert run(capsys, "--db", db, "member", "add", "eve", "--name", "Eve")[0] == 0
    for text in ("En", "To"):
        assert run(capsys, "--db", db, "comment", "p", text, "--as", "eve")[0] == 0
    result = run(capsys, "--lang", "en", "--db", db, "comment", "p", "Tre", "--as", "eve")
    assert_one_line_error(result, "2 comments in the last minute")


def test_lengths_of_member_written_text(small_forum: Database) -> None:
    from deliberate.errors import UserError
    from deliberate.services import comments, members, voting

    with pytest.raises(UserError) as refused:
        members.add_member(small_forum, "long", "N" * 201)
    assert "at most 200" in refused.value.message("en")
    with pytest.raises(UserError):
        members.update_member(small_forum, "eve", name="N" * 5000)
    with pytest.raises(UserError) as refused:
        comments.add_comment(small_forum, "eve", "p", "x" * (comments.MAX_BODY + 1))
    assert str(comments.MAX_BODY) in refused.value.message("en").replace(".", "").replace(",", "")
    members.add_member(small_forum, "ole", "Ole", role="facilitator")
    voting.open_voting(small_forum, "ole", "p")
    with pytest.raises(UserError):
        voting.cast_vote(small_forum, "eve", "p", "bloker", reason="r" * (voting.MAX_REASON + 1))
    assert comment_rows(small_forum) == 0
