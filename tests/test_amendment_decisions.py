"""Amendment decisions through the real services on SQLite and PostgreSQL (DESIGN §4):
every amendment rule, alternatives and ties, separate amendment votes, the adopted text and
its hash in the audit chain, and results frozen under an older rule."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from deliberate.domain.adopted import CarriedAmendment, build_adopted_text, text_sha256
from deliberate.domain.paragraphs import ParagraphOp, split_paragraphs
from deliberate.domain.rules import AmendmentRule, AmendmentStatus, Outcome, RuleSet
from deliberate.errors import UserError
from deliberate.services import audit, voting
from deliberate.services.adopted import adopted_text, amendment_states
from deliberate.store.engine import Database
from deliberate.store.models import AmendmentAnswer, AuditEntry, Tally, Vote, VoteHistory
from support.amendments import BODY, Amend, add_proposal, ballots, forum, run_vote

A, AWA, R = Outcome.ADOPTED, Outcome.ADOPTED_WITH_AMENDMENTS, Outcome.REJECTED
JA, BJ, U, N = "ja", "betinget-ja", "udskyd", "nej"
C, NC, S, T = (
    AmendmentStatus.CARRIED,
    AmendmentStatus.NOT_CARRIED,
    AmendmentStatus.SUPERSEDED,
    AmendmentStatus.TIED,
)
MORE_THAN_JA = RuleSet("gammel-pofo", amendments=AmendmentRule.MORE_THAN_JA)
SEPARATE = RuleSet("saerskilt", amendments=AmendmentRule.SEPARATE)
SEPARATE_2_3 = RuleSet(
    "saerskilt-2-3", amendments=AmendmentRule.SEPARATE, amendment_majority=Fraction(2, 3)
)
NONE = RuleSet("ingen", amendments=AmendmentRule.NONE)

# Three amendments: 1 replaces paragraph 2, 2 replaces paragraph 2 too (an alternative to 1),
# 3 is free text. Four: 4 deletes paragraph 4, in group 7 with 3 (explicit alternatives).
TWO_ON_P2 = [
    Amend("Fordobl midlerne", "replace", 2, "Kommunerne skal have dobbelt så mange midler."),
    Amend("Midler til alle", "replace", 2, "Alle foreninger skal have midler."),
    Amend("Ophøj til mærkesag", body="Gør afsnittet til en mærkesag."),
]
TWO_FREE = [Amend("Ophøj til mærkesag", body="Mærkesag."), Amend("Inddrag", body="Inddrag.")]
GROUPED = [
    Amend("Nyt første afsnit", "replace", 1, "Vi vil fordoble den frivillige indsats.", group=7),
    Amend("Indsæt afsnit", "insert_after", 1, "Frivillige skal anerkendes.", group=7),
    Amend("Slet evaluering", "delete", 4),
]

# (id, rules, amendments, ballots, outcome, carried, statuses by number)
SCENARIOS = [
    # The fair default: more than half of the yes-side (the case: one of five carried
    # an amendment under the old rule because nobody voted plain Ja).
    ("yes-side: 1 of 5 does not carry", "pofo", TWO_FREE,
     ballots((BJ, 1, (1,)), (BJ, 4, (2,))), AWA, (2,), {1: NC, 2: C}),
    ("more-than-ja: 1 of 5 carries", MORE_THAN_JA, TWO_FREE,
     ballots((BJ, 1, (1,)), (BJ, 4, (2,))), AWA, (1, 2), {1: C, 2: C}),
    ("yes-side: 3 of 5 carries", "pofo", TWO_ON_P2[2:],
     ballots((JA, 2), (BJ, 3, (1,)), (N, 1)), AWA, (1,), {1: C}),
    ("yes-side: exactly half does not", "majority", TWO_ON_P2[2:],
     ballots((JA, 2), (BJ, 2, (1,))), A, (), {1: NC}),
    ("not adopted: nothing carried", "pofo", TWO_ON_P2[2:],
     ballots((BJ, 2, (1,)), (N, 5)), R, (), {}),
    ("none: never carried", NONE, TWO_ON_P2[2:], ballots((BJ, 5, (1,))), A, (), {}),
    # Alternatives (same paragraph): the best supported of those that pass.
    ("alternatives: best wins", "pofo", TWO_ON_P2,
     ballots((BJ, 4, (1, 2, 3)), (BJ, 4, (1,)), (BJ, 2, (2,))), AWA, (1,), {1: C, 2: S, 3: NC}),
    ("alternatives: only one passes", "pofo", TWO_ON_P2,
     ballots((JA, 1), (BJ, 5, (2,)), (BJ, 2, (1,))), AWA, (2,), {1: NC, 2: C, 3: NC}),
    ("alternatives: tie carries none", "pofo", TWO_ON_P2,
     ballots((BJ, 6, (1, 2, 3))), AWA, (3,), {1: T, 2: T, 3: C}),
    ("explicit group: tie", MORE_THAN_JA, GROUPED,
     ballots((BJ, 3, (1, 2)), (BJ, 1, (3,))), AWA, (3,), {1: T, 2: T, 3: C}),
    ("explicit group: best wins", "pofo", GROUPED,
     ballots((BJ, 3, (1, 2)), (BJ, 2, (1, 3))), AWA, (1,), {1: C, 2: S, 3: NC}),
    # Separate votes: each amendment by its own majority.
    ("separate: own majority", SEPARATE, TWO_ON_P2[2:],
     ballots((JA, 3, (), {1: "ja"}), (N, 1, (), {1: "nej"}), (JA, 1, (), {1: "undlad"})),
     AWA, (1,), {1: C}),
    ("separate: tie is no majority", SEPARATE, TWO_ON_P2[2:],
     ballots((JA, 2, (), {1: "ja"}), (JA, 2, (), {1: "nej"})), A, (), {1: NC}),
    ("separate: two thirds needed", SEPARATE_2_3, TWO_ON_P2[2:],
     ballots((JA, 2, (), {1: "ja"}), (JA, 1, (), {1: "nej"})), A, (), {1: NC}),
    ("separate: alternatives tie", SEPARATE, TWO_ON_P2,
     ballots((JA, 3, (), {1: "ja", 2: "ja", 3: "nej"}), (N, 1, (), {1: "nej", 2: "nej"})),
     A, (), {1: T, 2: T, 3: NC}),
    ("separate: alternatives, best wins", SEPARATE, TWO_ON_P2,
     ballots((JA, 3, (), {1: "ja", 2: "ja"}), (JA, 1, (), {1: "ja", 2: "nej"})),
     AWA, (1,), {1: C, 2: S, 3: NC}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rules", "amendments", "cast", "outcome", "carried", "statuses"),
    [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS],
)
def test_amendment_rules(
    any_db: Database, rules, amendments, cast, outcome, carried, statuses
) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", amendments)
    result = run_vote(any_db, "p", voters, rules, cast)
    assert (result.outcome, result.carried_amendments) == (outcome, carried)
    assert result.decision is not None
    assert {v.number: v.status for v in result.decision.amendments} == statuses
    # Each amendment has a sentence with its numbers, in both languages.
    for lang in ("da", "en"):
        lines = result.amendment_explanations(lang)
        assert len(lines) == len(statuses)
        for line, v in zip(lines, result.decision.amendments, strict=True):
            assert str(v.number) in line and str(v.support) in line
        if T in statuses.values():
            assert any(w in result.explanation(lang) for w in ("står lige", "tied"))
    assert audit.verify(any_db).ok
    # The frozen result reads back the same, as `tally` and as `all_results`.
    again = voting.tally(any_db, "p")
    assert (again.outcome, again.carried_amendments) == (outcome, carried)
    assert again.decision == result.decision
    listed = {r.proposal_id: r for r in voting.all_results(any_db)}["p"]
    assert listed.decision == result.decision


def test_explanation_quotes_the_numbers(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    result = run_vote(any_db, "p", voters, "pofo", ballots((JA, 1), (BJ, 4, (2,))))
    da = result.amendment_explanations("da")[1].replace("\xa0", " ")
    assert da.startswith("Ændringsforslag 2 vedtaget: 4 af 5 stemmer på ja-siden")
    assert "(80 %)" in da
    en = result.amendment_explanations("en")[1]
    assert en.startswith("Amendment 2 carried: 4 of 5 votes on the yes-side") and "(80%)" in en


# ----------------------------------------------------------------------------- adopted text


def test_adopted_text_applies_carried_paragraph_changes(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", [*TWO_ON_P2, Amend("Slet evaluering", "delete", 4)])
    result = run_vote(any_db, "p", voters, "pofo", ballots((BJ, 4, (1, 3, 4)), (BJ, 1, (2,))))
    assert result.carried_amendments == (1, 3, 4)
    adopted = adopted_text(any_db, "p")
    paragraphs = [p.text for p in split_paragraphs(adopted.text)]
    assert paragraphs == [
        "Vi vil styrke den lokale og frivillige integrationsindsats.",
        "Kommunerne skal have dobbelt så mange midler.",
        "Frivillige skal have adgang til kurser i sprog og kultur.",
    ]
    assert adopted.sha256 == text_sha256(adopted.text) == result.adopted_sha256
    assert [a.number for a in adopted.instructions] == [3]  # the free-text amendment
    # The hash is in the close entry of the audit chain.
    with any_db.read() as s:
        close = s.scalars(select(AuditEntry).where(AuditEntry.action == audit.CLOSE)).one()
    assert json.loads(close.payload)["adopted_text_sha256"] == adopted.sha256


def test_not_adopted_has_no_adopted_text(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    run_vote(any_db, "p", voters, "pofo", ballots((N, 3), (JA, 1)))
    with pytest.raises(UserError) as err:
        adopted_text(any_db, "p", "en")
    assert "not adopted" in err.value.message("en")
    with any_db.read() as s:
        assert s.get(Tally, "p").adopted_text is None


def test_adopted_without_amendments_is_the_body(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    run_vote(any_db, "p", voters, "pofo", ballots((JA, 3)))
    assert adopted_text(any_db, "p").text == BODY


def test_verify_catches_an_edited_adopted_text(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    run_vote(any_db, "p", voters, "pofo", ballots((BJ, 3, (1,))))
    assert audit.verify(any_db).ok
    with any_db.write() as s:
        s.execute(
            update(Tally)
            .where(Tally.proposal_id == "p")
            .values(adopted_text=Tally.adopted_text + " Og mere.")
        )
    report = audit.verify(any_db, lang="en")
    assert not report.ok
    assert any("p" in line and "adopted_text" in line for line in report.problems)


def test_verify_catches_an_edited_adopted_hash(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    run_vote(any_db, "p", voters, "pofo", ballots((BJ, 3, (1,))))
    with any_db.write() as s:
        s.execute(update(Tally).values(adopted_sha256="0" * 64))
    assert not audit.verify(any_db).ok


def test_verify_catches_an_edited_ballot(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    run_vote(any_db, "p", voters, "pofo", ballots((BJ, 3, (1, 2))))
    with any_db.write() as s:
        s.execute(update(Tally).values(amendment_ballot='{"amendments":[1,2],"alternatives":{}}'))
    assert not audit.verify(any_db).ok


# --------------------------------------------------------------------------- separate votes


def test_separate_refuses_betinget_ja_and_changes_nothing(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    voting.open_voting(any_db, "ordstyrer", "p", rules=SEPARATE)
    before = audit.head(any_db)
    with pytest.raises(UserError) as err:
        voting.cast_vote(any_db, voters[0], "p", BJ, amendments=(1,))
    assert err.value.code == "voting.error.conditional_not_offered"
    assert "not offered" in err.value.message("en")
    for bad in ({9: "ja"}, {1: "kanske"}):
        with pytest.raises(UserError):
            voting.cast_vote(any_db, voters[0], "p", JA, amendment_votes=bad)
    assert audit.head(any_db) == before
    with any_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Vote)) == 0
        assert s.scalar(select(func.count()).select_from(AmendmentAnswer)) == 0


def test_amendment_votes_refused_without_separate(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    voting.open_voting(any_db, "ordstyrer", "p")
    with pytest.raises(UserError) as err:
        voting.cast_vote(any_db, voters[0], "p", JA, amendment_votes={1: "ja"})
    assert err.value.code == "voting.error.amendment_votes_not_separate"


def test_separate_answers_change_and_are_kept_in_history(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    voting.open_voting(any_db, "ordstyrer", "p", rules=SEPARATE)
    first = voting.cast_vote(any_db, voters[0], "p", JA, amendment_votes={1: "ja", 2: "nej"})
    same = voting.cast_vote(any_db, voters[0], "p", JA, amendment_votes={2: "no", 1: "yes"})
    assert same.version == first.version == 1  # an identical repeat changes nothing
    changed = voting.cast_vote(any_db, voters[0], "p", JA, amendment_votes={1: "undlad"})
    assert changed.version == 2
    mine = voting.get_my_vote(any_db, voters[0], "p")
    assert mine is not None and [(n, a.value) for n, a in mine.answers] == [(1, "undlad")]
    live = voting.tally(any_db, "p")
    assert live.counts.amendment_votes[1] == (0, 0, 1)
    with any_db.read() as s:
        history = s.scalars(select(VoteHistory.amendment_answers).order_by(VoteHistory.version))
        assert list(history) == ["1=ja,2=nej", "1=undlad"]
    assert audit.verify(any_db).ok


def test_verify_catches_an_edited_amendment_answer(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_ON_P2)
    voting.open_voting(any_db, "ordstyrer", "p", rules=SEPARATE)
    voting.cast_vote(any_db, voters[0], "p", JA, amendment_votes={1: "ja"})
    with any_db.write() as s:
        s.execute(update(AmendmentAnswer).values(answer="nej"))
    report = audit.verify(any_db, lang="en")
    assert not report.ok and any("amendment_votes" in line for line in report.problems)


# ------------------------------------------------------------------- amendment states, ballot


def test_adopted_and_withdrawn_amendments_are_not_on_the_ballot(any_db: Database) -> None:
    voters = forum(any_db)
    add_proposal(
        any_db,
        "p",
        [
            Amend("Overtaget", "replace", 2, "Allerede i teksten.", state="adopted"),
            Amend("Trukket", body="Trukket tilbage.", state="withdrawn"),
            Amend("På stemmesedlen", body="Stemmes der om."),
        ],
    )
    result = run_vote(any_db, "p", voters, "pofo", ballots((BJ, 3, (1, 2, 3))))
    assert result.carried_amendments == (3,)
    with any_db.read() as s:
        states = amendment_states(s, result)
    assert states == {1: "adopted", 2: "withdrawn", 3: "carried"}


# ------------------------------------------------------------ results frozen under old rules


def test_old_spec_without_the_key_means_more_than_ja() -> None:
    spec = RuleSet("pofo").to_dict()
    del spec["amendments"], spec["amendment_majority"]
    assert RuleSet.from_dict(spec).amendments is AmendmentRule.MORE_THAN_JA
    assert RuleSet("pofo").amendments is AmendmentRule.YES_SIDE_MAJORITY


def test_a_result_closed_under_more_than_ja_does_not_change(any_db: Database) -> None:
    """Closed under the rule of earlier versions: the stored rule set says more_than_ja, and
    the outcome, carried amendments and explanation read back unchanged."""
    voters = forum(any_db)
    add_proposal(any_db, "p", TWO_FREE)
    old_spec = MORE_THAN_JA.to_dict() | {"name": "pofo"}
    del old_spec["amendment_majority"]  # as earlier versions stored it
    result = run_vote(
        any_db, "p", voters, RuleSet.from_dict(old_spec), ballots((BJ, 1, (1,)), (BJ, 4, (2,)))
    )
    assert (result.outcome, result.carried_amendments) == (AWA, (1, 2))
    expected = (
        "Adopted with amendments 1 and 2: Yes and Conditional yes have 5 of 5 votes for and "
        "against (100%); more than 50% is required; amendments 1 (1 votes) and 2 (4 votes) are "
        "each named by more Conditional yes votes than there are Yes votes (0)."
    )
    assert voting.tally(any_db, "p").explanation("en") == expected
    assert audit.verify(any_db).ok


# --------------------------------------------------------------- the adopted-text builder


words = st.text(alphabet="abcæøå ", min_size=1, max_size=10).map(str.strip).filter(bool)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(paras=st.lists(words, min_size=1, max_size=7), data=st.data())
def test_builder_never_loses_or_duplicates_an_untouched_paragraph(paras, data) -> None:
    body = "\n\n".join(f"P{i} {t}" for i, t in enumerate(paras, start=1))
    n = len(paras)
    carried = []
    for k in range(1, data.draw(st.integers(0, 6)) + 1):
        if data.draw(st.booleans()):
            carried.append(CarriedAmendment(k, f"A{k}", text="fri tekst"))
            continue
        op = data.draw(st.sampled_from(list(ParagraphOp)))
        para = data.draw(st.integers(1, n + 1))  # n + 1: a paragraph that is not there
        carried.append(CarriedAmendment(k, f"A{k}", paragraph=para, op=op, new_text=f"NEW{k}"))
    adopted = build_adopted_text(body, carried)
    out = [p.text for p in split_paragraphs(adopted.text)]
    by_number = {a.number: a for a in carried}
    removed = {
        by_number[k].paragraph
        for k in adopted.applied
        if by_number[k].op is not ParagraphOp.INSERT_AFTER
    }
    for i, t in enumerate(paras, start=1):
        assert out.count(f"P{i} {t}") == (0 if i in removed else 1)
    # Every carried amendment is either applied or listed for the editors, never both.
    listed = {a.number for a in adopted.instructions}
    assert listed | set(adopted.applied) == set(by_number) and not listed & set(adopted.applied)
    for k in adopted.applied:
        if by_number[k].op is not ParagraphOp.DELETE:
            assert out.count(f"NEW{k}") == 1
    assert adopted.sha256 == text_sha256(adopted.text)
