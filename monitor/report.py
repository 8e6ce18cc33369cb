"""The change report: pending changes grouped by entity, rendered as text or HTML (Jinja2)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import sqlite_utils

from monitor.figures import format_figure
from monitor.language import DEFAULT_LANGUAGE, Words, notice_detail, words
from storage.records import CHANGE_KINDS, Change
from storage.changes import list_changes
from storage.health import SourceEvent, list_events
from storage.reports import last_sent_report, unsent_change_ids, unsent_event_ids
from storage.runs import utcnow

KIND_ORDER = {kind: rank for rank, kind in enumerate(CHANGE_KINDS)}
SUBJECT_NAMES = 2


@dataclass
class EntityChanges:
    """The changes of one entity, most important kind first."""

    entity: str
    current_name: str | None
    changes: list[Change]

    def label(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The key, with the current name beside it after a rename."""
        if self.current_name and self.current_name != self.entity:
            return self.entity + words(language).now.format(name=self.current_name)
        return self.entity


@dataclass
class Report:
    """What a report says: `groups` in report order; `since` is when the period began (None: ever)."""

    since: str | None
    generated_at: str
    groups: list[EntityChanges] = field(default_factory=list)
    # Sources that went wrong or recovered (monitor/health.py), in the order it happened.
    events: list[SourceEvent] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [change for group in self.groups for change in group.changes]

    @property
    def change_ids(self) -> list[int]:
        return [change.id for change in self.changes if change.id is not None]

    @property
    def event_ids(self) -> list[int]:
        return [event.id for event in self.events if event.id is not None]

    @property
    def empty(self) -> bool:
        return not self.groups and not self.events


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
    """The changes and source notices no sent report has delivered, or with `since` all of them since then."""
    if since:
        return Report(since=since, generated_at=utcnow(), groups=group_changes(list_changes(db, since=since)),
                      events=list_events(db, since=since))
    last = last_sent_report(db)
    return report_of(db, unsent_change_ids(db), unsent_event_ids(db), since=last.sent_at if last else None)


def report_of(db: sqlite_utils.Database, change_ids: list[int], event_ids: list[int],
              since: str | None = None) -> Report:
    """A report of exactly the changes `change_ids` and source notices `event_ids`; `since` is when
    the period began (None: ever)."""
    wanted = set(change_ids)
    changes = [change for change in list_changes(db) if change.id in wanted] if wanted else []
    return Report(since=since, generated_at=utcnow(), groups=group_changes(changes),
                  events=list_events(db, ids=event_ids) if event_ids else [])


def restrict(report: Report, change_ids: set[int], event_ids: set[int]) -> Report:
    """The same report holding only the changes and notices whose ids are in `change_ids` and `event_ids`."""
    kept = [change for change in report.changes if change.id in change_ids]
    return Report(since=report.since, generated_at=report.generated_at, groups=group_changes(kept),
                  events=[event for event in report.events if event.id in event_ids])


def _counted(text: Words, count: int, groups: int) -> dict[str, object]:
    """The count fields of a summary or subject line, plural-aware where the language has plurals."""
    return {"count": count, "groups": groups, "changes": text.changes_word.get(count != 1, ""),
            "groups_word": text.groups_word.get(groups != 1, "")}


def subject(report: Report, prefix: str = "[dgwatch]", language: str = DEFAULT_LANGUAGE) -> str:
    """"[dgwatch] 5项变化：张强医生集团、哈特瑞姆医生集团等3个集团" (or "… 5 changes: A, B +1 more")."""
    text = words(language)
    count = len(report.changes)
    notices = len(report.events)
    sources = text.subject_sources.format(count=notices, notices=text.notices_word.get(notices != 1, ""))
    if not count:
        return f"{prefix} {sources}" if notices else text.subject_empty.format(prefix=prefix)
    names = [group.entity for group in report.groups]
    shown = text.name_separator.join(names[:SUBJECT_NAMES])
    if len(names) > SUBJECT_NAMES:
        shown += text.subject_more.format(groups=len(names), more=len(names) - SUBJECT_NAMES)
    line = text.subject.format(prefix=prefix, names=shown, **_counted(text, count, len(names)))
    return line + text.subject_joiner + sources if notices else line


def summary_line(report: Report, language: str = DEFAULT_LANGUAGE) -> str:
    """"5项变化，涉及3个集团，统计自2026-01-01" under the report's title."""
    text = words(language)
    return text.summary.format(since=report.since or text.first_crawl,
                               **_counted(text, len(report.changes), len(report.groups)))


def link(url: str | None) -> str | None:
    """`url` if it is safe to put in an href (http or https), else None."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def no_changes_line(report: Report, language: str = DEFAULT_LANGUAGE) -> str:
    """The one line an empty report consists of."""
    text = words(language)
    return text.no_changes_since.format(since=report.since) if report.since else text.no_changes_ever


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
    env.filters["link"] = link
    return env


class Reporter:
    """Renders a Report with one Jinja2 template, in one language."""

    template_name = ""
    autoescape = False

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.words = words(language)
        self._template = _environment(self.autoescape).get_template(self.template_name)

    def value(self, attribute: str | None, value: Any, approx: str = "") -> str:
        """A fact value as a reader writes it (monitor.figures)."""
        return format_figure(attribute, value, approx or "", self.language)

    def attribute(self, attribute: str | None) -> str:
        """The attribute's label in the report's language; an unknown one as it is stored."""
        return self.words.attributes.get(attribute or "", attribute or "")

    def render(self, report: Report, charts: dict[str, str] | None = None) -> str:
        """The report as one string; `charts` maps a group's key to its chart's image src (HTML only)."""
        return self._template.render(
            report=report, subject=subject(report, language=self.language), words=self.words,
            summary=summary_line(report, self.language), no_changes=no_changes_line(report, self.language),
            label=lambda group: group.label(self.language), value=self.value, attribute=self.attribute,
            kind_label=lambda kind: self.words.kinds.get(kind, kind), charts=charts or {},
            notice=lambda event: notice_detail(self.language, event.problem, event.state, event.detail),
        )


class TextReporter(Reporter):
    """Plain text for a terminal, the text part of the mail and chat channels."""

    template_name = "report.txt.j2"


class HtmlReporter(Reporter):
    """HTML with inline CSS for mail clients; every scraped string is escaped."""

    template_name = "report.html.j2"
    autoescape = True


REPORTERS: dict[str, type[Reporter]] = {"text": TextReporter, "html": HtmlReporter}


def render_text(report: Report, language: str = DEFAULT_LANGUAGE) -> str:
    """The report as plain text."""
    return TextReporter(language).render(report)


def render_html(report: Report, language: str = DEFAULT_LANGUAGE, charts: dict[str, str] | None = None) -> str:
    """The report as an HTML document; `charts` as in Reporter.render."""
    return HtmlReporter(language).render(report, charts)
