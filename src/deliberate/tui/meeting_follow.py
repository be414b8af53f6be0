"""Connected members are told when a meeting starts, and taken to it.

On each change of the forum (at most every few seconds) the app asks which meeting runs; when
one starts that did not run before, a member outside the meeting screens gets a notice and is
switched to the meeting view. The facilitator's console and the projector are left alone.
"""

from __future__ import annotations

import time

from textual.message import Message

from deliberate.services import meetings
from deliberate.services.database import Database

CHECK_EVERY = 2.0
STAY_ON = ("meeting", "console", "projector")  # modes that already show the meeting


class MeetingStarted(Message, bubble=False):
    def __init__(self, meeting_id: int, title: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.title = title


class MeetingFollower:
    """Remembers the running meeting; `job` (run in a worker) reports one that just started."""

    def __init__(self) -> None:
        self.known: int | None = None
        self.primed = False
        self.pending = False  # a deferred check is scheduled
        self._last = -CHECK_EVERY

    def wait(self) -> float:
        """Seconds until the next check may run (0: now, and the clock starts again)."""
        left = self._last + CHECK_EVERY - time.monotonic()
        if left <= 0:
            self._last = time.monotonic()
            return 0.0
        return left

    def job(self, db: Database) -> MeetingStarted | None:
        running = meetings.running_meeting_id(db)
        started = self.primed and running is not None and running != self.known
        self.known, self.primed = running, True
        if not started or running is None:
            return None
        return MeetingStarted(running, meetings.get_meeting(db, running).title)
