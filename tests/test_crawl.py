"""The crawl loop end to end: `dgwatch crawl` against the fixture web on 127.0.0.1."""
from __future__ import annotations

import gzip
import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from bench.crawl_throughput import write_config as write_bench_config
from bench.sitegen import generate_site
from conftest import dgwatch, write_config
from monitor.sites import serve

ARTICLES = {
    "/yijie/news/101.html": ("星海医生集团合作医院增至10家", "2021-03-10"),
    "/yijie/news/102.html": ("哈特瑞姆医生集团:六年签约33家合作医院", "2021-05-20"),
    "/yijie/news/103.html": ("中国医生集团联盟成员突破80家", "2020-08-01"),
    "/gb/article/2001.html": ("晨光医生集团完成1亿元B轮融资", "2023-11-05"),
    "/tw/p/3001.html": ("華康心血管醫生集團成立", "2016-02-29"),
    "/traps/news/110.html": ("青禾医生集团迁入新址", "2024-01-08"),
    "/traps/news/115.html": ("远山医生集团签约两家县医院", "2024-01-12"),
}
CHROME = ("首页", "热门文章", "网友评论", "分享到", "版权所有", "相关推荐", "相关阅读", "发表评论", "明德医生集团", "日期:")


def _rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def first_crawl(web, tmp_path):
    """The fixture web crawled once: (web, config path, db path, result)."""
    config = write_config(tmp_path / "sources.toml", web.base_url)
    db = tmp_path / "dgwatch.db"
    result = dgwatch("crawl", "--config", str(config), "--db", str(db))
    return web, config, db, result


def test_first_crawl_stores_every_article_once_with_clean_bodies_and_dates(first_crawl):
    web, _, db, result = first_crawl
    assert result.returncode == 0, result.stderr
    rows = _rows(db, "SELECT url, title, published, text, normalised, duplicate_of FROM articles")
    stored = {url.removeprefix(web.base_url): (title, published) for url, title, published, *_ in rows}
    assert stored == ARTICLES
    for url, _, _, text, normalised, duplicate_of in rows:
        assert duplicate_of is None
        for chrome in CHROME:
            assert chrome not in normalised, (url, chrome)
    # Each article was downloaded exactly once (110 answers with a redirect to a110).
    downloads = [p for p in web.downloads() if p in ARTICLES or p == "/traps/news/a110.html"]
    assert sorted(downloads) == sorted([p for p in ARTICLES if p != "/traps/news/110.html"] + ["/traps/news/a110.html"])
    assert "new articles" in result.stdout and "errors" in result.stdout


def test_encodings_are_decoded_and_text_is_normalised(first_crawl):
    web, _, db, _ = first_crawl
    by_path = {url.removeprefix(web.base_url): (enc, text, norm) for url, enc, text, norm in
               _rows(db, "SELECT url, encoding, text, normalised FROM articles")}
    encoding, text, normalised = by_path["/gb/article/2001.html"]
    assert encoding == "gb18030" and "王喆" in text  # gb2312 declared, a GBK-only character used
    encoding, text, normalised = by_path["/tw/p/3001.html"]
    assert encoding == "big5hkscs"
    assert "醫(yī)生集團(tuán)" in text  # the original is kept …
    assert "华康心血管医生集团在广州宣告成立" in normalised  # … beside the normalised text


def test_traps_robots_errors_and_redirects(first_crawl):
    web, _, db, result = first_crawl
    requested = [hit.path for hit in web.hits]
    assert "/traps/news/113.html" not in requested  # forbidden by robots.txt
    assert "/robots.txt" in requested
    errors = result.stderr
    assert "111.html: HTTP 500" in errors
    assert "112.html" in errors and "took longer than" in errors
    assert "114.html: not an HTML page" in errors
    assert "116.html: no article text found" in errors
    ((url, canonical),) = _rows(db, "SELECT url, canonical_url FROM articles WHERE title LIKE '青禾%'")
    assert url.endswith("/traps/news/110.html") and canonical.endswith("/traps/news/a110.html")
    ((status, errors_count),) = _rows(db, "SELECT status, errors FROM runs")
    assert status == "finished" and errors_count == 4


