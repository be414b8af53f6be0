"""The adopted text (DESIGN §4): the frozen body with every carried paragraph amendment applied.

Carried free-text amendments change no paragraph: they are listed under the text, as
instructions for the editors. So is a carried paragraph change that no longer fits the body
(its paragraph is gone, or an earlier carried amendment already replaced or deleted it), so a
close never fails on it and nothing carried is lost. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from deliberate.domain.paragraphs import (
    ParagraphChange,
    ParagraphOp,
    apply_changes,
    split_paragraphs,
)


@dataclass(frozen=True, slots=True)
class CarriedAmendment:
    """A carried amendment as the builder needs it. `op` None: a free-text amendment."""

    number: int
    title: str
    text: str = ""  # free text (instruction), or why for a paragraph change
    paragraph: int | None = None
    op: ParagraphOp | None = None
    new_text: str = ""


@dataclass(frozen=True, slots=True)
class AdoptedText:
    text: str  # the body with the applied changes; what is hashed
    sha256: str
    applied: tuple[int, ...]  # amendment numbers whose paragraph change is in `text`
    instructions: tuple[CarriedAmendment, ...]  # listed under it, for the editors


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_adopted_text(body: str, carried: Iterable[CarriedAmendment]) -> AdoptedText:
    """The adopted text of `body` with the `carried` amendments, in amendment-number order."""
    paragraphs = {p.number for p in split_paragraphs(body)}
    changed: set[int] = set()  # paragraphs already replaced or deleted
    changes: list[ParagraphChange] = []
    applied: list[int] = []
    instructions: list[CarriedAmendment] = []
    for a in sorted(carried, key=lambda a: a.number):
        if a.op is None or a.paragraph is None:
            instructions.append(a)
            continue
        fits = a.paragraph in paragraphs and (
            a.op is ParagraphOp.INSERT_AFTER or a.paragraph not in changed
        )
        if not fits or (a.op is not ParagraphOp.DELETE and not a.new_text.strip()):
            instructions.append(a)
            continue
        if a.op is not ParagraphOp.INSERT_AFTER:
            changed.add(a.paragraph)
        changes.append(ParagraphChange(a.paragraph, a.op, a.new_text, order=a.number))
        applied.append(a.number)
    text = apply_changes(body, changes) if changes else body
    return AdoptedText(text, text_sha256(text), tuple(applied), tuple(instructions))
