"""separate amendment votes (amendment_answers), the ballot frozen with the tally, and the
adopted text with its SHA-256

Revision ID: 0006
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "amendment_answers",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(120), nullable=False),
        sa.Column("answer", sa.String(6), nullable=False),
        sa.CheckConstraint(
            "answer IN ('ja', 'nej', 'undlad')", name=op.f("ck_amendment_answers_answer")
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_amendment_answers_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_amendment_answers_proposal_id_proposals"),
        ),
        sa.PrimaryKeyConstraint("vote_id", "number", name=op.f("pk_amendment_answers")),
    )
    op.create_index(
        "ix_amendment_answers_proposal_number",
        "amendment_answers",
        ["proposal_id", "number", "answer"],
        unique=False,
    )
    with op.batch_alter_table("vote_history") as batch:
        batch.add_column(
            sa.Column("amendment_answers", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("tallies") as batch:
        batch.add_column(
            sa.Column("amendment_votes", sa.Text(), nullable=False, server_default="{}")
        )
        batch.add_column(
            sa.Column("amendment_ballot", sa.Text(), nullable=False, server_default="{}")
        )
        batch.add_column(sa.Column("adopted_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("adopted_sha256", sa.String(64), nullable=True))
    # The models give these in Python; the server defaults only filled existing rows.
    with op.batch_alter_table("vote_history") as batch:
        batch.alter_column("amendment_answers", server_default=None)
    with op.batch_alter_table("tallies") as batch:
        batch.alter_column("amendment_votes", server_default=None)
        batch.alter_column("amendment_ballot", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("tallies") as batch:
        for column in ("adopted_sha256", "adopted_text", "amendment_ballot", "amendment_votes"):
            batch.drop_column(column)
    with op.batch_alter_table("vote_history") as batch:
        batch.drop_column("amendment_answers")
    op.drop_index("ix_amendment_answers_proposal_number", table_name="amendment_answers")
    op.drop_table("amendment_answers")
