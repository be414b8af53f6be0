"""A yes/no question: Enter (or j/y) confirms, Esc (or n) cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from deliberate.tui.screens.base import ForumModal


class ConfirmScreen(ForumModal):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("enter,j,y", "confirm", "Confirm", id="confirm"),
        Binding("escape,n", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, question: Content | str, *, yes: str, no: str) -> None:
        super().__init__(classes="confirm")
        self.question = Content(question) if isinstance(question, str) else question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button(self.no, id="no")
            yield Static(Content(self.t("tui.confirm.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
