"""Reading proposal files (DESIGN §3): Markdown with YAML front matter, amendments under
`## Forslag til ændringer`. Pure: no database, no textual.

All text is untrusted (DESIGN §6): it is sanitised line by line (so a stray escape sequence
cannot swallow the rest of a file or shift line numbers) and NFC-normalised.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from deliberate.domain.text import normalize, sanitize, sanitize_line
from deliberate.errors import UserError

AMENDMENT_HEADINGS = frozenset({"forslag til ændringer", "amendments"})
MAX_ID_LENGTH = 120
MAX_SECTION_LENGTH = 40
MAX_SECTION_KEY_LENGTH = 200  # the store's column width
_HASH_VERSION = "deliberate-proposal-v1"

_ID_RE = re.compile(r"[^\W_][\w.\-]*")  # starts with a letter or digit: "-x" reads as an option
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class ParsedAmendment:
    number: int
    title: str
    body: str  # as written in the file (the content hash covers it)
    paragraph: int | None = None  # a paragraph change (docs/proposals.md), else free text
    operation: str | None = None  # domain.paragraphs.ParagraphOp value
    new_text: str = ""
    justification: str = ""


# A paragraph amendment in a file: its first line names the paragraph and the change, e.g.
# "Afsnit 3: erstat" / "Paragraph 3: replace", "insert after", "delete"; the text below is
# the new paragraph, a line "Begrundelse:" / "Justification:" starts the reason.
_PARAGRAPH_LINE = re.compile(
    r"(?:afsnit|paragraph)\s+(\d{1,5})\s*:\s*"
    r"(erstat|erstattes|replace|indsæt efter|insert after|slet|slettes|delete)\s*\.?",
    re.IGNORECASE,
)
_OPERATIONS = {
    "erstat": "replace",
    "erstattes": "replace",
    "replace": "replace",
    "indsæt efter": "insert_after",
    "insert after": "insert_after",
    "slet": "delete",
    "slettes": "delete",
    "delete": "delete",
}
_REASON_LINE = re.compile(r"(?:begrundelse|justification)\s*:\s*(.*)", re.IGNORECASE)


def parse_amendment_text(number: int, title: str, text: str) -> ParsedAmendment:
    """A free-text amendment, or a paragraph change when its first line says so."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    match = _PARAGRAPH_LINE.fullmatch(lines[first].strip()) if first is not None else None
    if match is None or first is None:
        return ParsedAmendment(number, title, text)
    rest = lines[first + 1 :]
    reason_at = next(
        (i for i, line in enumerate(rest) if _REASON_LINE.fullmatch(line.strip())), None
    )
    justification = ""
    if reason_at is not None:
        head = _REASON_LINE.fullmatch(rest[reason_at].strip())
        assert head is not None
        justification = "\n".join([head.group(1), *rest[reason_at + 1 :]]).strip()
        rest = rest[:reason_at]
    return ParsedAmendment(
        number,
        title,
        text,
        paragraph=int(match.group(1)),
        operation=_OPERATIONS[match.group(2).lower()],
        new_text="\n".join(_strip_blank_lines(rest)),
        justification=justification,
    )


@dataclass(frozen=True)
class ParsedProposal:
    id: str
    title: str
    programme: str | None
    section: str | None
    authors: tuple[str, ...]
    body: str
    amendments: tuple[ParsedAmendment, ...]
    content_hash: str
    source: str


@dataclass(frozen=True)
class ProgrammeInfo:
    name: str
    description: str | None


# ---------------------------------------------------------------------------------------------
# Cleaning


def _clean(text: str) -> str:
    """Sanitise each line on its own and NFC-normalise; line breaks become '\\n'."""
    text = _SURROGATE_RE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(normalize(sanitize(line)) for line in text.split("\n"))


def _clean_line(text: str) -> str:
    return normalize(sanitize_line(_SURROGATE_RE.sub("\ufffd", text)))


def _strip_blank_lines(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _join_blocks(blocks: list[list[str]]) -> str:
    """Join pieces of Markdown with one blank line between them, so none run together."""
    kept = [b for b in (_strip_blank_lines(b) for b in blocks) if b]
    return "\n\n".join("\n".join(b) for b in kept)


# ---------------------------------------------------------------------------------------------
# Names, ids and sort keys


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slugify(text: str, *, max_length: int = MAX_ID_LENGTH) -> str:
    """Lower-case ASCII slug: 'Grøn omstilling på Ærø' -> 'groen-omstilling-paa-aeroe'."""
    text = unicodedata.normalize("NFKC", _SURROGATE_RE.sub("", text)).casefold().translate(_DANISH)
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).translate(_DANISH)  # 'ǿ' decomposes to 'ø'
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].strip("-")
    if not slug and any(c.isalnum() for c in text):
        # Only letters no ASCII spelling covers (Greek, Arabic digits, ...): stable, non-empty.
        slug = "x-" + hashlib.sha256(normalize(text).encode()).hexdigest()[:10]
    return slug


