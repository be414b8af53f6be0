"""A member's view of the running meeting (møde): the current agenda item, its vote and the
speakers' list. It follows the facilitator: when the agenda moves on, so does this screen.

Keys: 1-5 / v vote on the current item, Enter reads it in full, r asks for the floor,
o a point of order, w withdraws from the list.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Static

from deliberate.domain.ballot import Choice
from deliberate.domain.status import ProposalStatus
from deliberate.services import meetings
from deliberate.services.database import Database, utcnow
from deliberate.services.voting import VoteReceipt
from deliberate.tui.live_hub import Loader
from deliberate.tui.render import choice_text, member_line
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.screens.speakers import (
    SpeakersPanel,
    counts_text,
    result_text,
    seconds_left,
    voting_status_line,
)
from deliberate.tui.topics import MEETING, TOPICS, MeetingShared, MeetingView, load_meeting_view
from deliberate.tui.widgets.attendance_panel import AttendancePanel
from deliberate.tui.widgets.key_footer import KeyFooter
from deliberate.tui.widgets.vote_panel import my_vote_line

HEARTBEAT_SECONDS = 20.0
# While changes stream in (a hundred members voting), a screen re-reads the meeting at most
# this often: the first change shows at once, the rest are gathered. Every member's screen
# re-reads on every change, so this bounds what a burst of votes costs the whole server.
RELOAD_EVERY = 1.0
MEMBER_RELOAD_EVERY = 2.0


class ThrottledReloadMixin(ForumScreen):
    """Re-read at most every `reload_every` seconds: at once for the first change, then once
    more for whatever came meanwhile."""

    reload_every = RELOAD_EVERY
    _last_reload = 0.0
    _reload_pending = False
    _ticket = 0
    _applied = 0

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
        wait = self._last_reload + self.reload_every - time.monotonic()
        if wait <= 0:
            self._last_reload = time.monotonic()
            self.reload()
        elif not self._reload_pending:
            self._reload_pending = True
            self.set_timer(wait, self._deferred_reload)

    def deadline_passed(self) -> None:
        """The countdown ran out: a read closes the vote (meetings.meeting_state). With a live
        hub, one read for every screen in the process; else this screen's own."""
        hub = self.ctx.hub
        if hub is not None and self.subscription is not None:
            hub.changed()
        else:
            self.reload()

    def _deferred_reload(self) -> None:
        self._reload_pending = False
        self._last_reload = time.monotonic()
        self.reload()


HUB_TICKET = -1  # a SnapshotLoaded from the live hub: numbered when it arrives


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


class PresenceMixin(ForumScreen):
    """Keeps this member 'connected now' while a meeting screen is up — unless the SSH
    server does it for the whole connection (`TuiSettings.server_presence`)."""

    _presence_id: int | None = None

    def start_presence(self) -> None:
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


