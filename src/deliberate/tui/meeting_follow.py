"""Connected members are told when a meeting starts, and taken to it.

Which meeting runs is a live-hub topic (`topics.RUNNING`): on a change the hub reads it once
for every app in the process and hands it over only when it differs. When a meeting starts
that did not run before, a member outside the meeting screens gets a notice and is switched
to the meeting view. The facilitator's console and the projector are left alone.
"""

from __future__ import annotations

from textual.message import Message

from deliberate.tui.topics import RunningMeeting

STAY_ON = ("meeting", "console", "projector")  # modes that already show the meeting


class RunningMeetingSeen(Message, bubble=False):
    """(From the hub's thread) which meeting runs now."""

    def __init__(self, running: RunningMeeting) -> None:
        super().__init__()
        self.running = running


class MeetingStarted(Message, bubble=False):
    def __init__(self, meeting_id: int, title: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.title = title


class MeetingFollower:
    """Remembers the running meeting; `seen` reports one that just started (the first
    answer only tells which meeting ran when the app started: no notice for that one)."""

    def __init__(self) -> None:
        self.known: int | None = None
        self.primed = False

    def seen(self, running: RunningMeeting) -> MeetingStarted | None:
        started = self.primed and running.id is not None and running.id != self.known
        self.known, self.primed = running.id, True
        if not started or running.id is None:
            return None
        return MeetingStarted(running.id, running.title)
