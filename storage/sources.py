"""Configured sources: when each was first crawled, and whether its last listing walk ran to the end.

A source's `stop_at_known` may end a walk at the first listing page of stored articles
only when everything past that page was read before: when the source's previous walk
ran to its end. A crawl clears the mark as it starts and sets it again only if it ends
cleanly, so a killed, budget-cut or failing crawl makes the next one walk all the way.
"""
from __future__ import annotations

import sqlite_utils


def record_source(db: sqlite_utils.Database, name: str, config_json: str, seen_at: str) -> None:
    """Remember a configured source and when it was first crawled."""
    db.execute(
        "INSERT INTO sources (name, config, first_seen) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET config = excluded.config",
        [name, config_json, seen_at],
    )


def begin_walks(db: sqlite_utils.Database, names: list[str]) -> set[str]:
    """Of `names`, those whose last listing walk ran to its end; their marks are cleared for this crawl."""
    marks = ", ".join("?" * len(names))
    with db.conn:
        walked = {row[0] for row in db.execute(
            f"SELECT name FROM sources WHERE walked_at IS NOT NULL AND name IN ({marks})", names)}
        db.execute(f"UPDATE sources SET walked_at = NULL WHERE name IN ({marks})", names)
    return walked


def finish_walks(db: sqlite_utils.Database, names: list[str], at: str) -> None:
    """Mark the listing walks of `names` as run to their end at `at`."""
    with db.conn:
        db.conn.executemany("UPDATE sources SET walked_at = ? WHERE name = ?", [(at, name) for name in names])
