"""`verify`: recompute the audit chain, then replay it against what the database holds.

The chain pass catches an edited, removed, inserted or reordered entry. The replay pass
rebuilds, from the log alone, every proposal's state, every member's vote history, the counts
at each close, and every comment, and compares them with the tables: an edited vote row, a
vote without a log entry, an altered tally or a rewritten comment each give one line saying
what and where.

Memory does not grow with the number of votes. The chain pass reads the log in order and
keeps per-proposal state only (and comments and members, which are few); ballots are checked
in a second pass that merges three streams the database sorts by (proposal, member): the
log's vote entries, the vote history and the current votes, one member's ballots at a time.
The counts at each close are summed in that pass, and each close is checked after it.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    DateTime,
    String,
    bindparam,
    cast,
    collate,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from deliberate.domain.adopted import text_sha256
from deliberate.domain.ballot import Choice
from deliberate.domain.rules import AmendmentVotes, Counts, RuleSet, decide
from deliberate.i18n import Translator
from deliberate.services import audit, counting, invites, phases_replay, secret_ballots
from deliberate.services.meetings.records import HAND_COUNT
from deliberate.services.proposals import ballot_text_digests, stored_text_hashes
from deliberate.store.engine import Database
from deliberate.store.models import (
    AuditEntry,
    AuditHead,
    Comment,
    Member,
    MemberKey,
    Proposal,
    ProposalStatus,
    SecretParticipation,
    Tally,
    Vote,
    VoteHistory,
)

MAX_PROBLEMS = 200
# Vote entries the chain pass could not read are left out of the ballot pass (they are
# reported already); past this many the ballot pass is skipped: the log is beyond repair.
MAX_UNREADABLE_VOTES = 10_000
# Rows per fetch from the database's cursors (server-side on PostgreSQL).
BATCH = 5000


class _Ballot(NamedTuple):
    seq: int
    choice: str
    amendments: tuple[int, ...]
    reason_sha256: str
    version: int
    receipt: str
    cast_at: Any
    cast_by: str = ""  # the proxy holder who cast it; "" = the member
    answers: tuple[tuple[int, str], ...] = ()  # separate amendment votes


@dataclass
class _ProposalLog:
    open_seq: int | None = None
    open_payload: dict[str, Any] = field(default_factory=dict)
    close_seq: int | None = None
    close_payload: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((c.value for c in Choice), 0)
    )
    support: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    # The text: the last logged content hash and the entry that logged it.
    text_hash: str | None = None
    text_seq: int | None = None
    # The deadline as last logged (open, extend): ISO text or None.
    closes_at: str | None = None
    closes_seq: int | None = None
    participants: set[str] = field(default_factory=set)  # secret ballots: who, never what
    # separate amendment votes: number -> [ja, nej, undlad]
    answers: dict[int, list[int]] = field(default_factory=dict)
    # Any vote entry seen so far (the chain pass); the close entry, checked after the ballot
    # pass has summed `counts`, `support` and `answers` as they stood at the close.
    voted: bool = False
    close_entry: audit.LogEntry | None = None


@dataclass
class _CommentLog:
    seq: int
    proposal: str
    author: str
    amendment: int | None
    reply_to: int | None
    body_sha256: str
    deleted: bool = False
    # Times as logged (absent from entries written before they were logged).
    times: dict[str, str | None] = field(default_factory=dict)


@dataclass
class _MemberLog:
    seq: int
    state: dict[str, Any]


class _Problems:
    def __init__(self, lang: str) -> None:
        self.t = Translator(lang)
        self.lines: list[str] = []
        self.more = 0

    def add(self, key: str, **params: Any) -> None:
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(self.t(f"audit.problem.{key}", **params))
        else:
            self.more += 1

    def result(self) -> list[str]:
        if self.more:
            return [*self.lines, self.t("audit.problem.more", n=self.more)]
        return self.lines


@dataclass
class Replay:
    """Everything the log says, rebuilt entry by entry; the checks compare it with the tables."""

    problems: _Problems
    proposals: dict[str, _ProposalLog] = field(default_factory=lambda: defaultdict(_ProposalLog))
    # Vote entries the chain pass found unreadable (reported there; the ballot pass skips them).
    unreadable_votes: set[int] = field(default_factory=set)
    comments: dict[int, _CommentLog] = field(default_factory=dict)
    members: dict[str, _MemberLog] = field(default_factory=dict)
    # Whether the log records proposal texts at all (forums from before it did are checked
    # from their first logged import on; see services.importer).
    texts_logged: bool = False
    # Phases (debate, support, withdrawal ...) and invites keep replay states of their own.
    phases: phases_replay.PhaseLog = field(default_factory=phases_replay.PhaseLog)
    invites: invites.ReplayState = field(default_factory=invites.ReplayState)


# A replay handler applies one log entry to the replayed state. New audited actions plug in
# here (REPLAY[action] = handler) and, if they need one, a check in CHECKS below.
ReplayHandler = Callable[[audit.LogEntry, Replay], None]
# A check compares the tables with the replayed state inside one read transaction.
Check = Callable[[Session, dict[int, str], Replay], None]


def verify_database(
    db: Database,
    *,
    lang: str = "da",
    witnesses: tuple[str, ...] = (),
    session: Session | None = None,
) -> audit.VerifyReport:
    problems = _Problems(lang)
    state = Replay(problems)
    wanted = {w.strip().lower(): None for w in witnesses if w.strip()}
    found: dict[str, int | None] = dict(wanted)
    if audit.GENESIS in found:
        found[audit.GENESIS] = 0

    # Everything in one read transaction: the log and the tables from one snapshot. Tables
    # that grow with the forum are read through the connection (rows as they come, not an
    # ORM result buffered whole).
    with audit.reading(db, session) as s:
        count, prev_hash = _replay_chain(db, s, state, found)
        handles = {i: h for i, h in s.connection().execute(select(Member.id, Member.handle))}
        # 2. The tables against the replayed state.
        for check in CHECKS:
            check(s, handles, state)
        _check_closes(state)
    for witness, at in found.items():
        if at is None:
            problems.add("witness_missing", witness=witness)
    lines = problems.result()
    return audit.VerifyReport(
        ok=not lines,
        entries=count,
        head_hash=prev_hash,
        problems=lines,
        witnesses=found,
        empty_log=_content_without_log(db) if count == 0 else None,
    )


def _replay_chain(
    db: Database, session: Session, state: Replay, found: dict[str, int | None]
) -> tuple[int, str]:
    """1. The chain, and the replay of each entry into the state it describes. Returns the
    number of entries and the last hash."""
    problems = state.problems
    prev_hash, expected_seq, count = audit.GENESIS, 1, 0
    for e in audit.entries(db, batch=BATCH, session=session):
        count += 1
        where = {"seq": e.seq, "action": e.action, "subject": e.subject}
        if e.seq != expected_seq:
            problems.add("gap", expected=expected_seq, **where)
        if e.prev_hash != prev_hash:
            problems.add("prev", **where)
        if (
            audit.entry_hash(
                e.prev_hash, e.seq, e.created_at, e.actor, e.action, e.subject, e.payload
            )
            != e.hash
        ):
            problems.add("hash", **where)
        if e.hash in found:
            found[e.hash] = e.seq
        prev_hash, expected_seq = e.hash, e.seq + 1
        try:
            _replay_entry(e, state)
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.add("unreadable", **where)
    row = session.execute(select(AuditHead.seq, AuditHead.hash)).first()
    seq, head_hash = (row.seq, row.hash) if row else (0, audit.GENESIS)
    if (seq, head_hash) != (expected_seq - 1, prev_hash):
        problems.add("head", head_seq=seq, last_seq=expected_seq - 1)
    return count, prev_hash


def _content_without_log(db: Database) -> tuple[int, int] | None:
    """(proposals, members) when the forum has content but its log is empty, else None.

    An empty log vouches for nothing; a `cp` of a running forum typically looks like this
    (the old file, with the latest changes left behind in the WAL)."""
    with db.read() as session:
        n_proposals = session.scalar(select(func.count()).select_from(Proposal)) or 0
        n_members = session.scalar(select(func.count()).select_from(Member)) or 0
    return (n_proposals, n_members) if n_proposals or n_members else None


def _replay_entry(e: audit.LogEntry, state: Replay) -> None:
    phase_handler = _PHASE_HANDLERS.get(e.action)
    handler = REPLAY.get(e.action)
    if phase_handler is not None:
        phase_handler(state.phases, e, state.problems)
    elif e.action in invites.ACTIONS:
        invites.replay(e, state.invites, state.problems)
    elif handler is not None:
        handler(e, state)
    elif isinstance(e.payload.get("content_hash"), str):
        # An action this version does not know that writes a proposal's text.
        _replay_text(e, state)


def _replay_text(e: audit.LogEntry, state: Replay) -> None:
    state.texts_logged = True
    log = state.proposals[e.subject]
    log.text_hash, log.text_seq = e.payload["content_hash"], e.seq


def _replay_open(e: audit.LogEntry, state: Replay) -> None:
    p = e.payload
    log = state.proposals[e.subject]
    if log.open_seq is not None:
        state.problems.add("opened_twice", seq=e.seq, proposal=e.subject)
    log.open_seq, log.open_payload = e.seq, p
    log.text_hash, log.text_seq = p.get("content_hash"), e.seq
    log.closes_at, log.closes_seq = p.get("closes_at"), e.seq


def _replay_extend(e: audit.LogEntry, state: Replay) -> None:
    log = state.proposals[e.subject]
    log.closes_at, log.closes_seq = e.payload.get("closes_at"), e.seq


def _replay_vote(e: audit.LogEntry, state: Replay) -> None:
    """The chain pass: what needs only the proposal's state. The ballot itself (its version
    and what it counts) is checked in the ballot pass (`_check_ballots`)."""
    where = {"seq": e.seq, "proposal": e.subject}
    log = state.proposals[e.subject]
    if log.open_seq is None:
        state.problems.add("vote_before_open", **where)
    if log.close_seq is not None:
        state.problems.add("vote_after_close", **where)
    log.voted = True
    try:
        _ballot(e.seq, e.hash, e.created_at, e.payload)
    except (KeyError, TypeError, ValueError, AttributeError):
        if len(state.unreadable_votes) <= MAX_UNREADABLE_VOTES:
            state.unreadable_votes.add(e.seq)
        raise


def _ballot(seq: int, hash_: str, created_at: Any, p: dict[str, Any]) -> _Ballot:
    """A vote entry's ballot; raises on a payload that does not describe one."""
    if not isinstance(p["member"], str):
        raise TypeError("member")
    return _Ballot(
        seq,
        p["choice"],
        tuple(map(int, p["amendments"])),
        p["reason_sha256"],
        int(p["version"]),
        audit.receipt_code(hash_),
        created_at,
        p.get("cast_by", ""),
        tuple(sorted((int(n), a) for n, a in p.get("amendment_votes", {}).items())),
    )


