"""'Nyt forslag': a member writes a proposal — a title and a Markdown text — previews it, saves
it as a draft or submits it (it then collects supporters, DESIGN §9). The same editor opens a
saved draft again, pre-filled: save it again, or submit it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import ContentSwitcher, Header, Input, Static, TextArea

from deliberate.services import submissions
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.widgets.document import Document
from deliberate.tui.widgets.key_footer import KeyFooter


@dataclass(frozen=True)
class DraftText:
    """A saved draft as the editor opens it."""

    proposal_id: str
    title: str
    body: str


class NewProposalScreen(ForumScreen):
    CSS_PATH = "editing.tcss"
    BINDINGS = [
        Binding("f2", "preview", "Preview", id="preview", priority=True),
        Binding("ctrl+s", "save(False)", "Save draft", id="save_draft", priority=True),
        Binding("ctrl+t", "save(True)", "Submit", id="submit", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    class Saved(Message):
        def __init__(self, result: submissions.SubmissionResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self, draft: DraftText | None = None) -> None:
        super().__init__(classes="editing-screen")
        self.saving = False
        self.draft = draft  # None: a new proposal

    def screen_title(self) -> str:
        return self.t("tui.edit.title" if self.draft else "tui.new.title")

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header(icon="§")
        yield Static(Content(t("tui.new.help")), id="help-line")
        draft = self.draft
        yield Input(
            draft.title if draft else "",
            placeholder=t("tui.new.title_placeholder"),
            id="title",
            max_length=submissions.MAX_TITLE,
        )
        with ContentSwitcher(initial="body", id="switcher"):
            yield TextArea(
                draft.body if draft else "",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                id="body",
            )
            yield Document("", id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#title", Input).focus()

    async def relabel(self) -> None:
        title, body = self.query_one("#title", Input).value, self.query_one(TextArea).text
        await self.recompose()
        self.query_one("#title", Input).value = title
        self.query_one(TextArea).text = body

    @on(Input.Submitted, "#title")
    def _title_done(self) -> None:
        self.query_one(TextArea).focus()

    def action_preview(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "body":
            self.query_one(Document).set_markdown(self.query_one(TextArea).text)
            switcher.current = "preview"
            self.query_one(Document).focus()
        else:
            switcher.current = "body"
            self.query_one(TextArea).focus()

    def action_save(self, submit: bool) -> None:
        if self.saving:
            return
        self.saving = True
        db, handle = self.ctx.db, self.ctx.handle
        title, body = self.query_one("#title", Input).value, self.query_one(TextArea).text

        draft = self.draft

        def job() -> Message:
            if draft is None:
                saved = submissions.propose(db, handle, title, body, submit=submit)
            else:
                saved = submissions.edit_draft(
                    db, handle, draft.proposal_id, title, body, submit=submit
                )
            self.wrote()
            return self.Saved(saved)

        self.run_db(job, group="propose")

    def on_new_proposal_screen_saved(self, message: Saved) -> None:
        r = message.result
        status = self.t(f"status.{r.status.value}")
        self.app.notify(self.t("tui.new.saved", proposal=r.proposal_id, status=status))
        self.dismiss(r.proposal_id)  # the overview moves its cursor to it

    def on_action_failed(self) -> None:
        self.saving = False  # the app shows the refusal; the text stays here

    def action_cancel(self) -> None:
        """Back; written or changed text is thrown away only when the member says so."""
        title, body = self.query_one("#title", Input).value, self.query_one(TextArea).text
        draft = self.draft
        initial = (draft.title, draft.body) if draft else ("", "")
        if (title, body) == initial or not (title.strip() or body.strip()):
            self.dismiss(None)
            return
        from deliberate.tui.screens.confirm import ConfirmScreen

        t = self.t
        question = ConfirmScreen(
            t("tui.editor.discard"), yes=t("tui.editor.discard_yes"), no=t("tui.editor.keep")
        )

        def discard_if(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(question, discard_if)
