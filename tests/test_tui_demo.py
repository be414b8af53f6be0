"""`deliberate demo`'s forum: every state a newcomer should see, and the app opens on it."""

from __future__ import annotations

from pathlib import Path

from deliberate.domain.rules import Outcome
from deliberate.services import comments, demo, voting
from deliberate.store.models import ProposalStatus
from deliberate.tui.app import make_app
from support.tui import idle, shows


def test_the_demo_forum_has_every_state(tmp_path: Path) -> None:
    db = demo.build_demo(tmp_path / "demo.db")
    try:
        results = voting.all_results(db)
        statuses = {r.status for r in results}
        outcomes = {r.outcome for r in results if r.status is ProposalStatus.CLOSED}
        assert statuses == {ProposalStatus.DRAFT, ProposalStatus.VOTING, ProposalStatus.CLOSED}
        assert {Outcome.ADOPTED_WITH_AMENDMENTS, Outcome.BLOCKED} <= outcomes
        mine = voting.get_my_votes(db, demo.DEMO_MEMBER)
        open_ids = {r.proposal_id for r in results if r.status is ProposalStatus.VOTING}
        assert open_ids & set(mine) and open_ids - set(mine)  # voted on some, not all
        thread = comments.list_comments(db, "egf-1")
        assert any(c.depth >= 1 for c in thread) and any(c.deleted for c in thread)
    finally:
        db.dispose()


async def test_the_app_opens_on_the_demo_forum(tmp_path: Path) -> None:
    db = demo.build_demo(tmp_path / "demo.db")
    try:
        app = make_app(db, demo.DEMO_MEMBER, "da", live=False, log_path=tmp_path / "tui.log")
        async with app.run_test(size=(80, 24)) as pilot:
            await idle(pilot)
            await shows(
                pilot, "vedtaget med ændringer", "blokeret", "kladde", "● mangler", "åben · "
            )
    finally:
        db.dispose()
