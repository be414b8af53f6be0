"""What the screens show, loaded from the core services in one go (run in thread workers).

The screens never query the database themselves; these loaders call `services.*` and return
frozen snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from deliberate.domain.rules import Outcome
from deliberate.domain.status import ProposalStatus
from deliberate.services import comments, proposals, voting
from deliberate.services.adopted import ResultExtras, result_extras
from deliberate.services.comments import CommentInfo
from deliberate.services.database import Database
from deliberate.services.proposals import Phase, ProposalDetail
from deliberate.services.voting import CurrentVote, TallyResult


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
    summaries: tuple[proposals.ProposalSummary, ...]
    votes: Mapping[str, Mapping[str, CurrentVote]]  # handle -> proposal id -> vote

    def for_member(self, handle: str, can_vote: bool) -> ForumSnapshot:
        results = {r.proposal_id: r for r in self.results}
        votes = self.votes.get(handle, {})
        items = []
        for s in self.summaries:
            if s.phase is not None and s.phase.private_to not in (None, handle):
                continue  # someone else's unsubmitted draft
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
                    my_support=s.phase is not None
                    and (handle in s.phase.supporters or s.phase.submitted_by == handle),
                    mine=s.phase is not None and s.phase.submitted_by == handle,
                )
            )
        return ForumSnapshot(tuple(items), can_vote)


def load_forum_shared(db: Database, handles: Collection[str]) -> ForumShared:
    results = tuple(voting.all_results(db))  # a read: deadlines are derived (DESIGN §9)
    return ForumShared(
        results, tuple(proposals.list_proposals(db)), voting.votes_of_members(db, handles)
    )


def load_forum(db: Database, handle: str, can_vote: bool) -> ForumSnapshot:
    return load_forum_shared(db, (handle,)).for_member(handle, can_vote)


@dataclass(frozen=True)
class ProposalView:
    """Everything the proposal screen shows."""

    detail: ProposalDetail
    result: TallyResult
    my_vote: CurrentVote | None
    comments: tuple[CommentInfo, ...]  # the proposal's and every amendment's, in thread order
    extras: ResultExtras = ResultExtras(None, {})  # the adopted text, amendment states
    voted_secretly: bool = False  # a secret ballot I cast (myself or by proxy): final

    def comments_on(self, amendment: int | None) -> list[CommentInfo]:
        return [c for c in self.comments if c.amendment_number == amendment]

    def comment_count(self, amendment: int | None) -> int:
        return sum(1 for c in self.comments if c.amendment_number == amendment and not c.deleted)


@dataclass(frozen=True)
class ProposalShared:
    """A proposal as every member sees it, plus the votes of the members who asked."""

    detail: ProposalDetail
    result: TallyResult
    comments: tuple[CommentInfo, ...]
    votes: Mapping[str, Mapping[str, CurrentVote]]
    extras: ResultExtras = ResultExtras(None, {})  # the adopted text, amendment states
    secret_voters: frozenset[str] = frozenset()  # who cast a secret ballot (never what)

    def for_member(self, handle: str) -> ProposalView:
        mine = self.votes.get(handle, {}).get(self.detail.id)
        return ProposalView(
            self.detail,
            self.result,
            mine,
            self.comments,
            self.extras,
            voted_secretly=handle in self.secret_voters,
        )


def load_proposal_shared(
    db: Database, handles: Collection[str], proposal_id: str
) -> ProposalShared:
    result = voting.tally(db, proposal_id)  # a read: a passed deadline reads as closed
    return ProposalShared(
        detail=proposals.get_proposal(db, proposal_id),
        result=result,
        comments=tuple(comments.list_comments(db, proposal_id)),
        votes=voting.votes_of_members(db, handles, proposal_id),
        extras=result_extras(db, result),
        secret_voters=voting.secret_voters(db, proposal_id) if result.secret else frozenset(),
    )


def load_proposal(db: Database, handle: str, proposal_id: str) -> ProposalView:
    return load_proposal_shared(db, (handle,), proposal_id).for_member(handle)