def _replay_close(e: audit.LogEntry, state: Replay) -> None:
    log = state.proposals[e.subject]
    if log.open_seq is None or log.close_seq is not None:
        state.problems.add("close_out_of_order", seq=e.seq, proposal=e.subject)
    log.close_seq, log.close_payload, log.close_entry = e.seq, e.payload, e


def _replay_comment_add(e: audit.LogEntry, state: Replay) -> None:
    p = e.payload
    state.comments[int(p["comment"])] = _CommentLog(
        e.seq,
        e.subject,
        e.actor,
        p["amendment"],
        p["reply_to"],
        p["body_sha256"],
        times={"created_at": p["created_at"]} if "created_at" in p else {},
    )


def _replay_comment_change(e: audit.LogEntry, state: Replay) -> None:
    p = e.payload
    comment = state.comments.get(int(p["comment"]))
    if comment is None:
        state.problems.add(
            "comment_edit_unknown", comment=p["comment"], seq=e.seq, proposal=e.subject
        )
        return
    comment.seq = e.seq
    if e.action == audit.COMMENT_EDIT:
        comment.body_sha256 = p["body_sha256"]
        if "edited_at" in p:
            comment.times["edited_at"] = p["edited_at"]
    else:
        comment.deleted = True
        if "deleted_at" in p:
            comment.times["deleted_at"] = p["deleted_at"]


