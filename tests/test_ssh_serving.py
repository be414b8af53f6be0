"""`deliberate serve` hosting members' apps inside its worker processes (DESIGN §11), with the
real OpenSSH client: many members at once, several workers on one port, a worker killed
mid-vote, a crash in one member's app, and two servers on one PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deliberate.services import meetings, members, voting
from support.ssh import (
    Forum,
    PtyClients,
    Tmux,
    make_forum,
    needs_openssh,
    needs_tmux,
    pss_kib,
    running_server,
    server_pids,
    sessions_by_worker,
    ssh_command,
    wait_for,
)

pytestmark = [needs_openssh, pytest.mark.slow, pytest.mark.xdist_group("ssh")]


def add_members(forum: Forum, handles: list[str]) -> None:
    """Members with keys of their own, added in one go (faster than one by one)."""
    import subprocess

    procs = [
        subprocess.Popen(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", h, "-f", str(forum.home / h)]
        )
        for h in handles
    ]
    for p in procs:
        assert p.wait() == 0
    db = forum.database()
    try:
        for h in handles:
            key = members.read_public_key_file(forum.home / f"{h}.pub")
            members.add_member(db, h, f"Medlem {h}", key=key)
    finally:
        db.dispose()


def open_meeting(forum: Forum, *, open_vote: bool = True) -> int:
    db = forum.database()
    try:
        members.add_member(db, "ole", "Ole Ordstyrer", role="facilitator", can_vote=False)
        m = meetings.create_meeting(db, "ole", "Landsmøde 2027", ["p1", "p2"])
        meetings.start_meeting(db, "ole", m.id)
        if open_vote:
            meetings.open_item_voting(db, "ole", m.id)
        return m.id
    finally:
        db.dispose()


@pytest.fixture
def clients() -> Iterator[PtyClients]:
    c = PtyClients()
    yield c
    c.close()


# ------------------------------------------------------------------------------ 50 at once


def test_fifty_members_at_once_reach_the_meeting_and_see_one_vote(
    tmp_path: Path, clients: PtyClients
) -> None:
    forum = make_forum(tmp_path)
    handles = [f"m{i:02d}" for i in range(50)]
    add_members(forum, handles)
    open_meeting(forum)
    with running_server(forum, "--workers", "2") as server:
        started = time.monotonic()
        terms = [clients.start(h, ssh_command(server.port, forum.home / h, "-tt")) for h in handles]
        clients.wait_text(terms, "Taleliste", timeout=240)
        print(f"\n50 members on the meeting view after {time.monotonic() - started:.1f} s")
        clients.wait_text(terms, "0 af 50 har stemt", timeout=60)
        time.sleep(1.0)  # idle: what the memory looks like with everyone connected
        pids = server_pids(server.process.pid)
        total = sum(pss_kib(p) for p in pids)
        per_member = total / 50 / 1024
        print(
            f"server memory (PSS, {len(pids)} processes): {total / 1024:.0f} MiB in all, "
            f"{per_member:.1f} MiB per member"
        )
        assert per_member < 25, "in-process sessions should cost far less than a process each"
        workers = set(sessions_by_worker(server.log_text()).values())
        print(f"sessions spread over {len(workers)} worker(s)")

        voted = time.monotonic()
        terms[0].send(b"1")
        wait_for(lambda: "Du stemmer: Ja" in terms[0].text(), 120, what="the vote dialog")
        terms[0].send(b"\r")
        clients.wait_text(terms, "1 af 50 har stemt", timeout=120)
        print(f"the vote reached all 50 screens after {time.monotonic() - voted:.2f} s")
        db = forum.database()
        try:
            assert voting.get_my_vote(db, "m00", "p1") is not None
        finally:
            db.dispose()


# ------------------------------------------------------------------------------ a worker dies


def test_killing_a_worker_mid_vote_loses_no_acknowledged_vote(
    tmp_path: Path, clients: PtyClients
) -> None:
    forum = make_forum(tmp_path)
    handles = [f"v{i:02d}" for i in range(12)]
    add_members(forum, [*handles, "late"])
    open_meeting(forum)
    with running_server(forum, "--workers", "2") as server:
        terms = {}
        # Connect until both workers host members (the kernel spreads connections).
        for handle in handles:
            terms[handle] = clients.start(
                handle, ssh_command(server.port, forum.home / handle, "-tt")
            )
            clients.wait_text([terms[handle]], "Taleliste", timeout=120)
            by_worker = sessions_by_worker(server.log_text())
            counts: dict[int, int] = {}
            for pid in by_worker.values():
                counts[pid] = counts.get(pid, 0) + 1
            if len(counts) == 2 and min(counts.values()) >= 3:
                break
        by_worker = sessions_by_worker(server.log_text())
        assert len(set(by_worker.values())) == 2, f"one worker got everyone: {by_worker}"
        victim = next(iter(by_worker.values()))
        doomed = [h for h, pid in by_worker.items() if pid == victim]
        survivors = [h for h, pid in by_worker.items() if pid != victim]

        for handle in by_worker:  # everyone votes Ja: key 1, then Enter in the dialog
            terms[handle].send(b"1")
        for handle in by_worker:
            wait_for(lambda h=handle: "Du stemmer: Ja" in terms[h].text(), 30, what="dialogs")
        for handle in by_worker:
            terms[handle].send(b"\r")
        os.kill(victim, signal.SIGKILL)  # while the votes are being cast

        wait_for(
            lambda: f"worker {victim} ended (signal 9); starting another" in server.log_text(),
            30,
            what="the parent to notice",
        )
        # The other worker's members carry on: their votes are acknowledged on their screens.
        for handle in survivors:
            wait_for(lambda h=handle: "Din stemme: Ja" in terms[h].text(), 60, what=handle)
        acknowledged = [h for h in by_worker if "Din stemme: Ja" in terms[h].text()]
        db = forum.database()
        try:
            recorded = {h for h in by_worker if voting.get_my_vote(db, h, "p1") is not None}
        finally:
            db.dispose()
        assert set(acknowledged) <= recorded, "a vote the member saw acknowledged was lost"
        assert set(survivors) <= recorded
        # ...and still follow changes: a vote from elsewhere shows on their screens.
        db = forum.database()
        try:
            voting.cast_vote(db, "late", "p1", "nej")
            cast = voting.tally(db, "p1").cast
        finally:
            db.dispose()
        clients.wait_text([terms[h] for h in survivors], f"{cast} af 13 har stemt", timeout=30)
        # A member of the killed worker reconnects at once and is back in the meeting.
        again = clients.start("again", ssh_command(server.port, forum.home / doomed[0], "-tt"))
        clients.wait_text([again], "Taleliste", timeout=120)
        assert server.process.poll() is None
        print(f"\nkilled worker {victim} hosted {len(doomed)}; {len(acknowledged)} acknowledged")


# ------------------------------------------------------------------------------ three in tmux


@needs_tmux
def test_three_members_vote_in_their_own_terminals(tmp_path: Path) -> None:
    forum = make_forum(tmp_path)
    trio = ["birgitte", "jens", "karen"]
    add_members(forum, trio)
    mid = open_meeting(forum, open_vote=False)
    t = Tmux()
    try:
        with running_server(forum, "--workers", "2") as server:
            for handle, size in zip(trio, [(80, 24), (100, 30), (120, 40)], strict=True):
                t.start(handle, ssh_command(server.port, forum.home / handle, "-t"), size=size)
            for handle in trio:
                t.wait_text(handle, "Landsmøde 2027 · Punkt 1 af 2", "Flere cykelstier", timeout=60)
            db = forum.database()
            try:
                meetings.open_item_voting(db, "ole", mid)
            finally:
                db.dispose()
            for handle in trio:
                t.wait_text(handle, "Afstemning åben", "0 af 3 har stemt", timeout=20)
            for handle, key, shown in (
                ("birgitte", "1", "Ja"),
                ("jens", "4", "Nej"),
                ("karen", "1", "Ja"),
            ):
                t.keys(handle, key)
                t.wait_text(handle, f"Du stemmer: {shown}")
                t.keys(handle, "Enter")
                t.wait_text(handle, f"Din stemme: {shown}")
            for handle in trio:
                t.wait_text(handle, "3 af 3 har stemt", timeout=20)
            db = forum.database()
            try:
                meetings.close_item_voting(db, "ole", mid)
            finally:
                db.dispose()
            for handle in trio:
                t.wait_text(handle, "Afstemning lukket", "Vedtaget", timeout=20)
            t.keys("jens", "q")
            t.wait_text("jens", "[exit 0]", timeout=20)
            t.keys("karen", "r")  # the others carry on after one has left
            t.wait_text("birgitte", "1. Medlem karen", timeout=20)
    finally:
        t.close()


# ------------------------------------------------------------------------------ isolation


class FakeChannel:
    """What an SSH session's channel offers the app (bytes out, exit); no network."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.code: int | None = None

    def write(self, data: bytes) -> None:
        self.out += data

    write_stderr = write

    def exit(self, code: int) -> None:
        self.code = code

    def get_environment(self) -> dict[str, str]:
        return {}

    def get_write_buffer_size(self) -> int:
        return 0

    def text(self, after: bytes = b"") -> str:
        import re

        raw = bytes(self.out).split(after)[-1] if after else bytes(self.out)
        raw = re.sub(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()=>78]|\x1b\][^\x07]*\x07", b"", raw)
        return raw.decode("utf-8", "replace")


