"""The speakers' list (taleliste) as every meeting screen shows it, and the meeting's shared
text helpers: participation, countdown, the current item's vote.

Pure rendering from a `MeetingState` snapshot: no database work happens here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.content import Content
from textual.widgets import Static

from deliberate.domain.status import ProposalStatus
from deliberate.i18n import Translator
from deliberate.i18n.explain import explain, outcome_label
from deliberate.services.meetings import ItemVoting, MeetingState, SpeakerEntry
from deliberate.tui.render import OUTCOME_STYLE, member_line


def seconds_left(voting: ItemVoting | None, now: dt.datetime) -> float | None:
    """The countdown, computed afresh each tick from the deadline."""
    if voting is None or voting.status is not ProposalStatus.VOTING or voting.closes_at is None:
        return None
    return max(0.0, (voting.closes_at - now).total_seconds())


def speaking_seconds(state: MeetingState, now: dt.datetime) -> float | None:
    if state.speaker is None or state.speaker.granted_at is None:
        return None
    return max(0.0, (now - state.speaker.granted_at).total_seconds())


def participation_text(voting: ItemVoting, t: Translator) -> str:
    return t(
        "meeting.participation", voted=t.number(voting.voted), eligible=t.number(voting.eligible)
    )


def voting_status_line(voting: ItemVoting | None, t: Translator, now: dt.datetime) -> Content:
    """'Afstemning åben · Tid tilbage: 1:45 · 31 af 44 har stemt' (or closed, or not opened)."""
    if voting is None:
        return Content("")
    if voting.status is ProposalStatus.DRAFT:
        return Content.styled(t("meeting.voting_not_open"), "$text-muted")
    parts: list[Content | str] = []
    if voting.status is ProposalStatus.VOTING:
        parts.append(Content.styled(t("meeting.voting_open"), "bold $text-accent"))
        left = seconds_left(voting, now)
        if left is not None:
            parts += [
                " · ",
                Content.styled(t("meeting.countdown", time=t.duration(left)), "bold $text-warning"),
            ]
    else:
        parts.append(Content.styled(t("meeting.voting_closed"), "bold"))
    parts += [" · ", participation_text(voting, t)]
    return Content.assemble(*parts)


def result_text(voting: ItemVoting | None, t: Translator) -> Content:
    """The outcome and its one-sentence explanation once voting closed."""
    if voting is None or voting.decision is None or voting.status is not ProposalStatus.CLOSED:
        return Content("")
    outcome = voting.decision.outcome
    label = outcome_label(outcome, t.lang)
    return Content.assemble(
        Content.styled(label[:1].upper() + label[1:], OUTCOME_STYLE[outcome] + " bold"),
        "\n",
        explain(voting.decision, t.lang),
    )


def counts_text(voting: ItemVoting | None, t: Translator) -> Content:
    """The five counts on one line, or the note that they are hidden until close."""
    if voting is None or voting.status is ProposalStatus.DRAFT:
        return Content("")
    if voting.counts is None:
        return Content.styled(t("meeting.counts_hidden"), "$text-muted italic")
    return Content("  ").join(
        Content.assemble((t(f"choice.{key}") + " ", "$text-muted"), (t.number(n), "bold"))
        for key, n in voting.counts.items()
    )


def _entry_line(n: int, entry: SpeakerEntry, t: Translator, me: str) -> Content:
    parts: list[Content | str] = [
        Content.styled(f"{n:>2}. ", "bold $text-accent"),
        member_line(entry.name),
    ]
    if entry.is_point_of_order:
        parts.append(Content.styled(" · " + t("meeting.kind.point_of_order"), "bold $text-warning"))
    if entry.handle == me:
        parts.append(Content.styled(" ←", "bold"))
    return Content.assemble(*parts)


def speakers_text(
    state: MeetingState, t: Translator, now: dt.datetime, *, me: str = "", totals: bool = False
) -> Content:
    """Who has the floor (with the timer), the queue in order, optionally everyone's totals."""
    lines: list[Content] = [Content.styled(t("meeting.queue_heading"), "bold $text-primary")]
    spoken = speaking_seconds(state, now)
    if state.speaker is not None and spoken is not None:
        limit = state.speaker.limit_seconds
        over = limit is not None and spoken > limit
        timer = (
            t("meeting.timer_limit", time=t.duration(spoken), limit=t.duration(limit))
            if limit
            else t.duration(spoken)
        )
        lines.append(
            Content.assemble(
                Content.styled("▶ ", "bold $text-success"),
                member_line(state.speaker.name, "bold"),
                (
                    " · " + t("meeting.kind.point_of_order")
                    if state.speaker.is_point_of_order
                    else "",
                    "$text-warning",
                ),
                " · ",
                Content.styled(timer, "bold $text-error" if over else "bold"),
            )
        )
    else:
        lines.append(Content.styled(t("meeting.nobody_has_floor"), "$text-muted"))
    if state.queue:
        lines.extend(_entry_line(n, e, t, me) for n, e in enumerate(state.queue, start=1))
    else:
        lines.append(Content.styled(t("meeting.queue_empty_line"), "$text-muted italic"))
    if me:
        position = state.queue_position(me)
        if state.speaker is not None and state.speaker.handle == me:
            lines.append(Content.styled(t("meeting.you_have_floor"), "bold $text-success"))
        elif position is not None:
            lines.append(Content.styled(t("meeting.you_in_queue", position=position), "italic"))
    if totals and state.totals:
        lines.append(Content(""))
        lines.append(Content.styled(t("meeting.totals_heading"), "bold $text-primary"))
        for total in state.totals:
            seconds = total.seconds
            if (
                state.speaker is not None
                and state.speaker.handle == total.handle
                and spoken is not None
            ):
                seconds = seconds - (state.speaker_seconds or 0.0) + spoken  # keep ticking live
            lines.append(
                Content.assemble("  ", member_line(total.name), " · ", t.duration(seconds))
            )
    return Content("\n").join(lines)


class SpeakersPanel(Static):
    """The taleliste, redrawn from the last snapshot every second (the timer ticks)."""

    def __init__(self, *, me: str = "", totals: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.me = me
        self.totals = totals

    def show(self, state: MeetingState, t: Translator, now: dt.datetime) -> None:
        text = speakers_text(state, t, now, me=self.me, totals=self.totals)
        if text != getattr(self, "_shown", None):  # the timer ticks; an idle list need not repaint
            self._shown = text
            self.update(text)
