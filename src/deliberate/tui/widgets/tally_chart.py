"""A bar chart of the five counts: one line per option, bars scaled to the widest count."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from deliberate.domain.ballot import Choice
from deliberate.domain.rules import Counts
from deliberate.i18n import Translator
from deliberate.tui.render import CHOICE_STYLE


def chart(counts: Counts, t: Translator, width: int) -> Content:
    labels = {c: t(f"choice.{c.value}") for c in Choice}
    label_width = max(len(label) for label in labels.values())
    numbers = {c: t.number(getattr(counts, c.value)) for c in Choice}
    number_width = max(len(n) for n in numbers.values())
    bar_width = max(5, width - label_width - number_width - 3)
    top = max((getattr(counts, c.value) for c in Choice), default=0) or 1
    lines = []
    for choice in Choice:
        n = getattr(counts, choice.value)
        cells = round(bar_width * n / top)
        if n and not cells:
            cells = 1  # a single vote is still visible
        lines.append(
            Content.assemble(
                labels[choice].ljust(label_width),
                " ",
                ("█" * cells, CHOICE_STYLE[choice]),
                ("░" * (bar_width - cells), "$text-disabled"),
                " ",
                numbers[choice].rjust(number_width),
            )
        )
    return Content("\n").join(lines)


class TallyChart(Static):
    """Redraws itself to fit its width."""

    DEFAULT_CSS = "TallyChart { height: 5; }"

    def __init__(self, counts: Counts, t: Translator, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.counts = counts
        self.t = t

    def on_resize(self) -> None:
        self.update(chart(self.counts, self.t, self.size.width))

    def on_mount(self) -> None:
        self.update(chart(self.counts, self.t, self.size.width or 60))
