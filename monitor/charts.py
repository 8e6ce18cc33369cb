"""A small timeline chart per group: how its counts (doctors, hospitals, patients, members, funding) grew.

Drawn from every dated value stored, as a PNG: inline in the HTML file as a data URI,
and in the mail as a related image part (cid:) that common mail clients show. The image
holds only ASCII text, so it renders the same without CJK fonts; the Chinese labels are
in the HTML around it. matplotlib (Agg) is imported only when a chart is drawn.
"""
from __future__ import annotations

import base64
import io
from datetime import date

import sqlite_utils

from monitor.figures import COUNT_ATTRIBUTES
from monitor.report import Report
from storage.history import dated_values

# Labels inside the image: ASCII on purpose (see the module docstring).
PANEL_TITLES = {"doctors": "doctors", "partner_hospitals": "partner hospitals", "patients_managed": "patients",
                "members": "members", "funding": "funding (CNY million)"}
_SCALE = {"funding": 1_000_000}
WIDTH_PX = 640
_DPI = 100
_SHARPNESS = 2  # drawn at twice the displayed size, for high-density screens


def _day(published: str) -> date:
    """A published date as a date; a year or a month stands for its first day."""
    parts = (published.split("-") + ["01", "01"])[:3]
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def draw_chart(series: dict[str, list[tuple[str, int]]]) -> bytes:
    """One PNG with a panel per attribute: its values over time as a step line with dots."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    panels = list(series.items())
    fig, axes = plt.subplots(1, len(panels), figsize=(WIDTH_PX / _DPI, 2.2), dpi=_DPI * _SHARPNESS, squeeze=False)
    try:
        for ax, (attribute, points) in zip(axes[0], panels):
            days = [_day(published) for published, _ in points]
            values = [value / _SCALE.get(attribute, 1) for _, value in points]
            ax.step(days, values, where="post", color="#2b6cb0", linewidth=1.6)
            ax.plot(days, values, "o", color="#2b6cb0", markersize=4)
            for day, value in zip(days[-1:], values[-1:]):
                ax.annotate(f"{value:g}", (day, value), textcoords="offset points", xytext=(0, 5),
                            ha="center", fontsize=8, color="#222222")
            ax.set_title(PANEL_TITLES.get(attribute, attribute), fontsize=9, loc="left")
            locator = mdates.AutoDateLocator(minticks=2, maxticks=5)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.tick_params(labelsize=7)
            ax.set_ylim(bottom=0, top=max(values) * 1.25 or 1)
            ax.margins(x=0.08)
            ax.grid(axis="y", color="#eeeeee")
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def chart_series(db: sqlite_utils.Database, report: Report) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """For each group in `report`, its counts with two or more dated values (groups without any left out)."""
    history = dated_values(db, [group.entity for group in report.groups], COUNT_ATTRIBUTES)
    series = {}
    for group in report.groups:
        kept = {attribute: points for attribute in COUNT_ATTRIBUTES
                if len(points := history.get(group.entity, {}).get(attribute, [])) >= 2}
        if kept:
            series[group.entity] = kept
    return series


def draw_charts(db: sqlite_utils.Database, report: Report) -> dict[str, bytes]:
    """group key → PNG of its timeline, for the groups of `report` that have one."""
    return {entity: draw_chart(series) for entity, series in chart_series(db, report).items()}


def data_uri(png: bytes) -> str:
    """`png` as an src that an HTML file carries inline."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def inline_charts(db: sqlite_utils.Database, report: Report) -> dict[str, str]:
    """group key → data URI of its timeline, for an HTML file."""
    return {entity: data_uri(png) for entity, png in draw_charts(db, report).items()}
