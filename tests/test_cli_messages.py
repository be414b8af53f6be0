"""Command-line messages a newcomer meets (issue 9, defects 11 and 12): who acts, OS errors in
the reader's language, YAML errors in Danish."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from support.cli import assert_one_line_error, run


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


def test_broken_yaml_is_reported_in_danish_with_its_line(
    tmp_path: Path, forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Et forslag\nauthors: [Anne, Bo\n---\n\nTekst.\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(forum), "import", str(bad))
    assert code != 0
    assert "ugyldig YAML i front matter, linje" in err, err
    assert "while" not in err and "expected" not in err, err


@pytest.mark.parametrize(
    ("make", "danish", "english"),
    [
        (lambda p: p / "missing.pub", "filen findes ikke", "No such file"),
        (lambda p: p, "det er en mappe", "Is a directory"),
    ],
)
def test_os_errors_are_in_the_readers_language(
    tmp_path: Path,
    forum: Path,
    capsys: pytest.CaptureFixture[str],
    make: object,
    danish: str,
    english: str,
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = run(
        capsys, "--db", str(forum), "member", "add", "bo", "--name", "Bo", "--key", str(path)
    )
    assert_one_line_error(result, danish)
    assert english not in result[2]
    result = run(
        capsys,
        "--db",
        str(forum),
        "--lang",
        "en",
        "member",
        "add",
        "bo",
        "--name",
        "Bo",
        "--key",
        str(path),
    )
    assert_one_line_error(result, english.lower().replace("is a directory", "it is a folder"))


def test_text_files_given_to_commands_fail_in_the_readers_language(
    tmp_path: Path, forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`propose --file`, `verify --witness-file`, `member import`: a missing file or bytes that
    are not UTF-8 are one line in the reader's language, never Python's English."""
    db = ("--db", str(forum))
    assert run(capsys, *db, "member", "add", "anna", "--name", "Anna")[0] == 0
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("Forslag om \xe6bler".encode("latin-1"))
    missing = tmp_path / "missing.md"
    cases = [
        ("propose", "--title", "T", "--file", str(missing), "--as", "anna"),
        ("propose", "--title", "T", "--file", str(latin1), "--as", "anna"),
        ("verify", "--witness-file", str(latin1)),
        ("member", "import", str(latin1)),
    ]
    for args in cases:
        result = run(capsys, *db, *args)
        danish = "filen findes ikke" if str(missing) in args else "teksten er ikke UTF-8"
        assert_one_line_error(result, danish)
        assert "No such file" not in result[2] and "not UTF-8" not in result[2], result[2]
        result = run(capsys, *db, "--lang", "en", *args)
        english = "no such file" if str(missing) in args else "the text is not UTF-8"
        assert_one_line_error(result, english)


def test_one_time_format_on_screens_and_in_commands() -> None:
    import datetime as dt
    import re

    from deliberate.i18n import Translator, translate

    moment = dt.datetime(2026, 12, 2, 0, 45, tzinfo=dt.UTC)
    da = Translator("da").moment(moment)
    assert re.fullmatch(r"\d+\. [a-z]+\.? 2026 \d\d\.\d\d", da), da
    assert translate("voting.error.deadline_in_past", "da", closes_at=moment).count(da) == 1
    src = Path(__file__).resolve().parents[1] / "src" / "deliberate"
    # The one other context: the overview's compact weekday boundary ("debat til fre. 14.00").
    compact = src / "tui" / "render.py"
    for folder in ("cli", "tui"):
        for file in (src / folder).rglob("*.py"):
            text = file.read_text(encoding="utf-8")
            if file == compact:
                assert text.count(".datetime(") == 1, file
                continue
            assert ".datetime(" not in text and "strftime(" not in text, file
