"""After a crawl: what it changed (spec section 4).

A crawl only stores articles and their facts, undiffed. Whoever started it then
records the changes and the sources' health (monitor.health): names the crawl taught (a rename, a short name) are applied to
articles read before, and the pending facts are diffed; a rename applied by the diff
can teach another name, so the two alternate until nothing new is learnt.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from crawler.config import Config
from crawler.refresh import names_added, refresh_for_new_names
from crawler.workers import started_early
from monitor.diff import diff_pending
from monitor.health import refresh_health
from storage.changes import list_changes
from storage.articles import has_articles
from storage.db import open_db
from storage.facts import known_aliases
from storage.lock import writer_lock
from storage.records import Change

if TYPE_CHECKING:  # crawler.runner brings Scrapy, loaded only when a crawl runs
    from crawler.runner import CrawlSummary

# Each round can only follow a rename found in the round before; chains are short.
_ROUNDS = 3


def record_changes(db: sqlite_utils.Database, run_id: int | None, names_before: set[str] | frozenset[str]) -> list[Change]:
    """Refresh articles for the names learnt since `names_before` (the names known as the crawl
    started, and those whose articles it re-read already), diff, and repeat while names are learnt."""
    changes: list[Change] = []
    seen = set(names_before)
    for _ in range(_ROUNDS):
        new_names = names_added(db, seen)
        seen |= new_names
        refresh_for_new_names(db, new_names, run_id)
        changes += diff_pending(db, run_id)
        if not names_added(db, seen):
            break
    return changes


def after_crawl(db: sqlite_utils.Database, config: Config, run_id: int,
                names_before: set[str] | frozenset[str]) -> list[Change]:
    """What follows every crawl: its changes recorded, and a notice for each source that
    went wrong or recovered, so the next report says so whoever sends it."""
    changes = record_changes(db, run_id, names_before)
    refresh_health(db, config)
    return changes


def crawl_and_record(config: Config, db_path: str, sources: list[str] | None = None, max_pages: int | None = None,
                     verbose: bool = False) -> CrawlSummary:
    """One crawl (crawler.runner.crawl), then its changes recorded; the summary lists them.

    Both under the database's writer lock, taken before Scrapy starts: a second crawl
    of the same database exits at once with one line naming the one running.
    """
    with writer_lock(db_path):
        db = open_db(db_path)  # a file that is no dgwatch database fails here, in one line
        try:
            # Into an empty archive every article is new, so the analysing workers will be
            # needed: they start with the process. Otherwise at the first new page, since
            # most crawls of a watched site find nothing new.
            first = not has_articles(db)
            known = known_aliases(db) if first else {}
        finally:
            db.close()
        with started_early(config.crawl.workers if first else 0, known):
            from crawler.runner import crawl  # Scrapy loads with the crawl, not with the command line

            summary = crawl(config, db_path, sources, max_pages, verbose)
        if summary.run_id is None:
            return summary
        db = open_db(db_path)
        try:
            after_crawl(db, config, summary.run_id, summary.names_before | summary.names_refreshed)
            summary.changes = list_changes(db, run_id=summary.run_id)
        finally:
            db.close()
    return summary
