"""The database schema as typed SQLAlchemy models.

The schema is created and changed only by the Alembic migrations in `migrations/`; a test
proves these models and the migrations agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from deliberate.domain.status import (
    AmendmentKind,
    AmendmentState,
    MeetingStatus,
    ProposalStatus,
    Role,
)

# The states live in the domain; imported here for the columns and for older imports.
from deliberate.store.clock import utcnow as utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC; always returns timezone-aware UTC (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER)
    can_vote: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    keys: Mapped[list[MemberKey]] = relationship(back_populates="member", order_by="MemberKey.id")

    __table_args__ = (
        CheckConstraint("role IN ('member', 'facilitator', 'organizer')", name="role"),
        # A live tally counts eligible members (active, with a vote) through this index.
        Index("ix_members_active_can_vote", "active", "can_vote"),
    )


class MemberKey(Base):
    """An SSH public key; it alone identifies a member over SSH."""

    __tablename__ = "member_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    algorithm: Mapped[str] = mapped_column(String(60))
    key_data: Mapped[str] = mapped_column(Text)  # base64 blob as in authorized_keys
    comment: Mapped[str] = mapped_column(String(200), default="")
    fingerprint: Mapped[str] = mapped_column(String(100), unique=True)  # SHA256:...
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship(back_populates="keys")


class Programme(Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="programme", order_by="Proposal.section_key"
    )


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    section: Mapped[str | None] = mapped_column(String(40))
    section_key: Mapped[str] = mapped_column(String(200), default="")  # sorts numerically
    authors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of names
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.DRAFT, index=True)
    rules_name: Mapped[str | None] = mapped_column(String(120))
    rules_spec: Mapped[str | None] = mapped_column(Text)  # JSON RuleSet.to_dict(), frozen at open
    opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # A secret ballot: who voted is kept (SecretParticipation), what is kept apart from it
    # (SecretBallot) with nothing that links the two.
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Phases (DESIGN §9). A member's proposal: who wrote it, when it was submitted (None: still
    # the author's draft); it enters debate with enough supporters or when an organizer admits it.
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    debate_from: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # scheduled start
    debate_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    amendments_close_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    filing_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # by the scheduler
    opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # scheduled opening
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    programme: Mapped[Programme | None] = relationship(back_populates="proposals")
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="proposal", order_by="Amendment.number", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'debate', 'voting', 'closed', 'withdrawn')", name="status"
        ),
    )


class Supporter(Base):
    """A member supporting a member-submitted proposal (medstiller); once per member."""

    __tablename__ = "supporters"

    proposal_id: Mapped[str] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ForumSetting(Base):
    """A forum-wide setting (e.g. `required_supporters`); absent = the built-in default."""

    __tablename__ = "forum_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Amendment(Base):
    """A forslag til ændring: numbered 1, 2, ... within its proposal."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")  # free text; for a paragraph change: why
    # 'free' (an instruction for the editors) or 'paragraph' (a change to one paragraph).
    kind: Mapped[str] = mapped_column(String(10), default=AmendmentKind.FREE)
    paragraph: Mapped[int | None] = mapped_column(Integer)  # domain.paragraphs numbering
    operation: Mapped[str | None] = mapped_column(String(20))  # domain.paragraphs.ParagraphOp
    new_text: Mapped[str] = mapped_column(Text, default="")  # replace / insert_after
    justification: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # None: imported
    created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # 'proposed' (on the ballot), 'adopted' (overtaget into the text before the vote),
    # 'withdrawn' (by its author before the vote).
    state: Mapped[str] = mapped_column(String(10), default=AmendmentState.PROPOSED)
    # Amendments of one proposal with the same group number are alternatives: at most one of
    # them can be carried.
    alternative_group: Mapped[int | None] = mapped_column(Integer)

    proposal: Mapped[Proposal] = relationship(back_populates="amendments")

    __table_args__ = (
        UniqueConstraint("proposal_id", "number", name="uq_amendments_number"),
        CheckConstraint("kind IN ('free', 'paragraph')", name="kind"),
        CheckConstraint("state IN ('proposed', 'adopted', 'withdrawn')", name="state"),
        CheckConstraint(
            "operation IS NULL OR operation IN ('replace', 'insert_after', 'delete')",
            name="operation",
        ),
        CheckConstraint(
            "(kind = 'free' AND paragraph IS NULL AND operation IS NULL)"
            " OR (kind = 'paragraph' AND paragraph >= 1 AND operation IS NOT NULL)",
            name="paragraph_change",
        ),
    )


