"""One writer per database: a crawl holds an exclusive lock on a file beside it.

`<db>.lock` is locked with flock(2) and names its holder (pid and command line), so a
second crawl — from the daemon, cron or a terminal — exits with one line saying who
holds it. The kernel releases a flock when its holder dies, even by SIGKILL, so a
killed crawl never leaves a stale lock; the file itself stays (removing it would let a
third process lock a new file while the second still holds the old one).

Readers (facts, changes, report) take no lock: SQLite's WAL lets them read while a
crawl writes.
"""
from __future__ import annotations

import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from storage.errors import DgwatchError

# Locks this process holds, by lock file: the crawl command takes the lock before
# Scrapy starts, and the crawl's store takes it again as it opens the database.
_HELD: dict[str, list[int]] = {}  # path -> [fd, depth]


class DatabaseLocked(DgwatchError):
    """Another process holds the database's writer lock; the message names it."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file of the database at `db_path`: `<db>.lock` beside it."""
    return Path(os.path.abspath(db_path) + ".lock")


def this_command() -> str:
    """This process's command line as a user would type it (for the lock file)."""
    program = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"
    if program == "__main__.py":  # python -m monitor
        program = "dgwatch"
    return " ".join([program, *sys.argv[1:]])


@contextmanager
def writer_lock(db_path: str | Path, command: str | None = None) -> Iterator[Path]:
    """Hold the writer lock of the database at `db_path` (reentrant within a process).

    Raises DatabaseLocked, naming the holder, when another process has it.
    """
    path = lock_path(db_path)
    key = str(path)
    held = _HELD.get(key)
    if held is not None:
        held[1] += 1
        try:
            yield path
        finally:
            held[1] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 4096).decode("utf-8", errors="replace").strip() or "another process"
        os.close(fd)
        raise DatabaseLocked(f"{db_path}: another crawl is writing to this database ({holder}); "
                             f"not crawling (the lock is {path})") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}: {command or this_command()}\n".encode("utf-8"))
    _HELD[key] = [fd, 1]
    try:
        yield path
    finally:
        del _HELD[key]
        os.ftruncate(fd, 0)
        os.close(fd)  # closing releases the flock
