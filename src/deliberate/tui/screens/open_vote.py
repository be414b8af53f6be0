"""Opening the current item's vote from the console: choose the rule set and whether the
ballot is secret. Enter opens, s toggles secret, Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, OptionList, Static
from textual.widgets.option_list import Option

from deliberate.domain.rules import BUILTIN_RULES, DEFAULT_RULES
from deliberate.i18n.explain import describe_rules
from deliberate.tui.screens.base import ForumModal


class OpenVoteScreen(ForumModal):
    """Dismisses with (rule set name, secret), or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("s", "toggle_secret", "Secret ballot", id="assembly.secret"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, title: Content) -> None:
        super().__init__(classes="open-vote")
        self.item_title = title

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog-box"):
            yield Static(
                Content.assemble(t("assembly.tui.open_title") + " ", self.item_title),
                classes="dialog-title",
            )
            yield OptionList(
                *[
                    Option(
                        Content.assemble(
                            (name, "bold"), "\n  ", (describe_rules(rules, t.lang), "$text-muted")
                        ),
                        id=name,
                    )
                    for name, rules in BUILTIN_RULES.items()
                ],
                id="rules",
            )
            yield Checkbox(Content(t("assembly.tui.secret_box")), value=False, id="secret")
            yield Static(Content(t("assembly.tui.open_hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        rules = self.query_one("#rules", OptionList)
        rules.highlighted = list(BUILTIN_RULES).index(DEFAULT_RULES)
        rules.focus()

    def action_toggle_secret(self) -> None:
        box = self.query_one("#secret", Checkbox)
        box.value = not box.value

    @on(OptionList.OptionSelected, "#rules")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((event.option.id or DEFAULT_RULES, self.query_one("#secret", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
