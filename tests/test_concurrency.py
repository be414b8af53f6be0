"""Many voters at once, crashes and the close-versus-vote race, on SQLite and PostgreSQL.

Reduced sizes here (a few seconds each); bench/bench_voting_crash.py runs the same at full
size. The crash test uses real processes killed with SIGKILL and restarted; the race uses
threads, each with its own connection.
"""

from __future__ import annotations

import random
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deliberate.domain.ballot import Choice
from deliberate.errors import UserError
from deliberate.services import audit, voting
from deliberate.store.engine import Database
from deliberate.store.models import Vote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from voting_harness import (  # noqa: E402
    FACILITATOR,
    check_after_crashes,
    count_lines,
    kill,
    make_forum,
    read_acks,
    spawn_voter,
    wait_until,
)


def run_crash(db: Database, tmp_path: Path, *, processes: int, members_each: int, kills: int, seed: int) -> dict:
    """Voter processes vote and change votes while we SIGKILL and restart them at random
    moments; then every check of the issue. Returns figures for the benchmark report."""
    rng = random.Random(seed)
    handles = make_forum(db, voters=processes * members_each, proposals={"p": 3})
    voting.open_voting(db, FACILITATOR, "p")
    groups = [handles[i * members_each : (i + 1) * members_each] for i in range(processes)]
    ack_files = [tmp_path / f"voter{i}.log" for i in range(processes)]
    restarts = [0] * processes

    def start(i: int):  # type: ignore[no-untyped-def]
        restarts[i] += 1
        return spawn_voter(db.url, "p", groups[i], ack_files[i], seed=seed * 1000 + i * 100 + restarts[i], amendments=3)

    procs = [start(i) for i in range(processes)]
    try:
        for _ in range(kills):
            i = rng.randrange(processes)
            target = count_lines(ack_files[i]) + rng.randint(1, 12)
            wait_until(lambda: count_lines(ack_files[i]) >= target or procs[i].poll() is not None, 60, "votes")
            assert procs[i].poll() is None, procs[i].stderr.read().decode() if procs[i].stderr else ""
            kill(procs[i])  # SIGKILL at a random moment, perhaps mid-transaction
            procs[i] = start(i)
        # Let every voter get a few more votes through, then kill them all.
        targets = [count_lines(f) + 3 for f in ack_files]
        wait_until(lambda: all(count_lines(f) >= t for f, t in zip(ack_files, targets)), 60, "final votes")
    finally:
        for proc in procs:
            kill(proc)
    acks = read_acks(ack_files)
    assert acks.errors == [], acks.errors[:5]  # no "database is locked", nothing else either
    replay, problems = check_after_crashes(db, "p", acks)
    assert problems == []
    closed = voting.close_voting(db, FACILITATOR, "p")
    assert closed.counts.as_dict() == {c.value: replay[c.value] for c in Choice}
    report = audit.verify(db)
    assert report.ok, report.problems[:5]
    return {"acknowledged": acks.total, "kills": kills, "cast": closed.cast, "entries": report.entries}


@pytest.mark.slow
def test_voter_processes_killed_and_restarted_lose_nothing(any_db: Database, tmp_path: Path) -> None:
    figures = run_crash(any_db, tmp_path, processes=4, members_each=5, kills=8, seed=7)
    assert figures["acknowledged"] > 20


def run_race(db: Database, *, rounds: int, threads: int, members_each: int, seed: int) -> int:
    """Voters vote as fast as they can while the facilitator closes at a random moment.
    Returns the number of votes refused because voting had closed."""
    rng = random.Random(seed)
    handles = make_forum(db, voters=threads * members_each, proposals={f"race{r}": 2 for r in range(rounds)})
    refused_total = 0
    for r in range(rounds):
        pid = f"race{r}"
        voting.open_voting(db, FACILITATOR, pid)
        acked: dict[str, tuple[str, str]] = {}  # member -> (receipt, choice) of the last acknowledged vote
        total = [0]
        errors: list[BaseException] = []
        refused = Counter[str]()
        lock = threading.Lock()
        go = threading.Event()

        def vote_loop(members: list[str], seed_: int) -> None:
            local = random.Random(seed_)
            go.wait()
            while True:
                member = local.choice(members)
                choice = local.choice(list(Choice))
                amendments = [local.randint(1, 2)] if choice is Choice.BETINGET_JA else []
                try:
                    receipt = voting.cast_vote(db, member, pid, choice, amendments=amendments, reason=f"r{local.random()}")
                except UserError as exc:
                    with lock:
                        refused[exc.code] += 1
                    return
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                    return
                with lock:
                    acked[member] = (receipt.receipt, receipt.choice.value)
                    total[0] += 1

        workers = [
            threading.Thread(target=vote_loop, args=(handles[t * members_each : (t + 1) * members_each], rng.random()))
            for t in range(threads)
        ]
        for w in workers:
            w.start()
        go.set()
        close_after = rng.randint(0, 30)
        wait_until(
            lambda: total[0] >= close_after or not any(w.is_alive() for w in workers), 120, "votes before close"
        )
        closed = voting.close_voting(db, FACILITATOR, pid)
        for w in workers:
            w.join(30)
        assert errors == []
        assert set(refused) <= {"voting.error.closed"}
        refused_total += sum(refused.values())
        # Zero votes accepted after close: the frozen counts are exactly the last
        # acknowledged vote of each member, and the votes table has not moved since.
        expected = Counter(choice for _, choice in acked.values())
        assert closed.counts.as_dict() == {c.value: expected[c.value] for c in Choice}
        with db.read() as session:
            stored = dict(
                (m, n) for m, n in session.execute(
                    select(Vote.choice, func.count()).where(Vote.proposal_id == pid).group_by(Vote.choice)
                )
            )
            receipts = set(session.scalars(select(Vote.receipt).where(Vote.proposal_id == pid)))
        assert stored == {k: v for k, v in expected.items() if v}
        assert receipts == {receipt for receipt, _ in acked.values()}
    report = audit.verify(db)
    assert report.ok, report.problems[:5]
    return refused_total


@pytest.mark.slow
def test_close_versus_vote_race_accepts_no_vote_after_close(any_db: Database) -> None:
    refused = run_race(any_db, rounds=10, threads=4, members_each=4, seed=3)
    assert refused >= 10  # each round some voter ran into the close


def test_same_member_voting_from_two_places_at_once_keeps_one_vote(any_db: Database) -> None:
    """Two front ends of one member racing: one current vote, versions 1..n, no error."""
    make_forum(any_db, voters=1, proposals={"p": 0})
    voting.open_voting(any_db, FACILITATOR, "p")
    results: list[int] = []
    errors: list[BaseException] = []

    def spam(choice: str) -> None:
        for i in range(15):
            try:
                results.append(voting.cast_vote(any_db, "v000", "p", choice, reason=f"{choice}{i}").version)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=spam, args=(c,)) for c in ("ja", "nej", "udskyd")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(results) == list(range(1, 46))
    assert voting.tally(any_db, "p").cast == 1
    assert audit.verify(any_db).ok