def _replay_member(e: audit.LogEntry, state: Replay) -> None:
    known = e.subject in state.members
    if (e.action == audit.MEMBER_ADD) == known:
        state.problems.add("member_order", seq=e.seq, member=e.subject, action=e.action)
    state.members[e.subject] = _MemberLog(e.seq, dict(e.payload))


def _count(log: _ProposalLog, ballot: _Ballot, delta: int) -> None:
    log.counts[ballot.choice] += delta
    if ballot.choice == Choice.BETINGET_JA:
        for n in ballot.amendments:
            log.support[n] += delta
    for n, answer in ballot.answers:
        log.answers.setdefault(n, [0, 0, 0])[_ANSWER_INDEX[answer]] += delta


_ANSWER_INDEX = {"ja": 0, "nej": 1, "undlad": 2}


def _check_close(e: audit.LogEntry, log: _ProposalLog, problems: _Problems) -> None:
    p = e.payload
    where = {"seq": e.seq, "proposal": e.subject}
    if p.get("secret"):
        _check_secret_close(e, log, problems)
        return
    logged_support = {int(k): v for k, v in p["amendment_support"].items()}
    replayed_support = {k: v for k, v in log.support.items() if v}
    if p["counts"] != log.counts or p["cast"] != sum(log.counts.values()):
        problems.add("close_counts", what=_diff(p["counts"], log.counts), **where)
    elif logged_support != replayed_support:
        problems.add("close_counts", what="amendment_support", **where)
    logged_votes = {int(k): list(v) for k, v in p.get("amendment_votes", {}).items()}
    if logged_votes != {k: v for k, v in log.answers.items() if any(v)}:
        problems.add("close_counts", what="amendment_votes", **where)
    rules = RuleSet.from_dict(log.open_payload["rules"]) if log.open_payload else None
    if rules is None:
        return
    ballot = p.get("ballot")
    counts = Counts(
        **p["counts"],
        eligible=int(p["eligible"]),
        amendment_support=logged_support,
        amendment_count=int(p.get("amendment_count", 0)),
        present=p.get("present"),
        amendment_votes={k: AmendmentVotes(*v) for k, v in logged_votes.items()},
        on_ballot=tuple(ballot["amendments"]) if ballot else None,
        alternatives={int(k): v for k, v in ballot["alternatives"].items()} if ballot else {},
    )
    _check_decision(e, rules, counts, problems)


