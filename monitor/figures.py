"""Fact values as a reader writes them: 1.2亿元, 5000万元, 2万余名, 120多位, 约90位 — or in English.

Pure functions: the stored value (an integer, yuan for funding) and its `approx`
("", "more_than", "about") in, one string out. The qualifier is never dropped.
"""
from __future__ import annotations

import re
from typing import Any

# The measure word a Chinese writer puts after each count.
COUNT_UNITS = {"doctors": "位", "partner_hospitals": "家", "patients_managed": "名", "members": "家"}
COUNT_ATTRIBUTES = tuple(COUNT_UNITS) + ("funding",)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_ZH_MAGNITUDES = ((100_000_000, "亿"), (10_000, "万"))
_EN_MAGNITUDES = ((1_000_000_000, "billion"), (1_000_000, "million"))


def _scaled(number: int, magnitudes: tuple[tuple[int, str], ...]) -> tuple[str, str]:
    """`number` in the largest magnitude that writes it with at most two decimals, exactly."""
    for size, word in magnitudes:
        if abs(number) >= size and number % (size // 100) == 0:
            return f"{number / size:.2f}".rstrip("0").rstrip("."), word
    return str(number), ""


def _zh_number(number: int, approx: str, unit: str) -> str:
    digits, magnitude = _scaled(number, _ZH_MAGNITUDES)
    if approx == "about":
        return f"约{digits}{magnitude}{unit}"
    if approx == "more_than":
        if magnitude:
            return f"{digits}{magnitude}余{unit}"  # 2万余名, 1亿余元
        if digits.endswith("0"):
            return f"{digits}多{unit}"  # 120多位
        return f"超过{digits}{unit}"
    return f"{digits}{magnitude}{unit}"


def _en_number(number: int, approx: str, money: bool) -> str:
    if money:
        digits, magnitude = _scaled(number, _EN_MAGNITUDES)
        text = f"CNY {digits} {magnitude}" if magnitude else f"CNY {number:,}"
    else:
        text = f"{number:,}"
    return {"more_than": f"more than {text}", "about": f"about {text}"}.get(approx, text)


def _zh_date(value: str) -> str | None:
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def format_figure(attribute: str | None, value: Any, approx: str = "", language: str = "zh") -> str:
    """One fact value for people, in `language` ("zh" or "en"), with its qualifier."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        if language == "en":
            return _en_number(value, approx, attribute == "funding")
        unit = "元" if attribute == "funding" else COUNT_UNITS.get(attribute or "", "")
        return _zh_number(value, approx, unit)
    text = str(value)
    if language == "zh" and attribute == "founded":
        text = _zh_date(text) or text
    if approx == "about":
        return f"约{text}" if language == "zh" else f"about {text}"
    if approx == "more_than":
        return f"{text}以上" if language == "zh" else f"more than {text}"
    return text
