"""One member's SSH session hosted inside the server process (DESIGN §11).

The member's Textual app runs on this process's event loop, on a `ChannelDriver` that reads
and writes the session's channel. Per session, never process-wide: the colour depth (from
the client's TERM), the size, the language, the crash report (one plain line on the
member's terminal, the traceback in the server log). An exception in one member's app ends
that member's session; the others carry on.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import sys
from typing import TYPE_CHECKING, Any, TextIO

import asyncssh
from rich.console import Console

from deliberate.domain.status import Role
from deliberate.i18n import translate
from deliberate.services import meetings, members
from deliberate.ssh.driver import Terminal, color_system, driver_for
from deliberate.ssh.terminal_session import TerminalSession

if TYPE_CHECKING:
    from textual.app import App

    from deliberate.ssh.server import Forum

log = logging.getLogger("deliberate.ssh")


class _ChannelText(io.StringIO):
    """A text file for Rich that writes to the member's terminal (raw mode: CR LF)."""

    def __init__(self, terminal: Terminal) -> None:
        super().__init__()
        self._terminal = terminal

    def write(self, text: str) -> int:
        if not self._terminal.closed and text:
            with contextlib.suppress(Exception):
                self._terminal.write(text.replace("\r\n", "\n").replace("\n", "\r\n").encode())
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


