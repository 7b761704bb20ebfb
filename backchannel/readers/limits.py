"""Hard limits on what a file may hold, and how sizes and line numbers are told in messages.

Every reader checks the same :class:`Limits` (:data:`LIMITS` unless a caller passes its own):
they keep memory bounded whatever a file claims to be, and a file that breaks one fails with
one line naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KiB", "MiB", "GiB", "Limits", "LIMITS", "describe_size", "describe_lines", "LINES_LISTED"]

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
