"""The crawl process's one database connection and its run row, as a Scrapy extension.

The spider (known URLs, listing links, walks) and the item pipeline (articles, facts)
share this connection — `crawler.get_extension(CrawlStore)` — rather than opening one
each. The spider opens it as the crawl starts, which records the run and its sources;
at spider_closed, after the pipeline has stored its last page (pipelines close first)
and the spider has marked its walks (its handler is connected first), the run is
finished with the crawl's counters and the connection closed.
"""
from __future__ import annotations

import json
import logging
from contextlib import ExitStack
from dataclasses import asdict

import sqlite_utils
from scrapy import signals
from scrapy.crawler import Crawler

from crawler.config import Source
from crawler.dedup import FINGERPRINT_SCHEME, fingerprint
from crawler.errors import DgwatchError
from storage.db import background_checkpoints, open_db
from storage.facts import known_aliases
from storage.lock import writer_lock
from storage.neardup import refingerprint
from storage.runs import RunStats, finish_run, mark_abandoned_runs, start_run, utcnow
from storage.search import index_new_articles
from storage.sources import record_source

log = logging.getLogger(__name__)

# How a crawl ended, by Scrapy's close reason.
_STATUS = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


def run_stats(stats: dict) -> RunStats:
    """The run row's counters out of the crawl's Scrapy stats (`dgwatch/…` keys)."""
    return RunStats(**{name: stats.get(f"dgwatch/{name}", 0)
                       for name in ("pages", "articles_new", "duplicates", "not_modified", "errors")})


class CrawlStore:
    """Opens the database named by the `DGWATCH_DB` setting once, for the whole crawl."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path
        self.db: sqlite_utils.Database | None = None
        self.run_id: int | None = None
        self.status: str | None = None
        # Names known before this crawl stored anything: what it teaches is measured against them.
        self.names_before: frozenset[str] = frozenset()
        # Names learnt by this crawl whose articles the pipeline has re-read already (crawler.refresh).
        self.names_refreshed: frozenset[str] = frozenset()
        self.known: dict[str, str] = {}
        self._lock = ExitStack()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlStore":
        path = crawler.settings.get("DGWATCH_DB")
        if not path:
            raise DgwatchError("no database for the crawl: the DGWATCH_DB setting is empty")
        return cls(crawler, path)

    def open(self, sources: list[Source]) -> sqlite_utils.Database:
        """Take the database's writer lock, open it, close off runs a killed crawl left open,
        and record this run and its sources."""
        self._lock.enter_context(writer_lock(self.path))
        self.db = open_db(self.path, bulk=True)
        self._lock.enter_context(background_checkpoints(self.path))
        abandoned = mark_abandoned_runs(self.db)
        if abandoned:
            log.warning("%d earlier crawl(s) had been interrupted; their stored articles are kept", abandoned)
        with self.db.conn:
            index_new_articles(self.db)  # what a killed crawl left unindexed
        # Before the first new article is compared with them.
        remade = refingerprint(self.db, FINGERPRINT_SCHEME, fingerprint)
        if remade:
            log.warning("made the near-duplicate fingerprints of %d stored articles again (as %s)", remade,
                        FINGERPRINT_SCHEME)
        self.run_id = start_run(self.db, [s.name for s in sources])
        self.crawler.stats.set_value("dgwatch/run_id", self.run_id)
        with self.db.conn:
            for source in sources:
                record_source(self.db, source.name, json.dumps(asdict(source), ensure_ascii=False), utcnow())
        # Pages are analysed with the names known when the crawl started, however many
        # workers there are; names learnt on the way are applied after the crawl.
        self.known = known_aliases(self.db)
        self.names_before = frozenset(self.known)
        return self.db

    def spider_closed(self, spider, reason: str) -> None:
        """Finish the run with its counters and how the crawl ended; close the connection and release the lock."""
        db, self.db = self.db, None
        with self._lock:
            if db is None:
                return
            try:
                self.status = _STATUS.get(reason, reason)
                finish_run(db, self.run_id, run_stats(self.crawler.stats.get_stats()), status=self.status, message=reason)
            finally:
                db.close()
