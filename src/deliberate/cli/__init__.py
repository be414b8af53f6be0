"""The `deliberate` command line (DESIGN §7). Thin: parse, call a service, print."""

from __future__ import annotations

import os
import sys
from typing import Any

from deliberate.cli.output import echo_err
from deliberate.domain.text import SafeLogFormatter
from deliberate.domain.text import sanitize_line as safe_line
from deliberate.errors import UserError
from deliberate.i18n import DEFAULT_LANGUAGE, translate


def __getattr__(name: str) -> Any:
    """`deliberate.cli.app` and `.COMMANDS` (typer's) load on first use: the member app's
    plain command line (`cli/fast_tui.py`) runs without importing typer."""
    if name in ("app", "COMMANDS"):
        from deliberate.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _language_from_argv(argv: list[str]) -> str:
    lang = os.environ.get("DELIBERATE_LANG", DEFAULT_LANGUAGE)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in ("da", "en") else DEFAULT_LANGUAGE


def _from_login_name(exc: UserError, argv: list[str]) -> bool:
    """An unknown member whose handle came from the OS login name (no --as, no
    DELIBERATE_MEMBER): the newcomer needs to know how to say who they are."""
    if exc.code != "unknown_member" or os.environ.get("DELIBERATE_MEMBER"):
        return False
    if any(a == "--as" or a.startswith("--as=") for a in argv):
        return False
    import getpass

    try:
        return exc.params.get("handle") == getpass.getuser()
    except Exception:
        return False


def _log_crash() -> str:
    import logging

    from deliberate.store.engine import data_dir

    try:
        path = data_dir() / "deliberate.log"
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(SafeLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger = logging.getLogger("deliberate.cli")
        logger.addHandler(handler)
        logger.error("unexpected error", exc_info=True)
        logger.removeHandler(handler)
        handler.close()
        return str(path)
    except OSError:
        return "(no log)"


def _is_utf8(arg: str) -> bool:
    """An argument the OS gave as bytes that are not UTF-8 arrives with lone surrogates."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr, never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from_argv(argv)
    for position, arg in enumerate(argv, start=1):
        if not _is_utf8(arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            echo_err(
                "deliberate: "
                + translate("argument_not_utf8", lang, n=position, arg=safe_line(shown)[:80])
            )
            raise SystemExit(2)
    try:
        from deliberate.cli import fast_tui

        tui = fast_tui.parse(argv)
        if tui is not None:  # the member app's plain command line: no typer options (fast_tui)
            raise SystemExit(fast_tui.run(tui))
        from deliberate.cli.root import app

        app(args=argv, prog_name="deliberate", standalone_mode=True)
    except UserError as exc:
        message = exc.message(lang)
        if _from_login_name(exc, argv):
            message += " " + translate("unknown_member_login_hint", lang)
        echo_err(f"deliberate: {message}")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except Exception as exc:
        reason = _database_error(exc)
        if reason is not None:
            echo_err("deliberate: " + translate("db_error", lang, reason=safe_line(reason)))
            raise SystemExit(3) from None
        where = _log_crash()
        echo_err("deliberate: " + translate("internal_error", lang, log=where))
        raise SystemExit(70) from None


def _database_error(exc: Exception) -> str | None:
    """The first line of a driver error; SQLAlchemy is loaded only if the command used it
    (a plain read on an SQLite file raises the driver's own error)."""
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return (str(exc).strip().splitlines() or ["?"])[0]
    if "sqlalchemy.exc" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    return str(exc.orig).strip().splitlines()[0] if exc.orig else "?"
