"""What the three meeting screens share — the member's view (meeting.py), the facilitator's
console (facilitator.py) and the projector (projector.py): following the running meeting
through the live hub, throttled reads of their own, the once-a-second clock that moves the
countdowns and asks for the close when a deadline passes, the meeting's title line and the
current item's title, and (for the two screens a member acts on) keeping the member
'connected now'."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from deliberate.services import meetings
from deliberate.services.database import utcnow
from deliberate.services.meetings import MeetingState
from deliberate.tui.live_hub import Loader
from deliberate.tui.render import member_line
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.screens.speakers import SpeakersPanel, seconds_left, voting_status_line
from deliberate.tui.topics import TOPICS

HEARTBEAT_SECONDS = 20.0
# While changes stream in (a hundred members voting), a screen re-reads the meeting at most
# this often: the first change shows at once, the rest are gathered. Every member's screen
# re-reads on every change, so this bounds what a burst of votes costs the whole server.
RELOAD_EVERY = 1.0
HUB_TICKET = -1  # a Loaded from the live hub: numbered when it arrives


class SnapshotLoaded(Message):
    """A meeting snapshot read by a worker; `ticket` orders reads (see take_ticket), `action`
    marks a read that follows the member's own write."""

    def __init__(self, view: Any, ticket: int, notice: str = "", action: bool = False) -> None:
        super().__init__()
        self.view = view
        self.ticket = ticket
        self.notice = notice
        self.action = action


def update_if_changed(widget: Static, content: Content | str) -> None:
    """Repaint only when the text really changed (ticks run every second on every screen),
    and lay the screen out again only when the text's shape changed: a countdown ticking
    repaints one line, not the whole screen (that is most of a server's idle CPU)."""
    old = _shown.get(widget)
    if old != content:
        _shown[widget] = content
        widget.update(content, layout=not _same_shape(widget, old, content))


def _same_shape(widget: Static, old: Content | str | None, new: Content | str) -> bool:
    if old is None:
        return False
    before, after = str(old).split("\n"), str(new).split("\n")
    width = widget.content_size.width
    return (
        len(before) == len(after)
        and width > 0
        and all(0 < len(line) <= width for line in before + after)
    )


_shown: weakref.WeakKeyDictionary[Static, Content | str] = weakref.WeakKeyDictionary()


class ShowsMeeting(Protocol):
    """A meeting screen's data: whatever else it holds, the running meeting (None: none)."""

    @property
    def state(self) -> MeetingState | None: ...


V = TypeVar("V", bound=ShowsMeeting)


