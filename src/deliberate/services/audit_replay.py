"""`verify`: recompute the audit chain, then replay it against what the database holds.

The chain pass catches an edited, removed, inserted or reordered entry. The replay pass
rebuilds, from the log alone, every proposal's state, every member's vote history, the counts
at each close, and every comment, and compares them with the tables: an edited vote row, a
vote without a log entry, an altered tally or a rewritten comment each give one line saying
what and where.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from deliberate.domain.adopted import text_sha256
from deliberate.domain.ballot import Choice
from deliberate.domain.rules import AmendmentVotes, Counts, RuleSet, decide
from deliberate.i18n import Translator
from deliberate.services import audit, invites, phases_replay
from deliberate.store.engine import Database
from deliberate.store.models import (
    AmendmentAnswer,
    AuditHead,
    Comment,
    Member,
    Proposal,
    Tally,
    Vote,
    VoteAmendment,
    VoteHistory,
)

MAX_PROBLEMS = 200


@dataclass(frozen=True)
class _Ballot:
    seq: int
    choice: str
    amendments: tuple[int, ...]
    reason_sha256: str
    version: int
    receipt: str
    cast_at: Any
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
    # separate amendment votes: number -> [ja, nej, undlad]
    answers: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class _CommentLog:
    seq: int
    proposal: str
    author: str
    amendment: int | None
    reply_to: int | None
    body_sha256: str
    deleted: bool = False


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


def verify_database(db: Database, *, lang: str = "da") -> audit.VerifyReport:
    problems = _Problems(lang)
    proposals: dict[str, _ProposalLog] = defaultdict(_ProposalLog)
    ballots: dict[tuple[str, str], list[_Ballot]] = defaultdict(list)
    comments: dict[int, _CommentLog] = {}
    phases = phases_replay.PhaseLog()
    phase_handlers = phases_replay.handlers()
    invite_log = invites.ReplayState()

    # 1. The chain, and the replay of each entry into the state it describes.
    prev_hash, expected_seq, count = audit.GENESIS, 1, 0
    for e in audit.entries(db):
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
        prev_hash, expected_seq = e.hash, e.seq + 1
        try:
            if e.action in phase_handlers:
                phase_handlers[e.action](phases, e, problems)
            elif e.action in invites.ACTIONS:
                invites.replay(e, invite_log, problems)
            else:
                _replay(e, proposals, ballots, comments, problems)
        except (KeyError, TypeError, ValueError):
            problems.add("unreadable", **where)
    seq, head_hash = _head_row(db)
    if (seq, head_hash) != (expected_seq - 1, prev_hash):
        problems.add("head", head_seq=seq, last_seq=expected_seq - 1)

    # 2. The tables against the replayed state.
    with db.read() as session:
        handles = {i: h for i, h in session.execute(select(Member.id, Member.handle))}
        _check_proposals(session, proposals, phases, problems)
        phases_replay.check(session, phases, problems)
        _check_votes(session, handles, ballots, problems)
        _check_history(session, handles, ballots, problems)
        _check_tallies(session, proposals, problems)
        _check_comments(session, handles, comments, problems)
    lines = problems.result()
    return audit.VerifyReport(ok=not lines, entries=count, head_hash=prev_hash, problems=lines)


def _head_row(db: Database) -> tuple[int, str]:
    with db.read() as session:
        row = session.execute(select(AuditHead.seq, AuditHead.hash)).first()
    return (row.seq, row.hash) if row else (0, audit.GENESIS)


def _replay(
    e: audit.LogEntry,
    proposals: dict[str, _ProposalLog],
    ballots: dict[tuple[str, str], list[_Ballot]],
    comments: dict[int, _CommentLog],
    problems: _Problems,
) -> None:
    p = e.payload
    where = {"seq": e.seq, "proposal": e.subject}
    if e.action == audit.OPEN:
        log = proposals[e.subject]
        if log.open_seq is not None:
            problems.add("opened_twice", **where)
        log.open_seq, log.open_payload = e.seq, p
    elif e.action in (audit.VOTE, audit.VOTE_CHANGE):
        log = proposals[e.subject]
        if log.open_seq is None:
            problems.add("vote_before_open", **where)
        if log.close_seq is not None:
            problems.add("vote_after_close", **where)
        key = (e.subject, p["member"])
        history = ballots[key]
        version = int(p["version"])
        previous = history[-1].version if history else 0
        if version != previous + 1:
            problems.add(
                "version_gap", member=p["member"], version=version, previous=previous, **where
            )
        if history:
            _count(log, history[-1], -1)
        ballot = _Ballot(
            e.seq,
            p["choice"],
            tuple(int(n) for n in p["amendments"]),
            p["reason_sha256"],
            version,
            audit.receipt_code(e.hash),
            e.created_at,
            tuple(sorted((int(n), a) for n, a in p.get("amendment_votes", {}).items())),
        )
        history.append(ballot)
        _count(log, ballot, +1)
    elif e.action == audit.CLOSE:
        log = proposals[e.subject]
        if log.open_seq is None or log.close_seq is not None:
            problems.add("close_out_of_order", **where)
        log.close_seq, log.close_payload = e.seq, p
        _check_close(e, log, problems)
    elif e.action == audit.COMMENT_ADD:
        comments[int(p["comment"])] = _CommentLog(
            e.seq, e.subject, e.actor, p["amendment"], p["reply_to"], p["body_sha256"]
        )
    elif e.action == audit.COMMENT_EDIT:
        comment = comments.get(int(p["comment"]))
        if comment is None:
            problems.add("comment_edit_unknown", comment=p["comment"], **where)
        else:
            comment.body_sha256, comment.seq = p["body_sha256"], e.seq
    elif e.action == audit.COMMENT_DELETE:
        comment = comments.get(int(p["comment"]))
        if comment is None:
            problems.add("comment_edit_unknown", comment=p["comment"], **where)
        else:
            comment.deleted, comment.seq = True, e.seq


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
        amendment_votes={k: AmendmentVotes(*v) for k, v in logged_votes.items()},
        on_ballot=tuple(ballot["amendments"]) if ballot else None,
        alternatives={int(k): v for k, v in ballot["alternatives"].items()} if ballot else {},
    )
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


def _check_proposals(
    session: Any,
    proposals: dict[str, _ProposalLog],
    phases: phases_replay.PhaseLog,
    problems: _Problems,
) -> None:
    rows = session.execute(
        select(Proposal.id, Proposal.status, Proposal.rules_spec, Proposal.content_hash)
    ).all()
    seen = set()
    for row in rows:
        seen.add(row.id)
        log = proposals.get(row.id) or _ProposalLog()
        expected = "closed" if log.close_seq else "voting" if log.open_seq else phases.phase(row.id)
        if row.status != expected:
            problems.add("status", proposal=row.id, status=row.status, expected=expected)
        if log.open_seq is not None:
            spec = json.loads(row.rules_spec) if row.rules_spec else None
            if spec != log.open_payload.get("rules"):
                problems.add("rules", proposal=row.id, seq=log.open_seq)
            if row.content_hash != log.open_payload.get("content_hash"):
                problems.add("text_changed", proposal=row.id, seq=log.open_seq)
    for pid in sorted(set(proposals) - seen):
        problems.add("proposal_missing", proposal=pid)


def _check_votes(
    session: Any,
    handles: dict[int, str],
    ballots: dict[tuple[str, str], list[_Ballot]],
    problems: _Problems,
) -> None:
    numbers: dict[int, list[int]] = defaultdict(list)
    for vote_id, number in session.execute(
        select(VoteAmendment.vote_id, VoteAmendment.number).order_by(
            VoteAmendment.vote_id, VoteAmendment.number
        )
    ):
        numbers[vote_id].append(number)
    answers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for vote_id, number, answer in session.execute(
        select(AmendmentAnswer.vote_id, AmendmentAnswer.number, AmendmentAnswer.answer).order_by(
            AmendmentAnswer.vote_id, AmendmentAnswer.number
        )
    ):
        answers[vote_id].append((number, answer))
    seen: set[tuple[str, str]] = set()
    for v in session.execute(
        select(
            Vote.id,
            Vote.proposal_id,
            Vote.member_id,
            Vote.choice,
            Vote.reason,
            Vote.receipt,
            Vote.version,
            Vote.cast_at,
        )
    ):
        member = handles.get(v.member_id, f"#{v.member_id}")
        key = (v.proposal_id, member)
        seen.add(key)
        history = ballots.get(key)
        where = {"member": member, "proposal": v.proposal_id}
        if not history:
            problems.add("vote_unlogged", **where)
            continue
        last = history[-1]
        stored = _Ballot(
            last.seq,
            v.choice,
            tuple(numbers.get(v.id, ())),
            audit.sha256_text(v.reason) if v.reason else "",
            v.version,
            v.receipt,
            v.cast_at,
            tuple(answers.get(v.id, ())),
        )
        if wrong := _ballot_diff(last, stored):
            problems.add("vote_differs", seq=last.seq, what=wrong, **where)
    for key in sorted(set(ballots) - seen):
        problems.add("vote_missing", proposal=key[0], member=key[1], seq=ballots[key][-1].seq)


def _check_history(
    session: Any,
    handles: dict[int, str],
    ballots: dict[tuple[str, str], list[_Ballot]],
    problems: _Problems,
) -> None:
    seen: set[tuple[str, str, int]] = set()
    for h in session.execute(
        select(
            VoteHistory.proposal_id,
            VoteHistory.member_id,
            VoteHistory.version,
            VoteHistory.choice,
            VoteHistory.amendments,
            VoteHistory.amendment_answers,
            VoteHistory.reason,
            VoteHistory.receipt,
            VoteHistory.cast_at,
        )
    ):
        member = handles.get(h.member_id, f"#{h.member_id}")
        where = {"member": member, "proposal": h.proposal_id, "version": h.version}
        seen.add((h.proposal_id, member, h.version))
        history = ballots.get((h.proposal_id, member), [])
        logged = next((b for b in history if b.version == h.version), None)
        if logged is None:
            problems.add("history_unlogged", **where)
            continue
        stored = _Ballot(
            logged.seq,
            h.choice,
            tuple(int(n) for n in h.amendments.split(",") if n),
            audit.sha256_text(h.reason) if h.reason else "",
            h.version,
            h.receipt,
            h.cast_at,
            tuple(
                (int(n), a)
                for n, _, a in (x.partition("=") for x in h.amendment_answers.split(",") if x)
            ),
        )
        if wrong := _ballot_diff(logged, stored):
            problems.add("history_differs", seq=logged.seq, what=wrong, **where)
    for (pid, member), history in sorted(ballots.items()):
        for b in history:
            if (pid, member, b.version) not in seen:
                problems.add(
                    "history_missing", proposal=pid, member=member, version=b.version, seq=b.seq
                )


def _ballot_diff(logged: _Ballot, stored: _Ballot) -> str:
    names = ("choice", "amendments", "reason_sha256", "version", "receipt", "cast_at", "answers")
    labels = {"reason_sha256": "reason", "answers": "amendment_votes"}
    return ", ".join(labels.get(n, n) for n in names if getattr(logged, n) != getattr(stored, n))


def _check_tallies(session: Any, proposals: dict[str, _ProposalLog], problems: _Problems) -> None:
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


def _check_comments(
    session: Any, handles: dict[int, str], comments: dict[int, _CommentLog], problems: _Problems
) -> None:
    seen = set()
    for c in session.execute(
        select(
            Comment.id,
            Comment.proposal_id,
            Comment.amendment_number,
            Comment.parent_id,
            Comment.author_id,
            Comment.body,
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
