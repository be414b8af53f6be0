"""index members (active, can_vote) for counting eligible members in a live tally

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain CREATE INDEX: no table is rebuilt.
    op.create_index("ix_members_active_can_vote", "members", ["active", "can_vote"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_members_active_can_vote", table_name="members")