class MeetingBase(ForumScreen, Generic[V]):
    """A screen that shows the running meeting (view type V), following it live.

    Subclasses name their live topic (`topic`), say how a hub snapshot becomes their view
    (`view_of`), draw it (`show`, and `show_live` for what moves every second) and may react
    to a new view (`applied`). Textual calls every class's handler of a message, so these
    handlers (on_mount, on_unmount, …) are not repeated in subclasses."""

    topic: ClassVar[str]
    reload_every: ClassVar[float] = RELOAD_EVERY
    keeps_presence: ClassVar[bool] = True  # the member is 'connected now' while it is shown
    notice_timeout: ClassVar[float | None] = None  # for a Loaded's notice (None: the default)
    follow_when_covered: ClassVar[bool] = False  # re-read while another screen is on top
    # How the meeting's title and the current item's title look.
    title_style: ClassVar[str] = "bold $text-primary"
    section_style: ClassVar[str] = "$text-muted bold"
    item_style: ClassVar[str] = "bold"

    class Loaded(SnapshotLoaded):
        """A fresh view of the meeting."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.view: V | None = None
        self._closing_requested = False
        self._last_reload = 0.0
        self._reload_pending = False
        self._ticket = 0
        self._applied = 0
        self._presence_id: int | None = None

    @property
    def state(self) -> MeetingState | None:
        return self.view.state if self.view is not None else None

    # ------------------------------------------------------------------ life

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        if self.keeps_presence:
            self.start_presence()

    def on_unmount(self) -> None:
        self.stop_presence()

    # ------------------------------------------------------------------ following the meeting

    def live_topic(self) -> tuple[Hashable, Loader]:
        return self.topic, TOPICS[self.topic]

    def view_of(self, snapshot: Any) -> V:
        """This screen's view from the topic's snapshot (run in a thread: no widgets)."""
        view: V = snapshot
        return view

    def read_view(self) -> Callable[[], V]:
        """A job (run in a thread) that reads this screen's view without the hub."""
        _, loader = self.live_topic()
        db, handles = self.ctx.db, frozenset({self.ctx.handle})
        return lambda: self.view_of(loader(db, handles, None))

    def from_snapshot(self, snapshot: Any) -> Message:
        return self.Loaded(self.view_of(snapshot), HUB_TICKET)

    def on_forum_changed(self, message: object) -> None:
        covered_ok = self.follow_when_covered or self.is_current
        if self.subscription is None and covered_ok:  # else the hub brings each change
            self.request_reload()

    def reload(self) -> None:
        if self.subscription is not None:
            self.subscription.request()
        else:
            self.read_now()

    def read_now(self) -> None:
        """Read this screen's view ourselves (after our own action, or without a hub)."""
        read, ticket = self.read_view(), self.take_ticket()
        self.run_db(lambda: self.Loaded(read(), ticket), group=self.id or "meeting")

    def on_meeting_base_loaded(self, message: Loaded) -> None:
        if message.notice:
            self.app.notify(message.notice, timeout=self.notice_timeout)
        if message.ticket == HUB_TICKET:
            message.ticket = self.take_ticket()  # the hub's snapshot is the newest
        if self.is_stale(message.ticket, after_action=message.action):
            return
        previous, self.view = self.view, message.view
        self._closing_requested = False
        self.applied(previous)
        self.show()

    def applied(self, previous: V | None) -> None:
        """A new view replaced `previous` (before it is shown)."""

    def show(self) -> None:
        """Show `self.view`."""

    # ------------------------------------------------------------------ throttled reads

    def take_ticket(self) -> int:
        """Numbers each read, so an older answer never replaces a newer one on screen."""
        self._ticket += 1
        return self._ticket

    def is_stale(self, ticket: int, *, after_action: bool = False) -> bool:
        if after_action:  # a read that raced our write may have shown older data: read again
            self.request_reload()
        if ticket < self._applied:
            return True
        self._applied = ticket
        return False

    def request_reload(self) -> None:
        """Re-read at most every `reload_every` seconds: at once for the first change, then
        once more for whatever came meanwhile."""
        wait = self._last_reload + self.reload_every - time.monotonic()
        if wait <= 0:
            self._last_reload = time.monotonic()
            self.reload()
        elif not self._reload_pending:
            self._reload_pending = True
            self.set_timer(wait, self._deferred_reload)

    def _deferred_reload(self) -> None:
        self._reload_pending = False
        self._last_reload = time.monotonic()
        self.reload()

    # ------------------------------------------------------------------ the clock

    def _tick(self) -> None:
        state, now = self.state, utcnow()
        if state is None or self.relabeling:
            return
        self.show_live(now)
        self.ticked(state, now)
        if seconds_left(state.voting, now) == 0 and not self._closing_requested:
            self._closing_requested = True  # the deadline passed: the next read closes it
            self.deadline_passed()

    def show_live(self, now: dt.datetime) -> None:
        """What moves with the clock: the voting line (countdown) and the speakers' list."""
        state = self.state
        if state is None:
            return
        update_if_changed(
            self.query_one("#voting-line", Static), voting_status_line(state.voting, self.t, now)
        )
        self.query_one(SpeakersPanel).show(state, self.t, now)

    def ticked(self, state: MeetingState, now: dt.datetime) -> None:
        """Called every second while a meeting runs, after `show_live`."""

    def deadline_passed(self) -> None:
        """The countdown ran out: a read closes the vote (meetings.meeting_state). With a live
        hub, one read for every screen in the process; else this screen's own."""
        hub = self.ctx.hub
        if hub is not None and self.subscription is not None:
            hub.changed()
        else:
            self.reload()

    # ------------------------------------------------------------------ titles

    def no_meeting_title(self) -> Content:
        return Content.styled(self.t("meeting.no_meeting_title"), "bold")

    def meeting_title(self, state: MeetingState) -> Content:
        """'Landsmøde 2027 · punkt 2 af 5'."""
        current = state.current
        return Content.assemble(
            member_line(state.meeting.title, self.title_style),
            " · ",
            self.t(
                "meeting.item_of",
                position=current.position if current else "-",
                count=len(state.agenda),
            ),
        )

    def item_title(self, state: MeetingState) -> Content:
        """The current item: its section number and title (empty between items)."""
        current = state.current
        if current is None:
            return Content("")
        section = f"{current.section} " if current.section else ""
        return Content.assemble(
            (section, self.section_style), member_line(current.title, self.item_style)
        )

    # ------------------------------------------------------------------ presence

    def start_presence(self) -> None:
        """Keep this member 'connected now' while the screen is up — unless the SSH server
        does it for the whole connection (`TuiSettings.server_presence`)."""
        if self.ctx.settings.server_presence:
            return
        self._beat()
        self.set_interval(HEARTBEAT_SECONDS, self._beat)

    def _beat(self) -> None:
        db, handle, known = self.ctx.db, self.ctx.handle, self._presence_id

        def job() -> Message | None:
            self._presence_id = meetings.heartbeat(db, handle, client="tui", presence_id=known)
            return None

        self.run_db(job, group="presence")

    def stop_presence(self) -> None:
        if self._presence_id is not None:
            with contextlib.suppress(Exception):
                meetings.disconnect(self.ctx.db, self._presence_id)
            self._presence_id = None
