"""The complete forum as one JSON document (format `deliberate-forum`, docs/exports.md).

It streams: one read snapshot, rows fetched in batches and written as they come, so memory
does not grow with the number of ballots. `json_load` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

import deliberate
from deliberate.services import audit, counting
from deliberate.services.export.progress import NO_PROGRESS, Progress
from deliberate.services.export.results import results_in
from deliberate.services.export.snapshot import STREAM, snapshot
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    Amendment,
    Attendance,
    AuditEntry,
    AuditHead,
    Comment,
    ForumSetting,
    Meeting,
    Member,
    Programme,
    Proposal,
    ProposalStatus,
    Proxy,
    SecretBallot,
    SecretParticipation,
    SpeakerRequest,
    Supporter,
    Tally,
    Vote,
    VoteHistory,
)

FORMAT = "deliberate-forum"
VERSION = 1


@dataclass(frozen=True)
class ExportSummary:
    members: int
    proposals: int
    votes: int
    audit_entries: int
    audit_head: tuple[int, str]


# ------------------------------------------------------------------------------------ values


def iso(moment: dt.datetime | None) -> str | None:
    """UTC ISO 8601 with microseconds: exact enough to restore audit hashes."""
    return None if moment is None else moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _numbers(csv_numbers: str | None) -> list[int]:
    return [int(n) for n in (csv_numbers or "").split(",") if n]


def _json_text(value: str | None, default: Any) -> Any:
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return value  # not JSON after all: keep the text as it is


# Escaped as \uXXXX (the data stays exact): < > & so the file is inert even if served as HTML;
# DEL, C1 controls, bidi overrides and line separators so it is inert in a terminal or a script.
_INERT = str.maketrans(
    {
        c: f"\\u{ord(c):04x}"
        for c in "<>&\x7f\u2028\u2029\u061c\u200e\u200f"
        + "".join(map(chr, range(0x80, 0xA0)))
        + "".join(map(chr, range(0x202A, 0x202F)))
        + "".join(map(chr, range(0x2066, 0x206A)))
    }
)


_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _INERT))) + "]")

# One encoder for the whole export (json.dumps with options builds one per call).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept, with the characters above escaped (json escapes C0 itself)."""
    return _ENCODE(value).translate(_INERT)


# ------------------------------------------------------------------------------------ export


def export_forum(
    db: Database,
    out: IO[str],
    *,
    lang: str = "da",
    progress: Progress = NO_PROGRESS,
    now: dt.datetime | None = None,
) -> ExportSummary:
    """Write the complete forum to `out` as it stands in one snapshot."""
    exported_at = now or dt.datetime.now(dt.UTC)
    with snapshot(db) as session:
        head = session.execute(select(AuditHead.seq, AuditHead.hash)).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, audit.GENESIS)
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Vote, VoteHistory, Comment, AuditEntry)
        }
        w = _Writer(out)
        w.value("format", FORMAT)
        w.value("version", VERSION)
        w.value("exported_at", iso(exported_at))
        w.value("generator", {"name": "deliberate", "version": deliberate.__version__})
        w.value("schema_revision", _revision(session))
        w.value("audit_head", {"seq": head_seq, "hash": head_hash})
        n_members = w.array("members", _members(session))
        w.array("programmes", _programmes(session))
        n_proposals = w.array("proposals", _proposals(session))
        w.array("supporters", _supporters(session))
        w.array("forum_settings", _forum_settings(session))
        w.array("results", (r.as_json(lang) for r in results_in(session)))
        w.array("tallies", _tallies(session))
        w.array("meetings", _meetings(session))
        w.array("agenda_items", _agenda_items(session))
        w.array("speaker_requests", _speaker_requests(session))
        w.array("attendance", _attendance(session))
        w.array("proxies", _proxies(session))
        w.array("secret_participations", _participations(session))
        w.array("secret_ballots", _secret_ballots(session))
        total = sum(counts.values())
        progress.start("JSON", total)
        n_votes = w.array("votes", _votes(session), progress)
        w.array("vote_history", _history(session), progress)
        w.array("comments", _comments(session), progress)
        n_audit = w.array("audit_log", _audit_log(session), progress)
        w.close()
        progress.finish()
    return ExportSummary(n_members, n_proposals, n_votes, n_audit, (head_seq, head_hash))


