"""The proposal-file reader (DESIGN §3): front matter, amendments, sort keys, slugs, errors."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deliberate.domain.proposal_file import (
    ParsedAmendment,
    ParsedProposal,
    compute_content_hash,
    default_id_for,
    is_valid_id,
    parse_proposal,
    section_sort_key,
    slugify,
)
from deliberate.domain.text import normalize, sanitize, sanitize_line
from deliberate.errors import UserError
from deliberate.i18n import has_message, translate
from deliberate.services.importer import (
    programme_name_for_folder,
    read_programme_info,
    read_proposal_file,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

EXAMPLE = """---
id: et-nyt-vi-1-3            # optional; default: derived from the file name
title: Styrk den lokale og frivillige integrationsindsats
programme: Et Nyt Vi         # optional
section: "1.3"               # optional; sections sort numerically: 1, 1.1, 1.2, 1.10, 2
authors: [Navn Navnesen]     # optional
---

The proposal text, any Markdown.

## Forslag til ændringer

### Ophøj afsnittet til mærkesag

Free text of amendment 1.

### Inddrag ledende minoritetspersoner

Free text of amendment 2.
"""


def parse(text: str, **kwargs: object) -> ParsedProposal:
    kwargs.setdefault("source", "test.md")
    kwargs.setdefault("default_id", "test")
    return parse_proposal(text, **kwargs)  # type: ignore[arg-type]


def error_of(text: str) -> UserError:
    with pytest.raises(UserError) as info:
        parse(text)
    return info.value


def doc(body: str, front: str = "title: Titel") -> str:
    return f"---\n{front}\n---\n\n{body}"


# --- the example from DESIGN §3 ---------------------------------------------------------------


def test_design_example() -> None:
    p = parse(EXAMPLE, source="x/et-nyt-vi.md")
    assert p.id == "et-nyt-vi-1-3"
    assert p.title == "Styrk den lokale og frivillige integrationsindsats"
    assert p.programme == "Et Nyt Vi"
    assert p.section == "1.3"
    assert p.authors == ("Navn Navnesen",)
    assert p.body == "The proposal text, any Markdown."
    assert p.amendments == (
        ParsedAmendment(1, "Ophøj afsnittet til mærkesag", "Free text of amendment 1."),
        ParsedAmendment(2, "Inddrag ledende minoritetspersoner", "Free text of amendment 2."),
    )
    assert re.fullmatch(r"[0-9a-f]{64}", p.content_hash)
    assert p.source == "x/et-nyt-vi.md"


# --- amendments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "## Forslag til ændringer",
        "## Forslag til Ændringer",
        "## FORSLAG TIL ÆNDRINGER",
        "##   Forslag til ændringer   ",
        "## Amendments",
        "## amendments ##",
        "## Forslag til ændringer:",
        "Amendments\n----------",  # a setext level-2 heading is a level-2 heading
    ],
)
def test_amendment_heading_variants(heading: str) -> None:
    p = parse(doc(f"Tekst.\n\n{heading}\n\n### Et\n\nA\n\n### To\n\nB\n"))
    assert [(a.number, a.title, a.body) for a in p.amendments] == [(1, "Et", "A"), (2, "To", "B")]
    assert p.body == "Tekst."


@pytest.mark.parametrize(
    "heading",
    [
        "# Forslag til ændringer",
        "### Forslag til ændringer",
        "## Forslag til ændringer i loven",
        "## Ændringer",
    ],
)
def test_other_headings_are_not_the_amendments_section(heading: str) -> None:
    text = f"Tekst.\n\n{heading}\n\n### Et\n\nA"
    p = parse(doc(text))
    assert p.amendments == ()
    assert p.body == text


def test_code_fence_trap() -> None:
    body = (
        "Før.\n\n```markdown\n## Forslag til ændringer\n\n### Ikke et forslag\n```\n\n"
        "~~~\n## Amendments\n### Heller ikke\n~~~\n\n"
        "    ## Forslag til ændringer\n    ### indrykket kode\n\n"
        "> ## Forslag til ændringer\n> ### i et citat\n\n"
        "- ## Forslag til ændringer\n\n  ### i en liste\n"
    )
    p = parse(doc(body))
    assert p.amendments == ()
    assert p.body == body.rstrip("\n")
    # ... and a real section after the trap still counts.
    p = parse(doc(body + "\n## Forslag til ændringer\n\n### Rigtigt\n\nJa.\n"))
    assert [(a.title, a.body) for a in p.amendments] == [("Rigtigt", "Ja.")]
    assert p.body == body.rstrip("\n")


def test_text_before_first_amendment_and_after_section_stays_in_body() -> None:
    text = doc(
        "Indledning.\n\n## Forslag til ændringer\n\nIndkomne forslag:\n\n"
        "### Første\n\nEt.\n\n#### Begrundelse\n\nFordi.\n\n### Andet\nTo.\n\n"
        "## Bilag\n\nSkema.\n\n# Noter\n\nSlut."
    )
    p = parse(text)
    assert p.body == "Indledning.\n\nIndkomne forslag:\n\n## Bilag\n\nSkema.\n\n# Noter\n\nSlut."
    assert p.amendments == (
        ParsedAmendment(1, "Første", "Et.\n\n#### Begrundelse\n\nFordi."),
        ParsedAmendment(2, "Andet", "To."),
    )


def test_only_the_first_amendments_section_counts() -> None:
    p = parse(doc("## Amendments\n\n### A\n\na\n\n## Amendments\n\n### B\n\nb"))
    assert [a.title for a in p.amendments] == ["A"]
    assert p.body == "## Amendments\n\n### B\n\nb"


def test_amendments_heading_without_amendments_is_plain_text() -> None:
    text = "Tekst.\n\n## Forslag til ændringer\n\nIngen indkomne forslag.\n\n## Bilag\n\n### Ikke et forslag"
    p = parse(doc(text))
    assert p.amendments == ()
    assert p.body == text


def test_amendment_titles_are_single_sanitised_lines_and_bodies_may_be_empty() -> None:
    p = parse(doc("## Amendments\n\n### Øhh  *fed*  & \x1b[31mrød\x1b[0m\n### Tom\n"))
    assert [(a.title, a.body) for a in p.amendments] == [("Øhh *fed* & rød", ""), ("Tom", "")]


def test_empty_amendment_heading_is_refused_with_its_line() -> None:
    error = error_of(doc("## Amendments\n\n### Et\n\nA\n\n###\n\nB"))
    assert error.code == "proposal_file.empty_amendment_title"
    assert error.params == {"file": "test.md", "line": 11, "number": 2}


# --- front matter fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "section"),
    [
        ("1.10", "1.10"),
        ("1.1", "1.1"),
        ('"1.10"', "1.10"),
        ("'2'", "2"),
        ("10", "10"),
        ("3b", "3b"),
        ("A", "A"),
        ("1.20", "1.20"),
        ("01", "01"),
        ("", None),
        ("~", None),
        ("null", None),
        ('""', None),
    ],
)
def test_section_keeps_its_raw_text(raw: str, section: str | None) -> None:
    assert parse(doc("x", f"title: T\nsection: {raw}")).section == section


def test_section_must_be_short_text() -> None:
    error = error_of(doc("x", "title: T\nsection: [1, 2]"))
    assert (error.code, error.params["field"], error.params["line"]) == (
        "import_bad_field",
        "section",
        3,
    )
    error = error_of(doc("x", "title: T\nsection: " + "1." * 30))
    assert error.code == "import_bad_field"


@pytest.mark.parametrize(
    ("raw", "authors"),
    [
        ("Jens Hansen", ("Jens Hansen",)),
        ("'Hansen, Jens'", ("Hansen, Jens",)),
        ("[Anne, Bo]", ("Anne", "Bo")),
        ('\n  - Anne\n  - "Bo \\"B\\" Ø"', ("Anne", 'Bo "B" Ø')),
        ("[Yes, No, 42, 2025-03-08]", ("Yes", "No", "42", "2025-03-08")),  # raw text, not YAML 1.1
        ("[]", ()),
        ("", ()),
        ("[Anne, '', ~]", ("Anne",)),
    ],
)
def test_authors(raw: str, authors: tuple[str, ...]) -> None:
    assert parse(doc("x", f"title: T\nauthors: {raw}")).authors == authors


@pytest.mark.parametrize("raw", ["{navn: Jens}", "[[Anne, Bo]]", "[{navn: Jens}]"])
def test_authors_of_other_kinds_are_refused(raw: str) -> None:
    error = error_of(doc("x", f"title: T\nauthors: {raw}"))
    assert (error.code, error.params["field"], error.params["line"]) == (
        "import_bad_field",
        "authors",
        3,
    )


@pytest.mark.parametrize(
    ("raw", "title"),
    [("No", "No"), ("2030", "2030"), ("1.10", "1.10"), ("2025-03-08", "2025-03-08"), ("on", "on")],
)
def test_titles_are_raw_text_not_yaml_values(raw: str, title: str) -> None:
    assert parse(doc("x", f"title: {raw}")).title == title


def test_title_kinds() -> None:
    assert parse(doc("x", 'title: "  Grøn\\n  omstilling  "')).title == "Grøn omstilling"
    assert parse(doc("x", "title: >\n  Foldet\n  titel")).title == "Foldet titel"
    error = error_of(doc("x", "id: a\ntitle: [a, b]"))
    assert (error.code, error.params["field"], error.params["line"]) == (
        "import_bad_field",
        "title",
        3,
    )


def test_programme_from_front_matter_else_default() -> None:
    assert (
        parse(doc("x", "title: T\nprogramme: Eget"), default_programme="Mappe").programme == "Eget"
    )
    assert parse(doc("x"), default_programme="Mappe").programme == "Mappe"
    assert (
        parse(doc("x", "title: T\nprogramme: ''"), default_programme="Mappe").programme == "Mappe"
    )
    assert parse(doc("x")).programme is None


def test_id_from_front_matter_else_default() -> None:
    assert parse(doc("x", "title: T\nid: egf-1.10")).id == "egf-1.10"
    assert parse(doc("x", "title: T\nid: 1.10")).id == "1.10"  # raw text, not the float 1.1
    assert parse(doc("x"), default_id="fra-filnavn").id == "fra-filnavn"
    assert parse(doc("x", "title: T\nid:"), default_id="fra-filnavn").id == "fra-filnavn"


@pytest.mark.parametrize(
    "bad",
    [
        "'forslag 1'",
        "a/b",
        "-x",
        ".skjult",
        "'a\\e[31m'",
        '"a\\tb"',
        "[a]",
        "'" + "a" * 121 + "'",
        "''",
    ],
)
def test_bad_ids_are_refused_with_the_line(bad: str) -> None:
    error = error_of(doc("x", f"title: T\nauthors: [A]\nid: {bad}"))
    assert (error.code, error.params["line"]) == ("import_bad_id", 4)
    assert "\x1b" not in error.params["id"]


def test_unknown_fields_and_merge_keys() -> None:
    p = parse(
        doc("x", "base: &b {title: Fra anker, section: 2}\n<<: *b\ntags: [klima]\ndato: 2025-03-08")
    )
    assert (p.title, p.section) == ("Fra anker", "2")


def test_empty_front_matter_needs_a_title_heading() -> None:
    assert parse("---\n---\n# Overskrift\n\nTekst").title == "Overskrift"
    assert error_of("---\n---\nTekst").code == "import_empty_title"


def test_front_matter_without_title_may_use_a_leading_heading() -> None:
    p = parse("---\nid: x\nsection: 2\n---\n\n# Overskriften\n\nTekst.")
    assert (p.id, p.title, p.section, p.body) == ("x", "Overskriften", "2", "Tekst.")


def test_title_field_keeps_a_leading_heading_in_the_body() -> None:
    assert parse(doc("# Overskrift\n\nTekst.")).body == "# Overskrift\n\nTekst."


def test_file_without_front_matter_takes_its_title_from_the_heading() -> None:
    p = parse(
        "\n\n# Lokal madpolitik & »økologi«\n\nTekst.\n\n## Amendments\n\n### A\n\na",
        default_id="mad",
    )
    assert (p.id, p.title, p.body) == ("mad", "Lokal madpolitik & »økologi«", "Tekst.")
    assert [a.title for a in p.amendments] == ["A"]
    assert parse("Overskrift\n==========\n\nTekst.").title == "Overskrift"  # setext level 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", 1),
        ("Tekst først.\n\n# Titel", 1),
        ("\n\n## Niveau to\n", 3),
        ("#\n\nTekst", 1),
        ("```\n# ikke en titel\n```", 1),
        ("> # citat", 1),
    ],
)
def test_file_without_front_matter_or_heading_has_no_title(text: str, line: int) -> None:
    error = error_of(text)
    assert (error.code, error.params) == ("import_empty_title", {"file": "test.md", "line": line})


# --- errors with file and line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("---\ntitle: T\n  forkert: indrykning\n---\n", "import_bad_front_matter", 3),
        ('---\nid: a\ntitle: "uafsluttet\nsection: 1\n---\n', "import_bad_front_matter", 3),
        ("---\nid: a\n\ntitle:\tmed tabulator\n---\n", "import_bad_front_matter", 4),
        ("---\ntitle: [a, b\n---\n", "import_bad_front_matter", 2),
        ("---\ntitle: *ukendt\n---\n", "import_bad_front_matter", 2),
        ("---\ntitle: a\ntitle: b: c\n---\n", "import_bad_front_matter", 3),
        ("---\ntitle: T\n", "import_bad_front_matter", 1),
        ("---\n- a\n- b\n---\n", "import_bad_front_matter", 2),
        ("---\n\nbare tekst\n---\n", "import_bad_front_matter", 3),
        ("---\n" + "[" * 3000 + "\n---\n", "import_bad_front_matter", 2),
        # A raw, unterminated OSC is removed to the end of its line, closing quote and all.
        ('---\nid: a\ntitle: "a\x1b]52;c;eA=="\n---\n', "import_bad_front_matter", 3),
        ("---\ntitle: ''\n---\n", "import_empty_title", 2),
        ("---\nid: a\ntitle: '\x1b[2J'\n---\n", "import_empty_title", 3),
        ("---\nid: a\ntitle:\n---\n# Ikke brugt\n", "import_empty_title", 3),
        ("---\nid: a\n---\n\nTekst", "import_empty_title", 5),
        ("---\ntitle: T\nid: 'a b'\n---\n", "import_bad_id", 3),
        ("---\ntitle: T\nauthors: {a: b}\n---\n", "import_bad_field", 3),
        ("---\r\ntitle: T\r\nid: 'a b'\r\n---\r\n", "import_bad_id", 3),
        ("\ufeff---\ntitle: T\n\nid: 'a b'\n---\n", "import_bad_id", 4),
    ],
)
def test_errors_name_the_file_and_line(text: str, code: str, line: int) -> None:
    error = error_of(text)
    assert (error.code, error.params["file"], error.params["line"]) == (code, "test.md", line)
    assert has_message(error.code)
    assert "test.md:" in error.message("da") and "test.md:" in error.message("en")


def test_invalid_default_id_is_refused() -> None:
    with pytest.raises(UserError) as info:
        parse(doc("x"), default_id="ikke gyldig")
    assert (info.value.code, info.value.params["line"]) == ("import_bad_id", 1)


# --- reading files: encodings and line endings -------------------------------------------------


def test_crlf_bom_and_lf_give_the_same_proposal(tmp_path: Path) -> None:
    lf = tmp_path / "lf.md"
    crlf = tmp_path / "crlf.md"
    bom = tmp_path / "bom.md"
    lf.write_bytes(EXAMPLE.encode())
    crlf.write_bytes(EXAMPLE.replace("\n", "\r\n").encode())
    bom.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.replace("\n", "\r\n").encode())
    parsed = [read_proposal_file(p) for p in (lf, crlf, bom)]
    assert {replace(p, source="") for p in parsed} == {replace(parsed[0], source="")}
    assert parsed[1].source == str(crlf)
    assert "\r" not in parsed[1].body + "".join(a.body for a in parsed[1].amendments)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"---\ntitle: Gr\xf8n\n---\n", 2),
        (b"\xe6ble", 1),
        (b"\xef\xbb\xbfa\r\nb\r\nc\r\n\xff", 4),
        (b"---\ntitle: T\n---\n\nOk \xc3\xa6\xc3\xb8\xc3\xa5\n\xc3", 6),  # truncated sequence
        (b"\xff\xfe-\x00-\x00-\x00", 1),  # UTF-16
    ],
)
def test_not_utf8_names_the_line_of_the_first_bad_byte(
    tmp_path: Path, data: bytes, line: int
) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(data)
    with pytest.raises(UserError) as info:
        read_proposal_file(path)
    assert info.value.code == "import_not_utf8"
    assert info.value.params == {"file": str(path), "line": line}


def test_read_uses_file_name_for_id_and_given_programme(tmp_path: Path) -> None:
    path = tmp_path / "Grøn Omstilling & Økonomi.md"
    path.write_text(doc("Tekst", "title: T"), encoding="utf-8")
    p = read_proposal_file(path, default_programme="Mit program")
    assert (p.id, p.programme) == ("groen-omstilling-oekonomi", "Mit program")


def test_a_100_kb_body_keeps_every_character() -> None:
    pieces = [
        "Æbler, ører & åer: »citat« “quote” ‘enkelt’ – … 🚲🌍👩🏽‍🌾 ½ § € ✓ ∑ 中文 עברית \t tab",
        "<b>html</b> &amp; &lt; `kode` *fed* _kursiv_ [link](http://x) \\ \" ' # ## ###",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "- punkt",
        "1. nummer",
        "> citat",
        "",
        "```",
        "## Forslag til ændringer",
        "```",
        "    indrykket kode",
        "---",
        "***",
    ]
    lines: list[str] = []
    while sum(len(x.encode()) + 1 for x in lines) < 100_000:
        lines.extend(pieces)
    body = "\n".join(lines).strip("\n")
    assert len(body.encode()) >= 100_000
    p = parse(doc(body + "\n\n## Forslag til ændringer\n\n### Sidst\n\n" + body))
    assert p.body == body
    assert p.amendments == (ParsedAmendment(1, "Sidst", body),)


# --- untrusted text (DESIGN §6) ----------------------------------------------------------------


def test_escape_sequences_and_bidi_overrides_are_removed_everywhere() -> None:
    evil = "\x1b]52;c;ZWNobyBoaQ==\x07"
    text = (
        "---\n"
        'title: "Ren\\e[31m titel\\u202e ok"\n'
        f'programme: "Pro\\x9fgram"\n'
        'section: "1\\u2066.2"\n'
        f'authors: ["Anne\\e]52;c;eA==\\a", Bo\u202e]\n'
        "---\n\n"
        f"Tekst {evil}med\u202eud\u2066tab\tog ny\x00linje\x7f.\n"
        "Linje to \x1b[2J efter.\n\n"
        f"## Amendments\n\n### Til\x1b[5mføj\u200f\n\nA{evil}B\n"
    )
    p = parse(text)
    assert p.title == "Ren titel ok"
    assert p.programme == "Program"
    assert p.section == "1.2"
    assert p.authors == ("Anne", "Bo")
    assert p.body == "Tekst medudtab\tog nylinje.\nLinje to  efter."
    assert p.amendments == (ParsedAmendment(1, "Tilføj", "AB"),)


def test_a_stray_escape_does_not_swallow_the_rest_of_the_file() -> None:
    p = parse("---\ntitle: T\n---\n\nEn \x1b]2;uafsluttet titel\nTo\n\n## Amendments\n\n### A\n\nB")
    assert p.body == "En \nTo"
    assert [a.title for a in p.amendments] == ["A"]


def test_text_is_nfc_normalised() -> None:
    decomposed = "Gro\u0308n a\u030a"  # 'ö' and 'å' typed as letter + combining mark
    p = parse(doc(decomposed, f"title: {decomposed}\nauthors: [{decomposed}]"))
    assert p.title == p.body == p.authors[0] == "Grön å"


def test_surrogates_never_break_hashing() -> None:
    p = parse(doc("Tekst \ud800 slut", 'title: "T \\ud83d"'))
    assert "\ufffd" in p.body
    p.content_hash.encode()


# --- the content hash ------------------------------------------------------------------------


def test_hash_is_stable_across_runs_and_platforms() -> None:
    p = parse(EXAMPLE)
    # A fixed value: if this changes, every imported proposal would look changed.
    assert p.content_hash == EXAMPLE_HASH
    assert parse(EXAMPLE.replace("\n", "\r\n"), source="other.md").content_hash == EXAMPLE_HASH
    assert parse("\ufeff" + EXAMPLE.replace("\n", "\r")).content_hash == EXAMPLE_HASH
    # Insignificant differences: YAML style, blank lines around text, comments.
    restyled = (
        EXAMPLE.replace('section: "1.3"', "section: 1.3")
        .replace("authors: [Navn Navnesen]", "authors:\n  - Navn Navnesen")
        .replace("Free text of amendment 1.", "\n\nFree text of amendment 1.\n\n")
    )
    assert parse(restyled).content_hash == EXAMPLE_HASH


EXAMPLE_HASH = "55b62447082f53696dfb08e96e38480c84af35c4db00e8a239914e49d08b68bd"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: et-nyt-vi-1-3", "id: et-nyt-vi-1-4"),
        ("title: Styrk", "title: Styrk nu"),
        ("programme: Et Nyt Vi", "programme: Et Nyt Vi 2"),
        ('section: "1.3"', 'section: "1.30"'),
        ("authors: [Navn Navnesen]", "authors: [Navn Navnesen, B]"),
        ("authors: [Navn Navnesen]", "authors: [Navnesen]"),
        ("The proposal text", "The proposal  text"),
        ("Markdown.", "Markdown.\n\nMore."),
        ("### Ophøj afsnittet", "### Ophøj  afsnit"),
        ("Free text of amendment 1.", "Free text of amendment one."),
        ("### Inddrag", "#### Inddrag"),  # two amendments become one
    ],
)
def test_hash_changes_when_any_part_changes(old: str, new: str) -> None:
    assert old in EXAMPLE
    assert parse(EXAMPLE.replace(old, new)).content_hash != parse(EXAMPLE).content_hash


def test_hash_separates_fields_unambiguously() -> None:
    base = dict(id="a", title="T", programme=None, section=None, body="", amendments=())
    assert compute_content_hash(**base, authors=("a, b",)) != compute_content_hash(
        **base, authors=("a", "b")
    )
    assert compute_content_hash(**{**base, "programme": ""}, authors=()) != compute_content_hash(
        **base, authors=()
    )


# --- section sort keys -----------------------------------------------------------------------


def test_sections_sort_numerically() -> None:
    ordered = [
        "1",
        "1.1",
        "1.2",
        "1.10",
        "2",
        "2.1",
        "3",
        "3.1",
        "3b",
        "4",
        "10",
        "10.1",
        "A",
        "B",
        "Bilag",
        "Bilag A",
        "Bilag B",
        "æ",
        "ø",
        "å",
        None,
    ]
    shuffled = sorted(ordered, key=lambda s: (s or "~")[::-1])
    assert sorted(shuffled, key=section_sort_key) == ordered
    assert section_sort_key("") == section_sort_key("  ") == section_sort_key(None)
    assert section_sort_key("01") == section_sort_key("1")


@pytest.mark.parametrize(
    "section",
    [
        "1",
        "1.10",
        "3b",
        "A",
        "",
        "..",
        "1..2",
        "§ 4 stk. 2",
        "🌍",
        "1" * 300,
        "9" * 500,
        "\x00",
        "٣",
        "1.\u00a0",
        "a" * 200,
    ],
)
def test_sort_keys_are_digits_only_and_fit_the_column(section: str) -> None:
    key = section_sort_key(section)
    assert re.fullmatch(r"[0-9]{1,200}", key)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 10**12), min_size=1, max_size=5), min_size=2, max_size=8))
def test_numeric_sections_sort_like_tuples(sections: list[list[int]]) -> None:
    texts = [".".join(map(str, s)) for s in sections]
    by_key = sorted(texts, key=section_sort_key)
    assert [tuple(map(int, t.split("."))) for t in by_key] == sorted(map(tuple, sections))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_sort_keys_never_fail_and_sort_as_strings_consistently(a: str, b: str) -> None:
    ka, kb = section_sort_key(a), section_sort_key(b)
    assert ka.isdigit() and kb.isdigit()
    assert ka < "9" or not a.strip()
    if a.strip() == b.strip():
        assert ka == kb


# --- slugs, ids, programmes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Grøn omstilling på Ærø", "groen-omstilling-paa-aeroe"),
        ("ÆØÅ æøå", "aeoeaa-aeoeaa"),
        ("Et grønnere fællesskab", "et-groennere-faellesskab"),
        ("Café Zürich – naïve façade", "cafe-zurich-naive-facade"),
        ("1.10 Ti punkter!!", "1-10-ti-punkter"),
        ("  --Hej__med   dig--  ", "hej-med-dig"),
        ("Straße", "strasse"),
        ("a\u030a", "aa"),  # decomposed å
        ("ǿ", "oe"),
        ("ﬁre ①", "fire-1"),
        ("🚲 & 🌍", ""),
        ("", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_slugify_is_ascii_and_never_empty_when_there_are_letters_or_digits(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 120
    if any(c.isalnum() for c in text):
        assert slug and is_valid_id(slug)


def test_default_id_for() -> None:
    assert default_id_for(Path("x/1.10-Ti Punkter.md")) == "1-10-ti-punkter"
    assert (
        default_id_for(Path("Udtalelse om fair handel & told (CRLF).md"))
        == "udtalelse-om-fair-handel-told-crlf"
    )
    assert is_valid_id(default_id_for(Path("🚲.md")))
    assert default_id_for(Path("🚲.md")) != default_id_for(Path("🌍.md"))
    assert is_valid_id(default_id_for(Path("x" * 300 + ".md")))


@pytest.mark.parametrize("value", ["a", "egf-1.10", "A_b-c.d", "1", "grøn-omstilling", "x" * 120])
def test_valid_ids(value: str) -> None:
    assert is_valid_id(value)


@pytest.mark.parametrize(
    "value", ["", "a b", "a/b", "-a", ".a", "_a", "a\n", "x" * 121, "a;b", "ø\x1b"]
)
def test_invalid_ids(value: str) -> None:
    assert not is_valid_id(value)


def test_programme_name_from_yaml_or_folder(tmp_path: Path) -> None:
    plain = tmp_path / "et-nyt_vi"
    plain.mkdir()
    assert programme_name_for_folder(plain) == "Et nyt vi"
    named = tmp_path / "x"
    named.mkdir()
    (named / "programme.yaml").write_text(
        'name: "Et grønnere fællesskab & \\e[31mco"\ndescription: |\n  Linje 1\n  Linje 2\n',
        encoding="utf-8",
    )
    assert programme_name_for_folder(named) == "Et grønnere fællesskab & co"
    assert read_programme_info(named).description == "Linje 1\nLinje 2"
    (named / "programme.yaml").write_text("description: uden navn\n", encoding="utf-8")
    assert read_programme_info(named).name == "X"
    (named / "programme.yaml").write_text("", encoding="utf-8")
    assert programme_name_for_folder(named) == "X"
    assert programme_name_for_folder(FIXTURES / "messy" / "kommunalvalg_2025") == (
        "Kommunalprogram for Sydhavn & Omegn"
    )
    assert (
        programme_name_for_folder(FIXTURES / "messy" / "kommunalvalg_2025" / "børn-og-unge")
        == "Børn og unge"
    )


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        (b"name: [\n", "proposal_file.bad_programme_file", 2),
        (b"\n- a\n", "proposal_file.bad_programme_file", 2),
        (b"name: Gr\xf8n\n", "import_not_utf8", 1),
    ],
)
def test_bad_programme_file(tmp_path: Path, content: bytes, code: str, line: int) -> None:
    (tmp_path / "programme.yaml").write_bytes(content)
    with pytest.raises(UserError) as info:
        programme_name_for_folder(tmp_path)
    assert (info.value.code, info.value.params["line"]) == (code, line)
    assert str(tmp_path / "programme.yaml") in info.value.message("da")


def test_new_messages_exist_in_both_languages() -> None:
    for key in ("proposal_file.empty_amendment_title", "proposal_file.bad_programme_file"):
        assert has_message(key)
        params = {"file": "f.md", "line": 3, "number": 2, "reason": "r"}
        assert translate(key, "da", **params) != translate(key, "en", **params)


# --- generated files (hypothesis) -------------------------------------------------------------

# Text a member might type on one line: anything but line breaks (YAML also breaks lines at
# NEL, LS and PS, and PyYAML's dumper writes them raw).
line_text = st.text(
    st.characters(blacklist_categories=("Cs", "Zl", "Zp"), blacklist_characters="\x85"), max_size=40
)


def clean_body(text: str) -> str:
    """What the reader promises for a body: each line sanitised, NFC, blank edges removed."""
    lines = [
        normalize(sanitize(x)) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def yaml_field(name: str, value: str) -> str:
    return yaml.safe_dump({name: value}, allow_unicode=True, width=10**6).rstrip("\n")


# Markdown-neutral lines: they start with a letter, so they never open a heading, fence,
# list, quote, HTML block or setext underline, whatever follows.
plain_line = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("abcæøåABCÆØÅzq"),
    st.text(
        st.characters(
            blacklist_categories=("Cs", "Zl", "Zp"),
            blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85",
        ),
        max_size=30,
    ),
)
plain_block = st.lists(st.one_of(plain_line, st.just("")), max_size=6).map("\n".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=line_text.filter(lambda t: sanitize_line(t) != ""),
    authors=st.lists(line_text, max_size=3),
    section=st.one_of(
        st.none(), st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}[a-c]?", fullmatch=True)
    ),
    programme=st.one_of(st.none(), line_text),
    extra=st.dictionaries(
        st.from_regex(r"[a-z]{3,8}", fullmatch=True).filter(
            lambda k: k not in {"id", "title", "programme", "section", "authors"}
        ),
        st.one_of(st.integers(), line_text, st.lists(st.integers())),
        max_size=3,
    ),
    body=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
)
def test_generated_files_round_trip(
    title: str,
    authors: list[str],
    section: str | None,
    programme: str | None,
    extra: dict[str, object],
    body: str,
) -> None:
    folded = normalize(body).casefold()
    assume("amendments" not in folded and "ændringer" not in folded)
    front = {"title": title, "authors": authors, **extra}
    if section is not None:
        front["section"] = section
    if programme is not None:
        front["programme"] = programme
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    p = parse(text, default_programme="Standard")
    assert p.title == normalize(sanitize_line(title))
    assert p.authors == tuple(a for a in (normalize(sanitize_line(x)) for x in authors) if a)
    assert p.section == section
    expected_programme = normalize(sanitize_line(programme)) if programme is not None else ""
    assert p.programme == (expected_programme or "Standard")
    assert p.body == clean_body(body)
    assert p.amendments == ()


@settings(max_examples=100, deadline=None)
@given(
    title=line_text.filter(lambda t: sanitize_line(t) != ""),
    before=plain_block,
    preamble=plain_block,
    amendments=st.lists(
        st.tuples(
            plain_line.filter(lambda t: sanitize_line(t.replace("#", "")) != ""), plain_block
        ),
        min_size=1,
        max_size=4,
    ),
    after=plain_block,
    heading=st.sampled_from(["Forslag til ændringer", "Amendments", "FORSLAG TIL ÆNDRINGER"]),
    crlf=st.booleans(),
)
def test_generated_amendments_round_trip(
    title: str,
    before: str,
    preamble: str,
    amendments: list[tuple[str, str]],
    after: str,
    heading: str,
    crlf: bool,
) -> None:
    amendments = [(t.replace("#", ""), b) for t, b in amendments]
    parts = [f"---\n{yaml_field('title', title)}\n---\n", before, f"## {heading}", preamble]
    for amendment_title, amendment_body in amendments:
        parts += [f"### {amendment_title}", amendment_body]
    parts += ["## Efter", after]
    text = "\n\n".join(parts)
    if crlf:
        text = text.replace("\n", "\r\n")
    p = parse(text)
    assert p.title == normalize(sanitize_line(title))
    assert p.amendments == tuple(
        ParsedAmendment(n, normalize(sanitize_line(t)), clean_body(b))
        for n, (t, b) in enumerate(amendments, start=1)
    )
    expected = [clean_body(x) for x in (before, preamble)] + [clean_body("## Efter\n\n" + after)]
    assert p.body == "\n\n".join(x for x in expected if x)


markdownish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "---",
                "# T",
                "## Amendments",
                "## Forslag til ændringer",
                "### A",
                "###",
                "```",
                "~~~",
                "> ## Amendments",
                "- ### x",
                "    ### y",
                "<pre>",
                "</pre>",
                "<!--",
                "-->",
                "title: x",
                "id: 'a b'",
                "section: [",
                "- a",
                "",
                "\t",
                "\ufeff",
                "\x1b]52;c;",
                "Setext",
                "======",
                "\r",
                "\u2028",
                "&",
                "*&a [*a]",
                "!!python/object:os.system",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=25,
).map("\n".join)


@settings(max_examples=100, deadline=None)
@given(markdownish)
def test_any_text_gives_a_proposal_or_a_user_error(text: str) -> None:
    try:
        p = parse(text)
    except UserError as error:
        assert has_message(error.code)
        assert error.params["file"] == "test.md"
        assert isinstance(error.params["line"], int) and error.params["line"] >= 1
        assert error.params["line"] <= text.count("\n") + text.count("\r") + 2
        return
    assert p.title and "\n" not in p.title
    assert is_valid_id(p.id)
    assert [a.number for a in p.amendments] == list(range(1, len(p.amendments) + 1))
    for part in (p.title, p.body, *p.authors, *(a.body for a in p.amendments)):
        assert "\x1b" not in part and "\r" not in part and "\u202e" not in part


# --- the sample and fixture files ------------------------------------------------------------


def _programme_of(path: Path, top: Path) -> str | None:
    return None if path.parent == top else programme_name_for_folder(path.parent)


def _md_files(top: Path) -> list[Path]:
    return sorted(p for p in top.rglob("*.md") if not p.name.startswith("."))


@pytest.mark.parametrize(
    "top",
    [ROOT / "proposals", FIXTURES / "messy", FIXTURES / "bad_duplicate"],
    ids=lambda p: p.name,
)
def test_every_sample_and_messy_file_parses(top: Path) -> None:
    files = _md_files(top)
    assert files
    for path in files:
        p = read_proposal_file(path, default_programme=_programme_of(path, top))
        assert p.title and p.body and is_valid_id(p.id), path


def test_sample_programme() -> None:
    folder = ROOT / "proposals" / "et-groennere-faellesskab"
    assert programme_name_for_folder(folder) == "Et grønnere fællesskab"
    parsed = [
        read_proposal_file(p, default_programme="Et grønnere fællesskab") for p in _md_files(folder)
    ]
    sections = [p.section for p in sorted(parsed, key=lambda p: section_sort_key(p.section))]
    assert sections[:7] == ["1", "1.1", "1.2", "2", "2.1", "3", "4"] and sections[-1] == "10"
    assert all(p.programme == "Et grønnere fællesskab" for p in parsed)
    assert sum(1 for p in parsed if p.amendments) >= 5
    assert max(len(p.body.encode()) for p in parsed) > 10_000
    assert any("|---" in p.body and "\n- " in p.body for p in parsed)
    ids = [p.id for p in parsed]
    stand_alone = [read_proposal_file(p) for p in sorted((ROOT / "proposals").glob("*.md"))]
    assert len(stand_alone) == 3 and all(p.programme is None for p in stand_alone)
    assert len(set(ids + [p.id for p in stand_alone])) == len(ids) + len(stand_alone)


def test_messy_files() -> None:
    messy = FIXTURES / "messy"
    crlf_path = messy / "Udtalelse om fair handel & told (CRLF).md"
    assert b"\r\n" in crlf_path.read_bytes()
    crlf = read_proposal_file(crlf_path)
    assert crlf.title == 'Udtalelse: "Fair handel" & told – hvad betyder det for Danmark?'
    assert crlf.authors == ('Bjørn "BJ" Frølund',) and crlf.section is None
    assert [a.title for a in crlf.amendments] == [
        'Stryg "i hele EU"',
        "Tilføj: fair trade-mærkning i offentlige indkøb",
    ]

    bom_path = messy / "vedtaegter-bom.md"
    assert bom_path.read_bytes().startswith(b"\xef\xbb\xbf")
    bom = read_proposal_file(bom_path)
    assert (bom.id, bom.title) == (
        "vedtaegter-2025-bom",
        "“Kontingent for studerende” – ændring af § 4",
    )
    assert bom.authors == ("Studenterudvalget v/ Ida Krøyer",)

    bare = read_proposal_file(messy / "Forslag uden front matter.md")
    assert bare.id == "forslag-uden-front-matter"
    assert bare.title.startswith("Lokal madpolitik") and not bare.body.startswith("#")

    ten = read_proposal_file(messy / "klimaprogram_2030" / "1.10-ti-punkter.md")
    assert ten.section == "1.10"
    assert [a.title for a in ten.amendments] == [
        "Punkt 7 udgår",
        "Tilføj punkt 11: Grøn skattereform",
    ]
    assert "#### Begrundelse (udvidet)" in ten.amendments[0].body
    assert "### Dette er et eksempel i en kodeblok" in ten.body
    assert "Indkomne forslag" in ten.body and ten.body.endswith("men en læsevejledning.")

    transcript = read_proposal_file(messy / "Transskription Politisk Forum 2025-03-08.md")
    assert len(transcript.body.encode()) > 50_000 and transcript.amendments == ()
    assert "»" in transcript.title and "&" in transcript.title

    tab = read_proposal_file(messy / "klimaprogram_2030" / "3b-tillaeg.md")
    assert "\t" in tab.body and "🚲🌍" in tab.body
    ids = [read_proposal_file(p).id for p in _md_files(messy)]
    assert len(ids) == len(set(ids))


BAD = {
    "broken-front-matter.md": ("import_bad_front_matter", 3),
    "empty-title.md": ("import_empty_title", 3),
    "not-utf8.md": ("import_not_utf8", 2),
    "front-matter-list.md": ("import_bad_front_matter", 2),
    "bad-id.md": ("import_bad_id", 2),
    "no-title.md": ("import_empty_title", 1),
    "unclosed-front-matter.md": ("import_bad_front_matter", 1),
    "bad-authors.md": ("import_bad_field", 3),
}


def test_bad_fixtures_are_all_listed() -> None:
    assert {p.name for p in _md_files(FIXTURES / "bad")} == set(BAD)


@pytest.mark.parametrize(("name", "expected"), sorted(BAD.items()))
def test_every_bad_file_fails_with_the_right_error(name: str, expected: tuple[str, int]) -> None:
    path = FIXTURES / "bad" / name
    with pytest.raises(UserError) as info:
        read_proposal_file(path)
    assert (info.value.code, info.value.params["line"]) == expected
    assert info.value.params["file"] == str(path)
    assert f"{path}:{expected[1]}:" in info.value.message("da")


def test_duplicate_pair_shares_an_id() -> None:
    a, b = (read_proposal_file(p) for p in _md_files(FIXTURES / "bad_duplicate"))
    assert a.id == b.id == "dobbelt-id" and a.content_hash != b.content_hash
