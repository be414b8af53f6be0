"""The voting lifecycle (DESIGN §4, §5): open, cast and change votes, close, tally.

Each use case is one write transaction with its checks inside it. Serialisation:
- SQLite: every write transaction begins with BEGIN IMMEDIATE, so writers take turns.
- PostgreSQL: every use case first locks the audit head row (FOR UPDATE: a fair queue of
  writers), then the proposal row (FOR UPDATE to open/close/extend, FOR SHARE to vote). A close
  therefore waits for votes in flight, and a vote that waited for a close sees it closed.
Counts always come from one SQL aggregate statement, never from a loop over ballots.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from deliberate.domain.adopted import CarriedAmendment, build_adopted_text
from deliberate.domain.ballot import Answer, Choice, parse_answer, parse_choice
from deliberate.domain.paragraphs import ParagraphOp
from deliberate.domain.phases import Clock, effective_status
from deliberate.domain.rules import (
    DEFAULT_RULES,
    AmendmentRule,
    AmendmentVotes,
    Counts,
    Decision,
    Outcome,
    RuleSet,
    decide,
)
from deliberate.domain.text import normalize, sanitize, sanitize_line
from deliberate.errors import UserError
from deliberate.i18n import translate
from deliberate.i18n.explain import explain, explain_amendments
from deliberate.services import audit, counting, secret_ballots
from deliberate.services.members import MANAGING_ROLES, require_role
from deliberate.services.proposals import ballot_text_digests
from deliberate.services.read_models import CurrentVote as CurrentVote
from deliberate.services.rulesets import load_rules
from deliberate.services.transaction import run_direct, run_write
from deliberate.store import direct
from deliberate.store.direct import DirectWrite, Prepared
from deliberate.store.engine import Database
from deliberate.store.models import (
    AgendaItem,
    Amendment,
    AmendmentAnswer,
    AmendmentKind,
    Member,
    Programme,
    Proposal,
    ProposalStatus,
    Proxy,
    SecretParticipation,
    Tally,
    Vote,
    VoteAmendment,
    VoteHistory,
    utcnow,
)

MAX_REASON = 2000

T = TypeVar("T")


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class VoteReceipt:
    proposal_id: str
    receipt: str
    choice: Choice
    amendments: tuple[int, ...]
    reason: str
    version: int
    changed: bool
    cast_at: dt.datetime
    secret: bool = False  # the receipt is then the ballot's tracker code, and it is final
    cast_for: str | None = None  # the principal, when cast by proxy
    answers: tuple[tuple[int, Answer], ...] = ()  # separate amendment votes


@dataclass(frozen=True)
class TallyResult:
    """Where a proposal's vote stands: live counts while open, the frozen tally once closed.

    While draft, `rules` and `decision` are None and `outcome` is OPEN (there is no result)."""

    proposal_id: str
    title: str
    status: ProposalStatus
    rules: RuleSet | None
    counts: Counts
    outcome: Outcome
    carried_amendments: tuple[int, ...]
    decision: Decision | None
    opened_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    secret: bool = False
    hand_count: bool = False  # counted in the room ("optalt i salen")
    present: int | None = None  # checked in when voting closed (proxies included)
    participants: int | None = None  # a secret ballot while open: how many voted, not what
    adopted_sha256: str | None = None  # once adopted: the hash of the adopted text

    @property
    def separate(self) -> bool:
        """Whether each amendment has its own vote (and Betinget ja is not offered)."""
        return self.rules is not None and self.rules.amendments is AmendmentRule.SEPARATE

    def amendment_explanations(self, lang: str = "da") -> list[str]:
        """Once closed and adopted: one sentence per amendment on the ballot."""
        if self.status is not ProposalStatus.CLOSED or self.decision is None:
            return []
        return explain_amendments(self.decision, lang)

    @property
    def cast(self) -> int:
        if self.participants is not None:
            return self.participants
        return self.counts.cast

    @property
    def counts_hidden(self) -> bool:
        """A secret ballot shows no counts until it closes."""
        return self.participants is not None

    @property
    def eligible(self) -> int:
        return self.counts.eligible

    def explanation(self, lang: str = "da") -> str:
        if self.status is ProposalStatus.DRAFT or self.decision is None:
            return translate("voting.explain.draft", lang)
        if self.status is ProposalStatus.VOTING:
            return translate("voting.explain.open", lang, cast=self.cast, eligible=self.eligible)
        return explain(self.decision, lang)

    def as_json(self, lang: str = "da") -> dict[str, Any]:
        """The `tally --json` object (DESIGN §7), plus amendment support and times."""
        return {
            "proposal": self.proposal_id,
            "status": self.status.value,
            "rules": self.rules.name if self.rules else None,
            "counts": None if self.counts_hidden else self.counts.as_dict(),
            "cast": self.cast,
            "eligible": self.eligible,
            "outcome": None if self.status is ProposalStatus.DRAFT else self.outcome.value,
            "carried_amendments": list(self.carried_amendments),
            "explanation": self.explanation(lang),
            "amendment_support": {str(k): v for k, v in self.counts.amendment_support.items()},
            "amendment_votes": {
                str(k): dict(v._asdict()) for k, v in self.counts.amendment_votes.items()
            },
            "amendments": self.amendment_explanations(lang),
            "adopted_text_sha256": self.adopted_sha256,
            "closes_at": _iso(self.closes_at),
            "closed_at": _iso(self.closed_at),
            "present": self.present,
            "secret": self.secret,
            "hand_count": self.hand_count,
        }


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# ----------------------------------------------------------------------------------- use cases


def open_voting(
    db: Database,
    actor: str,
    proposal_id: str,
    *,
    rules: str | RuleSet = DEFAULT_RULES,
    closes_at: dt.datetime | None = None,
    secret: bool = False,
) -> TallyResult:
    """Open voting with a rule set (frozen with the proposal) and an optional deadline; a
    secret ballot keeps who voted apart from what (see `secret_ballots`)."""
    rule_set = rules if isinstance(rules, RuleSet) else load_rules(rules)
    deadline = _future_deadline(closes_at)

    def work(session: Session) -> TallyResult:
        proposal = _lock(session, proposal_id, update=True)
        member = _require_manager(session, actor)
        open_in(session, proposal, member, rule_set, deadline, utcnow(), secret=secret)
        session.flush()
        return tally_in(session, proposal_id)

    return run_write(db, work)


def open_in(
    session: Session,
    proposal: Proposal,
    member: Member | None,
    rule_set: RuleSet,
    deadline: dt.datetime | None,
    now: dt.datetime,
    *,
    secret: bool = False,
) -> None:
    """Open voting on a locked proposal; `member` None: the scheduler at `opens_at` (`now`).
    A secret ballot keeps who voted apart from what (see `secret_ballots`)."""
    if proposal.status == ProposalStatus.VOTING:
        raise UserError("voting.error.already_open", proposal=proposal.id)
    if proposal.status == ProposalStatus.CLOSED:
        raise UserError("voting.error.reopen", proposal=proposal.id)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise UserError("phases.error.withdrawn", proposal=proposal.id)
    n_amendments = counting.amendment_count(session, proposal.id)
    spec = rule_set.to_dict()
    proposal.status = ProposalStatus.VOTING
    proposal.rules_name = rule_set.name
    proposal.rules_spec = audit.canonical(spec)
    proposal.opened_at = now
    proposal.opened_by = member.id if member else None
    proposal.closes_at = deadline
    proposal.secret = secret
    payload: dict[str, Any] = {
        "rules": spec,
        "closes_at": _ts(deadline),
        "content_hash": proposal.content_hash,
        "text_sha256": ballot_text_digests(session, proposal.id)[proposal.id],
        "amendment_count": n_amendments,
    }
    if secret:
        payload["secret"] = True
    audit.append(
        session,
        actor=member.handle if member else "",
        action=audit.OPEN,
        subject=proposal.id,
        payload=payload,
    )


def extend_deadline(
    db: Database, actor: str, proposal_id: str, closes_at: dt.datetime | None
) -> TallyResult:
    """Move (or remove, with None) the deadline of an open vote that has not yet expired."""
    deadline = _future_deadline(closes_at)

    def work(session: Session) -> TallyResult:
        proposal = _lock(session, proposal_id, update=True)
        member = _require_manager(session, actor)
        _require_open(proposal)
        proposal.closes_at = deadline
        audit.append(
            session,
            actor=member.handle,
            action=audit.EXTEND,
            subject=proposal_id,
            payload={"closes_at": _ts(deadline)},
        )
        session.flush()
        return tally_in(session, proposal_id)

    return run_write(db, work)


def close_voting(db: Database, actor: str | None, proposal_id: str) -> TallyResult:
    """Close voting and freeze the tally, atomically. `actor` None: the deadline closes it
    (refused unless the deadline has passed)."""

    def work(session: Session) -> TallyResult:
        proposal = _lock(session, proposal_id, update=True)
        member = _require_manager(session, actor) if actor is not None else None
        close_in(session, proposal, member, utcnow())
        session.flush()
        return tally_in(session, proposal_id)

    return run_write(db, work)


def close_in(session: Session, proposal: Proposal, member: Member | None, now: dt.datetime) -> None:
    """Close voting on a locked proposal and freeze the tally. `member` None: the deadline
    closes it (refused unless it has passed). A deadline that has passed is the closing time
    whoever closes: votes were refused from then on."""
    proposal_id = proposal.id
    if proposal.status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE, ProposalStatus.WITHDRAWN):
        raise UserError("voting.error.not_open", proposal=proposal_id)
    if proposal.status == ProposalStatus.CLOSED:
        raise UserError("voting.error.already_closed", proposal=proposal_id)
    passed = proposal.closes_at is not None and proposal.closes_at <= now
    if member is None and not passed:
        raise UserError("voting.error.not_expired", proposal=proposal_id)
    closed_at = proposal.closes_at if passed and proposal.closes_at else now
    rules = _rules_of(proposal)
    present = counting.present_for(session, proposal_id)
    ballot = counting.ballot_of(session, proposal_id)
    separate = rules.amendments is AmendmentRule.SEPARATE
    ballots_sha256 = None
    if proposal.secret:
        ballots = secret_ballots.shuffle_out_order(session, proposal_id)
        counts = secret_ballots.counts_of(
            ballots,
            eligible=counting.eligible_now(session),
            amendment_count=counting.amendment_count(session, proposal_id),
            present=present,
            ballot=ballot,
        )
        ballots_sha256 = secret_ballots.ballot_list_sha256(ballots)
    else:
        counts = replace(
            counting.live_counts(session, proposal_id, separate=separate, ballot=ballot),
            present=present,
        )
    decision = decide(rules, counts)
    support = {str(k): v for k, v in counts.amendment_support.items()}
    payload: dict[str, Any] = {
        "counts": counts.as_dict(),
        "cast": counts.cast,
        "eligible": counts.eligible,
        "amendment_support": support,
        "amendment_count": counts.amendment_count,
        "rules": rules.name,
        "outcome": decision.outcome.value,
        "carried_amendments": list(decision.carried_amendments),
        "closed_at": _ts(closed_at),
        "by_deadline": member is None,
    }
    if present is not None:
        payload["present"] = present
    if ballots_sha256 is not None:
        payload["secret"] = True
        payload["ballots_sha256"] = ballots_sha256
        payload["participations"] = secret_ballots.participants_in(session, proposal_id)
    answers = {str(k): list(v) for k, v in counts.amendment_votes.items()}
    adopted = None
    if decision.outcome in (Outcome.ADOPTED, Outcome.ADOPTED_WITH_AMENDMENTS):
        adopted = build_adopted_text(
            proposal.body, carried_in(session, proposal_id, decision.carried_amendments)
        )
    extra: dict[str, Any] = {
        "ballot": ballot.as_json(),
        "adopted_text_sha256": adopted.sha256 if adopted else None,
    }
    if separate:
        extra["amendment_votes"] = answers
    payload.update(extra)
    audit.append(
        session,
        actor=member.handle if member else "",
        action=audit.CLOSE,
        subject=proposal_id,
        payload=payload,
    )
    session.add(
        Tally(
            proposal_id=proposal_id,
            **counts.as_dict(),
            cast=counts.cast,
            eligible=counts.eligible,
            amendment_support=audit.canonical(support),
            outcome=decision.outcome.value,
            carried_amendments=",".join(str(k) for k in decision.carried_amendments),
            closed_at=closed_at,
            present=present,
            method="electronic",
            ballots_sha256=ballots_sha256,
            amendment_votes=audit.canonical(answers),
            amendment_ballot=audit.canonical(ballot.as_json()),
            adopted_text=adopted.text if adopted else None,
            adopted_sha256=adopted.sha256 if adopted else None,
        )
    )
    proposal.status = ProposalStatus.CLOSED
    proposal.closed_at = closed_at
    proposal.closed_by = member.id if member else None


def cast_vote(
    db: Database,
    actor: str,
    proposal_id: str,
    choice: Choice | str,
    *,
    amendments: Sequence[int] = (),
    reason: str = "",
    for_member: str | None = None,
    amendment_votes: Mapping[int, Answer | str] | Sequence[tuple[int, Answer | str]] = (),
) -> VoteReceipt:
    """Cast or change a vote. Returns the receipt; an identical repeat changes nothing.

    `for_member`: the actor votes as proxy holder for that member (a proxy recorded at the
    meeting whose agenda holds the proposal). The member's own vote replaces a proxy vote; a
    proxy vote never replaces the member's own. On a secret ballot every ballot is final.

    `amendment_votes` (rule `amendments = "separate"`): amendment number -> ja / nej / undlad."""
    choice = choice if isinstance(choice, Choice) else parse_choice(choice)
    answers = _answers(amendment_votes)
    reason = sanitize(normalize(reason or "")).strip()
    numbers = tuple(sorted({int(n) for n in amendments}))
    if len(reason) > MAX_REASON:
        raise UserError("voting.error.reason_too_long", limit=MAX_REASON)
    if choice is Choice.BLOKER and not reason:
        raise UserError("voting.error.block_needs_reason")
    if numbers and choice is not Choice.BETINGET_JA:
        raise UserError("voting.error.amendments_only_conditional", choice=choice.token)

    reason_sha256 = audit.sha256_text(reason) if reason else ""

    def work(tx: DirectWrite) -> VoteReceipt:
        audit.lock_head_direct(tx)  # the head first, always (see _lock)
        # One statement: the proposal (locked FOR SHARE), the voter and the voter's current
        # vote with the amendments and answers it names.
        proposal = tx.first(_VOTE_CONTEXT, {"pid": proposal_id, "handle": actor})
        if proposal is None:
            raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
        member = _checked_voter(proposal, actor)
        holder = None
        existing: Any = proposal if proposal.vote_id is not None else None
        if for_member is not None and for_member != member.handle:
            holder, member = member, _voter(tx, for_member)
            _require_proxy(tx, proposal_id, member, holder)
            existing = _NOT_READ
        _require_open(proposal)
        n_amendments = proposal.n_amendments
        separate = counting.is_separate(proposal.rules_spec)
        if separate and choice is Choice.BETINGET_JA:
            raise UserError("voting.error.conditional_not_offered", proposal=proposal_id)
        if answers and not separate:
            raise UserError("voting.error.amendment_votes_not_separate", proposal=proposal_id)
        for number, _ in answers:
            if not 1 <= number <= n_amendments:
                raise UserError(
                    "voting.error.amendment_vote_out_of_range", number=number, count=n_amendments
                )
        if choice is Choice.BETINGET_JA:
            if n_amendments and not numbers:
                raise UserError("voting.error.conditional_needs_amendment", count=n_amendments)
            bad = [n for n in numbers if not 1 <= n <= n_amendments]
            if bad:
                raise UserError(
                    "voting.error.amendment_out_of_range"
                    if n_amendments
                    else "voting.error.no_amendments",
                    number=bad[0],
                    count=n_amendments,
                )
        if proposal.secret:
            tracker, entry = secret_ballots.cast(
                tx, proposal_id, member, holder, choice, numbers, reason, answers
            )
            return VoteReceipt(
                proposal_id,
                tracker,
                choice,
                numbers,
                reason,
                1,
                False,
                entry.created_at,
                secret=True,
                cast_for=member.handle if holder is not None else None,
                answers=answers,
            )
        return _store_vote(
            tx,
            proposal_id,
            member,
            choice,
            numbers,
            reason,
            reason_sha256,
            holder,
            answers,
            separate,
            existing=existing,
        )

    return run_direct(db, work)


def _voter(tx: DirectWrite, handle: str) -> Any:
    member = tx.first(_MEMBER_BY_HANDLE, {"handle": handle})
    if member is None:
        raise UserError("unknown_member", handle=sanitize_line(handle))
    return _checked(member)


@dataclass(frozen=True)
class _Voter:
    id: int
    handle: str
    active: bool
    can_vote: bool


def _checked_voter(row: Any, handle: str) -> _Voter:
    """The voter from the vote context's row (None columns: no member of that handle)."""
    if row.member_id is None:
        raise UserError("unknown_member", handle=sanitize_line(handle))
    member = _Voter(row.member_id, row.member_handle, row.member_active, row.member_can_vote)
    _checked(member)
    return member


