"""Casting or changing a vote: pick one of the five options (keys 1-5), name the amendments
for Betinget ja or the reason for Bloker, confirm, and the vote is cast. The dialog casts the
vote itself and closes with the receipt; a refused vote keeps the dialog open."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option

from deliberate.domain.alternatives import OnBallot, alternative_groups
from deliberate.domain.ballot import Answer, Choice
from deliberate.domain.paragraphs import ParagraphOp
from deliberate.domain.status import AmendmentKind
from deliberate.services import voting
from deliberate.services.proposals import AmendmentInfo
from deliberate.services.voting import CurrentVote, VoteReceipt
from deliberate.tui.context import context_of
from deliberate.tui.render import choice_text, member_line, member_text
from deliberate.tui.screens.base import ForumModal
from deliberate.tui.widgets.proxy_line import (
    cast_for_principals,
    chosen_principals,
    proxy_checkboxes,
)


@dataclass(frozen=True)
class Ballot:
    """The proposal voted on, as the dialog needs it."""

    proposal_id: str
    title: str
    amendments: tuple[AmendmentInfo, ...]
    current: CurrentVote | None
    secret: bool = False  # a secret ballot: final once cast, said before casting
    proxies_for: tuple[tuple[str, str], ...] = ()  # (handle, name) whose proxy the voter holds
    separate: bool = False  # each amendment has its own vote; Betinget ja is not offered

    @property
    def asks_answers(self) -> bool:
        """Separate amendment votes with an amendment on the ballot to answer."""
        return self.separate and any(a.on_ballot for a in self.amendments)


class AmendmentPicker(OptionList):
    """The amendments a Betinget ja names: Space toggles one, Enter goes on. The mark is a
    character ([x] / [ ]), not only a colour, so it reads without colour too."""

    BINDINGS = [
        Binding("space", "toggle_amendment", "Select/deselect", id="toggle"),
        Binding("enter", "done", "Continue", id="continue"),
    ]

    class Done(Message):
        pass

    def __init__(
        self, amendments: tuple[AmendmentInfo, ...], chosen: tuple[int, ...], **kwargs: Any
    ) -> None:
        self.amendments = {a.number: a for a in amendments}
        self.selected: set[int] = set(chosen) & set(self.amendments)
        super().__init__(*[Option(self._prompt(n), id=str(n)) for n in self.amendments], **kwargs)

    def _prompt(self, number: int) -> Content:
        mark = "[x] " if number in self.selected else "[ ] "
        return Content.assemble(
            (mark, "bold $text-success" if number in self.selected else "$text-muted"),
            f"{number}. ",
            member_line(self.amendments[number].title),
        )

    def action_toggle_amendment(self) -> None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return
        number = int(option.id)
        self.selected ^= {number}
        self.replace_option_prompt(option.id, self._prompt(number))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click toggles, like Space
        self.action_toggle_amendment()

    def action_done(self) -> None:
        self.post_message(self.Done())


def alternatives_of(amendments: tuple[AmendmentInfo, ...]) -> dict[int, tuple[int, ...]]:
    """The amendments on the ballot that have alternatives: number -> its alternatives (as
    the close will group them, see domain.alternatives)."""
    groups = alternative_groups(
        [
            OnBallot(
                a.number,
                a.alternative_group,
                a.paragraph
                if a.kind is AmendmentKind.PARAGRAPH
                and a.operation in (ParagraphOp.REPLACE, ParagraphOp.DELETE)
                else None,
            )
            for a in amendments
            if a.on_ballot
        ]
    )
    return {
        k: tuple(n for n, g in sorted(groups.items()) if g == group and n != k)
        for k, group in groups.items()
    }


class AnswerPicker(OptionList):
    """Separate amendment votes: one line per amendment on the ballot with its answer, Ja /
    Nej / Undlad (j / n / u, Space cycles), Enter goes on. The answer is written out, not only
    coloured; an amendment with alternatives says so (at most one of them is carried)."""

    BINDINGS = [
        Binding("j", "answer('ja')", "Yes", id="answer_ja"),
        Binding("n", "answer('nej')", "No", id="answer_nej"),
        Binding("u", "answer('undlad')", "Abstain", id="answer_undlad"),
        Binding("space", "cycle", "Next answer", id="answer_cycle"),
        Binding("enter", "done", "Continue", id="continue"),
    ]

    class Done(Message):
        pass

    def __init__(
        self,
        amendments: tuple[AmendmentInfo, ...],
        current: tuple[tuple[int, Answer], ...],
        **kwargs: Any,
    ) -> None:
        self.amendments = {a.number: a for a in amendments if a.on_ballot}
        self.alternatives = alternatives_of(amendments)
        given = dict(current)
        self.answers: dict[int, Answer] = {n: given.get(n, Answer.UNDLAD) for n in self.amendments}
        super().__init__(*[Option(self._prompt(n), id=str(n)) for n in self.amendments], **kwargs)

    def _prompt(self, number: int) -> Content:
        t = context_of(self).t
        answer = self.answers[number]
        label = t(f"answer.{answer.value}")
        style = {
            Answer.JA: "bold $text-success",
            Answer.NEJ: "bold $text-error",
            Answer.UNDLAD: "$text-muted",
        }[answer]
        others = self.alternatives.get(number, ())
        note = (
            "  (" + t("tui.vote.alternative_to", numbers=", ".join(map(t.number, others))) + ")"
            if others
            else ""
        )
        return Content.assemble(
            (f"[{label:<7}] ", style),
            f"{number}. ",
            member_line(self.amendments[number].title),
            (note, "$text-muted"),
        )

    def _set(self, answer: Answer) -> None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return
        number = int(option.id)
        self.answers[number] = answer
        self.replace_option_prompt(option.id, self._prompt(number))

    def action_answer(self, value: str) -> None:
        self._set(Answer(value))

    def action_cycle(self) -> None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return
        order = list(Answer)
        now = self.answers[int(option.id)]
        self._set(order[(order.index(now) + 1) % len(order)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click cycles, like Space
        self.action_cycle()

    def action_done(self) -> None:
        self.post_message(self.Done())


class VoteScreen(ForumModal):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        *[
            Binding(
                str(c.key_number),
                f"pick('{c.value}')",
                c.value,
                id=f"vote_{c.key_number}",
                show=False,
            )
            for c in Choice
        ],
        Binding("escape", "back", "Back", id="back"),
    ]

    class Cast(Message):
        def __init__(self, receipt: VoteReceipt, proxy_notes: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.receipt = receipt
            self.proxy_notes = proxy_notes  # one line per proxy vote: cast, or why not

    def __init__(self, ballot: Ballot, choice: Choice | None = None) -> None:
        super().__init__(classes="vote-dialog")
        self.ballot = ballot
        self.preselect = choice
        self.choice: Choice | None = None
        self.amendments: tuple[int, ...] = ()
        self.answers: tuple[tuple[int, Answer], ...] = ()
        self.reason = ""
        self.casting = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        t = self.t
        current = self.ballot.current
        with Vertical(classes="dialog-box"):
            yield Static(
                Content.assemble(
                    t("tui.vote.dialog_title") + " ", member_line(self.ballot.title, "bold")
                ),
                classes="dialog-title",
            )
            with ContentSwitcher(initial="step-choose"):
                with Vertical(id="step-choose"):
                    yield OptionList(*self._choice_options(current), id="choices")
                    yield Static(Content(t("tui.vote.choose_hint")), classes="dialog-hint")
                with Vertical(id="step-amendments"):
                    yield Static(Content(t("tui.vote.amendments_question")))
                    chosen = (
                        current.amendments
                        if current and current.choice is Choice.BETINGET_JA
                        else ()
                    )
                    yield AmendmentPicker(self.ballot.amendments, chosen, id="amendments")
                    yield Static(Content(t("tui.vote.amendments_hint")), classes="dialog-hint")
                with Vertical(id="step-answers"):
                    yield Static(Content(t("tui.vote.answers_question")))
                    yield AnswerPicker(
                        self.ballot.amendments,
                        current.answers if current else (),
                        id="answers",
                    )
                    yield Static(Content(t("tui.vote.answers_hint")), classes="dialog-hint")
                with Vertical(id="step-reason"):
                    yield Static(Content(t("tui.vote.reason_question")))
                    reason = current.reason if current and current.choice is Choice.BLOKER else ""
                    yield Input(reason, placeholder=t("tui.vote.reason_placeholder"), id="reason")
                    yield Static(Content(t("tui.vote.reason_hint")), classes="dialog-hint")
                with Vertical(id="step-confirm"):
                    yield Static(id="summary")
                    yield from proxy_checkboxes(self.ballot.proxies_for, t)
                    with Horizontal(classes="buttons"):
                        yield Button(t("tui.vote.cast_button"), variant="primary", id="cast")
                        yield Button(t("tui.key.back"), id="back")
                    yield Static(Content(t("tui.vote.confirm_hint")), classes="dialog-hint")

    def _choice_options(self, current: CurrentVote | None) -> list[Option]:
        t = self.t
        options = []
        for choice in Choice:
            mine = current is not None and current.choice is choice
            if self.ballot.separate and choice is Choice.BETINGET_JA:
                options.append(
                    Option(
                        Content.assemble(
                            (f"{choice.key_number}  ", "$text-muted"),
                            (t(f"choice.{choice.value}"), "strike $text-muted"),
                            "\n   ",
                            (t("tui.vote.conditional_not_offered"), "italic $text-muted"),
                        ),
                        id=choice.value,
                        disabled=True,
                    )
                )
                continue
            explanation = "\n".join(
                textwrap.wrap(t(f"choice.{choice.value}.help"), width=68, subsequent_indent="   ")
            )
            line = Content.assemble(
                (f"{choice.key_number}  ", "bold $text-accent"),
                choice_text(choice, t),
                (" ← " + t("tui.vote.current") if mine else "", "italic"),
                "\n   ",
                (explanation, "$text-muted"),
            )
            options.append(Option(line, id=choice.value))
        return options

    def on_mount(self) -> None:
        super().on_mount()
        choices = self.query_one("#choices", OptionList)
        current = self.ballot.current
        choices.highlighted = current.choice.key_number - 1 if current else 0
        choices.focus()
        if self.preselect is not None:
            self.action_pick(self.preselect.value)

    @property
    def step(self) -> str:
        return (self.query_one(ContentSwitcher).current or "step-choose").removeprefix("step-")

    def _go(self, step: str) -> None:
        self.query_one(ContentSwitcher).current = f"step-{step}"
        focus = {
            "choose": "#choices",
            "amendments": "#amendments",
            "answers": "#answers",
            "reason": "#reason",
            "confirm": "#cast",
        }
        self.query_one(focus[step]).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            return self.step == "choose"
        return True

    # ------------------------------------------------------------------ steps

    def action_pick(self, value: str) -> None:
        choice = Choice(value)
        if self.ballot.separate and choice is Choice.BETINGET_JA:
            self.app.notify(self.t("tui.vote.conditional_not_offered"), severity="warning")
            return
        self.choice = choice
        self.query_one("#choices", OptionList).highlighted = choice.key_number - 1
        if choice is Choice.BETINGET_JA:
            if not self.ballot.amendments:
                self.app.notify(self.t("tui.vote.no_amendments"), severity="warning")
                return
            self._go("amendments")
        elif choice is Choice.BLOKER:
            self._go("reason")
        else:
            self.amendments, self.reason = (), ""
            self._after_choice()

    def _after_choice(self) -> None:
        """With separate amendment votes, each amendment's answer comes next."""
        if self.ballot.asks_answers:
            self._go("answers")
        else:
            self._confirm()

    @on(AnswerPicker.Done)
    def _answers_given(self) -> None:
        picker = self.query_one(AnswerPicker)
        self.answers = tuple(sorted(picker.answers.items()))
        self._confirm()

    @on(OptionList.OptionSelected, "#choices")
    def _choice_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_pick(event.option.id)

    @on(AmendmentPicker.Done)
    def _amendments_chosen(self) -> None:
        chosen = tuple(sorted(self.query_one(AmendmentPicker).selected))
        if not chosen:
            self.app.notify(self.t("tui.vote.pick_an_amendment"), severity="warning")
            return
        self.amendments, self.reason = chosen, ""
        self._confirm()

    @on(Input.Submitted, "#reason")
    def _reason_given(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value.strip()
        if not reason:
            self.app.notify(self.t("tui.vote.reason_needed"), severity="warning")
            return
        self.amendments, self.reason = (), reason
        self._after_choice()

    def _confirm(self) -> None:
        assert self.choice is not None
        t = self.t
        parts: list[Content | str] = [t("tui.vote.you_vote") + " ", choice_text(self.choice, t)]
        if self.amendments:
            numbers = ", ".join(t.number(n) for n in self.amendments)
            parts.append(" " + t("tui.vote.with_amendments", numbers=numbers))
        if self.reason:
            parts += ["\n" + t("tui.vote.reason_label") + " ", member_text(self.reason, "italic")]
        if self.ballot.separate:
            for number, answer in self.answers:
                parts.append(
                    "\n"
                    + t(
                        "voting.cli.amendment_answer",
                        number=t.number(number),
                        answer=t(f"answer.{answer.value}"),
                    )
                )
        if self.ballot.current is not None:
            parts.append(Content.styled("\n" + t("tui.vote.replaces"), "$text-muted"))
        if self.ballot.secret:
            parts.append(Content.styled("\n" + t("assembly.secret_final"), "bold $text-warning"))
        self.query_one("#summary", Static).update(Content.assemble(*parts))
        self._go("confirm")

    def action_back(self) -> None:
        if self.step == "choose":
            self.dismiss(None)
        elif self.step == "confirm" and self.ballot.asks_answers:
            self._go("answers")
        elif self.step == "answers" and self.choice is Choice.BLOKER:
            self._go("reason")
        elif self.step == "confirm" and self.choice is Choice.BETINGET_JA:
            self._go("amendments")
        elif self.step == "confirm" and self.choice is Choice.BLOKER:
            self._go("reason")
        else:
            self._go("choose")

    # ------------------------------------------------------------------ casting

    @on(Button.Pressed, "#cast")
    def _cast_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.cast()

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    def cast(self) -> None:
        if self.casting or self.choice is None:
            return
        self.casting = True
        db, handle = self.ctx.db, self.ctx.handle
        pid, choice, amendments, reason = (
            self.ballot.proposal_id,
            self.choice,
            self.amendments,
            self.reason,
        )
        answers = self.answers if self.ballot.separate else ()

        principals = chosen_principals(self)
        t = self.t

        def job() -> Message:
            receipt = voting.cast_vote(
                db,
                handle,
                pid,
                choice,
                amendments=amendments,
                reason=reason,
                amendment_votes=answers,
            )
            notes = cast_for_principals(
                db, handle, pid, choice, amendments, reason, principals, t, answers
            )
            self.wrote()
            return self.Cast(receipt, notes)

        self.run_db(job, group="cast")

    def on_vote_screen_cast(self, message: Cast) -> None:
        for note in message.proxy_notes:
            self.app.notify(note, timeout=10)
        self.dismiss(message.receipt)

    def on_action_failed(self) -> None:
        self.casting = False  # shown by the app; the dialog stays open