class Vote(Base):
    """A member's current vote on a proposal: exactly one row per member and proposal."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    choice: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    receipt: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)  # 1 = first vote; >1 = changed
    cast_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    cast_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # proxy holder

    amendments: Mapped[list[VoteAmendment]] = relationship(
        back_populates="vote", cascade="all, delete-orphan", order_by="VoteAmendment.number"
    )

    __table_args__ = (
        UniqueConstraint("proposal_id", "member_id", name="uq_votes_proposal_member"),
        CheckConstraint(
            "choice IN ('ja', 'betinget_ja', 'udskyd', 'nej', 'bloker')", name="choice"
        ),
        Index("ix_votes_proposal_choice", "proposal_id", "choice"),
    )


class VoteAmendment(Base):
    """An amendment a Betinget-ja vote names."""

    __tablename__ = "vote_amendments"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"))

    vote: Mapped[Vote] = relationship(back_populates="amendments")

    __table_args__ = (Index("ix_vote_amendments_proposal_number", "proposal_id", "number"),)


class AmendmentAnswer(Base):
    """A ballot's own answer to one amendment (rule `amendments = "separate"`)."""

    __tablename__ = "amendment_answers"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"))
    answer: Mapped[str] = mapped_column(String(6))  # ja | nej | undlad

    __table_args__ = (
        CheckConstraint("answer IN ('ja', 'nej', 'undlad')", name="answer"),
        # A tally counts each (amendment, answer) as a range of this index.
        Index("ix_amendment_answers_proposal_number", "proposal_id", "number", "answer"),
    )


class VoteHistory(Base):
    """Every vote ever cast or changed, append-only."""

    __tablename__ = "vote_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    version: Mapped[int] = mapped_column(Integer)
    choice: Mapped[str] = mapped_column(String(12))
    amendments: Mapped[str] = mapped_column(String(400), default="")  # "1,3"
    amendment_answers: Mapped[str] = mapped_column(Text, default="")  # "2=ja,3=nej"
    reason: Mapped[str] = mapped_column(Text, default="")
    receipt: Mapped[str] = mapped_column(String(32))
    cast_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    cast_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # proxy holder

    __table_args__ = (
        UniqueConstraint("proposal_id", "member_id", "version", name="uq_vote_history_version"),
    )


class Tally(Base):
    """The counts frozen when voting closed; the outcome is derived from them and the rules."""

    __tablename__ = "tallies"

    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    ja: Mapped[int] = mapped_column(Integer)
    betinget_ja: Mapped[int] = mapped_column(Integer)
    udskyd: Mapped[int] = mapped_column(Integer)
    nej: Mapped[int] = mapped_column(Integer)
    bloker: Mapped[int] = mapped_column(Integer)
    cast: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[int] = mapped_column(Integer)
    amendment_support: Mapped[str] = mapped_column(Text, default="{}")  # JSON {number: count}
    outcome: Mapped[str] = mapped_column(String(30))
    carried_amendments: Mapped[str] = mapped_column(String(400), default="")  # "1,3"
    closed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Members checked in (proxies included) when voting closed; None outside a meeting.
    present: Mapped[int | None] = mapped_column(Integer)
    # 'electronic' (ballots) or 'hand' (counted in the room by the facilitator).
    method: Mapped[str] = mapped_column(String(10), default="electronic")
    # Secret ballots: SHA-256 of the sorted ballot list, frozen at close.
    ballots_sha256: Mapped[str | None] = mapped_column(String(64))
    # amendments = "separate": JSON {number: [ja, nej, undlad]}
    amendment_votes: Mapped[str] = mapped_column(Text, default="{}")
    # The ballot as frozen at close: JSON {"amendments": [numbers], "alternatives": {n: group}};
    # "{}" for tallies closed before ballots were recorded (every amendment, no groups).
    amendment_ballot: Mapped[str] = mapped_column(Text, default="{}")
    # When adopted: the frozen body with the carried paragraph amendments applied, and its
    # SHA-256 (also in the close entry of the audit chain).
    adopted_text: Mapped[str | None] = mapped_column(Text)
    adopted_sha256: Mapped[str | None] = mapped_column(String(64))


