"""The crash and race proofs at full size (tests/test_concurrency.py runs them reduced).

Run:  .venv/bin/python bench/bench_voting_crash.py [--processes 16] [--members 10] [--kills 60]
                                                    [--race-rounds 100] [--pg ADMIN_URL]

Crash: voter processes vote and change votes while they are SIGKILLed at random moments and
restarted; afterwards every acknowledged vote is stored, nothing is doubled, the history is
consistent, the closed tally equals a replay of the acknowledged votes, `verify` passes, and
no voter ever saw "database is locked". Race: voters hammer a proposal while it is closed at a
random moment, many rounds; zero votes are accepted after close. Any failure raises.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


from deliberate.store import migrate
from voting_harness import run_crash, run_race, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--members", type=int, default=10, help="members per voter process")
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--race-rounds", type=int, default=100)
    parser.add_argument("--race-threads", type=int, default=8)
    parser.add_argument("--pg", metavar="ADMIN_URL")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deliberate-bench-"))

    with throwaway_database(args.pg, folder / "crash.db") as db:
        migrate.upgrade(db)
        started = time.perf_counter()
        figures = run_crash(
            db,
            folder,
            processes=args.processes,
            members_each=args.members,
            kills=args.kills,
            seed=args.seed,
        )
        print(
            f"crash ({db.engine.dialect.name}): {args.processes} voter processes, {figures['kills']} SIGKILLs, "
            f"{figures['acknowledged']} acknowledged votes, 0 lost, 0 doubled, 0 lock errors, tally = replay, "
            f"verify OK ({figures['entries']} entries) in {time.perf_counter() - started:.0f} s"
        )

    with throwaway_database(args.pg, folder / "race.db") as db:
        migrate.upgrade(db)
        started = time.perf_counter()
        refused = run_race(
            db, rounds=args.race_rounds, threads=args.race_threads, members_each=4, seed=args.seed
        )
        print(
            f"race ({db.engine.dialect.name}): {args.race_rounds} rounds of close vs. {args.race_threads} voters, "
            f"{refused} votes refused as closed, 0 accepted after close, in {time.perf_counter() - started:.0f} s"
        )


if __name__ == "__main__":
    main()
