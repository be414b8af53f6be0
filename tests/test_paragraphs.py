"""Paragraph numbering, paragraph changes and word diffs (domain/paragraphs.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deliberate.domain.paragraphs import (
    DiffOp,
    ParagraphChange,
    ParagraphError,
    ParagraphOp,
    apply_changes,
    render_git_words,
    split_paragraphs,
    word_diff,
)

BODY = """# Overskrift

Første afsnit
over to linjer.

- punkt et
- punkt to

| a | b |
|---|---|
| 1 | 2 |

Sidste afsnit."""


def test_paragraphs_are_top_level_blocks_and_list_items() -> None:
    texts = [p.text for p in split_paragraphs(BODY)]
    assert texts == [
        "# Overskrift",
        "Første afsnit\nover to linjer.",
        "- punkt et",
        "- punkt to",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "Sidste afsnit.",
    ]
    assert [p.number for p in split_paragraphs(BODY)] == [1, 2, 3, 4, 5, 6]


def test_replace_insert_delete() -> None:
    out = apply_changes(
        BODY,
        [
            ParagraphChange(2, ParagraphOp.REPLACE, "Nyt første afsnit."),
            ParagraphChange(3, ParagraphOp.INSERT_AFTER, "- punkt halvanden"),
            ParagraphChange(6, ParagraphOp.DELETE),
        ],
    )
    assert [p.text for p in split_paragraphs(out)] == [
        "# Overskrift",
        "Nyt første afsnit.",
        "- punkt et",
        "- punkt halvanden",
        "- punkt to",
        "| a | b |\n|---|---|\n| 1 | 2 |",
    ]


def test_inserts_after_one_paragraph_keep_their_order() -> None:
    out = apply_changes(
        "A\n\nB",
        [
            ParagraphChange(1, ParagraphOp.INSERT_AFTER, "Y", order=2),
            ParagraphChange(1, ParagraphOp.INSERT_AFTER, "X", order=1),
        ],
    )
    assert out == "A\n\nX\n\nY\n\nB"


def test_refuses_unknown_paragraph_and_double_replacement() -> None:
    import pytest

    with pytest.raises(ParagraphError):
        apply_changes("A\n\nB", [ParagraphChange(3, ParagraphOp.DELETE)])
    with pytest.raises(ParagraphError):
        apply_changes(
            "A\n\nB",
            [
                ParagraphChange(1, ParagraphOp.REPLACE, "x"),
                ParagraphChange(1, ParagraphOp.DELETE),
            ],
        )


def test_word_diff_marks_changes() -> None:
    parts = word_diff(
        "Vi vil styrke den lokale indsats.", "Vi vil fordoble den frivillige indsats."
    )
    assert render_git_words(parts) == (
        "Vi vil [-styrke-]{+fordoble+} den [-lokale-]{+frivillige+} indsats."
    )
    assert {p.op for p in parts} == {DiffOp.EQUAL, DiffOp.DELETE, DiffOp.INSERT}


words = st.text(alphabet="abcæøå ", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(
    paras=st.lists(words, min_size=1, max_size=8),
    data=st.data(),
)
def test_untouched_paragraphs_are_never_lost_or_duplicated(paras: list[str], data) -> None:
    body = "\n\n".join(f"P{i} {t}" for i, t in enumerate(paras))
    n = len(split_paragraphs(body))
    assert n == len(paras)
    touched = data.draw(st.sets(st.integers(1, n), max_size=n))
    changes = []
    for k in sorted(touched):
        op = data.draw(st.sampled_from(list(ParagraphOp)))
        changes.append(ParagraphChange(k, op, f"NEW{k}"))
    out = [p.text for p in split_paragraphs(apply_changes(body, changes))]
    for i, t in enumerate(paras, start=1):
        original = f"P{i - 1} {t}"
        expected = (
            0
            if i in touched and changes[sorted(touched).index(i)].op is not ParagraphOp.INSERT_AFTER
            else 1
        )
        assert out.count(original) == expected