class Comment(Base):
    """A comment on a proposal or one of its amendments; threads through parent_id."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"), index=True)
    amendment_number: Mapped[int | None] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Append-only log; each entry carries the SHA-256 of the previous one."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")  # member handle, "" = operator
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200), default="")  # e.g. proposal id
    payload: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row: the chain's head. Locking it serialises appends on every database."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)


class Meeting(Base):
    """A møde: a facilitated session working through an agenda."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.PLANNED)
    hide_counts: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker_limit_seconds: Mapped[int | None] = mapped_column(Integer)
    current_position: Mapped[int | None] = mapped_column(Integer)  # agenda item now treated
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checkin_open: Mapped[bool] = mapped_column(Boolean, default=False)

    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        foreign_keys="AgendaItem.meeting_id",
    )

    __table_args__ = (CheckConstraint("status IN ('planned', 'running', 'ended')", name="status"),)


class AgendaItem(Base):
    """A dagsordenspunkt: one proposal on a meeting's agenda."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"))
    countdown_seconds: Mapped[int | None] = mapped_column(Integer)

    meeting: Mapped[Meeting] = relationship(back_populates="items", foreign_keys=[meeting_id])

    __table_args__ = (
        UniqueConstraint("meeting_id", "position", name="uq_agenda_items_position"),
        UniqueConstraint("meeting_id", "proposal_id", name="uq_agenda_items_proposal"),
    )


class SpeakerRequest(Base):
    """An entry on the taleliste: a request to speak or a point of order."""

    __tablename__ = "speaker_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(20), default="speak")  # speak | point_of_order
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    limit_seconds: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("kind IN ('speak', 'point_of_order')", name="kind"),)


class Presence(Base):
    """Who is connected now: one row per live TUI connection, refreshed by a heartbeat."""

    __tablename__ = "presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    client: Mapped[str] = mapped_column(String(100), default="")
    connected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attendance(Base):
    """One stay at a meeting: checked in, and checked out when the member left."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    checked_in_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    checked_in_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # None: oneself
    checked_out_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_attendance_meeting_member", "meeting_id", "member_id"),)


class Proxy(Base):
    """A fuldmagt: `holder` votes for `principal` at one meeting."""

    __tablename__ = "proxies"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))

    __table_args__ = (
        UniqueConstraint("meeting_id", "principal_id", name="uq_proxies_principal"),
        CheckConstraint("principal_id <> holder_id", name="not_oneself"),
    )


class SecretParticipation(Base):
    """That a member took part in a secret ballot, and who cast it (a proxy holder). Nothing
    here or in its audit entry says what was chosen."""

    __tablename__ = "secret_participations"

    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    cast_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class SecretBallot(Base):
    """A secret ballot: the choice and the voter's random tracker code, and nothing linking it
    to a member: no member, no time, no row id (WITHOUT ROWID on SQLite, so rows sit in
    tracker order, not insertion order)."""

    __tablename__ = "secret_ballots"

    proposal_id: Mapped[str] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    tracker: Mapped[str] = mapped_column(String(20), primary_key=True)
    choice: Mapped[str] = mapped_column(String(12))
    amendments: Mapped[str] = mapped_column(String(400), default="")  # "1,3"
    reason: Mapped[str] = mapped_column(Text, default="")
    # Separate amendment votes (rule `amendments = "separate"`), as vote history keeps them:
    # "2=ja,3=nej". The server default fills ballots cast before the column existed.
    amendment_answers: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (
        CheckConstraint(
            "choice IN ('ja', 'betinget_ja', 'udskyd', 'nej', 'bloker')", name="choice"
        ),
        {"sqlite_with_rowid": False},
    )


class Invite(Base):
    """A one-time code that binds a member's SSH key (services/invites.py). Only a salted
    SHA-256 of the code is kept; a newer invite for the same member revokes this one."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    code_salt: Mapped[str] = mapped_column(String(32))  # hex
    code_hash: Mapped[str] = mapped_column(String(64))  # sha256(salt + code), hex
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    used_key: Mapped[str | None] = mapped_column(String(100))  # fingerprint bound by the code
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class InviteAttempt(Base):
    """A wrong, expired or used code typed from an address: what the lockout counts."""

    __tablename__ = "invite_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_invite_attempts_address_at", "address", "at"),)
