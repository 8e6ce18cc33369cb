"""Body, title, date and author extraction: the sample sites, Chinese date formats, and the seeds."""
from __future__ import annotations

import html
import json

import pytest

from crawler.extract import NotAnArticle, extract_article, find_chinese_date
from crawler.normalise import normalise
from crawler.process import process_page
from conftest import DEMO_WEB, TEST_WEB, needs_shared

CHROME = ("首页", "热门文章", "网友评论", "分享到", "版权所有", "相关推荐", "相关阅读", "发表评论", "明德医生集团", "点击")


def _page(relative: str, content_type: str | None = None):
    path = next(p for p in (DEMO_WEB / "site" / relative, DEMO_WEB / "state2" / "site" / relative,
                            TEST_WEB / "site" / relative) if p.exists())
    return process_page(path.read_bytes(), f"http://example.test/{relative}", content_type)


@pytest.mark.parametrize(
    ("relative", "content_type", "title", "published", "first", "last"),
    [
        ("yijie/news/101.html", "text/html; charset=utf-8", "星海医生集团合作医院增至10家", "2021-03-10",
         "3月8日,星海医生集团", "学科共建。"),
        ("yijie/news/102.html", "text/html; charset=utf-8", "哈特瑞姆医生集团:六年签约33家合作医院", "2021-05-20",
         "作为国内较早成立", "规范治疗。"),
        ("gb/article/2001.html", None, "晨光医生集团完成1亿元B轮融资", "2023-11-05",
         "11月3日,晨光医生集团", "自有眼科医院。"),
        ("tw/p/3001.html", "text/html; charset=big5", "華康心血管醫生集團成立", "2016-02-29",
         "2016年2月,華康心血管醫", "轉診體系。"),
    ],
)
def test_sample_sites_give_clean_bodies_and_dates(relative, content_type, title, published, first, last):
    page = _page(relative, content_type)
    assert page.title == title
    assert page.published == published
    assert page.text.startswith(first)
    assert page.text.endswith(last)
    for chrome in CHROME:
        assert chrome not in page.text


def test_a_related_block_holding_another_story_is_not_merged():
    page = _page("gb/article/2001.html")
    assert "明德医生集团" not in page.normalised
    assert "王喆" in page.text  # a GBK-only character under a gb2312 declaration


def test_traditional_page_keeps_original_beside_normalised():
    page = _page("tw/p/3001.html", "text/html; charset=big5")
    assert "醫(yī)生集團(tuán)" in page.text
    assert "华康心血管医生集团在广州宣告成立" in page.normalised


def test_author_from_the_byline():
    assert _page("yijie/news/101.html").author == "林晓"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源:看医界 2023-11-05 10:10:44", "2023-11-05"),
        ("发布时间:2021年5月20日 09:30", "2021-05-20"),
        ("日期:2016/2/29 10:50:27 点击:12", "2016-02-29"),
        ("2019.01.10 | 编辑部", "2019-01-10"),
        ("备案号 2008-2026\n发布日期:2022-3-1", "2022-03-01"),
        ("没有日期", None),
    ],
)
def test_chinese_date_formats(text, expected):
    assert find_chinese_date(text) == expected


@pytest.mark.parametrize("body", [b"", b"<html><body></body></html>", "<html><body><nav>首页</nav></body></html>".encode()])
def test_a_page_without_an_article_is_rejected_with_its_url(body):
    with pytest.raises(NotAnArticle, match="http://example.test/x"):
        process_page(body, "http://example.test/x", "text/html")


def test_non_html_is_rejected():
    with pytest.raises(NotAnArticle, match="not an HTML page"):
        process_page(b"%PDF-1.4", "http://example.test/x.pdf", "application/pdf")


def _seed_as_page(text: str, gold: dict) -> str:
    """A seed dump laid out as news CMSs print it: navigation before, the story and its
    trailing furniture (related lists, comments, footers) together in one content block."""
    start = text.index(gold["body_first"])
    head = [line for line in text[:start].splitlines() if line.strip()]
    rest = [line for line in text[start:].splitlines() if line.strip()]
    nav = "".join(f"<li>{html.escape(line)}</li>" for line in head)
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in rest)
    title = f"<h1>{html.escape(gold['title'])}</h1>" if gold["title"] else ""
    return f"<html><head><meta charset='utf-8'></head><body><ul class='nav'>{nav}</ul>{title}<div class='content'>{paras}</div></body></html>"


def _seeds():
    gold_path = needs_shared("dev", "seed-gold.jsonl")
    return [json.loads(line) for line in gold_path.read_text("utf-8").splitlines() if line.strip()]


def test_seed_bodies_rendered_as_pages():
    for gold in _seeds():
        text = (gold_path := needs_shared("seeds", gold["seed"])).read_text("utf-8")
        article = extract_article(_seed_as_page(text, gold), f"http://example.test/{gold_path.name}")
        body = normalise(article.text)
        assert normalise(gold["body_first"])[:30] in body, gold["seed"]
        assert normalise(gold["body_last"])[-30:] in body, gold["seed"]
        for chrome in gold["chrome"]:
            assert normalise(chrome) not in body, (gold["seed"], chrome)


def test_corpus_pages_extract_without_chrome():
    corpus = needs_shared("corpus")
    pages = sorted(p for p in corpus.rglob("*") if p.suffix in (".html", ".htm"))
    if not pages:
        pytest.skip("../shared/corpus holds no HTML pages")
    extracted = 0
    for path in pages:
        try:
            article = extract_article(path.read_bytes().decode("utf-8", "replace"), path.as_uri())
        except NotAnArticle:
            continue
        extracted += 1
        assert article.text.strip()
        assert "<script" not in article.text
    assert extracted >= len(pages) // 2


@pytest.mark.parametrize(("page", "expected"), [
    ("<html><head><title>题</title></head><body><p>甲</p><script>var a = 1;</script><style>p {}</style>"
     "<noscript><p>请启用脚本</p></noscript><div><span>乙</span>丙</div></body></html>", ["甲", "乙", "丙"]),
    ("<div><p>甲</p><script>x = 1</script><p>乙</p></div>", ["甲", "乙"]),  # a fragment: lxml returns the div
    ("<html><body><body><p>双</p></body></body></html>", ["双"]),
])
def test_visible_text_is_the_body_s_text_without_scripts_styles_or_noscript(page, expected):
    from lxml import html as lxml_html

    from crawler.body import HTML_PARSER
    from crawler.extract import _VISIBLE

    assert _VISIBLE(lxml_html.fromstring(page, parser=HTML_PARSER)) == expected
