"""Filing an amendment from a proposal's text (DESIGN §9): move over the paragraphs, then
replace one, insert a new one after it, delete it, or write a free-text amendment. The editor
opens with the paragraph's text, and the word diff ({+inserted+} [-deleted-], in colour and
in characters) is shown before submitting."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import ContentSwitcher, Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from deliberate.domain.paragraphs import Paragraph, ParagraphOp, split_paragraphs, word_diff
from deliberate.services import amending
from deliberate.tui.render import diff_content, member_line
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.widgets.key_footer import KeyFooter

FREE = "free"


class AmendScreen(ForumScreen):
    CSS_PATH = "editing.tcss"
    BINDINGS = [
        Binding("r", "choose('replace')", "Replace", id="amend_replace"),
        Binding("i", "choose('insert_after')", "Insert after", id="amend_insert"),
        Binding("d", "choose('delete')", "Delete", id="amend_delete"),
        Binding("f", "choose('free')", "Free text", id="amend_free"),
        Binding("ctrl+t", "submit", "Submit", id="submit", priority=True),
        Binding("escape", "back", "Cancel", id="cancel"),
    ]

    class Filed(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, proposal_id: str, body: str) -> None:
        super().__init__(classes="editing-screen")
        self.proposal_id = proposal_id
        self.paragraphs: list[Paragraph] = split_paragraphs(body)
        self.operation: str | None = None  # None: still picking a paragraph
        self.paragraph: Paragraph | None = None
        self.saving = False

    def screen_title(self) -> str:
        return self.t("tui.amend.title")

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header(icon="§")
        yield Static(Content(t("tui.amend.pick")), id="help-line")
        with ContentSwitcher(initial="paragraphs", id="switcher"):
            yield OptionList(
                *[
                    Option(
                        Content.assemble(
                            (f"[{p.number}] ", "bold $text-accent"), member_line(p.text)
                        ),
                        id=str(p.number),
                    )
                    for p in self.paragraphs
                ],
                id="paragraphs",
            )
            with ContentSwitcher(initial="editor", id="editing"):
                yield TextArea(
                    "", soft_wrap=True, show_line_numbers=False, tab_behavior="focus", id="editor"
                )
        yield Input(placeholder=t("tui.new.title_placeholder"), id="title", max_length=300)
        yield Input(placeholder=t("tui.amend.justification"), id="justification")
        yield Static(id="diff")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#paragraphs", OptionList).focus()
        self._editing(False)

    async def relabel(self) -> None:
        pass  # a language switch keeps the text being written

    def _editing(self, on: bool) -> None:
        for selector in ("#title", "#justification", "#diff"):
            self.query_one(selector).display = on

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return self.operation is None
        if action == "submit":
            return self.operation is not None
        return True

    def action_choose(self, operation: str) -> None:
        listing = self.query_one("#paragraphs", OptionList)
        if operation != FREE:
            if listing.highlighted is None or not self.paragraphs:
                return
            self.paragraph = self.paragraphs[listing.highlighted]
        self.operation = operation
        t = self.t
        editor = self.query_one("#editor", TextArea)
        if operation == FREE:
            help_text = t("tui.amend.free")
        else:
            assert self.paragraph is not None
            op_word = t(f"phases.op.{operation}")
            help_text = t("tui.amend.editing", op=op_word.capitalize(), n=self.paragraph.number)
        if operation == ParagraphOp.REPLACE:
            editor.text = self.paragraph.text if self.paragraph else ""
        else:
            editor.text = ""
        editor.disabled = operation == ParagraphOp.DELETE
        self.query_one("#help-line", Static).update(Content(help_text))
        self.query_one("#switcher", ContentSwitcher).current = "editing"
        self._editing(True)
        self.refresh_bindings()
        self._show_diff()
        editor.move_cursor(editor.document.end)
        self.query_one("#title", Input).focus()  # the title first; Enter goes on to the text

    @on(Input.Submitted, "#title")
    def _title_done(self) -> None:
        editor = self.query_one("#editor", TextArea)
        if editor.disabled:
            self.query_one("#justification", Input).focus()
        else:
            editor.focus()

    @on(TextArea.Changed, "#editor")
    def _changed(self) -> None:
        self._show_diff()

    def _show_diff(self) -> None:
        if self.operation in (None, FREE) or self.paragraph is None:
            self.query_one("#diff", Static).update("")
            return
        new = self.query_one("#editor", TextArea).text
        old = self.paragraph.text
        if self.operation == ParagraphOp.DELETE:
            parts = word_diff(old, "")
        elif self.operation == ParagraphOp.INSERT_AFTER:
            parts = word_diff("", new)
        else:
            parts = word_diff(old, new)
        label = Content.styled(self.t("tui.amend.diff") + " ", "bold")
        self.query_one("#diff", Static).update(Content.assemble(label, diff_content(parts)))

    def action_submit(self) -> None:
        if self.saving or self.operation is None:
            return
        self.saving = True
        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id
        title = self.query_one("#title", Input).value
        justification = self.query_one("#justification", Input).value
        text = self.query_one("#editor", TextArea).text
        operation, paragraph = self.operation, self.paragraph

        def job() -> Message:
            if operation == FREE:
                ref = amending.file_amendment(
                    db, handle, pid, title, text=text, justification=justification
                )
            else:
                assert paragraph is not None
                ref = amending.file_amendment(
                    db,
                    handle,
                    pid,
                    title,
                    paragraph=paragraph.number,
                    operation=operation,
                    new_text="" if operation == ParagraphOp.DELETE else text,
                    justification=justification,
                )
            self.wrote()
            return self.Filed(ref.number)

        self.run_db(job, group="amend")

    def on_amend_screen_filed(self, message: Filed) -> None:
        self.app.notify(self.t("tui.amend.filed", number=message.number))
        self.app.pop_screen()

    def on_action_failed(self) -> None:
        self.saving = False

    def action_back(self) -> None:
        if self.operation is not None:  # back to the paragraphs
            self.operation, self.paragraph = None, None
            self.query_one("#switcher", ContentSwitcher).current = "paragraphs"
            self.query_one("#help-line", Static).update(Content(self.t("tui.amend.pick")))
            self._editing(False)
            self.refresh_bindings()
            self.query_one("#paragraphs", OptionList).focus()
            return
        self.app.pop_screen()
