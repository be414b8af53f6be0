"""Adding a list of members from a CSV file (`deliberate member import members.csv [--invite]`).

The file: UTF-8 (a BOM is fine), comma-separated, one member per line as `handle,name` or
`handle,name,role` (role: member, facilitator or organizer; default member). A first line
`handle,name[,role]` is a header and skipped, as are empty lines and lines starting with `#`.
Names with commas are quoted ("Hansen, Ole"). Members that already exist are kept as they are.

All or nothing: a bad line is reported with the file name and line number and nothing is added.
With invites, every listed member (new or existing) gets a new one-time code in the same
transaction; older codes of theirs stop working.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.text import normalize, sanitize_line
from deliberate.errors import Message, UserError, os_reason
from deliberate.services import audit, invites
from deliberate.services.members import HANDLE_RE, log_member, parse_role
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import Member, Role

MAX_BYTES = 5_000_000
MAX_ROWS = 50_000


@dataclass(frozen=True)
class MemberRow:
    line: int
    handle: str
    name: str
    role: Role


@dataclass(frozen=True)
class ImportResult:
    added: tuple[str, ...]
    kept: tuple[str, ...]
    invites: tuple[invites.IssuedInvite, ...]


def read_rows(path: Path) -> list[MemberRow]:
    """The members listed in a CSV file, checked; UserError names the file and line."""
    shown = sanitize_line(str(path))
    try:
        if path.stat().st_size > MAX_BYTES or not path.is_file():
            raise UserError(
                "import_csv.unreadable", path=shown, reason=Message("os.too_large_or_not_a_file")
            )
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UserError("import_csv.unreadable", path=shown, reason=os_reason(exc)) from None
    except UnicodeDecodeError:
        raise UserError(
            "import_csv.unreadable", path=shown, reason=Message("os.not_utf8")
        ) from None
    return parse_rows(text, shown)


def parse_rows(text: str, source: str) -> list[MemberRow]:
    rows: list[MemberRow] = []
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        for cells in reader:
            line = reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if not rows and not seen and cells[0].lower() == "handle":
                continue
            rows.append(_row(cells, line, source))
            if rows[-1].handle in seen:
                raise UserError(
                    "import_csv.duplicate",
                    path=source,
                    line=line,
                    value=rows[-1].handle,
                    other=seen[rows[-1].handle],
                )
            seen[rows[-1].handle] = line
            if len(rows) > MAX_ROWS:
                raise UserError("import_csv.too_many", path=source, line=line, most=MAX_ROWS)
    except csv.Error as exc:
        raise UserError(
            "import_csv.bad_csv", path=source, line=reader.line_num, reason=sanitize_line(str(exc))
        ) from None
    if not rows:
        raise UserError("import_csv.empty", path=source)
    return rows


def _row(cells: list[str], line: int, source: str) -> MemberRow:
    def bad(key: str, value: str = "") -> UserError:
        return UserError(
            f"import_csv.{key}", path=source, line=line, value=sanitize_line(value)[:40]
        )

    if len(cells) not in (2, 3):
        raise bad("bad_columns")
    handle = normalize(cells[0]).lower()
    if not HANDLE_RE.match(handle):
        raise bad("bad_handle", cells[0])
    name = sanitize_line(normalize(cells[1]))[:200]
    if not name:
        raise bad("empty_name")
    try:
        role = parse_role(cells[2]) if len(cells) == 3 and cells[2] else Role.MEMBER
    except UserError:
        raise bad("bad_role", cells[2]) from None
    return MemberRow(line, handle, name, role)


def import_members(
    db: Database,
    rows: list[MemberRow],
    *,
    invite: bool = False,
    valid: dt.timedelta = invites.DEFAULT_VALID,
) -> ImportResult:
    """Add the members that do not exist yet (and invite every listed one), in one transaction."""
    return run_write(db, lambda session: _import(session, rows, invite, valid))


def _import(
    session: Session, rows: list[MemberRow], invite: bool, valid: dt.timedelta
) -> ImportResult:
    existing = set(
        session.scalars(select(Member.handle).where(Member.handle.in_([r.handle for r in rows])))
    )
    added: list[str] = []
    for row in rows:
        if row.handle not in existing:
            member = Member(handle=row.handle, name=row.name, role=row.role, active=True)
            session.add(member)
            log_member(session, member, audit.MEMBER_ADD)
            added.append(row.handle)
    session.flush()
    issued = (
        tuple(invites.issue(session, row.handle, valid=valid) for row in rows) if invite else ()
    )
    kept = tuple(r.handle for r in rows if r.handle in existing)
    return ImportResult(tuple(added), kept, issued)
