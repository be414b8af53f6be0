"""Member-written Markdown, shown safely (DESIGN §6).

`Markdown(open_links=False)` (a clicked link is handled by `App.open_url`, which opens
nothing), never `MarkdownViewer` (it would open server-side files named in links), the
front-matter plugin so a stray YAML header is not shown as text, and the text sanitised
again before parsing. Textual mounts long documents in batches, so the first screenful
shows at once and the rest follows while the member reads.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from deliberate.domain.text import sanitize


def parser_factory() -> MarkdownIt:
    return MarkdownIt("gfm-like").use(front_matter_plugin)


class SafeMarkdown(Markdown):
    def __init__(self, markdown: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(sanitize(markdown), parser_factory=parser_factory, open_links=False, **kwargs)

    def update(self, markdown: str):  # type: ignore[no-untyped-def, override]
        return super().update(sanitize(markdown))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # open_links=False: Textual leaves the click to us; App.open_url only explains.
        event.stop()
        self.app.open_url(event.href)


class Document(VerticalScroll, can_focus=True):
    """A scrollable Markdown document; re-rendered only when its text changes."""

    def __init__(self, markdown: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self._source = markdown

    def compose(self):  # type: ignore[no-untyped-def]
        yield SafeMarkdown(self._source)

    def set_markdown(self, markdown: str) -> None:
        if markdown != self._source:
            self._source = markdown
            self.query_one(SafeMarkdown).update(markdown)
