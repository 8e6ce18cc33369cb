"""Command: `dgwatch sources`, about the sources of a configuration."""
from __future__ import annotations

import click

from crawler.errors import DgwatchError
from monitor.cli import main


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
@click.option("--discover", "discover_url", metavar="URL", required=True,
              help="Print a feed source (TOML to paste) for the RSS/Atom feeds the page at URL declares.")
def sources_command(discover_url: str) -> None:
    """Turn a site's start page into a feed source: the TOML of the feeds it declares."""
    click.echo(discover_source(discover_url), nl=False)