def _checked(member: Any) -> Any:
    if not member.active:
        raise UserError("inactive_member", handle=member.handle)
    if not member.can_vote:
        raise UserError("voting.error.no_right_to_vote", handle=member.handle)
    return member


def _require_proxy(tx: DirectWrite, proposal_id: str, principal: Any, holder: Any) -> None:
    """`holder` holds `principal`'s proxy at a meeting whose agenda holds the proposal."""
    found = tx.first(
        _PROXY_HELD, {"pid": proposal_id, "principal": principal.id, "holder": holder.id}
    )
    if found is None:
        raise UserError("proxy.not_held", holder=holder.handle, principal=principal.handle)


def _answers(
    given: Mapping[int, Answer | str] | Sequence[tuple[int, Answer | str]],
) -> tuple[tuple[int, Answer], ...]:
    pairs = list(given.items()) if isinstance(given, Mapping) else list(given)
    out: dict[int, Answer] = {}
    for number, answer in pairs:
        n = int(number)
        if n in out:
            raise UserError("voting.error.amendment_vote_twice", number=n)
        out[n] = answer if isinstance(answer, Answer) else parse_answer(answer)
    return tuple(sorted(out.items()))


def carried_in(
    session: Session, proposal_id: str, numbers: tuple[int, ...]
) -> list[CarriedAmendment]:
    """The carried amendments, as the adopted text applies them."""
    if not numbers:
        return []
    rows = session.scalars(
        select(Amendment)
        .where(Amendment.proposal_id == proposal_id, Amendment.number.in_(numbers))
        .order_by(Amendment.number)
    )
    return [carried_amendment(a) for a in rows]


