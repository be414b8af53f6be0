"""The facilitator's hand-count form: the five counts counted in the room ("optalt i salen")
for the current item. Tab moves between fields, Enter records, Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from deliberate.domain.ballot import Choice
from deliberate.tui.screens.base import ForumModal


class HandCountScreen(ForumModal):
    """Dismisses with {choice token: count}, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: Content) -> None:
        super().__init__(classes="hand-count")
        self.item_title = title

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog-box"):
            yield Static(
                Content.assemble(t("assembly.tui.hand_count_title") + " ", self.item_title),
                classes="dialog-title",
            )
            for choice in Choice:
                with Horizontal(classes="count-row"):
                    yield Label(t(f"choice.{choice.value}"), classes="count-label")
                    yield Input(placeholder="0", type="integer", id=f"count-{choice.value}")
            with Horizontal(classes="buttons"):
                yield Button(t("assembly.tui.record"), variant="primary", id="record")
                yield Button(t("tui.key.cancel"), id="cancel")
            yield Static(Content(t("assembly.tui.hand_count_hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(f"#count-{Choice.JA.value}", Input).focus()

    def counts(self) -> dict[str, int] | None:
        out = {}
        for choice in Choice:
            raw = self.query_one(f"#count-{choice.value}", Input).value.strip() or "0"
            try:
                out[choice.value] = int(raw)
            except ValueError:
                return None
        return out

    def record(self) -> None:
        counts = self.counts()
        if counts is None or any(n < 0 for n in counts.values()):
            self.app.notify(self.t("assembly.tui.bad_count"), severity="warning")
            return
        self.dismiss(counts)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.record()

    @on(Button.Pressed, "#record")
    def _record(self, event: Button.Pressed) -> None:
        event.stop()
        self.record()

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
