from alembic import context

import app.db.models  # noqa: F401 - registers the tables
from app.db.base import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
