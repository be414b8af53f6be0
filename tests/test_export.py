"""Exports (issue 6): every format checked against `tally --json` on the same forum, hostile
member text harmless everywhere, --anonymous, --proposal and --session, where output goes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import text, update

from deliberate.domain.text import is_safe
from deliberate.services import comments, importer, members, voting
from deliberate.services.export import (
    BALLOT_COLUMNS,
    NO_PROGRESS,
    RESULT_COLUMNS,
    Selection,
    TextBar,
    build_report,
    cell,
    md,
    render_minutes,
)
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import Comment, Member, Role, Vote
from support.cli import assert_one_line_error, run
from support.exports import AGENDA, EXPECTED, HYPERLINK, MARKUP, OSC52, SCRIPT, build_forum

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def forum_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One forum per backend, built once for this module's read-only tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('forum') / 'forum.db'}"
        drop: Callable[[], None] = lambda: None  # noqa: E731
    else:
        pgs = request.getfixturevalue("pg_databases")
        url = pgs.create()
        drop = lambda: pgs.drop(url)  # noqa: E731
    db = Database(url)
    migrate.upgrade(db)
    build_forum(db)
    db.dispose()
    yield url
    drop()


@pytest.fixture
def cli(forum_url: str, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def call(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--db", forum_url, *args)

    return call


def tally_json(cli: Callable[..., tuple[int, str, str]], pid: str, lang: str = "da") -> dict:
    code, out, err = cli("--lang", lang, "tally", pid, "--json")
    assert code == 0, err
    return json.loads(out)


def read_csv(text_: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text_)))


# ------------------------------------------------------------------------------------ CSV


def test_results_csv_matches_tally_json(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "csv")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == ",".join(RESULT_COLUMNS)
    rows = {r["proposal"]: r for r in read_csv(out)}
    assert set(rows) == set(EXPECTED)  # every proposal put to a vote; drafts left out
    for pid, (rules, outcome) in EXPECTED.items():
        row, tally = rows[pid], tally_json(cli, pid)
        assert (
            (row["rules"], row["outcome"]) == (rules, outcome) == (tally["rules"], tally["outcome"])
        )
        for choice, n in tally["counts"].items():
            assert row[choice] == str(n)
        assert (int(row["cast"]), int(row["eligible"])) == (tally["cast"], tally["eligible"])
        assert row["status"] == tally["status"]
        assert row["carried_amendments"] == ";".join(map(str, tally["carried_amendments"]))
        assert row["explanation"] == tally["explanation"]
    assert rows["egf-1"]["carried_amendments"] == "1"
    assert rows["egf-2"]["eligible"] == "11"  # the facilitator without a vote is not counted


def test_ballots_csv_lists_every_current_vote_with_hostile_cells_neutralised(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "csv", "--table", "ballots")
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(BALLOT_COLUMNS)
    rows = read_csv(out)
    by_key = {(r["proposal"], r["member"]): r for r in rows}
    total = sum(tally_json(cli, pid)["cast"] for pid in EXPECTED)
    assert len(rows) == total == 35
    assert by_key[("egf-1", "m2")]["amendments"] == "1;3"
    assert by_key[("egf-1", "m2")]["choice"] == "betinget_ja"
    changed = by_key[("resolution-busruter", "m4")]
    assert (changed["changed"], changed["choice"]) == ("true", "ja")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", changed["cast_at"])
    assert by_key[("egf-1", "m0")]["changed"] == "false"
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", changed["receipt"])
    # Formula-looking text cells start with ' ; counts and plain tokens stay as they are.
    assert by_key[("egf-1", "m5")]["reason"] == "'@SUM(1+1)"
    assert by_key[("egf-1", "m6")]["reason"] == "'-2+3"
    assert by_key[("egf-1", "m7")]["reason"] == "'" + HYPERLINK + "\n-1+1"
    blocker = by_key[("egf-2", "m6")]["reason"]
    assert SCRIPT in blocker and "\x1b" not in blocker and "\x07" not in blocker
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
            assert is_safe(value)


def test_csv_cell_rule() -> None:
    assert cell("=1+1") == "'=1+1"
    assert cell("+1") == "'+1" and cell("-1") == "'-1" and cell("@A1") == "'@A1"
    assert cell("\tx") == "'\tx"
    assert (
        cell("\r=x") == "\n=x"
    )  # CR becomes a line break when sanitised: no longer a formula start
    assert cell("a=b") == "a=b" and cell("") == ""
    assert cell(OSC52 + "ok") == "ok"


def test_csv_out_folder_file_and_stdout_rules(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, _ = cli("--lang", "en", "export", "-f", "csv", "--out", str(folder))
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["ballots.csv", "results.csv"]
    assert "results.csv (rows: 7)" in out and "ballots.csv (rows: 35)" in out
    # A file: results there, ballots beside it.
    code, _, _ = cli("export", "-f", "csv", "--out", str(tmp_path / "forum.csv"))
    assert code == 0
    assert (
        (tmp_path / "forum-ballots.csv").read_text(encoding="utf-8").startswith("proposal,member,")
    )
    assert (tmp_path / "forum.csv").read_text(encoding="utf-8").startswith("proposal,title,")
    # --anonymous: no ballots anywhere.
    anon = tmp_path / "anon"
    anon.mkdir()
    assert cli("export", "-f", "csv", "--out", str(anon), "--anonymous")[0] == 0
    assert [p.name for p in anon.iterdir()] == ["results.csv"]
    assert cli("export", "-f", "csv", "--out", str(tmp_path / "a.csv"), "--anonymous")[0] == 0
    assert not (tmp_path / "a-ballots.csv").exists()
    # --table picks one table for a file.
    assert (
        cli("export", "-f", "csv", "--table", "ballots", "--out", str(tmp_path / "b.csv"))[0] == 0
    )
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").startswith("proposal,member,")
    assert not (tmp_path / "b-ballots.csv").exists()
    # Mistakes: one line each, nothing written.
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "csv", "--table", "ballots", "--anonymous"),
        "--anonymous",
    )
    assert_one_line_error(cli("--lang", "en", "export", "-f", "csv", "--table", "votes"), "votes")
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "md", "--table", "results"), "--table"
    )
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "csv", "--out", str(tmp_path / "nope") + "/"),
        "does not exist",
    )
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "csv", "--out", str(tmp_path / "nope" / "x.csv")),
        "does not exist",
    )
    assert_one_line_error(cli("--lang", "en", "export", "-f", "pdf"), "pdf")
    assert not list(tmp_path.glob("**/*.tmp"))


def test_filters_proposal_and_session(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("export", "-f", "csv", "--proposal", "egf-3")
    assert [r["proposal"] for r in read_csv(out)] == ["egf-3"]
    code, out, _ = cli("export", "-f", "csv", "--session", "1")
    assert [r["proposal"] for r in read_csv(out)] == AGENDA  # agenda order, the draft included
    assert read_csv(out)[1]["status"] == "draft" and read_csv(out)[1]["outcome"] == ""
    code, out, _ = cli("export", "-f", "csv", "--session", "1", "--table", "ballots")
    assert {r["proposal"] for r in read_csv(out)} == {"egf-4", "egf-1"}
    code, out, _ = cli("export", "-f", "md", "--session", "1")
    headings = [line for line in out.splitlines() if line.startswith("## Dagsordenspunkt")]
    assert [h.split(":")[0] for h in headings[:3]] == [
        "## Dagsordenspunkt 1",
        "## Dagsordenspunkt 2",
        "## Dagsordenspunkt 3",
    ]
    assert "egf-4" in out and "egf-1" in out and "egf-2" not in out
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "md", "--session", "99"), "Unknown session 99"
    )
    assert_one_line_error(cli("--lang", "en", "export", "-f", "html", "--proposal", "nope"), "nope")
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "md", "--proposal", "egf-1", "--session", "1"), "either"
    )
    assert_one_line_error(
        cli("--lang", "en", "export", "-f", "json", "--session", "1"), "whole forum"
    )
    assert_one_line_error(cli("--lang", "en", "export", "-f", "json", "--anonymous"), "whole forum")


# ------------------------------------------------------------------------------ Markdown


def markdown_tokens(source: str) -> list:  # type: ignore[type-arg]
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    flat = []
    for token in parser.parse(source):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def test_minutes_match_tally_json_and_name_the_blockers(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "md")
    assert code == 0 and err == ""
    sections = re.split(r"^## ", out, flags=re.M)
    for pid in EXPECTED:
        tally = tally_json(cli, pid)
        section = next(s for s in sections if f"`{pid}`" in s)
        for label, key in (
            ("Ja", "ja"),
            ("Betinget ja", "betinget_ja"),
            ("Udskyd", "udskyd"),
            ("Nej", "nej"),
            ("Bloker", "bloker"),
        ):
            assert f"| {label} | {tally['counts'][key]} |" in section
        assert f"Stemmer afgivet: {tally['cast']} af {tally['eligible']}" in section
        assert tally["rules"] in section
        assert md(tally["explanation"]) in section
    egf1 = next(s for s in sections if "`egf-1`" in s)
    assert "Vedtagne ændringsforslag: 1 (Indfør en klimalov" in egf1
    assert "Tekstens SHA-256" in egf1
    egf2 = next(s for s in sections if "`egf-2`" in s)
    assert "Begrundelser for Bloker" in egf2 and "(m6)" in egf2 and "Medlem 6" not in egf2
    assert "**\\-2+3 (m6):**" in egf2
    head = re.search(r"Loggens hoved \(post \d+\): `([0-9a-f]{64})`", out)
    code, verify_out, _ = cli("verify")
    assert head and head.group(1) in verify_out
    assert "deliberate verify" in out.split("## Kontrol")[1]


def test_minutes_in_english_and_anonymous(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(
        "export", "--format", "md", "--lang", "en", "--anonymous", "--proposal", "egf-2"
    )
    assert code == 0
    tally = tally_json(cli, "egf-2", "en")
    assert "Reasons given for Block" in out and "| Block | 2 |" in out
    assert md(tally["explanation"]) in out
    assert "(m6)" not in out and "(m7)" not in out and out.count("**Anonymous:**") == 2
    assert "Audit log head" in out
    code, out, _ = cli("--lang", "en", "export", "--format", "md", "--proposal", "egf-10")
    assert "has not been put to a vote" in out


def test_minutes_cannot_be_hijacked_by_member_text(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("export", "--format", "md", "--session", "1")
    _, all_out, _ = cli("export", "--format", "md")
    for source in (out, all_out):
        tokens = markdown_tokens(source)
        assert not [
            t for t in tokens if t.type in ("html_inline", "html_block", "link_open", "image")
        ]
        assert not [t for t in tokens if t.type == "blockquote_open"]
        assert "\x1b" not in source and "\x07" not in source
        rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(source)
        assert "<script>" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    headings = [t for t in markdown_tokens(all_out) if t.type == "heading_open"]
    # title + per proposal (## and its ### parts) + verification: no heading from member text
    assert all(not h.map or "Overskrift" not in all_out.splitlines()[h.map[0]] for h in headings)


def test_md_escape() -> None:
    assert md("# x") == "\\# x"
    assert md("1. x") == "1\\. x" and md("2) x") == "2\\) x"
    assert md("- x") == "\\- x" and md("> x") == "\\> x" and md("+ x") == "\\+ x"
    assert md("[a](b)") == "\\[a\\](b)"
    assert md("<b>&amp;") == "\\<b\\>\\&amp;"
    assert md("a\nb") == "a b"


# ----------------------------------------------------------------------------------- HTML


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_escapes_member_text_and_has_a_chart_per_vote(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("export", "--format", "html")
    assert code == 0
    page = _Collector()
    page.feed(out)
    tags = [tag for tag, _ in page.tags]
    assert (
        "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    )
    for _, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on")
            if name in ("src", "href"):
                raise AssertionError(f"external reference {name}={value}")
    assert out.count("<svg") == len(EXPECTED) and tags.count("title") == 1 + len(EXPECTED)
    text_ = "".join(page.text)
    assert SCRIPT in text_  # shown as text...
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out  # ...because it was escaped
    assert "\x1b" not in out and "\x07" not in out
    for pid in EXPECTED:
        tally = tally_json(cli, pid)
        chart = re.search(
            r'<section class="item"[^>]*>(?:(?!</section>).)*<code>'
            + re.escape(pid)
            + r"</code>.*?</section>",
            out,
            re.S,
        )
        assert chart, pid
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart.group(0)).group(1)  # type: ignore[union-attr]
        assert (
            desc
            == f"Ja: {tally['counts']['ja']}; Betinget ja: {tally['counts']['betinget_ja']}; Udskyd: {tally['counts']['udskyd']}; Nej: {tally['counts']['nej']}; Bloker: {tally['counts']['bloker']}"
        )
        assert f"<p>{tally['explanation']}</p>" in chart.group(0).replace("&#x27;", "'")
    assert "@media print" in out and "Content-Security-Policy" in out
    assert re.search(r"<code>[0-9a-f]{64}</code></p>\n<p>[^<]*deliberate verify", out)


# ----------------------------------------------------------------------------------- JSON


def test_json_export_has_the_documented_shape_and_is_inert(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "json")
    assert code == 0 and err == ""
    assert "<" not in out and "\x1b" not in out
    doc = json.loads(out)
    assert (doc["format"], doc["version"]) == ("deliberate-forum", 1)
    assert list(doc) == [
        "format",
        "version",
        "exported_at",
        "generator",
        "schema_revision",
        "audit_head",
        "members",
        "programmes",
        "proposals",
        "supporters",
        "forum_settings",
        "results",
        "tallies",
        "meetings",
        "agenda_items",
        "speaker_requests",
        "attendance",
        "proxies",
        "secret_participations",
        "secret_ballots",
        "votes",
        "vote_history",
        "comments",
        "audit_log",
    ]
    assert all("key" not in k for m in doc["members"] for k in m)  # no keys
    assert doc["audit_head"]["hash"] == doc["audit_log"][-1]["hash"]
    for result in doc["results"]:
        if result["status"] != "draft":
            assert result == tally_json(cli, result["proposal"])
    bodies = [c["body"] for c in doc["comments"]]
    assert any(SCRIPT in b and MARKUP in b for b in bodies)
    p1 = next(p for p in doc["proposals"] if p["id"] == "egf-1")
    assert len(p1["content_hash"]) == 64 and [a["number"] for a in p1["amendments"]] == [1, 2, 3]
    assert p1["rules"]["name"] == "pofo"
    assert len(doc["vote_history"]) == len(doc["votes"]) + 1  # one change


def test_the_chain_can_be_recomputed_from_the_json_alone(cli) -> None:  # type: ignore[no-untyped-def]
    """docs/exports.md's recipe, without deliberate: the last hash is the minutes' head."""
    import hashlib

    doc = json.loads(cli("export", "--format", "json")[1])
    prev = "0" * 64
    for e in doc["audit_log"]:
        body = {k: e[k] for k in ("seq", "created_at", "actor", "action", "subject", "payload")}
        text_ = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert e["prev_hash"] == prev
        assert e["hash"] == hashlib.sha256((prev + text_).encode()).hexdigest()
        prev = e["hash"]
    assert prev == doc["audit_head"]["hash"]
    assert f"`{prev}`" in cli("export", "--format", "md")[1]


# ------------------------------------------------------------------ hostile text in storage


def test_control_characters_in_stored_text_are_stripped_again_when_rendered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text that reached the database unsanitised (an old version, a hand edit) is still
    harmless in every format."""
    url = f"sqlite:///{tmp_path / 'raw.db'}"
    db = Database(url)
    migrate.upgrade(db)
    importer.import_paths(db, [REPO / "proposals" / "resolution-busruter-vestjylland.md"])
    members.add_member(db, "org", "Org", role=Role.ORGANIZER)
    members.add_member(db, "m1", "M1")
    voting.open_voting(db, "org", "resolution-busruter")
    voting.cast_vote(db, "m1", "resolution-busruter", "bloker", reason="x")
    comments.add_comment(db, "m1", "resolution-busruter", "y")
    with db.write() as s:
        s.execute(
            update(Vote).values(
                reason=OSC52 + HYPERLINK + "\x9b31m\u202e" + SCRIPT, receipt='=1,"2'
            )
        )
        s.execute(
            update(Member).where(Member.handle == "m1").values(name=OSC52 + HYPERLINK, handle="-m1")
        )
        s.execute(update(Comment).values(body=OSC52 + SCRIPT))
    db.dispose()
    outputs = {}
    for fmt, extra in (("csv", ["--table", "ballots"]), ("md", []), ("html", []), ("json", [])):
        code, out, err = run(capsys, "--db", url, "export", "-f", fmt, *extra)
        assert code == 0, err
        outputs[fmt] = out
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    ballot = read_csv(outputs["csv"])[0]
    assert ballot["reason"] == "'" + HYPERLINK + SCRIPT  # stripped, then neutralised
    assert ballot["member"] == "'-m1"  # a handle no check would have let in
    assert ballot["receipt"] == "'=1,\"2" and len(read_csv(outputs["csv"])) == 1
    assert "\\u001b" in outputs["json"]  # JSON keeps the stored text, escaped and inert
    assert json.loads(outputs["json"])["comments"][0]["body"] == OSC52 + SCRIPT


