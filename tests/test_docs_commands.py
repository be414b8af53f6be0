"""Every ```sh block in docs/*.md and README.md, run as a reader would follow it.

Each file's blocks run in order, one command at a time, on a fresh forum in a temporary
folder that holds a copy of the shipped `proposals/` and an SSH public key for every `*.pub`
file a command names. The installed `deliberate` is first on PATH; `DELIBERATE_DB` names the
fresh database and `DELIBERATE_HOME` a fresh data folder. A command fails the test when it
exits non-zero or prints a traceback.

Markers, an HTML comment on the line before a block (invisible when the page is rendered):

  <!-- docs-test: skip (REASON) -->  not run: long-running (serve, tui, demo without --print,
                                     benchmarks, the test suite itself) or needs what a test
                                     cannot have (another host, /srv, a PostgreSQL server).
                                     The reason is required.
  <!-- docs-test: fails -->          every command in the block must fail (exit non-zero,
                                     one line on stderr, no traceback).

And anywhere in a file:

  <!-- docs-test: after FILE.md -->  the page continues another: FILE.md's blocks run first,
                                     on the same forum (so following both guides must work).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted([*(REPO / "docs").glob("*.md"), REPO / "README.md"])
BIN = Path(sys.executable).parent

_MARKER = re.compile(r"<!--\s*docs-test:\s*(skip|fails)\b\s*(.*?)\s*-->")
_AFTER = re.compile(r"<!--\s*docs-test:\s*after\s+(\S+)\s*-->")


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    commands: tuple[str, ...]
    mode: str  # "run", "skip" or "fails"
    reason: str = ""


def blocks(page: Path) -> list[Block]:
    """The ```sh blocks of a page, with their markers; continuation lines joined."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```sh":
            i += 1
            continue
        start = i
        marker = _MARKER.search(lines[i - 1]) if i else None
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        i += 1
        commands: list[str] = []
        pending = ""
        for raw in body:
            if raw.rstrip().endswith("\\"):
                pending += raw.rstrip()[:-1] + " "
                continue
            command = (pending + raw).strip()
            pending = ""
            if command and not command.startswith("#"):
                commands.append(command)
        mode, reason = (marker.group(1), marker.group(2)) if marker else ("run", "")
        found.append(Block(page.name, start + 1, tuple(commands), mode, reason))
    return found


def prerequisites(page: Path) -> list[Path]:
    text = page.read_text(encoding="utf-8")
    return [page.parent / name for name in _AFTER.findall(text)]


def _public_key() -> str:
    import asyncssh

    return asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()


def _prepare(folder: Path, pages: list[Path]) -> dict[str, str]:
    shutil.copytree(REPO / "proposals", folder / "proposals")
    for page in pages:
        for name in set(re.findall(r"[\w.-]+\.pub\b", page.read_text(encoding="utf-8"))):
            (folder / name).write_text(_public_key(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DELIBERATE_")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        DELIBERATE_DB=str(folder / "forum.db"),
        DELIBERATE_HOME=str(folder / "home"),
        HOME=str(folder / "home"),
    )
    return env


def _run(block: Block, command: str, folder: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    where = f"{block.page}:{block.line}: {command}"
    assert "Traceback" not in result.stderr, f"{where}\n{result.stderr}"
    if block.mode == "fails":
        assert result.returncode != 0, f"{where}\nshould fail but printed:\n{result.stdout}"
        assert len(result.stderr.strip().splitlines()) == 1, f"{where}\n{result.stderr}"
    else:
        assert result.returncode == 0, (
            f"{where}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
        )


def follow(pages: list[Path], folder: Path) -> int:
    """Run every block of `pages` in order on one fresh forum; how many commands ran."""
    env = _prepare(folder, pages)
    ran = 0
    for page in pages:
        for block in blocks(page):
            if block.mode == "skip":
                assert block.reason, f"{block.page}:{block.line}: a skip needs a reason"
                continue
            for command in block.commands:
                _run(block, command, folder, env)
                ran += 1
    return ran


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)], ids=lambda p: p.name)
def test_every_command_block_works_when_followed(page: Path, tmp_path: Path) -> None:
    follow([*prerequisites(page), page], tmp_path)


def test_the_marker_parser(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- docs-test: skip (long-running) -->\n```sh\ndeliberate serve\n```\n"
        "<!-- docs-test: fails -->\n```sh\ndeliberate show nope   # unknown\n```\n"
        "```sh\n# a comment\ndeliberate meeting create X --agenda a \\\n    --as ole\n```\n",
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.mode, b.reason) for b in found] == [
        ("skip", "(long-running)"),
        ("fails", ""),
        ("run", ""),
    ]
    assert found[2].commands == ("deliberate meeting create X --agenda a      --as ole",)


def test_a_failing_command_fails_the_test(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```sh\ndeliberate init\ndeliberate show no-such-proposal\n```\n")
    with pytest.raises(AssertionError, match="no-such-proposal"):
        follow([page], tmp_path / "run")


def test_a_block_marked_fails_must_fail(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- docs-test: fails -->\n```sh\ndeliberate init\n```\n")
    with pytest.raises(AssertionError, match="should fail"):
        follow([page], tmp_path / "run")