def carried_amendment(a: Amendment) -> CarriedAmendment:
    paragraph = a.kind == AmendmentKind.PARAGRAPH and a.operation is not None
    return CarriedAmendment(
        number=a.number,
        title=a.title,
        text=a.body,
        paragraph=a.paragraph if paragraph else None,
        op=ParagraphOp(a.operation) if paragraph and a.operation else None,
        new_text=a.new_text or "",
    )


# The vote path runs often: its statements are compiled once and run on the DB-API cursor
# (store.direct), and lock the audit head first (see _lock).
_MEMBER_BY_HANDLE = Prepared(
    select(Member.id, Member.handle, Member.active, Member.can_vote).where(
        Member.handle == bindparam("handle")
    ),
    params=("handle",),
)
_PROXY_HELD = Prepared(
    select(Proxy.id)
    .join(AgendaItem, AgendaItem.meeting_id == Proxy.meeting_id)
    .where(
        AgendaItem.proposal_id == bindparam("pid"),
        Proxy.principal_id == bindparam("principal"),
        Proxy.holder_id == bindparam("holder"),
    )
    .limit(1),
    params=("pid", "principal", "holder"),
)
# A member's current vote, with the amendments and answers it names (aggregated in SQL).
_CURRENT_VOTE_COLUMNS = (
    Vote.id.label("vote_id"),
    Vote.choice,
    Vote.reason,
    Vote.receipt,
    Vote.version,
    Vote.cast_at,
    Vote.cast_by,
    counting.NUMBERS_OF_VOTE.label("numbers"),
    counting.ANSWERS_OF_VOTE.label("answers"),
)
_VOTE_CONTEXT_QUERY = (
    select(
        Proposal.id,
        Proposal.status,
        Proposal.closes_at,
        Proposal.secret,
        Proposal.rules_spec,
        counting.AMENDMENTS_OF_PROPOSAL.label("n_amendments"),
        Member.id.label("member_id"),
        Member.handle.label("member_handle"),
        Member.active.label("member_active"),
        Member.can_vote.label("member_can_vote"),
        *_CURRENT_VOTE_COLUMNS,
    )
    .select_from(Proposal)
    .outerjoin(Member, Member.handle == bindparam("handle"))
    .outerjoin(Vote, and_(Vote.proposal_id == Proposal.id, Vote.member_id == Member.id))
    .where(Proposal.id == bindparam("pid"))
    .with_for_update(read=True, of=Proposal.__table__)
)
_VOTE_CONTEXT = Prepared(_VOTE_CONTEXT_QUERY, params=("handle", "pid"))
# The current vote is read in the vote context, except for a proxy vote (another member's).
_NOT_READ: Any = object()
_CURRENT_VOTE_WITH_NAMED = Prepared(
    select(*_CURRENT_VOTE_COLUMNS).where(
        Vote.proposal_id == bindparam("pid"), Vote.member_id == bindparam("mid")
    ),
    params=("pid", "mid"),
)
_VOTE_VALUES = ("choice", "reason", "receipt", "version", "cast_at", "cast_by")
_INSERT_VOTE = Prepared(
    insert(Vote), params=("proposal_id", "member_id", *_VOTE_VALUES), key=Vote.id
)
_UPDATE_VOTE = Prepared(
    update(Vote).where(Vote.id == bindparam("vid")), params=("vid", *_VOTE_VALUES)
)
_CLEAR_NUMBERS = Prepared(
    delete(VoteAmendment).where(VoteAmendment.vote_id == bindparam("vid")), params=("vid",)
)
_INSERT_NUMBERS = Prepared(insert(VoteAmendment), params=("vote_id", "number", "proposal_id"))
_INSERT_HISTORY = Prepared(
    insert(VoteHistory),
    params=("proposal_id", "member_id", "amendments", "amendment_answers", *_VOTE_VALUES),
)
_CLEAR_ANSWERS = Prepared(
    delete(AmendmentAnswer).where(AmendmentAnswer.vote_id == bindparam("vid")), params=("vid",)
)
_INSERT_ANSWERS = Prepared(
    insert(AmendmentAnswer), params=("vote_id", "number", "proposal_id", "answer")
)


