"""Crawl runs: each crawl is a row, so "what did last night's crawl find" is one query."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlite_utils


def utcnow() -> str:
    """The current time as an ISO 8601 string in UTC, the form every timestamp column uses."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class RunStats:
    """Counters a crawl keeps while it runs."""

    pages: int = 0
    articles_new: int = 0
    duplicates: int = 0
    not_modified: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)


def start_run(db: sqlite_utils.Database, sources: list[str], started_at: str | None = None) -> int:
    """Record the start of a crawl of `sources`; returns the run id."""
    with db.conn:
        table = db["runs"].insert(
            {"started_at": started_at or utcnow(), "sources": json.dumps(sources, ensure_ascii=False), "status": "running"}
        )
    return table.last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, stats: RunStats, status: str = "finished", message: str | None = None) -> None:
    """Record the end of run `run_id` with its counters and final status."""
    with db.conn:
        db["runs"].update(
            run_id,
            {
                "ended_at": utcnow(),
                "status": status,
                "pages": stats.pages,
                "articles_new": stats.articles_new,
                "duplicates": stats.duplicates,
                "not_modified": stats.not_modified,
                "errors": stats.errors,
                "message": message,
            },
        )


def mark_abandoned_runs(db: sqlite_utils.Database) -> int:
    """Mark runs left 'running' by a killed crawl as 'interrupted'; returns how many."""
    with db.conn:
        cur = db.execute(
            "UPDATE runs SET status = 'interrupted', ended_at = COALESCE(ended_at, ?) WHERE status = 'running'",
            [utcnow()],
        )
    return cur.rowcount


def last_run_id(db: sqlite_utils.Database) -> int:
    """The id of the newest run, 0 when there is none."""
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0]
