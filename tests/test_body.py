"""Body candidates, cleaning and choice (crawler.body), headlines (crawler.headline), dates (crawler.pagedate)."""
from __future__ import annotations

from copy import copy
from datetime import date

from lxml import html as lxml_html

from crawler.body import Candidate, Links, choose, clean, cut_tail, looks_right, trim_ends
from crawler.extract import extract_article
from crawler.headline import titled_heading, untitled_headline
from crawler.pagedate import find_chinese_date, page_date

STORY = "\n".join([
    "3月8日,星海医生集团宣布与十家医院签约,覆盖骨科、心内科和肿瘤科。",
    "集团创始人表示,合作医院将共享手术团队和随访平台,患者无需再跨省就医。",
    "据介绍,新签约的医院分布在华东和西南六个城市,首批专家已经到岗。",
    "业内人士认为,医生集团与公立医院的合作正在从松散走向紧密。",
])


def test_a_marker_above_the_story_is_not_where_it_ends():
    text = "相关新闻\n" + STORY
    assert cut_tail(text) == text


def test_a_marker_after_the_story_cuts_what_follows():
    assert cut_tail(STORY + "\n相关推荐\n另一篇文章的标题\n又一篇文章的标题") == STORY


def test_a_marker_before_a_longer_list_of_links_still_cuts():
    related = [f"第{n}篇相关文章的标题在这里写得很长很长很长很长" for n in range(12)]
    links = Links(related)
    text = STORY + "\n相关推荐\n" + "\n".join(f"- {title} 2019-09-09" for title in related)
    assert len(text) > 2 * len(STORY)
    assert cut_tail(text, links) == STORY


def test_a_site_footer_ends_the_content():
    assert cut_tail(STORY + "\nCopyright © 2019 某网 京ICP备123号\n举报") == STORY


def test_editor_reporter_source_and_link_lines_are_trimmed_from_the_ends():
    links = Links(["返回网站首页>>", "另一篇文章的标题很长"])
    text = "\n".join([
        "2019-09-26 10:09 来源：某某日报", "（原标题：星海医生集团签约十家医院）", STORY + "返回网站首页>>",
        "新京报记者 陆一夫", "责编：张三", "(综合整理自某某网、某某报)", "- 另一篇文章的标题很长 2019-09-09 健康",
        "某产品名称宣传语",
    ])
    assert trim_ends(text, links) == STORY


def test_a_story_after_its_original_headline_on_one_line_is_kept():
    line = "本文原标题：《签约十家医院》星海医生集团今日宣布签约十家医院。"
    assert clean(line + "\n" + STORY, Links(())).startswith(line)


def test_a_trailing_source_note_is_cut_from_the_last_line():
    assert clean(STORY + "(本文来自某某新闻，更多原创资讯请下载APP)", Links(())) == STORY


def test_the_first_candidate_is_trusted_only_when_it_holds_the_page_s_prose():
    first = Candidate("trafilatura", STORY * 3, sentences=8, link_share=0.0)
    assert looks_right(first, prose_on_page=12)
    assert not looks_right(first, prose_on_page=40)
    assert not looks_right(Candidate("trafilatura", "×", sentences=0, link_share=0.0), prose_on_page=5)


def test_the_choice_takes_the_first_candidate_holding_nearly_all_prose():
    short = Candidate("trafilatura", "×", 0, 0.0)
    whole = Candidate("trafilatura-recall", STORY, 4, 0.0)
    tight = Candidate("gne", STORY[:-10], 4, 0.0)
    links = Candidate("readability", STORY * 3, 12, 0.8)
    assert choose([short, whole, tight, links]) is whole
    assert choose([short]).text == ""


TABLE_PAGE = """<html><head><meta charset="utf-8"><title>星海医生集团签约十家医院_某某市新闻网</title></head>
<body><table width="100%"><tr><td><a href="/">首页</a> | <a href="/n">新闻</a> | <a href="/g">政务</a></td></tr>
<tr><td class="title">星海医生集团签约十家医院</td></tr><tr><td>发布时间：2021-03-10 来源：某某市新闻网</td></tr>
<tr><td>{}</td></tr>
<tr><td>版权所有 某某市新闻网 ICP备12345号</td></tr></table></body></html>"""


