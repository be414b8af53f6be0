"""`deliberate proposals` reads on SQLAlchemy Core (services/listing.py) and lists what the
ORM path (proposals.list_proposals with voting.all_results) lists: the phase, a closed vote's
frozen outcome, and a vote whose deadline passed before the scheduler closed it as the close
will freeze it, the meeting's attendance included — without writing."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from deliberate.domain.rules import Outcome, QuorumBase, RuleSet
from deliberate.services import comments, importer, listing, meetings, members, proposals, voting
from deliberate.store import tables
from deliberate.store.engine import Database
from deliberate.store.models import ProposalStatus, Role, utcnow
from support.db import fingerprint

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def forum(any_db: Database) -> Database:
    importer.import_paths(any_db, [REPO / "proposals"])
    members.add_member(any_db, "ole", "Ole Ordstyrer", role=Role.FACILITATOR)
    for i in range(6):
        members.add_member(any_db, f"m{i}", f"Medlem {i}")
    return any_db


def orm_listing(db: Database) -> list[tuple[Any, ...]]:
    results = {r.proposal_id: r for r in voting.all_results(db)}
    return [
        (
            p.id,
            p.title,
            p.programme,
            p.section,
            p.status,
            p.amendment_count,
            p.comment_count,
            results[p.id].status,
            results[p.id].as_json()["outcome"],
            results[p.id].carried_amendments,
        )
        for p in proposals.list_proposals(db)
    ]


def core_listing(db: Database) -> list[tuple[Any, ...]]:
    return [
        (
            p.id,
            p.title,
            p.programme,
            p.section,
            p.status,
            p.amendment_count,
            p.comment_count,
            p.status,
            p.outcome_value,
            p.carried_amendments,
        )
        for p in listing.list_proposals(db)
    ]


def test_the_core_listing_equals_the_orm_one(forum: Database) -> None:
    # Closed by the facilitator: adopted with the amendment the Betinget-ja votes carried.
    voting.open_voting(forum, "ole", "egf-1")
    for i in range(4):
        voting.cast_vote(forum, f"m{i}", "egf-1", "betinget-ja", amendments=[2])
    voting.cast_vote(forum, "m4", "egf-1", "nej")
    voting.close_voting(forum, "ole", "egf-1")
    # Open, an open secret ballot, a comment.
    voting.open_voting(forum, "ole", "egf-1.1")
    voting.cast_vote(forum, "m0", "egf-1.1", "ja")
    voting.open_voting(forum, "ole", "egf-2", secret=True)
    voting.cast_vote(forum, "m1", "egf-2", "nej")
    comments.add_comment(forum, "m2", "egf-1.2", "Godt forslag")
    # Quorum of those present: one Ja of four checked in is below it; ignoring attendance
    # (present unknown) would adopt it.
    quorum = RuleSet(name="moede", quorum=Fraction(1, 2), quorum_base=QuorumBase.PRESENT)
    soon = utcnow() + dt.timedelta(hours=1)
    voting.open_voting(forum, "ole", "et-nyt-vi-1-3", rules=quorum, closes_at=soon)
    voting.cast_vote(forum, "m0", "et-nyt-vi-1-3", "ja")
    meeting = meetings.create_meeting(forum, "ole", "Politisk Forum", ["et-nyt-vi-1-3"])
    meetings.start_meeting(forum, "ole", meeting.id)
    for i in range(4):
        meetings.check_in(forum, "ole", meeting.id, f"m{i}")
    before = fingerprint(forum)
    open_ = core_listing(forum)
    assert open_ == orm_listing(forum)
    assert {row[0]: row[7:] for row in open_}["et-nyt-vi-1-3"] == (
        ProposalStatus.VOTING,
        "open",
        (),
    )
    assert fingerprint(forum) == before

    # The deadline passes; the scheduler has not run: read as the close will freeze it.
    past = (utcnow() - dt.timedelta(minutes=1)).replace(tzinfo=None)
    p = tables.proposals.c
    with forum.engine.begin() as connection:
        connection.execute(
            update(tables.proposals).where(p.id == "et-nyt-vi-1-3").values(closes_at=past)
        )
    before = fingerprint(forum)
    listed = core_listing(forum)
    assert listed == orm_listing(forum)
    rows = {row[0]: row[7:] for row in listed}
    closed = voting.tally(forum, "et-nyt-vi-1-3")
    assert closed.present == 4 and closed.outcome is not Outcome.ADOPTED
    assert rows["et-nyt-vi-1-3"] == (ProposalStatus.CLOSED, closed.outcome.value, ())
    assert rows["egf-1"] == (ProposalStatus.CLOSED, "adopted_with_amendments", (2,))
    assert rows["egf-1.1"][:2] == rows["egf-2"][:2] == (ProposalStatus.VOTING, "open")
    assert rows["egf-10"] == (ProposalStatus.DRAFT, None, ())
    assert fingerprint(forum) == before  # a read: nothing written
