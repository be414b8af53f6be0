"""Importing proposal files into the database: idempotent, all or nothing, frozen once open."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deliberate.errors import UserError
from deliberate.services import importer, proposals
from deliberate.services.importer import ImportFailed
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, Programme, Proposal, ProposalStatus

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def proposal_file(folder: Path, name: str, title: str, body: str = "Tekst.", **front: str) -> Path:
    extra = "".join(f"{k}: {v}\n" for k, v in front.items())
    return write(folder / name, f"---\ntitle: {title}\n{extra}---\n\n{body}\n")


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_sample_programme_imports_and_reimport_changes_nothing(
    any_db: Database, samples_dir: Path
) -> None:
    first = importer.import_paths(any_db, [samples_dir])
    assert first.created and not first.updated and not first.unchanged
    second = importer.import_paths(any_db, [samples_dir])
    assert not second.created and not second.updated
    assert sorted(second.unchanged) == sorted(first.created)
    listed = proposals.list_proposals(any_db)
    assert len(listed) == len(first.created)
    programme = [p for p in listed if p.programme]
    sections = [p.section for p in programme]
    # Numeric order: 1, 1.1, 1.2, 2, ..., 10 — not 1, 10, 2.
    as_numbers = [tuple(int(x) for x in s.split(".")) for s in sections]
    assert as_numbers == sorted(as_numbers)
    assert "10" in sections and sections.index("10") == len(sections) - 1
    assert all(p.programme is None for p in listed[len(programme) :])


def test_messy_danish_documents_import_and_keep_every_character(any_db: Database) -> None:
    messy = FIXTURES / "messy"
    report = importer.import_paths(any_db, [messy])
    assert report.total >= 5 and report.created
    again = importer.import_paths(any_db, [messy])
    assert not again.created and not again.updated
    with any_db.read() as session:
        titles = session.scalars(select(Proposal.title)).all()
        bodies = session.scalars(select(Proposal.body)).all()
    assert any("&" in t for t in titles) and any('"' in t or "»" in t or "“" in t for t in titles)
    assert any(len(b) > 30_000 for b in bodies)
    assert any("æ" in b and "ø" in b and "å" in b for b in bodies)


def test_a_100_kb_document_keeps_every_character(any_db: Database, tmp_path: Path) -> None:
    paragraph = "Æbler, østers & ålegræs — »citat« “quote” 🙂 ½ § 7, stk. 3 … ‹‚›\n\n"
    body = paragraph * (100_000 // len(paragraph.encode()) + 1)
    assert len(body.encode()) >= 100_000
    proposal_file(tmp_path, "stor.md", "Et meget langt forslag", body)
    importer.import_paths(any_db, [tmp_path])
    detail = proposals.get_proposal(any_db, "stor")
    assert detail.body.strip() == body.strip()


def test_changed_file_updates_a_draft(any_db: Database, tmp_path: Path) -> None:
    path = proposal_file(
        tmp_path,
        "a.md",
        "Første titel",
        "Brødtekst.\n\n## Forslag til ændringer\n\n### Én\n\nTekst 1.\n\n### To\n\nTekst 2.\n",
    )
    importer.import_paths(any_db, [path])
    proposal_file(
        tmp_path,
        "a.md",
        "Anden titel",
        "Ny brødtekst.\n\n## Forslag til ændringer\n\n### Kun én\n\nTekst.\n",
    )
    report = importer.import_paths(any_db, [path])
    assert report.updated == ["a"]
    detail = proposals.get_proposal(any_db, "a")
    assert detail.title == "Anden titel"
    assert [(a.number, a.title) for a in detail.amendments] == [(1, "Kun én")]
    assert count(any_db, Amendment) == 1


def test_changed_file_is_refused_once_voting_has_opened(any_db: Database, tmp_path: Path) -> None:
    path = proposal_file(tmp_path, "a.md", "Titel", "Original.")
    other = proposal_file(tmp_path, "b.md", "Andet", "Uændret.")
    importer.import_paths(any_db, [tmp_path])
    with any_db.write() as session:
        session.get(Proposal, "a").status = ProposalStatus.VOTING
    proposal_file(tmp_path, "a.md", "Titel", "Ændret efter åbning.")
    proposal_file(tmp_path, "b.md", "Andet", "Også ændret.")
    with pytest.raises(ImportFailed) as err:
        importer.import_paths(any_db, [path, other])
    message = err.value.message("en")
    assert "a.md" in message and "frozen" in message
    # Nothing of that import was written: not even the draft that could have been updated.
    assert proposals.get_proposal(any_db, "a").body.strip() == "Original."
    assert proposals.get_proposal(any_db, "b").body.strip() == "Uændret."


def test_duplicate_id_refuses_the_whole_import(any_db: Database, tmp_path: Path) -> None:
    proposal_file(tmp_path, "one.md", "Et", id="samme")
    proposal_file(tmp_path, "two.md", "To", id="samme")
    proposal_file(tmp_path, "three.md", "Tre")
    with pytest.raises(ImportFailed) as err:
        importer.import_paths(any_db, [tmp_path])
    assert "samme" in err.value.message("en") and "two.md" in err.value.message("en")
    assert count(any_db, Proposal) == 0


@pytest.mark.parametrize(
    ("content", "code", "needle"),
    [
        (b"---\ntitle: [broken\n---\nx\n", "import_bad_front_matter", ":2"),
        (b"---\ntitle: ''\n---\nx\n", "import_empty_title", "bad.md"),
        ("---\ntitle: Bl\u00e5\n---\nx\n".encode("latin-1"), "import_not_utf8", ":2"),
    ],
)
def test_one_bad_file_refuses_the_whole_import(
    any_db: Database, tmp_path: Path, content: bytes, code: str, needle: str
) -> None:
    proposal_file(tmp_path, "good.md", "Godt forslag")
    (tmp_path / "bad.md").write_bytes(content)
    with pytest.raises(ImportFailed) as err:
        importer.import_paths(any_db, [tmp_path])
    assert [e.code for e in err.value.errors] == [code]
    assert "bad.md" in err.value.message("en") and needle in err.value.message("en")
    assert count(any_db, Proposal) == 0 and count(any_db, Programme) == 0


def test_bad_fixture_files_are_each_refused(any_db: Database) -> None:
    bad = sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix == ".md")
    assert len(bad) >= 5
    for path in bad:
        with pytest.raises(UserError) as err:
            importer.import_paths(any_db, [path])
        assert path.name in err.value.message("en")
    # The fixture pair with one id: each file alone is fine, together they are refused.
    with pytest.raises(ImportFailed) as err:
        importer.import_paths(any_db, [FIXTURES / "bad_duplicate"])
    assert err.value.errors[0].code == "import_duplicate_id"
    assert count(any_db, Proposal) == 0


def test_folders_become_programmes(any_db: Database, tmp_path: Path) -> None:
    proposal_file(tmp_path / "økonomi-og-skat", "1.md", "Skat", section="1")
    proposal_file(tmp_path / "økonomi-og-skat", "2.md", "Afgifter", section="2")
    proposal_file(tmp_path, "alene.md", "Selvstændigt forslag")
    proposal_file(tmp_path, "valgt.md", "Eget program", programme="Særprogram")
    importer.import_paths(any_db, [tmp_path])
    by_id = {p.id: p for p in proposals.list_proposals(any_db)}
    assert by_id["1"].programme == by_id["2"].programme
    assert by_id["1"].programme and by_id["1"].programme.lower().startswith("økonomi")
    assert by_id["alene"].programme is None
    assert by_id["valgt"].programme == "Særprogram"


def test_missing_path_and_empty_folder(any_db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        importer.import_paths(any_db, [tmp_path / "nowhere"])
    assert err.value.code == "import_path_missing"
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError) as err:
        importer.import_paths(any_db, [tmp_path / "empty"])
    assert err.value.code == "import_no_files"


def test_control_characters_are_stripped_on_import(any_db: Database, tmp_path: Path) -> None:
    proposal_file(
        tmp_path,
        "x.md",
        "Titel\u202e med bidi",
        "Tekst \x1b]52;c;SGVsbG8=\x07 og \x1b[31mrød\x1b[0m.",
    )
    importer.import_paths(any_db, [tmp_path])
    detail = proposals.get_proposal(any_db, "x")
    assert "\x1b" not in detail.body and "\u202e" not in detail.title
    assert "røde" not in detail.body and "rød" in detail.body
