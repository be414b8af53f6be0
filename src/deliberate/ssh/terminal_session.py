"""What every member's SSH session answers before anything runs (DESIGN §11): one shell on a
pty, nothing else. A command (`ssh host cmd`), a subsystem or a session without a terminal
is turned away with one line in both languages. Shared by the in-process session
(ssh/session.py) and the pty-relaying one (ssh/server.py, and the invite screen's)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import asyncssh

from deliberate.i18n import translate
from deliberate.services.members import MemberInfo

if TYPE_CHECKING:
    from deliberate.ssh.server import Forum

log = logging.getLogger("deliberate.ssh")


def no_terminal_line() -> str:
    """The one line a session without a terminal gets (Danish, then English)."""
    return f"{translate('ssh.no_terminal', 'da')} / {translate('ssh.no_terminal', 'en')}\r\n"


class TerminalSession(asyncssh.SSHServerSession[bytes]):
    """A member's session: the requests before it starts, and the session slots it holds
    (ssh.limits), released once (`_release_slots`)."""

    def __init__(
        self,
        forum: Forum,
        member: MemberInfo,
        peer: str,
        slots: tuple[str, ...],
        *,
        term: str,
        size: tuple[int, int, int, int],
    ) -> None:
        self.forum = forum
        self.member = member
        self.peer = peer
        self._slots = slots
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term = term  # the client's terminal type (kept when it sends none)
        self._size = size  # columns, rows, pixel width, pixel height
        self._has_pty = False
        self._refused = False

    # -- requests

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self._has_pty = True
        self._term = term_type or self._term
        if term_size[0] > 0 and term_size[1] > 0:
            self._size = term_size
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._refused = True  # the client cannot choose the command: explained, then closed
        log.info("member %s asked to run a command; refused", self.member.handle)
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("member %s asked for subsystem %r; refused", self.member.handle, subsystem[:40])
        return False

    def turned_away(self) -> bool:
        """(At session start) a command or no terminal: one line, the end, True. Its slots
        are free at once: no TUI ran, so the member may start one straight away."""
        assert self._chan is not None
        if self._has_pty and not self._refused:
            return False
        self._release_slots()
        self._chan.write_stderr(no_terminal_line().encode("utf-8"))
        self._chan.exit(1)
        return True

    def _release_slots(self) -> None:
        slots, self._slots = self._slots, ()
        self.forum.guard.slots.release(*slots)
