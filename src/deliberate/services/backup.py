"""Backups of an SQLite forum: a consistent copy, verified; and restoring one safely.

PostgreSQL forums are backed up with `pg_dump` and restored with `pg_restore` (organizers.md).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from deliberate.errors import UserError, os_reason
from deliberate.services import audit
from deliberate.store import migrate, sqlite_copy
from deliberate.store.engine import Database, describe_url

# Tables whose rows make a forum "not empty" for `restore` without --force.
_CONTENT_TABLES = ("members", "proposals", "audit_log")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    entries: int
    head_hash: str
    ok: bool
    problems: tuple[str, ...] = ()
    empty_log: tuple[int, int] | None = None


def _sqlite_file(url: str) -> str | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def require_sqlite(url: str, code: str = "backup.postgres") -> str:
    """The forum's SQLite file; PostgreSQL forums are told to use pg_dump / pg_restore."""
    path = _sqlite_file(url)
    if path is None:
        raise UserError(code)
    return path


def backup(db: Database, target: Path, *, lang: str = "da") -> BackupReport:
    """Copy the forum behind `db` to the new file `target`, then `verify` the copy."""
    source = require_sqlite(db.url)
    target = target.expanduser().absolute()
    if target.exists():
        raise UserError("backup.exists", path=str(target))
    try:
        sqlite_copy.copy_file(source, target)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise UserError("backup.cannot_write", path=str(target), reason=os_reason(exc)) from None
    except sqlite3.OperationalError:
        target.unlink(missing_ok=True)
        if not target.parent.is_dir():
            reason = os_reason(FileNotFoundError(2, "", str(target.parent)))
        else:
            reason = os_reason(PermissionError(13, "", str(target)))
        raise UserError("backup.cannot_write", path=str(target), reason=reason) from None
    report = _verify_file(target, lang)
    sqlite_copy.make_self_contained(target)
    return _report(target, report)


def restore(url: str, source: Path, *, force: bool = False, lang: str = "da") -> BackupReport:
    """Replace the forum at `url` with the backup `source`, after verifying the backup.

    Refuses a forum that is in use (a server, a TUI or a command has it open) and one that
    already holds data unless `force`. Nothing is changed when it refuses."""
    target_file = require_sqlite(url, "restore.postgres")
    source = source.expanduser().absolute()
    target = Path(target_file)
    where = describe_url(url)
    with tempfile.TemporaryDirectory(prefix=".deliberate-restore-", dir=_work_dir(target)) as tmp:
        checked = Path(tmp) / "backup.db"
        _checked_copy(source, checked, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite_copy.lock_exclusively(target)
        except sqlite_copy.InUse:
            raise UserError("restore.in_use", where=where) from None
        try:
            if not force and sqlite_copy.row_count(con, _CONTENT_TABLES):
                raise UserError("restore.not_empty", where=where, path=str(source))
            sqlite_copy.restore_into(checked, con)
        finally:
            con.close()
    report = _verify_file(target, lang)
    return _report(target, report)


def _report(path: Path, report: audit.VerifyReport) -> BackupReport:
    return BackupReport(
        path, report.entries, report.head_hash, report.ok, tuple(report.problems), report.empty_log
    )


def _work_dir(target: Path) -> Path:
    """A folder for the checked copy on the target's file system (else the system's)."""
    parent = target.parent
    return parent if parent.is_dir() and os.access(parent, os.W_OK) else Path(tempfile.gettempdir())


def _checked_copy(source: Path, checked: Path, lang: str) -> None:
    """Copy the backup without touching it, and refuse it unless it is a current, verified forum."""
    if not source.exists() or source.is_dir():
        exc = IsADirectoryError(21, "") if source.is_dir() else FileNotFoundError(2, "")
        raise UserError("restore.cannot_read", path=str(source), reason=os_reason(exc))
    try:
        sqlite_copy.copy_file(source, checked)
    except OSError as exc:
        raise UserError("restore.cannot_read", path=str(source), reason=os_reason(exc)) from None
    except sqlite3.DatabaseError:
        raise UserError("restore.not_a_forum", path=str(source)) from None
    db = Database(f"sqlite:///{checked}")
    try:
        try:
            revision = migrate.current_revision(db)
        except Exception:
            revision = None
        if revision is None:
            raise UserError("restore.not_a_forum", path=str(source))
        if revision != migrate.head_revision():
            raise UserError("restore.old_schema", path=str(source), revision=revision)
        report = audit.verify(db, lang=lang)
    finally:
        db.dispose()
    if not report.ok:
        raise UserError("restore.not_verified", path=str(source), n=len(report.problems))


def _verify_file(path: Path, lang: str) -> audit.VerifyReport:
    db = Database(f"sqlite:///{path}")
    try:
        return audit.verify(db, lang=lang)
    finally:
        db.dispose()
