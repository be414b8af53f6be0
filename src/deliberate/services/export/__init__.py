"""Exports for organizers (DESIGN §4–§7, docs/exports.md): the complete forum as JSON (and
loading it back), results and ballots as CSV, Markdown minutes and an HTML report.

Every export reads one consistent snapshot; ballots and the JSON document stream in batches.
"""

from deliberate.services.export.csv_export import BALLOT_COLUMNS, RESULT_COLUMNS, cell, export_csv
from deliberate.services.export.html_report import bar_chart, render_html
from deliberate.services.export.json_dump import FORMAT, VERSION, ExportSummary, export_forum
from deliberate.services.export.json_load import ImportSummary, import_forum
from deliberate.services.export.minutes import md, render_minutes
from deliberate.services.export.progress import NO_PROGRESS, Progress, TextBar
from deliberate.services.export.results import Report, ReportItem, Selection, build_report

__all__ = [
    "BALLOT_COLUMNS",
    "FORMAT",
    "NO_PROGRESS",
    "RESULT_COLUMNS",
    "VERSION",
    "ExportSummary",
    "ImportSummary",
    "Progress",
    "Report",
    "ReportItem",
    "Selection",
    "TextBar",
    "bar_chart",
    "build_report",
    "cell",
    "export_csv",
    "export_forum",
    "import_forum",
    "md",
    "render_html",
    "render_minutes",
]
