"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 03:06:10.083585
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_singleton")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("can_vote", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('member', 'facilitator', 'organizer')", name=op.f("ck_members_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("handle", name=op.f("uq_members_handle")),
    )
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("slug", name=op.f("uq_programmes_slug")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("hide_counts", sa.Boolean(), nullable=False),
        sa.Column("speaker_limit_seconds", sa.Integer(), nullable=True),
        sa.Column("current_position", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'running', 'ended')", name=op.f("ck_meetings_status")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["members.id"], name=op.f("fk_meetings_created_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_table(
        "member_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=60), nullable=False),
        sa.Column("key_data", sa.Text(), nullable=False),
        sa.Column("comment", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_keys_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_member_keys_fingerprint")),
    )
    with op.batch_alter_table("member_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_keys_member_id"), ["member_id"], unique=False)

    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("connected_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_presence_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence")),
    )
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_presence_member_id"), ["member_id"], unique=False)

    op.create_table(
        "proposals",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("section", sa.String(length=40), nullable=True),
        sa.Column("section_key", sa.String(length=200), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rules_name", sa.String(length=120), nullable=True),
        sa.Column("rules_spec", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'closed')", name=op.f("ck_proposals_status")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["members.id"], name=op.f("fk_proposals_closed_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["members.id"], name=op.f("fk_proposals_opened_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_proposals_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposals_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposals_status"), ["status"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.Column("countdown_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_agenda_items_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
        sa.UniqueConstraint("meeting_id", "position", name="uq_agenda_items_position"),
        sa.UniqueConstraint("meeting_id", "proposal_id", name="uq_agenda_items_proposal"),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_amendments_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendments")),
        sa.UniqueConstraint("proposal_id", "number", name="uq_amendments_number"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.Column("amendment_number", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["members.id"], name=op.f("fk_comments_author_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["comments.id"], name=op.f("fk_comments_parent_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_comments_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_comments_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "speaker_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("limit_seconds", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('speak', 'point_of_order')", name=op.f("ck_speaker_requests_kind")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_speaker_requests_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_speaker_requests_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_requests")),
    )
    with op.batch_alter_table("speaker_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_speaker_requests_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "tallies",
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.Column("ja", sa.Integer(), nullable=False),
        sa.Column("betinget_ja", sa.Integer(), nullable=False),
        sa.Column("udskyd", sa.Integer(), nullable=False),
        sa.Column("nej", sa.Integer(), nullable=False),
        sa.Column("bloker", sa.Integer(), nullable=False),
        sa.Column("cast", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("amendment_support", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("carried_amendments", sa.String(length=400), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_tallies_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_tallies")),
    )
    op.create_table(
        "vote_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=12), nullable=False),
        sa.Column("amendments", sa.String(length=400), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.Column("cast_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_vote_history_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_vote_history_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_history")),
        sa.UniqueConstraint("proposal_id", "member_id", "version", name="uq_vote_history_version"),
    )
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "choice IN ('ja', 'betinget_ja', 'udskyd', 'nej', 'bloker')",
            name=op.f("ck_votes_choice"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_votes_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_votes_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
        sa.UniqueConstraint("proposal_id", "member_id", name="uq_votes_proposal_member"),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index("ix_votes_proposal_choice", ["proposal_id", "choice"], unique=False)

    op.create_table(
        "vote_amendments",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_vote_amendments_proposal_id_proposals")
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_vote_amendments_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("vote_id", "number", name=op.f("pk_vote_amendments")),
    )
    with op.batch_alter_table("vote_amendments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vote_amendments_proposal_number", ["proposal_id", "number"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("vote_amendments", schema=None) as batch_op:
        batch_op.drop_index("ix_vote_amendments_proposal_number")

    op.drop_table("vote_amendments")
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index("ix_votes_proposal_choice")

    op.drop_table("votes")
    op.drop_table("vote_history")
    op.drop_table("tallies")
    with op.batch_alter_table("speaker_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speaker_requests_meeting_id"))

    op.drop_table("speaker_requests")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_comments_parent_id"))

    op.drop_table("comments")
    op.drop_table("amendments")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_meeting_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_status"))
        batch_op.drop_index(batch_op.f("ix_proposals_programme_id"))

    op.drop_table("proposals")
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presence_member_id"))

    op.drop_table("presence")
    with op.batch_alter_table("member_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_keys_member_id"))

    op.drop_table("member_keys")
    op.drop_table("meetings")
    op.drop_table("programmes")
    op.drop_table("members")
    op.drop_table("audit_log")
    op.drop_table("audit_head")