# ------------------------------------------------------------------------------- progress


def test_no_progress_output_when_stderr_is_not_a_terminal(forum_url: str, tmp_path: Path) -> None:
    if not forum_url.startswith("sqlite"):
        pytest.skip("one backend is enough for a process test")
    env = {**os.environ, "DELIBERATE_DB": forum_url}
    for fmt in ("csv", "json"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from deliberate.cli import main; main()",
                "export",
                "-f",
                fmt,
                "--out",
                str(tmp_path / f"x.{fmt}"),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""


def test_text_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from deliberate.cli import cmd_export

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    bar = cmd_export._progress()
    assert isinstance(bar, TextBar)
    bar.start("CSV", 200)
    bar.advance(100)
    bar.finish()
    assert "CSV" in tty.getvalue() and "100.0 %" in tty.getvalue() and tty.getvalue().endswith("\n")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cmd_export._progress() is NO_PROGRESS


def test_report_reads_one_snapshot(forum_url: str) -> None:
    db = Database(forum_url)
    try:
        report = build_report(db, Selection(meeting=1), anonymous=True)
        assert [i.proposal_id for i in report.items] == AGENDA
        assert [i.position for i in report.items] == [1, 2, 3]
        assert report.meeting is not None and report.meeting.status == "ended"
        with db.read() as s:
            assert report.audit_seq == s.execute(text("SELECT seq FROM audit_head")).scalar()
        assert "Dagsordenspunkt 3" in render_minutes(report)
    finally:
        db.dispose()


def test_fast_and_careful_ballot_paths_write_the_same(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Rows written as the database gives them equal rows that went through cell()."""
    from deliberate.services.export import csv_export

    code, fast, _ = cli("export", "-f", "csv", "--table", "ballots")
    monkeypatch.setattr(csv_export, "_SAFE_ID", re.compile(r"(?!)"))  # no id is trusted
    code, careful, _ = cli("export", "-f", "csv", "--table", "ballots")
    assert fast == careful and len(fast.splitlines()) > 30


def test_fast_ballot_lines_fall_back_when_a_field_is_not_what_the_system_writes() -> None:
    from deliberate.services.export.csv_export import _ballot_text, _Lines

    when = "2027-03-14 10:31:07.123456"
    good = ("m1", "ja", "", "", 1, "AB12-CD34", when)
    assert (
        _ballot_text("p1", [good], False, _Lines())
        == "p1,m1,ja,,,false,AB12-CD34,2027-03-14T10:31:07Z\n"
    )
    odd_rows = [
        ("m2", "ja", "", "", 1, '=1,"2', when),  # receipt
        ("m2", "ja", "", "", 2, "AB12", "=HYPERLINK(1) and more"),  # time
        ("m2", "betinget_ja", "3,1", "", 1, "AB12", when),  # a comma where none belongs
        ("m2", "betinget_ja", "3;1", "", 1, "AB12", when),  # several amendments: sorted
        ("m2", "ja", "", "", 1, "AB12\nCD34", when),  # a receipt of two lines
        ("m2", "ja,nej", "", "", 1, "AB12", when),  # a choice the schema does not allow
        ("m2", "ja", "", "", 1, "AB12", "2027-03-14 1O:31:07"),  # a letter for a digit
        ("m2", "ja", "", "", 1, "AB12", "2027-03-14T10:31:07"),  # a T, no fraction
        ("m2", "bloker", "", '=Linje et\nLinje "to", tre', 1, "AB12", when),  # a reason
    ]
    for odd in odd_rows:
        text_ = _ballot_text("p1", [good, odd], False, _Lines())
        assert text_ == _ballot_text("p1", [good, odd], True, _Lines())
        rows = list(csv.reader(io.StringIO(text_)))
        assert len(rows) == 2 and all(len(r) == 8 for r in rows)
        assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)
    assert _ballot_text("p1", [odd_rows[3]], False, _Lines()).split(",")[3] == "1;3"
