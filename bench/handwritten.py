"""The baseline of issue 20: the spider a user would write by hand instead of running dgwatch.

Scrapy follows the listings to the articles, `trafilatura.extract` takes each body,
and sqlite-utils stores (url, title, text), one row a page. With `--pool` the
extraction runs in a one-process pool, as a user keeping the reactor free would do.
Nothing else: no near-duplicates, no facts, no diff, no conditional requests.

    python -m bench.handwritten START_URL ARTICLE_PATTERN FOLLOW_PATTERN DB [--concurrency 2] [--pool]

It prints one JSON line: pages fetched, articles stored, seconds crawling.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
from concurrent.futures import ProcessPoolExecutor

import scrapy
import sqlite_utils
import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor


class ArticleSpider(scrapy.Spider):
    """Listing pages → article pages → one item each."""

    name = "handwritten"

    def __init__(self, start_url: str, article_pattern: str, follow_pattern: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.articles = LinkExtractor(allow=article_pattern, unique=True)
        self.listings = LinkExtractor(allow=follow_pattern, unique=True)

    def parse(self, response):
        for link in self.articles.extract_links(response):
            yield scrapy.Request(link.url, callback=self.parse_article)
        for link in self.listings.extract_links(response):
            yield scrapy.Request(link.url, callback=self.parse)

    def parse_article(self, response):
        yield {"url": response.url, "title": response.css("title::text").get(), "html": response.text}


class StorePipeline:
    """Extract the body (here, or in a one-worker pool) and insert the row."""

    def __init__(self, db_path: str, pool: bool) -> None:
        self.db = sqlite_utils.Database(db_path)
        self.pool = ProcessPoolExecutor(1) if pool else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("DB_PATH"), crawler.settings.getbool("EXTRACT_IN_POOL"))

    async def process_item(self, item):
        if self.pool is None:
            text = trafilatura.extract(item["html"], url=item["url"])
        else:
            text = await asyncio.wrap_future(self.pool.submit(trafilatura.extract, item["html"], url=item["url"]))
        if text:
            self.db["articles"].insert({"url": item["url"], "title": item["title"], "text": text},
                                       pk="url", replace=True)
        return item

    def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("start_url")
    parser.add_argument("article_pattern")
    parser.add_argument("follow_pattern")
    parser.add_argument("db")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--pool", action="store_true", help="extract in a one-process pool")
    args = parser.parse_args(argv)
    # Polite as dgwatch is (robots.txt, AutoThrottle, the same requests per site). Without
    # AutoThrottle, Scrapy 2.19 at 2 requests per site idled ~60 ms a page on the bench's
    # server (200 articles: 14 s instead of 1.9 s), which would measure the wait, not the spider.
    process = CrawlerProcess({
        "ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(args.concurrency),
        "LOG_LEVEL": "WARNING", "ITEM_PIPELINES": {StorePipeline: 300},
        "DB_PATH": args.db, "EXTRACT_IN_POOL": args.pool,
    })
    crawler = process.create_crawler(ArticleSpider)
    started = time.monotonic()
    process.crawl(crawler, start_url=args.start_url, article_pattern=args.article_pattern,
                  follow_pattern=args.follow_pattern)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("response_received_count", 0) - 1,  # robots.txt is not a page
                      "articles": sqlite_utils.Database(args.db)["articles"].count,
                      "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
