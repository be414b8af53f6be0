"""The footer every screen shows: its important keys and "? Hjælp", whole at 80 columns.

Keys a screen marks `show=False` are listed on the help screen (`?`), as is the command
palette (Ctrl+P), whose footer label would take 15 of the 80 columns."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("show_command_palette", False)
        super().__init__(*args, **kwargs)
