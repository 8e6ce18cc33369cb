"""The monitor watches itself: failing, broken and quiet sources, each noticed once when it starts and once when it ends."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.config import ConfigError, Source, parse_config
from monitor.cli import main
from monitor.health import assess, refresh_health, source_health
from monitor.report import build_report, render_text, subject
from monitor.sites import serve
from storage.db import open_db
from storage.health import SourceCrawl, SourceRecord, list_events, record_source_crawls
from conftest import dgwatch
from webhook import webhook_server

HEALTH_WEB = Path(__file__).resolve().parent / "healthweb"
SOURCE = Source(name="s", start_urls=["http://127.0.0.1:9/"], article_pattern="x")
NOW = "2026-03-01T00:00:00+00:00"


def record(statuses: list[str], links_before: bool = True, last_article: str | None = "2026-02-20T00:00:00+00:00"):
    """A SourceRecord whose crawls, newest first, had `statuses`."""
    shapes = {"ok": (3, 10, 0), "no_links": (3, 0, 0), "failed": (0, 0, 2)}
    crawls = [SourceCrawl("s", *shapes[status], crawled_at=NOW) for status in statuses]
    return SourceRecord("s", crawls, links_before, NOW, last_article, 5, "2026-01-01T00:00:00+00:00")


@pytest.mark.parametrize(("statuses", "links_before", "last_article", "problems"), [
    (["ok", "ok"], True, "2026-02-20T00:00:00+00:00", set()),
    (["failed", "failed"], True, "2026-02-20T00:00:00+00:00", set()),  # two failures of three
    (["failed", "failed", "failed"], True, "2026-02-20T00:00:00+00:00", {"failing"}),
    (["failed", "failed", "ok"], True, "2026-02-20T00:00:00+00:00", set()),
    (["no_links", "ok"], True, "2026-02-20T00:00:00+00:00", {"no_links"}),
    (["no_links"], False, "2026-02-20T00:00:00+00:00", set()),  # never yielded links: a bad pattern, not a break
    (["ok"], True, "2026-01-15T00:00:00+00:00", {"stale"}),  # 45 days > 30
    (["ok"], True, None, {"stale"}),  # nothing ever stored since the first crawl, two months ago
    ([], True, None, set()),  # never crawled
])
def test_assess(statuses, links_before, last_article, problems):
    assert set(assess(SOURCE, record(statuses, links_before, last_article), 3, NOW)) == problems


def test_a_stored_time_without_offset_is_read_as_utc():
    quiet = record(["ok"], last_article="2026-01-01")
    assert set(assess(SOURCE, quiet, 3, NOW)) == {"stale"}


def test_stale_after_and_failed_crawls_are_configurable():
    config = parse_config({"sources": [{"name": "s", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x",
                                        "stale_after": 60}], "health": {"failed_crawls": 1}})
    assert config.sources[0].stale_after == 60 and config.health.failed_crawls == 1
    assert set(assess(config.sources[0], record(["ok"], last_article="2026-01-15T00:00:00+00:00"), 1, NOW)) == set()
    assert set(assess(config.sources[0], record(["failed"]), 1, NOW)) == {"failing"}
    for bad, message in (({"health": {"failed_crawls": 0}}, "health.failed_crawls must be between 1 and 1000, got 0"),
                         ({"health": {"fail": 1}}, "unknown key 'health.fail'")):
        with pytest.raises(ConfigError, match=message):
            parse_config({"sources": [{"name": "s", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}],
                          **bad})


def test_a_failing_source_is_noticed_once_each_way(tmp_path):
    db = open_db(tmp_path / "dgwatch.db")
    config = parse_config({"sources": [{"name": "s", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}],
                           "health": {"failed_crawls": 2}})
    for _ in range(3):
        record_source_crawls(db, [SourceCrawl("s", 0, 0, 1)])
        refresh_health(db, config)
    record_source_crawls(db, [SourceCrawl("s", 2, 4, 0)])
    refresh_health(db, config)
    refresh_health(db, config)
    assert [(e.source, e.problem, e.state) for e in list_events(db)] == [("s", "failing", "started"),
                                                                          ("s", "failing", "ended")]


def write_config(path: Path, base_url: str) -> str:
    path.write_text("[crawl]\ndelay = 0\ntimeout = 2\nretries = 0\nworkers = 0\n"
                    f'[[sources]]\nname = "layout"\nstart_urls = ["{base_url}/layout/news/index.html"]\n'
                    "article_pattern = '/layout/news/\\d+\\.html$'\n", "utf-8")
    return str(path)


def test_a_listing_that_stops_matching_is_one_broken_and_one_recovered_notice(tmp_path):
    db_path = str(tmp_path / "dgwatch.db")
    with serve(HEALTH_WEB) as web, webhook_server() as (received, port):
        config = write_config(tmp_path / "sources.toml", web.base_url)
        with open(config, "a", encoding="utf-8") as extra:
            extra.write(f'[[notify]]\nname = "hook"\nurl = "json://127.0.0.1:{port}/"\n')

        def crawl_and_send() -> str:
            """Crawl, send the report; what the webhook got from this run."""
            dgwatch("crawl", "--config", config, "--db", db_path, check=True)
            before = len(received)
            sent = CliRunner().invoke(main, ["report", "--send", "--config", config, "--db", db_path])
            assert sent.exit_code == 0, sent.output
            return "".join(post["json"]["message"] for post in received[before:])

        first = crawl_and_send()
        assert "青禾医生集团" in first and "来源状态" not in first
        web.set_state("redesign")  # the site's new layout: article links no longer match the pattern
        broken = crawl_and_send()
        again = crawl_and_send()
        web.set_state(None)
        recovered = crawl_and_send()
        quiet = crawl_and_send()
        titles = [post["json"]["title"] for post in received[1:]]

    assert "== 来源状态 ==\n* layout: 异常 · 列表页不再产生文章链接" in broken
    assert again == "" and quiet == ""  # nothing new: no message at all
    assert "== 来源状态 ==\n* layout: 已恢复 · 列表页不再产生文章链接" in recovered
    assert titles == ["[dgwatch] 1条来源提醒"] * 2
    db = open_db(db_path)
    assert [(e.source, e.problem, e.state) for e in list_events(db)] == [("layout", "no_links", "started"),
                                                                          ("layout", "no_links", "ended")]
    text = CliRunner().invoke(main, ["report", "--config", config, "--db", db_path]).output
    assert text.count("* layout: 异常") == 1 and text.count("* layout: 已恢复") == 1  # never mailed: both pending

    result = CliRunner().invoke(main, ["sources", "--config", config, "--db", db_path, "--json"])
    (line,) = result.output.splitlines()
    status = json.loads(line)
    assert status["health"] == "ok" and status["articles"] == 2 and status["last_crawl"]["article_links"] == 2
    table = CliRunner().invoke(main, ["sources", "--config", config, "--db", db_path]).output
    assert table.splitlines()[0].split()[:2] == ["source", "health"]
    assert table.splitlines()[1].split()[:2] == ["layout", "ok"]


def broken_source(tmp_path):
    """A database where source "s" found article links, then none: one open no_links notice."""
    db = open_db(tmp_path / "dgwatch.db")
    config = parse_config({"sources": [{"name": "s", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}]})
    record_source_crawls(db, [SourceCrawl("s", 2, 5, 0)])
    record_source_crawls(db, [SourceCrawl("s", 2, 0, 0)])
    refresh_health(db, config)
    return db, config


def test_notices_in_the_english_report_and_the_mail_subject(tmp_path):
    db, config = broken_source(tmp_path)
    report = build_report(db)
    assert "* s: broken · listing pages yield no article links" in render_text(report, "en")
    assert "2 listing pages, no link matching article_pattern" in render_text(report, "en")
    assert subject(report, language="en") == "[dgwatch] 1 source notice"
    assert [h.state for h in source_health(db, config)] == ["no_links"]


def test_a_notice_says_what_shows_the_problem_in_chinese_too(tmp_path):
    db, config = broken_source(tmp_path)
    text = render_text(build_report(db), "zh")
    assert "* s: 异常 · 列表页不再产生文章链接" in text
    assert "读到2个列表页，没有一个链接符合 article_pattern" in text
    assert "no link matching" not in text
    record_source_crawls(db, [SourceCrawl("s", 2, 4, 0)])
    ended = refresh_health(db, config)
    assert [(e.problem, e.state) for e in ended] == [("no_links", "ended")]
    assert "已恢复 · 列表页不再产生文章链接" in render_text(build_report(db), "zh")
    assert "异常始于" in render_text(build_report(db), "zh")


def test_mail_carries_each_notice_once(tmp_path):
    from crawler.config import EmailConfig
    from monitor.mailer import send_report
    from smtp_inbox import smtp_server

    db, config = broken_source(tmp_path)
    email = EmailConfig(smtp_host="127.0.0.1", sender="d@example.org", recipients=["a@example.org"])
    with smtp_server() as (inbox, port):
        email.smtp_port = port
        assert send_report(db, email).sent
        assert not send_report(db, email).sent  # delivered: not mailed again
        refresh_health(db, config)  # still broken: no second notice
        assert not send_report(db, email).sent
    (message,) = inbox.messages
    assert message["Subject"] == "[dgwatch] 1条来源提醒"
    assert "* s: 异常 · 列表页不再产生文章链接" in message.get_body(("plain",)).get_content()
    assert "来源状态" in message.get_body(("html",)).get_content()


def test_the_browsing_query_shows_a_problem_until_it_ends(tmp_path):
    from storage.canned import CANNED_SQL

    db, config = broken_source(tmp_path)
    def rows():
        return [dict(zip(("source", "open_problems", "links"), row)) for row in db.execute(
            f"SELECT source, open_problems, last_crawl_links FROM ({CANNED_SQL['source_health']})").fetchall()]

    db["sources"].insert({"name": "s", "config": "{}", "first_seen": "2026-01-01"}, alter=True)
    [row] = rows()
    assert row["open_problems"].startswith("no_links (") and row["links"] == 0
    record_source_crawls(db, [SourceCrawl("s", 2, 4, 0)])
    refresh_health(db, config)
    assert rows() == [{"source": "s", "open_problems": None, "links": 4}]
