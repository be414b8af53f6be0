"""Shared by the voting benchmarks and the voting tests: building a forum, voter processes
and the checks run after a crash.

Not a benchmark itself; see bench_voting_*.py.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

from deliberate.domain.ballot import Choice
from deliberate.domain.proposal_file import ParsedAmendment, compute_content_hash
from deliberate.errors import UserError
from deliberate.services import audit, voting
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, Member, Proposal, Role, Vote, VoteHistory

BENCH = Path(__file__).resolve().parent
VOTER_SCRIPT = BENCH / "voter.py"
FACILITATOR = "ordstyrer"


@contextmanager
def throwaway_database(pg_admin_url: str | None, sqlite_path: Path) -> Iterator[Database]:
    """A fresh database for one benchmark: SQLite at `sqlite_path`, or a new PostgreSQL
    database created through `pg_admin_url` and dropped afterwards."""
    if not pg_admin_url:
        db = Database(f"sqlite:///{sqlite_path}")
        try:
            yield db
        finally:
            db.dispose()
        return
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    name = f"deliberate_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_forum(
    db: Database,
    *,
    voters: int,
    proposals: dict[str, int],
    no_vote: tuple[str, ...] = (),
) -> list[str]:
    """Members v000.. (voters), a facilitator `ordstyrer`, an organizer `arrangoer`, members
    without a vote named in `no_vote`, and draft proposals {id: number of amendments}.
    Returns the voters' handles. Test set-up only: written directly, no audit entries."""
    handles = [f"v{i:03d}" if voters < 1000 else f"v{i:07d}" for i in range(voters)]
    rows = [
        {"handle": h, "name": f"Vælger {h}", "role": Role.MEMBER, "can_vote": True, "active": True}
        for h in handles
    ]
    rows.append(
        {
            "handle": FACILITATOR,
            "name": "Ole Ordstyrer",
            "role": Role.FACILITATOR,
            "can_vote": False,
            "active": True,
        }
    )
    rows.append(
        {
            "handle": "arrangoer",
            "name": "Anne Arrangør",
            "role": Role.ORGANIZER,
            "can_vote": True,
            "active": True,
        }
    )
    rows += [
        {"handle": h, "name": h, "role": Role.MEMBER, "can_vote": False, "active": True}
        for h in no_vote
    ]
    with db.write() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Member), rows[start : start + 5000])
        for pid, n in proposals.items():
            body = f"Forslagets tekst for {pid}."
            amendments = tuple(ParsedAmendment(k, f"Ændring {k}", "") for k in range(1, n + 1))
            session.add(
                Proposal(
                    id=pid,
                    title=f"Forslag {pid}",
                    body=body,
                    content_hash=compute_content_hash(
                        id=pid,
                        title=f"Forslag {pid}",
                        programme=None,
                        section=None,
                        authors=(),
                        body=body,
                        amendments=amendments,
                    ),
                    amendments=[
                        Amendment(number=a.number, title=a.title, body=a.body) for a in amendments
                    ],
                )
            )
    return handles


# ------------------------------------------------------------------------------ voter processes


def spawn_voter(
    url: str,
    proposal: str,
    members: list[str],
    ack_file: Path,
    *,
    seed: int,
    count: int = 0,
    amendments: int = 0,
    latency_file: Path | None = None,
    start_file: Path | None = None,
    rounds: int = 0,
    warm_up: int = 0,
) -> subprocess.Popen[bytes]:
    """A real process voting (and changing votes) in a loop; see voter.py."""
    args = [
        sys.executable,
        str(VOTER_SCRIPT),
        "--db",
        url,
        "--proposal",
        proposal,
        "--members",
        ",".join(members),
        "--ack",
        str(ack_file),
        "--seed",
        str(seed),
        "--count",
        str(count),
        "--amendments",
        str(amendments),
    ]
    if latency_file:
        args += ["--latency", str(latency_file)]
    if start_file:
        args += ["--start-file", str(start_file)]
    if rounds:
        args += ["--rounds", str(rounds)]
    if warm_up:
        args += ["--warm-up", str(warm_up)]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(BENCH.parent / "src"), os.environ.get("PYTHONPATH", "")]),
    )
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def count_lines(path: Path, prefix: bytes = b"ACK ") -> int:
    try:
        with path.open("rb") as f:
            return sum(1 for line in f if line.startswith(prefix))
    except FileNotFoundError:
        return 0


