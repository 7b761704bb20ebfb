"""Rendering rows as a table, CSV or JSON, written once for every listing command; and
writing files so that a failure never leaves half of one behind.

- **CSV** is safe to open in a spreadsheet: a text cell that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading apostrophe, and so does a cell that already
  starts with an apostrophe. To reverse it, remove exactly one leading apostrophe from every
  text cell that starts with one.
- **On a terminal** nothing from the data can drive the terminal: control characters (C0, C1,
  DEL) and bidirectional overrides are shown as visible escapes, in tables, CSV and JSON alike.
  Piped output keeps the data exact.
- **Tables** are for people: they fit the terminal (80 columns at least), never wrap the
  columns named in ``no_wrap`` (touch handles), and use colour only on a terminal without
  ``NO_COLOR``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import BackchannelError

__all__ = ["render", "neutralise_cell", "unneutralise_cell", "inert_text", "inert_block", "write_atomically",
           "colour_wanted", "terminal_width"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_WITH_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_cell(value: Any) -> Any:
    """Make a text cell inert in a spreadsheet (reversible with :func:`unneutralise_cell`).

    >>> neutralise_cell("=HYPERLINK(1)"), neutralise_cell("'quoted"), neutralise_cell("plain")
    ("'=HYPERLINK(1)", "''quoted", 'plain')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unneutralise_cell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert_text(value: Any) -> str:
    """Text safe for a terminal: control characters become visible escapes.

    >>> inert_text("a\\x1b[2Jb\\u202e")
    'a\\\\x1b[2Jb\\\\u202e'
    """
    text = "" if value is None else str(value)
    return _CONTROL.sub(_escape, text)


def inert_block(text: str) -> str:
    """Multi-line text for the terminal: each line inert, the line breaks kept."""
    return "\n".join(inert_text(line) for line in text.split("\n"))


