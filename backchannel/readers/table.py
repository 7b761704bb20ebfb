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
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeAlias, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..domain import SkipLog
from ..errors import InputError
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


# ----------------------------------------------------------------------------- memory


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, which hands the memory malloc holds free back to the system
    (None where the C library has none: macOS, Windows, musl)."""
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def hand_back_memory() -> None:
    """Hand the memory a read freed back to the system, where the pool keeps it (glibc)."""
    if _TRIM is not None:
        _TRIM(0)


def _reader_pool() -> pa.MemoryPool:
    """The memory pool of the readers: the C library's malloc where what it keeps after a
    file can be handed back (glibc: :func:`read_csv` does, ``malloc_trim``), else jemalloc set
    to hand freed memory back at once.

    A streaming read allocates and frees a block's worth of memory per block (Arrow's parser
    copies every field of a block, the message bodies too). Arrow's default pool (mimalloc)
    keeps much of what is freed: reading a million messages peaked at 290 MiB with it.
    jemalloc handing each freed block back at once peaked at 200 MiB, but paid a page fault
    for every 4 KiB read again: 0.4 s per million messages, as long as Arrow's parse itself.
    malloc reuses the freed blocks as they are, and what it holds after the file goes back
    in one call: 0.3 s less per million messages, and the same peak or lower.
    """
    if _TRIM is not None:
        return pa.system_memory_pool()
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()
    pa.jemalloc_set_decay_ms(0)  # pyarrow's own jemalloc: nothing else in the process uses it
    return pool


#: every Arrow allocation of the readers goes here
POOL = _reader_pool()


# ----------------------------------------------------------------------------- Arrow <-> numpy
# pyarrow imports pandas (half a second, 40 MiB) the first time it converts Python or numpy
# values (``pa.array``, ``to_numpy``, scalars, Acero group-bys): the readers convert at the
# buffer level instead, which is also free of copies.


#: one Arrow array, or several side by side (Arrow's functions take either)
Column: TypeAlias = "pa.Array | pa.ChunkedArray"


def chunks_of(values: Column) -> list[pa.Array]:
    """The arrays of a column, one or several."""
    return values.chunks if isinstance(values, pa.ChunkedArray) else [values]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def ints(values: Column) -> np.ndarray:
    """An integer Arrow array without nulls as numpy (a view of its buffer when it is one chunk)."""
    parts = []
    for chunk in chunks_of(values):
        dtype = _NUMPY[chunk.type.id]
        parts.append(np.frombuffer(chunk.buffers()[1], dtype=dtype, count=len(chunk),
                                   offset=chunk.offset * dtype.itemsize))
    return _joined(parts, np.int64)


def bools(values: Column) -> np.ndarray:
    """A boolean Arrow array as numpy; null is False."""
    parts = []
    for chunk in chunks_of(values):
        n, start = len(chunk), chunk.offset
        validity, data = chunk.buffers()[:2]
        out = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")[start:start + n].astype(bool)
        if validity is not None and chunk.null_count:
            out &= np.unpackbits(np.frombuffer(validity, dtype=np.uint8),
                                 bitorder="little")[start:start + n].astype(bool)
        parts.append(out)
    return _joined(parts, bool)


def bool_array(mask: np.ndarray) -> pa.Array:
    """A numpy boolean mask as an Arrow array (for ``pc.filter``)."""
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(np.packbits(mask, bitorder="little"))])


def int_array(values: np.ndarray) -> pa.Array:
    """A numpy int64 array as an Arrow array (for ``pc.take``)."""
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def string_array(values: list[str]) -> pa.Array:
    """Python strings as an Arrow string array (for ``value_set``)."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


_NUMPY: dict[int, np.dtype] = {pa.int8().id: np.dtype(np.int8), pa.int16().id: np.dtype(np.int16), pa.int32().id: np.dtype(np.int32),
          pa.int64().id: np.dtype(np.int64), pa.uint8().id: np.dtype(np.uint8),
          pa.uint32().id: np.dtype(np.uint32), pa.uint64().id: np.dtype(np.uint64),
          pa.timestamp("s").id: np.dtype(np.int64)}


def value_sizes(values: Column) -> np.ndarray:
    """The size in bytes of each value of a string or binary array."""
    parts = []
    for chunk in chunks_of(values):
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
        parts.append(np.diff(offsets))
    return _joined(parts, np.int32)


def measure(values: Column) -> tuple[np.ndarray, np.ndarray | None]:
    """The size in bytes of each value of a string or binary array, and the line breaks
    inside each (None when there are none), counted as Python counts lines: CR LF once, a
    lone CR or LF once."""
    chunks = chunks_of(values)
    measured = [_measure(chunk) for chunk in chunks]
    sizes = _joined([m[0] for m in measured], np.int32)
    if all(m[1] is None for m in measured):
        return sizes, None
    return sizes, np.concatenate([m[1] if m[1] is not None else np.zeros(len(c), dtype=np.int64)
                                  for m, c in zip(measured, chunks, strict=True)])


def _measure(values: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    n = len(values)
    _validity, offsets_buffer, data = values.buffers()[:3]
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32, count=n + 1, offset=values.offset * 4)
    sizes = np.diff(offsets)
    start, end = int(offsets[0]), int(offsets[-1])
    if data is None or start == end:
        return sizes, None
    raw = data[start:end].to_pybytes()
    if b"\n" not in raw and b"\r" not in raw:  # the common case, at memchr speed
        return sizes, None
    codes = np.frombuffer(raw, dtype=np.uint8)
    feeds = np.flatnonzero(codes == 10) + start
    breaks = np.diff(np.searchsorted(feeds, offsets))
    returns = np.flatnonzero(codes == 13)
    if len(returns):
        # a CR followed by an LF of the same value is one line break with it
        paired = returns[(returns + 1 < len(codes)) & (codes[np.minimum(returns + 1, len(codes) - 1)] == 10)] + start
        paired = paired[~np.isin(paired + 1, offsets)]
        breaks += np.diff(np.searchsorted(returns + start, offsets)) - np.diff(np.searchsorted(paired, offsets))
    return sizes, breaks.astype(np.int64)


