"""What every typer command shares: its context, the --as option, how to print. Who acts and
on which forum (`CliContext`, `acting_handle`) are in `cli/context.py`, free of typer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from deliberate.cli import output
from deliberate.cli.context import CliContext

if TYPE_CHECKING:
    from collections.abc import Callable


def context(ctx: typer.Context) -> CliContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliContext)
    return obj


def print_json(data: Any) -> None:
    output.print_json(data)


def echo(text: str = "") -> None:
    output.echo(text)


AS_OPTION = typer.Option(
    None,
    "--as",
    metavar="HANDLE",
    help="Act as this member (default: $DELIBERATE_MEMBER, else your login name).",
)


def add_command(group: typer.Typer, name: str, func: Callable[..., Any], **options: Any) -> None:
    """Add a command to a module-level group once per process: `register` runs again for
    every invocation in a long-lived process (the tests, `main` called in-process), and a
    group that grew each time would make every later invocation slower."""
    if not any(c.name == name for c in group.registered_commands):
        group.command(name, **options)(func)


def add_group(parent: typer.Typer, child: typer.Typer, name: str) -> None:
    """Add a module-level sub-group to a module-level group once per process (see add_command)."""
    if not any(g.typer_instance is child for g in parent.registered_groups):
        parent.add_typer(child, name=name)
