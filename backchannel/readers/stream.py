"""The bytes of a text file as UTF-8, whatever its encoding, with size and line limits.

Every file backchannel reads goes through a :class:`Utf8Stream`, which turns the bytes of a
file in any encoding an export or a spreadsheet re-save uses (UTF-8 with or without a BOM,
UTF-16 with or without a BOM, cp1252; see :mod:`backchannel.readers.encoding`) into UTF-8, and
refuses giant files and lines early. It is also what Arrow's CSV reader reads from, on a thread
of its own: the stream hands reads out so that the reader never waits for ever, nor ends while a
read is returning (:meth:`Utf8Stream.gate`).
"""

from __future__ import annotations

import codecs
import io
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from ..errors import InputError
from .encoding import ESCAPED, REPLACE, NotUtf8, sniff_encoding
from .limits import LIMITS, Limits, MiB, describe_size

__all__ = ["Utf8Stream", "open_text", "UTF8_CHECK_BYTES"]

#: how much of a file taken for UTF-8 is checked to be UTF-8 as it is read
UTF8_CHECK_BYTES = 16 * MiB


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
        # stopped (after an error in the file) never comes back. (Short sleeps, not a timed
        # wait: a timed wait's deadline is read from the monotonic clock, and where that clock
        # is shifted, as under faketime, it is never reached.)
        for _ in range(200):
            if self._done.is_set():
                break
            time.sleep(0.001)
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
            if not text.isascii() and ESCAPED.search(text):
                for found in ESCAPED.finditer(text):
                    line = self._line_feeds + text.count("\n", 0, found.start()) + 1
                    if not self.replaced or self.replaced[-1] != line:
                        self.replaced.append(line)
                text = ESCAPED.sub("\ufffd", text)
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