def _revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


class _Writer:
    """Writes one JSON object key by key; arrays one element per line, as they come."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.first = True
        out.write("{")

    def _key(self, key: str) -> None:
        self.out.write("\n" if self.first else ",\n")
        self.first = False
        self.out.write(f"{dumps(key)}: ")

    def value(self, key: str, value: Any) -> None:
        self._key(key)
        self.out.write(dumps(value))

    def array(
        self, key: str, items: Iterable[Mapping[str, Any]], progress: Progress = NO_PROGRESS
    ) -> int:
        """One element per line; elements are encoded one by one but escaped and written a
        thousand at a time (the escaping is per character, so the text is the same)."""
        self._key(key)
        n = 0
        batch: list[str] = []
        for item in items:
            batch.append(_ENCODE(item))
            if len(batch) == 1000:
                n = self._elements(batch, n, progress)
        n = self._elements(batch, n, progress)
        self.out.write("[]" if n == 0 else "\n]")
        return n

    def _elements(self, batch: list[str], n: int, progress: Progress) -> int:
        if batch:
            text = ",\n  ".join(batch)
            if _NEEDS_ESCAPE.search(text):  # rare: translating a long text is slow
                text = text.translate(_INERT)
            self.out.write(("[\n  " if n == 0 else ",\n  ") + text)
            progress.advance(len(batch))
            n += len(batch)
            batch.clear()
        return n

    def close(self) -> None:
        self.out.write("\n}\n")


def _stream(session: Session, query: Any) -> Iterator[Any]:
    """Plain Core rows in batches (no ORM result machinery), inside the export's snapshot."""
    yield from session.connection().execute(query, execution_options=STREAM)


def _members(session: Session) -> Iterator[dict[str, Any]]:
    for m in _stream(session, select(Member.__table__).order_by(Member.id)):
        yield {
            "id": m.id,
            "handle": m.handle,
            "name": m.name,
            "role": m.role,
            "can_vote": bool(m.can_vote),
            "active": bool(m.active),
            "created_at": iso(m.created_at),
            "deactivated_at": iso(m.deactivated_at),
        }


def _programmes(session: Session) -> Iterator[dict[str, Any]]:
    for p in _stream(session, select(Programme.__table__).order_by(Programme.id)):
        yield {"id": p.id, "slug": p.slug, "name": p.name, "description": p.description}


def _proposals(session: Session) -> Iterator[dict[str, Any]]:
    amendments: dict[str, list[dict[str, Any]]] = {}
    for a in session.execute(
        select(Amendment.__table__).order_by(Amendment.proposal_id, Amendment.number)
    ):
        amendments.setdefault(a.proposal_id, []).append(
            {
                "id": a.id,
                "number": a.number,
                "title": a.title,
                "body": a.body,
                "kind": a.kind,
                "paragraph": a.paragraph,
                "operation": a.operation,
                "new_text": a.new_text,
                "justification": a.justification,
                "author_id": a.author_id,
                "created_at": iso(a.created_at),
                "state": a.state,
                "alternative_group": a.alternative_group,
            }
        )
    for p in _stream(session, select(Proposal.__table__).order_by(Proposal.id)):
        yield {
            "id": p.id,
            "title": p.title,
            "programme_id": p.programme_id,
            "section": p.section,
            "section_key": p.section_key,
            "authors": _json_text(p.authors, []),
            "body": p.body,
            "content_hash": p.content_hash,
            "source": p.source,
            "status": p.status,
            "rules_name": p.rules_name,
            "rules": _json_text(p.rules_spec, None),
            "opened_at": iso(p.opened_at),
            "opened_by": p.opened_by,
            "closes_at": iso(p.closes_at),
            "closed_at": iso(p.closed_at),
            "closed_by": p.closed_by,
            "secret": bool(p.secret),
            "created_at": iso(p.created_at),
            "updated_at": iso(p.updated_at),
            "submitted_by": p.submitted_by,
            "submitted_at": iso(p.submitted_at),
            "debate_from": iso(p.debate_from),
            "debate_started_at": iso(p.debate_started_at),
            "amendments_close_at": iso(p.amendments_close_at),
            "filing_closed_at": iso(p.filing_closed_at),
            "opens_at": iso(p.opens_at),
            "withdrawn_at": iso(p.withdrawn_at),
            "amendments": amendments.get(p.id, []),
        }


