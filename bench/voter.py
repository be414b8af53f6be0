"""One voter process for the crash and latency runs; started by voting_harness.spawn_voter.

    python bench/voter.py --db URL --proposal ID --members a,b,c --ack FILE --seed N
                          [--count N] [--amendments K] [--latency FILE] [--start-file FILE]

Votes and changes votes in a loop (each vote has a unique reason, so each is a real change),
appending to the ack file a `TRY {...}` line before each vote and an `ACK {...}` line with
the receipt after it commits; any error becomes an `ERR {...}` line. Each line is one
unbuffered write, so a SIGKILL loses at most the line being written. With --start-file the
voter touches `<ack>.ready` once connected and waits at a gate (a flock the runner holds);
with --rounds it votes once each time the runner opens gate `<start-file>.<n>`, and exits
when gate `<start-file>.end` opens.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import json
import os
import random
import time
from pathlib import Path

from deliberate.domain.ballot import Choice
from deliberate.errors import UserError
from deliberate.services import voting
from deliberate.store.engine import Database


def wait_for_gate(path: str) -> None:
    """Block until the runner opens the gate: it holds an exclusive flock on `path` and
    releases it to let every waiting voter go at the same moment."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--proposal", required=True)
    parser.add_argument("--members", required=True)
    parser.add_argument("--ack", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=0, help="0 = until killed")
    parser.add_argument("--amendments", type=int, default=0)
    parser.add_argument("--latency")
    parser.add_argument("--start-file")
    parser.add_argument(
        "--rounds", type=int, default=0, help="vote once per opened gate <start-file>.<n>"
    )
    parser.add_argument("--warm-up", type=int, default=0, help="votes before the measured ones")
    args = parser.parse_args()

    members = args.members.split(",")
    rng = random.Random(args.seed)
    fd = os.open(args.ack, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def record(kind: str, data: dict) -> None:
        os.write(fd, f"{kind} {json.dumps(data, ensure_ascii=False)}\n".encode())

    db = Database(args.db)
    choices = list(Choice)

    def vote(n: int) -> float | None:
        """One vote; its latency, or None when it was refused."""
        member = rng.choice(members)
        choice = rng.choice(choices)
        amendments: list[int] = []
        if choice is Choice.BETINGET_JA and args.amendments:
            amendments = sorted(
                rng.sample(range(1, args.amendments + 1), rng.randint(1, args.amendments))
            )
        reason = f"{args.seed}-{os.getpid()}-{n}"
        intent = {
            "member": member,
            "choice": choice.value,
            "amendments": amendments,
            "reason": reason,
        }
        record("TRY", intent)
        started = time.perf_counter()
        try:
            receipt = voting.cast_vote(
                db, member, args.proposal, choice, amendments=amendments, reason=reason
            )
        except UserError as exc:
            record("ERR", {"error": exc.message("en"), "code": exc.code})
            if exc.code in ("voting.error.closed", "voting.error.deadline_passed"):
                raise SystemExit(0) from None
            return None
        except Exception as exc:
            record("ERR", {"error": f"{type(exc).__name__}: {exc}", "code": "exception"})
            return None
        elapsed = time.perf_counter() - started
        record("ACK", {**intent, "receipt": receipt.receipt, "version": receipt.version})
        return elapsed

    # A long-running server is warm: its statements are compiled and its start-up objects
    # frozen out of the garbage collector's way (deliberate serve does gc.freeze() too).
    for n in range(args.warm_up):
        vote(-1 - n)
    if args.warm_up:
        gc.collect()
        gc.freeze()
    if args.start_file:  # start together with the other voters
        db.ping()
        Path(f"{args.ack}.ready").touch()
        if not args.rounds:
            wait_for_gate(args.start_file)
    latencies: list[float] = []
    done = 0
    for n in range(args.rounds or 10**12):
        if args.rounds:
            wait_for_gate(f"{args.start_file}.{n}")  # everyone votes at once
        elif args.count and done >= args.count:
            break
        elapsed = vote(n)
        if elapsed is not None:
            latencies.append(elapsed)
            done += 1
    if args.latency:
        Path(args.latency).write_text(json.dumps(latencies))
    if args.rounds:
        # A server's processes stay up: exit only once every voter has voted its last round
        # (a voter tearing down while the last round still commits took the cores from it,
        # and that round decided the p99).
        wait_for_gate(f"{args.start_file}.end")
    db.dispose()


if __name__ == "__main__":
    main()
