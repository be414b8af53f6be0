"""`backup PATH` and `restore PATH`: a consistent, verified copy of the forum, and back."""

from __future__ import annotations

from pathlib import Path

import typer

from deliberate.cli.common import context, echo
from deliberate.cli.context import CliContext
from deliberate.services import backup as backup_service
from deliberate.store.engine import describe_url, resolve_url


def backup(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ..., metavar="PATH", help="The new backup file (never overwritten)."
    ),
) -> None:
    """Write a consistent copy of the forum (SQLite; votes in the WAL included) and verify it."""
    c = context(ctx)
    backup_service.require_sqlite(resolve_url(c.db_arg))
    report = backup_service.backup(c.database(), path, lang=c.lang)
    if not report.ok:
        for problem in report.problems:
            echo(problem)
        echo(c.t("backup.not_verified", path=str(report.path), n=len(report.problems)))
        raise typer.Exit(1)
    echo(c.t("backup.done", path=str(report.path), entries=report.entries, hash=report.head_hash))
    _note_empty_log(c, report)


def _note_empty_log(c: CliContext, report: backup_service.BackupReport) -> None:
    if report.empty_log:
        proposals, members = report.empty_log
        echo(c.t("audit.problem.empty_log", proposals=proposals, members=members))


def restore(
    ctx: typer.Context,
    path: Path = typer.Argument(..., metavar="PATH", help="A backup made by 'deliberate backup'."),
    force: bool = typer.Option(False, "--force", help="Replace a forum that already holds data."),
) -> None:
    """Replace the forum with a verified backup; refuses while the forum is in use."""
    c = context(ctx)
    url = resolve_url(c.db_arg)
    report = backup_service.restore(url, path, force=force, lang=c.lang)
    echo(
        c.t(
            "restore.done",
            where=describe_url(url),
            path=str(path),
            entries=report.entries,
            hash=report.head_hash,
        )
    )
    _note_empty_log(c, report)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
