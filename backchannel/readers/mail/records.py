"""What the mail reader hands out (:class:`MailMessage`), the files it reads
(:class:`MailSource`), the sizes that bound its memory (:class:`MailLimits`) and the reasons
it gives for what it leaves out (:data:`REASONS`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["MailMessage", "MailSource", "MailLimits", "MAIL_LIMITS", "REASONS"]

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

    See :mod:`backchannel.readers.mail` for the fields. ``where`` is for telling the user
    about this message; it is not to be stored: Outlook and Apple Mail name ``.eml`` files
    after the subject, so a file name can repeat one.
    """

    message_hash: str
    sent_at: datetime
    sender: str
    recipients: tuple[str, ...]
    where: str
    addressed: int = 0  # the first ``addressed`` recipients are from To; the rest were copied
    automatic: bool = False  # sent by a machine: an out-of-office reply, a bounce, a notification
    zoned: bool = True  # its Date gave an offset (without one, it is read as UTC)

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