def _store_vote(
    tx: DirectWrite,
    proposal_id: str,
    member: Any,
    choice: Choice,
    numbers: tuple[int, ...],
    reason: str,
    reason_sha256: str,
    holder: Any = None,
    answers: tuple[tuple[int, Answer], ...] = (),
    separate: bool = False,
    *,
    existing: Any = _NOT_READ,
) -> VoteReceipt:
    """`existing`: the current vote as the vote context read it (vote_id, choice, ...,
    numbers and answers as "1,3" and "2=ja"), None for none; by default read here."""
    if existing is _NOT_READ:
        existing = tx.first(_CURRENT_VOTE_WITH_NAMED, {"pid": proposal_id, "mid": member.id})
    cast_by = holder.id if holder is not None else None
    cast_for = member.handle if holder is not None else None
    current_answers: tuple[tuple[int, Answer], ...] = ()
    if existing is not None:
        if holder is not None and existing.cast_by is None:
            # The member voted themselves: their own vote stands.
            raise UserError("proxy.principal_voted", principal=member.handle)
        current = tuple(sorted(int(n) for n in (existing.numbers or "").split(",") if n))
        if separate:
            current_answers = tuple(
                sorted(
                    (int(n), Answer(a))
                    for n, _, a in (
                        x.partition("=") for x in (existing.answers or "").split(",") if x
                    )
                )
            )
        same = (existing.choice, current, existing.reason, existing.cast_by, current_answers) == (
            choice.value,
            numbers,
            reason,
            cast_by,
            answers,
        )
        if same:
            return VoteReceipt(
                proposal_id,
                existing.receipt,
                choice,
                numbers,
                reason,
                existing.version,
                existing.version > 1,
                existing.cast_at,
                answers=answers,
                cast_for=cast_for,
            )
    version = existing.version + 1 if existing else 1
    payload: dict[str, Any] = {
        "member": member.handle,
        "choice": choice.value,
        "amendments": list(numbers),
        "reason_sha256": reason_sha256,
        "version": version,
    }
    if holder is not None:
        payload["cast_by"] = holder.handle
    if answers:
        payload["amendment_votes"] = {str(n): a.value for n, a in answers}
    entry = audit.append_direct(
        tx,
        actor=holder.handle if holder is not None else member.handle,
        action=audit.VOTE if version == 1 else audit.VOTE_CHANGE,
        subject=proposal_id,
        payload=payload,
    )
    receipt = audit.receipt_code(entry.hash)
    cast_at = entry.created_at
    values = {
        "choice": choice.value,
        "reason": reason,
        "receipt": receipt,
        "version": version,
        "cast_at": cast_at,
        "cast_by": cast_by,
    }
    if existing is None:
        vote_id = tx.insert(
            _INSERT_VOTE, {"proposal_id": proposal_id, "member_id": member.id, **values}
        )
    else:
        vote_id = existing.vote_id
        tx.execute(_UPDATE_VOTE, {"vid": vote_id, **values})
        if current:
            tx.execute(_CLEAR_NUMBERS, {"vid": vote_id})
        if current_answers:
            tx.execute(_CLEAR_ANSWERS, {"vid": vote_id})
    if answers:
        tx.execute_many(
            _INSERT_ANSWERS,
            [
                {"vote_id": vote_id, "number": n, "proposal_id": proposal_id, "answer": a.value}
                for n, a in answers
            ],
        )
    if numbers:
        tx.execute_many(
            _INSERT_NUMBERS,
            [{"vote_id": vote_id, "number": n, "proposal_id": proposal_id} for n in numbers],
        )
    tx.execute(
        _INSERT_HISTORY,
        {
            "proposal_id": proposal_id,
            "member_id": member.id,
            "amendments": ",".join(map(str, numbers)),
            "amendment_answers": answers_text(answers),
            **values,
        },
    )
    return VoteReceipt(
        proposal_id,
        receipt,
        choice,
        numbers,
        reason,
        version,
        version > 1,
        cast_at,
        answers=answers,
        cast_for=cast_for,
    )


