"""The pure chain from fetched bytes to a normalised Page: decode, extract, normalise."""
from __future__ import annotations

import re
from datetime import date

from crawler.encoding import decode_html
from crawler.body import cut_tail
from crawler.extract import NotAnArticle, extract_article
from crawler.pagedate import find_chinese_date
from crawler.normalise import normalise
from storage.records import Page

__all__ = ["NotAnArticle", "is_html", "process_page"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TAG = re.compile(rb"<\s*(html|body|head|div|p|article|h1|meta|title)\b", re.IGNORECASE)


def is_html(body: bytes, content_type: str | None) -> bool:
    """Whether the response is an HTML page (by header, else by its first bytes)."""
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        if mime in _HTML_TYPES:
            return True
        if mime != "text/plain" and mime != "application/octet-stream":
            return False
    return bool(_TAG.search(body[:2048]))


def _is_text(content_type: str | None) -> bool:
    return content_type is None or content_type.split(";")[0].strip().lower() in ("text/plain", "application/octet-stream")


def process_page(body: bytes, url: str, content_type: str | None = None, encoding: str | None = None,
                 crawled_at: date | None = None) -> Page:
    """Decode, strip chrome and normalise one fetched page.

    HTML goes through crawler.extract; a plain-text file is taken as a body already
    (its trailing furniture still cut). Anything else raises NotAnArticle naming the URL.
    `crawled_at`, the day of the fetch, bounds the publication date: none is later.
    """
    if is_html(body, content_type):
        text, used = decode_html(body, content_type, encoding)
        article = extract_article(text, url, crawled_at)
        title, published, author, body_text = article.title, article.published, article.author, article.text
    elif _is_text(content_type):
        text, used = decode_html(body, None, encoding)
        body_text = cut_tail(text)
        if not body_text:
            raise NotAnArticle(f"{url}: empty text")
        title, author = None, None
        published = find_chinese_date("\n".join(body_text.splitlines()[:5]), crawled_at)
    else:
        raise NotAnArticle(f"{url}: not an HTML page (Content-Type: {content_type})")
    return Page(url=url, title=title, published=published, author=author, text=body_text, normalised=normalise(body_text),
                encoding=used)
