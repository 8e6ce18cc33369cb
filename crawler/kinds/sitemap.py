"""`kind = "sitemap"`: sitemap indexes, urlsets, Google News sitemaps, gzipped or not, and robots.txt.

Scrapy's sitemap reader (scrapy.utils.sitemap) does the XML; a news sitemap's
`<news:publication_date>`, nested one level deeper than it looks, is read beside it.
"""
from __future__ import annotations

import struct
from functools import cache
from urllib.parse import urlsplit

from crawler.kinds.base import DocumentError, Link, SourceKind, is_web_url, iso_day

_NEWS_DATE = "./*[local-name()='news']/*[local-name()='publication_date']/text()"


@cache
def _sitemap_class():
    from scrapy.utils.sitemap import Sitemap

    class NewsSitemap(Sitemap):
        """Scrapy's Sitemap, keeping a news sitemap's publication date as `publication_date`."""

        __slots__ = ()

        def _process_sitemap_element(self, elem):
            published = elem.xpath(_NEWS_DATE)
            entry = super()._process_sitemap_element(elem)
            if entry is not None and published:
                entry["publication_date"] = published[0].strip()
            return entry

    return NewsSitemap


class SitemapKind(SourceKind):
    """`start_urls` are sitemap (or sitemap index, or robots.txt) URLs; `article_pattern` optional."""

    name = "sitemap"
    # since: entries (and whole sitemaps) last modified before this day are not fetched.
    optional = frozenset({"article_pattern", "since"})

    def links(self, response) -> list[Link]:
        from scrapy.utils.gz import gunzip, gzip_magic_number
        from scrapy.utils.sitemap import sitemap_urls_from_robots

        if urlsplit(response.url).path == "/robots.txt":
            return [Link(url, follow=True) for url in sitemap_urls_from_robots(response.body, response.url)
                    if is_web_url(url)]
        body = response.body
        if gzip_magic_number(response):
            # A .xml.gz file served as is (no Content-Encoding, which Scrapy would undo).
            try:
                body = gunzip(body, max_size=self.max_bytes)
            except (OSError, EOFError, struct.error, ValueError) as exc:  # corrupt, or over max_bytes (ValueError)
                raise DocumentError(f"cannot decompress the gzipped sitemap: {exc}") from None
        try:
            sitemap = _sitemap_class()(body)
        except (StopIteration, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
            raise DocumentError(f"not a sitemap: {exc or 'empty document'}") from None
        if sitemap.type not in ("sitemapindex", "urlset"):
            raise DocumentError(f"not a sitemap (root element {sitemap.type or 'missing'!r})")
        index = sitemap.type == "sitemapindex"
        links = []
        for entry in sitemap:
            url = entry["loc"]
            day = iso_day(entry.get("publication_date") or entry.get("lastmod"))
            if index and is_web_url(url):
                links.append(Link(url, day, follow=True))
            elif not index and self.wanted(url):
                links.append(Link(url, day))
        return links