def answers_text(answers: Sequence[tuple[int, Answer | str]]) -> str:
    """How vote history stores separate amendment votes: "2=ja,3=nej"."""
    return ",".join(f"{n}={Answer(a).value}" for n, a in answers)


def get_my_vote(db: Database, actor: str, proposal_id: str) -> CurrentVote | None:
    votes = _current_votes(db, actor, proposal_id)
    return votes.get(proposal_id)


def get_my_votes(db: Database, actor: str) -> dict[str, CurrentVote]:
    """Every current vote of a member, by proposal id (for the forum overview)."""
    return _current_votes(db, actor, None)


def votes_of_members(
    db: Database, handles: Collection[str], proposal_id: str | None = None
) -> dict[str, dict[str, CurrentVote]]:
    """Current votes of many members at once (one query), by handle then proposal id: what a
    server's live snapshots hand to each member's screen. Members without votes are absent.
    With `proposal_id` (a proposal or meeting screen, whose vote dialog starts from them) the
    separate amendment answers too; the overview does without them."""
    if not handles:
        return {}
    query = _votes_query(proposal_id).add_columns(Member.handle).where(Member.handle.in_(handles))
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows: dict[tuple[str, str], Any] = {}
    answers: dict[tuple[str, str], list[tuple[int, Answer]]] = defaultdict(list)
    with db.read() as session:
        for row in session.execute(query):
            key = (row.handle, row.proposal_id)
            rows[key] = row
            if row.number is not None:
                numbers[key].append(row.number)
        if proposal_id is not None:
            for handle, pid, number, answer in session.execute(
                _answers_query(handles, proposal_id)
            ):
                answers[(handle, pid)].append((number, Answer(answer)))
    found: dict[str, dict[str, CurrentVote]] = defaultdict(dict)
    for (handle, pid), r in rows.items():
        found[handle][pid] = CurrentVote(
            Choice(r.choice),
            tuple(numbers[(handle, pid)]),
            r.reason,
            r.receipt,
            r.version,
            r.cast_at,
            answers=tuple(answers[(handle, pid)]),
        )
    return dict(found)


