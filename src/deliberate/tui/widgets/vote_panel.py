"""The voting tab: my vote and the five options while voting is open; the outcome with its
counts, bar chart, rule set and explanation once closed."""

from __future__ import annotations

import datetime as dt
import textwrap

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from deliberate.domain.ballot import Choice
from deliberate.domain.paragraphs import DiffOp
from deliberate.domain.rules import Counts
from deliberate.domain.status import ProposalStatus
from deliberate.domain.text import sanitize
from deliberate.i18n import Translator
from deliberate.i18n.explain import describe_rules
from deliberate.services.adopted import AdoptedText
from deliberate.services.voting import CurrentVote, TallyResult
from deliberate.tui.context import context_of
from deliberate.tui.render import (
    choice_text,
    member_line,
    member_text,
    outcome_text,
    plain,
    time_left,
)
from deliberate.tui.widgets.tally_chart import TallyChart, chart


def my_vote_line(vote: CurrentVote | None, t: Translator, can_vote: bool) -> Content:
    if not can_vote:
        return Content(t("tui.vote.no_right"))
    if vote is None:
        return Content.styled(t("tui.vote.not_voted"), "$text-warning")
    parts: list[Content | str] = [
        t("tui.vote.mine") + " ",
        choice_text(vote.choice, t, vote.amendments),
    ]
    if vote.changed:
        parts.append(Content.styled(" · " + t("tui.vote.changed"), "italic"))
    parts.append(Content.styled(" · " + t("tui.vote.receipt", receipt=vote.receipt), "$text-muted"))
    return Content.assemble(*parts)


def options_text(t: Translator, current: Choice | None, width: int = 78) -> Content:
    """One option a line; a long explanation wraps under itself, not under the key."""
    lines = []
    for choice in Choice:
        marker = "▶ " if choice is current else "  "
        label = t(f"choice.{choice.value}")
        first = len(marker) + 2 + len(label) + 3
        wrapped = textwrap.wrap(
            t(f"choice.{choice.value}.help"),
            width=max(20, width - 1),
            initial_indent=" " * first,
            subsequent_indent=" " * 4,
        )
        explanation = "\n".join(wrapped)[first:]
        lines.append(
            Content.assemble(
                marker,
                (f"{choice.key_number} ", "bold $text-accent"),
                (label, "bold"),
                (" — " + explanation, "$text-muted"),
            )
        )
    return Content("\n").join(lines)


def deadline_line(result: TallyResult, t: Translator, now: dt.datetime) -> str:
    if result.closes_at is None:
        return t("tui.vote.open_no_deadline")
    return t(
        "tui.vote.open_until",
        when=t.moment(result.closes_at),
        left=time_left(result.closes_at, now, t, narrow=False),
    )


def adopted_content(adopted: AdoptedText, t: Translator) -> Content:
    """The adopted text with its changes marked by characters ([-deleted-] {+inserted+}) as
    well as colour and strike/underline, so they read without colour too."""
    parts: list[Content | tuple[str, str] | str] = [
        (t("adopted.heading"), "bold"),
        "\n",
    ]
    for part in adopted.diff:
        text = sanitize(part.text)
        if part.op is DiffOp.DELETE:
            parts.append((f"[-{text}-]", "strike $text-error"))
        elif part.op is DiffOp.INSERT:
            parts.append((f"{{+{text}+}}", "underline bold $text-success"))
        else:
            parts.append(text)
    legend = "adopted.legend" if adopted.text != adopted.original else "adopted.unchanged"
    parts += ["\n\n", (t(legend), "$text-muted")]
    for item in adopted.instructions:
        if item is adopted.instructions[0]:
            parts += ["\n\n", (t("adopted.instructions"), "bold")]
        parts += ["\n", f"{item.number}. ", member_line(item.title)]
    parts += ["\n", (f"{t('adopted.hash')}: {adopted.sha256}", "$text-muted")]
    return Content.assemble(*parts)


