"""`verify` for phases: replays propose, draft edits, submit, support, withdraw, phase changes, schedules,
settings, amendments, adoptions and groups from the audit log, then compares the replayed
state with the tables (proposal phase, supporters, member-filed amendments, settings).

`handlers()` names the actions it replays, so `audit_replay` can route entries to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select

from deliberate.services import audit
from deliberate.services.amending import ADOPT, AMEND, AMENDMENT_WITHDRAW, GROUP
from deliberate.services.scheduler import PHASE
from deliberate.services.submissions import (
    EDIT,
    PROPOSE,
    SCHEDULE,
    SETTING,
    SUBMIT,
    SUPPORT,
    WITHDRAW,
)
from deliberate.store.models import Amendment, ForumSetting, Member, Proposal, Supporter


class Problems(Protocol):
    def add(self, key: str, **params: Any) -> None: ...


@dataclass
class _Amendment:
    seq: int
    author: str
    title: str
    kind: str
    paragraph: int | None
    operation: str | None
    text_sha256: str
    new_text_sha256: str
    justification_sha256: str
    state: str = "proposed"
    group: int | None = None


@dataclass
class _Proposal:
    seq: int = 0
    author: str | None = None
    submitted: bool = False
    phase: str = "draft"  # draft / debate / withdrawn (voting and closed come from open/close)
    supporters: set[str] = field(default_factory=set)
    amendments: dict[int, _Amendment] = field(default_factory=dict)
    content_hash: str | None = None
    body_sha256: str | None = None


@dataclass
class PhaseLog:
    proposals: dict[str, _Proposal] = field(default_factory=dict)
    settings: dict[str, int] = field(default_factory=dict)

    def of(self, proposal_id: str) -> _Proposal:
        return self.proposals.setdefault(proposal_id, _Proposal())

    def phase(self, proposal_id: str) -> str:
        found = self.proposals.get(proposal_id)
        return found.phase if found else "draft"


def _propose(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    p.seq, p.author, p.body_sha256 = e.seq, e.actor, e.payload["body_sha256"]
    p.content_hash = e.payload["content_hash"]
    p.submitted = bool(e.payload.get("submitted", True))


def _edit(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    """Only the author edits, only an unsubmitted draft; the text is then the edited one."""
    p = log.of(e.subject)
    if e.actor != p.author or p.submitted or p.phase != "draft":
        problems.add("phase_edit", seq=e.seq, proposal=e.subject, member=e.actor)
    p.seq, p.body_sha256 = e.seq, e.payload["body_sha256"]
    p.content_hash = e.payload["content_hash"]


def _submit(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    p.seq, p.submitted = e.seq, True


def _support(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    if e.actor in p.supporters:
        problems.add("phase_support_twice", seq=e.seq, proposal=e.subject, member=e.actor)
    p.supporters.add(e.actor)


def _withdraw(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    if p.phase not in ("draft", "debate"):
        problems.add("phase_order", seq=e.seq, proposal=e.subject, phase="withdrawn")
    p.phase = "withdrawn"


def _phase(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    if e.payload["phase"] == "debate":
        if p.phase != "draft":
            problems.add("phase_order", seq=e.seq, proposal=e.subject, phase="debate")
        p.phase = "debate"


def _schedule(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    log.of(e.subject).seq = e.seq


def _setting(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    log.settings[e.subject] = int(e.payload["value"])


def _amend(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    x = e.payload
    number = int(x["number"])
    if number in p.amendments:
        problems.add("amendment_reused", seq=e.seq, proposal=e.subject, number=number)
    p.amendments[number] = _Amendment(
        e.seq,
        e.actor,
        x["title"],
        x["kind"],
        x["paragraph"],
        x["operation"],
        x["text_sha256"],
        x["new_text_sha256"],
        x["justification_sha256"],
    )
    p.content_hash = x["content_hash"]


def _adopt(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    x = e.payload
    found = p.amendments.get(int(x["number"]))
    if found is not None:
        found.state, found.group, found.seq = "adopted", None, e.seq
    for number, paragraph in x.get("renumbered", {}).items():
        if int(number) in p.amendments:
            p.amendments[int(number)].paragraph = paragraph
    p.content_hash, p.body_sha256 = x["content_hash"], x["body_sha256"]


def _group(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    x = e.payload
    numbers = [int(n) for n in x["numbers"]]
    if x["group"] is None:  # one amendment leaves its group
        for n in numbers:
            a = p.amendments.get(n)
            if a is None:
                continue
            old, a.group = a.group, None
            rest = [b for b in p.amendments.values() if old is not None and b.group == old]
            if len(rest) == 1:
                rest[0].group = None
            elif rest and old == n:
                for b in rest:
                    b.group = min(k for k, v in p.amendments.items() if v in rest)
        return
    for n in numbers:
        if n in p.amendments:
            p.amendments[n].group = int(x["group"])


def _amendment_withdraw(log: PhaseLog, e: audit.LogEntry, problems: Problems) -> None:
    p = log.of(e.subject)
    a = p.amendments.get(int(e.payload["number"]))
    if a is None:
        return
    old = a.group
    a.state, a.group, a.seq = "withdrawn", None, e.seq
    rest = [b for b in p.amendments.values() if old is not None and b.group == old]
    if len(rest) == 1:
        rest[0].group = None


Handler = Callable[[PhaseLog, audit.LogEntry, Problems], None]


def handlers() -> dict[str, Handler]:
    """Action → replay handler, for every action this module writes."""
    return {
        PROPOSE: _propose,
        EDIT: _edit,
        SUBMIT: _submit,
        SUPPORT: _support,
        WITHDRAW: _withdraw,
        PHASE: _phase,
        SCHEDULE: _schedule,
        SETTING: _setting,
        AMEND: _amend,
        ADOPT: _adopt,
        GROUP: _group,
        AMENDMENT_WITHDRAW: _amendment_withdraw,
    }


def check(session: Any, log: PhaseLog, problems: Problems) -> None:
    """The tables against the replayed phases."""
    handles = {i: h for i, h in session.execute(select(Member.id, Member.handle))}
    rows = session.execute(
        select(Proposal.id, Proposal.submitted_by, Proposal.content_hash, Proposal.body)
    ).all()
    for row in rows:
        replayed = log.proposals.get(row.id)
        author = handles.get(row.submitted_by) if row.submitted_by else None
        if author != (replayed.author if replayed else None):
            problems.add("phase_author", proposal=row.id)
        if replayed is None:
            continue
        if (
            replayed.content_hash is not None
            and row.content_hash != replayed.content_hash
            or replayed.body_sha256 is not None
            and audit.sha256_text(row.body) != replayed.body_sha256
        ):
            problems.add("phase_text", proposal=row.id)
    stored: dict[str, set[str]] = {}
    for pid, member_id in session.execute(select(Supporter.proposal_id, Supporter.member_id)):
        stored.setdefault(pid, set()).add(handles.get(member_id, f"#{member_id}"))
    for pid in sorted(set(stored) | {k for k, v in log.proposals.items() if v.supporters}):
        expected = log.proposals[pid].supporters if pid in log.proposals else set()
        if stored.get(pid, set()) != expected:
            problems.add("phase_supporters", proposal=pid)
    for a in session.scalars(select(Amendment).where(Amendment.author_id.is_not(None))):
        replayed_p = log.proposals.get(a.proposal_id)
        logged = replayed_p.amendments.get(a.number) if replayed_p else None
        if logged is None:
            problems.add("amendment_unlogged", proposal=a.proposal_id, number=a.number)
            continue
        actual = (
            handles.get(a.author_id),
            a.title,
            a.kind,
            a.paragraph,
            a.operation,
            audit.sha256_text(a.body),
            audit.sha256_text(a.new_text),
            audit.sha256_text(a.justification),
            a.state,
            a.alternative_group,
        )
        expected_a = (
            logged.author,
            logged.title,
            logged.kind,
            logged.paragraph,
            logged.operation,
            logged.text_sha256,
            logged.new_text_sha256,
            logged.justification_sha256,
            logged.state,
            logged.group,
        )
        if actual != expected_a:
            names = [
                "author",
                "title",
                "kind",
                "paragraph",
                "operation",
                "text",
                "new_text",
                "justification",
                "state",
                "group",
            ]
            what = ", ".join(n for n, x, y in zip(names, actual, expected_a, strict=True) if x != y)
            problems.add(
                "amendment_differs",
                proposal=a.proposal_id,
                number=a.number,
                seq=logged.seq,
                what=what,
            )
    for key, value in session.execute(select(ForumSetting.key, ForumSetting.value)):
        if log.settings.get(key) != int(value):
            problems.add("setting_differs", setting=key)
