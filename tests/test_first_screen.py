"""The member app's first screen, read by plain SQL before SQLAlchemy loads (issue 15), gives
exactly what the services give: the member, whether a meeting runs, the forum overview."""

from __future__ import annotations

import datetime as dt

import pytest

from deliberate.domain.status import ProposalStatus
from deliberate.errors import UserError
from deliberate.services import (
    comments,
    demo,
    first_screen,
    importer,
    meetings,
    members,
    submissions,
    voting,
)
from deliberate.services.due import anything_due
from deliberate.services.scheduler import run_scheduler
from deliberate.store.engine import Database
from deliberate.tui.forum_data import first_forum, load_forum

HANDLES = ("demo", "birgitte", "fatima", "lars", "arrangoer")


def _forum(db: Database) -> None:
    """The demo forum (open, closed, blocked, drafts, comments, one deleted) and more: a
    member's unsubmitted draft and a submitted one with supporters, a Betinget-ja vote naming
    two amendments, a changed vote, a secret ballot and a vote that closes soon."""
    importer.import_paths(db, [demo.sample_proposals_dir()])
    for handle, name, role in demo.DEMO_MEMBERS:
        members.add_member(db, handle, name, role=role)
    demo.populate_activity(db)
    submissions.propose(db, "lars", "Mine egne tanker", "Kun til mig endnu.", submit=False)
    public = submissions.propose(db, "fatima", "Flere cykelstier", "Cykelstier overalt.")
    submissions.support(db, "demo", public.proposal_id)
    submissions.support(db, "birgitte", public.proposal_id)
    voting.cast_vote(db, "demo", "egf-1", "betinget_ja", amendments=(1, 2), reason="To ændringer")
    voting.cast_vote(db, "lars", "vedtaegt-2025-1", "nej")  # changed from ja
    voting.open_voting(db, "ordstyrer", "egf-4", secret=True)
    voting.cast_vote(db, "demo", "egf-4", "ja")
    comments.add_comment(db, "demo", "egf-1.1", '=HYPERLINK("x") og æøå')


def _compare(db: Database) -> None:
    for handle in HANDLES:
        member = members.get_member(db, handle)
        assert first_screen.member(db, handle) == member
        quick = first_forum(db, member.id, handle, member.can_vote)
        assert quick == load_forum(db, handle, member.can_vote), handle


def test_the_first_screen_reads_what_the_services_read(any_db: Database) -> None:
    _forum(any_db)
    _compare(any_db)
    items = first_forum(any_db, members.get_member(any_db, "demo").id, "demo", True).items
    mine = {i.id: i for i in items}["egf-1"].my_vote
    assert mine is not None and mine.amendments == (1, 2)  # one row per amendment named
    statuses = {i.status for i in items}
    assert {ProposalStatus.VOTING, ProposalStatus.CLOSED, ProposalStatus.DRAFT} <= statuses
    assert not any(i.title == "Mine egne tanker" for i in items)  # lars's, unsubmitted
    supported = next(i for i in items if i.title == "Flere cykelstier")
    assert supported.my_support and supported.phase is not None
    assert supported.phase.supporters == ("demo", "birgitte")  # in the order they supported


def test_a_deadline_passed_before_the_scheduler_ran_reads_as_the_close_will_freeze_it(
    any_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forum(any_db)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=4)  # egf-1.1 closes after 3 hours
    for module in ("deliberate.services.first_screen", "deliberate.services.proposals"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: later)
    monkeypatch.setattr(voting, "utcnow", lambda: later)
    member = members.get_member(any_db, "demo")
    assert first_screen.overview(any_db, member.id) is None  # no frozen outcome yet
    _compare(any_db)  # through the services, as before
    closed = {i.id: i for i in first_forum(any_db, member.id, "demo", True).items}["egf-1.1"]
    assert closed.status is ProposalStatus.CLOSED and closed.outcome is not None
    assert anything_due(any_db, later)
    run_scheduler(any_db, later)
    assert not anything_due(any_db, later)
    assert first_screen.overview(any_db, member.id) is not None  # frozen now: plain again
    _compare(any_db)


def test_unknown_member_and_running_meeting(any_db: Database) -> None:
    _forum(any_db)
    with pytest.raises(UserError) as raised:
        first_screen.member(any_db, "nobody")
    assert raised.value.code == "unknown_member"
    assert first_screen.meeting_running(any_db) is False
    meeting = meetings.create_meeting(any_db, "ordstyrer", "Årsmøde", ["egf-1.1"])
    assert first_screen.meeting_running(any_db) is False  # planned, not running
    meetings.start_meeting(any_db, "ordstyrer", meeting.id)
    assert first_screen.meeting_running(any_db) is True
    assert meetings.running_meeting_id(any_db) == meeting.id


def test_a_plain_read_on_sqlite_needs_no_engine_and_creates_no_file(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    missing = Database(f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.reads_plain_sqlite
    with pytest.raises(UserError) as raised:
        first_screen.meeting_running(missing)
    assert raised.value.code == "db_not_initialised"
    assert not (tmp_path / "none.db").exists()
    assert "engine" not in missing.__dict__
