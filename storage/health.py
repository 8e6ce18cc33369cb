"""Source health: what each crawl saw of each source, and the notices of a source going wrong or recovering.

The spider records one `source_crawls` row per source at the end of each crawl: how
many listing pages it read, how many article links they held, how many requests failed.
The monitor compares what it finds with the problems still open and records a
`source_events` row when a problem starts and one when it ends; a notice is delivered
like a change (by mail through `report_id`, to other channels through `deliveries`).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from storage.runs import utcnow


@dataclass
class SourceCrawl:
    """One source in one crawl; `status` is failed (no listing page read), no_links or ok."""

    source: str
    listings: int
    article_links: int
    failures: int
    crawled_at: str = ""

    @property
    def status(self) -> str:
        if not self.listings:
            return "failed"
        return "ok" if self.article_links else "no_links"


@dataclass
class SourceEvent:
    """A problem of a source that started (`state` "started") or ended ("ended") at `at`."""

    source: str
    problem: str
    state: str
    at: str
    detail: str = ""
    id: int | None = None


@dataclass
class SourceRecord:
    """What is stored about a source, for judging its health."""

    name: str
    crawls: list[SourceCrawl]  # newest first, at most the number asked for
    links_before: bool  # some crawl before the newest found article links on its listings
    last_success: str | None  # the last crawl that read a listing page
    last_article: str | None  # when its newest article was stored
    articles: int
    first_crawl: str | None


def record_source_crawls(db: sqlite_utils.Database, crawls: list[SourceCrawl], at: str | None = None) -> None:
    """Store what a crawl saw of each of its sources."""
    at = at or utcnow()
    with db.conn:
        db.conn.executemany(
            "INSERT INTO source_crawls (source, crawled_at, listings, article_links, failures, status) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(c.source, at, c.listings, c.article_links, c.failures, c.status) for c in crawls],
        )


def source_record(db: sqlite_utils.Database, name: str, recent: int) -> SourceRecord:
    """The last `recent` crawls of source `name` and its article counts."""
    crawls = [SourceCrawl(source=name, listings=row[0], article_links=row[1], failures=row[2], crawled_at=row[3])
              for row in db.execute("SELECT listings, article_links, failures, crawled_at FROM source_crawls "
                                    "WHERE source = ? ORDER BY id DESC LIMIT ?", [name, max(recent, 1)])]
    newest = db.execute("SELECT MAX(id) FROM source_crawls WHERE source = ?", [name]).fetchone()[0]
    links_before = db.execute("SELECT EXISTS (SELECT 1 FROM source_crawls WHERE source = ? AND id < ? "
                              "AND article_links > 0)", [name, newest or 0]).fetchone()[0]
    last_success, first_crawl = db.execute(
        "SELECT MAX(CASE WHEN listings > 0 THEN crawled_at END), MIN(crawled_at) FROM source_crawls WHERE source = ?",
        [name]).fetchone()
    articles, last_article = db.execute(
        "SELECT COUNT(*), MAX(fetched_at) FROM articles WHERE source = ? AND duplicate_of IS NULL", [name]).fetchone()
    return SourceRecord(name=name, crawls=crawls, links_before=bool(links_before), last_success=last_success,
                        last_article=last_article, articles=articles, first_crawl=first_crawl)


# A source event `e` that started a problem no later event of that source and problem ended.
OPEN_PROBLEM = ("e.id = (SELECT MAX(id) FROM source_events l WHERE l.source = e.source AND l.problem = e.problem) "
                "AND e.state = 'started'")


def open_problems(db: sqlite_utils.Database) -> dict[tuple[str, str], SourceEvent]:
    """(source, problem) → the event that started it, for every problem that has not ended."""
    rows = db.execute(f"SELECT e.id, e.source, e.problem, e.state, e.at, e.detail FROM source_events e "
                      f"WHERE {OPEN_PROBLEM}").fetchall()
    return {(row[1], row[2]): SourceEvent(source=row[1], problem=row[2], state=row[3], at=row[4], detail=row[5] or "",
                                          id=row[0]) for row in rows}


def record_events(db: sqlite_utils.Database, events: list[SourceEvent]) -> None:
    """Store problems that started or ended; sets each event's id."""
    with db.conn:
        for event in events:
            event.id = db["source_events"].insert(
                {"source": event.source, "problem": event.problem, "state": event.state, "at": event.at,
                 "detail": event.detail}).last_pk


def list_events(db: sqlite_utils.Database, ids: list[int] | None = None, since: str | None = None) -> list[SourceEvent]:
    """Source events in the order they happened: those of `ids`, or detected at or after `since`, or all."""
    where, params = [], []
    if ids is not None:
        where.append(f"id IN ({', '.join('?' * len(ids))})")
        params.extend(ids)
    if since:
        where.append("at >= ?")
        params.append(since)
    sql = "SELECT id, source, problem, state, at, detail FROM source_events"
    sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    return [SourceEvent(id=row[0], source=row[1], problem=row[2], state=row[3], at=row[4], detail=row[5] or "")
            for row in db.execute(sql, params)]
