"""The built-in SSH server (`deliberate serve`): members reach the TUI with their own key.

- Public-key authentication only, against the keys registered in the forum (looked up on
  every attempt, so a key added while the server runs works at once). The member is the
  key's owner; the user name the client sends is ignored. While invite codes are waiting, a
  key nobody registered is let in unbound, to the invite-code screen only (ssh/auth.py).
- Limits (ssh/limits.py): keys per connection, back-off and refusal per address after failed
  connections, a login grace time, one session per connection, sessions per member.
- A session with a pseudo-terminal gets `deliberate tui --as <member>` in a process of its
  own, on a real pty sized like the client's terminal and resized with it. Anything else
  (no terminal, a command, a subsystem, forwarding) is refused with one line.
- Tracebacks and server events go to the server log, never to a terminal.
- A dropped connection ends the member's process group and its presence.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import pty
import signal
import struct
import sys
import termios
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from deliberate.domain.text import SafeLogFormatter
from deliberate.i18n import translate
from deliberate.services import meetings, members
from deliberate.ssh import child as child_module
from deliberate.ssh.auth import ConnectionGuard, Registered, Unregistered, judge_key
from deliberate.ssh.keys import fingerprint, load_or_create_host_key
from deliberate.ssh.limits import AuthAttempts, RefusedSession, SshLimits, both_languages
from deliberate.ssh.spawn import Child, Launcher, kill_group, make_launcher
from deliberate.ssh.terminal_session import TerminalSession
from deliberate.store.engine import Database

log = logging.getLogger("deliberate.ssh")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2222
PRESENCE_INTERVAL = 20.0  # seconds between presence refreshes (one transaction for all; every
# refresh is a commit that wakes every live screen, so not too often)
KILL_GRACE = 2.0  # seconds between SIGHUP and SIGKILL when a connection drops
READ_CHUNK = 65536
# Passed through to members' processes when the server has them (nothing else is).
PASS_ENV = (
    "PATH",
    "HOME",
    "DELIBERATE_HOME",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "TZ",
    "DELIBERATE_COMMENTS_PER_MINUTE",  # the member-text rate limit (services.comments)
)


@dataclass
class ServeSettings:
    db_url: str
    host_key: Path
    log_path: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    lang: str = "da"
    launcher: str = "shared"  # shared (apps in the server process) | fork | exec (ssh.spawn)
    presence_interval: float = PRESENCE_INTERVAL
    limits: SshLimits = field(default_factory=SshLimits)
    invites: bool = True  # unknown keys may join with an invite code


@dataclass
class Forum:
    """What every connection shares: the database, settings, launcher, live sessions."""

    db: Database
    settings: ServeSettings
    launcher: Launcher  # members' processes (--processes fork|exec) and invite screens
    sessions: set[Any] = field(default_factory=set)  # MemberSession | AppSession
    streams: tuple[Any, Any] = (sys.stdout, sys.stderr)
    hub: Any = None  # the worker's LiveHub: one read per change for all its members' screens
    shared: bool = False  # members' apps run in this process (ssh.session), not a process each
    guard: ConnectionGuard = field(init=False)

    def __post_init__(self) -> None:
        self.guard = ConnectionGuard(self.settings.limits)

    def open_session(
        self, member: members.MemberInfo, peer: str, slots: tuple[str, ...]
    ) -> asyncssh.SSHServerSession[bytes]:
        if self.shared:
            from deliberate.ssh.session import AppSession

            return AppSession(self, member, peer, slots)
        return MemberSession(self, member, peer, slots=slots)

    async def start_mode(self) -> str:
        """During a meeting, members join straight into it (as `deliberate tui` does)."""
        running = await asyncio.to_thread(meetings.running_meeting_id, self.db)
        return "meeting" if running is not None else "forum"

    def make_app(
        self, member: members.MemberInfo, *, lang: str | None = None, **options: Any
    ) -> Any:
        from deliberate.tui.app import make_app

        return make_app(
            self.db,
            member.handle,
            lang or self.settings.lang,
            member=member,
            log_path=self.settings.log_path,
            server_presence=True,
            expiry_check_seconds=0,  # deadlines are closed once, by `serve` (ssh.workers)
            hub=self.hub,
            **options,
        )

    def restore_streams(self) -> None:
        """Textual swaps the process-wide sys.stdout/stderr while an app runs, and apps
        ending out of order restore each other's: put the server's own back."""
        sys.stdout, sys.stderr = self.streams

    async def quietly(self, fn: Callable[..., object], *args: object) -> None:
        await _quietly(fn, *args)

    def child_env(self, term: str) -> dict[str, str]:
        env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
        env.update(
            {
                "TERM": term or "xterm-256color",
                "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8",
                "DELIBERATE_DB": self.db.url,
                "DELIBERATE_LANG": self.settings.lang,
                "DELIBERATE_SSH": "1",
                "DELIBERATE_PRESENCE": "server",  # the server keeps presence, not the app
                child_module.LOG_ENV: str(self.settings.log_path),
                "BROWSER": "true",
                "COLORTERM": "truecolor",
            }
        )
        return env


# ------------------------------------------------------------------------------ connection


class ForumSSHServer(asyncssh.SSHServer):
    """One per connection: authenticates a member by key and opens their session."""

    def __init__(self, forum: Forum) -> None:
        self.forum = forum
        self.member: members.MemberInfo | None = None
        self.unbound: Unregistered | None = None  # let in only to type an invite code
        self._candidate: Registered | Unregistered | None = None
        self._peer = "?"
        self._address = "?"
        self._conn: asyncssh.SSHServerConnection | None = None
        self._attempts = AuthAttempts(forum.settings.limits.max_auth_tries)
        self._sessions = 0
        self._refused = False  # turned away by the limits (not counted as another failure)

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._peer = f"{peer[0]}:{peer[1]}" if peer else "?"
        self._address = str(peer[0]) if peer else "?"
        log.info("connection from %s", self._peer)

    def connection_lost(self, exc: Exception | None) -> None:
        who = self.member.handle if self.member else ("(invite)" if self.unbound else "-")
        log.info(
            "connection from %s closed (member %s)%s", self._peer, who, f": {exc}" if exc else ""
        )
        if self.member is None and self.unbound is None and not self._refused:
            self.forum.guard.failed.record(self._address)  # limits: a failed connection

    async def begin_auth(self, username: str) -> bool:
        """Limits: a refused address is told so; after failed connections, a delay first."""
        failed = self.forum.guard.failed
        minutes = failed.refused_minutes(self._address)
        if minutes is not None:
            log.info(
                "refused %s: %s failed connections", self._peer, failed.failures(self._address)
            )
            self._refused = True
            self._disconnect(both_languages("ssh.limit.refused", minutes=minutes))
            return True
        delay = failed.delay(self._address)
        if delay > 0:
            log.info("delaying authentication from %s by %.0f s", self._peer, delay)
            await asyncio.sleep(delay)
        return True  # always authenticate; the user name plays no part

    def _disconnect(self, reason: str) -> None:
        if self._conn is not None:
            self._conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, reason)

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if not self._attempts.offer(key.public_data):
            log.info("too many keys from %s: %s", self._peer, self._attempts.count)
            self._disconnect(both_languages("ssh.limit.too_many_keys", n=self._attempts.limit))
            return False
        try:
            verdict = await asyncio.to_thread(
                judge_key, self.forum.db, key, invites_enabled=self.forum.settings.invites
            )
        except Exception:
            log.exception("key lookup failed for %s", self._peer)
            return False
        if verdict is None:
            log.info("refused key %s from %s", fingerprint(key), self._peer)
            self._candidate = None
            return False
        # asyncssh verifies the signature right after this call succeeds; the last key
        # accepted here is therefore the one that authenticated.
        self._candidate = verdict
        return True

    def auth_completed(self) -> None:
        if isinstance(self._candidate, Registered):
            self.member = self._candidate.member
            log.info(
                "member %s authenticated from %s with key %s",
                self.member.handle,
                self._peer,
                self._candidate.fingerprint,
            )
        elif isinstance(self._candidate, Unregistered):
            self.unbound = self._candidate
            log.info(
                "unregistered key %s from %s: invite code screen",
                self.unbound.key.fingerprint,
                self._peer,
            )

    def session_requested(self) -> asyncssh.SSHServerSession[bytes] | bool:
        limits = self.forum.settings.limits
        if self._sessions >= limits.sessions_per_connection:
            log.info("second session on one connection from %s refused", self._peer)
            return RefusedSession(both_languages("ssh.limit.one_session"))
        if self.unbound is not None:
            from deliberate.ssh.invite_session import InviteSession

            slots = self.forum.guard.slots.take_invite(self._address)
            if slots is None:
                log.info("invite screens from %s: cap reached", self._peer)
                return RefusedSession(both_languages("ssh.limit.invite_sessions"))
            self._sessions += 1
            if self.forum.shared:  # in this process, like a member's app (ssh.session)
                from deliberate.ssh.session import InviteAppSession

                return InviteAppSession(
                    self.forum, self.unbound.key, self._peer, self._address, slots
                )
            return InviteSession(self.forum, self.unbound.key, self._peer, self._address, slots)
        if self.member is None:
            return False
        slots = self.forum.guard.slots.take_member(self.member.handle)
        if slots is None:
            log.info("member %s: session cap reached", self.member.handle)
            return RefusedSession(
                both_languages("ssh.limit.member_sessions", n=limits.sessions_per_member)
            )
        self._sessions += 1
        return self.forum.open_session(self.member, self._peer, slots)


# ------------------------------------------------------------------------------ session


class MemberSession(TerminalSession):
    """One SSH session: the member's TUI on a pty, bytes relayed both ways."""

    def __init__(
        self,
        forum: Forum,
        member: members.MemberInfo,
        peer: str,
        *,
        slots: tuple[str, ...] = (),
    ) -> None:
        super().__init__(forum, member, peer, slots, term="", size=(80, 24, 0, 0))
        self._master = -1
        self._slave = -1
        self._child: Child | None = None
        self._pending = bytearray()  # client input the pty has not taken yet
        self._reading = False
        self._paused = False
        self._presence_id: int | None = None
        self._closed = False
        self._loop = asyncio.get_running_loop()

    def session_started(self) -> None:
        if self.turned_away():
            return
        assert self._chan is not None
        try:
            self._start_child()
        except Exception:
            log.exception("could not start the TUI for %s", self.member.handle)
            self._chan.write_stderr(
                f"{translate('ssh.start_failed', self.forum.settings.lang)}\r\n".encode()
            )
            self._cleanup()
            self._chan.exit(1)

    def _start_child(self) -> None:
        self._master, self._slave = pty.openpty()
        self._set_size(*self._size)
        tty_path = os.ttyname(self._slave)
        settings = self.forum.settings
        argv = [
            "--db",
            self.forum.db.url,
            "--lang",
            settings.lang,
            "tui",
            "--as",
            self.member.handle,
        ]
        self._child = self.forum.launcher.start(tty_path, argv, self.forum.child_env(self._term))
        os.set_blocking(self._master, False)
        self._loop.add_reader(self._child.sentinel, self._child_ended)
        self._resume_reading()
        self.forum.sessions.add(self)
        log.info(
            "member %s: TUI started (pid %s, %s, %sx%s, %s)",
            self.member.handle,
            self._child.pid,
            self.forum.launcher.name,
            self._size[0],
            self._size[1],
            self._term,
        )
        self._loop.create_task(self._join_presence())

    async def _join_presence(self) -> None:
        try:
            pid = await asyncio.to_thread(
                meetings.heartbeat, self.forum.db, self.member.handle, client=f"ssh {self.peer}"
            )
        except Exception:
            log.exception("presence for %s failed", self.member.handle)
            return
        if self._closed:
            await asyncio.to_thread(meetings.disconnect, self.forum.db, pid)
        else:
            self._presence_id = pid

    # -- terminal size

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if width > 0 and height > 0:
            self._size = (width, height, pixwidth, pixheight)
            if self._master >= 0:
                self._set_size(width, height, pixwidth, pixheight)
                if self._child is not None:  # the kernel signals too; this makes sure
                    kill_group(self._child.pid, signal.SIGWINCH)

    def _set_size(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        fcntl.ioctl(
            self._master,
            termios.TIOCSWINSZ,
            struct.pack("HHHH", height, width, pixwidth, pixheight),
        )

    # -- bytes: pty -> client

    def _resume_reading(self) -> None:
        if not self._reading and self._master >= 0 and not self._paused:
            self._loop.add_reader(self._master, self._pty_readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            self._loop.remove_reader(self._master)
            self._reading = False

    def _pty_readable(self) -> None:
        try:
            data = os.read(self._master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno == errno.EIO:  # no process holds the terminal any more
                self._stop_reading()
                return
            raise
        if data and self._chan is not None:
            self._chan.write(data)

    def pause_writing(self) -> None:
        self._paused = True  # the client is slow: stop reading the pty (the app waits)
        self._stop_reading()

    def resume_writing(self) -> None:
        self._paused = False
        self._resume_reading()

    # -- bytes: client -> pty

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        if self._master < 0:
            return
        self._pending += data
        self._flush_input()

    def _flush_input(self) -> None:
        while self._pending and self._master >= 0:
            try:
                written = os.write(self._master, self._pending)
            except BlockingIOError:
                self._loop.add_writer(self._master, self._flush_input)
                return
            except OSError:
                self._pending.clear()
                break
            del self._pending[:written]
        if self._master >= 0:
            self._loop.remove_writer(self._master)

    def eof_received(self) -> bool:
        return True  # keep the channel open; the app decides when to end

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal_name: str) -> None:
        pass  # members do not signal the server's processes

    # -- ending

    def _child_ended(self) -> None:
        child = self._child
        if child is None:
            return
        self._loop.remove_reader(child.sentinel)
        self._drain()
        code = child.exit_code()
        log.info("member %s: TUI ended (pid %s, status %s)", self.member.handle, child.pid, code)
        self._cleanup()
        if self._chan is not None:
            self._chan.exit(code if code is not None else 0)

    def _drain(self) -> None:
        """Relay what the app wrote just before it ended."""
        if self._master < 0 or self._chan is None:
            return
        for _ in range(64):
            try:
                data = os.read(self._master, READ_CHUNK)
            except OSError:
                return
            if not data:
                return
            self._chan.write(data)

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away (or the session ended): end the app and clean up."""
        child = self._child
        if child is not None and child.exit_code() is None:
            log.info("member %s: connection dropped; ending pid %s", self.member.handle, child.pid)
            kill_group(child.pid, signal.SIGHUP)
            self._loop.call_later(KILL_GRACE, self._kill_hard, child)
        self._cleanup()

    def _kill_hard(self, child: Child) -> None:
        if child.exit_code() is None:
            kill_group(child.pid, signal.SIGKILL)
        self._loop.call_later(KILL_GRACE, child.release)

    def _cleanup(self, *, leave_presence: bool = True) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop_reading()
        if self._child is not None:
            with contextlib.suppress(ValueError, OSError):
                self._loop.remove_reader(self._child.sentinel)
            if self._child.exit_code() is not None:
                self._child.release()
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(ValueError, OSError):
                    self._loop.remove_writer(fd)
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1
        self.forum.sessions.discard(self)
        self._release_slots()
        if self._presence_id is not None and leave_presence:
            presence_id, self._presence_id = self._presence_id, None
            self._loop.create_task(_quietly(meetings.disconnect, self.forum.db, presence_id))

    @property
    def presence_id(self) -> int | None:
        return self._presence_id

    @property
    def child_pid(self) -> int | None:
        return self._child.pid if self._child else None


async def _quietly(fn: Callable[..., object], *args: object) -> None:
    try:
        await asyncio.to_thread(fn, *args)
    except Exception:
        log.exception("background database work failed")


# ------------------------------------------------------------------------------ the server


async def _keep_presence(forum: Forum) -> None:
    """Refresh every live session's presence in one transaction, every few seconds."""
    while True:
        await asyncio.sleep(forum.settings.presence_interval)
        ids = [s.presence_id for s in forum.sessions if s.presence_id is not None]
        if ids:
            await _quietly(meetings.refresh_presence, forum.db, ids)


def setup_logging(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(
        SafeLogFormatter("%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s")
    )
    for name, level in (("deliberate", logging.INFO), ("asyncssh", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
        logger.propagate = False


async def serve(
    settings: ServeSettings,
    *,
    ready: Callable[[int, str], None] | None = None,
    reuse_port: bool = False,
) -> None:
    """Run one SSH server process until SIGTERM/SIGINT (or cancelled). `reuse_port`: several
    processes accept on the same port (ssh.workers)."""
    host_key = load_or_create_host_key(settings.host_key)
    db = Database(settings.db_url)
    shared = settings.launcher == "shared"
    # Shared: members' apps run here; only invite-code screens get a process (exec, cheap).
    launcher = await asyncio.to_thread(make_launcher, "exec" if shared else settings.launcher)
    forum = Forum(db, settings, launcher, shared=shared)
    if shared:
        from deliberate.ssh.session import server_streams
        from deliberate.tui.live_hub import LiveHub

        forum.streams = server_streams()
        forum.restore_streams()
        forum.hub = LiveHub(db).start()
    if not reuse_port:  # with workers, the parent prunes once for all
        await asyncio.to_thread(
            meetings.prune_presence, db, older_than_seconds=int(settings.presence_interval * 6)
        )
    listener = await asyncssh.create_server(
        lambda: ForumSSHServer(forum),
        settings.host,
        settings.port,
        server_host_keys=[host_key],
        encoding=None,
        line_editor=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        keepalive_interval=30,
        keepalive_count_max=3,
        server_version="deliberate",
        reuse_port=reuse_port,
        login_timeout=settings.limits.login_grace,
    )
    port = listener.sockets[0].getsockname()[1] if listener.sockets else settings.port
    log.info(
        "listening on %s:%s (host key %s, %s, members' apps: %s)",
        settings.host,
        port,
        fingerprint(host_key),
        db.where,
        "in this process" if shared else launcher.name,
    )
    if ready is not None:
        ready(port, fingerprint(host_key))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    keeper = asyncio.create_task(_keep_presence(forum))
    try:
        await stop.wait()
    finally:
        log.info("stopping: %s sessions", len(forum.sessions))
        keeper.cancel()
        listener.close()
        presence = []
        for session in list(forum.sessions):
            if isinstance(session, MemberSession):
                if session.child_pid:
                    kill_group(session.child_pid, signal.SIGHUP)
                if session.presence_id is not None:
                    presence.append(session.presence_id)
                session._cleanup(leave_presence=False)
            else:
                presence_id = session.stop()
                if presence_id is not None:
                    presence.append(presence_id)
        for presence_id in presence:
            await _quietly(meetings.disconnect, db, presence_id)
        await listener.wait_closed()
        launcher.close()
        if forum.hub is not None:
            await asyncio.to_thread(forum.hub.close)
        db.dispose()
