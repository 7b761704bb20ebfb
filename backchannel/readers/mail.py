"""Mail archives to rows: who wrote to whom, and when. Never a subject, never a body.

``read_mail(path)`` reads any of the three layouts people export mail in:

- an **mbox** file (Gmail Takeout, Thunderbird, Apple Mail's ``X.mbox/mbox``, ``mailbox.mbox``);
- a **Maildir** (a folder with ``cur/`` and ``new/``; Maildir++ subfolders such as ``.Sent``
  are read too);
- a **folder of** ``.eml`` **files** (Apple Mail and Outlook exports; ``.emlx`` too), which may
  also hold ``.mbox`` files and Maildirs; all are read, in name order.

It returns a :class:`MailArchive` at once (a path that is no mailbox at all is a one-line
:class:`~backchannel.errors.InputError` there and then) whose iteration streams one
:class:`MailMessage` per message:

==================  ===================================================================
``message_hash``    sha256 (hex) of the normalised Message-ID (the text between ``<`` and
                    ``>``, spaces removed); without one, of the date, the sender and the
                    recipients, so the same message read again has the same hash
``sent_at``         aware datetime from the ``Date`` header, in the offset it gives
                    (UTC when it gives none, as ``-0000`` means)
``sender``          the first address of ``From``, lower-cased
``recipients``      the addresses of ``To``, ``Cc`` and ``Bcc``, lower-cased, de-duplicated,
                    in the order met; display names are never kept
``addressed``       how many of them come first from ``To`` (the people written to; the
                    rest were copied)
``where``           ``archive.mbox, message 12 (line 3456)``, or the message file's path
                    under the folder given (``Maildir/cur/1733…:2,S``, ``Exports/re.eml``)
==================  ===================================================================

After (or during) the iteration the archive says what it left out: :attr:`MailArchive.skipped`
(a :class:`~backchannel.domain.SkipLog`: reasons, counts and up to three places each) and
:attr:`MailArchive.warnings`. Bad input never raises once the layout is known: a message with
no readable date, no sender, headers over the limit, or cut short by the end of the file
(the file ends inside its headers, without a line end) is skipped and counted with its
place; a message seen before (same Message-ID) is counted as a duplicate.

How the mbox is split
---------------------
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

Headers
-------
Headers are found with one regular expression over the header block and addresses parsed
with :func:`email.utils.getaddresses`, without building a :class:`~email.message.Message`.
Measured on a 2.6 KiB Gmail header block (Python 3.11): this way 48 µs a message,
``BytesHeaderParser(policy=compat32)`` 66 µs, ``policy.default`` 527 µs. It also reads past
header lines that are not headers (a ``>From`` line), where the feed parser stops.

Display names are never decoded (they are not kept), so a name in an unknown charset or
with a broken encoded word costs nothing; an address itself that is not readable (8-bit
bytes that are not UTF-8, an encoded word in an unknown charset hiding the address) is left
out and counted.
"""

from __future__ import annotations

import hashlib
import os
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.header import decode_header
from email.utils import getaddresses, parsedate_tz
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..domain import SkipLog
from ..errors import InputError
from ..times import MAX_YEAR, MIN_YEAR
from .text import describe_size

if TYPE_CHECKING:
    from .table import CsvTable

__all__ = [
    "MailMessage",
    "MailArchive",
    "MailSource",
    "MailLimits",
    "MAIL_LIMITS",
    "MboxPart",
    "MboxSplitter",
    "read_mail",
    "parse_headers",
    "message_hash",
    "normalise_message_id",
    "is_from_line",
    "parse_date",
    "find_sources",
    "export_addresses",
    "REASONS",
]

KiB = 1024
MiB = 1024 * KiB


