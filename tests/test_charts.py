"""The timeline chart: drawn from all stored history, inline in the HTML file and in the mail."""
from __future__ import annotations

import base64
import io
import re

import pytest
from click.testing import CliRunner
from PIL import Image

from crawler.config import EmailConfig
from monitor.charts import chart_series, draw_charts
from monitor.cli import main
from monitor.mailer import send_report
from monitor.report import build_report
from storage.db import open_db
from report_rows import add_change, add_history
from smtp_inbox import smtp_server


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "dgwatch.db")
    add_change(database, "changed", "哈特瑞姆医生集团", "partner_hospitals", 33, 40, published="2022-03-01")
    add_history(database, "哈特瑞姆医生集团", "partner_hospitals", [("2019-05-20", 12), ("2021-05-20", 33)])
    add_history(database, "哈特瑞姆医生集团", "funding", [("2018-01-01", 50_000_000), ("2021-01-01", 120_000_000)])
    add_history(database, "哈特瑞姆医生集团", "doctors", [("2021-01-01", 200)])  # one value: no panel
    add_change(database, "new_fact", "张强医生集团", "founder", None, "张强")  # no counts: no chart
    yield database
    database.conn.close()


def test_series_of_groups_with_two_dated_values(db):
    series = chart_series(db, build_report(db))
    assert list(series) == ["哈特瑞姆医生集团"]
    assert series["哈特瑞姆医生集团"] == {
        "partner_hospitals": [("2019-05-20", 12), ("2021-05-20", 33), ("2022-03-01", 40)],
        "funding": [("2018-01-01", 50_000_000), ("2021-01-01", 120_000_000)],
    }


def test_chart_is_a_png_with_a_panel_per_count(db):
    (png,) = draw_charts(db, build_report(db)).values()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 440)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 20  # drawn, not blank


def test_mail_html_shows_the_chart_as_an_inline_image_part(db):
    config = EmailConfig(smtp_host="127.0.0.1", sender="dgwatch@example.org", recipients=["a@example.org"])
    with smtp_server() as (inbox, port):
        config.smtp_port = port
        assert send_report(db, config).sent
    (message,) = inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    text_part, related = message.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image_part = related.get_payload()
    html = html_part.get_content()
    (cid,) = re.findall(r'<img src="cid:([^"]+)"', html)
    assert image_part.get_content_type() == "image/png"
    assert image_part["Content-ID"] == f"<{cid}>"
    assert image_part.get_content_disposition() == "inline"
    assert Image.open(io.BytesIO(image_part.get_content())).format == "PNG"
    body = html[html.index("<body"):]
    assert body.index("哈特瑞姆医生集团") < body.index("cid:") < body.index("张强医生集团")


def test_html_file_carries_the_chart_inline(db, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "dgwatch.db"), "--format", "html",
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    (data,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', out.read_text("utf-8"))
    assert Image.open(io.BytesIO(base64.b64decode(data))).format == "PNG"
