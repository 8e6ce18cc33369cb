"""Run one crawl in this process: Scrapy settings from the config, the news spider, a summary.

Scrapy's reactor cannot be restarted, so one process runs one crawl; the daemon and
the demo start a `dgwatch crawl` subprocess for each.
"""
from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.config import Config
from crawler.spiders.news import NewsSpider
from crawler.store import CrawlStore, run_stats
from storage.records import Change
from storage.runs import RunStats


@dataclass
class CrawlSummary(RunStats):
    """What one crawl did: the run row's counters, what was skipped, and the changes it found.

    The crawl itself only stores: `changes` are filled in by whoever diffs after it
    (monitor.record), measured against `names_before`, the names known as it started.
    """

    run_id: int | None = None
    status: str = "failed"
    seconds: float = 0.0
    robots_forbidden: int = 0
    skipped_known: int = 0
    not_relevant: int = 0  # articles recorded as seen, without their text
    skipped_old: int = 0  # feed or sitemap entries dated before the source's `since`
    names_before: frozenset[str] = frozenset()
    names_refreshed: frozenset[str] = frozenset()  # learnt, and their articles re-read before the crawl ended
    changes: list[Change] = field(default_factory=list)


def scrapy_settings(config: Config, db_path: str, verbose: bool = False) -> Settings:
    """The project settings with the config's [crawl] politeness, its database and a cache beside it."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    crawl = config.crawl
    settings.setdict({
        "DOWNLOAD_DELAY": crawl.delay,
        # AutoThrottle starts at its floor, `delay`, and raises it as answers come slower;
        # a start delay above it would pace a crawl until enough 200s and 304s lowered it.
        "AUTOTHROTTLE_START_DELAY": crawl.delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "RETRY_TIMES": crawl.retries,
        "USER_AGENT": crawl.user_agent,
        "DOWNLOAD_MAXSIZE": int(crawl.max_page_mb * 2**20),
        "DOWNLOAD_WARNSIZE": 0,  # the limit reports each page over it
        "HTTPCACHE_DIR": str(Path(db_path).resolve()) + ".httpcache",
        "DGWATCH_DB": str(db_path),
        "DGWATCH_WORKERS": crawl.workers,
        "LOG_LEVEL": "DEBUG" if verbose else "WARNING",
        "LOG_FORMAT": "%(asctime)s %(levelname)s %(message)s" if verbose else "dgwatch: %(levelname)s %(message)s",
    }, priority="cmdline")
    return settings


def crawl(config: Config, db_path: str, sources: list[str] | None = None, max_pages: int | None = None,
          verbose: bool = False) -> CrawlSummary:
    """Crawl `sources` (default: all) of `config` into the database at `db_path`.

    Blocks until the crawl ends; the pipeline stores articles and facts, undiffed.
    """
    for name in sources or []:
        config.source(name)  # an unknown name fails before anything is fetched
    started = time.monotonic()
    process = CrawlerProcess(scrapy_settings(config, db_path, verbose))
    if not verbose:
        # The spider reports each failed request, and the pipeline each page it cannot read,
        # in one line of its own; these libraries would add their own lines about the same.
        for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.httpcompression",
                     "scrapy.core.downloader.handlers.http11", "scrapy.core.downloader.handlers._base_streaming",
                     "trafilatura", "htmldate"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, config=config, sources=sources, db=db_path, max_pages=max_pages)
    # What the imports and Scrapy's set-up made lives until this process exits. Frozen, the
    # cyclic collector never traces it again, not even in the collections at interpreter
    # exit, which took a seventh of a crawl that finds nothing new (~0.15 s).
    gc.freeze()
    process.start()
    stats = crawler.stats.get_stats()
    store = crawler.get_extension(CrawlStore)
    return CrawlSummary(
        **vars(run_stats(stats)), run_id=store.run_id, status=store.status or "failed",
        seconds=time.monotonic() - started, robots_forbidden=stats.get("dgwatch/robots_forbidden", 0),
        skipped_known=stats.get("dgwatch/skipped_known", 0), not_relevant=stats.get("dgwatch/not_relevant", 0),
        skipped_old=stats.get("dgwatch/skipped_old", 0), names_before=store.names_before,
        names_refreshed=store.names_refreshed,
    )
