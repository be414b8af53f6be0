"""The set-up commands: init, import, member, proposals, show — happy and error paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import assert_one_line_error, run, ssh_key

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "forum.db")
    assert run(capsys, "--db", path, "init")[0] == 0
    return path


def test_init_creates_then_reports_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "x.db")
    code, out, _ = run(capsys, "--db", path, "--lang", "en", "init")
    assert code == 0 and "created" in out
    code, out, _ = run(capsys, "--db", path, "--lang", "en", "init")
    assert code == 0 and "up to date" in out


def test_commands_refuse_a_database_that_was_never_initialised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "never.db"
    assert_one_line_error(
        run(capsys, "--db", str(path), "--lang", "en", "proposals"), "deliberate init"
    )
    assert not path.exists()


def test_import_and_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "--lang", "en", "import", str(REPO / "proposals"))
    assert code == 0 and "new" in out
    code, out, _ = run(capsys, "--db", db, "proposals", "--json")
    listed = json.loads(out)
    assert {"id", "title", "programme", "section", "status", "amendments"} <= set(listed[0])
    assert all(p["status"] == "draft" for p in listed)
    code, out, _ = run(capsys, "--db", db, "proposals")
    assert code == 0 and "Et grønnere fællesskab" in out
    first = listed[0]["id"]
    code, out, _ = run(capsys, "--db", db, "show", first)
    assert code == 0 and listed[0]["title"] in out and "SHA-256" in out


def test_import_errors(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(
        run(capsys, "--db", db, "--lang", "en", "import", str(tmp_path / "missing")),
        "does not exist",
    )
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    assert_one_line_error(run(capsys, "--db", db, "--lang", "en", "import", str(bad)), "bad.md:2")


def test_show_unknown_proposal(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(
        run(capsys, "--db", db, "show", "findes-ikke"), "Ukendt forslag", "findes-ikke"
    )


def test_member_lifecycle(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pub = ssh_key(tmp_path, "birgitte")
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "member",
        "add",
        "birgitte",
        "--name",
        "Birgitte Østergaard",
        "--key",
        str(pub),
    )
    assert code == 0 and "birgitte" in out
    code, _, _ = run(
        capsys,
        "--db",
        db,
        "member",
        "add",
        "ole",
        "--name",
        "Ole Ordstyrer",
        "--role",
        "facilitator",
        "--no-vote",
    )
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "member", "list", "--json")
    members = {m["handle"]: m for m in json.loads(out)}
    assert members["birgitte"]["name"] == "Birgitte Østergaard"
    assert members["birgitte"]["keys"][0].startswith("SHA256:")
    assert members["ole"]["role"] == "facilitator" and members["ole"]["can_vote"] is False
    code, out, _ = run(capsys, "--db", db, "member", "remove", "ole")
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "member", "list", "--json")
    assert {m["handle"]: m["active"] for m in json.loads(out)} == {"birgitte": True, "ole": False}
    second = ssh_key(tmp_path, "birgitte2")
    code, out, _ = run(capsys, "--db", db, "member", "key-add", "birgitte", "--key", str(second))
    assert code == 0
    third = ssh_key(tmp_path, "birgitte3")
    code, out, _ = run(capsys, "--db", db, "member", "key", "add", "birgitte", "--key", str(third))
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "member", "list")
    assert "birgitte" in out and "3" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["member", "add", "Bad Handle", "--name", "X"], "Invalid handle"),
        (["member", "add", "x", "--name", "  "], "name must not be empty"),
        (["member", "add", "x", "--name", "X", "--role", "king"], "Unknown role"),
        (
            ["member", "add", "x", "--name", "X", "--key", "/nonexistent.pub"],
            "Cannot read the key file",
        ),
        (["member", "remove", "nobody"], "Unknown member"),
        (["member", "key-add", "nobody", "--key", "/nonexistent.pub"], "Cannot read"),
    ],
)
def test_member_errors(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    assert_one_line_error(run(capsys, "--db", db, "--lang", "en", *args), needle)


def test_member_key_validation(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pub = ssh_key(tmp_path, "k")
    private = pub.with_suffix("")
    assert_one_line_error(
        run(
            capsys,
            "--db",
            db,
            "--lang",
            "en",
            "member",
            "add",
            "a",
            "--name",
            "A",
            "--key",
            str(private),
        ),
        "private key",
    )
    junk = tmp_path / "junk.pub"
    junk.write_text("ssh-ed25519 notbase64!!\n")
    assert_one_line_error(
        run(
            capsys,
            "--db",
            db,
            "--lang",
            "en",
            "member",
            "add",
            "a",
            "--name",
            "A",
            "--key",
            str(junk),
        ),
        "not a valid OpenSSH public key",
    )
    assert run(capsys, "--db", db, "member", "add", "a", "--name", "A", "--key", str(pub))[0] == 0
    assert_one_line_error(
        run(
            capsys,
            "--db",
            db,
            "--lang",
            "en",
            "member",
            "add",
            "b",
            "--name",
            "B",
            "--key",
            str(pub),
        ),
        "already registered to 'a'",
    )
    assert_one_line_error(
        run(capsys, "--db", db, "--lang", "en", "member", "add", "a", "--name", "A again"),
        "already exists",
    )
    code, out, _ = run(capsys, "--db", db, "member", "list", "--json")
    assert [m["handle"] for m in json.loads(out)] == ["a"]


def test_bad_language_and_bad_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_line_error(run(capsys, "--lang", "fr", "--db", str(tmp_path / "x.db"), "init"), "fr")
    assert_one_line_error(run(capsys, "--lang", "en", "--db", "nosuchdialect://x/y", "init"))


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["--help"],
        ["init", "--help"],
        ["import", "--help"],
        ["member", "add", "--help"],
        ["proposals", "--help"],
        ["show", "--help"],
    ):
        code, out, _ = run(capsys, *args)
        assert code == 0 and "Usage" in out


def test_installed_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("deliberate")
    env = {**os.environ, "DELIBERATE_HOME": str(tmp_path / "home")}
    env.pop("DELIBERATE_DB", None)
    result = subprocess.run(
        [str(script), "--lang", "en", "init"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "home" / "deliberate.db") in result.stdout
    result = subprocess.run(
        [str(script), "show", "nope"], capture_output=True, text=True, env=env, timeout=60
    )
    assert (
        result.returncode == 2
        and result.stderr.count("\n") == 1
        and "Traceback" not in result.stderr
    )