def _check_decision(e: audit.LogEntry, rules: RuleSet, counts: Counts, problems: _Problems) -> None:
    p = e.payload
    where = {"seq": e.seq, "proposal": e.subject}
    decision = decide(rules, counts)
    if (
        decision.outcome.value != p["outcome"]
        or list(decision.carried_amendments) != p["carried_amendments"]
    ):
        problems.add(
            "close_outcome",
            logged=p["outcome"],
            expected=decision.outcome.value,
            rules=rules.name,
            **where,
        )


def _diff(a: dict[str, Any], b: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}: {a.get(k)} ≠ {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)
    )


def _check_proposals(session: Session, handles: dict[int, str], state: Replay) -> None:
    proposals, problems = state.proposals, state.problems
    rows = session.execute(
        select(
            Proposal.id,
            Proposal.status,
            Proposal.rules_spec,
            Proposal.content_hash,
            Proposal.closes_at,
        )
    ).all()
    recomputed = stored_text_hashes(session)
    ballot_texts = ballot_text_digests(session)
    seen = set()
    for row in rows:
        seen.add(row.id)
        log = proposals.get(row.id) or _ProposalLog()
        known = log.text_seq is not None or log.open_seq is not None
        if state.texts_logged and not known and row.id not in state.phases.proposals:
            problems.add("proposal_unlogged", proposal=row.id)
        expected = (
            ProposalStatus.CLOSED
            if log.close_seq
            else ProposalStatus.VOTING
            if log.open_seq
            else state.phases.phase(row.id)
        )
        if row.status != expected:
            problems.add("status", proposal=row.id, status=row.status, expected=str(expected))
        if row.content_hash not in recomputed.get(row.id, ()):
            problems.add("text_rehashed", proposal=row.id)
        if log.open_seq is not None:
            spec = json.loads(row.rules_spec) if row.rules_spec else None
            if spec != log.open_payload.get("rules"):
                problems.add("rules", proposal=row.id, seq=log.open_seq)
            logged_text = log.open_payload.get("text_sha256")
            if row.content_hash != log.open_payload.get("content_hash") or (
                logged_text is not None and ballot_texts.get(row.id) != logged_text
            ):
                problems.add("text_changed", proposal=row.id, seq=log.open_seq)
            stored_deadline = audit.timestamp(row.closes_at) if row.closes_at else None
            if stored_deadline != log.closes_at:
                problems.add(
                    "deadline",
                    proposal=row.id,
                    seq=log.closes_seq,
                    stored=stored_deadline or "-",
                    logged=log.closes_at or "-",
                )
        elif (
            log.text_hash is not None
            and row.id not in state.phases.proposals  # phases_replay checks those
            and row.content_hash != log.text_hash
        ):
            problems.add("draft_changed", proposal=row.id, seq=log.text_seq)
    for pid in sorted(set(proposals) - seen):
        problems.add("proposal_missing", proposal=pid)


def _check_members(session: Session, handles: dict[int, str], state: Replay) -> None:
    fingerprints: dict[int, list[str]] = defaultdict(list)
    for member_id, fingerprint in session.connection().execute(
        select(MemberKey.member_id, MemberKey.fingerprint)
    ):
        fingerprints[member_id].append(fingerprint)
    seen = set()
    for m in session.connection().execute(
        select(Member.id, Member.handle, Member.name, Member.role, Member.can_vote, Member.active)
    ):
        seen.add(m.handle)
        logged = state.members.get(m.handle)
        if logged is None:
            if state.members:  # a log without member entries predates them: nothing to check
                state.problems.add("member_unlogged", member=m.handle)
            continue
        stored = {
            "name_sha256": audit.sha256_text(m.name),
            "role": str(m.role),
            "can_vote": bool(m.can_vote),
            "active": bool(m.active),
            "keys": sorted(fingerprints.get(m.id, ())),
        }
        wrong = [k for k in stored if logged.state.get(k) != stored[k]]
        if wrong:
            labels = {"name_sha256": "name"}
            state.problems.add(
                "member_differs",
                member=m.handle,
                seq=logged.seq,
                what=", ".join(labels.get(k, k) for k in wrong),
            )
    for handle in sorted(set(state.members) - seen):
        state.problems.add("member_missing", member=handle, seq=state.members[handle].seq)


def _check_closes(state: Replay) -> None:
    """Each close against the counts the ballot pass summed as they stood at the close."""
    closes = [log.close_entry for log in state.proposals.values() if log.close_entry]
    for e in sorted(closes, key=lambda entry: entry.seq):
        _check_close(e, state.proposals[e.subject], state.problems)


Key = tuple[str, str]  # (proposal, member handle)
_Column = ColumnElement[Any] | QueryableAttribute[Any]


