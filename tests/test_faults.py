"""The fault matrix: real processes against hostile input, killed for real.

Each test is one fault an operator might meet — a second crawl on the same database,
a SIGKILL, a page that is not text, a file that is not a database, a bad argument, a
server that cuts a body short or redirects where it should not — and checks that
nothing is duplicated, nothing already stored is lost, and the fault is one clear line.
docs/DAEMON.md's failure table lists each behaviour. Servers listen on 127.0.0.1 only;
processes are waited for with timeouts, never timed.
"""
from __future__ import annotations

import gzip
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import dgwatch
from hostile_web import article_html, drip, hostile_web, listing_html, page, redirect, truncated
from monitor.diff import diff_pending
from storage.articles import ArticleRow, insert_article
from storage.db import open_db
from storage.facts import record_extraction
from storage.records import Entity, Extraction, Fact
from storage.runs import start_run


def write_site_config(tmp_path: Path, web, listing: str = "/list.html", extra: str = "", workers: int = 0,
                      timeout: float = 5) -> Path:
    """A config with one source, `site`, whose listing is `listing` and whose articles are /a/N.html."""
    path = tmp_path / "sources.toml"
    path.write_text(
        f"[crawl]\ndelay = 0\ntimeout = {timeout}\nretries = 0\nworkers = {workers}\n\n"
        f'[[sources]]\nname = "site"\nstart_urls = ["{web.url(listing)}"]\n'
        "article_pattern = '/a/\\d+\\.html$'\n" + extra, "utf-8")
    return path


def start(*args: str, log: Path) -> subprocess.Popen:
    """`dgwatch ARGS` started in the background, its output to `log` (not a pipe: a pipe
    held open by an orphan would hang the test instead of failing it)."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "monitor", *args], stdout=out, stderr=subprocess.STDOUT)


def start_crawl(config: Path, db: Path) -> subprocess.Popen:
    return start("crawl", "--config", str(config), "--db", str(db), log=db.with_suffix(".log"))


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def one_line(stderr: str) -> str:
    """The only line of `stderr`, which must hold no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def pause_at_the_second_article(web) -> None:
    """A listing of two articles, the second of which hangs until `web.release` is set:
    a crawl that asked for it holds its lock (and its workers) until then."""
    web.routes["/list.html"] = page(listing_html("/a/1.html", "/a/2.html"))
    web.routes["/a/1.html"] = page(article_html(1))
    web.routes["/a/2.html"] = web.hang()


# --- one writer -----------------------------------------------------------------------

def test_a_second_crawl_of_one_database_exits_with_one_line_naming_the_first(tmp_path):
    with hostile_web() as web:
        pause_at_the_second_article(web)
        config, db = write_site_config(tmp_path, web), tmp_path / "d.db"
        first = start_crawl(config, db)
        try:
            web.wait_for("/a/2.html")  # the first crawl is mid-way, holding the lock
            second = dgwatch("crawl", "--config", str(config), "--db", str(db))
            daemon = dgwatch("daemon", "--once", "--config", str(config), "--db", str(db))
        finally:
            web.release.set()
            first.wait(120)
    line = one_line(second.stderr)
    assert second.returncode == 2
    assert f"pid {first.pid}" in line and "crawl" in line and str(db) in line
    # The daemon's crawl met the same lock: its run failed, with that line quoted.
    assert daemon.returncode == 1 and f"pid {first.pid}" in daemon.stderr
    assert first.returncode == 0, db.with_suffix(".log").read_text()
    assert rows(db, "SELECT COUNT(*) FROM runs") == [(1,)]  # the second crawls recorded no run
    assert rows(db, "SELECT url FROM articles") == [(web.url("/a/1.html"),)]


