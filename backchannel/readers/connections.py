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

from ..domain import Connection, SkipLog
from ..errors import InputError
from ..identity import email_address, profile_keys
from ..times import parse_export_date
from .limits import LIMITS, Limits, describe_lines
from .source import ExportFile
from .table import CsvTable, column_key, read_csv

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

    def read(table: CsvTable) -> _Connections:
        _check_connections_header(table, file)
        out = _Connections([], SkipLog(), [])
        keys = list(dict.fromkeys(column_key(h) for h in table.header))
        at = {k: i for i, k in enumerate(keys)}
        first_at, last_at = at[column_key(table.header[0])], at[column_key(table.header[1])]
        url_at, mail_at = at.get("url"), at.get("email address")
        company_at, position_at, on_at = at.get("company"), at.get("position"), at["connected on"]
        header = tuple(h.strip().lower() for h in table.header)
        header_first = table.header[0]  # (as written: a header pasted again is written the same way)
        seen_rows: set[tuple[str, ...]] = set()
        seen_urls: set[str] = set()
        dates: dict[str, datetime | None] = {}  # a few thousand days across tens of thousands of rows
        not_emails: list[int] = []
        where = file.display + ", line {}"
        append, skip = out.connections.append, out.skipped.skip
        for block in table.blocks(keys):
            columns = [block.strings(k) for k in keys]
            url_keys = profile_keys(columns[url_at]) if url_at is not None else [""] * len(block)
            for line, cells, url_key in zip(block.numbers.tolist(), zip(*columns, strict=True), url_keys, strict=True):
                if max(map(len, cells)) > MAX_PERSON_FIELD:
                    skip(f"a field longer than {MAX_PERSON_FIELD:,} characters (no LinkedIn name, company or "
                         "position is)", where.format(line))
                    continue
                first, last = cells[first_at].strip(), cells[last_at].strip()
                if first == header_first and last.lower() == header[1] and \
                        tuple(c.strip().lower() for c in cells[:len(header)]) == header:
                    skip(REPEATED_HEADER, where.format(line))
                    continue
                if url_at is not None and not url_key and cells[url_at].strip():
                    skip(NOT_LINKEDIN, where.format(line))
                    continue
                if not first and not last and not url_key:
                    if any(c.strip() for c in cells):
                        skip(HIDDEN, where.format(line))
                    continue
                if cells in seen_rows:
                    skip("exact duplicate row", where.format(line))
                    continue
                seen_rows.add(cells)
                if url_key:
                    if url_key in seen_urls:
                        skip("same profile address as an earlier row (the newer row is kept)", where.format(line))
                        continue
                    seen_urls.add(url_key)
                on_text = cells[on_at].strip()
                connected_on = dates.get(on_text, _UNSEEN)
                if connected_on is _UNSEEN:
                    connected_on = dates[on_text] = parse_export_date(on_text)
                if on_text and connected_on is None:
                    out.warnings.append(f"{where.format(line)}: date {on_text[:40]!r} not understood; "
                                        "kept without a date")
                email = member = ""
                if mail_at is not None:
                    written = cells[mail_at].strip()
                    if written:
                        email = email_address(written)
                        if not email:
                            member = written.lower() if _MEMBER.fullmatch(written) else ""
                            not_emails.append(line)
                append(Connection(
                    line, first, last, _clickable(url_key), url_key, email,
                    cells[company_at].strip() if company_at is not None else "",
                    cells[position_at].strip() if position_at is not None else "",
                    connected_on,  # type: ignore[arg-type]
                    member,
                ))
        out.skipped.merge(table.skipped)
        if not_emails:
            out.warnings.append(
                f"{file.display}: {len(not_emails):,} Email Address {'value is' if len(not_emails) == 1 else 'values are'}"
                f" not an email address (LinkedIn's member id, urn:li:member:…, in older exports); kept without "
                f"an email: {describe_lines(not_emails)}")
        out.warnings.extend(table.warnings)
        return out

    got = _read_connections_file(file, read, limits)
    return got.connections, got.skipped, got.warnings


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


