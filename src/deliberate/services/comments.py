"""Comment threads on proposals and their amendments. Every change is in the audit log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from deliberate.domain.text import normalize, sanitize, sanitize_line
from deliberate.errors import UserError
from deliberate.services import audit, counting
from deliberate.services.members import require_member
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import Comment, Member, Proposal, Role, utcnow

MAX_BODY = 10_000


@dataclass(frozen=True)
class CommentInfo:
    id: int
    proposal_id: str
    amendment_number: int | None
    parent_id: int | None
    author_handle: str
    author_name: str
    body: str  # "" once deleted
    created_at: dt.datetime
    edited_at: dt.datetime | None
    deleted: bool
    depth: int  # 0 for a top-level comment, 1 for a reply, ...


def _clean_body(body: str) -> str:
    text = sanitize(normalize(body or "")).strip()
    if not text:
        raise UserError("comments.error.empty")
    if len(text) > MAX_BODY:
        raise UserError("comments.error.too_long", limit=MAX_BODY)
    return text


def add_comment(
    db: Database,
    actor: str,
    proposal_id: str,
    body: str,
    *,
    amendment: int | None = None,
    reply_to: int | None = None,
) -> CommentInfo:
    """A new comment, on the proposal or one of its amendments, or a reply to a comment
    (a reply belongs to its parent's amendment)."""
    text = _clean_body(body)

    def work(session: Session) -> CommentInfo:
        if session.get(Proposal, proposal_id) is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
        member = require_member(session, actor)
        number = amendment
        if reply_to is not None:
            parent = session.get(Comment, reply_to)
            if parent is None or parent.proposal_id != proposal_id:
                raise UserError("comments.error.unknown_parent", id=reply_to, proposal=proposal_id)
            if parent.deleted_at is not None:
                raise UserError("comments.error.parent_deleted", id=reply_to)
            if amendment is not None and amendment != parent.amendment_number:
                raise UserError("comments.error.reply_other_amendment", id=reply_to)
            number = parent.amendment_number
        if number is not None:
            count = counting.amendment_count(session, proposal_id)
            if not 1 <= number <= count:
                key = (
                    "comments.error.amendment_out_of_range"
                    if count
                    else "comments.error.no_amendments"
                )
                raise UserError(key, number=number, count=count, proposal=proposal_id)
        comment = Comment(
            proposal_id=proposal_id,
            amendment_number=number,
            parent_id=reply_to,
            author_id=member.id,
            body=text,
            created_at=utcnow(),
        )
        session.add(comment)
        session.flush()
        audit.append(
            session,
            actor=member.handle,
            action=audit.COMMENT_ADD,
            subject=proposal_id,
            payload={
                "comment": comment.id,
                "amendment": number,
                "reply_to": reply_to,
                "body_sha256": audit.sha256_text(text),
            },
        )
        return _info(comment, member, _depth(session, comment))

    return run_write(db, work)


def edit_comment(db: Database, actor: str, comment_id: int, body: str) -> CommentInfo:
    """Change the text of one's own comment; it is shown as edited."""
    text = _clean_body(body)

    def work(session: Session) -> CommentInfo:
        comment, member = _own(session, actor, comment_id, allow_organizer=False)
        if comment.deleted_at is not None:
            raise UserError("comments.error.deleted", id=comment_id)
        if text == comment.body:
            return _info(comment, _author(session, comment), _depth(session, comment))
        comment.body = text
        comment.edited_at = utcnow()
        audit.append(
            session,
            actor=member.handle,
            action=audit.COMMENT_EDIT,
            subject=comment.proposal_id,
            payload={"comment": comment.id, "body_sha256": audit.sha256_text(text)},
        )
        session.flush()
        return _info(comment, _author(session, comment), _depth(session, comment))

    return run_write(db, work)


def delete_comment(db: Database, actor: str, comment_id: int) -> CommentInfo:
    """Soft delete: the text is hidden and the comment shown as deleted; replies remain.
    Members delete their own comments; organizers may delete any."""

    def work(session: Session) -> CommentInfo:
        comment, member = _own(session, actor, comment_id, allow_organizer=True)
        if comment.deleted_at is not None:
            raise UserError("comments.error.deleted", id=comment_id)
        comment.deleted_at = utcnow()
        audit.append(
            session,
            actor=member.handle,
            action=audit.COMMENT_DELETE,
            subject=comment.proposal_id,
            payload={"comment": comment.id},
        )
        session.flush()
        return _info(comment, _author(session, comment), _depth(session, comment))

    return run_write(db, work)


def list_comments(
    db: Database, proposal_id: str, *, amendment: int | None | EllipsisType = ...
) -> list[CommentInfo]:
    """A thread in reading order: each comment before its replies, oldest first.
    `amendment`: ... = every comment, None = the proposal's own, N = amendment N's."""
    query = (
        select(Comment, Member.handle, Member.name)
        .join(Member, Member.id == Comment.author_id)
        .where(Comment.proposal_id == proposal_id)
        .order_by(Comment.created_at, Comment.id)
    )
    if amendment is None:
        query = query.where(Comment.amendment_number.is_(None))
    elif not isinstance(amendment, EllipsisType):
        query = query.where(Comment.amendment_number == amendment)
    with db.read() as session:
        if session.get(Proposal, proposal_id) is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
        rows = session.execute(query).all()
    children: dict[int | None, list[tuple[Comment, str, str]]] = defaultdict(list)
    ids = {c.id for c, _, _ in rows}
    for comment, handle, name in rows:
        parent = comment.parent_id
        children[parent if parent in ids else None].append((comment, handle, name))
    out: list[CommentInfo] = []
    stack = [(row, 0) for row in reversed(children[None])]
    while stack:
        (comment, handle, name), depth = stack.pop()
        out.append(_make(comment, handle, name, depth))
        stack.extend((row, depth + 1) for row in reversed(children.get(comment.id, [])))
    return out


def _own(
    session: Session, actor: str, comment_id: int, *, allow_organizer: bool
) -> tuple[Comment, Member]:
    member = require_member(session, actor)
    comment = session.get(Comment, comment_id, with_for_update=True)
    if comment is None:
        raise UserError("comments.error.unknown", id=comment_id)
    if comment.author_id != member.id and not (allow_organizer and member.role == Role.ORGANIZER):
        raise UserError("comments.error.not_yours", id=comment_id)
    return comment, member


def _author(session: Session, comment: Comment) -> Member:
    author = session.get(Member, comment.author_id)
    assert author is not None
    return author


def _depth(session: Session, comment: Comment) -> int:
    depth, parent = 0, comment.parent_id
    while parent is not None:
        depth += 1
        parent = session.scalar(select(Comment.parent_id).where(Comment.id == parent))
    return depth


def _info(comment: Comment, author: Member, depth: int) -> CommentInfo:
    return _make(comment, author.handle, author.name, depth)


def _make(comment: Comment, handle: str, name: str, depth: int) -> CommentInfo:
    deleted = comment.deleted_at is not None
    return CommentInfo(
        id=comment.id,
        proposal_id=comment.proposal_id,
        amendment_number=comment.amendment_number,
        parent_id=comment.parent_id,
        author_handle=handle,
        author_name=name,
        body="" if deleted else sanitize(comment.body),
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        deleted=deleted,
        depth=depth,
    )
