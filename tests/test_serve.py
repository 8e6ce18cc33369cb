"""`dgwatch serve`: Datasette over the demo database, fetched over HTTP; browsing leaves the database as it was."""
from __future__ import annotations

import hashlib
import io
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rich.console import Console

from conftest import dgwatch
from monitor.browse_links import group_links
from monitor.demo import run_demo
from storage.db import SCHEMA_VERSION, open_db

HARTRIUM = "哈特瑞姆医生集团"
HARTRIUM_NOW = "哈特瑞姆心脏医疗集团"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """The demo's database after both crawls of the sample sites (and nothing holding it open)."""
    workdir = tmp_path_factory.mktemp("demo")
    run_demo(workdir, workdir / "report.html", Console(file=io.StringIO()))
    return workdir


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@contextmanager
def serving(db: Path):
    """`dgwatch serve --db DB --port P` as a user runs it; yields the database's base URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "monitor", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"dgwatch serve did not come up: {process.communicate()[1]}")
                time.sleep(0.2)
        yield process, port, f"{base}/dgwatch"
    finally:
        process.terminate()
        process.communicate(timeout=30)


def query(base: str, name: str, **params: str) -> list[dict]:
    status, body = get(f"{base}/{name}.json?{urlencode({**params, '_shape': 'array'})}")
    assert status == 200, body
    return json.loads(body)


def snapshot(directory: Path) -> dict[str, str]:
    """Every file beside the database (the HTTP cache aside), with a digest of its bytes."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in directory.iterdir() if path.is_file()}


def browse(base: str) -> None:
    """Open the pages an analyst opens, in HTML and JSON, and search."""
    for path in ("", "/entities", "/entities/1", "/facts", "/changes", "/articles", "/sources", "/runs",
                 "/articles?" + urlencode({"_search": HARTRIUM_NOW}), "/groups", "/source_health", "/recent_changes?days=30",
                 "/profile?" + urlencode({"entity": HARTRIUM_NOW}), "/search?q=%E5%91%A8%E6%98%8E",
                 "/history?" + urlencode({"entity": HARTRIUM, "attribute": "partner_hospitals"}),
                 "/group_articles?" + urlencode({"entity": "星海医生集团"})):
        for suffix in ("", ".json"):
            page = path.replace("?", suffix + "?", 1) if "?" in path else path + suffix
            status, body = get(base + (page or ".json"))
            assert status == 200, (page, body[:500])


def test_canned_queries_and_search_over_http(demo_dir):
    with serving(demo_dir / "dgwatch.db") as (_, _, base):
        profile = {row["attribute"]: row for row in query(base, "profile", entity=HARTRIUM_NOW)}
        assert {a: r["value"] for a, r in profile.items()} == {
            "doctors": "200多位", "partner_hospitals": "40家", "patients_managed": "5万余名", "renamed_to": HARTRIUM_NOW}
        hospitals = profile["partner_hospitals"]
        assert hospitals["entity"] == HARTRIUM and hospitals["attribute_label"] == "合作医院"
        assert "合作医院已增至40家" in hospitals["evidence"] and hospitals["published"] == "2022-03-01"
        assert hospitals["url"].endswith("/yijie/news/104.html") and hospitals["article"]

        history = query(base, "history", entity=HARTRIUM_NOW, attribute="partner_hospitals")
        assert [(r["published"], r["value"]) for r in history] == [("2021-05-20", "33家"), ("2022-03-01", "40家")]

        # A short name that is no alias finds the group whose names contain it.
        assert query(base, "profile", entity="哈特瑞姆") == query(base, "profile", entity=HARTRIUM_NOW)
        assert query(base, "profile", entity="无此集团") == []

        funding = {r["attribute"]: r["value"] for r in query(base, "profile", entity="晨光医生集团")}
        assert funding["funding"] == "1亿元"

        for days in ("7", "30", ""):
            changed = [(r["attribute"], r["old"], r["new"], r["url"].rsplit("/", 1)[1])
                       for r in query(base, "recent_changes", days=days) if r["kind"] == "changed"]
            assert ("partner_hospitals", "33家", "40家", "104.html") in changed

        health = {r["source"]: r for r in query(base, "source_health")}
        assert {name: r["articles"] for name, r in health.items()} == {"yijie": 8, "jiankang": 2, "gangtai": 2}
        assert all(r["last_run_status"] == "finished" and r["last_run_errors"] == 0 for r in health.values())
        assert all(r["open_problems"] is None and r["last_crawl_links"] > 0 and r["last_crawl_failures"] == 0
                   for r in health.values())

        articles = query(base, "group_articles", entity=HARTRIUM)
        assert [r["published"] for r in articles] == ["2022-09-01", "2022-03-01", "2021-05-25", "2021-05-20"]

        groups = [r["entity"] for r in query(base, "groups")]
        assert HARTRIUM in groups and HARTRIUM_NOW not in groups and len(groups) == 6

        # Full-text search: a group name (the trigram index), a two-character name (read from the text).
        renamed = {r["title"] for r in query(base, "search", q=HARTRIUM_NOW)}
        assert renamed == {"哈特瑞姆医生集团正式更名", "哈特瑞姆心脏医疗集团发布患者管理数据"}
        founder = query(base, "search", q="周明")
        assert len(founder) == 3 and all("星海医生集团" in r["title"] for r in founder)
        assert query(base, "search", q="周明远") == founder
        table_search = query(base, "articles", _search=HARTRIUM_NOW, _col="title")
        assert {r["title"] for r in table_search} == renamed


