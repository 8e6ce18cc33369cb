"""The `dgwatch` command line: argument parsing only; the work is in library functions.

Commands live in cli_*.py modules beside this one, grouped by the part of the
project they drive, and register themselves on `main` when imported. Only the module
of the command being run is imported: a crawl does not load the report's templates
or the daemon's scheduler.
"""
from __future__ import annotations

import importlib
import json
import sys
from datetime import datetime, timezone
from typing import Any, Iterable, NoReturn

import click

from crawler.config import Config, load_config, resolve_db
from crawler.errors import DgwatchError


# Each command, and the module that defines it.
COMMAND_MODULES = {
    "crawl": "monitor.cli_crawl", "demo": "monitor.cli_demo", "extract": "monitor.cli_extract",
    "facts": "monitor.cli_facts", "changes": "monitor.cli_facts", "entities": "monitor.cli_facts",
    "report": "monitor.cli_report", "daemon": "monitor.cli_report", "schedule": "monitor.cli_report",
    "sources": "monitor.cli_sources",
    "serve": "monitor.cli_serve",
}


class DgwatchGroup(click.Group):
    """Loads a command's module when the command is asked for; every DgwatchError is one line on stderr, exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | COMMAND_MODULES.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DgwatchError as exc:
            fail(str(exc))


@click.group(cls=DgwatchGroup)
@click.version_option(package_name="dgwatch")
def main() -> None:
    """dgwatch: crawl news about China's doctor groups and report what changed."""


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line naming what was wrong and exit with `code`."""
    click.echo(f"dgwatch: {message}", err=True)
    sys.exit(code)


def db_option(func):
    """The --db option every command takes."""
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False), default=None,
        help="SQLite database (default: the config's db, else ./dgwatch.db).",
    )(func)


def config_option(required: bool):
    """The --config option, required or optional."""
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), required=required, default=None,
        help="TOML configuration file.",
    )


def load_optional_config(config_path: str | None) -> Config | None:
    """Load the configuration if a path was given."""
    return load_config(config_path) if config_path else None


def database_path(db: str | None, config: Config | None) -> str:
    """The database path from --db, the config, or the default."""
    return resolve_db(db, config)


def iso_since(value: str | None) -> str | None:
    """--since as stored timestamps compare: a date stays a date, a time becomes UTC ISO 8601."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise DgwatchError(f"--since {value!r} is not an ISO date or time (e.g. 2026-01-31 or 2026-01-31T08:00:00+08:00)") from None
    if len(value) <= 10:
        return parsed.date().isoformat()
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # a time without offset is local time
    return parsed.astimezone(timezone.utc).isoformat(timespec="seconds")


def emit_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    """Write rows as JSON Lines on stdout, UTF-8, without ASCII escapes."""
    # Bytes, so the output is UTF-8 whatever the terminal's locale says.
    out = sys.stdout.buffer
    for row in rows:
        out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    out.flush()

