"""Alembic's environment: migrations run on the connection :mod:`service.migrations` hands in,
inside its transaction (never from an ``alembic.ini``)."""

from alembic import context

context.configure(connection=context.config.attributes["connection"], render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
