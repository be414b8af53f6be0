"""Members propose (DESIGN §9): a member writes a proposal, submits it, other members support
it, it enters debate with the forum's required number of supporters (or when an organizer
admits it); the author may withdraw it in draft or debate. A facilitator or organizer
schedules the phases: debate from, amendments until, voting opens, voting closes.

Each use case is one write transaction (run_write), role checks inside it, audited.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deliberate.domain.phases import Clock, effective_status
from deliberate.domain.proposal_file import ParsedAmendment, compute_content_hash, slugify
from deliberate.domain.text import normalize, sanitize, sanitize_line
from deliberate.errors import UserError
from deliberate.services import audit
from deliberate.services.members import require_member
from deliberate.services.rulesets import load_rules
from deliberate.services.scheduler import start_debate_in
from deliberate.services.transaction import run_write
from deliberate.store.engine import Database
from deliberate.store.models import (
    ForumSetting,
    Member,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    Supporter,
    utcnow,
)

MAX_TITLE = 300
MAX_BODY = 100_000  # characters: a long programme section is ~20 000
MANAGERS = (Role.FACILITATOR, Role.ORGANIZER)
OPTION = {  # how the times are named in messages: as the command line names them
    "debate_from": "--debate-from",
    "debate_until": "--debate-until",
    "opens_at": "--opens-at",
    "closes_at": "--closes-at",
}

# Forum settings and their defaults (DESIGN §9: required supporters, default 0).
SETTINGS = {"required_supporters": 0, "proxy_limit": 1}  # proxy_limit: meetings.proxies

PROPOSE = "propose"
EDIT = "proposal_edit"  # the author changes the title or text of their unsubmitted draft
SUBMIT = "submit"
SUPPORT = "support"
WITHDRAW = "withdraw"
SCHEDULE = "schedule"
SETTING = "setting"


@dataclass(frozen=True)
class SubmissionResult:
    proposal_id: str
    status: ProposalStatus
    supporters: int
    required: int


# ------------------------------------------------------------------------------ cleaning


def clean_title(title: str) -> str:
    text = normalize(sanitize_line(title or "")).strip()
    if not text:
        raise UserError("phases.error.empty_title")
    if len(text) > MAX_TITLE:
        raise UserError("phases.error.title_too_long", length=len(text), limit=MAX_TITLE)
    return text


def clean_text(text: str) -> str:
    """Member Markdown, sanitised as imported text is (line by line, NFC, '\\n' only)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    lines = [normalize(sanitize(line)).rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def clean_body(body: str, limit: int = MAX_BODY) -> str:
    if len(body or "") > limit * 2:  # refuse a huge input before working on it
        raise UserError("phases.error.body_too_long", length=len(body), limit=limit)
    text = clean_text(body)
    if not text.strip():
        raise UserError("phases.error.empty_body")
    if len(text) > limit:
        raise UserError("phases.error.body_too_long", length=len(text), limit=limit)
    return text


def rehash(proposal: Proposal) -> None:
    """The proposal's content hash after its text or amendments changed (as a file's)."""
    programme = proposal.programme.name if proposal.programme else None
    amendments = tuple(
        ParsedAmendment(a.number, a.title, a.body + a.new_text)
        for a in sorted(proposal.amendments, key=lambda a: a.number)
    )
    proposal.content_hash = compute_content_hash(
        id=proposal.id,
        title=proposal.title,
        programme=programme,
        section=proposal.section,
        authors=tuple(json.loads(proposal.authors or "[]")),
        body=proposal.body,
        amendments=amendments,
    )


# ------------------------------------------------------------------------------ settings


def get_setting(session: Session, key: str) -> int:
    row = session.get(ForumSetting, key)
    return int(row.value) if row is not None else SETTINGS[key]


def forum_settings(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {key: get_setting(session, key) for key in SETTINGS}


def set_setting(db: Database, key: str, value: str) -> int:
    """Operator command (like `member add`): set a forum setting."""
    if key not in SETTINGS:
        raise UserError(
            "phases.error.bad_setting", key=sanitize_line(key), known=", ".join(SETTINGS)
        )
    try:
        number = int(value)
        if number < 0 or number > 10_000:
            raise ValueError(value)
    except ValueError:
        raise UserError(
            "phases.error.bad_setting_value", key=key, value=sanitize_line(value)[:40]
        ) from None

    def work(session: Session) -> int:
        audit.lock_head(session)
        row = session.get(ForumSetting, key)
        if row is None:
            session.add(ForumSetting(key=key, value=str(number)))
        else:
            row.value = str(number)
        audit.append(session, actor="", action=SETTING, subject=key, payload={"value": number})
        return number

    return run_write(db, work)


# ------------------------------------------------------------------------------ use cases


def propose(
    db: Database,
    actor: str,
    title: str,
    body: str,
    *,
    programme: str | None = None,
    section: str | None = None,
    submit: bool = True,
) -> SubmissionResult:
    """A member writes a proposal: a draft of their own, submitted at once unless `submit`
    is False (then `submit_proposal` later)."""
    title = clean_title(title)
    body = clean_body(body)
    programme_name = normalize(sanitize_line(programme or "")).strip()[:300] or None
    section = normalize(sanitize_line(section or "")).strip()[:40] or None

    def work(session: Session) -> SubmissionResult:
        audit.lock_head(session)
        member = require_member(session, actor)
        now = utcnow()
        proposal = Proposal(
            id=_new_id(session, title),
            title=title,
            section=section,
            section_key=_section_key(section),
            authors=json.dumps([member.name], ensure_ascii=False),
            body=body,
            content_hash="",
            source=f"member:{member.handle}",
            status=ProposalStatus.DRAFT,
            submitted_by=member.id,
            submitted_at=now if submit else None,
            created_at=now,
            updated_at=now,
        )
        if programme_name:
            proposal.programme = _programme(session, programme_name)
        session.add(proposal)
        session.flush()
        rehash(proposal)
        audit.append(
            session,
            actor=member.handle,
            action=PROPOSE,
            subject=proposal.id,
            payload={
                "title": title,
                "body_sha256": audit.sha256_text(body),
                "content_hash": proposal.content_hash,
                "programme": programme_name,
                "section": section,
                "submitted": submit,
            },
        )
        if submit:
            _enter_debate_if_supported(session, proposal, now)
        return _result(session, proposal)

    return run_write(db, work)


def edit_draft(
    db: Database,
    actor: str,
    proposal_id: str,
    title: str,
    body: str,
    *,
    submit: bool = False,
) -> SubmissionResult:
    """The author changes the title and text of their draft before submitting it (cleaned and
    limited as `propose` does); with `submit`, submits it in the same transaction. Text as
    stored already is not written again. Once submitted, supporters sign this very text:
    it can no longer be edited (withdraw it and propose anew)."""
    title = clean_title(title)
    body = clean_body(body)

    def work(session: Session) -> SubmissionResult:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_author(proposal, member)
        now = utcnow()
        _require_unsubmitted_draft(proposal, now)
        if (title, body) != (proposal.title, proposal.body):
            proposal.title, proposal.body, proposal.updated_at = title, body, now
            rehash(proposal)
            audit.append(
                session,
                actor=member.handle,
                action=EDIT,
                subject=proposal.id,
                payload={
                    "title": title,
                    "body_sha256": audit.sha256_text(body),
                    "content_hash": proposal.content_hash,
                },
            )
        if submit:
            _submit_in(session, proposal, member, now)
        return _result(session, proposal)

    return run_write(db, work)


def submit_proposal(db: Database, actor: str, proposal_id: str) -> SubmissionResult:
    """The author submits their draft: it starts collecting supporters."""

    def work(session: Session) -> SubmissionResult:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_author(proposal, member)
        if proposal.status != ProposalStatus.DRAFT or proposal.submitted_at is not None:
            raise UserError("phases.error.already_submitted", proposal=proposal.id)
        _submit_in(session, proposal, member, utcnow())
        return _result(session, proposal)

    return run_write(db, work)


def support(db: Database, actor: str, proposal_id: str) -> SubmissionResult:
    """A member supports a submitted proposal (once); with enough supporters a submitted
    draft enters debate in the same transaction."""

    def work(session: Session) -> SubmissionResult:
        proposal, member = lock_proposal(session, proposal_id, actor)
        if proposal.submitted_by is None or proposal.submitted_at is None:
            raise UserError("phases.error.not_submitted", proposal=proposal.id)
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.DEBATE):
            raise UserError(
                "phases.error.support_phase", proposal=proposal.id, status=proposal.status
            )
        if proposal.submitted_by == member.id:
            raise UserError("phases.error.support_own")
        if session.get(Supporter, (proposal.id, member.id)) is not None:
            raise UserError("phases.error.support_twice", proposal=proposal.id)
        now = utcnow()
        session.add(Supporter(proposal_id=proposal.id, member_id=member.id, created_at=now))
        session.flush()
        audit.append(session, actor=member.handle, action=SUPPORT, subject=proposal.id, payload={})
        _enter_debate_if_supported(session, proposal, now)
        return _result(session, proposal)

    return run_write(db, work)


def withdraw(db: Database, actor: str, proposal_id: str) -> SubmissionResult:
    """The author withdraws their proposal while it is a draft or in debate."""

    def work(session: Session) -> SubmissionResult:
        proposal, member = lock_proposal(session, proposal_id, actor)
        _require_author(proposal, member)
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.DEBATE):
            raise UserError("phases.error.withdraw_phase", proposal=proposal.id)
        now = utcnow()
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.withdrawn_at = now
        audit.append(session, actor=member.handle, action=WITHDRAW, subject=proposal.id, payload={})
        return _result(session, proposal)

    return run_write(db, work)


