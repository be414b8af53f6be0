"""Many voters at once, crashes and the close-versus-vote race, on SQLite and PostgreSQL.

Reduced sizes here (a few seconds each); bench/bench_voting_crash.py runs the same at full
size. The crash test uses real processes killed with SIGKILL and restarted; the race uses
threads, each with its own connection.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from deliberate.services import audit, voting
from deliberate.store.engine import Database
from voting_harness import FACILITATOR, make_forum, run_crash, run_race


@pytest.mark.slow
def test_voter_processes_killed_and_restarted_lose_nothing(
    any_db: Database, tmp_path: Path
) -> None:
    figures = run_crash(any_db, tmp_path, processes=3, members_each=5, kills=6, seed=7)
    assert figures["acknowledged"] > 15


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
                results.append(
                    voting.cast_vote(any_db, "v000", "p", choice, reason=f"{choice}{i}").version
                )
            except BaseException as exc:
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
