"""The forum overview's data: from the services, or for the first screen by plain SQL.

This module imports no database library: the overview is the member app's first screen, and
`first_forum` reads it before SQLAlchemy is loaded (services.first_screen, issue 15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deliberate.domain.rules import Outcome
from deliberate.domain.status import ProposalStatus
from deliberate.services.database import Database
from deliberate.services.read_models import CurrentVote, Phase

if TYPE_CHECKING:
    from deliberate.services.proposals import ProposalSummary
    from deliberate.services.voting import TallyResult


@dataclass(frozen=True)
class ForumItem:
    """One proposal as a row of the forum overview."""

    id: str
    title: str
    programme: str | None
    section: str | None
    status: ProposalStatus
    amendment_count: int
    comment_count: int
    closes_at: dt.datetime | None
    outcome: Outcome | None
    my_vote: CurrentVote | None
    phase: Phase | None = None
    my_support: bool = False  # the member reading supports it, or wrote it
    mine: bool = False  # the member reading wrote it (a member's proposal)

    @property
    def my_draft(self) -> bool:
        """My own proposal, still a draft (submitted or not): listed first, under its heading."""
        return self.mine and self.status is ProposalStatus.DRAFT

    @property
    def to_submit(self) -> bool:
        """My own draft, saved but not submitted yet: I may edit it, then submit it."""
        return self.my_draft and self.phase is not None and self.phase.submitted_at is None

    @property
    def waits_for_support(self) -> bool:
        """A member's submitted proposal still collecting supporters that I could support."""
        p = self.phase
        return (
            p is not None
            and self.status is ProposalStatus.DRAFT
            and p.submitted_at is not None
            and not self.my_support
        )

    @property
    def needs_vote(self) -> bool:
        return self.status is ProposalStatus.VOTING and self.my_vote is None

    def matches(self, query: str) -> bool:
        if not query:
            return True
        haystack = " ".join(filter(None, (self.title, self.section, self.id, self.programme)))
        return query.casefold() in haystack.casefold()


@dataclass(frozen=True)
class ForumSnapshot:
    items: tuple[ForumItem, ...]
    can_vote: bool


@dataclass(frozen=True)
class ForumShared:
    """The overview as every member sees it, plus the votes of the members who asked (one
    read serves a whole server's overviews: tui.live_hub)."""

    results: tuple[TallyResult, ...]
    summaries: tuple[ProposalSummary, ...]
    votes: Mapping[str, Mapping[str, CurrentVote]]  # handle -> proposal id -> vote

    def for_member(self, handle: str, can_vote: bool) -> ForumSnapshot:
        results = {r.proposal_id: r for r in self.results}
        votes = self.votes.get(handle, {})
        items = []
        for s in self.summaries:
            if not _listed_for(s.phase, handle):
                continue
            result = results.get(s.id)
            status = result.status if result else s.status
            items.append(
                ForumItem(
                    id=s.id,
                    title=s.title,
                    programme=s.programme,
                    section=s.section,
                    status=status,
                    amendment_count=s.amendment_count,
                    comment_count=s.comment_count,
                    closes_at=result.closes_at if result else s.closes_at,
                    outcome=result.outcome if result and status is ProposalStatus.CLOSED else None,
                    my_vote=votes.get(s.id),
                    phase=s.phase,
                    my_support=_supports(s.phase, handle),
                    mine=_wrote(s.phase, handle),
                )
            )
        return ForumSnapshot(tuple(items), can_vote)


def _listed_for(phase: Phase | None, handle: str) -> bool:
    """Not someone else's unsubmitted draft."""
    return phase is None or phase.private_to in (None, handle)


def _wrote(phase: Phase | None, handle: str) -> bool:
    return phase is not None and phase.submitted_by == handle


def _supports(phase: Phase | None, handle: str) -> bool:
    """Supports it, or wrote it."""
    return _wrote(phase, handle) or (phase is not None and handle in phase.supporters)


def load_forum_shared(db: Database, handles: Collection[str]) -> ForumShared:
    from deliberate.services import proposals, voting

    results = tuple(voting.all_results(db))  # a read: deadlines are derived (DESIGN §9)
    return ForumShared(
        results, tuple(proposals.list_proposals(db)), voting.votes_of_members(db, handles)
    )


def load_forum(db: Database, handle: str, can_vote: bool) -> ForumSnapshot:
    return load_forum_shared(db, (handle,)).for_member(handle, can_vote)


def first_forum(db: Database, member_id: int, handle: str, can_vote: bool) -> ForumSnapshot:
    """The overview as `load_forum` reads it, from one plain query (no SQLAlchemy); through
    the services when a vote closed by its deadline waits for the scheduler."""
    from deliberate.services import first_screen

    entries = first_screen.overview(db, member_id)
    if entries is None:
        return load_forum(db, handle, can_vote)
    items = [
        ForumItem(
            id=e.id,
            title=e.title,
            programme=e.programme,
            section=e.section,
            status=e.status,
            amendment_count=e.amendment_count,
            comment_count=e.comment_count,
            closes_at=e.closes_at,
            outcome=e.outcome,
            my_vote=e.my_vote,
            phase=e.phase,
            my_support=_supports(e.phase, handle),
            mine=_wrote(e.phase, handle),
        )
        for e in entries
        if _listed_for(e.phase, handle)
    ]
    return ForumSnapshot(tuple(items), can_vote)
