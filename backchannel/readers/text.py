"""Reading CSV text safely: encoding and delimiter sniffing, size and line-length limits.

Both the LinkedIn reader and the interviews reader open files through :func:`open_csv`,
which never holds more than one line in memory and refuses giant files and lines early.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from .errors import InputError

__all__ = ["Limits", "LIMITS", "CsvText", "open_csv", "read_all_rows", "read_rows_from", "find_row_boundary",
           "GuardedStream"]


@dataclass(frozen=True)
class Limits:
    """Hard limits that keep memory bounded whatever a file claims to be."""

    max_file_bytes: int = 2 * 1024**3  # one CSV, after decompression
    max_archive_bytes: int = 6 * 1024**3  # all the CSVs of one archive we read
    max_line_bytes: int = 16 * 1024**2  # one physical line
    max_header_scan_lines: int = 40  # preamble lines before the header row


LIMITS = Limits()


class GuardedStream(io.RawIOBase):
    """A binary stream that stops with a clear error past a size or line-length limit."""

    def __init__(self, raw: BinaryIO, name: str, limits: Limits = LIMITS):
        self._raw = raw
        self._name = name
        self._limits = limits
        self._total = 0
        self._since_newline = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self._raw.read(min(len(buffer), 1 << 16))
        n = len(chunk)
        if not n:
            return 0
        self._total += n
        if self._total > self._limits.max_file_bytes:
            raise InputError(
                f"file is larger than {self._limits.max_file_bytes // 1024**2} MiB; refusing to read it",
                path=self._name,
            )
        last = chunk.rfind(b"\n")
        if last < 0:
            self._since_newline += n
        else:
            # a line inside the chunk can still be too long
            if self._since_newline + chunk.find(b"\n") > self._limits.max_line_bytes:
                self._too_long()
            self._since_newline = n - last - 1
            if last > self._limits.max_line_bytes and _longest_line(chunk) > self._limits.max_line_bytes:
                self._too_long()
        if self._since_newline > self._limits.max_line_bytes:
            self._too_long()
        buffer[:n] = chunk
        return n

    def _too_long(self) -> None:
        raise InputError(
            f"a line is longer than {self._limits.max_line_bytes // 1024**2} MiB; "
            "this is not a LinkedIn export file",
            path=self._name,
        )


def _longest_line(chunk: bytes) -> int:
    return max(len(part) for part in chunk.split(b"\n"))


def _sniff_encoding(head: bytes) -> tuple[str, int]:
    """Return (encoding, BOM length) from the first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", 0
    if b"\x00" in head[:4096]:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL
        even_nuls = head[1:4096:2].count(0)
        if even_nuls > len(head[1:4096:2]) * 0.4:
            return "utf-16-le", 0
        raise InputError("this is a binary file, not a CSV text file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start < len(head) - 4:
            return "cp1252", 0
    return "utf-8", 0


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class CsvText:
    """An open CSV file: the header, the rows, and where each row starts."""

    name: str
    header: list[str]
    header_line: int
    encoding: str
    delimiter: str
    _line_offset: int
    _csv: object
    # when read with stop_at_line and a row ended exactly there: the line, and the next row
    stopped_at: int | None = None
    next_cells: list[str] | None = None


def read_all_rows(
    opener: Callable[[], BinaryIO],
    name: str,
    is_header: Callable[[list[str]], bool],
    *,
    what: str,
    limits: Limits = LIMITS,
    project: Callable[[CsvText], Callable[[int, list[str]], object]] | None = None,
    stop_at_line: int | None = None,
) -> tuple[CsvText, list]:
    """Open and read every row, falling back to cp1252 when UTF-8 fails part-way.

    ``project(table)`` returns a function ``(line, cells) -> kept value`` so that large files
    keep only what they need in memory (None results are dropped).

    With ``stop_at_line``, reading stops when a row ends exactly at the end of that line (see
    :func:`find_row_boundary`): ``table.stopped_at`` is then set and ``table.next_cells`` holds
    the row after, unprocessed. When no row ends there, every row is read as usual.
    """
    for encoding in (None, "cp1252"):
        table = open_csv(opener, name, is_header, what=what, limits=limits, encoding=encoding)
        keep = project(table) if project else (lambda line, cells: (line, cells))
        reader = table._csv
        offset = table._line_offset
        line_start = offset
        out: list = []
        append = out.append
        stop = math.inf if stop_at_line is None else stop_at_line
        try:
            # the hot loop of every import: no generator layer, one call per row
            for cells in reader:  # type: ignore[attr-defined]
                value = keep(line_start + 1, cells)
                line_start = offset + reader.line_num  # type: ignore[attr-defined]
                if value is not None:
                    append(value)
                if line_start >= stop:
                    if line_start == stop:  # a row ends exactly there
                        table.stopped_at = line_start
                        table.next_cells = next(reader, None)  # type: ignore[call-overload]
                        return table, out
                    stop = math.inf  # no row ends there: read on to the end
            return table, out
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", path=name, line=line_start + 1) from None
        except UnicodeDecodeError:
            if table.encoding != "utf-8":
                break
    raise InputError("the text is not valid in any encoding we know", path=name)


def open_csv(
    opener: Callable[[], BinaryIO],
    name: str,
    is_header: Callable[[list[str]], bool],
    *,
    what: str,
    limits: Limits = LIMITS,
    encoding: str | None = None,
) -> CsvText:
    """Open a CSV whose header row satisfies ``is_header`` after up to a few preamble lines.

    ``opener`` returns a fresh binary stream; it may be called twice when the first guess of
    the encoding turns out wrong.
    """
    csv.field_size_limit(limits.max_line_bytes)
    raw = opener()
    head = raw.read(65536)
    raw.close()
    try:
        sniffed, bom = _sniff_encoding(head)
    except InputError as exc:
        raise InputError(exc.message, path=name) from None
    if encoding is None:
        encoding = sniffed
    stream = GuardedStream(opener(), name, limits)
    buffered = io.BufferedReader(stream, buffer_size=1 << 16)
    if bom:
        buffered.read(bom)
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline="")
    line_no = 0
    try:
        while line_no < limits.max_header_scan_lines:
            line = text.readline()
            if not line:
                break
            line_no += 1
            stripped = line.lstrip("\ufeff").rstrip("\r\n")
            delimiter = _sniff_delimiter(stripped)
            cells = next(csv.reader([stripped], delimiter=delimiter), [])
            cells = [c.strip().lstrip("\ufeff") for c in cells]
            if cells and is_header(cells):
                reader = csv.reader(text, delimiter=delimiter)
                return CsvText(name, cells, line_no, encoding, delimiter, line_no, reader)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            return open_csv(opener, name, is_header, what=what, limits=limits, encoding="cp1252")
        raise InputError("the text is not valid in any encoding we know", path=name) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", path=name, line=line_no) from None
    raise InputError(f"no {what} header row found in the first {line_no} lines", path=name)