def test_second_crawl_downloads_no_article_and_revalidates_listings(first_crawl):
    web, config, db, _ = first_crawl
    web.clear_log()
    result = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert result.returncode == 0, result.stderr
    article_hits = [h for h in web.hits if h.path in ARTICLES or h.path.startswith("/traps/news/11")]
    # Only the transient failures (500, timeout) are asked again; pages found not to be
    # articles are remembered. (The timed-out request is logged by the server only once
    # it answers, which may be after the crawl ended.)
    assert "/traps/news/111.html" in {h.path for h in article_hits}
    assert {h.path for h in article_hits} <= {"/traps/news/111.html", "/traps/news/112.html"}
    listings = [h for h in web.hits if "index" in h.path or "list" in h.path]
    assert listings and all(h.status == 304 and h.conditional for h in listings)
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == len(ARTICLES)
    assert _rows(db, "SELECT count(*) FROM changes WHERE run_id = 2")[0][0] == 0


def test_a_crawl_makes_fingerprints_of_an_older_scheme_again_before_comparing(first_crawl):
    from crawler.dedup import FINGERPRINT_SCHEME, fingerprint
    from storage.neardup import band_keys

    web, config, db, _ = first_crawl
    with sqlite3.connect(db) as conn:  # as a database fingerprinted another way would be
        conn.execute("UPDATE articles SET fingerprint = randomblob(1024) WHERE length(fingerprint) > 0")
        conn.execute("DELETE FROM lsh_bands")
        conn.execute("UPDATE store_settings SET value = 'sha1-trigrams/affine32' WHERE key = 'fingerprint_scheme'")
    result = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "made the near-duplicate fingerprints of" in result.stderr
    rows = _rows(db, "SELECT id, normalised, fingerprint, duplicate_of FROM articles WHERE length(fingerprint) > 0")
    assert rows and all(blob == fingerprint(normalised) for _, normalised, blob, _ in rows)
    filed = set(_rows(db, "SELECT band, key, article_id FROM lsh_bands"))
    assert filed == {(band, key, article_id) for article_id, _, blob, duplicate_of in rows if duplicate_of is None
                     for band, key in band_keys(blob)}
    assert _rows(db, "SELECT value FROM store_settings WHERE key = 'fingerprint_scheme'") == [(FINGERPRINT_SCHEME,)]
    again = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert again.returncode == 0 and "made the near-duplicate fingerprints" not in again.stderr


def test_every_article_a_crawl_stores_is_searchable_when_it_ends_or_after_the_next_starts(first_crawl):
    from storage.db import open_db
    from storage.search import search_articles

    web, config, db, _ = first_crawl
    stored = _rows(db, "SELECT id, title FROM articles")
    database = open_db(db)
    assert stored and all(article_id in {hit.id for hit in search_articles(database, title[:6])}
                          for article_id, title in stored)
    database.close()
    with sqlite3.connect(db) as conn:  # as a crawl killed before its last batch was indexed
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
        conn.execute("UPDATE store_settings SET value = '0' WHERE key = 'search_indexed_to'")
    assert dgwatch("crawl", "--config", str(config), "--db", str(db)).returncode == 0
    database = open_db(db)
    assert all(article_id in {hit.id for hit in search_articles(database, title[:6])} for article_id, title in stored)
    database.close()


def test_max_pages_guard(web, tmp_path):
    config = write_config(tmp_path / "sources.toml", web.base_url, names=("yijie",))
    db = tmp_path / "d.db"
    result = dgwatch("crawl", "--config", str(config), "--db", str(db), "--max-pages", "2")
    assert result.returncode == 0, result.stderr
    assert len([h for h in web.hits if h.path != "/robots.txt"]) == 2
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 1


def test_source_option_crawls_only_that_source(web, tmp_path):
    config = write_config(tmp_path / "sources.toml", web.base_url)
    db = tmp_path / "d.db"
    assert dgwatch("crawl", "--config", str(config), "--db", str(db), "--source", "tw").returncode == 0
    assert {h.path for h in web.hits} == {"/robots.txt", "/tw/index.html", "/tw/p/3001.html"}


