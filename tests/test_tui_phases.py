"""Phases in the member app (pilot, 80×24, SQLite): the overview shows the phase and the next
boundary and what waits for my support; support with +; write a proposal; amend a paragraph
with the word diff shown; adopt as the author; a refusal is one notification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from deliberate.services import members, proposals, submissions
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import AmendmentState, ProposalStatus, Role, utcnow
from deliberate.tui.screens.amend import AmendScreen
from deliberate.tui.screens.amendment import AmendmentScreen
from deliberate.tui.screens.new_proposal import NewProposalScreen
from deliberate.tui.screens.proposal import ProposalScreen
from support.tui import notified, running, shows, wait_for

BODY = "Første afsnit om skoler.\n\nAndet afsnit om busser."


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    migrate.upgrade(db)
    for handle in ("anna", "bo", "cy"):
        members.add_member(db, handle, handle.title())
    members.add_member(db, "ole", "Ole", role=Role.FACILITATOR)
    submissions.set_setting(db, "required_supporters", "1")
    submissions.propose(db, "anna", "Bedre skoler", BODY)  # waits for one supporter
    submissions.propose(db, "anna", "Grønne tage", BODY)
    submissions.support(db, "cy", "groenne-tage")  # in debate
    submissions.schedule(db, "ole", "groenne-tage", debate_until=utcnow() + dt.timedelta(days=2))
    yield db
    db.dispose()


async def test_overview_phase_support_key(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        text = await shows(pilot, "Bedre skoler", "Grønne tage")
        row = next(ln for ln in text.splitlines() if "Grønne tage" in ln)
        assert "debat til" in row  # the next boundary: amendment filing ends
        row = next(ln for ln in text.splitlines() if "Bedre skoler" in ln)
        assert "+ støt?" in row
        assert all(len(line) <= 80 for line in text.splitlines())
        # Move to "Bedre skoler" and support it with +.
        listing = app.screen.query_one("ProposalList")
        listing.move_to("bedre-skoler")  # type: ignore[attr-defined]
        await pilot.press("plus")
        await notified(pilot, "Du støtter 'bedre-skoler'")
    detail = proposals.get_proposal(forum, "bedre-skoler")
    assert detail.status is ProposalStatus.DEBATE and detail.phase.supporters == ("bo",)  # type: ignore[union-attr]


async def test_write_a_new_proposal_and_submit(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path, "en", handle="bo") as (app, pilot):
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        app.screen.query_one("#title", Input).value = "Flere cykelstier"
        app.screen.query_one(TextArea).text = "Vi vil have **flere** cykelstier."
        await pilot.press("f2")
        await shows(pilot, "flere cykelstier")
        await pilot.press("ctrl+t")
        await notified(pilot, "flere-cykelstier")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewProposalScreen))
    detail = proposals.get_proposal(forum, "flere-cykelstier")
    assert detail.phase is not None and detail.phase.submitted_by == "bo"


async def test_empty_title_is_one_notification_and_keeps_the_text(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        app.screen.query_one(TextArea).text = "Tekst uden titel."
        await pilot.press("ctrl+s")
        await notified(pilot, "Titlen må ikke være tom")
        assert isinstance(app.screen, NewProposalScreen)
        assert app.screen.query_one(TextArea).text == "Tekst uden titel."
    assert len(proposals.list_proposals(forum)) == 2


async def test_amend_a_paragraph_with_the_diff_then_the_author_adopts(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        app.push_screen(ProposalScreen("groenne-tage"))
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, AmendScreen))
        await pilot.press("down", "r")
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "Andet afsnit om busser."  # pre-filled with the paragraph
        assert app.screen.focused is app.screen.query_one("#title", Input)
        editor.text = "Andet afsnit om tog og busser."
        text = await shows(pilot, "{+tog og +}")
        assert "Ændring:" in text
        app.screen.query_one("#title", Input).value = "Tog"
        await pilot.press("ctrl+t")
        await notified(pilot, "Ændringsforslag 1 er stillet")
    detail = proposals.get_proposal(forum, "groenne-tage")
    (a,) = detail.amendments
    assert (a.paragraph, a.new_text, a.author) == (2, "Andet afsnit om tog og busser.", "bo")

    # The amendments tab shows the word diff; a member who is not the author cannot adopt.
    async with running(forum, tmp_path, handle="cy") as (app, pilot):
        app.push_screen(AmendmentScreen("groenne-tage", 1))
        await wait_for(pilot, lambda: isinstance(app.screen, AmendmentScreen) and app.screen.view)
        await pilot.press("o")
        await notified(pilot, "Kun forslagets forfatter")
    async with running(forum, tmp_path, handle="anna") as (app, pilot):
        app.push_screen(ProposalScreen("groenne-tage", tab="amendments"))
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await shows(pilot, "{+tog og +}", "erstatter 2")
        app.push_screen(AmendmentScreen("groenne-tage", 1))
        await wait_for(pilot, lambda: isinstance(app.screen, AmendmentScreen) and app.screen.view)
        await pilot.press("o")
        await notified(pilot, "overtaget")
    detail = proposals.get_proposal(forum, "groenne-tage")
    assert detail.amendments[0].state is AmendmentState.ADOPTED
    assert "tog og busser" in detail.body


async def test_schedule_dialog_sets_the_times(forum: Database, tmp_path: Path) -> None:
    from deliberate.tui.screens.schedule import ScheduleDialog

    later = (utcnow() + dt.timedelta(days=3)).astimezone()
    async with running(forum, tmp_path, "en", handle="ole") as (app, pilot):
        app.push_screen(ScheduleDialog("bedre-skoler", "Bedre skoler"))
        await wait_for(
            pilot, lambda: isinstance(app.screen, ScheduleDialog) and app.screen.query("#opens_at")
        )
        app.screen.query_one("#opens_at", Input).value = "tomorrow"
        await pilot.press("ctrl+s")
        await notified(pilot, "tomorrow")  # a bad time: one notification, nothing stored
        app.screen.query_one("#debate_until", Input).value = later.strftime("%Y-%m-%dT%H:%M")
        opens = later + dt.timedelta(hours=1)
        app.screen.query_one("#opens_at", Input).value = opens.strftime("%Y-%m-%dT%H:%M")
        await pilot.press("ctrl+s")
        await notified(pilot, "Scheduled: bedre-skoler")
    detail = proposals.get_proposal(forum, "bedre-skoler")
    assert detail.status is ProposalStatus.DEBATE and detail.phase is not None
    assert detail.phase.opens_at is not None and detail.phase.amendments_close_at is not None
