"""Subcommands of ``teixit``, one module per area. Helpers shared by them live here."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from app import paths
from app.db.engine import Database, open_database
from app.db.lock import InstanceLock
from app.errors import UserError
from app.i18n import _


@contextlib.contextmanager
def opened_database() -> Iterator[Database]:
    """The database of the data folder, locked against a running window for the command's life."""
    path = paths.db_path()
    with InstanceLock(path):
        db = open_database(path, backups=paths.backups_dir())
        try:
            yield db
        finally:
            db.close()


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(
            _("“{value}” is not a date; write it as YYYY-MM-DD.").format(value=value)
        ) from None
