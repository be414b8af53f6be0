"""Importing proposal files (DESIGN §3): idempotent, all or nothing, frozen once opened.

Folders: a folder named on the command line is a programme if it holds `programme.yaml`;
otherwise its files are stand-alone proposals. Every subfolder is a programme of its own.
Front matter `programme:` overrides the folder.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.proposal_file import (
    MAX_FILE_BYTES,
    ParsedAmendment,
    ParsedProposal,
    ProgrammeInfo,
    decode_text,
    default_id_for,
    folder_title,
    parse_programme_info,
    parse_proposal,
    section_sort_key,
    slugify,
)
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.services import audit
from deliberate.store.engine import Database
from deliberate.store.models import (
    Amendment,
    AmendmentKind,
    AuditEntry,
    Programme,
    Proposal,
    ProposalStatus,
    utcnow,
)

PROGRAMME_FILE = "programme.yaml"


class ImportFailed(UserError):
    """One or more files were refused; nothing was written."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("import_failed", count=len(errors))
        self.errors = errors

    def message(self, lang: str = "da") -> str:
        return "\n".join(e.message(lang) for e in self.errors)


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, *, shown: str = "") -> bytes:
    """A regular file's bytes, refused when larger than `limit` (read at most limit + 1, so a
    file that grows or a device behind a path cannot exhaust memory)."""
    source = sanitize_line(shown or str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise UserError(
            "import_unreadable", file=source, reason=exc.strerror or "unreadable"
        ) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UserError("import_not_regular", file=source)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UserError("import_too_large", file=source, limit=f"{limit / 1_000_000:g} MB")
    return data


def read_proposal_file(
    path: Path,
    *,
    default_programme: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    shown: str = "",
) -> ParsedProposal:
    """Read and parse one proposal file (UTF-8; its name gives the id unless `id:` does).
    `shown`: the path as the user named it (`path` may be a symlink's resolved target)."""
    source = shown or str(path)
    return parse_proposal(
        decode_text(read_limited(path, max_bytes, shown=source), source),
        source=source,
        default_id=default_id_for(Path(source)),
        default_programme=default_programme,
    )


def read_programme_info(folder: Path) -> ProgrammeInfo:
    """`programme.yaml` (`name:`, optional `description:`), else a name from the folder's."""
    fallback = folder_title(folder.name or folder.resolve().name)
    path = folder / PROGRAMME_FILE
    if not path.is_file():
        return ProgrammeInfo(fallback, None)
    file = str(path)
    return parse_programme_info(decode_text(read_limited(path), file), file=file, fallback=fallback)


def programme_name_for_folder(folder: Path) -> str:
    return read_programme_info(folder).name


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


@dataclass(frozen=True)
class ImportLimits:
    """What one import accepts: bytes per file, folder depth (a folder named on the command
    line is depth 0)."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_depth: int = 32


@dataclass(frozen=True)
class _Source:
    path: Path  # resolved: symlinks already followed and checked
    programme: str | None
    shown: str = ""  # the path as the user would see it (for messages)


def collect_files(paths: list[Path], limits: ImportLimits | None = None) -> list[_Source]:
    """Every .md file to import, with the programme its folder gives it. Only regular files
    and folders; a symlink may point only inside the folder being imported."""
    limits = limits or ImportLimits()
    sources: list[_Source] = []
    errors: list[UserError] = []
    for path in paths:
        if not path.exists():
            raise UserError("import_path_missing", path=sanitize_line(str(path)))
        real = path.resolve()
        if real.is_dir():
            top = programme_name_for_folder(real) if (real / PROGRAMME_FILE).is_file() else None
            _walk(real, top, real, str(path), 0, limits, sources, errors, {real})
        elif real.is_file():
            sources.append(_Source(real, None, str(path)))
        else:
            errors.append(UserError("import_not_regular", file=sanitize_line(str(path))))
    if errors:
        raise ImportFailed(errors)
    if not sources:
        raise UserError("import_no_files", paths=sanitize_line(", ".join(str(p) for p in paths)))
    return sources


def _walk(
    folder: Path,
    programme: str | None,
    root: Path,
    shown: str,
    depth: int,
    limits: ImportLimits,
    found: list[_Source],
    errors: list[UserError],
    visited: set[Path],
) -> None:
    """Depth first, iteratively bounded by `limits.max_depth` (no RecursionError)."""
    if depth > limits.max_depth:
        errors.append(
            UserError("import_too_deep", path=sanitize_line(shown), limit=limits.max_depth)
        )
        return
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        errors.append(
            UserError("import_unreadable", file=sanitize_line(shown), reason=exc.strerror or "?")
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        entry_shown = f"{shown.rstrip('/')}/{entry.name}"
        is_markdown = (
            entry.suffix.lower() in (".md", ".markdown") and entry.name.lower() != "readme.md"
        )
        if entry.is_symlink():
            target = entry.resolve()
            if not target.is_relative_to(root):
                if is_markdown or target.is_dir():
                    errors.append(
                        UserError("import_symlink_outside", file=sanitize_line(entry_shown))
                    )
                continue
        else:
            target = entry
        try:
            mode = target.lstat().st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            if target in visited:
                continue  # a symlink back into the tree: already walked
            visited.add(target)
            programme_of = programme_name_for_folder(target)
            _walk(
                target, programme_of, root, entry_shown, depth + 1, limits, found, errors, visited
            )
        elif is_markdown:
            if stat.S_ISREG(mode):
                found.append(_Source(target, programme, entry_shown))
            else:
                errors.append(UserError("import_not_regular", file=sanitize_line(entry_shown)))


def parse_all(paths: list[Path], limits: ImportLimits | None = None) -> list[ParsedProposal]:
    """Parse every file; collect every error rather than stopping at the first."""
    limits = limits or ImportLimits()
    parsed: list[ParsedProposal] = []
    errors: list[UserError] = []
    seen: dict[str, str] = {}
    for source in collect_files(paths, limits):
        try:
            proposal = read_proposal_file(
                source.path,
                default_programme=source.programme,
                max_bytes=limits.max_file_bytes,
                shown=source.shown,
            )
        except UserError as exc:
            errors.append(exc)
            continue
        if proposal.id in seen:
            errors.append(
                UserError(
                    "import_duplicate_id",
                    file=proposal.source,
                    id=proposal.id,
                    other=seen[proposal.id],
                )
            )
            continue
        seen[proposal.id] = proposal.source
        parsed.append(proposal)
    if errors:
        raise ImportFailed(errors)
    return parsed


def import_paths(
    db: Database, paths: list[Path], *, limits: ImportLimits | None = None
) -> ImportReport:
    """Import proposal files and folders in one transaction."""
    parsed = parse_all([Path(p) for p in paths], limits)
    report = ImportReport()
    errors: list[UserError] = []
    with db.write() as session:
        programmes: dict[str, Programme] = {}
        for item in parsed:
            existing = session.get(Proposal, item.id)
            programme = _programme(session, programmes, item.programme)
            if existing is None:
                session.add(_new_proposal(item, programme))
                report.created.append(item.id)
            elif existing.content_hash == item.content_hash:
                report.unchanged.append(item.id)
            elif existing.status != ProposalStatus.DRAFT:
                errors.append(UserError("import_frozen", file=item.source, id=item.id))
            else:
                existing.amendments.clear()
                session.flush()  # old amendments go before new ones reuse their numbers
                _update(existing, item, programme)
                report.updated.append(item.id)
        if errors:
            # Raising inside the transaction rolls back everything written above.
            raise ImportFailed(errors)
        written = {p.id: p.content_hash for p in parsed}
        entries = _baseline(session, set(written))
        entries += [
            ("", audit.PROPOSAL_IMPORT, pid, {"content_hash": written[pid]})
            for pid in report.created + report.updated
        ]
        audit.append_many(session, entries)
    return report


def _baseline(session: Session, skip: set[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The first logged import of a forum whose log predates them also records the drafts
    already there, so `verify` can tell a deleted or inserted draft from then on."""
    audit.lock_head(session)
    logged = session.execute(
        select(AuditEntry.seq).where(AuditEntry.action == audit.PROPOSAL_IMPORT).limit(1)
    ).first()
    if logged is not None:
        return []
    drafts = session.execute(
        select(Proposal.id, Proposal.content_hash)
        .where(Proposal.status == ProposalStatus.DRAFT)
        .order_by(Proposal.id)
    ).all()
    return [
        ("", audit.PROPOSAL_IMPORT, pid, {"content_hash": digest})
        for pid, digest in drafts
        if pid not in skip
    ]


def _programme(session: Session, cache: dict[str, Programme], name: str | None) -> Programme | None:
    if not name:
        return None
    slug = slugify(name) or "programme"
    if slug in cache:
        return cache[slug]
    programme = session.scalars(select(Programme).where(Programme.slug == slug)).one_or_none()
    if programme is None:
        programme = Programme(slug=slug, name=name)
        session.add(programme)
    cache[slug] = programme
    return programme


def _new_proposal(item: ParsedProposal, programme: Programme | None) -> Proposal:
    proposal = Proposal(id=item.id, status=ProposalStatus.DRAFT)
    _update(proposal, item, programme)
    return proposal


def _update(proposal: Proposal, item: ParsedProposal, programme: Programme | None) -> None:
    proposal.title = item.title
    proposal.programme = programme
    proposal.section = item.section
    proposal.section_key = section_sort_key(item.section)
    proposal.authors = json.dumps(list(item.authors), ensure_ascii=False)
    proposal.body = item.body
    proposal.content_hash = item.content_hash
    proposal.source = item.source
    proposal.updated_at = utcnow()
    proposal.amendments = [_amendment(a) for a in item.amendments]


def _amendment(a: ParsedAmendment) -> Amendment:
    """A file's amendment: free text, or a paragraph change (docs/proposals.md)."""
    if a.paragraph is None:
        return Amendment(number=a.number, title=a.title, body=a.body, kind=AmendmentKind.FREE)
    return Amendment(
        number=a.number,
        title=a.title,
        body="",
        kind=AmendmentKind.PARAGRAPH,
        paragraph=a.paragraph,
        operation=a.operation,
        new_text=a.new_text,
        justification=a.justification,
    )
