"""What the proposal screens show, loaded from the core services in one go (thread workers).

The screens never query the database themselves; these loaders call `services.*` and return
frozen snapshots.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from deliberate.services import comments, proposals, voting
from deliberate.services.adopted import ResultExtras, result_extras
from deliberate.services.comments import CommentInfo
from deliberate.services.database import Database
from deliberate.services.proposals import ProposalDetail
from deliberate.services.voting import CurrentVote, TallyResult


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
