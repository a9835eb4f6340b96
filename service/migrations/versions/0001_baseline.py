"""The schema before Alembic: recommendations and the requests they answer, by content id, and
the probe row of the store's checks.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    for name in ("recommendations", "requests"):
        op.create_table(
            name,
            sa.Column("id", sa.Text, primary_key=True),
            sa.Column("body", sa.LargeBinary),
        )
    op.create_table(
        "probe",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Float),
    )


def downgrade() -> None:
    for name in ("probe", "requests", "recommendations"):
        op.drop_table(name)
