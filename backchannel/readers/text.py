"""Guarded access to CSV text: the header row after any preamble, and Python's csv module.

Every file backchannel reads is opened as a :class:`~backchannel.readers.stream.Utf8Stream`
(UTF-8 whatever its encoding: :mod:`backchannel.readers.encoding`; within the hard limits of
:mod:`backchannel.readers.limits`). :func:`find_header` then finds the header row by its
content after any preamble (Connections.csv has a three-line ``Notes:`` preamble), and refuses a
header wider than any real file's at once.

Two readers sit on top: the Arrow reader of the export's files
(:mod:`backchannel.readers.table`), and :func:`read_all_rows` here, Python's csv module with
exact line numbers, for small hand-written files such as the interviews file.

The names of the modules below are importable from here too, as they always were.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import InputError
from .encoding import REPLACE, NotUtf8, decide_encoding, replacement_warnings, sniff_encoding
from .limits import LIMITS, LINES_LISTED, Limits, describe_lines, describe_size
from .stream import Utf8Stream, open_text

__all__ = [
    "Limits",
    "LIMITS",
    "NotUtf8",
    "Utf8Stream",
    "Head",
    "CsvText",
    "open_text",
    "find_header",
    "open_csv",
    "read_all_rows",
    "sniff_encoding",
    "decide_encoding",
    "REPLACE",
    "sniff_delimiter",
    "header_cells",
    "describe_size",
    "describe_lines",
    "replacement_warnings",
    "LINES_LISTED",
]


def sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``,`` ``;`` and tab.

    >>> sniff_delimiter("First Name;Last Name;Company"), sniff_delimiter("Notes:")
    (';', ',')
    """
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_cells(line: str, delimiter: str) -> list[str]:
    """The cells of one header line, trimmed, without a byte-order mark."""
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return [c.strip().lstrip("\ufeff").strip() for c in cells]


# --------------------------------------------------------------------------- the header row

_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass
class Head:
    """Where a CSV's header row is and how the file is written."""

    name: str
    header: list[str]
    header_line: int  # 1-based physical line of the header row
    encoding: str
    delimiter: str


def find_header(stream: Utf8Stream, is_header: Callable[[list[str]], bool], *, what: str) -> Head:
    """Read physical lines until one is a header row (``is_header(cells)``), after up to
    ``max_header_scan_lines`` lines of preamble; the stream is left at the first data line.

    Raises :class:`NotUtf8` when a line before the header is not UTF-8 in a file taken for
    UTF-8, and :class:`InputError` when no header row is found.
    """
    lines = _physical_lines(stream)
    line_no = 0
    for raw_line in lines:
        line_no += 1
        try:
            line = raw_line.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise NotUtf8 from None
        delimiter = sniff_delimiter(line)
        if line.count(delimiter) >= stream.limits.max_columns:
            # refused before it is split: a header of 200,000 columns would cost minutes downstream
            raise InputError(f"this line has {line.count(delimiter) + 1:,} columns, more than the "
                             f"{stream.limits.max_columns:,} any export or interviews file has; is this the right file?",
                             path=stream.name, line=line_no)
        try:
            cells = header_cells(line, delimiter)
        except csv.Error:
            cells = []
        if cells and is_header(cells):
            stream.unread(lines.send(True) or b"")
            return Head(stream.name, cells, line_no, stream.encoding, delimiter)
        if line_no >= stream.limits.max_header_scan_lines:
            break
    raise InputError(f"no {what} header row found in the first {line_no} lines", path=stream.name)


def _physical_lines(stream: Utf8Stream) -> Generator[bytes, bool | None, bytes]:
    """The physical lines of a stream (CR LF, CR or LF ends one), without their ends; sending
    True gets back the bytes read past the last line given."""
    buffer = bytearray()
    pos = scanned = 0  # the next line starts at pos; no line end before scanned
    at_end = False
    while True:
        match = _LINE_END.search(buffer, scanned)
        # a CR at the end of the buffer may be the first half of a CR LF
        if match is None or (match.group() == b"\r" and match.end() == len(buffer) and not at_end):
            if at_end:
                if pos >= len(buffer):
                    return b""
                match = None
            else:
                chunk = stream.read(65536)
                at_end = not chunk
                del buffer[:pos]
                scanned = max(len(buffer) - 1, 0)
                pos = 0
                buffer += chunk
                continue
        end = match.end() if match else len(buffer)
        line = bytes(buffer[pos:match.start() if match else len(buffer)])
        pos = scanned = end
        if (yield line):
            rest = bytes(buffer[pos:])
            yield rest
            return rest


# --------------------------------------------------------------------------- Python's csv


