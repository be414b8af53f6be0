"""the annual meeting: check-in (attendance), proxies (fuldmagt), secret
ballots (participations apart from ballots), proxy votes, hand counts and the quorum of those
present in tallies

Revision ID: 0008
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column("checkin_open", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(
            sa.Column("secret", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    for table in ("votes", "vote_history"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("cast_by", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_{table}_cast_by_members"), "members", ["cast_by"], ["id"]
            )
    with op.batch_alter_table("tallies") as batch:
        batch.add_column(sa.Column("present", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("method", sa.String(10), nullable=False, server_default="electronic")
        )
        batch.add_column(sa.Column("ballots_sha256", sa.String(64), nullable=True))
    # The model gives these in Python; the server defaults only filled existing rows.
    with op.batch_alter_table("meetings") as batch:
        batch.alter_column("checkin_open", server_default=None)
    with op.batch_alter_table("proposals") as batch:
        batch.alter_column("secret", server_default=None)
    with op.batch_alter_table("tallies") as batch:
        batch.alter_column("method", server_default=None)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=False),
        sa.Column("checked_in_by", sa.Integer(), nullable=True),
        sa.Column("checked_out_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_attendance_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_attendance_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["checked_in_by"], ["members.id"], name=op.f("fk_attendance_checked_in_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
    )
    op.create_index(op.f("ix_attendance_meeting_id"), "attendance", ["meeting_id"])
    op.create_index("ix_attendance_meeting_member", "attendance", ["meeting_id", "member_id"])
    op.create_table(
        "proxies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("principal_id <> holder_id", name=op.f("ck_proxies_not_oneself")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_proxies_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["members.id"], name=op.f("fk_proxies_principal_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["members.id"], name=op.f("fk_proxies_holder_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["members.id"], name=op.f("fk_proxies_created_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proxies")),
        sa.UniqueConstraint("meeting_id", "principal_id", name="uq_proxies_principal"),
    )
    op.create_index(op.f("ix_proxies_meeting_id"), "proxies", ["meeting_id"])
    op.create_table(
        "secret_participations",
        sa.Column("proposal_id", sa.String(120), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("cast_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_secret_participations_proposal_id_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_secret_participations_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["cast_by"], ["members.id"], name=op.f("fk_secret_participations_cast_by_members")
        ),
        sa.PrimaryKeyConstraint("proposal_id", "member_id", name=op.f("pk_secret_participations")),
    )
    op.create_table(
        "secret_ballots",
        sa.Column("proposal_id", sa.String(120), nullable=False),
        sa.Column("tracker", sa.String(20), nullable=False),
        sa.Column("choice", sa.String(12), nullable=False),
        sa.Column("amendments", sa.String(400), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "choice IN ('ja', 'betinget_ja', 'udskyd', 'nej', 'bloker')",
            name=op.f("ck_secret_ballots_choice"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_secret_ballots_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("proposal_id", "tracker", name=op.f("pk_secret_ballots")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("secret_ballots", "secret_participations"):
        op.drop_table(table)
    op.drop_index(op.f("ix_proxies_meeting_id"), table_name="proxies")
    op.drop_table("proxies")
    op.drop_index("ix_attendance_meeting_member", table_name="attendance")
    op.drop_index(op.f("ix_attendance_meeting_id"), table_name="attendance")
    op.drop_table("attendance")
    with op.batch_alter_table("tallies") as batch:
        batch.drop_column("ballots_sha256")
        batch.drop_column("method")
        batch.drop_column("present")
    for table in ("vote_history", "votes"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_cast_by_members"), type_="foreignkey")
            batch.drop_column("cast_by")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("secret")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("checkin_open")
