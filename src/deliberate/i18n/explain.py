"""The text of decisions: outcome labels, the one-sentence explanation of a decision and the
description of a rule set, built from the domain's pure data (`deliberate.domain.rules`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from babel import lists as babel_lists
from babel import numbers as babel_numbers

from deliberate.domain.rules import (
    FROZEN_AMENDMENT_DEFAULT,
    AmendmentRule,
    AmendmentStatus,
    AmendmentVerdict,
    Decision,
    MajorityBase,
    Outcome,
    RuleSet,
)
from deliberate.i18n import Translator, has_message, translate


def outcome_label(outcome: Outcome, lang: str) -> str:
    return translate(f"rules.outcome.{outcome.value}", lang)


def explain(decision: Decision, lang: str = "da") -> str:
    """One sentence: the outcome, the deciding rule and its numbers."""
    return _explain(decision, Translator(lang))


def explain_amendments(decision: Decision, lang: str = "da") -> list[str]:
    """One sentence per amendment on the ballot: carried or not, and why, with numbers."""
    tr = Translator(lang)
    return [_explain_amendment(decision, v, tr) for v in decision.amendments]


def describe_rules(rules: RuleSet, lang: str) -> str:
    """The rule set in one paragraph: majority, block, postpone, amendments, quorum."""
    tr = Translator(lang)

    def pct(value: Fraction) -> str:
        return _percent(tr, value)

    first = tr(
        "rules.describe.majority",
        comparison=tr(f"rules.comparison.{rules.majority_comparison}"),
        threshold=pct(rules.majority),
        base=tr(f"rules.describe.base.{rules.majority_base}"),
    )
    counted = rules.majority_base in (MajorityBase.CAST, MajorityBase.ELIGIBLE)
    if rules.block_threshold is None:
        ignored = rules.majority_base is MajorityBase.YES_NO
        block = tr("rules.describe.block.none_ignored" if ignored else "rules.describe.block.none")
    elif rules.block_threshold == 0:
        block = tr("rules.describe.block.any")
    else:
        block = tr("rules.describe.block.share", threshold=pct(rules.block_threshold))
    if rules.block_override is not None and rules.block_threshold is not None:
        block += tr("rules.describe.block.override", override=pct(rules.block_override))
    quorum = [
        tr(f"rules.describe.quorum.share.{rules.quorum_base}", quorum=pct(rules.quorum))
        if rules.quorum
        else "",
        tr("rules.describe.quorum.votes", votes=tr.number(rules.quorum_votes))
        if rules.quorum_votes
        else "",
    ]
    quorum_text = tr("rules.and").join(q for q in quorum if q) or tr("rules.describe.quorum.none")
    parts = [
        block,
        tr(f"rules.describe.postpone.{rules.postpone}" + ("_in_base" if counted else "")),
        tr(
            f"rules.describe.amendments.{rules.amendments}", threshold=pct(rules.amendment_majority)
        ),
        quorum_text,
    ]
    return f"{first} {_capitalise('; '.join(parts))}."


def _explain(d: Decision, tr: Translator) -> str:
    p = d.params

    def num(key: str) -> int:
        value = p.get(key, 0)
        return value if isinstance(value, int) else 0

    def frac(key: str) -> Fraction | None:
        value = p.get(key)
        return None if value is None else Fraction(str(value))

    def share(part: int, whole: int, near: Fraction | None = None) -> str:
        return _percent(tr, Fraction(part, whole) if whole else Fraction(0), near)

    values = {
        k: tr.number(v) for k, v in p.items() if isinstance(v, int) and not isinstance(v, bool)
    }
    values |= {"head": _head(d, tr), "amendments": _amendment_clause(d, tr), "override": ""}
    reason = d.reason
    cast, yes = num("cast"), num("yes")
    if reason == "below_quorum":
        values["share"] = share(cast, num("eligible"))
    elif reason == "below_quorum_present":
        values["share"] = share(cast, num("present"))
    elif reason == "blocked":
        threshold = frac("threshold") or Fraction(0)
        values["share"] = share(num("bloker"), cast, threshold)
        values["threshold"] = _percent(tr, threshold)
        if (override := frac("override")) is not None:
            values["yes_share"] = share(yes, cast, override)
            values["override_share"] = _percent(tr, override)
            if threshold:
                values["override"] = tr("rules.clause.not_overridden", **values)
        if threshold == 0:
            reason = "blocked_any" if override is None else "blocked_any_override"
    elif reason == "block_overridden":
        values["share"] = share(yes, cast, frac("override"))
        values["override_share"] = _percent(tr, frac("override"))
    if "majority" in p:
        values["share" if reason != "block_overridden" else "majority_share"] = share(
            yes, num("base"), frac("majority")
        )
        values["threshold"] = _percent(tr, frac("majority"))
        values["comparison"] = tr(f"rules.comparison.{p['comparison']}")
        values["base_label"] = tr(f"rules.base.{p['base_kind']}")
    key = f"rules.reason.{reason}"
    if not has_message(key):
        return f"{values['head']}."
    try:
        return tr(key, **values)
    except (KeyError, IndexError, ValueError):  # params from elsewhere lacking a number
        return f"{values['head']}."


def _head(d: Decision, tr: Translator) -> str:
    if d.outcome is Outcome.ADOPTED_WITH_AMENDMENTS and d.carried_amendments:
        key = "one" if len(d.carried_amendments) == 1 else "many"
        numbers = _list(tr, [tr.number(k) for k in d.carried_amendments])
        return tr(f"rules.head.adopted_with_amendments.{key}", amendments=numbers)
    return _capitalise(outcome_label(d.outcome, tr.lang))


def _amendment_clause(d: Decision, tr: Translator) -> str:
    rule = d.amendment_rule or FROZEN_AMENDMENT_DEFAULT
    tied = [v for v in d.amendments if v.status is AmendmentStatus.TIED]
    tie_clause = ""
    if tied:
        tie_clause = tr(
            "rules.clause.amendments_tied",
            numbers=_list(tr, [tr.number(v.number) for v in tied]),
            support=tr.number(tied[0].support),
        )
    if not d.carried_amendments:
        return tie_clause
    raw = d.params.get("carried_support")
    support = list(raw) if isinstance(raw, list | tuple) else []
    items = [
        tr("rules.clause.amendment_item", number=tr.number(k), support=tr.number(n))
        for k, n in zip(d.carried_amendments, support, strict=False)
    ] or [tr.number(k) for k in d.carried_amendments]
    key = "one" if len(items) == 1 else "many"
    ja = d.params.get("ja", 0)
    yes = d.params.get("yes", 0)
    prefix = (
        "rules.clause.amendments"
        if rule is AmendmentRule.MORE_THAN_JA
        else f"rules.clause.amendments_{rule.value}"
    )
    clause = tr(
        f"{prefix}.{key}",
        items=_list(tr, items),
        ja=tr.number(ja if isinstance(ja, int) else 0),
        yes=tr.number(yes if isinstance(yes, int) else 0),
        threshold=_percent(tr, d.amendment_majority),
    )
    return clause + tie_clause


def _explain_amendment(d: Decision, v: AmendmentVerdict, tr: Translator) -> str:
    rule = d.amendment_rule or FROZEN_AMENDMENT_DEFAULT
    near = d.amendment_majority if rule is AmendmentRule.SEPARATE else Fraction(1, 2)
    values: dict[str, str] = {
        "number": tr.number(v.number),
        "support": tr.number(v.support),
        "base": tr.number(v.base),
        "share": _percent(tr, Fraction(v.support, v.base) if v.base else Fraction(0), near),
        "threshold": _percent(tr, d.amendment_majority),
        "rival": tr.number(v.rival or 0),
        "rival_support": tr.number(v.rival_support or 0),
        "nej": tr.number(v.base - v.support),  # separate: the base is its Ja + Nej
    }
    if v.status in (AmendmentStatus.SUPERSEDED, AmendmentStatus.TIED):
        return tr(f"rules.amendment.{v.status.value}", **values)
    passed = "carried" if v.status is AmendmentStatus.CARRIED else "not_carried"
    return tr(f"rules.amendment.{rule.value}.{passed}", **values)


def _list(tr: Translator, items: list[str]) -> str:
    return babel_lists.format_list(items, locale=tr.locale)


def _percent(tr: Translator, value: Fraction | None, near: Fraction | None = None) -> str:
    """Babel percent with at most one decimal, more only when rounding would make `value`
    look equal to the threshold `near` (9.99 % must not read as 10 %)."""
    value = value or Fraction(0)
    digits = 1
    while near is not None and value != near and digits < 6:
        if _round(value, digits) != _round(near, digits):
            break
        digits += 1
    return babel_numbers.format_percent(
        _round(value, digits), locale=tr.locale, decimal_quantization=False
    )


def _round(value: Fraction, digits: int) -> Decimal:
    """`value` (a share) rounded to `digits` decimals of a percent, without trailing zeros."""
    with localcontext() as ctx:
        ctx.prec = 40
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal(1).scaleb(-(digits + 2)), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
