"""Source kinds (listing, feed, sitemap), `since`, and the relevance filter, end to end and piece by piece."""
from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from scrapy.http import Response, TextResponse, XmlResponse

from bench.portalgen import generate_portal
from conftest import TEST_WEB, dgwatch
from crawler.config import ConfigError, Source, parse_config
from crawler.kinds import KINDS, DocumentError, Link
from crawler.process import process_page
from crawler.relevance import default_keywords, is_relevant
from monitor.sites import serve

CRAWL = "[crawl]\ndelay = 0\ntimeout = 5\nretries = 0\nconcurrency_per_domain = 4\nworkers = 0\n"


def _rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def _paths(web, rows):
    return {row[0].removeprefix(web.base_url) for row in rows}


def _article_downloads(web, prefix):
    return [path for path in web.downloads(prefix) if path.endswith(".html")]


# --- the registry and the config -------------------------------------------------------


def _source(**keys):
    return {"name": "s", "start_urls": ["http://example.test/feed.xml"], **keys}


def test_every_kind_is_registered_with_its_keys():
    assert set(KINDS) == {"listing", "feed", "sitemap"}
    assert KINDS["listing"].required == {"article_pattern"}
    assert "since" in KINDS["feed"].optional and "since" in KINDS["sitemap"].optional


def test_a_feed_source_needs_no_article_pattern_and_takes_since_and_keywords():
    config = parse_config({"sources": [_source(kind="feed", since="2024-03-01", keywords=["医生集团", "医师集团"])]})
    source = config.sources[0]
    assert (source.kind, source.article_pattern, source.since) == ("feed", None, "2024-03-01")
    assert source.keywords == ["医生集团", "医师集团"] and not source.keep_all
    assert parse_config({"sources": [_source(article_pattern="/a/")]}).sources[0].kind == "listing"


@pytest.mark.parametrize(("keys", "message"), [
    ({"kind": "atom"}, "sources[0].kind = 'atom' is not a source kind (one of: feed, listing, sitemap)"),
    ({"kind": "feed", "follow_pattern": "/list/"}, "unknown key 'sources[0].follow_pattern' for kind \"feed\""),
    ({"kind": "sitemap", "stop_at_known": True}, "unknown key 'sources[0].stop_at_known' for kind \"sitemap\""),
    ({}, "missing key sources[0].article_pattern"),
    ({"kind": "feed", "since": "last week"}, "sources[0].since must be a date"),
    ({"kind": "feed", "keywords": []}, "sources[0].keywords must be a non-empty list"),
    ({"kind": "feed", "keep_all": "yes"}, "sources[0].keep_all must be bool"),
    ({"article_pattern": "/a/", "since": "2024-01-01"}, "unknown key 'sources[0].since'"),
])
def test_a_key_the_kind_does_not_take_or_a_bad_value_is_one_error(keys, message):
    with pytest.raises(ConfigError, match="^<config>: ") as error:
        parse_config({"sources": [_source(**keys)]})
    assert message in str(error.value)


def test_since_may_be_a_toml_date(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[[sources]]\nname = "s"\nkind = "sitemap"\nstart_urls = ["http://example.test/robots.txt"]\n'
                    "since = 2024-03-01\n", "utf-8")
    result = dgwatch("schedule", "--config", str(path))
    assert result.returncode == 0, result.stderr


# --- reading documents ----------------------------------------------------------------


def _kind(kind: str, **keys):
    return KINDS[kind](Source(name="s", start_urls=["http://example.test/"], kind=kind, **keys), max_bytes=2**20)


def test_link_lines_round_trip_and_a_plain_article_link_is_its_url():
    for link in (Link("http://a.test/1.html"), Link("http://a.test/2.html", "2024-01-02"),
                 Link("http://a.test/map.xml", None, True), Link("http://a.test/m.xml", "2024-01-02", True)):
        assert Link.decode(link.encode()) == link
    assert Link("http://a.test/1.html").encode() == "http://a.test/1.html"


