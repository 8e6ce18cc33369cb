"""`dgwatch extract FILE-OR-URL --json`: one JSON object, no database, one-line errors."""
from __future__ import annotations

import json
from datetime import date, timedelta
import socket

import pytest
from click.testing import CliRunner

from conftest import dgwatch
from monitor.cli import main

ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>白塔骨科医生集团合作医院增至20家</title>
<meta name="author" content="林记者"><meta property="article:published_time" content="2022-04-18"></head>
<body>
<nav>首页 | 新闻 | 明德医生集团专题</nav>
<article>
<h1>白塔骨科医生集团合作医院增至20家</h1>
<p>4月16日,白塔骨科医生集团与西城县人民医院签署合作协议,这是该集团今年签约的第三家医院。</p>
<p>白塔骨科医生集团成立于2016年,创始人为骨科专家程远。目前集团拥有骨科医生130余名,合作医院达到20家。</p>
<p>程远表示,集团将继续帮助县级医院提高骨科手术水平,让患者在家门口就能得到规范治疗,并为当地培养更多年轻骨科医生。</p>
</article>
<aside>相关推荐:明德医生集团完成新一轮融资</aside>
<footer>版权所有 © 某健康网</footer>
</body></html>
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "baita.html"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_extract_file_prints_one_json_object(article, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("extract", str(article), "--json")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    page = json.loads(lines[0])
    assert set(page) == {"title", "published", "author", "text", "entities", "facts"}
    assert page["title"] == "白塔骨科医生集团合作医院增至20家"
    assert page["published"] == "2022-04-18"
    assert page["entities"] == ["白塔骨科医生集团"]
    facts = {(f["attribute"], f["value"], f["approx"]) for f in page["facts"]}
    assert facts == {("founded", "2016", ""), ("founder", "程远", ""), ("doctors", 130, "more_than"),
                     ("partner_hospitals", 20, "")}
    for fact in page["facts"]:
        assert fact["entity"] == "白塔骨科医生集团"
        assert fact["evidence"] in page["text"]
        assert fact["published"] == "2022-04-18"
        assert fact["url"].startswith("file://") and fact["url"].endswith("baita.html")
    assert "明德医生集团" not in page["entities"], "names only in chrome are not the article's"
    assert not list(tmp_path.glob("*.db")), "extract touches no database"


def test_extract_takes_no_date_after_today(article, tmp_path):
    later = (date.today() + timedelta(days=200)).isoformat()
    path = tmp_path / "future.html"
    path.write_text(article.read_text(encoding="utf-8").replace("2022-04-18", later), encoding="utf-8")
    page = json.loads(run("extract", str(path), "--json").output)
    assert page["published"] is None


def test_extract_plain_text_file(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("2019年3月8日\n青禾医生集团近日迁入新址,集团目前拥有医生45名。\n", encoding="utf-8")
    page = json.loads(run("extract", str(path), "--json").output)
    assert page["entities"] == ["青禾医生集团"]
    assert [(f["attribute"], f["value"]) for f in page["facts"]] == [("doctors", 45)]


def test_extract_url_from_a_local_server(web):
    page = json.loads(run("extract", f"{web.base_url}/gb/article/2001.html", "--json").output)
    assert page["published"] == "2023-11-05"
    assert page["entities"] == ["晨光医生集团"]
    funding = [f for f in page["facts"] if f["attribute"] == "funding"]
    assert funding and funding[0]["value"] == 100000000
    assert funding[0]["url"] == f"{web.base_url}/gb/article/2001.html"


def test_non_html_url_is_one_clear_error(web):
    result = dgwatch("extract", f"{web.base_url}/traps/news/114.html", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "114.html" in lines[0] and "not an HTML page" in lines[0]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_url_is_one_clear_error():
    url = f"http://127.0.0.1:{_closed_port()}/news/1.html"
    result = dgwatch("extract", url, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"dgwatch: {url}: unreachable (")


def test_missing_file_is_one_clear_error(tmp_path):
    missing = tmp_path / "nope.html"
    result = CliRunner().invoke(main, ["extract", str(missing), "--json"])
    assert result.exit_code == 2
    assert f"{missing}: cannot read" in result.output