def test_a_table_layout_page_gives_its_story():
    article = extract_article(TABLE_PAGE.format("<br>".join(STORY.splitlines())), "http://example.test/t.html")
    assert article.text.startswith("3月8日,星海医生集团") and article.text.endswith("从松散走向紧密。")
    assert article.title == "星海医生集团签约十家医院"
    assert article.published == "2021-03-10"


def _tree(markup: str):
    return lxml_html.fromstring(markup)


def test_the_headline_is_the_heading_title_names_not_the_section():
    tree = _tree("<html><head><title>陈同佳刑满出狱 向家人鞠躬致歉|香港_新浪新闻</title></head><body>"
                 "<h1>新闻中心</h1><h1>陈同佳刑满出狱 向家人鞠躬致歉</h1><p>正文。</p></body></html>")
    assert titled_heading(tree) == "陈同佳刑满出狱 向家人鞠躬致歉"


def test_a_site_name_sharing_title_is_not_the_headline():
    tree = _tree("<html><head><title>新闻动态--中国地理学会官网</title></head><body><h3>中国地理学会</h3>"
                 "<h5>地理学术年会在重庆成功举行！</h5><p>5月10日，年会在重庆举行。</p><h3>友情链接列表</h3></body></html>")
    assert titled_heading(tree) is None
    assert untitled_headline(tree, "5月10日，年会在重庆") == "地理学术年会在重庆成功举行！"


def test_without_headings_the_longest_part_of_title():
    tree = _tree("<html><head><title>明日股市预测--联合国报告：全球经济增长率降至2.3%</title></head><body></body></html>")
    assert untitled_headline(tree, "") == "联合国报告：全球经济增长率降至2.3%"


def test_dates_in_scripts_styles_and_urls_are_not_the_page_s():
    tree = _tree("<html><head><style>.a{background:url(/img/2010%2F10%2F04/x.png)}</style>"
                 "<script>var t='2020-02-29 10:00';</script></head><body><p>正文没有日期。</p></body></html>")
    assert page_date(tree, head="正文没有日期。", visible="正文没有日期。") is None


def test_the_visible_byline_beats_meta_and_meta_beats_a_bare_date():
    tree = _tree('<html><head><meta name="pubdate" content="2019-09-30 22:46"></head><body></body></html>')
    assert page_date(tree, head="发布时间：2019-09-29\n2018-01-01", visible="") == "2019-09-29"
    assert page_date(tree, head="上一篇 2018-01-01", visible="") == "2019-09-30"


def test_a_date_after_the_crawl_is_not_the_publication_date():
    assert find_chinese_date("发布时间：2031-01-01\n日期：2021-01-01", latest=date(2026, 1, 1)) == "2021-01-01"
    assert find_chinese_date("发布时间：2031-01-01", latest=date(2026, 1, 1)) is None


def test_a_two_digit_year_is_read_after_a_publication_label_only():
    assert find_chinese_date("体育教科书发布时间：18-03-0823:16") is None  # glued to the time: not a date
    assert find_chinese_date("发布时间：18-03-08 23:16") == "2018-03-08"
    assert find_chinese_date("编号 18-03-08") is None


def test_binary_read_as_text_is_no_candidate():
    garbage = bytes(range(256)).decode("latin-1") * 4
    assert choose([Candidate("readability", garbage, sentences=2, link_share=0.0)]).text == ""
    broken_emoji = Candidate("trafilatura", STORY.replace("。", "。\ufffd\ufffd\ufffd"), sentences=4, link_share=0.0)
    assert choose([broken_emoji]) is broken_emoji


def test_sentences_no_other_extractor_found_do_not_win_the_choice():
    comments = "\n".join(f"网友{n}：这篇文章写得很好！我完全同意作者的看法。" for n in range(8))
    first = Candidate("trafilatura", STORY, 4, 0.0)
    recall = Candidate("trafilatura-recall", STORY + "\n" + comments, 20, 0.0)
    gne = Candidate("gne", STORY, 4, 0.0)
    assert choose([first, recall, gne]) is first
    assert choose([first, recall]) is first  # the story's four sentences are confirmed by both
    alone = Candidate("readability", STORY + "\n" + STORY.replace("集团", "公司"), 8, 0.0)
    assert choose([Candidate("trafilatura", "短", 0, 0.0), alone]) is alone  # nothing to agree on: all prose counts


