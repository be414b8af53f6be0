"""The app's modes: each is a screen stack reached by a key (Textual MODES).

Adding a screen to the app is adding its module and one entry here, e.g. a facilitator
console: ModeEntry("console", "f3", "deliberate.tui.screens.console:ConsoleScreen",
available=lambda m: m.may_facilitate). The binding's description is `tui.mode.<name>`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen

from deliberate.services.read_models import MemberInfo


def _everyone(member: MemberInfo) -> bool:
    return True


@dataclass(frozen=True)
class ModeEntry:
    name: str
    key: str
    screen: str  # "module:Class", imported only when the mode is first shown
    available: Callable[[MemberInfo], bool] = _everyone

    def factory(self) -> Callable[[], Screen]:
        def build() -> Screen:
            module, _, cls = self.screen.partition(":")
            screen_class: type[Screen[Any]] = getattr(importlib.import_module(module), cls)
            return screen_class()

        return build


MODES: tuple[ModeEntry, ...] = (
    ModeEntry("forum", "f2", "deliberate.tui.screens.overview:OverviewScreen"),
    # Meetings (møder): the member's view, the facilitator's console, the projector.
    ModeEntry("meeting", "f3", "deliberate.tui.screens.meeting:MeetingScreen"),
    ModeEntry(
        "console",
        "f4",
        "deliberate.tui.screens.facilitator:FacilitatorScreen",
        available=lambda m: m.may_facilitate,
    ),
    ModeEntry("projector", "f5", "deliberate.tui.screens.projector:ProjectorScreen"),
)
