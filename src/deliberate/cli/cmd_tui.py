"""`deliberate tui`: the member app in this terminal."""

from __future__ import annotations

import typer

from deliberate.cli import fast_tui
from deliberate.cli.common import AS_OPTION, context


def tui(
    ctx: typer.Context,
    as_handle: str = AS_OPTION,
    no_mouse: bool = typer.Option(
        False,
        "--no-mouse",
        help="Keyboard only: do not capture the mouse (lets the terminal select text).",
    ),
    exit_after_first_screen: bool = typer.Option(
        False,
        "--exit-after-first-screen",
        hidden=True,
        help="Quit once the forum is shown (benchmarks).",
    ),
    projector: bool = typer.Option(
        False,
        "--projector",
        help="Read-only big-type view of the running meeting, for the room's projector.",
    ),
) -> None:
    """Open the member app: read proposals, vote and comment (keys: F1 or ? for help)."""
    code = fast_tui.open_tui(
        context(ctx),
        as_handle=as_handle,
        no_mouse=no_mouse,
        exit_after_first_screen=exit_after_first_screen,
        projector=projector,
    )
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
