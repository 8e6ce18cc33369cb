"""`scrapy crawl news` records changes too: this extension diffs once the engine has stopped.

`dgwatch crawl` records them itself after its crawl (monitor.record); Scrapy's own
command line has no such caller, so monitor.scrapy_settings (scrapy.cfg's settings)
enables this extension. It runs at engine_stopped, after the crawl's run is finished
and its connection closed (crawler.store, at spider_closed).
"""
from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.store import CrawlStore
from monitor.record import after_crawl
from storage.db import open_db


class RecordChanges:
    """Record the changes of the crawl that just ended, as `dgwatch crawl` does."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RecordChanges":
        return cls(crawler)

    def engine_stopped(self) -> None:
        store = self.crawler.get_extension(CrawlStore)
        if store is None or store.run_id is None:
            return
        db = open_db(store.path)
        try:
            after_crawl(db, self.crawler.spider.config, store.run_id, store.names_before | store.names_refreshed)
        finally:
            db.close()
