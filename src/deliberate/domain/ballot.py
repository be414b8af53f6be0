"""The five ballot options and how people name them."""

from __future__ import annotations

import enum

from deliberate.errors import UserError


class Choice(enum.StrEnum):
    """A ballot option. The value is the JSON/database key."""

    JA = "ja"
    BETINGET_JA = "betinget_ja"
    UDSKYD = "udskyd"
    NEJ = "nej"
    BLOKER = "bloker"

    @property
    def token(self) -> str:
        """The CLI token: hyphens instead of underscores."""
        return self.value.replace("_", "-")

    @property
    def key_number(self) -> int:
        """1-5, the key that picks this option in the TUI."""
        return list(Choice).index(self) + 1


CHOICE_ORDER: tuple[Choice, ...] = tuple(Choice)

_ALIASES: dict[str, Choice] = {
    "ja": Choice.JA,
    "yes": Choice.JA,
    "betinget-ja": Choice.BETINGET_JA,
    "betinget_ja": Choice.BETINGET_JA,
    "conditional-yes": Choice.BETINGET_JA,
    "conditional_yes": Choice.BETINGET_JA,
    "udskyd": Choice.UDSKYD,
    "postpone": Choice.UDSKYD,
    "nej": Choice.NEJ,
    "no": Choice.NEJ,
    "bloker": Choice.BLOKER,
    "block": Choice.BLOKER,
}


def parse_choice(text: str) -> Choice:
    """Parse a CLI/JSON token or English word into a Choice; raise UserError otherwise."""
    choice = _ALIASES.get(text.strip().lower())
    if choice is None:
        raise UserError("unknown_choice", choice=text)
    return choice


class Answer(enum.StrEnum):
    """An answer to one amendment's own question (rule `amendments = "separate"`)."""

    JA = "ja"
    NEJ = "nej"
    UNDLAD = "undlad"


_ANSWERS: dict[str, Answer] = {
    "ja": Answer.JA,
    "yes": Answer.JA,
    "nej": Answer.NEJ,
    "no": Answer.NEJ,
    "undlad": Answer.UNDLAD,
    "abstain": Answer.UNDLAD,
}


def parse_answer(text: str) -> Answer:
    """ja / nej / undlad (or yes / no / abstain); UserError otherwise."""
    answer = _ANSWERS.get(text.strip().lower())
    if answer is None:
        raise UserError("unknown_answer", answer=text)
    return answer


def parse_amendment_vote(text: str) -> tuple[int, Answer]:
    """`2=ja` (the CLI's --amendment-vote) -> (2, Answer.JA)."""
    number, sep, answer = text.partition("=")
    if not sep or not number.strip().isdigit():
        raise UserError("bad_amendment_vote", value=text)
    return int(number), parse_answer(answer)
