"""Entry points of the analysing worker processes.

The crawl process submits these by reference, so this module imports nothing heavy:
the extractor's libraries (trafilatura, jieba) load in the workers only,
and the crawl process stays small.
"""
from __future__ import annotations

import signal

from crawler.items import FetchedPage
from crawler.parentdeath import die_with_parent
from storage.records import Analysed, Extraction

# The names known when the crawl started, set once in each worker process, and the default
# relevance keywords they make (sorted once, not for every page: an archive knows thousands).
_START_NAMES: dict[str, str] = {}
_START_KEYWORDS: list[tuple[str, ...]] = []


def start_worker(known: dict[str, str], crawl_pid: int) -> None:
    """Initialise an analysing worker process: die with the crawl, take its starting names, warm up."""
    from crawler.analyse import warm_up
    from crawler.relevance import default_keywords

    # A worker holds nothing the crawl needs kept (the crawl process stores), so a crawl
    # killed even with SIGKILL takes its workers with it at once.
    die_with_parent(signal.SIGKILL, crawl_pid)
    _START_NAMES.update(known)
    _START_KEYWORDS.append(default_keywords(known))
    warm_up()


def extract_in_worker(normalised: str, published: str | None, url: str, known: dict[str, str]) -> Extraction:
    """extract_facts in a worker, whose extractor is loaded already: the end-of-crawl refresh
    of a few stored articles would otherwise load jieba and the rules into the crawl process."""
    from crawler.facts import extract_facts

    return extract_facts(normalised, published=published, url=url, known=known)


def analyse_in_worker(fetched: FetchedPage) -> Analysed:
    """analyse() with the names the worker was started with: a task carries only its page.

    The fingerprint is left to the crawl process (crawler.dedup.with_fingerprint): the one
    worker bounds the crawl while the crawl process waits for it half the time.
    """
    from crawler.analyse import analyse

    return analyse(fetched, _START_NAMES, fingerprinted=False, keywords=_START_KEYWORDS[0])
