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
from typing import Any

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


class AmendmentRule(enum.StrEnum):
    MORE_THAN_JA = "more_than_ja"  # carried if more Betinget ja name it than there are Ja votes
    NONE = "none"  # never carried


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

    def __post_init__(self) -> None:
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
    ) -> Counts:
        totals = dict.fromkeys((c.value for c in Choice), 0)
        for key, n in by_choice.items():
            totals[parse_choice(str(key)).value] += n
        return cls(
            **totals,
            eligible=eligible,
            amendment_support=dict(amendment_support or {}),
            amendment_count=amendment_count,
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
    amendments: AmendmentRule = AmendmentRule.MORE_THAN_JA

    def __post_init__(self) -> None:
        _validate(self, f"rule set '{self.name}'")

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
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RuleSet:
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
}


def _value(key: str, raw: Any, where: str) -> Any:
    if key in _ENUMS:
        kind = _ENUMS[key]
        if isinstance(raw, str) and raw in kind.__members__.values():
            return kind(raw)
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
    for key in ("quorum", "majority", "block_threshold", "block_override"):
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
class Decision:
    outcome: Outcome
    carried_amendments: tuple[int, ...]
    reason: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @classmethod
    def voting_open(cls, counts: Counts) -> Decision:
        """The result line while voting runs."""
        return cls(Outcome.OPEN, (), "open", _count_params(counts))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; params hold only ints, strings and lists of ints."""
        return {
            "outcome": self.outcome.value,
            "carried_amendments": list(self.carried_amendments),
            "reason": self.reason,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision:
        return cls(Outcome(d["outcome"]), tuple(d["carried_amendments"]), d["reason"], d["params"])


def decide(rules: RuleSet, counts: Counts) -> Decision:
    c = counts
    yes, cast = c.yes_side, c.cast
    params = _count_params(c)

    def done(
        outcome: Outcome, reason: str, carried: tuple[int, ...] = (), **extra: object
    ) -> Decision:
        return Decision(outcome, carried, reason, {**params, **extra})

    # 1. Quorum
    required = rules.required_votes(c.eligible)
    if cast == 0:
        return done(Outcome.NO_QUORUM, "no_votes")
    if cast < required:
        return done(Outcome.NO_QUORUM, "below_quorum", required=required)

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
    carried = carried_amendments(rules, c)
    outcome = Outcome.ADOPTED_WITH_AMENDMENTS if carried else Outcome.ADOPTED
    support = [c.amendment_support[k] for k in carried]
    reason = "block_overridden" if overridden else "majority_yes"
    return done(outcome, reason, carried, carried_support=support)


def carried_amendments(rules: RuleSet, counts: Counts) -> tuple[int, ...]:
    """Amendments carried if the proposal is adopted (amendment_count 0: numbers not checked)."""
    if rules.amendments is AmendmentRule.NONE:
        return ()
    top = counts.amendment_count
    return tuple(
        k
        for k, n in sorted(counts.amendment_support.items())
        if k >= 1 and (top == 0 or k <= top) and n > counts.ja
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
