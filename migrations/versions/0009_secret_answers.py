"""separate amendment votes on secret ballots: secret_ballots.amendment_answers ("2=ja,3=nej")

Revision ID: 0009
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy: a copy of the table could lose WITHOUT ROWID on
    # SQLite). The server default stays: it is what fills ballots cast before this revision.
    op.add_column(
        "secret_ballots",
        sa.Column("amendment_answers", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place, so the table keeps WITHOUT ROWID.
    op.drop_column("secret_ballots", "amendment_answers")
