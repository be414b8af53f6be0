"""Facilitated sessions (møder), one concept per module:

- `agenda`: a meeting's life (create, start, end), its agenda, the current item, voting per item
- `speakers`: the speakers' list, points of order, the floor and its time limit
- `attendance`: check-in and check-out, with times
- `proxies`: fuldmagter, within the forum's limit per holder
- `hand_count`: a result counted in the room for the current item
- `snapshot`: everything the three meeting screens show, read in one transaction

Presence ("connected now") lives beside this package in `services.presence`. Each public
function is one transaction; writers go through `records.write` (run_write, audit head first)
and check the role inside it.
"""

from deliberate.services.meetings.agenda import (
    add_agenda_item,
    close_item_voting,
    create_meeting,
    current_proposal,
    end_meeting,
    extend_item_voting,
    get_meeting,
    goto_item,
    list_meetings,
    next_item,
    open_item_voting,
    previous_item,
    reorder_agenda,
    running_meeting_id,
    set_countdown,
    start_meeting,
)
from deliberate.services.meetings.attendance import (
    PresentMember,
    Stay,
    attendance_log,
    check_in,
    check_out,
    close_checkin,
    open_checkin,
    present,
)
from deliberate.services.meetings.hand_count import record_hand_count
from deliberate.services.meetings.proxies import (
    ProxyEntry,
    add_proxy,
    list_proxies,
    proxies_held,
    proxy_limit,
    remove_proxy,
    set_proxy_limit,
)
from deliberate.services.meetings.records import (
    FLOOR_GRANTED,
    MAX_SECONDS,
    MEETING_END,
    MEETING_ITEM,
    MEETING_START,
    MeetingSummary,
)
from deliberate.services.meetings.snapshot import (
    AgendaEntry,
    ItemVoting,
    MeetingState,
    NonVoter,
    meeting_state,
)
from deliberate.services.meetings.speakers import (
    POINT_OF_ORDER,
    SPEAK,
    WARNING_SECONDS,
    ItemSpeaking,
    SpeakerEntry,
    SpeakingTotal,
    extend_speaker,
    finish_speaker,
    grant_floor,
    point_of_order,
    request_to_speak,
    speaking_by_item,
    speaking_totals,
    withdraw_request,
)
from deliberate.services.presence import (
    PRESENCE_WINDOW_SECONDS,
    ConnectedMember,
    connected_now,
    disconnect,
    heartbeat,
    prune_presence,
    refresh_presence,
)

__all__ = [
    "FLOOR_GRANTED",
    "MAX_SECONDS",
    "MEETING_END",
    "MEETING_ITEM",
    "MEETING_START",
    "POINT_OF_ORDER",
    "PRESENCE_WINDOW_SECONDS",
    "SPEAK",
    "WARNING_SECONDS",
    "AgendaEntry",
    "ConnectedMember",
    "ItemSpeaking",
    "ItemVoting",
    "MeetingState",
    "MeetingSummary",
    "NonVoter",
    "PresentMember",
    "ProxyEntry",
    "SpeakerEntry",
    "SpeakingTotal",
    "Stay",
    "add_agenda_item",
    "add_proxy",
    "attendance_log",
    "check_in",
    "check_out",
    "close_checkin",
    "close_item_voting",
    "connected_now",
    "create_meeting",
    "current_proposal",
    "disconnect",
    "end_meeting",
    "extend_item_voting",
    "extend_speaker",
    "finish_speaker",
    "get_meeting",
    "goto_item",
    "grant_floor",
    "heartbeat",
    "list_meetings",
    "list_proxies",
    "meeting_state",
    "next_item",
    "open_checkin",
    "open_item_voting",
    "point_of_order",
    "present",
    "previous_item",
    "proxies_held",
    "proxy_limit",
    "prune_presence",
    "record_hand_count",
    "refresh_presence",
    "remove_proxy",
    "reorder_agenda",
    "request_to_speak",
    "running_meeting_id",
    "set_countdown",
    "set_proxy_limit",
    "speaking_by_item",
    "speaking_totals",
    "start_meeting",
    "withdraw_request",
]
