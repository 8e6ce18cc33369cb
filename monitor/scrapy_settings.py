"""Settings of `scrapy crawl news` (scrapy.cfg): the crawler's, and the monitor's diff after the crawl.

The crawler's settings module cannot name a monitor component (crawler sits below
monitor); this one extends it.
"""
from crawler.settings import *  # noqa: F401,F403  (every crawler setting, unchanged)
from crawler.settings import EXTENSIONS as CRAWLER_EXTENSIONS

EXTENSIONS = {**CRAWLER_EXTENSIONS, "monitor.scrapy_ext.RecordChanges": 900}
