"""`deliberate serve --workers N`: N worker processes accepting on one port (SO_REUSEPORT).

The parent process
- reserves the port (a bound, never listening socket with SO_REUSEPORT: with `--port 0` the
  kernel picks one, and every worker then binds that same port; the kernel spreads new
  connections over the workers that listen);
- imports the app once and freezes the heap, then forks the workers (they share those pages);
- restarts a worker that dies (its members reconnect at once: the others still listen);
- runs the forum's scheduled work once for all workers (deadlines, stale presence) — never
  in the workers;
- on SIGTERM/SIGINT stops the workers and waits for them.

Each worker is `ssh.server.serve(…, reuse_port=True)`: an asyncio event loop hosting many
members' sessions. Nothing of the parent's database connections is used in a worker.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import select
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from deliberate.ssh.keys import fingerprint, load_or_create_host_key
from deliberate.store.engine import Database

log = logging.getLogger("deliberate.ssh.workers")

SCHEDULE_EVERY = 5.0  # seconds between runs of the scheduled work (deadlines)
READY_TIMEOUT = 120.0  # seconds a worker may take to start listening
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL when stopping
# What a worker needs, imported once in the parent so forked workers share the pages.
PRELOAD = (
    "deliberate.ssh.server",
    "deliberate.ssh.session",
    "deliberate.ssh.driver",
    "deliberate.tui.app",
    "deliberate.tui.live_hub",
    "deliberate.tui.screens.overview",
    "deliberate.tui.screens.meeting",
    "deliberate.tui.screens.facilitator",
    "deliberate.tui.screens.projector",
    "deliberate.tui.screens.proposal",
    "deliberate.tui.screens.vote",
    "deliberate.tui.screens.help",
    "deliberate.services.live",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass
class _Worker:
    pid: int
    ready_fd: int
    started: float
    ready: bool = False


def scheduled_work(db: Database) -> None:
    """The forum's clock-driven work (phases, deadlines), once per server, in the parent —
    never in the workers."""
    from deliberate.services.scheduler import run_scheduler

    report = run_scheduler(db)
    log.debug("scheduler: %s", report)


def _reserve(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) with SO_REUSEPORT, not listening: it holds the port
    (and picks one for port 0) while the workers bind it too."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def _preload() -> None:
    import importlib

    for module in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    gc.collect()
    gc.freeze()  # collections in the workers never touch these pages: they stay shared


def run(
    settings: object,
    workers: int,
    *,
    ready: Callable[[int, str], None] | None = None,
) -> None:
    """Run the server with `workers` processes until SIGTERM/SIGINT."""
    from deliberate.services import meetings
    from deliberate.ssh.server import ServeSettings

    assert isinstance(settings, ServeSettings)
    host_key = load_or_create_host_key(settings.host_key)  # made once, before the workers
    reserved = _reserve(settings.host, settings.port)
    port = reserved.getsockname()[1]
    settings = replace(settings, port=port)
    _preload()

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    db: Database | None = None
    running: dict[int, _Worker] = {}
    failures: list[float] = []

    def start_worker() -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read_fd)
            code = 0
            try:
                reserved.close()
                if db is not None:
                    db.engine.dispose(close=False)  # the parent's connections stay the parent's
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _worker_main(settings, write_fd)
            except BaseException:
                log.exception("worker %s failed", os.getpid())
                code = 70
            finally:
                logging.shutdown()
                os._exit(code)
        os.close(write_fd)
        running[pid] = _Worker(pid, read_fd, time.monotonic())
        log.info("worker %s started", pid)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(max(1, workers)):
        start_worker()
    _wait_ready(running, lambda: stopping)
    if not stopping and ready is not None:
        ready(port, fingerprint(host_key))
    log.info("serving on %s:%s with %s workers", settings.host, port, len(running))

    db = Database(settings.db_url)
    next_schedule = time.monotonic()
    next_prune = time.monotonic()
    try:
        while not stopping:
            for pid, status in _reap():
                worker = running.pop(pid, None)
                if worker is None:
                    continue
                os.close(worker.ready_fd)
                log.warning("worker %s ended (%s); starting another", pid, _describe(status))
                now = time.monotonic()
                failures[:] = [t for t in failures if now - t < 30] + [now]
                if len(failures) > 5:  # dying at once, again and again: do not fork-storm
                    time.sleep(min(10.0, len(failures)))
                if not stopping:
                    start_worker()
            _mark_ready(running)
            now = time.monotonic()
            if now >= next_schedule:
                next_schedule = now + SCHEDULE_EVERY
                _guarded(scheduled_work, db)
            if now >= next_prune:
                next_prune = now + settings.presence_interval * 3
                _guarded(
                    meetings.prune_presence,
                    db,
                    older_than_seconds=int(settings.presence_interval * 6),
                )
            with contextlib.suppress(InterruptedError):
                select.select([w.ready_fd for w in running.values() if not w.ready], [], [], 0.2)
    finally:
        log.info("stopping %s workers", len(running))
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while running and time.monotonic() < deadline:
            for pid, _status in _reap():
                running.pop(pid, None)
            time.sleep(0.05)
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in list(running):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        reserved.close()
        db.dispose()


def _worker_main(settings: object, ready_fd: int) -> None:
    import asyncio

    from deliberate.ssh.server import ServeSettings, serve

    assert isinstance(settings, ServeSettings)

    def ready(port: int, key: str) -> None:
        os.write(ready_fd, b"r")
        os.close(ready_fd)

    asyncio.run(serve(settings, ready=ready, reuse_port=True))


def _wait_ready(running: dict[int, _Worker], stopping: Callable[[], bool]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while not stopping() and time.monotonic() < deadline:
        waiting = [w.ready_fd for w in running.values() if not w.ready]
        if not waiting:
            return
        with contextlib.suppress(InterruptedError):
            select.select(waiting, [], [], 0.2)
        _mark_ready(running)
        for pid, status in _reap():
            worker = running.pop(pid, None)
            if worker is not None:
                raise OSError(f"worker {pid} could not start ({_describe(status)}); see the log")


def _mark_ready(running: dict[int, _Worker]) -> None:
    for worker in running.values():
        if not worker.ready:
            readable, _, _ = select.select([worker.ready_fd], [], [], 0)
            if readable:
                with contextlib.suppress(OSError):
                    os.read(worker.ready_fd, 1)
                worker.ready = True


def _reap() -> list[tuple[int, int]]:
    ended: list[tuple[int, int]] = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.append((pid, status))


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _guarded(fn: Callable[..., object], *args: object, **kwargs: object) -> None:
    try:
        fn(*args, **kwargs)
    except Exception:
        log.exception("scheduled work failed")
