"""One Arrow access path for the export's CSV files.

A file is opened as UTF-8 (:class:`~backchannel.readers.text.Utf8Stream` transcodes the
others), its header row is found by content, and the rest is streamed to
``pyarrow.csv.open_csv`` in blocks of the longest row allowed (Arrow's memory grows with its
block). Columns are mapped by name (case, ``_`` for space and surrounding spaces do not
matter) and read as strings; consecutive Arrow batches are worked on together, about a MiB
at a time, so that each vectorised step has enough rows.

Two ways to read, for two kinds of file:

- **every column** (Connections.csv and the small files): every field is converted, the
  ones not asked for as bytes, and measured: that gives exact line numbers (one plus the
  line breaks inside a row's quoted fields), exact field and row sizes, and blank rows. Rows
  are numbered by the physical line where they start.
- **the columns asked for** (messages.csv, whose CONTENT is most of its bytes): only those
  are converted, so rows are numbered in turn ("row N"), and the line of an error is found
  by reading the file again with Python's csv module up to that row (errors only).

Guarantees, whatever the file:

- no row much longer than the limit is ever held: Arrow refuses a row that does not end
  within the block after the one it starts in; with every column, a row whose fields and
  delimiters pass the limit is refused too; either names the line where the row starts;
- a field over ``max_field_bytes`` (in a column read) is an error naming its line;
- a row with another number of fields than the header is skipped and counted with where it
  is; one that spans several lines (a quote opened and closed rows later) is an error;
- a quoted field still open at the end of the file is an error naming the line where its
  row starts: an end marker is added after the last line, and a file that ends inside a
  quote swallows it;
- a file taken for UTF-8 that is not is read again from the start, as cp1252 or as UTF-8
  with its few bad bytes replaced, as the whole file decides
  (:func:`~backchannel.readers.text.decide_encoding`, :func:`read_csv`), so nothing counted in
  the first attempt remains; the lines of replaced bytes are in :attr:`CsvTable.replaced`;
- a header wider than ``max_columns`` is refused at once, naming its line.

Rows are placed by :mod:`backchannel.readers.places`; Arrow's arrays become numpy (and back)
in :mod:`backchannel.readers.arrays`, whose names are importable from here too.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..domain import SkipLog
from ..errors import InputError
from .arrays import (
    POOL,
    Column,
    bool_array,
    bools,
    chunks_of,
    hand_back_memory,
    int_array,
    ints,
    measure,
    string_array,
    value_sizes,
)
from .places import RowPlaces
from .text import (
    LIMITS,
    Limits,
    NotUtf8,
    decide_encoding,
    describe_size,
    find_header,
    open_text,
    replacement_warnings,
)

__all__ = ["column_key", "Block", "CsvTable", "read_csv", "skip_rows", "WRONG_WIDTH", "POOL", "ints", "bools",
           "bool_array", "int_array", "string_array", "measure", "value_sizes", "Column", "chunks_of",
           "hand_back_memory"]


T = TypeVar("T")

#: the reason given for rows with another number of fields than the header
WRONG_WIDTH = "row with another number of fields than the header"
# a line no export holds (NUL characters), added after the last line of every file
_END = "\x00"
# blocks Arrow may have read beyond those it has returned (a row can take two, and the
# first batch is parsed before the reader is handed over)
_READ_AHEAD = 4
# consecutive Arrow batches worked on together
_GROUP_BYTES = 1 << 20


def column_key(name: str) -> str:
    """A header cell as a key: lower case, ``_`` as space, spaces collapsed and trimmed.

    >>> column_key(" Connected_On "), column_key("inviterProfileUrl")
    ('connected on', 'inviterprofileurl')
    """
    return " ".join(name.lower().replace("_", " ").split())


@dataclass
class Block:
    """Consecutive rows of a CSV: the columns asked for (as Arrow strings) and where each
    row is: the physical line it starts on (``unit`` "line"), or its row as a spreadsheet
    numbers it (``unit`` "row": the header's row is its line). Blank rows are left out."""

    columns: dict[str, Column]
    numbers: np.ndarray
    unit: str = "line"

    def __len__(self) -> int:
        return len(self.numbers)

    def get(self, key: str) -> Column | None:
        """The column for ``key``, None when the file has no such column."""
        return self.columns.get(key)

    def strings(self, key: str) -> list[str]:
        """A column as Python strings ("" for each row when the file has no such column)."""
        column = self.columns.get(key)
        if column is None:
            return [""] * len(self)
        values: list[str] = column.to_pylist()
        return values

    def skip(self, log: SkipLog, reason: str, name: str, rows: np.ndarray) -> None:
        """Count the rows at ``rows`` (a mask or positions) as skipped for ``reason``."""
        numbers = self.numbers[rows]
        skip_rows(log, reason, name, [f"{self.unit} {n}" for n in numbers[:SkipLog.PLACES].tolist()], len(numbers))


def skip_rows(log: SkipLog, reason: str, name: str, places: list[str], count: int) -> None:
    """Count ``count`` rows as skipped for ``reason``, with their ``places`` ("line N"; the
    first :attr:`SkipLog.PLACES` are enough)."""
    places = places[:SkipLog.PLACES]
    for place in places:
        log.skip(reason, f"{name}, {place}")
    if count > len(places):
        log.skip(reason, "", n=count - len(places))


class _Stopped:
    """Ctrl-C (or memory running out) while Arrow calls back into Python (the handler of invalid
    rows): Python cannot raise it through Arrow, so it would print "Exception ignored" and the
    read would go on. Caught here instead, and raised again between batches."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self._previous: Any = None

    def __enter__(self) -> _Stopped:
        self._previous = sys.unraisablehook
        sys.unraisablehook = self._hook
        return self

    def _hook(self, unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, (KeyboardInterrupt, MemoryError)):
            self.error = self.error or unraisable.exc_value
        else:
            self._previous(unraisable)

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            sys.unraisablehook = self._previous
            self._previous = None

    def check(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class CsvTable:
    """A CSV of the export, opened at its header row for reading in Arrow blocks.

    Parameters
    ----------
    opener
        Returns a fresh binary stream of the file.
    name
        The file's name in messages (``archive.zip!messages.csv`` for a ZIP member).
    is_header
        Tells the header row by its trimmed cells.
    what
        What the header looks like, for the message when none is found.
    row_bytes
        The longest row read (fields and delimiters); also the Arrow block size.
    field_lines
        The most lines one row may span (None: no limit); with every column read.
    encoding
        How to read a file that turned out not to be UTF-8 (``"cp1252"`` or
        :data:`~backchannel.readers.text.REPLACE`, as :func:`~backchannel.readers.text.decide_encoding` says).
    """

    def __init__(
        self,
        opener: Callable[[], BinaryIO],
        name: str,
        is_header: Callable[[list[str]], bool],
        *,
        what: str,
        limits: Limits = LIMITS,
        row_bytes: int | None = None,
        field_lines: int | None = None,
        encoding: str | None = None,
    ):
        self.name = name
        self.limits = limits
        self.row_bytes = row_bytes or limits.max_row_bytes
        self.field_lines = field_lines
        self.skipped = SkipLog()
        self._opener = opener
        self._is_header = is_header
        self._what = what
        self._stream = open_text(opener, name, limits, encoding)
        try:
            head = find_header(self._stream, is_header, what=what)
        except BaseException:
            self._stream.close()
            raise
        self.header = head.header
        self.header_line = head.header_line
        self.encoding = head.encoding
        self.delimiter = head.delimiter
        self.index: dict[str, int] = {}
        for i, cell in enumerate(self.header):
            self.index.setdefault(column_key(cell), i)

    @property
    def replaced(self) -> list[int]:
        """Lines where bytes that are not text in the file's encoding were replaced with U+FFFD
        (complete once the rows are read)."""
        return self._stream.replaced

    @property
    def warnings(self) -> list[str]:
        """What the user should hear about how the file was read: the lines of replaced bytes."""
        return replacement_warnings(self.name, self.encoding, self.replaced)

    def has(self, key: str) -> bool:
        """Whether the header has a column for ``key`` (see :func:`column_key`)."""
        return key in self.index

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> CsvTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------- reading

    def blocks(self, wanted: Iterable[str], *, every_column: bool = True) -> Iterator[Block]:
        """The rows after the header in blocks, with the ``wanted`` columns that exist.

        With ``every_column`` (see the module docstring) rows are numbered by line, else by
        row. Rows with another number of fields than the header go to :attr:`skipped`.
        Raises :class:`~backchannel.errors.InputError` naming the line for anything the
        module docstring lists, and :class:`~backchannel.readers.text.NotUtf8` when a
        column read is not UTF-8 in a file taken for UTF-8.
        """
        width = len(self.header)
        names = [f"c{i}" for i in range(width)]
        wanted_at = {key: self.index[key] for key in dict.fromkeys(wanted) if key in self.index}
        read = names if every_column else [names[i] for i in sorted(set(wanted_at.values()))]
        marker = self.delimiter.join([_END] * (width + 1))  # never the header's width
        self._stream.end_with(marker.encode("utf-8"))
        # rows are numbered as a spreadsheet numbers them: the header's row is its line
        state = RowPlaces(self.header_line + 1, count_lines=every_column)
        place_of = {name: at for at, name in enumerate(read)}
        work = _Work(self, state, {key: place_of[names[i]] for key, i in wanted_at.items()}, width, every_column)
        options = self._arrow_options(names, read, [names[i] for i in wanted_at.values()], marker, state)
        yield from self._grouped(options, work, state)
        work.block([], final=True)
        if not state.end_seen:
            raise self.fail("a quoted field opened on this line is never closed", state.last, state)

    def _arrow_options(self, names: list[str], read: list[str], as_text: list[str], marker: str,
                       state: RowPlaces) -> dict[str, Any]:
        """``pyarrow.csv.open_csv``'s options: the ``read`` columns, ``as_text`` as strings and
        the others as bytes; invalid rows go to ``state`` (the end ``marker`` says the file
        ended outside a quote)."""
        every_column = len(read) == len(names)
        types = {name: pa.binary() for name in read} if every_column else {}
        types.update({name: pa.string() for name in as_text})

        def on_invalid(row: Any) -> str:
            if row.text == marker:
                state.end_seen = True
            else:
                state.pending.append((row.number if row.number is not None else 0, row.text, row.actual_columns))
            return "skip"

        return {"read_options": pcsv.ReadOptions(use_threads=False, block_size=self.row_bytes, column_names=names),
                "parse_options": pcsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                                   ignore_empty_lines=not every_column, invalid_row_handler=on_invalid),
                "convert_options": pcsv.ConvertOptions(column_types=types, include_columns=read,
                                                       strings_can_be_null=False),
                "memory_pool": POOL}

    def _grouped(self, options: dict[str, Any], work: _Work, state: RowPlaces) -> Iterator[Block]:
        """Arrow's batches, about :data:`_GROUP_BYTES` at a time, as blocks (see
        :meth:`~backchannel.readers.stream.Utf8Stream.gate` for why reads are handed out)."""
        reader: pcsv.CSVStreamingReader | None = None
        stream = self._stream
        stream.gate()
        batches = 0
        group: list[pa.RecordBatch] = []
        group_bytes = 0
        stopped = _Stopped()
        try:
            stopped.__enter__()
            stream.allow(_READ_AHEAD)
            try:
                with stream.waiting_for_reads():
                    reader = pcsv.open_csv(stream, **options)
            except pa.ArrowInvalid as exc:
                stopped.check()  # (a handler stopped by Ctrl-C fails the row: the Ctrl-C is what happened)
                raise self._error(exc, state) from None
            while True:
                stream.allow(batches + _READ_AHEAD)
                try:
                    with stream.waiting_for_reads():
                        batch = reader.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid as exc:
                    stopped.check()  # (a handler stopped by Ctrl-C fails the row: the Ctrl-C is what happened)
                    # the rows before the error first: their own errors come first, and
                    # they tell where this one is
                    work.block(group)
                    group = []
                    raise self._error(exc, state) from None
                stopped.check()
                batches += 1
                group.append(batch)
                group_bytes += batch.nbytes
                if group_bytes >= _GROUP_BYTES:
                    block = work.block(group)
                    group, group_bytes = [], 0
                    if len(block):
                        yield block
            if group:
                block = work.block(group)
                group = []
                if len(block):
                    yield block
        finally:
            stopped.__exit__()
            stream.finish()  # see Utf8Stream.gate: before the reader is freed
            if reader is not None:
                reader.close()
                reader = None
        stopped.check()


    def fail(self, message: str, number: int, state: RowPlaces) -> InputError:
        """An error about the row at ``number`` (a line, or a row when rows are numbered)."""
        line = number if state.count_lines else self._line_of_row(number)
        if line is None:
            return InputError(f"row {number}: {message.replace('on this line', 'in this row')}", path=self.name)
        return InputError(message, path=self.name, line=line)

    def _error(self, exc: pa.ArrowInvalid, state: RowPlaces) -> Exception:
        text = str(exc)
        # a column read as text that is not UTF-8, or an invalid row that Arrow could not hand
        # over as text (the handler only skips): read the file again as cp1252
        if self.encoding == "utf-8" and ("invalid UTF8" in text or "columns, got" in text):
            return NotUtf8()
        if "straddling" in text:
            return self.fail(f"the row starting on this line is longer than {describe_size(self.row_bytes)}; "
                             "is a quote never closed?", state.next, state)
        return self.fail(f"malformed CSV ({text.splitlines()[0] if text else 'unreadable'})", state.next, state)

    def _line_of_row(self, row: int) -> int | None:
        """The physical line where row ``row`` starts (the header's row is its line, empty
        lines are not rows), read again with Python's csv module up to the row before it;
        None when it cannot be told."""
        try:
            stream = open_text(self._opener, self.name, self.limits, None if self.encoding == "utf-8" else self.encoding)
            try:
                head = find_header(stream, self._is_header, what=self._what)
                text = io.TextIOWrapper(io.BufferedReader(stream, buffer_size=1 << 16), encoding="utf-8",
                                        errors="replace", newline="")
                csv.field_size_limit(max(self.row_bytes, self.limits.max_field_bytes) * 2)
                reader = csv.reader(text, delimiter=self.delimiter)
                before = row - head.header_line - 1  # rows to read before it (they were read once)
                for cells in reader if before > 0 else ():
                    if cells:
                        before -= 1
                        if not before:
                            break
                if before:
                    return None
                # the row starts on the first line after those that is not empty
                line = head.header_line + reader.line_num + 1
                while text.readline(3) in ("\n", "\r\n", "\r"):
                    line += 1
                return line
            finally:
                stream.close()
        except (InputError, NotUtf8, csv.Error, OSError, UnicodeDecodeError):
            return None


class _Work:
    """What the reader does with each group of Arrow batches."""

    def __init__(self, table: CsvTable, state: RowPlaces, at: dict[str, int], width: int, every_column: bool):
        self.table = table
        self.state = state
        self.at = at
        self.width = width
        self.every_column = every_column

    def block(self, batches: list[pa.RecordBatch], *, final: bool = False) -> Block:
        """Places and checks for consecutive Arrow batches and the invalid rows met while
        reading them (all that are left when ``final``)."""
        table, state = self.table, self.state
        # the batches' columns side by side, not copied (Arrow's functions take chunks)
        columns: list[Column] = ([pa.chunked_array([b.column(i) for b in batches])
                                  for i in range(batches[0].num_columns)] if len(batches) > 1
                                 else list(batches[0].columns) if batches else [])
        n = len(columns[0]) if columns else 0
        row_len = np.full(n, self.width - 1, dtype=np.int64)  # fields and delimiters
        breaks = np.zeros(n, dtype=np.int64)
        longest = 0
        for column in columns:
            if self.every_column:
                sizes, inside = measure(column)
                if inside is not None:
                    breaks += inside
            else:
                sizes = value_sizes(column)
            row_len += sizes
            longest = max(longest, int(sizes.max()) if n else 0)
        numbers, invalid = state.place(breaks, final=final)
        for row in invalid:
            if row.breaks:
                raise table.fail(f"the row starting on this line runs over {row.breaks + 1} lines and has "
                                 f"{row.fields} fields instead of {self.width}; is a closing quote missing?",
                                 row.number, state)
        unit = "line" if state.count_lines else "row"
        if invalid:
            skip_rows(table.skipped, WRONG_WIDTH, table.name,
                      [f"{unit} {row.number}" for row in invalid[:SkipLog.PLACES]], len(invalid))
        if not n:
            return Block({}, numbers, unit)
        self._check(columns, row_len, breaks, numbers, longest)
        out = {key: columns[i] for key, i in self.at.items()}
        if self.every_column:
            blank = row_len == self.width - 1  # every field empty (an empty line, or only delimiters)
            if blank.any():
                keep = bool_array(~blank)
                out = {key: pc.filter(col, keep, memory_pool=POOL) for key, col in out.items()}
                numbers = numbers[~blank]
        return Block(out, numbers, unit)

    def _check(self, columns: list[Column], row_len: np.ndarray, breaks: np.ndarray, numbers: np.ndarray,
               longest: int) -> None:
        table, limits = self.table, self.table.limits
        if longest > limits.max_field_bytes:
            for column in columns:
                over = np.flatnonzero(value_sizes(column) > limits.max_field_bytes)
                if len(over):
                    raise table.fail(f"a field is longer than {describe_size(limits.max_field_bytes)}; "
                                     "is a quote never closed?", int(numbers[over[0]]), self.state)
        if self.every_column:
            over = np.flatnonzero(row_len > table.row_bytes)
            if len(over):
                raise table.fail(f"the row starting on this line is longer than {describe_size(table.row_bytes)}; "
                                 "is a quote never closed?", int(numbers[over[0]]), self.state)
            if table.field_lines is not None:
                over = np.flatnonzero(breaks >= table.field_lines)
                if len(over):
                    raise table.fail(f"a quoted field opened on this line runs over {table.field_lines} lines; "
                                     "is a closing quote missing?", int(numbers[over[0]]), self.state)



def read_csv(
    opener: Callable[[], BinaryIO],
    name: str,
    is_header: Callable[[list[str]], bool],
    read: Callable[[CsvTable], T],
    *,
    what: str,
    limits: Limits = LIMITS,
    row_bytes: int | None = None,
    field_lines: int | None = None,
) -> T:
    """Open a CSV of the export and return ``read(table)``; when the file turns out not to
    be UTF-8 part-way, ``read`` is called again on the file read as the whole file decides
    (cp1252, or UTF-8 with its bad bytes replaced: :func:`~backchannel.readers.text.decide_encoding`),
    so ``read`` must start from nothing each time.

    >>> import io
    >>> data = b"Notes:\\n\\nFirst Name,Last Name\\nJane,Roe\\n\\nSam,Lee\\n"
    >>> def names(table):
    ...     return [(line, first) for block in table.blocks(["first name"])
    ...             for line, first in zip(block.numbers.tolist(), block.strings("first name"))]
    >>> read_csv(lambda: io.BytesIO(data), "Connections.csv", lambda cells: "First Name" in cells, names,
    ...          what="Connections.csv")
    [(4, 'Jane'), (6, 'Sam')]
    """
    encoding: str | None = None
    for _attempt in range(2):
        try:
            try:
                with CsvTable(opener, name, is_header, what=what, limits=limits, row_bytes=row_bytes,
                              field_lines=field_lines, encoding=encoding) as table:
                    return read(table)
            finally:
                hand_back_memory()  # what the read freed, before the next file is read
        except NotUtf8:
            if encoding is not None:
                break
            encoding = decide_encoding(opener, limits)
    raise InputError("the text is not valid in any encoding we know", path=name)
