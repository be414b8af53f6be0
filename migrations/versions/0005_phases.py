"""phases: the proposal status `open` becomes `voting`, new `debate` and `withdrawn`; phase
times, member-submitted proposals, supporters, forum settings

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (
    "submitted_at",
    "debate_from",
    "debate_started_at",
    "amendments_close_at",
    "filing_closed_at",
    "opens_at",
    "withdrawn_at",
)


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.drop_constraint(op.f("ck_proposals_status"), type_="check")
    op.execute("UPDATE proposals SET status = 'voting' WHERE status = 'open'")
    with op.batch_alter_table("proposals") as batch:
        batch.create_check_constraint(
            "status", "status IN ('draft', 'debate', 'voting', 'closed', 'withdrawn')"
        )
        batch.add_column(sa.Column("submitted_by", sa.Integer(), nullable=True))
        for column in _NEW_COLUMNS:
            batch.add_column(sa.Column(column, sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_proposals_submitted_by_members"), "members", ["submitted_by"], ["id"]
        )
    op.create_table(
        "supporters",
        sa.Column("proposal_id", sa.String(120), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_supporters_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_supporters_member_id_members")
        ),
        sa.PrimaryKeyConstraint("proposal_id", "member_id", name=op.f("pk_supporters")),
    )
    op.create_table(
        "forum_settings",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_forum_settings")),
    )


def downgrade() -> None:
    op.drop_table("forum_settings")
    op.drop_table("supporters")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_constraint(op.f("fk_proposals_submitted_by_members"), type_="foreignkey")
        for column in reversed(_NEW_COLUMNS):
            batch.drop_column(column)
        batch.drop_column("submitted_by")
        batch.drop_constraint(op.f("ck_proposals_status"), type_="check")
    # Earlier versions know only draft / open / closed.
    op.execute("UPDATE proposals SET status = 'open' WHERE status = 'voting'")
    op.execute("UPDATE proposals SET status = 'draft' WHERE status IN ('debate', 'withdrawn')")
    with op.batch_alter_table("proposals") as batch:
        batch.create_check_constraint("status", "status IN ('draft', 'open', 'closed')")
