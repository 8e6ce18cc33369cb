"""Figures in Chinese news text: numerals, multipliers and approximation words.

A figure is `pre? number post1? multipliers post2?`: 3万余 (30000, more_than),
20万+ (200000, more_than), 近90多 (90, about), 三 (3), 亿 (100000000), 100多万
(1000000, more_than).

Conventions where Chinese is vague:
- an approximation word before the number wins over one after it: 近90多 is "about 90";
- 数 / 几 with a multiplier (数千万, 几十) means "more than one unit of it":
  数千万 → 10000000 more_than, 几十 → 10 more_than; alone they are no figure;
- upper bounds (不到, 不足, 少于, 以下) are no figure at all: there is nothing exact to
  alert on, and "more_than"/"about" would misstate them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

MORE_THAN = "more_than"
ABOUT = "about"

_PRE = {
    "大约": ABOUT, "约": ABOUT, "将近": ABOUT, "接近": ABOUT, "近": ABOUT, "大概": ABOUT,
    "超过": MORE_THAN, "突破": MORE_THAN, "逾": MORE_THAN, "超": MORE_THAN, "过": MORE_THAN, "上": MORE_THAN,
}
_EXACT_PRE = ("多达", "高达", "达到", "达", "共", "总计", "合计")
_POST = {"多": MORE_THAN, "余": MORE_THAN, "以上": MORE_THAN, "+": MORE_THAN, "几": MORE_THAN,
         "左右": ABOUT, "上下": ABOUT, "许": ABOUT}
_UPPER_BOUND = re.compile(r"(?:不到|不足|少于|低于|未满)$")
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_DIGITS = "零〇一二两三四五六七八九十百千"

_PRE_RE = "|".join(sorted(_PRE, key=len, reverse=True))
_POST_RE = r"多|余|以上|\+|几|左右|上下|许"
_CORE_RE = (
    rf"(?:[0-9]+(?:\.[0-9]+)?(?:多|余|几)?[十百千万亿]*"
    rf"|[{_CN_DIGITS}万亿]+(?:(?:多|余|几)[十百千万亿]*)?"
    rf"|(?:数|几)[十百千万亿]+)"
)
# Not inside a longer number, an ordinal (第一家) or 最近 ("recently"); never cut
# short (20万人次 is not 20): nothing numeric may follow.
FIGURE_PATTERN = rf"(?<![0-9.第最])(?:{_PRE_RE})?{_CORE_RE}(?:{_POST_RE})?(?![0-9.十百千万亿多余几+])"
"""Regex source for one figure (no groups), for use inside attribute patterns."""

_OUTER = re.compile(rf"^(?P<pre>{_PRE_RE})?(?P<core>{_CORE_RE})(?P<post>{_POST_RE})?$")
_ARABIC = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<post>多|余|几)?(?P<mult>[十百千万亿]*)$")
_INNER_POST = re.compile(r"^(?P<num>.+?)(?P<post>多|余|几)(?P<mult>[十百千万亿]*)$")


@dataclass(frozen=True)
class Figure:
    """An integer with its approximation ("" exact, "more_than", "about")."""

    value: int
    approx: str = ""


def chinese_to_int(numeral: str) -> int:
    """An integer from Chinese numerals (三 → 3, 一千六百 → 1600, 两 → 2) via cn2an."""
    return int(cn2an.cn2an(numeral, "normal"))


def parse_figure(text: str, before: str = "") -> Figure | None:
    """Parse one figure such as 3万余, 近90多, 三, 亿, 数千万, 20万+, 1.5亿.

    `before` is the text just before the figure, checked for an upper bound
    (不到100 → None). Returns None when `text` is not a figure this module reads.
    """
    if _UPPER_BOUND.search(before):
        return None
    text = text.strip()
    for exact in _EXACT_PRE:
        if text.startswith(exact) and len(text) > len(exact):
            text = text[len(exact):]
            break
    outer = _OUTER.match(text)
    if not outer:
        return None
    parsed = _core_value(outer["core"])
    if parsed is None:
        return None
    value, post = parsed
    approx = _PRE.get(outer["pre"] or "", "") or _POST.get(post or outer["post"] or "", "")
    if value != int(value):
        approx = approx or ABOUT
    return Figure(int(value), approx)


def _multiply(base: Decimal, multipliers: str) -> Decimal:
    for char in multipliers:
        base *= _MULTIPLIER[char]
    return base


def _core_value(core: str) -> tuple[Decimal, str | None] | None:
    """(value, inner approximation word) of the figure without its outer qualifiers.

    Decimal, not float: 2.3亿 is 230000000, where 2.3 * 1e8 is 229999999.99999997.
    """
    if core[0] in "数几":
        return _multiply(Decimal(1), core[1:]), "多"
    arabic = _ARABIC.match(core)
    if arabic:
        return _multiply(Decimal(arabic["num"]), arabic["mult"]), arabic["post"]
    if all(char in _MULTIPLIER for char in core) and core[0] != "十":
        return _multiply(Decimal(1), core), None
    inner = _INNER_POST.match(core)
    numeral, post, mult = (inner["num"], inner["post"], inner["mult"]) if inner else (core, None, "")
    try:
        return _multiply(Decimal(chinese_to_int(numeral)), mult), post
    except (ValueError, KeyError, TypeError):
        return None
