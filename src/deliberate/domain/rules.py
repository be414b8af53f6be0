"""Decision rules: how counted ballots become an outcome (DESIGN §4).

Every rule set, built-in or custom, is a set of parameters to one algorithm (`decide`), checked
in this order: quorum, block, postpone, majority, amendments. All threshold comparisons use
exact integer arithmetic on `Fraction`s, never floats. Pure: the words come from
`deliberate.i18n.explain`, rule files are read by `deliberate.services.rulesets`.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any, NamedTuple

from deliberate.domain.ballot import Choice, parse_choice
from deliberate.errors import UserError


class Outcome(enum.StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    ADOPTED_WITH_AMENDMENTS = "adopted_with_amendments"
    POSTPONED = "postponed"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    NO_QUORUM = "no_quorum"


class PostponeRule(enum.StrEnum):
    PLURALITY = "plurality"  # Udskyd wins if greater than the yes-side and than nej + bloker
    NONE = "none"  # Udskyd is an abstention


class Comparison(enum.StrEnum):
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"


class MajorityBase(enum.StrEnum):
    """What the yes-side is measured against."""

    YES_NO_BLOCK = "yes_no_block"  # ja + betinget_ja + nej + bloker
    YES_NO = "yes_no"  # ja + betinget_ja + nej
    CAST = "cast"  # every vote, Udskyd included
    ELIGIBLE = "eligible"  # every member with the right to vote

    def of(self, counts: Counts) -> int:
        match self:
            case MajorityBase.YES_NO_BLOCK:
                return counts.yes_side + counts.nej + counts.bloker
            case MajorityBase.YES_NO:
                return counts.yes_side + counts.nej
            case MajorityBase.CAST:
                return counts.cast
            case MajorityBase.ELIGIBLE:
                return counts.eligible


class QuorumBase(enum.StrEnum):
    """What the quorum is a share of."""

    ELIGIBLE = "eligible"  # every member with the right to vote
    PRESENT = "present"  # members checked in to the meeting when voting closed, proxies included


class AmendmentRule(enum.StrEnum):
    # carried if the Betinget ja votes naming it are more than half of the yes-side
    YES_SIDE_MAJORITY = "yes_side_majority"
    MORE_THAN_JA = "more_than_ja"  # carried if more Betinget ja name it than there are Ja votes
    SEPARATE = "separate"  # its own Ja / Nej / Undlad question; Betinget ja not offered
    NONE = "none"  # never carried


class AmendmentStatus(enum.StrEnum):
    """What became of one amendment on the ballot."""

    CARRIED = "carried"
    NOT_CARRIED = "not_carried"  # it did not pass its own test
    SUPERSEDED = "superseded"  # it passed, but an alternative had more support
    TIED = "tied"  # it passed and tied with an alternative: none of them is carried


class AmendmentVotes(NamedTuple):
    """The answers to one amendment's own question (`amendments = "separate"`)."""

    ja: int = 0
    nej: int = 0
    undlad: int = 0


# Before the yes-side rule existed every rule set compared with the Ja count; a frozen rule
# set (stored when voting opened) without the key was decided that way and stays so.
FROZEN_AMENDMENT_DEFAULT = AmendmentRule.MORE_THAN_JA


