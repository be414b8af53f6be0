"""What the live hub reads (tui.live_hub): one loader per kind of screen data, each reading the
shared part once plus the votes of every subscribed member in the same go. Run in the hub's
thread; they return frozen snapshots and never touch widgets.

The services are imported by the loaders, not here: the forum overview (the first screen)
imports this module before SQLAlchemy is loaded (issue 15)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deliberate.domain.status import ProposalStatus
from deliberate.services.database import Database
from deliberate.services.read_models import CurrentVote
from deliberate.tui.forum_data import load_forum_shared
from deliberate.tui.live_hub import Loader

if TYPE_CHECKING:
    from deliberate.services.meetings import MeetingState
    from deliberate.services.proposals import ProposalDetail

FORUM = "forum"
MEETING = "meeting"
CONSOLE = "console"
RUNNING = "running"


@dataclass(frozen=True)
class RunningMeeting:
    """Which meeting runs (id None: none), for the apps that follow it (tui.meeting_follow)."""

    id: int | None
    title: str = ""


@dataclass(frozen=True)
class MeetingView:
    """What the member's meeting screen shows: the snapshot, and the current proposal."""

    state: MeetingState | None
    detail: ProposalDetail | None
    my_vote: CurrentVote | None
    voted_secretly: bool = False  # a secret ballot was cast by or for this member
    proxies_for: tuple[tuple[str, str], ...] = ()  # (handle, name) whose proxy this member holds


@dataclass(frozen=True)
class MeetingShared:
    state: MeetingState | None
    detail: ProposalDetail | None
    votes: Mapping[str, CurrentVote]  # handle -> vote on the current item
    secret_voters: frozenset[str] = frozenset()  # on a secret ballot: who voted, never what

    def for_member(self, handle: str) -> MeetingView:
        proxies = self.state.proxies if self.state is not None else ()
        return MeetingView(
            self.state,
            self.detail,
            self.votes.get(handle),
            voted_secretly=handle in self.secret_voters,
            proxies_for=tuple(
                (p.principal, p.principal_name) for p in proxies if p.holder == handle
            ),
        )


def load_meeting_shared(
    db: Database,
    handles: frozenset[str] | tuple[str, ...],
    meeting_id: int | None = None,
    *,
    known: ProposalDetail | None = None,
) -> MeetingShared:
    """The running meeting (or `meeting_id`); state None: no meeting. `known`: the current
    proposal as last read, reused while its status is unchanged."""
    from deliberate.services import meetings, proposals, voting

    if meeting_id is None:
        meeting_id = meetings.running_meeting_id(db)
    if meeting_id is None:
        return MeetingShared(None, None, {})
    state = meetings.meeting_state(db, meeting_id)
    if state.current is None:
        return MeetingShared(state, None, {})
    if (
        known is not None
        and known.id == state.current.proposal_id
        and known.status is state.current.status
    ):
        detail = known
    else:
        detail = proposals.get_proposal(db, state.current.proposal_id)
    votes: dict[str, CurrentVote] = {}
    if detail.status is not ProposalStatus.DRAFT:
        for handle, mine in voting.votes_of_members(db, handles, detail.id).items():
            if detail.id in mine:
                votes[handle] = mine[detail.id]
    secret = state.voting is not None and state.voting.secret
    voters = voting.secret_voters(db, detail.id) if secret else frozenset()
    return MeetingShared(state, detail, votes, voters)


def load_meeting_view(
    db: Database, handle: str, meeting_id: int | None = None, *, known: ProposalDetail | None = None
) -> MeetingView:
    return load_meeting_shared(db, (handle,), meeting_id, known=known).for_member(handle)


def _meeting(db: Database, handles: frozenset[str], previous: Any) -> MeetingShared:
    known = previous.detail if isinstance(previous, MeetingShared) else None
    return load_meeting_shared(db, handles, known=known)


def _forum(db: Database, handles: frozenset[str], previous: Any) -> Any:
    return load_forum_shared(db, handles)


def _console(db: Database, handles: frozenset[str], previous: Any) -> Any:
    from deliberate.tui.screens.facilitator import load_console

    return load_console(db)


def _running(db: Database, handles: frozenset[str], previous: Any) -> RunningMeeting:
    from deliberate.services import meetings

    meeting_id = meetings.running_meeting_id(db)
    if meeting_id is None:
        return RunningMeeting(None)
    return RunningMeeting(meeting_id, meetings.get_meeting(db, meeting_id).title)


def proposal_topic(proposal_id: str) -> tuple[Hashable, Loader]:
    def load(db: Database, handles: frozenset[str], previous: Any) -> Any:
        from deliberate.tui import data

        return data.load_proposal_shared(db, handles, proposal_id)

    return ("proposal", proposal_id), load


TOPICS: dict[str, Loader] = {
    FORUM: _forum,
    MEETING: _meeting,
    CONSOLE: _console,
    RUNNING: _running,
}
