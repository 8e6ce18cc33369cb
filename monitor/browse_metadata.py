"""What `dgwatch serve` tells Datasette about the database: titles, descriptions, hidden tables, canned queries.

Pages are in Chinese, as the data is; the column names stay those of the schema
(docs/ARCHITECTURE.md), so that a reader can move on to SQL of their own.
"""
from __future__ import annotations

from typing import Any

from storage.canned import CANNED_SQL

DATABASE = "dgwatch"

TABLES: dict[str, dict[str, Any]] = {
    "entities": {
        "title": "集团", "label_column": "name",
        "description": "每个医生集团或联盟一行。name 是首次出现时的名称,永不改变;更名后的名称见 current_name。",
        "columns": {
            "name": "键:首次出现时的规范名称", "current_name": "最近一次更名后的名称", "kind": "doctor_group 或 alliance",
            "first_seen": "首次提到它的文章的发表日期", "first_run_id": "首次出现的抓取批次", "merged_into": "更名时并入的集团",
            "announced_run_id": "报告其为新集团的批次", "first_article_id": "首次提到它的文章",
        },
    },
    "aliases": {
        "title": "别名", "description": "见过的每个名称(繁体、医师写法、简称、更名后的名称)指向其集团。",
        "columns": {"alias": "名称", "entity_id": "所属集团"},
    },
    "facts": {
        "title": "事实", "label_column": "attribute",
        "description": "文章对集团所说的每一句事实,含历史。value 为 JSON(数字或字符串)。",
        "columns": {
            "entity_id": "集团", "attribute": "属性(founded、doctors、partner_hospitals……)", "value": "值,JSON",
            "approx": "'' 精确;more_than 多/余/超过;about 约/近", "evidence": "原文句子",
            "published": "文章发表日期", "url": "文章网址", "article_id": "文章", "run_id": "抓取批次",
            "diffed": "1:已与此前所知比较",
        },
    },
    "current_facts": {
        "title": "当前事实",
        "description": "每个集团每个属性的当前值:发表最晚的文章所说的值。多值属性(设立机构、创始人)每个值一行。",
        "columns": {
            "entity_id": "集团", "attribute": "属性", "slot": "多值属性的值;单值属性为空", "value": "值,JSON",
            "approx": "近似", "fact_id": "给出此值的事实", "published": "该文章的发表日期",
        },
    },
    "changes": {
        "title": "变化", "label_column": "kind",
        "description": "监测记录的每个变化:new_entity 新集团、new_fact 新事实、changed 变化、renamed 更名。",
        "columns": {
            "run_id": "发现它的抓取批次", "kind": "类别", "entity_id": "集团", "attribute": "属性",
            "old": "旧值,JSON", "new": "新值,JSON", "published": "文章发表日期", "url": "文章网址",
            "evidence": "原文句子", "fact_id": "事实", "detected_at": "发现时间 (UTC)",
            "report_id": "发出它的报告;未报告时为空", "extra": "新集团带来的事实,JSON",
        },
    },
    "articles": {
        "title": "文章", "label_column": "title",
        "description": "抓取到的每篇文章及其来源。转载、繁体版和同义改写稿指向原稿 (duplicate_of)。",
        "columns": {
            "url": "链接网址", "canonical_url": "最终网址", "source": "来源", "title": "标题", "published": "发表日期",
            "author": "作者", "text": "正文(原样)", "normalised": "正文(规范化:简体、去拼音)",
            "fingerprint": "MinHash 指纹", "duplicate_of": "原稿", "encoding": "字符编码", "etag": "ETag",
            "last_modified": "Last-Modified", "fetched_at": "抓取时间 (UTC)", "run_id": "抓取批次",
        },
    },
    "sources": {
        "title": "来源", "description": "配置的新闻来源。",
        "columns": {"name": "名称", "config": "配置,JSON", "first_seen": "首次抓取", "walked_at": "最近一次走完列表页的时间"},
    },
    "runs": {
        "title": "抓取批次", "description": "每次抓取:状态、页数、新文章、重复、错误。",
        "columns": {
            "started_at": "开始", "ended_at": "结束", "sources": "来源,JSON", "status": "running、finished、failed 或 interrupted",
            "pages": "请求页数", "articles_new": "新文章", "duplicates": "近似重复", "not_modified": "304 未变",
            "errors": "错误", "message": "说明",
        },
    },
    "reports": {
        "title": "报告", "description": "发出的变化报告。",
        "columns": {"created_at": "生成", "sent_at": "发出", "subject": "主题", "recipients": "收件人", "error": "发送错误"},
    },
    "rejected": {
        "title": "非文章页面", "description": "发现不是文章的页面(非 HTML、无正文),不再抓取。",
        "columns": {"url": "网址", "reason": "原因", "run_id": "抓取批次", "rejected_at": "时间"},
    },
    "seen": {
        "title": "无关文章", "label_column": "title",
        "description": "抓到但未提到任何关键词(医生集团名称)的文章:只记网址、标题和日期,不存正文,不再抓取。",
        "columns": {"url": "链接网址", "canonical_url": "最终网址", "source": "来源", "title": "标题",
                    "published": "发表日期", "run_id": "抓取批次", "seen_at": "抓取时间 (UTC)"},
    },
    "source_crawls": {
        "title": "来源抓取记录", "label_column": "source",
        "description": "每次抓取中每个来源的情况:读到的列表页、文章链接、失败请求,据此判断来源是否出了问题。",
        "columns": {"source": "来源", "crawled_at": "抓取时间 (UTC)", "listings": "读到的列表页(订阅源、站点地图)",
                    "article_links": "文章链接数", "failures": "失败请求", "status": "ok、no_links 或 failed"},
    },
    "source_events": {
        "title": "来源通知", "label_column": "problem",
        "description": "来源出问题(failing 连续失败、no_links 列表页无文章链接、stale 久无新文章)与恢复的通知。",
        "columns": {"source": "来源", "problem": "问题", "state": "started 开始 或 ended 结束", "at": "时间 (UTC)",
                    "detail": "说明", "report_id": "发出它的邮件报告;未发出时为空"},
    },
    "deliveries": {
        "title": "渠道投递", "label_column": "channel",
        "description": "每个聊天或 webhook 渠道([[notify]])收到了哪些变化和来源通知,各自的状态与重试。",
        "columns": {"channel": "渠道名称", "kind": "change 变化 或 event 来源通知", "item_id": "变化或通知的 id",
                    "state": "状态", "claimed_at": "开始投递", "sent_at": "送达", "error": "最近一次错误",
                    "attempts": "尝试次数"},
    },
    # Internal: the near-duplicate index and how its fingerprints were made, the listing
    # pages' links, the search index.
    "lsh_bands": {"hidden": True},
    "lsh_signatures": {"hidden": True},
    "store_settings": {"hidden": True},
    "listing_links": {"hidden": True},
    "articles_fts": {"hidden": True},
}

