"""A generated Chinese news site for benchmarks: a paginated listing and N article pages.

`generate_site(root, n, seed)` writes `root/site/news/index.html`, `index_2.html` … (20
links each, newest first) and `root/site/news/<i>.html` for i = 1 … n, plus a permissive
`robots.txt`, so that `monitor.sites.serve(root)` serves it. Each article is a 10–20 kB
UTF-8 page in the shape of a Chinese health-industry news CMS: top bar, navigation,
breadcrumbs, byline, share bar, previous/next links, 相关推荐, comments, a 热门文章
sidebar and a footer around a body about one doctor group, written from the sentence
templates of bench.vocabulary with fresh names and figures in every sentence. The same
seed gives the same bytes; article i does not depend on n except for its links.
"""
from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from bench import vocabulary as v

PER_LISTING = 20
# Article page sizes are drawn in this range (bytes) but never leave less than _MIN_BODY for
# the body, so with ~10 kB of chrome pages come out at 11.5–19.5 kB; one more sentence never
# takes a page past 20 kB.
SIZE_RANGE = (8_400, 19_300)
_GROUP_POOL = 300
_FIRST_DAY = date(2016, 1, 4)
_RELATED = 8
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_HOT = 10
_LATEST = 8
# Every article has at least this much body (bytes), however much chrome surrounds it.
_MIN_BODY = 1_500


@dataclass(frozen=True)
class SiteInfo:
    """Where a generated site lives and how a crawler config should describe it."""

    root: Path
    articles: int
    listings: int
    seed: int
    article_bytes: int  # total size of the article pages
    groups: tuple[Group, ...] = ()  # every doctor group the articles may name, as generated
    pages: tuple[PageTruth, ...] = ()  # article i's subject and figures at index i - 1
    start_path: str = "/news/index.html"
    article_pattern: str = r"/news/\d+\.html$"
    follow_pattern: str = r"/news/index_\d+\.html$"

    def article_path(self, number: int) -> str:
        """The URL path of article `number` (1 … articles)."""
        return f"/news/{number}.html"

    def article_number(self, url: str) -> int | None:
        """The number of the article at `url`, if it is one of this site's articles."""
        found = re.search(r"/news/(\d+)\.html$", url)
        return int(found[1]) if found and 1 <= int(found[1]) <= self.articles else None

    def article_file(self, number: int) -> Path:
        """The file that holds article `number`."""
        return self.root / "site" / "news" / f"{number}.html"


@dataclass(frozen=True)
class Group:
    """One doctor group of the site's cast, as every article about it describes it."""

    name: str
    brand: str
    specialty: str
    founder: str
    ceo: str
    city: str
    year: int
    month: int


@dataclass(frozen=True)
class PageTruth:
    """What one article states about the group it is about, as the generator wrote it."""

    group: str
    figures: dict[str, tuple[int, str]]  # attribute → (value, approximation), spec conventions
    stated: frozenset[str] = frozenset()  # the attributes of `figures` its body states


# The page slot each figure is written through.
_FIGURE_SLOTS = {"doctors": "n_doc", "partner_hospitals": "n_hosp", "patients_managed": "n_pat", "funding": "money"}


@dataclass
class _Meta:
    """What listings and other pages' links need to know about one article."""

    number: int
    published: date
    clock: str
    title: str
    lead: str
    slots: dict[str, str] = field(repr=False)
    truth: PageTruth = field(repr=False)
    stated: set[str] = field(default_factory=set, repr=False)  # fixed slots the lead and body use


def _rng(seed: int, *parts: object) -> random.Random:
    # A string seed is hashed with SHA-512, so streams do not depend on PYTHONHASHSEED.
    return random.Random(":".join(map(str, (seed, *parts))))


