"""The analysing workers' pool started with a first crawl: taken by the pipeline, or killed unused."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import process as executor_process

from crawler.workers import PAGES_AHEAD, start_pool, started_early, take_started_pool


def _children() -> set:
    return set(multiprocessing.active_children())


def test_a_pool_started_early_and_never_taken_is_killed_on_the_way_out():
    before = _children()
    with started_early(1, {}):
        spawned = _children() - before
        assert len(spawned) == 1  # spawned at once, not at the first task
    for process in spawned:
        process.join(timeout=10)
        # The pool's own thread may reap the killed process first; its exit code then
        # reaches this Process object a moment later.
        deadline = time.monotonic() + 10
        while process.exitcode is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.exitcode == -signal.SIGKILL  # not left to finish its warm-up
    assert take_started_pool() is None


def test_a_pool_taken_is_the_takers_to_use_and_shut_down():
    with started_early(1, {"星海医生集团": "星海医生集团"}):
        pool = take_started_pool()
        assert pool is not None and take_started_pool() is None
    worker = pool.submit(os.getpid).result(timeout=60)
    assert worker != os.getpid()
    pool.shutdown(wait=True)


def test_no_workers_no_pool():
    with started_early(0, {}):
        assert take_started_pool() is None


def test_names_made_ready_once_read_a_page_as_the_plain_names_do():
    from crawler.analyse import analyse, reading_names
    from crawler.facts.entities import KnownNames
    from crawler.items import FetchedPage
    from crawler.relevance import default_keywords

    known = {"哈特瑞姆": "哈特瑞姆医生集团", "哈特瑞姆心脏医疗集团": "哈特瑞姆医生集团"}
    names, keywords = reading_names(known)
    assert isinstance(names, KnownNames) and names == known and keywords == default_keywords(known)
    assert reading_names(names)[0] is names  # indexed already: not again
    page = FetchedPage(url="http://example.test/1.html", final_url="http://example.test/1.html", source="t",
                       body="哈特瑞姆心脏医疗集团宣布,合作医院增至40家。".encode(), content_type="text/plain",
                       encoding="utf-8", etag=None, last_modified=None)
    assert analyse(page, names, keywords=keywords) == analyse(page, known)


def test_the_worker_has_pages_queued_ahead_of_the_one_it_reads():
    """Handed over one at a time, pages wait for the crawl process's thread to get the GIL
    between two; the worker then idles. A queued call is running() and cannot be cancelled."""
    before = _children()
    pool = start_pool(1, {})
    try:
        pool.submit(time.sleep, 5)  # keeps the worker busy, once past its warm-up, while the queue fills
        pages = [pool.submit(int) for _ in range(3 * PAGES_AHEAD)]
        deadline = time.monotonic() + 4
        while sum(page.running() for page in pages) < 1 + PAGES_AHEAD and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        assert sum(page.running() for page in pages) == 1 + PAGES_AHEAD
        assert executor_process.EXTRA_QUEUED_CALLS == 1  # other executors keep the standard library's default
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        for process in _children() - before:
            process.kill()
