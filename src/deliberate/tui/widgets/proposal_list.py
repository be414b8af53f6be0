"""The forum overview's list: programmes as headings, their sections and stand-alone
proposals as rows with status, amendments, comments and my vote.

A forum may hold thousands of proposals, so this is a line-based widget: every row is one
line, and only the rows on screen are rendered (cached per row). Filtering, searching and the
countdown's once-a-second refresh cost the same for 10 rows or 10,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from deliberate.domain.ballot import Choice
from deliberate.domain.phases import Boundary
from deliberate.domain.status import ProposalStatus
from deliberate.i18n import Translator
from deliberate.tui.forum_data import ForumItem
from deliberate.tui.render import choice_text, member_line, status_text

STATUS_WIDTH = 22
COUNT_WIDTH = 4


@dataclass(frozen=True)
class Columns:
    title: int
    status: int
    vote: int

    @classmethod
    def for_width(cls, width: int, t: Translator, status: int = STATUS_WIDTH) -> Columns:
        vote = max(len(t(f"choice.{c.value}")) for c in Choice)
        vote = max(vote, len(t("tui.overview.needs_vote")) + 2)
        status = max(len(t("tui.overview.col.status")), min(status, STATUS_WIDTH))
        title = max(12, width - status - vote - 2 * COUNT_WIDTH - 4)
        return cls(title=title, status=status, vote=vote)


def status_width(items: Sequence[ForumItem], t: Translator, now: dt.datetime) -> int:
    """The widest status among `items` (a countdown counted at its widest)."""
    widest_countdown = now + dt.timedelta(hours=23, minutes=59, seconds=59)
    seen: set[tuple[object, ...]] = set()
    widest = 0
    for item in items:
        boundary = _next(item)
        # The next boundary is shown only before voting; an open vote's countdown is
        # counted at its widest, so those rows share one key (not one per deadline).
        shown = boundary if item.status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE) else None
        key = (item.status, item.closes_at is not None, item.outcome, shown)
        if key in seen:
            continue
        seen.add(key)
        closes_at = widest_countdown if item.closes_at else None
        cell = status_text(
            item.status,
            t,
            now=now,
            closes_at=closes_at,
            outcome=item.outcome,
            next_boundary=shown,
        )
        widest = max(widest, cell.cell_length)
    return widest


def _next(item: ForumItem) -> tuple[Boundary, dt.datetime] | None:
    return item.phase.next_boundary if item.phase is not None else None


def header_row(columns: Columns, t: Translator) -> Content:
    return Content.assemble(
        t("tui.overview.col.title").ljust(columns.title + 1)[: columns.title + 1],
        t("tui.overview.col.status").ljust(columns.status + 1)[: columns.status + 1],
        t("tui.overview.col.amendments").rjust(COUNT_WIDTH),
        t("tui.overview.col.comments").rjust(COUNT_WIDTH),
        " ",
        t("tui.overview.col.my_vote"),
    )


def item_row(item: ForumItem, columns: Columns, t: Translator, now: dt.datetime) -> Content:
    section = f"{item.section} " if item.section else ""
    indent = "  " if item.programme else ""
    title = Content.assemble(indent, (section, "$text-muted"), member_line(item.title))
    status = status_text(
        item.status,
        t,
        now=now,
        closes_at=item.closes_at,
        outcome=item.outcome,
        next_boundary=_next(item),
    )
    if item.to_submit:  # my saved draft: open it to edit or submit it
        vote = Content.styled("✎ " + t("tui.overview.submit_me"), "$text-warning")
    elif item.waits_for_support:
        vote = Content.styled("+ " + t("tui.overview.support_me"), "$text-warning")
    elif item.my_vote is not None:
        vote = choice_text(item.my_vote.choice, t)
    elif item.needs_vote:
        vote = Content.styled("● " + t("tui.overview.needs_vote"), "$text-warning bold")
    else:
        vote = Content.styled("–", "$text-muted")
    return Content.assemble(
        title.truncate(columns.title, ellipsis=True, pad=True),
        " ",
        status.truncate(columns.status, ellipsis=True, pad=True),
        " ",
        Content(t.number(item.amendment_count) if item.amendment_count else "·").right(
            COUNT_WIDTH - 1
        ),
        " ",
        Content(t.number(item.comment_count) if item.comment_count else "·").right(COUNT_WIDTH - 1),
        " ",
        vote.truncate(columns.vote, ellipsis=True),
    )


@dataclass(frozen=True)
class Row:
    """A programme heading (item None, text set), a proposal, or the 'nothing here' line."""

    item: ForumItem | None
    text: str = ""

    @property
    def selectable(self) -> bool:
        return self.item is not None


class ProposalList(ScrollView, can_focus=True):
    """Rows of proposals; Enter (or a click) opens the one under the cursor."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="open", show=False),
        Binding("up", "cursor(-1)", "Up", id="cursor_up", show=False),
        Binding("down", "cursor(1)", "Down", id="cursor_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="page_down", show=False),
        Binding("home", "cursor_to(0)", "First", id="first", show=False),
        Binding("end", "cursor_to(-1)", "Last", id="last", show=False),
    ]
    COMPONENT_CLASSES = {"proposal-list--cursor", "proposal-list--heading", "proposal-list--empty"}
    DEFAULT_CSS = """
    ProposalList { height: 1fr; }
    ProposalList > .proposal-list--cursor { background: $block-cursor-blurred-background; }
    ProposalList:focus > .proposal-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    ProposalList > .proposal-list--heading { color: $text-primary; text-style: bold; }
    ProposalList > .proposal-list--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(-1, always_update=True, init=False)

    class Selected(Message):
        def __init__(self, proposal_id: str) -> None:
            super().__init__()
            self.proposal_id = proposal_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []
        self.columns = Columns(title=30, status=STATUS_WIDTH, vote=12)
        self._t: Translator | None = None
        self._now = dt.datetime.now(dt.UTC)
        self._cache: dict[tuple[int, bool], Strip] = {}

    # ------------------------------------------------------------------ content

    def show(
        self,
        items: Sequence[ForumItem],
        t: Translator,
        now: dt.datetime,
        *,
        width: int,
        empty_text: str,
    ) -> None:
        """The rows under their headings: first my own drafts (under "Dine kladder"), then
        every programme and the stand-alone proposals."""
        keep = self.current_id
        self._t, self._now = t, now
        self.columns = Columns.for_width(width, t, status_width(items, t, now))
        rows: list[Row] = []
        mine = [item for item in items if item.my_draft]
        if mine:
            rows.append(Row(None, t("tui.overview.my_drafts")))
            rows += [Row(item) for item in mine]
        programme: str | None = "\0"
        for item in items:
            if item.my_draft:
                continue
            if item.programme != programme:
                programme = item.programme
                rows.append(Row(None, programme or t("tui.overview.standalone")))
            rows.append(Row(item))
        self.rows = rows or [Row(None, "\0" + empty_text)]
        self._cache.clear()
        self.virtual_size = Size(width, len(self.rows))
        self.highlight_id(keep)
        self.refresh()

    def update_rows(self, items: Sequence[ForumItem], t: Translator, now: dt.datetime) -> None:
        """Re-render some rows (the countdown of open items) at the next paint."""
        self._now = now
        ids = {item.id for item in items}
        for index, row in enumerate(self.rows):
            if row.item is not None and row.item.id in ids:
                self._cache.pop((index, False), None)
                self._cache.pop((index, True), None)
                self.refresh_line(index)

    def refresh_line(self, index: int) -> None:
        y = index - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    @property
    def row_count(self) -> int:
        return sum(1 for r in self.rows if r.selectable)

    @property
    def current_id(self) -> str | None:
        if 0 <= self.cursor < len(self.rows) and (item := self.rows[self.cursor].item):
            return item.id
        return None

    def ids(self) -> list[str]:
        return [r.item.id for r in self.rows if r.item is not None]

    def highlight_id(self, proposal_id: str | None) -> None:
        for index, row in enumerate(self.rows):
            if row.item is not None and (proposal_id is None or row.item.id == proposal_id):
                self.cursor = index
                return
        if proposal_id is not None:
            self.highlight_id(None)
        else:
            self.cursor = -1

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self.rows) or self._t is None:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, selected)
        strip = self._cache.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(self.rows[index], selected, width)
            self._cache[key] = strip
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    def _render_row(self, row: Row, selected: bool, width: int) -> Strip:
        assert self._t is not None
        if row.item is None:
            empty = row.text.startswith("\0")
            content = member_line(row.text.lstrip("\0"))
            style = self.get_visual_style(
                "proposal-list--empty" if empty else "proposal-list--heading"
            )
        else:
            content = item_row(row.item, self.columns, self._t, self._now)
            style = (
                self.get_visual_style("proposal-list--cursor") if selected else self.visual_style
            )
        strips = content.to_strips(self, content, width, 1, style)
        return (
            strips[0].extend_cell_length(width, style.rich_style) if strips else Strip.blank(width)
        )

    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            self._cache.pop((index, True), None)
            self._cache.pop((index, False), None)
            self.refresh_line(index)
        if 0 <= new < len(self.rows):
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    on_blur = on_focus

    # ------------------------------------------------------------------ moving and choosing

    def _step(self, start: int, direction: int) -> int | None:
        index = start
        while 0 <= (index := index + direction) < len(self.rows):
            if self.rows[index].selectable:
                return index
        return None

    def action_cursor(self, delta: int) -> None:
        target = self._step(self.cursor, 1 if delta > 0 else -1)
        if target is not None:
            self.cursor = target

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        target = min(max(self.cursor + direction * height, 0), len(self.rows) - 1)
        if not self.rows:
            return
        if not self.rows[target].selectable:
            found = self._step(target, direction) or self._step(target, -direction)
            target = found if found is not None else self.cursor
        self.cursor = target

    def action_cursor_to(self, where: int) -> None:
        found = self._step(-1, 1) if where >= 0 else self._step(len(self.rows), -1)
        if found is not None:
            self.cursor = found

    def action_select(self) -> None:
        if (proposal_id := self.current_id) is not None:
            self.post_message(self.Selected(proposal_id))

    def move_to(self, proposal_id: str) -> None:
        self.highlight_id(proposal_id)

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.rows) and self.rows[index].selectable:
            self.cursor = index
            self.action_select()
