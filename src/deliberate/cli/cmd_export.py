"""Exports for organizers: `export` (csv, json, md, html) and `import-json` (docs/exports.md).

Where output goes:
- json, md, html: stdout without --out (or with --out -); --out FILE writes that file;
  --out FOLDER writes forum.json, minutes.md or report.html in it.
- csv: two tables, results and ballots. --out FOLDER writes results.csv and ballots.csv;
  --out FILE writes the results to FILE and the ballots beside it as NAME-ballots.csv;
  stdout gets the results table only. --table picks one table; --anonymous drops the ballots.
Files are written whole or not at all (a temporary file renamed into place).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import typer

from deliberate.cli.common import context, echo
from deliberate.errors import UserError
from deliberate.i18n import Translator, check_language
from deliberate.services import export
from deliberate.services.export.progress import NO_PROGRESS, Progress, TextBar
from deliberate.store.engine import Database

FORMATS = ("csv", "json", "md", "html")
TABLES = ("results", "ballots")
DEFAULT_NAMES = {"json": "forum.json", "md": "minutes.md", "html": "report.html"}


def export_(
    ctx: typer.Context,
    fmt: str = typer.Option(
        ...,
        "--format",
        "-f",
        metavar="csv|json|md|html",
        help="csv: results and ballots tables; json: the complete forum (loadable with import-json); md: minutes in Markdown; html: a self-contained report with charts.",
    ),
    out: str = typer.Option(
        None,
        "--out",
        "-o",
        metavar="PATH",
        help="File or folder to write (default, or '-': standard output). csv to a folder writes results.csv and ballots.csv; to FILE.csv writes the ballots beside it as FILE-ballots.csv.",
    ),
    proposal: str = typer.Option(
        None, "--proposal", metavar="ID", help="Only this proposal (csv, md, html)."
    ),
    session: int = typer.Option(
        None,
        "--session",
        metavar="ID",
        help="Only the proposals on this session's agenda, in agenda order (csv, md, html).",
    ),
    anonymous: bool = typer.Option(
        False,
        "--anonymous",
        help="No names: leaves out the ballots table and names no one beside a Bloker reason (csv, md, html).",
    ),
    table: str = typer.Option(
        None,
        "--table",
        metavar="results|ballots",
        help="csv only: write just this table (to stdout, or to the --out file).",
    ),
    lang: str = typer.Option(
        None,
        "--lang",
        metavar="da|en",
        help="Language of the minutes, report and explanations (default: the global --lang, Danish).",
    ),
) -> None:
    """Export results, ballots, minutes or the complete forum."""
    c = context(ctx)
    lang = check_language(lang) if lang else c.lang
    t = Translator(lang)
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise UserError("export.unknown_format", format=fmt)
    if proposal is not None and session is not None:
        raise UserError("export.proposal_and_session")
    if table is not None:
        if fmt != "csv":
            raise UserError("export.table_not_csv")
        table = table.strip().lower()
        if table not in TABLES:
            raise UserError("export.bad_table", table=table)
    if fmt == "json":
        for name, given in (
            ("--proposal", proposal),
            ("--session", session),
            ("--anonymous", anonymous or None),
        ):
            if given is not None:
                raise UserError("export.json_whole_forum", option=name)
    db = c.database()
    selection = export.Selection(proposal=proposal, meeting=session)
    progress = _progress()
    if fmt == "csv":
        _export_csv(
            db, out, selection, anonymous=anonymous, table=table, lang=lang, progress=progress, t=t
        )
        return
    if fmt == "json":

        def write(f: IO[str]) -> object:
            return export.export_forum(db, f, lang=lang, progress=progress)
    else:
        report = export.build_report(db, selection, anonymous=anonymous)
        render = export.render_minutes if fmt == "md" else export.render_html
        text = render(report, lang)

        def write(f: IO[str]) -> object:
            return f.write(text)

    target = _target(out, DEFAULT_NAMES[fmt])
    with _output(target) as f:
        write(f)
    if target is not None:
        echo(t("export.wrote_file", path=str(target)))


def _export_csv(
    db: Database,
    out: str | None,
    selection: export.Selection,
    *,
    anonymous: bool,
    table: str | None,
    lang: str,
    progress: Progress,
    t: Translator,
) -> None:
    if table == "ballots" and anonymous:
        raise UserError("export.ballots_anonymous")
    folder = _folder(out)
    if folder is not None:
        results = folder / "results.csv" if table in (None, "results") else None
        ballots = folder / "ballots.csv" if table in (None, "ballots") and not anonymous else None
    elif out in (None, "-"):
        results = ballots = None
        stdout_table = table or "results"
    else:
        path = Path(out)
        if table == "ballots":
            results, ballots = None, path
        else:
            results = path
            ballots = (
                None
                if anonymous or table == "results"
                else path.with_name(f"{path.stem}-ballots{path.suffix or '.csv'}")
            )
    if folder is None and out in (None, "-"):
        with _output(None) as f:
            export.export_csv(
                db,
                results_out=f if stdout_table == "results" else None,
                ballots_out=f if stdout_table == "ballots" else None,
                selection=selection,
                lang=lang,
                progress=progress,
            )
        return
    with _file_or_none(results) as rf, _file_or_none(ballots) as bf:
        n_results, n_ballots = export.export_csv(
            db,
            results_out=rf,
            ballots_out=bf,
            selection=selection,
            lang=lang,
            progress=progress,
        )
    if results is not None:
        echo(t("export.wrote", path=str(results), rows=t.number(n_results)))
    if ballots is not None:
        echo(t("export.wrote", path=str(ballots), rows=t.number(n_ballots)))


def _progress() -> Progress:
    """A bar on stderr only when a person watches it; never in pipes, logs or tests."""
    stream = sys.stderr
    return TextBar(stream) if hasattr(stream, "isatty") and stream.isatty() else NO_PROGRESS


def _folder(out: str | None) -> Path | None:
    """The folder --out names, or None when it names a file or stdout."""
    if out in (None, "-"):
        return None
    path = Path(out)
    if path.is_dir():
        return path
    if out.endswith(("/", os.sep)):
        raise UserError("export.out_missing_folder", path=out)
    return None


def _target(out: str | None, default_name: str) -> Path | None:
    folder = _folder(out)
    if folder is not None:
        return folder / default_name
    return None if out in (None, "-") else Path(out)


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    """stdout (path None) or a file written whole or not at all (temporary file + rename)."""
    if path is None:
        yield from _stdout()
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError("export.out_missing_folder", path=str(parent))
    try:
        fd, name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(
            "export.out_unwritable", path=str(path), reason=exc.strerror or exc
        ) from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(name, 0o666 & ~_umask())  # as open() would: exports are for sharing
        os.replace(name, path)
    except OSError as exc:
        Path(name).unlink(missing_ok=True)
        raise UserError(
            "export.out_unwritable", path=str(path), reason=exc.strerror or exc
        ) from None
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _file_or_none(path: Path | None) -> Iterator[IO[str] | None]:
    if path is None:
        yield None
    else:
        with _output(path) as f:
            yield f


def _stdout() -> Iterator[IO[str]]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # already a text-only stream (some test harnesses)
        yield sys.stdout
        sys.stdout.flush()
        return
    sys.stdout.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        yield wrapper
        wrapper.flush()
    except BrokenPipeError:  # `deliberate export … | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    finally:
        with contextlib.suppress(ValueError):
            wrapper.detach()  # leave sys.stdout's buffer open


def import_json(
    ctx: typer.Context,
    path: str = typer.Argument(
        ...,
        metavar="PATH",
        help="A file written by 'deliberate export --format json', or '-' for standard input.",
    ),
) -> None:
    """Load a complete forum export into a new, empty database, then check it (verify, results)."""
    c = context(ctx)
    db = c.database()
    if path == "-":
        summary = export.import_forum(db, sys.stdin.buffer, name="stdin", lang=c.lang)
    else:
        with _open_export(path) as source:
            summary = export.import_forum(db, source, name=path, lang=c.lang)
    seq, head = summary.audit_head
    echo(
        c.t(
            "export.imported",
            members=c.t.number(summary.members),
            proposals=c.t.number(summary.proposals),
            votes=c.t.number(summary.votes),
            comments=c.t.number(summary.comments),
            entries=c.t.number(summary.audit_entries),
            seq=seq,
            hash=head,
        )
    )


def _open_export(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UserError("export.import_unreadable", file=path, reason=exc.strerror or exc) from None


def register(app: typer.Typer) -> None:
    app.command("export")(export_)
    app.command("import-json")(import_json)
