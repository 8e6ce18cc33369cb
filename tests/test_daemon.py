"""The daemon: crawls in subprocesses with a time limit, mail after changes, clean stop.

The first tests drive CrawlRunner in-process with stand-in crawl commands (small Python
scripts), so they need no web site. The last ones run `python -m monitor daemon` for
real against a small site on 127.0.0.1 and stop it with SIGTERM.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.config import EmailConfig, parse_config
from monitor.daemon import CrawlRunner, crawl_command
from storage.db import open_db
from storage.reports import unsent_change_ids
from smtp_inbox import free_port, smtp_server

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
WAIT = 90  # upper bound for a daemon to reach a state; never a timing assertion


# --- CrawlRunner with stand-in crawls --------------------------------------------------

def runner_for(tmp_path, script: str, *, timeout: int = 30, email: EmailConfig | None = None, kill_grace: float = 5.0):
    """A CrawlRunner whose 'crawl' is `script` run by Python, with DB in the environment."""
    config = parse_config({
        "crawl_timeout": timeout,
        "sources": [{"name": "stub", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}],
    })
    config.email = email
    db_path = tmp_path / "dgwatch.db"
    open_db(db_path).conn.close()
    prelude = f"import sys; sys.path[:0] = [{str(REPO)!r}, {str(TESTS)!r}]; DB = {str(db_path)!r}\n"
    runner = CrawlRunner(config, tmp_path / "sources.toml", db_path, kill_grace=kill_grace,
                         command=lambda source: [sys.executable, "-c", prelude + script])
    return runner, db_path


FIND_CHANGE = (
    "from storage.db import open_db\nfrom report_rows import add_change\n"
    "add_change(open_db(DB), 'changed', '星海医生集团', 'doctors', 120, 150, title='星海医生集团扩张')\n"
)


def test_crawl_command_runs_this_interpreter():
    assert crawl_command("c.toml", "d.db", "kanyijie") == [
        sys.executable, "-m", "monitor", "crawl", "--config", "c.toml", "--db", "d.db", "--source", "kanyijie",
    ]


def test_successful_crawl_is_logged_with_its_changes(tmp_path, caplog):
    runner, _ = runner_for(tmp_path, FIND_CHANGE)
    with caplog.at_level(logging.INFO, logger="dgwatch.daemon"):
        outcome = runner.run_source("stub")
    assert (outcome.status, outcome.returncode, outcome.changes) == ("ok", 0, 1)
    assert re.search(r"crawl stub: exit 0 after [\d.]+s; 1 changes", caplog.text)


def test_crashing_crawl_is_reported_and_the_runner_goes_on(tmp_path, caplog):
    runner, _ = runner_for(tmp_path, "print('dgwatch: sources.toml: boom'); raise SystemExit(3)")
    with caplog.at_level(logging.INFO, logger="dgwatch.daemon"):
        first = runner.run_source("stub")
        second = runner.run_source("stub")
    assert (first.status, first.returncode, first.detail) == ("failed", 3, "dgwatch: sources.toml: boom")
    assert second.status == "failed"
    assert caplog.text.count("crawl stub: failed (exit 3)") == 2


def test_hanging_crawl_is_killed_at_crawl_timeout(tmp_path, caplog):
    runner, _ = runner_for(tmp_path, "import time; time.sleep(120)", timeout=1)
    with caplog.at_level(logging.INFO, logger="dgwatch.daemon"):
        outcome = runner.run_source("stub")
    assert outcome.status == "timeout" and outcome.returncode == -signal.SIGTERM
    assert "crawl stub: timed out" in caplog.text and "crawl_timeout = 1s" in caplog.text


def test_crawl_ignoring_sigterm_is_killed(tmp_path):
    script = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(120)"
    runner, _ = runner_for(tmp_path, script, timeout=1, kill_grace=0.5)
    outcome = runner.run_source("stub")
    assert outcome.status == "timeout" and outcome.returncode == -signal.SIGKILL


def test_stop_ends_the_running_crawl_and_starts_no_more(tmp_path):
    runner, _ = runner_for(tmp_path, "import time; time.sleep(120)")
    outcomes = []
    job = threading.Thread(target=lambda: outcomes.append(runner.run_source("stub")))
    job.start()
    while not runner._running:  # wait for the crawl process to exist
        time.sleep(0.05)
    runner.request_stop()
    runner.wait_idle()
    job.join()
    assert outcomes[0].status == "stopped" and outcomes[0].returncode == -signal.SIGTERM
    assert runner.run_source("stub").status == "skipped"


def test_changes_are_mailed_and_a_failed_mail_is_retried_next_run(tmp_path, caplog):
    port = free_port()
    email = EmailConfig(smtp_host="127.0.0.1", smtp_port=port, sender="dgwatch@example.org",
                        recipients=["analyst@example.org"], timeout=5)
    runner, db_path = runner_for(tmp_path, FIND_CHANGE, email=email)
    with caplog.at_level(logging.INFO, logger="dgwatch.daemon"):
        first = runner.run_source("stub")  # no SMTP server yet
        assert first.status == "ok"
        assert f"report: not sent: SMTP 127.0.0.1:{port}: cannot connect" in caplog.text
        db = open_db(db_path)
        assert len(unsent_change_ids(db)) == 1
        with smtp_server(port) as (inbox, _):
            runner.run_source("stub")  # finds one more change; the mail carries both
        assert len(inbox.messages) == 1
        assert inbox.messages[0]["Subject"] == "[dgwatch] 2项变化：星海医生集团"
        assert unsent_change_ids(db) == []
        assert "report: Sent report" in caplog.text


# --- the daemon as a process, against a small site -------------------------------------

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="date" content="{date}"></head><body>
<div class="nav"><a href="/news/index.html">首页</a> | <a href="/news/index.html">医疗资讯</a></div>
<article><h1>{title}</h1><p class="date">{date}</p>
{body}
</article><div class="footer">版权所有 示例新闻网</div></body></html>
"""

