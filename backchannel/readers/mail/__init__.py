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
``automatic``       sent by a machine, not a person: ``Auto-Submitted`` other than ``no``
                    (RFC 3834: out-of-office and other automatic replies), ``X-Autoreply``,
                    ``X-Autorespond``, ``Precedence: auto_reply``, ``bulk`` or ``junk``, or a
                    sender such as ``MAILER-DAEMON``, ``postmaster`` or ``no-reply`` (bounces
                    and notifications)
``where``           ``archive.mbox, message 12 (line 3456)``, or the message file's path
                    under the folder given (``Maildir/cur/1733…:2,S``, ``Exports/re.eml``)
==================  ===================================================================

After (or during) the iteration the archive says what it left out: :attr:`MailArchive.skipped`
(a :class:`~backchannel.domain.SkipLog`: reasons, counts and up to three places each) and
:attr:`MailArchive.warnings`. Bad input never raises once the layout is known: a message with
no readable date, no sender, headers over the limit, or cut short by the end of the file
(the file ends inside its headers, without a line end) is skipped and counted with its
place; a message seen before (same Message-ID) is counted as a duplicate.

The modules
-----------
- :mod:`~backchannel.readers.mail.archive`: :func:`read_mail` and :class:`MailArchive`, the
  iteration, its counts and the duplicates;
- :mod:`~backchannel.readers.mail.layouts`: what a path holds and the files to read
  (:func:`find_sources`);
- :mod:`~backchannel.readers.mail.mbox`: how an mbox is split (:class:`MboxSplitter`: which
  ``From`` lines start a message, in bounded memory);
- :mod:`~backchannel.readers.mail.headers`: a header block to a :class:`MailMessage`
  (:func:`parse_headers`), and why it is read without the ``email`` package's parser;
- :mod:`~backchannel.readers.mail.records`: :class:`MailMessage`, :class:`MailSource`,
  :class:`MailLimits` and the skip :data:`REASONS`;
- :mod:`~backchannel.readers.mail.own_addresses`: the user's own addresses from a LinkedIn
  export (:func:`export_addresses`).

Import from here (``from backchannel.readers.mail import read_mail``).
"""

from __future__ import annotations

# (the names imported "as" themselves are private helpers tests/test_mail.py reads from here)
from .archive import MailArchive, read_mail
from .archive import _Seen as _Seen
from .headers import _addresses as _addresses
from .headers import _clean_address as _clean_address
from .headers import message_hash, normalise_message_id, parse_date, parse_headers
from .layouts import find_sources
from .mbox import MboxPart, MboxSplitter, is_from_line
from .own_addresses import export_addresses
from .records import MAIL_LIMITS, REASONS, MailLimits, MailMessage, MailSource

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