def test_a_feed_gives_its_entries_links_and_dates_resolved_against_the_feed():
    body = (TEST_WEB / "site" / "feedsite" / "atom.xml").read_bytes()
    response = XmlResponse("http://example.test/feedsite/atom.xml", body=body)
    assert _kind("feed").links(response) == [
        Link("http://example.test/feedsite/p/3.html", "2024-03-07"),
        Link("http://example.test/feedsite/p/4.html", "2024-03-08"),
        Link("http://example.test/feedsite/p/1.html", "2024-03-01"),
    ]
    assert [link.url[-6:] for link in _kind("feed", article_pattern=r"/[34]\.html$").links(response)] == [
        "3.html", "4.html"]


def test_a_page_that_is_no_feed_is_a_document_error():
    with pytest.raises(DocumentError, match="not a readable RSS or Atom feed"):
        _kind("feed").links(TextResponse("http://example.test/f.xml", body=b"<html><p>\xff\xfe</p", encoding="utf-8"))


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>
"""
NEWS_ENTRY = """<url><loc>{loc}</loc><news:news><news:publication>
<news:name>测试</news:name><news:language>zh</news:language></news:publication>
<news:publication_date>{day}T08:00:00+08:00</news:publication_date><news:title>{title}</news:title>
</news:news></url>"""


def _news_sitemap(base: str, entries: list[tuple[str, str]]) -> bytes:
    return NEWS_SITEMAP.format(entries="\n".join(
        NEWS_ENTRY.format(loc=base + path, day=day, title="标题") for path, day in entries)).encode()


def test_a_gzipped_news_sitemap_gives_publication_dates():
    body = gzip.compress(_news_sitemap("http://example.test", [("/n/1.html", "2024-04-02"), ("/n/8.html", "2018-05-01")]))
    response = Response("http://example.test/news.xml.gz", body=body)
    assert _kind("sitemap").links(response) == [Link("http://example.test/n/1.html", "2024-04-02"),
                                               Link("http://example.test/n/8.html", "2018-05-01")]


def test_a_sitemap_index_and_robots_txt_give_documents_to_follow():
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>http://example.test/a.xml</loc><lastmod>2024-04-01T00:00:00Z</lastmod></sitemap>"
             b"<sitemap><loc>file:///etc/passwd</loc></sitemap></sitemapindex>")
    kind = _kind("sitemap")
    assert kind.links(XmlResponse("http://example.test/index.xml", body=index)) == [
        Link("http://example.test/a.xml", "2024-04-01", follow=True)]
    robots = b"User-agent: *\nDisallow: /admin/\nSitemap: /map_index.xml\nsitemap: http://example.test/b.xml\n"
    assert kind.links(TextResponse("http://example.test/robots.txt", body=robots)) == [
        Link("http://example.test/map_index.xml", follow=True), Link("http://example.test/b.xml", follow=True)]


def test_a_gzipped_sitemap_inflating_past_max_page_mb_is_a_document_error():
    kind = KINDS["sitemap"](Source(name="s", start_urls=["http://example.test/"], kind="sitemap"), max_bytes=1000)
    body = gzip.compress(_news_sitemap("http://example.test", [(f"/n/{i}.html", "2024-04-02") for i in range(50)]))
    with pytest.raises(DocumentError, match="cannot decompress the gzipped sitemap: .*exceeded"):
        kind.links(Response("http://example.test/news.xml.gz", body=body))


@pytest.mark.parametrize(("body", "message"), [
    (b"<html><body>no sitemap</body></html>", "not a sitemap (root element 'html')"),
    (b"\x1f\x8b\x08\x00garbage", "cannot decompress"),
    (b"", "not a sitemap"),
])
def test_a_document_that_is_no_sitemap_is_a_document_error(body, message):
    with pytest.raises(DocumentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _kind("sitemap").links(Response("http://example.test/sitemap.xml", body=body))


# --- relevance ------------------------------------------------------------------------


def _page(name: str):
    path = TEST_WEB / "site" / "feedsite" / "p" / name
    return process_page(path.read_bytes(), f"http://example.test/{name}", "text/html")


def test_relevance_reads_the_normalised_article_so_traditional_pages_match():
    keywords = default_keywords({})
    assert is_relevant(_page("3.html"), keywords)  # 嶺南骨科醫生集團
    assert is_relevant(_page("1.html"), keywords)
    assert not is_relevant(_page("4.html"), keywords)


def test_relevance_default_keywords_add_known_names_that_have_no_group_ending():
    keywords = default_keywords({"松柏医生集团": "松柏医生集团", "松柏": "松柏医生集团", "华康心脏医疗集团": "华康医生集团"})
    assert "松柏" in keywords and "医疗集团" in keywords
    assert "松柏医生集团" not in keywords and "华康心脏医疗集团" not in keywords  # an ending matches them
    assert is_relevant(_page("4.html"), ("流感疫苗",)) and not is_relevant(_page("1.html"), ("流感疫苗",))
    assert is_relevant(_page("3.html"), ("醫生集團",))  # a traditional keyword is normalised too


def test_a_portal_sidebar_naming_doctor_groups_does_not_make_an_article_relevant(tmp_path):
    portal = generate_portal(tmp_path / "web", 20, relevant=2)
    keywords = default_keywords({})
    found = []
    for number in range(1, 21):
        raw = portal.site.article_file(number).read_bytes()
        assert "医生集团".encode() in raw  # its chrome names doctor groups
        found += [number] * is_relevant(process_page(raw, f"http://example.test/news/{number}.html"), keywords)
    assert tuple(found) == portal.relevant == (1, 11)


# --- crawls -------------------------------------------------------------------------------


def _crawl(config: Path, db: Path):
    result = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result


def test_a_feed_only_site_is_crawled_by_its_entries_then_conditionally(tmp_path):
    with serve(TEST_WEB) as web:
        config = tmp_path / "c.toml"
        config.write_text(CRAWL + f'[[sources]]\nname = "xinglin"\nkind = "feed"\n'
                          f'start_urls = ["{web.base_url}/feedsite/rss.xml", "{web.base_url}/feedsite/atom.xml"]\n'
                          'since = "2024-01-01"\n', "utf-8")
        db = tmp_path / "d.db"
        first = _crawl(config, db)
        assert _paths(web, _rows(db, "SELECT url FROM articles")) == {
            "/feedsite/p/1.html", "/feedsite/p/2.html", "/feedsite/p/3.html"}
        # The off-topic entry is seen, not kept; the one before `since` is never asked for.
        assert [(path.removeprefix(web.base_url), title) for path, title in
                _rows(db, "SELECT url, title FROM seen")] == [("/feedsite/p/4.html", "多地启动流感疫苗接种")]
        assert "/feedsite/p/old.html" not in {hit.path for hit in web.hits}
        assert sorted(_article_downloads(web, "/feedsite/")) == [
            "/feedsite/p/1.html", "/feedsite/p/2.html", "/feedsite/p/3.html", "/feedsite/p/4.html"]
        assert "嶺南骨科醫生集團" in _rows(db, "SELECT text FROM articles WHERE url LIKE '%/3.html'")[0][0]
        names = {row[0] for row in _rows(db, "SELECT name FROM entities")}
        assert {"松柏医生集团", "青檀医生集团", "岭南骨科医生集团"} <= names
        assert "not relevant" in first.stdout and "older than since" in first.stdout

        web.clear_log()
        _crawl(config, db)
        assert _article_downloads(web, "/feedsite/") == []
        feeds = [hit for hit in web.hits if hit.path.endswith(".xml")]
        assert len(feeds) == 2 and all(hit.status == 304 and hit.conditional for hit in feeds)
        assert _rows(db, "SELECT count(*) FROM articles")[0][0] == 3


def _write_sitemaps(root: Path, base: str) -> None:
    site = root / "site"
    site.mkdir(parents=True)
    (site / "robots.txt").write_text(f"User-agent: *\nDisallow: /admin/\n\nSitemap: {base}/maps/index.xml\n", "utf-8")
    maps = site / "maps"
    maps.mkdir()
    (maps / "index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"<sitemap><loc>{base}/maps/{name}</loc><lastmod>{day}</lastmod></sitemap>\n"
                  for name, day in (("news.xml.gz", "2024-04-10T08:00:00+08:00"), ("pages.xml", "2024-03-20"),
                                    ("archive.xml", "2016-01-01")))
        + "</sitemapindex>\n", "utf-8")
    (maps / "news.xml.gz").write_bytes(gzip.compress(_news_sitemap(base + "/mapsite", [
        ("/n/1.html", "2024-04-02"), ("/n/2.html", "2024-04-10"), ("/n/8.html", "2018-05-01")])))
    urlset = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
    (maps / "pages.xml").write_text(urlset.format(
        f"<url><loc>{base}/mapsite/n/3.html</loc><lastmod>2024-03-20</lastmod></url>"
        f"<url><loc>{base}/mapsite/about.html</loc></url>"), "utf-8")
    (maps / "archive.xml").write_text(urlset.format(f"<url><loc>{base}/mapsite/n/9.html</loc></url>"), "utf-8")


def test_a_sitemap_index_with_a_gzip_news_sitemap_found_through_robots_txt(tmp_path):
    with serve([tmp_path / "web", TEST_WEB]) as web:
        _write_sitemaps(tmp_path / "web", web.base_url)
        config = tmp_path / "c.toml"
        config.write_text(CRAWL + f'[[sources]]\nname = "bailu"\nkind = "sitemap"\n'
                          f'start_urls = ["{web.base_url}/robots.txt"]\n'
                          "article_pattern = '/mapsite/n/\\d+\\.html$'\nsince = 2024-01-01\n", "utf-8")
        db = tmp_path / "d.db"
        _crawl(config, db)
        assert _paths(web, _rows(db, "SELECT url, published FROM articles")) == {
            "/mapsite/n/1.html", "/mapsite/n/2.html", "/mapsite/n/3.html"}
        requested = {hit.path for hit in web.hits}
        # An entry published before `since` is not fetched, nor is a sitemap last modified
        # before it; a URL the article pattern does not match is not either.
        assert not requested & {"/mapsite/n/8.html", "/maps/archive.xml", "/mapsite/n/9.html", "/mapsite/about.html"}
        assert {"/maps/index.xml", "/maps/news.xml.gz", "/maps/pages.xml"} <= requested

        web.clear_log()
        _crawl(config, db)
        assert _article_downloads(web, "/mapsite/") == []
        documents = [hit for hit in web.hits if hit.path.startswith("/maps/")]
        assert len(documents) == 3 and all(hit.status == 304 for hit in documents)


def test_a_broad_portal_keeps_text_only_for_its_relevant_articles(tmp_path):
    portal = generate_portal(tmp_path / "web", 200, relevant=5)
    site = portal.site
    with serve(site.root) as web:
        config = tmp_path / "c.toml"
        config.write_text(CRAWL + f'[[sources]]\nname = "portal"\nstart_urls = ["{web.base_url}{site.start_path}"]\n'
                          f"article_pattern = '{site.article_pattern}'\nfollow_pattern = '{site.follow_pattern}'\n",
                          "utf-8")
        db = tmp_path / "d.db"
        _crawl(config, db)
        stored = _rows(db, "SELECT url, length(text) FROM articles")
        assert {site.article_number(url) for url, _ in stored} == set(portal.relevant)
        assert all(length > 500 for _, length in stored)
        seen = _rows(db, "SELECT url, title, published FROM seen")
        assert len(seen) == 195 and all(title and published for _, title, published in seen)
        assert not _rows(db, "SELECT 1 FROM facts JOIN seen ON seen.url = facts.url")
        assert _rows(db, "SELECT count(DISTINCT article_id) FROM lsh_bands")[0][0] == 5

        web.clear_log()
        _crawl(config, db)
        assert [path for path in web.downloads() if site.article_number(path)] == []


def test_keep_all_keeps_every_article_as_before(tmp_path):
    with serve(TEST_WEB) as web:
        config = tmp_path / "c.toml"
        config.write_text(CRAWL + f'[[sources]]\nname = "xinglin"\nkind = "feed"\n'
                          f'start_urls = ["{web.base_url}/feedsite/atom.xml"]\nkeep_all = true\n', "utf-8")
        db = tmp_path / "d.db"
        _crawl(config, db)
        assert _paths(web, _rows(db, "SELECT url FROM articles")) == {
            "/feedsite/p/1.html", "/feedsite/p/3.html", "/feedsite/p/4.html"}
        assert _rows(db, "SELECT count(*) FROM seen")[0][0] == 0


# --- feed autodiscovery -------------------------------------------------------------------


def test_discover_reads_declared_feeds_only_once_each_and_keeps_titles_on_one_line():
    from crawler.discover import DiscoveredFeed, discover_feeds

    html = ('<html><head><base href="/news/"><link rel="Alternate" type="application/RSS+xml" href="rss.xml" '
            'title="要闻\n[[sources]]"><link rel="alternate" type="application/atom+xml" href="/atom.xml">'
            '<link rel="alternate" type="application/rss+xml" href="rss.xml">'
            '<link rel="alternate" type="text/html" href="/m/"><link rel="stylesheet" href="a.css">'
            '<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd"></head></html>')
    assert discover_feeds(html, "http://example.test/index.html") == [
        DiscoveredFeed("http://example.test/news/rss.xml", "要闻 [[sources]]"), DiscoveredFeed("http://example.test/atom.xml")]
    assert discover_feeds("", "http://example.test/") == []


def test_sources_discover_prints_a_feed_source_that_crawls(tmp_path):
    with serve(TEST_WEB) as web:
        result = dgwatch("sources", "--discover", f"{web.base_url}/feedsite/index.html")
        assert result.returncode == 0, result.stderr
        assert f'start_urls = ["{web.base_url}/feedsite/rss.xml", "{web.base_url}/feedsite/atom.xml"]' in result.stdout
        config = tmp_path / "c.toml"
        config.write_text(CRAWL + result.stdout, "utf-8")
        db = tmp_path / "d.db"
        _crawl(config, db)
        assert "/feedsite/p/old.html" in _paths(web, _rows(db, "SELECT url FROM articles"))  # no `since` given

        none = dgwatch("sources", "--discover", f"{web.base_url}/feedsite/p/1.html")
        assert none.returncode == 2 and "/feedsite/p/1.html: the page declares no RSS or Atom feed" in none.stderr
        assert len(none.stderr.strip().splitlines()) == 1


def test_since_is_applied_to_remembered_links_so_moving_it_back_fetches_the_older_entries(tmp_path):
    with serve(TEST_WEB) as web:
        config = tmp_path / "c.toml"
        source = f'[[sources]]\nname = "xinglin"\nkind = "feed"\nstart_urls = ["{web.base_url}/feedsite/rss.xml"]\n'
        config.write_text(CRAWL + source + "since = 2024-01-01\n", "utf-8")
        db = tmp_path / "d.db"
        _crawl(config, db)
        assert sorted(_article_downloads(web, "/feedsite/p/")) == ["/feedsite/p/1.html", "/feedsite/p/2.html"]
        web.clear_log()
        config.write_text(CRAWL + source + "since = 2019-01-01\n", "utf-8")
        _crawl(config, db)
        assert [hit.status for hit in web.hits if hit.path == "/feedsite/rss.xml"] == [304]
        assert _article_downloads(web, "/feedsite/p/") == ["/feedsite/p/old.html"]
