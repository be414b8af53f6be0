"""The footer every screen shows: its important keys and "? Hjælp", whole at 80 columns.

Keys a screen marks `show=False` are listed on the help screen (`?`), as is the command
palette (Ctrl+P), whose footer label would take 15 of the 80 columns."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("show_command_palette", False)
        super().__init__(*args, **kwargs)

    def compose(self) -> ComposeResult:
        # A FooterKey starts compact and is then bound to the footer's (not compact): each
        # key's styles were computed three times as it mounted, on every footer rebuild —
        # a fifth of a member app's start. Each key starts as the footer is instead.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
