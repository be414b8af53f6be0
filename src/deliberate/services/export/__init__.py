"""Exports for organizers (DESIGN §4–§7, docs/exports.md): the complete forum as JSON (and
loading it back), results and ballots as CSV, Markdown minutes and an HTML report.

Every export reads one consistent snapshot; ballots and the JSON document stream in batches.

Names load on first use (PEP 562), so a command that streams the ballots CSV imports only
that module, not the ORM, the tally code or the report renderers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deliberate.services.export.csv_export import (
        BALLOT_COLUMNS,
        RESULT_COLUMNS,
        cell,
        export_csv,
    )
    from deliberate.services.export.html_report import bar_chart, render_html
    from deliberate.services.export.json_dump import FORMAT, VERSION, ExportSummary, export_forum
    from deliberate.services.export.json_load import ImportSummary, import_forum
    from deliberate.services.export.minutes import md, render_minutes
    from deliberate.services.export.progress import NO_PROGRESS, Progress, TextBar
    from deliberate.services.export.results import Report, ReportItem, build_report
    from deliberate.services.export.selection import Selection

_MODULES = {
    "csv_export": ("BALLOT_COLUMNS", "RESULT_COLUMNS", "cell", "export_csv"),
    "html_report": ("bar_chart", "render_html"),
    "json_dump": ("FORMAT", "VERSION", "ExportSummary", "export_forum"),
    "json_load": ("ImportSummary", "import_forum"),
    "minutes": ("md", "render_minutes"),
    "progress": ("NO_PROGRESS", "Progress", "TextBar"),
    "results": ("Report", "ReportItem", "build_report"),
    "selection": ("Selection",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
