"""One proposal: its text, the amendments, the comment thread, and voting or the result.

Keys 1-5 vote from any tab; v opens the vote dialog; t / a / k / s switch tabs."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from deliberate.domain.ballot import Choice
from deliberate.domain.paragraphs import ParagraphOp, split_paragraphs, word_diff
from deliberate.domain.status import AmendmentKind, AmendmentState, ProposalStatus
from deliberate.i18n import Translator
from deliberate.services.database import utcnow
from deliberate.services.proposals import AmendmentInfo
from deliberate.services.voting import VoteReceipt
from deliberate.tui.data import ProposalShared, ProposalView, load_proposal
from deliberate.tui.live_hub import Loader
from deliberate.tui.render import (
    choice_text,
    diff_content,
    member_line,
    status_text,
    tab_label,
    time_left,
)
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.screens.commenting import CommentingMixin
from deliberate.tui.topics import proposal_topic
from deliberate.tui.widgets.comment_thread import CommentThread
from deliberate.tui.widgets.document import Document
from deliberate.tui.widgets.key_footer import KeyFooter
from deliberate.tui.widgets.vote_panel import VotePanel, my_vote_line

TABS = ("text", "amendments", "comments", "vote")


def comment_count_text(t: Translator, n: int) -> str:
    key = "none" if n == 0 else "one" if n == 1 else "many"
    return t(f"tui.proposal.amendment_comments.{key}", n=t.number(n))


def amendment_tags(a: AmendmentInfo, t: Translator) -> list[Content]:
    """' (erstatter 3 · overtaget · alternativ gruppe 1)'."""
    tags = []
    if a.kind == AmendmentKind.PARAGRAPH and a.operation is not None:
        tags.append(f"{t(f'phases.op.{a.operation.value}')} {a.paragraph}")
    if a.state != AmendmentState.PROPOSED:
        tags.append(t(f"phases.state.{a.state.value}"))
    if a.alternative_group is not None:
        tags.append(t("phases.cli.alternatives", group=a.alternative_group))
    if not tags:
        return []
    return [Content.styled("  (" + " · ".join(tags) + ")", "$text-muted")]


def amendment_preview(a: AmendmentInfo, paragraphs: dict[int, str]) -> Content:
    """A paragraph amendment as a word diff against its paragraph; free text as text."""
    if a.kind == AmendmentKind.PARAGRAPH and a.paragraph is not None and a.operation is not None:
        if a.state != AmendmentState.PROPOSED:
            return member_line(a.new_text, "$text-muted")
        old = paragraphs.get(a.paragraph, "")
        if a.operation is ParagraphOp.REPLACE:
            return diff_content(word_diff(old, a.new_text))
        if a.operation is ParagraphOp.DELETE:
            return diff_content(word_diff(old, ""))
        return diff_content(word_diff("", a.new_text))
    first_line = next((ln for ln in a.body.splitlines() if ln.strip()), "")
    return member_line(first_line[:400], "$text-muted")


def heading(view_title: str, section: str | None) -> Content:
    return Content.assemble(
        (f"{section} " if section else "", "$text-muted bold"), member_line(view_title, "bold")
    )


class ProposalScreen(CommentingMixin, ForumScreen):
    CSS_PATH = "proposal.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("v", "vote", "Vote", id="vote"),
        *[
            Binding(
                str(c.key_number),
                f"vote('{c.value}')",
                c.value,
                id=f"vote_{c.key_number}",
                show=False,
            )
            for c in Choice
        ],
        Binding("t", "tab('text')", "Text", id="tab_text", show=False),
        Binding("a", "tab('amendments')", "Amendments", id="tab_amendments", show=False),
        Binding("k", "tab('comments')", "Comments", id="tab_comments", show=False),
        Binding("s", "tab('vote')", "Voting", id="tab_vote", show=False),
        Binding("c", "comment", "Comment", id="comment"),
        Binding("e", "amend", "Amend", id="amend", show=False),
        Binding("plus", "support", "Support", id="support", show=False),
        # The author's own draft (shown only there): edit it, submit it, withdraw it.
        Binding("E", "edit_draft", "Edit draft", id="edit_draft"),
        Binding("ctrl+t", "submit_draft", "Submit", id="submit_draft", show=False),
        Binding("W", "withdraw", "Withdraw", id="withdraw", show=False),
    ]
    comment_amendment = None  # comments written here are on the proposal itself

    class Loaded(Message):
        def __init__(self, view: ProposalView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, proposal_id: str, tab: str = "text") -> None:
        super().__init__(classes="proposal-screen")
        self.proposal_id = proposal_id
        self.view: ProposalView | None = None
        self.initial_tab = tab
        self._last_left = ""

    def screen_title(self) -> str:
        return self.t("tui.proposal.title")

    def proposal_title(self) -> str:
        return self.view.detail.title if self.view else ""

    def compose(self) -> ComposeResult:
        t = self.t
        view = self.view
        yield Header(icon="§")
        yield Static(id="heading")
        yield Static(id="status-line")
        with TabbedContent(initial=f"tab-{self.initial_tab}", id="tabs"):
            with TabPane(tab_label("t", t("tui.proposal.tab.text")), id="tab-text"):
                yield Document(view.detail.body if view else "", id="document")
            with TabPane(tab_label("a", t("tui.proposal.tab.amendments")), id="tab-amendments"):
                yield OptionList(id="amendment-list")
            with TabPane(tab_label("k", t("tui.proposal.tab.comments")), id="tab-comments"):
                yield CommentThread(id="thread")
            with TabPane(tab_label("s", t("tui.proposal.tab.vote")), id="tab-vote"):
                yield VotePanel(id="vote-panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self.action_tab, self.initial_tab)  # keys scroll the text at once

    # ------------------------------------------------------------------ data

    def live_topic(self) -> tuple[Hashable, Loader]:
        return proposal_topic(self.proposal_id)

    def from_snapshot(self, snapshot: ProposalShared) -> Message:
        return self.Loaded(snapshot.for_member(self.ctx.handle))

    def start_loading(self) -> None:
        if self.subscription is not None:
            super().start_loading()
            return
        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id
        self.run_db(lambda: self.Loaded(load_proposal(db, handle, pid)), group="proposal")

    def on_proposal_screen_loaded(self, message: Loaded) -> None:
        self.loaded()
        self.view = message.view
        self.show()
        self.refresh_bindings()  # the author's keys come and go with the phase

    # ------------------------------------------------------------------ the author's draft

    def _mine(self) -> bool:
        phase = self.view.detail.phase if self.view else None
        return phase is not None and phase.submitted_by == self.ctx.handle

    def _unsubmitted_draft(self) -> bool:
        view = self.view
        return (
            view is not None
            and self._mine()
            and view.detail.status is ProposalStatus.DRAFT
            and view.detail.phase is not None
            and view.detail.phase.submitted_at is None
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_draft", "submit_draft"):
            return self._unsubmitted_draft()
        if action == "withdraw":
            return (
                self.view is not None
                and self._mine()
                and self.view.detail.status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE)
            )
        return True

    def action_edit_draft(self) -> None:
        """Open my draft in the proposal editor, pre-filled (save again, or submit)."""
        if self.view is None or not self._unsubmitted_draft():
            return
        from deliberate.tui.screens.new_proposal import DraftText, NewProposalScreen

        d = self.view.detail
        self.app.push_screen(NewProposalScreen(DraftText(d.id, d.title, d.body)))

    def action_submit_draft(self) -> None:
        if self.view is None or not self._unsubmitted_draft():
            return
        question = self.t("tui.draft.submit_question", title=self.view.detail.title)
        self._confirm(question, self.t("tui.key.submit_draft"), self._submit)

    def action_withdraw(self) -> None:
        if self.view is None:
            return
        question = self.t("tui.draft.withdraw_question", title=self.view.detail.title)
        self._confirm(question, self.t("tui.key.withdraw"), self._withdraw)

    def _confirm(self, question: str, yes: str, then: Callable[[], None]) -> None:
        from deliberate.tui.screens.confirm import ConfirmScreen

        def answered(ok: bool | None) -> None:
            if ok:
                then()

        screen = ConfirmScreen(member_line(question), yes=yes, no=self.t("tui.key.cancel"))
        self.app.push_screen(screen, answered)

    def _submit(self) -> None:
        from deliberate.services import submissions

        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id

        def job() -> Message:
            r = submissions.submit_proposal(db, handle, pid)
            self.wrote()
            return self.AuthorActed("phases.cli.submitted", r.proposal_id, r.status.value)

        self.run_db(job, group="author")

    def _withdraw(self) -> None:
        from deliberate.services import submissions

        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id

        def job() -> Message:
            r = submissions.withdraw(db, handle, pid)
            self.wrote()
            return self.AuthorActed("phases.cli.withdrawn", r.proposal_id, r.status.value)

        self.run_db(job, group="author")

    class AuthorActed(Message):
        def __init__(self, key: str, proposal_id: str, status: str) -> None:
            super().__init__()
            self.key, self.proposal_id, self.status = key, proposal_id, status

    def on_proposal_screen_author_acted(self, message: AuthorActed) -> None:
        t = self.t
        status = t(f"status.{message.status}")
        self.app.notify(t(message.key, proposal=message.proposal_id, status=status))
        self.reload()

    async def relabel(self) -> None:
        tabs = self.query_one(TabbedContent)
        self.initial_tab = (tabs.active or "tab-text").removeprefix("tab-")
        self.remember_comment_place()
        await self.recompose()
        self.show()
        self.action_tab(self.initial_tab)

    def show(self) -> None:
        view = self.view
        if view is None or not self.query(VotePanel):  # not (re)composed yet
            return
        t, d = self.t, view.detail
        self.query_one("#heading", Static).update(heading(d.title, d.section))
        self._show_status()
        self.query_one(Document).set_markdown(d.body)
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-amendments").label = tab_label(
            "a", t("tui.proposal.tab.amendments_n", n=t.number(len(d.amendments)))
        )
        tabs.get_tab("tab-comments").label = tab_label(
            "k", t("tui.proposal.tab.comments_n", n=t.number(view.comment_count(None)))
        )
        closed = view.result.status is ProposalStatus.CLOSED
        tabs.get_tab("tab-vote").label = tab_label(
            "s", t("tui.proposal.tab.result" if closed else "tui.proposal.tab.vote")
        )
        self._show_amendments()
        self.query_one(CommentThread).show(
            view.comments_on(None), t, self.ctx.handle, t("tui.comments.none")
        )
        self.select_saved_comment()
        self.query_one(VotePanel).show(
            view.result,
            view.my_vote,
            t,
            can_vote=self.ctx.member.can_vote,
            now=utcnow(),
            adopted=view.extras.adopted,
        )

    def _show_status(self) -> None:
        view = self.view
        if view is None:
            return
        t, result = self.t, view.result
        phase = view.detail.phase
        parts: list[Content | str] = [
            status_text(
                result.status,
                t,
                now=utcnow(),
                closes_at=result.closes_at,
                outcome=result.outcome if result.status is ProposalStatus.CLOSED else None,
                narrow=False,
                next_boundary=phase.next_boundary if phase else None,
            )
        ]
        if self._unsubmitted_draft():
            parts += [" · ", Content.styled("✎ " + t("tui.draft.not_submitted"), "$text-warning")]
        elif phase is not None and phase.submitted_by:
            supporters = ", ".join(phase.supporters) or "–"
            parts += [" · ", f"{t('phases.cli.supporters')}: {supporters}"]
        if result.status in (ProposalStatus.VOTING, ProposalStatus.CLOSED):
            parts += [" · ", my_vote_line(view.my_vote, t, self.ctx.member.can_vote)]
        self.query_one("#status-line", Static).update(Content.assemble(*parts))

    def _show_amendments(self) -> None:
        assert self.view is not None
        t, listing = self.t, self.query_one("#amendment-list", OptionList)
        keep = listing.highlighted
        options = []
        preview_width = max(20, (listing.scrollable_content_region.width or 78) - 4)
        paragraphs = {p.number: p.text for p in split_paragraphs(self.view.detail.body)}
        result = self.view.result
        closed = result.status is ProposalStatus.CLOSED
        carried = set(result.carried_amendments) if closed else set()
        for a in self.view.detail.amendments:
            n_comments = self.view.comment_count(a.number)
            # Once closed: which amendments were carried, in words (not by colour alone).
            mark: tuple[str, str] | str = ""
            if closed:
                mark = (
                    ("  ✓ " + t("tui.amendment.carried"), "bold $text-success")
                    if a.number in carried
                    else ("  · " + t("tui.amendment.not_carried"), "$text-muted")
                )
            verdict = self.view.extras.states.get(a.number)
            if verdict not in ("carried", "not_carried", "superseded", "tied"):
                verdict = None  # adopted before the vote, withdrawn: amendment_tags says so
            options.append(
                Option(
                    Content.assemble(
                        (f"{a.number}. ", "bold $text-accent"),
                        member_line(a.title, "bold"),
                        mark,
                        *amendment_tags(a, t),
                        (
                            f"  [{t(f'amendment.state.{verdict}')}]" if verdict else "",
                            "bold $text-success" if verdict == "carried" else "italic $text-muted",
                        ),
                        "\n   ",
                        amendment_preview(a, paragraphs).truncate(preview_width * 2, ellipsis=True),
                        ("\n   " + comment_count_text(t, n_comments), "$text-muted italic"),
                    ),
                    id=str(a.number),
                )
            )
        if not options:
            options = [
                Option(
                    Content.styled(t("tui.proposal.no_amendments"), "$text-muted italic"),
                    disabled=True,
                )
            ]
        listing.set_options(options)
        if options and not options[0].disabled:
            listing.highlighted = min(keep or 0, len(options) - 1)

    def _tick(self) -> None:
        view = self.view
        if view is None or not self.is_current or view.result.status is not ProposalStatus.VOTING:
            return
        if self.relabeling or not self.query(VotePanel) or not self.query("#status-line"):
            return  # being composed afresh (a language switch): relabel shows it after
        if view.result.closes_at is None:
            return
        now = utcnow()
        left = time_left(view.result.closes_at, now, self.t, narrow=False)
        if left != self._last_left:  # most seconds change nothing on screen
            self._last_left = left
            self._show_status()
            self.query_one(VotePanel).show(
                view.result,
                view.my_vote,
                self.t,
                can_vote=self.ctx.member.can_vote,
                now=now,
                adopted=view.extras.adopted,
            )
        if view.result.closes_at <= now:
            self.forum_app.run_scheduler()

    # ------------------------------------------------------------------ tabs and navigation

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, name: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{name}"
        focus = {
            "text": "#document",
            "amendments": "#amendment-list",
            "comments": "#thread",
            "vote": "#vote-panel",
        }
        self.query_one(focus[name]).focus()

    @on(OptionList.OptionSelected, "#amendment-list")
    def _open_amendment(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and self.view is not None:
            from deliberate.tui.screens.amendment import AmendmentScreen

            self.app.push_screen(AmendmentScreen(self.proposal_id, int(event.option.id)))

    # ------------------------------------------------------------------ voting

    def action_vote(self, value: str | None = None) -> None:
        view, t = self.view, self.t
        if view is None:
            return
        if view.result.status is ProposalStatus.DRAFT:
            self.app.notify(t("tui.vote.not_open_yet"), severity="warning")
            return
        if view.result.status is ProposalStatus.CLOSED:
            self.app.notify(t("tui.vote.already_closed"), severity="warning")
            return
        if not self.ctx.member.can_vote:
            self.app.notify(t("tui.vote.no_right"), severity="warning")
            return
        from deliberate.tui.screens.vote import Ballot, VoteScreen

        if view.voted_secretly:  # a secret ballot is final, like a paper ballot
            self.app.notify(t("assembly.tui.voted_secretly"), severity="warning")
            return
        ballot = Ballot(
            view.detail.id,
            view.detail.title,
            view.detail.amendments,
            view.my_vote,
            secret=view.result.secret,
            separate=view.result.separate,
        )
        choice = Choice(value) if value else None
        self.app.push_screen(VoteScreen(ballot, choice), self._voted)

    def _voted(self, receipt: VoteReceipt | None) -> None:
        if receipt is None:
            return
        t = self.t
        if receipt.secret:
            self.app.notify(t("assembly.tracker", tracker=receipt.receipt), timeout=30)
            self.wrote()
            self.reload()
            return
        key = "tui.vote.changed_notice" if receipt.changed else "tui.vote.cast_notice"
        label = choice_text(receipt.choice, t, receipt.amendments).plain
        self.app.notify(t(key, choice=label, receipt=receipt.receipt), timeout=10)
        self.action_tab("vote")
        self.wrote()
        self.reload()

    def action_amend(self) -> None:
        """File an amendment (during debate, before the deadline)."""
        view = self.view
        if view is None:
            return
        phase = view.detail.phase
        if phase is None or not phase.filing_open:
            self.app.notify(self.t("tui.amend.closed"), severity="warning")
            return
        from deliberate.tui.screens.amend import AmendScreen

        self.app.push_screen(AmendScreen(self.proposal_id, view.detail.body))

    def action_support(self) -> None:
        from deliberate.services import submissions

        db, handle, pid = self.ctx.db, self.ctx.handle, self.proposal_id

        def job() -> Message:
            r = submissions.support(db, handle, pid)
            return self.Supported(r.proposal_id, r.supporters, r.required)

        self.run_db(job, group="support")

    class Supported(Message):
        def __init__(self, proposal_id: str, count: int, required: int) -> None:
            super().__init__()
            self.proposal_id, self.count, self.required = proposal_id, count, required

    def on_proposal_screen_supported(self, message: Supported) -> None:
        t = self.t
        self.app.notify(
            t(
                "tui.overview.supported",
                proposal=message.proposal_id,
                count=t.number(message.count),
                required=t.number(message.required),
            )
        )
        self.reload()