def default_id_for(path: PurePath) -> str:
    """The id a file gets without `id:` in its front matter: the slug of its name."""
    stem = path.stem.encode("utf-8", "surrogateescape")
    return slugify(path.stem) or "forslag-" + hashlib.sha256(stem).hexdigest()[:10]


def is_valid_id(value: str) -> bool:
    """Letters, digits, '.', '_', '-'; 1..120 characters; starts with a letter or digit."""
    return 0 < len(value) <= MAX_ID_LENGTH and _ID_RE.fullmatch(value) is not None


# Danish alphabetical order: æ, ø, å come after z.
_SORT_POINTS = {"æ": ord("z") + 1, "ø": ord("z") + 2, "å": ord("z") + 3}


def _sort_char(c: str) -> str:
    """Order-preserving, prefix-free code of one character, in digits."""
    point = _SORT_POINTS.get(c, ord(c))
    if point < 100:
        return f"1{point:02d}"
    if point < 10_000:
        return f"2{point:04d}"
    return f"3{point:07d}"


def section_sort_key(section: str | None) -> str:
    """A key that sorts sections numerically as plain strings: 1 < 1.1 < 1.2 < 1.10 < 2 < 10.

    Only digits, so any SQL collation (byte-wise, da_DK, en_US) orders it the same way.
    Parts are split on '.'; inside a part, digit runs compare as numbers ('1' + length +
    digits) and other text after them ('2' + characters + '0'), so 3 < 3.1 < 3b < 4 and
    'A' comes after every number. Parts are joined by '0'; a missing section sorts last ('9').
    """
    if section is None or not section.strip():
        return "9"
    parts: list[str] = []
    for part in normalize(section).strip().casefold().split("."):
        runs: list[str] = []
        for run in re.findall(r"[0-9]+|[^0-9]+", part):
            if run[0].isascii() and run[0].isdigit():
                digits = (run.lstrip("0") or "0")[:99]
                runs.append(f"1{len(digits):02d}{digits}")
            else:
                runs.append("2" + "".join(_sort_char(c) for c in run) + "0")
        parts.append("".join(runs))
    return "0".join(parts)[:MAX_SECTION_KEY_LENGTH]


# ---------------------------------------------------------------------------------------------
# YAML (front matter and programme.yaml)


