"""The store's schema, versioned by Alembic: one revision per change in ``versions/``.

``upgrade`` runs on a store's first use and by ``gremium migrate``. A database without Alembic's
version table but with the ``recommendations`` table is a SQLite file from before the schema was
versioned: it is stamped with the baseline revision (whose tables it has) and upgraded from
there, so its rows are kept. On PostgreSQL an advisory lock held for the transaction lets one
replica migrate while the others starting at the same moment wait, then find nothing to do.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent
#: The revision of the schema before Alembic: recommendations, requests, probe.
BASELINE = "0001"
# Any number: the key of the advisory lock that serialises migrations on PostgreSQL.
_LOCK = 0x67_72_65_6D  # "grem"


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this code knows."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    revision = ScriptDirectory.from_config(config).get_current_head()
    assert revision is not None
    return revision


def current(connection: sa.Connection) -> str:
    """The schema's revision after bringing it to :func:`head`."""
    upgrade(connection)
    revision = MigrationContext.configure(connection).get_current_revision()
    assert revision is not None
    return revision


def upgrade(connection: sa.Connection) -> None:
    """Bring the schema of ``connection``'s database to :func:`head`, in its transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision == head():
        return
    config = _config(connection)
    if revision is None and sa.inspect(connection).has_table("recommendations"):
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
