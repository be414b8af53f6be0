"""Secret ballots (DESIGN §5): who voted is kept, what they voted is kept apart with nothing
that links the two.

A participation row (proposal, member, proxy holder) and its audit entry say THAT a member
voted; the ballot row holds only the choice, the named amendments, the separate amendment
answers (rule `amendments = "separate"`), the reason and a random tracker code, keyed by (proposal, tracker): no member, no time, no row id (WITHOUT ROWID on
SQLite, so rows are stored in tracker order). At close the ballots are rewritten in tracker
order inside the closing transaction (on PostgreSQL this also gives every row the same
transaction id and a position that says nothing about when it was cast), and the chain
records the SHA-256 of the sorted ballot list, which exports publish with the tracker codes.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from deliberate.domain.ballot import Answer, Choice
from deliberate.domain.rules import AmendmentVotes, Counts
from deliberate.errors import UserError
from deliberate.services import audit, counting
from deliberate.store.direct import DirectWrite, Prepared
from deliberate.store.models import Member, SecretBallot, SecretParticipation

PARTICIPATION = "secret_participation"  # audit action: THAT a member voted, nothing more
_TRACKER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class PublishedBallot:
    """A ballot as published: tracker code, choice, amendments, reason and the separate
    amendment answers. No name."""

    tracker: str
    choice: Choice
    amendments: tuple[int, ...]
    reason: str
    answers: tuple[tuple[int, Answer], ...] = ()  # separate amendment votes, by number

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tracker": self.tracker,
            "choice": self.choice.value,
            "amendments": list(self.amendments),
            "reason": self.reason,
        }
        if self.answers:  # only with separate amendment votes, as for open votes
            out["amendment_votes"] = answers_json(self.answers)
        return out


def answers_json(answers: tuple[tuple[int, Answer], ...]) -> dict[str, str]:
    """{"2": "ja", "3": "nej"}: how exports and the chain write separate amendment votes."""
    return {str(n): a.value for n, a in sorted(answers)}


def answers_text(answers: tuple[tuple[int, Answer], ...]) -> str:
    """How the ballot row stores them (as vote history does): "2=ja,3=nej"."""
    return ",".join(f"{n}={a.value}" for n, a in sorted(answers))


def parse_answers_text(text: str) -> tuple[tuple[int, Answer], ...]:
    pairs = (item.partition("=") for item in text.split(",") if item)
    return tuple(sorted((int(n), Answer(a)) for n, _, a in pairs))


def new_tracker() -> str:
    """60 random bits in Crockford base32, e.g. 7F3K-9QX2-MB4T."""
    raw = "".join(secrets.choice(_TRACKER_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def has_participated(session: Session, proposal_id: str, member_id: int) -> bool:
    return (
        session.scalar(
            select(SecretParticipation.member_id).where(
                SecretParticipation.proposal_id == proposal_id,
                SecretParticipation.member_id == member_id,
            )
        )
        is not None
    )


_PARTICIPATED = Prepared(
    select(SecretParticipation.member_id).where(
        SecretParticipation.proposal_id == bindparam("pid"),
        SecretParticipation.member_id == bindparam("mid"),
    ),
    params=("pid", "mid"),
)
_INSERT_PARTICIPATION = Prepared(
    insert(SecretParticipation), params=("proposal_id", "member_id", "cast_by")
)
_INSERT_BALLOT = Prepared(
    insert(SecretBallot),
    params=("proposal_id", "tracker", "choice", "amendments", "reason", "amendment_answers"),
)


def cast(
    tx: DirectWrite,
    proposal_id: str,
    member: Any,
    cast_by: Any | None,
    choice: Choice,
    numbers: tuple[int, ...],
    reason: str,
    answers: tuple[tuple[int, Answer], ...] = (),
) -> tuple[str, audit.Appended]:
    """Record the participation and store the ballot (with its separate amendment answers)
    in the vote's transaction; returns (tracker, audit entry). Final: a second ballot by or
    for the same member is refused. Nothing of the ballot goes into the participation's
    audit entry."""
    if tx.first(_PARTICIPATED, {"pid": proposal_id, "mid": member.id}) is not None:
        raise UserError("voting.error.secret_already_voted", handle=member.handle)
    tx.execute(
        _INSERT_PARTICIPATION,
        {
            "proposal_id": proposal_id,
            "member_id": member.id,
            "cast_by": cast_by.id if cast_by is not None else None,
        },
    )
    payload: dict[str, Any] = {"member": member.handle}
    if cast_by is not None:
        payload["cast_by"] = cast_by.handle
    entry = audit.append_direct(
        tx,
        actor=cast_by.handle if cast_by is not None else member.handle,
        action=PARTICIPATION,
        subject=proposal_id,
        payload=payload,
    )
    tracker = new_tracker()
    tx.execute(
        _INSERT_BALLOT,
        {
            "proposal_id": proposal_id,
            "tracker": tracker,
            "choice": choice.value,
            "amendments": ",".join(map(str, numbers)),
            "reason": reason,
            "amendment_answers": answers_text(answers),
        },
    )
    return tracker, entry


def ballots_in(session: Session, proposal_id: str) -> list[PublishedBallot]:
    """Every ballot of a secret vote, sorted by tracker code."""
    return [
        PublishedBallot(
            t, Choice(c), tuple(int(n) for n in a.split(",") if n), r, parse_answers_text(s)
        )
        for t, c, a, r, s in session.execute(
            select(
                SecretBallot.tracker,
                SecretBallot.choice,
                SecretBallot.amendments,
                SecretBallot.reason,
                SecretBallot.amendment_answers,
            )
            .where(SecretBallot.proposal_id == proposal_id)
            .order_by(SecretBallot.tracker)
        )
    ]


def participants_in(session: Session, proposal_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(SecretParticipation)
            .where(SecretParticipation.proposal_id == proposal_id)
        )
        or 0
    )


def participant_handles_in(session: Session, proposal_id: str) -> list[tuple[str, str | None]]:
    """(member, proxy holder or None) of each participation, by handle: who voted, not what."""
    by = aliased(Member)
    return [
        (h, b)
        for h, b in session.execute(
            select(Member.handle, by.handle)
            .join(SecretParticipation, SecretParticipation.member_id == Member.id)
            .outerjoin(by, by.id == SecretParticipation.cast_by)
            .where(SecretParticipation.proposal_id == proposal_id)
            .order_by(Member.handle)
        )
    ]


def ballot_list_sha256(ballots: list[PublishedBallot]) -> str:
    """SHA-256 of the canonical JSON list of ballots sorted by tracker code (reasons hashed).
    A ballot with separate amendment answers carries them as "amendment_votes"; a ballot
    without has no such key, so lists hashed before answers were stored hash the same."""
    rows = []
    for b in sorted(ballots, key=lambda b: b.tracker):
        row: dict[str, Any] = {
            "tracker": b.tracker,
            "choice": b.choice.value,
            "amendments": list(b.amendments),
            "reason_sha256": audit.sha256_text(b.reason) if b.reason else "",
        }
        if b.answers:
            row["amendment_votes"] = answers_json(b.answers)
        rows.append(row)
    return audit.sha256_text(audit.canonical(rows))


def counts_of(
    ballots: list[PublishedBallot],
    *,
    eligible: int,
    amendment_count: int,
    present: int | None,
    ballot: counting.Ballot | None = None,
) -> Counts:
    """The counts of the ballots, as `counting.live_counts` counts open votes: choices, the
    amendments Betinget-ja ballots name, each amendment's Ja / Nej / Undlad answers, and
    (with `ballot`) the amendments on the ballot and their alternatives."""
    by_choice = Counter(b.choice.value for b in ballots)
    support: Counter[int] = Counter()
    answered: dict[int, list[int]] = {}
    order = {a: i for i, a in enumerate(Answer)}
    for b in ballots:
        if b.choice is Choice.BETINGET_JA:
            support.update(b.amendments)
        for number, answer in b.answers:
            answered.setdefault(number, [0, 0, 0])[order[answer]] += 1
    counts = Counts.from_choices(
        dict(by_choice),
        eligible=eligible,
        amendment_support=dict(support),
        amendment_count=amendment_count,
        present=present,
        amendment_votes={k: AmendmentVotes(*v) for k, v in answered.items()},
    )
    if ballot is None:
        return counts
    return replace(counts, on_ballot=ballot.numbers, alternatives=ballot.alternatives)


def live_counts(session: Session, proposal_id: str, amendment_count: int) -> Counts:
    return counts_of(
        ballots_in(session, proposal_id),
        eligible=counting.eligible_now(session),
        amendment_count=amendment_count,
        present=None,
    )


def shuffle_out_order(session: Session, proposal_id: str) -> list[PublishedBallot]:
    """Rewrite the proposal's ballots in tracker order inside the current (closing)
    transaction, so neither their storage position nor (on PostgreSQL) their transaction id
    tells when each was cast. Returns them sorted."""
    ballots = ballots_in(session, proposal_id)
    conn = session.connection()
    conn.execute(delete(SecretBallot).where(SecretBallot.proposal_id == proposal_id))
    if ballots:
        conn.execute(
            insert(SecretBallot),
            [
                {
                    "proposal_id": proposal_id,
                    "tracker": b.tracker,
                    "choice": b.choice.value,
                    "amendments": ",".join(map(str, b.amendments)),
                    "reason": b.reason,
                    "amendment_answers": answers_text(b.answers),
                }
                for b in ballots
            ],
        )
    return ballots