def _check_ballots(session: Session, handles: dict[int, str], state: Replay) -> None:
    """The ballot pass: the log's vote entries, the vote history and the current votes, each
    sorted by (proposal, member) in the database and merged here one member's ballots at a
    time. Checks each ballot's version, sums the counts as they stood at each close, and
    compares the history and the current vote with the logged ballots."""
    if len(state.unreadable_votes) > MAX_UNREADABLE_VOTES:
        return
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    stream = {"yield_per": BATCH}  # per statement: the caller's connection keeps its options

    def rows(query: Any) -> Iterator[Any]:  # batch by batch: no per-row fetch call
        return itertools.chain.from_iterable(
            conn.execute(query, execution_options=stream).partitions()
        )

    logged = _grouped(rows(_logged_ballots(postgres, state.unreadable_votes)))
    history = _grouped(rows(_history_rows(postgres)))
    current = _grouped(rows(_current_votes(postgres)))
    for key, entries, stored_history, stored_votes in _merge(logged, history, current):
        ballots = _replay_ballots(key, entries, state)
        _check_current(key, ballots, stored_votes, state.problems)
        _check_member_history(key, ballots, stored_history, state.problems)


def _replay_ballots(key: Key, rows: Sequence[Any], state: Replay) -> list[_Ballot]:
    """One member's logged ballots on one proposal, in log order: versions 1..n; the last
    one before the close counts."""
    pid, member = key
    ballots: list[_Ballot] = []
    for row in rows:
        ballot = _ballot(row.seq, row.hash, row.created_at, json.loads(row.payload))
        previous = ballots[-1].version if ballots else 0
        if ballot.version != previous + 1:
            state.problems.add(
                "version_gap",
                member=member,
                version=ballot.version,
                previous=previous,
                seq=row.seq,
                proposal=pid,
            )
        ballots.append(ballot)
    log = state.proposals[pid]
    before_close = [b for b in ballots if log.close_seq is None or b.seq < log.close_seq]
    if before_close:
        _count(log, before_close[-1], +1)
    return ballots


def _check_current(
    key: Key, ballots: list[_Ballot], rows: Sequence[Any], problems: _Problems
) -> None:
    pid, member = key
    for v in rows:
        if not ballots:
            problems.add("vote_unlogged", member=member, proposal=pid)
            continue
        last = ballots[-1]
        stored = _Ballot(
            last.seq,
            v.choice,
            tuple(sorted(_numbers(v.numbers))),
            audit.sha256_text(v.reason) if v.reason else "",
            v.version,
            v.receipt,
            v.cast_at,
            _cast_by(v.cast_by, v.cast_by_handle),
            tuple(sorted(_answers(v.answers))) if v.answers else (),
        )
        if wrong := _ballot_diff(last, stored):
            problems.add("vote_differs", seq=last.seq, what=wrong, member=member, proposal=pid)
    if ballots and not rows:
        problems.add("vote_missing", proposal=pid, member=member, seq=ballots[-1].seq)


def _check_member_history(
    key: Key, ballots: list[_Ballot], rows: Sequence[Any], problems: _Problems
) -> None:
    pid, member = key
    seen: set[int] = set()
    for h in rows:
        seen.add(h.version)
        logged = next((b for b in ballots if b.version == h.version), None)
        if logged is None:
            problems.add("history_unlogged", member=member, proposal=pid, version=h.version)
            continue
        stored = _Ballot(
            logged.seq,
            h.choice,
            _numbers(h.amendments),
            audit.sha256_text(h.reason) if h.reason else "",
            h.version,
            h.receipt,
            h.cast_at,
            _cast_by(h.cast_by, h.cast_by_handle),
            tuple(_answers(h.amendment_answers)) if h.amendment_answers else (),
        )
        if wrong := _ballot_diff(logged, stored):
            problems.add(
                "history_differs",
                seq=logged.seq,
                what=wrong,
                member=member,
                proposal=pid,
                version=h.version,
            )
    for b in ballots:
        if b.version not in seen:
            problems.add(
                "history_missing", proposal=pid, member=member, version=b.version, seq=b.seq
            )


def _cast_by(member_id: int | None, handle: str | None) -> str:
    if member_id is None:
        return ""
    return handle if handle is not None else f"#{member_id}"


def _numbers(text: str | None) -> tuple[int, ...]:
    """ "1,3" -> (1, 3); nothing for "" or NULL."""
    return tuple(int(n) for n in text.split(",") if n) if text else ()


def _answers(text: str) -> Iterator[tuple[int, str]]:
    """ "2=ja,3=nej" -> (2, "ja"), (3, "nej")."""
    for number, _, answer in (x.partition("=") for x in text.split(",") if x):
        yield int(number), answer


def _sorted_text(expr: _Column, postgres: bool) -> ColumnElement[Any]:
    """Text sorted by code point on both databases, as Python compares it (the merge relies
    on the database and Python agreeing on the order)."""
    return collate(expr, "C" if postgres else "BINARY")


def _member_key(member_id: _Column, handle: _Column) -> ColumnElement[Any]:
    """A member's handle; "#id" for a row whose member is gone, as problems name it."""
    return func.coalesce(handle, literal("#") + cast(member_id, String))


