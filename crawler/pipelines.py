"""The item pipeline: each fetched page is analysed and stored in one transaction.

A page that cannot be decoded or has no article is counted and logged in one line;
the crawl goes on. The pipeline only stores: what the crawl changed is decided after
it, by whoever started it (monitor.record), from the facts stored undiffed. Before its
analysing workers stop, it has them re-read the stored articles that mention a name the
crawl taught (crawler.refresh), since their extractor is loaded already, and tells
CrawlStore which names it applied, so monitor.record does not load the extractor again.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.dedup import with_fingerprint
from crawler.errors import DgwatchError
from crawler.items import FetchedPage
from crawler.store import CrawlStore
from crawler.refresh import names_added, refresh_for_new_names
from crawler.workers import analyse_in_worker, extract_all_in_pool, start_pool, take_started_pool
from storage.articles import AlreadyStored, ArticleRow, SeenRow, insert_article, record_seen, reject
from storage.facts import record_extraction
from storage.neardup import find_near_duplicate, index_fingerprint
from storage.records import Analysed
from storage.search import SEARCH_BATCH, index_new_articles
from storage.runs import utcnow

log = logging.getLogger(__name__)


class ArticlePipeline:
    """Analyse, deduplicate and store articles in the crawl's database (crawler.store)."""

    def __init__(self, crawler: Crawler, workers: int) -> None:
        self.crawler = crawler
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.unindexed = 0  # articles stored since the search index was last brought up to date
        self.reading: tuple | None = None  # without workers: crawler.analyse.reading_names of the start names

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArticlePipeline":
        return cls(crawler, crawler.settings.getint("DGWATCH_WORKERS"))

    @property
    def store(self) -> CrawlStore:
        return self.crawler.get_extension(CrawlStore)

    async def _analyse(self, item: FetchedPage) -> Analysed:
        if not self.workers:
            # The extractor's libraries (trafilatura, jieba …) load at the first
            # page: a crawl that finds nothing new starts in half the time without them.
            from crawler.analyse import analyse, reading_names

            if self.reading is None:
                self.reading = reading_names(self.store.known)
            known, keywords = self.reading
            return analyse(item, known, keywords=keywords)
        if self.pool is None:
            # Extraction is CPU-bound: worker processes keep it off the reactor, whose
            # download timeouts would otherwise fire while a page is being analysed.
            # Started at the first page, so a crawl that finds nothing new starts none; or,
            # for a first crawl, with the process (crawler.workers.started_early).
            self.pool = take_started_pool() or start_pool(self.workers, self.store.known)
        analysed = await asyncio.wrap_future(self.pool.submit(analyse_in_worker, item))
        return with_fingerprint(analysed) if analysed.relevant else analysed

    async def process_item(self, item: FetchedPage) -> FetchedPage:
        """Store one article; near-duplicates are stored and linked but their facts are not.

        An article that names none of its source's keywords is recorded as seen, its text dropped.
        """
        stats = self.crawler.stats
        db, run_id = self.store.db, self.store.run_id
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
            reject(db, item.url, reason, run_id, utcnow())
            raise DropItem(str(exc)) from None
        if not analysed.relevant:
            stats.inc_value("dgwatch/not_relevant")
            record_seen(db, SeenRow(url=item.url, canonical_url=item.final_url, source=item.source,
                                    title=analysed.page.title, published=analysed.page.published, run_id=run_id,
                                    seen_at=utcnow()))
            return item
        match = find_near_duplicate(db, analysed.fingerprint, analysed.bands)
        try:
            with db.conn:
                article_id = insert_article(db, self._row(item, analysed, match.key if match else None, run_id))
                if match is None:
                    index_fingerprint(db, article_id, analysed.fingerprint, analysed.bands)
                    record_extraction(db, article_id, analysed.extraction, run_id, analysed.page.published)
                self.unindexed += 1
                if self.unindexed >= SEARCH_BATCH:
                    index_new_articles(db)
                    self.unindexed = 0
        except AlreadyStored:
            # Stored by another writer since this crawl read the known URLs: what is stored stays.
            stats.inc_value("dgwatch/skipped_known")
            log.info("%s: already stored", item.url)
            raise DropItem("already stored") from None
        if match is None:
            stats.inc_value("dgwatch/articles_new")
        else:
            stats.inc_value("dgwatch/duplicates")
            log.info("%s: near-duplicate of article %d (similarity %.2f)", item.url, match.key, match.similarity)
        return item

    @staticmethod
    def _row(item: FetchedPage, analysed: Analysed, duplicate_of: int | None, run_id: int | None) -> ArticleRow:
        page = analysed.page
        return ArticleRow(
            url=item.url, canonical_url=item.final_url, source=item.source, title=page.title,
            published=page.published, author=page.author, text=page.text, normalised=page.normalised,
            fingerprint=analysed.fingerprint, duplicate_of=duplicate_of, encoding=page.encoding,
            etag=item.etag, last_modified=item.last_modified, fetched_at=utcnow(), run_id=run_id,
        )

    def close_spider(self) -> None:
        """Index the articles stored since the last batch; refresh the articles the crawl's new
        names apply to in a worker, then let the workers finish and exit (pipelines close
        before the run is finished)."""
        store = self.store
        if store.db is not None and self.unindexed:
            with store.db.conn:
                index_new_articles(store.db)
        if self.pool is None:
            return
        try:
            if store.db is not None:
                learnt = names_added(store.db, set(store.names_before))
                refresh_for_new_names(store.db, learnt, store.run_id, partial(extract_all_in_pool, self.pool))
                store.names_refreshed = frozenset(learnt)
        except BrokenProcessPool:
            log.error("the analysing worker process died; articles are refreshed after the crawl instead")
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