def _person(rng: random.Random) -> str:
    given = "".join(rng.choice(v.GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(v.SURNAMES) + given


def _city(rng: random.Random) -> str:
    return rng.choice(v.CITIES)


def _hospital(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(v.COUNTIES) + rng.choice(("县人民医院", "市人民医院", "县中医院"))
    return _city(rng) + rng.choice(v.HOSPITAL_KINDS)


def _groups(seed: int) -> list[Group]:
    """The site's cast: the same group keeps its founder, city and founding date across articles.

    Names differ in more than the ending's spelling: 医师集团 and 医生集团 name one group.
    """
    rng = _rng(seed, "groups")
    groups: dict[str, Group] = {}
    while len(groups) < _GROUP_POOL:
        brand = rng.choice(v.BRAND_FIRST) + rng.choice(v.BRAND_SECOND)
        specialty = rng.choice(v.SPECIALTIES)
        name = brand + (specialty if rng.random() < 0.6 else "") + rng.choice(v.GROUP_SUFFIXES)
        if name.replace("医师集团", "医生集团") not in groups:
            groups[name.replace("医师集团", "医生集团")] = Group(name, brand, specialty, _person(rng), _person(rng), _city(rng),
                                  rng.randint(2012, 2020), rng.randint(1, 12))
    return list(groups.values())


# How a count is written, and the approximation each form means (spec: 余, 多 and 超过 are
# more_than, 近 is about).
_COUNT_FORMS = (("{}余{}", "more_than"), ("{}多{}", "more_than"), ("近{}{}", "about"), ("{}{}", ""),
                ("超过{}{}", "more_than"))
Figure = tuple[str, int, str]
"""A figure as written, its value and its approximation."""


def _approx(rng: random.Random, value: int, unit: str) -> Figure:
    form, approx = rng.choice(_COUNT_FORMS)
    return form.format(value, unit), value, approx


def _money(rng: random.Random) -> Figure:
    millions, tenths, thousands = rng.randint(1, 9), rng.randint(11, 50), rng.randint(2, 9)
    return rng.choice(((f"{millions}千万元", millions * 10**7, ""), (f"{tenths / 10:g}亿元", tenths * 10**7, ""),
                       ("数千万元", 10**7, "more_than"), ("亿元", 10**8, ""), (f"{thousands}000万元", thousands * 10**7, "")))


def _patients(rng: random.Random) -> Figure:
    wan, many, near = rng.randint(2, 40), rng.randint(1000, 9000), rng.randint(2, 20)
    return rng.choice(((f"{wan}万余名", wan * 10**4, "more_than"), (f"{many}多名", many, "more_than"),
                       (f"近{near}万名", near * 10**4, "about")))


def _investor(rng: random.Random) -> str:
    return rng.choice(v.BRAND_FIRST) + rng.choice(v.BRAND_SECOND) + rng.choice(v.INVESTOR_WORDS)


class _Slots(dict):
    """Template slots: page values fixed; a sticky slot (a paragraph's patient, hospital …) drawn
    once per paragraph; any other slot drawn afresh at each use."""

    def __init__(self, fixed: dict[str, str], rng: random.Random, groups: list[Group],
                 used: set[str] | None = None) -> None:
        super().__init__(fixed)
        self.rng = rng
        self.groups = groups
        self.used = used  # records the page's fixed slots a body sentence states

    def __getitem__(self, key: str) -> str:
        if self.used is not None and key in self:
            self.used.add(key)
        return super().__getitem__(key)

    def __missing__(self, key: str) -> str:
        kind = key[:-1] if key[-1:].isdigit() and key[:-1] in _NUMBERED else key
        value = _DRAW[kind](self)
        if key in _STICKY:
            self[key] = value
        return value


_DRAW: dict[str, Callable[[_Slots], str]] = {
    "c": lambda s: _city(s.rng),
    "h": lambda s: _hospital(s.rng),
    "sp": lambda s: s.rng.choice(v.SPECIALTIES),
    "p": lambda s: _person(s.rng),
    "g": lambda s: s.rng.choice(s.groups).name,
    "inv": lambda s: _investor(s.rng),
    "pn": lambda s: s.rng.choice(v.SURNAMES) + s.rng.choice(("先生", "女士", "阿姨", "大爷", "师傅")),
    "age": lambda s: str(s.rng.choice(v.AGES)),
    "dur": lambda s: s.rng.choice(v.DURATIONS),
    "dis": lambda s: s.rng.choice(v.DISEASES),
    "proc": lambda s: s.rng.choice(v.PROCEDURES),
    "small": lambda s: str(s.rng.randint(2, 12)),
    "num": lambda s: str(s.rng.randint(2, 15)),
    "k": lambda s: str(s.rng.randint(1000, 20000)),
    "k2": lambda s: str(s.rng.randint(50, 3000)),
    "k3": lambda s: str(s.rng.randrange(1000, 3000, 100)),
    "pct": lambda s: f"{s.rng.randint(10, 60)}%",
    "low": lambda s: f"{s.rng.randint(1, 30) / 10:g}%",
    "sat": lambda s: f"{s.rng.randint(900, 995) / 10:g}%",
    "wan": lambda s: str(s.rng.randint(10, 200)),
    "yi": lambda s: f"{s.rng.randint(3, 60) / 10:g}",
    "beds": lambda s: str(s.rng.randint(50, 1500)),
    "fee": lambda s: str(s.rng.randrange(10_000, 150_000, 100)),
    "year": lambda s: str(s.rng.randint(2016, 2025)),
    "future": lambda s: str(s.rng.randint(2026, 2030)),
    "q": lambda s: s.rng.choice(v.QUOTES),
    "view": lambda s: s.rng.choice(v.VIEWS),
    "hosp_view": lambda s: s.rng.choice(v.HOSPITAL_VIEWS).format_map(s),
    "purpose": lambda s: s.rng.choice(v.PURPOSES),
}
# Slots that templates number (c2, c3, h2 …) for several distinct values of one kind.
_NUMBERED = {"c", "h", "sp", "p", "g", "inv", "pct", "year", "q", "beds"}
# Slots that name the subject of a paragraph and must not change inside it.
_STICKY = {"pn", "age", "dis", "proc", "dur", "h2"}


def _page_group(rng: random.Random, groups: list[Group], published: date, kind: str) -> tuple[Group, str]:
    """The group a page is about, and the page's kind: a founding story is published in the
    month its group was founded, any other story after its group's founding year, so that
    every article agrees on when a group was founded."""
    if kind == "founding":
        founded_now = [g for g in groups if (g.year, g.month) == (published.year, published.month)]
        if founded_now:
            return rng.choice(founded_now), kind
        kind = rng.choice([k for k in v.TITLES if k != "founding"])
    return rng.choice([g for g in groups if g.year < published.year] or groups), kind


def _page_slots(rng: random.Random, group: Group, published: date) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    """The page's fixed template slots, and the figures they state about its group
    (attribute → value, approximation)."""
    hospitals = rng.randint(2, 80)
    figures = {"doctors": _approx(rng, rng.randint(2, 60) * 10, rng.choice(("名", "位"))),
               "partner_hospitals": (f"{hospitals}家", hospitals, ""),
               "patients_managed": _patients(rng), "funding": _money(rng)}
    values = {
        "g": group.name, "gs": group.brand, "f": group.founder, "ceo": group.ceo, "c": group.city,
        "sp": group.specialty, "h": _hospital(rng), "y": str(group.year), "mo": str(group.month),
        "n_doc": figures["doctors"][0], "n_hosp": figures["partner_hospitals"][0],
        "n_pat": figures["patients_managed"][0], "money": figures["funding"][0],
        "round": rng.choice(v.ROUNDS), "md": f"{published.month}月{max(1, published.day - rng.randint(0, 3))}日",
    }
    values["inv"] = _investor(rng)
    values["facility"] = rng.choice((f"{group.brand}{group.specialty}医院",
                                     f"{group.name}({values['c']}){group.specialty}中心"))
    values["time"] = rng.choice(v.TIME_WORDS).format(md=values["md"], mo=published.month)
    return values, {attribute: (value, approx) for attribute, (_, value, approx) in figures.items()}


def _meta(seed: int, number: int, groups: list[Group]) -> _Meta:
    rng = _rng(seed, number, "meta")
    published = _FIRST_DAY + timedelta(days=(number * 7 // 8) % 3650 + rng.randint(0, 1))
    group, kind = _page_group(rng, groups, published, rng.choice(tuple(v.TITLES)))
    fixed, figures = _page_slots(rng, group, published)
    slots = _Slots(fixed, rng, groups)
    title = rng.choice(v.TITLES[kind]).format_map(slots)
    slots.used = stated = set()  # the lead opens the body; the title is not part of it
    lead = rng.choice(v.LEADS[kind]).format_map(slots)
    return _Meta(number, published, f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}", title, lead, fixed,
                 PageTruth(group.name, figures), stated)


def _wording(template: str, rng: random.Random) -> str:
    """Make each `[a|b|c]` choice of a template."""
    return _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)


def _sentence(template: str, slots: _Slots, rng: random.Random) -> str:
    # A template that opens with its own short clause (此前，… / 近年来，…) or a quote takes no opener.
    text = _wording(template, rng).format_map(slots)
    if text.startswith("“") or len(text.split("，", 1)[0]) <= 8:
        return text
    return rng.choice(v.OPENERS).format_map(slots) + text


def _paragraphs(seed: int, meta: _Meta, groups: list[Group], budget: int) -> list[str]:
    """Body paragraphs, topic by topic, until their encoded size reaches `budget` bytes.

    A template is used once per article until its topic runs out, as a reporter would not
    repeat a sentence; long articles then reuse templates with other names and figures.
    """
    rng = _rng(seed, meta.number, "body")
    used: set[str] = set()

    def pick(topic: str, count: int) -> list[str]:
        fresh = [t for t in v.TOPICS[topic] if t not in used]
        pool = fresh if len(fresh) >= count else list(v.TOPICS[topic])
        chosen = rng.sample(pool, min(count, len(pool)))
        used.update(chosen)
        return chosen

    slots = _Slots(meta.slots, rng, groups, meta.stated)
    paragraphs = [meta.lead + "".join(_wording(t, rng).format_map(slots) for t in pick("background", 2))]
    size = len(paragraphs[0].encode())
    while size < budget:
        slots = _Slots(meta.slots, rng, groups, meta.stated)
        sentences = []
        for template in pick(rng.choice(tuple(v.TOPICS)), rng.randint(2, 5)):
            sentences.append(_sentence(template, slots, rng))
            size += len(sentences[-1].encode())
            if size >= budget:
                break
        paragraphs.append("".join(sentences))
        size += len("<p></p>\n")
    return paragraphs


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _link_list(metas: list[_Meta], tag: str = "ul") -> str:
    items = "".join(f'<li><a href="/news/{m.number}.html" title="{_e(m.title)}">{_e(m.title)}</a></li>' for m in metas)
    return f"<{tag}>{items}</{tag}>"


# CMS templates inline their layout CSS; it is part of every page's weight.
_STYLE = "<style>\n" + "\n".join(
    f".{name} {{ margin: 0 auto; padding: 8px 12px; font-size: {size}px; line-height: 1.8; color: #333; }}"
    for name, size in (("topbar", 12), ("site-header", 16), ("main-nav", 15), ("breadcrumb", 12), ("wrap", 14),
                       ("main-col", 16), ("article", 16), ("info", 12), ("article-content", 17), ("editor", 12),
                       ("share-bar", 12), ("prev-next", 14), ("related-news", 14), ("sidebar", 13),
                       ("hot-list", 13), ("latest-list", 13), ("tag-cloud", 12), ("site-footer", 12))
) + "\n</style>\n"


def _head(title: str, keywords: str, description: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}_{v.SITE_NAME}</title>\n"
        f'<meta name="keywords" content="{_e(keywords)}">\n<meta name="description" content="{_e(description)}">\n'
        '<link rel="stylesheet" href="/static/css/main.css">\n' + _STYLE +
        "<script>var _hmt = _hmt || []; (function(){ var s = document.createElement('script'); "
        "s.src = '/static/js/stat.js'; document.head.appendChild(s); })();</script>\n</head>\n"
    )


def _header() -> str:
    nav = "".join(f'<li><a href="/news/index.html">{item}</a></li>' for item in v.NAV)
    return (
        '<body>\n<div class="topbar"><span>欢迎来到' + v.SITE_NAME + '</span><a href="/login">登录</a>'
        '<a href="/register">注册</a><a href="/app">下载客户端</a></div>\n'
        f'<header class="site-header"><div class="logo"><a href="/news/index.html">{v.SITE_NAME}</a></div>\n'
        f'<nav class="main-nav"><ul>{nav}</ul></nav>\n'
        '<form class="search" action="/search"><input name="q" placeholder="搜索医生集团、医院、专家"></form></header>\n'
    )


def _sidebar(hot: list[_Meta], latest: list[_Meta]) -> str:
    tags = "".join(f'<a href="/tag/{i}">{_e(s)}</a>' for i, s in enumerate(v.SPECIALTIES[:12]))
    return (
        f'<aside class="sidebar">\n<div class="hot-list"><h3>热门文章</h3>{_link_list(hot, "ol")}</div>\n'
        f'<div class="latest-list"><h3>最新资讯</h3>{_link_list(latest)}</div>\n'
        f'<div class="tag-cloud"><h3>热门标签</h3>{tags}</div>\n'
        '<div class="ad-box"><a href="/ad/1">医院管理高峰论坛 报名中</a></div>\n</aside>\n'
    )


def _footer() -> str:
    friends = "".join(f'<a href="/link/{i}">{name}</a>' for i, name in enumerate(v.FRIEND_LINKS))
    return (
        f'<footer class="site-footer"><div class="friend-links">友情链接：{friends}</div>\n'
        '<p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | '
        '<a href="/ads">广告服务</a> | <a href="/disclaimer">免责声明</a></p>\n'
        f"<p>{v.SITE_NAME} 版权所有 © 2014-2026 京ICP备12345678号-1 京公网安备11010502000000号</p></footer>\n"
        '<script src="/static/js/main.js"></script>\n</body>\n</html>\n'
    )


def _comments(rng: random.Random) -> str:
    items = "".join(
        f'<li><span class="user">网友{rng.randint(10000, 99999)}</span><span class="time">{rng.randint(1, 23)}小时前</span>'
        f"<p>{_e(text)}</p></li>" for text in rng.sample(v.COMMENTS, rng.randint(2, 5))
    )
    return (f'<div id="comment-box"><h3>网友评论</h3><ul>{items}</ul>'
            '<form><textarea placeholder="发表评论，文明上网"></textarea><button>发表</button></form></div>\n')


def _article_page(seed: int, meta: _Meta, metas: list[_Meta], sidebar: str, groups: list[Group]) -> bytes:
    rng = _rng(seed, meta.number, "chrome")
    n = len(metas)
    slots = meta.slots
    related = [metas[k - 1] for k in rng.sample(range(1, n + 1), min(_RELATED, n)) if k != meta.number]
    neighbours = "".join(
        f'<p>{label}：<a href="/news/{k}.html">{_e(metas[k - 1].title)}</a></p>'
        for label, k in (("上一篇", meta.number - 1), ("下一篇", meta.number + 1)) if 1 <= k <= n
    )
    top = (
        _head(meta.title, f"{slots['g']},医生集团,{slots['sp']}", meta.lead[:80]) + _header()
        + '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/news/index.html">医生集团</a> &gt; 正文</div>\n'
        + '<div class="wrap">\n<main class="main-col">\n<div class="article">\n'
        + f"<h1>{_e(meta.title)}</h1>\n"
        + f'<div class="info">发布时间：{meta.published.isoformat()} {meta.clock}　来源：{v.SITE_NAME}　'
          f"作者：{_e(_person(rng))}</div>\n<div class=\"article-content\">\n"
    )
    bottom = (
        f'</div>\n<div class="editor">责任编辑：{_e(_person(rng))}</div>\n'
        '<div class="share-bar">分享到：<a href="#wx">微信</a><a href="#wb">微博</a><a href="#qz">QQ空间</a></div>\n'
        f'<div class="prev-next">{neighbours}</div>\n'
        f'<div class="related-news"><h3>相关推荐</h3>{_link_list(related)}</div>\n</div>\n'
        + _comments(rng) + "</main>\n" + sidebar + "</div>\n" + _footer()
    )
    chrome = len(top.encode()) + len(bottom.encode())
    budget = max(rng.randint(*SIZE_RANGE) - chrome, _MIN_BODY)
    body = "".join(f"<p>{_e(p)}</p>\n" for p in _paragraphs(seed, meta, groups, budget))
    return (top + body + bottom).encode("utf-8")


def _pagination(page: int, pages: int) -> str:
    def href(p: int) -> str:
        return "/news/index.html" if p == 1 else f"/news/index_{p}.html"

    links = [f'<a href="{href(1)}">首页</a>']
    if page > 1:
        links.append(f'<a class="prev" href="{href(page - 1)}">上一页</a>')
    for p in range(max(1, page - 4), min(pages, page + 5) + 1):
        links.append(f"<span>{p}</span>" if p == page else f'<a href="{href(p)}">{p}</a>')
    if page < pages:
        links.append(f'<a class="next" href="{href(page + 1)}">下一页</a>')
    links.append(f'<a href="{href(pages)}">尾页</a>')
    return f'<div class="pagination">{"".join(links)}</div>\n'


def _listing_page(page: int, pages: int, metas: list[_Meta], sidebar: str) -> bytes:
    items = "".join(
        f'<li><a href="/news/{m.number}.html" title="{_e(m.title)}">{_e(m.title)}</a>'
        f'<span class="date">{m.published.isoformat()}</span><p class="summary">{_e(m.lead[:60])}…</p></li>\n'
        for m in metas
    )
    title = "医生集团" if page == 1 else f"医生集团_第{page}页"
    return (
        _head(title, "医生集团,多点执业,社会办医", "医生集团新闻列表") + _header()
        + f'<div class="wrap">\n<main class="main-col">\n<h1>医生集团</h1>\n<ul class="news-list">\n{items}</ul>\n'
        + _pagination(page, pages) + "</main>\n" + sidebar + "</div>\n" + _footer()
    ).encode("utf-8")


def _stated(meta: _Meta) -> PageTruth:
    """The page's truth with the figures its body states, once its body is written."""
    return replace(meta.truth, stated=frozenset(attribute for attribute, slot in _FIGURE_SLOTS.items()
                                                if slot in meta.stated))


def generate_site(root: Path, n: int, seed: int = 0) -> SiteInfo:
    """Write a site of `n` articles under `root/site/` for monitor.sites.serve; same seed, same bytes."""
    if n < 1:
        raise ValueError("a site needs at least one article")
    root = Path(root)
    news = root / "site" / "news"
    news.mkdir(parents=True, exist_ok=True)
    (root / "site" / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\nDisallow: /search\n", "utf-8")
    groups = _groups(seed)
    metas = [_meta(seed, number, groups) for number in range(1, n + 1)]
    # The sidebar is the same on every page, as a CMS renders it for the whole site.
    sidebar = _sidebar(_rng(seed, "hot").sample(metas, min(_HOT, n)), metas[::-1][:_LATEST])
    total = 0
    for meta in metas:
        page = _article_page(seed, meta, metas, sidebar, groups)
        (news / f"{meta.number}.html").write_bytes(page)
        total += len(page)
    newest_first = metas[::-1]
    pages = (n + PER_LISTING - 1) // PER_LISTING
    for page in range(1, pages + 1):
        chunk = newest_first[(page - 1) * PER_LISTING: page * PER_LISTING]
        name = "index.html" if page == 1 else f"index_{page}.html"
        (news / name).write_bytes(_listing_page(page, pages, chunk, sidebar))
    return SiteInfo(root=root, articles=n, listings=pages, seed=seed, article_bytes=total,
                    groups=tuple(groups), pages=tuple(_stated(meta) for meta in metas))
