"""The analysing worker processes: their pool, and the entry points the crawl process submits.

The crawl process submits these by reference, so this module imports nothing heavy:
the extractor's libraries (trafilatura, jieba) load in the workers only,
and the crawl process stays small.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import process as executor_process
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

from crawler.items import FetchedPage
from crawler.parentdeath import die_with_parent
from storage.records import Analysed, Extraction

if TYPE_CHECKING:  # storage.articles imports sqlite-utils, which a worker does without
    from storage.articles import StoredText

# Set once in each worker process: "names", the names known when the crawl started (as
# crawler.facts.entities.KnownNames, indexed once), and "keywords", the default relevance
# keywords they make (sorted once, not for every page: an archive knows thousands of names).
# "refresh": the names the end-of-crawl refresh last sent, kept while it sends the same.
_START: dict = {}
# A pool started with the crawl process, until the item pipeline takes it (one crawl a process).
_STARTED: list[ProcessPoolExecutor] = []


# Pages handed to each analysing worker ahead of the one it reads. The executor's default
# is one more in all: the thread of the crawl process that hands them over then has to run
# after each page, and it waits for the GIL, which Scrapy's reactor holds up to
# sys.getswitchinterval() (5 ms) at a time, while a page takes a worker 3-4 ms; the worker
# stood idle 0.3-0.4 s of a 9 s crawl of 2,000 pages (py-spy). The cost: this many pages of
# an interrupted crawl are read before the workers stop (queued calls cannot be cancelled).
PAGES_AHEAD = 8


@contextmanager
def _pages_ahead(extra: int) -> Iterator[None]:
    """Process pools started inside queue `extra` calls beyond one a worker.

    The standard library has no parameter for it: each executor reads a module constant,
    concurrent.futures.process.EXTRA_QUEUED_CALLS ("how many more calls than processes
    will be queued"), once, as it starts. Restored after, for any other executor.
    """
    default = executor_process.EXTRA_QUEUED_CALLS
    executor_process.EXTRA_QUEUED_CALLS = extra
    try:
        yield
    finally:
        executor_process.EXTRA_QUEUED_CALLS = default


def start_pool(workers: int, known: dict[str, str]) -> ProcessPoolExecutor:
    """`workers` analysing processes, spawned now (not at the first task) so that they warm up at once."""
    # Spawned, not forked: the crawl process runs threads (Twisted's) a fork would copy mid-way.
    with _pages_ahead(PAGES_AHEAD * workers):
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=start_worker, initargs=(known, os.getpid()))
    for _ in range(workers):
        pool.submit(int)  # each submission spawns one more process while fewer than `workers` run
    return pool


@contextmanager
def started_early(workers: int, known: dict[str, str]) -> Iterator[None]:
    """Start the analysing workers for the crawl run inside this block before Scrapy is even
    imported, for the item pipeline to take at its first page (take_started_pool).

    A worker's start (a new interpreter, the extractor's libraries and tables, ~0.7 s) then
    overlaps Scrapy's own, instead of following the first page. A pool the crawl never took
    is killed on the way out, not waited for.
    """
    if workers <= 0:
        yield
        return
    others = set(multiprocessing.active_children())
    pool = start_pool(workers, known)
    spawned = set(multiprocessing.active_children()) - others
    _STARTED.append(pool)
    try:
        yield
    finally:
        if pool in _STARTED:
            _STARTED.remove(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            for process in spawned:
                process.kill()


def take_started_pool() -> ProcessPoolExecutor | None:
    """The pool `started_early` started, now the caller's to shut down; None when there is none."""
    return _STARTED.pop() if _STARTED else None


def start_worker(known: dict[str, str], crawl_pid: int) -> None:
    """Initialise an analysing worker process: die with the crawl, take its starting names, warm up."""
    from crawler.analyse import reading_names, warm_up

    # A worker holds nothing the crawl needs kept (the crawl process stores), so a crawl
    # killed even with SIGKILL takes its workers with it at once.
    die_with_parent(signal.SIGKILL, crawl_pid)
    _START["names"], _START["keywords"] = reading_names(known)
    warm_up()


def extract_in_worker(texts: list[tuple[str, str | None, str]], known: dict[str, str]) -> list[Extraction]:
    """extract_facts in a worker, whose extractor is loaded already, for (normalised, published,
    url) of a few stored articles: the end-of-crawl refresh would otherwise load jieba and the
    rules into the crawl process."""
    from crawler.facts import extract_facts
    from crawler.facts.entities import KnownNames

    # Every task of a refresh carries the same names: indexed once, not for each task.
    if _START.get("refresh") != known:
        _START["refresh"] = KnownNames.of(known)
    return [extract_facts(normalised, published=published, url=url, known=_START["refresh"])
            for normalised, published, url in texts]


# A refresh sends the articles to re-read this many at a time (the names go with each
# task), and keeps this many tasks ahead, so that the worker extracts while the crawl
# process reads the next bodies and stores the last facts.
REFRESH_TASK = 16
REFRESH_AHEAD = 4


def extract_all_in_pool(pool: ProcessPoolExecutor, articles: Iterable[StoredText],
                        known: dict[str, str]) -> Iterator[tuple[StoredText, Extraction]]:
    """crawler.refresh's ExtractAll in the pool's workers: each article with its extraction, in order."""
    pending: deque = deque()
    articles = iter(articles)
    while task := list(islice(articles, REFRESH_TASK)):
        texts = [(article.normalised, article.published, article.url) for article in task]
        pending.append((task, pool.submit(extract_in_worker, texts, known)))
        if len(pending) >= REFRESH_AHEAD:
            done, future = pending.popleft()
            yield from zip(done, future.result())
    for done, future in pending:
        yield from zip(done, future.result())


def analyse_in_worker(fetched: FetchedPage) -> Analysed:
    """analyse() with the names the worker was started with: a task carries only its page.

    The fingerprint is left to the crawl process (crawler.dedup.with_fingerprint): the one
    worker bounds the crawl while the crawl process waits for it half the time.
    """
    from crawler.analyse import analyse

    return analyse(fetched, _START["names"], fingerprinted=False, keywords=_START["keywords"])