@pytest.mark.parametrize(
    ("extra_source", "message"),
    [
        ("bogus = 1\n", "unknown key 'sources[1].bogus'"),
        ("article_pattern = '/news/(\\d+.html'\n", "sources[1].article_pattern"),
        ("schedule = '61 * * * *'\n", "sources[1].schedule"),
        ("stop_at_known = 'yes'\n", "sources[1].stop_at_known must be bool"),
    ],
)
def test_bad_config_is_rejected_before_anything_is_fetched(web, tmp_path, extra_source, message):
    config = write_config(tmp_path / "sources.toml", web.base_url, names=("tw",))
    lines = f'\n[[sources]]\nname = "bad"\nstart_urls = ["{web.base_url}/yijie/news/index.html"]\n'
    if "article_pattern" not in extra_source:
        lines += "article_pattern = '/news/'\n"
    config.write_text(config.read_text("utf-8") + lines + extra_source, "utf-8")
    result = dgwatch("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"))
    assert result.returncode == 2
    assert message in result.stderr and str(config) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert web.hits == []


def test_unreachable_source_gets_one_clear_line_and_a_failure_exit(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text('[crawl]\ndelay = 0\ntimeout = 2\nretries = 0\n[[sources]]\nname = "dead"\n'
                      'start_urls = ["http://127.0.0.1:9/news/"]\narticle_pattern = "/news/\\\\d+"\n', "utf-8")
    result = dgwatch("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"))
    assert result.returncode == 1
    assert "127.0.0.1:9/news/" in result.stderr
    assert "no page could be fetched" in result.stderr


def test_a_crawl_killed_half_way_leaves_a_consistent_database_and_the_next_carries_on(web, tmp_path):
    config = write_config(tmp_path / "sources.toml", web.base_url, names=("slow",), timeout=5)
    # Analysis in the crawl process: articles are then stored one per slow download. A
    # worker would spend its start-up (loading jieba, seconds on a busy machine) while
    # every download finished, and store all six at once before the kill.
    config.write_text(config.read_text("utf-8").replace("concurrency_per_domain = 4",
                                                        "concurrency_per_domain = 1\nworkers = 0"))
    db = tmp_path / "d.db"
    process = subprocess.Popen([sys.executable, "-m", "monitor", "crawl", "--config", str(config), "--db", str(db)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    if _rows(db, "SELECT count(*) FROM articles")[0][0] >= 2:
                        break
                except sqlite3.OperationalError:
                    pass  # the schema is still being created
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(10)
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    stored = _rows(db, "SELECT count(*) FROM articles")[0][0]
    assert 2 <= stored < 6
    assert _rows(db, "SELECT status FROM runs") == [("running",)]
    web.clear_log()
    result = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 6
    assert len([h for h in web.hits if h.path.startswith("/slow/a/")]) == 6 - stored
    assert _rows(db, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("finished",)]


def test_a_crawl_opens_no_remote_control_server(web, tmp_path):
    """Scrapy 2.19's remote control would write its port and token under the state directory."""
    config = write_config(tmp_path / "sources.toml", web.base_url, names=("tw",))
    state = tmp_path / "state"
    result = dgwatch("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"),
                     env={"XDG_STATE_HOME": str(state)})
    assert result.returncode == 0, result.stderr
    assert _rows(tmp_path / "d.db", "SELECT count(*) FROM articles") == [(1,)]
    assert not (state / "scrapy").exists()


def test_the_remote_control_extension_is_not_even_imported(tmp_path):
    """Scrapy imports every extension it lists, disabled or not; the remote control is not listed."""
    from crawler.config import load_config
    from crawler.runner import scrapy_settings

    config = write_config(tmp_path / "sources.toml", "http://127.0.0.1:9", names=("tw",))
    extensions = scrapy_settings(load_config(config), str(tmp_path / "d.db")).getwithbase("EXTENSIONS")
    assert "crawler.progress.Progress" in extensions and "scrapy.extensions.corestats.CoreStats" in extensions
    assert not [name for name in extensions if "remote_control" in name]


def test_the_callbacks_return_no_value_so_scrapys_check_of_every_response_is_off(tmp_path):
    """Scrapy would parse a callback's source again for every response to check this; it is
    checked here once instead."""
    from scrapy.utils.misc import is_generator_with_return_value

    from crawler.config import load_config
    from crawler.runner import scrapy_settings
    from crawler.spiders.news import NewsSpider

    for callback in (NewsSpider.parse_listing, NewsSpider.parse_article):
        assert not is_generator_with_return_value(callback)
    config = write_config(tmp_path / "sources.toml", "http://127.0.0.1:9", names=("tw",))
    assert not scrapy_settings(load_config(config), str(tmp_path / "d.db")).getbool("WARN_ON_GENERATOR_RETURN_VALUE")


def test_a_crawl_freezes_what_its_set_up_made(web, tmp_path):
    """The objects of the imports and Scrapy's set-up live until the crawl process exits;
    frozen, the collector does not trace them again, at exit included."""
    from conftest import REPO

    config = write_config(tmp_path / "sources.toml", web.base_url, names=("tw",))
    script = ("import gc, sys\nfrom crawler.config import load_config\nfrom crawler.runner import crawl\n"
              "crawl(load_config(sys.argv[1]), sys.argv[2])\nprint(gc.get_freeze_count())")
    result = subprocess.run([sys.executable, "-c", script, str(config), str(tmp_path / "d.db")],
                            capture_output=True, text=True, cwd=REPO, check=True)
    assert int(result.stdout.split()[-1]) > 10_000
    assert _rows(tmp_path / "d.db", "SELECT count(*) FROM articles")[0][0] == 1


def test_scrapy_crawl_news_runs_the_same_spider_and_pipeline(web, tmp_path):
    from conftest import REPO

    config = write_config(tmp_path / "sources.toml", web.base_url, names=("tw",))
    db = tmp_path / "d.db"
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"config={config}",
                             "-a", f"db={db}", "-L", "WARNING"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _rows(db, "SELECT title, published FROM articles") == [("華康心血管醫生集團成立", "2016-02-29")]
    assert _rows(db, "SELECT status FROM runs") == [("finished",)]
    assert _rows(db, "SELECT kind FROM changes") == [("new_entity",)]


def test_scrapy_crawl_news_on_a_database_another_crawl_holds_says_so_in_one_line(web, tmp_path):
    from conftest import REPO
    from storage.lock import writer_lock

    config = write_config(tmp_path / "sources.toml", web.base_url, names=("tw",))
    db = tmp_path / "d.db"
    with writer_lock(db):
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"config={config}",
                                 "-a", f"db={db}", "-L", "WARNING"], cwd=REPO, capture_output=True, text=True,
                                timeout=120)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "another crawl is writing to this database" in lines[0], result.stderr
    assert web.downloads("/tw/") == [], "no request is made"


