"""What every source kind is: a reader of fetched documents into links."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # the config imports this package; a kind only reads a Source
    from scrapy.http import Response

    from crawler.config import Source

KINDS: dict[str, type["SourceKind"]] = {}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class DocumentError(ValueError):
    """A fetched document that its kind cannot read; the message says why."""


@dataclass(frozen=True)
class Link:
    """A link read from a source's document: an article, or (`follow`) another document of the source.

    `published` is the day the document gives for it (YYYY-MM-DD), if any: a feed entry's
    date, a sitemap's publication date or lastmod.
    """

    url: str
    published: str | None = None
    follow: bool = False

    def encode(self) -> str:
        """One line for storage.listings: the URL, then a tab and the date, then a tab and `f`
        to follow, trailing empty fields left out (URLs hold no tabs: they are percent-encoded)."""
        return f"{self.url}\t{self.published or ''}\t{'f' if self.follow else ''}".rstrip("\t")

    @classmethod
    def decode(cls, line: str) -> "Link":
        """The Link `encode` wrote."""
        url, published, follow = (line.split("\t") + ["", ""])[:3]
        return cls(url, published or None, follow == "f")


def iso_day(value: str | date | None) -> str | None:
    """The YYYY-MM-DD day a W3C datetime, an ISO date or a date object starts with, else None."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    found = _ISO_DAY.match(value.strip()) if value else None
    return found[0] if found else None


def is_web_url(url: str) -> bool:
    """Only http(s): a document must not make the crawler read local files (file://, ftp://)."""
    return url.startswith(("http://", "https://"))


class SourceKind:
    """Reads one source's fetched documents; one instance per configured source and crawl.

    `required` and `optional` are the config keys the kind takes besides the common ones.
    """

    name: ClassVar[str]
    required: ClassVar[frozenset[str]] = frozenset()
    optional: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        KINDS[cls.name] = cls

    def __init__(self, source: Source, max_bytes: int = 0) -> None:
        self.source = source
        self.max_bytes = max_bytes  # 0: no limit on a decompressed document
        self._is_article = re.compile(source.article_pattern).search if source.article_pattern else None

    def wanted(self, url: str) -> bool:
        """Whether `url` is an article of the source: http(s), and matching `article_pattern` if set."""
        return is_web_url(url) and (self._is_article is None or bool(self._is_article(url)))

    def links(self, response: Response) -> list[Link]:
        """The article links and further documents in `response`; raises DocumentError if unreadable."""
        raise NotImplementedError
