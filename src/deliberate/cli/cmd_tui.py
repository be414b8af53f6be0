"""`deliberate tui`: the member app in this terminal."""

from __future__ import annotations

import typer

from deliberate.cli.common import AS_OPTION, acting_handle, context


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
    from deliberate.services import meetings
    from deliberate.tui.launch import run_tui

    c = context(ctx)
    db = c.database()
    if projector:
        from deliberate.tui.screens.projector import run_projector

        raise typer.Exit(run_projector(db, acting_handle(as_handle), c.lang, mouse=not no_mouse))
    # During a meeting, members join straight into it (and follow the agenda from there).
    running = meetings.running_meeting_id(db) is not None
    start_mode = "meeting" if running and not exit_after_first_screen else "forum"
    code = run_tui(
        db_url=db.url,
        db=db,
        handle=acting_handle(as_handle),
        lang=c.lang,
        mouse=not no_mouse,
        start_mode=start_mode,
        exit_after_first_screen=exit_after_first_screen,
    )
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
