"""The item pipeline: each fetched page is analysed and stored in one transaction.

A page that cannot be decoded or has no article is counted and logged in one line;
the crawl goes on. When the spider closes, the run's facts are diffed and the run row
finished, so `scrapy crawl news` and `dgwatch crawl` leave the same database behind.
"""
from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.errors import DgwatchError
from crawler.items import FetchedPage
from storage.records import Analysed
from crawler.refresh import names_added, refresh_for_new_names
from crawler.workers import analyse_in_worker, start_worker
from monitor.diff import diff_pending
from storage.articles import ArticleRow, insert_article, reject
from storage.db import open_db
from storage.facts import known_aliases, record_extraction
from storage.neardup import find_near_duplicate, index_fingerprint
from storage.runs import RunStats, finish_run, mark_abandoned_runs, start_run, utcnow
from storage.sources import record_source

log = logging.getLogger(__name__)

# How a crawl ended, by Scrapy's close reason.
_STATUS = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


def run_stats(stats: dict) -> RunStats:
    """The run row's counters out of the crawl's Scrapy stats (`dgwatch/…` keys)."""
    return RunStats(**{name: stats.get(f"dgwatch/{name}", 0)
                       for name in ("pages", "articles_new", "duplicates", "not_modified", "errors")})


class ArticlePipeline:
    """Analyse, deduplicate and store articles; diff and finish the run at the end."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db = None
        self.run_id: int | None = None
        self.known: dict[str, str] = {}
        self.pool: ProcessPoolExecutor | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArticlePipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        """Open the database, record the run and load what deduplication and extraction need."""
        spider = self.crawler.spider
        self.db = open_db(spider.db_path)
        abandoned = mark_abandoned_runs(self.db)
        if abandoned:
            log.warning("%d earlier crawl(s) had been interrupted; their stored articles are kept", abandoned)
        self.run_id = start_run(self.db, [s.name for s in spider.sources])
        self.crawler.stats.set_value("dgwatch/run_id", self.run_id)
        with self.db.conn:
            for source in spider.sources:
                record_source(self.db, source.name, json.dumps(asdict(source), ensure_ascii=False), utcnow())
        # Pages are analysed with the names known when the crawl started, however many
        # workers there are; names learnt on the way are applied by the refresh at the end.
        self.known = known_aliases(self.db)

    async def _analyse(self, item: FetchedPage) -> Analysed:
        workers = self.crawler.spider.config.crawl.workers
        if not workers:
            # The extractor's libraries (trafilatura, jieba, datasketch …) load at the first
            # page: a crawl that finds nothing new starts in half the time without them.
            from crawler.analyse import analyse

            return analyse(item, self.known)
        if self.pool is None:
            # Extraction is CPU-bound: worker processes keep it off the reactor, whose
            # download timeouts would otherwise fire while a page is being analysed.
            # Started at the first page, so a crawl that finds nothing new starts none.
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=start_worker, initargs=(self.known,))
        return await asyncio.wrap_future(self.pool.submit(analyse_in_worker, item))

    async def process_item(self, item: FetchedPage) -> FetchedPage:
        """Store one article; near-duplicates are stored and linked but their facts are not."""
        stats = self.crawler.stats
        try:
            analysed = await self._analyse(item)
        except BrokenProcessPool:
            stats.inc_value("dgwatch/errors")
            log.error("%s: the analysing worker process died", item.url)
            raise DropItem("worker died") from None
        except DgwatchError as exc:
            stats.inc_value("dgwatch/errors")
            reason = str(exc).removeprefix(f"{item.final_url}: ")
            log.error("%s: %s", item.url, reason)
            reject(self.db, item.url, reason, self.run_id, utcnow())
            raise DropItem(str(exc)) from None
        match = find_near_duplicate(self.db, analysed.fingerprint, analysed.bands)
        with self.db.conn:
            article_id = insert_article(self.db, self._row(item, analysed, match.key if match else None))
            if match is None:
                index_fingerprint(self.db, article_id, analysed.bands)
                record_extraction(self.db, article_id, analysed.extraction, self.run_id, analysed.page.published)
        if match is None:
            stats.inc_value("dgwatch/articles_new")
        else:
            stats.inc_value("dgwatch/duplicates")
            log.info("%s: near-duplicate of article %d (similarity %.2f)", item.url, match.key, match.similarity)
        return item

    def _row(self, item: FetchedPage, analysed: Analysed, duplicate_of: int | None) -> ArticleRow:
        page = analysed.page
        return ArticleRow(
            url=item.url, canonical_url=item.final_url, source=item.source, title=page.title,
            published=page.published, author=page.author, text=page.text, normalised=page.normalised,
            fingerprint=analysed.fingerprint, duplicate_of=duplicate_of, encoding=page.encoding,
            etag=item.etag, last_modified=item.last_modified, fetched_at=utcnow(), run_id=self.run_id,
        )

    def spider_closed(self, spider, reason: str) -> None:
        """Diff what this run stored (and anything an interrupted run left undiffed), then finish the run."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.db is None:
            return
        stats = self.crawler.stats
        changes = []
        # A name learnt in this crawl (a rename, a short name) can make earlier-read
        # articles say more; renames applied by the diff can teach another name.
        seen = set(self.known)
        for _ in range(3):
            new_names = names_added(self.db, seen)
            seen |= new_names
            refresh_for_new_names(self.db, new_names, self.run_id)
            changes += diff_pending(self.db, self.run_id)
            if not names_added(self.db, seen):
                break
        stats.set_value("dgwatch/changes", len(changes))
        finish_run(self.db, self.run_id, run_stats(stats.get_stats()), status=_STATUS.get(reason, reason), message=reason)
        self.db.close()
        self.db = None
