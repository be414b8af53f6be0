"""`python -m deliberate.tui`: the member app without the rest of the command line.

The same app as `deliberate tui`, started through only the modules the app needs (the full
command line imports every area's commands first); for process-per-connection servers and
for measuring the app itself. Options as `deliberate [--db] [--lang] tui [--as] [--no-mouse]`.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deliberate.tui", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--db", metavar="PATH|URL", help="Database file or SQLAlchemy URL.")
    parser.add_argument("--lang", default=None, metavar="da|en", help="Language (default da).")
    parser.add_argument("--as", dest="handle", metavar="HANDLE", help="Act as this member.")
    parser.add_argument("--no-mouse", action="store_true", help="Keyboard only.")
    parser.add_argument("--exit-after-first-screen", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    import os

    from deliberate.cli.context import acting_handle
    from deliberate.errors import UserError
    from deliberate.i18n import DEFAULT_LANGUAGE, check_language

    lang = args.lang or os.environ.get("DELIBERATE_LANG") or DEFAULT_LANGUAGE
    try:
        from deliberate.services.database import resolve_url
        from deliberate.tui.launch import run_tui

        lang = check_language(lang)
        return run_tui(
            db_url=resolve_url(args.db),
            handle=acting_handle(args.handle),
            lang=lang,
            mouse=not args.no_mouse,
            exit_after_first_screen=args.exit_after_first_screen,
        )
    except UserError as exc:
        sys.stderr.write(f"deliberate: {exc.message(lang if lang in ('da', 'en') else 'da')}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
