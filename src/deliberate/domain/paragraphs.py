"""Paragraphs of a proposal's body, paragraph changes, and word diffs.

A *paragraph* is one top-level Markdown block of the body (a paragraph, heading, table, code
block, quote) or one item of a top-level list. Paragraphs are numbered 1, 2, … in reading
order; `deliberate show PROPOSAL --paragraphs` prints these numbers and a paragraph amendment
names one of them. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


class ParagraphOp(enum.StrEnum):
    REPLACE = "replace"
    INSERT_AFTER = "insert_after"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int  # 1-based
    text: str
    start: int  # first line (0-based) in the body
    end: int  # one past the last line
    list_item: bool  # an item of a top-level list: neighbours join without a blank line


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    """One carried (or proposed) change to paragraph `paragraph` of a body."""

    paragraph: int
    op: ParagraphOp
    text: str = ""  # the new paragraph (replace, insert_after); empty for delete
    order: int = 0  # among inserts after the same paragraph: lower first (amendment number)


class ParagraphError(ValueError):
    """A change that does not fit the body (no such paragraph, two replacements of one)."""


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # on first use: the overview imports this module

    return MarkdownIt("commonmark").enable("table")


def split_paragraphs(body: str) -> list[Paragraph]:
    """The body's paragraphs in order, each with its exact source text."""
    lines = body.split("\n")
    tokens = _parser().parse(body)
    found: list[Paragraph] = []
    in_list = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
            continue
        if token.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
            continue
        if token.map is None or token.nesting == -1:
            continue
        top_block = token.level == 0 and token.nesting in (0, 1)
        top_item = in_list == 1 and token.type == "list_item_open" and token.level == 1
        if not (top_block or top_item):
            continue
        start, end = token.map
        while end > start and not lines[end - 1].strip():
            end -= 1  # a list item's map may include the blank line after it
        text = "\n".join(lines[start:end])
        found.append(Paragraph(len(found) + 1, text, start, end, top_item))
    return found


def apply_changes(body: str, changes: Iterable[ParagraphChange]) -> str:
    """The body with `changes` applied; paragraphs no change names are kept byte for byte.

    Paragraph numbers refer to the original body. A paragraph may be replaced or deleted once;
    any number of paragraphs may be inserted after it (in `order`).
    """
    paragraphs = split_paragraphs(body)
    by_number = {p.number: p for p in paragraphs}
    replace: dict[int, ParagraphChange] = {}
    inserts: dict[int, list[ParagraphChange]] = {}
    for change in changes:
        if change.paragraph not in by_number:
            raise ParagraphError(f"no paragraph {change.paragraph}")
        if change.op is ParagraphOp.INSERT_AFTER:
            inserts.setdefault(change.paragraph, []).append(change)
        elif change.paragraph in replace:
            raise ParagraphError(f"paragraph {change.paragraph} is changed twice")
        else:
            replace[change.paragraph] = change
    lines = body.split("\n")
    # Work from the last paragraph back so earlier line numbers stay valid.
    for para in reversed(paragraphs):
        added = sorted(inserts.get(para.number, ()), key=lambda c: c.order)
        if added:
            sep = [] if para.list_item else [""]
            block: list[str] = []
            for change in added:
                block += sep + _lines(change.text)
            lines[para.end : para.end] = block
        replaced = replace.get(para.number)
        if replaced is None:
            continue
        if replaced.op is ParagraphOp.REPLACE:
            lines[para.start : para.end] = _lines(replaced.text)
        else:  # delete, with the blank line that separated it from the next block
            stop = para.end
            if not para.list_item and stop < len(lines) and not lines[stop].strip():
                stop += 1
            del lines[para.start : stop]
    return "\n".join(lines)


def _lines(text: str) -> list[str]:
    return text.strip("\n").split("\n")


# --- word diff -------------------------------------------------------------------------------


class DiffOp(enum.StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class DiffPart:
    op: DiffOp
    text: str


_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[DiffPart]:
    """A word-level diff of `old` → `new`: equal, deleted and inserted runs, in order."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(parts, DiffOp.EQUAL, "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _add(parts, DiffOp.DELETE, "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _add(parts, DiffOp.INSERT, "".join(b[j1:j2]))
    return parts


def _add(parts: list[DiffPart], op: DiffOp, text: str) -> None:
    if not text:
        return
    if parts and parts[-1].op is op:
        parts[-1] = DiffPart(op, parts[-1].text + text)
    else:
        parts.append(DiffPart(op, text))


def render_git_words(parts: Sequence[DiffPart]) -> str:
    """git's `--word-diff=plain` markers: `[-deleted-]{+inserted+}`."""
    out = []
    for part in parts:
        if part.op is DiffOp.DELETE:
            out.append(f"[-{part.text}-]")
        elif part.op is DiffOp.INSERT:
            out.append(f"{{+{part.text}+}}")
        else:
            out.append(part.text)
    return "".join(out)
