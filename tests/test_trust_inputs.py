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

from cli_helpers import assert_one_line_error, run

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