def admit(db: Database, actor: str, proposal_id: str) -> SubmissionResult:
    """An organizer admits a submitted draft to debate without the required supporters."""

    def work(session: Session) -> SubmissionResult:
        proposal, member = lock_proposal(session, proposal_id, actor)
        if member.role != Role.ORGANIZER:
            raise UserError("phases.error.not_organizer", handle=member.handle)
        if proposal.status != ProposalStatus.DRAFT or proposal.submitted_at is None:
            raise UserError(
                "phases.error.admit_phase", proposal=proposal.id, status=proposal.status
            )
        start_debate_in(session, proposal, member.handle, utcnow())
        return _result(session, proposal)

    return run_write(db, work)


def schedule(
    db: Database,
    actor: str,
    proposal_id: str,
    *,
    debate_from: dt.datetime | None = None,
    debate_until: dt.datetime | None = None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    rules: str | None = None,
) -> SubmissionResult:
    """Set a proposal's phase times (facilitator/organizer). A draft enters debate now, or
    at `debate_from`; times given must lie ahead and in order; times not given stay."""
    rule_set = load_rules(rules) if rules else None

    def work(session: Session) -> SubmissionResult:
        proposal, member = lock_proposal(session, proposal_id, actor)
        if member.role not in MANAGERS:
            raise UserError("phases.error.not_manager", handle=member.handle)
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.DEBATE):
            raise UserError(
                "phases.error.schedule_phase", proposal=proposal.id, status=proposal.status
            )
        now = utcnow()
        given = {
            "debate_from": debate_from,
            "debate_until": debate_until,
            "opens_at": opens_at,
            "closes_at": closes_at,
        }
        for name, moment in given.items():
            if moment is not None and moment <= now:
                raise UserError(
                    "phases.error.time_in_past", field=OPTION[name], when=_local(moment)
                )
        if debate_from is not None and proposal.status == ProposalStatus.DEBATE:
            raise UserError(
                "phases.error.schedule_phase", proposal=proposal.id, status=proposal.status
            )
        start = debate_from or proposal.debate_from or now
        until = debate_until or proposal.amendments_close_at
        opening = opens_at or proposal.opens_at
        closing = closes_at or proposal.closes_at
        order = [("debate_from", start), ("debate_until", until)]
        order += [("opens_at", opening), ("closes_at", closing)]
        known = [(n, m) for n, m in order if m is not None]
        for (first, a), (second, b) in zip(known, known[1:], strict=False):
            # Filing may end the moment voting opens; every other step takes time.
            if a > b or (a == b and (first, second) != ("debate_until", "opens_at")):
                raise UserError(
                    "phases.error.time_order", first=OPTION[first], second=OPTION[second]
                )
        proposal.debate_from = debate_from or proposal.debate_from
        proposal.amendments_close_at = until
        proposal.opens_at = opening
        proposal.closes_at = closing
        if rule_set is not None:
            proposal.rules_name = rule_set.name
            proposal.rules_spec = audit.canonical(rule_set.to_dict())
        audit.append(
            session,
            actor=member.handle,
            action=SCHEDULE,
            subject=proposal.id,
            payload={
                "debate_from": _ts(proposal.debate_from),
                "amendments_close_at": _ts(until),
                "opens_at": _ts(opening),
                "closes_at": _ts(closing),
                "rules": rule_set.to_dict() if rule_set else None,
            },
        )
        if proposal.status == ProposalStatus.DRAFT and debate_from is None:
            start_debate_in(session, proposal, member.handle, now)
        return _result(session, proposal)

    return run_write(db, work)


