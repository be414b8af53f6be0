"""A proposal's status with its outcome, as `tally` and `proposals` print it; for a tally
result or a listed proposal alike (`proposals` reads the latter without the ORM)."""

from __future__ import annotations

from typing import Protocol

from deliberate.domain.rules import Outcome
from deliberate.domain.status import ProposalStatus
from deliberate.i18n import Translator
from deliberate.i18n.explain import outcome_label


class Result(Protocol):
    @property
    def status(self) -> ProposalStatus: ...
    @property
    def outcome(self) -> Outcome: ...
    @property
    def carried_amendments(self) -> tuple[int, ...]: ...


def status_text(t: Translator, result: Result) -> str:
    """'afstemning lukket: vedtaget' — a proposal's status with its outcome once closed."""
    status = t(f"status.{result.status}")
    if result.status is ProposalStatus.CLOSED:
        return f"{status}: {outcome_text(t, result)}"
    return status


def outcome_text(t: Translator, result: Result) -> str:
    label = outcome_label(result.outcome, t.lang)
    if result.outcome is Outcome.ADOPTED_WITH_AMENDMENTS and result.carried_amendments:
        numbers = ", ".join(str(n) for n in result.carried_amendments)
        return f"{label} ({t('voting.cli.amendments', numbers=numbers)})"
    return label
