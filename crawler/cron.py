"""Cron expressions as the daemon reads them: crontab's five fields, or six with seconds first.

Lives in the crawler package (not monitor) so that config validation can use it
without the crawler importing the monitor.
"""
from __future__ import annotations

import re
from datetime import tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

# crontab numbers weekdays 0-7 with 0 and 7 both Sunday; APScheduler 3.x numbers them
# 0 = Monday, so numeric weekdays are rewritten as names, which both read the same way.
_CRONTAB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NUMERIC_WEEKDAY = re.compile(r"^(\*|\d+(?:-\d+)?)(?:/(\d+))?$")


def _weekday_item(item: str) -> list[str]:
    match = _NUMERIC_WEEKDAY.match(item)
    if not match:
        return [item]  # names such as mon-fri: APScheduler reads them as crontab does
    span, step = match.group(1), int(match.group(2) or 1)
    if span == "*":
        first, last = 0, 6
    elif "-" in span:
        first, last = (int(n) for n in span.split("-"))
    else:
        first = int(span)
        last = 7 if match.group(2) else first
    if not (0 <= first <= last <= 7) or step < 1:
        raise ValueError(f"day of week {item!r} is out of range 0-7")
    return [_CRONTAB_WEEKDAYS[n] for n in range(first, last + 1, step)]


def crontab_weekdays(field: str) -> str:
    """Rewrite a crontab day-of-week field (0 or 7 = Sunday) in APScheduler's terms."""
    if field == "*":
        return field
    names: list[str] = []
    for item in field.split(","):
        for name in _weekday_item(item):
            if name not in names:
                names.append(name)
    return ",".join(names)


def parse_cron(expr: str, timezone: tzinfo | str | None = None) -> CronTrigger:
    """A CronTrigger from five crontab fields (minute hour day month weekday) or six (seconds first).

    Raises ValueError with APScheduler's reason when the expression is not valid.
    """
    # Imported here: a crawl whose sources have no schedule starts without APScheduler.
    from apscheduler.triggers.cron import CronTrigger

    if not isinstance(expr, str):
        raise TypeError(f"cron expression must be a string, got {expr!r}")
    fields = expr.split()
    if len(fields) == 5:
        second, (minute, hour, day, month, weekday) = "0", fields
    elif len(fields) == 6:
        second, minute, hour, day, month, weekday = fields
    else:
        raise ValueError(f"expected 5 fields (minute hour day month weekday) or 6 (seconds first), got {len(fields)}")
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(weekday),
        timezone=timezone,
    )
