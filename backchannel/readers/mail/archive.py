"""Reading a mail archive: :func:`read_mail` and the :class:`MailArchive` it returns.

The archive streams one :class:`MailMessage` per message of its files, in order, and counts
what it leaves out (skipped messages by reason, duplicates by Message-ID, kept in 8 to 16
bytes a message) and what it noticed (warnings), as :mod:`backchannel.readers.mail` says.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from ...domain import SkipLog
from ..text import describe_size
from .headers import parse_headers
from .layouts import _file_headers, _sniff, find_sources
from .mbox import MboxSplitter
from .records import MAIL_LIMITS, REASONS, MailLimits, MailMessage, MailSource

__all__ = ["MailArchive", "read_mail"]

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
        zoneless: list[str] = []
        for source in self.sources:
            for message in self._messages(source):
                if not seen.add(int(message.message_hash[:16], 16)):
                    self.skipped.skip(REASONS["duplicate"], message.where)
                    continue
                if only is not None and message.sender not in only and not only.intersection(message.recipients):
                    continue
                self.read += 1
                if not message.zoned:
                    zoneless.append(message.where)
                yield message
        if zoneless:
            whose = " to or from the people of your interviews" if only is not None else ""
            self.warnings.append(f"{len(zoneless)} {'message' if len(zoneless) == 1 else 'messages'}{whose} "
                                 f"gave no time zone in their Date, read as UTC "
                                 f"({'; '.join(zoneless[:3])}{' ...' if len(zoneless) > 3 else ''})")

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
            if splitter.more_notes:
                self.warnings.append(f"{source.display}: and {splitter.more_notes:,} more lines like the ones above")
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


def read_mail(path: str | os.PathLike[str], *, only: Iterable[str] | None = None,
              limits: MailLimits = MAIL_LIMITS) -> MailArchive:
    """The messages of a mail archive (see :mod:`backchannel.readers.mail`), streamed.

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