def _compose_mapping(
    text: str, *, file: str, first_line: int, error: str = "import_bad_front_matter"
) -> yaml.MappingNode | None:
    """The YAML node tree of `text` (its first line is `first_line` of the file), or None
    when empty. Nodes, not constructed values: they keep line numbers and the raw text of
    scalars (`section: 1.10` stays '1.10', `title: Nej` stays 'Nej')."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if isinstance(node, yaml.MappingNode):
            loader.flatten_mapping(node)  # resolve '<<' merge keys
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (mark is None or mark.index >= len(text)):
            mark = exc.context_mark  # an unclosed quote: point at where it opened
        line = first_line + (mark.line if mark else 0)
        reason = ": ".join(part for part in (exc.context, exc.problem) if part) or "YAML error"
        raise UserError(error, file=file, line=line, reason=_clean_line(reason)) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", 0)
        line = first_line + text[:position].count("\n")
        raise UserError(
            error, file=file, line=line, reason="character not allowed in YAML"
        ) from None
    except RecursionError:
        raise UserError(error, file=file, line=first_line, reason="nested too deeply") from None
    finally:
        loader.dispose()
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        return None
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "plain text"
        raise UserError(
            error,
            file=file,
            line=first_line + node.start_mark.line,
            reason=f"expected fields (name: value), got {kind}",
        )
    return node


@dataclass(frozen=True)
class _Field:
    name: str
    node: yaml.Node
    line: int  # in the file


def _fields(node: yaml.MappingNode | None, first_line: int) -> dict[str, _Field]:
    """Top-level fields by name (last one wins, as in YAML loaders); other keys are ignored."""
    found: dict[str, _Field] = {}
    for key, value in node.value if node else []:
        if isinstance(key, yaml.ScalarNode):
            found[key.value] = _Field(key.value, value, first_line + key.start_mark.line)
    return found


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _text_field(field: _Field | None, file: str) -> str | None:
    """A single-line text field; None when absent, null or empty."""
    if field is None or _is_null(field.node):
        return None
    if not isinstance(field.node, yaml.ScalarNode):
        raise UserError(
            "import_bad_field", file=file, line=field.line, field=field.name, reason="expected text"
        )
    return _clean_line(field.node.value) or None


def _authors_field(field: _Field | None, file: str) -> tuple[str, ...]:
    if field is None or _is_null(field.node):
        return ()
    items = [field.node] if isinstance(field.node, yaml.ScalarNode) else field.node.value
    if isinstance(field.node, yaml.MappingNode) or not all(
        isinstance(item, yaml.ScalarNode) for item in items
    ):
        raise UserError(
            "import_bad_field",
            file=file,
            line=field.line,
            field=field.name,
            reason="expected a name or a list of names",
        )
    names = (_clean_line(item.value) for item in items if not _is_null(item))
    return tuple(name for name in names if name)


# ---------------------------------------------------------------------------------------------
# Markdown


_MARKDOWN = MarkdownIt("commonmark")


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str  # inline source, sanitised, one line
    start: int  # line index in the body, 0-based
    end: int  # line index after the heading


def _headings(tokens: list[Token]) -> list[_Heading]:
    """Top-level headings only: not inside code, quotes or lists."""
    found: list[_Heading] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            inline = tokens[i + 1].content if i + 1 < len(tokens) else ""
            found.append(_Heading(int(token.tag[1]), _clean_line(inline), *token.map))
    return found


def _is_amendments_heading(heading: _Heading) -> bool:
    return heading.level == 2 and heading.text.rstrip(":").strip().casefold() in AMENDMENT_HEADINGS


def _split_amendments(
    lines: list[str], headings: list[_Heading], *, file: str, line_offset: int
) -> tuple[str, tuple[ParsedAmendment, ...]]:
    """Body text and amendments. The amendments heading and its level-3 sections leave the
    body; text before the first level-3 heading and after the section stays."""
    start = next((i for i, h in enumerate(headings) if _is_amendments_heading(h)), None)
    if start is None:
        return _join_blocks([lines]), ()
    section_end = next((h.start for h in headings[start + 1 :] if h.level <= 2), len(lines))
    inside = [h for h in headings[start + 1 :] if h.level == 3 and h.start < section_end]
    if not inside:  # a heading with nothing under it is just text
        return _join_blocks([lines]), ()
    heading = headings[start]
    amendments: list[ParsedAmendment] = []
    for number, h in enumerate(inside, start=1):
        if not h.text:
            raise UserError(
                "proposal_file.empty_amendment_title",
                file=file,
                line=line_offset + h.start,
                number=number,
            )
        end = inside[number].start if number < len(inside) else section_end
        amendment = parse_amendment_text(
            number, h.text, "\n".join(_strip_blank_lines(lines[h.end : end]))
        )
        _check_paragraph_amendment(amendment, file=file, line=line_offset + h.start)
        amendments.append(amendment)
    body = _join_blocks(
        [lines[: heading.start], lines[heading.end : inside[0].start], lines[section_end:]]
    )
    return body, tuple(amendments)


def _check_paragraph_amendment(a: ParsedAmendment, *, file: str, line: int) -> None:
    if a.paragraph is None:
        return
    if a.paragraph < 1 or (a.operation != "delete" and not a.new_text.strip()):
        raise UserError(
            "proposal_file.bad_paragraph_amendment", file=file, line=line, number=a.number
        )


# ---------------------------------------------------------------------------------------------
# Proposals


def _split_front_matter(lines: list[str], file: str) -> tuple[list[str] | None, int]:
    """Front matter lines (None without front matter) and the index of the body's first line."""
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return lines[1:i], i + 1
    raise UserError("import_bad_front_matter", file=file, line=1, reason="no closing '---' line")


