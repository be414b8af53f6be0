"""`deliberate ssh join`: what `deliberate serve` runs for a key that is not registered yet.

The invite-code screen; with the right code the key is bound and the forum opens, in the same
terminal, as that member. Hidden: members never type it (the server chooses the command).
"""

from __future__ import annotations

import datetime as dt
import sys

import typer

from deliberate.cli.common import add_command, context


def join(
    ctx: typer.Context,
    key: str = typer.Option(..., "--key", help="The connection's public key: 'ALGORITHM BASE64'."),
    address: str = typer.Option(..., "--address", help="The connection's source address."),
    attempts: int = typer.Option(5, "--attempts", min=1),
    window: float = typer.Option(60.0, "--window", min=1),
    lockout: float = typer.Option(900.0, "--lockout", min=0),
) -> None:
    """The invite-code screen for an unregistered SSH key, then the forum."""
    import os
    import webbrowser

    from deliberate.services import invites, meetings, members
    from deliberate.ssh.terminal_session import no_terminal_line
    from deliberate.tui.launch import run_tui
    from deliberate.tui.screens.invite import JoinApp

    c = context(ctx)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write(no_terminal_line().replace("\r\n", "\n"))
        raise typer.Exit(1)
    os.environ["BROWSER"] = "true"  # nothing may open a browser on the server
    webbrowser.open = lambda *a, **k: False
    public = members.parse_public_key(key, "ssh")
    policy = invites.InvitePolicy(
        max_failures=attempts,
        window=dt.timedelta(seconds=window),
        lockout=dt.timedelta(seconds=lockout),
    )
    db = c.database()

    def gate(code: str) -> members.MemberInfo:
        return invites.redeem(db, code, key=public, address=address, policy=policy)

    app = JoinApp(gate, c.lang)
    handle = app.run()
    if not handle:
        raise typer.Exit(0)
    running = meetings.running_meeting_id(db) is not None
    code = run_tui(
        db_url=db.url,
        db=db,
        handle=handle,
        lang=app.t.lang,
        start_mode="meeting" if running else "forum",
    )
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    from deliberate.cli.cmd_ssh import ssh_app

    add_command(ssh_app, "join", join, hidden=True)
