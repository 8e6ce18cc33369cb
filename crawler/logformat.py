"""Scrapy log formatting: a dropped page was already reported in one line by the pipeline."""
from __future__ import annotations

import logging

from scrapy import logformatter


class QuietDrops(logformatter.LogFormatter):
    """Logs dropped items at DEBUG, without dumping the page bytes they carry."""

    def dropped(self, item, exception, response, spider=None):
        return {"level": logging.DEBUG, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
