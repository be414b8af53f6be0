"""The facilitator's console (ordstyrerens skærm): run the meeting from the keyboard.

Left: the agenda with each item's state (or, before a meeting, the planned meetings). Right:
the current item's vote — participation meter, countdown, counts (or hidden), the result and
the audit head after close — the speakers' list with speaking times, and who is connected.

Keys: s start · o open voting · c close · e +1 minute · n / p next / previous item ·
Enter go to the highlighted item · g give the floor · f speaker finished · x end the meeting.
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
from textual.widgets import Footer, Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from deliberate.domain.rules import Outcome
from deliberate.domain.status import MeetingStatus, ProposalStatus
from deliberate.i18n.explain import outcome_label
from deliberate.services import meetings
from deliberate.services.database import Database, utcnow
from deliberate.services.meetings import MeetingState, MeetingSummary
from deliberate.tui.render import OUTCOME_STYLE, member_line
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.screens.meeting import (
    PresenceMixin,
    SnapshotLoaded,
    ThrottledReloadMixin,
    update_if_changed,
)
from deliberate.tui.screens.speakers import (
    SpeakersPanel,
    counts_text,
    result_text,
    seconds_left,
    voting_status_line,
)

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
}


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


class FacilitatorScreen(ThrottledReloadMixin, PresenceMixin, ForumScreen):
    CSS_PATH = "facilitator.tcss"
    BINDINGS = [
        Binding("s", "start", "Start", id="meeting.start"),
        Binding("o", "open_voting", "Open voting", id="meeting.open"),
        Binding("c", "close_voting", "Close voting", id="meeting.close"),
        Binding("e", "extend", "+1 min", id="meeting.extend"),
        Binding("n", "next_item", "Next item", id="meeting.next"),
        Binding("p", "previous_item", "Previous item", id="meeting.previous"),
        Binding("g", "grant", "Give the floor", id="meeting.grant"),
        Binding("f", "finish", "Speaker done", id="meeting.finish"),
        Binding("x", "end", "End meeting", id="meeting.end"),
        Binding("S", "schedule", "Schedule", id="meeting.schedule"),
    ]

    class Loaded(SnapshotLoaded):
        """A fresh ConsoleView."""

    def __init__(self) -> None:
        super().__init__(id="console")
        self.view: ConsoleView | None = None
        self._closing_requested = False

    def screen_title(self) -> str:
        return self.t("meeting.console_title")

    def compose(self) -> ComposeResult:
        yield Header(icon="§")
        with Horizontal(id="console-body"):
            with Vertical(id="left"):
                yield Static(id="agenda-heading")
                yield OptionList(id="agenda")
                yield Static(id="connected")
            with VerticalScroll(id="right"):
                yield Static(id="meeting-line")
                yield Static(id="item-title")
                yield Static(id="voting-line")
                yield ProgressBar(id="meter", show_eta=False)
                yield Static(id="counts")
                yield Static(id="result")
                yield Static(id="audit")
                yield SpeakersPanel(totals=True, id="speakers")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)
        self.start_presence()
        self.query_one("#agenda", OptionList).focus()

    def on_unmount(self) -> None:
        self.stop_presence()

    # ------------------------------------------------------------------ data

    def on_forum_changed(self, message: object) -> None:
        if self.is_current:
            self.request_reload()

    def reload(self) -> None:
        db, ticket = self.ctx.db, self.take_ticket()
        self.run_db(lambda: self.Loaded(load_console(db), ticket), group="console")

    def on_facilitator_screen_loaded(self, message: Loaded) -> None:
        if message.notice:
            self.app.notify(message.notice, timeout=12)
        if self.is_stale(message.ticket, after_action=message.action):
            return
        self.view = message.view
        self._closing_requested = False
        self.show()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.view is not None and self.view.state is not None
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
                Option(
                    Content.styled(t("meeting.none_planned"), "$text-muted italic"), disabled=True
                )
            ]
            self._set_agenda(agenda, options)
            update_if_changed(
                self.query_one("#meeting-line", Static),
                Content.styled(t("meeting.no_meeting_title"), "bold"),
            )
            update_if_changed(
                self.query_one("#item-title", Static), Content(t("meeting.start_hint"))
            )
            for name in ("#voting-line", "#counts", "#result", "#audit", "#speakers", "#connected"):
                update_if_changed(self.query_one(name, Static), "")
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
            current = state.current
            update_if_changed(
                self.query_one("#meeting-line", Static),
                Content.assemble(
                    member_line(state.meeting.title, "bold $text-primary"),
                    " · ",
                    t(
                        "meeting.item_of",
                        position=current.position if current else "-",
                        count=len(state.agenda),
                    ),
                ),
            )
            title = Content("")
            if current is not None:
                section = f"{current.section} " if current.section else ""
                title = Content.assemble(
                    (section, "$text-muted bold"), member_line(current.title, "bold")
                )
            update_if_changed(self.query_one("#item-title", Static), title)
            self._show_live(now)
            voting = state.voting
            meter = self.query_one("#meter", ProgressBar)
            meter.display = voting is not None and voting.status is not ProposalStatus.DRAFT
            if voting is not None:
                meter.update(total=max(voting.eligible, 1), progress=voting.voted)
            update_if_changed(self.query_one("#counts", Static), counts_text(voting, t))
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
        if seconds_left(view.state.voting, now) == 0 and not self._closing_requested:
            self._closing_requested = True
            self.reload()  # the countdown ran out: the next read closes the vote

    # ------------------------------------------------------------------ actions

    def _act(
        self,
        work: Callable[[Database, str, int], object],
        notice: Callable[[ConsoleView], str] | None = None,
    ) -> None:
        view = self.view
        if view is None or view.state is None:
            return
        db, handle, meeting_id = self.ctx.db, self.ctx.handle, view.state.meeting.id
        ticket = self.take_ticket()

        def job() -> Message:
            work(db, handle, meeting_id)
            fresh = load_console(db)
            return self.Loaded(fresh, ticket, notice(fresh) if notice else "", action=True)

        self.run_db(job, group="console-action")

    def action_start(self) -> None:
        view = self.view
        agenda = self.query_one("#agenda", OptionList)
        if view is None or view.state is not None or agenda.highlighted is None or not view.planned:
            return
        option = agenda.get_option_at_index(agenda.highlighted)
        if not option.id or not option.id.startswith("m"):
            return
        db, handle, meeting_id = self.ctx.db, self.ctx.handle, int(option.id[1:])
        ticket = self.take_ticket()

        def job() -> Message:
            meetings.start_meeting(db, handle, meeting_id)
            return self.Loaded(load_console(db), ticket, action=True)

        self.run_db(job, group="console-action")

    def action_open_voting(self) -> None:
        self._act(lambda db, h, m: meetings.open_item_voting(db, h, m))

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
