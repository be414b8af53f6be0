"""Writing, replying to and editing a comment. The dialog saves the comment itself and only
closes once it is stored: a refused comment keeps its text on screen."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static, TextArea

from deliberate.services.comments import CommentInfo
from deliberate.tui.screens.base import ForumModal


class CommentEditor(ForumModal):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    class Saved(Message):
        def __init__(self, comment: CommentInfo) -> None:
            super().__init__()
            self.comment = comment

    def __init__(self, title: Content, save: Callable[[str], CommentInfo], text: str = "") -> None:
        super().__init__(classes="comment-editor")
        self.title_content = title
        self.save = save
        self.initial = text
        self.saving = False

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog-box"):
            yield Static(self.title_content, classes="dialog-title")
            yield TextArea(
                self.initial,
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                id="body",
            )
            with Horizontal(classes="buttons"):
                yield Button(t("tui.key.save"), variant="primary", id="save")
                yield Button(t("tui.key.cancel"), id="cancel")
            yield Static(Content(t("tui.editor.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        if self.saving:
            return
        if not self.text.strip():
            self.app.notify(self.t("tui.editor.empty"), severity="warning")
            return
        self.saving = True
        body, save = self.text, self.save
        self.run_db(lambda: self.Saved(save(body)), group="comment-save")

    def on_comment_editor_saved(self, message: Saved) -> None:
        self.dismiss(message.comment)

    def on_action_failed(self) -> None:
        # The message bubbles on to the app, which shows it; the text stays here.
        self.saving = False

    def action_cancel(self) -> None:
        if self.text.strip() and self.text != self.initial:
            from deliberate.tui.screens.confirm import ConfirmScreen

            t = self.t
            question = ConfirmScreen(
                t("tui.editor.discard"), yes=t("tui.editor.discard_yes"), no=t("tui.editor.keep")
            )

            def discard_if(yes: bool | None) -> None:
                if yes:
                    self.dismiss(None)

            self.app.push_screen(question, discard_if)
        else:
            self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
