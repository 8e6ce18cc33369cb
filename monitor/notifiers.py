"""The channels a report goes to: mail over SMTP, and chat bots and webhooks through Apprise.

A channel is a Notifier with one method, `send`. Mail keeps its own SMTP path and its
`reports` rows (monitor/mailer.py); every other channel is an Apprise URL — WeCom
(wecombot://), DingTalk (dingtalk://), Feishu (feishu://), Slack, Telegram, a JSON
webhook (json://) … — with its own delivery state per change (storage/deliveries.py),
so each channel gets each change once and retries on its own.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

import sqlite_utils

from crawler.config import EMAIL_CHANNEL, Config, EmailConfig, NotifyChannel
from crawler.errors import DgwatchError
from monitor.language import DEFAULT_LANGUAGE
from monitor.mailer import SendResult, send_report
from monitor.health import refresh_health
from monitor.report import Report, build_report, render_text, report_of, subject
from storage.deliveries import (claim_deliveries, last_delivery, mark_delivered, record_delivery_failure,
                                undelivered_count)
from storage.reports import unsent_change_ids, unsent_event_ids

_SECRET = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Seconds Apprise may take for one channel (its own default is no limit).
NOTIFY_TIMEOUT = 30


class NotifyError(DgwatchError):
    """A channel did not take the report; the message names the channel and why."""


class Notifier:
    """One channel: `send` delivers what it has not had yet, or with `since` every change since then."""

    name = ""

    def send(self, db: sqlite_utils.Database, since: str | None = None, only_pending: bool = False) -> SendResult:
        """Deliver the report; `only_pending` returns at once (sent False) when the channel has nothing new.

        Raises a DgwatchError (MailError, NotifyError) after recording the failure.
        """
        raise NotImplementedError


class EmailNotifier(Notifier):
    """The [email] section: mail over SMTP with everything monitor/mailer.py guarantees."""

    name = EMAIL_CHANNEL

    def __init__(self, config: EmailConfig, language: str = DEFAULT_LANGUAGE) -> None:
        self.config = config
        self.language = language

    def send(self, db: sqlite_utils.Database, since: str | None = None, only_pending: bool = False) -> SendResult:
        if only_pending and since is None and not unsent_change_ids(db) and not unsent_event_ids(db):
            return SendResult(sent=False, message="")
        return send_report(db, self.config, since, self.language)


def expand_secrets(channel: NotifyChannel) -> str:
    """The channel's URL with each `${VAR}` read from the environment; a missing one is a NotifyError."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise NotifyError(f"channel {channel.name}: its url needs the environment variable {name}, which is not set")
        return os.environ[name]
    return _SECRET.sub(value, channel.url)


def _plural(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''}"


class AppriseNotifier(Notifier):
    """A [[notify]] table: the text report, titled with the subject, sent to one Apprise URL."""

    def __init__(self, channel: NotifyChannel, language: str = DEFAULT_LANGUAGE) -> None:
        self.channel = channel
        self.name = channel.name
        self.language = language

    def _apprise(self):
        import apprise  # only when a report goes out: the crawl never loads it

        url = expand_secrets(self.channel)
        sender = apprise.Apprise()
        if not sender.add(url):
            raise NotifyError(f"channel {self.name}: {self.channel.url.partition('://')[0]}:// is not a URL "
                              f"Apprise can send to (see its list of services)")
        return sender

    def _report(self, db: sqlite_utils.Database, since: str | None) -> tuple[Report, dict[str, list[int]]]:
        """The report to send and the items (kind → ids) claimed for this channel by sending it."""
        if since:
            # As with mail: the report shows everything since then; only pending items are claimed.
            report = build_report(db, since)
            return report, claim_deliveries(db, self.name, {"change": report.change_ids, "event": report.event_ids})
        claimed = claim_deliveries(db, self.name)
        return report_of(db, claimed["change"], claimed["event"], since=last_delivery(db, self.name)), claimed

    def send(self, db: sqlite_utils.Database, since: str | None = None, only_pending: bool = False) -> SendResult:
        if only_pending and since is None and not undelivered_count(db, self.name):
            return SendResult(sent=False, message="")
        sender = self._apprise()
        report, claimed = self._report(db, since)
        if report.empty:
            return SendResult(sent=False, message=f"Nothing new for channel {self.name}.")
        title = subject(report, language=self.language)
        problems: list[str] = []

        def keep(entry, _service) -> None:
            if entry.level in ("WARNING", "ERROR", "CRITICAL"):
                problems.append(entry.message.rstrip("."))
        try:
            ok = bool(sender.notify(body=render_text(report, self.language), title=title, body_format="text",
                                    timeout=NOTIFY_TIMEOUT, log_callback=keep))
        except Exception as exc:  # a plugin's own bug must not lose the claim
            ok, problems = False, [f"{type(exc).__name__}: {exc}"]
        if not ok:
            error = f"channel {self.name}: not delivered: {'; '.join(problems) or 'the service refused it'}"
            record_delivery_failure(db, self.name, claimed, error)
            raise NotifyError(f"{error}; the changes stay pending for this channel and are sent by the next attempt")
        mark_delivered(db, self.name, claimed)
        return SendResult(sent=True, message=f"Sent {_plural(len(report.changes))} to channel {self.name}",
                          changes=len(report.changes), subject=title)


NOTIFIERS: dict[str, type[Notifier]] = {"email": EmailNotifier, "apprise": AppriseNotifier}


def channels(config: Config, language: str | None = None) -> list[Notifier]:
    """Every channel the config names: mail first when there is an [email] section, then each [[notify]].

    `language` overrides the config's [report] language.
    """
    language = language or config.report.language
    found: list[Notifier] = [NOTIFIERS["email"](config.email, language)] if config.email else []
    return found + [NOTIFIERS["apprise"](channel, language) for channel in config.notify]


@dataclass
class Delivery:
    """What one channel did with the report: a result, or the error that stopped it."""

    channel: str
    result: SendResult | None = None
    error: str | None = None


def deliver_all(db: sqlite_utils.Database, config: Config, since: str | None = None,
                only_pending: bool = False, language: str | None = None) -> list[Delivery]:
    """Send the report to every channel; one channel failing does not keep the others from theirs.

    Sources that went wrong or recovered since the last look are noticed first (monitor.health).
    """
    refresh_health(db, config)
    outcomes = []
    for notifier in channels(config, language):
        try:
            outcomes.append(Delivery(notifier.name, result=notifier.send(db, since, only_pending)))
        except DgwatchError as exc:  # MailError, NotifyError
            outcomes.append(Delivery(notifier.name, error=str(exc)))
    return outcomes
