"""Commands that read what is stored: `facts`, `changes`, `entities`, `runs`."""
from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from crawler.errors import DgwatchError
from monitor.cli import config_option, database_path, db_option, emit_jsonl, iso_since, load_optional_config, main
from monitor.summary import format_change
from storage.changes import list_changes
from storage.db import open_db
from storage.facts import current_facts, list_entities, resolve


def _db(db: str | None, config_path: str | None):
    # Read-only: a mistyped --db is an error, not a new empty database (or directory).
    return open_db(database_path(db, load_optional_config(config_path)), readonly=True)


@main.command("facts")
@click.option("--entity", default=None, help="Only this entity (its key or any alias).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one fact a line.")
@config_option(required=False)
@db_option
def facts_command(entity: str | None, as_json: bool, config_path: str | None, db: str | None) -> None:
    """The current facts: for each entity and attribute, the most recently published value."""
    database = _db(db, config_path)
    if entity is not None and resolve(database, entity) is None:
        raise DgwatchError(f"no entity named {entity!r} (`dgwatch entities` lists the known ones and their aliases)")
    facts = current_facts(database, entity)
    if as_json:
        emit_jsonl(f.to_json() for f in facts)
        return
    table = Table("entity", "attribute", "value", "published", "sources")
    for fact in facts:
        value = f"{fact.value} ({fact.approx})" if fact.approx else str(fact.value)
        table.add_row(fact.entity, fact.attribute, value, fact.published or "", str(fact.sources))
    Console().print(table)


@main.command("changes")
@click.option("--since", default=None, help="Only changes detected at or after this ISO date or time.")
@click.option("--run", "run_id", type=int, default=None, help="Only the changes of this crawl run.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one change a line.")
@config_option(required=False)
@db_option
def changes_command(since: str | None, run_id: int | None, as_json: bool, config_path: str | None, db: str | None) -> None:
    """The recorded changes, oldest first."""
    changes = list_changes(_db(db, config_path), since=iso_since(since), run_id=run_id)
    if as_json:
        emit_jsonl(c.to_json() for c in changes)
        return
    for change in changes:
        click.echo(format_change(change))


@main.command("entities")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one entity a line.")
@config_option(required=False)
@db_option
def entities_command(as_json: bool, config_path: str | None, db: str | None) -> None:
    """The doctor groups and alliances seen, with their aliases."""
    entities = list_entities(_db(db, config_path))
    if as_json:
        emit_jsonl(entities)
        return
    table = Table("entity", "current name", "kind", "aliases")
    for row in entities:
        table.add_row(row["entity"], row["current_name"], row["kind"], ", ".join(row["aliases"]))
    Console().print(table)
