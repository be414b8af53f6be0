"""End to end over SSH: a facilitator and two members in three tmux panes, each the real
OpenSSH client talking to `deliberate serve` on 127.0.0.1."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from deliberate.services import meetings
from support.ssh import (
    Forum,
    Server,
    Tmux,
    make_forum,
    needs_openssh,
    needs_tmux,
    running_server,
    ssh_command,
)

pytestmark = [needs_openssh, needs_tmux, pytest.mark.slow, pytest.mark.xdist_group("ssh")]

MEMBERS = ("birgitte", "jens")


@pytest.fixture
def forum(tmp_path) -> Forum:  # type: ignore[no-untyped-def]
    forum = make_forum(tmp_path)
    forum.add_member("ole", "Ole Ordstyrer", "facilitator", can_vote=False)  # hired: no vote
    forum.add_member("birgitte", "Birgitte Østergaard")
    forum.add_member("jens", "Jens Mølgaard")
    db = forum.database()
    try:
        meetings.create_meeting(
            db, "ole", "Landsmøde 2027", ["p1", "p2"], speaker_limit_seconds=120
        )
    finally:
        db.dispose()
    return forum


@pytest.fixture
def server(forum: Forum) -> Iterator[Server]:
    with running_server(forum) as server:
        yield server


def seen_by_all(t: Tmux, panes: tuple[str, ...], *needles: str, timeout: float = 15.0) -> float:
    """Wait until every pane shows all `needles`; returns the seconds it took."""
    started = time.monotonic()
    for pane in panes:
        t.wait_text(pane, *needles, timeout=timeout)
    return time.monotonic() - started


def test_a_facilitated_vote_and_speakers_list_over_ssh(forum: Forum, server: Server) -> None:
    t = Tmux()
    try:
        # The facilitator connects, opens the console (F4) and starts the meeting.
        t.start("ole", ssh_command(server.port, forum.home / "ole", "-t"), size=(110, 32))
        t.wait_text("ole", "deliberate", timeout=30)
        t.keys("ole", "F4")
        t.wait_text("ole", "Planlagte møder", "Landsmøde 2027")
        t.keys("ole", "s")
        t.wait_text("ole", "Dagsorden", "▶ 1. Flere cykelstier")

        # Two members join and land on the current item by themselves.
        for handle in MEMBERS:
            t.start(handle, ssh_command(server.port, forum.home / handle, "-t"), size=(80, 24))
        seen_by_all(t, MEMBERS, "Landsmøde 2027 · Punkt 1 af 2", "Flere cykelstier", timeout=30)
        t.wait_text("ole", "Forbundet nu (3)")

        # The facilitator opens voting: both members see it within a second.
        t.keys("ole", "o")
        t.wait_text("ole", "Åbn afstemning om")  # the rule set and secret/open
        t.keys("ole", "Enter")
        t.wait_text("ole", "Afstemning åben")
        opened_after = seen_by_all(t, MEMBERS, "Afstemning åben", "0 af 2 har stemt")
        print(f"members saw the open vote after {opened_after:.2f} s")
        assert opened_after <= 1.0, f"members saw the open vote only after {opened_after:.2f} s"

        # Both vote Ja (key 1, then Enter to cast).
        for handle in MEMBERS:
            t.keys(handle, "1")
            t.wait_text(handle, "Du stemmer: Ja")
            t.keys(handle, "Enter")
            t.wait_text(handle, "Din stemme: Ja")
        t.wait_text("ole", "2 af 2 har stemt", "100%")

        # Closing (confirmed): all three see the same outcome and explanation.
        t.keys("ole", "c")
        t.wait_text("ole", "Luk afstemningen om")
        t.keys("ole", "Enter")
        outcome = "Vedtaget: Ja og Betinget ja har 2 af 2 stemmer"
        seen_by_all(t, ("ole", *MEMBERS), "Afstemning lukket", "Vedtaget", outcome)
        t.wait_text("ole", "Revisionslog #")
        tally = json.loads(forum.run("tally", "p1", "--json").stdout)
        assert (
            tally["outcome"] == "adopted" and tally["counts"]["ja"] == 2 and tally["eligible"] == 2
        )

        # The speakers' list: a request and the floor show up for everyone.
        t.keys("jens", "r")
        seen_by_all(t, ("ole", *MEMBERS), "1. Jens Mølgaard")
        t.keys("ole", "g")
        seen_by_all(t, ("ole", *MEMBERS), "▶ Jens Mølgaard")
        t.wait_text("jens", "Du har ordet.")
    except AssertionError:
        print(server.log_text())
        raise
    finally:
        t.close()