@dataclass(frozen=True)
class MailLimits:
    """Sizes that keep memory bounded whatever a mail file holds.

    Attributes
    ----------
    max_header_bytes
        One message's header block. Real ones are a few KiB (Gmail's with its DKIM and ARC
        seals: 5-10 KiB); a longer block is skipped and counted. 256 KiB.
    block_bytes
        How much of an mbox is read at a time. 1 MiB.
    max_from_line_bytes
        The longest From_ line taken as one. 1 KiB.
    """

    max_header_bytes: int = 256 * KiB
    block_bytes: int = 1 * MiB
    max_from_line_bytes: int = 1 * KiB


MAIL_LIMITS = MailLimits()

#: the reasons a message is skipped, as the skip log spells them
REASONS = {
    "date": "no readable date (the Date header is missing or not a date)",
    "sender": "no readable sender address (From)",
    "headers": "headers longer than the limit",
    "truncated": "cut short: the file ends inside the message's headers",
    "duplicate": "the same message again (same Message-ID)",
    "not_mail": "not a mail message",
    "not_mbox": "not an mbox file (it does not start with a 'From ' line)",
    "address": "an address that cannot be read (left out; the message is kept)",
    "charset": "an encoded address in an unknown charset (left out; the message is kept)",
    "unreadable": "a file that cannot be read",
}


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message: who, when, which direction. Nothing of what it says.

    See the module docstring for the fields. ``where`` is for telling the user about this
    message; it is not to be stored: Outlook and Apple Mail name ``.eml`` files after the
    subject, so a file name can repeat one.
    """

    message_hash: str
    sent_at: datetime
    sender: str
    recipients: tuple[str, ...]
    where: str
    addressed: int = 0  # the first ``addressed`` recipients are from To; the rest were copied

    @property
    def written_to(self) -> tuple[str, ...]:
        """The addresses of ``To`` (not those copied)."""
        return self.recipients[:self.addressed]


@dataclass(frozen=True)
class MailSource:
    """One file to read: an mbox, or a single message (``.eml``, ``.emlx``, a Maildir file)."""

    kind: str  # "mbox", "message" or "emlx"
    path: Path
    display: str


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
#: the fields read, with their folded continuation lines
_FIELDS = re.compile(rb"^(message-id|date|from|to|cc|bcc)[ \t]*:(.*(?:\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
_MESSAGE_ID = re.compile(r"<([^<>]+)>")
#: bytes that were not UTF-8 (kept as surrogates), or a replacement character
_UNREADABLE = re.compile("[\udc80-\udcff\ufffd]")
_ADDRESS = re.compile(r"[^\s@<>()\[\]\\,;:\"]+@[^\s@<>()\[\]\\,;:\"]+")


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
            self.notes.append((self._line_of(i + 1),
                               "a 'From ' line shaped like the start of a message, with headers after it but no "
                               "blank line before it: not taken as a new message"))
        return blank


# --------------------------------------------------------------------------- headers


def normalise_message_id(value: str) -> str:
    """The Message-ID without its angle brackets, comments or folding; "" when there is none.

    >>> normalise_message_id(" <CAB12@mail.gmail.com> (sent from my phone)")
    'CAB12@mail.gmail.com'
    >>> normalise_message_id("no-brackets@example.com"), normalise_message_id("  ")
    ('no-brackets@example.com', '')
    """
    m = _MESSAGE_ID.search(value)
    text = m.group(1) if m else value
    return "".join(text.split())


def message_hash(message_id: str, sent_at: datetime | None = None, sender: str = "",
                 recipients: Iterable[str] = ()) -> str:
    """sha256 (hex) of the normalised Message-ID; without one, of the date (as UTC), the
    sender and the sorted recipients, so that the same message always has the same hash.

    >>> message_hash("<a@b>") == message_hash("a@b") == hashlib.sha256(b"a@b").hexdigest()
    True
    """
    key = normalise_message_id(message_id)
    if key:
        data = key.encode("utf-8", "surrogateescape")
    else:
        when = sent_at.astimezone(timezone.utc).isoformat() if sent_at is not None else ""
        data = "\x00".join(["no message-id", when, sender, *sorted(set(recipients))]).encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()


_ZONES: dict[int, timezone] = {}


def _zone(offset: int) -> timezone:
    tz = _ZONES.get(offset)
    if tz is None:
        tz = _ZONES[offset] = timezone.utc if offset == 0 else timezone(timedelta(seconds=offset))
    return tz


def parse_date(value: str) -> datetime | None:
    """An RFC 5322 date as an aware datetime (UTC when it gives no offset); None when it is
    not a date or lies outside the years backchannel accepts.

    >>> parse_date("Tue, 24 Nov 2026 19:30:00 -0500").isoformat()
    '2026-11-24T19:30:00-05:00'
    >>> parse_date("24 Nov 2026 19:30 GMT").isoformat(), parse_date("soon")
    ('2026-11-24T19:30:00+00:00', None)
    """
    try:
        parts = parsedate_tz(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parts is None:
        return None
    offset = parts[9] or 0
    if not MIN_YEAR <= parts[0] <= MAX_YEAR or abs(offset) >= 24 * 3600:
        return None
    try:
        return datetime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], tzinfo=_zone(offset))
    except (ValueError, OverflowError):
        return None


def _decode(value: bytes) -> str:
    if b"\n" in value or b"\r" in value:  # folded, or the CR of a CRLF line end
        value = value.replace(b"\r\n", b"").replace(b"\n", b"").replace(b"\r", b"")
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        # 8-bit text in some other charset: names are not kept, and an address with such
        # bytes in it is not readable (see _clean_address)
        return value.decode("utf-8", "surrogateescape").strip()


def _clean_address(address: str) -> str | None:
    """An address lower-cased, "" when there is none, None when there is one that cannot be read."""
    text = address.strip().strip("<>").strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    if not text:
        return ""
    if "@" not in text:
        return ""  # a group's name, "undisclosed-recipients", or an encoded word (see _encoded_addresses)
    if _ADDRESS.fullmatch(text) is None or (not text.isascii() and _UNREADABLE.search(text)):
        return None
    return text.lower()


_NEEDS_PARSER = re.compile(r'["(\\:;]')  # quoted names, comments, groups, escapes, mailto:
_ANGLE = re.compile(r"<([^<>]*)>")


def _split_addresses(value: str) -> list[str]:
    """The addresses of one header value, uncleaned. Values without quotes, comments or
    groups (most of them: ``Jane Roe <jane@x>, sam@y``) are split here, as
    :func:`email.utils.getaddresses` would split them, at a tenth of its cost; the others
    go to it."""
    if _NEEDS_PARSER.search(value) is not None:
        return [address for _name, address in getaddresses([value])]
    out = []
    for part in value.split(","):
        inside = _ANGLE.findall(part)
        out.append(inside[-1] if inside else part)
    return out


def _addresses(values: list[str], log: SkipLog, where: str) -> list[str]:
    out: list[str] = []
    for address in (a for value in values for a in _split_addresses(value)):
        clean = _clean_address(address)
        if clean is None:
            log.skip(REASONS["address"], where)
        elif clean and clean not in out:
            out.append(clean)
    return out


def _encoded_addresses(value: str, log: SkipLog, where: str) -> list[str]:
    """Addresses hidden in encoded words (``=?UTF-8?B?amFuZUBhY21l...?=``), as some broken
    mailers write a bare address."""
    try:
        parts = decode_header(value)
    except (ValueError, IndexError):
        return []
    text = []
    for part, charset in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        try:
            text.append(part.decode(charset or "ascii", "replace"))
        except LookupError:
            log.skip(REASONS["charset"], where)
            return []
    return _addresses(["".join(text)], log, where)


def parse_headers(headers: bytes, where: str, skipped: SkipLog) -> MailMessage | None:
    """One message from its header block, or None when it has no readable date or sender
    (the reason goes to ``skipped``).

    >>> log = SkipLog()
    >>> m = parse_headers(b"From: =?UTF-8?B?SmFuZSBSb8Op?= <Jane.Roe@Acme.example>\\r\\n"
    ...                   b"To: Alex <alex@example.com>, \\"Roe, Jane\\" <jane.roe@acme.example>\\r\\n"
    ...                   b"Date: Tue, 24 Nov 2026 19:30:00 -0500\\r\\nMessage-ID: <x1@acme.example>\\r\\n",
    ...                   "inbox.mbox, message 1 (line 1)", log)
    >>> m.sender, m.recipients, m.sent_at.isoformat()
    ('jane.roe@acme.example', ('alex@example.com', 'jane.roe@acme.example'), '2026-11-24T19:30:00-05:00')
    >>> parse_headers(b"From: a@x.example\\nTo: b@x.example\\nCc: c@x.example, b@x.example\\n"
    ...               b"Date: Tue, 24 Nov 2026 19:30:00 -0500\\n", "m.eml", log).written_to
    ('b@x.example',)
    """
    found: dict[bytes, list[bytes]] = {}
    for m in _FIELDS.finditer(headers):
        found.setdefault(m.group(1).lower(), []).append(m.group(2))
    date_values = found.get(b"date")
    sent_at = parse_date(_decode(date_values[0])) if date_values else None
    if sent_at is None:
        skipped.skip(REASONS["date"], where)
        return None
    sender = ""
    for raw in found.get(b"from", ())[:1]:
        value = _decode(raw)
        senders = _addresses([value], skipped, where)
        if not senders and "=?" in value:
            senders = _encoded_addresses(value, skipped, where)
        sender = senders[0] if senders else ""
    if not sender:
        skipped.skip(REASONS["sender"], where)
        return None
    recipients: list[str] = []
    addressed = 0
    for key in (b"to", b"cc", b"bcc"):
        for raw in found.get(key, ()):
            value = _decode(raw)
            got = _addresses([value], skipped, where)
            if not got and "=?" in value:
                got = _encoded_addresses(value, skipped, where)
            recipients.extend(a for a in got if a not in recipients)
        if key == b"to":
            addressed = len(recipients)
    ids = found.get(b"message-id")
    return MailMessage(message_hash(_decode(ids[0]) if ids else "", sent_at, sender, recipients), sent_at, sender,
                       tuple(recipients), where, addressed)


# --------------------------------------------------------------------------- layouts


def _sniff(head: bytes) -> str:
    """What a file's first bytes say it is: "empty", "mbox", "message", or what it is not."""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    text = text.lstrip(b"\r\n")
    if not head:
        return "empty"
    if not text:
        return "blank"
    if text.startswith(b"From "):
        # a From_ line, or at least a header after the first line: not a letter that starts "From the desk of"
        eol = text.find(b"\n")
        if eol < 0 or is_from_line(text[:eol + 1]) or _HEADER_START.match(text, eol + 1):
            return "mbox"
        return "other"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd")):
        return "compressed"
    if _HEADER_LINE.match(text) and b"\x00" not in head:
        return "message"
    return "other"


