"""Mailing the change report: multipart (text + HTML) over SMTP, plain, STARTTLS or SSL.

A report is marked sent only once the server accepted the message; any failure
records the error on the report row, releases its changes for the next attempt and
raises MailError (see storage/reports.py for the claim → send → mark protocol).
"""
from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlite_utils

from crawler.config import EmailConfig
from crawler.errors import DgwatchError
from monitor.charts import draw_charts
from monitor.language import DEFAULT_LANGUAGE
from monitor.report import Report, build_report, no_changes_line, render_html, render_text, restrict, subject
from storage.reports import claim_changes, mark_sent, record_failure, report_event_ids

PASSWORD_ENV = "DGWATCH_SMTP_PASSWORD"

log = logging.getLogger(__name__)
# Servers already warned about in this process: the daemon mails after every crawl.
_warned_plaintext: set[tuple[str, int]] = set()


class MailError(DgwatchError):
    """The report could not be mailed; the message names the server and the step that failed."""


@dataclass
class SendResult:
    """What `send_report` did: `sent` is False when there was nothing to send."""

    sent: bool
    message: str
    report_id: int | None = None
    changes: int = 0
    subject: str | None = None
    refused: dict[str, str] = field(default_factory=dict)


def smtp_password(config: EmailConfig) -> str | None:
    """The SMTP password from DGWATCH_SMTP_PASSWORD; a username without one is a MailError."""
    password = os.environ.get(PASSWORD_ENV)
    if config.username and not password:
        raise MailError(
            f"SMTP {config.smtp_host}:{config.smtp_port}: email.username is {config.username!r} "
            f"but {PASSWORD_ENV} is not set; the password is read only from that variable"
        )
    return password


def build_message(report: Report, config: EmailConfig, language: str = DEFAULT_LANGUAGE,
                  charts: dict[str, bytes] | None = None) -> EmailMessage:
    """The multipart/alternative message: the text report, then the HTML one.

    `charts` (group key → PNG) go with the HTML as related parts it shows by Content-ID.
    """
    message = EmailMessage()
    message["Subject"] = subject(report, config.subject_prefix, language)
    message["From"] = config.sender
    message["To"] = ", ".join(config.recipients)
    message["Date"] = formatdate(localtime=True)
    domain = config.sender.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(render_text(report, language), charset="utf-8")
    cids = {entity: make_msgid("chart", domain=domain) for entity in charts or {}}
    html = render_html(report, language, {entity: "cid:" + cid[1:-1] for entity, cid in cids.items()})
    message.add_alternative(html, subtype="html", charset="utf-8")
    html_part = message.get_payload()[1]
    for number, (entity, cid) in enumerate(cids.items(), start=1):
        html_part.add_related(charts[entity], "image", "png", cid=cid, disposition="inline",
                              filename=f"chart{number}.png")
    return message


def _step(exc: BaseException) -> str:
    """Which part of the SMTP exchange `exc` says failed."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "login rejected"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "all recipients refused"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return "sender refused"
    if isinstance(exc, smtplib.SMTPDataError):
        return "message refused"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "server does not support a required extension"
    if isinstance(exc, ssl.SSLError):
        return "TLS handshake failed"
    if isinstance(exc, (smtplib.SMTPServerDisconnected, socket.timeout, TimeoutError)):
        return "connection lost or timed out"
    if isinstance(exc, OSError):
        return "cannot connect"
    return "SMTP error"


def _detail(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {code} {_decode(text)}" for rcpt, (code, text) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def _warn_plaintext(config: EmailConfig) -> None:
    """Once per server and process: a login without TLS sends the password in clear."""
    server = (config.smtp_host, config.smtp_port)
    if config.security == "none" and server not in _warned_plaintext:
        _warned_plaintext.add(server)
        log.warning("dgwatch: warning: SMTP %s:%d: email.security = \"none\" with email.username: the password "
                    "goes over the network unencrypted; set security = \"starttls\" or \"ssl\"", *server)


def deliver(message: EmailMessage, config: EmailConfig, password: str | None) -> dict[str, str]:
    """Hand `message` to the SMTP server; returns the recipients it refused when it accepted others.

    Raises smtplib / OS errors as they come.
    """
    context = ssl.create_default_context()
    if config.security == "ssl":
        smtp = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=config.timeout, context=context)
    else:
        smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout)
    with smtp:
        if config.security == "starttls":
            smtp.starttls(context=context)
        if config.username:
            _warn_plaintext(config)
            smtp.login(config.username, password or "")
        refused = smtp.send_message(message, from_addr=config.sender, to_addrs=config.recipients)
    return {rcpt: f"{code} {_decode(text)}" for rcpt, (code, text) in refused.items()}


def send_report(db: sqlite_utils.Database, config: EmailConfig, since: str | None = None,
                language: str = DEFAULT_LANGUAGE) -> SendResult:
    """Mail the pending changes (or, with `since`, every change since then) to the configured recipients.

    Nothing to send → no mail, `sent` False. A failure raises MailError after recording
    it; the changes stay pending for the next attempt.
    """
    password = smtp_password(config)
    report = build_report(db, since)
    if report.empty:
        return SendResult(sent=False, message=no_changes_line(report, "en") + " No mail sent.")
    report_id, claimed = claim_changes(db, report.change_ids, config.recipients, event_ids=report.event_ids)
    if since is None:
        # Another sender may hold some of them; mail only what this one claimed.
        report = restrict(report, set(claimed), set(report_event_ids(db, report_id)))
    # With --since the report may repeat changes an earlier report delivered; those keep
    # the report that delivered them first and only the pending ones are claimed.
    message = build_message(report, config, language, draw_charts(db, report))
    title = message["Subject"]
    if report.empty:
        record_failure(db, report_id, "nothing left to send: another sender claimed these changes", title)
        return SendResult(sent=False, message="Another sender is mailing these changes. No mail sent.", report_id=report_id)
    server = f"{config.smtp_host}:{config.smtp_port}"
    try:
        refused = deliver(message, config, password)
    except (smtplib.SMTPException, OSError) as exc:
        error = f"SMTP {server}: {_step(exc)}: {_detail(exc)}"
        record_failure(db, report_id, error, title)
        raise MailError(f"{error}; the report stays pending and is sent by the next attempt") from None
    note = "; ".join(f"{rcpt} refused: {why}" for rcpt, why in refused.items()) or None
    mark_sent(db, report_id, title, note)
    count = len(report.changes)
    return SendResult(
        sent=True,
        message=f"Sent report {report_id} ({count} change{'s' if count != 1 else ''}) to "
        f"{', '.join(config.recipients)} via {server}" + (f"; {note}" if note else ""),
        report_id=report_id,
        changes=count,
        subject=title,
        refused=refused,
    )
