"""How a crawl's outcome is shown on a terminal: a counters table and one line per change."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from storage.records import Change

if TYPE_CHECKING:  # crawler.runner brings Scrapy, which printing a summary does not need
    from crawler.runner import CrawlSummary


def _show(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def format_change(change: Change) -> str:
    """One line: kind, entity, what moved, and the article that said so."""
    name = change.entity if change.current_name in (None, change.entity) else f"{change.entity} ({change.current_name})"
    if change.kind == "new_entity":
        what = f"{len(change.facts)} fact(s)"
    elif change.kind == "new_fact":
        what = f"{change.attribute} = {_show(change.new)}"
    else:
        what = f"{change.attribute}: {_show(change.old)} → {_show(change.new)}"
    source = ", ".join(part for part in (change.published, change.url) if part)
    return f"{change.kind:<10} {name}  {what}" + (f"  [{source}]" if source else "")


def summary_table(summary: CrawlSummary, title: str = "crawl") -> Table:
    """The crawl's counters as a rich table."""
    table = Table(title=f"{title}: run {summary.run_id}, {summary.status}, {summary.seconds:.1f} s")
    table.add_column("")
    table.add_column("count", justify="right")
    for label, value in (
        ("pages fetched", summary.pages), ("new articles", summary.articles_new),
        ("near-duplicates", summary.duplicates), ("not modified (304)", summary.not_modified),
        ("already stored, skipped", summary.skipped_known), ("not relevant, kept without text", summary.not_relevant),
        ("older than since, skipped", summary.skipped_old), ("forbidden by robots.txt", summary.robots_forbidden),
        ("errors", summary.errors), ("changes", len(summary.changes)),
    ):
        table.add_row(label, str(value))
    return table


def print_summary(summary: CrawlSummary, console: Console | None = None, title: str = "crawl") -> None:
    """Print the counters table, then the changes found, one a line."""
    console = console or Console()
    console.print(summary_table(summary, title))
    if not summary.changes:
        console.print("no changes")
    for change in summary.changes:
        console.print(format_change(change), markup=False, highlight=False, soft_wrap=True)