def compute_content_hash(
    *,
    id: str,
    title: str,
    programme: str | None,
    section: str | None,
    authors: tuple[str, ...],
    body: str,
    amendments: tuple[ParsedAmendment, ...],
) -> str:
    """SHA-256 of a canonical JSON form (text is already '\\n'-only and NFC)."""
    canonical = json.dumps(
        {
            "id": id,
            "title": title,
            "programme": programme,
            "section": section,
            "authors": list(authors),
            "body": body,
            "amendments": [[a.number, a.title, a.body] for a in amendments],
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{_HASH_VERSION}\n{canonical}".encode()).hexdigest()


def parse_proposal(
    text: str, *, source: str, default_id: str, default_programme: str | None = None
) -> ParsedProposal:
    """Parse one proposal file's text. Bad input raises UserError with the file and line.

    `source` names the file in errors; `default_id` is used without `id:` (`default_id_for`)."""
    lines = _clean(text.removeprefix("\ufeff")).split("\n")
    front, body_start = _split_front_matter(lines, source)
    node = _compose_mapping("\n".join(front), file=source, first_line=2) if front else None
    fields = _fields(node, first_line=2)

    proposal_id = default_id
    id_field = fields.get("id")
    if id_field is not None and not _is_null(id_field.node):
        raw = id_field.node.value if isinstance(id_field.node, yaml.ScalarNode) else ""
        proposal_id = normalize(raw.strip())
        if not is_valid_id(proposal_id):
            raise UserError(
                "import_bad_id", file=source, line=id_field.line, id=_clean_line(proposal_id)
            )
    elif not is_valid_id(default_id):
        raise UserError("import_bad_id", file=source, line=1, id=_clean_line(default_id))

    section = _text_field(fields.get("section"), source)
    if section is not None and len(section) > MAX_SECTION_LENGTH:
        raise UserError(
            "import_bad_field",
            file=source,
            line=fields["section"].line,
            field="section",
            reason=f"longer than {MAX_SECTION_LENGTH} characters",
        )
    programme = _text_field(fields.get("programme"), source)
    if programme is None and default_programme:
        programme = _clean_line(default_programme) or None
    authors = _authors_field(fields.get("authors"), source)

    body_lines = lines[body_start:]
    tokens = _MARKDOWN.parse("\n".join(body_lines))
    headings = _headings(tokens)
    title_field = fields.get("title")
    if title_field is not None:
        title = _text_field(title_field, source)
        if not title:
            raise UserError("import_empty_title", file=source, line=title_field.line)
    else:
        # No title field: the file must open with '# Title', which leaves the body.
        first = next((t for t in tokens if t.level == 0 and t.map), None)
        heading = headings[0] if headings else None
        start = first.map[0] if first is not None and first.map else 0
        if first is None or heading is None or start != heading.start or heading.level != 1:
            line = body_start + 1 + start
            raise UserError("import_empty_title", file=source, line=line)
        if not heading.text:
            raise UserError("import_empty_title", file=source, line=body_start + 1 + heading.start)
        title = heading.text
        body_lines = [""] * heading.end + body_lines[heading.end :]  # keep line indices

    body, amendments = _split_amendments(
        body_lines, headings, file=source, line_offset=body_start + 1
    )
    if any(a.paragraph is not None for a in amendments):
        from deliberate.domain.paragraphs import split_paragraphs

        count = len(split_paragraphs(body))
        for a in amendments:
            if a.paragraph is not None and a.paragraph > count:
                raise UserError(
                    "proposal_file.no_paragraph",
                    file=source,
                    number=a.number,
                    paragraph=a.paragraph,
                    count=count,
                )
    return ParsedProposal(
        id=proposal_id,
        title=title,
        programme=programme,
        section=section,
        authors=authors,
        body=body,
        amendments=amendments,
        content_hash=compute_content_hash(
            id=proposal_id,
            title=title,
            programme=programme,
            section=section,
            authors=authors,
            body=body,
            amendments=amendments,
        ),
        source=source,
    )


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (a BOM is fine); anything else is refused with the line of the first bad byte."""
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data.removeprefix(b"\xef\xbb\xbf")[: exc.start].decode("utf-8")
        line = good.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        raise UserError("import_not_utf8", file=file, line=line) from None


# ---------------------------------------------------------------------------------------------
# Programmes


def parse_programme_info(text: str, *, file: str, fallback: str) -> ProgrammeInfo:
    """The text of a `programme.yaml` (`name:`, optional `description:`); `fallback` names a
    programme whose file gives no name."""
    text = _clean(text)
    fields = _fields(
        _compose_mapping(text, file=file, first_line=1, error="proposal_file.bad_programme_file"),
        first_line=1,
    )
    name = _text_field(fields.get("name"), file) or fallback
    description_field = fields.get("description")
    description = None
    if description_field is not None and isinstance(description_field.node, yaml.ScalarNode):
        description = "\n".join(
            _strip_blank_lines(_clean(description_field.node.value).split("\n"))
        )
    return ProgrammeInfo(name, description or None)


def folder_title(folder_name: str) -> str:
    """A programme name from a folder's name: "et-nyt_vi" -> "Et nyt vi"."""
    name = _clean_line(folder_name.replace("-", " ").replace("_", " "))
    return name[:1].upper() + name[1:]