def _answers_query(handles: Collection[str], proposal_id: str) -> Any:
    """The members' separate amendment answers on one proposal."""
    return (
        select(Member.handle, Vote.proposal_id, AmendmentAnswer.number, AmendmentAnswer.answer)
        .join(Vote, Vote.id == AmendmentAnswer.vote_id)
        .join(Member, Member.id == Vote.member_id)
        .where(Member.handle.in_(handles), AmendmentAnswer.proposal_id == proposal_id)
        .order_by(Member.handle, AmendmentAnswer.number)
    )


def _votes_query(proposal_id: str | None) -> Any:
    query = (
        select(
            Vote.proposal_id,
            Vote.choice,
            Vote.reason,
            Vote.receipt,
            Vote.version,
            Vote.cast_at,
            VoteAmendment.number,
        )
        .join(Member, Member.id == Vote.member_id)
        .outerjoin(VoteAmendment, VoteAmendment.vote_id == Vote.id)
        .order_by(Vote.proposal_id, VoteAmendment.number)
    )
    if proposal_id is not None:
        query = query.where(Vote.proposal_id == proposal_id)
    return query


def _current_votes(db: Database, actor: str, proposal_id: str | None) -> dict[str, CurrentVote]:
    query = (
        select(
            Vote.proposal_id,
            Vote.choice,
            Vote.reason,
            Vote.receipt,
            Vote.version,
            Vote.cast_at,
            Vote.cast_by,
            VoteAmendment.number,
        )
        .join(Member, Member.id == Vote.member_id)
        .outerjoin(VoteAmendment, VoteAmendment.vote_id == Vote.id)
        .where(Member.handle == actor)
        .order_by(Vote.proposal_id, VoteAmendment.number)
    )
    if proposal_id is not None:
        query = query.where(Vote.proposal_id == proposal_id)
    numbers: dict[str, list[int]] = defaultdict(list)
    rows: dict[str, Any] = {}
    with db.read() as session:
        for row in session.execute(query):
            rows[row.proposal_id] = row
            if row.number is not None:
                numbers[row.proposal_id].append(row.number)
        holders = {
            i: h
            for i, h in session.execute(
                select(Member.id, Member.handle).where(
                    Member.id.in_({r.cast_by for r in rows.values() if r.cast_by is not None})
                )
            )
        }
        answer_query = (
            select(Vote.proposal_id, AmendmentAnswer.number, AmendmentAnswer.answer)
            .join(Vote, Vote.id == AmendmentAnswer.vote_id)
            .join(Member, Member.id == Vote.member_id)
            .where(Member.handle == actor)
            .order_by(Vote.proposal_id, AmendmentAnswer.number)
        )
        if proposal_id is not None:
            answer_query = answer_query.where(Vote.proposal_id == proposal_id)
        answers: dict[str, list[tuple[int, Answer]]] = defaultdict(list)
        for pid, number, answer in session.execute(answer_query):
            answers[pid].append((number, Answer(answer)))
    return {
        pid: CurrentVote(
            Choice(r.choice),
            tuple(numbers[pid]),
            r.reason,
            r.receipt,
            r.version,
            r.cast_at,
            holders.get(r.cast_by) if r.cast_by is not None else None,
            tuple(answers[pid]),
        )
        for pid, r in rows.items()
    }


def has_voted_secretly(db: Database, actor: str, proposal_id: str) -> bool:
    """Whether the member (or their proxy holder) has cast a secret ballot on the proposal."""
    with db.read() as session:
        member_id = session.scalar(select(Member.id).where(Member.handle == actor))
        if member_id is None:
            return False
        return secret_ballots.has_participated(session, proposal_id, member_id)


def secret_voters(db: Database, proposal_id: str) -> frozenset[str]:
    """Handles of the members who cast a secret ballot (themselves or by proxy): who, not what."""
    with db.read() as session:
        return frozenset(h for h, _ in secret_ballots.participant_handles_in(session, proposal_id))


def tally(db: Database, proposal_id: str) -> TallyResult:
    """Live counts while voting, the final result once closed. A read: it never writes; a
    vote whose deadline has passed reads as closed (DESIGN §9) before the scheduler ran."""
    with db.read() as session:
        return tally_in(session, proposal_id)


def participation(db: Database, proposal_id: str) -> tuple[int, int]:
    """(voted, eligible) for the facilitator's meter."""
    result = tally(db, proposal_id)
    return result.cast, result.eligible


