"""How every benchmark reports: a rich table for people, then one JSON object on the last line for tools."""
from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from rich.console import Console
from rich.table import Table


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy the machine was when they were printed."""
    return {"date": date.today().isoformat(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "machine": platform.machine(), "load_avg_1m": round(os.getloadavg()[0], 2)}


# The development material (seeds, corpus, gold) lives beside the clone, not in it.
DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"


def gold_arguments(doc: str, verbose_help: str, argv: list[str] | None) -> argparse.Namespace:
    """`--shared DIR` and `--verbose`, as every scorer against ../shared's gold takes them."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--verbose", action="store_true", help=verbose_help)
    return parser.parse_args(argv)


def absent(gold: Path) -> bool:
    """Whether `gold` is missing, saying so (a user's clone has no ../shared beside it)."""
    if gold.is_file():
        return False
    print(f"skipped: {gold} not present (the shared folder belongs beside the clone)")
    return True


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
