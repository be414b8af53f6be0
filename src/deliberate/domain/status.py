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
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


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