def _naive(column: _Column) -> ColumnElement[Any]:
    """A time as the naive UTC the database holds (the ballot pass compares times read this
    way only: no time zone to attach to each)."""
    return type_coerce(column, DateTime).label(column.key)


def _logged_ballots(postgres: bool, unreadable: set[int]) -> Any:
    payload = AuditEntry.payload
    member = (
        cast(payload, postgresql.JSONB)["member"].astext
        if postgres
        else func.json_extract(payload, "$.member")
    )
    return (
        select(
            AuditEntry.subject.label("k_proposal"),
            member.label("k_member"),
            AuditEntry.seq,
            AuditEntry.hash,
            _naive(AuditEntry.created_at),
            AuditEntry.payload,
        )
        .where(
            AuditEntry.action.in_((audit.VOTE, audit.VOTE_CHANGE)),
            AuditEntry.seq.not_in(bindparam("unreadable", sorted(unreadable), expanding=True)),
        )
        .order_by(
            _sorted_text(AuditEntry.subject, postgres),
            _sorted_text(member, postgres),
            AuditEntry.seq,
        )
    )


def _history_rows(postgres: bool) -> Any:
    who, by = aliased(Member), aliased(Member)
    member = _member_key(VoteHistory.member_id, who.handle)
    return (
        select(
            VoteHistory.proposal_id.label("k_proposal"),
            member.label("k_member"),
            VoteHistory.version,
            VoteHistory.choice,
            VoteHistory.amendments,
            VoteHistory.amendment_answers,
            VoteHistory.reason,
            VoteHistory.receipt,
            _naive(VoteHistory.cast_at),
            VoteHistory.cast_by,
            by.handle.label("cast_by_handle"),
        )
        .outerjoin(who, who.id == VoteHistory.member_id)
        .outerjoin(by, by.id == VoteHistory.cast_by)
        .order_by(
            _sorted_text(VoteHistory.proposal_id, postgres),
            _sorted_text(member, postgres),
            VoteHistory.version,
        )
    )


def _current_votes(postgres: bool) -> Any:
    who, by = aliased(Member), aliased(Member)
    member = _member_key(Vote.member_id, who.handle)
    numbers, answers = counting.NUMBERS_OF_VOTE, counting.ANSWERS_OF_VOTE
    return (
        select(
            Vote.proposal_id.label("k_proposal"),
            member.label("k_member"),
            Vote.choice,
            Vote.reason,
            Vote.receipt,
            Vote.version,
            _naive(Vote.cast_at),
            Vote.cast_by,
            by.handle.label("cast_by_handle"),
            numbers.label("numbers"),
            answers.label("answers"),
        )
        .outerjoin(who, who.id == Vote.member_id)
        .outerjoin(by, by.id == Vote.cast_by)
        .order_by(_sorted_text(Vote.proposal_id, postgres), _sorted_text(member, postgres))
    )


_KEY = attrgetter("k_proposal", "k_member")


def _grouped(rows: Iterable[Any]) -> Iterator[tuple[Key, list[Any]]]:
    """Consecutive rows of one (proposal, member), checked to arrive in ascending order."""
    previous: Key | None = None
    for key, group in itertools.groupby(rows, key=_KEY):
        if previous is not None and key <= previous:
            raise RuntimeError(f"rows out of order: {key} after {previous}")
        previous = key
        yield key, list(group)


def _merge(
    *streams: Iterator[tuple[Key, list[Any]]],
) -> Iterator[tuple[Key, list[Any], list[Any], list[Any]]]:
    """The union of the streams' keys in order, with each stream's rows for the key."""
    heads = [next(s, None) for s in streams]
    while True:
        keys = [h[0] for h in heads if h is not None]
        if not keys:
            return
        key = min(keys)
        parts: list[list[Any]] = []
        for i, h in enumerate(heads):
            if h is not None and h[0] == key:
                parts.append(h[1])
                heads[i] = next(streams[i], None)
            else:
                parts.append([])
        yield key, parts[0], parts[1], parts[2]


def _ballot_diff(logged: _Ballot, stored: _Ballot) -> str:
    if logged == stored:
        return ""
    names = (
        "choice",
        "amendments",
        "reason_sha256",
        "version",
        "receipt",
        "cast_at",
        "cast_by",
        "answers",
    )
    labels = {"reason_sha256": "reason", "answers": "amendment_votes"}
    return ", ".join(labels.get(n, n) for n in names if getattr(logged, n) != getattr(stored, n))