@pytest.mark.parametrize(("stop_at_known", "listings_again"), [(False, 3), (True, 1)])
def test_stop_at_known_ends_the_listing_walk_at_the_first_page_with_nothing_new(tmp_path, stop_at_known,
                                                                                listings_again):
    site = generate_site(tmp_path / "web", 45, seed=1)  # three listing pages of newest-first links
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        if stop_at_known:
            config.write_text(config.read_text("utf-8") + "stop_at_known = true\n", "utf-8")
        db = tmp_path / "d.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 45
        web.clear_log()
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        listings = [hit for hit in web.hits if "index" in hit.path]
        assert len(listings) == listings_again and all(hit.status == 304 for hit in listings)
        assert web.downloads() == []


def test_max_pages_counts_each_listing_page_once(tmp_path):
    """Listing pages link to their neighbours: a link to a listing already queued takes no page
    from the budget, so 3 listings and 45 articles fit in 48 pages."""
    site = generate_site(tmp_path / "web", 45, seed=1)
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        db = tmp_path / "d.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db), "--max-pages", "48", check=True)
        assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 45
        assert sorted(hit.path for hit in web.hits if "index" in hit.path) == [
            "/news/index.html", "/news/index_2.html", "/news/index_3.html"]


def _listing_links(db):
    return {url: links.split("\n") for url, links in _rows(db, "SELECT url, links FROM listing_links")}


