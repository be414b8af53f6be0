"""`deliberate backup PATH` / `deliberate restore PATH` (DESIGN §7), and `verify` on a copy
whose log is empty but whose tables are not."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from deliberate.services import audit
from deliberate.services.demo import build_demo
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, Comment, Vote
from support.cli import assert_one_line_error, run


@pytest.fixture
def forum(tmp_path: Path) -> Path:
    """A demo forum with votes, comments, open and closed proposals, left with a WAL."""
    path = tmp_path / "forum.db"
    db = build_demo(path)
    db.dispose()
    return path


def _counts(path: Path) -> tuple[int, int, int]:
    db = Database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            return (
                s.scalar(select(func.count()).select_from(Vote)) or 0,
                s.scalar(select(func.count()).select_from(Comment)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            )
    finally:
        db.dispose()


def _hold_open(path: Path) -> subprocess.Popen[str]:
    """Another process with the forum open, as a running `serve` or `tui` has it."""
    script = textwrap.dedent(
        f"""
        import sys
        from deliberate.store.engine import Database
        from deliberate.services import proposals
        db = Database("sqlite:///{path}")
        proposals.list_proposals(db)
        print("ready", flush=True)
        sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_backup_of_a_running_forum_holds_every_vote(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A writer keeps its WAL: the votes are not yet in forum.db itself (what `cp` copied).
    holder = _hold_open(forum)
    try:
        copy = tmp_path / "copy.db"
        code, out, err = run(capsys, "--db", str(forum), "backup", str(copy))
        assert code == 0, err
        assert _counts(copy) == _counts(forum)
        assert _counts(copy)[0] > 0
        db = Database(f"sqlite:///{forum}")
        head = audit.verify(db).head_hash
        db.dispose()
        assert head in out
        # The copy is one self-contained file: no -wal beside it.
        assert not Path(f"{copy}-wal").exists()
        code, out, err = run(capsys, "--db", str(copy), "verify")
        assert code == 0, err
        assert head in out
    finally:
        holder.communicate("\n")


def test_backup_refuses_an_existing_file(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    result = run(capsys, "--db", str(forum), "backup", str(existing))
    assert_one_line_error(result, str(existing))
    assert existing.read_bytes() == b"keep me"


def test_backup_on_postgres_points_to_pg_dump(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--db", "postgresql://forum@127.0.0.1:1/forum", "backup", "/tmp/never.db")
    assert_one_line_error(result, "pg_dump")
    assert not Path("/tmp/never.db").exists()


def test_restore_into_a_new_file(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert run(capsys, "--db", str(forum), "backup", str(copy))[0] == 0
    target = tmp_path / "restored.db"
    code, out, err = run(capsys, "--db", str(target), "restore", str(copy))
    assert code == 0, err
    assert _counts(target) == _counts(forum)
    assert run(capsys, "--db", str(target), "verify")[0] == 0


def test_restore_refuses_a_forum_in_use(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert run(capsys, "--db", str(forum), "backup", str(copy))[0] == 0
    before = _counts(forum)
    holder = _hold_open(forum)
    try:
        result = run(capsys, "--db", str(forum), "restore", str(copy), "--force")
        assert_one_line_error(result)
        assert "brug" in result[2] or "bruges" in result[2]
    finally:
        holder.communicate("\n")
    assert _counts(forum) == before


def test_restore_refuses_a_non_empty_forum_without_force(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.db"
    build_demo(other).dispose()
    copy = tmp_path / "copy.db"
    assert run(capsys, "--db", str(other), "backup", str(copy))[0] == 0
    before = _counts(forum)
    result = run(capsys, "--db", str(forum), "restore", str(copy))
    assert_one_line_error(result, "--force")
    assert _counts(forum) == before
    code, _, err = run(capsys, "--db", str(forum), "restore", str(copy), "--force")
    assert code == 0, err
    assert _counts(forum) == _counts(copy)


def test_restore_refuses_a_backup_that_does_not_verify(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert run(capsys, "--db", str(forum), "backup", str(copy))[0] == 0
    con = sqlite3.connect(copy)
    con.execute("UPDATE votes SET choice = 'nej' WHERE choice != 'nej'")
    con.commit()
    con.close()
    target = tmp_path / "restored.db"
    result = run(capsys, "--db", str(target), "restore", str(copy))
    assert_one_line_error(result, str(copy))
    assert not target.exists() or _counts(target) == (0, 0, 0)


def test_restore_refuses_a_file_that_is_not_a_forum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    target = tmp_path / "restored.db"
    result = run(capsys, "--db", str(target), "restore", str(junk))
    assert_one_line_error(result, str(junk))
    result = run(capsys, "--db", str(target), "restore", str(tmp_path / "missing.db"))
    assert_one_line_error(result, "missing.db")


def test_verify_fails_when_the_log_is_empty_but_the_tables_are_not(
    forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database(f"sqlite:///{forum}")
    with db.write() as s:
        s.execute(text("DELETE FROM audit_log"))
        s.execute(text("DELETE FROM audit_head"))
    db.dispose()
    code, out, _ = run(capsys, "--db", str(forum), "verify")
    assert code == 1
    assert "OK" not in out


def test_verify_fails_on_a_forum_with_content_but_no_log(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What `cp forum.db` of a running forum gave: proposals and members, no votes, no log.
    path = tmp_path / "copied.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    assert run(capsys, "--db", str(path), "import", str(samples_dir))[0] == 0
    assert run(capsys, "--db", str(path), "member", "add", "ole", "--name", "Ole")[0] == 0
    with sqlite3.connect(path) as conn:  # the copy lacks the log (it was still in the WAL)
        conn.execute("DELETE FROM audit_log")
        conn.execute("UPDATE audit_head SET seq = 0, hash = ?", (audit.GENESIS,))
    code, out, _ = run(capsys, "--db", str(path), "verify")
    assert code == 1
    assert "OK" not in out
    assert "tom" in out


def test_verify_of_a_fresh_forum_says_the_log_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fresh.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    code, out, _ = run(capsys, "--db", str(path), "verify")
    assert code == 0
    assert "tom" in out or "empty" in out


def test_backup_before_anyone_has_voted_succeeds(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    assert run(capsys, "--db", str(path), "import", str(samples_dir))[0] == 0
    copy = tmp_path / "copy.db"
    code, out, err = run(capsys, "--db", str(path), "backup", str(copy))
    assert code == 0, err
    assert "verify OK" in out  # imports are logged: the copy's log vouches for them
    target = tmp_path / "restored.db"
    code, out, err = run(capsys, "--db", str(target), "restore", str(copy))
    assert code == 0, err


def test_restore_on_postgres_points_to_pg_restore(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--db", "postgresql://forum@127.0.0.1:1/forum", "restore", "x.db")
    assert_one_line_error(result, "pg_restore")
