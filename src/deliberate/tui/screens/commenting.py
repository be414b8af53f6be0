"""Writing, replying to, editing and deleting comments: shared by the proposal and the
amendment screens. The host screen has `proposal_id`, `comment_amendment` (None: the proposal
itself) and `proposal_title()`, and reloads itself with `reload()`."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.message import Message

from deliberate.services import comments
from deliberate.services.comments import CommentInfo
from deliberate.tui.render import member_line
from deliberate.tui.widgets.comment_thread import CommentThread


class CommentDeleted(Message):
    pass


class CommentingMixin:
    proposal_id: str
    comment_amendment: int | None

    def proposal_title(self) -> str:
        raise NotImplementedError

    def action_comment(self: Any) -> None:
        self.write_comment(amendment=self.comment_amendment)

    def write_comment(
        self: Any, *, amendment: int | None, reply_to: CommentInfo | None = None
    ) -> None:
        from deliberate.tui.screens.comment_editor import CommentEditor

        t, db, handle, pid = self.t, self.ctx.db, self.ctx.handle, self.proposal_id
        if reply_to is not None:
            if reply_to.deleted:
                self.app.notify(t("tui.comments.cannot_reply_deleted"), severity="warning")
                return
            title = Content.assemble(
                t("tui.comments.reply_to") + " ", member_line(reply_to.author_name, "bold")
            )
            parent = reply_to.id

            def save(body: str) -> CommentInfo:
                return comments.add_comment(db, handle, pid, body, reply_to=parent)
        else:
            where = (
                t("tui.comments.on_amendment", n=t.number(amendment))
                if amendment is not None
                else t("tui.comments.on_proposal")
            )
            title = Content.assemble(where + " ", member_line(self.proposal_title(), "bold"))

            def save(body: str) -> CommentInfo:
                return comments.add_comment(db, handle, pid, body, amendment=amendment)

        self.app.push_screen(CommentEditor(title, save), self._comment_saved)

    def _comment_saved(self: Any, comment: CommentInfo | None) -> None:
        if comment is None:
            return
        self.app.notify(self.t("tui.comments.saved"))
        self._focus_comment = comment.id
        self.wrote()
        self.reload()

    def remember_comment_place(self: Any) -> None:
        """Before the screen is composed afresh (a language switch): where the reader is."""
        self._comment_places = {
            thread.id: (thread.current.id if thread.current else None, thread.scroll_y)
            for thread in self.query(CommentThread)
        }

    def select_saved_comment(self: Any) -> None:
        """After a reload: put the cursor on the comment just written, or back where the
        reader was before the screen was composed afresh."""
        places = getattr(self, "_comment_places", None) or {}
        self._comment_places = None
        for thread in self.query(CommentThread):
            if thread.id in places:
                comment_id, scroll_y = places[thread.id]
                if comment_id is not None:
                    thread.select_comment(comment_id)
                thread.call_after_refresh(thread.scroll_to, y=scroll_y, animate=False)
        comment_id = getattr(self, "_focus_comment", None)
        if comment_id is not None:
            self._focus_comment = None
            for thread in self.query(CommentThread):
                thread.select_comment(comment_id)

    def on_comment_thread_act(self: Any, event: CommentThread.Act) -> None:
        event.stop()
        comment, t = event.comment, self.t
        if event.action == "reply":
            self.write_comment(amendment=comment.amendment_number, reply_to=comment)
            return
        if comment.author_handle != self.ctx.handle:
            self.app.notify(t("tui.comments.not_yours"), severity="warning")
            return
        if comment.deleted:
            self.app.notify(t("tui.comments.already_deleted"), severity="warning")
            return
        db, handle = self.ctx.db, self.ctx.handle
        if event.action == "edit":
            from deliberate.tui.screens.comment_editor import CommentEditor

            def save(body: str) -> CommentInfo:
                return comments.edit_comment(db, handle, comment.id, body)

            self.app.push_screen(
                CommentEditor(Content(t("tui.comments.edit_title")), save, comment.body),
                self._comment_saved,
            )
        elif event.action == "delete":
            from deliberate.tui.screens.confirm import ConfirmScreen

            def delete() -> Message:
                comments.delete_comment(db, handle, comment.id)
                return CommentDeleted()

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_db(delete, group="comment-delete")

            question = ConfirmScreen(
                t("tui.comments.delete_question"), yes=t("tui.key.delete"), no=t("tui.key.cancel")
            )
            self.app.push_screen(question, answered)

    def on_comment_deleted(self: Any, message: CommentDeleted) -> None:
        self.app.notify(self.t("tui.comments.deleted_notice"))
        self.wrote()
        self.reload()
