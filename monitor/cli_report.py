"""Commands: report (print or mail the change report), daemon, schedule."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from crawler.config import REPORT_LANGUAGES
from crawler.errors import DgwatchError
from monitor.cli import config_option, database_path, db_option, fail, iso_since, load_optional_config, main
from monitor.daemon import KILL_GRACE_SECONDS, run_daemon
from monitor.charts import inline_charts
from monitor.language import DEFAULT_LANGUAGE
from monitor.notifiers import channels, deliver_all
from monitor.report import REPORTERS, build_report
from monitor.schedule import describe_schedule
from storage.db import open_db


def existing_db(path: str, readonly: bool = False):
    """Open the database at `path`, which a crawl must have created."""
    if not Path(path).exists():
        raise DgwatchError(f"{path}: no such database (run `dgwatch crawl` first, or pass --db)")
    return open_db(path, readonly=readonly)


@main.command("report")
@click.option("--since", default=None, help="Every change detected since this ISO date or time (default: those no sent report delivered).")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("--send", is_flag=True, help="Mail the report with the config's [email] settings.")
@click.option("--output", type=click.Path(dir_okay=False), default=None, help="Write the report to FILE instead of stdout.")
@click.option("--language", type=click.Choice(REPORT_LANGUAGES), default=None,
              help="Language of the report (default: the config's [report] language, else zh).")
@config_option(required=False)
@db_option
def report_command(since, fmt, send, output, language, config_path, db):
    """Print the change report, write it to a file, or (--send) mail it."""
    config = load_optional_config(config_path)
    language = language or (config.report.language if config else DEFAULT_LANGUAGE)
    since = iso_since(since)
    if send and (config is None or not channels(config)):
        where = f"{config_path} has no [email] section and no [[notify]] table" if config else "no --config given"
        fail(f"report --send needs SMTP settings or a [[notify]] channel: {where}")
    # Only --send writes (delivery state; source notices, as deliver_all records them first):
    # otherwise the report reads the database as it is, alongside a running crawl.
    database = existing_db(database_path(db, config), readonly=not send)
    if output or not send:
        report = build_report(database, since)
        text = REPORTERS[fmt](language).render(report, inline_charts(database, report) if fmt == "html" else None)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
    if send:
        deliveries = deliver_all(database, config, since, language=language)
        for delivery in deliveries:
            if delivery.result is not None:
                click.echo(delivery.result.message)
        failed = [delivery.error for delivery in deliveries if delivery.error]
        if failed:
            fail("; ".join(failed))


@main.command("daemon")
@config_option(required=True)
@db_option
@click.option("--once", is_flag=True, help="Crawl every source once (then mail) and exit; for system cron.")
@click.option("--kill-grace", type=click.FloatRange(min=0), default=KILL_GRACE_SECONDS, show_default=True,
              help="Seconds a crawl being stopped gets after SIGTERM before SIGKILL.")
def daemon_command(config_path, db, once, kill_grace):
    """Crawl every source on its cron schedule until SIGTERM/SIGINT."""
    config = load_optional_config(config_path)
    sys.exit(run_daemon(config_path, database_path(db, config), once=once, kill_grace=kill_grace))


@main.command("schedule")
@config_option(required=True)
def schedule_command(config_path):
    """List every source with its cron expression and next run time."""
    config = load_optional_config(config_path)
    click.echo(describe_schedule(config, datetime.now().astimezone()))
