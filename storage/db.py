"""Opening the database: WAL mode, foreign keys and schema migrations."""
from __future__ import annotations

from pathlib import Path

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
