"""The minutes' content as plain, translated, sanitised text — shared by Markdown and HTML,
which differ only in how they escape and lay it out."""

from __future__ import annotations

from dataclasses import dataclass, field

from deliberate.domain.ballot import Choice
from deliberate.domain.paragraphs import DiffPart
from deliberate.domain.rules import Outcome
from deliberate.domain.text import sanitize, sanitize_line
from deliberate.i18n import Translator
from deliberate.i18n.explain import describe_rules, outcome_label
from deliberate.services.export.results import Report, ReportItem
from deliberate.store.models import ProposalStatus


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    code: bool = False  # an id or a hash: shown in a fixed-width font


@dataclass(frozen=True)
class CountRow:
    choice: Choice
    label: str
    count: int
    count_text: str


@dataclass(frozen=True)
class BlockLine:
    who: str | None  # "Name (handle)"; None when anonymous
    reason: str  # may hold several lines


@dataclass(frozen=True)
class ItemView:
    anchor: str
    heading: str
    facts: tuple[Fact, ...]
    amendments: tuple[tuple[int, str, str], ...]  # (number, number text, title)
    voted: bool
    note: str | None
    counts: tuple[CountRow, ...]
    cast_line: str
    outcome: Outcome | None
    outcome_label: str
    explanation: str
    carried_line: str
    block_reasons: tuple[BlockLine, ...]
    chart_title: str
    amendment_states: dict[int, str] = field(default_factory=dict)  # number -> label
    amendment_lines: tuple[str, ...] = ()  # one explanation per amendment on the ballot
    adopted: AdoptedView | None = None


@dataclass(frozen=True)
class AdoptedView:
    """The adopted text with its changes, its hash and the carried free-text amendments."""

    heading: str
    parts: tuple[DiffPart, ...]  # sanitised
    changed: bool
    legend: str  # for git-style markers
    legend_marked: str  # for struck-through / underlined marks
    hash_label: str
    sha256: str
    instructions_heading: str
    instructions: tuple[tuple[str, str, str], ...]  # (number text, title, text)


@dataclass(frozen=True)
class ReportView:
    lang: str
    title: str
    lines: tuple[str, ...]  # under the title
    items: tuple[ItemView, ...]
    empty_text: str
    audit_heading: str
    audit_line: str
    audit_hash: str
    verify_hint: str
    t: Translator


def report_view(report: Report, lang: str) -> ReportView:
    t = Translator(lang)
    if report.meeting is not None:
        m = report.meeting
        title = f"{t('export.minutes.title')} — {t('export.minutes.session', title=sanitize_line(m.title))}"
        lines = [t("export.minutes.exported", time=t.datetime(report.exported_at, "medium"))]
        if m.started_at:
            end = t.datetime(m.ended_at, "medium") if m.ended_at else "…"
            lines.insert(
                0,
                t(
                    "export.minutes.session_times",
                    start=t.datetime(m.started_at, "medium"),
                    end=end,
                ),
            )
    else:
        title = t("export.minutes.results_title")
        lines = [t("export.minutes.exported", time=t.datetime(report.exported_at, "medium"))]
    return ReportView(
        lang=lang,
        title=title,
        lines=tuple(lines),
        items=tuple(_item(t, item) for item in report.items),
        empty_text=t("export.minutes.nothing"),
        audit_heading=t("export.minutes.audit_heading"),
        audit_line=t("export.minutes.audit_head", seq=t.number(report.audit_seq)),
        audit_hash=report.audit_hash,
        verify_hint=t("export.minutes.verify_hint"),
        t=t,
    )


def _item(t: Translator, item: ReportItem) -> ItemView:
    r = item.result
    title = sanitize_line(item.title)
    section = sanitize_line(item.section or "")
    heading = f"{section} {title}" if section else title
    if item.position is not None:
        heading = f"{t('export.minutes.item', n=t.number(item.position))}: {heading}"
    facts = [Fact(t("export.minutes.id"), item.proposal_id, code=True)]
    if item.programme:
        where = (
            t(
                "export.minutes.programme_section",
                programme=sanitize_line(item.programme),
                section=section,
            )
            if section
            else sanitize_line(item.programme)
        )
        facts.append(Fact(t("export.minutes.programme"), where))
    else:
        facts.append(Fact(t("export.minutes.programme"), t("export.minutes.standalone")))
    facts.append(Fact(t("export.minutes.hash"), item.content_hash, code=True))
    facts.append(Fact(t("export.minutes.status"), t(f"status.{r.status.value}")))
    if r.rules is not None:
        facts.append(
            Fact(
                t("export.minutes.rules"),
                f"{sanitize_line(r.rules.name)} — {sanitize(describe_rules(r.rules, t.lang))}",
            )
        )
    voted = r.status is not ProposalStatus.DRAFT
    note = None
    if not voted:
        note = t("export.minutes.not_voted")
    elif r.status is ProposalStatus.VOTING:
        note = t("export.minutes.still_open")
    counts = r.counts.as_dict()
    rows = tuple(
        CountRow(c, t(f"choice.{c.value}"), counts[c.value], t.number(counts[c.value]))
        for c in Choice
    )
    titles = dict(item.amendments)
    carried = [
        f"{t.number(k)} ({sanitize_line(titles[k])})" if k in titles else t.number(k)
        for k in r.carried_amendments
    ]
    carried_text = ", ".join(carried) if carried else t("export.minutes.none_carried")
    outcome = r.outcome if r.status is ProposalStatus.CLOSED else None
    return ItemView(
        anchor=item.proposal_id,
        heading=heading,
        facts=tuple(facts),
        amendments=tuple((n, t.number(n), sanitize_line(a)) for n, a in item.amendments),
        voted=voted,
        note=note,
        counts=rows,
        cast_line=t(
            "export.minutes.cast_eligible", cast=t.number(r.cast), eligible=t.number(r.eligible)
        ),
        outcome=outcome,
        outcome_label=_capitalise(outcome_label(r.outcome, t.lang))
        if voted
        else t(f"status.{r.status.value}"),
        explanation=sanitize(r.explanation(t.lang)),
        carried_line=f"{t('export.minutes.carried')}: {carried_text}",
        block_reasons=tuple(
            BlockLine(
                None
                if b.handle is None
                else f"{sanitize_line(b.name or '')} ({sanitize_line(b.handle)})",
                sanitize(b.reason).strip(),
            )
            for b in item.block_reasons
        ),
        chart_title=t("export.html.chart", title=title),
        amendment_states={
            n: t(f"amendment.state.{state}") for n, state in item.amendment_states.items()
        },
        amendment_lines=tuple(sanitize(line) for line in r.amendment_explanations(t.lang)),
        adopted=_adopted(t, item),
    )


def _adopted(t: Translator, item: ReportItem) -> AdoptedView | None:
    a = item.adopted
    if a is None:
        return None
    parts = tuple(DiffPart(p.op, sanitize(p.text)) for p in a.diff)
    return AdoptedView(
        heading=t("adopted.heading"),
        parts=parts,
        changed=a.text != a.original,
        legend=t("adopted.legend") if a.text != a.original else t("adopted.unchanged"),
        legend_marked=t("adopted.legend_marked")
        if a.text != a.original
        else t("adopted.unchanged"),
        hash_label=t("adopted.hash"),
        sha256=a.sha256,
        instructions_heading=t("adopted.instructions"),
        instructions=tuple(
            (t.number(i.number), sanitize_line(i.title), sanitize(i.text or i.new_text).strip())
            for i in a.instructions
        ),
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