def _supporters(session: Session) -> Iterator[dict[str, Any]]:
    query = select(Supporter.__table__).order_by(Supporter.proposal_id, Supporter.member_id)
    for row in _stream(session, query):
        yield {
            "proposal_id": row.proposal_id,
            "member_id": row.member_id,
            "created_at": iso(row.created_at),
        }


def _forum_settings(session: Session) -> Iterator[dict[str, Any]]:
    for row in _stream(session, select(ForumSetting.__table__).order_by(ForumSetting.key)):
        yield {"key": row.key, "value": row.value}


def _tallies(session: Session) -> Iterator[dict[str, Any]]:
    for t in _stream(session, select(Tally.__table__).order_by(Tally.proposal_id)):
        yield {
            "proposal_id": t.proposal_id,
            "counts": {
                "ja": t.ja,
                "betinget_ja": t.betinget_ja,
                "udskyd": t.udskyd,
                "nej": t.nej,
                "bloker": t.bloker,
            },
            "cast": t.cast,
            "eligible": t.eligible,
            "amendment_support": _json_text(t.amendment_support, {}),
            "outcome": t.outcome,
            "carried_amendments": _numbers(t.carried_amendments),
            "closed_at": iso(t.closed_at),
            "present": t.present,
            "method": t.method,
            "ballots_sha256": t.ballots_sha256,
            "amendment_votes": _json_text(t.amendment_votes, {}),
            "amendment_ballot": _json_text(t.amendment_ballot, {}),
            "adopted_text": t.adopted_text,
            "adopted_text_sha256": t.adopted_sha256,
        }


def _meetings(session: Session) -> Iterator[dict[str, Any]]:
    for m in _stream(session, select(Meeting.__table__).order_by(Meeting.id)):
        yield {
            "id": m.id,
            "title": m.title,
            "status": m.status,
            "hide_counts": bool(m.hide_counts),
            "speaker_limit_seconds": m.speaker_limit_seconds,
            "current_position": m.current_position,
            "created_by": m.created_by,
            "created_at": iso(m.created_at),
            "started_at": iso(m.started_at),
            "ended_at": iso(m.ended_at),
            "checkin_open": bool(m.checkin_open),
        }


def _agenda_items(session: Session) -> Iterator[dict[str, Any]]:
    query = select(AgendaItem.__table__).order_by(AgendaItem.meeting_id, AgendaItem.position)
    for a in _stream(session, query):
        yield {
            "id": a.id,
            "meeting_id": a.meeting_id,
            "position": a.position,
            "proposal_id": a.proposal_id,
            "countdown_seconds": a.countdown_seconds,
        }


def _speaker_requests(session: Session) -> Iterator[dict[str, Any]]:
    for r in _stream(session, select(SpeakerRequest.__table__).order_by(SpeakerRequest.id)):
        yield {
            "id": r.id,
            "meeting_id": r.meeting_id,
            "member_id": r.member_id,
            "kind": r.kind,
            "requested_at": iso(r.requested_at),
            "granted_at": iso(r.granted_at),
            "finished_at": iso(r.finished_at),
            "withdrawn_at": iso(r.withdrawn_at),
            "limit_seconds": r.limit_seconds,
        }


def _attendance(session: Session) -> Iterator[dict[str, Any]]:
    for a in _stream(session, select(Attendance.__table__).order_by(Attendance.id)):
        yield {
            "id": a.id,
            "meeting_id": a.meeting_id,
            "member_id": a.member_id,
            "checked_in_at": iso(a.checked_in_at),
            "checked_in_by": a.checked_in_by,
            "checked_out_at": iso(a.checked_out_at),
        }


