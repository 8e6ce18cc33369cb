"""Figures and dates as Chinese business news writes them."""
from __future__ import annotations

import re

import pytest

from crawler.facts.dates import DATE_PATTERN, resolve_date
from crawler.facts.numbers import FIGURE_PATTERN, Figure, chinese_to_int, parse_figure


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("45", 45, ""),
        ("三", 3, ""),
        ("两", 2, ""),
        ("十七", 17, ""),
        ("一千六百", 1600, ""),
        ("三万五千", 35000, ""),
        ("十万", 100000, ""),
        ("3万", 30000, ""),
        ("1.5亿", 150000000, ""),
        # decimals that binary floating point cannot hold (2.3 * 1e8 is 229999999.99…)
        ("2.3亿", 230000000, ""),
        ("4.1亿", 410000000, ""),
        ("0.7万", 7000, ""),
        ("5000万", 50000000, ""),
        ("亿", 100000000, ""),
        ("千万", 10000000, ""),
        ("百", 100, ""),
        ("3万余", 30000, "more_than"),
        ("20万+", 200000, "more_than"),
        ("170多", 170, "more_than"),
        ("100多万", 1000000, "more_than"),
        ("一百多", 100, "more_than"),
        ("十几", 10, "more_than"),
        ("几十", 10, "more_than"),
        ("数千万", 10000000, "more_than"),
        ("数百", 100, "more_than"),
        ("上亿", 100000000, "more_than"),
        ("逾百", 100, "more_than"),
        ("超过1600多", 1600, "more_than"),
        ("突破500", 500, "more_than"),
        ("60以上", 60, "more_than"),
        ("约30", 30, "about"),
        ("大约200", 200, "about"),
        ("30左右", 30, "about"),
        ("将近5", 5, "about"),
        ("近亿", 100000000, "about"),
        ("近90多", 90, "about"),
    ],
)
def test_parse_figure(text, value, approx):
    assert parse_figure(text) == Figure(value, approx)
    assert re.fullmatch(FIGURE_PATTERN, text), "the pattern used inside rules must accept the same figure"


@pytest.mark.parametrize(("text", "value"), [("达到12", 12), ("高达800", 800), ("共3", 3)])
def test_words_that_only_reach_a_figure_keep_it_exact(text, value):
    assert parse_figure(text) == Figure(value, "")


@pytest.mark.parametrize("text", ["", "数", "几", "abc", "医生"])
def test_not_a_figure(text):
    assert parse_figure(text) is None


@pytest.mark.parametrize("before", ["不到", "不足", "少于", "低于"])
def test_upper_bounds_are_no_figure(before):
    assert parse_figure("100", before=f"医院{before}") is None


@pytest.mark.parametrize(("text", "found"), [("第一家", None), ("最近5家", "5"), ("2.5万", "2.5万"), ("三甲", "三")])
def test_figure_pattern_skips_ordinals_and_recently(text, found):
    match = re.search(FIGURE_PATTERN, text)
    assert (match.group() if match else None) == found


def test_chinese_to_int_uses_cn2an():
    assert chinese_to_int("一百二十") == 120


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("2014年", None, "2014"),
        ("2014年7月1日", None, "2014-07-01"),
        ("2018年5月", None, "2018-05"),
        ("2014-07-01", None, "2014-07-01"),
        ("2016.2.29", None, "2016-02-29"),
        ("二〇一四年", None, "2014"),
        ("2月27日", "2016-02-29", "2016-02-27"),
        ("9月份", "2016-02-29", "2015-09"),
        ("3月16号", "2016-02-29", "2015-03-16"),
        ("十二月", "2016-02-29", "2015-12"),
        ("去年", "2016-02-29", "2015"),
        ("今年3月", "2016-06-01", "2016-03"),
        ("前年", "2020-01-01", "2018"),
        ("9月份", None, None),
        ("去年", None, None),
        ("2015年2月30日", None, None),
    ],
)
def test_resolve_date(text, published, expected):
    assert resolve_date(text, published) == expected
    assert re.fullmatch(DATE_PATTERN, text)
