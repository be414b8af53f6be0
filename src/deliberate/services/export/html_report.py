"""The HTML report: one self-contained file (no external assets, no script), readable on
screen and in print, with an inline SVG bar chart of the five counts per proposal.

All text goes through html.escape; a Content-Security-Policy forbids scripts and any fetch,
as a second wall should something ever slip through.
"""

from __future__ import annotations

from html import escape

from deliberate.domain.ballot import Choice
from deliberate.domain.paragraphs import DiffOp
from deliberate.services.export.results import Report
from deliberate.services.export.view import AdoptedView, ItemView, ReportView, Section, report_view

COLOURS: dict[Choice, str] = {
    Choice.JA: "#2e7d32",
    Choice.BETINGET_JA: "#7cb342",
    Choice.UDSKYD: "#f9a825",
    Choice.NEJ: "#c62828",
    Choice.BLOKER: "#6a1b9a",
}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-top: 1rem; border-top: 2px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: #555; margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font: .9em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
table.counts { border-collapse: collapse; margin: .4rem 0; }
table.counts th, table.counts td { padding: .15rem .8rem .15rem 0; text-align: left; }
table.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .5rem 0; }
.outcome { font-size: 1.1rem; }
.outcome strong { padding: .1rem .45rem; border-radius: .25rem; background: #eee; }
.outcome-adopted strong, .outcome-adopted_with_amendments strong { background: #dcedc8; }
.outcome-rejected strong, .outcome-blocked strong { background: #ffcdd2; }
.outcome-postponed strong, .outcome-no_quorum strong { background: #fff3c4; }
.note { font-style: italic; color: #555; }
ul.reasons li { margin: .3rem 0; white-space: pre-line; }
.state { color: #555; font-style: italic; }
ul.amendment-verdicts li { margin: .2rem 0; }
.adopted-text { white-space: pre-wrap; border-left: 4px solid #9ccc65; padding: .4rem 0 .4rem 1rem;
  margin: .5rem 0; }
.adopted ins { background: #dcedc8; color: #1b5e20; text-decoration: underline; }
.adopted del { background: #ffcdd2; color: #b71c1c; text-decoration: line-through; }
.legend { color: #555; font-size: .9rem; }
ol.instructions .instruction { white-space: pre-line; }
footer { margin-top: 2.5rem; padding-top: 1rem; border-top: 2px solid #ddd; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section.item { break-inside: avoid-page; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(report: Report, lang: str = "da") -> str:
    return render_view(report_view(report, lang))


def e(text: str) -> str:
    return escape(text, quote=True)


def render_view(view: ReportView) -> str:
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(view.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(view.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{e(view.title)}</h1>",
        *(f'<p class="meta">{e(line)}</p>' for line in view.lines),
        "</header>",
    ]
    if not view.items:
        parts.append(f"<p>{e(view.empty_text)}</p>")
    parts += [_section(section, "h2") for section in view.sections]
    for index, item in enumerate(view.items):
        parts.append(_item(view, item, index))
    parts += [
        '<footer id="verify">',
        f"<h2>{e(view.audit_heading)}</h2>",
        f"<p>{e(view.audit_line)}: <code>{e(view.audit_hash)}</code></p>",
        f"<p>{e(view.verify_hint)}</p>",
        f"<pre><code>{e(view.verify_command)}</code></pre>",
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _item(view: ReportView, item: ItemView, index: int) -> str:
    t = view.t
    out = [
        f'<section class="item" id="item-{index + 1}">',
        f"<h2>{e(item.heading)}</h2>",
        '<dl class="facts">',
    ]
    for fact in item.facts:
        value = f"<code>{e(fact.value)}</code>" if fact.code else e(fact.value)
        out.append(f"<dt>{e(fact.label)}</dt><dd>{value}</dd>")
    out.append("</dl>")
    out.append(f"<h3>{e(t('export.minutes.amendments'))}</h3>")
    if item.amendments:
        out.append("<ol>")
        out += [
            f'<li value="{n}">{e(title)}'
            + (
                f' <span class="state">— {e(item.amendment_states[n])}</span>'
                if n in item.amendment_states
                else ""
            )
            + "</li>"
            for n, _, title in item.amendments
        ]
        out.append("</ol>")
    else:
        out.append(f"<p>{e(t('export.minutes.no_amendments'))}</p>")
    if item.note:
        out.append(f'<p class="note">{e(item.note)}</p>')
    if item.voted:
        out.append(f"<h3>{e(t('export.minutes.counts'))}</h3>")
        out.append(bar_chart(item, f"chart-{index + 1}"))
        out.append('<table class="counts">')
        out.append(
            f"<tr><th>{e(t('export.minutes.choice'))}</th><th>{e(t('export.minutes.number'))}</th></tr>"
        )
        out += [
            f'<tr><td>{e(row.label)}</td><td class="n">{e(row.count_text)}</td></tr>'
            for row in item.counts
        ]
        out.append("</table>")
        out.append(f"<p>{e(item.cast_line)}</p>")
        out.append(f"<h3>{e(t('export.minutes.outcome'))}</h3>")
        token = item.outcome.value if item.outcome else "open"
        out.append(
            f'<p class="outcome outcome-{e(token)}"><strong>{e(item.outcome_label)}</strong></p>'
        )
        out.append(f"<p>{e(item.explanation)}</p>")
        if item.outcome is not None:
            out.append(f"<p>{e(item.carried_line)}</p>")
        if item.amendment_lines:
            out.append('<ul class="amendment-verdicts">')
            out += [f"<li>{e(line)}</li>" for line in item.amendment_lines]
            out.append("</ul>")
        if item.adopted is not None:
            out.append(adopted_html(item.adopted))
        if item.block_reasons:
            out.append(f"<h3>{e(t('export.minutes.block_reasons'))}</h3>")
            out.append('<ul class="reasons">')
            for b in item.block_reasons:
                who = e(b.who) if b.who else e(t("export.minutes.anonymous"))
                out.append(f"<li><strong>{who}:</strong> {e(b.reason)}</li>")
            out.append("</ul>")
    out += [_section(section, "h3") for section in item.sections]
    out.append("</section>")
    return "\n".join(out)


def adopted_html(a: AdoptedView) -> str:
    """The adopted text with deletions in <del> and insertions in <ins>: struck through and
    underlined as well as coloured, so the changes read in black-and-white print too."""
    body = "".join(
        f"<del>{e(p.text)}</del>"
        if p.op is DiffOp.DELETE
        else f"<ins>{e(p.text)}</ins>"
        if p.op is DiffOp.INSERT
        else e(p.text)
        for p in a.parts
    )
    out = [
        '<div class="adopted">',
        f"<h3>{e(a.heading)}</h3>",
        f'<div class="adopted-text">{body.strip()}</div>',
        f'<p class="legend">{e(a.legend_marked)}</p>',
        f"<p>{e(a.hash_label)}: <code>{e(a.sha256)}</code></p>",
    ]
    if a.instructions:
        out.append(f"<h4>{e(a.instructions_heading)}</h4>")
        out.append('<ol class="instructions">')
        for number, title, text in a.instructions:
            out.append(
                f'<li value="{e(number)}"><strong>{e(title)}</strong>'
                + (f'<div class="instruction">{e(text)}</div>' if text else "")
                + "</li>"
            )
        out.append("</ol>")
    out.append("</div>")
    return "\n".join(out)


def bar_chart(item: ItemView, chart_id: str) -> str:
    """Horizontal bars of the five counts, each with its label and number as SVG text."""
    label_w, bar_w, number_w, row_h, pad = 130, 360, 70, 30, 8
    width = label_w + bar_w + number_w
    height = row_h * len(item.counts) + pad
    top = max((row.count for row in item.counts), default=0)
    desc = "; ".join(f"{row.label}: {row.count_text}" for row in item.counts)
    out = [
        f'<svg class="chart" id="{chart_id}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{e(item.chart_title)}</title>',
        f'<desc id="{chart_id}-desc">{e(desc)}</desc>',
    ]
    for i, row in enumerate(item.counts):
        y = pad // 2 + i * row_h
        length = round(bar_w * row.count / top) if top else 0
        if row.count and length < 2:
            length = 2  # a vote is never invisible
        middle = y + row_h / 2
        out.append(
            f'<text x="{label_w - 10}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="14" fill="#1b1b1b">{e(row.label)}</text>'
        )
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="{row_h - 8}" '
            f'fill="{COLOURS[row.choice]}" rx="2"/>'
        )
        out.append(
            f'<text x="{label_w + length + 8}" y="{middle:.1f}" dominant-baseline="middle" '
            f'font-size="14" font-weight="600" fill="#1b1b1b">{e(row.count_text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _section(section: Section, tag: str) -> str:
    out = [f"<{tag}>{e(section.heading)}</{tag}>", '<ul class="section">']
    for line in section.lines:
        if section.code and ": " in line:
            code, rest = line.split(": ", 1)
            out.append(f"<li><code>{e(code)}</code>: {e(rest)}</li>")
        else:
            out.append(f"<li>{e(line)}</li>")
    out.append("</ul>")
    return "\n".join(out)
