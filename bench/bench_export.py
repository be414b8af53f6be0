"""CSV export of 1,000,000 ballots vs. `sqlite3 -csv` of the same rows on the same database.

    .venv/bin/python bench/bench_export.py [--ballots 1000000] [--proposals 10] [--runs 3]

Builds an SQLite forum through the migrations, fills it with raw bulk inserts (members,
proposals, current votes, the amendments Betinget-ja votes name, some Bloker reasons), then
times, as child processes:
  ours      deliberate export --format csv --table ballots --out FILE
  baseline  sqlite3 -csv -header DB "<the same rows by one SQL query>" > FILE
and reports the median wall time of each, their ratio (target ≤ 1.5), and each child's peak
RSS (getrusage of the child via wait4). Memory independence: the same export of one
proposal (a tenth of the ballots) must peak at about the same RSS as the whole.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from deliberate.domain.rules import BUILTIN_RULES  # noqa: E402
from deliberate.services.audit import canonical  # noqa: E402
from deliberate.store import migrate  # noqa: E402
from deliberate.store.engine import Database  # noqa: E402

# The rows `deliberate export --format csv --table ballots` writes, by the query it runs per
# proposal (csv_export.ballots_query), here over all proposals at once, with the formula rule
# and the time format done in SQL (the bench's text has no control characters to strip).
BASELINE_SQL = """
SELECT v.proposal_id AS proposal, m.handle AS member, v.choice AS choice,
       CASE WHEN v.choice = 'betinget_ja' THEN
         (SELECT group_concat(CAST(va.number AS VARCHAR), ';') FROM vote_amendments va WHERE va.vote_id = v.id)
       ELSE '' END AS amendments,
       CASE WHEN substr(v.reason, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))
            THEN char(39) || v.reason ELSE v.reason END AS reason,
       CASE WHEN v.version > 1 THEN 'true' ELSE 'false' END AS changed,
       v.receipt AS receipt, strftime('%Y-%m-%dT%H:%M:%SZ', v.cast_at) AS cast_at
