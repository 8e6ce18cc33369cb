"""Dates as founding statements write them, resolved to "YYYY", "YYYY-MM" or "YYYY-MM-DD".

Absolute dates (2014年7月1日, 2014-07-01, 二〇一四年) stand alone. Relative ones
(今年3月, 去年, 9月份, 2月27日) are resolved against the article's publication date:
a month without a year is its latest occurrence not after the publication date. Without
a publication date a relative date is no date (precision first).
"""
from __future__ import annotations

import re
from datetime import date

from crawler.facts.numbers import chinese_to_int

_CN_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                   "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = r"3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2}

DATE_PATTERN = (
    rf"(?:(?:19|20)[0-9]{{2}}[-/.](?:{_MONTH})(?:[-/.](?:{_DAY}))?(?![0-9])"
    rf"|(?:(?:19|20)[0-9]{{2}}|[一二][〇零○一二三四五六七八九]{{3}}|今年|本年|去年|上年|前年)年?"
    rf"(?:(?:{_MONTH})月份?(?:(?:{_DAY})[日号])?)?"
    rf"|(?<![0-9年])(?:{_MONTH})月份?(?:(?:{_DAY})[日号])?)"
)
"""Regex source for one date (no groups), for use inside attribute patterns."""

_PARTS = re.compile(
    rf"^(?:(?P<iso>(?:19|20)[0-9]{{2}})[-/.](?P<im>{_MONTH})(?:[-/.](?P<id>{_DAY}))?"
    rf"|(?:(?P<year>(?:19|20)[0-9]{{2}}|[一二][〇零○一二三四五六七八九]{{3}})年|(?P<rel>今年|本年|去年|上年|前年)年?)?"
    rf"(?:(?P<month>{_MONTH})月份?(?:(?P<day>{_DAY})[日号])?)?)$"
)


def _small_int(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else chinese_to_int(text)


def _year(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int("".join(_CN_YEAR_DIGITS[char] for char in text))


def resolve_date(text: str, published: str | None = None) -> str | None:
    """The date `text` names, as YYYY / YYYY-MM / YYYY-MM-DD, or None.

    `published` (YYYY-MM-DD) anchors 今年/去年 and dates without a year.
    """
    match = _PARTS.match(text.strip())
    if not match or not text.strip():
        return None
    if match["iso"]:
        year, month, day = int(match["iso"]), _small_int(match["im"]), _small_int(match["id"])
    else:
        month, day = _small_int(match["month"]), _small_int(match["day"])
        if match["year"]:
            year = _year(match["year"])
        else:
            anchor = _anchor(published)
            if anchor is None:
                return None
            if match["rel"]:
                year = anchor.year + _RELATIVE_YEARS[match["rel"]]
            elif month is None:
                return None
            else:
                year = anchor.year if (month, day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
    return _format(year, month, day)


def _anchor(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _format(year: int, month: int | None, day: int | None) -> str | None:
    if month is None:
        return f"{year:04d}"
    try:
        date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"
