"""p50/p99 latency of a vote with 32 concurrent voter processes (target p99 <= 100 ms, zero
lock errors), against one voter alone measured in the same run.

Run:  .venv/bin/python bench/bench_voting_latency.py [--voters 32] [--votes 60] [--pg ADMIN_URL]

Each voter is a real process (bench/voter.py) voting and changing votes as fast as it can,
all released at the same moment; latency is the whole `voting.cast_vote` call as the voter
sees it. Any "database is locked" (or any other error) is counted and printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import create_engine, text  # noqa: E402

from deliberate.services import audit, voting  # noqa: E402
from deliberate.store import migrate  # noqa: E402
from deliberate.store.engine import Database  # noqa: E402
from voting_harness import FACILITATOR, make_forum, read_acks, spawn_voter, wait_until  # noqa: E402


def run_wave(db: Database, folder: Path, members: list[str], voters: int, votes: int, tag: str) -> tuple[list[float], list[str], float]:
    start_file = folder / f"start-{tag}"
    per = max(1, len(members) // voters)
    procs, ack_files, lat_files = [], [], []
    for i in range(voters):
        ack, lat = folder / f"{tag}-{i}.ack", folder / f"{tag}-{i}.lat"
        ack_files.append(ack)
        lat_files.append(lat)
        procs.append(spawn_voter(db.url, "p", members[i * per : (i + 1) * per], ack, seed=hash((tag, i)) % 10_000,
                                 count=votes, amendments=3, latency_file=lat, start_file=start_file))
    # Every process imports and connects first, then all start at one signal.
    wait_until(lambda: all(Path(f"{a}.ready").exists() for a in ack_files), 120, "voters to get ready")
    started = time.perf_counter()
    start_file.touch()
    for p in procs:
        p.wait(600)
    wall = time.perf_counter() - started
    latencies: list[float] = []
    for lat in lat_files:
        if lat.exists():
            latencies += json.loads(lat.read_text())
    errors = read_acks(ack_files).errors
    return latencies, errors, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=32)
    parser.add_argument("--votes", type=int, default=60, help="votes per voter process")
    parser.add_argument("--pg", metavar="ADMIN_URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deliberate-bench-"))
    admin = None
    if args.pg:
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        name = f"deliberate_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin.url.set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{folder / 'latency.db'}"
    db = Database(url)
    try:
        migrate.upgrade(db)
        members = make_forum(db, voters=args.voters * 4, proposals={"p": 3})
        voting.open_voting(db, FACILITATOR, "p")
        alone, alone_errors, _ = run_wave(db, folder, members, 1, args.votes * 2, "alone")
        many, errors, wall = run_wave(db, folder, members, args.voters, args.votes, "many")
        locked = sum("locked" in e.lower() for e in errors + alone_errors)
        print(f"{db.engine.dialect.name}, folder {folder}")
        print(f"1 voter alone     p50 {statistics.median(alone) * 1000:7.1f} ms   p99 {pct(alone, 0.99) * 1000:7.1f} ms")
        print(
            f"{args.voters} voters at once  p50 {statistics.median(many) * 1000:7.1f} ms   p99 {pct(many, 0.99) * 1000:7.1f} ms"
            f"   max {max(many) * 1000:7.1f} ms   ({len(many)} votes, {len(many) / wall:.0f} votes/s)"
        )
        print(f"ratio p99({args.voters}) / p50(alone): {pct(many, 0.99) / statistics.median(alone):.1f}x   target p99 <= 100 ms")
        print(f"errors: {len(errors) + len(alone_errors)} (lock errors: {locked})")
        for e in (errors + alone_errors)[:5]:
            print("  ", e)
        report = audit.verify(db)
        print(f"verify: {'OK' if report.ok else 'FAILED'} ({report.entries} entries)")
    finally:
        db.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
