"""Votes per second for one process with the full integrity path vs. bare single-row SQLite
transactions with the same durability (report it; target >= 0.3x, issue 15; issue 3 asked 0.2x).

Run:  .venv/bin/python bench/bench_voting_throughput.py [--votes 2000] [--dir PATH]

Both run in the same folder (same disk), alternating in rounds, and both use WAL with
synchronous=FULL and BEGIN IMMEDIATE ... COMMIT, one transaction per vote:
  bare   sqlite3: BEGIN IMMEDIATE; INSERT one row; COMMIT
  vote   voting.cast_vote: checks (member, right to vote, status, deadline, amendments), the
         audit append (head lock, SHA-256 chain), the vote row, its amendments, the history
         row — one transaction. Half the votes are changes of an earlier vote.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from deliberate.domain.ballot import Choice
from deliberate.services import audit, voting
from deliberate.store import migrate
from deliberate.store.engine import Database
from voting_harness import FACILITATOR, make_forum


def bare_rate(path: Path, n: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, member TEXT, choice TEXT, at TEXT)"
    )
    started = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO t (member, choice, at) VALUES (?, ?, datetime('now'))", (f"m{i}", "ja")
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return n / elapsed


def vote_rate(db: Database, members: list[str], n: int, rng: random.Random) -> float:
    started = time.perf_counter()
    for i in range(n):
        choice = rng.choice(list(Choice))
        amendments = [rng.randint(1, 3)] if choice is Choice.BETINGET_JA else []
        voting.cast_vote(
            db, rng.choice(members), "p", choice, amendments=amendments, reason=f"grund {i}"
        )
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--dir", type=Path, help="folder for the databases (default: a temporary one)"
    )
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="deliberate-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{folder / 'votes.db'}")
    migrate.upgrade(db)
    members = make_forum(db, voters=max(10, args.votes // 2), proposals={"p": 3})
    voting.open_voting(db, FACILITATOR, "p")
    rng = random.Random(5)
    per_round = max(1, args.votes // args.rounds)
    bare, ours = [], []
    for _ in range(args.rounds):
        bare.append(bare_rate(folder / "bare.db", per_round))
        ours.append(vote_rate(db, members, per_round, rng))
    b, v = sum(bare) / len(bare), sum(ours) / len(ours)
    print(f"folder: {folder}")
    print(f"bare single-row transactions  {b:9.0f} /s")
    print(f"cast_vote, full integrity     {v:9.0f} /s   ratio {v / b:.2f}x  (target >= 0.3x)")
    report = audit.verify(db)
    print(f"verify: {'OK' if report.ok else 'FAILED'} ({report.entries} entries)")
    db.dispose()


if __name__ == "__main__":
    main()
