"""`deliberate tui`: the member app in this terminal."""

from __future__ import annotations

import typer

from deliberate.cli.common import AS_OPTION, CliContext, acting_handle, context


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
    code = open_tui(
        context(ctx),
        as_handle=as_handle,
        no_mouse=no_mouse,
        exit_after_first_screen=exit_after_first_screen,
        projector=projector,
    )
    raise typer.Exit(code)


def open_tui(
    c: CliContext,
    *,
    as_handle: str | None,
    no_mouse: bool = False,
    exit_after_first_screen: bool = False,
    projector: bool = False,
) -> int:
    """What `deliberate tui` does once its options are read (also `cli.fast_tui`)."""
    from deliberate.services import first_screen
    from deliberate.tui.launch import run_tui

    db = c.database()
    if projector:
        from deliberate.tui.screens.projector import run_projector

        return run_projector(db, acting_handle(as_handle), c.lang, mouse=not no_mouse)
    # During a meeting, members join straight into it (and follow the agenda from there).
    running = first_screen.meeting_running(db)
    start_mode = "meeting" if running and not exit_after_first_screen else "forum"
    return run_tui(
        db_url=db.url,
        db=db,
        handle=acting_handle(as_handle),
        lang=c.lang,
        mouse=not no_mouse,
        start_mode=start_mode,
        exit_after_first_screen=exit_after_first_screen,
    )


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