def _head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


_NOT_MAILBOX = "not a mailbox: expected an mbox file (it starts with a 'From ' line), a Maildir or a folder of .eml files"


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def find_sources(path: Path) -> tuple[str, list[MailSource]]:
    """The layout of ``path`` ("mbox", "message", "maildir", "folder") and the files to read.

    Raises :class:`InputError` for a path that is no mailbox at all.
    """
    if not path.exists():
        raise InputError("no such file or folder", path=path)
    if path.is_file():
        try:
            kind = _sniff(_head(path))
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
        if kind in ("empty", "blank", "mbox"):
            return "mbox", [MailSource("mbox", path, path.name)]
        if kind == "message" or (path.suffix.lower() == ".emlx" and _emlx_head(path)):
            return "message", [MailSource("emlx" if path.suffix.lower() == ".emlx" else "message", path, path.name)]
        if kind == "zip":
            raise InputError("this is a ZIP archive; unpack it and give the .mbox file or the folder inside "
                             "(Gmail Takeout: Takeout/Mail/)", path=path)
        if kind == "compressed":
            raise InputError("this is a compressed file; unpack it and give the .mbox file or the folder inside",
                             path=path)
        raise InputError(_NOT_MAILBOX, path=path, line=1)
    if not path.is_dir():
        raise InputError(_NOT_MAILBOX, path=path)
    sources: list[MailSource] = []
    root_is_maildir = _is_maildir(path)
    for folder, dirs, files in os.walk(path):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or _is_maildir(here / d))
        if _is_maildir(here):
            for sub in ("cur", "new"):
                for name in sorted(os.listdir(here / sub)):
                    file = here / sub / name
                    if not name.startswith(".") and file.is_file():
                        sources.append(MailSource("message", file, _display(path, file)))
            dirs[:] = [d for d in dirs if d not in ("cur", "new", "tmp")]
        for name in sorted(files):
            file = here / name
            low = name.lower()
            if low.endswith(".eml"):
                sources.append(MailSource("message", file, _display(path, file)))
            elif low.endswith(".emlx"):
                sources.append(MailSource("emlx", file, _display(path, file)))
            elif low.endswith((".mbox", ".mbx")) or ("." not in name and _starts_with_from(file)):
                # files without an extension that start as an mbox does: Thunderbird's Inbox,
                # Sent, ...; Apple Mail's X.mbox/mbox
                sources.append(MailSource("mbox", file, _display(path, file)))
    sources.sort(key=lambda s: tuple(part.lower() for part in s.path.relative_to(path).parts))
    if not sources:
        raise InputError("no mail in this folder: " + _NOT_MAILBOX.split(": ", 1)[1], path=path)
    kinds = {s.kind for s in sources}
    layout = "maildir" if root_is_maildir and kinds == {"message"} else "eml" if kinds <= {"message", "emlx"} else (
        "mbox" if kinds == {"mbox"} else "folder")
    return layout, sources


