"""Mailing the report through a real SMTP server (aiosmtpd) on 127.0.0.1."""
from __future__ import annotations

import datetime
import ipaddress
import ssl
from datetime import timedelta

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from crawler.config import EmailConfig
from monitor.cli import main
from monitor.mailer import PASSWORD_ENV, MailError, send_report
from storage.db import open_db
from storage.reports import STALE_CLAIM, claim_changes, get_report, unsent_change_ids
from storage.runs import utcnow
from report_rows import SCRIPT, add_change, sample_changes
from smtp_inbox import free_port, smtp_server


def check_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data == (b"analyst", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def email_config(port: int, **kw) -> EmailConfig:
    return EmailConfig(
        smtp_host="127.0.0.1", smtp_port=port, sender="dgwatch@example.org",
        recipients=kw.pop("recipients", ["analyst@example.org"]), timeout=5, **kw,
    )


@pytest.fixture
def tls_context(tmp_path, monkeypatch):
    """A server TLS context with a self-signed certificate for 127.0.0.1 that the client trusts."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the client's default context trusts it
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "dgwatch.db")
    yield database
    database.conn.close()


def parts(message):
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    page = message.get_body(preferencelist=("html",)).get_content()
    return text, page


def test_report_arrives_with_text_and_escaped_html(db):
    sample_changes(db)
    with smtp_server() as (inbox, port):
        result = send_report(db, email_config(port))
    assert result.sent and result.changes == 5
    (message,) = inbox.messages
    assert message["Subject"] == "[dgwatch] 5项变化：星海医生集团、哈特瑞姆医生集团等3个集团"
    assert message["From"] == "dgwatch@example.org" and message["To"] == "analyst@example.org"
    text, page = parts(message)
    assert "* 变化 合作医院: 33家 → 40家" in text
    assert SCRIPT in text  # text is not markup: shown as it was scraped
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert "哈特瑞姆心脏医疗集团" in page
    row = get_report(db, result.report_id)
    assert row.sent_at and row.error is None and row.subject == message["Subject"]
    assert unsent_change_ids(db) == []


def test_nothing_to_send_sends_nothing(db):
    with smtp_server() as (inbox, port):
        result = send_report(db, email_config(port))
    assert not result.sent and "No mail sent" in result.message
    assert inbox.messages == []


def test_server_down_keeps_report_pending_then_sends_it_once(db):
    ids = sample_changes(db)
    port = free_port()
    with pytest.raises(MailError) as failure:
        send_report(db, email_config(port))
    assert f"SMTP 127.0.0.1:{port}: cannot connect" in str(failure.value)
    assert sorted(unsent_change_ids(db)) == sorted(ids)
    failed = db.execute("SELECT id, sent_at, error FROM reports").fetchall()
    assert len(failed) == 1 and failed[0][1] is None and "cannot connect" in failed[0][2]

    with smtp_server(port) as (inbox, _):
        first = send_report(db, email_config(port))
        second = send_report(db, email_config(port))
    assert first.sent and first.changes == len(ids)
    assert not second.sent
    assert len(inbox.messages) == 1
    assert unsent_change_ids(db) == []


def test_only_new_changes_go_in_the_next_report(db):
    sample_changes(db)
    with smtp_server() as (inbox, port):
        send_report(db, email_config(port))
        later = add_change(db, "changed", "星海医生集团", "doctors", 120, 150, title="星海扩张")
        result = send_report(db, email_config(port))
    assert result.sent and result.changes == 1
    assert db["changes"].get(later)["report_id"] == result.report_id
    assert inbox.messages[1]["Subject"] == "[dgwatch] 1项变化：星海医生集团"


def test_login_with_password_from_environment(db, monkeypatch):
    sample_changes(db)
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    with smtp_server(auth_require_tls=False, authenticator=check_login) as (inbox, port):
        result = send_report(db, email_config(port, username="analyst"))
    assert result.sent and len(inbox.messages) == 1


def test_rejected_login_is_one_clear_error_and_stays_pending(db, monkeypatch):
    ids = sample_changes(db)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    with smtp_server(auth_require_tls=False, authenticator=check_login) as (inbox, port):
        with pytest.raises(MailError) as failure:
            send_report(db, email_config(port, username="analyst"))
    message = str(failure.value)
    assert message.startswith(f"SMTP 127.0.0.1:{port}: login rejected: 535")
    assert "\n" not in message
    assert inbox.messages == []
    assert sorted(unsent_change_ids(db)) == sorted(ids)


def test_username_without_password_fails_before_connecting(db, monkeypatch):
    sample_changes(db)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(MailError, match=PASSWORD_ENV):
        send_report(db, email_config(free_port(), username="analyst"))
    assert db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 0


def test_all_recipients_refused_is_a_failure(db):
    sample_changes(db)
    with smtp_server() as (inbox, port):
        with pytest.raises(MailError, match="all recipients refused: nobody@refused.example: 550"):
            send_report(db, email_config(port, recipients=["nobody@refused.example"]))
    assert inbox.messages == []
    assert unsent_change_ids(db) != []


def test_some_recipients_refused_still_sends_and_notes_it(db):
    sample_changes(db)
    with smtp_server() as (inbox, port):
        result = send_report(db, email_config(port, recipients=["analyst@example.org", "nobody@refused.example"]))
    assert result.sent and list(result.refused) == ["nobody@refused.example"]
    assert inbox.envelopes[0].rcpt_tos == ["analyst@example.org"]
    assert "nobody@refused.example refused" in get_report(db, result.report_id).error


def test_report_send_command(db, tmp_path):
    sample_changes(db)
    config = tmp_path / "sources.toml"
    with smtp_server() as (inbox, port):
        config.write_text(
            '[[sources]]\nname = "a"\nstart_urls = ["http://127.0.0.1:9/"]\narticle_pattern = "x"\n'
            f'[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsender = "dgwatch@example.org"\n'
            'recipients = ["analyst@example.org"]\ntimeout = 5\n',
            encoding="utf-8",
        )
        args = ["report", "--send", "--config", str(config), "--db", str(tmp_path / "dgwatch.db")]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Sent report 1 (5 changes) to analyst@example.org")
        again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "No mail sent" in again.output
    assert len(inbox.messages) == 1

    add_change(db, "changed", "星海医生集团", "doctors", 120, 150)
    down = CliRunner().invoke(main, args)  # the server has stopped
    assert down.exit_code == 2
    assert down.output.count("\n") == 1 and f"SMTP 127.0.0.1:{port}: cannot connect" in down.output


def test_starttls_then_login(db, tls_context, monkeypatch):
    sample_changes(db)
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    server = {"tls_context": tls_context, "require_starttls": True, "authenticator": check_login}
    with smtp_server(**server) as (inbox, port):
        result = send_report(db, email_config(port, security="starttls", username="analyst"))
    assert result.sent and len(inbox.messages) == 1


def test_implicit_ssl(db, tls_context):
    sample_changes(db)
    with smtp_server(ssl_context=tls_context) as (inbox, port):
        result = send_report(db, email_config(port, security="ssl"))
    assert result.sent and len(inbox.messages) == 1


def test_starttls_to_a_server_without_it_is_a_clear_error(db):
    sample_changes(db)
    with smtp_server() as (inbox, port):
        with pytest.raises(MailError, match=f"SMTP 127.0.0.1:{port}: server does not support a required extension"):
            send_report(db, email_config(port, security="starttls"))
    assert unsent_change_ids(db) != []


def test_changes_held_by_a_dead_sender_are_sent_later(db):
    ids = sample_changes(db)
    long_ago = datetime.datetime.fromisoformat(utcnow()) - STALE_CLAIM - timedelta(minutes=1)
    dead, claimed = claim_changes(db, ids, ["analyst@example.org"], now=long_ago)
    assert claimed == ids
    with smtp_server() as (inbox, port):
        result = send_report(db, email_config(port))
    assert result.sent and result.changes == len(ids)
    assert get_report(db, dead).sent_at is None and "abandoned" in get_report(db, dead).error
    assert len(inbox.messages) == 1


def test_changes_held_by_a_live_sender_are_not_sent_twice(db):
    ids = sample_changes(db)
    claim_changes(db, ids[:3], ["analyst@example.org"])  # another sender, mid-send
    with smtp_server() as (inbox, port):
        result = send_report(db, email_config(port))
    assert result.sent and result.changes == 2
    assert {c for (c,) in db.execute("SELECT id FROM changes WHERE report_id = ?", [result.report_id])} == set(ids[3:])
    assert len(inbox.messages) == 1
