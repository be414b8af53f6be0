"""Command-line messages a newcomer meets (issue 9, defects 11 and 12): who acts, OS errors in
the reader's language, YAML errors in Danish."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from tests.cli_helpers import assert_one_line_error, run


@pytest.fixture
def forum(tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "forum.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    assert run(capsys, "--db", str(path), "import", str(samples_dir))[0] == 0
    return path


def test_an_unknown_login_name_gets_a_hint(
    forum: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DELIBERATE_MEMBER", raising=False)
    login = getpass.getuser()
    result = run(capsys, "--db", str(forum), "vote", "egf-1", "ja")
    assert_one_line_error(result, f"'{login}'", "--as HANDLE", "DELIBERATE_MEMBER")
    result = run(capsys, "--db", str(forum), "--lang", "en", "vote", "egf-1", "ja")
    assert_one_line_error(result, f"'{login}'", "--as HANDLE", "DELIBERATE_MEMBER")


def test_an_unknown_handle_given_with_as_gets_no_login_hint(
    forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "--db", str(forum), "vote", "egf-1", "ja", "--as", "nobody")
    assert_one_line_error(result, "'nobody'")
    assert "login" not in result[2]
