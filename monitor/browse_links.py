"""A Datasette plugin: links between a group and its pages (profile, history, articles, changes, facts),
and the SQL functions the canned queries call (see storage.canned) for labels and
figures written as the report writes them (monitor.language, monitor.figures).

A group's name, wherever a page shows it (the entities table and the canned queries),
leads to the group's other pages; in a profile, an attribute leads to its history.
Scraped names reach the page only escaped, in the text and in the URLs.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from monitor.figures import format_figure
from monitor.language import words

# Pages are in Chinese, as the data is.
_WORDS = words("zh")


def _link(href: str, label: str) -> str:
    return f'<a href="{escape(href)}">{escape(label)}</a>'


def group_links(base: str, name: str, entity_id: int | None) -> Markup:
    """The name, then links to the group's profile, its articles, and (with its id) its changes and facts."""
    by_name = urlencode({"entity": name})
    links = [_link(f"{base}/profile?{by_name}", "概况"), _link(f"{base}/group_articles?{by_name}", "文章")]
    if entity_id is not None:
        links += [_link(f"{base}/changes?entity_id={entity_id}", "变化"),
                  _link(f"{base}/facts?entity_id={entity_id}&_sort=published", "全部事实")]
    # Kept whole on their lines: a narrow column would otherwise break a name, or a link, anywhere.
    return Markup(f'<span style="white-space: nowrap">{escape(name)}</span><br>'
                  f'<small style="white-space: nowrap">{" · ".join(links)}</small>')


def _get(row: Any, column: str) -> Any:
    return row[column] if column in row.keys() else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Group names and profile attributes as links; every other cell as Datasette shows it."""
    if not isinstance(value, str) or not value:
        return None
    base = datasette.urls.database(database)
    if table == "entities" and column == "name":
        return group_links(base, value, _get(row, "id"))
    if table is None and column == "entity":
        return group_links(base, value, _get(row, "entity_id"))
    if table is None and column == "attribute_label" and _get(row, "entity") and _get(row, "attribute"):
        query = urlencode({"entity": row["entity"], "attribute": row["attribute"]})
        return Markup(_link(f"{base}/history?{query}", value))
    return None


def _figure(attribute: str | None, value: str | None, approx: str | None) -> str | None:
    """A stored JSON value (NULL for none) as the report writes it: 1.2亿元, 2万余名, 120多位."""
    if value is None:
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        decoded = value  # not JSON: shown as stored
    return format_figure(attribute, decoded, approx or "")


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """dg_label(attribute), dg_kind(change kind), dg_figure(attribute, value, approx) on every connection."""
    conn.create_function("dg_label", 1, lambda key: _WORDS.attributes.get(key, key), deterministic=True)
    conn.create_function("dg_kind", 1, lambda key: _WORDS.kinds.get(key, key), deterministic=True)
    conn.create_function("dg_figure", 3, _figure, deterministic=True)
