"""`deliberate verify` on a forum of 1,000,000 votes: wall time and peak memory, beside the same
command on a tenth of the forum (memory must not grow with the number of votes).

    .venv/bin/python bench/bench_verify.py [--votes 1000000] [--proposals 10] [--runs 1]
        [--pythonpath OLD_CHECKOUT/src]   # the same run against another checkout's code

Builds SQLite forums through the services (members, proposals, opening the votes), then writes
the votes as the vote path would — the audit entry of each (a real SHA-256 chain continuing
from the head, receipts from the hashes), the vote row, its amendments and its history row —
by raw bulk inserts; one vote in 17 is changed once (a second entry, version 2); then one
proposal is closed through the service. `verify` must report the forum intact. Times, as
child processes, `deliberate --db DB verify`, and reports wall time and peak RSS (wait4).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from deliberate.services import audit, voting  # noqa: E402
from deliberate.store import migrate  # noqa: E402
from deliberate.store.engine import Database  # noqa: E402
from voting_harness import FACILITATOR, make_forum  # noqa: E402

CHOICES = ["ja"] * 40 + ["betinget_ja"] * 20 + ["udskyd"] * 10 + ["nej"] * 25 + ["bloker"] * 5
REASONS = ["Forslaget rammer de svageste.", 'Linje et\nLinje to, med "citat"', "-1 er ikke et svar"]
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a naive UTC datetime in SQLite


def build(path: Path, votes: int, proposals: int) -> None:
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    voters = -(-votes // proposals)
    pids = [f"p{k:02d}" for k in range(proposals)]
    handles = make_forum(db, voters=voters, proposals=dict.fromkeys(pids, 3))
    for pid in pids:
        voting.open_voting(db, FACILITATOR, pid)
    seq, prev = audit.head(db)
    db.dispose()
    con = sqlite3.connect(path)
    ids = dict(con.execute("SELECT handle, id FROM members"))
    rng = random.Random(15)
    moment = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    entries, vote_rows, numbers, history = [], [], [], []
    vote_id = 0

    def flush() -> None:
        con.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
        con.executemany(
            "INSERT INTO votes (id, proposal_id, member_id, choice, reason, receipt, version, "
            "cast_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            vote_rows,
        )
        con.executemany(
            "INSERT INTO vote_amendments (vote_id, number, proposal_id) VALUES (?, ?, ?)", numbers
        )
        con.executemany(
            "INSERT INTO vote_history (proposal_id, member_id, version, choice, amendments, "
            "amendment_answers, reason, receipt, cast_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)",
            history,
        )
        for batch in (entries, vote_rows, numbers, history):
            batch.clear()

    def entry(action: str, pid: str, handle: str, payload: dict[str, object]) -> tuple[str, str]:
        nonlocal seq, prev, moment
        seq += 1
        moment += dt.timedelta(microseconds=1000)
        plain = json.loads(audit.canonical(payload))
        digest = audit.entry_hash(prev, seq, moment, handle, action, pid, plain)
        at = moment.replace(tzinfo=None).strftime(SQLITE_TIME)
        entries.append((seq, at, handle, action, pid, audit.canonical(plain), prev, digest))
        prev = digest
        return audit.receipt_code(digest), at

    con.execute("BEGIN")
    for pid in pids:
        for handle in handles:
            if vote_id >= votes:
                break
            vote_id += 1
            versions = 2 if vote_id % 17 == 0 else 1
            for version in range(1, versions + 1):
                choice = rng.choice(CHOICES)
                amendments = (
                    sorted(rng.sample([1, 2, 3], rng.randint(1, 2)))
                    if choice == "betinget_ja"
                    else []
                )
                reason = rng.choice(REASONS) if choice == "bloker" else ""
                payload = {
                    "member": handle,
                    "choice": choice,
                    "amendments": amendments,
                    "reason_sha256": audit.sha256_text(reason) if reason else "",
                    "version": version,
                }
                action = audit.VOTE if version == 1 else audit.VOTE_CHANGE
                receipt, at = entry(action, pid, handle, payload)
                history.append(
                    (
                        pid,
                        ids[handle],
                        version,
                        choice,
                        ",".join(map(str, amendments)),
                        reason,
                        receipt,
                        at,
                    )
                )
            vote_rows.append((vote_id, pid, ids[handle], choice, reason, receipt, versions, at))
            numbers += [(vote_id, n, pid) for n in amendments]
            if len(entries) >= 20000:
                flush()
    flush()
    con.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()
    db = Database(f"sqlite:///{path}")
    voting.close_voting(db, FACILITATOR, pids[0])
    db.dispose()


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, the child's peak RSS in MiB, and its output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, out.strip()


def exports(deliberate: str, db: Path, folder: Path, env: dict[str, str]) -> dict[str, object]:
    """The ballots CSV, the JSON export and import-json (which ends with verify) of one forum."""
    csv_out, json_out, target = folder / "ballots.csv", folder / "forum.json", folder / "in.db"
    for stale in (target, target.with_name("in.db-wal"), target.with_name("in.db-shm")):
        stale.unlink(missing_ok=True)
    base = [deliberate, "--db", str(db), "export", "--format"]
    csv_run = timed([*base, "csv", "--table", "ballots", "--out", str(csv_out)], env)
    json_run = timed([*base, "json", "--out", str(json_out)], env)
    timed([deliberate, "--db", str(target), "init"], env)
    import_run = timed([deliberate, "--db", str(target), "import-json", str(json_out)], env)
    figures: dict[str, object] = {}
    for what, run in (("csv", csv_run), ("json", json_run), ("import_json", import_run)):
        figures[what] = {"seconds": round(run[0], 1), "peak_rss_mib": run[1]}
    figures["json_to_csv"] = round(json_run[0] / csv_run[0], 2)
    figures["import_json_to_csv"] = round(import_run[0] / csv_run[0], 2)
    figures["import_output"] = import_run[2].splitlines()[-1][:160]
    figures["json_mb"] = round(json_out.stat().st_size / 1e6)
    figures["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--proposals", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this folder")
    parser.add_argument("--pythonpath", action="append", default=[], help="src of another checkout")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--exports",
        action="store_true",
        help="also time, on each forum, the ballots CSV, the JSON export and import-json of it",
    )
    parser.add_argument("--skip-verify", action="store_true", help="only the exports")
    parser.add_argument("--sizes", default="small,large", help="which forums: small, large")
    args = parser.parse_args()
    deliberate = str(Path(sys.executable).with_name("deliberate"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = {"small": args.votes // 10, "large": args.votes}
        figures: dict[str, object] = {
            "loadavg_start": Path("/proc/loadavg").read_text().split()[:3]
        }
        for label, votes in sizes.items():
            if label not in args.sizes.split(","):
                continue
            db = folder / f"verify_{votes}.db"
            if not db.exists():
                start = time.perf_counter()
                build(db, votes, args.proposals)
                figures[f"{label}_build_seconds"] = round(time.perf_counter() - start, 1)
            for code in [""] + args.pythonpath:
                env = dict(os.environ)
                if code:
                    env["PYTHONPATH"] = code
                name = f"{label}{'_' + code if code else ''}"
                if not args.skip_verify:
                    runs = [
                        timed([deliberate, "--db", str(db), "verify"], env)
                        for _ in range(args.runs)
                    ]
                    figures[name] = {
                        "votes": votes,
                        "seconds": round(min(r[0] for r in runs), 1),
                        "peak_rss_mib": max(r[1] for r in runs),
                        "output": runs[-1][2].splitlines()[-1][:200],
                        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
                    }
                if args.exports:
                    figures[f"{name}_exports"] = exports(deliberate, db, folder, env)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        for name, value in figures.items():
            print(f"{name:30} {value}")


if __name__ == "__main__":
    main()
