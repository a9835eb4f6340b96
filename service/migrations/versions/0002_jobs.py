"""Jobs: long work run in the background, its status, progress, heartbeat and answer.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("caller", sa.Text, nullable=False),
        sa.Column("operation", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("seen", sa.Float, nullable=False),
        sa.Column("started", sa.Float),
        sa.Column("finished", sa.Float),
        sa.Column("budget", sa.Float, nullable=False),
        sa.Column("progress", sa.Float),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("headers", sa.LargeBinary),
        sa.Column("result", sa.LargeBinary),
        sa.Column("problem", sa.LargeBinary),
    )
    op.create_index("jobs_by_caller", "jobs", ["caller", "status"])


def downgrade() -> None:
    op.drop_index("jobs_by_caller", "jobs")
    op.drop_table("jobs")
