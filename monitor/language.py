"""The report's words in each language it is written in ([report] language): labels and phrases.

JSON outputs keep the contract's machine values; only what people read is translated.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crawler.config import REPORT_LANGUAGES as LANGUAGES, ReportSettings

DEFAULT_LANGUAGE = ReportSettings.language


@dataclass(frozen=True)
class Words:
    """Everything the report says in one language; `{…}` fields are filled by the report."""

    html_lang: str
    attributes: dict[str, str]
    kinds: dict[str, str]
    title: str
    now: str  # after a rename: the key, then the current name
    summary: str
    first_crawl: str
    no_changes_since: str
    no_changes_ever: str
    subject: str
    subject_empty: str
    subject_more: str
    subject_sources: str
    subject_joiner: str
    sources_title: str
    problems: dict[str, str]
    started: str
    ended: str
    detected: str
    # What shows a problem (monitor.health.assess's figures), and since when one ended.
    details: dict[str, str]
    name_separator: str
    article: str
    published: str
    link: str
    evidence: str
    generated: str
    changes_word: dict[bool, str] = field(default_factory=dict)  # plural → word, for English counts
    groups_word: dict[bool, str] = field(default_factory=dict)
    notices_word: dict[bool, str] = field(default_factory=dict)


WORDS = {
    "zh": Words(
        html_lang="zh-CN",
        attributes={
            "founded": "成立时间", "founder": "创始人", "ceo": "CEO", "doctors": "医生数",
            "partner_hospitals": "合作医院", "patients_managed": "管理患者", "members": "成员数",
            "renamed_to": "更名为", "funding": "融资", "facility": "医疗机构",
        },
        kinds={"new_entity": "新集团", "renamed": "更名", "changed": "变化", "new_fact": "新事实"},
        title="dgwatch 医生集团动态报告",
        now="（现名 {name}）",
        summary="{count}项变化，涉及{groups}个集团，统计自{since}",
        first_crawl="首次抓取",
        no_changes_since="自{since}以来没有新的变化。",
        no_changes_ever="尚无任何变化记录。",
        subject="{prefix} {count}项变化：{names}",
        subject_empty="{prefix} 无新变化",
        subject_more="等{groups}个集团",
        subject_sources="{count}条来源提醒",
        subject_joiner="；",
        sources_title="来源状态",
        problems={"failing": "连续抓取失败", "no_links": "列表页不再产生文章链接，网站版式或链接规则可能已改变",
                  "stale": "长时间没有新文章"},
        started="异常",
        ended="已恢复",
        detected="检测于",
        details={"failing": "最近{crawls}次抓取都没有读到列表页（最后一次有{failures}个请求失败）",
                 "no_links": "读到{listings}个列表页，没有一个链接符合 article_pattern",
                 "stale": "自{since}以来没有新文章（stale_after = {days}天）", "ended": "异常始于{since}"},
        name_separator="、",
        article="文章",
        published="发布于",
        link="链接",
        evidence="原文",
        generated="dgwatch 生成于 {at}",
    ),
    "en": Words(
        html_lang="en",
        attributes={
            "founded": "founded", "founder": "founder", "ceo": "CEO", "doctors": "doctors",
            "partner_hospitals": "partner hospitals", "patients_managed": "patients managed",
            "members": "members", "renamed_to": "renamed to", "funding": "funding", "facility": "facility",
        },
        kinds={"new_entity": "new group", "renamed": "renamed", "changed": "changed", "new_fact": "new fact"},
        title="dgwatch change report",
        now=" (now {name})",
        summary="{count} {changes} in {groups} {groups_word}, since {since}",
        first_crawl="the first crawl",
        no_changes_since="No changes since {since}.",
        no_changes_ever="No changes recorded yet.",
        subject="{prefix} {count} {changes}: {names}",
        subject_empty="{prefix} no changes",
        subject_more=" +{more} more",
        subject_sources="{count} source {notices}",
        subject_joiner="; ",
        sources_title="Sources",
        problems={"failing": "crawls failing", "no_links": "listing pages yield no article links: "
                  "the site's layout or the article_pattern may have changed", "stale": "no new articles"},
        started="broken",
        ended="recovered",
        detected="detected",
        details={"failing": "the last {crawls} crawls read no listing page ({failures} failed requests in the last)",
                 "no_links": "{listings} listing pages, no link matching article_pattern",
                 "stale": "no new article since {since} (stale_after = {days} days)", "ended": "since {since}"},
        name_separator=", ",
        article="article",
        published="published",
        link="link",
        evidence="evidence",
        generated="Generated {at} by dgwatch.",
        changes_word={False: "change", True: "changes"},
        groups_word={False: "group", True: "groups"},
        notices_word={False: "notice", True: "notices"},
    ),
}


def words(language: str) -> Words:
    """The Words of `language`; an unknown one is a ValueError (the config validates it first)."""
    try:
        return WORDS[language]
    except KeyError:
        raise ValueError(f"no report language {language!r} (have: {', '.join(LANGUAGES)})") from None


def notice_detail(language: str, problem: str, state: str, detail: str | dict[str, Any]) -> str:
    """What shows a source's problem (or, once it ended, since when it lasted) in `language`.

    `detail` is assess's figures, or their JSON as stored with a notice; text that is not
    such JSON is shown as it is."""
    figures = detail
    if isinstance(detail, str):
        try:
            figures = json.loads(detail) if detail else {}
        except ValueError:
            return detail
    template = words(language).details.get("ended" if state == "ended" else problem)
    if not isinstance(figures, dict) or template is None:
        return detail if isinstance(detail, str) else ""
    try:
        return template.format(**figures)
    except (KeyError, IndexError):
        return detail if isinstance(detail, str) else json.dumps(figures, ensure_ascii=False)
