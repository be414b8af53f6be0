"""The footer every screen shows: its important keys and "? Hjælp", whole at 80 columns.

Keys a screen marks `show=False` are listed on the help screen (`?`), as is the command
palette (Ctrl+P), whose footer label would take 15 of the 80 columns.

One widget draws the whole line. Textual's `Footer` mounts a widget per key and composes
them again whenever the screen's bindings change (focus moves, a key is enabled): on the
member app's first screen that was ~65 ms of CPU, a tenth of its start, and every screen
change pays it again — in the SSH server, once per member. This footer reads the same
bindings (`Screen.active_bindings`, one key per action, `show=False` left out), draws them
as Textual's footer does (the key in bold on its own colours, the description after it, a
disabled key dim), highlights the key under the mouse and presses it on a click.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it, and the columns it takes (end exclusive)."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    start: int
    end: int


class KeyFooter(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            background: $block-hover-background;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
    }
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[FooterEntry] = []
        self.hovered: int | None = None  # the entry under the mouse

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._read()

    def _read(self) -> None:
        """The keys to show, from the screen's active bindings, as Textual's Footer picks
        them: shown bindings only, the first binding of each action."""
        entries: list[FooterEntry] = []
        actions: set[str] = set()
        column = 0
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            display = self.app.get_key_display(binding)
            label = f" {display} {binding.description} " if binding.description else display
            width = cell_len(label)
            entries.append(
                FooterEntry(
                    binding.key,
                    display,
                    binding.description,
                    binding.action,
                    enabled,
                    column,
                    column + width,
                )
            )
            column += width
        if entries != self.entries:
            self.entries = entries
            self.hovered = None
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        hover = self.get_component_rich_style("key-footer--hover", partial=True)
        dim = Style(dim=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        for index, entry in enumerate(self.entries):
            extra = (hover if index == self.hovered else Style()) + (
                Style() if entry.enabled else dim
            )
            if entry.description:
                text.append(f" {entry.key_display} ", key_style + extra)
                text.append(f"{entry.description} ", description_style + extra)
            else:
                text.append(entry.key_display, key_style + extra)
        text.stylize_before(self.rich_style)
        return text

    def entry_at(self, x: int) -> int | None:
        return next((i for i, e in enumerate(self.entries) if e.start <= x < e.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self.entry_at(event.x)
        if hover != self.hovered:
            self.hovered = hover
            self.refresh()

    def on_leave(self) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self.entry_at(event.x)
        if index is None:
            return
        entry = self.entries[index]
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()
