"""Member-written Markdown, shown safely (DESIGN §6) and without a pause.

Short texts use Textual's `Markdown(open_links=False)` (a clicked link is handled by
`App.open_url`, which opens nothing), never Textual's Markdown viewer (it would open server-side
files named in links). Textual builds one widget per block, which takes seconds for a long
document, so a text longer than `LONG_TEXT` is rendered by Rich into lines in a thread worker
(the first screenful first, then the rest) and scrolled as plain lines: it opens at once and
scrolls smoothly. There links are only text (`hyperlinks=False`), so nothing can be clicked.
Either way the text is sanitised again, and a stray YAML front matter is not shown.
"""

from __future__ import annotations

import io
from typing import Any, Self

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Heading
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.theme import Theme
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Container, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Markdown
from textual.worker import get_current_worker

from deliberate.domain.text import sanitize

LONG_TEXT = 4_000  # characters; above this Textual's Markdown widget takes too long to build
FIRST_PART = 3_000  # characters rendered first, so the first screenful shows at once


class SanitizingMarkdownIt(MarkdownIt):
    """markdown-it decodes entities (`&#x202E;`, `&#x2066;`, `&#27;`) while parsing, after any
    sanitising of the source, so the parsed tokens are sanitised again: every text, attribute
    and info string of every token and inline child (issue 14)."""

    def parse(self, src: str, env: Any = None) -> list[Token]:
        tokens = super().parse(sanitize(src), env)
        _sanitize_tokens(tokens)
        return tokens


def _sanitize_tokens(tokens: list[Token] | None) -> None:
    for token in tokens or ():
        token.content = sanitize(token.content)
        token.info = sanitize(token.info)
        if token.attrs:
            token.attrs = {
                k: sanitize(v) if isinstance(v, str) else v for k, v in token.attrs.items()
            }
        _sanitize_tokens(token.children)


def parser_factory() -> MarkdownIt:
    return SanitizingMarkdownIt("gfm-like").use(front_matter_plugin)


class SafeMarkdown(Markdown):
    """Textual's Markdown with links that open nothing."""

    def __init__(self, markdown: str = "", **kwargs: Any) -> None:
        super().__init__(
            sanitize(markdown), parser_factory=parser_factory, open_links=False, **kwargs
        )

    def update(self, markdown: str) -> AwaitComplete:
        return super().update(sanitize(markdown))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # open_links=False: Textual leaves the click to us; App.open_url only explains.
        event.stop()
        self.app.open_url(event.href)


# ------------------------------------------------------------------------------ long documents


class _Heading(Heading):
    """Headings left-aligned, like Textual's Markdown (Rich centres h1 in a box)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text.copy()
        text.justify = "left"
        yield text


class _RichMarkdown(RichMarkdown):
    elements = {**RichMarkdown.elements, "heading_open": _Heading}

    def __init__(self, markup: str) -> None:
        super().__init__(markup, hyperlinks=False, code_theme="ansi_dark")
        self.parsed = parser_factory().parse(markup)  # the front-matter plugin, as above


def _colour(colors: dict[str, str], name: str, default: str) -> str:
    """A theme variable usable by Rich (some are 'auto ...' or translucent): else `default`."""
    from rich.color import Color, ColorParseError

    value = colors.get(name, default)
    try:
        Color.parse(value)
    except ColorParseError:
        return default
    return value


def markdown_theme(colors: dict[str, str]) -> Theme:
    primary = _colour(colors, "primary", "#0178D4")
    accent = _colour(colors, "accent", "#ffa62b")
    muted = _colour(colors, "foreground-darken-3", "#888888")
    return Theme(
        {
            "markdown.h1": f"bold underline {primary}",
            "markdown.h2": f"bold {primary}",
            "markdown.h3": f"bold {accent}",
            "markdown.h4": "bold",
            "markdown.h5": "bold italic",
            "markdown.h6": "italic",
            "markdown.link": f"underline {accent}",
            "markdown.link_url": muted,
            "markdown.item.bullet": f"bold {accent}",
            "markdown.item.number": f"bold {accent}",
            "markdown.block_quote": f"italic {muted}",
            "markdown.hr": muted,
            "markdown.table.border": muted,
            "markdown.table.header": "bold",
            "markdown.code": f"bold {accent}",
        },
        inherit=True,
    )


def split_first_part(markdown: str, size: int = FIRST_PART) -> str:
    """The text up to a paragraph break near `size`: renders the same as the whole's start."""
    if len(markdown) <= size:
        return markdown
    cut = markdown.find("\n\n", size)
    return markdown if cut < 0 else markdown[:cut]


def render_lines(markdown: str, width: int, theme: Theme) -> list[list[Segment]]:
    console = Console(
        width=width,
        color_system="truecolor",
        force_terminal=True,
        theme=theme,
        legacy_windows=False,
        file=io.StringIO(),  # render_lines writes nothing; never the real terminal
    )
    return console.render_lines(
        _RichMarkdown(markdown), console.options.update(width=width), pad=False
    )


