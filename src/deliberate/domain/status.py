"""The states of members' roles, proposals, amendments and meetings.

They live in the domain so that every layer (store, services, screens) can name a state without
importing the database models; `store.models` re-exports them for the columns.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    ORGANIZER = "organizer"


class ProposalStatus(enum.StrEnum):
    """draft → debate → voting → closed (DESIGN §9); a draft or debate may be withdrawn."""

    DRAFT = "draft"
    DEBATE = "debate"
    VOTING = "voting"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# Words earlier versions used (the CLI, old exports): `open` is now `voting`.
OLD_STATUS_WORDS = {"open": ProposalStatus.VOTING}


def parse_status(word: str) -> ProposalStatus:
    """A status word, old words included; ValueError if unknown."""
    word = word.strip().lower()
    return OLD_STATUS_WORDS.get(word) or ProposalStatus(word)


class AmendmentKind(enum.StrEnum):
    FREE = "free"
    PARAGRAPH = "paragraph"


class AmendmentState(enum.StrEnum):
    PROPOSED = "proposed"
    ADOPTED = "adopted"  # overtaget: taken into the text before the vote
    WITHDRAWN = "withdrawn"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    ENDED = "ended"