def _inert_json(text: str) -> str:
    """JSON text whose strings cannot drive a terminal (still valid JSON: \\uXXXX escapes)."""
    return _CONTROL_WITH_NEWLINES.sub(lambda m: f"\\u{ord(m.group(0)):04x}" if m.group(0) not in "\n" else "\n",
                                      text)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _cell_text(value: Any, *, exact: bool = False) -> str:
    """A value as a cell's text: a number to two decimals in a table, exactly in CSV."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if exact else f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def colour_wanted(stream: Any) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_width(default: int = 100) -> int:
    import shutil

    return max(80, shutil.get_terminal_size((default, 24)).columns)


def render(rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], fmt: str, columns: Sequence[str] | None = None, *,
           title: str | None = None, width: int | None = None, terminal: bool = False, colour: bool = False,
           styles: Mapping[str, Callable[[Mapping[str, Any]], str]] | None = None,
           no_wrap: Iterable[str] = (), headers: Mapping[str, str] | None = None) -> str:
    """Render rows (dicts) as ``table``, ``csv`` or ``json``; returns the text to print.

    ``terminal``: the text goes to a terminal (escape control characters in CSV and JSON too).
    ``styles`` maps a column to a function of the row giving a rich style ("red", "dim").
    """
    if isinstance(rows, Mapping):  # a JSON object (e.g. "nothing matched, here is a search link")
        text = json.dumps({k: _plain(v) for k, v in rows.items()}, ensure_ascii=False, indent=2, default=str)
        return _inert_json(text) if terminal else text
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        text = json.dumps([{k: _plain(r.get(k)) for k in r} for r in rows], ensure_ascii=False, indent=2,
                          default=str)
        return _inert_json(text) if terminal else text
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([neutralise_cell(_cell_text(r.get(c))) if isinstance(r.get(c), (str, list, tuple))
                             else _cell_text(r.get(c), exact=True) for c in columns])
        text = buf.getvalue().rstrip("\n")
        return inert_block(text) if terminal else text
    no_wrap = set(no_wrap)
    headers = headers or {}
    if len(rows) > LONG_TABLE_ROWS:
        return _long_table(rows, columns, title=title, width=width or terminal_width(), colour=colour,
                           styles=styles, no_wrap=no_wrap, headers=headers)
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold" if colour else "",
                  box=None, pad_edge=False, show_edge=False)
    for c in columns:
        table.add_column(Text(headers.get(c, c)), overflow="ellipsis" if c in no_wrap else "fold",
                         no_wrap=c in no_wrap)
    for r in rows:
        cells = []
        for c in columns:
            style = styles[c](r) if styles and c in styles and colour else ""
            cells.append(Text(inert_text(_cell_text(r.get(c))), style=style))
        table.add_row(*cells)
    console = Console(file=io.StringIO(), width=width or terminal_width(), color_system="standard" if colour else None,
                      force_terminal=colour, highlight=False, emoji=False, markup=False, no_color=not colour)
    console.print(table)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.rstrip("\n").split("\n"))


#: above this many rows a table is laid out here rather than by rich (which takes about a
#: millisecond a cell: 15 s for the 3,500 touches of 2,500 interviews)
LONG_TABLE_ROWS = 300
_ANSI = {"bold red": "\x1b[1;31m", "yellow": "\x1b[33m", "dim": "\x1b[2m", "bold": "\x1b[1m"}  # the styles tables use


def _long_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, title: str | None, width: int,
                colour: bool, styles: Mapping[str, Callable[[Mapping[str, Any]], str]] | None,
                no_wrap: set[str], headers: Mapping[str, str]) -> str:
    """A long table as rich lays out a short one: left-aligned columns two spaces apart, as
    wide as their longest cell; when that is wider than the terminal, the columns that may
    wrap share what is left and fold their text, the others are cut with an ellipsis."""
    from rich.cells import cell_len, set_cell_size

    cells = [[inert_text(_cell_text(r.get(c))) for c in columns] for r in rows]
    head = [headers.get(c, c) for c in columns]
    def length(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    natural = [max([length(head[i])] + [length(row[i]) for row in cells]) for i in range(len(columns))]
    widths = list(natural)
    room = width - 2 * (len(columns) - 1)
    if sum(widths) > room:
        flexible = [i for i, c in enumerate(columns) if c not in no_wrap]
        over = sum(widths) - room
        while over > 0 and flexible:  # the widest column that may wrap gives a character
            i = max(flexible, key=lambda j: widths[j])
            if widths[i] <= 8:
                break
            widths[i] -= 1
            over -= 1
        for i in (i for i, c in enumerate(columns) if c in no_wrap):  # still too wide: cut the unwrapped
            if over <= 0:
                break
            cut = min(over, widths[i] - 4)
            widths[i] -= cut
            over -= cut

    def pieces(text: str, i: int) -> list[str]:
        w = widths[i]
        if text.isascii():  # one cell a character: cut by slicing
            if len(text) <= w:
                return [text]
            if columns[i] in no_wrap:
                return [text[:w - 1] + "…"]
            return [text[k:k + w] for k in range(0, len(text), w)]
        if cell_len(text) <= w:
            return [text]
        if columns[i] in no_wrap:
            return [set_cell_size(text, w - 1) + "…"]
        out, line = [], ""
        for ch in text:
            if cell_len(line + ch) > widths[i]:
                out.append(line)
                line = ""
            line += ch
        return out + [line]

    def fit(text: str, i: int) -> str:
        return text.ljust(widths[i]) if text.isascii() else set_cell_size(text, widths[i])

    def paint(text: str, style: str) -> str:
        code = _ANSI.get(style, "") if colour else ""
        return f"{code}{text}\x1b[0m" if code else text

    lines = [title] if title else []
    lines.append("  ".join(paint(fit(h, i), "bold") for i, h in enumerate(head)).rstrip())
    for r, row in zip(rows, cells, strict=True):
        parts = [pieces(text, i) for i, text in enumerate(row)]
        looks = [styles[c](r) if styles and c in styles else "" for c in columns]
        for k in range(max(len(p) for p in parts)):
            lines.append("  ".join(paint(fit(p[k] if k < len(p) else "", i), looks[i])
                                   for i, p in enumerate(parts)).rstrip())
    return "\n".join(lines)


def write_atomically(path: Path, data: bytes | str, *, what: str = "the file") -> Path:
    """Write a file whole or not at all: a temporary file beside it, then a rename. A folder
    that does not exist, a full disk or a read-only place is one line naming the path.

    A new file is readable by its owner only, as the workspace is (maps, calendars and tables
    hold personal data); a file written over keeps its permissions. A symbolic link is written
    through (the link stays, its target gets the file); a device, a pipe or ``/dev/stdout`` is
    written to as it is, never replaced."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():
        raise BackchannelError("is a folder; give a file name", path=path)
    if path.exists() and not path.is_file():  # nothing to write whole: write to it as it is
        try:
            with open(path, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise BackchannelError(f"cannot write {what} ({exc.strerror or exc})", path=path) from None
        return path
    given = path
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BackchannelError(f"cannot write: the folder {folder} does not exist", path=path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.fchmod(fd, 0o600)  # (whatever the umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():  # (mkstemp made the temporary file 0600)
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise BackchannelError(f"cannot write {what} ({exc.strerror or exc})", path=path) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return given


_VIA = {"mail": "from mail", "linkedin": "from LinkedIn"}


def human_touch(touch: Any, tz: Any, at: datetime, *, handle: str, across: bool = False) -> dict[str, Any]:
    """A touch as a table row for people: its handle, who, when in words, and its state in
    words (``status`` keeps the exact value, for colours)."""
    from .times import human_duration, human_relative, human_time

    status = touch.status
    if status == "done" and touch.done_at is not None:
        when, state = human_time(touch.done_at, tz, now=at), "done, ring rests" if touch.rests else "done"
        if touch.done_via in _VIA:  # (what the mail or an export logged, so you can check it)
            state += f" ({_VIA[touch.done_via]})"
    elif status in ("skipped", "cancelled"):
        when = "" if status == "skipped" else (touch.closed_reason or "closed")
        state = status
    elif status == "optional" and touch.due_from is not None:
        when, state = human_time(touch.due_from, tz, now=at), "optional, not due"
    elif touch.due_from is None or touch.due_by is None:
        when, state = ("after the email" if touch.waiting_for else "later"), "waiting"
    elif status == "pending":
        when = human_time(touch.due_from, tz, now=at)  # when it opens
        state = "opens " + human_relative(touch.due_from, at)
    elif status == "due":
        when = human_time(touch.due_by, tz, now=at)  # the deadline
        state = f"due, {human_duration(touch.due_by - at)} left"
    else:
        # a check-in is late from the day you promised (its window may end on a day you never named)
        since = touch.due_from if touch.kind == "check-in" and touch.due_from is not None else touch.due_by
        when = human_time(since, tz, now=at)
        state = f"{human_duration(at - since)} overdue"
    what = touch.label + (f" ({touch.interest})" if touch.kind == "casual-touch" and touch.interest else "")
    # across interviews, say which one, unless the handle already does
    person = touch.person + (f" ({touch.interview})" if across and not handle.startswith(touch.interview + "/")
                             else "")
    return {"handle": handle, "what": what, "person": person, "when": when, "state": state, "status": status}
