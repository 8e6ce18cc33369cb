"""Article text and metadata out of a page's HTML, with the chrome left behind.

The body comes from crawler.body (the best of several extractors' candidates); the
title, date and author are read here from the page's own headline, byline and meta tags.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from htmldate import find_date
from lxml import html as lxml_html

from crawler.body import extract_body
from crawler.errors import DgwatchError

# Separators between an article's title and the site name in <title>.
_TITLE_SUFFIX = re.compile(r"\s*(?:_|\||｜|\s-\s|\s–\s|\s—\s)\s*[^_|｜]{2,20}$")
_DATE_PATTERNS = [
    re.compile(r"(20\d\d|19\d\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"),
    re.compile(r"(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
]
_DATE_LABEL = re.compile(r"(发布|发表|日期|时间|来源|作者|编辑|published|date)", re.IGNORECASE)
_AUTHOR = re.compile(r"作者\s*[|::]\s*([\u4e00-\u9fff·]{2,6}|[A-Za-z][\w .]{1,30})")


class NotAnArticle(DgwatchError):
    """The page has no article body that trafilatura can find."""


@dataclass
class ExtractedArticle:
    """Title, publication date (YYYY-MM-DD), author and body text of one page."""

    title: str | None
    published: str | None
    author: str | None
    text: str


def find_chinese_date(text: str) -> str | None:
    """The first plausible date in `text` written the usual Chinese ways, as YYYY-MM-DD.

    A date on a line with a byline label (发布时间, 日期, 来源, 作者 …) wins over a bare one.
    """
    labelled, bare = None, None
    for line in text.splitlines():
        for pattern in _DATE_PATTERNS:
            for match in pattern.finditer(line):
                year, month, day = (int(g) for g in match.groups())
                if not (1 <= month <= 12 and 1 <= day <= 31):
                    continue
                value = f"{year:04d}-{month:02d}-{day:02d}"
                if _DATE_LABEL.search(line):
                    labelled = labelled or value
                bare = bare or value
        if labelled:
            return labelled
    return bare


def _page_text_before(tree, body: str) -> str:
    """The visible text of the page up to where the body begins: where bylines sit."""
    full = "\n".join(t.strip() for t in tree.itertext() if t.strip())
    head = body.splitlines()[0][:20] if body else ""
    cut = full.find(head) if head else -1
    return full[: cut + len(head)] if cut >= 0 else full[:3000]


def _meta(tree, *names: str) -> str | None:
    """The first non-empty <meta name|property=…> content among `names`."""
    for name in names:
        for content in tree.xpath("//meta[@name=$n or @property=$n]/@content", n=name):
            if content.strip():
                return " ".join(content.split())
    return None


def _title(tree) -> str | None:
    """The page's <h1>, else og:title or <title> without a trailing site name."""
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    head_title = _meta(tree, "og:title") or " ".join((tree.findtext(".//title") or "").split())
    if not head_title:
        return None
    stripped = _TITLE_SUFFIX.sub("", head_title)
    return stripped if len(stripped) >= 4 else head_title


def extract_article(page_html: str, url: str | None = None) -> ExtractedArticle:
    """Title, date, author and clean body of the article in `page_html`.

    The date comes from the byline above the body (2023-11-05 10:10:44, 2021年5月20日,
    2016/2/29), else from the page's metadata (htmldate). The byline goes first because
    htmldate's guesses on Chinese pages often land on a footer's copyright years. Raises NotAnArticle when no body is found.
    """
    if not page_html or not page_html.strip():
        raise NotAnArticle(f"{url or 'page'}: empty page")
    try:
        tree = lxml_html.fromstring(page_html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise NotAnArticle(f"{url or 'page'}: not parseable HTML: {exc}") from None
    title = _title(tree)
    body = extract_body(page_html, tree, url, title)
    if not body:
        raise NotAnArticle(f"{url or 'page'}: no article text found")
    head = _page_text_before(tree, body)
    # htmldate's extensive search would hand unparsed Chinese dates to dateparser, which
    # loads every locale (seconds per page); the byline's date is read first anyway.
    published = (
        find_chinese_date(head)
        or find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    )
    match = _AUTHOR.search(head)
    author = match.group(1).strip() if match else _meta(tree, "author", "article:author")
    return ExtractedArticle(title=title, published=published, author=author, text=body)