async def test_a_crash_in_one_members_app_ends_only_that_session(tmp_path: Path) -> None:
    from deliberate.ssh.server import Forum as ServerForum
    from deliberate.ssh.server import ServeSettings
    from deliberate.ssh.session import AppSession
    from deliberate.tui.live_hub import LiveHub

    forum = make_forum(tmp_path)
    add_members(forum, ["anna", "bo"])
    db = forum.database()
    log = tmp_path / "server.log"
    settings = ServeSettings(db_url=db.url, host_key=tmp_path / "k", log_path=log)
    shared = ServerForum(db, settings, None)
    shared.hub = LiveHub(db).start()
    sessions = {}
    try:
        for handle in ("anna", "bo"):
            member = await asyncio.to_thread(members.get_member, db, handle)
            chan = FakeChannel()
            session = AppSession(shared, member, "test")
            session.connection_made(chan)  # type: ignore[arg-type]
            session.pty_requested("xterm-256color", (80, 24, 0, 0), {})
            session.session_started()
            sessions[handle] = (session, chan)
        for _, chan in sessions.values():
            await _until(lambda c=chan: "Medlem" in c.text())
        anna, anna_chan = sessions["anna"]
        bo, bo_chan = sessions["bo"]

        def explode() -> None:
            raise ZeroDivisionError("a bug in anna's app")

        anna._app.call_later(explode)  # type: ignore[union-attr]
        await _until(lambda: anna_chan.code is not None)
        assert anna_chan.code == 1
        tail = anna_chan.text(after=b"\x1b[?1049l")  # what is left on her main screen
        lines = [ln for ln in tail.splitlines() if ln.strip()]
        assert len(lines) == 1 and "uventet fejl" in lines[0] and "Traceback" not in tail
        assert "a bug in anna's app" in log.read_text(encoding="utf-8")
        # Bo's app carries on: a key still does what it does.
        assert bo_chan.code is None and bo._app is not None and bo._app.is_running
        before = len(bo_chan.out)
        bo.data_received(b"?", None)  # type: ignore[arg-type]  # the help screen
        await _until(lambda: len(bo_chan.out) > before and "Hjælp" in bo_chan.text())
    finally:
        for session, _ in sessions.values():
            session.stop()
        await asyncio.sleep(0.5)
        await asyncio.to_thread(shared.hub.close)
        db.dispose()