class MeetingScreen(ThrottledReloadMixin, PresenceMixin, ForumScreen):
    CSS_PATH = "meeting.tcss"
    reload_every = MEMBER_RELOAD_EVERY
    BINDINGS = [
        Binding("r", "request", "Request to speak", id="meeting.request"),
        # Less frequent keys: on the help screen (?), not in the footer (80 columns).
        Binding("o", "point_of_order", "Point of order", id="meeting.point_of_order", show=False),
        Binding("w", "withdraw", "Withdraw", id="meeting.withdraw", show=False),
        Binding("v", "vote", "Vote", id="vote"),
        *[
            Binding(
                str(c.key_number),
                f"vote('{c.value}')",
                c.value,
                id=f"vote_{c.key_number}",
                show=False,
            )
            for c in Choice
        ],
        Binding("enter", "read", "Read", id="meeting.read"),
        Binding("k", "check_in", "Check in/out", id="meeting.check_in_self", show=False),
    ]

    class Loaded(SnapshotLoaded):
        """A fresh MeetingView."""

    def __init__(self) -> None:
        super().__init__(id="meeting")
        self.view: MeetingView | None = None
        self._closing_requested = False

    def screen_title(self) -> str:
        return self.t("meeting.screen_title")

    def compose(self) -> ComposeResult:
        yield Header(icon="§")
        with VerticalScroll(id="meeting-body"):
            yield Static(id="meeting-title")
            yield AttendancePanel(id="attendance")
            yield Static(id="item-title")
            yield Static(id="voting-line")
            yield Static(id="my-vote")
            yield Static(id="counts")
            yield Static(id="result")
            yield SpeakersPanel(me=self.ctx.handle, id="speakers")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)
        self.start_presence()

    def on_unmount(self) -> None:
        self.stop_presence()

    # ------------------------------------------------------------------ data

    def live_topic(self) -> tuple[Hashable, Loader]:
        return MEETING, TOPICS[MEETING]

    def from_snapshot(self, snapshot: MeetingShared) -> Message:
        return self.Loaded(snapshot.for_member(self.ctx.handle), HUB_TICKET)

    def on_forum_changed(self, message: object) -> None:
        if self.subscription is None:  # else the hub brings each change
            self.request_reload()  # even under a proposal opened from here: we follow the agenda

    def reload(self) -> None:
        if self.subscription is not None:
            self.subscription.request()
        else:
            self.read_now()

    def read_now(self) -> None:
        """Read this member's view ourselves (after our own action)."""
        db, handle = self.ctx.db, self.ctx.handle
        known = self.view.detail if self.view else None
        ticket = self.take_ticket()
        self.run_db(
            lambda: self.Loaded(load_meeting_view(db, handle, known=known), ticket), group="meeting"
        )

    def on_meeting_screen_loaded(self, message: Loaded) -> None:
        if message.notice:
            self.app.notify(message.notice)
        if message.ticket == HUB_TICKET:
            message.ticket = self.take_ticket()  # the hub's snapshot is the newest
        if self.is_stale(message.ticket, after_action=message.action):
            return
        before = self.view.state.current if self.view and self.view.state else None
        self.view = message.view
        self._closing_requested = False
        after = message.view.state.current if message.view.state else None
        if before is not None and after is not None and before.proposal_id != after.proposal_id:
            self._follow(after.position, after.title)
        self.show()

    def _follow(self, position: int, title: str) -> None:
        """The facilitator moved on: leave whatever was opened from here, say where we are."""
        if self in self.app.screen_stack:
            while self.app.screen is not self and len(self.app.screen_stack) > 1:
                self.app.pop_screen()
        self.app.notify(
            self.t("meeting.moved_to", position=position, title=member_line(title).plain)
        )

    def show(self) -> None:
        t, view, now = self.t, self.view, utcnow()
        if view is None:
            return
        state = view.state
        title = self.query_one("#meeting-title", Static)
        if state is None:
            update_if_changed(title, Content.styled(t("meeting.no_meeting_title"), "bold"))
            update_if_changed(
                self.query_one("#item-title", Static), Content(t("meeting.no_meeting_body"))
            )
            for name in ("#voting-line", "#my-vote", "#counts", "#result", "#speakers"):
                update_if_changed(self.query_one(name, Static), "")
            self.query_one(AttendancePanel).show(None, t)
            return
        self.query_one(AttendancePanel).show(state, t, self.ctx.handle)
        current = state.current
        count = len(state.agenda)
        update_if_changed(
            title,
            Content.assemble(
                member_line(state.meeting.title, "bold $text-primary"),
                " · ",
                t("meeting.item_of", position=current.position if current else "-", count=count),
            ),
        )
        item = Content("")
        if current is not None:
            section = f"{current.section} " if current.section else ""
            item = Content.assemble(
                (section, "$text-muted bold"), member_line(current.title, "bold")
            )
        update_if_changed(self.query_one("#item-title", Static), item)
        self._show_live(now)
        update_if_changed(self.query_one("#my-vote", Static), self._my_vote_text())
        update_if_changed(self.query_one("#counts", Static), counts_text(state.voting, t))
        update_if_changed(self.query_one("#result", Static), result_text(state.voting, t))

    def _my_vote_text(self) -> Content:
        view, t = self.view, self.t
        if view is None or view.state is None or view.state.voting is None:
            return Content("")
        if view.state.voting.status is ProposalStatus.DRAFT:
            return Content("")
        if view.voted_secretly:
            return Content.styled(t("assembly.tui.voted_secretly"), "$text-success")
        line = my_vote_line(view.my_vote, t, self.ctx.member.can_vote)
        if view.state.voting.is_open and self.ctx.member.can_vote:
            return Content.assemble(
                line, Content.styled("  " + t("meeting.vote_hint"), "$text-muted")
            )
        return line

    def _show_live(self, now: dt.datetime) -> None:
        view = self.view
        if view is None or view.state is None:
            return
        update_if_changed(
            self.query_one("#voting-line", Static),
            voting_status_line(view.state.voting, self.t, now),
        )
        self.query_one(SpeakersPanel).show(view.state, self.t, now)

    def _tick(self) -> None:
        view, now = self.view, utcnow()
        if view is None or view.state is None:
            return
        self._show_live(now)
        left = seconds_left(view.state.voting, now)
        if left == 0 and not self._closing_requested:
            self._closing_requested = True  # the deadline passed: the next read closes it
            self.deadline_passed()

    # ------------------------------------------------------------------ speakers' list

    def _meeting_id(self) -> int | None:
        if self.view is None or self.view.state is None:
            self.app.notify(self.t("meeting.no_running"), severity="warning")
            return None
        return self.view.state.meeting.id

    def _speakers_action(self, action: Callable[[Database, str, int], object], notice: str) -> None:
        meeting_id = self._meeting_id()
        if meeting_id is None:
            return
        db, handle, t = self.ctx.db, self.ctx.handle, self.t
        ticket = self.take_ticket()

        def job() -> Message:
            action(db, handle, meeting_id)
            self.wrote()
            view = load_meeting_view(db, handle, meeting_id)
            position = view.state.queue_position(handle) if view.state else None
            return self.Loaded(view, ticket, t(notice, position=position or "-"), action=True)

        self.run_db(job, group="speakers")

    def action_request(self) -> None:
        self._speakers_action(meetings.request_to_speak, "meeting.cli.requested")

    def action_point_of_order(self) -> None:
        self._speakers_action(meetings.point_of_order, "meeting.cli.requested")

    def action_withdraw(self) -> None:
        self._speakers_action(meetings.withdraw_request, "meeting.cli.withdrawn")

    # ------------------------------------------------------------------ the current item

    def action_read(self) -> None:
        view = self.view
        if view is None or view.detail is None:
            return
        from deliberate.tui.screens.proposal import ProposalScreen

        self.app.push_screen(ProposalScreen(view.detail.id))

    def action_vote(self, value: str | None = None) -> None:
        view, t = self.view, self.t
        if view is None or view.detail is None or view.state is None or view.state.voting is None:
            self.app.notify(t("meeting.no_running"), severity="warning")
            return
        status = view.state.voting.status
        if status is ProposalStatus.DRAFT:
            self.app.notify(t("tui.vote.not_open_yet"), severity="warning")
            return
        if status is ProposalStatus.CLOSED:
            self.app.notify(t("tui.vote.already_closed"), severity="warning")
            return
        if not self.ctx.member.can_vote:
            self.app.notify(t("tui.vote.no_right"), severity="warning")
            return
        from deliberate.tui.screens.vote import Ballot, VoteScreen

        if view.voted_secretly:
            self.app.notify(t("assembly.tui.voted_secretly"), severity="warning")
            return
        d = view.detail
        ballot = Ballot(
            d.id,
            d.title,
            d.amendments,
            view.my_vote,
            secret=view.state.voting.secret,
            proxies_for=view.proxies_for,
            separate=view.state.voting.separate,
        )
        self.app.push_screen(VoteScreen(ballot, Choice(value) if value else None), self._voted)

    def _voted(self, receipt: VoteReceipt | None) -> None:
        if receipt is None:
            return
        t = self.t
        if receipt.secret:
            self.app.notify(t("assembly.tracker", tracker=receipt.receipt), timeout=30)
            self.reload()
            return
        key = "tui.vote.changed_notice" if receipt.changed else "tui.vote.cast_notice"
        label = choice_text(receipt.choice, t, receipt.amendments).plain
        self.app.notify(t(key, choice=label, receipt=receipt.receipt), timeout=10)
        self.read_now()

    # ------------------------------------------------------------------ check-in

    def action_check_in(self) -> None:
        """Check in (while check-in is open), or out when already checked in."""
        view = self.view
        meeting_id = self._meeting_id()
        if meeting_id is None or view is None or view.state is None:
            return
        inside = view.state.is_checked_in(self.ctx.handle)
        work = meetings.check_out if inside else meetings.check_in
        notice = "assembly.tui.checked_out_self" if inside else "assembly.tui.checked_in_self"
        db, handle, t, ticket = self.ctx.db, self.ctx.handle, self.t, self.take_ticket()

        def job() -> Message:
            work(db, handle, meeting_id)
            self.wrote()
            return self.Loaded(
                load_meeting_view(db, handle, meeting_id), ticket, t(notice), action=True
            )

        self.run_db(job, group="check-in")
