"""A member's view of the running meeting (møde): the current agenda item, its vote and the
speakers' list. It follows the facilitator: when the agenda moves on, so does this screen.

Keys: 1-5 / v vote on the current item, Enter reads it in full, r asks for the floor,
o a point of order, w withdraws from the list.
"""

from __future__ import annotations

from collections.abc import Callable

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
from deliberate.tui.render import choice_text, member_line
from deliberate.tui.screens.meeting_base import MeetingBase, update_if_changed
from deliberate.tui.screens.speakers import SpeakersPanel, counts_text, result_text
from deliberate.tui.topics import MEETING, MeetingShared, MeetingView, load_meeting_view
from deliberate.tui.widgets.attendance_panel import AttendancePanel
from deliberate.tui.widgets.key_footer import KeyFooter
from deliberate.tui.widgets.vote_panel import my_vote_line

# Every member's screen re-reads on every change without a hub: at most this often.
MEMBER_RELOAD_EVERY = 2.0


class MeetingScreen(MeetingBase[MeetingView]):
    CSS_PATH = "meeting.tcss"
    topic = MEETING
    reload_every = MEMBER_RELOAD_EVERY
    follow_when_covered = True  # even under a proposal opened from here: we follow the agenda
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

    def __init__(self) -> None:
        super().__init__(id="meeting")

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

    # ------------------------------------------------------------------ data

    def view_of(self, snapshot: MeetingShared) -> MeetingView:
        return snapshot.for_member(self.ctx.handle)

    def read_view(self) -> Callable[[], MeetingView]:
        db, handle = self.ctx.db, self.ctx.handle
        known = self.view.detail if self.view else None
        return lambda: load_meeting_view(db, handle, known=known)

    def applied(self, previous: MeetingView | None) -> None:
        before = previous.state.current if previous and previous.state else None
        after = self.state.current if self.state else None
        if before is not None and after is not None and before.proposal_id != after.proposal_id:
            self._follow(after.position, after.title)

    def _follow(self, position: int, title: str) -> None:
        """The facilitator moved on: leave whatever was opened from here, say where we are."""
        if self in self.app.screen_stack:
            while self.app.screen is not self and len(self.app.screen_stack) > 1:
                self.app.pop_screen()
        self.app.notify(
            self.t("meeting.moved_to", position=position, title=member_line(title).plain)
        )

    def show(self) -> None:
        t, view = self.t, self.view
        if view is None:
            return
        state = view.state
        title = self.query_one("#meeting-title", Static)
        if state is None:
            update_if_changed(title, self.no_meeting_title())
            update_if_changed(
                self.query_one("#item-title", Static), Content(t("meeting.no_meeting_body"))
            )
            for name in ("#voting-line", "#my-vote", "#counts", "#result", "#speakers"):
                update_if_changed(self.query_one(name, Static), "")
            self.query_one(AttendancePanel).show(None, t)
            return
        self.query_one(AttendancePanel).show(state, t, self.ctx.handle)
        update_if_changed(title, self.meeting_title(state))
        update_if_changed(self.query_one("#item-title", Static), self.item_title(state))
        self.show_live(utcnow())
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