def _text_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


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
        if every_column:
            types = {n: pa.binary() for n in names}
            read = names
        else:
            types, read = {}, [names[i] for i in sorted(set(wanted_at.values()))]
        for i in wanted_at.values():
            types[names[i]] = pa.string()
        marker = self.delimiter.join([_END] * (width + 1))  # never the header's width
        self._stream.end_with(marker.encode("utf-8"))
        # rows are numbered as a spreadsheet numbers them: the header's row is its line
        state = _Places(self.header_line + 1, count_lines=every_column)
        place_of = {name: at for at, name in enumerate(read)}
        work = _Work(self, state, {key: place_of[names[i]] for key, i in wanted_at.items()}, width, every_column)

        def on_invalid(row: Any) -> str:
            if row.text == marker:
                state.end_seen = True
            else:
                state.pending.append((row.number if row.number is not None else 0, row.text, row.actual_columns))
            return "skip"

        reader: pcsv.CSVStreamingReader | None = None
        stream = self._stream
        stream.gate()
        batches = 0
        group: list[pa.RecordBatch] = []
        group_bytes = 0
        try:
            stream.allow(_READ_AHEAD)
            try:
                with stream.waiting_for_reads():
                    reader = pcsv.open_csv(
                        stream,
                        read_options=pcsv.ReadOptions(use_threads=False, block_size=self.row_bytes, column_names=names),
                        parse_options=pcsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                                        ignore_empty_lines=not every_column,
                                                        invalid_row_handler=on_invalid),
                        convert_options=pcsv.ConvertOptions(column_types=types, include_columns=read,
                                                            strings_can_be_null=False),
                        memory_pool=POOL)
            except pa.ArrowInvalid as exc:
                raise self._error(exc, state) from None
            while True:
                stream.allow(batches + _READ_AHEAD)
                try:
                    with stream.waiting_for_reads():
                        batch = reader.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid as exc:
                    # the rows before the error first: their own errors come first, and
                    # they tell where this one is
                    work.block(group)
                    group = []
                    raise self._error(exc, state) from None
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
            stream.finish()  # see Utf8Stream.gate: before the reader is freed
            if reader is not None:
                reader.close()
                reader = None
        work.block([], final=True)
        if not state.end_seen:
            raise self.fail("a quoted field opened on this line is never closed", state.last, state)

    def fail(self, message: str, number: int, state: _Places) -> InputError:
        """An error about the row at ``number`` (a line, or a row when rows are numbered)."""
        line = number if state.count_lines else self._line_of_row(number)
        if line is None:
            return InputError(f"row {number}: {message.replace('on this line', 'in this row')}", path=self.name)
        return InputError(message, path=self.name, line=line)

    def _error(self, exc: pa.ArrowInvalid, state: _Places) -> Exception:
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

    def __init__(self, table: CsvTable, state: _Places, at: dict[str, int], width: int, every_column: bool):
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


class _Places:
    """Where each row is. Arrow numbers every row in turn, the invalid ones too, and reports
    invalid rows as it parses them, which can be a block ahead of the batch it returns; with
    ``count_lines``, the line breaks inside rows give the line each starts on."""

    def __init__(self, first: int, *, count_lines: bool):
        self.count_lines = count_lines
        self.next = first  # the line (or row) of the next row
        self.next_row = 1  # Arrow's number for the next row
        self.last = first  # the line (or row) of the last row so far
        self.end_seen = False
        self.pending: list[tuple[int, str, int]] = []  # invalid rows not yet placed: (number, text, fields)

    def place(self, breaks: np.ndarray, *, final: bool = False) -> tuple[np.ndarray, list[_Invalid]]:
        """The place of each of a batch's valid rows (``breaks`` line breaks inside each),
        and the invalid rows that come before or among them (all that are left when
        ``final``)."""
        n = len(breaks)
        self.pending.sort()
        placed: list[tuple[int, int, str, int]] = []  # (position in the batch, ...)
        while self.pending:
            number, text, fields = self.pending[0]
            at = number - self.next_row
            if placed:
                at = max(at, placed[-1][0] + 1)
            at = max(at, 0)
            if at > n + len(placed) and not final:
                break  # a row of a later batch
            at = min(at, n + len(placed))
            placed.append((at, number, text, fields))
            self.pending.pop(0)
        total = n + len(placed)
        spans = np.ones(total, dtype=np.int64)
        is_invalid = np.zeros(total, dtype=bool)
        invalid_breaks = [_text_breaks(text) for _a, _n, text, _f in placed]
        if placed:
            positions = np.array([a for a, _n, _t, _f in placed], dtype=np.int64)
            is_invalid[positions] = True
            if self.count_lines:
                spans[positions] += invalid_breaks
        if self.count_lines:
            spans[~is_invalid] += breaks
        starts = self.next + np.concatenate(([0], np.cumsum(spans)[:-1])) if total else spans
        invalid = [_Invalid(int(number), more, fields)
                   for number, more, (_a, _n, _t, fields) in zip(starts[is_invalid], invalid_breaks, placed,
                                                                 strict=True)]
        if total:
            self.last = int(starts[-1])
            self.next += int(spans.sum())
            self.next_row += total
        return starts[~is_invalid].astype(np.int64), invalid


@dataclass
class _Invalid:
    number: int  # its line, or its row
    breaks: int  # line breaks inside the row
    fields: int


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
