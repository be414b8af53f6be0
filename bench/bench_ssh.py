"""How many members one machine serves over SSH: `deliberate serve` with real OpenSSH clients.

    .venv/bin/python bench/bench_ssh.py [--members 100] [--waves 1,25,100] [--processes fork|exec]
                                        [--exec-waves 1,25] [--json FILE]

Everything runs on this machine and talks only to 127.0.0.1. A forum with N members (each with
an Ed25519 key) and a running meeting whose first item is open for voting; then:

  first screen   N `ssh -tt` clients start at once, each in a pseudo-terminal of its own
                 (80x24); the time from starting `ssh` until the member's screen shows
                 "Taleliste" (the meeting view's speakers' list), per client. Waves of 1, 25
                 and 100 simultaneous joins. Baselines in the same run: the SSH connection
                 alone (`ssh -T`: key exchange, auth, the one-line refusal) and an empty
                 Textual app painting one word in a pty, started cold (a fresh interpreter)
                 the same number of times at once.
  memory         with all N connected and idle: each member process's RSS, PSS (its fair
                 share of pages shared with others) and USS (pages only it has), from
                 /proc/PID/smaps_rollup; the server and fork server; and MemAvailable before
                 and after (the honest cost per member). Baseline: the same figures for one
                 cold empty Textual app.
  vote latency   with all N connected (every screen live-refreshing on each change), each
                 member's vote is cast through the service (`voting.cast_vote`, what the vote
                 dialog runs), one every 50 ms; p50/p95/max of the call. Baselines: the same
                 votes with nobody connected, and a raw SQLite INSERT+COMMIT (WAL,
                 synchronous=FULL) on the same disk.

Targets (issue 5): first screen <= 2 s for each of 25 simultaneous joins; <= 50 MiB per member.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import json
import os
import pty
import re
import selectors
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from deliberate.services import meetings, members, proposals, voting  # noqa: E402
from deliberate.services.importer import import_paths  # noqa: E402
from deliberate.store import migrate  # noqa: E402
from deliberate.store.engine import Database  # noqa: E402

BIN = Path(sys.executable).parent
DELIBERATE = str(BIN / "deliberate")
MARKER = b"Taleliste"
EMPTY_APP = """
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("KLAR")
Empty().run()
"""


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3) if values else float("nan"),
        "p95": round(percentile(values, 0.95), 3),
        "max": round(max(values), 3) if values else float("nan"),
    }


# ------------------------------------------------------------------------------ terminals


@dataclass
class Terminal:
    """A process in a pseudo-terminal of its own; its output is read continuously."""

    name: str
    process: subprocess.Popen[bytes]
    master: int
    started: float
    seen_at: float | None = None
    tail: bytes = b""
    total: int = 0


@dataclass
class Terminals:
    """Reads every terminal's output in one thread (a pty that nobody reads blocks its app)."""

    marker: bytes
    items: dict[int, Terminal] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def spawn(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (80, 24),
    ) -> Terminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        os.set_blocking(master, False)
        term = Terminal(name, process, master, started)
        with self.lock:
            self.items[master] = term
            self.selector.register(master, selectors.EVENT_READ)
        return term

    def _run(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                empty = not self.items
            if empty:
                time.sleep(0.01)
                continue
            ready = self.selector.select(timeout=0.05)
            time.sleep(0.01)  # let output gather: far fewer wake-ups, at most 10 ms later
            for key, _ in ready:
                fd = key.fd
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                with self.lock:
                    term = self.items.get(fd)
                    if term is None:
                        continue
                    if not data:
                        self.selector.unregister(fd)
                        continue
                    term.total += len(data)
                    term.tail = (term.tail + data)[-8192:]
                    if term.seen_at is None and self.marker in term.tail:
                        term.seen_at = time.perf_counter()

    def write(self, term: Terminal, data: bytes) -> None:
        os.write(term.master, data)

    def wait_all_seen(self, terms: list[Terminal], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(t.seen_at is not None for t in terms):
                return
            time.sleep(0.02)

    def close(self, terms: list[Terminal]) -> None:
        for t in terms:
            if t.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(t.process.pid, signal.SIGTERM)
        for t in terms:
            try:
                t.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(t.process.pid, signal.SIGKILL)
                t.process.wait()
            with self.lock:
                if t.master in self.items:
                    with contextlib.suppress(KeyError, ValueError):
                        self.selector.unregister(t.master)
                    del self.items[t.master]
            os.close(t.master)

    def shutdown(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


# ------------------------------------------------------------------------------ the forum


def build_forum(home: Path, n_members: int) -> tuple[Path, list[str]]:
    db_path = home / "forum.db"
    db = Database(f"sqlite:///{db_path}")
    migrate.upgrade(db)
    import_paths(db, [REPO / "proposals"])
    members.add_member(db, "ordstyrer", "Ole Ordstyrer", role="facilitator", can_vote=False)
    handles = []
    keys = home / "keys"
    keys.mkdir()
    for i in range(n_members):
        handle = f"m{i:03d}"
        key = keys / handle
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        members.add_member(
            db, handle, f"Medlem {i:03d}", key=members.read_public_key_file(Path(f"{key}.pub"))
        )
        handles.append(handle)
    ids = [p.id for p in proposals.list_proposals(db)]
    meeting = meetings.create_meeting(db, "ordstyrer", "Benchmark-møde", ids[:3])
    meetings.start_meeting(db, "ordstyrer", meeting.id)
    meetings.open_item_voting(db, "ordstyrer", meeting.id)
    voting.open_voting(db, "ordstyrer", ids[1])  # for the votes cast with nobody connected
    db.dispose()
    return db_path, handles


def ssh_argv(port: int, key: Path, *extra: str) -> list[str]:
    return [
        "ssh",
        "-F",
        "/dev/null",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=60",
        "-p",
        str(port),
        "-i",
        str(key),
        *extra,
        "member@127.0.0.1",
    ]


class ServerProcess:
    def __init__(self, home: Path, db_path: Path, processes: str) -> None:
        self.log = home / f"ssh-{processes}.log"
        env = dict(
            os.environ, DELIBERATE_HOME=str(home), PATH=f"{BIN}:{os.environ.get('PATH', '')}"
        )
        self.process = subprocess.Popen(
            [
                DELIBERATE,
                "--db",
                str(db_path),
                "serve",
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--host-key",
                str(home / "host_key"),
                "--log",
                str(self.log),
                "--processes",
                processes,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"127\.0\.0\.1:(\d+)", line)
        if not match:
            raise SystemExit(
                f"server did not start: {line} {self.process.stderr.read() if self.process.stderr else ''}"
            )
        self.port = int(match.group(1))
        time.sleep(2.0)  # let the fork server finish its imports before the first join

    def member_pids(self) -> list[int]:
        text = self.log.read_text()
        started = [int(p) for p in re.findall(r"TUI started \(pid (\d+)", text)]
        ended = {int(p) for p in re.findall(r"TUI ended \(pid (\d+)", text)}
        return [p for p in started if p not in ended and Path(f"/proc/{p}").exists()]

    def helper_pids(self) -> list[int]:
        """The server and its fork server (their memory is shared by all members)."""
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    cmd = (entry / "cmdline").read_bytes()
                    if b"forkserver" in cmd or b"resource_tracker" in cmd:
                        pids.append(int(entry.name))
        return pids

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# ------------------------------------------------------------------------------ measurements


def smaps(pid: int) -> dict[str, int]:
    """kB figures from /proc/PID/smaps_rollup."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            out[name.strip()] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return out


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes so far (from /proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def mem_available_kb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])
    return 0


def memory_of(pids: list[int]) -> dict[str, float]:
    rows = [smaps(p) for p in pids]
    rows = [r for r in rows if r]
    if not rows:
        return {}

    def mib(key: str) -> list[float]:
        return [r.get(key, 0) / 1024 for r in rows]

    uss = [(r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)) / 1024 for r in rows]
    return {
        "processes": len(rows),
        "rss_mib_mean": round(statistics.mean(mib("Rss")), 1),
        "pss_mib_mean": round(statistics.mean(mib("Pss")), 1),
        "uss_mib_mean": round(statistics.mean(uss), 1),
        "pss_mib_total": round(sum(mib("Pss")), 1),
    }


def wait_members(server: ServerProcess, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(server.member_pids()) == count:
            return
        time.sleep(0.1)


def join_wave(
    terms: Terminals, server: ServerProcess, keys: Path, handles: list[str], timeout: float
) -> tuple[list[Terminal], list[float]]:
    clients = [terms.spawn(h, ssh_argv(server.port, keys / h, "-tt")) for h in handles]
    terms.wait_all_seen(clients, timeout)
    times = [c.seen_at - c.started for c in clients if c.seen_at is not None]
    missing = [c.name for c in clients if c.seen_at is None]
    if missing:
        print(
            f"  ! {len(missing)} clients never showed their screen within {timeout} s",
            file=sys.stderr,
        )
    return clients, times


def empty_app_wave(
    terms: Terminals, n: int, timeout: float
) -> tuple[list[float], dict[str, float]]:
    """n cold empty Textual apps at once, each painting one word in its own pty."""
    local = Terminals(b"KLAR")
    apps = [
        local.spawn(
            f"empty{i}",
            [sys.executable, "-c", EMPTY_APP],
            env=dict(os.environ, TERM="xterm-256color"),
        )
        for i in range(n)
    ]
    local.wait_all_seen(apps, timeout)
    times = [a.seen_at - a.started for a in apps if a.seen_at is not None]
    time.sleep(0.5)
    mem = memory_of([a.process.pid for a in apps])
    local.close(apps)
    local.shutdown()
    return times, mem


def ssh_only(server: ServerProcess, key: Path, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(
            ssh_argv(server.port, key, "-T"), capture_output=True, stdin=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return times


def raw_sqlite_commits(folder: Path, n: int) -> list[float]:
    path = folder / "raw.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, member TEXT, choice TEXT, at TEXT)")
    times = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO v (member, choice, at) VALUES (?, 'ja', ?)",
            (f"m{i}", dt.datetime.now().isoformat()),
        )
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def cast_votes(db_path: Path, handles: list[str], proposal: str, pause: float) -> list[float]:
    db = Database(f"sqlite:///{db_path}")
    times = []
    for handle in handles:
        start = time.perf_counter()
        voting.cast_vote(db, handle, proposal, "ja")
        times.append(time.perf_counter() - start)
        time.sleep(pause)
    db.dispose()
    return times


def current_and_next(db_path: Path) -> tuple[str, str]:
    db = Database(f"sqlite:///{db_path}")
    state = meetings.meeting_state(db, meetings.running_meeting_id(db) or 0)
    db.dispose()
    return state.agenda[0].proposal_id, state.agenda[1].proposal_id


# ------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--waves", default="1,25,100", help="simultaneous joins per wave")
    parser.add_argument("--processes", default="fork", choices=("fork", "exec"))
    parser.add_argument(
        "--exec-waves", default="1,25", help="waves to repeat with --processes exec ('' to skip)"
    )
    parser.add_argument("--vote-pause", type=float, default=0.05)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    if not shutil.which("ssh"):
        raise SystemExit("the OpenSSH client (ssh) is needed")
    waves = [int(w) for w in args.waves.split(",") if w]
    exec_waves = [int(w) for w in args.exec_waves.split(",") if w]
    n = max([args.members, *waves, *exec_waves])
    results: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "mem_total_mib": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024),
            "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        },
        "members": n,
    }
    home = Path(tempfile.mkdtemp(prefix="bench-ssh-"))
    try:
        print(f"building a forum with {n} members in {home} ...", file=sys.stderr)
        db_path, handles = build_forum(home, n)
        keys = home / "keys"
        current, other = current_and_next(db_path)

        # Baselines: an empty Textual app, cold, 1 and 25 at once; raw SQLite commits.
        terms = Terminals(MARKER)
        base: dict[str, object] = {}
        for w in sorted({1, *[x for x in waves if x <= 25]}):
            times, mem = empty_app_wave(terms, w, 120)
            base[f"empty_textual_x{w}"] = summary(times)
            if w == 1:
                base["empty_textual_memory"] = mem
        base["raw_sqlite_commit_ms"] = {
            k: (round(v * 1000, 2) if k != "n" else v)
            for k, v in summary(raw_sqlite_commits(home, 200)).items()
        }
        results["baseline"] = base

        for processes in [args.processes] + (
            ["exec"] if exec_waves and args.processes != "exec" else []
        ):
            server = ServerProcess(home, db_path, processes)
            section: dict[str, object] = {}
            try:
                section["ssh_only"] = summary(ssh_only(server, keys / handles[0], 5))
                for w in waves if processes == args.processes else exec_waves:
                    print(f"[{processes}] wave of {w} simultaneous joins ...", file=sys.stderr)
                    before = mem_available_kb()
                    clients, times = join_wave(terms, server, keys, handles[:w], timeout=180)
                    section[f"first_screen_x{w}"] = summary(times)
                    if w == max(waves) and processes == args.processes:
                        time.sleep(3.0)  # settle: every screen idle and live
                        pids = server.member_pids()
                        section["memory"] = memory_of(pids)
                        section["memory"]["helpers"] = memory_of(server.helper_pids())  # type: ignore[index]
                        section["memory"]["mem_available_drop_mib_per_member"] = round(  # type: ignore[index]
                            (before - mem_available_kb()) / 1024 / max(1, len(pids)), 1
                        )
                        ours = pids + server.helper_pids()
                        used = cpu_seconds(ours)
                        time.sleep(10.0)
                        section["idle_cpu_percent_of_one_core"] = {
                            "all_members_and_server": round(
                                (cpu_seconds(ours) - used) / 10.0 * 100, 1
                            ),
                        }
                        print(
                            f"[{processes}] {w} votes while {len(pids)} members are connected ...",
                            file=sys.stderr,
                        )
                        used = cpu_seconds(ours)
                        started = time.perf_counter()
                        lat = cast_votes(db_path, handles[:w], current, args.vote_pause)
                        section["voting_cpu_percent_of_one_core"] = round(
                            (cpu_seconds(ours) - used) / (time.perf_counter() - started) * 100, 1
                        )
                        section["vote_ms_connected"] = {
                            k: (round(v * 1000, 1) if k != "n" else v)
                            for k, v in summary(lat).items()
                        }
                    terms.close(clients)
                    wait_members(server, 0)
                if processes == args.processes:
                    lat = cast_votes(db_path, handles[: max(waves)], other, args.vote_pause)
                    section["vote_ms_nobody_connected"] = {
                        k: (round(v * 1000, 1) if k != "n" else v) for k, v in summary(lat).items()
                    }
            finally:
                server.stop()
            results[processes] = section
        terms.shutdown()
        results["machine"]["loadavg_at_end"] = Path("/proc/loadavg").read_text().split()[:3]  # type: ignore[index]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
