"""Connections.csv, cleaned: one :class:`~backchannel.domain.Connection` per person.

Blank ghost rows (hidden profiles), exact duplicates, later rows with the same profile address,
rows whose address a browser would open on another site
(:func:`~backchannel.identity.profile_key`) and the header row repeated inside the file (two
files joined together) are skipped and counted with their lines. An ``Email Address`` that is
not an address (a 2018 export's ``urn:li:member:…``) is not an email; LinkedIn's member id there
keys a person the way an email would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import numpy as np

from ..domain import Connection, SkipLog
from ..errors import InputError
from ..identity import email_address, profile_keys
from ..times import parse_export_date
from .arrays import value_sizes
from .limits import LIMITS, Limits, describe_lines
from .source import ExportFile
from .table import Block, CsvTable, column_key, read_csv

__all__ = ["read_connections", "check_connections", "is_connections_header", "MAX_PERSON_FIELD", "HIDDEN",
           "NOT_LINKEDIN", "REPEATED_HEADER"]

T = TypeVar("T")
_CONNECTIONS_WHAT = "Connections.csv (First Name, Last Name, ...)"
_UNSEEN = object()


def is_connections_header(cells: list[str]) -> bool:
    """A header whose first two cells are a first and a last name (Connections.csv's, and
    the recommendations' and Profile.csv's)."""
    low = [c.lower() for c in cells]
    return len(low) >= 2 and low[0] in {"first name", "firstname"} and low[1] in {"last name", "lastname"}


@dataclass
class _Connections:
    connections: list[Connection]
    skipped: SkipLog
    warnings: list[str]


#: the longest field a connection may have: LinkedIn's names, companies and positions are a
#: few hundred characters at most; a longer one is not a person's (and would fill the workspace)
MAX_PERSON_FIELD = 1000
#: why rows of Connections.csv are skipped
HIDDEN = "hidden profile (no name and no profile address)"
NOT_LINKEDIN = "a profile address that is not LinkedIn's (a browser would open another site)"
REPEATED_HEADER = "the header row again (files joined together)"
_MEMBER = re.compile(r"urn:li:(?:member|person|fs_miniprofile):[A-Za-z0-9_-]+", re.IGNORECASE)


def read_connections(file: ExportFile, limits: Limits = LIMITS) -> tuple[list[Connection], SkipLog, list[str]]:
    """Connections.csv, cleaned: ``(connections, skipped rows, warnings)``.

    Blank ghost rows (hidden profiles), exact duplicates, later rows with the same profile
    address, rows whose address a browser would open on another site and the header row
    repeated are skipped and counted with their lines; a date that cannot be read is kept as
    None with a warning, an email that is not an address is left out (a member id there is
    kept as the member). Names, companies and positions are trimmed; credentials, emoji and
    every other character stay as LinkedIn wrote them (keys ignore what shows as nothing).
    """
    got = _read_connections_file(file, lambda table: _ConnectionsReader(table, file).read(), limits)
    return got.connections, got.skipped, got.warnings


class _ConnectionsReader:
    """:func:`read_connections` for one opened file: the columns by place, and what was seen."""

    def __init__(self, table: CsvTable, file: ExportFile):
        _check_connections_header(table, file)
        self.table, self.file = table, file
        self.out = _Connections([], SkipLog(), [])
        self.keys = list(dict.fromkeys(column_key(h) for h in table.header))
        at = {k: i for i, k in enumerate(self.keys)}
        self.first_at, self.last_at = at[column_key(table.header[0])], at[column_key(table.header[1])]
        self.url_at, self.mail_at = at.get("url"), at.get("email address")
        self.company_at, self.position_at, self.on_at = at.get("company"), at.get("position"), at["connected on"]
        self.header = tuple(h.strip().lower() for h in table.header)
        self.header_first = table.header[0]  # (as written: a header pasted again is written the same way)
        self.seen_rows: set[tuple[str, ...]] = set()  # rows without a profile address
        # rows with one, by it: an exact duplicate has the address of a row met before
        self.rows_by_url: dict[str, list[tuple[str, ...]]] = {}
        self.dates: dict[str, datetime | None] = {}  # a few thousand days across tens of thousands of rows
        self.not_emails: list[int] = []
        self.where = file.display + ", line {}"

    def read(self) -> _Connections:
        out = self.out
        for block in self.table.blocks(self.keys):
            self._block(block)
        out.skipped.merge(self.table.skipped)
        if self.not_emails:
            n = len(self.not_emails)
            out.warnings.append(
                f"{self.file.display}: {n:,} Email Address {'value is' if n == 1 else 'values are'} not an email "
                f"address (LinkedIn's member id, urn:li:member:…, in older exports); kept without an email: "
                f"{describe_lines(self.not_emails)}")
        out.warnings.extend(self.table.warnings)
        return out

    def _block(self, block: Block) -> None:
        columns = [block.strings(k) for k in self.keys]
        n = len(block)
        url_keys = profile_keys(columns[self.url_at]) if self.url_at is not None else [""] * n
        # a field of more characters than the limit has more bytes: only such rows are measured
        long_bytes = np.zeros(n, dtype=bool)
        for key in self.keys:
            column = block.get(key)
            if column is not None:
                long_bytes |= value_sizes(column) > MAX_PERSON_FIELD
        long_rows = set(np.flatnonzero(long_bytes).tolist())
        for i, (line, cells, url_key) in enumerate(zip(block.numbers.tolist(), zip(*columns, strict=True), url_keys,
                                                      strict=True)):
            if i in long_rows and max(map(len, cells)) > MAX_PERSON_FIELD:
                self.out.skipped.skip(f"a field longer than {MAX_PERSON_FIELD:,} characters (no LinkedIn name, "
                                      "company or position is)", self.where.format(line))
                continue
            first, last = cells[self.first_at].strip(), cells[self.last_at].strip()
            reason = self._skip_reason(cells, first, last, url_key)
            if reason is None:
                self.out.connections.append(self._connection(line, cells, first, last, url_key))
            elif reason:
                self.out.skipped.skip(reason, self.where.format(line))

    def _skip_reason(self, cells: tuple[str, ...], first: str, last: str, url_key: str) -> str | None:
        """Why a row is skipped ("" for a row of empty fields, not counted); None to keep it."""
        header = self.header
        if first == self.header_first and last.lower() == header[1] and \
                tuple(c.strip().lower() for c in cells[:len(header)]) == header:
            return REPEATED_HEADER
        if self.url_at is not None and not url_key and cells[self.url_at].strip():
            return NOT_LINKEDIN
        if not first and not last and not url_key:
            return HIDDEN if any(c.strip() for c in cells) else ""
        if not url_key:
            if cells in self.seen_rows:
                return "exact duplicate row"
            self.seen_rows.add(cells)
            return None
        same_address = self.rows_by_url.get(url_key)
        if same_address is None:
            self.rows_by_url[url_key] = [cells]
            return None
        if cells in same_address:
            return "exact duplicate row"
        same_address.append(cells)
        return "same profile address as an earlier row (the newer row is kept)"

    def _connection(self, line: int, cells: tuple[str, ...], first: str, last: str, url_key: str) -> Connection:
        on_text = cells[self.on_at].strip()
        connected_on = self.dates.get(on_text, _UNSEEN)
        if connected_on is _UNSEEN:
            connected_on = self.dates[on_text] = parse_export_date(on_text)
        if on_text and connected_on is None:
            self.out.warnings.append(f"{self.where.format(line)}: date {on_text[:40]!r} not understood; "
                                     "kept without a date")
        email = member = ""
        if self.mail_at is not None:
            written = cells[self.mail_at].strip()
            if written:
                email = email_address(written)
                if not email:
                    member = written.lower() if _MEMBER.fullmatch(written) else ""
                    self.not_emails.append(line)
        return Connection(
            line, first, last, _clickable(url_key), url_key, email,
            cells[self.company_at].strip() if self.company_at is not None else "",
            cells[self.position_at].strip() if self.position_at is not None else "",
            connected_on,  # type: ignore[arg-type]
            member,
        )


def _check_connections_header(table: CsvTable, file: ExportFile) -> None:
    if not table.has("connected on"):
        raise InputError("Connections.csv has no 'Connected On' column; is this a LinkedIn export?",
                         path=file.display, line=table.header_line)


def check_connections(file: ExportFile, limits: Limits = LIMITS) -> None:
    """Raise the error :func:`read_connections` would raise for a file that is not a
    Connections.csv at all (no header row, no 'Connected On'), without reading its rows."""
    _read_connections_file(file, lambda table: _check_connections_header(table, file), limits)


def _read_connections_file(file: ExportFile, read: Callable[[CsvTable], T], limits: Limits) -> T:
    try:
        return read_csv(file.opener, file.display, is_connections_header, read, what=_CONNECTIONS_WHAT,
                        limits=limits, field_lines=limits.max_field_lines)
    except InputError as exc:
        if "header row" in exc.message and exc.line is None:
            raise InputError(exc.message + _guess_kind_hint(file), path=file.display) from None
        raise


def _clickable(url_key: str) -> str:
    """The https form of a normalised profile key (``canonical_profile_url`` without normalising again)."""
    if not url_key:
        return ""
    return "https://www." + url_key if url_key.startswith("linkedin.com/") else "https://" + url_key


def _guess_kind_hint(file: ExportFile) -> str:
    try:
        raw = file.opener()
        try:
            head = raw.read(4096).decode("utf-8", "replace").lower()
        finally:
            raw.close()
    except Exception:  # the hint is a courtesy; the error itself is already clear
        return ""
    if "conversation id" in head or ("from,to" in head and "content" in head):
        return "; this looks like messages.csv, not Connections.csv"
    if "sent at" in head and "direction" in head:
        return "; this looks like Invitations.csv, not Connections.csv"
    return "; expected LinkedIn's Connections.csv, the export folder or the ZIP"