class AppSession(TerminalSession):
    """One SSH session: the member's app in this process, on the channel."""

    def __init__(
        self,
        forum: Forum,
        member: members.MemberInfo,
        peer: str,
        slots: tuple[str, ...] = (),
    ) -> None:
        super().__init__(forum, member, peer, slots, term="xterm-256color", size=(80, 24, 0, 0))
        self._terminal: Terminal | None = None
        self._app: App[Any] | None = None  # the member's app, or first the invite screen
        self._task: asyncio.Task[None] | None = None
        self._presence_id: int | None = None
        self._closed = False
        self.lang: str | None = None  # the server's language unless the member chose one

    def session_started(self) -> None:
        if self.turned_away():
            return
        self._task = asyncio.get_running_loop().create_task(self._run())
        self.forum.sessions.add(self)

    # -- the app

    async def _run(self) -> None:
        chan = self._chan
        assert chan is not None
        settings = self.forum.settings
        colorterm = str((chan.get_environment() or {}).get("COLORTERM", ""))
        terminal = self._terminal = Terminal(
            write=chan.write,
            backlog=chan.get_write_buffer_size,
            term=self._term,
            width=self._size[0],
            height=self._size[1],
        )
        code = 1
        try:
            if not await self._admit(terminal, color_system(self._term, colorterm)):
                code = 0
                return
            start_mode = await self.forum.start_mode()
            if self._closed:
                return
            app = self._app = self.forum.make_app(
                self.member,
                lang=self.lang,
                start_mode=start_mode,
                driver_class=driver_for(terminal),
                color_system=color_system(self._term, colorterm),
            )
            app.error_console = Console(
                file=_ChannelText(terminal),
                markup=False,
                highlight=False,
                force_terminal=False,
                soft_wrap=True,  # one line; the member's terminal wraps it if it must
            )
            log.info(
                "member %s: TUI started (session %s, %sx%s, %s)",
                self.member.handle,
                id(self),
                terminal.width,
                terminal.height,
                self._term,
            )
            asyncio.get_running_loop().create_task(self._join_presence())
            await app.run_async(mouse=True)
            code = app.return_code or 0
        except asyncio.CancelledError:
            code = 1
        except Exception:
            log.exception("member %s: the app failed", self.member.handle)
            line = translate("ssh.start_failed", settings.lang)
            with contextlib.suppress(Exception):
                terminal.write(f"\r\n{line}\r\n".encode())
        finally:
            self.forum.restore_streams()
            log.info(
                "member %s: TUI ended (session %s, status %s)", self.member.handle, id(self), code
            )
            self._end()
            if not terminal.closed:
                with contextlib.suppress(Exception):
                    chan.exit(code)

    async def _admit(self, terminal: Terminal, colors: str | None) -> bool:
        """Before the forum opens: whether it opens (a registered member's session: yes)."""
        return True

    async def _join_presence(self) -> None:
        try:
            pid = await asyncio.to_thread(
                meetings.heartbeat, self.forum.db, self.member.handle, client=f"ssh {self.peer}"
            )
        except Exception:
            log.exception("presence for %s failed", self.member.handle)
            return
        if self._closed:
            await self.forum.quietly(meetings.disconnect, self.forum.db, pid)
        else:
            self._presence_id = pid

    # -- the terminal

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        terminal = self._terminal
        if terminal is not None and terminal.driver is not None:
            terminal.driver.feed(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if width <= 0 or height <= 0:
            return
        self._size = (width, height, pixwidth, pixheight)
        terminal = self._terminal
        if terminal is not None:
            if terminal.driver is not None:
                terminal.driver.resize(width, height)
            else:
                terminal.width, terminal.height = width, height

    def eof_received(self) -> bool:
        return True  # keep the channel open; the app decides when to end

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal_name: str) -> None:
        pass

    # -- ending

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away (or the session ended): end the app, drop its output."""
        if self._terminal is not None:
            self._terminal.closed = True
        app = self._app
        if app is not None and not self._closed:
            log.info("member %s: connection dropped; ending the app", self.member.handle)
            app.exit(0)
        elif self._task is not None and not self._task.done() and app is None:
            self._task.cancel()
        self._end()

    def _end(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.forum.sessions.discard(self)
        self._release_slots()
        if self._presence_id is not None:
            presence_id, self._presence_id = self._presence_id, None
            asyncio.get_running_loop().create_task(
                self.forum.quietly(meetings.disconnect, self.forum.db, presence_id)
            )

    def stop(self) -> int | None:
        """The server is stopping: end the app; returns the presence id to clear."""
        presence_id, self._presence_id = self._presence_id, None
        if self._app is not None:
            self._app.exit(0)
        self._end()
        return presence_id

    @property
    def presence_id(self) -> int | None:
        return self._presence_id

    @property
    def child_pid(self) -> int | None:
        return None


class InviteAppSession(AppSession):
    """An unbound key's session in this process: the invite-code screen (`JoinApp`) on the
    channel and, with the right code, the forum as that member on the same terminal — what
    `deliberate ssh join` does in a process of its own for the other launchers. The code is
    checked against the database with this connection's key and source address (in a worker
    thread), so the lockout holds across connections and workers."""

    def __init__(
        self,
        forum: Forum,
        key: members.PublicKey,
        peer: str,
        address: str,
        slots: tuple[str, ...] = (),
    ) -> None:
        # Not a member yet: a stand-in that names the key in the server log.
        label = members.MemberInfo(0, f"(invite {key.fingerprint})", "", Role.MEMBER, False, False)
        super().__init__(forum, label, peer, slots)
        self.key = key
        self.address = address

    async def _admit(self, terminal: Terminal, colors: str | None) -> bool:
        from deliberate.services import invites
        from deliberate.tui.screens.invite import JoinApp

        settings = self.forum.settings
        db, key, address = self.forum.db, self.key, self.address
        policy = settings.limits.invite_policy

        def gate(code: str) -> members.MemberInfo:
            return invites.redeem(db, code, key=key, address=address, policy=policy)

        join = JoinApp(
            gate,
            settings.lang,
            log_path=settings.log_path,
            driver_class=driver_for(terminal),
            color_system=colors,
        )
        self._app = join  # ended like the member's app on a drop or a stop
        log.info("invite screen started for key %s from %s", key.fingerprint, self.peer)
        try:
            handle = await join.run_async(mouse=True)
        finally:
            self.forum.restore_streams()
            self._app = None
        if not handle or self._closed or terminal.closed:
            return False
        self.member = await asyncio.to_thread(members.get_member, db, handle)
        self.lang = join.t.lang
        log.info("key %s bound to %s; the forum opens", key.fingerprint, handle)
        return True


def server_streams(log_stream: TextIO | None = None) -> tuple[Any, Any]:
    """What sys.stdout / sys.stderr are while the server runs (Textual swaps them per app)."""
    stream = log_stream or _LogStream()
    return stream, stream


class _LogStream:
    """Anything printed in the server process goes to the server log, never to a terminal."""

    def write(self, text: str) -> int:
        if text.strip():
            log.warning("printed: %s", text.rstrip()[:2000])
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return sys.__stderr__.fileno() if sys.__stderr__ else 2
