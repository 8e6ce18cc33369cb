"""The benchmark site generator: deterministic, realistic sizes, clean extraction, no near-duplicates."""
from __future__ import annotations

import re
import urllib.request

import pytest

from bench.crawl_throughput import _CAST_FACTS, entity_figures
from bench.sitegen import generate_site
from crawler.dedup import fingerprint
from storage.neardup import THRESHOLD, similarities
from crawler.facts import extract_facts
from crawler.facts.names import canonical_form
from crawler.process import process_page
from storage.facts import record_extraction
from monitor.sites import serve
from storage.db import open_db
from storage.neardup import find_near_duplicate
from stored import store_article

CHROME = ("热门文章", "最新资讯", "相关推荐", "网友评论", "发表评论", "分享到", "上一篇", "下一篇", "责任编辑",
          "当前位置", "友情链接", "版权所有", "ICP备", "下载客户端", "热门标签")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return generate_site(tmp_path_factory.mktemp("site"), 60, seed=7)


@pytest.fixture(scope="module")
def pages(site):
    return [process_page(site.article_file(i).read_bytes(), f"http://127.0.0.1{site.article_path(i)}", "text/html")
            for i in range(1, site.articles + 1)]


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_site(tmp_path):
    first = generate_site(tmp_path / "a", 25, seed=3)
    again = generate_site(tmp_path / "b", 25, seed=3)
    other = generate_site(tmp_path / "c", 25, seed=4)
    assert first.listings == 2 and first.articles == 25
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert first.article_bytes == again.article_bytes
    changed = [i for i in range(1, 26) if first.article_file(i).read_bytes() != other.article_file(i).read_bytes()]
    assert len(changed) == 25


def test_article_pages_are_8_to_20_kb_of_utf8_chinese(site):
    for number in range(1, site.articles + 1):
        raw = site.article_file(number).read_bytes()
        assert 8 * 1024 <= len(raw) <= 20_000, (number, len(raw))
        text = raw.decode("utf-8")
        assert '<meta charset="utf-8">' in text and "医生集团" in text


def test_bodies_extract_without_chrome(site, pages):
    for number, page in enumerate(pages, start=1):
        raw = site.article_file(number).read_text("utf-8")
        h1 = re.search(r"<h1>(.*?)</h1>", raw).group(1)
        first_paragraph = re.search(r'<div class="article-content">\n<p>(.*?)</p>', raw).group(1)
        assert page.title == h1
        assert re.fullmatch(r"20\d\d-\d\d-\d\d", page.published or "")
        assert len(page.text) >= 400
        assert page.text.startswith(first_paragraph[:30])
        for chrome in CHROME:
            assert chrome not in page.text, (number, chrome)


def test_pages_are_not_near_duplicates_of_each_other(pages, tmp_path):
    db = open_db(tmp_path / "d.db")
    prints = [fingerprint(page.normalised) for page in pages]
    for key, blob in enumerate(prints):
        assert find_near_duplicate(db, blob) is None, key
        store_article(db, key, fingerprint=blob)
    assert max(similarities(prints[0], prints[1:])) < THRESHOLD


def test_listings_link_every_article_once_and_the_site_is_servable(site):
    news = site.root / "site" / "news"
    linked = []
    for page in range(1, site.listings + 1):
        listing = (news / ("index.html" if page == 1 else f"index_{page}.html")).read_text("utf-8")
        news_list = listing.split('<ul class="news-list">')[1].split("</ul>")[0]
        items = re.findall(r'<li><a href="(/news/\d+\.html)"', news_list)
        assert len(items) <= 20
        linked += items
        if page < site.listings:
            assert f'href="/news/index_{page + 1}.html"' in listing
    assert sorted(linked) == sorted(site.article_path(i) for i in range(1, site.articles + 1))
    with serve(site.root) as web:
        for path in ("/robots.txt", site.start_path, site.article_path(site.articles)):
            with urllib.request.urlopen(web.base_url + path, timeout=5) as response:
                assert response.status == 200
    assert [hit.status for hit in web.hits] == [200, 200, 200]


def test_every_group_found_is_named_as_generated(site, pages):
    """Names cut at a time span (5年内景仁), a particle (发起的济诚) or a common first
    character (成立的远曦) would show up here as groups the generator never wrote."""
    generated = {canonical_form(group.name) for group in site.groups}
    found = {entity.name for page in pages for entity in extract_facts(page.normalised).entities}
    assert len(found) > 50
    assert found <= generated


def test_every_figure_an_article_states_about_its_group_is_read_as_generated(site, pages):
    """成立之初只有11名医生, 对每一家合作医院, 某医院的骨科只有3名医生 … would show up here."""
    checked = 0
    for number, page in enumerate(pages, start=1):
        truth = site.pages[number - 1]
        assert site.article_number(f"http://127.0.0.1{site.article_path(number)}") == number
        found = set()
        for fact in extract_facts(page.normalised, published=page.published).facts:
            if fact.attribute in truth.figures:
                assert fact.entity == canonical_form(truth.group), fact  # no other group's figure
                assert (fact.value, fact.approx) == truth.figures[fact.attribute], fact
                found.add(fact.attribute)
                checked += 1
        assert found == truth.stated, (number, truth)  # every figure the body states, and no other
    assert checked > 60


def test_every_fact_about_the_cast_agrees_with_it(site, pages):
    """The generator keeps each group's founding month, founder, CEO and facility names
    the same in every article, and the extractor reads them so."""
    cast = {canonical_form(group.name): group for group in site.groups}
    checked = {attribute: 0 for attribute in _CAST_FACTS}
    for page in pages:
        for fact in extract_facts(page.normalised, published=page.published).facts:
            if fact.attribute in _CAST_FACTS:
                assert _CAST_FACTS[fact.attribute](cast[fact.entity], fact.value), fact
                checked[fact.attribute] += 1
    assert min(checked.values()) >= 5, checked


def test_entity_figures_count_names_and_people_against_the_generator(site, tmp_path):
    group = site.groups[0]
    db = open_db(tmp_path / "d.db")
    assert "星海医生集团" not in {canonical_form(g.name) for g in site.groups}
    text = (f"{group.name}创始人为骨科专家{group.founder}。{group.name}投资建设的{group.brand}眼科医院开业。"
            f"{group.name}成立于{group.year}年{group.month}月。星海医生集团与其签约。")
    extraction = extract_facts(text)
    record_extraction(db, store_article(db, 1), extraction, run_id=None)
    db.close()
    figures = entity_figures(tmp_path / "d.db", site)
    assert figures["found"] == 2 and figures["generated"] == 1 and figures["others"] == ["星海医生集团"]
    assert figures["founder"] == {"facts": 1, "as_generated": 1} and figures["ceo"] == {"facts": 0, "as_generated": 0}
    assert figures["facility"] == {"facts": 1, "as_generated": 1}
    assert figures["founded"] == {"facts": 1, "as_generated": 1}
    # not one of the site's articles
    assert figures["figures"] == {"facts": 0, "as_generated": 0, "elsewhere": 0, "stated": 0, "found": 0}
