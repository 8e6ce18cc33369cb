"""Redirects the crawler follows: only within the hosts a source named.

A page is untrusted, and so is its server's Location header: followed anywhere, a
redirect could point the crawler at another site, or at the machine's own services
(127.0.0.1, a private network, a cloud's link-local metadata address) with the
crawler's own credentials of place. Scrapy's redirect middlewares follow any http(s)
Location; these subclasses follow one only to a host the source named — a host of
its start URLs, or of the link the request began with (which matched its patterns) —
on the same port, an http → https upgrade allowed — and never back to a URL already
in the chain (a loop). Any other redirect, whether to
another name, another port or any address the source did not name (loopback, private
or link-local included), is not followed and counted as an error.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host(url: str) -> tuple[str | None, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return parts.hostname, None
    return parts.hostname, port or _DEFAULT_PORTS.get(parts.scheme)


def same_host(url: str, named: list[str]) -> bool:
    """Whether `url` is on a host of the `named` URLs: same name, same port (or 80 → 443)."""
    host, port = _host(url)
    for other in named:
        other_host, other_port = _host(other)
        if host == other_host and (port == other_port or (other_port, port) == (80, 443)):
            return True
    return False


class _WithinSource:
    """process_response of a redirect middleware, refusing a redirect that leaves the source's hosts."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if not isinstance(result, Request):
            return result
        spider = self.crawler.spider
        source = request.meta.get("source")
        if source is None or not hasattr(spider, "config"):
            return result
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if result.url in chain:
            # Scrapy's duplicate filter would drop the request silently: the page would be neither fetched nor counted.
            raise IgnoreRequest(f"redirect loop ({' -> '.join([*chain, result.url])}): not followed")
        named = [*spider.config.source(source).start_urls, chain[0]]
        if not same_host(result.url, named):
            raise IgnoreRequest(f"redirected to {result.url}, off the source's hosts: not followed")
        return result


class SourceRedirectMiddleware(_WithinSource, RedirectMiddleware):
    """Scrapy's 3xx redirects, within the source's hosts."""


class SourceMetaRefreshMiddleware(_WithinSource, MetaRefreshMiddleware):
    """Scrapy's <meta http-equiv="refresh"> redirects, within the source's hosts."""
