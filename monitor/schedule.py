"""When each source is crawled: its cron expression and the next times it fires."""
from __future__ import annotations

from datetime import datetime

from crawler.config import Config, Source
from crawler.cron import parse_cron

__all__ = ["parse_cron", "source_cron", "next_runs", "describe_schedule"]


def source_cron(config: Config, source: Source) -> str:
    """The cron expression a source runs on: its own `schedule`, else the config's default."""
    return source.schedule or config.default_schedule


def next_runs(config: Config, now: datetime) -> list[tuple[Source, datetime | None]]:
    """Each source with the first time at or after `now` (timezone-aware) its schedule fires, in config order."""
    runs = []
    for source in config.sources:
        trigger = parse_cron(source_cron(config, source), timezone=now.tzinfo)
        runs.append((source, trigger.get_next_fire_time(None, now)))
    return runs


def describe_schedule(config: Config, now: datetime) -> str:
    """A table for `dgwatch schedule`: source, cron expression and next run time, one source a line."""
    rows = [("source", "schedule", "next run")]
    for source, when in next_runs(config, now):
        rows.append((source.name, source_cron(config, source), when.isoformat(timespec="seconds") if when else "never"))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"{name:<{widths[0]}}  {cron:<{widths[1]}}  {when}" for name, cron, when in rows)