def test_a_site_name_h1_held_by_title_is_not_the_headline():
    tree = _tree("<html><head><title>星海医生集团签约十家医院 - 某某市人民政府门户网站</title></head><body>"
                 "<h1>某某市人民政府门户网站</h1><h2>星海医生集团签约十家医院</h2><p>正文。</p></body></html>")
    assert titled_heading(tree) == "星海医生集团签约十家医院"


def test_a_last_sentence_opening_like_a_label_is_kept():
    story = STORY + "\n返回家中后,他说这次签约让医生们看到了希望。\n作者认为,医生集团的路还很长。"
    assert trim_ends(story + "\n作者：张三\n关键词 >> 医生集团,签约", Links(())) == story


def test_a_reprint_notice_above_the_story_is_not_its_end():
    text = "星海医生集团签约十家医院\n【版权声明：本文为原创，转载请注明出处】\n" + STORY
    assert cut_tail(text) == text


def _parsed_pages() -> list[tuple]:
    """(path, decoded page, parsed tree) of every fixture, demo and corpus page (none of those without ../shared)."""
    from conftest import DEMO_WEB, SHARED, TEST_WEB

    from crawler.body import HTML_PARSER
    from crawler.encoding import decode_html

    paths = sorted(TEST_WEB.rglob("*.html")) + sorted(DEMO_WEB.rglob("*.html"))
    paths += sorted((SHARED / "corpus" / "pages").glob("*.html"))
    assert len(paths) > 30
    pages = []
    for path in paths:
        page_html, _ = decode_html(path.read_bytes(), "text/html", None)
        pages.append((path, page_html, lxml_html.fromstring(page_html, parser=HTML_PARSER)))
    return pages


def test_trafilatura_reads_the_tree_parsed_once_as_it_reads_the_page():
    from crawler.body import _trafilatura

    for path, page_html, tree in _parsed_pages():
        kept = lxml_html.tostring(tree)
        assert _trafilatura(tree, None, precise=True) == _trafilatura(page_html, None, precise=True), path
        assert lxml_html.tostring(tree) == kept, path  # trafilatura worked on a copy: the tree is still the page


def test_trafilatura_given_options_built_once_reads_as_given_the_same_options_each_call():
    import trafilatura

    from crawler.body import _trafilatura, prune_furniture

    for path, _, tree in _parsed_pages():
        url = f"http://127.0.0.1/{path.name}"
        for precise in (True, False):
            document = trafilatura.bare_extraction(
                prune_furniture(copy(tree)), url=url, fast=precise, include_comments=False, include_tables=False,
                favor_precision=precise, deduplicate=False)
            assert _trafilatura(tree, url, precise) == (document.text or "" if document else ""), (path, precise)


def test_furniture_goes_by_tag_class_or_id_and_its_tail_text_stays():
    from crawler.body import prune_furniture

    tree = lxml_html.fromstring(
        '<html><body><div class="content"><p>正文第一段</p><div class="related-news">相关新闻</div>正文尾句'
        '<div id="hotlist">排行</div><div class="photo">图片说明</div><div class="pic hot-box">热榜</div>'
        '<div class="a\thot">制表符</div><aside>侧栏</aside><nav>导航</nav><footer>页脚</footer>'
        '<ul id="comments-3"><li>评论</li></ul><div id="photohot">照片</div></div></body></html>')
    text = prune_furniture(tree).text_content()
    assert text == "正文第一段正文尾句图片说明制表符照片"


def test_furniture_pruned_in_one_pass_as_an_xpath_per_rule_prunes_it():
    from lxml.etree import XPath
    from trafilatura.htmlprocessing import prune_unwanted_nodes

    from crawler.body import prune_furniture

    # The rules as XPath, one expression each, as trafilatura's prune_xpath runs them.
    by_xpath = [XPath(f"//*[contains(@class,'{word}') or contains(@id,'{word}')]")
                for word in ("related", "recommend", "comment", "share", "sidebar", "disclaimer")]
    by_xpath += [XPath("//*[contains(concat(' ',@class),' hot') or starts-with(@id,'hot')]"),
                 XPath("//aside"), XPath("//nav"), XPath("//footer")]
    pruned_any = 0
    for path, _, tree in _parsed_pages():
        expected = lxml_html.tostring(prune_unwanted_nodes(copy(tree), by_xpath))
        assert lxml_html.tostring(prune_furniture(copy(tree))) == expected, path
        pruned_any += expected != lxml_html.tostring(tree)
    assert pruned_any > 10