def all_results(db: Database) -> list[TallyResult]:
    """Every proposal's result, in programme/section order, in a handful of queries."""
    with db.read() as session:
        proposals = session.execute(
            select(*_PROPOSAL_COLUMNS)
            .outerjoin(Programme, Proposal.programme_id == Programme.id)
            .order_by(
                Programme.name.is_(None),
                Programme.name,
                Proposal.section_key,
                Proposal.title,
                Proposal.id,
            )
        ).all()
        eligible = counting.eligible_now(session)
        n_amendments: dict[str, int] = {
            pid: n
            for pid, n in session.execute(
                select(Amendment.proposal_id, func.count()).group_by(Amendment.proposal_id)
            )
        }
        by_choice: dict[str, dict[str, int]] = defaultdict(dict)
        open_ids = select(Proposal.id).where(Proposal.status == ProposalStatus.VOTING)
        for pid, choice, n in session.execute(
            select(Vote.proposal_id, Vote.choice, func.count())
            .where(Vote.proposal_id.in_(open_ids))
            .group_by(Vote.proposal_id, Vote.choice)
        ):
            by_choice[pid][choice] = n
        support: dict[str, dict[int, int]] = defaultdict(dict)
        for pid, number, n in session.execute(
            select(VoteAmendment.proposal_id, VoteAmendment.number, func.count())
            .where(VoteAmendment.proposal_id.in_(open_ids))
            .group_by(VoteAmendment.proposal_id, VoteAmendment.number)
        ):
            support[pid][number] = n
        answers: dict[str, dict[int, list[int]]] = defaultdict(dict)
        order = {a.value: i for i, a in enumerate(Answer)}
        for pid, number, answer, n in session.execute(
            select(
                AmendmentAnswer.proposal_id,
                AmendmentAnswer.number,
                AmendmentAnswer.answer,
                func.count(),
            )
            .where(AmendmentAnswer.proposal_id.in_(open_ids))
            .group_by(AmendmentAnswer.proposal_id, AmendmentAnswer.number, AmendmentAnswer.answer)
        ):
            answers[pid].setdefault(number, [0, 0, 0])[order[answer]] = n
        tallies = {t.proposal_id: t for t in session.scalars(select(Tally))}
        secret_counts: dict[str, int] = {
            pid: n
            for pid, n in session.execute(
                select(SecretParticipation.proposal_id, func.count())
                .where(SecretParticipation.proposal_id.in_(open_ids))
                .group_by(SecretParticipation.proposal_id)
            )
        }
    results = []
    now = utcnow()
    for p in proposals:
        count = n_amendments.get(p.id, 0)
        if p.status == ProposalStatus.CLOSED and p.id in tallies:
            counts = counting.frozen_counts(tallies[p.id], count)
        else:
            counts = Counts.from_choices(
                by_choice.get(p.id, {}),
                eligible=eligible,
                amendment_support=support.get(p.id, {}),
                amendment_count=count,
                amendment_votes={k: AmendmentVotes(*v) for k, v in answers.get(p.id, {}).items()},
            )
        participants = None
        if p.secret and p.status == ProposalStatus.VOTING:
            participants = secret_counts.get(p.id, 0)
        results.append(_build_result(p, counts, tallies.get(p.id), now, participants))
    # Closed by the deadline, not yet by the scheduler: read as the close will freeze it.
    pending = [i for i, r in enumerate(results) if _closing(r, tallies)]
    if pending:
        with db.read() as session:
            for i in pending:
                results[i] = tally_in(session, results[i].proposal_id)
    return results


def _closing(result: TallyResult, tallies: dict[str, Tally]) -> bool:
    return result.status is ProposalStatus.CLOSED and result.proposal_id not in tallies


# ------------------------------------------------------------------------------------- helpers


_PROPOSAL_COLUMNS = (
    Proposal.id,
    Proposal.title,
    Proposal.status,
    Proposal.rules_spec,
    Proposal.opened_at,
    Proposal.closes_at,
    Proposal.closed_at,
    Proposal.secret,
    Proposal.debate_from,
    Proposal.amendments_close_at,
    Proposal.filing_closed_at,
    Proposal.opens_at,
    counting.AMENDMENTS_OF_PROPOSAL.label("amendment_count"),
)


def _lock(session: Session, proposal_id: str, *, update: bool) -> Proposal:
    """Take the audit head lock, then the proposal row: FOR UPDATE to change its state, FOR
    SHARE to vote on it. The head first, always: it queues writers fairly (a stream of FOR
    SHARE voters would otherwise starve a waiting close), and one order means no deadlock."""
    audit.lock_head(session)
    proposal = session.scalars(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .with_for_update(read=not update)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if proposal is None:
        raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
    return proposal


def _require_manager(session: Session, actor: str) -> Member:
    return require_role(session, actor, MANAGING_ROLES, error="voting.error.not_facilitator")


def _require_open(proposal: Proposal | Row[Any] | direct.Row) -> None:
    """Votes and deadline changes need voting to run: the deadline is checked here, inside
    the transaction, whether or not the scheduler has closed the vote yet."""
    if proposal.status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE, ProposalStatus.WITHDRAWN):
        raise UserError("voting.error.not_open", proposal=proposal.id)
    if proposal.status == ProposalStatus.CLOSED:
        raise UserError("voting.error.closed", proposal=proposal.id)
    if proposal.closes_at is not None and proposal.closes_at <= utcnow():
        raise UserError("voting.error.deadline_passed", proposal=proposal.id)


