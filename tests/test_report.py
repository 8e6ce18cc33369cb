"""The change report: grouping, order, text and HTML rendering, escaping, empty periods, the CLI."""
from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.report import REPORTERS, build_report, render_html, render_text, subject
from storage.db import open_db
from storage.reports import claim_changes, mark_sent
from report_rows import SCRIPT, add_change, sample_changes


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "dgwatch.db")
    yield database
    database.conn.close()


def test_groups_in_kind_order_with_current_name(db):
    sample_changes(db)
    report = build_report(db)
    assert [g.label("en") for g in report.groups] == [
        "星海医生集团",
        "哈特瑞姆医生集团 (now 哈特瑞姆心脏医疗集团)",
        "张强医生集团",
    ]
    assert [[c.kind for c in g.changes] for g in report.groups] == [
        ["new_entity"],
        ["renamed", "changed"],
        ["changed", "new_fact"],
    ]
    assert report.changes[2].title == "合作医院增至40家"


def test_subject_counts_changes_and_names_groups(db):
    sample_changes(db)
    report = build_report(db)
    assert subject(report) == "[dgwatch] 5项变化：星海医生集团、哈特瑞姆医生集团等3个集团"
    assert subject(report, language="en") == "[dgwatch] 5 changes: 星海医生集团, 哈特瑞姆医生集团 +1 more"
    assert subject(report, "[watch]", "en").startswith("[watch] 5 changes")


def test_subject_of_one_change(tmp_path):
    database = open_db(tmp_path / "one.db")
    add_change(database, "new_fact", "张强医生集团", "founder", None, "张强")
    assert subject(build_report(database), language="en") == "[dgwatch] 1 change: 张强医生集团"
    assert subject(build_report(database)) == "[dgwatch] 1项变化：张强医生集团"


def test_text_has_old_new_title_link_date_evidence(db):
    sample_changes(db)
    text = render_text(build_report(db), "en")
    block = text[text.index("== 哈特瑞姆医生集团 (now 哈特瑞姆心脏医疗集团) =="):text.index("== 张强医生集团")]
    assert "* renamed: 哈特瑞姆医生集团 → 哈特瑞姆心脏医疗集团" in block
    assert "* changed partner hospitals: 33 → 40" in block
    assert block.index("renamed") < block.index("partner hospitals")
    for expected in ("合作医院增至40家", "http://news.example.cn/ht/2.html", "2022-03-01", "哈特瑞姆目前已有40家合作医院。"):
        assert expected in block
    assert "doctors: more than 120" in text  # a new group shows the facts it arrived with
    assert text.index("星海医生集团") < text.index("哈特瑞姆医生集团") < text.index("== 张强医生集团")


def test_html_escapes_scraped_text(db):
    sample_changes(db)
    page = render_html(build_report(db))
    assert "<script" not in page.lower()
    assert SCRIPT in html.unescape(page)  # the title and the evidence, shown as text
    assert page.count("&lt;script&gt;") == 2
    assert 'href="http://news.example.cn/ht/2.html"' in page
    assert "（现名 哈特瑞姆心脏医疗集团）" in page
    assert "33" in page and "40" in page and "2022-03-01" in page
    assert "<style" not in page  # inline styles only: mail clients drop style blocks
    assert 'style="' in page


def test_html_links_only_http_urls(db):
    add_change(db, "new_fact", "张强医生集团", "ceo", None, "李四", url="javascript:alert(1)", title="专访")
    page = render_html(build_report(db))
    assert "javascript:" not in page.split("<body", 1)[1].split("专访")[0]
    assert not re.search(r'href="javascript', page)
    assert "专访" in page


def test_empty_period_is_one_line(db):
    ids = sample_changes(db)
    report_id, claimed = claim_changes(db, ids, ["a@example.org"])
    assert claimed == ids
    mark_sent(db, report_id, "subject")
    report = build_report(db)
    assert report.empty
    sent_at = db["reports"].get(report_id)["sent_at"]
    assert render_text(report, "en").strip() == f"No changes since {sent_at}."
    assert f"No changes since {sent_at}." in render_html(report, "en")
    assert subject(report, language="en") == "[dgwatch] no changes"
    assert render_text(report).strip() == f"自{sent_at}以来没有新的变化。"
    assert subject(report) == "[dgwatch] 无新变化"


def test_empty_database_says_so(db):
    assert render_text(build_report(db), "en").strip() == "No changes recorded yet."
    assert render_text(build_report(db)).strip() == "尚无任何变化记录。"


def test_pending_excludes_sent_but_since_includes_them(db):
    first = sample_changes(db)
    report_id, _ = claim_changes(db, first, ["a@example.org"])
    mark_sent(db, report_id, "subject")
    later = add_change(db, "changed", "星海医生集团", "doctors", 120, 130, detected_at="2026-02-01T08:00:00+00:00")
    assert build_report(db).change_ids == [later]
    assert sorted(build_report(db, since="2026-01-01").change_ids) == sorted(first + [later])
    assert build_report(db, since="2026-01-15").change_ids == [later]


def test_claimed_but_unsent_changes_are_still_pending(db):
    ids = sample_changes(db)
    claim_changes(db, ids[:2], ["a@example.org"])  # a sender that has not finished (or died)
    assert sorted(build_report(db).change_ids) == sorted(ids)


def test_reporter_registry(db):
    sample_changes(db)
    report = build_report(db)
    assert set(REPORTERS) == {"text", "html"}
    assert REPORTERS["text"]().render(report) == render_text(report)
    assert REPORTERS["html"]().render(report).lstrip().startswith("<!DOCTYPE html>")


def test_report_command_text_and_html_file(db, tmp_path):
    sample_changes(db)
    path = str(tmp_path / "dgwatch.db")
    result = CliRunner().invoke(main, ["report", "--db", path])
    assert result.exit_code == 0, result.output
    assert "* 变化 合作医院: 33家 → 40家" in result.output
    result = CliRunner().invoke(main, ["report", "--db", path, "--language", "en"])
    assert "* changed partner hospitals: 33 → 40" in result.output

    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", path, "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "&lt;script&gt;" in out.read_text(encoding="utf-8")

    result = CliRunner().invoke(main, ["report", "--db", path, "--since", "2026-02-01"])
    assert result.output.strip() == "自2026-02-01以来没有新的变化。"


def test_report_command_errors(db, tmp_path):
    path = str(tmp_path / "dgwatch.db")
    result = CliRunner().invoke(main, ["report", "--db", path, "--since", "last tuesday"])
    assert result.exit_code == 2 and "--since 'last tuesday'" in result.output

    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "missing.db: no such database" in result.output

    config = tmp_path / "sources.toml"
    config.write_text('[[sources]]\nname = "a"\nstart_urls = ["http://127.0.0.1:9/"]\narticle_pattern = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["report", "--send", "--config", str(config), "--db", path])
    assert result.exit_code == 2
    assert result.output.strip() == f"dgwatch: report --send needs SMTP settings or a [[notify]] channel: {config} has no [email] section and no [[notify]] table"
