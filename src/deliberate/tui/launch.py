"""Starting the member app from the command line (`deliberate tui`, `deliberate demo`) or an
SSH session: one function, settings passed in."""

from __future__ import annotations

from pathlib import Path

from deliberate.services.database import Database, require_current


def run_tui(
    *,
    db_url: str,
    handle: str,
    lang: str = "da",
    mouse: bool = True,
    start_mode: str = "forum",
    log_path: Path | None = None,
    exit_after_first_screen: bool = False,
    db: Database | None = None,
) -> int:
    """Run the app in this terminal until the member quits; returns the exit code.

    `db`: an already opened, schema-checked database for `db_url` (else one is opened and
    checked here). Raises UserError (unknown member, database not set up) before the screen
    opens, so the CLI prints one plain line.
    """
    from deliberate.tui.app import make_app

    own = db is None
    if db is None:
        db = Database(db_url)
    try:
        if own:
            require_current(db)
        app = make_app(
            db,
            handle,
            lang,
            mouse=mouse,
            start_mode=start_mode,
            log_path=log_path,
            exit_after_first_screen=exit_after_first_screen,
        )
        app.run(mouse=mouse)
        return app.return_code or 0
    finally:
        if own:
            db.dispose()