def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.005)


@dataclass
class Intent:
    member: str
    choice: str
    amendments: tuple[int, ...]
    reason: str


@dataclass
class Acks:
    """What voters wrote: TRY before each vote, ACK with the receipt after its commit.
    A TRY never acknowledged (the process was killed) may or may not have been committed."""

    acked: dict[str, list[tuple[Intent, str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    unacked: dict[str, dict[str, Intent]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # by reason
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.acked.values())


def read_acks(files: list[Path]) -> Acks:
    acks = Acks()
    for path in files:
        if not path.exists():
            continue
        pending: dict[str, Intent] = {}
        for raw in path.read_bytes().splitlines():
            try:
                kind, data = raw.decode("utf-8").split(" ", 1)
                record = json.loads(data)
            except ValueError:
                continue  # a line cut short by SIGKILL
            if kind == "ERR":
                acks.errors.append(record["error"])
                continue
            intent = Intent(
                record["member"], record["choice"], tuple(record["amendments"]), record["reason"]
            )
            if kind == "TRY":
                if intent.member in pending:  # the previous try was never acknowledged
                    acks.unacked[intent.member][pending[intent.member].reason] = pending[
                        intent.member
                    ]
                pending[intent.member] = intent
            elif kind == "ACK":
                pending.pop(intent.member, None)
                acks.acked[intent.member].append((intent, record["receipt"], record["version"]))
        for member, intent in pending.items():
            acks.unacked[member][intent.reason] = intent
    return acks


def check_after_crashes(db: Database, proposal: str, acks: Acks) -> tuple[Counter[str], list[str]]:
    """Every acknowledged vote stored, no duplicates, history consistent. Returns the counts
    the votes give — the last acknowledged vote per member, or a vote committed just before a
    SIGKILL and never acknowledged — and the problems found."""
    problems: list[str] = []
    with db.read() as session:
        handles = {i: h for i, h in session.execute(select(Member.id, Member.handle))}
        votes = {
            handles[v.member_id]: v
            for v in session.scalars(select(Vote).where(Vote.proposal_id == proposal))
        }
        history: dict[str, list[VoteHistory]] = defaultdict(list)
        for h in session.scalars(
            select(VoteHistory)
            .where(VoteHistory.proposal_id == proposal)
            .order_by(VoteHistory.version)
        ):
            history[handles[h.member_id]].append(h)
    replay: Counter[str] = Counter()
    for member in sorted(set(acks.acked) | set(votes) | set(history)):
        acked = acks.acked.get(member, [])
        unacked = acks.unacked.get(member, {})
        rows = history.get(member, [])
        stored = {h.receipt: h for h in rows}
        for intent, receipt, version in acked:
            row = stored.get(receipt)
            if row is None:
                problems.append(f"{member}: acknowledged vote {receipt} is lost")
            elif (row.choice, row.reason, row.version) != (intent.choice, intent.reason, version):
                problems.append(f"{member}: acknowledged vote {receipt} is stored differently")
        acked_receipts = {r for _, r, _ in acked}
        if len(acked_receipts) != len(acked):
            problems.append(f"{member}: one receipt acknowledged twice")
        versions = [h.version for h in rows]
        if versions != list(range(1, len(rows) + 1)):
            problems.append(f"{member}: history versions {versions} are not 1..n")
        for h in rows:
            if h.receipt not in acked_receipts and h.reason not in unacked:
                problems.append(f"{member}: stored vote {h.receipt} was never tried")
        vote = votes.get(member)
        if vote is None:
            if rows:
                problems.append(f"{member}: has votes in history but no current vote")
            continue
        if not rows or vote.receipt != rows[-1].receipt:
            problems.append(f"{member}: current vote is not the newest in history")
        last = acked[-1] if acked else None
        if last is not None and vote.receipt == last[1]:
            replay[last[0].choice] += 1
        elif vote.reason in unacked and vote.version > (last[2] if last else 0):
            replay[vote.choice] += 1  # committed just before a SIGKILL, never acknowledged
        else:
            problems.append(
                f"{member}: current vote {vote.receipt} v{vote.version} is not the last acknowledged one"
            )
    return replay, problems


# ------------------------------------------------------------------ crash and race scenarios


def run_crash(
    db: Database, tmp_path: Path, *, processes: int, members_each: int, kills: int, seed: int
) -> dict:
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
        return spawn_voter(
            db.url,
            "p",
            groups[i],
            ack_files[i],
            seed=seed * 1000 + i * 100 + restarts[i],
            amendments=3,
        )

    procs = [start(i) for i in range(processes)]
    try:
        for _ in range(kills):
            i = rng.randrange(processes)
            target = count_lines(ack_files[i]) + rng.randint(1, 12)
            wait_until(
                lambda i=i, target=target: (
                    count_lines(ack_files[i]) >= target or procs[i].poll() is not None
                ),
                60,
                "votes",
            )
            assert procs[i].poll() is None, (
                procs[i].stderr.read().decode() if procs[i].stderr else ""
            )
            kill(procs[i])  # SIGKILL at a random moment, perhaps mid-transaction
            procs[i] = start(i)
        # Let every voter get a few more votes through, then kill them all.
        targets = [count_lines(f) + 3 for f in ack_files]
        wait_until(
            lambda: all(count_lines(f) >= t for f, t in zip(ack_files, targets, strict=False)),
            60,
            "final votes",
        )
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
    return {
        "acknowledged": acks.total,
        "kills": kills,
        "cast": closed.cast,
        "entries": report.entries,
    }


def run_race(db: Database, *, rounds: int, threads: int, members_each: int, seed: int) -> int:
    """Voters vote as fast as they can while the facilitator closes at a random moment.
    Returns the number of votes refused because voting had closed."""
    rng = random.Random(seed)
    handles = make_forum(
        db, voters=threads * members_each, proposals={f"race{r}": 2 for r in range(rounds)}
    )
    refused_total = 0
    for r in range(rounds):
        refused_total += _race_round(db, f"race{r}", handles, rng, threads, members_each)
    report = audit.verify(db)
    assert report.ok, report.problems[:5]
    return refused_total


def _race_round(
    db: Database,
    pid: str,
    handles: list[str],
    rng: random.Random,
    threads: int,
    members_each: int,
) -> int:
    """One race round on `pid`; returns the votes refused because voting had closed."""
    voting.open_voting(db, FACILITATOR, pid)
    acked: dict[str, tuple[str, str]] = {}  # member -> (receipt, choice) of the last ack
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
                receipt = voting.cast_vote(
                    db, member, pid, choice, amendments=amendments, reason=f"r{local.random()}"
                )
            except UserError as exc:
                with lock:
                    refused[exc.code] += 1
                return
            except BaseException as exc:
                errors.append(exc)
                return
            with lock:
                acked[member] = (receipt.receipt, receipt.choice.value)
                total[0] += 1

    workers = [
        threading.Thread(
            target=vote_loop,
            args=(handles[t * members_each : (t + 1) * members_each], rng.random()),
        )
        for t in range(threads)
    ]
    for w in workers:
        w.start()
    go.set()
    close_after = rng.randint(0, 30)
    wait_until(
        lambda: total[0] >= close_after or not any(w.is_alive() for w in workers),
        120,
        "votes before close",
    )
    closed = voting.close_voting(db, FACILITATOR, pid)
    for w in workers:
        w.join(30)
    assert errors == []
    assert set(refused) <= {"voting.error.closed"}
    # Zero votes accepted after close: the frozen counts are exactly the last
    # acknowledged vote of each member, and the votes table has not moved since.
    expected = Counter(choice for _, choice in acked.values())
    assert closed.counts.as_dict() == {c.value: expected[c.value] for c in Choice}
    with db.read() as session:
        stored = dict(
            (m, n)
            for m, n in session.execute(
                select(Vote.choice, func.count())
                .where(Vote.proposal_id == pid)
                .group_by(Vote.choice)
            )
        )
        receipts = set(session.scalars(select(Vote.receipt).where(Vote.proposal_id == pid)))
    assert stored == {k: v for k, v in expected.items() if v}
    assert receipts == {receipt for receipt, _ in acked.values()}
    return sum(refused.values())
