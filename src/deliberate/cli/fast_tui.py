"""`deliberate tui` read without typer's option processing (issue 15).

Typer coerces each option's value through a pydantic adapter it builds on first use: for
`deliberate tui` that is importing pydantic and building three schemas, about as long as
Textual takes to paint its first screen. The member app is the command members start most,
so its plain forms — `deliberate [--db X] [--lang L] tui [--as H] [--no-mouse]
[--projector]` — are read here and run the very same function the typer command runs
(`open_tui`, below). Anything else (help, an unknown, misspelt or repeated option, a value
that looks like an option, `--`) goes to typer as before, which then answers as it always
has. tests/test_cli_lazy.py checks that both read every such command line alike.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from deliberate.cli.context import CliContext, acting_handle

GLOBAL_VALUES = {"--db": "db", "--lang": "lang"}
TUI_VALUES = {"--as": "as_handle"}
TUI_FLAGS = {
    "--no-mouse": "no_mouse",
    "--exit-after-first-screen": "exit_after_first_screen",
    "--projector": "projector",
}


@dataclass(frozen=True)
class TuiArgs:
    db: str | None = None
    lang: str | None = None
    as_handle: str | None = None
    no_mouse: bool = False
    exit_after_first_screen: bool = False
    projector: bool = False


def parse(argv: list[str]) -> TuiArgs | None:
    """The options of a plain `deliberate … tui …` command line, or None (typer reads it)."""
    values_found: dict[str, str] = {}
    flags: set[str] = set()
    seen_tui = False
    args = iter(argv)
    for arg in args:
        if arg == "tui" and not seen_tui:
            seen_tui = True
            continue
        name, eq, inline = arg.partition("=")
        values = TUI_VALUES if seen_tui else GLOBAL_VALUES
        if name in values:
            value = inline if eq else next(args, None)
            if value is None or value.startswith("-") or values[name] in values_found:
                return None
            values_found[values[name]] = value
        elif seen_tui and arg in TUI_FLAGS and TUI_FLAGS[arg] not in flags:
            flags.add(TUI_FLAGS[arg])
        else:
            return None
    if not seen_tui:
        return None
    return TuiArgs(
        db=values_found.get("db"),
        lang=values_found.get("lang"),
        as_handle=values_found.get("as_handle"),
        no_mouse="no_mouse" in flags,
        exit_after_first_screen="exit_after_first_screen" in flags,
        projector="projector" in flags,
    )


def run(args: TuiArgs) -> int:
    """Run the member app as `deliberate tui` would with these options."""
    from deliberate.i18n import DEFAULT_LANGUAGE, check_language

    lang = args.lang or os.environ.get("DELIBERATE_LANG") or DEFAULT_LANGUAGE
    context = CliContext(
        db_arg=args.db or os.environ.get("DELIBERATE_DB") or None, lang=check_language(lang)
    )
    try:
        return open_tui(
            context,
            as_handle=args.as_handle,
            no_mouse=args.no_mouse,
            exit_after_first_screen=args.exit_after_first_screen,
            projector=args.projector,
        )
    finally:
        context.close()


def open_tui(
    c: CliContext,
    *,
    as_handle: str | None,
    no_mouse: bool = False,
    exit_after_first_screen: bool = False,
    projector: bool = False,
) -> int:
    """What `deliberate tui` does once its options are read (here and in `cmd_tui`)."""
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