def test_an_unchanged_listing_page_has_its_links_read_back_not_extracted(tmp_path):
    """The links of a listing page that comes back as before (304) are those remembered from
    the page; a page that changed, or a source whose patterns changed, is extracted afresh."""
    site = generate_site(tmp_path / "web", 45, seed=1)
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        db = tmp_path / "d.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        remembered = _listing_links(db)
        first = f"{web.base_url}/news/index.html"
        assert set(remembered) == {first, f"{web.base_url}/news/index_2.html", f"{web.base_url}/news/index_3.html"}
        assert f"{web.base_url}/news/45.html" in remembered[first]
        assert f"{web.base_url}/news/index_2.html\t\tf" in remembered[first]  # a listing page to follow
        # Proof that the links are read back: one the page does not have is followed.
        (site.root / "site" / "news" / "46.html").write_bytes((site.root / "site" / "news" / "45.html").read_bytes())
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE listing_links SET links = links || ? WHERE url = ?", [f"\n{web.base_url}/news/46.html", first])
        web.clear_log()
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        assert all(hit.status == 304 for hit in web.hits if "index" in hit.path)
        assert web.downloads() == ["/news/46.html"]
        # A source whose patterns changed has its listings extracted again.
        (site.root / "site" / "news" / "47.html").write_bytes((site.root / "site" / "news" / "45.html").read_bytes())
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE listing_links SET links = links || ? WHERE url = ?", [f"\n{web.base_url}/news/47.html", first])
        config.write_text(config.read_text("utf-8").replace(r"\d+\.html", r"[0-9]+\.html"), "utf-8")
        web.clear_log()
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        assert web.downloads() == []
        assert f"{web.base_url}/news/47.html" not in _listing_links(db)[first]


def test_a_304_rewrites_only_the_cached_headers(tmp_path):
    """Scrapy would store a revalidated listing page again whole, body included."""
    site = generate_site(tmp_path / "web", 5, seed=1)
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        db = tmp_path / "d.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        [entry] = [path.parent for path in (tmp_path / "d.db.httpcache").rglob("pickled_meta")
                   if b"/news/index.html" in (path.parent / "meta").read_bytes()]
        written = {path.name: path.stat().st_mtime_ns for path in entry.iterdir()}
        for _ in range(2):  # the second revalidation reads what the first left
            web.clear_log()
            dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
            assert [(hit.path, hit.status) for hit in web.hits if "index" in hit.path] == [("/news/index.html", 304)]
            assert web.downloads() == []
        rewritten = {path.name: path.stat().st_mtime_ns for path in entry.iterdir()}
        assert {name for name in written if rewritten[name] != written[name]} == {"response_headers"}
        assert b"etag" in (entry / "response_headers").read_bytes().lower()


def test_stop_at_known_walks_on_until_a_walk_has_run_to_its_end(tmp_path):
    """A crawl cut short leaves older listing pages unread: the next one walks past a page of
    stored articles until a walk has run to the end once."""
    site = generate_site(tmp_path / "web", 45, seed=1)  # 20 + 20 + 5 articles, newest first
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        config.write_text(config.read_text("utf-8") + "stop_at_known = true\n", "utf-8")
        db = tmp_path / "d.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db), "--max-pages", "25", check=True)
        assert 20 < _rows(db, "SELECT count(*) FROM articles")[0][0] < 45  # cut on the second listing page
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 45
        web.clear_log()
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        assert [hit.path for hit in web.hits if "index" in hit.path] == ["/news/index.html"]


def test_stop_at_known_walks_on_after_a_failed_request(tmp_path):
    """An article that failed (HTTP 500) on an older listing page is asked again next crawl."""
    site = generate_site(tmp_path / "web", 45, seed=1)
    failing = {"state:failing": {"/news/10.html": {"status": 500}}}  # listed on the second page
    (site.root / "_rules.json").write_text(json.dumps(failing), "utf-8")
    with serve(site.root, state="failing") as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        config.write_text(config.read_text("utf-8") + "stop_at_known = true\n", "utf-8")
        db = tmp_path / "d.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db))
        assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 44
        web.set_state(None)
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 45


def test_a_killed_crawl_leaves_no_finished_walk(tmp_path):
    """The mark is cleared as a crawl starts and set only when it ends cleanly."""
    from storage.db import open_db
    from storage.sources import begin_walks, finish_walks, record_source

    db = open_db(tmp_path / "d.db")
    record_source(db, "a", "{}", "2026-01-01")
    finish_walks(db, ["a"], "2026-01-02")
    assert begin_walks(db, ["a"]) == {"a"}  # a crawl starts; it is killed before it ends
    assert begin_walks(db, ["a"]) == set()  # the next one must walk all the way
    db.close()