QUERIES: dict[str, dict[str, str]] = {
    "groups": {"title": "全部集团", "description": "每个集团:别名、最早的事实、当前事实数、文章数、变化数。"},
    "profile": {"title": "集团概况", "description": "一个集团(任一名称)的当前事实,附原文句子、文章及链接。"},
    "history": {"title": "属性历史",
                "description": "一个集团某一属性的全部历史值,按发表日期排列(attribute 如 partner_hospitals、doctors)。"},
    "recent_changes": {"title": "近期变化", "description": "最近 days 天(默认 7,可填 30)发现的变化,附文章链接。"},
    "source_health": {"title": "来源状况", "description": "每个来源:文章数、转载数、最新文章、最近一次抓取的状态与错误,"
                                                "最近一次读到的列表页与文章链接,以及尚未恢复的问题(failing、no_links、stale)。"},
    "group_articles": {"title": "提及该集团的文章", "description": "对该集团给出事实、或提到其任一名称的文章。"},
    "search": {"title": "全文搜索", "description": "标题或正文中含有所填文字的文章(任意长度,如 张强)。"},
}


def metadata() -> dict[str, Any]:
    """Datasette's metadata for the dgwatch database: every table and column described, canned queries."""
    return {
        "title": "dgwatch:医生集团资料库",
        "description": "dgwatch 所知道的一切:每个医生集团、它的历史和出处。只读。",
        "databases": {DATABASE: {
            "title": "医生集团",
            "tables": TABLES,
            "queries": {name: {"sql": CANNED_SQL[name].strip(), "hide_sql": True, **text}
                        for name, text in QUERIES.items()},
        }},
    }