# ---------------------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class Counts:
    ja: int = 0
    betinget_ja: int = 0
    udskyd: int = 0
    nej: int = 0
    bloker: int = 0
    eligible: int = 0
    amendment_support: Mapping[int, int] = field(default_factory=dict, hash=False)
    amendment_count: int = 0
    present: int | None = None  # checked in when voting closed (proxies included); None: unknown
    # amendments = "separate": each amendment's own Ja / Nej / Undlad answers
    amendment_votes: Mapping[int, AmendmentVotes] = field(default_factory=dict, hash=False)
    # The amendments on the ballot (None: 1..amendment_count, as before ballots were frozen)
    # and their alternative groups (number -> group key; ungrouped amendments are absent).
    on_ballot: tuple[int, ...] | None = None
    alternatives: Mapping[int, int] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.present is not None and (
            isinstance(self.present, bool) or not isinstance(self.present, int) or self.present < 0
        ):
            raise ValueError(f"Counts.present must be a non-negative int, not {self.present!r}")
        for name in (*self.as_dict(), "eligible", "amendment_count"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Counts.{name} must be a non-negative int, not {value!r}")
        support = {int(k): int(v) for k, v in self.amendment_support.items()}
        if any(v < 0 for v in support.values()):
            raise ValueError("amendment support must be non-negative")
        object.__setattr__(
            self, "amendment_support", MappingProxyType(dict(sorted(support.items())))
        )
        votes = {int(k): AmendmentVotes(*map(int, v)) for k, v in self.amendment_votes.items()}
        if any(n < 0 for v in votes.values() for n in v):
            raise ValueError("amendment votes must be non-negative")
        object.__setattr__(self, "amendment_votes", MappingProxyType(dict(sorted(votes.items()))))
        groups = {int(k): int(v) for k, v in self.alternatives.items()}
        object.__setattr__(self, "alternatives", MappingProxyType(dict(sorted(groups.items()))))
        if self.on_ballot is not None:
            object.__setattr__(self, "on_ballot", tuple(sorted({int(k) for k in self.on_ballot})))

    @property
    def cast(self) -> int:
        return self.ja + self.betinget_ja + self.udskyd + self.nej + self.bloker

    @property
    def yes_side(self) -> int:
        return self.ja + self.betinget_ja

    def as_dict(self) -> dict[str, int]:
        return {choice.value: getattr(self, choice.value) for choice in Choice}

    @classmethod
    def from_choices(
        cls,
        by_choice: Mapping[str | Choice, int],
        *,
        eligible: int,
        amendment_support: Mapping[int, int] | None = None,
        amendment_count: int = 0,
        present: int | None = None,
        amendment_votes: Mapping[int, AmendmentVotes] | None = None,
    ) -> Counts:
        totals = dict.fromkeys((c.value for c in Choice), 0)
        for key, n in by_choice.items():
            totals[parse_choice(str(key)).value] += n
        return cls(
            ja=totals["ja"],
            betinget_ja=totals["betinget_ja"],
            udskyd=totals["udskyd"],
            nej=totals["nej"],
            bloker=totals["bloker"],
            eligible=eligible,
            amendment_support=dict(amendment_support or {}),
            amendment_count=amendment_count,
            present=present,
            amendment_votes=dict(amendment_votes or {}),
        )


# -------------------------------------------------------------------------------------- rule sets


@dataclass(frozen=True)
class RuleSet:
    """Parameters of `decide`. Defaults are pofo's, so a custom file only names what differs."""

    name: str
    description: str = ""
    quorum: Fraction = Fraction(0)  # share of eligible members who must vote; 0 = none
    quorum_votes: int = 0  # minimum votes cast; 0 = none
    block_threshold: Fraction | None = Fraction(1, 10)  # of cast; 0 = any Bloker; None = no veto
    block_override: Fraction | None = None  # yes-side share of cast that overrides a block
    postpone: PostponeRule = PostponeRule.PLURALITY
    majority: Fraction = Fraction(1, 2)
    majority_comparison: Comparison = Comparison.MORE_THAN
    majority_base: MajorityBase = MajorityBase.YES_NO_BLOCK
    amendments: AmendmentRule = AmendmentRule.YES_SIDE_MAJORITY
    quorum_base: QuorumBase = QuorumBase.ELIGIBLE
    # amendments = "separate": an amendment is carried when its Ja are more than this share of
    # its Ja + Nej
    amendment_majority: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        _validate(self, f"rule set '{self.name}'")

    def quorum_count(self, counts: Counts) -> int:
        """The number the quorum is a share of: eligible members, or those present."""
        if self.quorum_base is QuorumBase.PRESENT:
            return counts.present or 0
        return counts.eligible

    def required_votes(self, eligible: int) -> int:
        """The fewest votes cast that make a quorum (0: any vote does)."""
        return max(math.ceil(self.quorum * eligible), self.quorum_votes)

    def to_dict(self) -> dict[str, Any]:
        """JSON- and TOML-ready: fractions as exact strings ("2/3"), no veto as "none"."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                value = "none"
            elif isinstance(value, Fraction):
                value = str(value)
            elif isinstance(value, enum.StrEnum):
                value = value.value
            out[f.name] = value
        if self.quorum_base is QuorumBase.ELIGIBLE:
            del out["quorum_base"]  # the default; rule sets frozen before it existed match
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RuleSet:
        """A rule set as stored with a proposal (frozen when voting opened). A key missing from
        an old spec means what it meant then: `amendments` is "more_than_ja"."""
        if isinstance(d, Mapping) and "amendments" not in d:
            d = {**d, "amendments": FROZEN_AMENDMENT_DEFAULT.value}
        return _parse(d, where=f"rule set '{d.get('name', '?')}'", start=None)


_KEYS = tuple(f.name for f in fields(RuleSet))
_FILE_KEYS = (*_KEYS, "based_on")


def builtin_rules(name: str) -> RuleSet | None:
    """The built-in rule set `name` ("POFO", "two_thirds" and " pofo " name one too), or None."""
    return BUILTIN_RULES.get(name.strip().lower().replace("_", "-"))


def rules_from_toml(data: Mapping[str, Any], *, where: str, default_name: str) -> RuleSet:
    """A custom rule set from an already read TOML table (`where` names it in errors)."""
    data = dict(data)
    data.setdefault("name", default_name)
    based_on = data.pop("based_on", DEFAULT_RULES)
    if not isinstance(based_on, str) or based_on not in BUILTIN_RULES:
        raise UserError(
            "rules.error.bad_choice",
            where=where,
            key="based_on",
            value=_show(based_on),
            allowed=", ".join(BUILTIN_RULES),
        )
    rules = _parse(data, where=where, start=BUILTIN_RULES[based_on])
    if rules.name.lower() in BUILTIN_RULES:
        raise UserError("rules.error.builtin_name", where=where, name=rules.name)
    return rules


def _parse(d: Mapping[str, Any], *, where: str, start: RuleSet | None) -> RuleSet:
    """Build a RuleSet from plain values; keys missing from `d` come from `start` (or pofo)."""
    if not isinstance(d, Mapping):
        raise UserError("rules.error.not_table", where=where)
    for key in d:
        if key not in _KEYS:
            allowed = _FILE_KEYS if start is not None else _KEYS
            raise UserError(
                "rules.error.unknown_key", where=where, key=key, allowed=", ".join(allowed)
            )
    name = d.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UserError("rules.error.bad_text", where=where, key="name", value=_show(name))
    description = d.get("description", "")
    if not isinstance(description, str):
        raise UserError(
            "rules.error.bad_text", where=where, key="description", value=_show(description)
        )
    base = replace(
        start or BUILTIN_RULES[DEFAULT_RULES], name=name.strip(), description=description
    )
    values: dict[str, Any] = {}
    for key in _KEYS[2:]:
        if key in d:
            values[key] = _value(key, d[key], where)
    try:
        return replace(base, **values)
    except UserError as exc:  # a range check in RuleSet itself: name the file
        exc.params["where"] = where
        raise


_ENUMS: dict[str, type[enum.StrEnum]] = {
    "postpone": PostponeRule,
    "majority_comparison": Comparison,
    "majority_base": MajorityBase,
    "amendments": AmendmentRule,
    "quorum_base": QuorumBase,
}


def _value(key: str, raw: Any, where: str) -> Any:
    if key in _ENUMS:
        kind = _ENUMS[key]
        if isinstance(raw, str) and raw.replace("-", "_") in kind.__members__.values():
            return kind(raw.replace("-", "_"))  # "yes-side-majority" as the docs write it
        allowed = ", ".join(f'"{m.value}"' for m in kind)
        raise UserError(
            "rules.error.bad_choice", where=where, key=key, value=_show(raw), allowed=allowed
        )
    if key == "quorum_votes":
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
        raise UserError("rules.error.bad_count", where=where, key=key, value=_show(raw))
    if key in ("block_threshold", "block_override") and (
        raw is None or (isinstance(raw, str) and raw.strip().lower() == "none")
    ):
        return None
    fraction = _fraction(raw)
    if fraction is None or not 0 <= fraction <= 1:
        raise UserError("rules.error.bad_fraction", where=where, key=key, value=_show(raw))
    return fraction


_NUMBER = re.compile(r"(\d{1,12}(?:\.\d{1,12})?)\s*(%?)|(\d{1,12})\s*/\s*(\d{1,12})")


def _fraction(raw: Any) -> Fraction | None:
    """0.1, 1, "2/3", "10%" -> an exact Fraction; None if not a plain number."""
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Fraction(raw)
    if isinstance(raw, float):
        return Fraction(repr(raw)) if math.isfinite(raw) else None  # 0.1 means 1/10
    match = _NUMBER.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        return None
    decimal, percent, top, bottom = match.groups()
    if decimal is not None:
        return Fraction(decimal) / (100 if percent else 1)
    return Fraction(int(top), int(bottom)) if int(bottom) else None


def _validate(r: RuleSet, where: str) -> None:
    """Range checks a RuleSet built in code must pass too."""
    for key in ("quorum", "majority", "block_threshold", "block_override", "amendment_majority"):
        value = getattr(r, key)
        if value is None and key.startswith("block"):
            continue
        if not isinstance(value, Fraction) or not 0 <= value <= 1:
            raise UserError("rules.error.bad_fraction", where=where, key=key, value=_show(value))
    votes = r.quorum_votes
    if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
        raise UserError(
            "rules.error.bad_count", where=where, key="quorum_votes", value=_show(votes)
        )
    for key, kind in _ENUMS.items():
        if not isinstance(getattr(r, key), kind):
            raise UserError(
                "rules.error.bad_choice",
                where=where,
                key=key,
                value=_show(getattr(r, key)),
                allowed=", ".join(f'"{m.value}"' for m in kind),
            )
    if r.amendment_majority == 1:  # "more than all" can never pass
        raise UserError(
            "rules.error.bad_amendment_majority", where=where, value=str(r.amendment_majority)
        )
    unreachable = (r.majority_comparison is Comparison.MORE_THAN and r.majority == 1) or (
        r.majority_comparison is Comparison.AT_LEAST and r.majority == 0
    )
    if unreachable:
        raise UserError(
            "rules.error.bad_majority",
            where=where,
            majority=str(r.majority),
            comparison=r.majority_comparison.value,
        )


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Fraction):
        return str(value)
    return repr(value).replace("True", "true").replace("False", "false")


BUILTIN_RULES: dict[str, RuleSet] = {
    "pofo": RuleSet("pofo"),
    "majority": RuleSet("majority", block_threshold=None, postpone=PostponeRule.NONE),
    "two-thirds": RuleSet(
        "two-thirds",
        block_threshold=None,
        postpone=PostponeRule.NONE,
        majority=Fraction(2, 3),
        majority_comparison=Comparison.AT_LEAST,
    ),
    "consensus": RuleSet(
        "consensus",
        block_threshold=Fraction(0),
        postpone=PostponeRule.NONE,
        majority_base=MajorityBase.YES_NO,
    ),
    "modified-consensus": RuleSet(
        "modified-consensus",
        block_threshold=Fraction(0),
        block_override=Fraction(9, 10),
        postpone=PostponeRule.NONE,
    ),
}
DEFAULT_RULES = "pofo"


# --------------------------------------------------------------------------------------- decision


@dataclass(frozen=True)
class AmendmentVerdict:
    """Why one amendment on the ballot was or was not carried, with its numbers.

    `support` is what the rule counts for it (Betinget ja naming it, or its own Ja), `base`
    what that is measured against (the yes-side, the Ja count, or its Ja + Nej); `rival` the
    alternative that beat it or tied with it."""

    number: int
    status: AmendmentStatus
    support: int
    base: int
    rival: int | None = None
    rival_support: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "status": self.status.value,
            "support": self.support,
            "base": self.base,
            "rival": self.rival,
            "rival_support": self.rival_support,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AmendmentVerdict:
        return cls(
            int(d["number"]),
            AmendmentStatus(d["status"]),
            int(d["support"]),
            int(d["base"]),
            d.get("rival"),
            d.get("rival_support"),
        )


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    carried_amendments: tuple[int, ...]
    reason: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    # Adopted proposals: one verdict per amendment on the ballot (empty under "none").
    amendments: tuple[AmendmentVerdict, ...] = ()
    amendment_rule: AmendmentRule | None = None
    amendment_majority: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @classmethod
    def voting_open(cls, counts: Counts) -> Decision:
        """The result line while voting runs."""
        return cls(Outcome.OPEN, (), "open", _count_params(counts))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; params hold only ints, strings and lists of ints."""
        out: dict[str, Any] = {
            "outcome": self.outcome.value,
            "carried_amendments": list(self.carried_amendments),
            "reason": self.reason,
            "params": dict(self.params),
        }
        if self.amendments:
            out["amendments"] = [v.to_dict() for v in self.amendments]
            out["amendment_rule"] = self.amendment_rule.value if self.amendment_rule else None
            out["amendment_majority"] = str(self.amendment_majority)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision:
        rule = d.get("amendment_rule")
        return cls(
            Outcome(d["outcome"]),
            tuple(d["carried_amendments"]),
            d["reason"],
            d["params"],
            tuple(AmendmentVerdict.from_dict(v) for v in d.get("amendments", ())),
            AmendmentRule(rule) if rule else None,
            Fraction(str(d.get("amendment_majority", "1/2"))),
        )

    def verdict(self, number: int) -> AmendmentVerdict | None:
        return next((v for v in self.amendments if v.number == number), None)


def decide(rules: RuleSet, counts: Counts) -> Decision:
    c = counts
    yes, cast = c.yes_side, c.cast
    params = _count_params(c)

    def done(
        outcome: Outcome, reason: str, carried: tuple[int, ...] = (), **extra: object
    ) -> Decision:
        return Decision(outcome, carried, reason, {**params, **extra})

    # 1. Quorum
    quorum_of = rules.quorum_count(c)
    required = rules.required_votes(quorum_of)
    if rules.quorum_base is QuorumBase.PRESENT:
        params.update(quorum_base=QuorumBase.PRESENT.value, present=quorum_of)
    if cast == 0:
        return done(Outcome.NO_QUORUM, "no_votes")
    if cast < required:
        reason = (
            "below_quorum_present" if rules.quorum_base is QuorumBase.PRESENT else "below_quorum"
        )
        return done(Outcome.NO_QUORUM, reason, required=required)

    # 2. Block
    overridden = False
    threshold, override = rules.block_threshold, rules.block_override
    if threshold is not None and c.bloker > 0 and _at_least(c.bloker, threshold, cast):
        block_params = {"threshold": str(threshold), "override": _opt(override)}
        if override is None or not _at_least(yes, override, cast):
            return done(
                Outcome.BLOCKED, "blocked", threshold=str(threshold), override=_opt(override)
            )
        overridden = True
        params.update(block_params)

    # 3. Postpone
    if rules.postpone is PostponeRule.PLURALITY and c.udskyd > yes and c.udskyd > c.nej + c.bloker:
        return done(Outcome.POSTPONED, "postponed")

    # 4. Majority
    base = rules.majority_base.of(c)
    params.update(
        majority=str(rules.majority),
        comparison=rules.majority_comparison.value,
        base_kind=rules.majority_base.value,
        base=base,
    )
    if base == 0:
        return done(Outcome.REJECTED, "no_decisive_votes")
    if rules.majority_comparison is Comparison.MORE_THAN:
        passed = yes * rules.majority.denominator > rules.majority.numerator * base
    else:
        passed = _at_least(yes, rules.majority, base)
    if not passed:
        return done(Outcome.REJECTED, "no_majority")

    # 5. Amendments
    verdicts = judge_amendments(rules, c)
    carried = tuple(v.number for v in verdicts if v.status is AmendmentStatus.CARRIED)
    outcome = Outcome.ADOPTED_WITH_AMENDMENTS if carried else Outcome.ADOPTED
    support = [c.amendment_support.get(k, 0) for k in carried]
    if rules.amendments is AmendmentRule.SEPARATE:
        support = [c.amendment_votes.get(k, AmendmentVotes()).ja for k in carried]
    reason = "block_overridden" if overridden else "majority_yes"
    return replace(
        done(outcome, reason, carried, carried_support=support),
        amendments=verdicts,
        amendment_rule=rules.amendments,
        amendment_majority=rules.amendment_majority,
    )


def ballot_numbers(counts: Counts) -> tuple[int, ...]:
    """The amendments on the ballot (amendment_count 0 and no ballot: those named at all)."""
    if counts.on_ballot is not None:
        return counts.on_ballot
    if counts.amendment_count:
        return tuple(range(1, counts.amendment_count + 1))
    named = set(counts.amendment_support) | set(counts.amendment_votes)
    return tuple(sorted(k for k in named if k >= 1))


def judge_amendments(rules: RuleSet, counts: Counts) -> tuple[AmendmentVerdict, ...]:
    """Each amendment on the ballot, as if the proposal were adopted: its own test first, then
    among alternatives the best supported of those that pass (a tie at the top carries none)."""
    rule = rules.amendments
    if rule is AmendmentRule.NONE:
        return ()
    c = counts
    own: dict[int, tuple[bool, int, int]] = {}  # number -> (passes, support, base)
    for k in ballot_numbers(c):
        if rule is AmendmentRule.SEPARATE:
            v = c.amendment_votes.get(k, AmendmentVotes())
            base = v.ja + v.nej
            m = rules.amendment_majority
            own[k] = (base > 0 and v.ja * m.denominator > m.numerator * base, v.ja, base)
        elif rule is AmendmentRule.MORE_THAN_JA:
            n = c.amendment_support.get(k, 0)
            own[k] = (n > c.ja, n, c.ja)
        else:  # yes-side majority
            n = c.amendment_support.get(k, 0)
            own[k] = (2 * n > c.yes_side, n, c.yes_side)
    verdicts = {
        k: AmendmentVerdict(
            k, AmendmentStatus.CARRIED if ok else AmendmentStatus.NOT_CARRIED, n, base
        )
        for k, (ok, n, base) in own.items()
    }
    groups: dict[int, list[int]] = {}
    for k in own:
        if k in c.alternatives:
            groups.setdefault(c.alternatives[k], []).append(k)
    for members in groups.values():
        passing = sorted((k for k in members if own[k][0]), key=lambda k: (-own[k][1], k))
        if len(passing) < 2:
            continue
        best, second = passing[0], passing[1]
        top = own[best][1]
        if own[second][1] == top:  # a tie at the top: none of the group is carried
            leaders = [k for k in passing if own[k][1] == top]
            for k in passing:
                rival = next(r for r in leaders if r != k) if k in leaders else leaders[0]
                status = AmendmentStatus.TIED if k in leaders else AmendmentStatus.SUPERSEDED
                verdicts[k] = replace(
                    verdicts[k], status=status, rival=rival, rival_support=own[rival][1]
                )
            continue
        for k in passing[1:]:
            verdicts[k] = replace(
                verdicts[k], status=AmendmentStatus.SUPERSEDED, rival=best, rival_support=top
            )
    return tuple(verdicts[k] for k in sorted(verdicts))


def carried_amendments(rules: RuleSet, counts: Counts) -> tuple[int, ...]:
    """Amendments carried if the proposal is adopted (amendment_count 0: numbers not checked)."""
    return tuple(
        v.number for v in judge_amendments(rules, counts) if v.status is AmendmentStatus.CARRIED
    )


def _at_least(part: int, fraction: Fraction, whole: int) -> bool:
    """part / whole >= fraction, exactly."""
    return part * fraction.denominator >= fraction.numerator * whole


def _opt(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _count_params(c: Counts) -> dict[str, object]:
    return {
        **c.as_dict(),
        "cast": c.cast,
        "eligible": c.eligible,
        "yes": c.yes_side,
        "against": c.nej + c.bloker,
    }