class VotePanel(VerticalScroll, can_focus=True):
    def compose(self) -> ComposeResult:
        yield Static(id="vote-state")
        yield Static(id="vote-mine")
        yield Static(id="vote-options")
        yield Static(id="vote-outcome")
        yield TallyChart(Counts(), context_of(self).t, id="vote-chart")
        yield Static(id="vote-amendments")
        yield Static(id="vote-adopted")
        yield Static(id="vote-rules")

    def show(
        self,
        result: TallyResult,
        vote: CurrentVote | None,
        t: Translator,
        *,
        can_vote: bool,
        now: dt.datetime,
        adopted: AdoptedText | None = None,
    ) -> None:
        verdicts = self.query_one("#vote-amendments", Static)
        adopted_widget = self.query_one("#vote-adopted", Static)
        lines = result.amendment_explanations(t.lang)
        verdicts.display = bool(lines)
        verdicts.update(Content("\n").join(Content("• " + plain(line)) for line in lines))
        # Unchanged and nothing for the editors: the text tab already shows it.
        if adopted is not None and adopted.text == adopted.original and not adopted.instructions:
            adopted = None
        adopted_widget.display = adopted is not None
        if adopted is not None:
            adopted_widget.update(adopted_content(adopted, t))
        state = self.query_one("#vote-state", Static)
        mine = self.query_one("#vote-mine", Static)
        options = self.query_one("#vote-options", Static)
        outcome = self.query_one("#vote-outcome", Static)
        chart_widget = self.query_one(TallyChart)
        rules = self.query_one("#vote-rules", Static)
        closed = result.status is ProposalStatus.CLOSED
        outcome.display = chart_widget.display = rules.display = closed
        options.display = result.status is ProposalStatus.VOTING and can_vote
        mine_text = my_vote_line(vote, t, can_vote)
        if vote is not None and vote.reason:
            mine_text = Content.assemble(
                mine_text,
                "\n",
                t("tui.vote.reason_label") + " ",
                member_text(vote.reason, "italic"),
            )
        mine.update(mine_text)
        if result.status is ProposalStatus.DRAFT:
            state.update(Content(t("tui.vote.draft")))
            mine.display = False
            return
        mine.display = True
        if result.status is ProposalStatus.VOTING:
            state.update(
                Content.assemble(
                    (t("tui.vote.open") + " ", "bold $text-accent"),
                    deadline_line(result, t, now),
                    "\n",
                    t(
                        "tui.vote.participation",
                        cast=t.number(result.cast),
                        eligible=t.number(result.eligible),
                    ),
                )
            )
            hint = t("tui.vote.change_hint" if vote else "tui.vote.cast_hint")
            width = options.size.width or self.size.width or 78
            options.update(
                Content.assemble(
                    (hint, "bold"), "\n", options_text(t, vote.choice if vote else None, width)
                )
            )
            return
        closed_at = t.moment(result.closed_at) if result.closed_at else ""
        state.update(Content.assemble((t("tui.vote.closed", when=closed_at), "bold")))
        carried = ""
        if result.carried_amendments:
            carried = "\n" + t(
                "tui.vote.carried",
                amendments=", ".join(t.number(n) for n in result.carried_amendments),
            )
        outcome.update(
            Content.assemble(
                t("tui.vote.outcome") + " ",
                outcome_text(result.outcome, t),
                carried,
                "\n",
                (plain(result.explanation(t.lang)), "italic"),
                "\n",
                t(
                    "tui.vote.turnout",
                    cast=t.number(result.cast),
                    eligible=t.number(result.eligible),
                ),
            )
        )
        chart_widget.counts = result.counts
        chart_widget.t = t
        chart_widget.update(chart(result.counts, t, chart_widget.size.width or 60))
        if result.rules is not None:
            rules.update(
                Content.assemble(
                    (t("tui.vote.rules", name=plain(result.rules.name)), "bold"),
                    "\n",
                    (describe_rules(result.rules, t.lang), "$text-muted"),
                )
            )
