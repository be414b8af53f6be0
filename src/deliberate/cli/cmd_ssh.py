"""`deliberate serve` (the built-in SSH server) and `deliberate ssh …` (OpenSSH helpers)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import typer

from deliberate.cli.common import add_command, context, echo
from deliberate.errors import UserError, os_reason
from deliberate.store.engine import data_dir

ssh_app = typer.Typer(
    help="Helpers for members who connect over OpenSSH (sshd).", no_args_is_help=True
)


def serve(
    ctx: typer.Context,
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."
    ),
    port: int = typer.Option(
        2222, "--port", help="TCP port to listen on (0: any free port, printed at start)."
    ),
    host_key: Path = typer.Option(
        None,
        "--host-key",
        metavar="PATH",
        help="Host key file; created once if missing (default: in the data folder).",
    ),
    log: Path = typer.Option(
        None,
        "--log",
        metavar="PATH",
        help="Server log (default: ssh-server.log in the data folder).",
    ),
    workers: int = typer.Option(
        None,
        "--workers",
        metavar="N",
        help="Worker processes sharing the port, each hosting many members "
        "(default: one per CPU core).",
    ),
    processes: str = typer.Option(
        "shared",
        "--processes",
        metavar="shared|fork|exec",
        help="Where members' apps run: shared (inside the server's workers, default), or one "
        "process per member: fork (from a warm fork server) or exec (a fresh interpreter).",
    ),
    # Limits (ssh/limits.py; docs/organizers.md "SSH limits")
    invites: bool = typer.Option(
        True, "--invites/--no-invites", help="Let unregistered keys in to type an invite code."
    ),
    max_auth_tries: int = typer.Option(6, "--max-auth-tries", help="Keys per connection."),
    login_grace: float = typer.Option(
        60, "--login-grace", metavar="SECONDS", help="Drop a connection not logged in by then."
    ),
    backoff_after: int = typer.Option(
        5, "--backoff-after", help="Failed connections from one address before delays start."
    ),
    backoff_max: float = typer.Option(
        30, "--backoff-max", metavar="SECONDS", help="Longest delay before authentication."
    ),
    refuse_after: int = typer.Option(
        30, "--refuse-after", help="Failed connections from one address that refuse it."
    ),
    failure_window: float = typer.Option(
        600, "--failure-window", metavar="SECONDS", help="How long a failed connection counts."
    ),
    sessions_per_member: int = typer.Option(
        4, "--sessions-per-member", help="Sessions one member may have open at once."
    ),
    invite_sessions: int = typer.Option(
        3, "--invite-sessions", help="Invite-code screens open at once from one address."
    ),
    invite_attempts: int = typer.Option(
        5, "--invite-attempts", help="Wrong invite codes from one address that lock it out."
    ),
    invite_window: float = typer.Option(
        60, "--invite-window", metavar="SECONDS", help="...within this many seconds."
    ),
    invite_lockout: float = typer.Option(
        900, "--invite-lockout", metavar="SECONDS", help="How long the lockout lasts."
    ),
) -> None:
    """Run the built-in SSH server: members connect with 'ssh -p PORT HOST' and their registered key."""
    from deliberate.ssh.keys import host_key_path
    from deliberate.ssh.server import ServeSettings, setup_logging
    from deliberate.ssh.workers import default_workers
    from deliberate.ssh.workers import run as run_workers

    c = context(ctx)
    if not 0 <= port <= 65535:
        raise UserError("ssh.bad_port", port=port)
    if processes not in ("shared", "fork", "exec"):
        raise UserError("ssh.bad_processes", value=processes)
    if workers is not None and not 1 <= workers <= 256:
        raise UserError("ssh.bad_workers", value=workers)
    from deliberate.ssh.limits import SshLimits, checked_limits

    limits = checked_limits(
        SshLimits(
            max_auth_tries=max_auth_tries,
            login_grace=login_grace,
            backoff_after=backoff_after,
            backoff_max=backoff_max,
            refuse_after=refuse_after,
            failure_window=failure_window,
            sessions_per_member=sessions_per_member,
            invite_sessions_per_address=invite_sessions,
            invite_failures=invite_attempts,
            invite_window=invite_window,
            invite_lockout=invite_lockout,
        )
    )
    db = c.database()
    settings = ServeSettings(
        db_url=db.url,
        host_key=host_key_path(host_key),
        log_path=(log or data_dir() / "ssh-server.log").expanduser().resolve(),
        host=host,
        port=port,
        lang=c.lang,
        launcher=processes,
        limits=limits,
        invites=invites,
    )
    db.dispose()
    setup_logging(settings.log_path)

    out = sys.stdout  # the server puts its own in place (Textual apps swap sys.stdout)

    def ready(actual_port: int, fingerprint: str) -> None:
        line = c.t(
            "ssh.listening",
            host=host,
            port=actual_port,
            fingerprint=fingerprint,
            log=settings.log_path,
        )
        out.write(line + "\n")
        out.flush()

    try:
        run_workers(settings, workers or default_workers(), ready=ready)
    except OSError as exc:
        raise UserError("ssh.cannot_listen", host=host, port=port, reason=os_reason(exc)) from None
    sys.stdout = out
    echo(c.t("ssh.stopped"))


def authorized_keys(
    ctx: typer.Context,
    command: Path = typer.Option(
        None,
        "--command",
        metavar="PATH",
        help="Path of the deliberate program sshd should run (default: this one).",
    ),
) -> None:
    """Print authorized_keys lines that bind each active member's key to that member."""
    from deliberate.ssh.authorized_keys import authorized_keys as lines_for

    c = context(ctx)
    program = _program(command)
    db = c.database()
    lines = lines_for(db, program, db.url, c.lang if c.lang != "da" else None)
    echo(c.t("ssh.header", when=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    if not lines:
        echo(c.t("ssh.no_keys"))
    for line in lines:
        echo(line)
    if db.is_postgres and ":" in (db.url.split("@")[0].split("//", 1)[-1]):
        sys.stderr.write(c.t("ssh.password_in_url") + "\n")


def _program(command: Path | None) -> str:
    if command is not None:
        path = command.expanduser().resolve()
        if not path.is_file():
            raise UserError("ssh.command_missing", path=str(path))
        return str(path)
    found = shutil.which("deliberate")
    if found:
        return str(Path(found).resolve())
    argv0 = Path(sys.argv[0]).resolve()
    if argv0.is_file() and argv0.name == "deliberate":
        return str(argv0)
    raise UserError("ssh.command_missing", path="deliberate")


def login(
    ctx: typer.Context,
    handle: str = typer.Argument(
        ..., help="The member this key belongs to (set by the authorized_keys line)."
    ),
) -> None:
    """The forced command of an authorized_keys line: the member's TUI, only in a terminal."""
    import os
    import webbrowser

    from deliberate.ssh.terminal_session import no_terminal_line
    from deliberate.tui.launch import run_tui

    c = context(ctx)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write(no_terminal_line().replace("\r\n", "\n"))
        raise typer.Exit(1)
    os.environ["BROWSER"] = "true"  # nothing may open a browser on the server
    webbrowser.open = lambda *a, **k: False
    db = c.database()
    raise typer.Exit(run_tui(db_url=db.url, db=db, handle=handle, lang=c.lang))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    add_command(ssh_app, "authorized-keys", authorized_keys)
    add_command(ssh_app, "login", login)
    app.add_typer(ssh_app, name="ssh")
