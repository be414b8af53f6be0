"""The forum overview's list: programmes as headings, their sections and stand-alone
proposals as rows with status, amendments, comments and my vote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from deliberate.domain.ballot import Choice
from deliberate.i18n import Translator
from deliberate.tui.bindings import translate_bindings
from deliberate.tui.data import ForumItem
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
    """The widest status among `items` (countdowns counted at their widest)."""
    widest = 0
    for item in items:
        closes_at = now + dt.timedelta(hours=23, minutes=59, seconds=59) if item.closes_at else None
        cell = status_text(item.status, t, now=now, closes_at=closes_at, outcome=item.outcome)
        widest = max(widest, cell.cell_length)
    return widest


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
    status = status_text(item.status, t, now=now, closes_at=item.closes_at, outcome=item.outcome)
    if item.my_vote is not None:
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
        Content(t.number(item.amendment_count) if item.amendment_count else "·").right(COUNT_WIDTH - 1),
        " ",
        Content(t.number(item.comment_count) if item.comment_count else "·").right(COUNT_WIDTH - 1),
        " ",
        vote.truncate(columns.vote, ellipsis=True),
    )


class ProposalList(OptionList):
    """Option ids are proposal ids; programme headings are disabled options."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="open", show=False),
    ]

    def on_mount(self) -> None:
        translate_bindings(self, self.app.ctx.t)  # type: ignore[attr-defined]

    def show(
        self,
        items: Sequence[ForumItem],
        t: Translator,
        now: dt.datetime,
        *,
        width: int,
        empty_text: str,
    ) -> None:
        keep = self.highlighted_option.id if self.highlighted_option else None
        columns = Columns.for_width(width, t, status_width(items, t, now))
        self.columns = columns
        options: list[Option] = []
        programme: str | None = "\0"
        for item in items:
            if item.programme != programme:
                programme = item.programme
                heading = programme or t("tui.overview.standalone")
                options.append(Option(member_line(heading, "bold"), disabled=True))
            options.append(Option(item_row(item, columns, t, now), id=item.id))
        if not options:
            options.append(Option(Content.styled(empty_text, "$text-muted italic"), disabled=True))
        self.set_options(options)
        self.highlight_id(keep)

    def highlight_id(self, proposal_id: str | None) -> None:
        if proposal_id is not None:
            try:
                self.highlighted = self.get_option_index(proposal_id)
                return
            except OptionDoesNotExist:  # filtered away: fall through to the first row
                pass
        for index, option in enumerate(self.options):
            if not option.disabled:
                self.highlighted = index
                return
        self.highlighted = None

    def update_rows(self, items: Sequence[ForumItem], t: Translator, now: dt.datetime, width: int) -> None:
        """Re-render some rows in place (the countdown of open items)."""
        columns = getattr(self, "columns", None) or Columns.for_width(width, t)
        for item in items:
            try:
                self.replace_option_prompt(item.id, item_row(item, columns, t, now))
            except OptionDoesNotExist:  # not shown under the current filter
                continue
