"""One amendment in full, with its own comment thread."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Static, TabbedContent, TabPane

from deliberate.services.proposals import AmendmentInfo
from deliberate.tui.data import ProposalShared, ProposalView, load_proposal
from deliberate.tui.live_hub import Loader
from deliberate.tui.render import member_line, tab_label
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.screens.commenting import CommentingMixin
from deliberate.tui.screens.proposal import amendment_tags
from deliberate.tui.topics import proposal_topic
from deliberate.tui.widgets.comment_thread import CommentThread
from deliberate.tui.widgets.document import Document
from deliberate.tui.widgets.key_footer import KeyFooter


def _text_of(a: AmendmentInfo) -> str:
    parts = [a.body, a.new_text, a.justification]
    return "\n\n".join(p for p in parts if p.strip())


class AmendmentScreen(CommentingMixin, ForumScreen):
    CSS_PATH = "proposal.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("t", "tab('text')", "Text", id="tab_text", show=False),
        Binding("k", "tab('comments')", "Comments", id="tab_comments", show=False),
        Binding("c", "comment", "Comment", id="comment"),
        Binding("n,right_square_bracket", "step(1)", "Next", id="next_amendment"),
        Binding("p,left_square_bracket", "step(-1)", "Previous", id="previous_amendment"),
        Binding("o", "adopt", "Adopt", id="adopt"),
        Binding("g", "group", "Alternative", id="group"),
    ]

    class Loaded(Message):
        def __init__(self, view: ProposalView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, proposal_id: str, number: int) -> None:
        super().__init__(classes="proposal-screen")
        self.proposal_id = proposal_id
        self.comment_amendment = number
        self.view: ProposalView | None = None
        self.initial_tab = "text"

    @property
    def number(self) -> int:
        return self.comment_amendment or 0

    def screen_title(self) -> str:
        return self.t("tui.amendment.title")

    def proposal_title(self) -> str:
        return self.view.detail.title if self.view else ""

    def amendment(self) -> AmendmentInfo | None:
        if self.view is None:
            return None
        return next((a for a in self.view.detail.amendments if a.number == self.number), None)

    def compose(self) -> ComposeResult:
        t = self.t
        amendment = self.amendment()
        yield Header(icon="§")
        yield Static(id="heading")
        yield Static(id="status-line")
        with TabbedContent(initial=f"tab-{self.initial_tab}", id="tabs"):
            with TabPane(tab_label("t", t("tui.proposal.tab.text")), id="tab-text"):
                yield Document(amendment.body if amendment else "", id="document")
            with TabPane(tab_label("k", t("tui.proposal.tab.comments")), id="tab-comments"):
                yield CommentThread(id="thread")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.action_tab, self.initial_tab)

    def live_topic(self) -> tuple[Hashable, Loader]:
        return proposal_topic(self.proposal_id)

    def from_snapshot(self, snapshot: ProposalShared) -> Message:
        return self.Loaded(snapshot.for_member(self.ctx.handle))

    def start_loading(self) -> None:
        if self.subscription is not None:
            super().start_loading()
            return
        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id
        self.run_db(lambda: self.Loaded(load_proposal(db, handle, pid)), group="amendment")

    def on_amendment_screen_loaded(self, message: Loaded) -> None:
        self.loaded()
        self.view = message.view
        self.show()

    async def relabel(self) -> None:
        self.initial_tab = (self.query_one(TabbedContent).active or "tab-text").removeprefix("tab-")
        self.remember_comment_place()
        await self.recompose()
        self.show()
        self.action_tab(self.initial_tab)

    def show(self) -> None:
        view, t = self.view, self.t
        if view is None or not self.query(CommentThread):  # not (re)composed yet
            return
        amendment = self.amendment()
        if amendment is None:  # the proposal's file was re-imported with fewer amendments
            self.app.notify(t("tui.amendment.gone"), severity="warning")
            self.app.pop_screen()
            return
        total = len(view.detail.amendments)
        self.query_one("#heading", Static).update(
            Content.assemble(
                (
                    t("tui.amendment.of", n=t.number(amendment.number), total=t.number(total))
                    + " ",
                    "$text-accent bold",
                ),
                member_line(amendment.title, "bold"),
            )
        )
        self.query_one("#status-line", Static).update(
            Content.assemble(
                t("tui.amendment.to") + " ",
                member_line(view.detail.title, "$text-muted"),
                *amendment_tags(amendment, t),
            )
        )
        self.query_one(Document).set_markdown(_text_of(amendment) or t("tui.amendment.no_text"))
        self.query_one(TabbedContent).get_tab("tab-comments").label = tab_label(
            "k", t("tui.proposal.tab.comments_n", n=t.number(view.comment_count(amendment.number)))
        )
        self.query_one(CommentThread).show(
            view.comments_on(amendment.number), t, self.ctx.handle, t("tui.comments.none")
        )
        self.select_saved_comment()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, name: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{name}"
        self.query_one(Document if name == "text" else CommentThread).focus()

    async def action_step(self, delta: int) -> None:
        if self.view is None:
            return
        total = len(self.view.detail.amendments)
        target = self.number + delta
        if 1 <= target <= total:
            self.comment_amendment = target
            self.initial_tab = (self.query_one(TabbedContent).active or "tab-text").removeprefix(
                "tab-"
            )
            await self.recompose()
            self.show()

    class Changed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_amendment_screen_changed(self, message: Changed) -> None:
        self.app.notify(message.text)
        self.reload()

    def action_adopt(self) -> None:
        """The proposal's author (or an organizer) takes this amendment into the text."""
        from deliberate.services import amending

        db, handle, pid, number, t = (
            self.ctx.db,
            self.ctx.handle,
            self.proposal_id,
            self.number,
            self.t,
        )

        def job() -> Message:
            ref = amending.adopt_amendment(db, handle, pid, number)
            self.wrote()
            return self.Changed(t("tui.amendment.adopted", number=ref.number))

        self.run_db(job, group="adopt")

    def action_group(self) -> None:
        """Mark this amendment and the others that change the same paragraph as alternatives."""
        from deliberate.services import amending

        amendment = self.amendment()
        if amendment is None or self.view is None:
            return
        same = [
            a.number
            for a in self.view.detail.amendments
            if a.on_ballot and a.paragraph is not None and a.paragraph == amendment.paragraph
        ]
        if amendment.number not in same:
            same.append(amendment.number)
        db, handle, pid, t = self.ctx.db, self.ctx.handle, self.proposal_id, self.t

        def job() -> Message:
            refs = amending.group_amendments(db, handle, pid, same)
            self.wrote()
            numbers = ", ".join(str(r.number) for r in refs)
            return self.Changed(t("tui.amendment.grouped", numbers=numbers))

        self.run_db(job, group="group")
