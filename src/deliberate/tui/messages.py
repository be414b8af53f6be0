"""Messages shared by screens and the app. Widget-specific ones live in their widget."""

from __future__ import annotations

from textual.message import Message


class ForumChanged(Message, bubble=False):
    """Something changed in the database (this or another process): refresh what is shown.
    `seen_by_hub`: the live hub noticed it (and reads its topics anyway); otherwise (a test,
    or a write the app knows of) the hub is told."""

    def __init__(self, seen_by_hub: bool = False) -> None:
        super().__init__()
        self.seen_by_hub = seen_by_hub


class LanguageChanged(Message, bubble=False):
    """The UI language changed: relabel everything."""


class ActionFailed(Message):
    """A user error or a database problem, in plain words for a notification."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
