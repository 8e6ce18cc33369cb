"""The HTTP cache's storage: Scrapy's filesystem storage, lighter on a revalidation.

Only listing pages are cached, and every crawl revalidates each of them. After a 304,
Scrapy stores the cached response again whole: seven files a listing page, the body
among them, though only the headers can have changed.
"""
from __future__ import annotations

from pathlib import Path

from scrapy import Request, Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import Response
from w3lib.http import headers_dict_to_raw


class RevalidatingCacheStorage(FilesystemCacheStorage):
    """FilesystemCacheStorage that rewrites only the headers of a response revalidated by a 304."""

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        """Store `response`; the cached copy a 304 revalidated (flagged "cached") keeps its files
        but the headers, which the 304's were merged into."""
        if "cached" not in response.flags:
            super().store_response(spider, request, response)
            return
        with self._open(Path(self._get_request_path(spider, request)) / "response_headers", "wb") as f:
            f.write(headers_dict_to_raw(response.headers))