class CsvText:
    """A CSV opened for Python's csv module at its header row; close it when done."""

    def __init__(self, head: Head, text: io.TextIOWrapper, limits: Limits, stream: Utf8Stream | None = None):
        self.name = head.name
        self._stream = stream
        self.header = head.header
        self.header_line = head.header_line
        self.encoding = head.encoding
        self.delimiter = head.delimiter
        self._text = text
        self._limits = limits

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` for each row after the header; ``line`` is where the row starts.

        Raises :class:`~backchannel.errors.InputError` naming that line for a field over
        ``max_field_bytes``, or a quoted field over ``max_field_lines`` lines or never closed.
        """
        feed = _LineFeed(self._text, self.name, self.header_line + 1, self._limits)
        reader = csv.reader(feed, delimiter=self.delimiter)
        try:
            for cells in reader:
                if feed.ended and feed.lines:
                    # the input ended before the row did: a quote still open at the end
                    raise InputError("a quoted field opened on this line is never closed", path=self.name,
                                     line=feed.row_start)
                yield feed.row_start, cells
                feed.row_start += feed.lines
                feed.lines = 0
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", path=self.name, line=feed.row_start) from None

    @property
    def replaced(self) -> list[int]:
        """Lines where bytes that are not text in the file's encoding were replaced (so far)."""
        return self._stream.replaced if self._stream is not None else []

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> CsvText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _LineFeed:
    """Feeds the csv reader one physical line at a time and stops a quoted field that runs
    over too many lines or to the end of the file, naming the line where its row starts."""

    def __init__(self, text: io.TextIOWrapper, name: str, first_line: int, limits: Limits):
        self._text = text
        self._name = name
        self.row_start = first_line  # line where the row being read starts
        self.lines = 0  # lines handed out for that row
        self.ended = False
        self._max_lines = limits.max_field_lines

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = self._text.readline()
        if not line:
            self.ended = True
            raise StopIteration
        self.lines += 1
        if self.lines > self._max_lines:
            raise InputError(f"a quoted field opened on this line runs over {self._max_lines} lines; "
                             "is a closing quote missing?", path=self._name, line=self.row_start)
        return line


def open_csv(
    opener: Callable[[], BinaryIO],
    name: str,
    is_header: Callable[[list[str]], bool],
    *,
    what: str,
    limits: Limits = LIMITS,
    encoding: str | None = None,
) -> CsvText:
    """Open a CSV for Python's csv module at the header row that satisfies ``is_header``.

    ``opener`` returns a fresh binary stream. ``encoding`` (``"cp1252"`` or :data:`REPLACE`)
    is how to read a file that turned out not to be UTF-8 (:func:`decide_encoding`). Raises
    :class:`NotUtf8` when the lines before the header show that guess was wrong.
    """
    csv.field_size_limit(limits.max_field_bytes)
    stream = open_text(opener, name, limits, encoding)
    try:
        head = find_header(stream, is_header, what=what)
    except BaseException:
        stream.close()
        raise
    text = io.TextIOWrapper(io.BufferedReader(stream, buffer_size=1 << 16), encoding="utf-8",
                            errors="strict", newline="")
    return CsvText(head, text, limits, stream)


def read_all_rows(
    opener: Callable[[], BinaryIO],
    name: str,
    is_header: Callable[[list[str]], bool],
    *,
    what: str,
    limits: Limits = LIMITS,
) -> tuple[CsvText, list[tuple[int, list[str]]]]:
    """Every ``(line, cells)`` row of a CSV after its header, read again as cp1252 when it
    turns out not to be UTF-8 part-way (:func:`decide_encoding`).

    Raises :class:`~backchannel.errors.InputError` naming the line for a field over
    ``max_field_bytes``, a quoted field over ``max_field_lines`` lines or never closed, and
    for bytes that are not text in a file that is otherwise UTF-8.

    >>> import io
    >>> data = b'Notes: hi\\n\\ncompany,role\\nAcme,"recruiter,\\nlead"\\nGlobex,interviewer\\n'
    >>> table, rows = read_all_rows(lambda: io.BytesIO(data), "x.csv", lambda c: "role" in c, what="x")
    >>> table.header, table.header_line, rows
    (['company', 'role'], 3, [(4, ['Acme', 'recruiter,\\nlead']), (6, ['Globex', 'interviewer'])])
    """
    encoding: str | None = None
    for _attempt in range(2):
        try:
            with open_csv(opener, name, is_header, what=what, limits=limits, encoding=encoding) as table:
                rows = list(table.rows())
                replaced = table.replaced
                if replaced:
                    # a hand-written file: a row with bytes that are not text is a mistake to fix,
                    # like any other invalid row
                    raise InputError("bytes that are not UTF-8 (nor anything else this file is written in); "
                                     "save the file as UTF-8", path=name, line=replaced[0])
                return table, rows
        except (NotUtf8, UnicodeDecodeError):
            if encoding is not None:
                break
            encoding = decide_encoding(opener, limits)
    raise InputError("the text is not valid in any encoding we know", path=name)
