"""`kind = "listing"`: HTML listing pages, their links sorted by the source's two patterns."""
from __future__ import annotations

import re

from crawler.kinds.base import DocumentError, Link, SourceKind, is_web_url


class ListingKind(SourceKind):
    """Article links match `article_pattern`; listing pages to follow match `follow_pattern`."""

    name = "listing"
    required = frozenset({"article_pattern"})
    # stop_at_known: a listing page whose articles are all stored ends the walk down its pagination.
    optional = frozenset({"follow_pattern", "stop_at_known"})

    def __init__(self, source, max_bytes: int = 0) -> None:
        from scrapy.linkextractors import LinkExtractor

        super().__init__(source, max_bytes)
        # One extraction pass per listing page, sorted afterwards: link extraction is most
        # of what a listing page costs the crawl, and a second pass doubled it.
        self._extractor = LinkExtractor(allow=[p for p in (source.article_pattern, source.follow_pattern) if p],
                                        unique=True)
        self._is_listing = re.compile(source.follow_pattern).search if source.follow_pattern else None

    def links(self, response) -> list[Link]:
        from scrapy.http import TextResponse

        if not isinstance(response, TextResponse):
            content_type = response.headers.get("Content-Type", b"").decode("latin-1")
            raise DocumentError(f"listing is not an HTML page ({content_type or None})")
        links = []
        for link in self._extractor.extract_links(response):
            # LinkExtractor also passes file:// and ftp:// links.
            if not is_web_url(link.url):
                continue
            if self._is_article(link.url):
                links.append(Link(link.url))
            if self._is_listing and self._is_listing(link.url):
                links.append(Link(link.url, follow=True))
        return links
