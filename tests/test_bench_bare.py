"""The bare spider of bench.crawl_throughput: the whole site as crawl (a), the start page only as floor (e)."""
from __future__ import annotations

import pytest

from bench.crawl_throughput import _bare, _bare_stats, write_config
from bench.sitegen import generate_site
from monitor.sites import serve


@pytest.mark.parametrize("start_only", [False, True], ids=["whole site", "start page only"])
def test_the_bare_spider_fetches_the_site_or_only_its_start_page(tmp_path, start_only):
    site = generate_site(tmp_path / "web", 25, seed=3)
    with serve(site.root) as web:
        config = write_config(tmp_path / "bench.toml", web.base_url, site, concurrency=2)
        stats = _bare_stats(_bare(config, tmp_path, start_only))
        fetched = {hit.path for hit in web.hits} - {"/robots.txt"}
    if start_only:
        assert (stats["pages"], stats["articles"]) == (1, 0)
        assert fetched == {site.start_path}
    else:
        assert (stats["pages"], stats["articles"]) == (25 + site.listings, 25)
        assert {site.article_path(i) for i in range(1, 26)} <= fetched
