"""The forum overview: every programme's sections and the stand-alone proposals, with status,
amendments, comments and my vote. Filter by status, search by title, jump to what needs my
vote."""

from __future__ import annotations

from collections.abc import Hashable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widgets import Header, Input, Static, Tab, Tabs

from deliberate.domain.status import ProposalStatus
from deliberate.services.database import utcnow
from deliberate.tui.forum_data import ForumItem, ForumShared, ForumSnapshot, load_forum
from deliberate.tui.live_hub import Loader
from deliberate.tui.render import member_line, time_left
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.topics import FORUM, TOPICS
from deliberate.tui.widgets.key_footer import KeyFooter
from deliberate.tui.widgets.proposal_list import ProposalList, header_row

FILTERS = ("all", "needs_vote", "open", "closed", "draft")


ACTIVE_MARK = "▸"


class OverviewScreen(ForumScreen):
    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("f", "next_filter", "Filter", id="filter"),
        Binding("n", "next_needing_vote", "Needs my vote", id="next_needs_vote"),
        Binding("plus", "support", "Support", id="support", show=False),
        Binding("N", "new_proposal", "New proposal", id="new_proposal", show=False),
        Binding("escape", "leave_search", "Back to list", id="leave_search", show=False),
    ]

    class Loaded(Message):
        def __init__(self, snapshot: ForumSnapshot) -> None:
            super().__init__()
            self.snapshot = snapshot

    def __init__(self) -> None:
        super().__init__(id="overview")
        self.snapshot: ForumSnapshot | None = None
        self.filter = "all"
        self.query_text = ""
        self._countdowns: dict[str, str] = {}  # proposal id -> the time left last drawn
        self._go_to: str | None = None  # a proposal just written here: the cursor goes to it
        self._shown_width = -1  # the list's width when last shown

    def screen_title(self) -> str:
        return self.t("tui.overview.title")

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header(icon="§")
        yield Static(id="summary")
        yield Tabs(
            *[Tab(Content(t(f"tui.filter.{name}")), id=f"filter-{name}") for name in FILTERS],
            active=f"filter-{self.filter}",
            id="filters",
        )
        search = Input(self.query_text, placeholder=t("tui.overview.search"), id="search")
        yield search
        yield Static(id="columns")
        yield ProposalList(id="proposals")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ProposalList).focus()
        self.set_interval(1.0, self._tick)

    # ------------------------------------------------------------------ data

    def live_topic(self) -> tuple[Hashable, Loader]:
        return FORUM, TOPICS[FORUM]

    def from_snapshot(self, snapshot: ForumShared) -> Message:
        return self.Loaded(snapshot.for_member(self.ctx.handle, self.ctx.member.can_vote))

    def start_loading(self) -> None:
        db, handle, can_vote = self.ctx.db, self.ctx.handle, self.ctx.member.can_vote
        prefetch, self.ctx.prefetch = self.ctx.prefetch, None
        if prefetch is not None:  # started with the app, while the terminal was set up
            self.run_db(lambda: self.Loaded(prefetch.result()), group="overview")
        elif self.subscription is not None:
            super().start_loading()
        else:
            self.run_db(lambda: self.Loaded(load_forum(db, handle, can_vote)), group="overview")

    def on_overview_screen_loaded(self, message: Loaded) -> None:
        self.loaded()
        first = self.snapshot is None
        self.snapshot = message.snapshot
        self.show()
        if first and self.ctx.settings.exit_after_first_screen:
            # Benchmarks: quit once the forum has been painted. The tabs' new labels change
            # their widths, which is laid out and painted one refresh after the list.
            self.app.call_after_refresh(self.app.call_after_refresh, self.app.exit)
        elif first:
            self.app.call_after_refresh(self.forum_app.go_live)  # after the first frame

    def on_action_failed(self) -> None:
        super().on_action_failed()
        self.forum_app.go_live()  # the first load failed: follow changes all the same

    async def relabel(self) -> None:
        await self.recompose()
        self.query_one(ProposalList).focus()
        self.show()

    def visible_items(self) -> list[ForumItem]:
        if self.snapshot is None:
            return []
        return [i for i in self.snapshot.items if self._passes(i) and i.matches(self.query_text)]

    def _passes(self, item: ForumItem) -> bool:
        match self.filter:
            case "needs_vote":
                return item.needs_vote and self.ctx.member.can_vote
            case "open":
                return item.status is ProposalStatus.VOTING
            case "closed":
                return item.status is ProposalStatus.CLOSED
            case "draft":
                return item.status is ProposalStatus.DRAFT
        return True

    def show(self) -> None:
        """Render the snapshot under the current filter and search."""
        if self.snapshot is None or not self.query(ProposalList):  # not (re)composed yet
            return
        t = self.t
        items = self.snapshot.items
        counts = {
            "all": len(items),
            "needs_vote": sum(1 for i in items if i.needs_vote) if self.snapshot.can_vote else 0,
            "open": sum(1 for i in items if i.status is ProposalStatus.VOTING),
            "closed": sum(1 for i in items if i.status is ProposalStatus.CLOSED),
            "draft": sum(1 for i in items if i.status is ProposalStatus.DRAFT),
        }
        tabs = self.query_one(Tabs)
        for name in FILTERS:
            label = f"{t(f'tui.filter.{name}')} ({t.number(counts[name])})"
            # Marked by a character, not by colour alone (NO_COLOR, colour blindness).
            label = f"{ACTIVE_MARK} {label}" if name == self.filter else label
            tabs.query_one(f"#filter-{name}", Tab).label = Content(label)
        self._show_summary(
            counts["needs_vote"], counts["open"], sum(1 for i in items if i.waits_for_support)
        )
        width = self._shown_width = self._list_width()
        empty = t("tui.overview.none_match" if items else "tui.overview.no_proposals")
        listing = self.query_one(ProposalList)
        listing.show(self.visible_items(), t, utcnow(), width=width, empty_text=empty)
        if self._go_to is not None and self._go_to in listing.ids():
            listing.move_to(self._go_to)
            self._go_to = None
        self.query_one("#columns", Static).update(header_row(listing.columns, t))

    def _show_summary(self, needs_vote: int, open_count: int, waiting: int = 0) -> None:
        t = self.t
        name = member_line(self.ctx.member.name, "bold")
        if not self.ctx.member.can_vote:
            status = Content(t("tui.overview.no_right_to_vote"))
        elif needs_vote:
            key = (
                "tui.overview.needs_vote_one"
                if needs_vote == 1
                else "tui.overview.needs_vote_count"
            )
            status = Content.styled(t(key, n=t.number(needs_vote)), "$text-warning bold")
        elif not open_count:
            status = Content(t("tui.overview.nothing_open"))
        else:
            status = Content.styled(t("tui.overview.all_voted"), "$text-success")
        parts: list[Content | str] = [name, " · ", status]
        if waiting:  # members' proposals that wait for my support (+ on the row)
            parts += [
                " · ",
                Content.styled(t("tui.overview.waiting", n=t.number(waiting)), "$text-warning"),
            ]
        self.query_one("#summary", Static).update(Content.assemble(*parts))

    def _list_width(self) -> int:
        width = self.query_one(ProposalList).scrollable_content_region.width
        return width if width > 0 else self.size.width - 2

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._show_if_resized)

    def _show_if_resized(self) -> None:
        """The columns follow the list's width: render again only if that changed."""
        if self.query(ProposalList) and self._list_width() != self._shown_width:
            self.show()

    def _tick(self) -> None:
        """Keep the countdowns of open items current; ask for expired ones to be closed."""
        if self.snapshot is None or not self.is_current or not self.query(ProposalList):
            return
        now = utcnow()
        counting = [
            i for i in self.visible_items() if i.status is ProposalStatus.VOTING and i.closes_at
        ]
        if not counting:
            return
        # Redraw only the rows whose countdown text changed (most change once a minute).
        changed = []
        for item in counting:
            assert item.closes_at is not None
            text = time_left(item.closes_at, now, self.t)
            if self._countdowns.get(item.id) != text:
                self._countdowns[item.id] = text
                changed.append(item)
        if changed:
            self.query_one(ProposalList).update_rows(changed, self.t, now)
        if any(i.closes_at and i.closes_at <= now for i in counting):
            self.forum_app.run_scheduler()

    # ------------------------------------------------------------------ events and actions

    @on(Tabs.TabActivated, "#filters")
    def _filter_chosen(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        chosen = event.tab.id.removeprefix("filter-")
        if chosen != self.filter and self.query_one(Tabs).active == event.tab.id:
            self.filter = chosen  # chosen with the mouse or the tab keys
            self.show()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.show()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(ProposalList).focus()

    @on(ProposalList.Selected)
    def _open(self, event: ProposalList.Selected) -> None:
        self.open_proposal(event.proposal_id)

    def open_proposal(self, proposal_id: str) -> None:
        from deliberate.tui.screens.proposal import ProposalScreen

        self.app.push_screen(ProposalScreen(proposal_id))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus and search.value:
            search.value = ""
        self.query_one(ProposalList).focus()

    def action_next_filter(self) -> None:
        # Step from the filter chosen last, not from the tab's (later) activation message:
        # quick presses each move one step.
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.query_one(Tabs).active = f"filter-{self.filter}"
        self.show()

    def action_next_needing_vote(self) -> None:
        """Move to the next open item I have not voted on (from the cursor, wrapping)."""
        listing = self.query_one(ProposalList)
        needing = {i.id for i in self.visible_items() if i.needs_vote}
        if not needing or not self.ctx.member.can_vote:
            self.app.notify(self.t("tui.overview.nothing_needs_vote"))
            return
        ids = listing.ids()
        start = ids.index(listing.current_id) + 1 if listing.current_id in ids else 0
        for step in range(len(ids)):
            candidate = ids[(start + step) % len(ids)]
            if candidate in needing:
                listing.move_to(candidate)
                listing.focus()
                return

    def action_support(self) -> None:
        """Support the member's proposal under the cursor (medstiller)."""
        from deliberate.services import submissions

        listing = self.query_one(ProposalList)
        pid = listing.current_id
        if pid is None:
            return
        db, handle = self.ctx.db, self.ctx.handle

        def job() -> Message:
            result = submissions.support(db, handle, pid)
            return self.Supported(result.proposal_id, result.supporters, result.required)

        self.run_db(job, group="support")

    class Supported(Message):
        def __init__(self, proposal_id: str, count: int, required: int) -> None:
            super().__init__()
            self.proposal_id, self.count, self.required = proposal_id, count, required

    def on_overview_screen_supported(self, message: Supported) -> None:
        self.app.notify(
            self.t(
                "tui.overview.supported",
                proposal=message.proposal_id,
                count=self.t.number(message.count),
                required=self.t.number(message.required),
            )
        )
        self.reload()

    def action_new_proposal(self) -> None:
        from deliberate.tui.screens.new_proposal import NewProposalScreen

        self.app.push_screen(NewProposalScreen(), self._written)

    def _written(self, proposal_id: str | None) -> None:
        self._go_to = proposal_id
        self.show()
