"""How many members one machine serves over SSH: `deliberate serve` with real OpenSSH clients.

    .venv/bin/python bench/bench_ssh.py [--connected 300] [--waves 25,100] [--workers N]
                                        [--processes shared|fork|exec] [--json FILE]

Everything runs on this machine and talks only to 127.0.0.1. A forum with N members (each with
an Ed25519 key) and a running meeting whose first item is open for voting; then:

  first screen   W `ssh -tt` clients start at once, each in a pseudo-terminal of its own
                 (80x24); the time from starting `ssh` until the member's screen shows
                 "Taleliste" (the meeting view). Waves of 25 and 100 by default.
  memory         with N connected and idle: the total PSS (proportional set size, from
                 /proc/PID/smaps_rollup) of every server process (parent and workers, and
                 members' processes with --processes fork|exec) divided by N.
  idle CPU       utime+stime of those processes over 10 s with N connected and idle.
  vote to screen with N connected, votes are cast one at a time through the service
                 (`voting.cast_vote`, what the vote dialog runs); for each, the time until
                 EVERY member's screen shows the new count ("k af N har stemt"), and the
                 time the cast itself took.
  isolation      the same, while one member pastes 10,000 characters (bracketed paste, as a
                 terminal sends it) and resizes their window 50 times a second: the OTHER
                 members' vote-to-screen times.

Targets (issue 11, 300 connected on 2 cores): first screen <= 2 s max for 25 joining at once,
<= 3 s median for 100; <= 10 MiB per member; a vote on every screen <= 1 s p95, cast
<= 100 ms p95; idle <= 10 % of one core in all.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import re
import selectors
import shutil
import signal
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
_CONTROL = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


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
    found_at: float | None = None  # when the watched text (Terminals.watch) appeared


@dataclass
class Terminals:
    """Reads every terminal's output in one thread (a pty that nobody reads blocks its app)."""

    marker: bytes
    items: dict[int, Terminal] = field(default_factory=dict)
    needle: bytes = b""  # text to time on every terminal (see watch)
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
                    if (
                        self.needle
                        and term.found_at is None
                        and self.needle in _CONTROL.sub(b"", term.tail[-4096:])
                    ):
                        term.found_at = time.perf_counter()

    def watch(self, needle: bytes) -> None:
        """From now on, note when each terminal first shows `needle` (found_at)."""
        with self.lock:
            self.needle = needle
            for term in self.items.values():
                term.found_at = None

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
    def __init__(self, home: Path, db_path: Path, processes: str, workers: int) -> None:
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
                "--workers",
                str(workers),
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
        self.processes = processes
        if processes != "shared":
            time.sleep(2.0)  # let the fork server finish its imports before the first join

    def all_pids(self) -> list[int]:
        """Every process of the server: parent, workers, fork servers, members' processes."""
        found = [self.process.pid]
        frontier = [self.process.pid]
        while frontier:
            parent = frontier.pop()
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry.name))
                    frontier.append(int(entry.name))
        return found

    def sessions(self) -> int:
        text = self.log.read_text()
        return len(re.findall(r"TUI started", text)) - len(re.findall(r"TUI ended", text))

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


