"""`deliberate member invite HANDLE` and `deliberate member import FILE.csv [--invite]`."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path
from typing import TextIO

import typer

from deliberate.cli.common import add_command, context, echo
from deliberate.errors import UserError, os_reason

VALID_OPTION = typer.Option(
    "7d", "--valid", metavar="7d|36h|90m", help="How long the code works (at most a year)."
)


def member_invite(
    ctx: typer.Context,
    handle: str = typer.Argument(..., help="The member's handle."),
    valid: str = VALID_OPTION,
) -> None:
    """Print a one-time code that binds the member's SSH key when they first connect."""
    from deliberate.services import invites

    c = context(ctx)
    issued = invites.create_invite(c.database(), handle, valid=invites.parse_validity(valid))
    echo(
        c.t(
            "invite.created",
            handle=issued.handle,
            name=issued.name,
            code=issued.code,
            expires=_when(issued.expires_at),
        )
    )
    if issued.replaced:
        echo(c.t("invite.replaced", handle=issued.handle))


def member_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV file: handle,name[,role] per line."),
    invite: bool = typer.Option(False, "--invite", help="Give every listed member a new code."),
    valid: str = VALID_OPTION,
    out: Path = typer.Option(
        None,
        "--out",
        metavar="CODES.csv",
        help="Write the codes to this new file (mode 0600) instead of printing them.",
    ),
) -> None:
    """Add the members listed in a CSV file (all or nothing); with --invite, a code for each."""
    from deliberate.services import invites, member_import

    c = context(ctx)
    validity = invites.parse_validity(valid)
    rows = member_import.read_rows(file)
    # The codes file is created first: codes that could not be written would be lost.
    target = _open_new(out.expanduser()) if out is not None and invite else None
    try:
        result = member_import.import_members(c.database(), rows, invite=invite, valid=validity)
    except BaseException:
        if target is not None:
            target[1].close()
            target[0].unlink(missing_ok=True)
        raise
    echo(c.t("import_csv.imported", added=len(result.added), kept=len(result.kept)))
    if target is not None:
        path, handle = target
        with handle:
            writer = csv.writer(handle)
            writer.writerow(["handle", "name", "code", "expires_at"])
            for i in result.invites:
                writer.writerow([i.handle, _cell(i.name), i.code, _when(i.expires_at)])
        echo(c.t("import_csv.codes_written", path=str(path)))
        return
    for issued in result.invites:
        echo(f"{issued.handle},{issued.code},{_when(issued.expires_at)}")


def _open_new(path: Path) -> tuple[Path, TextIO]:
    """A new file only its owner can read (never an existing one, never through a link)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise UserError("import_csv.out_exists", path=str(path)) from None
    except OSError as exc:
        raise UserError(
            "import_csv.out_unwritable", path=str(path), reason=os_reason(exc)
        ) from None
    return path, os.fdopen(fd, "w", encoding="utf-8", newline="")


def _cell(text: str) -> str:
    """A spreadsheet must not read a name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="minutes").replace("+00:00", "Z")


def register(app: typer.Typer) -> None:
    from deliberate.cli.cmd_setup import member_app

    add_command(member_app, "invite", member_invite)
    add_command(member_app, "import", member_import)