def _starts_with_from(file: Path) -> bool:
    try:
        return _sniff(_head(file, 64)) == "mbox"
    except OSError:
        return False


def _display(root: Path, file: Path) -> str:
    return str(Path(root.name) / file.relative_to(root))


def _emlx_head(path: Path) -> bool:
    head = _head(path, 64)
    first = head.split(b"\n", 1)[0].strip()
    return first.isdigit()


# --------------------------------------------------------------------------- reading


class MailArchive:
    """A mail archive being read. Iterate for its :class:`MailMessage` records (each
    iteration reads the files again, and starts the counts afresh).

    Attributes
    ----------
    path
        What was given.
    layout
        ``"mbox"``, ``"maildir"``, ``"eml"`` (a folder of messages), ``"message"`` (one
        message file) or ``"folder"`` (a folder holding several kinds).
    sources
        The files read, in order.
    skipped
        Messages (and addresses) left out, by reason, with up to three places each.
    warnings
        Other remarks, each naming its file and line.
    found
        Messages met so far (read, skipped and duplicates).
    read
        Messages handed out so far.
    """

    def __init__(self, path: Path, layout: str, sources: list[MailSource], *, only: frozenset[str] | None,
                 limits: MailLimits):
        self.path = path
        self.layout = layout
        self.sources = tuple(sources)
        self.skipped = SkipLog()
        self.warnings: list[str] = []
        self.found = 0
        self.read = 0
        self._only = only
        self._limits = limits

    def __repr__(self) -> str:
        return f"MailArchive({str(self.path)!r}, layout={self.layout!r}, sources={len(self.sources)})"

    def __iter__(self) -> Iterator[MailMessage]:
        self.skipped, self.warnings, self.found, self.read = SkipLog(), [], 0, 0
        seen = _Seen()
        only = self._only
        for source in self.sources:
            for message in self._messages(source):
                if not seen.add(int(message.message_hash[:16], 16)):
                    self.skipped.skip(REASONS["duplicate"], message.where)
                    continue
                if only is not None and message.sender not in only and not only.intersection(message.recipients):
                    continue
                self.read += 1
                yield message

    def _messages(self, source: MailSource) -> Iterator[MailMessage]:
        if source.kind == "mbox":
            yield from self._mbox(source)
            return
        self.found += 1
        try:
            headers, problem = _file_headers(source, self._limits)
        except OSError as exc:
            self.skipped.skip(REASONS["unreadable"] + f" ({exc.strerror or exc})", source.display)
            return
        if problem:
            self.skipped.skip(self._reason(problem), source.display)
            return
        message = parse_headers(headers, source.display, self.skipped)
        if message is not None:
            yield message

    def _reason(self, problem: str) -> str:
        if problem == "headers":
            return REASONS[problem] + f" ({describe_size(self._limits.max_header_bytes)})"
        return REASONS[problem]

    def _mbox(self, source: MailSource) -> Iterator[MailMessage]:
        try:
            stream = open(source.path, "rb")  # noqa: SIM115 (closed in finally, across yields)
        except OSError as exc:
            self.skipped.skip(REASONS["unreadable"] + f" ({exc.strerror or exc})", source.display)
            return
        try:
            head = stream.read(4096)
            kind = _sniff(head)
            if kind in ("empty", "blank"):
                self.warnings.append(f"{source.display}: the file is empty (no messages)")
                return
            if kind != "mbox":
                self.skipped.skip(REASONS["not_mbox"], source.display)
                return
            stream.seek(0)
            splitter = MboxSplitter(stream, self._limits)
            for part in splitter.parts():
                self.found += 1
                where = f"{source.display}, message {part.number} (line {part.line})"
                if part.problem:
                    self.skipped.skip(self._reason(part.problem), where)
                    continue
                message = parse_headers(part.headers, where, self.skipped)
                if message is not None:
                    yield message
            self.warnings.extend(f"{source.display}, line {line}: {text}" for line, text in splitter.notes)
        finally:
            stream.close()


