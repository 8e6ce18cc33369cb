"""The report in the readers' language: labels, change kinds and figures as they are written."""
from __future__ import annotations

import pytest

from crawler.config import ConfigError, parse_config
from monitor.figures import format_figure
from monitor.report import build_report, render_html, render_text, subject
from storage.db import open_db
from report_rows import add_change

SOURCE = {"sources": [{"name": "a", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}]}


@pytest.mark.parametrize(("attribute", "value", "approx", "zh", "en"), [
    ("funding", 120_000_000, "", "1.2亿元", "CNY 120 million"),
    ("funding", 50_000_000, "", "5000万元", "CNY 50 million"),
    ("funding", 100_000_000, "more_than", "1亿余元", "more than CNY 100 million"),
    ("funding", 123_456_789, "", "123456789元", "CNY 123,456,789"),
    ("patients_managed", 20_000, "more_than", "2万余名", "more than 20,000"),
    ("patients_managed", 35_000, "about", "约3.5万名", "about 35,000"),
    ("doctors", 120, "more_than", "120多位", "more than 120"),
    ("doctors", 123, "more_than", "超过123位", "more than 123"),
    ("doctors", 90, "about", "约90位", "about 90"),
    ("partner_hospitals", 33, "", "33家", "33"),
    ("members", 100, "more_than", "100多家", "more than 100"),
    ("founded", "2014-07-01", "", "2014年7月1日", "2014-07-01"),
    ("founded", "2018", "", "2018年", "2018"),
    ("founder", "张强", "", "张强", "张强"),
    ("doctors", None, "", "—", "—"),
])
def test_figures_as_readers_write_them(attribute, value, approx, zh, en):
    assert format_figure(attribute, value, approx, "zh") == zh
    assert format_figure(attribute, value, approx, "en") == en


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "dgwatch.db")
    add_change(database, "changed", "星海医生集团", "patients_managed", 20_000, 30_000,
               approx="more_than", old_approx="more_than", evidence="管理3万余名患者")
    add_change(database, "changed", "星海医生集团", "funding", 50_000_000, 120_000_000, old_approx="")
    add_change(database, "new_fact", "张强医生集团", "doctors", None, 120, approx="more_than",
               evidence="拥有120多位医生")
    add_change(database, "new_entity", "沃医名医集团", None, None, "沃医名医集团",
               facts=[{"attribute": "partner_hospitals", "value": 5, "approx": "about", "evidence": "约5家"},
                      {"attribute": "founded", "value": "2016-03", "approx": "", "evidence": "2016年3月成立"}])
    yield database
    database.conn.close()


def test_chinese_and_english_reports_of_the_same_changes(db):
    report = build_report(db)
    zh, en = render_text(report, "zh"), render_text(report, "en")
    for line in ("* 变化 管理患者: 2万余名 → 3万余名", "* 变化 融资: 5000万元 → 1.2亿元",
                 "* 新事实 医生数: 120多位", "* 新集团", "合作医院: 约5家", "成立时间: 2016年3月"):
        assert line in zh
    for line in ("* changed patients managed: more than 20,000 → more than 30,000",
                 "* changed funding: CNY 50 million → CNY 120 million",
                 "* new fact doctors: more than 120", "* new group", "partner hospitals: about 5", "founded: 2016-03"):
        assert line in en
    for machine in ("patients_managed", "partner_hospitals", "120000000", "more_than", "new fact"):
        assert machine not in zh
    assert subject(report) == "[dgwatch] 4项变化：沃医名医集团、星海医生集团等3个集团"
    assert subject(report, language="en") == "[dgwatch] 4 changes: 沃医名医集团, 星海医生集团 +1 more"


def test_html_report_in_both_languages(db):
    report = build_report(db)
    zh, en = render_html(report, "zh"), render_html(report, "en")
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en
    assert "医生集团动态报告" in zh and "5000万元" in zh and "1.2亿元" in zh and "2万余名" in zh
    assert ">新集团<" in zh and ">变化<" in zh and ">新事实<" in zh
    assert "dgwatch change report" in en and "CNY 120 million" in en and ">new group<" in en


def test_the_json_changes_keep_machine_values(db):
    changes = {c.attribute: c.to_json() for c in build_report(db).changes}
    assert changes["patients_managed"]["new"] == 30_000
    assert changes["patients_managed"]["approx"] == "more_than"
    assert changes["funding"]["new"] == 120_000_000 and changes["funding"]["approx"] == ""


def test_report_language_in_the_config():
    assert parse_config(SOURCE).report.language == "zh"
    assert parse_config({**SOURCE, "report": {"language": "en"}}).report.language == "en"
    with pytest.raises(ConfigError, match="report.language must be one of zh, en, got 'fr'"):
        parse_config({**SOURCE, "report": {"language": "fr"}})
    with pytest.raises(ConfigError, match="unknown key 'report.lang'"):
        parse_config({**SOURCE, "report": {"lang": "en"}})
