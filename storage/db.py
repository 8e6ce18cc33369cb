"""Opening the database: WAL mode, foreign keys and schema migrations."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from storage.errors import DgwatchError
from storage.schema import check_version, migrate


def open_db(path: str | Path, readonly: bool = False) -> sqlite_utils.Database:
    """Open the dgwatch database at `path`: created if needed and migrated to the latest schema,
    or with `readonly` opened for reading only, creating nothing (not even a missing directory).

    WAL lets the daemon, a running crawl and `dgwatch report` read and write the
    same file; a crawl killed mid-write leaves the last committed transaction intact.
    A database that cannot be opened, is not SQLite or comes from a newer dgwatch
    raises DgwatchError, naming the file, before anything is written to it.
    """
    path = Path(path)
    if readonly and not path.is_file():
        raise DgwatchError(f"{path}: no such database (run `dgwatch crawl` first, or pass --db)")
    conn = None
    try:
        if readonly:
            conn = sqlite3.connect(_readonly_uri(path), uri=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path)
        db = sqlite_utils.Database(conn)
        conn.execute("PRAGMA busy_timeout = 30000")
        check_version(db, path)
        if not readonly:
            db.enable_wal()
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(db)
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        raise DgwatchError(f"{path}: cannot open the database: {exc}") from None
    except DgwatchError:
        conn.close()
        raise
    return db


def _readonly_uri(path: Path) -> str:
    """The URI that opens `path` for reading without creating a file.

    A read-only connection to a WAL database creates its -wal and -shm files when they
    are absent, and cannot remove them. They are absent only when no connection is open
    (the last one to close checkpoints and removes them), so the database file is then
    whole: read it as immutable, which needs neither. A writer that starts meanwhile
    writes to its new -wal, not to the file, until its first checkpoint.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    journals = [path.with_name(path.name + suffix) for suffix in ("-wal", "-journal")]
    return uri if any(j.exists() for j in journals) else uri + "&immutable=1"


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
