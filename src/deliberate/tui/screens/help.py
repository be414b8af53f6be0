"""Every key of the screen the member came from, and of the whole app, in the member's
language; then what the five voting options mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from deliberate.domain.ballot import Choice
from deliberate.tui.bindings import declared_bindings, describe, key_display
from deliberate.tui.screens.base import ForumModal


def _ours(binding: Binding) -> bool:
    return bool(binding.id)


class HelpScreen(ForumModal):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close", id="close")]

    def __init__(self, under: Screen) -> None:
        super().__init__(id="help")
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Content(self.t("tui.help.title")), classes="dialog-title")
            with VerticalScroll(id="help-body", can_focus=True):
                yield Static(self.keys_text(), id="help-keys")
                yield Static(self.choices_text(), id="help-choices")
            yield Static(Content(self.t("tui.help.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#help-body").focus()

    def screen_bindings(self) -> list[Binding]:
        """The screen's own keys and those of its widgets that we defined."""
        found: list[Binding] = []
        seen: set[tuple[str, str]] = set()
        for node in [self.under, *self.under.query("*")]:
            for binding in declared_bindings(node, _ours):
                if (binding.id or "", binding.key) not in seen:
                    seen.add((binding.id or "", binding.key))
                    found.append(binding)
        return found

    def app_bindings(self) -> list[Binding]:
        """The app's keys, without those of modes this member cannot reach."""
        app = self.forum_app
        return declared_bindings(app, lambda b: _ours(b) and app.offers(b))

    def keys_text(self) -> Content:
        t = self.t
        lines: list[Content] = []

        def section(title: str, bindings: list[Binding]) -> None:
            lines.append(Content.styled(title, "bold $text-primary"))
            by_id: dict[str, list[Binding]] = {}
            for b in bindings:
                by_id.setdefault(b.id or "", []).append(b)
            for group in by_id.values():
                keys = " / ".join(dict.fromkeys(key_display(b, self) for b in group))
                lines.append(
                    Content.assemble(
                        (f"  {keys:<14}", "bold $text-accent"), " ", describe(group[0], t)
                    )
                )
            lines.append(Content(""))

        section(t("tui.help.this_screen"), self.screen_bindings())
        section(t("tui.help.everywhere"), self.app_bindings())
        lines.append(Content.styled(t("tui.help.moving"), "bold $text-primary"))
        lines.append(Content(t("tui.help.moving_text")))
        return Content("\n").join(lines)

    def choices_text(self) -> Content:
        t = self.t
        lines = [Content.styled(t("tui.help.choices"), "bold $text-primary")]
        for choice in Choice:
            lines.append(
                Content.assemble(
                    (f"  {choice.key_number}  ", "bold $text-accent"),
                    (t(f"choice.{choice.value}"), "bold"),
                    " — ",
                    t(f"choice.{choice.value}.help"),
                )
            )
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
