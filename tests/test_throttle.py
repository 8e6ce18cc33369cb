"""crawler.throttle: a 304 lowers AutoThrottle's delay as a 200 does; errors still cannot."""
from __future__ import annotations

import pytest
from scrapy.core.downloader import Slot
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.throttle import RevalidationThrottle


def _throttle(floor: float) -> RevalidationThrottle:
    crawler = get_crawler(settings_dict={"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
                                         "DOWNLOAD_DELAY": floor})
    throttle = build_from_crawler(RevalidationThrottle, crawler)
    # Set as the spider opens, from these settings.
    throttle.mindelay, throttle.maxdelay = throttle._min_delay(), throttle._max_delay()
    return throttle


def _slot(delay: float) -> Slot:
    return Slot(concurrency=2, delay=delay, jitter=0)


@pytest.mark.parametrize("status", [304, 200, 503, 404, 302])
def test_a_slow_answer_of_any_status_raises_the_delay(status):
    slot = _slot(0.001)
    _throttle(0.0)._adjust_delay(slot, 0.010, Response("http://127.0.0.1/", status=status))
    assert slot.delay == pytest.approx(0.005)  # latency / target concurrency


@pytest.mark.parametrize("status, lowered", [(304, True), (200, True), (503, False), (404, False), (302, False)])
def test_a_fast_304_lowers_the_delay_as_a_fast_200_does_and_an_error_or_redirect_does_not(status, lowered):
    slot = _slot(0.005)
    _throttle(0.0)._adjust_delay(slot, 0.0, Response("http://127.0.0.1/", status=status))
    assert slot.delay == pytest.approx(0.0025 if lowered else 0.005)  # halfway to latency / target concurrency


def test_no_answer_takes_the_delay_below_the_configured_floor():
    slot = _slot(1.0)
    _throttle(1.0)._adjust_delay(slot, 0.0, Response("http://127.0.0.1/", status=304))
    assert slot.delay == 1.0


def test_a_crawl_throttles_with_it_in_place_of_scrapys():
    from scrapy.utils.conf import build_component_list

    from crawler.config import parse_config
    from crawler.runner import scrapy_settings

    source = {"name": "s", "start_urls": ["http://127.0.0.1/"], "article_pattern": "/a/"}
    settings = scrapy_settings(parse_config({"sources": [source], "crawl": {"delay": 0}}), "d.db")
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "crawler.throttle.RevalidationThrottle" in extensions
    assert "scrapy.extensions.throttle.AutoThrottle" not in extensions
