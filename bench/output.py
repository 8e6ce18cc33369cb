"""How every benchmark reports: a rich table for people, then one JSON object on the last line for tools."""
from __future__ import annotations

import json
import os
import platform
from datetime import date
from typing import Any, Sequence

from rich.console import Console
from rich.table import Table


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy the machine was when they were printed."""
    return {"date": date.today().isoformat(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "machine": platform.machine(), "load_avg_1m": round(os.getloadavg()[0], 2)}


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def report(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], figures: dict[str, Any]) -> None:
    """Print the table (to stdout, no colour when piped) and then `figures` as the last line."""
    table = Table(title=title)
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*("" if cell is None else cell if isinstance(cell, str) else f"{cell:,.2f}"
                        if isinstance(cell, float) else f"{cell:,}" for cell in row))
    Console(width=140).print(table)
    print(json.dumps({**figures, **machine()}, ensure_ascii=False), flush=True)
