"""Command: `dgwatch crawl`."""
from __future__ import annotations

import signal

import click

from crawler.config import load_config
from crawler.parentdeath import die_with_parent_named_in_env
from monitor.cli import database_path, db_option, fail, main
from monitor.summary import print_summary


@main.command("crawl")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), required=True, help="TOML configuration file.")
@click.option("--source", "sources", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop requesting pages after this many.")
@click.option("--verbose", "-v", is_flag=True, help="Log every request.")
@db_option
def crawl_command(config_path: str, sources: tuple[str, ...], max_pages: int | None, verbose: bool, db: str | None) -> None:
    """Crawl the configured sources once, extract facts, diff them and print what changed."""
    # Scrapy and the extractor load here, not when the CLI starts: other commands stay quick.
    from monitor.record import crawl_and_record

    # Started by the daemon: killed when it dies. SIGKILL, as a graceful stop waits for the
    # requests in flight, which may hang; what was committed stays, and the next crawl
    # marks this run interrupted.
    die_with_parent_named_in_env(signal.SIGKILL)
    config = load_config(config_path)
    summary = crawl_and_record(config, database_path(db, config), list(sources) or None, max_pages, verbose)
    print_summary(summary)
    if summary.pages == 0 and summary.errors:
        fail(f"no page could be fetched from {', '.join(sources) or 'any source'} ({summary.errors} error(s) above)", 1)
    if summary.status != "finished":
        fail(f"crawl {summary.status}; what was stored is kept and the next crawl carries on", 1)
