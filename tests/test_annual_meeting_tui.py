"""The annual meeting on screen (Textual pilot, real databases): the console's check-in,
non-voters, opening a secret vote, the turnout before closing, a hand count and the speaker's
time limit; a member checking in, voting with a proxy and casting a final secret ballot; and
connected members taken to a meeting when it starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from deliberate.services import meetings, members, voting
from deliberate.services.importer import import_paths
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.tui.app import make_app
from deliberate.tui.live_hub import LiveHub
from deliberate.tui.topics import RUNNING
from support.tui import changed, screen_text, shows, wait_for

PROPOSAL = "---\nid: {id}\ntitle: {title}\n---\n\nTekst.\n"
VOTERS = [f"m{n:02d}" for n in range(1, 39)]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    migrate.upgrade(db)
    folder = tmp_path / "forslag"
    folder.mkdir()
    for pid, title in (("p1", "Flere cykelstier"), ("p2", "Grønne tage"), ("p3", "Bedre busser")):
        (folder / f"{pid}.md").write_text(PROPOSAL.format(id=pid, title=title), encoding="utf-8")
    import_paths(db, [folder])
    members.add_member(db, "ole", "Ole Ordstyrer", role="facilitator")
    members.add_member(db, "anne", "Anne Arrangør", role="organizer")
    members.add_member(db, "anna", "Anna Andersen")
    for handle in VOTERS:
        members.add_member(db, handle, f"Medlem {handle}")
    yield db
    db.dispose()


async def test_the_console_runs_an_annual_meeting(db: Database) -> None:
    m = meetings.create_meeting(
        db, "ole", "Landsmøde", ["p1", "p2", "p3"], speaker_limit_seconds=40
    )
    app = make_app(db, "ole", "da", live=False, start_mode="console")
    async with app.run_test(size=(120, 50)) as pilot:
        await shows(pilot, "Planlagte møder", "Landsmøde")
        await pilot.press("i")  # check-in opens before the meeting starts
        await wait_for(pilot, lambda: meetings.get_meeting(db, m.id).checkin_open)
        for handle in VOTERS[:29]:
            meetings.check_in(db, handle, m.id)
        await pilot.press("s")
        await shows(pilot, "29 til stede", "indtjekning åben")
        await pilot.press("m")  # someone at the door
        await shows(pilot, "Tjek et medlem ind")
        await pilot.press(*"m30", "enter")
        await shows(pilot, "30 til stede")
        meetings.add_proxy(db, "anne", m.id, "m31", "m01")
        meetings.add_proxy(db, "anne", m.id, "m32", "m02")
        changed(app)
        await shows(pilot, "32 til stede", "fuldmagt(er)")

        # An open vote: who has not voted.
        await pilot.press("o")
        await shows(pilot, "Åbn afstemning om")
        await pilot.press("enter")
        await shows(pilot, "Afstemning åben", "Har ikke stemt (32)")
        for handle in VOTERS[:10]:
            voting.cast_vote(db, handle, "p1", "ja")
        voting.cast_vote(db, "m01", "p1", "ja", for_member="m31")
        changed(app)
        await shows(pilot, "Har ikke stemt (21)", "Medlem m30 (m30)")
        assert "Medlem m05 (m05)" not in screen_text(app)
        await pilot.press("c")
        await shows(pilot, "11 af 32 til stede har stemt — luk alligevel?")
        await pilot.press("enter")
        await shows(pilot, "Afstemning lukket")

        # A secret vote: never a list of who has not voted.
        await pilot.press("n")
        await shows(pilot, "▶ 2. Grønne tage")
        await pilot.press("o")
        await shows(pilot, "Åbn afstemning om")
        await pilot.press("s", "enter")
        await shows(pilot, "Hemmelig afstemning: hvem der mangler at stemme, vises ikke.")
        assert voting.tally(db, "p2").secret
        voting.cast_vote(db, "m03", "p2", "nej")
        changed(app)
        await shows(pilot, "1 af 41 har stemt")
        assert "Har ikke stemt" not in screen_text(app)
        await pilot.press("c", "enter")
        await shows(pilot, "Afstemning lukket")

        # A hand count.
        await pilot.press("n")
        await shows(pilot, "▶ 3. Bedre busser")
        await pilot.press("h")
        await shows(pilot, "Håndoptælling (optalt i salen):")
        await pilot.press(*"25", "tab", "tab", "tab", "4", "enter")
        await shows(pilot, "optalt i salen", "Vedtaget")
        result = voting.tally(db, "p3")
        assert result.hand_count and result.counts.ja == 25 and result.counts.nej == 4

        # The speaker's time limit: a warning at 30 s, more time on t.
        meetings.request_to_speak(db, "m07", m.id)
        changed(app)
        await shows(pilot, "1. Medlem m07")
        await pilot.press("g")
        await shows(pilot, "sekunders taletid tilbage", timeout=20)
        await pilot.press("t")
        await wait_for(pilot, lambda: meetings.meeting_state(db, m.id).speaker.limit_seconds >= 70)


async def test_a_member_checks_in_votes_by_proxy_and_casts_a_secret_ballot(db: Database) -> None:
    m = meetings.create_meeting(db, "ole", "Landsmøde", ["p1", "p2"])
    meetings.start_meeting(db, "ole", m.id)
    meetings.open_checkin(db, "ole", m.id)
    meetings.add_proxy(db, "anne", m.id, "anna", "m01")
    meetings.open_item_voting(db, "ole", m.id)
    app = make_app(db, "m01", "da", live=False, start_mode="meeting")
    async with app.run_test(size=(100, 40)) as pilot:
        await shows(pilot, "Du er ikke tjekket ind (k: tjek ind)")
        await pilot.press("k")
        await shows(pilot, "Du er tjekket ind (k: tjek ud)", "2 til stede")
        await pilot.press("1")
        await shows(pilot, "Stem også for Anna Andersen (fuldmagt)")
        await pilot.press("shift+tab", "space")  # from the Cast button up to the proxy line
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: voting.get_my_vote(db, "anna", "p1") is not None)
        assert voting.get_my_vote(db, "anna", "p1").cast_by == "m01"
        assert voting.get_my_vote(db, "m01", "p1").cast_by is None

        voting.close_voting(db, "ole", "p1")
        meetings.next_item(db, "ole", m.id)
        meetings.open_item_voting(db, "ole", m.id, secret=True)
        changed(app)
        await shows(pilot, "Grønne tage", "Afstemning åben")
        await pilot.press("4")
        await shows(pilot, "din stemme er endelig")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("Din kontrolkode" in n for n in app.notices))
        await shows(pilot, "Du har afgivet din hemmelige stemme (endelig).")
        await pilot.press("1")
        await wait_for(pilot, lambda: app.notices[-1].startswith("Du har afgivet"))


async def test_a_connected_member_is_taken_to_the_meeting_when_it_starts(db: Database) -> None:
    m = meetings.create_meeting(db, "ole", "Landsmøde", ["p1"])
    app = make_app(db, "m05", "da", live=False, start_mode="forum")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.follower.primed)
        meetings.start_meeting(db, "ole", m.id)
        changed(app)
        await wait_for(pilot, lambda: app.current_mode == "meeting", timeout=15)
        assert any("Mødet er startet: Landsmøde" in n for n in app.notices)


async def test_apps_sharing_a_hub_learn_of_a_started_meeting_from_one_read(db: Database) -> None:
    """Which meeting runs is read by the live hub once per change for every app it serves
    (an SSH worker's hundreds), not by each app on its own."""
    m = meetings.create_meeting(db, "ole", "Landsmøde", ["p1"])
    hub = LiveHub(db, watch=False).start()
    first = make_app(db, "m05", "da", live=False, start_mode="forum", hub=hub)
    second = make_app(db, "m06", "en", live=False, start_mode="forum", hub=hub)
    try:
        async with first.run_test(size=(100, 30)) as one, second.run_test(size=(100, 30)) as two:
            await wait_for(one, lambda: first.follower.primed and second.follower.primed)
            before = hub.reads_of(RUNNING)
            assert before >= 1
            meetings.start_meeting(db, "ole", m.id)
            hub.changed()
            await wait_for(one, lambda: first.current_mode == "meeting", timeout=15)
            await wait_for(two, lambda: second.current_mode == "meeting", timeout=15)
            assert hub.reads_of(RUNNING) == before + 1
            assert any("Mødet er startet: Landsmøde" in n for n in first.notices)
            assert any("Landsmøde" in n for n in second.notices)
    finally:
        hub.close()
