"""The one clock (DESIGN §9): the scheduler moves proposals across their boundaries, and no
read writes — after a deadline, before the scheduler ran, every read already shows the final
result and the database is unchanged."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest

from deliberate.domain.phases import Boundary, Clock, due_transitions, effective_status
from deliberate.domain.rules import Outcome
from deliberate.errors import UserError
from deliberate.services import (
    audit,
    comments,
    importer,
    listing,
    meetings,
    members,
    proposals,
    voting,
)
from deliberate.services.export import csv_export, json_dump, results
from deliberate.services.export.html_report import render_html
from deliberate.services.export.minutes import render_minutes
from deliberate.services.scheduler import run_scheduler
from deliberate.store.engine import Database
from deliberate.store.models import ProposalStatus, Role, utcnow
from support.db import fingerprint

REPO = Path(__file__).resolve().parents[1]
T0 = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def test_due_transitions_in_order() -> None:
    clock = Clock(
        ProposalStatus.DRAFT,
        debate_from=T0,
        amendments_close_at=T0 + H,
        opens_at=T0 + 2 * H,
        closes_at=T0 + 3 * H,
    )
    assert due_transitions(clock, T0 - H) == []
    assert [b for b, _ in due_transitions(clock, T0 + 4 * H)] == [
        Boundary.DEBATE,
        Boundary.FILING_CLOSED,
        Boundary.OPEN,
        Boundary.CLOSE,
    ]
    assert effective_status(clock, T0 + 90 * dt.timedelta(minutes=1)) is ProposalStatus.DEBATE
    assert effective_status(clock, T0 + 2 * H) is ProposalStatus.VOTING
    assert effective_status(clock, T0 + 3 * H) is ProposalStatus.CLOSED
    # Without a schedule nothing moves by itself.
    assert due_transitions(Clock(ProposalStatus.DRAFT), T0) == []
    assert effective_status(Clock(ProposalStatus.VOTING), T0) is ProposalStatus.VOTING


@pytest.fixture
def forum(any_db: Database) -> Database:
    importer.import_paths(any_db, [REPO / "proposals"])
    members.add_member(any_db, "ole", "Ole Ordstyrer", role=Role.FACILITATOR)
    for i in range(4):
        members.add_member(any_db, f"m{i}", f"Medlem {i}")
    return any_db


def _wait_until_past(moment: dt.datetime, timeout: float = 120.0) -> None:
    """Time passes for real: the deadline is logged as it was set, so verify still agrees."""
    give_up = time.monotonic() + timeout
    while utcnow() <= moment:
        assert time.monotonic() < give_up, "the clock did not reach the deadline"
        time.sleep(0.05)


def test_reads_never_write_and_show_the_final_result(forum: Database) -> None:
    deadline = utcnow() + dt.timedelta(seconds=8)
    voting.open_voting(forum, "ole", "egf-1", closes_at=deadline)
    voting.cast_vote(forum, "m0", "egf-1", "ja")
    voting.cast_vote(forum, "m1", "egf-1", "ja")
    voting.cast_vote(forum, "m2", "egf-1", "nej")
    comments.add_comment(forum, "m3", "egf-1", "Godt forslag")
    meeting = meetings.create_meeting(forum, "ole", "Politisk Forum", ["egf-1"])
    meetings.start_meeting(forum, "ole", meeting.id)
    _wait_until_past(deadline)

    before = fingerprint(forum)
    # Every read service, after the deadline, before the scheduler ran.
    result = voting.tally(forum, "egf-1")
    assert result.status is ProposalStatus.CLOSED and result.outcome is Outcome.ADOPTED
    assert result.closed_at == deadline and result.cast == 3
    by_id = {r.proposal_id: r for r in voting.all_results(forum)}
    assert by_id["egf-1"] == result
    assert voting.participation(forum, "egf-1") == (3, result.eligible)
    assert voting.get_my_vote(forum, "m0", "egf-1") is not None
    assert voting.get_my_votes(forum, "m1")
    listed = {p.id: p for p in proposals.list_proposals(forum)}
    assert listed["egf-1"].status is ProposalStatus.CLOSED
    core = {p.id: p for p in listing.list_proposals(forum)}["egf-1"]  # `proposals`, on Core
    assert (core.status, core.outcome, core.carried_amendments) == (
        result.status,
        result.outcome,
        result.carried_amendments,
    )
    assert proposals.get_proposal(forum, "egf-1").status is ProposalStatus.CLOSED
    assert comments.list_comments(forum, "egf-1")
    state = meetings.meeting_state(forum, meeting.id)
    assert state.voting is not None and state.voting.is_closed
    assert state.voting.outcome == Outcome.ADOPTED.value
    out = io.StringIO()
    json_dump.export_forum(forum, out)
    assert '"outcome":"adopted"' in out.getvalue().replace(" ", "")
    res, ballots = io.StringIO(), io.StringIO()
    csv_export.export_csv(forum, results_out=res, ballots_out=ballots)
    assert "adopted" in res.getvalue()
    report = results.build_report(forum)
    assert "egf-1" in render_minutes(report, "en") + render_html(report, "en")
    assert audit.verify(forum).ok
    assert fingerprint(forum) == before  # nothing was written

    # A vote after the deadline is refused inside the vote transaction, still nothing written.
    with pytest.raises(UserError) as err:
        voting.cast_vote(forum, "m3", "egf-1", "ja")
    assert err.value.code == "voting.error.deadline_passed"
    assert fingerprint(forum) == before

    # The scheduler writes the close the reads showed.
    report_run = run_scheduler(forum)
    assert report_run.closed == ["egf-1"]
    assert voting.tally(forum, "egf-1") == result
    assert run_scheduler(forum).moved == ()
    assert audit.verify(forum).ok