def _future_deadline(closes_at: dt.datetime | None) -> dt.datetime | None:
    if closes_at is None:
        return None
    deadline = closes_at.astimezone(dt.UTC)  # naive: local time
    if deadline <= utcnow():
        raise UserError(
            "voting.error.deadline_in_past",
            closes_at=deadline,  # formatted in the reader's language (i18n.translate)
        )
    return deadline


def _ts(moment: dt.datetime | None) -> str | None:
    return audit.timestamp(moment) if moment else None


def _rules_of(proposal: Any) -> RuleSet:
    return RuleSet.from_dict(json.loads(proposal.rules_spec))


def clock_of(p: Any) -> Clock:
    """The phase fields of a proposal row (ORM object or a row of _PROPOSAL_COLUMNS)."""
    return Clock(
        status=ProposalStatus(p.status),
        debate_from=p.debate_from,
        amendments_close_at=p.amendments_close_at,
        filing_closed=p.filing_closed_at is not None,
        opens_at=p.opens_at,
        closes_at=p.closes_at,
    )


def tally_in(session: Session, proposal_id: str) -> TallyResult:
    """The proposal's TallyResult read inside the caller's transaction (meetings, exports),
    by the same code as `tally`, so they cannot disagree."""
    p = session.execute(select(*_PROPOSAL_COLUMNS).where(Proposal.id == proposal_id)).first()
    if p is None:
        raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
    tally_row = None
    if p.status == ProposalStatus.CLOSED:
        tally_row = session.get(Tally, proposal_id)
    participants = None
    now = utcnow()
    closing = tally_row is None and effective_status(clock_of(p), now) is ProposalStatus.CLOSED
    if tally_row is not None:
        counts = counting.frozen_counts(tally_row, p.amendment_count)
    elif p.secret and closing:
        # closed by its deadline, not yet by the scheduler: counted as the close will count it
        counts = secret_ballots.counts_of(
            secret_ballots.ballots_in(session, proposal_id),
            eligible=counting.eligible_now(session),
            amendment_count=p.amendment_count,
            present=None,
            ballot=counting.ballot_of(session, proposal_id),
        )
    elif p.secret and p.status == ProposalStatus.VOTING:
        counts = Counts(eligible=counting.eligible_now(session), amendment_count=p.amendment_count)
        participants = secret_ballots.participants_in(session, proposal_id)
    elif p.status == ProposalStatus.VOTING or closing:
        counts = counting.live_counts(
            session,
            proposal_id,
            p.amendment_count,
            separate=counting.is_separate(p.rules_spec),
            # closed by its deadline, not yet by the scheduler: the ballot as the close freezes it
            ballot=counting.ballot_of(session, proposal_id) if closing else None,
        )
    else:
        counts = Counts(eligible=counting.eligible_now(session), amendment_count=p.amendment_count)
    present = None
    if closing:
        # the meeting's attendance, as the close will freeze it beside the counts
        present = counting.present_for(session, proposal_id)
        counts = replace(counts, present=present)
    result = _build_result(p, counts, tally_row, now, participants)
    if closing:
        result = replace(result, present=present)
    if closing and result.outcome in (Outcome.ADOPTED, Outcome.ADOPTED_WITH_AMENDMENTS):
        body = session.scalar(select(Proposal.body).where(Proposal.id == proposal_id)) or ""
        adopted = build_adopted_text(
            body, carried_in(session, proposal_id, result.carried_amendments)
        )
        result = replace(result, adopted_sha256=adopted.sha256)
    return result


def _build_result(
    p: Any,
    counts: Counts,
    tally_row: Tally | None,
    now: dt.datetime,
    participants: int | None = None,
) -> TallyResult:
    stored = ProposalStatus(p.status)
    # What the scheduler will write at the boundaries that have passed, derived, not written.
    status = effective_status(clock_of(p), now) if tally_row is None else stored
    rules = _rules_of(p) if p.rules_spec else None
    if rules is None and status in (ProposalStatus.VOTING, ProposalStatus.CLOSED):
        rules = load_rules(DEFAULT_RULES)  # opened by the clock: the scheduler's default
    opened_at, closed_at = p.opened_at, p.closed_at
    carried: tuple[int, ...]
    if status is not stored and status in (ProposalStatus.VOTING, ProposalStatus.CLOSED):
        opened_at = opened_at or p.opens_at
    if status in (ProposalStatus.DRAFT, ProposalStatus.DEBATE, ProposalStatus.WITHDRAWN) or (
        rules is None
    ):
        decision, outcome, carried = None, Outcome.OPEN, ()
    elif status is ProposalStatus.VOTING:
        decision, outcome, carried = Decision.voting_open(counts), Outcome.OPEN, ()
    elif tally_row is None:
        # Closed by its deadline, not yet by the scheduler: the final result from the ballots
        # (none can come after closes_at), exactly as the scheduler's close will freeze it.
        decision = decide(rules, counts)
        outcome, carried = decision.outcome, decision.carried_amendments
        closed_at = p.closes_at
    else:
        decision = decide(rules, counts)
        # The stored outcome is the record; `verify` checks it against the rules.
        outcome = Outcome(tally_row.outcome)
        carried = tuple(int(k) for k in tally_row.carried_amendments.split(",") if k)
    return TallyResult(
        proposal_id=p.id,
        title=p.title,
        status=status,
        rules=rules,
        counts=counts,
        outcome=outcome,
        carried_amendments=carried,
        decision=decision,
        opened_at=opened_at,
        closes_at=p.closes_at,
        closed_at=closed_at,
        secret=bool(p.secret),
        hand_count=tally_row is not None and tally_row.method == "hand",
        present=tally_row.present if tally_row is not None else None,
        participants=participants,
        adopted_sha256=tally_row.adopted_sha256 if tally_row is not None else None,
    )