def wait_members(server: ServerProcess, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.sessions() <= count:
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


def votes_to_screens(
    terms: Terminals,
    clients: list[Terminal],
    db_path: Path,
    voters: list[str],
    proposal: str,
    eligible: int,
    disturb: Terminal | None = None,
) -> tuple[list[float], list[float]]:
    """Cast one vote at a time; per vote, how long until every client (but `disturb`) shows
    the new count, and how long the cast took."""
    db = Database(f"sqlite:///{db_path}")
    watch = [c for c in clients if c is not disturb]
    reach, cast = [], []
    stop = threading.Event()
    noise = None
    if disturb is not None:
        noise = threading.Thread(target=_disturb, args=(terms, disturb, stop), daemon=True)
        noise.start()
    try:
        already = voting.tally(db, proposal).cast
        for k, handle in enumerate(voters, start=already + 1):
            terms.watch(f"{k} af {eligible} har stemt".encode())
            started = time.perf_counter()
            voting.cast_vote(db, handle, proposal, "ja")
            cast.append(time.perf_counter() - started)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(c.found_at is None for c in watch):
                time.sleep(0.05)
            seen = [c.found_at for c in watch if c.found_at is not None]
            if len(seen) < len(watch):
                print(
                    f"  ! vote {k}: {len(watch) - len(seen)} screens never showed it",
                    file=sys.stderr,
                )
            reach.append((max(seen) if seen else time.perf_counter()) - started)
            time.sleep(0.5)
        terms.watch(b"")
    finally:
        stop.set()
        if noise is not None:
            noise.join()
        db.dispose()
    return reach, cast


def _disturb(terms: Terminals, term: Terminal, stop: threading.Event) -> None:
    """One member pastes 10,000 characters, then resizes wildly, again and again."""
    paste = b"\x1b[200~" + ("æøå " * 2500).encode() + b"\x1b[201~"
    width = 80
    while not stop.is_set():
        with contextlib.suppress(OSError):
            terms.write(term, paste)
        for _ in range(50):
            width = 60 + (width + 7) % 80
            with contextlib.suppress(OSError):
                fcntl.ioctl(term.master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
                os.killpg(term.process.pid, signal.SIGWINCH)
            time.sleep(0.02)


def ssh_only(server: ServerProcess, key: Path, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(
            ssh_argv(server.port, key, "-T"), capture_output=True, stdin=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return times


def current_and_next(db_path: Path) -> tuple[str, str]:
    db = Database(f"sqlite:///{db_path}")
    state = meetings.meeting_state(db, meetings.running_meeting_id(db) or 0)
    db.dispose()
    return state.agenda[0].proposal_id, state.agenda[1].proposal_id


def ms(values: list[float]) -> dict[str, float]:
    return {k: (round(v * 1000, 1) if k != "n" else v) for k, v in summary(values).items()}


# ------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connected", type=int, default=300)
    parser.add_argument("--waves", default="25,100", help="simultaneous joins per wave")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--processes", default="shared", choices=("shared", "fork", "exec"))
    parser.add_argument("--votes", type=int, default=10, help="votes timed to every screen")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    if not shutil.which("ssh"):
        raise SystemExit("the OpenSSH client (ssh) is needed")
    waves = [int(w) for w in args.waves.split(",") if w]
    n = max([args.connected, *waves])
    results: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "mem_total_mib": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024),
            "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        },
        "members": n,
        "processes": args.processes,
        "workers": args.workers,
    }
    home = Path(tempfile.mkdtemp(prefix="bench-ssh-"))
    try:
        print(f"building a forum with {n} members in {home} ...", file=sys.stderr)
        db_path, handles = build_forum(home, n)
        keys = home / "keys"
        current, _other = current_and_next(db_path)
        terms = Terminals(MARKER)
        server = ServerProcess(home, db_path, args.processes, args.workers)
        try:
            results["ssh_only"] = summary(ssh_only(server, keys / handles[0], 3))
            for w in waves:
                print(f"wave of {w} simultaneous joins ...", file=sys.stderr)
                clients, times = join_wave(terms, server, keys, handles[:w], timeout=300)
                results[f"first_screen_x{w}"] = summary(times)
                terms.close(clients)
                wait_members(server, 0)
            print(f"{args.connected} connecting ...", file=sys.stderr)
            clients = []
            for start in range(0, args.connected, 25):  # in waves of 25, as people arrive
                batch, _ = join_wave(
                    terms, server, keys, handles[start : min(start + 25, args.connected)], 300
                )
                clients += batch
            time.sleep(5.0)  # settle: every screen idle and live
            pids = server.all_pids()
            pss = sum(smaps(p).get("Pss", 0) for p in pids) / 1024
            results["memory"] = {
                "server_processes": len(pids),
                "pss_mib_total": round(pss, 1),
                "pss_mib_per_member": round(pss / args.connected, 2),
            }
            used = cpu_seconds(pids)
            time.sleep(10.0)
            results["idle_cpu_percent_of_one_core"] = round((cpu_seconds(pids) - used) * 10, 1)
            voters = handles[: args.votes]
            print(f"{args.votes} votes to {args.connected} screens ...", file=sys.stderr)
            used, started = cpu_seconds(pids), time.perf_counter()
            reach, cast = votes_to_screens(terms, clients, db_path, voters, current, n)
            results["voting_cpu_percent_of_one_core"] = round(
                (cpu_seconds(pids) - used) / (time.perf_counter() - started) * 100, 1
            )
            results["vote_to_every_screen_ms"] = ms(reach)
            results["cast_ms"] = ms(cast)
            print("the same while one member pastes and resizes ...", file=sys.stderr)
            voters = handles[args.votes : 2 * args.votes]
            reach, cast = votes_to_screens(
                terms, clients, db_path, voters, current, n, disturb=clients[-1]
            )
            results["vote_to_other_screens_during_paste_and_resize_ms"] = ms(reach)
            results["cast_during_paste_and_resize_ms"] = ms(cast)
            terms.close(clients)
        finally:
            server.stop()
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
