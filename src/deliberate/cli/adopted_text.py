"""Printing the adopted text (`show PROPOSAL --adopted`) and its word diff (`--diff`)."""

from __future__ import annotations

import os
import sys

from deliberate.domain.paragraphs import DiffOp, render_git_words
from deliberate.domain.text import sanitize, sanitize_line
from deliberate.i18n import Translator
from deliberate.services.adopted import AdoptedText

_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


def use_colour() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def render_adopted(t: Translator, a: AdoptedText, *, diff: bool, colour: bool = False) -> str:
    heading = t("adopted.diff_heading" if diff else "adopted.heading")
    lines = [f"{heading}: {sanitize_line(a.title)}  [{a.proposal_id}]", ""]
    if diff:
        parts = a.diff
        if colour:
            text = "".join(
                f"{_RED}[-{sanitize(p.text)}-]{_RESET}"
                if p.op is DiffOp.DELETE
                else f"{_GREEN}{{+{sanitize(p.text)}+}}{_RESET}"
                if p.op is DiffOp.INSERT
                else sanitize(p.text)
                for p in parts
            )
        else:
            text = sanitize(render_git_words(parts))
        lines.append(text.strip())
        lines += ["", t("adopted.legend") if a.text != a.original else t("adopted.unchanged")]
    else:
        lines.append(sanitize(a.text).strip())
    if a.instructions:
        lines += ["", t("adopted.instructions")]
        for item in a.instructions:
            lines += ["", f"{item.number}. {sanitize_line(item.title)}"]
            body = sanitize(item.text or item.new_text).strip()
            lines += ["   " + ln if ln else "" for ln in body.splitlines()]
    lines += ["", f"{t('adopted.hash')}: {a.sha256}"]
    return "\n".join(lines)
