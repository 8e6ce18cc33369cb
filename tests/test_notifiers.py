"""Channels: a JSON webhook on loopback gets each change once, retries after an outage, and mail keeps its path."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from crawler.config import ConfigError, parse_config
from monitor.cli import main
from monitor.notifiers import AppriseNotifier, NotifyError, channels, deliver_all
from storage.db import open_db
from storage.deliveries import claim_deliveries, delivery_states
from storage.reports import unsent_change_ids
from report_rows import add_change, sample_changes
from smtp_inbox import free_port, smtp_server
from webhook import webhook_server

SOURCE = '[[sources]]\nname = "a"\nstart_urls = ["http://127.0.0.1:9/"]\narticle_pattern = "x"\n'


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "dgwatch.db")
    yield database
    database.conn.close()


def write_config(tmp_path, port: int, extra: str = "") -> str:
    path = tmp_path / "sources.toml"
    path.write_text(SOURCE + f'[[notify]]\nname = "hook"\nurl = "json://127.0.0.1:{port}/hook"\n' + extra, "utf-8")
    return str(path)


def send(tmp_path, config: str):
    return CliRunner().invoke(main, ["report", "--send", "--config", config, "--db", str(tmp_path / "dgwatch.db")])


def evidence_counts(received: list[dict], evidences: list[str]) -> list[int]:
    return [sum(post["json"]["message"].count(evidence) for post in received) for evidence in evidences]


def test_webhook_gets_each_change_once_across_two_runs(db, tmp_path):
    first = [add_change(db, "changed", "星海医生集团", "doctors", 100, 120, evidence="星海医生集团现有120名医生"),
             add_change(db, "new_fact", "张强医生集团", "funding", None, 120_000_000, evidence="张强完成亿元融资")]
    with webhook_server() as (received, port):
        config = write_config(tmp_path, port)
        result = send(tmp_path, config)
        assert result.exit_code == 0, result.output
        assert "Sent 2 changes to channel hook" in result.output
        assert len(received) == 1 and received[0]["path"] == "/hook"
        assert received[0]["json"]["title"] == "[dgwatch] 2项变化：星海医生集团、张强医生集团"
        assert "1.2亿元" in received[0]["json"]["message"]

        add_change(db, "changed", "星海医生集团", "doctors", 120, 150, evidence="星海医生集团增至150名医生",
                   detected_at="2026-02-01T08:00:00+00:00")
        assert send(tmp_path, config).exit_code == 0
        assert send(tmp_path, config).output.strip() == "Nothing new for channel hook."
    assert len(received) == 2
    assert evidence_counts(received, ["现有120名医生", "完成亿元融资", "增至150名医生"]) == [1, 1, 1]
    assert {state for state, _, _ in delivery_states(db, "hook").values()} == {"sent"}
    assert len(delivery_states(db, "hook")) == 3 and first[0] in delivery_states(db, "hook")


def test_a_channel_that_was_down_gets_the_changes_on_the_retry(db, tmp_path):
    ids = sample_changes(db)
    port = free_port()
    config = write_config(tmp_path, port)
    result = send(tmp_path, config)
    assert result.exit_code == 2
    assert result.output.startswith("dgwatch: channel hook: not delivered: ")
    assert "stay pending" in result.output and "\n" == result.output[-1] and result.output.count("\n") == 1
    assert {state for state, _, _ in delivery_states(db, "hook").values()} == {"failed"}

    with webhook_server(port) as (received, _):
        assert send(tmp_path, config).exit_code == 0
        assert send(tmp_path, config).exit_code == 0
    assert len(received) == 1
    assert evidence_counts(received, ["哈特瑞姆目前已有40家合作医院。", "张强医生集团由张强医生创办。"]) == [1, 1]
    states = delivery_states(db, "hook")
    assert sorted(states) == sorted(ids)
    assert all(state == "sent" and attempts == 2 and error is None for state, attempts, error in states.values())


def test_mail_and_webhook_each_get_every_change_once(db, tmp_path):
    ids = sample_changes(db)
    down = free_port()
    with smtp_server() as (inbox, smtp_port):
        email = f'[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\nsender = "d@example.org"\n' \
                f'recipients = ["a@example.org"]\n'
        config = write_config(tmp_path, down, email)
        result = send(tmp_path, config)
        assert result.exit_code == 2  # the webhook is down; mail went out all the same
        assert "Sent report" in result.output and "channel hook: not delivered" in result.output
        assert len(inbox.messages) == 1 and unsent_change_ids(db) == []
        with webhook_server(down) as (received, _):
            result = send(tmp_path, config)
            assert result.exit_code == 0, result.output
        assert len(inbox.messages) == 1  # mail is not sent twice
        assert len(received) == 1 and sorted(delivery_states(db, "hook")) == sorted(ids)


def test_the_daemon_path_sends_only_what_is_pending(db, tmp_path):
    with webhook_server() as (received, port):
        config = parse_config({"sources": [{"name": "a", "start_urls": ["http://127.0.0.1:9/"],
                                            "article_pattern": "x"}],
                               "notify": [{"url": f"json://127.0.0.1:{port}/"}]})
        assert [d.result.sent for d in deliver_all(db, config, only_pending=True)] == [False]
        add_change(db, "new_fact", "张强医生集团", "founder", None, "张强")
        (delivery,) = deliver_all(db, config, only_pending=True)
        assert delivery.channel == "json" and delivery.result.sent and delivery.error is None
        assert deliver_all(db, config, only_pending=True)[0].result.message == ""
    assert len(received) == 1


def test_two_senders_never_claim_the_same_change(db):
    ids = sample_changes(db)
    assert claim_deliveries(db, "hook") == {"change": ids, "event": []}
    assert claim_deliveries(db, "hook") == {"change": [], "event": []}
    assert claim_deliveries(db, "other")["change"] == ids  # each channel has its own state
    later = datetime.now(timezone.utc) + timedelta(minutes=16)
    assert claim_deliveries(db, "hook", now=later)["change"] == ids  # a sender that died: its claim goes stale


def test_secrets_come_from_the_environment(db, monkeypatch):
    add_change(db, "new_fact", "张强医生集团", "founder", None, "张强")
    with webhook_server() as (received, port):
        config = parse_config({"sources": [{"name": "a", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}],
                               "notify": [{"name": "hook", "url": "json://127.0.0.1:${HOOK_PORT}/${HOOK_PATH}"}]})
        monkeypatch.delenv("HOOK_PORT", raising=False)
        (notifier,) = channels(config)
        with pytest.raises(NotifyError, match="channel hook: its url needs the environment variable HOOK_PORT"):
            notifier.send(db)
        assert delivery_states(db, "hook") == {}  # nothing claimed before the URL was complete
        monkeypatch.setenv("HOOK_PORT", str(port))
        monkeypatch.setenv("HOOK_PATH", "secret-token")
        assert notifier.send(db).sent
    assert received[0]["path"] == "/secret-token"


def test_a_url_apprise_does_not_know_is_one_clear_error(db):
    add_change(db, "new_fact", "张强医生集团", "founder", None, "张强")
    notifier = channels(parse_config({"sources": [{"name": "a", "start_urls": ["http://127.0.0.1:9/"],
                                                   "article_pattern": "x"}],
                                      "notify": [{"url": "nosuchservice://x"}]}))[0]
    assert isinstance(notifier, AppriseNotifier)
    with pytest.raises(NotifyError, match="nosuchservice:// is not a URL Apprise can send to"):
        notifier.send(db)


@pytest.mark.parametrize(("notify", "message"), [
    ([{"url": "not a url"}], r"notify\[0\].url must be an Apprise URL"),
    ([{"url": "json://a/"}, {"url": "json://b/"}], r"notify\[1\].name 'json' is used twice"),
    ([{"url": "json://a/", "name": "email"}], r"name 'email' is used twice \(or is 'email'"),
    ([{"url": "json://a/", "token": "x"}], r"unknown key 'notify\[0\].token'"),
    ({"url": "json://a/"}, "notify must be a list of"),
])
def test_bad_notify_tables(notify, message):
    with pytest.raises(ConfigError, match=message):
        parse_config({"sources": [{"name": "a", "start_urls": ["http://127.0.0.1:9/"], "article_pattern": "x"}],
                      "notify": notify})
