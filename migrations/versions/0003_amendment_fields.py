"""amendments written by members: kind (free / paragraph change), paragraph, operation, new text,
justification, author, time, state (proposed / adopted / withdrawn), alternative group

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("amendments") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="free"))
        batch.add_column(sa.Column("paragraph", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("operation", sa.String(20), nullable=True))
        batch.add_column(sa.Column("new_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("justification", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("state", sa.String(10), nullable=False, server_default="proposed")
        )
        batch.add_column(sa.Column("alternative_group", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_amendments_author_id_members"), "members", ["author_id"], ["id"]
        )
        batch.create_check_constraint("kind", "kind IN ('free', 'paragraph')")
        batch.create_check_constraint("state", "state IN ('proposed', 'adopted', 'withdrawn')")
        batch.create_check_constraint(
            "operation", "operation IS NULL OR operation IN ('replace', 'insert_after', 'delete')"
        )
        batch.create_check_constraint(
            "paragraph_change",
            "(kind = 'free' AND paragraph IS NULL AND operation IS NULL)"
            " OR (kind = 'paragraph' AND paragraph >= 1 AND operation IS NOT NULL)",
        )
    # The model gives these in Python; the server defaults only filled existing rows.
    with op.batch_alter_table("amendments") as batch:
        batch.alter_column("kind", server_default=None)
        batch.alter_column("new_text", server_default=None)
        batch.alter_column("justification", server_default=None)
        batch.alter_column("state", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("amendments") as batch:
        batch.drop_constraint("paragraph_change", type_="check")
        batch.drop_constraint("operation", type_="check")
        batch.drop_constraint("state", type_="check")
        batch.drop_constraint("kind", type_="check")
        batch.drop_constraint(op.f("fk_amendments_author_id_members"), type_="foreignkey")
        for column in (
            "alternative_group",
            "state",
            "created_at",
            "author_id",
            "justification",
            "new_text",
            "operation",
            "paragraph",
            "kind",
        ):
            batch.drop_column(column)
