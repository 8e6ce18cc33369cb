"""Cron parsing (five crontab fields or six with seconds), next run times, `dgwatch schedule`."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from crawler.config import ConfigError, parse_config
from crawler.cron import crontab_weekdays, parse_cron
from monitor.cli import main
from monitor.schedule import describe_schedule, next_runs

UTC = timezone.utc
SUNDAY_NOON = datetime(2026, 11, 22, 12, 0, 1, tzinfo=UTC)  # a Sunday, just past noon


def fire(expr: str, now: datetime = SUNDAY_NOON) -> datetime:
    return parse_cron(expr, timezone=UTC).get_next_fire_time(None, now)


def config(**top) -> dict:
    return {
        "sources": [
            {"name": "fast", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": r"\d+\.html", "schedule": "*/2 * * * * *"},
            {"name": "daily", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": r"\d+\.html"},
        ],
        **top,
    }


def test_five_fields_are_crontab():
    assert fire("30 7 * * *") == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert fire("0 */6 * * *") == datetime(2026, 11, 22, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "weekday, expected_day",
    [("1", 23), ("mon", 23), ("1-5", 23), ("0", 29), ("7", 29), ("sun", 29), ("6", 28), ("5,6", 27)],
)
def test_weekdays_count_from_sunday_as_in_crontab(weekday, expected_day):
    # APScheduler 3 numbers Monday 0; crontab numbers Sunday 0 (and 7).
    assert fire(f"0 9 * * {weekday}", SUNDAY_NOON).day == expected_day


def test_weekday_field_rewrite():
    assert crontab_weekdays("1-5") == "mon,tue,wed,thu,fri"
    assert crontab_weekdays("*/2") == "sun,tue,thu,sat"
    assert crontab_weekdays("0,7") == "sun"
    assert crontab_weekdays("*") == "*"
    assert crontab_weekdays("mon-fri") == "mon-fri"


def test_six_fields_have_seconds_first():
    now = datetime(2026, 11, 22, 12, 0, 0, 500000, tzinfo=UTC)
    assert fire("*/2 * * * * *", now) == datetime(2026, 11, 22, 12, 0, 2, tzinfo=UTC)
    assert fire("15 0 12 * * *", now) == datetime(2026, 11, 22, 12, 0, 15, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["* * * *", "* * * * * * *", "61 * * * *", "* * * * 8", "* 25 * * *", "every hour"])
def test_invalid_expressions_raise(bad):
    with pytest.raises(ValueError):
        parse_cron(bad)


def test_config_validation_uses_parse_cron():
    assert parse_config(config()).sources[0].schedule == "*/2 * * * * *"
    broken = config()
    broken["sources"][1]["schedule"] = "0 9 * * 8"
    with pytest.raises(ConfigError, match=r"sources\[1\]\.schedule"):
        parse_config(broken)
    with pytest.raises(ConfigError, match="default_schedule"):
        parse_config(config(default_schedule="nope"))


def test_next_runs_use_the_default_schedule_for_sources_without_one():
    runs = next_runs(parse_config(config(default_schedule="0 3 * * *")), SUNDAY_NOON)
    assert [(source.name, when) for source, when in runs] == [
        ("fast", datetime(2026, 11, 22, 12, 0, 2, tzinfo=UTC)),
        ("daily", datetime(2026, 11, 23, 3, 0, tzinfo=UTC)),
    ]


def test_describe_schedule_lists_source_cron_and_next_run():
    lines = describe_schedule(parse_config(config(default_schedule="0 3 * * *")), SUNDAY_NOON).splitlines()
    assert lines[0].split() == ["source", "schedule", "next", "run"]
    assert lines[1].split() == ["fast", "*/2", "*", "*", "*", "*", "*", "2026-11-22T12:00:02+00:00"]
    assert lines[2].split() == ["daily", "0", "3", "*", "*", "*", "2026-11-23T03:00:00+00:00"]


def test_schedule_command(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[sources]]\nname = "kanyijie"\nstart_urls = ["http://127.0.0.1:9/"]\n'
        "article_pattern = '\\d+\\.html'\nschedule = \"0 */6 * * *\"\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["schedule", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "kanyijie" in result.output and "0 */6 * * *" in result.output

    path.write_text(path.read_text().replace("0 */6 * * *", "0 */6 * *"), encoding="utf-8")
    result = CliRunner().invoke(main, ["schedule", "--config", str(path)])
    assert result.exit_code == 2
    assert "sources[0].schedule" in result.output
