"""Which proposals an export covers, read on SQLAlchemy Core (the ballots CSV needs no ORM).

`--proposal ID` picks one proposal; `--session ID` the proposals on a meeting's agenda, in
agenda order; neither: every proposal that has been opened for voting, in programme order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from deliberate.domain.status import ProposalStatus
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.store.tables import agenda_items, meetings, programmes, proposals


@dataclass(frozen=True)
class Selection:
    """Which proposals an export covers."""

    proposal: str | None = None
    meeting: int | None = None


def selected_ids(
    connection: Connection, selection: Selection = Selection()
) -> list[tuple[int | None, str]]:
    """(agenda position or None, proposal id) in the order an export lists them."""
    if selection.proposal is not None:
        found = connection.scalar(
            select(proposals.c.id).where(proposals.c.id == selection.proposal)
        )
        if found is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(selection.proposal))
        return [(None, selection.proposal)]
    if selection.meeting is not None:
        if (
            connection.scalar(select(meetings.c.id).where(meetings.c.id == selection.meeting))
            is None
        ):
            raise UserError("export.unknown_meeting", meeting=selection.meeting)
        rows = connection.execute(
            select(agenda_items.c.position, agenda_items.c.proposal_id)
            .where(agenda_items.c.meeting_id == selection.meeting)
            .order_by(agenda_items.c.position)
        )
        return [(position, pid) for position, pid in rows]
    ids = connection.execute(
        select(proposals.c.id)
        .outerjoin(programmes, proposals.c.programme_id == programmes.c.id)
        .where(proposals.c.status != ProposalStatus.DRAFT.value)
        .order_by(
            programmes.c.name.is_(None),
            programmes.c.name,
            proposals.c.section_key,
            proposals.c.title,
            proposals.c.id,
        )
    )
    return [(None, pid) for (pid,) in ids]