async def _until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


# ------------------------------------------------------------------------------ two hosts


@pytest.mark.postgres
def test_a_vote_through_one_server_shows_on_the_other_via_postgresql(
    tmp_path: Path,
    pg_databases,
    clients: PtyClients,  # type: ignore[no-untyped-def]
) -> None:
    url = pg_databases.create()
    try:
        forum = make_forum(tmp_path, url=url)
        add_members(forum, ["birgitte", "jens"])
        open_meeting(forum)
        with (
            running_server(forum, "--workers", "1", log_name="one.log") as one,
            running_server(forum, "--workers", "1", log_name="two.log") as two,
        ):
            assert one.port != two.port
            jens = clients.start("jens", ssh_command(one.port, forum.home / "jens", "-tt"))
            birgitte = clients.start(
                "birgitte", ssh_command(two.port, forum.home / "birgitte", "-tt")
            )
            clients.wait_text([jens, birgitte], "0 af 2 har stemt", timeout=120)
            birgitte.send(b"1")
            wait_for(lambda: "Du stemmer: Ja" in birgitte.text(), 30, what="the vote dialog")
            birgitte.send(b"\r")
            wait_for(lambda: "Din stemme: Ja" in birgitte.text(), 30, what="the receipt")
            acknowledged = time.monotonic()
            clients.wait_text([jens], "1 af 2 har stemt", timeout=30)
            print(
                f"\nthe vote through server two showed on server one after "
                f"{time.monotonic() - acknowledged:.2f} s"
            )
            assert "member jens: TUI started" in one.log_text()
            assert "member birgitte: TUI started" in two.log_text()
    finally:
        pg_databases.drop(url)
