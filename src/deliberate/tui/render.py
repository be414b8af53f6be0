"""Turning data into screen text safely, in the member's language.

Member text (titles, names, comments, reasons) is untrusted (DESIGN §6): it is sanitised
again here and becomes a `Content` object directly — never a markup string — so neither
escape sequences nor markup such as `[@click=app.quit]` can act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from babel.dates import format_timedelta
from textual.content import Content

from deliberate.domain.ballot import Choice
from deliberate.domain.paragraphs import DiffOp, DiffPart
from deliberate.domain.phases import Boundary
from deliberate.domain.rules import Outcome
from deliberate.domain.status import ProposalStatus
from deliberate.domain.text import sanitize, sanitize_line
from deliberate.i18n import Translator
from deliberate.i18n.explain import outcome_label

OUTCOME_STYLE = {
    Outcome.ADOPTED: "$text-success",
    Outcome.ADOPTED_WITH_AMENDMENTS: "$text-success",
    Outcome.POSTPONED: "$text-warning",
    Outcome.REJECTED: "$text-error",
    Outcome.BLOCKED: "$text-error",
    Outcome.NO_QUORUM: "$text-muted",
    Outcome.OPEN: "",
}
CHOICE_STYLE = {
    Choice.JA: "$text-success",
    Choice.BETINGET_JA: "$text-success",
    Choice.UDSKYD: "$text-warning",
    Choice.NEJ: "$text-error",
    Choice.BLOKER: "$text-error",
}


def member_text(text: str, style: str = "") -> Content:
    """Untrusted multi-line text, shown literally."""
    return Content.styled(sanitize(text), style) if style else Content(sanitize(text))


def member_line(text: str, style: str = "") -> Content:
    """Untrusted text folded to one line (titles, names)."""
    return Content.styled(sanitize_line(text), style) if style else Content(sanitize_line(text))


def plain(text: str) -> str:
    """Untrusted text for places that take a plain string (notifications, titles)."""
    return sanitize_line(text)


def time_left(
    closes_at: dt.datetime, now: dt.datetime, t: Translator, *, narrow: bool = True
) -> str:
    """'2 t 15 m' / '2h 15m': the two largest units left, Babel-formatted."""
    seconds = max(0, int((closes_at - now).total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    amounts = [("days", days), ("hours", hours), ("minutes", minutes), ("seconds", secs)]
    first = next((i for i, (_, n) in enumerate(amounts) if n), 3)
    units = [dt.timedelta(**{unit: n}) for unit, n in amounts[first : first + 2] if n or first == 3]
    fmt: Literal["narrow", "short"] = "narrow" if narrow else "short"
    return " ".join(format_timedelta(u, locale=t.locale, format=fmt, threshold=1) for u in units)


def status_text(
    status: ProposalStatus,
    t: Translator,
    *,
    now: dt.datetime,
    closes_at: dt.datetime | None = None,
    outcome: Outcome | None = None,
    narrow: bool = True,
    next_boundary: tuple[Boundary, dt.datetime] | None = None,
) -> Content:
    """'kladde' / 'debat til fre. 14.00' / 'åben · 2 t 15 m' / 'lukket · vedtaget'."""
    if status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE) and next_boundary is not None:
        boundary, moment = next_boundary
        when = boundary_time(moment, t)
        return Content.styled(t(f"phases.next.{boundary.value}", when=when), "$text-secondary")
    if status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE, ProposalStatus.WITHDRAWN):
        return Content.styled(t(f"tui.status.{status.value}"), "$text-muted")
    if status is ProposalStatus.VOTING:
        if closes_at is None:
            return Content.styled(t("tui.status.voting"), "$text-accent bold")
        left = time_left(closes_at, now, t, narrow=narrow)
        return Content.styled(t("tui.status.open_left", left=left), "$text-accent bold")
    if outcome is None or outcome is Outcome.OPEN:
        return Content(t("tui.status.closed"))
    label = Content.styled(outcome_label(outcome, t.lang), OUTCOME_STYLE[outcome])
    if narrow:  # the overview's column: the outcome alone says the vote is closed
        return label
    return Content.assemble(t("tui.status.closed_short"), " · ", label)


def diff_content(parts: Sequence[DiffPart]) -> Content:
    """A word diff marked by characters as well as colour (NO_COLOR keeps the marks):
    {+inserted+} and [-deleted-]."""
    pieces: list[Content] = []
    for part in parts:
        text = sanitize(part.text)
        if part.op is DiffOp.INSERT:
            pieces.append(Content.styled("{+" + text + "+}", "$text-success bold underline"))
        elif part.op is DiffOp.DELETE:
            pieces.append(Content.styled("[-" + text + "-]", "$text-error strike"))
        else:
            pieces.append(Content(text))
    return Content.assemble(*pieces)


def boundary_time(moment: dt.datetime, t: Translator) -> str:
    """'fre. 14.00' / 'Fri 14:00' in local time."""
    local = moment.astimezone()
    pattern = "EEE HH.mm" if t.lang == "da" else "EEE HH:mm"
    return t.datetime(local, pattern)


def choice_text(choice: Choice, t: Translator, amendments: tuple[int, ...] = ()) -> Content:
    """'Betinget ja (1, 3)'."""
    label = t(f"choice.{choice.value}")
    if amendments:
        label += " (" + ", ".join(t.number(n) for n in amendments) + ")"
    return Content.styled(label, CHOICE_STYLE[choice] + " bold")


def outcome_text(outcome: Outcome, t: Translator) -> Content:
    label = outcome_label(outcome, t.lang)
    return Content.styled(label[:1].upper() + label[1:], OUTCOME_STYLE[outcome] + " bold")


def tab_label(key: str, text: str) -> Content:
    """A tab title that shows the key that switches to it: 'a Ændringsforslag (2)'."""
    return Content.assemble((key, "bold $text-accent"), " ", text)
