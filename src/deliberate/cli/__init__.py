"""The `deliberate` command line (DESIGN §7). Thin: parse, call a service, print."""

from __future__ import annotations

import logging
import os
import sys

import typer
from sqlalchemy.exc import DBAPIError, OperationalError

from deliberate.cli.common import CliContext
from deliberate.cli.output import echo_err
from deliberate.domain.text import SafeLogFormatter
from deliberate.domain.text import sanitize_line as safe_line
from deliberate.errors import UserError
from deliberate.i18n import DEFAULT_LANGUAGE, check_language, translate

app = typer.Typer(
    name="deliberate",
    help="Participatory voting and deliberation for political forums, in the terminal. "
    "This help is in English; messages and output follow --lang (Danish by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    db: str = typer.Option(
        None,
        "--db",
        metavar="PATH|URL",
        envvar="DELIBERATE_DB",
        help="Database file or SQLAlchemy URL (default: deliberate.db in the user data folder).",
    ),
    lang: str = typer.Option(
        DEFAULT_LANGUAGE,
        "--lang",
        metavar="da|en",
        envvar="DELIBERATE_LANG",
        help="Language of messages and output: da (Danish, default) or en (English).",
    ),
) -> None:
    ctx.obj = CliContext(db_arg=db, lang=check_language(lang))
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    import importlib
    import pkgutil

    import deliberate.cli as pkg

    # Each area adds its commands in a module of its own (setup, voting, export, tui, ssh...).
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"deliberate.cli.{info.name}").register(app)


_register()


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
        app(args=argv, prog_name="deliberate", standalone_mode=True)
    except UserError as exc:
        message = exc.message(lang)
        if _from_login_name(exc, argv):
            message += " " + translate("unknown_member_login_hint", lang)
        echo_err(f"deliberate: {message}")
        raise SystemExit(2) from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "?"
        echo_err("deliberate: " + translate("db_error", lang, reason=safe_line(reason)))
        raise SystemExit(3) from None
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "?"
        echo_err("deliberate: " + translate("db_error", lang, reason=safe_line(reason)))
        raise SystemExit(3) from None
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except Exception:
        where = _log_crash()
        echo_err("deliberate: " + translate("internal_error", lang, log=where))
        raise SystemExit(70) from None
