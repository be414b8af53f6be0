"""A member's own drafts in the app (pilot, 80×24, SQLite): a draft saved with "Nyt forslag" is
listed first under "Dine kladder"; opening it offers E to edit it in the same editor
(pre-filled, preview, save again, submit), ^t to submit and W to withdraw. Other members get
none of these keys; a refusal is one notification and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from deliberate.services import audit, members, proposals, submissions
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import ProposalStatus
from deliberate.tui.app import DeliberateApp
from deliberate.tui.screens.confirm import ConfirmScreen
from deliberate.tui.screens.new_proposal import NewProposalScreen
from deliberate.tui.screens.overview import OverviewScreen
from deliberate.tui.screens.proposal import ProposalScreen
from support.tui import idle, notified, running, screen_text, shows, wait_for

BODY = "Første afsnit om skoler.\n\nAndet afsnit om busser."


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    migrate.upgrade(db)
    for handle in ("anna", "bo", "cy"):
        members.add_member(db, handle, handle.title())
    submissions.set_setting(db, "required_supporters", "1")
    submissions.propose(db, "anna", "Bedre skoler", BODY)  # submitted, waits for support
    yield db
    db.dispose()


async def open_draft(app: DeliberateApp, pilot: Pilot, title: str) -> None:
    """From the overview: the draft is the first row under "Dine kladder"; Enter opens it."""
    await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
    text = await shows(pilot, title)
    lines = text.splitlines()
    heading = next(i for i, ln in enumerate(lines) if "Dine kladder" in ln)
    assert title in lines[heading + 1] and "✎ indsend?" in lines[heading + 1], text
    assert app.screen.query_one("ProposalList").current_id is not None  # type: ignore[attr-defined]
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
    await shows(pilot, title, "ikke indsendt")


async def test_a_saved_draft_is_found_edited_and_submitted(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        # Write a proposal and save it as a draft ("Nyt forslag", ^s).
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        app.screen.query_one("#title", Input).value = "Flere cykelstier"
        app.screen.query_one(TextArea).text = "Vi vil have cykelstier."
        await pilot.press("ctrl+s")
        await notified(pilot, "flere-cykelstier")
        # Find it again, open it, edit it in the same editor, pre-filled.
        await open_draft(app, pilot, "Flere cykelstier")
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        editor = app.screen
        assert editor.query_one("#title", Input).value == "Flere cykelstier"
        assert editor.query_one(TextArea).text == "Vi vil have cykelstier."
        await shows(pilot, "Redigér kladde")
        editor.query_one("#title", Input).value = "Flere og bredere cykelstier"
        editor.query_one(TextArea).text = "Vi vil have **brede** cykelstier."
        await pilot.press("f2")
        await shows(pilot, "Vi vil have brede cykelstier")  # the preview
        await pilot.press("ctrl+s")
        await notified(pilot, "er gemt (kladde)")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        await shows(pilot, "Flere og bredere cykelstier", "brede")
        detail = proposals.get_proposal(forum, "flere-cykelstier")
        assert detail.title == "Flere og bredere cykelstier"
        assert detail.body == "Vi vil have **brede** cykelstier."
        assert detail.phase is not None and detail.phase.submitted_at is None
        # Edit once more and submit from the editor (^t).
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        assert app.screen.query_one(TextArea).text == "Vi vil have **brede** cykelstier."
        app.screen.query_one(TextArea).text = "Vi vil have brede cykelstier overalt."
        await pilot.press("ctrl+t")
        await notified(pilot, "er gemt (kladde)")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        await shows(pilot, "Medstillere")  # submitted: it collects supporters now
        assert "ikke indsendt" not in screen_text(app)
    detail = proposals.get_proposal(forum, "flere-cykelstier")
    assert detail.body == "Vi vil have brede cykelstier overalt."
    assert detail.phase is not None and detail.phase.submitted_at is not None
    assert detail.phase.submitted_by == "bo" and detail.status is ProposalStatus.DRAFT
    assert audit.verify(forum).ok


async def test_submit_and_withdraw_my_draft_by_key(forum: Database, tmp_path: Path) -> None:
    submissions.propose(forum, "bo", "Grønne tage", BODY, submit=False)
    async with running(forum, tmp_path, "en", handle="bo") as (app, pilot):
        await wait_for(pilot, lambda: "Your drafts" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # changed my mind: nothing happens
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        assert proposals.get_proposal(forum, "groenne-tage").phase.submitted_at is None  # type: ignore[union-attr]
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await notified(pilot, "'groenne-tage' has been submitted (draft)")
        await shows(pilot, "Supporters")
        # Submitted: no more editing (the key is gone), but it can still be withdrawn.
        await pilot.press("E")
        await idle(pilot)
        assert isinstance(app.screen, ProposalScreen)
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await notified(pilot, "'groenne-tage' has been withdrawn")
        await shows(pilot, "withdrawn")
    assert proposals.get_proposal(forum, "groenne-tage").status is ProposalStatus.WITHDRAWN
    assert audit.verify(forum).ok


async def test_other_members_get_no_author_keys(forum: Database, tmp_path: Path) -> None:
    # Submitted (still a draft collecting supporters): public, but the author's keys are not cy's.
    submissions.propose(forum, "bo", "Grønne tage", BODY, submit=True)
    async with running(forum, tmp_path, handle="cy") as (app, pilot):
        text = await shows(pilot, "Grønne tage", "Bedre skoler")
        assert "Dine kladder" not in text and "✎" not in text  # not cy's drafts
        app.screen.query_one("ProposalList").move_to("groenne-tage")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        assert "ikke indsendt" not in screen_text(app)
        keys = {b.binding.id for b in app.active_bindings.values()}
        assert not keys & {"edit_draft", "submit_draft", "withdraw"}, keys
        for key in ("E", "ctrl+t", "W"):
            await pilot.press(key)
            await idle(pilot)
            assert isinstance(app.screen, ProposalScreen), key
    detail = proposals.get_proposal(forum, "groenne-tage")
    assert detail.status is ProposalStatus.DRAFT and detail.phase.submitted_at is not None  # type: ignore[union-attr]


async def test_refusals_in_the_editor_are_one_notification_and_keep_the_text(
    forum: Database, tmp_path: Path
) -> None:
    submissions.propose(forum, "bo", "Grønne tage", BODY, submit=False)
    before = proposals.get_proposal(forum, "groenne-tage")
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        await open_draft(app, pilot, "Grønne tage")
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        app.screen.query_one("#title", Input).value = "   "
        await pilot.press("ctrl+s")
        await notified(pilot, "Titlen må ikke være tom")
        assert isinstance(app.screen, NewProposalScreen)
        # Submitted meanwhile (from the command line, say): the edit is refused, text kept.
        submissions.submit_proposal(forum, "bo", "groenne-tage")
        app.screen.query_one("#title", Input).value = "Grønne tage overalt"
        await pilot.press("ctrl+s")
        await notified(pilot, "kan ikke længere redigeres")
        assert isinstance(app.screen, NewProposalScreen)
        assert app.screen.query_one("#title", Input).value == "Grønne tage overalt"
        assert sum("kan ikke længere redigeres" in n for n in app.notices) == 1
    after = proposals.get_proposal(forum, "groenne-tage")
    assert (after.title, after.body, after.content_hash) == (
        before.title,
        before.body,
        before.content_hash,
    )
    assert audit.verify(forum).ok


async def test_leaving_the_editor_with_changes_asks_first(forum: Database, tmp_path: Path) -> None:
    submissions.propose(forum, "bo", "Grønne tage", BODY, submit=False)
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        await open_draft(app, pilot, "Grønne tage")
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        await pilot.press("escape")  # nothing changed: straight back
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        app.screen.query_one(TextArea).text = "Noget helt andet."
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # keep writing: the text is still there
        await wait_for(pilot, lambda: isinstance(app.screen, NewProposalScreen))
        assert app.screen.query_one(TextArea).text == "Noget helt andet."
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # discard
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
    assert proposals.get_proposal(forum, "groenne-tage").body == BODY


async def test_an_unsubmitted_draft_is_listed_for_its_author_alone(
    forum: Database, tmp_path: Path
) -> None:
    submissions.propose(forum, "bo", "Bos hemmelige udkast", "Ikke færdigt endnu.", submit=False)
    async with running(forum, tmp_path, handle="bo") as (app, pilot):
        await shows(pilot, "Dine kladder", "Bos hemmelige udkast")
    async with running(forum, tmp_path, handle="cy") as (app, pilot):
        await shows(pilot, "Bedre skoler")  # anna's submitted proposal is public
        assert "Bos hemmelige udkast" not in screen_text(app)
    submissions.submit_proposal(forum, "bo", "bos-hemmelige-udkast")
    async with running(forum, tmp_path, handle="cy") as (app, pilot):
        await shows(pilot, "Bos hemmelige udkast")  # submitted: every member sees it
