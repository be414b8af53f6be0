"""The JSON round trip: export a forum, load it into an empty database (same backend or the
other), and everything checks out — `verify`, every `tally --json`, every row, a re-export."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deliberate.domain.rules import AmendmentRule, RuleSet
from deliberate.services import comments, members, voting
from deliberate.services.export.json_load import TABLES
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import Member
from support.cli import assert_one_line_error, run
from support.exports import build_forum

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def add_separate_amendment_votes(db: Database) -> None:
    """A proposal voted with separate amendment votes (one changed), adopted: its answers,
    their history, the frozen ballot and the adopted text must all survive the round trip;
    and a secret ballot with separate answers (stored with its tracker codes)."""
    rules = RuleSet("saerskilt", amendments=AmendmentRule.SEPARATE)
    voting.open_voting(db, "org", "et-nyt-vi-1-3", rules=rules)
    for i, answers in enumerate([{1: "ja", 2: "nej"}, {1: "ja"}, {1: "nej", 2: "undlad"}]):
        voting.cast_vote(db, f"m{i}", "et-nyt-vi-1-3", "ja", amendment_votes=answers)
    voting.cast_vote(db, "m1", "et-nyt-vi-1-3", "ja", amendment_votes={1: "ja", 2: "ja"})
    voting.close_voting(db, "org", "et-nyt-vi-1-3")
    # The same on a secret ballot: the answers are stored with the tracker codes.
    voting.open_voting(db, "org", "egf-2.1", rules=rules, secret=True)
    for i, (choice, answers) in enumerate(
        [("ja", {1: "ja", 2: "nej"}), ("ja", {1: "ja"}), ("nej", {1: "nej", 2: "undlad"})]
    ):
        voting.cast_vote(db, f"m{i}", "egf-2.1", choice, amendment_votes=answers)
    voting.close_voting(db, "org", "egf-2.1")


class Databases:
    """Source forums (built once per backend) and empty targets, cleaned up at the end."""

    def __init__(self, request: pytest.FixtureRequest, tmp: Path) -> None:
        self.request, self.tmp = request, tmp
        self.sources: dict[str, str] = {}
        self.created: list[str] = []
        self.n = 0

    def empty(self, backend: str) -> str:
        self.n += 1
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / f'db{self.n}.db'}"
        url = self.request.getfixturevalue("pg_databases").create()
        self.created.append(url)
        return url

    def source(self, backend: str) -> str:
        if backend not in self.sources:
            url = self.empty(backend)
            db = Database(url)
            migrate.upgrade(db)
            build_forum(db)
            add_separate_amendment_votes(db)
            db.dispose()
            self.sources[backend] = url
        return self.sources[backend]

    def close(self) -> None:
        if self.created:
            pgs = self.request.getfixturevalue("pg_databases")
            for url in self.created:
                pgs.drop(url)


@pytest.fixture(scope="module")
def dbs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    found = Databases(request, tmp_path_factory.mktemp("roundtrip"))
    yield found
    found.close()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def call(url: str, *args: str) -> tuple[int, str, str]:
        return run(capsys, "--db", url, "--lang", "en", *args)

    return call


def rows(url: str) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    db = Database(url)
    try:
        with db.read() as s:
            return {
                model.__tablename__: [
                    tuple(r)
                    for r in s.execute(
                        select(model.__table__).order_by(*model.__table__.primary_key.columns)
                    )
                ]
                for model in TABLES
            }
    finally:
        db.dispose()


def without_time(doc: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in doc.items() if k != "exported_at"}


@pytest.mark.parametrize("source", BACKENDS)
@pytest.mark.parametrize("target", BACKENDS)
def test_round_trip_restores_the_forum_exactly(
    dbs: Databases, cli, tmp_path: Path, source: str, target: str
) -> None:  # type: ignore[no-untyped-def]
    src = dbs.source(source)
    dump = tmp_path / "forum.json"
    code, out, err = cli(src, "export", "--format", "json", "--out", str(dump))
    assert code == 0 and err == "", err
    dst = dbs.empty(target)
    assert cli(dst, "init")[0] == 0
    code, out, err = cli(dst, "import-json", str(dump))
    assert code == 0, err
    doc = json.loads(dump.read_text(encoding="utf-8"))
    assert doc["audit_head"]["hash"] in out and "checked" in out
    secret = [b for b in doc["secret_ballots"] if b["proposal_id"] == "egf-2.1"]
    given = [{"1": "ja", "2": "nej"}, {"1": "ja"}, {"1": "nej", "2": "undlad"}]
    assert sorted(json.dumps(b["amendment_votes"]) for b in secret) == sorted(
        map(json.dumps, given)
    )

    code, out, _ = cli(dst, "verify")
    assert code == 0 and doc["audit_head"]["hash"] in out
    code, listing, _ = cli(src, "proposals", "--json")
    for p in json.loads(listing):
        mine, theirs = cli(src, "tally", p["id"], "--json"), cli(dst, "tally", p["id"], "--json")
        assert mine[0] == theirs[0] == 0
        assert json.loads(mine[1]) == json.loads(theirs[1])
    assert rows(src) == rows(dst)  # every row of every restored table, ids and times included

    again = tmp_path / "again.json"
    assert cli(dst, "export", "--format", "json", "--out", str(again))[0] == 0
    assert without_time(json.loads(again.read_text(encoding="utf-8"))) == without_time(doc)

    # The restored forum lives on: new ids do not collide with restored ones.
    db = Database(dst)
    try:
        members.add_member(db, "ny", "Ny")
        comments.add_comment(db, "ny", "egf-1.1", "Efter indlæsning")
        voting.cast_vote(db, "ny", "egf-1.1", "ja")
    finally:
        db.dispose()
    code, out, _ = cli(dst, "verify")
    assert code == 0, out


@pytest.fixture
def dump(dbs: Databases, cli, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def, type-arg]
    path = tmp_path / "forum.json"
    assert cli(dbs.source("sqlite"), "export", "-f", "json", "-o", str(path))[0] == 0
    return json.loads(path.read_text(encoding="utf-8"))


def member_count(url: str) -> int:
    db = Database(url)
    try:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(Member)) or 0
    finally:
        db.dispose()


def test_import_refuses_bad_files_with_one_line_and_writes_nothing(
    dbs: Databases, cli, dump: dict, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def, type-arg]
    target = dbs.empty("sqlite")
    assert cli(target, "init")[0] == 0

    def attempt(content: str | dict, *needles: str) -> None:  # type: ignore[type-arg]
        path = tmp_path / "bad.json"
        path.write_text(
            content if isinstance(content, str) else json.dumps(content), encoding="utf-8"
        )
        assert_one_line_error(cli(target, "import-json", str(path)), *needles)
        assert member_count(target) == 0

    attempt('{"format": "deliberate-forum",', "not valid JSON", "line 1")
    attempt("[1, 2]", "not a deliberate forum export")
    attempt({**dump, "format": "other"}, "not a deliberate forum export")
    attempt({**dump, "version": 2}, "version 2", "reads version 1")
    broken = json.loads(json.dumps(dump))
    broken["votes"][0]["choice"] = 5
    attempt(broken, "votes[0].choice", "expected text")
    broken = json.loads(json.dumps(dump))
    del broken["members"][2]["handle"]
    attempt(broken, "members[2]", "'handle' is missing")
    broken = json.loads(json.dumps(dump))
    broken["votes"][0]["cast_at"] = "yesterday"
    attempt(broken, "votes[0].cast_at", "ISO 8601")
    broken = json.loads(json.dumps(dump))
    broken["members"][1]["handle"] = "=cmd"
    attempt(broken, "members[1].handle", "not a valid handle")
    broken = json.loads(json.dumps(dump))
    broken["votes"][3]["receipt"] = "=1+1"
    attempt(broken, "votes[3].receipt")
    broken = json.loads(json.dumps(dump))
    broken["votes"][0]["choice"] = "maybe"
    attempt(broken, "refused the content")
    # Well-formed but not what the log says: the check after loading undoes everything.
    tampered = json.loads(json.dumps(dump))
    vote = next(v for v in tampered["votes"] if v["choice"] == "ja")
    vote["choice"] = "nej"
    attempt(tampered, "check after loading failed")
    tampered = json.loads(json.dumps(dump))
    tampered["audit_head"]["hash"] = tampered["audit_log"][-2]["hash"]
    tampered["audit_head"]["seq"] -= 1
    attempt(tampered, "check after loading failed")
    tampered = json.loads(json.dumps(dump))
    next(r for r in tampered["results"] if r["proposal"] == "egf-3")["outcome"] = "adopted"
    attempt(tampered, "check after loading failed", "egf-3")
    assert_one_line_error(cli(target, "import-json", str(tmp_path / "missing.json")), "Cannot read")
    # A database that already holds a forum is never touched.
    source = dbs.source("sqlite")
    before = member_count(source)
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(dump), encoding="utf-8")
    assert_one_line_error(cli(source, "import-json", str(path)), "not empty")
    assert member_count(source) == before
    # And after all that, the good file still loads.
    assert cli(target, "import-json", str(path))[0] == 0


def test_import_reads_standard_input(
    dbs: Databases, cli, dump: dict, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def, type-arg]
    target = dbs.empty("sqlite")
    assert cli(target, "init")[0] == 0

    class Stdin:
        buffer = io.BytesIO(json.dumps(dump).encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", Stdin())
    code, out, err = cli(target, "import-json", "-")
    assert code == 0, err
    assert member_count(target) == len(dump["members"])


def test_import_streams_any_layout_of_the_same_document(
    dbs: Databases, cli, dump: dict, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Re-indented by some tool, the file still loads; out of order or incomplete, it is refused."""
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(dump, indent=4, ensure_ascii=True), encoding="utf-8")
    target = dbs.empty("sqlite")
    assert cli(target, "init")[0] == 0
    assert cli(target, "import-json", str(pretty))[0] == 0
    assert member_count(target) == len(dump["members"])

    target = dbs.empty("sqlite")
    assert cli(target, "init")[0] == 0
    late = tmp_path / "late.json"
    late.write_text(
        json.dumps(
            {"members": dump["members"], **{k: v for k, v in dump.items() if k != "members"}}
        ),
        encoding="utf-8",
    )
    assert_one_line_error(cli(target, "import-json", str(late)), "not a deliberate forum export")
    partial = tmp_path / "partial.json"
    partial.write_text(
        json.dumps({k: v for k, v in dump.items() if k != "comments"}), encoding="utf-8"
    )
    assert_one_line_error(cli(target, "import-json", str(partial)), "comments", "missing")
    assert member_count(target) == 0


