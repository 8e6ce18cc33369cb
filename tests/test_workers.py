"""The analysing workers' pool started with a first crawl: taken by the pipeline, or killed unused."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

from crawler.workers import started_early, take_started_pool


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