class _Seen:
    """A set of 64-bit keys (the first 8 bytes of a message's hash), 8 to 16 bytes each.

    A Python set of ints takes about 80 bytes a key: 100 MiB for the million messages a GiB
    of small ones holds. Open addressing with linear probing over an ``array('Q')`` at most
    half full; the keys are uniform (sha256), so their low bits are the slot.
    """

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._mask = 1023
        self._count = 0

    def add(self, key: int) -> bool:
        """Add ``key``; False when it was there already."""
        key = key or 1  # 0 marks an empty slot
        slots, mask = self._slots, self._mask
        i = key & mask
        while True:
            here = slots[i]
            if here == key:
                return False
            if not here:
                slots[i] = key
                self._count += 1
                if self._count * 2 > mask:
                    self._grow()
                return True
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._mask = mask = len(old) * 2 - 1
        self._slots = slots = array("Q", bytes(8 * (mask + 1)))
        for key in old:
            if key:
                i = key & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = key


def _file_headers(source: MailSource, limits: MailLimits) -> tuple[bytes, str]:
    """The header block of a one-message file, and what is wrong ("" when nothing)."""
    with open(source.path, "rb") as fh:
        data = fh.read(64 * KiB)
        if source.kind == "emlx":  # Apple Mail: a line with the message's length first
            first, _, rest = data.partition(b"\n")
            if not first.strip().isdigit():
                return b"", "not_mail"
            data = rest
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        if data.startswith(b"From ", start):  # a message saved from an mbox
            eol = data.find(b"\n", start)
            start = eol + 1 if eol >= 0 else len(data)
        if data[start:start + 1] in (b"\n", b"\r"):
            return b"", "not_mail"  # no headers at all
        if not _HEADER_LINE.match(data, start) or b"\x00" in data[start:start + 4096]:
            return b"", "not_mail"
        search = start
        while True:
            m = _BLANK_LINE.search(data, search)
            if m is not None and m.start() - start <= limits.max_header_bytes:
                return data[start:m.start() + 1], ""
            if m is not None or len(data) - start > limits.max_header_bytes:
                return b"", "headers"
            more = fh.read(64 * KiB)
            if not more:
                headers = data[start:]
                return (b"", "truncated") if not headers.endswith(b"\n") else (headers, "")
            search = max(start, len(data) - 2)
            data += more


