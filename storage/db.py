"""Opening the database: WAL mode, foreign keys and schema migrations."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from storage.schema import migrate


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


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction that holds SQLite's write lock from its first statement (BEGIN IMMEDIATE).

    What it reads cannot change before it writes: two processes diffing the same pending
    facts take turns instead of both reading them and both recording the changes.
    Commits on success, rolls back on any exception.
    """
    if db.conn.in_transaction:
        # Python's sqlite3 opens a transaction before any write statement and leaves it
        # open: what the caller wrote before is committed as its own transaction first.
        db.conn.commit()
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
