"""Tally of 1,000,000 ballots vs. the bare GROUP BY on the same database (target <= 1.2x).

Run:  .venv/bin/python bench/bench_voting_tally.py [--ballots 1000000] [--pg URL] [--repeat 7]

Builds a forum with as many members as ballots (realistic mix: 35 % Ja, 20 % Betinget ja
naming 1-2 of 3 amendments, 10 % Udskyd, 30 % Nej, 5 % Bloker) in a fresh SQLite file (or a
fresh PostgreSQL database with --pg ADMIN_URL), then times, alternating, median of --repeat:
  bare   SELECT choice, count(*) FROM votes WHERE proposal_id = ? GROUP BY choice  (raw driver)
  same   the service's own aggregate statement, run bare through the raw driver
  tally  voting.tally(db, id) while open: the whole service call (the proposal row, one
         aggregate statement of index range counts giving the five choices, Betinget-ja
         support per amendment and eligible members; rule set decoding; the result object)
  frozen voting.tally(db, id) after close (reads the frozen tally row)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import text

from deliberate.domain.rules import AmendmentRule, RuleSet
from deliberate.services import counting, voting
from deliberate.store import migrate
from deliberate.store.engine import Database
from voting_harness import throwaway_database

MIX = (("ja", 35), ("betinget_ja", 20), ("udskyd", 10), ("nej", 30), ("bloker", 5))
BARE = "SELECT choice, count(*) FROM votes WHERE proposal_id = 'p' GROUP BY choice"
BARE_ANSWERS = (
    "SELECT number, answer, count(*) FROM amendment_answers WHERE proposal_id = 'p' "
    "GROUP BY number, answer"
)


def populate(db: Database, ballots: int, seed: int = 1, separate: bool = False) -> None:
    """`separate`: the rule set votes on each amendment (Ja / Nej / Undlad on each of the three,
    Betinget ja not offered) instead of Betinget ja naming amendments."""
    rng = random.Random(seed)
    mix = [(c, w) for c, w in MIX if not (separate and c == "betinget_ja")]
    choices = [c for c, w in mix for _ in range(w)]
    now = "2026-11-24 12:00:00.000000"
    members, votes, support, answers = [], [], [], []
    for i in range(1, ballots + 1):
        members.append((i, f"m{i}", f"Medlem {i}", "member", True, True, now))
        choice = rng.choice(choices)
        votes.append((i, "p", i, choice, "", f"R{i:08d}", 1, now))
        if separate:
            for n in (1, 2, 3):
                answers.append((i, n, "p", rng.choice(("ja", "ja", "nej", "undlad"))))
        elif choice == "betinget_ja":
            for n in sorted(rng.sample((1, 2, 3), rng.choice((1, 1, 2)))):
                support.append((i, n, "p"))
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if db.is_sqlite:
            cur.execute("PRAGMA synchronous = OFF")  # bulk set-up only; the timings read from cache
        ph = "?" if db.is_sqlite else "%s"
        cur.execute(
            "INSERT INTO proposals (id, title, body, content_hash, section_key, authors, source, status, "
            f"created_at, updated_at) VALUES ('p', 'P', '', '', '', '[]', '', 'draft', {ph}, {ph})",
            (now, now),
        )
        for n in (1, 2, 3):
            cur.execute(
                "INSERT INTO amendments (proposal_id, number, title, body, kind, new_text, "
                f"justification, state) VALUES ('p', {n}, 'A', '', 'free', '', '', 'proposed')"
            )
        _bulk(cur, db, "members (id, handle, name, role, can_vote, active, created_at)", members)
        _bulk(
            cur,
            db,
            "votes (id, proposal_id, member_id, choice, reason, receipt, version, cast_at)",
            votes,
        )
        if support:
            _bulk(cur, db, "vote_amendments (vote_id, number, proposal_id)", support)
        if answers:
            _bulk(cur, db, "amendment_answers (vote_id, number, proposal_id, answer)", answers)
        if db.is_postgres:
            cur.execute("SELECT setval('members_id_seq', (SELECT max(id) FROM members))")
            cur.execute("SELECT setval('votes_id_seq', (SELECT max(id) FROM votes))")
        raw.commit()
        if db.is_postgres:
            # What autovacuum does in a forum that has been running: statistics and the
            # visibility map (index-only scans need it; a fresh bulk load has none).
            raw.driver_connection.autocommit = True
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")
            raw.commit()
    finally:
        raw.close()
    # The facilitator opens voting through the service (rules frozen, audit entry).
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO members (handle, name, role, can_vote, active, created_at) "
                "VALUES ('ordstyrer', 'O', 'facilitator', false, true, :now)"
            ),
            {"now": now},
        )
    rules = RuleSet("saerskilt", amendments=AmendmentRule.SEPARATE) if separate else "pofo"
    voting.open_voting(db, "ordstyrer", "p", rules=rules)


def _bulk(cur, db: Database, table: str, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    if db.is_sqlite:
        n = len(rows[0])
        cur.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * n)})", rows)
    else:
        with cur.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument(
        "--pg", metavar="ADMIN_URL", help="run on a fresh PostgreSQL database instead"
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--separate",
        action="store_true",
        help='amendments = "separate": every ballot answers each of the 3 amendments',
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="deliberate-bench-"))
    with throwaway_database(args.pg, folder / "tally.db") as db:
        migrate.upgrade(db)
        started = time.perf_counter()
        populate(db, args.ballots, separate=args.separate)
        print(
            f"{db.engine.dialect.name}: {args.ballots:,} ballots written in {time.perf_counter() - started:.1f} s"
        )

        raw = db.engine.raw_connection()
        cur = raw.cursor()

        def bare() -> None:
            cur.execute(BARE)
            cur.fetchall()

        def bare_answers() -> None:  # --separate: the physical limit includes the answers
            cur.execute(BARE)
            cur.fetchall()
            cur.execute(BARE_ANSWERS)
            cur.fetchall()

        # The service's own aggregate statement, run bare through the driver: what the
        # service adds on top of its SQL.
        same_sql = str(
            counting.count_statement(3, args.separate)
            .params(pid="p")
            .compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        )

        def bare_same() -> None:
            cur.execute(same_sql)
            cur.fetchall()

        live = voting.tally(db, "p")
        assert live.cast == args.ballots, live.cast
        bare()
        bare_same()
        voting.tally(db, "p")  # warm caches
        bare_t, same_t, tally_t, answers_t = [], [], [], []
        for _ in range(args.repeat):
            bare_t.append(timed(bare))
            if args.separate:
                answers_t.append(timed(bare_answers))
            same_t.append(timed(bare_same))
            tally_t.append(timed(lambda: voting.tally(db, "p")))
        voting.close_voting(db, "ordstyrer", "p")
        frozen_t = [timed(lambda: voting.tally(db, "p")) for _ in range(args.repeat)]
        raw.close()
        b, s_, t, f = (statistics.median(x) for x in (bare_t, same_t, tally_t, frozen_t))
        print(f"bare GROUP BY choice           median {b * 1000:8.1f} ms")
        print(f"the service's statement, bare  median {s_ * 1000:8.1f} ms   ratio {s_ / b:.2f}x")
        print(
            f"voting.tally (open, live)      median {t * 1000:8.1f} ms   ratio {t / b:.2f}x  (target <= 1.2x)"
        )
        print(f"voting.tally (closed, frozen)  median {f * 1000:8.1f} ms   ratio {f / b:.3f}x")
        if args.separate:
            a = statistics.median(answers_t)
            print(
                f"bare GROUP BY choice + GROUP BY number, answer  median {a * 1000:8.1f} ms; "
                f"voting.tally (open) ratio {t / a:.2f}x of it (target <= 1.2x)"
            )
        print(
            f"counts: {live.counts.as_dict()} support {dict(live.counts.amendment_support)} "
            f"answers {dict(live.counts.amendment_votes)} eligible {live.eligible}"
        )


if __name__ == "__main__":
    main()
