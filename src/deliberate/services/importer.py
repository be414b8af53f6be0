"""Importing proposal files (DESIGN §3): idempotent, all or nothing, frozen once opened.

Folders: a folder named on the command line is a programme if it holds `programme.yaml`;
otherwise its files are stand-alone proposals. Every subfolder is a programme of its own.
Front matter `programme:` overrides the folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.proposal_file import (
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
from deliberate.errors import UserError
from deliberate.store.engine import Database
from deliberate.store.models import (
    Amendment,
    AmendmentKind,
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


def read_proposal_file(path: Path, *, default_programme: str | None = None) -> ParsedProposal:
    """Read and parse one proposal file (UTF-8; its name gives the id unless `id:` does)."""
    source = str(path)
    return parse_proposal(
        decode_text(path.read_bytes(), source),
        source=source,
        default_id=default_id_for(path),
        default_programme=default_programme,
    )


def read_programme_info(folder: Path) -> ProgrammeInfo:
    """`programme.yaml` (`name:`, optional `description:`), else a name from the folder's."""
    fallback = folder_title(folder.name or folder.resolve().name)
    path = folder / PROGRAMME_FILE
    if not path.is_file():
        return ProgrammeInfo(fallback, None)
    file = str(path)
    return parse_programme_info(decode_text(path.read_bytes(), file), file=file, fallback=fallback)


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
class _Source:
    path: Path
    programme: str | None


def collect_files(paths: list[Path]) -> list[_Source]:
    """Every .md file to import, with the programme its folder gives it."""
    sources: list[_Source] = []
    for path in paths:
        if not path.exists():
            raise UserError("import_path_missing", path=str(path))
        if path.is_file():
            sources.append(_Source(path, None))
            continue
        top = programme_name_for_folder(path) if (path / PROGRAMME_FILE).is_file() else None
        sources.extend(_walk(path, top))
    if not sources:
        raise UserError("import_no_files", paths=", ".join(str(p) for p in paths))
    return sources


def _walk(folder: Path, programme: str | None) -> list[_Source]:
    found: list[_Source] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.extend(_walk(entry, programme_name_for_folder(entry)))
        elif entry.suffix.lower() in (".md", ".markdown") and entry.name.lower() != "readme.md":
            found.append(_Source(entry, programme))
    return found


def parse_all(paths: list[Path]) -> list[ParsedProposal]:
    """Parse every file; collect every error rather than stopping at the first."""
    parsed: list[ParsedProposal] = []
    errors: list[UserError] = []
    seen: dict[str, str] = {}
    for source in collect_files(paths):
        try:
            proposal = read_proposal_file(source.path, default_programme=source.programme)
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


def import_paths(db: Database, paths: list[Path]) -> ImportReport:
    """Import proposal files and folders in one transaction."""
    parsed = parse_all([Path(p) for p in paths])
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
    return report


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
