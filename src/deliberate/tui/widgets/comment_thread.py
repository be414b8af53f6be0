"""A comment thread: each comment with author and time, replies indented under it,
deleted comments shown as deleted (their replies remain)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from deliberate.domain.text import sanitize, sanitize_line
from deliberate.i18n import Translator
from deliberate.services.comments import CommentInfo

MAX_INDENT_LEVELS = 6


def comment_view(comment: CommentInfo, t: Translator, mine: bool) -> Padding:
    """Rich renderables built from Text objects: member text is never parsed as markup."""
    header = Text()
    header.append(sanitize_line(comment.author_name), style="bold")
    if mine:
        header.append(" " + t("tui.comments.you"), style="italic")
    header.append(" · " + t.moment(comment.created_at), style="dim")
    if comment.edited_at and not comment.deleted:
        header.append(" · " + t("tui.comments.edited"), style="dim italic")
    if comment.depth:
        header = Text("↳ ", style="dim") + header
    if comment.deleted:
        body = Text(t("tui.comments.deleted"), style="dim italic")
    else:
        body = Text(sanitize(comment.body))
    indent = 2 * min(comment.depth, MAX_INDENT_LEVELS)
    return Padding(
        Group(header, Padding(body, (0, 0, 0, 2 if comment.depth else 0))), (0, 0, 1, indent)
    )


class CommentThread(OptionList):
    """Option ids are comment ids. r / e / d act on the highlighted comment."""

    BINDINGS = [
        Binding("r", "reply", "Reply", id="reply"),
        Binding("e", "edit", "Edit", id="edit", show=False),  # on the help screen (?)
        Binding("d", "delete", "Delete", id="delete", show=False),
    ]

    class Act(Message):
        """The member wants to reply to, edit or delete a comment."""

        def __init__(self, thread: CommentThread, action: str, comment: CommentInfo) -> None:
            super().__init__()
            self.thread = thread
            self.action = action
            self.comment = comment

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.comments: dict[str, CommentInfo] = {}

    def show(
        self, comments: Sequence[CommentInfo], t: Translator, me: str, empty_text: str
    ) -> None:
        keep = self.highlighted_option.id if self.highlighted_option else None
        self.comments = {str(c.id): c for c in comments}
        options = [
            Option(comment_view(c, t, c.author_handle == me), id=str(c.id)) for c in comments
        ]
        if not options:
            options = [Option(Text(empty_text, style="dim italic"), disabled=True)]
        self.set_options(options)
        if keep in self.comments:
            self.highlighted = self.get_option_index(keep)
        elif self.comments:
            self.highlighted = 0

    def select_comment(self, comment_id: int) -> None:
        key = str(comment_id)
        if key in self.comments:
            self.highlighted = self.get_option_index(key)

    @property
    def current(self) -> CommentInfo | None:
        option = self.highlighted_option
        return self.comments.get(option.id) if option and option.id else None

    def _act(self, action: str) -> None:
        if (comment := self.current) is not None:
            self.post_message(self.Act(self, action, comment))

    def action_reply(self) -> None:
        self._act("reply")

    def action_edit(self) -> None:
        self._act("edit")

    def action_delete(self) -> None:
        self._act("delete")
