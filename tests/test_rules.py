"""Decision rules (DESIGN §4): every built-in, every outcome, thresholds, explanations, TOML."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deliberate.domain.alternatives import OnBallot, alternative_groups
from deliberate.domain.ballot import Choice
from deliberate.domain.rules import (
    BUILTIN_RULES,
    DEFAULT_RULES,
    AmendmentRule,
    Comparison,
    Counts,
    Decision,
    MajorityBase,
    Outcome,
    PostponeRule,
    QuorumBase,
    RuleSet,
    decide,
)
from deliberate.errors import UserError
from deliberate.i18n import has_message
from deliberate.i18n.explain import describe_rules, explain, explain_amendments, outcome_label
from deliberate.services.rulesets import load_rules

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
ADOPTED = {Outcome.ADOPTED, Outcome.ADOPTED_WITH_AMENDMENTS}


def plain(text: str) -> str:
    """Babel puts a no-break space before % in Danish."""
    return text.replace("\xa0", " ")


def counts(**kw: object) -> Counts:
    kw.setdefault("eligible", 100)
    return Counts(**kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- scenario table

A, AWA, P, R, B, NQ = (
    Outcome.ADOPTED,
    Outcome.ADOPTED_WITH_AMENDMENTS,
    Outcome.POSTPONED,
    Outcome.REJECTED,
    Outcome.BLOCKED,
    Outcome.NO_QUORUM,
)
SUPPORT = {"amendment_support": {1: 15, 2: 3, 3: 13}, "amendment_count": 3}

# (rules, counts, outcome, reason, carried amendments)
SCENARIOS: list[tuple[str, dict, Outcome, str, tuple[int, ...]]] = [
    # pofo
    ("pofo", dict(ja=20, nej=10), A, "majority_yes", ()),
    ("pofo", dict(ja=5, betinget_ja=20, nej=3, **SUPPORT), AWA, "majority_yes", (1, 3)),
    ("pofo", dict(ja=5, udskyd=20, nej=3), P, "postponed", ()),
    ("pofo", dict(ja=5, nej=10), R, "no_majority", ()),
    ("pofo", dict(ja=20, betinget_ja=5, nej=10, bloker=5), B, "blocked", ()),
    ("pofo", dict(), NQ, "no_votes", ()),
    ("pofo", dict(ja=9, bloker=1), B, "blocked", ()),  # exactly 10 %
    ("pofo", dict(ja=10, bloker=1), A, "majority_yes", ()),  # 9.09 %
    ("pofo", dict(ja=90, nej=10, bloker=11), A, "majority_yes", ()),  # 11 of 111: 9.9 %
    ("pofo", dict(ja=5, nej=5), R, "no_majority", ()),  # tie
    ("pofo", dict(ja=10, nej=9, bloker=1), R, "no_majority", ()),  # tie with Bloker under 10 %
    ("pofo", dict(ja=5, udskyd=5, nej=1), A, "majority_yes", ()),  # Udskyd ties the yes-side
    ("pofo", dict(ja=1, udskyd=5, nej=5), R, "no_majority", ()),  # Udskyd ties the no-side
    ("pofo", dict(ja=2, udskyd=20, bloker=3), B, "blocked", ()),  # block before postpone
    ("pofo", dict(ja=5, udskyd=6), P, "postponed", ()),
    ("pofo", dict(udskyd=1), P, "postponed", ()),
    # majority: no veto, Udskyd abstains
    ("majority", dict(ja=6, nej=2, bloker=2), A, "majority_yes", ()),
    ("majority", dict(ja=2, udskyd=10, nej=1), A, "majority_yes", ()),
    ("majority", dict(ja=3, nej=2, bloker=1), R, "no_majority", ()),
    ("majority", dict(udskyd=3), R, "no_decisive_votes", ()),
    ("majority", dict(ja=5, betinget_ja=20, nej=3, **SUPPORT), AWA, "majority_yes", (1, 3)),
    ("majority", dict(), NQ, "no_votes", ()),
    # two-thirds
    ("two-thirds", dict(ja=20, nej=10), A, "majority_yes", ()),  # exactly 2/3
    ("two-thirds", dict(ja=19, nej=10), R, "no_majority", ()),
    ("two-thirds", dict(ja=10, betinget_ja=10, nej=5, bloker=5), A, "majority_yes", ()),
    ("two-thirds", dict(ja=2, udskyd=100, nej=1), A, "majority_yes", ()),
    ("two-thirds", dict(ja=2, bloker=2), R, "no_majority", ()),
    ("two-thirds", dict(ja=4, betinget_ja=18, nej=1, **SUPPORT), AWA, "majority_yes", (1, 3)),
    ("two-thirds", dict(udskyd=4), R, "no_decisive_votes", ()),
    ("two-thirds", dict(), NQ, "no_votes", ()),
    # consensus: any Bloker blocks
    ("consensus", dict(ja=99, bloker=1), B, "blocked", ()),
    ("consensus", dict(ja=3, nej=2, udskyd=10), A, "majority_yes", ()),
    ("consensus", dict(ja=2, nej=2), R, "no_majority", ()),
    ("consensus", dict(ja=5, betinget_ja=20, nej=3, **SUPPORT), AWA, "majority_yes", (1, 3)),
    ("consensus", dict(), NQ, "no_votes", ()),
    # modified consensus: Bloker blocks unless the yes-side is at least 90 % of cast
    ("modified-consensus", dict(ja=9, bloker=1), A, "block_overridden", ()),  # exactly 90 %
    ("modified-consensus", dict(ja=8, nej=1, bloker=1), B, "blocked", ()),
    ("modified-consensus", dict(ja=9, udskyd=1, bloker=1), B, "blocked", ()),  # Udskyd is cast
    ("modified-consensus", dict(ja=6, nej=5), A, "majority_yes", ()),
    ("modified-consensus", dict(ja=5, nej=5), R, "no_majority", ()),
    ("modified-consensus", dict(ja=5, nej=4, bloker=1, udskyd=0), B, "blocked", ()),
    (
        "modified-consensus",
        dict(ja=1, betinget_ja=18, bloker=1, amendment_support={2: 10}),
        AWA,
        "block_overridden",
        (2,),
    ),
    ("modified-consensus", dict(), NQ, "no_votes", ()),
]


@pytest.mark.parametrize(("name", "kw", "outcome", "reason", "carried"), SCENARIOS)
def test_scenarios(name: str, kw: dict, outcome: Outcome, reason: str, carried: tuple) -> None:
    decision = decide(BUILTIN_RULES[name], counts(**kw))
    assert (decision.outcome, decision.reason, decision.carried_amendments) == (
        outcome,
        reason,
        carried,
    )
    for lang in ("da", "en"):
        text = explain(decision, lang)
        assert text.endswith(".") and ". " not in text and "{" not in text
        assert text.lower().startswith(outcome_label(outcome, lang).split()[0])


def test_every_builtin_reaches_every_outcome_it_can() -> None:
    seen = {(name, o) for name, _, o, _, _ in SCENARIOS}
    for name in BUILTIN_RULES:
        expected = {A, AWA, R, NQ}
        if name != "majority" and name != "two-thirds":
            expected.add(B)
        if name == "pofo":
            expected.add(P)
        assert expected <= {o for n, o in seen if n == name}, name


def test_builtin_names() -> None:
    assert set(BUILTIN_RULES) == {
        "pofo",
        "majority",
        "two-thirds",
        "consensus",
        "modified-consensus",
    }
    assert DEFAULT_RULES == "pofo"
    for name, rules in BUILTIN_RULES.items():
        assert rules.name == name


# -------------------------------------------------------------------------------- exact thresholds


def test_two_thirds_is_exact_with_huge_numbers() -> None:
    rules = BUILTIN_RULES["two-thirds"]
    big = 10**18
    assert decide(rules, counts(ja=2 * big, nej=big)).outcome is A
    assert decide(rules, counts(ja=2 * big - 1, nej=big)).outcome is R
    assert decide(rules, counts(ja=2 * big, nej=big + 1)).outcome is R


def test_block_threshold_is_exact_with_huge_numbers() -> None:
    rules = BUILTIN_RULES["pofo"]
    big = 10**18
    assert decide(rules, counts(ja=9 * big, bloker=big)).outcome is B
    assert decide(rules, counts(ja=9 * big + 1, bloker=big)).outcome is A


@pytest.mark.parametrize("total", range(1, 40))
def test_two_thirds_matches_integer_spec(total: int) -> None:
    for yes in range(total + 1):
        got = decide(BUILTIN_RULES["two-thirds"], counts(ja=yes, nej=total - yes)).outcome
        assert (got is A) == (3 * yes >= 2 * total)


def test_quorum_share_and_votes() -> None:
    half = RuleSet("half", quorum=Fraction(1, 2))
    assert decide(half, counts(ja=19, eligible=40)).reason == "below_quorum"
    assert decide(half, counts(ja=20, eligible=40)).outcome is A
    assert decide(half, counts(ja=20, eligible=41)).reason == "below_quorum"  # needs 20.5
    assert decide(half, counts(ja=21, eligible=41)).outcome is A
    twenty = RuleSet("twenty", quorum_votes=20)
    assert decide(twenty, counts(ja=19)).outcome is NQ
    assert decide(twenty, counts(ja=20)).outcome is A
    both = RuleSet("both", quorum=Fraction(1, 4), quorum_votes=5)
    assert both.required_votes(8) == 5 and both.required_votes(100) == 25
    assert decide(half, counts(ja=1, eligible=0)).outcome is A  # no members known: no share


def test_quorum_comes_before_block() -> None:
    rules = RuleSet("q", quorum=Fraction(1, 2))
    assert decide(rules, counts(bloker=5, eligible=40)).outcome is NQ


# ------------------------------------------------------------------------------------- amendments


def test_amendment_needs_more_support_than_ja() -> None:
    pofo = RuleSet("old-pofo", amendments=AmendmentRule.MORE_THAN_JA)
    tie = counts(ja=6, betinget_ja=10, amendment_support={1: 6, 2: 7})
    assert decide(pofo, tie).carried_amendments == (2,)
    none = counts(ja=6, betinget_ja=10, amendment_support={1: 6})
    assert decide(pofo, none).outcome is A


def test_amendment_count_limits_numbers() -> None:
    pofo = BUILTIN_RULES["pofo"]
    support = {5: 10, 0: 10, 2: 10}
    assert decide(
        pofo, counts(betinget_ja=10, amendment_support=support, amendment_count=3)
    ).carried_amendments == (2,)
    assert decide(pofo, counts(betinget_ja=10, amendment_support=support)).carried_amendments == (
        2,
        5,
    )  # count unknown: every number >= 1


def test_no_amendments_unless_adopted() -> None:
    c = counts(betinget_ja=3, nej=10, amendment_support={1: 3})
    assert decide(BUILTIN_RULES["pofo"], c).carried_amendments == ()


def test_amendment_rule_none() -> None:
    rules = RuleSet("plain", amendments=AmendmentRule.NONE)
    d = decide(rules, counts(betinget_ja=10, amendment_support={1: 10}))
    assert d.outcome is A and d.carried_amendments == ()


def test_carried_amendments_sorted() -> None:
    c = Counts(betinget_ja=9, eligible=9, amendment_support={3: 6, 1: 5, 2: 7})
    assert decide(BUILTIN_RULES["pofo"], c).carried_amendments == (1, 2, 3)


# ----------------------------------------------------------------------------------- explanations


def test_blocked_sentence_matches_design() -> None:
    d = decide(BUILTIN_RULES["pofo"], counts(ja=20, betinget_ja=5, nej=10, bloker=5))
    assert plain(explain(d, "da")) == (
        "Blokeret: 5 af 40 afgivne stemmer (12,5 %) er Bloker; grænsen er 10 %."
    )
    assert (
        explain(d, "en") == "Blocked: 5 of 40 votes cast (12.5%) are Block; the threshold is 10%."
    )
    assert explain(d) == explain(d, "da")


def test_amendment_sentences() -> None:
    d = decide(BUILTIN_RULES["pofo"], counts(ja=5, betinget_ja=20, nej=3, **SUPPORT))
    da, en = plain(explain(d, "da")), explain(d, "en")
    assert da.startswith("Vedtaget med ændringsforslag 1 og 3: ")
    assert en.startswith("Adopted with amendments 1 and 3: ")
    for text in (da, en):
        assert "25" in text and "28" in text and "15" in text and "(25)" in text
    one = decide(BUILTIN_RULES["pofo"], counts(ja=5, betinget_ja=20, amendment_support={2: 13}))
    assert explain(one, "en").startswith("Adopted with amendment 2: ")
    assert explain(one, "da").startswith("Vedtaget med ændringsforslag 2: ")


EXPECTED_NUMBERS: list[tuple[str, dict, list[str], list[str]]] = [
    ("pofo", dict(ja=20, nej=10), ["20 af 30", "66,7 %", "50 %"], ["20 of 30", "66.7%", "50%"]),
    ("pofo", dict(ja=5, nej=10), ["5 af 15", "33,3 %"], ["5 of 15", "33.3%"]),
    ("pofo", dict(ja=5, udskyd=20, nej=3), ["20 af 28", "(5)", "(3)"], ["20 of 28", "(5)", "(3)"]),
    ("pofo", dict(), ["ikke afgivet"], ["no votes"]),
    ("two-thirds", dict(ja=20, nej=10), ["mindst 66,7 %"], ["at least 66.7%"]),
    ("consensus", dict(ja=30, bloker=1), ["1 af 31", "én Bloker"], ["1 of 31", "single Block"]),
    (
        "modified-consensus",
        dict(ja=8, nej=1, bloker=1),
        ["1 af 10", "8 (80 %)", "90 %"],
        ["1 of 10", "8 (80%)", "90%"],
    ),
    (
        "modified-consensus",
        dict(ja=36, nej=3, bloker=1),
        ["trods Bloker (1)", "36 af 40", "(90 %)"],
        ["despite Block (1)", "36 of 40", "(90%)"],
    ),
    ("majority", dict(udskyd=3), ["3 afgivne"], ["3 votes cast"]),
    ("pofo", dict(ja=1234, nej=1000), ["1.234 af 2.234"], ["1,234 of 2,234"]),
]


@pytest.mark.parametrize(("name", "kw", "da", "en"), EXPECTED_NUMBERS)
def test_explanations_carry_numbers(name: str, kw: dict, da: list[str], en: list[str]) -> None:
    d = decide(BUILTIN_RULES[name], counts(**kw))
    for part in da:
        assert part in plain(explain(d, "da")), (part, explain(d, "da"))
    for part in en:
        assert part in explain(d, "en"), (part, explain(d, "en"))


def test_below_quorum_sentence() -> None:
    d = decide(RuleSet("q", quorum=Fraction(1, 4)), counts(ja=9, eligible=40))
    assert explain(d, "en") == (
        "No quorum: 9 of 40 eligible members voted (22.5%); at least 10 votes cast are required."
    )
    assert plain(explain(d, "da")).startswith("Ikke beslutningsdygtig: 9 af 40 stemmeberettigede")


def test_percent_never_rounds_onto_the_threshold() -> None:
    blocked = decide(BUILTIN_RULES["pofo"], counts(ja=9000, bloker=1001))  # 10.009 %
    assert blocked.outcome is B and "(10.01%)" in explain(blocked, "en")
    rejected = decide(BUILTIN_RULES["two-thirds"], counts(ja=19999, nej=10001))  # 66.663 %
    assert rejected.outcome is R and "(66.66%)" in explain(rejected, "en")
    assert "(66,66 %)" in plain(explain(rejected, "da"))


def test_open_result_line() -> None:
    d = Decision.voting_open(counts(ja=3, nej=1, eligible=10))
    assert d.outcome is Outcome.OPEN
    assert explain(d, "en") == "Voting open: 4 of 10 eligible members have voted so far."
    assert explain(d, "da").startswith("Afstemning åben: 4 af 10")


def test_unknown_reason_falls_back_to_outcome() -> None:
    assert explain(Decision(R, (), "made_up", {}), "en") == "Rejected."


def test_decision_round_trips_through_json() -> None:
    d = decide(
        BUILTIN_RULES["modified-consensus"],
        counts(ja=1, betinget_ja=18, bloker=1, amendment_support={2: 10}),
    )
    again = Decision.from_dict(json.loads(json.dumps(d.to_dict())))
    assert again == d and explain(again, "da") == explain(d, "da")


LABELS = {
    Outcome.OPEN: ("afstemning åben", "voting open"),
    A: ("vedtaget", "adopted"),
    AWA: ("vedtaget med ændringer", "adopted with amendments"),
    P: ("udskudt", "postponed"),
    R: ("forkastet", "rejected"),
    B: ("blokeret", "blocked"),
    NQ: ("ikke beslutningsdygtig", "no quorum"),
}


@pytest.mark.parametrize("outcome", list(Outcome))
def test_outcome_labels(outcome: Outcome) -> None:
    assert (outcome_label(outcome, "da"), outcome_label(outcome, "en")) == LABELS[outcome]


@pytest.mark.parametrize("name", list(BUILTIN_RULES))
def test_describe(name: str) -> None:
    rules = BUILTIN_RULES[name]
    for lang in ("da", "en"):
        text = plain(describe_rules(rules, lang))
        assert text.endswith(".") and "{" not in text and 1 <= text.count(". ") + 1 <= 2
    assert ("66,7 %" in plain(describe_rules(rules, "da"))) == (name == "two-thirds")
    assert ("90%" in describe_rules(rules, "en")) == (name == "modified-consensus")


DOC_EXAMPLES: list[tuple[str, dict]] = [
    ("pofo", dict(ja=18, betinget_ja=7, udskyd=3, nej=10, bloker=2)),
    (
        "pofo",
        dict(
            ja=6,
            betinget_ja=22,
            udskyd=2,
            nej=8,
            bloker=1,
            amendment_support={1: 15, 2: 4, 3: 9},
            amendment_count=3,
        ),
    ),
    ("pofo", dict(ja=8, betinget_ja=2, udskyd=15, nej=9, bloker=1)),
    ("pofo", dict(ja=12, betinget_ja=3, udskyd=4, nej=14, bloker=3)),
    ("pofo", dict(ja=20, betinget_ja=5, nej=10, bloker=5)),
    ("pofo", dict()),
    ("majority", dict(ja=14, betinget_ja=2, udskyd=9, nej=10, bloker=5)),
    ("two-thirds", dict(ja=19, betinget_ja=4, udskyd=6, nej=10, bloker=2)),
    ("consensus", dict(ja=30, betinget_ja=5, udskyd=2, nej=4, bloker=1)),
    ("modified-consensus", dict(ja=40, betinget_ja=5, udskyd=1, nej=2, bloker=2)),
    ("modified-consensus", dict(ja=35, betinget_ja=5, udskyd=1, nej=7, bloker=2)),
]


@pytest.mark.parametrize(("name", "kw"), DOC_EXAMPLES)
def test_docs_quote_real_explanations(name: str, kw: dict) -> None:
    docs = (EXAMPLES.parent / "rules.md").read_text()
    assert f"> {explain(decide(BUILTIN_RULES[name], counts(**kw)), 'en')}\n" in docs


# ---------------------------------------------------------------------------------- rule files


def write(tmp_path: Path, text: str | bytes, name: str = "rules.toml") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_examples_load(path: Path) -> None:
    rules = load_rules(str(path))
    assert rules.name == path.stem and rules.description
    assert RuleSet.from_dict(rules.to_dict()) == rules


def test_examples_exist() -> None:
    assert len(list(EXAMPLES.glob("*.toml"))) >= 2


def test_example_values() -> None:
    landsmode = load_rules(str(EXAMPLES / "landsmode-2027.toml"))
    assert landsmode.quorum == Fraction(1, 4)
    assert decide(landsmode, counts(ja=24, eligible=100)).outcome is NQ
    statutes = load_rules(str(EXAMPLES / "vedtaegtsaendring.toml"))
    assert (
        statutes.block_threshold == Fraction(1, 20) and statutes.majority_base is MajorityBase.CAST
    )
    assert decide(statutes, counts(ja=13, udskyd=6)).outcome is NQ  # 19 votes
    assert decide(statutes, counts(ja=14, udskyd=7)).outcome is A  # exactly 2/3 of cast
    assert decide(statutes, counts(ja=13, udskyd=7)).outcome is R  # Udskyd counts against


def test_custom_file_defaults_to_pofo(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, 'name = "x"\nquorum = "30%"\n'))
    assert rules == RuleSet("x", quorum=Fraction(3, 10))
    rules = load_rules(write(tmp_path, 'based_on = "consensus"\nmajority = "2/3"\n', "mine.toml"))
    assert rules.name == "mine" and rules.block_threshold == 0
    assert rules.majority == Fraction(2, 3) and rules.majority_base is MajorityBase.YES_NO


def test_float_values_are_read_as_decimals(tmp_path: Path) -> None:
    rules = load_rules(
        write(tmp_path, "block_threshold = 0.1\nmajority = 0.6\nblock_override = 1\n")
    )
    assert rules.block_threshold == Fraction(1, 10) and rules.majority == Fraction(3, 5)
    assert rules.block_override == 1
    assert load_rules(write(tmp_path, 'block_threshold = "none"\n')).block_threshold is None


def test_builtin_lookup_is_forgiving() -> None:
    assert load_rules("POFO") is BUILTIN_RULES["pofo"]
    assert load_rules("two_thirds") is BUILTIN_RULES["two-thirds"]
    assert load_rules(" modified-consensus ") is BUILTIN_RULES["modified-consensus"]


BAD_FILES: list[tuple[str, str | bytes, list[str]]] = [
    ("unknown key", "quorom = 0.5\n", ["unknown key 'quorom'", "quorum"]),
    ("fraction above 1", "block_threshold = 1.5\n", ["'block_threshold'", "1.5", "0 to 1"]),
    ("negative fraction", "quorum = -0.1\n", ["'quorum'", "-0.1"]),
    ("text fraction", 'majority = "lots"\n', ["'majority'", '"lots"']),
    ("bool fraction", "quorum = true\n", ["'quorum'", "true"]),
    ("negative count", "quorum_votes = -1\n", ["'quorum_votes'", "-1"]),
    ("float count", "quorum_votes = 2.5\n", ["'quorum_votes'", "2.5"]),
    ("bad choice", 'postpone = "maybe"\n', ["'postpone'", '"maybe"', '"plurality"', '"none"']),
    ("bad base", 'majority_base = "members"\n', ["'majority_base'", '"eligible"']),
    ("impossible majority", "majority = 1\n", ["majority = 1", "more_than"]),
    ("empty name", 'name = ""\n', ["'name'"]),
    ("builtin name", 'name = "pofo"\n', ["'pofo'", "built-in"]),
    ("bad based_on", 'based_on = "pofoo"\n', ["'based_on'", '"pofoo"']),
    ("not toml", "name = \n", ["not valid TOML", "line 1"]),
    ("not utf-8", b'name = "\xff"\n', ["not valid TOML", "UTF-8"]),
    ("nested table", "[quorum]\nx = 1\n", ["'quorum'"]),
]


@pytest.mark.parametrize(("case", "text", "parts"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_rule_files(tmp_path: Path, case: str, text: str | bytes, parts: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as info:
        load_rules(path)
    message = info.value.message("en")
    assert message.startswith(path), message
    assert "\n" not in message
    for part in parts:
        assert part in message, (part, message)
    assert info.value.message("da") != message


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.toml")
    with pytest.raises(UserError) as info:
        load_rules(path)
    assert info.value.message("en") == f"The rules file {path} does not exist."


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        load_rules(str(tmp_path))
    assert info.value.message("en").startswith(f"Cannot read the rules file {tmp_path}")


@pytest.mark.parametrize("name", ["pofoo", "", "simple-majority"])
def test_unknown_builtin_name(name: str) -> None:
    with pytest.raises(UserError) as info:
        load_rules(name)
    message = info.value.message("en")
    assert f"Unknown rule set '{name}'" in message
    assert "pofo, majority, two-thirds, consensus, modified-consensus" in message


def test_every_error_code_is_translated() -> None:
    codes = [
        "unknown_name",
        "file_missing",
        "unreadable",
        "not_toml",
        "not_utf8",
        "not_table",
        "unknown_key",
        "bad_text",
        "bad_fraction",
        "bad_count",
        "bad_choice",
        "bad_majority",
        "builtin_name",
    ]
    for code in codes:
        assert has_message(f"rules.error.{code}")


def test_from_dict_rejects_bad_data() -> None:
    data = BUILTIN_RULES["pofo"].to_dict() | {"block_threshold": "2"}
    with pytest.raises(UserError, match="block_threshold"):
        RuleSet.from_dict(data)
    with pytest.raises(UserError, match="unknown key 'extra'"):
        RuleSet.from_dict(BUILTIN_RULES["pofo"].to_dict() | {"extra": 1})


def test_ruleset_validates_in_code() -> None:
    with pytest.raises(UserError):
        RuleSet("x", majority=Fraction(3, 2))
    with pytest.raises(UserError):
        RuleSet("x", majority=Fraction(0), majority_comparison=Comparison.AT_LEAST)


# -------------------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", list(BUILTIN_RULES))
def test_builtin_round_trip(name: str) -> None:
    rules = BUILTIN_RULES[name]
    assert RuleSet.from_dict(rules.to_dict()) == rules
    assert RuleSet.from_dict(json.loads(json.dumps(rules.to_dict()))) == rules


def test_to_dict_is_complete_and_exact() -> None:
    d = BUILTIN_RULES["two-thirds"].to_dict()
    assert d["majority"] == "2/3" and d["block_threshold"] == "none"
    assert set(d) == {
        "name",
        "description",
        "quorum",
        "quorum_votes",
        "block_threshold",
        "block_override",
        "postpone",
        "majority",
        "majority_comparison",
        "majority_base",
        "amendments",
        "amendment_majority",
    }


shares = st.fractions(min_value=0, max_value=1, max_denominator=1000)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    comparison = draw(st.sampled_from(Comparison))
    majority = draw(shares.filter(lambda f: 0 < f < 1)) if draw(st.booleans()) else Fraction(1, 2)
    return RuleSet(
        name=draw(st.text(min_size=1, max_size=20).filter(str.strip)).strip(),
        description=draw(st.text(max_size=30)),
        quorum=draw(shares),
        quorum_votes=draw(st.integers(0, 50)),
        block_threshold=draw(st.none() | shares),
        block_override=draw(st.none() | shares),
        postpone=draw(st.sampled_from(PostponeRule)),
        majority=majority,
        majority_comparison=comparison,
        majority_base=draw(st.sampled_from(MajorityBase)),
        amendments=draw(st.sampled_from(AmendmentRule)),
        quorum_base=draw(st.sampled_from(QuorumBase)),
    )


@given(rule_sets())
def test_round_trip_property(rules: RuleSet) -> None:
    assert RuleSet.from_dict(json.loads(json.dumps(rules.to_dict()))) == rules


# -------------------------------------------------------------------------------------- properties

n = st.integers(min_value=0, max_value=200)


@st.composite
def any_counts(draw: st.DrawFn) -> Counts:
    betinget_ja = draw(n)
    support = draw(
        st.dictionaries(st.integers(0, 6), st.integers(0, max(betinget_ja, 0)), max_size=5)
    )
    return Counts(
        ja=draw(n),
        betinget_ja=betinget_ja,
        udskyd=draw(n),
        nej=draw(n),
        bloker=draw(n),
        eligible=draw(n),
        amendment_support=support,
        amendment_count=draw(st.integers(0, 5)),
    )


@settings(max_examples=300)
@given(st.sampled_from(list(BUILTIN_RULES.values())) | rule_sets(), any_counts())
def test_decide_never_raises(rules: RuleSet, c: Counts) -> None:
    d = decide(rules, c)
    assert d.outcome is not Outcome.OPEN
    assert (d.carried_amendments != ()) == (d.outcome is AWA)
    assert list(d.carried_amendments) == sorted(d.carried_amendments)
    json.dumps(d.to_dict())
    for lang in ("da", "en"):
        text = explain(d, lang)
        assert text.endswith(".") and "{" not in text and "rules." not in text


@given(any_counts())
def test_extra_bloker_never_unblocks_pofo(c: Counts) -> None:
    pofo = BUILTIN_RULES["pofo"]
    if decide(pofo, c).outcome is B:
        more = Counts(**(c.as_dict() | {"bloker": c.bloker + 1}), eligible=c.eligible)
        assert decide(pofo, more).outcome is B


@given(st.sampled_from(list(BUILTIN_RULES)), any_counts())
def test_extra_ja_keeps_adopted(name: str, c: Counts) -> None:
    rules = BUILTIN_RULES[name]
    if decide(rules, c).outcome in ADOPTED:
        more = Counts(**(c.as_dict() | {"ja": c.ja + 1}), eligible=c.eligible)
        assert decide(rules, more).outcome in ADOPTED


@given(any_counts())
def test_two_thirds_property(c: Counts) -> None:
    base = c.yes_side + c.nej + c.bloker
    expected = c.cast > 0 and base > 0 and 3 * c.yes_side >= 2 * base
    assert (decide(BUILTIN_RULES["two-thirds"], c).outcome in ADOPTED) == expected


@given(any_counts())
def test_consensus_any_bloker_blocks(c: Counts) -> None:
    assert (decide(BUILTIN_RULES["consensus"], c).outcome is B) == (c.bloker > 0)


# ------------------------------------------------------------------------------------------ counts


def test_counts_basics() -> None:
    c = Counts(ja=1, betinget_ja=2, udskyd=3, nej=4, bloker=5, eligible=20)
    assert c.cast == 15 and c.yes_side == 3
    assert list(c.as_dict()) == [choice.value for choice in Choice]
    assert c.as_dict() == {"ja": 1, "betinget_ja": 2, "udskyd": 3, "nej": 4, "bloker": 5}
    with pytest.raises(ValueError):
        Counts(ja=-1)
    with pytest.raises(TypeError):
        c.amendment_support[1] = 2  # type: ignore[index]


def test_counts_from_choices() -> None:
    c = Counts.from_choices(
        {Choice.JA: 3, "betinget-ja": 2, "nej": 1, "block": 1},
        eligible=10,
        amendment_support={1: 2},
        amendment_count=2,
    )
    assert c == Counts(
        ja=3,
        betinget_ja=2,
        nej=1,
        bloker=1,
        eligible=10,
        amendment_support={1: 2},
        amendment_count=2,
    )


def test_rules_module_is_ui_free() -> None:
    code = "import sys, deliberate.domain.rules; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_quorum_of_those_present() -> None:
    """quorum_base = "present": the quorum is a share of the members present when voting
    closed, and the explanation names that base."""
    rules = RuleSet("landsmoede", quorum=Fraction(1, 2), quorum_base=QuorumBase.PRESENT)
    assert RuleSet.from_dict(rules.to_dict()) == rules
    assert "quorum_base" not in BUILTIN_RULES["pofo"].to_dict()  # old frozen specs still match
    few = decide(rules, Counts(ja=15, eligible=40, present=32))
    assert few.outcome is Outcome.NO_QUORUM and few.params["present"] == 32
    assert "15 af 32 fremmødte" in explain(few, "da")
    assert "of 32 eligible members present" in explain(few, "en")
    enough = decide(rules, Counts(ja=16, eligible=40, present=32))
    assert enough.outcome is Outcome.ADOPTED
    # Against every eligible member, 16 of 40 would not make a half.
    assert (
        decide(
            replace(rules, quorum_base=QuorumBase.ELIGIBLE), Counts(ja=16, eligible=40, present=32)
        ).outcome
        is Outcome.NO_QUORUM
    )
    assert "fremmødte" in describe_rules(rules, "da")


def test_docs_quote_real_amendment_sentences() -> None:
    docs = (EXAMPLES.parent / "rules.md").read_text()
    kw = dict(ja=6, betinget_ja=22, udskyd=2, nej=8, bloker=1, eligible=60, amendment_count=3)
    c = Counts(**kw, amendment_support={1: 15, 2: 4, 3: 9})  # type: ignore[arg-type]
    lines = explain_amendments(decide(BUILTIN_RULES["pofo"], c), "en")
    assert f"> {lines[0]}\n" in docs and f"> {lines[2]}\n" in docs
    old = decide(RuleSet("x", amendments=AmendmentRule.MORE_THAN_JA), c)
    assert f"> {explain(old, 'en')}\n" in docs
    separate = RuleSet("s", amendments=AmendmentRule.SEPARATE)

    def tied(third: int) -> list[str]:
        votes = {2: (6, 2, 0), 3: (third, 2, 0)}
        counts = Counts(
            ja=8, eligible=60, amendment_count=3, amendment_votes=votes, alternatives={2: 2, 3: 2}
        )
        return explain_amendments(decide(separate, counts), "en")

    assert f"> {tied(6)[1]}\n" in docs
    assert f"> {tied(7)[1]}\n" in docs


def test_alternative_groups_join_groups_and_paragraphs() -> None:
    """Alternatives of alternatives are one group, keyed by the lowest number; an amendment
    with no alternative is in none (the close and the vote dialog use the same function)."""
    ballot = [
        OnBallot(4),
        OnBallot(3, group=7, paragraph_changed=2),
        OnBallot(2, group=7),
        OnBallot(1, paragraph_changed=2),
        OnBallot(5, paragraph_changed=4),
    ]
    assert alternative_groups(ballot) == {1: 1, 2: 1, 3: 1}
    assert alternative_groups([OnBallot(1, group=1), OnBallot(2, group=2)]) == {}
