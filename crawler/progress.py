"""Crawl progress: a live status line on a terminal, a plain log line now and then otherwise."""
from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import Progress as RichProgress, SpinnerColumn, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet.task import LoopingCall

COUNTERS = (
    ("pages", "dgwatch/pages"),
    ("new", "dgwatch/articles_new"),
    ("duplicates", "dgwatch/duplicates"),
    ("not modified", "dgwatch/not_modified"),
    ("errors", "dgwatch/errors"),
)


def status_line(stats: dict) -> str:
    """The counters of a crawl as one line: pages 12 · new 8 · duplicates 1 · …"""
    return " · ".join(f"{label} {stats.get(key, 0)}" for label, key in COUNTERS)


class Progress:
    """Scrapy extension that reports the crawl's counters while it runs."""

    LOG_EVERY = 10.0  # seconds between plain log lines when stderr is not a terminal

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.live: RichProgress | None = None
        self.task = None
        self.loop: LoopingCall | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        return cls(crawler)

    def opened(self, spider) -> None:
        if sys.stderr.isatty():
            self.live = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=True)
            self.live.start()
            self.task = self.live.add_task(status_line({}), total=None)
            self.loop = LoopingCall(self.refresh)
            self.loop.start(0.25)
        else:
            self.loop = LoopingCall(self.log_line)
            self.loop.start(self.LOG_EVERY, now=False)

    def refresh(self) -> None:
        self.live.update(self.task, description=status_line(self.stats.get_stats()))

    def log_line(self) -> None:
        print(f"dgwatch: crawling: {status_line(self.stats.get_stats())}", file=sys.stderr, flush=True)

    def closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
