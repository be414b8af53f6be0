"""Markdown minutes (referat): per proposal or agenda item, Danish by default.

Member text is escaped so it stays text: it cannot open a heading, a list, a link, an
image, a table or raw HTML (`<script>` shows as written).
"""

from __future__ import annotations

import re

from deliberate.domain.paragraphs import render_git_words
from deliberate.services.export.results import Report
from deliberate.services.export.view import AdoptedView, ItemView, ReportView, Section, report_view

# Characters that start Markdown syntax anywhere in a line (CommonMark + GFM tables,
# strikethrough); all are ASCII punctuation, so a backslash makes each literal.
_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~&!])")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")  # ASCII only: a no-break space stays
# What starts a block at the beginning of a line: lists, quotes, setext underlines, numbers.
_LINE_START = re.compile(r"^([-+=>]|\d+(?=[.)]))")


def md(text: str) -> str:
    """One line of untrusted text as literal Markdown inline content."""
    text = _INLINE.sub(r"\\\1", _SPACES.sub(" ", text).strip())
    match = _LINE_START.match(text)
    if match:
        if match.group(1)[0].isdigit():  # "1. foo" would start a list: escape the dot
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = "\\" + text
    return text


def md_lines(text: str, indent: str) -> str:
    """Several lines of untrusted text, each escaped, continued under a list item."""
    lines = [md(line) for line in text.splitlines() if line.strip()]
    return ("  \n" + indent).join(lines)


def render_minutes(report: Report, lang: str = "da") -> str:
    return render_view(report_view(report, lang))


def render_view(view: ReportView) -> str:
    out: list[str] = [f"# {md(view.title)}", ""]
    out += [md(line) + "  " for line in view.lines]
    out.append("")
    if not view.items:
        out += [md(view.empty_text), ""]
    for section in view.sections:
        out += _section(section, "##")
    for item in view.items:
        out += _item(view, item)
    out += [
        "---",
        "",
        f"## {md(view.audit_heading)}",
        "",
        f"{md(view.audit_line)}: `{view.audit_hash}`",
        "",
        md(view.verify_hint),
        "",
        "```",
        view.verify_command,
        "```",
        "",
    ]
    return "\n".join(out)


def _item(view: ReportView, item: ItemView) -> list[str]:
    t = view.t
    out = [f"## {md(item.heading)}", ""]
    for fact in item.facts:
        value = f"`{fact.value}`" if fact.code and "`" not in fact.value else md(fact.value)
        out.append(f"- **{md(fact.label)}:** {value}")
    out.append("")
    out += [f"### {md(t('export.minutes.amendments'))}", ""]
    if item.amendments:
        out += [
            f"{n}. {md(title)}"
            + (f" — *{md(item.amendment_states[n])}*" if n in item.amendment_states else "")
            for n, _, title in item.amendments
        ]
    else:
        out.append(md(t("export.minutes.no_amendments")))
    out.append("")
    if item.note:
        out += [f"*{md(item.note)}*", ""]
    for section in item.sections:
        out += _section(section, "###")
    if not item.voted:
        return out
    out += [
        f"### {md(t('export.minutes.counts'))}",
        "",
        f"| {md(t('export.minutes.choice'))} | {md(t('export.minutes.number'))} |",
        "|---|--:|",
    ]
    out += [f"| {md(row.label)} | {row.count_text} |" for row in item.counts]
    out += ["", md(item.cast_line), ""]
    out += [
        f"### {md(t('export.minutes.outcome'))}",
        "",
        f"**{md(item.outcome_label)}.** {md(item.explanation)}",
        "",
    ]
    if item.outcome is not None:
        out += [md(item.carried_line), ""]
    if item.amendment_lines:
        out += [f"- {md(line)}" for line in item.amendment_lines] + [""]
    if item.adopted is not None:
        out += _adopted(item.adopted)
    if item.block_reasons:
        out += [f"### {md(t('export.minutes.block_reasons'))}", ""]
        for b in item.block_reasons:
            who = md(b.who) if b.who else md(t("export.minutes.anonymous"))
            out.append(f"- **{who}:** {md_lines(b.reason, '  ')}")
        out.append("")
    return out


def _section(section: Section, level: str) -> list[str]:
    out = [f"{level} {md(section.heading)}", ""]
    for line in section.lines:
        if section.code and ": " in line:
            code, rest = line.split(": ", 1)
            out.append(f"- `{code}`: {md(rest)}")
        else:
            out.append(f"- {md(line)}")
    out.append("")
    return out


def _adopted(a: AdoptedView) -> list[str]:
    """The adopted text in a code block (member text stays literal there) with git-style
    markers for the changes: [-deleted-]{+inserted+}."""
    text = render_git_words(a.parts).strip("\n")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    out = [f"### {md(a.heading)}", "", f"{fence}text", text, fence, ""]
    out += [md(a.legend), ""]
    out += [f"{md(a.hash_label)}: `{a.sha256}`", ""]
    if a.instructions:
        out += [f"#### {md(a.instructions_heading)}", ""]
        for number, title, body in a.instructions:
            out.append(f"{number}\\. **{md(title)}**  ")
            if body:
                out.append(md_lines(body, ""))
            out.append("")
    return out
