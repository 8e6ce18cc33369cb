"""Article text and metadata out of a page's HTML, with the chrome left behind.

trafilatura finds the main text; what news CMSs print inside the same container after
the story — 相关推荐 lists that open with the start of another article, comment boxes,
share bars, disclaimers, previous/next links — is cut at its first marker line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html

from crawler.errors import DgwatchError
from crawler.normalise import normalise

# Containers that are never the story, by their class or id.
_PRUNE = [
    "//*[contains(@class,'related') or contains(@id,'related')]",
    "//*[contains(@class,'recommend') or contains(@id,'recommend')]",
    "//*[contains(@class,'comment') or contains(@id,'comment')]",
    "//*[contains(@class,'share') or contains(@id,'share')]",
    "//*[contains(@class,'sidebar') or contains(@id,'sidebar')]",
    "//*[contains(@class,'hot') or contains(@id,'hot')]",
    "//*[contains(@class,'disclaimer') or contains(@id,'disclaimer')]",
    "//aside", "//nav", "//footer",
]
# A line that opens the page furniture after a story (checked in normalised form).
_TAIL_MARKER = re.compile(
    r"^\s*[【\[]?\s*(相关推荐|相关阅读|相关文章|相关新闻|热门文章|热门推荐|热点推荐|推荐阅读|延伸阅读|"
    r"猜你喜欢|更多阅读|精彩推荐|发表评论|网友评论|评论\s*\(|我要评论|分享到|上一篇|下一篇|上一条|下一条|"
    r"免责声明|版权声明|版权所有|责任编辑|本文来源[::]|(支付宝|微信)(转账|扫一扫)|赞赏|打赏)"
)
# Characters of a line's start that hold any marker with its brackets and spaces.
_MARKER_SPAN = 16
# Site footers that CMSs print inside the content block; never part of a story.
_FOOTER = re.compile(r"ICP备|公网安备|Copyright\s*©|©\s*\d{4}|版权所有")
# A body shorter than this (characters) is extracted again with trafilatura's fallbacks.
_SHORT_BODY = 300
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


def cut_tail(text: str) -> str:
    """Drop everything from the first line that opens post-story furniture."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        # Markers open a line: converting its start to simplified script is enough.
        if index and (_TAIL_MARKER.match(normalise(line[:_MARKER_SPAN])) or _FOOTER.search(line)):
            lines = lines[:index]
            break
    return "\n".join(lines).strip()


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


def _drop_title_line(body: str, title: str | None) -> str:
    """trafilatura keeps an <h1> inside <article> as the first line; the title is not body."""
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()) == title and rest.strip():
        return rest.strip()
    return body


def _body(page_html: str, url: str | None, fast: bool) -> str:
    # Title, date and author are read by extract_article: trafilatura's metadata pass
    # would double the cost of extraction for fields it mostly finds the same way.
    document = trafilatura.bare_extraction(
        page_html, url=url, fast=fast, include_comments=False, include_tables=False,
        favor_precision=True, prune_xpath=_PRUNE, deduplicate=False,
    )
    return cut_tail(document.text or "") if document is not None else ""


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
    body = _body(page_html, url, fast=True)
    if len(body) < _SHORT_BODY:
        # trafilatura's fallback extractors (readability, jusText) cost a third of its
        # time and matter only where its own pass finds little: a bare <div> of <br>-separated
        # lines, as some GBK-era CMSs print.
        body = _body(page_html, url, fast=False)
    if not body:
        raise NotAnArticle(f"{url or 'page'}: no article text found")
    title = _title(tree)
    body = _drop_title_line(body, title)
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
