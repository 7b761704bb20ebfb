"""Rendering rows as a table, CSV or JSON: written once, used by every listing command.

CSV is safe to open in a spreadsheet: a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe, and so does a cell that
already starts with an apostrophe. To reverse it, remove exactly one leading apostrophe
from every text cell that starts with one.

Terminal output never carries control characters from the data: they are shown as
``\\x1b``-style escapes, so an escape sequence in a name cannot move the cursor or
change the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

__all__ = ["render", "neutralise_cell", "unneutralise_cell", "inert_text"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_cell(value: Any) -> Any:
    """Make a text cell inert in a spreadsheet (reversible with :func:`unneutralise_cell`)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unneutralise_cell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def inert_text(value: Any) -> str:
    """Text safe for a terminal: control characters become visible escapes."""
    text = "" if value is None else str(value)
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _cell_text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def render(rows: Sequence[dict], fmt: str, columns: Sequence[str] | None = None, *,
           title: str | None = None, width: int | None = None) -> str:
    """Render rows (dicts) as ``table``, ``csv`` or ``json``; returns the text to print."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{k: _plain(r.get(k)) for k in r} for r in rows], ensure_ascii=False, indent=2,
                          default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([neutralise_cell(_cell_text(r.get(c))) if isinstance(r.get(c), (str, list, tuple))
                             else _cell_text(r.get(c)) for c in columns])
        return buf.getvalue().rstrip("\n")
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(Text(c), overflow="fold")
    for r in rows:
        table.add_row(*(Text(inert_text(_cell_text(r.get(c)))) for c in columns))
    if width is None:
        import shutil

        width = max(100, shutil.get_terminal_size((160, 24)).columns)
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False,
                      emoji=False, markup=False)
    console.print(table)
    return console.file.getvalue().rstrip("\n")