def read_mail(path: str | os.PathLike[str], *, only: Iterable[str] | None = None,
              limits: MailLimits = MAIL_LIMITS) -> MailArchive:
    """The messages of a mail archive (see the module docstring), streamed.

    Parameters
    ----------
    path
        An mbox file, a Maildir, a folder of ``.eml`` files, or one message file.
    only
        When given, only messages whose sender or a recipient is one of these addresses
        (case does not matter) are handed out; the others are still read and counted.
    limits
        See :class:`MailLimits`.

    Raises :class:`~backchannel.errors.InputError` at once for a path that is no mailbox;
    nothing after that raises for what the files hold.
    """
    path = Path(path)
    layout, sources = find_sources(path)
    wanted = frozenset(a.strip().lower() for a in only) if only is not None else None
    return MailArchive(path, layout, sources, only=wanted, limits=limits)


# --------------------------------------------------------------------------- the user's own addresses


def _is_addresses_name(name: str) -> bool:
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower().replace("_", " ").strip() == "email addresses.csv"


def _is_addresses_header(cells: list[str]) -> bool:
    low = {c.lower() for c in cells}
    return "email address" in low and "primary" in low


def export_addresses(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The user's own addresses from a LinkedIn export's ``Email Addresses.csv`` (header
    ``Email Address,Confirmed,Primary,Updated On``): the primary one first, then the
    confirmed ones, then the rest, in the file's order, lower-cased, each once; text that is
    not an address is left out. ``path`` is the export's ZIP, its folder or the CSV itself;
    an export without the file gives ``()``.

    Raises :class:`~backchannel.errors.InputError` for a file that is not that table.
    """
    # imported here: the export readers bring pyarrow and numpy (70 MiB, 0.1 s), which
    # read_mail does not need
    from .export import ExportSource
    from .table import read_csv
    from .text import LIMITS

    source = ExportSource(Path(path), LIMITS)
    try:
        named = sorted((name for name in source.files if _is_addresses_name(name)),
                       key=lambda n: (n.count("/"), n))
        if source.single:
            named = list(source.files)  # a CSV given by itself: its header says whether it is one
        if not named:
            return ()
        file = source.files[named[0]]

        def read(table: CsvTable) -> list[tuple[str, str, str]]:
            rows: list[tuple[str, str, str]] = []
            for block in table.blocks(["email address", "confirmed", "primary"]):
                rows.extend(zip(block.strings("email address"), block.strings("confirmed"),
                                block.strings("primary"), strict=True))
            return rows

        rows = read_csv(file.opener, file.display, _is_addresses_header, read,
                        what="Email Addresses.csv (Email Address, Confirmed, Primary, Updated On)")
    finally:
        source.close()
    ranked: list[tuple[int, int, str]] = []
    for i, (address, confirmed, primary) in enumerate(rows):
        clean = _clean_address(address)
        if clean:
            rank = 0 if primary.strip().lower() == "yes" else 1 if confirmed.strip().lower() == "yes" else 2
            ranked.append((rank, i, clean))
    return tuple(dict.fromkeys(address for _rank, _i, address in sorted(ranked)))