class RenderedDocument(ScrollView, can_focus=True):
    """A long Markdown text as pre-rendered lines: only visible lines are drawn."""

    DEFAULT_CSS = "RenderedDocument { height: 1fr; scrollbar-gutter: stable; }"

    class Rendered(Message):
        def __init__(
            self, lines: list[list[Segment]], width: int, source: str, complete: bool
        ) -> None:
            super().__init__()
            self.lines, self.width, self.source, self.complete = lines, width, source, complete

    def __init__(self, markdown: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = sanitize(markdown)
        self.lines: list[Strip] = []
        self.rendered_width = 0
        self.complete = False
        self._to_end = False  # End was pressed while only the first part was laid out

    def action_scroll_end(self) -> None:
        # A long text shows its first part while the rest is laid out: End goes to the end
        # of the whole text once it is there, not to the end of that first part.
        self._to_end = not self.complete
        super().action_scroll_end()

    def action_scroll_home(self) -> None:
        self._to_end = False
        super().action_scroll_home()

    def action_page_up(self) -> None:
        self._to_end = False
        super().action_page_up()

    def action_scroll_up(self) -> None:
        self._to_end = False
        super().action_scroll_up()

    def set_markdown(self, markdown: str) -> None:
        clean = sanitize(markdown)
        if clean != self.source:
            self.source = clean
            self.complete = False
            self._start_render()

    def on_resize(self) -> None:
        if self._width() != self.rendered_width:
            self._start_render()

    def _width(self) -> int:
        return max(20, self.scrollable_content_region.width or self.size.width or 78)

    def _start_render(self) -> None:
        width, source = self._width(), self.source
        theme = markdown_theme(self.app.theme_variables)

        def work() -> None:
            worker = get_current_worker()
            first = split_first_part(source)
            if first != source:
                lines = render_lines(first, width, theme)
                if worker.is_cancelled:
                    return
                self.post_message(self.Rendered(lines, width, source, complete=False))
            lines = render_lines(source, width, theme)
            if not worker.is_cancelled:
                self.post_message(self.Rendered(lines, width, source, complete=True))

        self.run_worker(
            work, thread=True, exclusive=True, group="render-document", exit_on_error=False
        )

    def on_rendered_document_rendered(self, message: Rendered) -> None:
        if message.source != self.source:
            return  # an older text
        # Rich leaves some segments without a style; Textual's line filters (NO_COLOR) need one.
        null = RichStyle.null()
        self.lines = [
            Strip([Segment(text, style or null, control) for text, style, control in line])
            for line in message.lines
        ]
        self.rendered_width = message.width
        self.complete = message.complete
        self.virtual_size = Size(message.width, len(self.lines))
        self.refresh()
        if self._to_end and self.complete:
            self._to_end = False
            self.call_after_refresh(self.scroll_end, animate=False)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if 0 <= index < len(self.lines):
            line = self.lines[index]
            return line.crop_extend(
                self.scroll_offset.x, self.scroll_offset.x + width, self.rich_style
            )
        return Strip.blank(width, self.rich_style)


# ------------------------------------------------------------------------------------ the choice


class Document(Container):
    """Shows a Markdown text with whichever renderer suits its length."""

    DEFAULT_CSS = "Document { height: 1fr; } Document > VerticalScroll { height: 1fr; }"

    def __init__(self, markdown: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._source = markdown
        self._switching = False  # the renderer is being replaced
        self._focus_after_switch = False  # focus was asked for meanwhile

    @staticmethod
    def is_long(markdown: str) -> bool:
        return len(markdown) > LONG_TEXT

    def compose(self) -> ComposeResult:
        if self.is_long(self._source):
            yield RenderedDocument(self._source)
        else:
            with VerticalScroll(can_focus=True):
                yield SafeMarkdown(self._source)

    def set_markdown(self, markdown: str) -> None:
        if markdown == self._source:
            return
        long_before, self._source = self.is_long(self._source), markdown
        if self.is_long(markdown) != long_before:
            self.call_later(self._switch_renderer)
        elif self.is_long(markdown):
            self.query_one(RenderedDocument).set_markdown(markdown)
        else:
            self.query_one(SafeMarkdown).update(markdown)  # runs without being awaited

    async def _switch_renderer(self) -> None:
        had_focus = self.has_focus_within
        self._switching = True
        try:
            await self.recompose()
        finally:
            self._switching = False
        if had_focus or self._focus_after_switch:
            self._focus_after_switch = False
            self.body.focus()

    @property
    def body(self) -> RenderedDocument | VerticalScroll:
        """The scrolling part (to focus it or scroll it)."""
        found = self.query(RenderedDocument)
        return found.first() if found else self.query_one(VerticalScroll)

    def focus(self, scroll_visible: bool = True) -> Self:
        if self._switching:
            # The old body is on its way out: focusing it would leave the focus nowhere
            # (and the screen would give it to the tabs). The new body gets it.
            self._focus_after_switch = True
        else:
            self.body.focus(scroll_visible)
        return self
