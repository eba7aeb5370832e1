"""Does a file have exactly the schema Teixit's migrations create?

A file offered for restore is compared, table by table, with a database the migrations build at
the file's own revision: the same tables and columns (type, not-null, default, key), indexes,
foreign keys, and no trigger or view Teixit did not make. A backup carrying a trigger that
deletes audit events, or one missing a column, is refused instead of restored.
"""

from __future__ import annotations

import sqlite3
import tempfile
from functools import cache
from pathlib import Path

from app.db.files import connect_read_only

Shape = dict[str, tuple[object, ...]]


def describe(con: sqlite3.Connection) -> Shape:
    """Every schema object with what defines it, by ``kind name``."""
    shape: Shape = {}
    objects = con.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in objects:
        if kind == "table":
            columns = con.execute(f'PRAGMA table_xinfo("{name}")').fetchall()
            shape[f"table {name}"] = tuple(tuple(c[1:]) for c in columns)
            keys = con.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
            shape[f"foreign keys of {name}"] = tuple(sorted(tuple(k[2:5]) for k in keys))
        elif kind == "index":
            columns = con.execute(f'PRAGMA index_xinfo("{name}")').fetchall()
            unique = "UNIQUE" in (sql or "").upper()
            shape[f"index {name}"] = (table, unique, tuple((c[2], c[3]) for c in columns))
        else:  # a trigger or a view: the whole definition
            shape[f"{kind} {name}"] = (table, " ".join(str(sql).split()))
    # Indexes SQLite makes for UNIQUE and PRIMARY KEY constraints.
    for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        for index in con.execute(f'PRAGMA index_list("{name}")').fetchall():
            if index[3] != "c":
                columns = con.execute(f'PRAGMA index_info("{index[1]}")').fetchall()
                shape[f"constraint index {index[1]}"] = (name, tuple(c[2] for c in columns))
    return shape


@cache
def reference(revision: str) -> Shape:
    """The schema the migrations create at ``revision`` (built once per run)."""
    from app.db.engine import make_engine, migrate

    with tempfile.TemporaryDirectory(prefix="teixit-schema-") as folder:
        path = Path(folder) / "reference.db"
        engine = make_engine(path)
        try:
            migrate(engine, revision)
        finally:
            engine.dispose()
        con = connect_read_only(path)
        try:
            return describe(con)
        finally:
            con.close()


def schema_difference(path: Path, revision: str) -> str | None:
    """None when ``path`` has exactly the schema of ``revision``; else the first difference."""
    con = connect_read_only(path)
    try:
        found = describe(con)
    finally:
        con.close()
    expected = reference(revision)
    for key in sorted(set(found) | set(expected)):
        if key not in found:
            return f"missing {key}"
        if key not in expected:
            return f"unexpected {key}"
        if found[key] != expected[key]:
            return f"different {key}"
    return None
