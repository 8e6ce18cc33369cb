"""The generic spider: every configured source, its documents to article pages.

Sources are configuration, not code. A source's documents — listing pages, feeds,
sitemaps, as its kind says (crawler.kinds) — are all fetched the same way: revalidated
each crawl, their links remembered by digest, each link an article to fetch once or a
further document of the source to read.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, AsyncIterator

import scrapy
import sqlite_utils
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from twisted.python.failure import Failure

from crawler.config import Config, Source, load_config, resolve_db
from crawler.errors import DgwatchError
from crawler.items import FetchedPage
from crawler.kinds import KINDS, DocumentError, Link
from crawler.store import CrawlStore
from storage.articles import known_urls
from storage.health import SourceCrawl, record_source_crawls
from storage.listings import remember_links, remembered_links
from storage.runs import utcnow
from storage.sources import begin_walks, finish_walks

log = logging.getLogger(__name__)

# Listing pages must be asked again every crawl: max-age=0 makes the cached copy stale,
# so RFC 2616 policy sends If-None-Match / If-Modified-Since and a 304 serves the copy.
# (no-cache would skip the validators and download the page again.)
_REVALIDATE = {"Cache-Control": "max-age=0"}


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class NewsSpider(scrapy.Spider):
    """Follows each source's listing pages and yields its new article pages."""

    name = "news"

    def __init__(self, config: str | Config | None = None, sources: str | list[str] | None = None,
                 db: str | None = None, max_pages: int | str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if config is None:
            raise ValueError("the news spider needs -a config=PATH")
        self.config = config if isinstance(config, Config) else load_config(config)
        wanted = sources.split(",") if isinstance(sources, str) else sources
        self.sources: list[Source] = [self.config.source(n) for n in wanted] if wanted else list(self.config.sources)
        self.db_path = resolve_db(db, self.config)
        self.db: sqlite_utils.Database | None = None  # the crawl's connection (crawler.store), from start() on
        self.max_pages = int(max_pages) if max_pages else None
        self.requested = 0
        self.requested_by_source: dict[str, int] = {}
        self.stored: set[str] = set()  # URLs stored (or seen, or rejected) before this crawl
        self.known: set[str] = set()  # and those queued since
        self.listings: set[str] = set()  # listing URLs queued in this crawl
        self.walked: set[str] = set()  # sources whose last listing walk ran to its end
        self.cut_short: set[str] = set()  # sources a page budget stopped in this crawl
        self.seen = {s.name: SourceCrawl(s.name, listings=0, article_links=0, failures=0) for s in self.sources}
        max_bytes = int(self.config.crawl.max_page_mb * 2**20)
        self._kinds = {s.name: KINDS[s.kind](s, max_bytes) for s in self.sources}
        # What a document's remembered links depend on besides the document itself.
        self._link_patterns = {s.name: f"{s.kind}\n{s.article_pattern or ''}\n{s.follow_pattern or ''}".encode()
                               for s in self.sources}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "NewsSpider":
        """The spider, with the database and worker count its arguments name published as settings.

        `scrapy crawl news -a config=F -a db=D` names them as arguments; the other
        components read them from the settings (DGWATCH_DB, DGWATCH_WORKERS), which a
        caller that set them itself (crawler.runner) keeps, its priority being higher.
        """
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.settings.set("DGWATCH_DB", spider.db_path, priority="spider")
        crawler.settings.set("DGWATCH_WORKERS", spider.config.crawl.workers, priority="spider")
        return spider

    def _budget(self, source: Source) -> bool:
        """Take one request from the crawl's and the source's page budgets, if any is left."""
        used = self.requested_by_source.get(source.name, 0)
        if (self.max_pages is not None and self.requested >= self.max_pages
                or source.max_pages is not None and used >= source.max_pages):
            self.crawler.stats.inc_value("dgwatch/over_budget")
            self.cut_short.add(source.name)
            return False
        self.requested += 1
        self.requested_by_source[source.name] = used + 1
        return True

    def _listing_request(self, url: str, source: Source) -> scrapy.Request:
        self.listings.add(url)
        return scrapy.Request(url, callback=self.parse_listing, errback=self.failed, headers=_REVALIDATE,
                              meta={"source": source.name}, dont_filter=False)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One revalidated request per start URL; stored article URLs and finished walks are loaded first.

        Opening the crawl's database records the run; it stays open until the spider
        closes, for the listings' remembered links.
        """
        try:
            self.db = self.crawler.get_extension(CrawlStore).open(self.sources)
        except DgwatchError as exc:
            # Another crawl holds the database, or it is no dgwatch database: one line,
            # not Scrapy's traceback, and no request (`dgwatch crawl` stops before Scrapy).
            log.error("%s", exc)
            self.crawler.stats.set_value("dgwatch/refused", str(exc))
            return
        self.stored = known_urls(self.db)
        self.walked = begin_walks(self.db, [source.name for source in self.sources])
        self.known = set(self.stored)
        for source in self.sources:
            for url in source.start_urls:
                if self._budget(source):
                    yield self._listing_request(url, source)

    def parse_listing(self, response: Response):
        """Queue a source document's unseen article links and its further documents.

        A link dated before the source's `since` is left alone. With the source's
        `stop_at_known`, a listing whose articles are all stored already queues no further
        listing pages: everything past it was read before, if the source's last walk ran
        to its end (else this one walks on).
        """
        source = self.config.source(response.meta["source"])
        self._count_page(response)
        try:
            links = self._document_links(response, source)
        except DocumentError as exc:
            self._error(response.url, str(exc))
            return
        source_seen = self.seen[source.name]
        source_seen.listings += 1
        unseen = 0
        documents = []
        for link in links:
            source_seen.article_links += not link.follow
            if source.since and link.published and link.published < source.since:
                self.crawler.stats.inc_value("dgwatch/skipped_old")
            elif link.follow:
                documents.append(link.url)
            else:
                unseen += link.url not in self.stored
                yield from self._article_request(link.url, source)
        if source.stop_at_known and not unseen and source.name in self.walked:
            log.info("%s: every article listed is stored; its further listing pages are not followed", response.url)
            return
        # Each listing links to its neighbours: only those not yet queued take a request,
        # and a page from the budget.
        for url in documents:
            if url not in self.listings and self._budget(source):
                yield self._listing_request(url, source)

    def _article_request(self, url: str, source: Source):
        if url in self.known:
            self.crawler.stats.inc_value("dgwatch/skipped_known")
            return
        self.known.add(url)
        if self._budget(source):
            # Articles before further listing pages: the queue of pending requests then
            # holds about one listing's worth, however long the archive.
            yield scrapy.Request(url, callback=self.parse_article, errback=self.failed, priority=1,
                                 meta={"source": source.name, "dont_cache": True})

    def _document_links(self, response: Response, source: Source) -> list[Link]:
        """The document's links as its source's kind reads them, read back if the document is as last read."""
        digest = hashlib.blake2b(self._link_patterns[source.name] + b"\0" + response.body, digest_size=16).hexdigest()
        lines = remembered_links(self.db, response.url, digest)
        if lines is not None:
            return [Link.decode(line) for line in lines]
        links = self._kinds[source.name].links(response)
        remember_links(self.db, response.url, digest, [link.encode() for link in links])
        return links

    def parse_article(self, response: Response):
        """Hand the raw page to the pipeline, which decodes and extracts it."""
        source = self.config.source(response.meta["source"])
        self._count_page(response)
        redirected = response.meta.get("redirect_urls") or []
        yield FetchedPage(
            url=redirected[0] if redirected else response.url,
            final_url=response.url,
            source=source.name,
            body=response.body,
            content_type=_header(response, "Content-Type"),
            encoding=source.encoding,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            keywords=tuple(source.keywords or ()),
            keep_all=source.keep_all,
        )

    def closed(self, reason: str) -> None:
        """Mark the sources whose listing walk ran to its end (a clean finish, no failed
        request or page, and no page budget that stopped the source)."""
        db, self.db = self.db, None
        if db is None or reason != "finished":
            return
        record_source_crawls(db, list(self.seen.values()))
        if not self.crawler.stats.get_value("dgwatch/errors", 0):
            finish_walks(db, [s.name for s in self.sources if s.name not in self.cut_short], utcnow())

    def _count_page(self, response: Response) -> None:
        self.crawler.stats.inc_value("dgwatch/pages")
        if "cached" in response.flags:
            self.crawler.stats.inc_value("dgwatch/not_modified")

    def _error(self, url: str, message: str) -> None:
        self.crawler.stats.inc_value("dgwatch/errors")
        log.error("%s: %s", url, message)

    def failed(self, failure: Failure) -> None:
        """A request that failed for good: robots.txt refusals are policy, the rest are errors."""
        request = failure.request
        message = failure.getErrorMessage()
        if request.meta.get("source") in self.seen:
            self.seen[request.meta["source"]].failures += 1
        if failure.check(HttpError):
            self._error(request.url, f"HTTP {failure.value.response.status}")
        elif failure.check(IgnoreRequest) and (not message or "robots.txt" in message):
            self.crawler.stats.inc_value("dgwatch/robots_forbidden")
            log.info("%s: skipped (%s)", request.url, message or "forbidden by robots.txt")
        elif failure.check(DownloadCancelledError) or "max size" in message or "MAXSIZE" in message:
            # Over DOWNLOAD_MAXSIZE as sent, or once decompressed (HttpCompressionMiddleware
            # then ignores the request).
            how = " once decompressed" if "decompress" in message else ""
            self._error(request.url, f"page larger than [crawl] max_page_mb = {self.config.crawl.max_page_mb:g}{how}")
        elif failure.check(IgnoreRequest):  # a redirect not followed (crawler/redirects.py), or too many
            self._error(request.url, message)
        else:
            self._error(request.url, f"{failure.type.__name__}: {message}")