ARTICLES = {
    "1.html": ("星海医生集团成立于2015年", "2021-03-15",
               "<p>星海医生集团成立于2015年，拥有120名医生。集团创始人李明在接受采访时表示，"
               "医生集团将继续扩大与各地医院的合作，为患者提供更好的专科服务。</p>"
               "<p>据介绍，星海医生集团目前已与全国20家合作医院建立了长期合作关系。业内人士认为，"
               "医生集团的发展为医疗行业带来了新的活力，也为医生多点执业提供了平台。</p>"),
    "2.html": ("星海医生集团再签约十家医院", "2022-06-01",
               "<p>记者从星海医生集团获悉，集团合作医院已增至30家，医生人数超过150名。"
               "星海医生集团负责人表示，下一步将在华东地区开设新的诊疗中心。</p>"
               "<p>分析人士指出，随着多点执业政策的落地，越来越多的医生加入医生集团，"
               "行业正在从探索期走向规模化发展。</p>"),
}


def write_site(root: Path) -> None:
    news = root / "news"
    news.mkdir(parents=True)
    links = "".join(f'<li><a href="/news/{name}">{title}</a></li>' for name, (title, _, _) in ARTICLES.items())
    (news / "index.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>医疗资讯</title></head>'
        f"<body><h1>医疗资讯</h1><ul>{links}</ul></body></html>", encoding="utf-8")
    for name, (title, date, body) in ARTICLES.items():
        (news / name).write_text(ARTICLE.format(title=title, date=date, body=body), encoding="utf-8")


