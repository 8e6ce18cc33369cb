"""Opening the database: WAL mode, foreign keys and schema migrations."""
from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from storage.errors import DgwatchError
from storage.schema import MIGRATIONS, check_version, migrate

log = logging.getLogger(__name__)

# The schema version open_db brings a database to.
SCHEMA_VERSION = len(MIGRATIONS)
# WAL pages between checkpoints for a writer that commits many small transactions, a crawl
# storing an article at a time (~60 pages each): SQLite's 1,000 made a checkpoint every 15
# articles or so, each syncing and copying the pages back into the file, and in a large
# archive they cost more than the inserts (storing into 50,000 articles: 2.4 → 1.9 ms an article).
# With background_checkpoints, the writer reaches it only when the checkpointing thread
# cannot keep up.
BULK_CHECKPOINT_PAGES = 10_000
# Seconds between a bulk writer's background checkpoints (background_checkpoints).
CHECKPOINT_SECONDS = 1.0


def open_db(path: str | Path, readonly: bool = False, bulk: bool = False) -> sqlite_utils.Database:
    """Open the dgwatch database at `path`: created if needed and migrated to the latest schema,
    or with `readonly` opened for reading only, creating nothing (not even a missing directory).

    WAL lets the daemon, a running crawl and `dgwatch report` read and write the
    same file; a crawl killed mid-write leaves the last committed transaction intact.
    `bulk` checkpoints the WAL less often (BULK_CHECKPOINT_PAGES), for a crawl.
    A database that cannot be opened, is not SQLite or comes from a newer dgwatch
    raises DgwatchError, naming the file, before anything is written to it.
    """
    path = Path(path)
    if readonly and not path.is_file():
        raise DgwatchError(f"{path}: no such database (run `dgwatch crawl` first, or pass --db)")
    conn = None
    try:
        if readonly:
            conn = sqlite3.connect(read_only_uri(path), uri=True)
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
            if bulk:
                conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
            migrate(db)
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        raise DgwatchError(f"{path}: cannot open the database: {exc}") from None
    except DgwatchError:
        conn.close()
        raise
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


@contextmanager
def background_checkpoints(path: str | Path, every: float = CHECKPOINT_SECONDS) -> Iterator[None]:
    """Checkpoint the WAL of the database at `path` from a thread of its own while the block runs.

    SQLite's automatic checkpoint runs inside a commit, on the writer's thread, and with
    synchronous = NORMAL syncs the WAL and the database file to disk each time: for a crawl
    (a commit an article) it held the reactor ~0.2 ms an article into 2,000 articles, ~0.4
    into 50,000, waiting for the disk. A PASSIVE checkpoint on another connection copies the
    committed pages back while the writer goes on (the sqlite3 module lets go of the GIL),
    never waits for a lock, and leaves durability as it was. The writer's own checkpoint
    (BULK_CHECKPOINT_PAGES, `open_db(bulk=True)`) stays as the bound if this one falls behind.
    """
    stop = threading.Event()

    def checkpoint() -> None:
        try:
            with closing(sqlite3.connect(path, check_same_thread=False)) as conn:
                while not stop.wait(every):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            # The writer's own checkpoint takes over; nothing committed is lost by it.
            log.warning("%s: background checkpoints stopped: %s", path, exc)

    thread = threading.Thread(target=checkpoint, name="dgwatch-checkpoint", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
