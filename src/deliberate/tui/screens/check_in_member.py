"""The facilitator checks someone in at the door (or out): type the handle, Enter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from deliberate.tui.screens.base import ForumModal


class CheckInMemberScreen(ForumModal):
    """Dismisses with the handle typed, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog-box"):
            yield Static(Content(t("assembly.tui.check_in_member_title")), classes="dialog-title")
            yield Input(placeholder=t("assembly.tui.handle_placeholder"), id="handle")
            yield Static(Content(t("assembly.tui.check_in_member_hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#handle", Input).focus()

    @on(Input.Submitted, "#handle")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        handle = event.value.strip().lower()
        if handle:
            self.dismiss(handle)

    def action_cancel(self) -> None:
        self.dismiss(None)
