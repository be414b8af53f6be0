"""A hypothesis state machine drives the voting lifecycle (open, vote, change, close, reopen
refused, votes after close refused, ...) and checks the services against a simple model."""

from __future__ import annotations

import tempfile
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from deliberate.domain.ballot import Choice
from deliberate.domain.proposal_file import ParsedAmendment, compute_content_hash
from deliberate.domain.rules import BUILTIN_RULES, Outcome
from deliberate.errors import UserError
from deliberate.services import audit, voting
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, Proposal, ProposalStatus
from voting_harness import FACILITATOR, make_forum

VOTERS = ("v000", "v001", "v002", "v003")
N_AMENDMENTS = 2
_DB: Database | None = None


def shared_db() -> Database:
    """One forum for every example; each example works on a proposal of its own."""
    global _DB
    if _DB is None:
        _DB = Database(f"sqlite:///{tempfile.mkdtemp(prefix='deliberate-stateful-')}/forum.db")
        migrate.upgrade(_DB)
        make_forum(_DB, voters=len(VOTERS), proposals={}, no_vote=("gaest",))
    return _DB


class Lifecycle(RuleBasedStateMachine):
    examples = 0

    @initialize()
    def new_proposal(self) -> None:
        Lifecycle.examples += 1
        self.db = shared_db()
        self.pid = f"s{Lifecycle.examples}"
        with self.db.write() as session:
            session.add(
                Proposal(
                    id=self.pid,
                    title=self.pid,
                    body="",
                    content_hash=compute_content_hash(
                        id=self.pid,
                        title=self.pid,
                        programme=None,
                        section=None,
                        authors=(),
                        body="",
                        amendments=tuple(
                            ParsedAmendment(k, f"Ændring {k}", "")
                            for k in range(1, N_AMENDMENTS + 1)
                        ),
                    ),
                    amendments=[
                        Amendment(number=k, title=f"Ændring {k}", body="")
                        for k in range(1, N_AMENDMENTS + 1)
                    ],
                )
            )
        self.status = ProposalStatus.DRAFT
        self.votes: dict[
            str, tuple[str, tuple[int, ...], str, int, str]
        ] = {}  # choice, amendments, reason, version, receipt
        self.frozen: Counter[str] | None = None
        self.log = audit.head(self.db)[0]

    def expect(self, code: str | None, action) -> object:  # type: ignore[no-untyped-def]
        try:
            result = action()
        except UserError as exc:
            assert exc.code == code, f"expected {code}, got {exc.code}"
            return None
        assert code is None, f"expected refusal {code}, got {result!r}"
        return result

    @rule(
        actor=st.sampled_from([FACILITATOR, "arrangoer", "v000"]),
        rules=st.sampled_from(sorted(BUILTIN_RULES)),
    )
    def open(self, actor: str, rules: str) -> None:
        code = {
            ProposalStatus.DRAFT: None,
            ProposalStatus.VOTING: "voting.error.already_open",
            ProposalStatus.CLOSED: "voting.error.reopen",
        }[self.status]
        if actor == "v000":
            code = "voting.error.not_facilitator"
        if (
            self.expect(code, lambda: voting.open_voting(self.db, actor, self.pid, rules=rules))
            is not None
        ):
            self.status = ProposalStatus.VOTING
            self.log += 1

    @rule(
        member=st.sampled_from([*VOTERS, "gaest"]),
        choice=st.sampled_from(list(Choice)),
        amendments=st.sampled_from(
            [(), (), (), (), (1,), (2,), (2, 1), (1, 1), (0,), (N_AMENDMENTS + 1,)]
        ),
        reason=st.sampled_from(["", "fordi", "fordi ", "en anden grund"]),
        stray=st.sampled_from([False, False, False, True]),  # amendments named with another choice
    )
    def vote(
        self, member: str, choice: Choice, amendments: tuple[int, ...], reason: str, stray: bool
    ) -> None:
        numbers = tuple(sorted(set(amendments))) if choice is Choice.BETINGET_JA or stray else ()
        code: str | None = None
        if choice is Choice.BLOKER and not reason.strip():
            code = "voting.error.block_needs_reason"
        elif numbers and choice is not Choice.BETINGET_JA:
            code = "voting.error.amendments_only_conditional"
        elif member == "gaest":
            code = "voting.error.no_right_to_vote"
        elif self.status is ProposalStatus.DRAFT:
            code = "voting.error.not_open"
        elif self.status is ProposalStatus.CLOSED:
            code = "voting.error.closed"
        elif choice is Choice.BETINGET_JA and not numbers:
            code = "voting.error.conditional_needs_amendment"
        elif any(not 1 <= n <= N_AMENDMENTS for n in numbers):
            code = "voting.error.amendment_out_of_range"
        receipt = self.expect(
            code,
            lambda: voting.cast_vote(
                self.db, member, self.pid, choice, amendments=numbers, reason=reason
            ),
        )
        if receipt is None:
            return
        assert isinstance(receipt, voting.VoteReceipt)
        previous = self.votes.get(member)
        if previous and previous[:3] == (choice.value, numbers, reason.strip()):
            assert (receipt.version, receipt.receipt) == (
                previous[3],
                previous[4],
            )  # nothing changes
            return
        version = previous[3] + 1 if previous else 1
        assert (receipt.version, receipt.changed) == (version, version > 1)
        self.votes[member] = (choice.value, numbers, reason.strip(), version, receipt.receipt)
        self.log += 1

    @rule(actor=st.sampled_from([FACILITATOR, "arrangoer", "v001"]))
    def close(self, actor: str) -> None:
        code = {
            ProposalStatus.DRAFT: "voting.error.not_open",
            ProposalStatus.VOTING: None,
            ProposalStatus.CLOSED: "voting.error.already_closed",
        }[self.status]
        if actor == "v001":
            code = "voting.error.not_facilitator"
        result = self.expect(code, lambda: voting.close_voting(self.db, actor, self.pid))
        if result is not None:
            assert isinstance(result, voting.TallyResult)
            self.status = ProposalStatus.CLOSED
            self.frozen = Counter(v[0] for v in self.votes.values())
            assert result.outcome is not Outcome.OPEN
            self.log += 1

    @invariant()
    def services_agree_with_the_model(self) -> None:
        if not hasattr(self, "pid"):
            return
        result = voting.tally(self.db, self.pid)
        assert result.status is self.status
        expected = (
            self.frozen if self.frozen is not None else Counter(v[0] for v in self.votes.values())
        )
        if self.status is not ProposalStatus.DRAFT:
            assert result.counts.as_dict() == {c.value: expected[c.value] for c in Choice}
        mine = voting.get_my_vote(self.db, "v002", self.pid)
        model = self.votes.get("v002")
        assert (mine is None) == (model is None)
        if mine and model:
            assert (mine.choice.value, mine.amendments, mine.version, mine.receipt) == (
                model[0],
                model[1],
                model[3],
                model[4],
            )
        assert audit.head(self.db)[0] == self.log  # refusals wrote nothing

    def teardown(self) -> None:
        if hasattr(self, "db"):
            report = audit.verify(self.db)
            assert report.ok, report.problems[:3]


Lifecycle.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_voting_lifecycle = Lifecycle.TestCase
