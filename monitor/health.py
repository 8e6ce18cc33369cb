"""The monitor watches itself: which sources are failing, broken (listings without article links) or quiet.

`assess` is pure: what is stored about a source in, its problems out. `refresh_health`
compares them with the problems still open and records a notice when one starts and
when one ends, so each state is reported once each way, not in every report.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from crawler.config import Config, Source
from storage.health import SourceEvent, SourceRecord, open_problems, record_events, source_record
from storage.runs import utcnow

# Problems, in the order a report lists them.
PROBLEMS = ("failing", "no_links", "stale")


@dataclass
class SourceHealth:
    """A source's health for `dgwatch sources`: its open problems (empty: healthy) and its counts."""

    record: SourceRecord
    problems: dict[str, dict[str, Any]]

    @property
    def state(self) -> str:
        if not self.record.crawls:
            return "not crawled"
        return ", ".join(self.problems) if self.problems else "ok"


def _utc(stamp: str) -> datetime:
    # Stored times are UTC; one written without its offset (a bare date) is read as UTC too.
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _days(later: str, earlier: str) -> float:
    return (_utc(later) - _utc(earlier)) / timedelta(days=1)


def assess(source: Source, record: SourceRecord, failed_crawls: int, now: str) -> dict[str, dict[str, Any]]:
    """problem → the figures that show it, for the problems `record` shows now (a source never
    crawled has none); monitor.language.notice_detail writes them in the report's language."""
    problems: dict[str, dict[str, Any]] = {}
    crawls = record.crawls
    if not crawls:
        return problems
    latest = crawls[0]
    recent = crawls[:failed_crawls]
    if len(recent) == failed_crawls and all(c.status == "failed" for c in recent):
        problems["failing"] = {"crawls": failed_crawls, "failures": latest.failures}
    if latest.status == "no_links" and record.links_before:
        problems["no_links"] = {"listings": latest.listings}
    since = record.last_article or record.first_crawl
    if since and _days(now, since) > source.stale_after:
        problems["stale"] = {"since": since[:10], "days": source.stale_after}
    return problems


def source_health(db: sqlite_utils.Database, config: Config, now: str | None = None) -> list[SourceHealth]:
    """Each configured source's health, in config order."""
    now = now or utcnow()
    failed_crawls = config.health.failed_crawls
    health = []
    for source in config.sources:
        record = source_record(db, source.name, failed_crawls)
        health.append(SourceHealth(record, assess(source, record, failed_crawls, now)))
    return health


def refresh_health(db: sqlite_utils.Database, config: Config, now: str | None = None) -> list[SourceEvent]:
    """Record a notice for each problem that started or ended since the last look; returns them."""
    now = now or utcnow()
    still_open = open_problems(db)
    events = []
    for health in source_health(db, config, now):
        name = health.record.name
        for problem in PROBLEMS:
            started = still_open.get((name, problem))
            if problem in health.problems and started is None:
                events.append(SourceEvent(name, problem, "started", now, json.dumps(health.problems[problem])))
            elif problem not in health.problems and started is not None and health.record.crawls:
                events.append(SourceEvent(name, problem, "ended", now,
                                          json.dumps({"since": started.at[:16].replace("T", " ")})))
    record_events(db, events)
    return events
