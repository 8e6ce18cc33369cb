"""Command: `dgwatch sources`: each source's health, last success and article counts, or
(`--discover URL`) a feed source for a site's start page."""
from __future__ import annotations

from dataclasses import asdict

import click

from crawler.errors import DgwatchError
from monitor.cli import config_option, database_path, db_option, emit_jsonl, fail, load_optional_config, main
from monitor.cli_report import existing_db
from monitor.health import SourceHealth, source_health
from monitor.language import notice_detail

_COLUMNS = ("source", "health", "last crawl", "last success", "listings", "links", "articles", "newest article")


def _row(health: SourceHealth) -> tuple[str, ...]:
    record = health.record
    latest = record.crawls[0] if record.crawls else None
    return (record.name, health.state, (latest.crawled_at[:16] if latest else "—"),
            (record.last_success or "—")[:16], str(latest.listings if latest else "—"),
            str(latest.article_links if latest else "—"), str(record.articles), (record.last_article or "—")[:16])


def format_table(rows: list[tuple[str, ...]]) -> str:
    """Rows under _COLUMNS, left-aligned in columns as wide as their widest cell."""
    table = [_COLUMNS, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in table)


def discover_source(url: str) -> str:
    """The TOML of a feed source for the feeds the page at `url` declares; DgwatchError if none."""
    from crawler.discover import discover_feeds, feed_source_toml
    from crawler.encoding import decode_html
    from monitor.cli_extract import fetch

    body, content_type = fetch(url)
    html, _ = decode_html(body, content_type, None)
    feeds = discover_feeds(html, url)
    if not feeds:
        raise DgwatchError(f'{url}: the page declares no RSS or Atom feed (<link rel="alternate" '
                           'type="application/rss+xml"> or application/atom+xml)')
    return feed_source_toml(url, feeds)


@main.command("sources")
@config_option(required=False)
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one source a line.")
@click.option("--discover", "discover_url", metavar="URL", default=None,
              help="Print a feed source (TOML to paste) for the RSS/Atom feeds the page at URL declares.")
def sources_command(config_path: str | None, db: str | None, as_json: bool, discover_url: str | None) -> None:
    """Each configured source's health (failing, no_links, stale or ok), last success and article counts;
    with --discover URL, the TOML of a feed source for the feeds that page declares."""
    if discover_url:
        click.echo(discover_source(discover_url), nl=False)
        return
    if not config_path:
        fail("sources needs --config F (the sources to report on) or --discover URL")
    config = load_optional_config(config_path)
    health = source_health(existing_db(database_path(db, config), readonly=True), config)
    if as_json:
        emit_jsonl({"source": h.record.name, "health": h.state, "problems": h.problems,
                    "last_success": h.record.last_success, "newest_article": h.record.last_article,
                    "articles": h.record.articles,
                    "last_crawl": asdict(h.record.crawls[0]) | {"status": h.record.crawls[0].status}
                    if h.record.crawls else None} for h in health)
        return
    click.echo(format_table([_row(h) for h in health]))
    for h in health:
        for problem, figures in h.problems.items():
            click.echo(f"{h.record.name}: {problem}: {notice_detail(config.report.language, problem, 'started', figures)}")