class Site:
    """The small site on 127.0.0.1; `hold` makes the first request for a path wait for `release`."""

    def __init__(self, root: Path, hold: str | None = None) -> None:
        self.hold, self.reached, self.release = hold, threading.Event(), threading.Event()
        site = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self):
                if site.hold and self.path == site.hold and not site.reached.is_set():
                    site.reached.set()
                    site.release.wait(WAIT)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def silent_server():
    """Accepts connections (the kernel does) and never answers: a crawl of it hangs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


# No politeness delay; a download timeout above crawl_timeout, so a silent site makes a crawl hang.
CRAWL_TABLE = "[crawl]\ndelay = 0\ntimeout = 30\nretries = 0\n"


def write_config(path: Path, sources: dict[str, str], top: str = "", tables: str = "") -> Path:
    """A config crawling each of `sources` (name → base URL) every second (six-field cron)."""
    text = top + CRAWL_TABLE + tables  # TOML: top-level keys before the first table
    for name, base in sources.items():
        text += (f'\n[[sources]]\nname = "{name}"\nstart_urls = ["{base}/news/index.html"]\n'
                 f"article_pattern = '/news/\\d+\\.html$'\nschedule = \"* * * * * *\"\n")
    path.write_text(text, encoding="utf-8")
    return path


class Daemon:
    """`python -m monitor daemon` as a child process with its stderr in a file."""

    def __init__(self, tmp_path: Path, config: Path, *args: str) -> None:
        self.log_path = tmp_path / "daemon.log"
        self.db_path = tmp_path / "dgwatch.db"
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "daemon", "--config", str(config), "--db", str(self.db_path), *args],
            stdout=self.log_file, stderr=subprocess.STDOUT, cwd=tmp_path,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def last_crawl_event(self) -> str:
        """The latest line where a crawl started or ended (skipped runs are not events)."""
        events = re.findall(r"crawl \w+: (?:started|exit|failed|timed out|ended).*", self.log)
        return events[-1] if events else ""

    def wait_until(self, condition) -> None:
        """Wait until `condition()` is true; fails if the daemon exits first."""
        deadline = time.monotonic() + WAIT
        while not condition():
            assert self.proc.poll() is None, f"daemon exited ({self.proc.returncode}):\n{self.log}"
            assert time.monotonic() < deadline, f"condition not reached; daemon log:\n{self.log}"
            time.sleep(0.1)

    def wait_for(self, pattern: str, count: int = 1) -> list[re.Match]:
        """Wait until `pattern` matched `count` times in the log; returns the matches."""
        self.wait_until(lambda: len(re.findall(pattern, self.log)) >= count)
        return list(re.finditer(pattern, self.log))

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(WAIT)
        finally:
            self.log_file.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


@pytest.fixture
def daemon_factory(tmp_path):
    started = []

    def start(config: Path, *args: str) -> Daemon:
        daemon = Daemon(tmp_path, config, *args)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.close()


def count(db_path: Path, sql: str) -> int:
    db = open_db(db_path)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.conn.close()


def test_crawl_killed_midway_is_completed_by_the_next_run(tmp_path, daemon_factory):
    write_site(tmp_path / "site")
    with Site(tmp_path / "site", hold="/news/2.html") as site:
        daemon = daemon_factory(write_config(tmp_path / "sources.toml", {"news": site.url}))
        daemon.wait_for(r"schedule: news ")
        assert site.reached.wait(WAIT), daemon.log  # the crawl is mid-way: 2.html requested
        started = daemon.wait_for(r"crawl news: started \(pid (\d+)\)")[-1]
        os.kill(int(started.group(1)), signal.SIGKILL)
        site.release.set()
        daemon.wait_for(r"crawl news: failed \(exit -9\)")
        daemon.wait_for(r"crawl news: exit 0 after [\d.]+s; \d+ changes")
        assert daemon.terminate() == 0
    log = daemon.log
    assert "SIGTERM received: stopping" in log and log.rstrip().endswith("stopped")
    assert count(daemon.db_path, "SELECT COUNT(*) FROM articles") == 2
    assert count(daemon.db_path, "SELECT COUNT(*) FROM runs WHERE status = 'finished'") >= 1
    assert count(daemon.db_path, "SELECT COUNT(*) FROM runs WHERE status = 'interrupted'") == 1  # the killed one
    assert count(daemon.db_path, "SELECT COUNT(*) FROM runs WHERE status = 'running'") == 0


def test_daemon_kills_a_hanging_crawl_and_keeps_going(tmp_path, daemon_factory):
    with silent_server() as silent:
        config = write_config(tmp_path / "sources.toml", {"hang": silent}, top="crawl_timeout = 4\n")
        daemon = daemon_factory(config, "--kill-grace", "0.5")
        daemon.wait_for(r"crawl hang: timed out after [\d.]+s \(crawl_timeout = 4s\), killed")
        daemon.wait_for(r"crawl hang: started", count=2)  # the next run comes
        # once that crawl has recorded its own run it has repaired the killed one's
        daemon.wait_until(lambda: count(daemon.db_path, "SELECT COUNT(*) FROM runs") == 2)
        assert "crawl hang: started" in daemon.last_crawl_event()
        assert daemon.terminate() == 0  # stopped mid-crawl: the crawl is ended, the daemon exits 0
    log = daemon.log
    assert "crawl hang: ended by shutdown" in log
    assert log.rstrip().endswith("stopped")
    assert count(daemon.db_path, "SELECT COUNT(*) FROM runs WHERE id = 1 AND status = 'interrupted'") == 1


def test_once_crawls_every_source_mails_and_exits(tmp_path, daemon_factory):
    write_site(tmp_path / "site")
    with Site(tmp_path / "site") as site, smtp_server() as (inbox, port):
        mail = (f'[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsender = "dgwatch@example.org"\n'
                'recipients = ["analyst@example.org"]\ntimeout = 5\n')
        daemon = daemon_factory(write_config(tmp_path / "sources.toml", {"news": site.url}, tables=mail), "--once")
        assert daemon.proc.wait(WAIT) == 0, daemon.log
    assert re.search(r"crawl news: exit 0 after [\d.]+s; [1-9]\d* changes", daemon.log)
    assert "--once: 1 crawls, 0 failed" in daemon.log
    (message,) = inbox.messages
    assert "星海医生集团" in message["Subject"]
    assert count(daemon.db_path, "SELECT COUNT(*) FROM changes WHERE report_id IS NULL") == 0
