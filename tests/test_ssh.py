"""`deliberate serve` with the real OpenSSH client, and `deliberate ssh authorized-keys`."""

from __future__ import annotations

import re
import select
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from deliberate.ssh.authorized_keys import MemberKeyLine, authorized_key_line, forced_command
from support.ssh import (
    Forum,
    Server,
    make_forum,
    make_key,
    needs_openssh,
    needs_tmux,
    running_server,
    ssh_command,
    tmux,
    wait_for,
)

pytestmark = [needs_openssh, pytest.mark.xdist_group("ssh")]

NO_TERMINAL = "deliberate needs a terminal"


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Forum:
    forum = make_forum(tmp_path_factory.mktemp("ssh-forum"))
    forum.add_member("ole", "Ole Ordstyrer", "facilitator")
    forum.add_member("birgitte", "Birgitte Østergaard")
    forum.add_member("jens", "Jens Mølgaard")
    return forum


@pytest.fixture(scope="module")
def server(forum: Forum) -> Iterator[Server]:
    with running_server(forum) as server:
        yield server


def cli(
    forum: Forum, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> subprocess.CompletedProcess[str]:
    """The command line in-process (as fast as a function call), like `deliberate --db … ARGS`."""
    from deliberate.cli import main

    monkeypatch.setenv("DELIBERATE_HOME", str(forum.home))
    capsys.readouterr()
    try:
        main(["--db", str(forum.db), *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out, err)


def ssh(
    server: Server, key: Path, *extra: str, command: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*server.ssh_args(key, *extra), *command],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_an_unknown_key_is_refused(forum: Forum, server: Server) -> None:
    stranger = make_key(forum.home, "stranger")
    result = ssh(server, stranger, "-T")
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    assert "refused key" in server.log_text()


def test_passwords_are_not_even_offered(forum: Forum, server: Server) -> None:
    stranger = forum.home / "stranger"
    if not stranger.exists():
        make_key(forum.home, "stranger")
    result = ssh(
        server, stranger, "-T", "-o", "PreferredAuthentications=password,keyboard-interactive"
    )
    assert result.returncode == 255 and "Permission denied (publickey)" in result.stderr


def test_a_connection_without_a_terminal_gets_one_line(forum: Forum, server: Server) -> None:
    result = ssh(server, forum.home / "birgitte", "-T")
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and NO_TERMINAL in lines[0] and "kræver en terminal" in lines[0]
    assert result.stdout == ""


def test_the_client_cannot_choose_the_command(forum: Forum, server: Server) -> None:
    for command in (("id",), ("deliberate", "tui", "--as", "ole"), ("cat", "/etc/passwd")):
        result = ssh(server, forum.home / "birgitte", command=command)
        assert result.returncode == 1, result
        assert NO_TERMINAL in result.stderr and "root:" not in result.stdout
    # Not even with a terminal: a command is refused the same way.
    result = ssh(server, forum.home / "birgitte", "-tt", command=("id",))
    assert result.returncode == 1 and NO_TERMINAL in result.stdout + result.stderr
    assert "uid=" not in result.stdout


def test_the_member_comes_from_the_key_not_the_user_name(forum: Forum, server: Server) -> None:
    args = server.ssh_args(forum.home / "jens", "-T")
    args[-1] = "ole@127.0.0.1"  # jens' key, the facilitator's user name
    subprocess.run(args, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    log = server.log_text()
    assert re.search(r"member jens authenticated from", log)
    assert "member ole authenticated" not in log


def test_a_key_registered_while_the_server_runs_works_at_once(
    forum: Forum,
    server: Server,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    newcomer = make_key(forum.home, "ida")
    assert ssh(server, newcomer, "-T").returncode == 255
    assert (
        cli(
            forum,
            capsys,
            monkeypatch,
            "member",
            "add",
            "ida",
            "--name",
            "Ida Nørgaard",
            "--key",
            f"{newcomer}.pub",
        ).returncode
        == 0
    )
    result = ssh(server, newcomer, "-T")
    assert result.returncode == 1 and NO_TERMINAL in result.stderr  # authenticated, then explained
    assert cli(forum, capsys, monkeypatch, "member", "remove", "ida").returncode == 0
    assert ssh(server, newcomer, "-T").returncode == 255  # a removed member's key stops working


def test_the_host_key_is_made_once_and_kept(forum: Forum, server: Server) -> None:
    key_file = forum.home / "host_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert asyncssh.read_private_key(str(key_file)).get_fingerprint("sha256") == server.fingerprint
    with running_server(forum) as again:
        assert again.fingerprint == server.fingerprint


def _box_width(screen: str) -> int:
    """Width of the widest box the app drew (its border follows the terminal's width)."""
    return max(
        (len(line.strip()) for line in screen.splitlines() if line.strip().startswith("╭")),
        default=0,
    )


@needs_tmux
def test_a_dropped_connection_ends_the_members_process_and_presence(
    forum: Forum, server: Server
) -> None:
    """(In-process sessions: the member's app, not a process, is what ends.)"""
    with tmux() as t:
        t.start("member", ssh_command(server.port, forum.home / "jens", "-tt"), size=(80, 24))
        session = str(
            wait_for(
                lambda: (
                    re.findall(r"member jens: TUI started \(session (\d+)", server.log_text())
                    or [None]
                )[-1],
                20,
            )
        )
        # The member's terminal is resized: the app follows (window-change -> a Resize event).
        t.wait_text("member", "deliberate", timeout=20)
        t.resize("member", 120, 30)
        t.keys("member", "F3")  # the meeting view draws a box as wide as the terminal
        wait_for(
            lambda: _box_width(t.screen("member")) > 100, 10, what="the app to use the new width"
        )
        wait_for(lambda: _connected(forum, "jens"), 10, what="presence to be recorded")
        t.kill("member")  # the terminal goes away: ssh dies, the connection drops
        wait_for(
            lambda: f"member jens: TUI ended (session {session}," in server.log_text(),
            10,
            what="the member's app to end",
        )
        wait_for(lambda: not _connected(forum, "jens"), 10, what="presence to be cleared")
    assert server.process.poll() is None  # the server itself goes on


def _connected(forum: Forum, handle: str) -> bool:
    import sqlite3

    with sqlite3.connect(forum.db) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM presence JOIN members ON members.id = presence.member_id WHERE handle = ?",
            (handle,),
        ).fetchone()
    return bool(rows[0])


def test_members_processes_get_a_clean_environment_without_a_browser(
    forum: Forum, tmp_path: Path
) -> None:
    """Only what the app needs reaches a member's process; BROWSER can open nothing."""
    import os

    from deliberate.ssh.server import Forum as ServerForum
    from deliberate.ssh.server import ServeSettings
    from deliberate.ssh.spawn import ExecLauncher
    from deliberate.store.engine import Database

    os.environ["DELIBERATE_TEST_SECRET"] = "do-not-leak"
    try:
        db = Database(f"sqlite:///{forum.db}")
        settings = ServeSettings(db_url=db.url, host_key=tmp_path / "k", log_path=tmp_path / "log")
        env = ServerForum(db, settings, ExecLauncher()).child_env("screen-256color")
        db.dispose()
    finally:
        del os.environ["DELIBERATE_TEST_SECRET"]
    assert env["TERM"] == "screen-256color" and env["BROWSER"] == "true"
    assert (
        env["DELIBERATE_DB"] == f"sqlite:///{forum.db}" and env["DELIBERATE_PRESENCE"] == "server"
    )
    assert "DELIBERATE_TEST_SECRET" not in env and "SSH_AUTH_SOCK" not in env
    probe = (
        "from deliberate.ssh.child import _no_browser; _no_browser(); import os, webbrowser; "
        "print(webbrowser.open('https://example.org'), webbrowser.open_new_tab('x'), os.environ['BROWSER'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False", "true"]


def test_a_broken_start_shows_one_line_and_no_traceback(tmp_path: Path) -> None:
    """What a member sees when their app cannot start: one line; the details go to the log."""
    import os
    import pty

    from deliberate.ssh.spawn import ExecLauncher

    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    master, slave = pty.openpty()
    env = {
        "PATH": os.environ["PATH"],
        "DELIBERATE_HOME": str(tmp_path),
        "DELIBERATE_SSH_LOG": str(tmp_path / "log"),
    }
    child = ExecLauncher().start(
        os.ttyname(slave), ["--db", str(broken), "tui", "--as", "jens"], env
    )
    output = b""
    deadline = time.monotonic() + 60
    while child.exit_code() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            output += os.read(master, 65536)
    while select.select([master], [], [], 0.1)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    os.close(slave)
    text = output.decode("utf-8", "replace")
    assert child.exit_code() not in (None, 0)
    assert "Traceback" not in text and 'File "' not in text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("deliberate: "), text
    child.release()


def test_the_server_refuses_bad_options_with_one_line(
    forum: Forum, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = cli(forum, capsys, monkeypatch, "serve", "--port", "70000")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "70000" in result.stderr
    result = cli(forum, capsys, monkeypatch, "serve", "--processes", "threads")
    assert result.returncode == 2 and "threads" in result.stderr
    result = cli(forum, capsys, monkeypatch, "serve", "--workers", "0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "0" in result.stderr


# ------------------------------------------------------------------------------ authorized_keys


def test_authorized_keys_lines_bind_each_key_to_its_member(forum: Forum) -> None:
    out = forum.run(
        "ssh", "authorized-keys"
    ).stdout  # the installed program: its path goes in the lines
    lines = [ln for ln in out.splitlines() if ln and not ln.startswith("#")]
    handles = {re.search(r"ssh login (\S+)\"", ln).group(1) for ln in lines}  # type: ignore[union-attr]
    assert {"ole", "birgitte", "jens"} <= handles and "ida" not in handles  # ida was removed
    keys = asyncssh.import_authorized_keys("\n".join(lines) + "\n")
    jens_key = asyncssh.read_public_key(str(forum.home / "jens.pub"))
    options = keys.validate(jens_key, "127.0.0.1", "127.0.0.1")
    assert options is not None
    assert "restrict" in options and options.get("pty") is True
    argv = shlex.split(options["command"])
    assert argv[-3:] == ["ssh", "login", "jens"] and Path(argv[0]).is_file()
    assert argv[1:3] == ["--db", f"sqlite:///{forum.db}"]


def test_forced_commands_survive_awkward_paths(tmp_path: Path) -> None:
    """A path with spaces and quotes still reaches the program as one argument."""
    program = tmp_path / 'my "odd" dir' / "deliberate"
    program.parent.mkdir()
    program.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    program.chmod(0o755)
    key = MemberKeyLine(
        "birgitte",
        "ssh-ed25519",
        "AAAAC3NzaC1lZDI1NTE5AAAAIEh05S7pzCTVoAnBdnV/FCve6nkCz0TDjncGqy938m3k",
        "a b",
    )
    line = authorized_key_line(key, str(program), "sqlite:////srv/it's here/forum.db")
    assert line.startswith('restrict,pty,command="') and line.endswith(
        " ssh-ed25519 " + key.key_data + " a_b"
    )
    # What sshd does: take the quoted option (only \" is an escape), hand it to the shell.
    command = asyncssh.import_authorized_keys(line + "\n").validate(
        asyncssh.import_public_key(f"{key.algorithm} {key.key_data}"), "h", "127.0.0.1"
    )["command"]
    assert command == forced_command(str(program), "sqlite:////srv/it's here/forum.db", "birgitte")
    out = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "--db",
        "sqlite:////srv/it's here/forum.db",
        "ssh",
        "login",
        "birgitte",
    ]


def test_authorized_keys_refuses_a_path_with_a_line_break(
    forum: Forum,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = tmp_path / "evil\nrestrict"
    bad.write_text("#!/bin/sh\n")
    result = cli(forum, capsys, monkeypatch, "ssh", "authorized-keys", "--command", str(bad))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    result = cli(
        forum, capsys, monkeypatch, "ssh", "authorized-keys", "--command", str(tmp_path / "missing")
    )
    assert result.returncode == 2 and "missing" in result.stderr


@needs_tmux
def test_ssh_login_in_a_terminal_opens_the_members_app(forum: Forum) -> None:
    """What sshd runs for an authorized_keys line, in a terminal: the member's own app."""
    from support.ssh import DELIBERATE

    with tmux() as t:
        t.start(
            "login",
            [DELIBERATE, "--db", str(forum.db), "ssh", "login", "birgitte"],
            env={"DELIBERATE_HOME": str(forum.home)},
        )
        t.wait_text("login", "Birgitte Østergaard", timeout=30)
        t.keys("login", "q")
        t.wait_text("login", "[exit 0]")


def test_ssh_login_without_a_terminal_explains_itself(forum: Forum) -> None:
    result = forum.run("ssh", "login", "birgitte", check=False)  # the program, stdin not a terminal
    assert (
        result.returncode == 1 and NO_TERMINAL in result.stderr and result.stderr.count("\n") == 1
    )
