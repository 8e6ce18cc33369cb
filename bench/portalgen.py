"""A generated broad health-industry portal: N articles, of which only a few are about doctor groups.

`generate_portal(root, n, relevant, seed)` writes the site of bench.sitegen (same chrome,
listings, sidebar and robots.txt) and then gives every article but `relevant` of them,
spread evenly, an off-topic title and body — hospital rankings, drug procurement,
insurance, vaccines — that names no doctor group. The sidebar, related links and
comments around them still name doctor groups, as a real portal's chrome would, so a
relevance check that read the whole page instead of the article would keep everything.
"""
from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

from bench import vocabulary as v
from bench.sitegen import SiteInfo, generate_site

_TITLES = (
    "{c}{h}获批国家区域医疗中心", "{c}医保局公布第{k}批集中带量采购结果", "{c}启动{y}年流感疫苗接种工作",
    "{c}{h}互联网医院上线复诊续方服务", "{c}出台公立医院薪酬制度改革方案", "{c}发布{y}年度医疗服务价格调整清单",
    "{c}{h}新院区主体工程封顶", "{c}卫健委通报{y}年上半年医疗质量检查结果",
)
_SENTENCES = (
    "{c}{h}近日宣布，新建的门诊综合楼将于{y}年投入使用，设计床位{beds}张。",
    "据{c}医保局介绍，本批集中带量采购共涉及{k}个品种，平均降价{pct}%。",
    "该院院长表示，医院将继续推进分级诊疗，与{k}家社区卫生服务中心建立转诊通道。",
    "{c}卫健委相关负责人指出，{y}年全市二级以上公立医院门诊量同比增长{pct}%。",
    "按照方案，{c}将在{y}年底前实现检查检验结果在全市{k}家医院互认。",
    "{c}疾控中心提醒，老年人和慢性病患者应尽早接种流感疫苗，目前已开放接种点{k}个。",
    "业内人士认为，医疗器械集采常态化之后，医院耗材支出有望下降{pct}%左右。",
    "{h}信息科负责人介绍，互联网医院上线以来已完成线上复诊{beds}人次。",
    "{c}还将新增儿科、精神科等紧缺专业住院医师规范化培训名额{k}个。",
    "在{c}，参保人员异地就医直接结算的定点医疗机构已经超过{beds}家。",
)
_BODY = re.compile(r'(<div class="article-content">\n).*?(</div>\n<div class="editor">)', re.S)


@dataclass(frozen=True)
class PortalInfo:
    """The generated portal: the site as bench.sitegen describes it, and which articles are relevant."""

    site: SiteInfo
    relevant: tuple[int, ...]  # article numbers whose body is about a doctor group


def _off_topic(rng: random.Random) -> tuple[str, list[str]]:
    def slots() -> dict[str, object]:
        return {"c": rng.choice(v.CITIES), "h": rng.choice(v.HOSPITAL_KINDS),
                "y": rng.randint(2018, 2026), "k": rng.randint(3, 60), "pct": rng.randint(5, 60),
                "beds": rng.randint(200, 3000)}

    title = rng.choice(_TITLES).format(**slots())
    paragraphs = ["".join(template.format(**slots()) for template in rng.sample(_SENTENCES, 4)) for _ in range(rng.randint(4, 12))]
    return title, paragraphs


def _rewrite(page: str, title: str, paragraphs: list[str]) -> str:
    escaped = html.escape(title)
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    page = _BODY.sub(lambda m: m[1] + body + m[2], page, count=1)
    page = re.sub(r"<h1>.*?</h1>", f"<h1>{escaped}</h1>", page, count=1)
    page = re.sub(r"<title>.*?_", f"<title>{escaped}_", page, count=1)
    return re.sub(r'<meta name="description" content="[^"]*">', f'<meta name="description" content="{escaped}">',
                  page, count=1)


def generate_portal(root: Path, n: int = 200, relevant: int = 5, seed: int = 0) -> PortalInfo:
    """Write a portal of `n` articles under `root/site/`, `relevant` of them about doctor groups."""
    if not 0 <= relevant <= n:
        raise ValueError("relevant articles must be between 0 and n")
    site = generate_site(root, n, seed)
    keep = tuple(sorted({1 + i * n // relevant for i in range(relevant)})) if relevant else ()
    rng = random.Random(f"portal-{seed}")
    for number in range(1, n + 1):
        if number in keep:
            continue
        path = site.article_file(number)
        title, paragraphs = _off_topic(rng)
        path.write_text(_rewrite(path.read_text("utf-8"), title, paragraphs), "utf-8")
    return PortalInfo(site, keep)
