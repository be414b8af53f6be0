"""p50/p99 latency of a vote with 32 concurrent voter processes (target p99 <= 100 ms, zero
lock errors), against one voter alone measured in the same run.

Run:  .venv/bin/python bench/bench_voting_latency.py [--voters 32] [--rounds 30] [--votes 60]
                                                      [--pg ADMIN_URL]

Every voter is a real process (bench/voter.py); latency is the whole `voting.cast_vote` call
as the voter sees it. Three runs on one forum:
  alone   one voter process voting as fast as it can (the baseline)
  burst   32 processes; in each round all 32 vote at the same moment (a room voting when
          the facilitator opens the vote) — the headline p50/p99
  flood   32 processes voting and changing votes as fast as they can, no pause: a stress
          test far beyond any meeting; its latency is mostly queueing (Little's law)
Each voter first casts a few unmeasured votes (a server process is long-lived: statements
compiled, start-up objects frozen out of the garbage collector as `deliberate serve` does).
Any "database is locked" (or any other error) is counted and printed.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from deliberate.services import audit, voting
from deliberate.store import migrate
from deliberate.store.engine import Database
from voting_harness import (
    FACILITATOR,
    count_lines,
    make_forum,
    read_acks,
    spawn_voter,
    throwaway_database,
    wait_until,
)

WARM_UP = 3  # votes per voter before measuring: a server process is long-lived and warm


class Gate:
    """A flock held by this process; voters waiting on it all go when it is released."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def open(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def run(
    db: Database,
    folder: Path,
    members: list[str],
    *,
    voters: int,
    votes: int = 0,
    rounds: int = 0,
    tag: str,
) -> tuple[list[float], list[str], float]:
    start = folder / f"gate-{tag}"
    gates = [Gate(Path(f"{start}.{r}")) for r in range(rounds)] if rounds else [Gate(start)]
    end = Gate(Path(f"{start}.end")) if rounds else None  # voters stay up until the last round
    per = max(1, len(members) // voters)
    procs, acks, lats = [], [], []
    for i in range(voters):
        ack, lat = folder / f"{tag}-{i}.ack", folder / f"{tag}-{i}.lat"
        acks.append(ack)
        lats.append(lat)
        procs.append(
            spawn_voter(
                db.url,
                "p",
                members[i * per : (i + 1) * per],
                ack,
                seed=i + 1000 * len(tag),
                count=votes,
                amendments=3,
                latency_file=lat,
                start_file=start,
                rounds=rounds,
                warm_up=WARM_UP,
            )
        )
    wait_until(lambda: all(Path(f"{a}.ready").exists() for a in acks), 180, "voters to connect")
    started = time.perf_counter()
    for r, gate in enumerate(gates):
        gate.open()
        if rounds:  # the next round starts when every vote of this one is in
            wait_until(
                lambda r=r: all(
                    count_lines(a) >= WARM_UP + r + 1 or p.poll() is not None
                    for a, p in zip(acks, procs, strict=False)
                ),
                120,
                f"round {r}",
            )
    wall = time.perf_counter() - started
    if end is not None:
        end.open()
    for p in procs:
        p.wait(600)
    if end is None:
        wall = time.perf_counter() - started
    latencies = [x for lat in lats if lat.exists() for x in json.loads(lat.read_text())]
    return latencies, read_acks(acks).errors, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def line(name: str, lat: list[float], wall: float) -> str:
    return (
        f"{name:<28} p50 {statistics.median(lat) * 1000:7.1f} ms   p99 {pct(lat, 0.99) * 1000:7.1f} ms"
        f"   max {max(lat) * 1000:7.1f} ms   ({len(lat)} votes, {len(lat) / wall:.0f} votes/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=30, help="burst rounds (each voter votes once per round)"
    )
    parser.add_argument("--votes", type=int, default=60, help="votes per voter in the flood")
    parser.add_argument("--pg", metavar="ADMIN_URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deliberate-bench-"))
    with throwaway_database(args.pg, folder / "latency.db") as db:
        migrate.upgrade(db)
        members = make_forum(db, voters=args.voters * 4, proposals={"p": 3})
        voting.open_voting(db, FACILITATOR, "p")
        alone, e1, w1 = run(db, folder, members, voters=1, votes=args.votes * 2, tag="alone")
        burst, e2, w2 = run(
            db, folder, members, voters=args.voters, rounds=args.rounds, tag="burst"
        )
        flood, e3, w3 = run(db, folder, members, voters=args.voters, votes=args.votes, tag="flood")
        errors = e1 + e2 + e3
        print(f"{db.engine.dialect.name}, {os.cpu_count()} CPUs, folder {folder}")
        print(line("1 voter alone", alone, w1))
        print(line(f"{args.voters} voters, all at once", burst, w2) + f"   x{args.rounds} rounds")
        print(line(f"{args.voters} voters, flooding", flood, w3))
        print(
            f"burst p99 / alone p50: {pct(burst, 0.99) / statistics.median(alone):.1f}x   "
            f"target: burst p99 <= 100 ms -> {'met' if pct(burst, 0.99) <= 0.1 else 'NOT met'}"
        )
        locked = sum("locked" in e.lower() for e in errors)
        print(f"errors: {len(errors)} (database is locked: {locked})")
        for e in errors[:5]:
            print("  ", e)
        report = audit.verify(db)
        print(f"verify: {'OK' if report.ok else 'FAILED'} ({report.entries} entries)")


if __name__ == "__main__":
    main()