def find_row_boundary(raw: BinaryIO, target: int, chunk_size: int = 1 << 20) -> tuple[int, int] | None:
    """Where a CSV can be cut in two: the first line feed at or after byte ``target`` that is
    outside any quoted field, as (the byte offset just after it, the number of lines before
    that offset). None when there is none.

    Only for encodings in which '"', CR and LF are single bytes that never occur inside other
    characters (UTF-8, cp1252). Outside quotes, the number of quote characters seen is even;
    lines are counted the way Python's universal newlines count them (CR LF once, a lone CR
    or LF once), so the count matches the line numbers a reader of the whole file reports.
    """
    quotes = lines = pos = 0
    last_cr = False
    while True:
        chunk = raw.read(chunk_size)
        if not chunk:
            return None
        at = chunk.find(b"\n", max(0, target - pos))
        seen = 0  # quotes counted in this chunk up to ``seen``
        while at >= 0:
            quotes += chunk.count(b'"', seen, at)
            seen = at
            if quotes % 2 == 0:
                return pos + at + 1, lines + _line_ends(chunk[:at + 1], last_cr)
            at = chunk.find(b"\n", at + 1)
        quotes += chunk.count(b'"', seen)
        lines += _line_ends(chunk, last_cr)
        last_cr = chunk.endswith(b"\r")
        pos += len(chunk)


def _line_ends(chunk: bytes, after_cr: bool) -> int:
    ends = chunk.count(b"\n")
    carriage_returns = chunk.count(b"\r")
    if carriage_returns:  # CR LF counts once, a lone CR once
        ends += carriage_returns - chunk.count(b"\r\n")
    return ends - 1 if after_cr and chunk.startswith(b"\n") else ends


def read_rows_from(
    opener: Callable[[], BinaryIO],
    table: CsvText,
    start: int,
    lines_before: int,
    keep: Callable[[int, list[str]], object],
    *,
    limits: Limits = LIMITS,
) -> tuple[list, list[str] | None]:
    """Read the rows of a CSV from byte ``start`` (a boundary from :func:`find_row_boundary`)
    to the end, with the header, encoding and delimiter of ``table`` and line numbers counted
    from ``lines_before``. Returns the kept values and the first row's cells (None if none).

    A decoding error is raised as it is (UnicodeDecodeError), for the caller to read the whole
    file in another encoding.
    """
    csv.field_size_limit(limits.max_line_bytes)
    raw = opener()
    raw.seek(start)
    text = io.TextIOWrapper(io.BufferedReader(GuardedStream(raw, table.name, limits), buffer_size=1 << 16),
                            encoding=table.encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=table.delimiter)
    out: list = []
    append = out.append
    line_start = lines_before
    try:
        first = next(reader, None)
        for cells in itertools.chain((first,), reader) if first is not None else ():
            value = keep(line_start + 1, cells)
            line_start = lines_before + reader.line_num
            if value is not None:
                append(value)
        return out, first
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", path=table.name, line=line_start + 1) from None
    finally:
        text.close()
