"""Article text and metadata out of a page's HTML, with the chrome left behind.

The body comes from crawler.body (the best of several extractors' candidates); the
title, date and author are read here from the page's own headline, byline and meta tags.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import html as lxml_html

from crawler.body import HTML_PARSER, extract_body
from crawler.errors import DgwatchError
from crawler.headline import titled_heading, untitled_headline
from crawler.pagedate import find_chinese_date, page_date

__all__ = ["ExtractedArticle", "NotAnArticle", "extract_article", "find_chinese_date"]

_AUTHOR = re.compile(r"作者\s*[|::]\s*([\u4e00-\u9fff·]{2,6}|[A-Za-z][\w .]{1,30})")
# Characters of the body's first line that locate it in the page.
_BODY_START = 12
# Text nodes a reader sees: not scripts, styles or noscript fallbacks.
# Plain strings, not lxml's "smart" ones that know their parent: a third of the cost.
# /descendant:: rather than //, which libxml2 reads as every node's children: the same
# nodes in a third less time (a millisecond less on a large real page).
_VISIBLE = lxml_html.etree.XPath(
    "/descendant::body/descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]",
    smart_strings=False)


class NotAnArticle(DgwatchError):
    """The page has no article body that any extractor can find."""


@dataclass
class ExtractedArticle:
    """Title, publication date (YYYY-MM-DD), author and body text of one page."""

    title: str | None
    published: str | None
    author: str | None
    text: str


def _text_before(visible: str, body: str) -> str:
    """The visible text of the page up to where the body begins: where bylines sit."""
    head = body.splitlines()[0][:20] if body else ""
    cut = visible.find(head) if head else -1
    return visible[: cut + len(head)] if cut >= 0 else visible[:3000]


def _meta(tree, *names: str) -> str | None:
    """The first non-empty <meta name|property=…> content among `names`."""
    for name in names:
        for content in tree.xpath("//meta[@name=$n or @property=$n]/@content", n=name):
            if content.strip():
                return " ".join(content.split())
    return None


def extract_article(page_html: str, url: str | None = None, crawled_at: date | None = None) -> ExtractedArticle:
    """Title, date, author and clean body of the article in `page_html`.

    The headline comes from crawler.headline, the body from crawler.body, the date from
    crawler.pagedate (none after `crawled_at`, the day the page was fetched, when given).
    Raises NotAnArticle when no body is found.
    """
    if not page_html or not page_html.strip():
        raise NotAnArticle(f"{url or 'page'}: empty page")
    try:
        tree = lxml_html.fromstring(page_html, parser=HTML_PARSER)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise NotAnArticle(f"{url or 'page'}: not parseable HTML: {exc}") from None
    title = titled_heading(tree)
    # One line per text node, its own line breaks collapsed: "发布时间：\n\t2019-09-26" is one byline.
    visible = "\n".join(" ".join(text.split()) for text in _VISIBLE(tree) if text.strip())
    body = extract_body(page_html, tree, visible, url, title)
    if not body:
        raise NotAnArticle(f"{url or 'page'}: no article text found")
    head = _text_before(visible, body)
    if title is None:
        first, _, rest = body.partition("\n")
        title = untitled_headline(tree, " ".join(first.split())[:_BODY_START])
        body = rest.strip() if title and first.strip() == title and rest.strip() else body
    published = page_date(tree, head, visible, crawled_at)
    match = _AUTHOR.search(head)
    author = match.group(1).strip() if match else _meta(tree, "author", "article:author")
    return ExtractedArticle(title=title, published=published, author=author, text=body)
