"""The mbox splitter: an mbox file's messages, found by their From_ lines, in bounded memory.

The file is read in blocks (1 MiB), never whole: memory stays bounded whatever its size, and
only a message's header block (up to :attr:`MailLimits.max_header_bytes`) is ever held, for
as long as it takes to find its Message-ID, Date, From, To, Cc and Bcc; its Subject goes
with it, and its body is only searched for the next message's start.

A message starts at a ``From`` line (the mbox "From_" line) that

1. comes first in the file, or after a blank line;
2. has the From_ shape: ``From <sender> <asctime-like date>``, such as
   ``From MAILER-DAEMON Tue Nov 24 19:30:00 2026`` (Python, Thunderbird),
   ``From 1781234567890@xxx Tue Nov 24 19:30:00 +0000 2026`` (Gmail Takeout) or
   ``From - Tue Nov 24 2026 19:30:00``; the one git writes into patches
   (``Mon Sep 17 00:00:00 2001``) never is;
3. is followed by a header line (``Name: value``), or by a ``>From`` line as some
   Thunderbird exports write.

Gmail Takeout does not escape ``From`` at the start of body lines; these rules keep
"From here on, ..." (not the shape), a pasted git patch, and a quoted From_ line followed by
text from being taken for the start of a message. mboxrd and mboxo ``>From`` escapes are
never separators. CRLF and LF files, and a mix, read the same. A line with the shape and a
header after it, but no blank line before it, is not split (some writers omit the blank
line; that message is then read as part of the one before) and is listed in the warnings
with its line, so it never goes unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .records import MAIL_LIMITS, MailLimits

__all__ = ["MboxPart", "MboxSplitter", "is_from_line"]

# --------------------------------------------------------------------------- shapes

_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_ZONE = r"(?:[+-]\d{4}|[A-Z]{1,5})"
#: ``From <sender> <date>``: asctime (``Tue Nov 24 19:30:00 2026``), with a zone before or
#: after the year (Gmail Takeout: ``+0000 2026``), or the year before the time
_FROM_LINE = re.compile(
    rb"From [^\s]+ +(?:" + _DAY.encode() + rb",? +)?" + _MONTH.encode()
    + rb" +\d{1,2},? +(?:" + _TIME.encode() + rb"(?: +" + _ZONE.encode() + rb")? +\d{4}(?: +" + _ZONE.encode()
    + rb")?|\d{4} +" + _TIME.encode() + rb"(?: +" + _ZONE.encode() + rb")?) *\r?\n?\Z",
    re.IGNORECASE)
#: git format-patch's fixed From_ date: a pasted patch, never a message boundary
_GIT_PATCH_DATE = re.compile(rb"Mon Sep 17 00:00:00 2001 *\r?\n?\Z")
#: the start of a header line: an RFC 5322 field name, then a colon
_HEADER_LINE = re.compile(rb"[!-9;-~]{1,200}[ \t]*:")
#: what may follow a From_ line: a header line, or a >From line as some Thunderbird exports write
_HEADER_START = re.compile(_HEADER_LINE.pattern + rb"|>From ")
#: the end of a header block: an empty line
_BLANK_LINE = re.compile(rb"\n\r?\n")


def is_from_line(line: bytes) -> bool:
    """Whether one line (with or without its line end) has the mbox From_ shape.

    >>> is_from_line(b"From MAILER-DAEMON Tue Nov 24 19:30:00 2026\\n")
    True
    >>> is_from_line(b"From 1781234567890@xxx Tue Nov 24 19:30:00 +0000 2026\\r\\n")
    True
    >>> is_from_line(b"From here on, we ship on Tuesdays (Nov 24 2026)")
    False
    >>> is_from_line(b"From 3a9f2c1e0d Mon Sep 17 00:00:00 2001")  # a git patch
    False
    """
    return bool(_FROM_LINE.match(line)) and not _GIT_PATCH_DATE.search(line)


# --------------------------------------------------------------------------- the mbox splitter


@dataclass(frozen=True, slots=True)
class MboxPart:
    """One message of an mbox: its number (from 1), the line of its From_ line, its header
    block (without the From_ line) and what is wrong with it ("" when nothing:
    ``"headers"`` for a header block over the limit, ``"truncated"`` for a file that ends
    inside it)."""

    number: int
    line: int
    headers: bytes
    problem: str = ""


#: the notes kept with their lines (the rest are counted)
MAX_NOTES = 20


class MboxSplitter:
    """The messages of an mbox stream, split as the module docstring says.

    Iterate :meth:`parts` once. ``notes`` collects ``(line, text)`` remarks for the warnings:
    From_-shaped lines not split for want of a blank line before them, and a file that ends
    in the middle of a line.

    The stream is read a block at a time into a buffer that holds the unread rest of the
    file from some point on; indexes are into the buffer, and :meth:`_drop` forgets what
    lies before an index (counting its line ends, for the line numbers).
    """

    def __init__(self, stream: BinaryIO, limits: MailLimits = MAIL_LIMITS):
        self._stream = stream
        self._limits = limits
        self._buf = b""
        self._eof = False
        self._line = 1  # the line number of the byte at self._line_at
        self._line_at = 0
        self.notes: list[tuple[int, str]] = []
        self.more_notes = 0  # notes past MAX_NOTES, counted only (a file can hold millions of them)

    def _fill(self) -> bool:
        """Read one more block; False at the end of the file."""
        if self._eof:
            return False
        chunk = self._stream.read(self._limits.block_bytes)
        if not chunk:
            self._eof = True
            return False
        self._buf = self._buf + chunk if self._buf else chunk
        return True

    def _drop(self, upto: int) -> None:
        if upto <= 0:
            return
        if upto >= self._line_at:
            self._line += self._buf.count(b"\n", self._line_at, upto)
            self._line_at = 0
        else:
            self._line_at -= upto
        self._buf = self._buf[upto:]

    def _line_of(self, at: int) -> int:
        if at >= self._line_at:
            self._line += self._buf.count(b"\n", self._line_at, at)
        else:
            self._line -= self._buf.count(b"\n", at, self._line_at)
        self._line_at = at
        return self._line

    def parts(self) -> Iterator[MboxPart]:
        """The messages, in file order."""
        self._fill()
        at = 3 if self._buf.startswith(b"\xef\xbb\xbf") else 0
        while True:  # blank lines before the first From_ line
            if len(self._buf) - at < 2 and self._fill():
                continue
            if self._buf.startswith(b"\r\n", at):
                at += 2
            elif self._buf.startswith(b"\n", at):
                at += 1
            else:
                break
        while len(self._buf) - at < 5 and self._fill():
            pass
        if not self._buf.startswith(b"From ", at):
            return
        number = 0
        while True:
            number += 1
            line = self._line_of(at)
            end = self._line_end(at)
            if end < 0:
                self.notes.append((line, "the file ends on a 'From ' line: an empty last message"))
                return
            body, part = self._headers(number, line, end)
            yield part
            nxt = self._next_from(body)
            if nxt < 0:
                if self._buf and not self._buf.endswith(b"\n"):
                    self.notes.append((self._line_of(len(self._buf)),
                                       "the file ends in the middle of a line: its last message may be cut short "
                                       "(it was kept: its headers are whole)"))
                return
            at = nxt

    def _line_end(self, at: int) -> int:
        """The index of the line feed that ends the From_ line at ``at``; a line longer than
        the limit is taken to end there; -1 when the file ends on it."""
        limit = self._limits.max_from_line_bytes
        while True:
            i = self._buf.find(b"\n", at, at + limit)
            if i >= 0:
                return i
            if len(self._buf) - at >= limit:
                return at + limit - 1
            if not self._fill():
                return -1

    def _headers(self, number: int, line: int, end: int) -> tuple[int, MboxPart]:
        """The header block after the From_ line that ends at ``end``: the index where the
        body starts, and the part."""
        at, limit = end + 1, self._limits.max_header_bytes
        search = end  # an empty header block is the From_ line's end and an empty line
        while True:
            m = _BLANK_LINE.search(self._buf, search)
            if m is not None and m.start() - at <= limit:
                # nothing is dropped here (that would copy the rest of the block for every
                # message): the search for the next message drops what it has passed
                return m.end(), MboxPart(number, line, self._buf[at:m.start() + 1])
            if len(self._buf) - at > limit:
                # read on as if in the body: the next message is found all the same
                return at, MboxPart(number, line, b"", "headers")
            search = max(end, len(self._buf) - 2)
            if not self._fill():
                headers = self._buf[at:]
                self._drop(len(self._buf))
                if not headers.endswith(b"\n"):
                    return 0, MboxPart(number, line, b"", "truncated")
                return 0, MboxPart(number, line, headers)

    def _next_from(self, at: int) -> int:
        """The index of the next message's From_ line, searching from the line end before
        ``at`` (which is in a body), or -1 at the end of the file."""
        search = max(0, at - 1)
        limit = self._limits.max_from_line_bytes
        while True:
            i = self._buf.find(b"\nFrom ", search)
            if i < 0:
                # keep the tail: "\nFrom " may straddle two blocks, and the two bytes
                # before it tell a blank line
                keep = max(0, len(self._buf) - 8)
                self._drop(keep)
                search = max(0, search - keep)
                if not self._fill():
                    return -1
                continue
            while len(self._buf) - i < limit + 256 and self._fill():
                pass  # the whole From_ line and the start of the next
            if self._is_separator(i):
                return i + 1
            search = i + 1
            if i > self._limits.block_bytes:  # bounded memory however many lines are rejected
                self._drop(i - 2)
                search = 3

    def _is_separator(self, i: int) -> bool:
        """Whether the line after the line feed at ``i`` starts a message."""
        buf = self._buf
        eol = buf.find(b"\n", i + 1, i + 1 + self._limits.max_from_line_bytes)
        if eol < 0 or not is_from_line(buf[i + 1:eol + 1]) or not _HEADER_START.match(buf, eol + 1):
            return False
        before = buf[max(0, i - 2):i]
        blank = before.endswith(b"\n") or before == b"\n\r"
        if not blank:
            if len(self.notes) < MAX_NOTES:
                self.notes.append((self._line_of(i + 1),
                                   "a 'From ' line shaped like the start of a message, with headers after it but no "
                                   "blank line before it: not taken as a new message"))
            else:
                self.more_notes += 1
        return blank
