"""The hand-written baseline of bench.crawl_throughput stores every article's url, title and text."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.sitegen import generate_site
from monitor.sites import serve

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("pool", [False, True], ids=["in-process", "pooled"])
def test_the_hand_written_spider_stores_each_article_once_with_its_text(tmp_path, pool):
    site = generate_site(tmp_path / "web", 25, seed=3)
    db = tmp_path / "hand.db"
    with serve(site.root) as web:
        result = subprocess.run(
            [sys.executable, "-m", "bench.handwritten", web.base_url + site.start_path, site.article_pattern,
             site.follow_pattern, str(db)] + (["--pool"] if pool else []),
            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["articles"] == 25 and figures["pages"] == 25 + site.listings
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, title, text FROM articles").fetchall()
    assert {url.removeprefix(web.base_url) for url, _, _ in rows} == {site.article_path(i) for i in range(1, 26)}
    assert all(title and len(text) > 200 for _, title, text in rows)
