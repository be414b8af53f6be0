"""Helpers for the SSH and end-to-end tests: a forum on disk, `deliberate serve` on 127.0.0.1,
the real OpenSSH client, and tmux panes to look at terminals. (No tests in here.)"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.waiting import wait_until

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DELIBERATE = str(BIN / "deliberate")
PROPOSAL = """---
id: {id}
title: {title}
---

{body}

## Forslag til ændringer

### Skærp målet

Målet hæves.
"""

needs_openssh = pytest.mark.skipif(
    not (shutil.which("ssh") and shutil.which("ssh-keygen")),
    reason="the OpenSSH client is not installed",
)
needs_tmux = pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is not installed")


def wait_for(
    condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.05, what: str = ""
) -> object:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    return wait_until(condition, timeout, interval=interval, what=what)


def make_key(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(key)],
        check=True,
    )
    return key


@dataclass
class Forum:
    """A forum database in a temporary folder, driven through the real `deliberate` program."""

    home: Path
    url: str | None = None  # another database (PostgreSQL) instead of home/forum.db
    db: Path = field(init=False)

    def __post_init__(self) -> None:
        self.db = self.home / "forum.db"

    @property
    def where(self) -> str:
        return self.url or str(self.db)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"DELIBERATE_HOME": str(self.home), "DELIBERATE_LANG": "da"})
        env.pop("DELIBERATE_DB", None)
        env.pop("DELIBERATE_MEMBER", None)
        env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [DELIBERATE, "--db", self.where, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"deliberate {' '.join(args)} failed: {result.stderr}")
        return result

    def json(self, *args: str) -> object:
        return json.loads(self.run(*args).stdout)

    def database(self):  # type: ignore[no-untyped-def]
        from deliberate.store.engine import Database

        return Database(self.url or f"sqlite:///{self.db}")

    def add_member(
        self,
        handle: str,
        name: str,
        role: str = "member",
        *,
        key: bool = True,
        can_vote: bool = True,
    ) -> Path | None:
        """Add a member (in-process: faster than the program) with a fresh key of their own."""
        from deliberate.services import members

        keyfile = make_key(self.home, handle) if key else None
        db = self.database()
        try:
            public = members.read_public_key_file(Path(f"{keyfile}.pub")) if keyfile else None
            members.add_member(db, handle, name, role=role, key=public, can_vote=can_vote)
        finally:
            db.dispose()
        return keyfile


def make_forum(
    home: Path,
    proposals: tuple[tuple[str, str], ...] = (("p1", "Flere cykelstier"), ("p2", "Grønne tage")),
    url: str | None = None,
) -> Forum:
    forum = Forum(home, url)
    folder = home / "forslag"
    folder.mkdir(parents=True)
    for pid, title in proposals:
        (folder / f"{pid}.md").write_text(
            PROPOSAL.format(id=pid, title=title, body=f"Forslaget {title.lower()}."),
            encoding="utf-8",
        )
    from deliberate.services.importer import import_paths
    from deliberate.store import migrate

    db = forum.database()
    try:
        migrate.upgrade(db)
        import_paths(db, [folder])
    finally:
        db.dispose()
    return forum


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    fingerprint: str
    log: Path

    def ssh_args(self, key: Path, *extra: str) -> list[str]:
        return ssh_command(self.port, key, *extra)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


def ssh_command(port: int, key: Path, *extra: str) -> list[str]:
    return [
        "ssh",
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
        "ConnectTimeout=20",
        "-F",
        "/dev/null",
        "-p",
        str(port),
        "-i",
        str(key),
        *extra,
        "member@127.0.0.1",
    ]


@contextmanager
def running_server(
    forum: Forum, *extra: str, lang: str = "da", log_name: str = "ssh-server.log"
) -> Iterator[Server]:
    """`deliberate serve` on 127.0.0.1 and a free port; stopped (and its members) afterwards."""
    log = forum.home / log_name
    process = subprocess.Popen(
        [
            DELIBERATE,
            "--db",
            forum.where,
            "--lang",
            lang,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--host-key",
            str(forum.home / "host_key"),
            "--log",
            str(log),
            *extra,
        ],
        env=forum.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        match = re.search(r"127\.0\.0\.1:(\d+) .* (SHA256:\S+)", line)
        if not match:
            process.kill()
            raise AssertionError(
                f"the server did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
            )
        yield Server(process, int(match.group(1)), match.group(2), log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Tmux:
    """A private tmux server (its own socket) with named panes we can type into and read."""

    def __init__(self, width: int = 100, height: int = 32) -> None:
        self.socket = f"deliberate-test-{uuid.uuid4().hex[:10]}"
        self.width, self.height = width, height
        self.sessions: list[str] = []

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=30,
        )

    def start(
        self,
        name: str,
        command: list[str],
        env: dict[str, str] | None = None,
        *,
        size: tuple[int, int] | None = None,
    ) -> None:
        import shlex

        env_prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = (f"env {env_prefix} " if env_prefix else "") + " ".join(
            shlex.quote(a) for a in command
        )
        # Keep the pane after the command ends, so its last words can still be read.
        width, height = size or (self.width, self.height)
        self._tmux(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(width),
            "-y",
            str(height),
            f"{line}; echo '[exit '$?']'; sleep 600",
        )
        self.sessions.append(name)

    def screen(self, name: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", name, check=False).stdout

    def keys(self, name: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", name, *keys)

    def resize(self, name: str, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", name, "-x", str(width), "-y", str(height))

    def wait_text(self, name: str, *needles: str, timeout: float = 15.0) -> str:
        def seen() -> str:
            text = self.screen(name)
            return text if all(n in text for n in needles) else ""

        try:
            return str(wait_for(seen, timeout, what=f"{needles} in pane {name}"))
        except AssertionError:
            raise AssertionError(
                f"pane {name} never showed {needles}; it shows:\n{self.screen(name)}"
            ) from None

    def kill(self, name: str) -> None:
        self._tmux("kill-session", "-t", name, check=False)

    def close(self) -> None:
        self._tmux("kill-server", check=False)


@contextmanager
def tmux() -> Iterator[Tmux]:
    t = Tmux()
    try:
        yield t
    finally:
        t.close()


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# ------------------------------------------------------------------------------ many clients

_CONTROL = re.compile(
    rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07"
)


@dataclass
class PtyClient:
    """The real `ssh -tt` in a pseudo-terminal of its own; its output is kept (control
    sequences removed) so tests can wait for text. Read continuously by `PtyClients`."""

    name: str
    process: subprocess.Popen[bytes]
    master: int
    raw: bytearray = field(default_factory=bytearray)

    def text(self, last: int = 200_000) -> str:
        return _CONTROL.sub(b"", bytes(self.raw[-last:])).decode("utf-8", "replace")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)


class PtyClients:
    """Many `ssh -tt` clients at once, their terminals read by one thread."""

    def __init__(self) -> None:
        import selectors
        import threading

        self.clients: dict[int, PtyClient] = {}
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def start(self, name: str, argv: list[str], size: tuple[int, int] = (80, 24)) -> PtyClient:
        import fcntl
        import pty
        import selectors
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True
        )
        os.close(slave)
        os.set_blocking(master, False)
        client = PtyClient(name, process, master)
        with self._lock:
            self.clients[master] = client
            self._selector.register(master, selectors.EVENT_READ)
        return client

    def _read(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                empty = not self.clients
            if empty:
                time.sleep(0.02)
                continue
            for key, _ in self._selector.select(timeout=0.05):
                try:
                    data = os.read(key.fd, 65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                with self._lock:
                    client = self.clients.get(key.fd)
                    if client is None:
                        continue
                    if not data:
                        self._selector.unregister(key.fd)
                        continue
                    client.raw += data
                    if len(client.raw) > 400_000:
                        del client.raw[:200_000]

    def wait_text(self, clients: list[PtyClient], needle: str, timeout: float) -> None:
        """Wait until every client's output shows `needle` since it was last cleared."""
        wait_for(
            lambda: all(needle in c.text() for c in clients),
            timeout,
            0.1,
            what=f"{needle!r} on {[c.name for c in clients if needle not in c.text()][:5]}",
        )

    def close(self) -> None:
        for client in self.clients.values():
            if client.process.poll() is None:
                with suppress_lookup():
                    os.killpg(client.process.pid, signal.SIGTERM)
        for client in self.clients.values():
            try:
                client.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(client.process.pid, signal.SIGKILL)
                client.process.wait()
        self._stop.set()
        self._thread.join(timeout=2)
        for master in list(self.clients):
            os.close(master)
        self.clients.clear()


def suppress_lookup():  # type: ignore[no-untyped-def]
    import contextlib

    return contextlib.suppress(ProcessLookupError)


def sessions_by_worker(log_text: str) -> dict[str, int]:
    """Which worker process hosts each member's current session (from the server log)."""
    found: dict[str, int] = {}
    for pid, handle in re.findall(
        r"\[(\d+)\] INFO deliberate\.ssh: member (\S+): TUI started", log_text
    ):
        found[handle] = int(pid)
    return found


def pss_kib(pid: int) -> int:
    """Proportional set size of a process (its fair share of shared pages), in KiB."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def server_pids(server_pid: int) -> list[int]:
    return [server_pid, *children_of(server_pid)]
