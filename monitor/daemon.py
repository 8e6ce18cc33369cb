"""`dgwatch daemon`: crawl every source on its cron schedule, mail the report after each crawl.

Each crawl runs as its own process (Scrapy's reactor cannot be restarted inside one
process), one at a time, with a time limit; the daemon only watches it, so a crawl
that crashes or hangs costs that run and nothing else. The configuration is read
once at start; edits take effect on restart.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, TextIO

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from crawler.config import Config, load_config
from crawler.parentdeath import PARENT_ENV
from monitor.notifiers import deliver_all
from monitor.schedule import describe_schedule, parse_cron, source_cron
from storage.changes import count_changes_after
from storage.db import open_db
from storage.runs import last_run_id

__all__ = ["CrawlOutcome", "CrawlRunner", "crawl_command", "describe_schedule", "run_daemon"]

log = logging.getLogger("dgwatch.daemon")

MISFIRE_GRACE_SECONDS = 300
KILL_GRACE_SECONDS = 5.0


@dataclass
class CrawlOutcome:
    """How one crawl run ended: status is ok, failed, timeout, stopped or skipped."""

    source: str
    status: str
    returncode: int | None = None
    duration: float = 0.0
    changes: int = 0
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "stopped", "skipped")


def crawl_command(config_path: str | Path, db_path: str | Path, source: str) -> list[str]:
    """The command line of one crawl of `source`, run with this interpreter."""
    return [sys.executable, "-m", "monitor", "crawl", "--config", str(config_path), "--db", str(db_path), "--source", source]


# The command line's one-line errors read "dgwatch: <message>"; log records "dgwatch: LEVEL …".
_ERROR_LINE = re.compile(r"^dgwatch: (?!(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\b)")


def _last_message(output: str) -> str:
    """The line that best says why a crawl failed: its last one-line error, else its last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR_LINE.match(line)]
    return (errors or lines or [""])[-1][:300]


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    # The crawl leads its own process group, so this reaches anything it started too.
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


class CrawlRunner:
    """Runs crawls one at a time, each in a subprocess with a time limit, and mails the report after.

    `run_source` is the scheduler's job; `request_stop` ends the running crawl (SIGTERM,
    then SIGKILL after `kill_grace` seconds) and keeps any further crawl from starting.
    """

    def __init__(
        self,
        config: Config,
        config_path: str | Path,
        db_path: str | Path,
        *,
        kill_grace: float = KILL_GRACE_SECONDS,
        command: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.config = config
        self.db_path = Path(db_path).resolve()
        config_path = Path(config_path).resolve()
        self.command = command or (lambda source: crawl_command(config_path, self.db_path, source))
        self.kill_grace = kill_grace
        self.stopping = threading.Event()
        self._crawl_lock = threading.Lock()  # one crawl at a time: concurrent diffs would race
        self._state = threading.Condition()
        self._running: dict[str, subprocess.Popen] = {}
        self._active = 0

    def _last_run_id(self) -> int:
        db = open_db(self.db_path)
        try:
            return last_run_id(db)
        finally:
            db.conn.close()

    def _changes_since(self, run_id: int) -> int:
        db = open_db(self.db_path)
        try:
            return count_changes_after(db, run_id)
        finally:
            db.conn.close()

    def run_source(self, name: str) -> CrawlOutcome:
        """Crawl source `name` once (waiting for any other crawl to finish), then mail pending changes."""
        with self._state:
            self._active += 1
        try:
            with self._crawl_lock:
                if self.stopping.is_set():
                    return CrawlOutcome(name, "skipped", detail="daemon stopping")
                outcome = self._crawl(name)
                if not self.stopping.is_set():
                    self._mail()
                return outcome
        except Exception as exc:  # the daemon outlives any one run
            log.error("crawl %s: error in the daemon: %s: %s", name, type(exc).__name__, exc)
            return CrawlOutcome(name, "failed", detail=str(exc))
        finally:
            with self._state:
                self._active -= 1
                self._state.notify_all()

    def _crawl(self, name: str) -> CrawlOutcome:
        baseline = self._last_run_id()
        started = time.monotonic()
        timeout = self.config.crawl_timeout
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as output:
            proc = subprocess.Popen(
                self.command(name), stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
                # Its own session keeps the terminal's ^C from it; this makes it end with the daemon.
                env={**os.environ, PARENT_ENV: str(os.getpid())},
            )
            with self._state:
                self._running[name] = proc
                late = self.stopping.is_set()  # a stop that came while this crawl was starting
            log.info("crawl %s: started (pid %d)", name, proc.pid)
            if late:
                self._end(proc)
            try:
                proc.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
                self._end(proc)
            finally:
                with self._state:
                    self._running.pop(name, None)
            output.seek(0)
            message = _last_message(output.read())
        duration = time.monotonic() - started
        changes = self._changes_since(baseline)
        code = proc.returncode
        if timed_out:
            outcome = CrawlOutcome(name, "timeout", code, duration, changes, f"no result after crawl_timeout = {timeout}s")
            log.warning("crawl %s: timed out after %.1fs (crawl_timeout = %ds), killed; %d changes", name, duration, timeout, changes)
        elif self.stopping.is_set() and code != 0:
            outcome = CrawlOutcome(name, "stopped", code, duration, changes, "ended by daemon shutdown")
            log.info("crawl %s: ended by shutdown (exit %d) after %.1fs; %d changes", name, code, duration, changes)
        elif code == 0:
            outcome = CrawlOutcome(name, "ok", code, duration, changes)
            log.info("crawl %s: exit 0 after %.1fs; %d changes", name, duration, changes)
        else:
            outcome = CrawlOutcome(name, "failed", code, duration, changes, message)
            log.warning("crawl %s: failed (exit %d) after %.1fs; %d changes; %s", name, code, duration, changes, message or "no output")
        return outcome

    def _end(self, proc: subprocess.Popen) -> None:
        """SIGTERM the crawl, SIGKILL it if it is still there after the grace time."""
        if proc.poll() is not None:
            return
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=self.kill_grace)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()

    def _mail(self) -> None:
        """Send the pending changes to every channel; a failure is logged and retried after the next crawl."""
        db = open_db(self.db_path)
        try:
            for delivery in deliver_all(db, self.config, only_pending=True):
                if delivery.error:
                    log.warning("report: not sent: %s", delivery.error)
                elif delivery.result.message:
                    log.info("report: %s", delivery.result.message)
        finally:
            db.conn.close()

    def request_stop(self) -> None:
        """Start no more crawls and end the running one (in the background: safe in a signal handler)."""
        with self._state:
            self.stopping.set()
            running = list(self._running.values())
        for proc in running:
            threading.Thread(target=self._end, args=(proc,), daemon=True).start()

    def wait_idle(self) -> None:
        """Block until no job is running: every crawl ended and logged."""
        with self._state:
            self._state.wait_for(lambda: self._active == 0)