def _check_tallies(session: Session, handles: dict[int, str], state: Replay) -> None:
    proposals, problems = state.proposals, state.problems
    seen = set()
    for t in session.scalars(select(Tally)):
        seen.add(t.proposal_id)
        log = proposals.get(t.proposal_id)
        if log is None or log.close_seq is None:
            problems.add("tally_unlogged", proposal=t.proposal_id)
            continue
        p = log.close_payload
        stored = {
            "counts": {c.value: getattr(t, c.value) for c in Choice},
            "cast": t.cast,
            "eligible": t.eligible,
            "amendment_support": json.loads(t.amendment_support or "{}"),
            "outcome": t.outcome,
            "carried_amendments": [int(k) for k in t.carried_amendments.split(",") if k],
            "closed_at": audit.timestamp(t.closed_at),
            "present": t.present,
            "ballots_sha256": t.ballots_sha256,
        }
        if "ballot" in p:  # closed since ballots and adopted texts are recorded
            stored["ballot"] = json.loads(t.amendment_ballot or "{}")
            stored["adopted_text_sha256"] = (
                None if t.adopted_text is None else text_sha256(t.adopted_text)
            )
        if "amendment_votes" in p or t.amendment_votes not in ("", "{}"):
            stored["amendment_votes"] = json.loads(t.amendment_votes or "{}")
        wrong = [k for k, v in stored.items() if p.get(k) != v]
        if t.adopted_sha256 != p.get("adopted_text_sha256"):
            wrong.append("adopted_sha256")
        if "ballot" not in p and t.adopted_text is not None:
            wrong.append("adopted_text")
        wrong = sorted({"adopted_text" if w.startswith("adopted") else w for w in wrong})
        if wrong:
            problems.add(
                "tally_differs", proposal=t.proposal_id, seq=log.close_seq, what=", ".join(wrong)
            )
    for pid, log in sorted(proposals.items()):
        if log.close_seq is not None and pid not in seen:
            problems.add("tally_missing", proposal=pid, seq=log.close_seq)


def _check_comments(session: Session, handles: dict[int, str], state: Replay) -> None:
    comments, problems = state.comments, state.problems
    seen = set()
    for c in session.connection().execute(
        select(
            Comment.id,
            Comment.proposal_id,
            Comment.amendment_number,
            Comment.parent_id,
            Comment.author_id,
            Comment.body,
            Comment.created_at,
            Comment.edited_at,
            Comment.deleted_at,
        )
    ):
        seen.add(c.id)
        logged = comments.get(c.id)
        if logged is None:
            problems.add("comment_unlogged", comment=c.id, proposal=c.proposal_id)
            continue
        wrong = []
        if (c.proposal_id, c.amendment_number, c.parent_id) != (
            logged.proposal,
            logged.amendment,
            logged.reply_to,
        ):
            wrong.append("place")
        if handles.get(c.author_id) != logged.author:
            wrong.append("author")
        if audit.sha256_text(c.body) != logged.body_sha256:
            wrong.append("body")
        if (c.deleted_at is not None) != logged.deleted:
            wrong.append("deleted")
        for name, logged_time in logged.times.items():
            moment = getattr(c, name)
            if (audit.timestamp(moment) if moment else None) != logged_time:
                wrong.append(name)
        if logged.times.get("created_at") and "edited_at" not in logged.times and c.edited_at:
            wrong.append("edited_at")
        if wrong:
            problems.add(
                "comment_differs",
                comment=c.id,
                proposal=c.proposal_id,
                seq=logged.seq,
                what=", ".join(wrong),
            )
    for cid in sorted(set(comments) - seen):
        problems.add(
            "comment_missing", comment=cid, proposal=comments[cid].proposal, seq=comments[cid].seq
        )


def _check_phases(session: Session, handles: dict[int, str], state: Replay) -> None:
    phases_replay.check(session, state.phases, state.problems)


_PHASE_HANDLERS = phases_replay.handlers()


# ------------------------------------------------------------------ the annual meeting (issue 13)
# Replay of secret-ballot participations and hand counts, and the check of the secret ballots
# against the participations: registered here, in one place.


def _replay_participation(e: audit.LogEntry, state: Replay) -> None:
    problems = state.problems
    log = state.proposals[e.subject]
    where = {"seq": e.seq, "proposal": e.subject}
    if log.open_seq is None or not log.open_payload.get("secret"):
        problems.add("vote_before_open", **where)
    if log.close_seq is not None:
        problems.add("vote_after_close", **where)
    member = e.payload["member"]
    if member in log.participants:
        problems.add("secret_twice", member=member, **where)
    log.participants.add(member)


def _replay_hand_count(e: audit.LogEntry, state: Replay) -> None:
    problems = state.problems
    log = state.proposals[e.subject]
    p = e.payload
    where = {"seq": e.seq, "proposal": e.subject}
    if log.close_seq is not None or log.voted or log.participants:
        problems.add("close_out_of_order", **where)
    if log.open_seq is None:
        log.open_seq = e.seq
        log.open_payload = {"rules": p["rules"], "content_hash": p["content_hash"]}
    log.close_seq, log.close_payload = e.seq, p
    rules = RuleSet.from_dict(log.open_payload["rules"])
    counts = Counts(
        **p["counts"],
        eligible=int(p["eligible"]),
        amendment_count=int(p.get("amendment_count", 0)),
        present=p.get("present"),
    )
    if p["cast"] != counts.cast:
        problems.add("close_counts", what="cast", **where)
    _check_decision(e, rules, counts, problems)


