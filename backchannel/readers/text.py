"""Guarded access to CSV text: encodings, delimiters, the header row, and hard limits.

Every file backchannel reads goes through :class:`Utf8Stream`, which turns the bytes of a
file in any encoding an export or a spreadsheet re-save uses (UTF-8 with or without a BOM,
UTF-16 with or without a BOM, cp1252) into UTF-8, and refuses giant files and lines early.
:func:`find_header` then finds the header row by its content after any preamble
(Connections.csv has a three-line ``Notes:`` preamble), and refuses a header wider than any
real file's at once.

**Encodings.** A file is read as UTF-8 until a byte says otherwise; then the whole file
decides (:func:`decide_encoding`): a file whose UTF-8 characters are at least as many as its
bytes that are not UTF-8 is UTF-8 with a few damaged bytes, read as UTF-8 with those bytes
replaced (U+FFFD) and their lines named (:attr:`Utf8Stream.replaced`); a file with none, or
fewer, is cp1252 (as Excel saves it). One stray byte never turns every "Zoë" into "ZoÃ«".

Two readers sit on top: the Arrow reader of the export's files
(:mod:`backchannel.readers.table`), and :func:`read_all_rows` here, Python's csv module with
exact line numbers, for small hand-written files such as the interviews file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import InputError

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

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    """Hard limits that keep memory bounded whatever a file claims to be.

    A LinkedIn field is a name, an address, a date or one message: never megabytes. The
    numbers are far above anything a real export holds and far below what would hurt.

    Attributes
    ----------
    max_file_bytes
        One file, after decompression (a ZIP member's declared size is checked first).
        2 GiB.
    max_archive_bytes
        All the files of one archive that are read, after decompression. 6 GiB.
    max_line_bytes
        One physical line before the header row, or in a file read with Python's csv
        module (the interviews file): a binary or hostile file fails here at once. 16 MiB.
    max_row_bytes
        One row of Connections.csv or another export file except messages.csv (a person,
        an invitation, a recommendation): its fields and delimiters. Arrow reads these
        files in blocks of this size. 64 KiB.
    max_message_row_bytes
        One row of messages.csv, whose fields are not all read: Arrow reads it in blocks of
        this size, and always reads a row up to this size; a longer one may be refused,
        one over twice this size always is. A message is a few KiB. 256 KiB.
    max_field_bytes
        One field of a column that is read, in any file. 128 KiB.
    max_field_lines
        Lines one row may span in files whose fields are short (Connections.csv,
        Invitations.csv, the interviews file): more is a quote that is never closed. 20.
    max_header_scan_lines
        Preamble lines before the header row. 40.
    max_columns
        Columns of a header row (or any line before it): LinkedIn's widest file has 16, an
        interviews file a few dozen. A wider line is refused at once, naming it. 1000.
    """

    max_file_bytes: int = 2 * GiB
    max_archive_bytes: int = 6 * GiB
    max_line_bytes: int = 16 * MiB
    max_row_bytes: int = 64 * KiB
    max_message_row_bytes: int = 256 * KiB
    max_field_bytes: int = 128 * KiB
    max_field_lines: int = 20
    max_header_scan_lines: int = 40
    max_columns: int = 1000


LIMITS = Limits()
#: how much of a file taken for UTF-8 is checked to be UTF-8 as it is read
UTF8_CHECK_BYTES = 16 * MiB


def describe_size(n: int) -> str:
    """A size for messages: ``1 MiB``, ``64 KiB``, ``1000 bytes``.

    >>> describe_size(16 * 1024**2), describe_size(65536), describe_size(1000)
    ('16 MiB', '64 KiB', '1000 bytes')
    """
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


#: the most lines a message lists one by one (then "and N more")
LINES_LISTED = 20


def describe_lines(lines: list[int], unit: str = "line") -> str:
    """``lines 12, 845, 2,031`` (up to :data:`LINES_LISTED`, then "and N more").

    >>> describe_lines([12, 845, 2031]), describe_lines([7]), describe_lines(list(range(1, 25)))[-23:]
    ('lines 12, 845, 2,031', 'line 7', '19, 20 and 4 more lines')
    """
    listed = ", ".join(f"{n:,}" for n in lines[:LINES_LISTED])
    more = len(lines) - LINES_LISTED
    return f"{unit}{'s' if len(lines) > 1 else ''} {listed}" + (f" and {more} more {unit}s" if more > 0 else "")


def replacement_warnings(name: str, encoding: str, lines: list[int]) -> list[str]:
    """The warning for bytes replaced with U+FFFD as a file was read (none when there are none)."""
    if not lines:
        return []
    if encoding == REPLACE:
        return [f"{name}: bytes that are not UTF-8 (the rest of the file is) replaced with \ufffd on "
                f"{describe_lines(lines)}; save the file as UTF-8 to keep them"]
    return [f"{name}: bytes that are no character in {encoding} (the file's encoding) replaced with \ufffd on "
            f"{describe_lines(lines)}"]


class NotUtf8(Exception):
    """Raised inside a read of a file taken for UTF-8 that is not: let the whole file decide
    (:func:`decide_encoding`) and read it again."""


#: the encoding of a file that is UTF-8 but for a few bytes: those are replaced, their lines named
REPLACE = "utf-8 (bad bytes replaced)"


# --------------------------------------------------------------------------- sniffing


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a file from its first bytes, and the length of its byte-order mark.

    Without a mark and without the NUL bytes of UTF-16, a file is taken for UTF-8 until a
    byte says otherwise (then :func:`decide_encoding` reads all of it).

    >>> sniff_encoding(codecs.BOM_UTF8 + b"a,b"), sniff_encoding("a,b".encode("utf-16"))
    (('utf-8', 3), ('utf-16', 0))
    >>> sniff_encoding("a,b\\n".encode("utf-16-le")), sniff_encoding("Café,Paris,France".encode("cp1252"))
    (('utf-16-le', 0), ('utf-8', 0))
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0  # the codec reads the mark and the byte order
    sample = head[:4096]
    if b"\x00" in sample:
        # UTF-16 without a mark: every other byte of ASCII text is NUL
        odd = sample[1::2]
        if odd.count(0) > len(odd) * 0.4:
            return "utf-16-le", 0
        raise InputError("this is a binary file, not a CSV text file")
    return "utf-8", 0


_ESCAPED = re.compile("[\udc80-\udcff]+")


def decide_encoding(opener: Callable[[], BinaryIO], limits: Limits = LIMITS) -> str:
    """What a file that is not all UTF-8 is: :data:`REPLACE` (UTF-8 but for a few bytes) or
    ``"cp1252"``, from all of its bytes: UTF-8 when its UTF-8 characters beyond ASCII are at
    least as many as its runs of bytes that are not UTF-8, and there is one at least.

    A cp1252 file (Excel's) has no UTF-8 characters, or a few by chance ("É’" is one);
    a UTF-8 file with a stray byte has its names' accents.

    >>> import io
    >>> decide_encoding(lambda: io.BytesIO("Zoë Quinn\\nJosé\\xff".encode("utf-8", "surrogateescape")))
    'utf-8 (bad bytes replaced)'
    >>> decide_encoding(lambda: io.BytesIO("Zoë Quinn,Café".encode("cp1252")))
    'cp1252'
    """
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    good = bad = total = 0
    with opener() as raw:
        while total <= limits.max_file_bytes:
            chunk = raw.read(1 << 20)
            total += len(chunk)
            text = decoder.decode(chunk, final=not chunk)
            if not text.isascii():
                runs = _ESCAPED.findall(text)
                bad += len(runs)
                good += len(text) - len(text.encode("ascii", "ignore")) - sum(map(len, runs))
            if not chunk:
                break
    return REPLACE if good and good >= bad else "cp1252"


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


# --------------------------------------------------------------------------- the stream


class Utf8Stream(io.RawIOBase):
    """The bytes of a text file as UTF-8, whatever its encoding, with size and line limits.

    UTF-8 passes through untouched (its first :data:`UTF8_CHECK_BYTES` are checked to be
    UTF-8; past that, readers check what they decode); other encodings are decoded and
    encoded again as they stream. ``read(n)`` returns ``n`` bytes until the end, or one
    fewer when the ``n``-th would be a CR (see :meth:`_read`): Arrow reads in blocks, and a
    row must not find its block much shorter than asked for.

    Parameters
    ----------
    raw
        The file, positioned after ``head``.
    head
        The bytes already read from ``raw`` to sniff the encoding.
    name
        The file's name for messages.
    encoding, bom
        As :func:`sniff_encoding` gives them.
    """

    def __init__(self, raw: BinaryIO, head: bytes, name: str, encoding: str, bom: int, limits: Limits):
        self._raw = raw
        self.name = name
        self.encoding = encoding
        self.limits = limits
        # a file read as UTF-8 but for a few bytes, or as cp1252: bytes the encoding does not
        # have come out as lone surrogates, and are replaced (their lines named) as they stream
        self._lenient = encoding in (REPLACE, "cp1252")
        codec = "utf-8" if encoding == REPLACE else encoding
        self._decoder = None if encoding == "utf-8" else codecs.getincrementaldecoder(codec)(
            "surrogateescape" if self._lenient else "strict")
        #: the lines (1-based, by line feeds) where bytes not in the encoding were replaced with U+FFFD
        self.replaced: list[int] = []
        self._line_feeds = 0  # line feeds converted so far (lenient encodings only)
        # UTF-8 is checked over the first few MiB (all of a Connections.csv); past that, the
        # Arrow reader checks the columns it reads
        self._checker = codecs.getincrementaldecoder("utf-8")("strict") if encoding == "utf-8" else None
        self._unchecked = UTF8_CHECK_BYTES
        self._raw_total = len(head)
        self._pending = b""
        self._eof = False
        self._end_marker = b""
        self._last_byte = b""
        self._append(self._convert(head[bom:], final=False))
        self.line_ends = 0  # line feeds handed out so far (for messages about long lines)
        self._gate: threading.Condition | None = None
        self._allowed = 0
        self._waiting = False  # the reader is inside a call that waits for reads (see waiting_for_reads)
        self._served = 0
        self._finished = False
        self._inside = 0  # reads in progress
        self._done = threading.Event()
        self._since_newline = 0
        self._check_size()

    # io.RawIOBase
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes of UTF-8 (all of the rest with -1); short only at the end."""
        if self._gate is None:
            return self._read(size)
        self._inside += 1
        try:
            with self._gate:
                while not self._allowed and not self._finished and not self._waiting:
                    self._gate.wait()
                if self._finished:
                    self._done.set()
                    return b""
                if self._allowed:
                    self._allowed -= 1
                self._served += 1
            data = self._read(size)
            if not data:
                self._done.set()
            return data
        except BaseException:
            self._done.set()
            raise
        finally:
            self._inside -= 1  # the last thing a read does in Python (see finish)

    # Arrow reads ahead on a thread of its own, calling read() through the GIL, and its
    # reader waits for that thread when it is freed, holding the GIL: a reader freed while a
    # read is due deadlocks, and a process that ends while a read is returning crashes. So
    # reads are handed out a few at a time, and when the reader is done with the file the
    # stream ends at once, and waits until the read-ahead has seen the end and left Python.

    def gate(self) -> None:
        """Serve reads only as :meth:`allow` permits them (for Arrow's read-ahead thread)."""
        self._gate = threading.Condition()

    def allow(self, reads: int) -> None:
        """Let reads through until ``reads`` have been served in all."""
        assert self._gate is not None
        with self._gate:
            self._allowed = max(self._allowed, reads - self._served)
            self._gate.notify_all()

    @contextmanager
    def waiting_for_reads(self) -> Iterator[None]:
        """Let every read through while the reader is inside a call that needs them (opening,
        or the next batch): Arrow may need more blocks than allowed to make one batch (a run of
        rows it skips, empty lines), and would wait for them for ever."""
        assert self._gate is not None
        with self._gate:
            self._waiting = True
            self._gate.notify_all()
        try:
            yield
        finally:
            with self._gate:
                self._waiting = False

    def finish(self) -> None:
        """End the stream for the reader's read-ahead, and wait until it is out of Python."""
        if self._gate is None:
            return
        with self._gate:
            self._finished = True
            self._gate.notify_all()
        # a read-ahead between two reads comes back at once and gets the end; one that Arrow
        # stopped (after an error in the file) never comes back
        self._done.wait(0.2)
        for _ in range(2000):
            if not self._inside:
                break
            time.sleep(0.001)  # lets the read return, GIL released
        time.sleep(0.001)  # and leave the C code that called it

    def _read(self, size: int | None) -> bytes:
        if size is None or size < 0:
            parts = [self._read(1 << 20)]
            while parts[-1]:
                parts.append(self._read(1 << 20))
            return b"".join(parts)
        if not self._pending and self._decoder is None and not self._eof:
            # the usual case (UTF-8, nothing held back): the file's bytes as they come
            chunk = self._raw.read(size)
            self._raw_total += len(chunk)
            self._check_size()
            if self._checker is not None and self._unchecked > 0:
                self._check_utf8(chunk)
            if chunk:
                self._last_byte = chunk[-1:]
            if len(chunk) < size:
                self._pending = chunk  # the end is near: the slow way, which adds the end marker
            elif not chunk.endswith(b"\r"):
                self._guard_lines(chunk)
                return chunk
            else:
                self._pending = chunk
        while len(self._pending) < size and not self._eof:
            self._fill(size - len(self._pending))
        cut = size
        if size > 1 and self._pending[size - 1:size] == b"\r":
            # Arrow (26) loses the LF of a CR LF inside a quoted field when the CR ends a
            # block: a block never ends on a CR (it goes with the next one)
            cut = size - 1
        out, self._pending = self._pending[:cut], self._pending[cut:]
        self._guard_lines(out)
        return out

    def unread(self, data: bytes) -> None:
        """Put bytes back in front of the stream (what the header scan read past the header)."""
        self._pending = data + self._pending
        self.line_ends -= data.count(b"\n")
        self._since_newline = 0

    def end_with(self, marker: bytes) -> None:
        """Add ``marker`` as a line of its own after the last byte of the file."""
        self._end_marker = marker
        if self._eof:
            self._add_marker()

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()

    # internals
    def _fill(self, want: int) -> None:
        chunk = self._raw.read(want)
        if chunk:
            self._raw_total += len(chunk)
            self._check_size()
            self._append(self._convert(chunk, final=False))
            return
        self._append(self._convert(b"", final=True))
        self._eof = True
        if self._end_marker:
            self._add_marker()

    def _append(self, data: bytes) -> None:
        if data:
            self._pending += data
            self._last_byte = data[-1:]

    def _add_marker(self) -> None:
        # the marker ends the last row, unless a quote is still open (see table.py)
        newline = b"" if self._last_byte in (b"\n", b"\r", b"") else b"\n"
        self._pending += newline + self._end_marker + b"\n"
        self._end_marker = b""

    def _convert(self, data: bytes, *, final: bool) -> bytes:
        if self._decoder is None:
            if self._checker is not None and self._unchecked > 0:
                self._check_utf8(data, final=final)
            return data
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError:
            raise InputError(f"the text is not valid {self.encoding} (nor in any other encoding we know)",
                             path=self.name) from None
        if self._lenient:
            if not text.isascii() and _ESCAPED.search(text):
                for found in _ESCAPED.finditer(text):
                    line = self._line_feeds + text.count("\n", 0, found.start()) + 1
                    if not self.replaced or self.replaced[-1] != line:
                        self.replaced.append(line)
                text = _ESCAPED.sub("\ufffd", text)
            self._line_feeds += text.count("\n")
        return text.encode("utf-8")

    def _check_utf8(self, data: bytes, *, final: bool = False) -> None:
        self._unchecked -= len(data)
        if data.isascii() and not final:
            return
        try:
            self._checker.decode(data, final)  # type: ignore[union-attr]
        except UnicodeDecodeError:
            raise NotUtf8 from None

    def _check_size(self) -> None:
        if self._raw_total > self.limits.max_file_bytes:
            raise InputError(f"file is larger than {describe_size(self.limits.max_file_bytes)}; refusing to read it",
                             path=self.name)

    def _guard_lines(self, data: bytes) -> None:
        # one pass of C-speed searches per block; the slow walk only for a block with a
        # line over the limit inside it
        limit = self.limits.max_line_bytes
        first = data.find(b"\n")
        if first < 0:
            self._since_newline += len(data)
            if self._since_newline > limit:
                self._too_long(self.line_ends + 1)
            return
        if self._since_newline + first > limit:
            self._too_long(self.line_ends + 1)
        last = data.rfind(b"\n")
        if last - first - 1 > limit:
            for k, part in enumerate(data[first + 1:last].split(b"\n"), start=1):
                if len(part) > limit:
                    self._too_long(self.line_ends + 1 + k)
        self.line_ends += data.count(b"\n")
        self._since_newline = len(data) - last - 1
        if self._since_newline > limit:
            self._too_long(self.line_ends + 1)

    def _too_long(self, line: int) -> None:
        raise InputError(f"a line is longer than {describe_size(self.limits.max_line_bytes)}; "
                         "this is not a LinkedIn export file", path=self.name, line=line)


def open_text(opener: Callable[[], BinaryIO], name: str, limits: Limits = LIMITS,
              encoding: str | None = None) -> Utf8Stream:
    """Open a file as a :class:`Utf8Stream`, sniffing its encoding unless ``encoding`` is given."""
    raw = opener()
    try:
        head = raw.read(65536)
        try:
            sniffed, bom = sniff_encoding(head)
        except InputError as exc:
            raise InputError(exc.message, path=name) from None
        if encoding is not None and sniffed == "utf-8":
            sniffed = encoding
        return Utf8Stream(raw, head, name, sniffed, bom, limits)
    except BaseException:
        raw.close()
        raise


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
