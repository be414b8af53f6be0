"""Every ```sh block in docs/*.md and README.md, run as a reader would follow it.

Each file's blocks run in order, one command at a time, on a fresh forum in a temporary
folder that holds a copy of the shipped `proposals/` and an SSH public key for every `*.pub`
file a command names. The installed `deliberate` is first on PATH; `DELIBERATE_DB` names the
fresh database and `DELIBERATE_HOME` a fresh data folder. A command fails the test when it
exits non-zero or prints a traceback. A plain `deliberate ...` command runs in this process
through the console entry point (as the CLI tests do: start-up is tested elsewhere); a command
with pipes, redirections or other programs runs in bash.

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

import io
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
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


_SHELL = set("|&;<>()$`*?[]{}~")


def _in_process(command: str) -> list[str] | None:
    """The arguments of a plain `deliberate ...` command (no pipes, redirections, variables
    or globs), which runs in this process through the console entry point; None: bash runs it."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        words = list(lexer)
    except ValueError:
        return None
    if not words or words[0] != "deliberate":
        return None
    if any(set(w) & _SHELL for w in words):
        return None
    return words[1:]


@contextmanager
def _environment(folder: Path, env: dict[str, str]) -> Iterator[None]:
    saved, cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)


def _run_in_process(args: list[str], folder: Path, env: dict[str, str]) -> tuple[int, str, str]:
    from deliberate.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _environment(folder, env), redirect_stdout(out), redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def _run_in_bash(command: str, folder: Path, env: dict[str, str]) -> tuple[int, str, str]:
    with subprocess.Popen(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a timeout ends the whole group, servers included
    ) as proc:
        try:
            out, err = proc.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(f"still running after 300 s: {command}") from None
    return proc.returncode, out, err


def _run(block: Block, command: str, folder: Path, env: dict[str, str]) -> None:
    args = _in_process(command)
    if args is not None:
        returncode, stdout, stderr = _run_in_process(args, folder, env)
    else:
        returncode, stdout, stderr = _run_in_bash(command, folder, env)
    where = f"{block.page}:{block.line}: {command}"
    assert "Traceback" not in stderr, f"{where}\n{stderr}"
    if block.mode == "fails":
        assert returncode != 0, f"{where}\nshould fail but printed:\n{stdout}"
        assert len(stderr.strip().splitlines()) == 1, f"{where}\n{stderr}"
    else:
        assert returncode == 0, f"{where}\nexit {returncode}\n{stdout}\n{stderr}"


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