def test_links_to_local_files_are_never_followed(tmp_path):
    """A page may link to file:// URLs that match the article pattern; only http(s) is fetched."""
    site = generate_site(tmp_path / "web", 1, seed=2)
    secret = tmp_path / "secret" / "news" / "2.html"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(site.article_file(1).read_bytes())  # an article, were it read
    listing = site.root / "site" / "news" / "index.html"
    listing.write_text(listing.read_text("utf-8").replace(
        "</body>", f'<a href="{secret.as_uri()}">2</a><a href="ftp://127.0.0.1/news/3.html">3</a></body>'), "utf-8")
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        result = dgwatch("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"))
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()
    assert _rows(tmp_path / "d.db", "SELECT url FROM articles") == [(f"{web.base_url}/news/1.html",)]
    assert _rows(tmp_path / "d.db", "SELECT count(*) FROM rejected") == [(0,)]


@pytest.mark.parametrize("compressed", [False, True])
def test_a_page_over_max_page_mb_is_skipped_with_one_error_line(tmp_path, compressed):
    """As sent, or small on the wire and over the limit once inflated (a gzip bomb)."""
    site = generate_site(tmp_path / "web", 2, seed=3)
    page = site.article_file(2)
    body = page.read_bytes().replace(b"</body>", b"<!--" + b"x" * (3 * 2**20 // 2) + b"--></body>")
    if compressed:
        body = gzip.compress(body)
        assert len(body) < 2**16
        (site.root / "_rules.json").write_text(json.dumps({"/news/2.html": {"content_encoding": "gzip"}}))
    page.write_bytes(body)
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=0)
        config.write_text(config.read_text("utf-8").replace("[crawl]\n", "[crawl]\nmax_page_mb = 1\n"), "utf-8")
        result = dgwatch("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"))
    assert result.returncode == 0, result.stderr
    assert _rows(tmp_path / "d.db", "SELECT url FROM articles") == [(f"{web.base_url}/news/1.html",)]
    assert result.stderr.splitlines() == [f"dgwatch: ERROR {web.base_url}/news/2.html: page larger than [crawl] "
                                          f"max_page_mb = 1{' once decompressed' if compressed else ''}"]


@pytest.mark.parametrize("workers", [0, 1])
def test_a_page_of_garbage_gets_one_error_line(tmp_path, workers):
    site = generate_site(tmp_path / "web", 2, seed=3)
    site.article_file(2).write_bytes(bytes(range(256)) * 12)  # served as text/html
    with serve(site.root) as web:
        config = write_bench_config(tmp_path / "c.toml", web.base_url, site, concurrency=2, workers=workers)
        result = dgwatch("crawl", "--config", str(config), "--db", str(tmp_path / "d.db"))
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"dgwatch: ERROR {web.base_url}/news/2.html: not an article: binary data, not text")
    assert _rows(tmp_path / "d.db", "SELECT url FROM articles") == [(f"{web.base_url}/news/1.html",)]


@pytest.mark.parametrize("delay", [0, 0.005, 1.5])
def test_autothrottle_starts_at_the_configured_delay(delay):
    """A start delay above `delay` would pace a crawl's first requests until answers lowered it."""
    from crawler.config import parse_config
    from crawler.runner import scrapy_settings

    source = {"name": "s", "start_urls": ["http://127.0.0.1/"], "article_pattern": "/a/"}
    settings = scrapy_settings(parse_config({"sources": [source], "crawl": {"delay": delay}}), "d.db")
    assert settings.getfloat("AUTOTHROTTLE_START_DELAY") == settings.getfloat("DOWNLOAD_DELAY") == delay


def test_max_page_mb_is_a_positive_number_that_sets_scrapys_limit():
    from crawler.config import ConfigError, parse_config
    from crawler.runner import scrapy_settings

    source = {"name": "s", "start_urls": ["http://127.0.0.1/"], "article_pattern": "/a/"}
    assert parse_config({"sources": [source]}).crawl.max_page_mb == 10
    config = parse_config({"sources": [source], "crawl": {"max_page_mb": 0.5}})
    assert scrapy_settings(config, "d.db").getint("DOWNLOAD_MAXSIZE") == 2**19
    for bad, message in ((0, "crawl.max_page_mb must be between"), ("big", "crawl.max_page_mb must be")):
        with pytest.raises(ConfigError, match=message):
            parse_config({"sources": [source], "crawl": {"max_page_mb": bad}})
