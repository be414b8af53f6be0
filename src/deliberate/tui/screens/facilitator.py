"""The facilitator's console (ordstyrerens skærm): run the meeting from the keyboard.

Left: the agenda with each item's state (or, before a meeting, the planned meetings). Right:
the current item's vote — participation meter, countdown, counts (or hidden), the result and
the audit head after close — the speakers' list with speaking times, and who is connected.

Keys: s start · o open voting (rule set, secret or open) · c close (with turnout) · e +1 minute ·
n / p next / previous item · Enter go to the highlighted item · g give the floor · f speaker
finished · t +30 s for the speaker · i open/close check-in · m check someone in · h hand count ·
x end the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from deliberate.domain.rules import Outcome
from deliberate.domain.status import MeetingStatus, ProposalStatus
from deliberate.i18n import Translator
from deliberate.i18n.explain import outcome_label
from deliberate.services import meetings
from deliberate.services.database import Database, utcnow
from deliberate.services.meetings import MeetingState, MeetingSummary
from deliberate.tui.render import OUTCOME_STYLE, member_line
from deliberate.tui.screens.meeting_base import MeetingBase, update_if_changed
from deliberate.tui.screens.speakers import SpeakersPanel, counts_text, result_text
from deliberate.tui.topics import CONSOLE
from deliberate.tui.widgets.attendance_panel import AttendancePanel
from deliberate.tui.widgets.key_footer import KeyFooter
from deliberate.tui.widgets.non_voters import NonVotersList

EXTEND_SECONDS = 60

# Which keys make sense when (hidden otherwise).
_NEEDS_RUNNING = {
    "open_voting",
    "close_voting",
    "extend",
    "next_item",
    "previous_item",
    "grant",
    "finish",
    "end",
    "hand_count",
    "extend_floor",
}
FLOOR_EXTEND_SECONDS = 30


@dataclass(frozen=True)
class ConsoleView:
    state: MeetingState | None  # the running meeting
    planned: tuple[MeetingSummary, ...]  # meetings that can be started


def load_console(db: Database) -> ConsoleView:
    meeting_id = meetings.running_meeting_id(db)
    if meeting_id is not None:
        return ConsoleView(meetings.meeting_state(db, meeting_id), ())
    planned = tuple(m for m in meetings.list_meetings(db) if m.status is MeetingStatus.PLANNED)
    return ConsoleView(None, planned)


class FacilitatorScreen(MeetingBase[ConsoleView]):
    CSS_PATH = "facilitator.tcss"
    topic = CONSOLE
    notice_timeout = 12
    BINDINGS = [
        Binding("s", "start", "Start", id="meeting.start"),
        Binding("o", "open_voting", "Open voting", id="meeting.open"),
        Binding("c", "close_voting", "Close voting", id="meeting.close"),
        Binding("n", "next_item", "Next item", id="meeting.next"),
        Binding("g", "grant", "Give the floor", id="meeting.grant"),
        # The footer has room for the keys above (o or c, whichever applies); these are on
        # the help screen (?).
        Binding("e", "extend", "+1 min", id="meeting.extend", show=False),
        Binding("p", "previous_item", "Previous item", id="meeting.previous", show=False),
        Binding("f", "finish", "Speaker done", id="meeting.finish", show=False),
        Binding("x", "end", "End meeting", id="meeting.end", show=False),
        Binding("t", "extend_floor", "+30 s floor", id="meeting.extend_floor", show=False),
        Binding("i", "toggle_checkin", "Check-in", id="meeting.checkin", show=False),
        Binding("m", "check_in_member", "Check in", id="meeting.checkin_member", show=False),
        Binding("h", "hand_count", "Hand count", id="meeting.hand_count", show=False),
        Binding("S", "schedule", "Schedule", id="meeting.schedule", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="console")
        self._floor_ended = False

    def screen_title(self) -> str:
        return self.t("meeting.console_title")

    def compose(self) -> ComposeResult:
        yield Header(icon="§")
        with Horizontal(id="console-body"):
            with Vertical(id="left"):
                yield Static(id="agenda-heading")
                yield OptionList(id="agenda")
                yield AttendancePanel(id="attendance")
                yield Static(id="connected")
            with VerticalScroll(id="right"):
                yield Static(id="meeting-line")
                yield Static(id="item-title")
                yield Static(id="voting-line")
                yield ProgressBar(id="meter", show_eta=False)
                yield Static(id="counts")
                yield NonVotersList(id="non-voters")
                yield Static(id="result")
                yield Static(id="floor-warning")
                # The speakers' list before the audit head: it is what the room needs now.
                yield SpeakersPanel(totals=True, id="speakers")
                yield Static(id="audit")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#agenda", OptionList).focus()

    # ------------------------------------------------------------------ data

    def applied(self, previous: ConsoleView | None) -> None:
        self._floor_ended = False
        self.refresh_bindings()  # which of o / c applies, and s before a meeting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.view.state if self.view is not None else None
        if action in ("open_voting", "close_voting") and state is not None:
            # One of the two applies at a time; the other would only give an error.
            voting_open = state.voting is not None and state.voting.status is ProposalStatus.VOTING
            return voting_open if action == "close_voting" else not voting_open
        running = state is not None
        if action in _NEEDS_RUNNING:
            return running
        if action == "start":
            return not running
        return True

    def show(self) -> None:
        view, t, now = self.view, self.t, utcnow()
        if view is None:
            return
        agenda = self.query_one("#agenda", OptionList)
        keep = agenda.highlighted
        if view.state is None:
            update_if_changed(
                self.query_one("#agenda-heading", Static),
                Content.styled(t("meeting.planned_heading"), "bold"),
            )
            options = [
                Option(
                    Content.assemble(
                        f"{m.id:>3}. ", member_line(m.title, "bold"), f"  ({m.item_count})"
                    ),
                    id=f"m{m.id}",
                )
                for m in view.planned
            ] or [
                Option(Content.styled(t("meeting.none_short"), "$text-muted italic"), disabled=True)
            ]
            self._set_agenda(agenda, options)
            update_if_changed(self.query_one("#meeting-line", Static), self.no_meeting_title())
            # Without planned meetings, say how to make one (on the wide side, not cut off).
            hint = "meeting.start_hint" if view.planned else "meeting.none_planned"
            update_if_changed(self.query_one("#item-title", Static), Content(t(hint)))
            for name in ("#voting-line", "#counts", "#result", "#audit", "#speakers", "#connected"):
                update_if_changed(self.query_one(name, Static), "")
            self.query_one(AttendancePanel).show(None, t)
            self.query_one(NonVotersList).show(None, t)
            self.query_one("#meter").display = False
            self.query_one("#speakers").display = False
        else:
            state = view.state
            self.query_one("#speakers").display = True
            update_if_changed(
                self.query_one("#agenda-heading", Static),
                Content.styled(t("meeting.agenda_heading"), "bold"),
            )
            self._set_agenda(
                agenda, [self._agenda_option(state, i) for i in range(len(state.agenda))]
            )
            update_if_changed(self.query_one("#meeting-line", Static), self.meeting_title(state))
            update_if_changed(self.query_one("#item-title", Static), self.item_title(state))
            self.show_live(now)
            voting = state.voting
            meter = self.query_one("#meter", ProgressBar)
            meter.display = voting is not None and voting.status is not ProposalStatus.DRAFT
            if voting is not None:
                meter.update(total=max(voting.eligible, 1), progress=voting.voted)
            update_if_changed(self.query_one("#counts", Static), counts_text(voting, t))
            self.query_one(AttendancePanel).show(state, t)
            self.query_one(NonVotersList).show(state, t)
            update_if_changed(self.query_one("#result", Static), result_text(voting, t))
            update_if_changed(
                self.query_one("#audit", Static),
                Content.styled(
                    t("meeting.audit_head", seq=state.audit_seq, hash=state.audit_hash),
                    "$text-muted",
                ),
            )
            names = ", ".join(member_line(m.name).plain for m in state.connected)
            update_if_changed(
                self.query_one("#connected", Static),
                Content.assemble(
                    Content.styled(
                        t("meeting.connected_heading", n=t.number(len(state.connected))), "bold"
                    ),
                    "\n",
                    Content(names).truncate(400),
                ),
            )
        if agenda.option_count:
            agenda.highlighted = min(keep if keep is not None else 0, agenda.option_count - 1)

    def _set_agenda(self, agenda: OptionList, options: list[Option]) -> None:
        """Rebuild the list only when an entry changed (it would lose its place and repaint)."""
        key = [(o.id, o.prompt) for o in options]
        if key != getattr(self, "_agenda_key", None):
            self._agenda_key = key
            agenda.set_options(options)

    def _agenda_option(self, state: MeetingState, index: int) -> Option:
        t, item = self.t, state.agenda[index]
        is_current = state.current is not None and item.position == state.current.position
        if item.outcome:
            outcome = Outcome(item.outcome)
            status = Content.styled(outcome_label(outcome, t.lang), OUTCOME_STYLE[outcome])
        elif item.status is ProposalStatus.VOTING:
            status = Content.styled(t("meeting.voting_open"), "bold $text-accent")
        else:
            status = Content.styled(t("meeting.voting_not_open"), "$text-muted")
        return Option(
            Content.assemble(
                ("▶ " if is_current else "  ", "bold $text-success"),
                f"{item.position}. ",
                member_line(item.title, "bold" if is_current else ""),
                "\n     ",
                status,
            ),
            id=f"p{item.position}",
        )

    def show_live(self, now: dt.datetime) -> None:
        super().show_live(now)
        state = self.state
        if state is not None:
            update_if_changed(
                self.query_one("#floor-warning", Static), floor_warning(state, self.t, now)
            )

    def ticked(self, state: MeetingState, now: dt.datetime) -> None:
        speaker = state.speaker
        if speaker is not None and speaker.seconds_left(now) == 0 and not self._floor_ended:
            self._floor_ended = True
            self.app.notify(self.t("assembly.tui.floor_ended", name=speaker.name))
            self.reload()  # the speaker's time ran out: the floor is free

    # ------------------------------------------------------------------ actions

    def _act(
        self,
        work: Callable[[Database, str, int], object],
        notice: str | Callable[[ConsoleView], str] = "",
    ) -> None:
        """Do `work` on the running meeting, then show the console as it left it."""
        state = self.state
        if state is not None:
            self._act_on(state.meeting.id, work, notice)

    def _act_on(
        self,
        meeting_id: int,
        work: Callable[[Database, str, int], object],
        notice: str | Callable[[ConsoleView], str] = "",
    ) -> None:
        db, handle, ticket = self.ctx.db, self.ctx.handle, self.take_ticket()

        def job() -> Message:
            work(db, handle, meeting_id)
            self.wrote()
            fresh = load_console(db)
            said = notice(fresh) if callable(notice) else notice
            return self.Loaded(fresh, ticket, said, action=True)

        self.run_db(job, group="console-action")

    def action_start(self) -> None:
        view = self.view
        agenda = self.query_one("#agenda", OptionList)
        if view is None or view.state is not None or agenda.highlighted is None or not view.planned:
            return
        option = agenda.get_option_at_index(agenda.highlighted)
        if option.id and option.id.startswith("m"):
            self._act_on(int(option.id[1:]), meetings.start_meeting)

    def action_open_voting(self) -> None:
        """Choose the rule set and a secret or open ballot, then open."""
        from deliberate.tui.screens.open_vote import OpenVoteScreen

        view = self.view
        if view is None or view.state is None or view.state.current is None:
            return

        def chosen(answer: tuple[str, bool] | None) -> None:
            if answer is not None:
                rules, secret = answer
                self._act(
                    lambda db, h, m: meetings.open_item_voting(db, h, m, rules=rules, secret=secret)
                )

        self.app.push_screen(OpenVoteScreen(member_line(view.state.current.title, "bold")), chosen)

    def action_close_voting(self) -> None:
        """Closing is final (the tally freezes), so it is confirmed first."""
        from deliberate.tui.screens.confirm import ConfirmScreen

        view = self.view
        if view is None or view.state is None or view.state.current is None:
            return
        question = Content.assemble(
            self.t("meeting.close_question") + " ",
            member_line(view.state.current.title, "bold"),
            "?",
            "\n\n",
            (turnout_question(view.state, self.t), "bold"),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._close_voting()

        self.app.push_screen(
            ConfirmScreen(
                question, yes=self.t("tui.key.meeting.close"), no=self.t("tui.key.cancel")
            ),
            answered,
        )

    def _close_voting(self) -> None:
        t = self.t

        def notice(view: ConsoleView) -> str:
            state = view.state
            if state is None or state.voting is None or state.voting.decision is None:
                return ""
            return t(
                "meeting.closed_notice",
                outcome=outcome_label(state.voting.decision.outcome, t.lang),
                seq=state.audit_seq,
                hash=state.audit_hash[:16],
            )

        self._act(lambda db, h, m: meetings.close_item_voting(db, h, m), notice)

    def action_extend(self) -> None:
        self._act(lambda db, h, m: meetings.extend_item_voting(db, h, m, EXTEND_SECONDS))

    def action_next_item(self) -> None:
        self._act(meetings.next_item)

    def action_previous_item(self) -> None:
        self._act(meetings.previous_item)

    @on(OptionList.OptionSelected, "#agenda")
    def _agenda_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("m"):
            self.action_start()
        elif option_id.startswith("p"):
            position = int(option_id[1:])
            self._act(lambda db, h, m: meetings.goto_item(db, h, m, position))

    def action_schedule(self) -> None:
        """Schedule the current item's phases (debate, amendments until, voting)."""
        from deliberate.tui.screens.schedule import ScheduleDialog

        view = self.view
        if view is None or view.state is None or view.state.current is None:
            return
        current = view.state.current
        self.app.push_screen(ScheduleDialog(current.proposal_id, current.title))

    def action_grant(self) -> None:
        self._act(lambda db, h, m: meetings.grant_floor(db, h, m))

    def action_finish(self) -> None:
        self._act(meetings.finish_speaker)

    def action_end(self) -> None:
        from deliberate.tui.screens.confirm import ConfirmScreen

        view = self.view
        if view is None or view.state is None:
            return
        question = Content.assemble(
            self.t("meeting.end_question") + " ", member_line(view.state.meeting.title, "bold")
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(meetings.end_meeting)

        self.app.push_screen(
            ConfirmScreen(question, yes=self.t("meeting.end_yes"), no=self.t("tui.key.cancel")),
            answered,
        )

    # ------------------------------------------------------------------ the annual meeting

    def _target_meeting(self) -> int | None:
        """The running meeting, or before one runs the highlighted planned meeting."""
        view = self.view
        if view is None:
            return None
        if view.state is not None:
            return view.state.meeting.id
        agenda = self.query_one("#agenda", OptionList)
        if agenda.highlighted is None or not view.planned:
            return None
        option = agenda.get_option_at_index(agenda.highlighted)
        return int(option.id[1:]) if option.id and option.id.startswith("m") else None

    def action_toggle_checkin(self) -> None:
        meeting_id = self._target_meeting()
        if meeting_id is None:
            return
        view = self.view
        assert view is not None
        summaries = [view.state.meeting] if view.state is not None else list(view.planned)
        is_open = any(m.id == meeting_id and m.checkin_open for m in summaries)
        work = meetings.close_checkin if is_open else meetings.open_checkin
        key = "assembly.cli.checkin_closed" if is_open else "assembly.cli.checkin_opened"
        self._act_on(meeting_id, work, self.t(key))

    def action_check_in_member(self) -> None:
        from deliberate.tui.screens.check_in_member import CheckInMemberScreen

        meeting_id = self._target_meeting()
        if meeting_id is None:
            return

        def typed(handle: str | None) -> None:
            if handle:
                self._act_on(
                    meeting_id,
                    lambda db, h, m: meetings.check_in(db, h, m, handle),
                    self.t("assembly.tui.checked_in_member", handle=handle),
                )

        self.app.push_screen(CheckInMemberScreen(), typed)

    def action_hand_count(self) -> None:
        from deliberate.tui.screens.hand_count import HandCountScreen

        view = self.view
        if view is None or view.state is None or view.state.current is None:
            return

        def counted(counts: dict[str, int] | None) -> None:
            if counts is not None:
                self._act(
                    lambda db, h, m: meetings.record_hand_count(db, h, m, counts),
                    lambda fresh: (
                        self.t("assembly.cli.recorded", proposal=fresh.state.current.proposal_id)
                        if fresh.state and fresh.state.current
                        else ""
                    ),
                )

        self.app.push_screen(
            HandCountScreen(member_line(view.state.current.title, "bold")), counted
        )

    def action_extend_floor(self) -> None:
        self._act(lambda db, h, m: meetings.extend_speaker(db, h, m, FLOOR_EXTEND_SECONDS))


def turnout_question(state: MeetingState, t: Translator) -> str:
    """'31 af 212 til stede har stemt — luk alligevel?' (of the eligible outside check-in)."""
    voting = state.voting
    voted = voting.voted if voting else 0
    if state.present_count:
        return t(
            "assembly.turnout_confirm", voted=t.number(voted), present=t.number(state.present_count)
        )
    eligible = voting.eligible if voting else 0
    return t(
        "assembly.turnout_confirm_eligible", voted=t.number(voted), eligible=t.number(eligible)
    )


def floor_warning(state: MeetingState, t: Translator, now: dt.datetime) -> Content:
    """A warning when the speaker has 30 seconds or less left; at 0 the floor has ended."""
    speaker = state.speaker
    if speaker is None:
        return Content("")
    left = speaker.seconds_left(now)
    if left is None or left > meetings.WARNING_SECONDS:
        return Content("")
    if left <= 0:
        return Content.styled(t("assembly.tui.floor_ended", name=speaker.name), "bold $text-error")
    return Content.styled(
        t("assembly.tui.floor_warning", seconds=t.number(int(left + 0.999))), "bold $text-warning"
    )
