"""The voting lifecycle end to end through the services, on SQLite and PostgreSQL:
every rule set and outcome, vote changes, deadlines, and every refusal (nothing written)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select, update

from deliberate.domain.ballot import Choice
from deliberate.domain.rules import Outcome
from deliberate.errors import UserError
from deliberate.i18n import has_message
from deliberate.i18n.explain import outcome_label
from deliberate.services import audit, members, scheduler, voting
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, Proposal, ProposalStatus, Tally, Vote, VoteHistory
from voting_harness import FACILITATOR, make_forum

A, AWA, P, R, B, NQ = (
    Outcome.ADOPTED,
    Outcome.ADOPTED_WITH_AMENDMENTS,
    Outcome.POSTPONED,
    Outcome.REJECTED,
    Outcome.BLOCKED,
    Outcome.NO_QUORUM,
)
JA, BJ, U, N, BL = "ja", "betinget-ja", "udskyd", "nej", "bloker"


def ballots(
    *groups: tuple[str, int] | tuple[str, int, tuple[int, ...]],
) -> list[tuple[str, tuple[int, ...]]]:
    out: list[tuple[str, tuple[int, ...]]] = []
    for group in groups:
        choice, n = group[0], group[1]
        numbers = group[2] if len(group) > 2 else ((1,) if choice == BJ else ())
        out += [(choice, numbers)] * n  # type: ignore[list-item]
    return out


# (rules, ballots, outcome, carried amendments) — each row runs through open, cast, close, tally.
SCENARIOS = [
    ("pofo", ballots((JA, 6), (N, 3)), A, ()),
    ("pofo", ballots((JA, 2), (BJ, 4, (1, 3)), (BJ, 1, (2,)), (N, 2)), AWA, (1, 3)),
    ("pofo", ballots((JA, 2), (U, 5), (N, 2)), P, ()),
    ("pofo", ballots((JA, 2), (N, 5)), R, ()),
    ("pofo", ballots((JA, 8), (BL, 1)), B, ()),  # 1 of 9 = 11 % >= 10 %
    ("pofo", [], NQ, ()),
    ("majority", ballots((JA, 5), (N, 3), (BL, 1)), A, ()),  # no veto
    ("majority", ballots((JA, 2), (U, 8), (N, 1)), A, ()),  # Udskyd abstains
    ("majority", ballots((JA, 3), (N, 3)), R, ()),
    ("majority", ballots((JA, 1), (BJ, 3, (2,))), AWA, (2,)),
    ("majority", [], NQ, ()),
    ("two-thirds", ballots((JA, 6), (N, 3)), A, ()),  # exactly 2/3
    ("two-thirds", ballots((JA, 5), (N, 3)), R, ()),
    ("two-thirds", ballots((BJ, 7, (1, 2)), (N, 1)), AWA, (1, 2)),
    ("two-thirds", [], NQ, ()),
    ("consensus", ballots((JA, 9), (BL, 1)), B, ()),  # one Bloker blocks
    ("consensus", ballots((JA, 4), (N, 3), (U, 3)), A, ()),
    ("consensus", ballots((JA, 3), (N, 3)), R, ()),
    ("consensus", ballots((JA, 1), (BJ, 2, (3,))), AWA, (3,)),
    ("consensus", [], NQ, ()),
    ("modified-consensus", ballots((JA, 5), (N, 2), (BL, 1)), B, ()),
    ("modified-consensus", ballots((JA, 9), (BL, 1)), A, ()),  # 90 % overrides the block
    ("modified-consensus", ballots((JA, 2), (N, 4)), R, ()),
    ("modified-consensus", ballots((BJ, 3, (1,))), AWA, (1,)),
    ("modified-consensus", [], NQ, ()),
]


@pytest.fixture
def forum(any_db: Database) -> Database:
    make_forum(any_db, voters=12, proposals={"p": 3, "q": 0, "r": 2}, no_vote=("gaest",))
    return any_db


def voter(i: int) -> str:
    return f"v{i:03d}"


def log_length(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def snapshot(db: Database) -> tuple:
    """Everything a refused action must leave untouched."""
    with db.read() as session:
        return (
            log_length(db),
            session.execute(
                select(Vote.proposal_id, Vote.member_id, Vote.choice, Vote.version).order_by(
                    Vote.id
                )
            ).all(),
            session.scalar(select(func.count()).select_from(VoteHistory)),
            session.execute(
                select(Proposal.id, Proposal.status, Proposal.closes_at).order_by(Proposal.id)
            ).all(),
            session.scalar(select(func.count()).select_from(Tally)),
        )


def run_scenario(
    db: Database, pid: str, rules: str, cast: list, outcome: Outcome, carried: tuple[int, ...]
) -> None:
    """Open `pid` under `rules`, cast the ballots, close, and check the result end to end."""
    opened = voting.open_voting(db, FACILITATOR, pid, rules=rules)
    assert opened.status is ProposalStatus.VOTING and opened.outcome is Outcome.OPEN
    assert opened.rules is not None and opened.rules.name == rules
    for i, (choice, numbers) in enumerate(cast):
        voting.cast_vote(
            db, voter(i), pid, choice, amendments=numbers, reason="fordi" if choice == BL else ""
        )
    live = voting.tally(db, pid)
    assert live.outcome is Outcome.OPEN and live.cast == len(cast) and live.eligible == 13
    closed = voting.close_voting(db, FACILITATOR, pid)
    assert (closed.outcome, closed.carried_amendments) == (outcome, carried), (rules, cast)
    again = voting.tally(db, pid)
    assert again == closed
    assert (
        again.status is ProposalStatus.CLOSED and again.cast == len(cast) and again.eligible == 13
    )
    as_json = again.as_json("en")
    assert list(as_json)[:9] == [
        "proposal",
        "status",
        "rules",
        "counts",
        "cast",
        "eligible",
        "outcome",
        "carried_amendments",
        "explanation",
    ]
    assert as_json["outcome"] == outcome.value and as_json["rules"] == rules
    assert set(as_json["counts"]) == {"ja", "betinget_ja", "udskyd", "nej", "bloker"}
    assert sum(as_json["counts"].values()) == as_json["cast"] == len(cast)
    assert again.explanation("da") != again.explanation("en")
    assert again.explanation("da").startswith(outcome_label(outcome, "da")[:1].upper())


@pytest.mark.parametrize(
    ("rules", "cast", "outcome", "carried"),
    SCENARIOS,
    ids=[f"{r}-{o.value}-{i}" for i, (r, _, o, _) in enumerate(SCENARIOS)],
)
def test_every_rule_set_and_outcome_end_to_end(
    sqlite_db: Database, rules: str, cast: list, outcome: Outcome, carried: tuple[int, ...]
) -> None:
    make_forum(sqlite_db, voters=12, proposals={"p": 3}, no_vote=("gaest",))
    run_scenario(sqlite_db, "p", rules, cast, outcome, carried)
    assert audit.verify(sqlite_db).ok


@pytest.mark.postgres
def test_every_rule_set_and_outcome_on_postgres(pg_db: Database) -> None:
    """The same table on a real PostgreSQL server, one proposal per row in one forum."""
    make_forum(
        pg_db, voters=12, proposals={f"s{i}": 3 for i in range(len(SCENARIOS))}, no_vote=("gaest",)
    )
    for i, scenario in enumerate(SCENARIOS):
        run_scenario(pg_db, f"s{i}", *scenario)
    assert audit.verify(pg_db).ok


def test_a_changed_vote_counts_once_and_every_change_is_kept(forum: Database) -> None:
    voting.open_voting(forum, FACILITATOR, "p")
    first = voting.cast_vote(forum, "v000", "p", "ja")
    assert (first.version, first.changed) == (1, False)
    second = voting.cast_vote(forum, "v000", "p", "betinget-ja", amendments=[2, 1, 2])
    assert (second.version, second.changed, second.amendments) == (2, True, (1, 2))
    third = voting.cast_vote(forum, "v000", "p", Choice.BLOKER, reason="  Kan ikke leve med det  ")
    assert third.reason == "Kan ikke leve med det" and third.version == 3
    assert len({first.receipt, second.receipt, third.receipt}) == 3
    mine = voting.get_my_vote(forum, "v000", "p")
    assert (
        mine is not None
        and mine.changed
        and mine.choice is Choice.BLOKER
        and mine.receipt == third.receipt
    )
    assert voting.get_my_votes(forum, "v000") == {"p": mine}
    assert voting.get_my_vote(forum, "v001", "p") is None
    counts = voting.tally(forum, "p").counts
    assert (counts.cast, counts.bloker, dict(counts.amendment_support)) == (1, 1, {})
    with forum.read() as session:
        history = session.execute(
            select(VoteHistory.version, VoteHistory.choice, VoteHistory.amendments)
        ).all()
    assert sorted(history) == [(1, "ja", ""), (2, "betinget_ja", "1,2"), (3, "bloker", "")]
    assert voting.participation(forum, "p") == (1, 13)


def test_repeating_the_same_vote_changes_nothing(forum: Database) -> None:
    voting.open_voting(forum, FACILITATOR, "p")
    first = voting.cast_vote(forum, "v000", "p", "betinget-ja", amendments=[1])
    before = snapshot(forum)
    again = voting.cast_vote(forum, "v000", "p", "conditional-yes", amendments=[1])
    assert again == first and snapshot(forum) == before


def test_receipt_is_derived_from_the_vote_log_entry(forum: Database) -> None:
    voting.open_voting(forum, FACILITATOR, "p")
    receipt = voting.cast_vote(forum, "v003", "p", "nej")
    seq, head_hash = audit.head(forum)
    assert audit.receipt_code(head_hash) == receipt.receipt
    assert len(receipt.receipt) == 9 and receipt.receipt[4] == "-"
    entry = list(audit.entries(forum))[-1]
    assert entry.seq == seq and entry.action == audit.VOTE and entry.payload["member"] == "v003"


def test_deadline_refuses_a_late_vote_and_reads_show_it_closed(
    forum: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    voting.open_voting(forum, FACILITATOR, "p", closes_at=now + dt.timedelta(hours=1))
    voting.open_voting(forum, FACILITATOR, "r", closes_at=now + dt.timedelta(hours=1))
    voting.cast_vote(forum, "v000", "p", "ja")
    voting.cast_vote(forum, "v001", "r", "nej")
    later = now + dt.timedelta(hours=2)
    monkeypatch.setattr(voting, "utcnow", lambda: later)
    before = log_length(forum)
    with pytest.raises(UserError) as err:
        voting.cast_vote(forum, "v001", "p", "ja")
    assert err.value.code == "voting.error.deadline_passed"
    result = voting.tally(forum, "p")
    assert result.status is ProposalStatus.CLOSED and result.cast == 1 and result.outcome is A
    assert result.closed_at == now + dt.timedelta(hours=1)  # closed as of the deadline
    assert log_length(forum) == before  # neither the refused vote nor the read wrote
    # The scheduler writes the closes, as of the deadline, with the result the reads showed.
    report = scheduler.run_scheduler(forum, later)
    assert sorted(report.closed) == ["p", "r"]
    assert voting.tally(forum, "p") == result
    assert scheduler.run_scheduler(forum, later).moved == ()
    assert audit.verify(forum).ok


def test_scheduler_and_all_results(forum: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    now = dt.datetime.now(dt.UTC)
    voting.open_voting(forum, FACILITATOR, "p", closes_at=now + dt.timedelta(minutes=5))
    voting.open_voting(forum, FACILITATOR, "r")
    voting.cast_vote(forum, "v000", "r", "betinget-ja", amendments=[2])
    monkeypatch.setattr(voting, "utcnow", lambda: now + dt.timedelta(minutes=6))
    assert scheduler.run_scheduler(forum, now + dt.timedelta(minutes=6)).closed == ["p"]
    assert scheduler.run_scheduler(forum, now + dt.timedelta(minutes=6)).closed == []
    results = {r.proposal_id: r for r in voting.all_results(forum)}
    assert results["p"].outcome is NQ and results["p"].status is ProposalStatus.CLOSED
    assert results["q"].status is ProposalStatus.DRAFT and results["q"].as_json()["outcome"] is None
    assert results["r"].outcome is Outcome.OPEN and dict(results["r"].counts.amendment_support) == {
        2: 1
    }
    assert results["r"] == voting.tally(forum, "r")


def test_extend_moves_or_removes_the_deadline(forum: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    voting.open_voting(forum, FACILITATOR, "p", closes_at=now + dt.timedelta(hours=1))
    moved = voting.extend_deadline(forum, FACILITATOR, "p", now + dt.timedelta(hours=3))
    assert moved.closes_at == now + dt.timedelta(hours=3)
    assert voting.extend_deadline(forum, "arrangoer", "p", None).closes_at is None
    with pytest.raises(UserError) as err:
        voting.extend_deadline(forum, "v000", "p", None)
    assert err.value.code == "voting.error.not_facilitator"
    assert [e.action for e in audit.entries(forum)] == ["open", "extend", "extend"]


def test_eligible_is_frozen_at_close(forum: Database) -> None:
    voting.open_voting(forum, FACILITATOR, "p")
    voting.cast_vote(forum, "v000", "p", "ja")
    members.remove_member(forum, "v011")
    assert voting.tally(forum, "p").eligible == 12
    voting.close_voting(forum, "arrangoer", "p")
    members.add_member(forum, "ny", "Ny")
    assert voting.tally(forum, "p").eligible == 12
    assert voting.participation(forum, "p") == (1, 12)


def _refusals(now: dt.datetime) -> list[tuple[str, object, str]]:
    past = now - dt.timedelta(minutes=1)
    return [
        (
            "unknown proposal",
            lambda db: voting.cast_vote(db, "v000", "nope", "ja"),
            "unknown_proposal",
        ),
        ("unknown member", lambda db: voting.cast_vote(db, "nobody", "p", "ja"), "unknown_member"),
        ("unknown choice", lambda db: voting.cast_vote(db, "v000", "p", "maybe"), "unknown_choice"),
        (
            "conditional needs an amendment",
            lambda db: voting.cast_vote(db, "v000", "p", "betinget-ja"),
            "voting.error.conditional_needs_amendment",
        ),
        (
            "amendment out of range",
            lambda db: voting.cast_vote(db, "v000", "p", "betinget-ja", amendments=[4]),
            "voting.error.amendment_out_of_range",
        ),
        (
            "amendment zero",
            lambda db: voting.cast_vote(db, "v000", "p", "betinget-ja", amendments=[0]),
            "voting.error.amendment_out_of_range",
        ),
        (
            "amendment on a proposal without",
            lambda db: voting.cast_vote(db, "v000", "q2", "betinget-ja", amendments=[1]),
            "voting.error.no_amendments",
        ),
        (
            "amendments with ja",
            lambda db: voting.cast_vote(db, "v000", "p", "ja", amendments=[1]),
            "voting.error.amendments_only_conditional",
        ),
        (
            "block without reason",
            lambda db: voting.cast_vote(db, "v000", "p", "bloker", reason="   "),
            "voting.error.block_needs_reason",
        ),
        (
            "reason too long",
            lambda db: voting.cast_vote(db, "v000", "p", "nej", reason="x" * 2001),
            "voting.error.reason_too_long",
        ),
        (
            "no right to vote",
            lambda db: voting.cast_vote(db, "gaest", "p", "ja"),
            "voting.error.no_right_to_vote",
        ),
        (
            "facilitator without vote",
            lambda db: voting.cast_vote(db, FACILITATOR, "p", "ja"),
            "voting.error.no_right_to_vote",
        ),
        ("inactive member", lambda db: voting.cast_vote(db, "v011", "p", "ja"), "inactive_member"),
        (
            "vote on a draft",
            lambda db: voting.cast_vote(db, "v000", "r", "ja"),
            "voting.error.not_open",
        ),
        (
            "vote on a closed proposal",
            lambda db: voting.cast_vote(db, "v000", "c", "ja"),
            "voting.error.closed",
        ),
        (
            "member opens",
            lambda db: voting.open_voting(db, "v000", "r"),
            "voting.error.not_facilitator",
        ),
        (
            "member closes",
            lambda db: voting.close_voting(db, "v000", "p"),
            "voting.error.not_facilitator",
        ),
        ("unknown closer", lambda db: voting.close_voting(db, "nobody", "p"), "unknown_member"),
        (
            "open twice",
            lambda db: voting.open_voting(db, FACILITATOR, "p"),
            "voting.error.already_open",
        ),
        ("reopen", lambda db: voting.open_voting(db, FACILITATOR, "c"), "voting.error.reopen"),
        (
            "close twice",
            lambda db: voting.close_voting(db, FACILITATOR, "c"),
            "voting.error.already_closed",
        ),
        (
            "close a draft",
            lambda db: voting.close_voting(db, FACILITATOR, "r"),
            "voting.error.not_open",
        ),
        (
            "system close before the deadline",
            lambda db: voting.close_voting(db, None, "p"),
            "voting.error.not_expired",
        ),
        (
            "unknown rule set",
            lambda db: voting.open_voting(db, FACILITATOR, "r", rules="unanimity"),
            "rules.error.unknown_name",
        ),
        (
            "deadline in the past",
            lambda db: voting.open_voting(db, FACILITATOR, "r", closes_at=past),
            "voting.error.deadline_in_past",
        ),
        (
            "extend into the past",
            lambda db: voting.extend_deadline(db, FACILITATOR, "p", past),
            "voting.error.deadline_in_past",
        ),
        (
            "extend a closed vote",
            lambda db: voting.extend_deadline(db, FACILITATOR, "c", None),
            "voting.error.closed",
        ),
        (
            "open an unknown proposal",
            lambda db: voting.open_voting(db, FACILITATOR, "nope"),
            "unknown_proposal",
        ),
        ("tally of an unknown proposal", lambda db: voting.tally(db, "nope"), "unknown_proposal"),
    ]


REFUSALS = [name for name, _, _ in _refusals(dt.datetime.now(dt.UTC))]


def refusal_forum(db: Database) -> None:
    make_forum(db, voters=12, proposals={"p": 3, "q2": 0, "r": 2, "c": 1}, no_vote=("gaest",))
    voting.open_voting(db, FACILITATOR, "p")
    voting.open_voting(db, FACILITATOR, "q2")
    voting.open_voting(db, FACILITATOR, "c")
    voting.cast_vote(db, "v000", "p", "nej")
    voting.close_voting(db, FACILITATOR, "c")
    members.remove_member(db, "v011")


def check_refusal(db: Database, name: str) -> None:
    action, code = next((a, c) for n, a, c in _refusals(dt.datetime.now(dt.UTC)) if n == name)
    before = snapshot(db)
    with pytest.raises(UserError) as err:
        action(db)  # type: ignore[operator]
    assert err.value.code == code, name
    assert has_message(code)
    for lang in ("da", "en"):
        message = err.value.message(lang)
        assert "\n" not in message and "{" not in message and len(message) < 200
    assert snapshot(db) == before, name


@pytest.mark.parametrize("name", REFUSALS)
def test_every_refusal_is_one_clear_message_and_writes_nothing(
    sqlite_db: Database, name: str
) -> None:
    refusal_forum(sqlite_db)
    check_refusal(sqlite_db, name)
    assert audit.verify(sqlite_db).ok


@pytest.mark.postgres
def test_every_refusal_on_postgres(pg_db: Database) -> None:
    """Refusals write nothing, so they can all run one after another on one forum."""
    refusal_forum(pg_db)
    for name in REFUSALS:
        check_refusal(pg_db, name)
    assert audit.verify(pg_db).ok


def test_closing_freezes_counts_even_if_votes_change_later_in_the_table(forum: Database) -> None:
    """The frozen tally is what `tally` shows; tampering with votes afterwards shows up in
    verify, not in the result."""
    voting.open_voting(forum, FACILITATOR, "p")
    voting.cast_vote(forum, "v000", "p", "ja")
    voting.close_voting(forum, FACILITATOR, "p")
    with forum.write() as session:
        session.execute(update(Vote).values(choice="nej"))
    assert voting.tally(forum, "p").counts.ja == 1
    report = audit.verify(forum, lang="en")
    assert not report.ok and any("v000" in p and "choice" in p for p in report.problems)


def test_a_vote_reads_its_context_in_one_statement_after_the_head_lock(
    any_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Statements per vote, as the vote path logs them (it runs them on the DB-API cursor,
    see store.direct): the audit head lock first (the one locking order, see voting._lock),
    then ONE read of the proposal (locked for share), the voter and their current vote with
    what it names; then the writes."""
    make_forum(any_db, voters=2, proposals={"p": 2})
    voting.open_voting(any_db, FACILITATOR, "p")
    shapes = []
    for choice, amendments in (("ja", []), ("betinget-ja", [1]), ("nej", [])):
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="deliberate.store.direct"):
            voting.cast_vote(any_db, "v000", "p", choice, amendments=amendments)
        seen = [
            " ".join(r.getMessage().split())
            for r in caplog.records
            if r.name == "deliberate.store.direct"
        ]
        shapes.append([" ".join(s.split()[:3]) for s in seen])
        assert seen[0].startswith("SELECT audit_head.seq, audit_head.hash FROM audit_head")
        assert "FROM proposals LEFT OUTER JOIN members" in seen[1]
        if any_db.is_postgres:
            assert seen[0].endswith("FOR UPDATE") and seen[1].endswith("FOR SHARE OF proposals")
    reads = [[s for s in shape if s.startswith("SELECT")] for shape in shapes]
    assert [len(r) for r in reads] == [2, 2, 2]
    assert [len(shape) for shape in shapes] == [6, 7, 7]
    current = voting.get_my_vote(any_db, "v000", "p")
    assert current is not None and current.choice == Choice.NEJ and current.version == 3
    assert audit.verify(any_db).ok
