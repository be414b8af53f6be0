"""Comment threads: replies, amendments, edits, soft deletes, and refusals that write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from deliberate.errors import UserError
from deliberate.services import audit, comments
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, Comment
from voting_harness import FACILITATOR, make_forum


@pytest.fixture
def forum(any_db: Database) -> Database:
    make_forum(any_db, voters=4, proposals={"p": 2, "q": 0})
    return any_db


def counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Comment)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_threads_come_in_reading_order_with_depth(forum: Database) -> None:
    a = comments.add_comment(forum, "v000", "p", "Første indlæg")
    b = comments.add_comment(forum, "v001", "p", "Om ændring 2", amendment=2)
    a1 = comments.add_comment(forum, "v002", "p", "Svar på første", reply_to=a.id)
    c = comments.add_comment(forum, "v003", "p", "Andet indlæg")
    a11 = comments.add_comment(forum, "v000", "p", "Svar på svaret", reply_to=a1.id)
    b1 = comments.add_comment(forum, FACILITATOR, "p", "Svar om ændring 2", reply_to=b.id)
    assert b1.amendment_number == 2 and a11.depth == 2
    everything = comments.list_comments(forum, "p")
    assert [(x.id, x.depth) for x in everything] == [
        (a.id, 0),
        (a1.id, 1),
        (a11.id, 2),
        (b.id, 0),
        (b1.id, 1),
        (c.id, 0),
    ]
    assert [x.id for x in comments.list_comments(forum, "p", amendment=None)] == [
        a.id,
        a1.id,
        a11.id,
        c.id,
    ]
    assert [x.id for x in comments.list_comments(forum, "p", amendment=2)] == [b.id, b1.id]
    assert comments.list_comments(forum, "p", amendment=1) == []
    assert everything[0].author_name == "Vælger v000" and everything[0].author_handle == "v000"
    assert audit.verify(forum).ok


def test_edit_own_comment_and_delete_softly(forum: Database) -> None:
    a = comments.add_comment(forum, "v000", "p", "Førstt")
    reply = comments.add_comment(forum, "v001", "p", "Svar", reply_to=a.id)
    edited = comments.edit_comment(forum, "v000", a.id, "Først")
    assert edited.body == "Først" and edited.edited_at is not None
    gone = comments.delete_comment(forum, "v000", a.id)
    assert gone.deleted and gone.body == ""
    thread = comments.list_comments(forum, "p")
    assert [(x.id, x.deleted, x.body) for x in thread] == [
        (a.id, True, ""),
        (reply.id, False, "Svar"),
    ]
    # An organizer may delete anyone's comment.
    assert comments.delete_comment(forum, "arrangoer", reply.id).deleted
    actions = [e.action for e in audit.entries(forum)]
    assert actions == [
        "comment_add",
        "comment_add",
        "comment_edit",
        "comment_delete",
        "comment_delete",
    ]
    assert audit.verify(forum).ok


def test_untrusted_text_is_sanitised(forum: Database) -> None:
    evil = "Klik \x1b]52;c;ZXZpbA==\x07her \u202eevil\x1b[31m rød\x1b[0m [@click=app.quit]"
    c = comments.add_comment(forum, "v000", "p", evil)
    assert "\x1b" not in c.body and "\u202e" not in c.body and "]52" not in c.body
    assert "[@click=app.quit]" in c.body  # harmless as text; the TUI renders it as Text


REFUSALS = [
    (
        "empty",
        lambda db, ids: comments.add_comment(db, "v000", "p", " \n\x1b[0m "),
        "comments.error.empty",
    ),
    (
        "too long",
        lambda db, ids: comments.add_comment(db, "v000", "p", "x" * 10_001),
        "comments.error.too_long",
    ),
    (
        "unknown proposal",
        lambda db, ids: comments.add_comment(db, "v000", "nope", "Hej"),
        "unknown_proposal",
    ),
    (
        "unknown member",
        lambda db, ids: comments.add_comment(db, "nobody", "p", "Hej"),
        "unknown_member",
    ),
    (
        "amendment out of range",
        lambda db, ids: comments.add_comment(db, "v000", "p", "Hej", amendment=3),
        "comments.error.amendment_out_of_range",
    ),
    (
        "no amendments",
        lambda db, ids: comments.add_comment(db, "v000", "q", "Hej", amendment=1),
        "comments.error.no_amendments",
    ),
    (
        "reply to unknown",
        lambda db, ids: comments.add_comment(db, "v000", "p", "Hej", reply_to=999),
        "comments.error.unknown_parent",
    ),
    (
        "reply across proposals",
        lambda db, ids: comments.add_comment(db, "v000", "q", "Hej", reply_to=ids[0]),
        "comments.error.unknown_parent",
    ),
    (
        "reply on another amendment",
        lambda db, ids: comments.add_comment(db, "v000", "p", "Hej", amendment=1, reply_to=ids[0]),
        "comments.error.reply_other_amendment",
    ),
    (
        "reply to a deleted comment",
        lambda db, ids: comments.add_comment(db, "v000", "p", "Hej", reply_to=ids[1]),
        "comments.error.parent_deleted",
    ),
    (
        "edit someone else's",
        lambda db, ids: comments.edit_comment(db, "v001", ids[0], "Hej"),
        "comments.error.not_yours",
    ),
    (
        "organizer edits someone else's",
        lambda db, ids: comments.edit_comment(db, "arrangoer", ids[0], "Hej"),
        "comments.error.not_yours",
    ),
    (
        "edit unknown",
        lambda db, ids: comments.edit_comment(db, "v000", 999, "Hej"),
        "comments.error.unknown",
    ),
    (
        "edit deleted",
        lambda db, ids: comments.edit_comment(db, "v000", ids[1], "Hej"),
        "comments.error.deleted",
    ),
    (
        "delete someone else's",
        lambda db, ids: comments.delete_comment(db, FACILITATOR, ids[0]),
        "comments.error.not_yours",
    ),
    (
        "delete twice",
        lambda db, ids: comments.delete_comment(db, "v000", ids[1]),
        "comments.error.deleted",
    ),
    (
        "list unknown proposal",
        lambda db, ids: comments.list_comments(db, "nope"),
        "unknown_proposal",
    ),
]


def refusal_thread(db: Database) -> tuple[int, int]:
    make_forum(db, voters=4, proposals={"p": 2, "q": 0})
    kept = comments.add_comment(db, "v000", "p", "Bliver")
    deleted = comments.add_comment(db, "v000", "p", "Slettes")
    comments.delete_comment(db, "v000", deleted.id)
    return kept.id, deleted.id


def check_refusal(db: Database, ids: tuple[int, int], name: str, action, code: str) -> None:  # type: ignore[no-untyped-def]
    before = counts(db)
    with pytest.raises(UserError) as err:
        action(db, ids)
    assert err.value.code == code, name
    assert "\n" not in err.value.message("da")
    assert counts(db) == before, name
    assert comments.list_comments(db, "p")[0].body == "Bliver"


@pytest.mark.parametrize(("name", "action", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_write_nothing(sqlite_db: Database, name: str, action, code: str) -> None:  # type: ignore[no-untyped-def]
    check_refusal(sqlite_db, refusal_thread(sqlite_db), name, action, code)


@pytest.mark.postgres
def test_refusals_write_nothing_on_postgres(pg_db: Database) -> None:
    ids = refusal_thread(pg_db)
    for refusal in REFUSALS:
        check_refusal(pg_db, ids, *refusal)
