"""The change report: pending changes grouped by entity, rendered as text or HTML (Jinja2)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import sqlite_utils

from storage.records import CHANGE_KINDS, Change
from storage.changes import list_changes
from storage.reports import last_sent_report, unsent_change_ids
from storage.runs import utcnow

KIND_ORDER = {kind: rank for rank, kind in enumerate(CHANGE_KINDS)}
KIND_LABELS = {"new_entity": "new group", "renamed": "renamed", "changed": "changed", "new_fact": "new fact"}
APPROX_LABELS = {"more_than": "more than", "about": "about"}
SUBJECT_NAMES = 2


@dataclass
class EntityChanges:
    """The changes of one entity, most important kind first."""

    entity: str
    current_name: str | None
    changes: list[Change]

    @property
    def label(self) -> str:
        """The key, with the current name beside it after a rename."""
        if self.current_name and self.current_name != self.entity:
            return f"{self.entity} (now {self.current_name})"
        return self.entity


@dataclass
class Report:
    """What a report says: `groups` in report order; `since` is when the period began (None: ever)."""

    since: str | None
    generated_at: str
    groups: list[EntityChanges] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [change for group in self.groups for change in group.changes]

    @property
    def change_ids(self) -> list[int]:
        return [change.id for change in self.changes if change.id is not None]

    @property
    def empty(self) -> bool:
        return not self.groups


def _kind_rank(change: Change) -> int:
    return KIND_ORDER.get(change.kind, len(KIND_ORDER))


def group_changes(changes: list[Change]) -> list[EntityChanges]:
    """Group by entity; groups ordered by their most important change kind, then first detection."""
    groups: dict[str, EntityChanges] = {}
    for change in changes:
        group = groups.setdefault(change.entity, EntityChanges(change.entity, change.current_name, []))
        group.changes.append(change)
    for group in groups.values():
        # sort is stable: within a kind, detection order stays
        group.changes.sort(key=_kind_rank)
    return sorted(groups.values(), key=lambda g: _kind_rank(g.changes[0]))


def build_report(db: sqlite_utils.Database, since: str | None = None) -> Report:
    """The changes no sent report has delivered, or with `since` every change detected since then."""
    if since:
        changes = list_changes(db, since=since)
    else:
        wanted = set(unsent_change_ids(db))
        changes = [change for change in list_changes(db) if change.id in wanted]
        last = last_sent_report(db)
        since = last.sent_at if last else None
    return Report(since=since, generated_at=utcnow(), groups=group_changes(changes))


def restrict(report: Report, change_ids: set[int]) -> Report:
    """The same report holding only the changes whose ids are in `change_ids`."""
    kept = [change for change in report.changes if change.id in change_ids]
    return Report(since=report.since, generated_at=report.generated_at, groups=group_changes(kept))


def subject(report: Report, prefix: str = "[dgwatch]") -> str:
    """"[dgwatch] 5 changes: 张强医生集团, 哈特瑞姆医生集团 +1 more"."""
    count = len(report.changes)
    if not count:
        return f"{prefix} no changes"
    names = [group.entity for group in report.groups]
    shown = ", ".join(names[:SUBJECT_NAMES])
    more = f" +{len(names) - SUBJECT_NAMES} more" if len(names) > SUBJECT_NAMES else ""
    return f"{prefix} {count} change{'s' if count != 1 else ''}: {shown}{more}"


def format_value(value: Any, approx: str = "") -> str:
    """A fact value for people: strings as they are, numbers with an approximation word."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"{APPROX_LABELS[approx]} {text}" if approx in APPROX_LABELS else text


def link(url: str | None) -> str | None:
    """`url` if it is safe to put in an href (http or https), else None."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def no_changes_line(report: Report) -> str:
    """The one line an empty report consists of."""
    return f"No changes since {report.since}." if report.since else "No changes recorded yet."


_TEMPLATES = Path(__file__).with_name("templates")


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["value"] = format_value
    env.filters["link"] = link
    env.globals.update(kind_label=KIND_LABELS.get, no_changes_line=no_changes_line)
    return env


class Reporter:
    """Renders a Report with one Jinja2 template."""

    template_name = ""
    autoescape = False

    def __init__(self) -> None:
        self._template = _environment(self.autoescape).get_template(self.template_name)

    def render(self, report: Report) -> str:
        """The report as one string."""
        return self._template.render(report=report, subject=subject(report))


class TextReporter(Reporter):
    """Plain text for a terminal and the text part of the mail."""

    template_name = "report.txt.j2"


class HtmlReporter(Reporter):
    """HTML with inline CSS for mail clients; every scraped string is escaped."""

    template_name = "report.html.j2"
    autoescape = True


REPORTERS: dict[str, type[Reporter]] = {"text": TextReporter, "html": HtmlReporter}


def render_text(report: Report) -> str:
    """The report as plain text."""
    return TextReporter().render(report)


def render_html(report: Report) -> str:
    """The report as an HTML document."""
    return HtmlReporter().render(report)