def test_pages_link_a_group_to_its_profile_history_articles_and_changes(demo_dir):
    with serving(demo_dir / "dgwatch.db") as (_, _, base):
        entity_id = next(r["entity_id"] for r in query(base, "groups") if r["entity"] == HARTRIUM)
        _, entity_page = get(f"{base}/entities/{entity_id}")
        for link in (f'/dgwatch/profile?{urlencode({"entity": HARTRIUM})}',
                     f'/dgwatch/group_articles?{urlencode({"entity": HARTRIUM})}',
                     f'/dgwatch/changes?entity_id={entity_id}', f'/dgwatch/facts?entity_id={entity_id}&amp;_sort=published'):
            assert f'href="{link}"' in entity_page
        _, profile = get(f"{base}/profile?{urlencode({'entity': HARTRIUM})}")
        history = urlencode({"entity": HARTRIUM, "attribute": "partner_hospitals"}).replace("&", "&amp;")
        assert f'href="/dgwatch/history?{history}">合作医院</a>' in profile
        _, changes = get(f"{base}/recent_changes?days=30")
        assert '<a href="http://127.0.0.1:' in changes and '/yijie/news/104.html">' in changes
        _, home = get(f"{base}")
        for hidden in ("lsh_bands", "listing_links"):
            assert f'href="/dgwatch/{hidden}"' not in home
        assert "集团概况" in home and "全文搜索" in home


def test_an_unknown_or_missing_name_gives_no_rows_not_an_error(demo_dir):
    with serving(demo_dir / "dgwatch.db") as (_, _, base):
        for name in ("profile", "history", "group_articles"):
            assert query(base, name, entity="不存在医生集团", attribute="doctors") == []
            status, page = get(f"{base}/{name}")  # the form, before anything is filled in
            assert status == 200 and "entity" in page
        assert query(base, "search", q="") == [] and query(base, "search", q='"') == []


def test_scraped_names_are_escaped_in_links():
    markup = group_links("/dgwatch", '<script>alert(1)</script>医生集团', 7)
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;医生集团" in markup
    assert 'href="/dgwatch/profile?entity=%3Cscript%3Ealert%281%29%3C%2Fscript%3E' in markup


def test_browsing_changes_no_byte_and_creates_no_file(demo_dir):
    before = snapshot(demo_dir)
    assert "dgwatch.db-wal" not in before  # nothing holds the database open: read as immutable
    with serving(demo_dir / "dgwatch.db") as (process, port, base):
        browse(base)
        assert _listening_addresses(port) in ([], ["127.0.0.1"])
    assert snapshot(demo_dir) == before


def test_a_crawl_opening_the_database_while_serving_is_seen_and_its_files_left_alone(demo_dir, tmp_path):
    db_path = tmp_path / "dgwatch.db"
    db_path.write_bytes((demo_dir / "dgwatch.db").read_bytes())
    with serving(db_path) as (_, _, base):
        assert len(query(base, "groups")) == 6
        # A writer (as a crawl) opens the database: its -wal and -shm appear, a group is added.
        writer = open_db(db_path)
        with writer.conn:
            writer["entities"].insert({"name": "新桥医生集团", "current_name": "新桥医生集团", "kind": "doctor_group"})
        before = snapshot(tmp_path)
        assert {"dgwatch.db-wal", "dgwatch.db-shm"} <= before.keys()
        assert "新桥医生集团" in [r["entity"] for r in query(base, "groups")]
        browse(base)
        after = snapshot(tmp_path)
        writer.conn.close()
    before.pop("dgwatch.db-shm"), after.pop("dgwatch.db-shm")  # the wal-index readers share
    assert after == before


def _listening_addresses(port: int) -> list[str]:
    """The local addresses of sockets listening on `port` (from /proc/net/tcp*; [] elsewhere)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else address)
    return found


@pytest.mark.parametrize("prepare, message", [
    (lambda path: None, "no such database"),
    (lambda path: path.write_text("not sqlite " * 100), "cannot open the database"),
    (lambda path: _older(path), "written by an older dgwatch"),
])
def test_a_database_serve_cannot_read_gets_one_clear_line(tmp_path, prepare, message):
    path = tmp_path / "x.db"
    prepare(path)
    before = snapshot(tmp_path)
    result = dgwatch("serve", "--db", str(path), "--port", str(free_port()), timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr and str(path) in result.stderr
    assert snapshot(tmp_path) == before


def _older(path: Path) -> None:
    open_db(path).conn.close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        conn.commit()


def test_metadata_describes_every_table_and_column_it_shows(tmp_path):
    from monitor.browse_metadata import TABLES

    database = open_db(tmp_path / "fresh.db")
    for table in database.table_names():
        if table.startswith("articles_fts_"):
            continue  # the search index's own tables, hidden by Datasette with it
        assert table in TABLES, f"{table} has no metadata"
        if TABLES[table].get("hidden"):
            continue
        assert TABLES[table]["title"] and TABLES[table]["description"]
        columns = {c.name for c in database[table].columns} - {"id"}
        assert columns == TABLES[table]["columns"].keys(), table
