"""Screen defects from issue 9 (6-10, 13), each with the pilot at 80×24 on a real forum."""

from __future__ import annotations

from pathlib import Path

import pytest

from deliberate.services import meetings, voting
from deliberate.store.engine import Database
from deliberate.tui.app import make_app
from deliberate.tui.screens.overview import FILTERS
from support.tui import build_forum, idle, open_proposal, running, screen_text, shows, wait_for


@pytest.fixture
def forum(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    yield db
    db.dispose()


async def test_four_quick_filter_presses_move_four_steps(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        app.screen.action_next_filter()
        app.screen.action_next_filter()
        app.screen.action_next_filter()
        app.screen.action_next_filter()
        await idle(pilot)
        assert app.screen.filter == FILTERS[4]
        await pilot.press("f", "f", "f", "f")
        await idle(pilot)
        assert app.screen.filter == FILTERS[3]


async def test_the_active_filter_is_marked_by_a_character(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with running(forum, tmp_path) as (app, pilot):
        tabs_line = next(ln for ln in screen_text(app).splitlines() if "Alle (" in ln)
        assert "▸Alle(5)" in tabs_line.replace(" ", "") and tabs_line.count("▸") == 1, tabs_line
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: "▸ Åbne" in screen_text(app))
        tabs_line = next(ln for ln in screen_text(app).splitlines() if "Alle (" in ln)
        assert tabs_line.count("▸") == 1, tabs_line


async def test_nothing_open_is_not_called_all_voted(forum: Database, tmp_path: Path) -> None:
    for pid in ("klima", "trafik"):
        voting.close_voting(forum, "ordstyrer", pid)
    async with running(forum, tmp_path) as (app, pilot):
        await shows(pilot, "Ingen forslag er åbne for afstemning lige nu")
        assert "Du har stemt på alle" not in screen_text(app)


async def test_console_without_planned_meetings_says_how_to_make_one(
    forum: Database, tmp_path: Path
) -> None:
    m = meetings.create_meeting(forum, "ordstyrer", "Møde", ["klima"])
    meetings.start_meeting(forum, "ordstyrer", m.id)
    meetings.end_meeting(forum, "ordstyrer", m.id)
    app = make_app(forum, "ordstyrer", "da", live=False, start_mode="console")
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(pilot, "Ingen planlagte møder. Opret et med")
        text = screen_text(app)
        assert "Vælg et møde til venstre" not in text and "…" not in text, text


async def test_closed_proposal_marks_carried_amendments(tmp_path: Path) -> None:
    from deliberate.services.demo import build_demo

    db = build_demo(tmp_path / "demo.db")
    try:
        result = voting.tally(db, "egf-2")
        assert result.carried_amendments  # the demo adopts Boliger til alle with amendments
        async with running(db, tmp_path, handle="demo") as (app, pilot):
            await open_proposal(pilot, "Boliger til alle")
            await pilot.press("a")
            await idle(pilot)
            text = screen_text(app)
            for n in result.carried_amendments:
                line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"{n}. "))
                assert "✓ vedtaget" in line, text
    finally:
        db.dispose()


async def test_language_switch_keeps_the_readers_place_in_the_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deliberate.services import comments

    monkeypatch.setenv(comments.COMMENTS_PER_MINUTE_ENV, "0")  # 30 comments at once: no limit
    from deliberate.services.demo import build_demo
    from deliberate.tui.widgets.comment_thread import CommentThread

    db = build_demo(tmp_path / "demo.db")
    try:
        for i in range(30):
            comments.add_comment(db, "jens", "egf-1", f"Kommentar nummer {i} om klimaet.")
        async with running(db, tmp_path, handle="demo") as (app, pilot):
            await open_proposal(pilot, "Klima og grøn omstilling")
            await pilot.press("k")
            await idle(pilot)
            thread = app.screen.query_one(CommentThread)
            for _ in range(20):
                await pilot.press("down")
            await idle(pilot)
            chosen, scrolled = thread.current.id, thread.scroll_y
            assert scrolled > 0
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: "Comments" in screen_text(app))
            await idle(pilot)
            await pilot.pause(0.2)
            thread = app.screen.query_one(CommentThread)
            assert thread.current is not None and thread.current.id == chosen
            assert thread.scroll_y == scrolled
    finally:
        db.dispose()


async def test_a_countdown_tick_during_a_language_switch_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proposal's countdown ticks on a timer of its own. A tick that fell while Ctrl+L
    composed the screen afresh found the vote panel without its parts, and the app
    stopped (seen once in CI). Here a tick is run at every step of the switch."""
    import asyncio

    from deliberate.services.demo import build_demo
    from deliberate.tui.screens.proposal import ProposalScreen

    relabel = ProposalScreen.relabel
    ticks: list[bool] = []

    async def relabel_while_ticking(self: ProposalScreen) -> None:
        switching = asyncio.ensure_future(relabel(self))
        while not switching.done():
            self._last_left = None  # the countdown's text changed: a tick redraws it
            ticks.append(self.relabeling)
            self._tick()
            await asyncio.sleep(0)
        await switching

    monkeypatch.setattr(ProposalScreen, "relabel", relabel_while_ticking)
    db = build_demo(tmp_path / "demo.db")
    try:
        async with running(db, tmp_path, handle="demo") as (app, pilot):
            await open_proposal(pilot, "Klima og grøn omstilling")
            await pilot.press("s")
            await shows(pilot, "Afstemningen er åben")
            await pilot.press("ctrl+l")
            await shows(pilot, "Voting is open")
            await idle(pilot)
            assert len(ticks) > 1 and all(ticks)
            assert app.is_running
    finally:
        db.dispose()


async def test_a_notification_never_covers_a_dialog(forum: Database, tmp_path: Path) -> None:
    """Item 8: at 80×24 a notice raised while a dialog is open ("Din stemme er modtaget")
    must not paint over the dialog's keys; it shows inside the dialog instead."""
    async with running(forum, tmp_path, notifications=True) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("c")
        await shows(pilot, "Ctrl+S")
        before = screen_text(app)
        hint = next(line for line in before.splitlines() if "Ctrl+S" in line).strip("│ ▏▕")
        app.notify("Din stemme er modtaget")
        await shows(pilot, "Din stemme er modtaget")
        after = screen_text(app)
        assert hint.strip() in after, after
        # Every line of the dialog is still whole: only the notice line was added.
        dialog_lines = [ln for ln in before.splitlines() if "│" in ln or "▏" in ln]
        for line in dialog_lines:
            assert line.strip() in after, (line, after)


async def test_a_secret_ballot_from_the_proposal_screen_is_final(
    forum: Database, tmp_path: Path
) -> None:
    """The proposal screen votes on a secret ballot as the meeting view does: the dialog says
    the vote is final, the member gets a tracker code, and a second ballot is refused."""
    voting.open_voting(forum, "ordstyrer", "busser", secret=True)
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "busser")
        await pilot.press("1")
        await shows(pilot, "din stemme er endelig")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("kontrolkode" in n for n in app.notices))
        assert voting.has_voted_secretly(forum, "demo", "busser")
        await idle(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: any("hemmelige stemme (endelig)" in n for n in app.notices))
        assert voting.tally(forum, "busser").participants == 1
