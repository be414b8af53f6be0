"""Scheduling a proposal's phases from the facilitator console (DESIGN §9): the debate starts
now (or at a time), amendments until, voting opens, voting closes. Times are ISO 8601."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from deliberate.domain.phases import parse_time
from deliberate.services import submissions
from deliberate.tui.render import member_line
from deliberate.tui.screens.base import ForumModal

FIELDS = ("debate_from", "debate_until", "opens_at", "closes_at")


class ScheduleDialog(ForumModal):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    class Saved(Message):
        def __init__(self, status: str) -> None:
            super().__init__()
            self.status = status

    def __init__(self, proposal_id: str, title: str) -> None:
        super().__init__(classes="schedule-dialog")
        self.proposal_id = proposal_id
        self.proposal_title = title
        self.saving = False

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog-box"):
            yield Static(
                Content.assemble(
                    (t("tui.schedule.title") + " ", "bold"), member_line(self.proposal_title)
                ),
                classes="dialog-title",
            )
            for name in FIELDS:
                yield Static(t(f"phases.cli.{name}"))
                yield Input(placeholder="2026-11-27T14:00", id=name)
            yield Static(Content(t("tui.schedule.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#debate_until", Input).focus()

    def action_save(self) -> None:
        if self.saving:
            return
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in FIELDS}
        try:
            times = {name: parse_time(v) if v else None for name, v in values.items()}
        except Exception as exc:  # a bad time: the same one-line message as the CLI
            from deliberate.tui.work import failure_message

            self.app.notify(failure_message(exc, self.t, None), severity="error")
            return
        self.saving = True
        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id

        def job() -> Message:
            result = submissions.schedule(
                db,
                handle,
                pid,
                debate_from=times["debate_from"],
                debate_until=times["debate_until"],
                opens_at=times["opens_at"],
                closes_at=times["closes_at"],
            )
            self.wrote()
            return self.Saved(result.status.value)

        self.run_db(job, group="schedule")

    def on_schedule_dialog_saved(self, message: Saved) -> None:
        status = self.t(f"status.{message.status}")
        self.app.notify(self.t("phases.cli.scheduled", proposal=self.proposal_id, status=status))
        self.dismiss(True)

    def on_action_failed(self) -> None:
        self.saving = False

    def action_cancel(self) -> None:
        self.dismiss(None)
