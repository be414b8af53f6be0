"""The HTML report in a real browser: headless Chromium renders it, the chart's bars are on
the screenshot in their colours, the SVG is in the rendered DOM and no script ran."""

from __future__ import annotations

from pathlib import Path

import pytest

from deliberate.services import importer, members, voting
from deliberate.services.export import build_report, render_html
from deliberate.services.export.html_report import COLOURS
from deliberate.store.engine import Database
from deliberate.store.models import Role
from support.chromium import run_chromium
from support.images import decode_png

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def report_file(sqlite_db: Database, tmp_path: Path) -> Path:
    """A report of one proposal with votes of all five kinds and a hostile Bloker reason."""
    db = sqlite_db
    importer.import_paths(db, [REPO / "proposals"])
    members.add_member(db, "org", "Anne Arrangør", role=Role.ORGANIZER)
    for i in range(10):
        members.add_member(db, f"m{i}", f"Medlem {i}")
    voting.open_voting(db, "org", "egf-1")
    plan = ["ja"] * 4 + ["betinget-ja"] * 2 + ["udskyd", "nej", "nej", "bloker"]
    for i, choice in enumerate(plan):
        amendments = [1] if choice == "betinget-ja" else []
        reason = (
            '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'
            if choice == "bloker"
            else ""
        )
        voting.cast_vote(db, f"m{i}", "egf-1", choice, amendments=amendments, reason=reason)
    voting.close_voting(db, "org", "egf-1")
    path = tmp_path / "report.html"
    path.write_text(render_html(build_report(db)), encoding="utf-8")
    return path


def test_chromium_renders_the_chart(report_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    result = run_chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", report_file.as_uri()
    )
    assert shot.is_file(), result.stderr[-2000:]
    width, height, bpp, rows = decode_png(shot.read_bytes())
    assert (width, height) == (1000, 1400)
    wanted = {bytes.fromhex(c[1:]): choice for choice, c in COLOURS.items()}
    seen = dict.fromkeys(COLOURS.values(), 0)
    other = 0
    for line in rows:
        for x in range(0, len(line), bpp):
            pixel = line[x : x + 3]
            if pixel in wanted:
                seen["#" + pixel.hex()] += 1
            elif pixel != b"\xff\xff\xff":
                other += 1
    # Every bar is drawn (the smallest, one vote of ten, is still 36 px by 22 px), and the
    # page is not blank around them.
    assert all(n >= 200 for n in seen.values()), seen
    assert other > 5000


def test_chromium_dom_has_the_svg_and_no_script_ran(report_file: Path, tmp_path: Path) -> None:
    result = run_chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = result.stdout
    assert "<svg" in dom and dom.count("<rect") == 5, result.stderr[-2000:]
    assert "<desc" in dom and "Bloker: 1" in dom
    assert "<title>Afstemningsresultater</title>" in dom  # the script did not set "pwned"
    assert "&lt;script&gt;" in dom and "<script" not in dom and "<img" not in dom
