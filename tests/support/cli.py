"""Running the `deliberate` command line in-process, for the CLI tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from deliberate.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`deliberate ARGS...` through the console entry point: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(
    result: tuple[int, str, str], *needles: str, code: int | None = 2
) -> None:
    """A user error: non-zero exit (2 unless told), one line on stderr, no traceback."""
    status, _, err = result
    assert status != 0 if code is None else status == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("deliberate: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def ssh_key(tmp_path: Path, name: str) -> Path:
    key = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(key)],
        check=True,
    )
    return key.with_suffix(".pub")