# ------------------------------------------------------------------------------ helpers


def lock_proposal(session: Session, proposal_id: str, actor: str) -> tuple[Proposal, Member]:
    audit.lock_head(session)
    proposal = session.scalars(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if proposal is None:
        raise UserError("unknown_proposal", proposal=sanitize_line(proposal_id))
    member = require_member(session, actor)
    proposal.status = ProposalStatus(proposal.status)
    return proposal, member


def _require_author(proposal: Proposal, member: Member) -> None:
    if proposal.submitted_by != member.id:
        raise UserError("phases.error.not_author", handle=member.handle, proposal=proposal.id)


def _require_unsubmitted_draft(proposal: Proposal, now: dt.datetime) -> None:
    clock = Clock(
        status=ProposalStatus(proposal.status),
        debate_from=proposal.debate_from,
        amendments_close_at=proposal.amendments_close_at,
        filing_closed=proposal.filing_closed_at is not None,
        opens_at=proposal.opens_at,
        closes_at=proposal.closes_at,
    )
    status = effective_status(clock, now)  # a passed --debate-from counts, scheduler or not
    if status is not ProposalStatus.DRAFT:
        raise UserError("phases.error.edit_phase", proposal=proposal.id, status=status.value)
    if proposal.submitted_at is not None:
        raise UserError("phases.error.edit_submitted", proposal=proposal.id)


def _submit_in(session: Session, proposal: Proposal, member: Member, now: dt.datetime) -> None:
    proposal.submitted_at = now
    audit.append(session, actor=member.handle, action=SUBMIT, subject=proposal.id, payload={})
    _enter_debate_if_supported(session, proposal, now)


def _enter_debate_if_supported(session: Session, proposal: Proposal, now: dt.datetime) -> None:
    if proposal.status != ProposalStatus.DRAFT or proposal.submitted_at is None:
        return
    if _supporter_count(session, proposal.id) >= get_setting(session, "required_supporters"):
        start_debate_in(session, proposal, None, now)


def _supporter_count(session: Session, proposal_id: str) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Supporter).where(Supporter.proposal_id == proposal_id)
        )
        or 0
    )


def _result(session: Session, proposal: Proposal) -> SubmissionResult:
    session.flush()
    return SubmissionResult(
        proposal.id,
        ProposalStatus(proposal.status),
        _supporter_count(session, proposal.id),
        get_setting(session, "required_supporters"),
    )


def _new_id(session: Session, title: str) -> str:
    base = slugify(title, max_length=60) or "forslag"
    candidate, n = base, 1
    while session.get(Proposal, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _programme(session: Session, name: str) -> Programme:
    slug = slugify(name) or "program"
    found = session.scalars(select(Programme).where(Programme.slug == slug)).one_or_none()
    if found is None:
        found = Programme(slug=slug, name=name)
        session.add(found)
    return found


def _section_key(section: str | None) -> str:
    from deliberate.domain.proposal_file import section_sort_key

    return section_sort_key(section)


def _ts(moment: dt.datetime | None) -> str | None:
    return audit.timestamp(moment) if moment else None


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
