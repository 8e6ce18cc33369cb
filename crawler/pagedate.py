"""A page's publication date: its own visible byline, then its meta tags, then htmldate's guess if the page shows it.

Dates in scripts, styles and URLs are not read first, or at all unless the page also
shows them: a 2010-10-04 hidden in a percent-encoded stylesheet path, or a JSON blob's
timestamp on a page that prints no date, are not when the article appeared. A date
after the crawl is never the publication date.
"""
from __future__ import annotations

import re
from datetime import date

from htmldate import find_date

_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
]
# Some CMSs print a two-digit year after the label ("发布时间：18-03-08 23:16"); read only there.
_SHORT_YEAR = re.compile(r"(?<![\d-])(\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_LABEL = re.compile(r"(发布|发表|日期|时间|来源|作者|编辑|published|date)", re.IGNORECASE)
_SHORT_YEAR_LABEL = re.compile(r"(发布|发表|日期|时间)\s*[:：]?\s*$")
# Meta tags naming a date: publication names first, then any other date or time.
_META_PUBLISHED = re.compile(r"publish|pubdate|release|creat|issued|original", re.IGNORECASE)
_META_DATED = re.compile(r"date|time", re.IGNORECASE)
_EARLIEST = 1990


def _valid(year: int, month: int, day: int, latest: date | None) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if year < _EARLIEST or (latest is not None and found > latest):
        return None
    return found.isoformat()


def _dates_in(line: str, latest: date | None, labelled: bool) -> list[str]:
    found = [_valid(*(int(g) for g in m.groups()), latest) for p in _DATE_PATTERNS for m in p.finditer(line)]
    if labelled:
        found += [_valid(2000 + int(m[1]), int(m[2]), int(m[3]), latest) for m in _SHORT_YEAR.finditer(line)
                  if _SHORT_YEAR_LABEL.search(line[: m.start()])]
    return [value for value in found if value]


def _labelled_date(text: str, latest: date | None) -> str | None:
    """The first date on a line with a byline label."""
    return next((found for line in text.splitlines() if _DATE_LABEL.search(line)
                 for found in _dates_in(line, latest, labelled=True)), None)


def find_chinese_date(text: str, latest: date | None = None) -> str | None:
    """The first plausible date in `text` written the usual Chinese ways, as YYYY-MM-DD.

    A date on a line with a byline label (发布时间, 日期, 来源, 作者 …) wins over a bare one;
    dates after `latest` (the crawl) are skipped.
    """
    return _labelled_date(text, latest) or next(
        (found for line in text.splitlines() for found in _dates_in(line, latest, labelled=False)), None)


def meta_date(tree, latest: date | None = None) -> str | None:
    """The date of the page's meta tags, publication names (article:published_time, pubdate) first."""
    dated = []
    for meta in tree.iter("meta"):
        name = meta.get("name") or meta.get("property") or meta.get("itemprop") or ""
        if _META_DATED.search(name) or _META_PUBLISHED.search(name):
            found = _dates_in(meta.get("content") or "", latest, labelled=False)
            if found:
                dated.append((not _META_PUBLISHED.search(name), found[0]))
    return min(dated)[1] if dated else None


def page_date(tree, head: str, visible: str, latest: date | None = None) -> str | None:
    """The publication date of a parsed page.

    `head` is the visible text above the body (where bylines sit), `visible` all of the
    page's visible text. The byline's labelled date, then meta tags, then a bare date
    above the body, then htmldate's guess, taken only when the page shows that date.
    """
    found = _labelled_date(head, latest) or meta_date(tree, latest) or find_chinese_date(head, latest)
    if found:
        return found
    # htmldate's extensive search would hand unparsed Chinese dates to dateparser, which
    # loads every locale (seconds per page).
    guess = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    shown = {found for line in visible.splitlines() for found in _dates_in(line, latest, labelled=False)}
    return guess if guess in shown else None