def _proxies(session: Session) -> Iterator[dict[str, Any]]:
    for p in _stream(session, select(Proxy.__table__).order_by(Proxy.id)):
        yield {
            "id": p.id,
            "meeting_id": p.meeting_id,
            "principal_id": p.principal_id,
            "holder_id": p.holder_id,
            "created_at": iso(p.created_at),
            "created_by": p.created_by,
        }


def _participations(session: Session) -> Iterator[dict[str, Any]]:
    query = select(SecretParticipation.__table__).order_by(
        SecretParticipation.proposal_id, SecretParticipation.member_id
    )
    for p in _stream(session, query):
        yield {"proposal_id": p.proposal_id, "member_id": p.member_id, "cast_by": p.cast_by}


def _secret_ballots(session: Session) -> Iterator[dict[str, Any]]:
    """Ballots of CLOSED secret votes only, by tracker code: while a vote runs, two exports
    taken between two ballots would show which ballot came with which participation."""
    query = (
        select(SecretBallot.__table__)
        .join(Proposal, Proposal.id == SecretBallot.proposal_id)
        .where(Proposal.status == ProposalStatus.CLOSED)
        .order_by(SecretBallot.proposal_id, SecretBallot.tracker)
    )
    for b in _stream(session, query):
        yield {
            "proposal_id": b.proposal_id,
            "tracker": b.tracker,
            "choice": b.choice,
            "amendments": _numbers(b.amendments),
            "reason": b.reason,
            # separate amendment votes: {"2": "ja"}, as on an open vote's row
            **({"amendment_votes": _answers(b.amendment_answers)} if b.amendment_answers else {}),
        }


def _votes(session: Session) -> Iterator[dict[str, Any]]:
    query = select(
        Vote.__table__,
        counting.NUMBERS_OF_VOTE.label("numbers"),
        counting.ANSWERS_OF_VOTE.label("answers"),
    ).order_by(Vote.id)
    for v in _stream(session, query):
        row = {
            "id": v.id,
            "proposal_id": v.proposal_id,
            "member_id": v.member_id,
            "choice": v.choice,
            "amendments": sorted(_numbers(v.numbers)),
            "reason": v.reason,
            "receipt": v.receipt,
            "version": v.version,
            "cast_at": iso(v.cast_at),
            "cast_by": v.cast_by,
        }
        if v.answers:  # separate amendment votes: {"2": "ja"}
            row["amendment_votes"] = _answers(v.answers)
        yield row


def _answers(text: str) -> dict[str, str]:
    pairs = (x.partition("=") for x in text.split(",") if x)
    return {n: a for n, _, a in sorted(pairs, key=lambda p: int(p[0]))}


def _history(session: Session) -> Iterator[dict[str, Any]]:
    for h in _stream(session, select(VoteHistory.__table__).order_by(VoteHistory.id)):
        yield {
            "id": h.id,
            "proposal_id": h.proposal_id,
            "member_id": h.member_id,
            "version": h.version,
            "choice": h.choice,
            "amendments": _numbers(h.amendments),
            "reason": h.reason,
            "receipt": h.receipt,
            "cast_at": iso(h.cast_at),
            "cast_by": h.cast_by,
            **({"amendment_votes": _answers(h.amendment_answers)} if h.amendment_answers else {}),
        }


def _comments(session: Session) -> Iterator[dict[str, Any]]:
    for c in _stream(session, select(Comment.__table__).order_by(Comment.id)):
        yield {
            "id": c.id,
            "proposal_id": c.proposal_id,
            "amendment_number": c.amendment_number,
            "parent_id": c.parent_id,
            "author_id": c.author_id,
            "body": c.body,
            "created_at": iso(c.created_at),
            "edited_at": iso(c.edited_at),
            "deleted_at": iso(c.deleted_at),
        }


def _audit_log(session: Session) -> Iterator[dict[str, Any]]:
    for e in _stream(session, select(AuditEntry.__table__).order_by(AuditEntry.seq)):
        yield {
            "seq": e.seq,
            "created_at": iso(e.created_at),
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "payload": _json_text(e.payload, {}),
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