def _check_secret_close(e: audit.LogEntry, log: _ProposalLog, problems: _Problems) -> None:
    p = e.payload
    where = {"seq": e.seq, "proposal": e.subject}
    if p["participations"] != len(log.participants) or p["cast"] != len(log.participants):
        problems.add(
            "secret_count",
            ballots=p["cast"],
            participations=len(log.participants),
            **where,
        )
    rules = RuleSet.from_dict(log.open_payload["rules"]) if log.open_payload else None
    if rules is None:
        return
    _check_decision(e, rules, _logged_counts(p), problems)


def _logged_counts(p: dict[str, Any]) -> Counts:
    """The counts a close entry logged, with its amendment answers and ballot."""
    ballot = p.get("ballot")
    return Counts(
        **p["counts"],
        eligible=int(p["eligible"]),
        amendment_support={int(k): v for k, v in p["amendment_support"].items()},
        amendment_count=int(p.get("amendment_count", 0)),
        present=p.get("present"),
        amendment_votes={
            int(k): AmendmentVotes(*v) for k, v in p.get("amendment_votes", {}).items()
        },
        on_ballot=tuple(ballot["amendments"]) if ballot else None,
        alternatives={int(k): v for k, v in ballot["alternatives"].items()} if ballot else {},
    )


def _check_secret_ballots(session: Session, handles: dict[int, str], state: Replay) -> None:
    """Participations match the log; at close, the ballots match the published hash and are
    exactly as many as the participations."""
    proposals, problems = state.proposals, state.problems
    stored: dict[str, set[str]] = defaultdict(set)
    for pid, member_id in session.connection().execute(
        select(SecretParticipation.proposal_id, SecretParticipation.member_id)
    ):
        stored[pid].add(handles.get(member_id, f"#{member_id}"))
    for pid in sorted(set(stored) | {k for k, v in proposals.items() if v.participants}):
        logged = proposals[pid].participants if pid in proposals else set()
        if stored.get(pid, set()) != logged:
            problems.add(
                "secret_participants",
                proposal=pid,
                what=", ".join(sorted(stored.get(pid, set()) ^ logged)),
            )
    for pid, log in sorted(proposals.items()):
        if not log.open_payload.get("secret"):
            continue
        ballots = secret_ballots.ballots_in(session, pid)
        if len(ballots) != len(log.participants):
            problems.add(
                "secret_count",
                seq=log.close_seq or log.open_seq,
                proposal=pid,
                ballots=len(ballots),
                participations=len(log.participants),
            )
        if log.close_seq is not None and log.close_payload.get("secret"):
            # (closed by a hand count instead, nobody having voted: no ballot list to check)
            digest = secret_ballots.ballot_list_sha256(ballots)
            if digest != log.close_payload.get("ballots_sha256"):
                problems.add("secret_hash", proposal=pid, seq=log.close_seq)
            _check_secret_counts(pid, log, ballots, problems)


def _check_secret_counts(
    pid: str, log: _ProposalLog, ballots: list[secret_ballots.PublishedBallot], problems: _Problems
) -> None:
    """The counts logged at close are the stored ballots counted: choices, the amendments
    Betinget-ja ballots name and, with separate amendment votes, each amendment's answers."""
    p = log.close_payload
    logged = _logged_counts(p)
    counted = secret_ballots.counts_of(
        ballots,
        eligible=logged.eligible,
        amendment_count=logged.amendment_count,
        present=logged.present,
    )
    separate = "amendment_votes" in p
    what = [
        name
        for name, same in (
            ("counts", counted.as_dict() == logged.as_dict()),
            ("amendment_support", counted.amendment_support == logged.amendment_support),
            ("amendment_votes", not separate or counted.amendment_votes == logged.amendment_votes),
        )
        if not same
    ]
    if what:
        problems.add("secret_ballot_counts", proposal=pid, seq=log.close_seq, what=", ".join(what))


# Every check, in the order its problems are listed.
CHECKS: list[Check] = [
    _check_members,
    _check_proposals,
    _check_phases,
    _check_ballots,
    _check_tallies,
    _check_comments,
    _check_secret_ballots,
]

# Every action that the replay knows, and its handler.
REPLAY: dict[str, ReplayHandler] = {
    secret_ballots.PARTICIPATION: _replay_participation,
    HAND_COUNT: _replay_hand_count,
    audit.PROPOSAL_IMPORT: _replay_text,
    audit.OPEN: _replay_open,
    audit.EXTEND: _replay_extend,
    audit.VOTE: _replay_vote,
    audit.VOTE_CHANGE: _replay_vote,
    audit.CLOSE: _replay_close,
    audit.COMMENT_ADD: _replay_comment_add,
    audit.COMMENT_EDIT: _replay_comment_change,
    audit.COMMENT_DELETE: _replay_comment_change,
    **dict.fromkeys(audit.MEMBER_ACTIONS, _replay_member),
}
