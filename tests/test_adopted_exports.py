"""The real case: "Et Nyt Vi 1.3" with two paragraph amendments, one carried — the adopted
text in `show --adopted/--diff`, `tally`, the minutes, the HTML report (also in headless
Chromium), JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from deliberate.domain.adopted import text_sha256
from deliberate.services import importer, members, voting
from deliberate.services.export.html_report import render_html
from deliberate.services.export.minutes import render_minutes
from deliberate.services.export.results import Selection, build_report
from deliberate.store.engine import Database
from deliberate.store.models import Role
from support.amendments import Amend, add_amendments
from support.chromium import run_chromium as chromium
from support.cli import assert_one_line_error, run
from support.images import decode_png

REPO = Path(__file__).resolve().parents[1]
PID = "et-nyt-vi-1-3"
NEW_P2 = (
    "Kommunerne skal have en fast og flerårig pulje til lokale foreninger, der tager imod nye "
    "medlemmer med flygtninge- eller indvandrerbaggrund, så kontingent og udstyr ikke bliver "
    "en hindring."
)
PARAGRAPH_AMENDMENTS = [
    Amend(
        "Gør puljen flerårig",
        "replace",
        2,
        NEW_P2,
        body="Stillet af Lokalafdelingen i Odense. En pulje, der skal søges hvert år, giver "
        "ingen ro til foreningerne.",
    ),
    Amend(
        "Tilføj sprogcaféer <b>og</b> [link](http://x)",
        "insert_after",
        3,
        "Biblioteker skal kunne oprette sprogcaféer drevet af frivillige.",
    ),
]


def build_case(db: Database) -> None:
    importer.import_paths(db, [REPO / "proposals" / f"{PID}.md"])
    add_amendments(db, PID, PARAGRAPH_AMENDMENTS)  # 3 and 4
    members.add_member(db, "ole", "Ole Ordstyrer", role=Role.FACILITATOR, can_vote=False)
    for i in range(9):
        members.add_member(db, f"m{i}", f"Medlem {i}")
    voting.open_voting(db, "ole", PID)
    for i in range(2):
        voting.cast_vote(db, f"m{i}", PID, "ja")
    for i in range(2, 6):
        voting.cast_vote(db, f"m{i}", PID, "betinget-ja", amendments=[3])
    voting.cast_vote(db, "m6", PID, "betinget-ja", amendments=[3, 4])
    voting.cast_vote(db, "m7", PID, "betinget-ja", amendments=[1, 4])
    voting.cast_vote(db, "m8", PID, "nej")
    voting.close_voting(db, "ole", PID)


@pytest.fixture
def case(any_db: Database) -> Database:
    build_case(any_db)
    return any_db


def test_the_case_is_decided_as_expected(case: Database) -> None:
    result = voting.tally(case, PID)
    # yes-side 8: amendment 3 has 5 (> 4) and is carried; 4 has 2, 1 has 1.
    assert result.carried_amendments == (3,)
    assert result.adopted_sha256 is not None
    lines = [line.replace("\xa0", " ") for line in result.amendment_explanations("da")]
    assert lines[2] == (
        "Ændringsforslag 3 vedtaget: 5 af 8 stemmer på ja-siden er Betinget ja med det "
        "(62,5 %); der kræves mere end 50 %."
    )
    assert lines[3].startswith("Ændringsforslag 4 ikke vedtaget: kun 2 af 8")


def test_minutes_give_the_adopted_text_with_changes_and_hash(case: Database) -> None:
    result = voting.tally(case, PID)
    text = render_minutes(build_report(case, Selection(proposal=PID)), "da")
    assert "### Vedtaget tekst" in text
    assert "fast {+og flerårig +}pulje" in text and "[-aldrig er-]{+ikke bliver+}" in text
    assert "Biblioteker skal kunne oprette sprogcaféer" not in text  # amendment 4 not carried
    assert f"`{result.adopted_sha256}`" in text
    assert (
        "3\\. Gør puljen flerårig — *vedtaget*" in text
        or "3. Gør puljen flerårig — *vedtaget*" in text
    )
    assert "ikke vedtaget" in text
    assert "Ændringsforslag 3 vedtaget: 5 af 8" in text.replace("\xa0", " ")
    # The hostile title stays literal.
    assert "\\<b\\>og\\</b\\> \\[link\\](http://x)" in text
    english = render_minutes(build_report(case, Selection(proposal=PID)), "en")
    assert "### Adopted text" in english and "Amendment 3 carried" in english


def test_html_report_marks_changes_with_ins_and_del(case: Database) -> None:
    result = voting.tally(case, PID)
    html = render_html(build_report(case, Selection(proposal=PID)), "da")
    assert "fast <ins>og flerårig </ins>pulje" in html
    assert "<del>aldrig er</del><ins>ikke bliver</ins>" in html
    assert f"<code>{result.adopted_sha256}</code>" in html
    assert "&lt;b&gt;og&lt;/b&gt;" in html and "<b>og" not in html
    assert "text-decoration: line-through" in html and "text-decoration: underline" in html


def test_json_and_csv_carry_the_adopted_text(case: Database, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = case.url
    code, out, _ = run(capsys, "--db", url, "tally", PID, "--json")
    data = json.loads(out)
    assert code == 0 and data["adopted_text_sha256"] == voting.tally(case, PID).adopted_sha256
    assert len(data["amendments"]) == 4
    dump = tmp_path / "forum.json"
    assert run(capsys, "--db", url, "export", "--format", "json", "--out", str(dump))[0] == 0
    tally = json.loads(dump.read_text(encoding="utf-8"))["tallies"][0]
    assert text_sha256(tally["adopted_text"]) == tally["adopted_text_sha256"]
    assert "fast og flerårig" in tally["adopted_text"]
    code, out, _ = run(capsys, "--db", url, "export", "--format", "csv", "--proposal", PID)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["adopted_text_sha256"] == tally["adopted_text_sha256"]


def test_show_adopted_and_diff(case: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    url = case.url
    code, out, err = run(capsys, "--db", url, "--lang", "en", "show", PID, "--adopted")
    assert code == 0, err
    assert "fast og flerårig" in out and "ikke bliver en hindring" in out and "[-" not in out
    assert "Carried amendments for the editors" not in out  # no free-text amendment carried
    assert voting.tally(case, PID).adopted_sha256 in out
    code, out, err = run(capsys, "--db", url, "show", PID, "--diff")
    assert code == 0, err
    assert "fast {+og flerårig +}pulje" in out and "\x1b[" not in out  # not a terminal
    assert_one_line_error(run(capsys, "--db", url, "show", PID, "--adopted", "--diff"), "--adopted")


def test_show_adopted_refused_while_open(any_db: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    importer.import_paths(any_db, [REPO / "proposals" / f"{PID}.md"])
    members.add_member(any_db, "ole", "Ole", role=Role.FACILITATOR)
    voting.open_voting(any_db, "ole", PID)
    assert_one_line_error(
        run(capsys, "--db", any_db.url, "--lang", "en", "show", PID, "--adopted"),
        "no adopted text",
        "not closed",
    )


def test_cli_separate_amendment_votes(any_db: Database, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    importer.import_paths(any_db, [REPO / "proposals" / f"{PID}.md"])
    members.add_member(any_db, "ole", "Ole", role=Role.FACILITATOR)
    members.add_member(any_db, "m1", "Medlem 1")
    rules = tmp_path / "saerskilt.toml"
    rules.write_text('name = "saerskilt"\namendments = "separate"\n', encoding="utf-8")
    url = any_db.url
    assert run(capsys, "--db", url, "open", PID, "--rules", str(rules), "--as", "ole")[0] == 0
    code, out, err = run(
        capsys, "--db", url, "--lang", "en", "vote", PID, "ja", "--as", "m1",
        "--amendment-vote", "2=nej", "--amendment-vote", "1=ja",
    )  # fmt: skip
    assert code == 0, err
    assert "Amendment 1: Yes" in out and "Amendment 2: No" in out
    assert_one_line_error(
        run(capsys, "--db", url, "--lang", "en", "vote", PID, "betinget-ja", "--as", "m1",
            "--amendment", "1"),
        "not offered",
    )  # fmt: skip
    assert_one_line_error(
        run(capsys, "--db", url, "vote", PID, "ja", "--as", "m1", "--amendment-vote", "1:ja"),
        "1:ja",
    )
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "tally", PID)
    assert "Amendment 1: 1 yes, 0 no, 0 abstain" in out
    assert "Amendment 2: 0 yes, 1 no, 0 abstain" in out
    assert run(capsys, "--db", url, "close", PID, "--as", "ole")[0] == 0
    code, out, _ = run(capsys, "--db", url, "--lang", "en", "tally", PID)
    assert "Amendment 1 carried: 1 yes to 0 no" in out
    assert "Amendment 2 not carried: 0 yes to 1 no" in out


# ------------------------------------------------------------------------- headless Chromium


def test_chromium_shows_the_adopted_text(sqlite_db: Database, tmp_path: Path) -> None:
    build_case(sqlite_db)
    report = tmp_path / "report.html"
    report.write_text(render_html(build_report(sqlite_db, Selection(proposal=PID))), "utf-8")
    dom = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    assert "fast <ins>og flerårig </ins>pulje" in dom
    shot = tmp_path / "adopted.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,2600", report.as_uri())
    assert shot.is_file(), result.stderr[-2000:]
    width, height, bpp, rows = decode_png(shot.read_bytes())
    ins_bg, del_bg = bytes.fromhex("dcedc8"), bytes.fromhex("ffcdd2")
    found = {ins_bg: 0, del_bg: 0}
    for line in rows:
        for x in range(0, len(line), bpp):
            if line[x : x + 3] in found:
                found[line[x : x + 3]] += 1
    # Both marks are painted (the outcome badge uses the same green, so ask for more of it).
    assert found[del_bg] > 100 and found[ins_bg] > 300, found
    keep = Path("/tmp/amendrules-adopted.png")
    keep.write_bytes(shot.read_bytes())
