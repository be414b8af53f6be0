"""authorized_keys lines for organisations that run OpenSSH's sshd instead of `deliberate serve`.

Each line binds one registered key to its member:

    restrict,pty,command="/opt/deliberate/bin/deliberate --db /srv/forum.db ssh login birgitte" ssh-ed25519 AAAA… birgitte@laptop

`restrict` turns off forwarding, agent, X11 and user rc; `pty` gives back the terminal;
`command` runs only the member's TUI whatever the client asks (sshd puts the client's command in
SSH_ORIGINAL_COMMAND, which we never read). `ssh login` refuses a session without a terminal
with one line and disables BROWSER, like the built-in server.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.store.engine import Database
from deliberate.store.models import Member, MemberKey

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
_KEY_TYPE = re.compile(r"^[A-Za-z0-9@._+-]+$")
_KEY_BLOB = re.compile(r"^[A-Za-z0-9+/]+=*$")


@dataclass(frozen=True)
class MemberKeyLine:
    handle: str
    algorithm: str
    key_data: str
    comment: str


def active_member_keys(db: Database) -> list[MemberKeyLine]:
    """Every key of every active member, by handle then registration order."""
    with db.read() as session:
        rows = session.execute(
            select(Member.handle, MemberKey.algorithm, MemberKey.key_data, MemberKey.comment)
            .join(MemberKey, MemberKey.member_id == Member.id)
            .where(Member.active.is_(True))
            .order_by(Member.handle, MemberKey.id)
        ).all()
    return [MemberKeyLine(*row) for row in rows]


def _checked(what: str, value: str) -> str:
    if _UNSAFE.search(value):
        raise UserError("ssh.unsafe_text", what=what, value=sanitize_line(value))
    return value


def forced_command(program: str, db_url: str, handle: str, lang: str | None = None) -> str:
    """The shell command sshd runs for this member (quoted for the shell)."""
    argv = [_checked("--command", program), "--db", _checked("--db", db_url)]
    if lang:
        argv += ["--lang", lang]
    argv += ["ssh", "login", _checked("handle", handle)]
    return " ".join(shlex.quote(a) for a in argv)


def authorized_key_line(
    key: MemberKeyLine, program: str, db_url: str, lang: str | None = None
) -> str:
    """One authorized_keys line; the command is quoted for the shell, then for sshd."""
    if not _KEY_TYPE.match(key.algorithm) or not _KEY_BLOB.match(key.key_data):
        raise UserError("ssh.unsafe_text", what="key", value=sanitize_line(key.algorithm))
    command = forced_command(program, db_url, key.handle, lang)
    # Inside command="…" sshd unescapes only \" (other backslashes stay as they are).
    quoted = command.replace('"', '\\"')
    comment = sanitize_line(key.comment).replace(" ", "_") or key.handle
    return f'restrict,pty,command="{quoted}" {key.algorithm} {key.key_data} {comment}'


def authorized_keys(
    db: Database, program: str | Path, db_url: str, lang: str | None = None
) -> list[str]:
    return [authorized_key_line(k, str(program), db_url, lang) for k in active_member_keys(db)]
