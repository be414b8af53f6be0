"""The SSH server's limits (ssh/limits.py) with the real OpenSSH client: keys per connection,
back-off and refusal after failed connections, one session per connection, sessions per
member, and the login grace time."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deliberate.ssh.limits import FailedLogins, SessionSlots, SshLimits
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
    forum = make_forum(tmp_path_factory.mktemp("ssh-limits"))
    forum.add_member("birgitte", "Birgitte Østergaard")
    forum.add_member("jens", "Jens Mølgaard")
    return forum


@pytest.fixture(scope="module")
def server(forum: Forum) -> Iterator[Server]:
    # One worker: the limits are kept per worker process (ssh.limits); with several workers
    # the kernel spreads connections and each worker counts its own.
    with running_server(
        forum,
        "--workers",
        "1",
        "--backoff-after",
        "2",
        "--backoff-max",
        "1",
        "--refuse-after",
        "5",
        "--sessions-per-member",
        "1",
        "--login-grace",
        "3",
        "--invite-sessions",
        "1",
    ) as server:
        yield server


def run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def many_keys(forum: Forum, n: int) -> list[Path]:
    folder = forum.home / f"keys{n}"
    folder.mkdir(exist_ok=True)
    return [make_key(folder, f"k{i:02}") for i in range(n)]


def offering(server: Server, keys: list[Path], *extra: str) -> list[str]:
    """ssh offering every key in order (the last one registered), telling what it hears."""
    args = ssh_command(server.port, keys[0], "-T", "-o", "LogLevel=INFO", *extra)
    for key in keys[1:]:
        args[-1:-1] = ["-i", str(key)]
    return args


def test_the_seventh_key_on_one_connection_ends_it(forum: Forum, server: Server) -> None:
    keys = many_keys(forum, 51)
    # The 51st key is registered: offered after 50 others, it is never reached.
    forum.run("member", "key-add", "jens", "--key", f"{keys[-1]}.pub")
    result = run(offering(server, keys, "-b", "127.0.0.5"))
    assert result.returncode == 255
    assert "Too many keys tried on one connection (at most 6)" in result.stderr
    assert NO_TERMINAL not in result.stderr
    assert re.search(r"too many keys from 127\.0\.0\.5:\d+: 7", server.log_text())
    # A registered key as the sixth offered is still accepted.
    sixth = [*keys[:5], keys[-1]]
    result = run(offering(server, sixth, "-b", "127.0.0.6"))
    assert result.returncode == 1 and NO_TERMINAL in result.stderr


def test_failed_connections_meet_a_growing_delay_then_a_refusal(
    forum: Forum, server: Server
) -> None:
    stranger = make_key(forum.home, "stranger")
    address = "127.0.0.7"
    outcomes: list[str] = []
    refusal = "Too many failed connections from your address"
    # (The server counts a failure when it sees the connection end, a moment after the client
    # has; so the refusal comes at the sixth connection or soon after.)
    while len(outcomes) < 12 and not any(refusal in o for o in outcomes[-1:]):
        result = run(ssh_command(server.port, stranger, "-T", "-o", "LogLevel=INFO", "-b", address))
        assert result.returncode == 255
        outcomes.append(result.stderr)
    assert all("Permission denied" in o for o in outcomes[:5])
    assert refusal in outcomes[-1] and len(outcomes) >= 6
    assert "try again in" in outcomes[-1] and "For mange mislykkede forbindelser" in outcomes[-1]
    log = server.log_text()
    delays = re.findall(rf"delaying authentication from {re.escape(address)}:\d+ by (\d+) s", log)
    assert len(delays) >= 3  # from the third failed connection on (backoff-after 2)
    # Refused again at once: the next connection does not even get to try a key.
    again = run(ssh_command(server.port, stranger, "-T", "-o", "LogLevel=INFO", "-b", address))
    assert refusal in again.stderr and "Permission denied" not in again.stderr
    # Another address is not affected: a member's key goes straight in.
    result = run(ssh_command(server.port, forum.home / "birgitte", "-T", "-b", "127.0.0.8"))
    assert result.returncode == 1 and NO_TERMINAL in result.stderr


def test_a_second_session_on_one_connection_is_refused_with_a_line(
    forum: Forum, server: Server, tmp_path: Path
) -> None:
    control = tmp_path / "ctl"
    base = ssh_command(server.port, forum.home / "birgitte", "-S", str(control))
    master = subprocess.Popen(
        [*base[:-1], "-M", "-N", "-o", "ControlPersist=no", base[-1]],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(control.exists, 30, what="the control socket")
        first = run([*base[:-1], "-T", base[-1]])
        assert first.returncode == 1 and NO_TERMINAL in first.stderr  # the one session
        second = run([*base[:-1], "-T", base[-1]])
        assert second.returncode == 1
        assert "Only one session per connection" in second.stderr
        assert "Kun én session pr. forbindelse" in second.stderr
        assert "second session on one connection" in server.log_text()
    finally:
        master.terminate()
        master.wait(timeout=15)


@needs_tmux
def test_a_member_has_at_most_the_set_number_of_sessions(forum: Forum, server: Server) -> None:
    key = forum.home / "birgitte"
    with tmux() as t:
        t.start("one", ssh_command(server.port, key, "-tt"), size=(90, 26))
        t.wait_text("one", "Flere cykelstier", timeout=30)
        t.start("two", ssh_command(server.port, key, "-tt"), size=(90, 26))
        t.wait_text("two", "You already have 1 sessions open", timeout=30)
        t.kill("one")
        # Once the first session ended, a new one is allowed again.
        wait_for(
            lambda: "connection from" in server.log_text() and _slots_free(forum, server, key),
            30,
            what="a new session to be allowed",
        )


def _slots_free(forum: Forum, server: Server, key: Path) -> bool:
    result = run(ssh_command(server.port, key, "-T"))
    return NO_TERMINAL in result.stderr


@needs_tmux
def test_code_screens_from_one_address_are_capped(forum: Forum, server: Server) -> None:
    from deliberate.services import invites, members

    forum.add_member("ida", "Ida", key=False)
    code = re.findall(r"\b\S{4}-\S{4}-\S{4}\b", forum.run("member", "invite", "ida").stdout)[0]
    newcomer = make_key(forum.home, "newcomer")
    try:
        with tmux() as t:
            t.start("one", ssh_command(server.port, newcomer, "-tt", "-b", "127.0.0.9"))
            t.wait_text("one", "invitationskode", timeout=30)
            second = run(ssh_command(server.port, newcomer, "-tt", "-b", "127.0.0.9"))
            assert second.returncode == 1
            assert "Too many code screens open just now" in second.stdout + second.stderr
            other = run(ssh_command(server.port, newcomer, "-T", "-b", "127.0.0.10"))
            assert NO_TERMINAL in other.stderr  # another address still gets its screen
    finally:
        db = forum.database()  # use the code up: later tests expect no code waiting
        try:
            key = members.read_public_key_file(Path(f"{newcomer}.pub"))
            invites.redeem(db, code, key=key, address="192.0.2.1")
        finally:
            db.dispose()


def test_a_connection_that_does_not_log_in_is_dropped_after_the_grace_time(
    server: Server,
) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.settimeout(60)
        banner = sock.recv(256)
        assert banner.startswith(b"SSH-2.0-deliberate")
        started = time.monotonic()
        while sock.recv(4096):  # the server sends its key exchange, then hangs up
            pass
        assert time.monotonic() - started < 60  # closed by the server, not by our timeout
    wait_for(lambda: "Login timeout expired" in server.log_text(), 10, what="the log line")


# ------------------------------------------------------------------------------ in-process


def test_back_off_grows_caps_and_ages_out() -> None:
    now = [1000.0]
    failed = FailedLogins(
        SshLimits(backoff_after=2, backoff_max=8, refuse_after=6, failure_window=100),
        clock=lambda: now[0],
    )
    delays, refusals = [], []
    for _ in range(7):
        delays.append(failed.delay("a"))
        refusals.append(failed.refused_minutes("a"))
        failed.record("a")
    assert delays == [0, 0, 1, 2, 4, 8, 8]
    assert refusals == [None] * 6 + [2]
    assert failed.delay("b") == 0 and failed.refused_minutes("b") is None
    now[0] += 101
    assert failed.delay("a") == 0 and failed.refused_minutes("a") is None


def test_session_slots_are_counted_per_member_and_per_invite_address() -> None:
    slots = SessionSlots(
        SshLimits(sessions_per_member=2, invite_sessions_per_address=2, invite_sessions=3)
    )
    a = slots.take_member("a")
    assert a == ("a",) and slots.take_member("a") and slots.take_member("a") is None
    assert slots.take_member("b")
    slots.release(*a)
    assert slots.take_member("a") and slots.take_member("a") is None
    first = slots.take_invite("10.0.0.1")
    assert first and slots.take_invite("10.0.0.1")
    assert slots.take_invite("10.0.0.1") is None  # two per address
    assert slots.take_invite("10.0.0.2")
    assert slots.take_invite("10.0.0.3") is None  # three in all
    assert slots.count("invite@10.0.0.3") == 0  # a refusal takes nothing
    slots.release(*first)
    assert slots.take_invite("10.0.0.3")


def test_bad_limits_are_refused_with_one_line(forum: Forum) -> None:
    result = forum.run("serve", "--port", "0", "--max-auth-tries", "0", check=False)
    assert result.returncode != 0 and "--max-auth-tries" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