def listening_sockets(pid: int) -> list[str]:
    """The TCP sockets process `pid` listens on (its socket inodes found in /proc/net/tcp*)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                found.append(fields[1])
    return found


def test_a_crawl_killed_with_sigkill_opens_no_port_damages_nothing_and_frees_its_lock(tmp_path):
    with hostile_web() as web:
        pause_at_the_second_article(web)
        config, db = write_site_config(tmp_path, web), tmp_path / "d.db"
        first = start_crawl(config, db)
        web.wait_for("/a/2.html")
        if Path("/proc/net/tcp").exists():
            assert listening_sockets(first.pid) == []  # no telnet console, no remote control
        first.kill()
        first.wait(60)
        web.routes["/a/2.html"] = page(article_html(2, group="白桦医生集团"))
        again = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert {u for (u,) in rows(db, "SELECT url FROM articles")} == {web.url("/a/1.html"), web.url("/a/2.html")}
    assert rows(db, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("finished",)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def _pending_facts(db_path: Path, entities: int) -> None:
    """Articles with facts about `entities` doctor groups, stored and not diffed (a crawl killed before its diff)."""
    db = open_db(db_path)
    run_id = start_run(db, ["t"])
    with db.conn:
        for n in range(entities):
            name = f"测试{n}号医生集团"
            url = f"http://example.test/{n}.html"
            article_id = insert_article(db, ArticleRow(
                url=url, canonical_url=url, source="t", title=name, published="2024-01-01", author=None,
                text=name, normalised=name, fingerprint=b"", duplicate_of=None, encoding="utf-8", etag=None,
                last_modified=None, fetched_at="2024-01-01", run_id=run_id))
            extraction = Extraction([Entity(name)], [Fact(name, "partner_hospitals", n + 1, published="2024-01-01",
                                                          url=url), Fact(name, "doctors", 10 * n + 5,
                                                                         published="2024-01-01", url=url)])
            record_extraction(db, article_id, extraction, run_id, "2024-01-01")
    db.close()


def _diff_when_released(db_path: str, barrier) -> None:
    db = open_db(db_path)
    barrier.wait()
    diff_pending(db, None)
    db.close()


@pytest.mark.parametrize("trial", range(4))
def test_two_diffs_racing_in_two_processes_record_each_change_once(tmp_path, trial):
    db_path = tmp_path / "d.db"
    _pending_facts(db_path, entities=20)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    racers = [context.Process(target=_diff_when_released, args=(str(db_path), barrier)) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(120)
        assert racer.exitcode == 0
    kinds = rows(db_path, "SELECT kind, entity_id, COUNT(*) FROM changes GROUP BY kind, entity_id")
    assert len(kinds) == 20 and all(kind == "new_entity" and count == 1 for kind, _, count in kinds)
    assert rows(db_path, "SELECT COUNT(*) FROM facts WHERE diffed = 0") == [(0,)]


def test_an_article_stored_by_another_writer_mid_crawl_is_already_stored_and_no_log_line_holds_a_body(tmp_path):
    marker = "正文标记不应出现在日志里"
    db_path = tmp_path / "d.db"
    with hostile_web() as web:
        body = article_html(1, marker=marker)
        serve_page = page(body)

        def stored_meanwhile(handler):
            # Another writer (say, a crawl of a copy of this config run without the lock)
            # stores the article after this crawl read the known URLs, before it stores it.
            db = open_db(db_path)
            with db.conn:
                insert_article(db, ArticleRow(
                    url=web.url("/a/1.html"), canonical_url=web.url("/a/1.html"), source="site", title="stored first",
                    published=None, author=None, text="kept", normalised="kept", fingerprint=b"", duplicate_of=None,
                    encoding="utf-8", etag=None, last_modified=None, fetched_at="2024-01-01", run_id=None))
            db.close()
            serve_page(handler)

        web.routes["/list.html"] = page(listing_html("/a/1.html"))
        web.routes["/a/1.html"] = stored_meanwhile
        config = write_site_config(tmp_path, web)
        result = dgwatch("crawl", "--verbose", "--config", str(config), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Error processing" not in result.stderr
    assert marker not in result.stderr and marker not in result.stdout
    assert "already stored" in result.stderr
    assert rows(db_path, "SELECT title, text FROM articles") == [("stored first", "kept")]
    assert rows(db_path, "SELECT errors FROM runs") == [(0,)]


# --- no orphans -----------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc's children lists)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()}
            except OSError:
                continue
            todo.extend(kids - found)
            found |= kids
    return {p for p in found if alive(p)}


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout}s: {what}")
        time.sleep(0.1)


def kill_left(pids: set[int]) -> None:
    """SIGKILL what a failed test left running of the processes it started."""
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def analysing_workers(pid: int) -> set[int]:
    return {p for p in descendants(pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()}


def sigkill_and_wait_for_everything_below(proc: subprocess.Popen) -> None:
    """Once an analysing worker runs below `proc`, SIGKILL `proc` and wait for every process below it to exit."""
    below: set[int] = set()
    try:
        wait_until(lambda: analysing_workers(proc.pid), what="an analysing worker")
        below = descendants(proc.pid)
        proc.kill()
        proc.wait(60)
        wait_until(lambda: not any(alive(p) for p in below), what=f"the processes below {proc.pid}, {below}, to exit")
    finally:
        proc.kill()
        proc.wait()
        kill_left(below)


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir() or sys.platform != "linux",
                                reason="parent-death signals and /proc are Linux's")


@needs_proc
def test_a_crawl_killed_with_sigkill_takes_its_analysing_workers_with_it(tmp_path):
    with hostile_web() as web:
        pause_at_the_second_article(web)
        sigkill_and_wait_for_everything_below(start_crawl(write_site_config(tmp_path, web, workers=1),
                                                          tmp_path / "d.db"))


@needs_proc
def test_a_daemon_killed_with_sigkill_takes_its_crawl_with_it(tmp_path):
    with hostile_web() as web:
        pause_at_the_second_article(web)
        # A request that outlasts the test: the crawl would not end on its own.
        config, db = write_site_config(tmp_path, web, workers=1, timeout=600), tmp_path / "d.db"
        daemon = start("daemon", "--once", "--config", str(config), "--db", str(db), log=tmp_path / "daemon.log")
        web.wait_for("/a/2.html")
        sigkill_and_wait_for_everything_below(daemon)
        # The killed crawl left its lock free; the next crawl carries on.
        web.release.set()
        again = dgwatch("crawl", "--config", str(config), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("finished",)]
    assert rows(db, "SELECT url FROM articles") == [(web.url("/a/1.html"),)]


# --- decoding -------------------------------------------------------------------------

def _with_bad_bytes(body: bytes) -> bytes:
    """`body` with two stray bytes and a UTF-8 sequence cut short, in the middle of its text."""
    middle = body.index("合作医院".encode()) + 1
    return body[:middle] + b"\xff\xfe" + body[middle + 1:]


def test_a_utf8_page_with_a_few_bad_bytes_is_read_as_utf8_in_the_crawl_and_extract(tmp_path):
    body = _with_bad_bytes(article_html(1))
    with hostile_web() as web:
        web.routes["/list.html"] = page(listing_html("/a/1.html", "/a/2.html"))
        web.routes["/a/1.html"] = page(body)  # declared in the header and the page
        web.routes["/a/2.html"] = page(_with_bad_bytes(article_html(2, group="白桦医生集团")), content_type=None)
        db = tmp_path / "d.db"
        result = dgwatch("crawl", "--config", str(write_site_config(tmp_path, web)), "--db", str(db))
    assert result.returncode == 0, result.stderr
    stored = rows(db, "SELECT encoding, text FROM articles ORDER BY url")
    assert [encoding for encoding, _ in stored] == ["utf-8", "utf-8"]
    assert "青松医生集团今日宣布" in stored[0][1] and "白桦医生集团今日宣布" in stored[1][1]
    (tmp_path / "bad.html").write_bytes(body)
    extracted = dgwatch("extract", str(tmp_path / "bad.html"))
    assert extracted.returncode == 0 and "青松医生集团今日宣布" in extracted.stdout


@pytest.mark.parametrize("codec, declared", [("utf-8", None), ("utf-8", "utf-8"), ("gbk", None), ("gbk", "gbk")])
def test_a_stray_byte_leaves_a_page_in_its_own_charset(codec, declared):
    from crawler.encoding import decode_html

    text = "<p>" + "青松医生集团今日宣布已与全国十二家合作医院签约。" * 10 + "</p>"
    body = text.encode(codec)
    body = body[:60] + b"\xff" + body[61:]
    decoded, used = decode_html(body, f"text/html; charset={declared}" if declared else None)
    assert used == {"utf-8": "utf-8", "gbk": "gb18030"}[codec]
    assert decoded.count("青松医生集团") >= 9


BINARY = bytes(range(256)) * 40  # NULs and control bytes throughout


@pytest.mark.parametrize("content_type", [None, "application/octet-stream"])
def test_a_body_that_is_not_text_is_rejected_as_not_an_article(tmp_path, content_type):
    with hostile_web() as web:
        web.routes["/list.html"] = page(listing_html("/a/1.html", "/a/2.html"))
        web.routes["/a/1.html"] = page(BINARY, content_type=content_type)
        web.routes["/a/2.html"] = page(b"<p>" + b"\x01\x02\x03\x04\x00" * 200 + b"</p>", content_type=content_type)
        db = tmp_path / "d.db"
        result = dgwatch("crawl", "--config", str(write_site_config(tmp_path, web)), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT COUNT(*) FROM articles") == [(0,)]
    assert {u for (u,) in rows(db, "SELECT url FROM rejected")} == {web.url("/a/1.html"), web.url("/a/2.html")}
    errors = [line for line in result.stderr.splitlines() if "not an article: binary data" in line]
    assert len(errors) == 2 and "Traceback" not in result.stderr
    (tmp_path / "blob").write_bytes(BINARY)
    extracted = dgwatch("extract", str(tmp_path / "blob"))
    assert extracted.returncode == 2 and "binary data" in one_line(extracted.stderr)


def test_oversized_pages_gzip_bombs_and_robots_txt(tmp_path):
    bomb = gzip.compress(b" " * (12 * 2**20))  # 12 KB that inflate to 12 MB
    with hostile_web() as web:
        web.routes["/robots.txt"] = page(b"User-agent: *\nDisallow: /a/3.html\n", "text/plain")
        web.routes["/list.html"] = page(listing_html("/a/1.html", "/a/2.html", "/a/3.html", "/a/4.html"))
        web.routes["/a/1.html"] = page(b"<p>" + b"x" * (11 * 2**20) + b"</p>")
        web.routes["/a/2.html"] = page(bomb, headers={"Content-Encoding": "gzip"})
        web.routes["/a/3.html"] = page(article_html(3))
        web.routes["/a/4.html"] = page(article_html(4))
        db = tmp_path / "d.db"
        result = dgwatch("crawl", "--config", str(write_site_config(tmp_path, web)), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "/a/3.html" not in web.requested
    assert rows(db, "SELECT url FROM articles") == [(web.url("/a/4.html"),)]
    errors = [line for line in result.stderr.splitlines() if "larger than [crawl] max_page_mb = 10" in line]
    assert len(errors) == 2 and any("once decompressed" in line for line in errors), result.stderr
    assert "Traceback" not in result.stderr


# --- the database ---------------------------------------------------------------------

def _a_crawl_config(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text('[[sources]]\nname = "s"\nstart_urls = ["http://127.0.0.1:9/"]\narticle_pattern = "x"\n', "utf-8")
    return path


@pytest.mark.parametrize("command", [["facts"], ["changes"], ["entities"], ["report"], ["crawl", "--config", "C"],
                                     ["daemon", "--once", "--config", "C"]])
def test_a_file_that_is_not_sqlite_is_one_line_and_exit_2_and_left_alone(tmp_path, command):
    db = tmp_path / "notes.db"
    db.write_bytes(b"these are my notes, not a database\n" * 100)
    before = db.read_bytes()
    args = [str(_a_crawl_config(tmp_path)) if a == "C" else a for a in command]
    result = dgwatch(*args, "--db", str(db))
    assert result.returncode == 2 and "notes.db" in one_line(result.stderr) and "not a database" in result.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [["facts"], ["changes"], ["entities"], ["report"]])
def test_read_only_commands_create_nothing(tmp_path, command):
    missing = tmp_path / "nowhere" / "x.db"
    result = dgwatch(*command, "--db", str(missing))
    assert result.returncode == 2 and "no such database" in one_line(result.stderr)
    assert not missing.parent.exists()
    # On a database at rest (no -wal or -shm beside it), reading adds no file either.
    db = tmp_path / "d.db"
    _pending_facts(db, entities=1)
    diff = open_db(db)
    diff_pending(diff, None)
    diff.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    result = dgwatch(*command, "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "测试0号医生集团" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("command", [["facts"], ["crawl", "--config", "C"]])
def test_a_database_from_a_newer_dgwatch_is_refused_not_written(tmp_path, command):
    db = tmp_path / "d.db"
    open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    args = [str(_a_crawl_config(tmp_path)) if a == "C" else a for a in command]
    result = dgwatch(*args, "--db", str(db))
    assert result.returncode == 2 and "newer dgwatch" in one_line(result.stderr)
    assert db.read_bytes() == before
    assert rows(db, "PRAGMA user_version") == [(99,)]


# --- commands -------------------------------------------------------------------------

@pytest.fixture
def small_db(tmp_path) -> Path:
    db = tmp_path / "d.db"
    _pending_facts(db, entities=1)
    handle = open_db(db)
    diff_pending(handle, None)
    handle.close()
    return db


def test_changes_since_not_a_date_is_an_error_like_report_since(small_db):
    for command in ("changes", "report"):
        result = dgwatch(command, "--since", "notadate", "--db", str(small_db))
        assert result.returncode == 2 and "--since 'notadate' is not an ISO date" in one_line(result.stderr)
    assert "测试0号医生集团" in dgwatch("changes", "--since", "2000-01-01", "--db", str(small_db)).stdout


def test_facts_of_an_unknown_entity_says_so_on_stderr(small_db):
    result = dgwatch("facts", "--json", "--entity", "无此医生集团", "--db", str(small_db))
    assert result.returncode == 2 and result.stdout == ""
    assert "no entity named '无此医生集团'" in one_line(result.stderr)
    known = dgwatch("facts", "--json", "--entity", "测试0号医生集团", "--db", str(small_db))
    assert known.returncode == 0 and known.stdout.count("\n") == 2


@pytest.mark.parametrize("setting, key", [
    ("crawl_timeout = 0", "crawl_timeout"), ("crawl_timeout = -5", "crawl_timeout"),
    ("[crawl]\nworkers = 1000", "crawl.workers"), ("[crawl]\ntimeout = nan", "crawl.timeout"),
    ("[crawl]\ndelay = -1", "crawl.delay"), ("[crawl]\nmax_page_mb = inf", "crawl.max_page_mb"),
    ('[email]\nsmtp_host = "h"\nsender = "a@b"\nrecipients = ["c@d"]\nsmtp_port = 70000', "email.smtp_port"),
])
def test_numbers_in_the_config_are_range_checked(tmp_path, setting, key):
    config = tmp_path / "c.toml"
    source = '[[sources]]\nname = "s"\nstart_urls = ["http://127.0.0.1:9/"]\narticle_pattern = "x"\n'
    # A top-level key goes before the first table, a table after the sources.
    config.write_text(f"{source}\n{setting}\n" if setting.startswith("[") else f"{setting}\n{source}", "utf-8")
    result = dgwatch("schedule", "--config", str(config))
    assert result.returncode == 2 and f"{key} must be between" in one_line(result.stderr)


# --- extract URL ----------------------------------------------------------------------

def test_extract_url_has_an_overall_deadline_a_size_cap_and_one_line_for_a_cut_body(tmp_path):
    stop = threading.Event()
    big = b"<html><body><p>" + "医生集团".encode() * (3 * 2**20) + b"</p></body></html>"  # 12 MB
    with hostile_web() as web:
        web.routes["/cut.html"] = truncated(article_html(1), 200)
        web.routes["/drip.html"] = drip(stop)  # a byte every 0.2 s: no read ever times out
        web.routes["/big.html"] = page(big)
        web.routes["/ok.html"] = page(article_html(1))
        try:
            cut = dgwatch("extract", web.url("/cut.html"))
            slow = dgwatch("extract", "--timeout", "2", web.url("/drip.html"), timeout=60)
            large = dgwatch("extract", web.url("/big.html"))
            fine = dgwatch("extract", web.url("/ok.html"))
        finally:
            stop.set()
    assert cut.returncode == 2 and "connection closed after 200 bytes" in one_line(cut.stderr)
    assert slow.returncode == 2 and "no complete answer within 2 s" in one_line(slow.stderr)
    assert large.returncode == 2 and "larger than 10 MB" in one_line(large.stderr)
    assert fine.returncode == 0 and "青松医生集团" in fine.stdout


# --- redirects ------------------------------------------------------------------------

def test_redirect_loops_and_redirects_off_the_source_are_errors_not_followed(tmp_path):
    with hostile_web() as web, hostile_web() as elsewhere:
        elsewhere.routes["/a/9.html"] = page(article_html(9, group="外站医生集团"))
        port = web.base_url.rpartition(":")[2]
        web.routes["/list.html"] = page(listing_html(*(f"/a/{n}.html" for n in range(1, 7))))
        web.routes["/a/1.html"] = redirect("/r/1.html")  # a loop through another page
        web.routes["/r/1.html"] = redirect("/a/1.html")
        web.routes["/a/2.html"] = redirect(elsewhere.url("/a/9.html"))  # same address, another port
        web.routes["/a/3.html"] = redirect(f"http://localhost:{port}/a/9.html")  # another name for this server
        web.routes["/a/4.html"] = redirect(f"http://127.0.0.2:{port}/a/9.html")  # a loopback address not named
        web.routes["/a/5.html"] = redirect("/a/7.html")  # within the source: followed
        web.routes["/a/6.html"] = redirect("/a/6.html")  # to itself
        web.routes["/a/7.html"] = page(article_html(7))
        db = tmp_path / "d.db"
        result = dgwatch("crawl", "--config", str(write_site_config(tmp_path, web)), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT url, canonical_url FROM articles") == [(web.url("/a/5.html"), web.url("/a/7.html"))]
    assert elsewhere.requested == [] and "/a/9.html" not in web.requested
    errors = result.stderr.splitlines()
    for n in (1, 6):
        assert any(web.url(f"/a/{n}.html") in line and "redirect loop" in line for line in errors), result.stderr
    for n in (2, 3, 4):
        assert any(web.url(f"/a/{n}.html") in line and "off the source's hosts" in line for line in errors), result.stderr
    assert rows(db, "SELECT errors FROM runs") == [(5,)]
    assert "Traceback" not in result.stderr


# --- mail -----------------------------------------------------------------------------

def test_a_plaintext_login_warns_once(small_db, monkeypatch, caplog):
    from aiosmtpd.smtp import AuthResult

    from crawler.config import EmailConfig
    from monitor.mailer import PASSWORD_ENV, send_report
    from report_rows import sample_changes
    from smtp_inbox import smtp_server

    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    db = open_db(small_db)
    with smtp_server(auth_require_tls=False, authenticator=lambda *a: AuthResult(success=True)) as (inbox, port):
        config = EmailConfig(smtp_host="127.0.0.1", smtp_port=port, sender="dgwatch@example.org",
                             recipients=["analyst@example.org"], username="analyst", security="none", timeout=5)
        with caplog.at_level("WARNING", logger="monitor.mailer"):
            first = send_report(db, config)
            sample_changes(db)
            second = send_report(db, config)
    assert first.sent and second.sent and len(inbox.messages) == 2
    warnings = [r.getMessage() for r in caplog.records if "unencrypted" in r.getMessage()]
    assert len(warnings) == 1 and f"127.0.0.1:{port}" in warnings[0]


def test_an_smtp_outage_loses_no_mail_and_the_html_report_escapes_hostile_names(tmp_path):
    from smtp_inbox import free_port, smtp_server

    db_path = tmp_path / "d.db"
    db = open_db(db_path)
    run_id = start_run(db, ["t"])
    hostile = '<script>alert("x")</script>医生集团'
    with db.conn:
        article_id = insert_article(db, ArticleRow(
            url="http://example.test/1.html", canonical_url=None, source="t", title="t", published="2024-01-01",
            author=None, text="t", normalised="t", fingerprint=b"", duplicate_of=None, encoding="utf-8", etag=None,
            last_modified=None, fetched_at="2024-01-01", run_id=run_id))
        record_extraction(db, article_id, Extraction([Entity(hostile)], [Fact(hostile, "doctors", 5)]), run_id,
                          "2024-01-01")
    diff_pending(db, run_id)
    db.close()
    port = free_port()
    config = tmp_path / "c.toml"
    config.write_text('[[sources]]\nname = "s"\nstart_urls = ["http://127.0.0.1:9/"]\narticle_pattern = "x"\n'
                      f'[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsender = "d@example.org"\n'
                      'recipients = ["a@example.org"]\ntimeout = 5\n', "utf-8")
    down = dgwatch("report", "--send", "--config", str(config), "--db", str(db_path))
    assert down.returncode == 2 and "cannot connect" in one_line(down.stderr)
    with smtp_server(port) as (inbox, _):
        up = dgwatch("report", "--send", "--config", str(config), "--db", str(db_path))
    assert up.returncode == 0 and len(inbox.messages) == 1
    html = inbox.messages[0].get_body(("html",)).get_content()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    html_file = dgwatch("report", "--since", "2000-01-01", "--format", "html", "--db", str(db_path)).stdout
    assert "<script>alert" not in html_file and "&lt;script&gt;" in html_file


def test_a_crawls_connection_checkpoints_less_often_and_readers_still_see_every_commit(tmp_path):
    from storage.db import BULK_CHECKPOINT_PAGES
    from stored import store_article

    path = tmp_path / "d.db"
    crawl = open_db(path, bulk=True)
    assert crawl.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BULK_CHECKPOINT_PAGES
    assert open_db(path).execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # SQLite's, for other writers
    for n in range(1, 31):
        store_article(crawl, n, text="医生集团" * 2000)  # more than 1,000 WAL pages in all
    # Nothing copied back into the file yet (SQLite's own setting would have, at 1,000 pages) …
    assert path.stat().st_size < 100 * 4096 < 1000 * 4096 < (tmp_path / "d.db-wal").stat().st_size
    # … and every commit is there for a reader.
    reader = open_db(path, readonly=True)
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 30
    crawl.close()
    assert open_db(path, readonly=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 30


def test_a_crawls_pages_are_checkpointed_by_a_thread_of_its_own_and_readers_still_see_every_commit(tmp_path):
    from storage.db import background_checkpoints
    from stored import store_article

    path = tmp_path / "d.db"
    crawl = open_db(path, bulk=True)
    with background_checkpoints(path, every=0.02):
        for n in range(1, 31):
            store_article(crawl, n, text="医生集团" * 2000)  # ~60 WAL pages each, far below the writer's own bound
        wait_until(lambda: path.stat().st_size >= 300 * 4096, timeout=10, what="the pages checkpointed into the file")
        # The pages are in the file, copied there by the checkpointing thread (the writer's
        # own checkpoint would have left it under 100 pages: the test above) …
        assert path.stat().st_size >= 300 * 4096
        assert "dgwatch-checkpoint" in {thread.name for thread in threading.enumerate()}
        # … and every commit is there for a reader.
        assert open_db(path, readonly=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 30
        store_article(crawl, 31, text="医生集团")
    assert "dgwatch-checkpoint" not in {thread.name for thread in threading.enumerate()}
    crawl.close()
    assert open_db(path, readonly=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 31


@pytest.mark.parametrize("kind", ["not a database", "cannot be opened"])
def test_a_failing_background_checkpoint_is_one_warning_naming_the_file(tmp_path, caplog, kind):
    from storage.db import background_checkpoints

    if kind == "not a database":
        path = tmp_path / "not-a-database.db"
        path.write_bytes(b"this is not SQLite" * 100)
    else:
        path = tmp_path / "gone" / "d.db"  # its directory removed under a crawl
    with caplog.at_level("WARNING", logger="storage.db"), background_checkpoints(path, every=0.01):
        wait_until(lambda: caplog.records, timeout=10, what="the checkpointing thread's warning")
    assert len(caplog.records) == 1
    assert str(path) in caplog.records[0].getMessage() and "background checkpoints stopped" in caplog.records[0].getMessage()
