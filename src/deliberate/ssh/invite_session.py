"""The session of an unbound connection (a key nobody registered): the invite-code screen.

Like a member's session (a process on a pty, relayed both ways), but the process runs
`deliberate ssh join`: the code screen, and with the right code the forum as that member
(cli/cmd_join.py). The code is checked against the database with this connection's key and
source address, so the lockout holds across connections and processes.
"""

from __future__ import annotations

import os
import pty

from deliberate.services.members import MemberInfo, PublicKey
from deliberate.ssh.server import Forum, MemberSession, log
from deliberate.store.models import Role


class InviteSession(MemberSession):
    def __init__(
        self, forum: Forum, key: PublicKey, peer: str, address: str, slots: tuple[str, ...]
    ) -> None:
        # Not a member yet: a stand-in that names the key in the server log.
        label = MemberInfo(0, f"(invite {key.fingerprint})", "", Role.MEMBER, False, False)
        super().__init__(forum, label, peer, slots=slots)
        self.key = key
        self.address = address

    def _start_child(self) -> None:
        self._master, self._slave = pty.openpty()
        self._set_size(*self._size)
        settings = self.forum.settings
        limits = settings.limits
        argv = [
            "--db",
            self.forum.db.url,
            "--lang",
            settings.lang,
            "ssh",
            "join",
            "--key",
            f"{self.key.algorithm} {self.key.key_data}",
            "--address",
            self.address,
            "--attempts",
            str(limits.invite_failures),
            "--window",
            str(limits.invite_window),
            "--lockout",
            str(limits.invite_lockout),
        ]
        env = self.forum.child_env(self._term)
        env["DELIBERATE_PRESENCE"] = "app"  # the server does not know the member: the app does
        self._child = self.forum.launcher.start(os.ttyname(self._slave), argv, env)
        os.set_blocking(self._master, False)
        self._loop.add_reader(self._child.sentinel, self._child_ended)
        self._resume_reading()
        self.forum.sessions.add(self)
        log.info(
            "invite screen started for key %s from %s (pid %s)",
            self.key.fingerprint,
            self.peer,
            self._child.pid,
        )
