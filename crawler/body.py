"""The article body of a page: several extractors' candidates, cleaned, and the best one by measured signals.

trafilatura in its precise mode goes first and is usually right and clean. Where its
text looks wrong — little prose, or a small share of the prose its page holds — the
fallbacks run: trafilatura in its recall mode, GeneralNewsExtractor (text density,
written for Chinese news pages) and readability-lxml. Each candidate is cleaned the
same way (furniture after the story cut, editor/source/contact lines and whole-link
lines trimmed from its ends), and the choice is made on signals of the text, never on
the site: the first candidate holding nearly as much prose as the richest, counting the
sentences that another extractor found too.
"""
from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass
from typing import Callable

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor
from trafilatura.utils import load_html
from trafilatura.xml import delete_element

from crawler.normalise import normalise

# The parser trafilatura parses a page with (trafilatura.utils.HTML_PARSER): crawler.extract
# parses the page once with it, and trafilatura's precise pass takes that tree (and copies
# it, 0.14 ms) instead of parsing the page again (0.29 ms), with the same result.
HTML_PARSER = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                   remove_comments=True, remove_pis=True)
# Containers that are never the story: by their tag, or by a word in their class or id.
# `hot` counts only at the start of a class token or of the id: as a substring it would
# also match every `photo` container.
_FURNITURE_TAGS = frozenset({"aside", "nav", "footer"})
_FURNITURE_WORDS = "related|recommend|comment|share|sidebar|disclaimer"
_FURNITURE_CLASS = re.compile(rf"{_FURNITURE_WORDS}|(?:^| )hot")
_FURNITURE_ID = re.compile(rf"{_FURNITURE_WORDS}|^hot")
# A line that opens the page furniture after a story (checked in normalised form).
_TAIL_MARKER = re.compile(
    r"^\s*[【\[]?\s*(相关推荐|相关阅读|相关文章|相关新闻|相关资讯|相关报道|相关链接|相关专题|热门文章|热门推荐|热点推荐|热点新闻|推荐阅读|延伸阅读|"
    r"猜你喜欢|更多阅读|精彩推荐|发表评论|网友评论|评论\s*\(|我要评论|我要跟帖|分享到|上一篇|下一篇|上一条|下一条|"
    r"免责声明|版权声明|版权所有|责任编辑|本文来源[::]|(支付宝|微信)(转账|扫一扫)|扫描(下方)?二维码|长按(识别)?二维码|扫码关注|赞赏|打赏)"
)
# Characters of a line's start that hold any marker with its brackets and spaces.
_MARKER_SPAN = 16
# Site footers that CMSs print inside the content block; never part of a story.
_FOOTER = re.compile(r"ICP备|公网安备|Copyright\s*©|©\s*\d{4}|版权所有|(禁止|不得|严禁)转载|转[载发]请注明")
# A bracketed source note closing the last line: "(本文来自澎湃新闻……)", "（来源：新华社）".
_SOURCE_NOTE = re.compile(r"[（(]\s*(本文|来源|稿件|文章)[^()（）]{0,80}[)）]\s*$")
# Lines that close a story without being part of it: editor, source, reporter and
# disclaimer lines, the site's contact details, "back to the home page" links. A label that
# could also open a sentence (来源于…, 作者认为…, 返回家中…) counts only with its colon or bar.
_TRAILER = re.compile(
    r"^\s*[\[【(（]?\s*(?:(?:责任编辑|责编|编辑|校对|审核|来源|采写|撰文|作者|地\s*址|邮政编码|邮编|电子信箱|"
    r"电子邮箱|电\s*话|传\s*真|关键词|标签)\s*[:：|丨>]|本文来源|本文来自|本文为|本文仅代表|免责声明|点击进入|"
    r"返回\S{0,8}(?:首页|顶部)|举报(?:电话|邮箱|信箱)|违法和不良信息|财富热线|客服热线|综合整理|整理自|"
    r"当前位置|您的位置|您现在的位置|发布时间|发布日期)"
)
# A line giving the article's original headline and nothing more (a story may follow it on the same line).
_ORIGINAL_TITLE = re.compile(r"^[（(]?\s*(本文)?原标题\s*[:：]\s*(《[^》]*》|[^《》]*)\s*[)）]?$")
# A short line naming reporters and nothing else: "新京报记者 陆一夫", "南都见习记者 林子沛".
_REPORTER = re.compile(r"^[^。！？!?，,]{0,12}记者[^。！？!?，,]{0,20}$")
# Characters that end a sentence or clause of prose.
_SENTENCE_END = re.compile(r"[。！？!?；;]")
# Fewer characters than this between two sentence ends are not a sentence ("!!!", "…").
_MIN_SENTENCE = 4
# A list line of several short items separated by bars: tags, breadcrumbs, menus.
_BARRED_LIST = re.compile(r"^[^。！？!?，,]{1,20}(\|[^。！？!?，,|]{1,20}){2,}$")
# A line this short holding a date and no sentence is a dateline ("2019-09-26 10:09 来源：…").
_DATELINE = 40
_DATE = re.compile(r"(19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
# Lines this short opening a candidate are crumbs of navigation: "没有了", ">", a view count.
_STUB = 4
# Punctuation of any kind: a line without it, this short, is a caption or a label.
_PUNCTUATION = re.compile(r"[。！？!?；;，,、：:…）)》”]")
_CAPTION = 20
# After a link's title, a line of related titles holds at most this much: a date, a section.
_LINK_REMAINDER = 20
# Lines after a marker with this share of link titles are navigation, whatever their length.
_NAVIGATION = 0.4
# A link text shorter than this is a word, not a line of navigation.
_MIN_LINK_LINE = 6
# A first candidate with fewer sentences than this, or fewer characters than _SHORT_BODY,
# is not trusted on its own.
_FEW_SENTENCES = 3
_SHORT_BODY = 300
# A first candidate holding less than this share of the page's sentences missed part of the story.
_PROSE_SHARE = 0.35
# Without a sentence, a candidate this short is a menu word or a caption, not an article.
_MIN_TEXT = 50
# Control characters: a candidate with more than this share of them is binary read as text. (Not
# U+FFFD: pages with emoji broken by their CMS hold a few per cent of it around real text.)
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_TEXT_SHARE = 0.02
# Candidates whose prose is within this share of the richest one count as holding the whole story.
_PROSE_TOLERANCE = 0.9


class Links:
    """The visible texts of a page's links, to recognise lines of navigation and related titles."""

    def __init__(self, texts) -> None:
        self._by_start: dict[str, list[str]] = {}
        self._by_end: dict[str, list[str]] = {}
        for text in {" ".join(t.split()) for t in texts}:
            if len(text) >= _MIN_LINK_LINE:
                self._by_start.setdefault(text[:_MIN_LINK_LINE], []).append(text)
                self._by_end.setdefault(text[-_MIN_LINK_LINE:], []).append(text)

    @classmethod
    def of(cls, tree) -> "Links":
        """The links of a parsed page."""
        return cls(etree.tostring(anchor, method="text", encoding=str, with_tail=False)
                   for anchor in tree.iter("a"))

    def leading(self, line: str) -> int:
        """Characters of the longest link text that `line` starts with (0 for none)."""
        return max((len(t) for t in self._by_start.get(line[:_MIN_LINK_LINE], ()) if line.startswith(t)), default=0)

    def trailing(self, line: str) -> int:
        """Characters of the longest link text that `line` ends with (0 for none)."""
        return max((len(t) for t in self._by_end.get(line[-_MIN_LINK_LINE:], ()) if line.endswith(t)), default=0)


NO_LINKS = Links(())


@dataclass
class Candidate:
    """One extractor's cleaned text and the signals the choice is made on."""

    name: str
    text: str
    sentences: int
    link_share: float


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _link_share(lines: list[str], links: Links) -> float:
    """The share of the characters of `lines` that open with a link's text: lists of titles, menus."""
    total = sum(map(len, lines)) or 1
    return sum(links.leading(_bare(line)) for line in lines) / total


def _bare(line: str) -> str:
    """A line with its whitespace collapsed and a list bullet dropped."""
    return " ".join(line.split()).lstrip("-•·* ")


def cut_tail(text: str, links: Links = NO_LINKS) -> str:
    """Drop everything from the first line that opens post-story furniture.

    A marker or footer line (相关推荐, 责任编辑, a tag list, an ICP licence, a reprint
    notice) cuts only where the text kept is at least as long as the text removed, or
    what it removes holds no more prose than it keeps, or what it removes is mostly link
    titles: a 相关新闻 line or a 转载请注明 notice printed above the story has the story
    after it, so it is not where the story ends.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not index:
            continue
        bare = _bare(line)
        # Markers open a line: converting its start to simplified script is enough.
        if _FOOTER.search(line) or _TAIL_MARKER.match(normalise(bare[:_MARKER_SPAN])) or _BARRED_LIST.match(bare):
            kept, removed = "\n".join(lines[:index]), "\n".join(lines[index:])
            if (len(kept) >= len(removed) or _sentences(removed) <= _sentences(kept)
                    or _link_share(lines[index + 1:], links) >= _NAVIGATION):
                return kept.strip()
    return "\n".join(lines).strip()


def _sentence_set(text: str) -> set[str]:
    """The distinct sentences of `text`, whitespace collapsed."""
    pieces = ("".join(piece.split()) for piece in _SENTENCE_END.split(text))
    return {piece for piece in pieces if len(piece) >= _MIN_SENTENCE}


def _sentences(text: str) -> int:
    """Distinct sentences in `text`: a story that a layout table prints twice counts once."""
    return len(_sentence_set(text))


def _is_furniture(line: str, links: Links) -> bool:
    """Whether a line at either end of a candidate is page furniture rather than story.

    Editor, source, contact and reporter lines; breadcrumbs and datelines; tag lists;
    a link's title followed by no more than its date or section.
    """
    bare = _bare(line)
    rest = bare[links.leading(bare):]
    return bool(
        not bare or _TRAILER.match(opening := normalise(bare[:_MARKER_SPAN])) or _TAIL_MARKER.match(opening)
        or _REPORTER.match(bare) or _BARRED_LIST.match(bare) or _ORIGINAL_TITLE.match(bare)
        or (len(bare) <= _DATELINE and _DATE.search(bare) and not _SENTENCE_END.search(bare))
        or (len(rest) < len(bare) and len(rest) <= _LINK_REMAINDER and not _SENTENCE_END.search(rest))
    )


def _is_caption(line: str) -> bool:
    """A short line without any punctuation closing a body: the caption under its last picture."""
    return len(line) <= _CAPTION and not _PUNCTUATION.search(line)


def trim_ends(text: str, links: Links, title: str | None = None) -> str:
    """Drop furniture lines (and the title) from the start and the end of a candidate.

    A link closing the last line ("返回首页>>") goes with them.
    """
    lines = _lines(text)
    while lines and (_is_furniture(lines[0], links) or len(_bare(lines[0])) <= _STUB
                     or (title and " ".join(lines[0].split()) == title)):
        lines.pop(0)
    while lines and (_is_furniture(lines[-1], links) or _is_caption(lines[-1])):
        lines.pop()
    if lines and links.trailing(lines[-1]) < len(lines[-1]):
        lines[-1] = lines[-1][: len(lines[-1]) - links.trailing(lines[-1])].rstrip()
    if lines and _SOURCE_NOTE.search(lines[-1]):
        lines[-1] = _SOURCE_NOTE.sub("", lines[-1]).rstrip() or lines[-1]
    return "\n".join(lines)


def clean(text: str, links: Links, title: str | None = None) -> str:
    """A candidate's text with the furniture after the story cut and its ends trimmed."""
    return trim_ends(cut_tail(trim_ends(text, links, title), links), links, title)


def measure(name: str, text: str, links: Links) -> Candidate:
    """The signals of one cleaned candidate: distinct sentences, and its share in lines opening with a link."""
    return Candidate(name=name, text=text, sentences=_sentences(text), link_share=_link_share(_lines(text), links))


def prune_furniture(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """`tree` with the containers that are never the story removed (each one's tail text kept).

    One pass over the elements: trafilatura's `prune_xpath` would walk the whole tree
    once for each expression (0.5 ms a generated page, 3.6 on a real one; this, 0.15 and 1.5).
    """
    furniture = [element for element in tree.iter(etree.Element)
                 if element.tag in _FURNITURE_TAGS
                 or _FURNITURE_CLASS.search(element.get("class") or "")
                 or _FURNITURE_ID.search(element.get("id") or "")]
    for element in furniture:
        delete_element(element)
    return tree


# trafilatura's options for the precise first pass and the fallback pass. Given keywords
# instead, bare_extraction builds them for every page (nine reads of its config file's
# settings and today's date: 30 µs, a hundredth of reading a page). Title, date and author
# are read by crawler.extract: trafilatura's metadata pass would double the cost of
# extraction for fields it mostly finds the same way, so it stays off (with_metadata).
_OPTIONS = {precise: Extractor(output_format="python", fast=precise, precision=precise, comments=False,
                               tables=False, dedup=False)
            for precise in (True, False)}


def _trafilatura(page: str | lxml_html.HtmlElement, url: str | None, precise: bool) -> str:
    # The caller's tree is read again after this (crawler.extract), so a copy is pruned.
    tree = load_html(page) if isinstance(page, str) else copy(page)
    if tree is None:
        return ""
    options = copy(_OPTIONS[precise])
    options.url = options.source = url
    document = trafilatura.bare_extraction(prune_furniture(tree), options=options)
    return (document.text or "") if document is not None else ""


def _gne(page_html: str, url: str | None) -> str:
    from gne import GeneralNewsExtractor

    try:
        return GeneralNewsExtractor().extract(page_html).get("content") or ""
    except Exception:  # gne raises bare Exceptions on pages it cannot read: no candidate then
        return ""


def _readability(page_html: str, url: str | None) -> str:
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(page_html, url=url).summary(html_partial=True)
    except Unparseable:
        return ""
    return "\n".join(text.strip() for text in lxml_html.fromstring(summary).itertext() if text.strip())


FALLBACKS: dict[str, Callable[[str, str | None], str]] = {
    "trafilatura-recall": lambda page_html, url: _trafilatura(page_html, url, precise=False),
    "gne": _gne,
    "readability": _readability,
}


def looks_right(first: Candidate, prose_on_page: int) -> bool:
    """Whether the first candidate can be kept without trying the others."""
    return (first.sentences >= _FEW_SENTENCES and len(first.text) >= _SHORT_BODY and first.link_share < 0.5
            and first.sentences >= _PROSE_SHARE * prose_on_page)


def _reads_as_text(text: str) -> bool:
    """Not binary read as text: control characters are rare in any article."""
    return len(_NOT_TEXT.findall(text)) <= _NOT_TEXT_SHARE * len(text)


def choose(candidates: list[Candidate]) -> Candidate:
    """The first candidate holding nearly as much prose as the richest one, navigation discounted.

    Prose counts the sentences that another extractor found too, where they agree on a
    few: a recall-minded extractor's extra "sentences" from a comment box or a list of
    headlines that no other extractor took are not the story. Where they do not agree on
    a few sentences, every sentence counts.
    """
    texts = [c for c in candidates if (c.sentences or len(c.text) >= _MIN_TEXT) and _reads_as_text(c.text)]
    if not texts:
        return Candidate(name="none", text="", sentences=0, link_share=0.0)
    sets = [_sentence_set(c.text) for c in texts]
    confirmed = [len(own & set().union(*(other for other in sets if other is not own))) for own in sets]
    counts = confirmed if max(confirmed) >= _FEW_SENTENCES else [c.sentences for c in texts]
    prose = {id(c): count * (1 - c.link_share) for c, count in zip(texts, counts)}
    richest = max(prose.values())
    # In their order (trafilatura's first): its lines are kept as the page breaks them.
    return next(c for c in texts if prose[id(c)] >= _PROSE_TOLERANCE * richest)


def extract_body(page_html: str, tree, visible: str, url: str | None = None, title: str | None = None) -> str:
    """The cleaned article body of a page ("" when no extractor finds one).

    `tree` is the page parsed with HTML_PARSER, `visible` its visible text (scripts and styles left out).
    """
    links = Links.of(tree)
    first = measure("trafilatura", clean(_trafilatura(tree, url, precise=True), links, title), links)
    if looks_right(first, _sentences(visible)):
        return first.text
    candidates = [first] + [measure(name, clean(extract(page_html, url), links, title), links)
                            for name, extract in FALLBACKS.items()]
    return choose(candidates).text