FROM votes v JOIN members m ON m.id = v.member_id
ORDER BY v.proposal_id, v.member_id;
"""
CHOICES = ["ja"] * 40 + ["betinget_ja"] * 20 + ["udskyd"] * 10 + ["nej"] * 25 + ["bloker"] * 5
REASONS = [
    "Forslaget rammer de svageste; jeg kan ikke stå inde for det.",
    '=HYPERLINK("http://x","klik")',
    'Linje et\nLinje to, med "citat" og komma',
    "-1 er ikke et svar",
]


def build(path: Path, ballots: int, proposals: int) -> None:
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    db.dispose()
    voters = -(-ballots // proposals)
    rng = random.Random(6)
    now = "2026-05-01 10:00:00.000000"
    rules = canonical(BUILTIN_RULES["pofo"].to_dict())
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous = OFF")
    with con:
        con.executemany(
            "INSERT INTO members (id, handle, name, role, can_vote, active, created_at) VALUES (?, ?, ?, 'member', 1, 1, ?)",
            ((i, f"m{i:07d}", f"Medlem Østergaard {i}", now) for i in range(1, voters + 1)),
        )
        con.executemany(
            "INSERT INTO proposals (id, title, section_key, authors, body, content_hash, source, status, "
            "rules_name, rules_spec, opened_at, created_at, updated_at, secret) "
            "VALUES (?, ?, ?, '[]', 'Tekst', ?, '', 'voting', 'pofo', ?, ?, ?, ?, 0)",
            (
                (f"p{k:02d}", f"Forslag {k}", f"{k:03d}", f"{k:064x}", rules, now, now, now)
                for k in range(proposals)
            ),
        )
        con.executemany(
            "INSERT INTO amendments (proposal_id, number, title, body, kind, new_text, justification, "
            "state) VALUES (?, ?, ?, '', 'free', '', '', 'proposed')",
            ((f"p{k:02d}", n, f"Ændring {n}") for k in range(proposals) for n in (1, 2, 3)),
        )

        def votes():  # type: ignore[no-untyped-def]
            vote_id = 0
            for k in range(proposals):
                for member in range(1, voters + 1):
                    if vote_id >= ballots:
                        return
                    vote_id += 1
                    choice = rng.choice(CHOICES)
                    reason = rng.choice(REASONS) if choice == "bloker" else ""
                    version = 2 if vote_id % 17 == 0 else 1
                    yield (
                        vote_id,
                        f"p{k:02d}",
                        member,
                        choice,
                        reason,
                        f"R{vote_id:08d}",
                        version,
                        now,
                    )

        con.executemany(
            "INSERT INTO votes (id, proposal_id, member_id, choice, reason, receipt, version, cast_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            votes(),
        )
        con.execute(
            "INSERT INTO vote_amendments (vote_id, number, proposal_id) "
            "SELECT id, 1 + (id % 3), proposal_id FROM votes WHERE choice = 'betinget_ja'"
        )
        con.execute(
            "INSERT INTO vote_amendments (vote_id, number, proposal_id) "
            "SELECT id, 1 + ((id + 1) % 3), proposal_id FROM votes WHERE choice = 'betinget_ja' AND id % 2 = 0"
        )
    con.execute("ANALYZE")
    con.close()


def timed(cmd: list[str], out: Path) -> tuple[float, int, float]:
    """Wall seconds, the child's peak RSS in MiB and its CPU seconds (user + system: on a
    shared machine the wall time also holds the time spent waiting for a core)."""
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def same_rows(a: Path, b: Path) -> int:
    """The number of data rows, after checking both files hold the same rows in order."""
    with a.open(encoding="utf-8", newline="") as fa, b.open(encoding="utf-8", newline="") as fb:
        n = -1
        for n, (ra, rb) in enumerate(itertools.zip_longest(csv.reader(fa), csv.reader(fb))):
            if ra != rb:
                raise SystemExit(f"row {n} differs: {ra} != {rb}")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--proposals", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--db",
        type=Path,
        help="keep the built database here and reuse it if it exists (built with the same "
        "--ballots and --proposals): a before/after pair then times the same file",
    )
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        raise SystemExit(
            "the sqlite3 command-line tool is needed (Debian: apt-get install sqlite3)"
        )
    deliberate = str(Path(sys.executable).with_name("deliberate"))
    loadavg_start = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db or folder / "bench.db"
        start = time.perf_counter()
        if not db.exists():
            build(db, args.ballots, args.proposals)
        built = time.perf_counter() - start
        ours_out, base_out, one_out = folder / "ours.csv", folder / "base.csv", folder / "one.csv"
        ours_cmd = [
            deliberate,
            "--db",
            str(db),
            "export",
            "--format",
            "csv",
            "--table",
            "ballots",
            "--out",
            str(ours_out),
        ]
        base_cmd = ["sqlite3", "-csv", "-header", str(db), BASELINE_SQL]
        one_cmd = [*ours_cmd[:-1], str(one_out), "--proposal", "p00"]
        ours, base = [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            base.append(timed(base_cmd, base_out))
            ours.append(timed(ours_cmd, folder / "stdout.txt"))
        one = timed(one_cmd, folder / "stdout.txt")
        rows = same_rows(ours_out, base_out)
        startup = min(timed([deliberate, "--help"], folder / "help.txt") for _ in range(3))
    t_ours = statistics.median(t for t, _, _ in ours)
    t_base = statistics.median(t for t, _, _ in base)
    cpu_ours = statistics.median(c for _, _, c in ours)
    cpu_base = statistics.median(c for _, _, c in base)
    figures = {
        "loadavg_start": loadavg_start,
        "ballots": args.ballots,
        "build_seconds": round(built, 1),
        "ours_seconds": round(t_ours, 2),
        "sqlite3_seconds": round(t_base, 2),
        "ratio": round(t_ours / t_base, 2),
        "ratio_without_cli_startup": round((t_ours - startup[0]) / t_base, 2),
        "ours_cpu_seconds": round(cpu_ours, 2),
        "sqlite3_cpu_seconds": round(cpu_base, 2),
        "cpu_ratio": round(cpu_ours / cpu_base, 2),
        "ours_peak_rss_mib": max(r for _, r, _ in ours),
        "ours_one_proposal_peak_rss_mib": one[1],
        "one_proposal_ballots": -(-args.ballots // args.proposals),
        "sqlite3_peak_rss_mib": max(r for _, r, _ in base),
        "cli_startup_seconds": round(startup[0], 2),
        "rows": rows,
        "loadavg_end": Path("/proc/loadavg").read_text().split()[:3],
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"ballots                 {args.ballots:,} (database built in {built:.1f} s)")
        print(
            f"deliberate export csv   {t_ours:.2f} s  peak RSS {figures['ours_peak_rss_mib']} MiB"
        )
        print(
            f"sqlite3 -csv            {t_base:.2f} s  peak RSS {figures['sqlite3_peak_rss_mib']} MiB"
        )
        print(f"ratio                   {figures['ratio']:.2f}x (target <= 1.5x)")
        print(
            f"CPU (user + system)     {cpu_ours:.2f} s against {cpu_base:.2f} s: "
            f"{figures['cpu_ratio']:.2f}x"
        )
        print(
            f"one proposal ({figures['one_proposal_ballots']:,})  peak RSS {one[1]} MiB (flat memory: about the same)"
        )
        print(
            f"CLI start-up            {startup[0]:.2f} s (inside the export time; "
            f"without it the ratio is {figures['ratio_without_cli_startup']:.2f}x)"
        )
        print(f"rows                    {rows:,}, the same in both files")
        print(f"load average at the end {figures['loadavg_end']}")


if __name__ == "__main__":
    main()
