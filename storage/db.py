"""Opening the database: WAL mode, foreign keys and schema migrations."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlite_utils

from storage.schema import MIGRATIONS, migrate

# The schema version open_db brings a database to.
SCHEMA_VERSION = len(MIGRATIONS)


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the dgwatch database at `path`, migrated to the latest schema.

    WAL lets the daemon, a running crawl and `dgwatch report` read and write the
    same file; a crawl killed mid-write leaves the last committed transaction intact.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA busy_timeout = 30000")
    db.enable_wal()
    db.conn.execute("PRAGMA foreign_keys = ON")
    db.conn.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    return db


def read_only_uri(path: str | Path) -> str:
    """A SQLite URI that opens the database at `path` for reading only, creating no file beside it.

    With its -wal and -shm files present (a crawl has the database open), it is read with
    mode=ro: a reader shares the writer's wal-index and sees every committed transaction,
    and the files are the writer's. Without them, mode=ro would create both and, being
    read-only, leave them behind; the main file then holds everything committed, and
    immutable=1 reads it alone, taking no lock and creating nothing.
    """
    path = Path(path).resolve()
    present = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    return f"{path.as_uri()}?{'mode=ro' if present else 'immutable=1'}"


def stored_version(path: str | Path) -> int:
    """The schema version of the database at `path`, read without writing (sqlite3.DatabaseError if not one)."""
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn.execute("PRAGMA user_version").fetchone()[0]
