"""Database files made once per test process and copied for each test that needs one.

Migrating a new SQLite file to the current schema takes about a second, loading the small demo
a few more; copying the finished file takes milliseconds. Each test still gets a file of its
own (its writes stay in its copy), so sharing the template keeps the tests apart.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from app import i18n, paths
from app.db.engine import open_database


class DatabaseTemplates:
    """Finished database files in ``folder``, each made the first time a test asks for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[tuple[object, ...], Path] = {}

    def empty(self) -> Path:
        """A file holding the current schema and no data (what opening a new file makes)."""
        return self._make(("empty",), lambda path: open_database(path).close())

    def demo(self, size: str = "small", *, today: dt.date | None = None, seed: int = 2026) -> Path:
        """A file holding the demo data, as ``load_demo(db, size, today=…, seed=…)`` writes it
        into a new database (``today`` left out: the date the template is made)."""

        def make(path: Path) -> None:
            from app.demo import load_demo

            database = open_database(path)
            try:
                load_demo(database, size, today=today, seed=seed)
            finally:
                database.close()

        return self._make(("demo", size, today, seed), make)

    def place(self, template: Path, target: Path | None = None) -> Path:
        """Copy ``template`` to ``target`` (the test's database file when left out)."""
        target = target or paths.db_path()
        paths.make_private_dir(target.parent)
        shutil.copyfile(template, target)
        return target

    def _make(self, key: tuple[object, ...], make: Callable[[Path], None]) -> Path:
        found = self._made.get(key)
        if found is not None:
            return found
        path = self.folder / f"template-{len(self._made)}" / "teixit.db"
        path.parent.mkdir()
        language = i18n.current_language()
        i18n.set_language("ca")  # as every test starts (tests/conftest.py: data_dir)
        try:
            make(path)
        finally:
            i18n.set_language(language)
        # Only the file itself is the template: opening a copy checks it as after any stop.
        for suffix in (".clean", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        self._made[key] = path
        return path


_shared: DatabaseTemplates | None = None


def shared() -> DatabaseTemplates:
    """The templates of this test process (the ``db_templates`` fixture), in a temporary folder
    removed when the process ends; helpers that make databases outside a fixture use them too."""
    global _shared
    if _shared is None:
        folder = Path(tempfile.mkdtemp(prefix="teixit-templates-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _shared = DatabaseTemplates(folder)
    return _shared


def new_database(path: Path) -> Path:
    """``path`` made a database with the current schema and no data, as opening a new file
    makes it, unless a file is already there (then it is left as it is)."""
    if not path.exists():
        templates = shared()
        templates.place(templates.empty(), path)
    return path