def test_object_stream_matches_json_module() -> None:
    from deliberate.services.export.json_stream import END, JsonObjectStream, StreamError

    doc = {
        "format": "x",
        "a": [{"n": i, "s": "æ" * (i % 50), "f": 1.5e10 + i} for i in range(500)],
        "e": [],
        "big": "x" * 50_000,
        "z": {"k": [1, 2]},
        "last": 123456789,
    }
    for text_ in (json.dumps(doc), json.dumps(doc, indent=3)):
        for chunk in (5, 64, 1 << 20):
            got: dict = {}  # type: ignore[type-arg]
            for key, i, v in JsonObjectStream(io.BytesIO(text_.encode()), chunk=chunk).members():
                if i is None:
                    got[key] = v
                elif i is END:
                    assert len(got.setdefault(key, [])) == v
                else:
                    got.setdefault(key, []).append(v)
            assert got == doc
    for bad in ('{"a": [1, 2', '{"a": 1,}', '{"a": 1} x', '{"a": [1 2]}', '{"a":\n  {"b": tru}}'):
        with pytest.raises(StreamError) as err:
            list(JsonObjectStream(io.BytesIO(bad.encode()), chunk=3).members())
        with pytest.raises(json.JSONDecodeError) as ref:
            json.loads(bad)
        assert (err.value.line, err.value.column) == (ref.value.lineno, ref.value.colno)
