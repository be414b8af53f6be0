"""Joining with an invite code over SSH: the real OpenSSH client against `deliberate serve`,
typing into the code screen through tmux."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from deliberate.errors import UserError
from deliberate.services import audit, invites, members
from deliberate.store.models import utcnow
from support.ssh import (
    Forum,
    Server,
    Tmux,
    make_forum,
    make_key,
    needs_openssh,
    needs_tmux,
    running_server,
    ssh_command,
    tmux,
)

pytestmark = [needs_openssh, needs_tmux, pytest.mark.xdist_group("ssh")]

SECOND_ADDRESS = "127.0.0.2"  # loopback: a second source address on the same machine


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Forum:
    forum = make_forum(tmp_path_factory.mktemp("ssh-invites"))
    forum.add_member("anna", "Anna Andersen", key=False)
    forum.add_member("carl", "Carl Clausen", key=False)
    forum.add_member("dora", "Dora Dahl", key=False)
    forum.add_member("birgitte", "Birgitte Østergaard")
    return forum


@pytest.fixture(scope="module")
def server(forum: Forum) -> Iterator[Server]:
    with running_server(forum, "--invite-lockout", "600") as server:
        yield server


def _invite(forum: Forum, handle: str, *extra: str) -> str:
    out = forum.run("member", "invite", handle, *extra).stdout
    match = re.search(r"\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b", out)
    assert match, out
    return match.group(1)


def _public(path: Path) -> members.PublicKey:
    return members.read_public_key_file(Path(f"{path}.pub"))


def _type_code(t: Tmux, pane: str, code: str, *expect: str) -> str:
    t.keys(pane, code, "Enter")
    return t.wait_text(pane, *expect, timeout=20)


def _open_code_screen(t: Tmux, pane: str, server: Server, key: Path, *extra: str) -> None:
    t.start(pane, ssh_command(server.port, key, "-tt", *extra), size=(100, 30))
    t.wait_text(pane, "invitationskode", timeout=30)


def test_wrong_expired_reused_codes_then_locked_then_the_right_code_elsewhere(
    forum: Forum, server: Server
) -> None:
    newcomer = make_key(forum.home, "anna-laptop")
    db = forum.database()
    try:
        # carl's code expired an hour ago; dora's was used already (by another key).
        expired = invites.create_invite(
            db, "carl", valid=dt.timedelta(hours=1), now=utcnow() - dt.timedelta(hours=2)
        ).code
        used = invites.create_invite(db, "dora").code
        invites.redeem(db, used, key=_public(make_key(forum.home, "dora")), address="192.0.2.1")
    finally:
        db.dispose()
    code = _invite(forum, "anna")

    with tmux() as t:
        _open_code_screen(t, "a", server, newcomer)
        screen = t.screen("a")
        assert "Forslag" not in screen and "Flere cykelstier" not in screen  # no forum yet
        _type_code(t, "a", "WRON-GCOD-E222", "Koden er forkert", "4 forsøg")
        _type_code(t, "a", expired, "Koden er udløbet")
        _type_code(t, "a", used, "Koden er allerede brugt")
        _type_code(t, "a", "2222-3333-4444", "Koden er forkert", "1 forsøg")
        _type_code(t, "a", "5555-6666-7777", "Koden er forkert", "10 minutter")
        # The sixth code in a minute, even the right one: this address is locked out.
        _type_code(t, "a", code, "For mange forkerte koder", "10 minutter")
        assert "Flere cykelstier" not in t.screen("a")

        # The same key from another address: the right code binds it and opens the forum.
        _open_code_screen(t, "b", server, newcomer, "-b", SECOND_ADDRESS)
        _type_code(t, "b", code, "Velkommen, Anna Andersen")
        t.wait_text("b", "Flere cykelstier", timeout=30)

    # From now on the key alone lets anna in, from the locked address too.
    with tmux() as t:
        t.start("c", ssh_command(server.port, newcomer, "-tt"), size=(100, 30))
        t.wait_text("c", "Flere cykelstier", timeout=30)
        assert "invitationskode" not in t.screen("c")
    log = server.log_text()
    assert re.search(r"member anna authenticated from 127\.0\.0\.1:\d+ with key", log)
    assert f"from {SECOND_ADDRESS}:" in log
    # The code screen and then the forum ran inside the server (no process of their own).
    assert re.search(r"key SHA256:\S+ bound to anna; the forum opens", log), log
    assert "(pid " not in log

    db = forum.database()
    try:
        entries = [e for e in audit.entries(db) if e.action in invites.ACTIONS]
        refused = [e.payload["reason"] for e in entries if e.action == invites.INVITE_REFUSE]
        assert refused[-5:] == ["wrong", "expired", "used", "wrong", "wrong"]
        use = [e for e in entries if e.action == invites.INVITE_USE][-1]
        assert use.subject == "anna" and use.payload["key"].startswith("SHA256:")
        assert audit.verify(db).ok
    finally:
        db.dispose()
    # The code is used up: another key cannot use it again.
    db = forum.database()
    try:
        with pytest.raises(UserError) as refused:
            invites.redeem(db, code, key=_public(make_key(forum.home, "x")), address="192.0.2.9")
        assert refused.value.code == "invite.refused.used"
    finally:
        db.dispose()


def test_a_key_registered_by_hand_still_goes_straight_in(forum: Forum, server: Server) -> None:
    _invite(forum, "carl")  # codes are waiting: unknown keys would see the code screen
    laptop = make_key(forum.home, "birgitte-laptop")
    forum.run("member", "key-add", "birgitte", "--key", f"{laptop}.pub")
    with tmux() as t:
        t.start("k", ssh_command(server.port, laptop, "-tt"), size=(100, 30))
        t.wait_text("k", "Flere cykelstier", timeout=30)
        assert "invitationskode" not in t.screen("k")


def test_an_unbound_connection_gets_no_command_and_no_terminal_less_session(
    forum: Forum, server: Server
) -> None:
    _invite(forum, "carl")
    stranger = make_key(forum.home, "stranger")
    for extra, command in ((("-T",), ()), (("-tt",), ("id",))):
        result = subprocess.run(
            [*ssh_command(server.port, stranger, *extra), *command],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 1
        assert "deliberate needs a terminal" in result.stdout + result.stderr
        assert "uid=" not in result.stdout


def test_without_waiting_codes_or_with_invites_off_unknown_keys_are_refused(
    tmp_path: Path,
) -> None:
    forum = make_forum(tmp_path / "forum")
    forum.add_member("anna", "Anna", key=False)
    stranger = make_key(forum.home, "stranger")

    def attempt(server: Server) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ssh_command(server.port, stranger, "-T"),
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )

    with running_server(forum) as server:
        assert attempt(server).returncode == 255  # no code waiting
        _invite(forum, "anna", "--valid", "1m")
        assert attempt(server).returncode == 1  # let in (and told it needs a terminal)
    with running_server(forum, "--no-invites") as server:
        result = attempt(server)
        assert result.returncode == 255 and "Permission denied" in result.stderr
