"""Scrapy settings of the dgwatch project: polite by default.

`scrapy crawl news -a config=F` reads these through scrapy.cfg; `dgwatch crawl` starts
from the same module and overrides what the config's [crawl] table sets
(crawler.runner.scrapy_settings).
"""
from scrapy.settings import default_settings

BOT_NAME = "dgwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

ROBOTSTXT_OBEY = True
USER_AGENT = "dgwatch/0.1 (+https://example.org/dgwatch; news monitor)"

# Politeness: AutoThrottle adapts to each site's latency and never goes below
# DOWNLOAD_DELAY; a couple of connections per site at most.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
# Outputs of one callback handled at once. An article page yields one item and a listing
# a few dozen requests; Scrapy's default of 100 starts 100 tasks for every response.
CONCURRENT_ITEMS = 8
# Scrapy checks each callback for a generator that returns a value by parsing its source,
# and caches the answer per bound method, which every request makes anew: the source of
# parse_article was parsed again for every page (a millisecond each, a tenth of a crawl
# process's time). The spider's callbacks are fixed code, and none returns a value.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Redirects are followed only within the hosts a source named (crawler/redirects.py).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.redirects.SourceRedirectMiddleware": 600,
    "crawler.redirects.SourceMetaRefreshMiddleware": 580,
}
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5

# Listing pages are revalidated with If-None-Match / If-Modified-Since: the spider sends
# them with Cache-Control: max-age=0, so RFC 2616 policy asks the server and a 304 serves
# the cached copy. Articles are never cached: a stored article is never requested again.
# The storage is Scrapy's filesystem storage, but a 304 rewrites the cached headers only.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "crawler.httpcache.RevalidatingCacheStorage"
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 403, 404, 408, 429]

ITEM_PIPELINES = {"crawler.pipelines.ArticlePipeline": 300}
# CrawlStore owns the crawl's one database connection, named by DGWATCH_DB; the pipeline
# analyses pages in DGWATCH_WORKERS processes. The spider sets both from its arguments.
# AutoThrottle's policy with a 304 read as a 200 (crawler/throttle.py), in its place.
EXTENSIONS = {"crawler.store.CrawlStore": 100, "crawler.progress.Progress": 500,
              "scrapy.extensions.throttle.AutoThrottle": None, "crawler.throttle.RevalidationThrottle": 0}
DGWATCH_DB = None
DGWATCH_WORKERS = 1
# Scrapy imports every extension it lists, even one set to None in EXTENSIONS, to compare
# names; the remote control (below) would import aiohttp, a tenth of a second of every
# crawl's start-up, and its code-execution server would be one setting away from running.
EXTENSIONS_BASE = {name: order for name, order in default_settings.EXTENSIONS_BASE.items()
                   if name != "scrapy.extensions.remote_control.RemoteControl"}

LOG_LEVEL = "INFO"
# Neither console: a crawl runs unattended on untrusted pages, and Scrapy's remote control
# (on by default since 2.19) would serve code execution on a localhost port to anyone who
# can read its token file, left behind in ~/.local/state/scrapy by every killed crawl.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Only the web: no file://, ftp://, s3:// or data: downloads, whatever a page links to.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "crawler.logformat.QuietDrops"
