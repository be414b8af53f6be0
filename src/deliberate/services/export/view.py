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
from deliberate.services import audit
from deliberate.services.export.results import MeetingInfo, Report, ReportItem
from deliberate.services.secret_ballots import PublishedBallot
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
class Section:
    """A heading and plain lines under it (attendance, proxies, speakers, secret ballots)."""

    heading: str
    lines: tuple[str, ...]
    code: bool = False  # lines start with a code (tracker codes): fixed-width


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
    sections: tuple[Section, ...] = ()
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
    verify_command: str
    t: Translator
    sections: tuple[Section, ...] = ()  # the meeting's: attendance, proxies


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
    sections: list[Section] = []
    if report.meeting is not None:
        sections = _meeting_sections(t, report.meeting)
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
        verify_command=audit.verify_command(report.audit_hash),
        t=t,
        sections=tuple(sections),
    )


def _meeting_sections(t: Translator, m: MeetingInfo) -> list[Section]:
    stays = []
    for s in m.attendance:
        until = t.datetime(s.checked_out_at, "short") if s.checked_out_at else "…"
        line = f"{sanitize_line(s.name)} ({s.handle}): {t.datetime(s.checked_in_at, 'short')} – {until}"
        if s.checked_in_by:
            line += f" ({t('export.assembly.checked_in_by', handle=s.checked_in_by)})"
        stays.append(line)
    members = {s.handle for s in m.attendance}
    heading = t("export.assembly.attendance", n=t.number(len(members)))
    out = [Section(heading, tuple(stays) or (t("export.assembly.nobody"),))]
    out.append(
        Section(
            t("export.assembly.proxies"),
            tuple(
                f"{p.principal} → {p.holder} "
                f"({sanitize_line(p.principal_name)} → {sanitize_line(p.holder_name)})"
                for p in m.proxies
            )
            or (t("export.assembly.no_proxies"),),
        )
    )
    return out


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
    if r.secret:
        facts.append(Fact(t("export.assembly.ballot"), t("assembly.secret")))
    if r.hand_count:
        facts.append(Fact(t("export.assembly.method"), t("assembly.hand_count")))
    if r.present is not None:
        facts.append(Fact(t("export.assembly.present_label"), t.number(r.present)))
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
        sections=tuple(_item_sections(t, item)),
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


def _item_sections(t: Translator, item: ReportItem) -> list[Section]:
    out = []
    if item.speakers:
        out.append(
            Section(
                t("export.assembly.speakers"),
                tuple(
                    t(
                        "export.assembly.speaker_line",
                        name=sanitize_line(s.name),
                        handle=s.handle,
                        time=t.duration(s.seconds),
                        turns=t.number(s.turns),
                    )
                    for s in item.speakers
                ),
            )
        )
    if item.ballots:
        out.append(
            Section(
                t("export.assembly.trackers", n=t.number(len(item.ballots))),
                tuple(
                    f"{b.tracker}: {t(f'choice.{b.choice.value}')}"
                    + (
                        f" ({t('voting.cli.amendments', numbers=', '.join(map(str, b.amendments)))})"
                        if b.amendments
                        else ""
                    )
                    + _answers_text(b, t)
                    for b in item.ballots
                ),
                code=True,
            )
        )
    return out


def _answers_text(ballot: PublishedBallot, t: Translator) -> str:
    """A secret ballot's separate amendment answers: " · Ændringsforslag 1: Ja · …"."""
    return "".join(
        " · " + t("voting.cli.amendment_answer", number=t.number(n), answer=t(f"answer.{a.value}"))
        for n, a in ballot.answers
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
