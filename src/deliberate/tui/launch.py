"""Starting the member app in this process's terminal (`deliberate tui`, `deliberate demo`,
`deliberate ssh login`, `python -m deliberate.tui`): one function; the app itself comes from
`tui.app.make_app`, the one factory (SSH sessions hosted by `deliberate serve` use it too)."""

from __future__ import annotations

import os
from typing import Any

from deliberate.services.database import Database, require_current


def run_tui(
    *, db_url: str, handle: str, lang: str = "da", db: Database | None = None, **options: Any
) -> int:
    """Run the app in this terminal until the member quits; returns the exit code.

    `options`: `TuiSettings` fields (mouse, start_mode, log_path, only_mode, …). `db`: an
    already opened, schema-checked database for `db_url` (else one is opened and checked here).
    Raises UserError (unknown member, database not set up) before the screen opens, so the
    CLI prints one plain line.
    """
    from deliberate.tui.app import make_app
    from deliberate.tui.interrupt import quit_on_interrupt

    own = db is None
    if db is None:
        db = Database(db_url)
    # A member process started by a process-per-member SSH server: the server keeps presence.
    options.setdefault("server_presence", os.environ.get("DELIBERATE_PRESENCE") == "server")
    try:
        if own:
            require_current(db)
        app = make_app(db, handle, lang, **options)
        with quit_on_interrupt(app):
            app.run(mouse=app.ctx.settings.mouse)
        return app.return_code or 0
    finally:
        if own:
            db.dispose()