def _setup_logging(stream: TextIO) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s dgwatch daemon: %(message)s", "%Y-%m-%d %H:%M:%S"))
    # APScheduler's own warnings (skipped and missed runs) are logged as one short line each by _log_skip.
    for name, level in (("dgwatch.daemon", logging.INFO), ("apscheduler", logging.ERROR)):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def _log_skip(event: JobEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("crawl %s: run due at %s missed by more than the grace time", event.job_id, event.scheduled_run_time)
    else:
        log.warning("crawl %s: run skipped: the previous one is still running or waiting for another crawl", event.job_id)


def _scheduler(config: Config, runner: CrawlRunner, misfire_grace_time: int) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(executors={"default": ThreadPoolExecutor(max(1, len(config.sources)))})
    scheduler.add_listener(_log_skip, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
    for source in config.sources:
        scheduler.add_job(
            runner.run_source,
            trigger=parse_cron(source_cron(config, source)),
            args=[source.name],
            id=source.name,
            name=f"crawl {source.name}",
            max_instances=1,  # never two crawls of one source
            coalesce=True,  # runs missed while one was going collapse into one
            misfire_grace_time=misfire_grace_time,
        )
    return scheduler


def _run_once(config: Config, runner: CrawlRunner) -> int:
    outcomes = []
    for source in config.sources:
        if runner.stopping.is_set():
            break
        outcomes.append(runner.run_source(source.name))
    failed = [o.source for o in outcomes if not o.ok]
    log.info("--once: %d crawls, %d failed%s", len(outcomes), len(failed), f" ({', '.join(failed)})" if failed else "")
    return 1 if failed else 0


def run_daemon(
    config_path: str | Path,
    db_path: str | Path,
    once: bool = False,
    *,
    misfire_grace_time: int = MISFIRE_GRACE_SECONDS,
    kill_grace: float = KILL_GRACE_SECONDS,
    log_stream: TextIO | None = None,
) -> int:
    """Run until SIGTERM/SIGINT (exit status 0), or with `once` crawl every source once and exit.

    `once` runs every source, not only those due: system cron decides when. Its exit
    status is 1 when a crawl failed or timed out. Raises ConfigError for a bad config.
    """
    config = load_config(config_path)
    _setup_logging(log_stream or sys.stderr)
    runner = CrawlRunner(config, config_path, db_path, kill_grace=kill_grace)
    open_db(runner.db_path).conn.close()  # create and migrate before any crawl, so errors show here
    stop_requested = threading.Event()

    def on_signal(signum: int, _frame) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        stop_requested.set()
        runner.request_stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        log.info(
            "started, pid %d: %d sources, database %s; configuration read once from %s (restart to apply edits)",
            os.getpid(), len(config.sources), runner.db_path, config_path,
        )
        if once:
            return _run_once(config, runner)
        scheduler = _scheduler(config, runner, misfire_grace_time)
        for line in describe_schedule(config, datetime.now().astimezone()).splitlines()[1:]:
            log.info("schedule: %s", line)
        scheduler.start()
        stop_requested.wait()
        scheduler.shutdown(wait=False)
        runner.wait_idle()
        log.info("stopped")
        return 0
    finally:
        runner.request_stop()
        runner.wait_idle()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
