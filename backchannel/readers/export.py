"""Reading a LinkedIn data export: the ZIP as downloaded, the unpacked folder, a folder one
level down, or a single Connections.csv.

Every file is optional (a part of an export re-imported alone is read for what it holds; a
lone CSV is the kind its name says, else Connections.csv). File names are matched
case-insensitively with ``_`` for space (``Rich_Media.csv`` is ``Rich Media.csv``); ZIP
members are read where they are, never written to disk, after their declared sizes are
checked. Each CSV is read through the Arrow reader of :mod:`backchannel.readers.table`, one
after the other: the small files first, since the owner's address they give tells sent from
received messages. Nothing here touches the workspace, and nothing runs on after
:func:`read_export` returns.

**Facts by kind.** What each file says is kept apart (:attr:`ExportData.facts`, keyed by the
kind of file), with the day the file is as of (:meth:`ExportData.as_of`): the export's own
date where its name carries one (``Basic_LinkedInDataExport_11-20-2026``), else the newest
date inside any of its files. The workspace replaces only the kinds an import holds, and an older
file of a kind never replaces a newer one's facts.

**What is not taken.** A profile address a browser would open on another site
(:func:`~backchannel.identity.profile_key`) is never taken: a Connections.csv row with one is
skipped with its line, elsewhere the address is left out. An ``Email Address`` that is not an
address (a 2018 export's ``urn:li:member:…``) is not an email; LinkedIn's member id there
keys a person the way an email would. A header row repeated inside the file (two files joined
together) is skipped with its line. Bytes that are not UTF-8 in a file that otherwise is are
replaced and their lines named in the warnings.

>>> import tempfile
>>> from backchannel.sample import generate_export
>>> with tempfile.TemporaryDirectory() as tmp:
...     export = read_export(generate_export(f"{tmp}/export.zip", 40, 300))
>>> len(export.connections), export.owner_name, export.owner_profile_url
(40, 'Alex Morgan', 'https://www.linkedin.com/in/alex-morgan-5b1')
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, TypeVar

from ..domain import Connection, Interaction, Position, SkipLog
from ..errors import InputError
from ..identity import (
    canonical_profile_url,
    email_address,
    normalise_company,
    normalise_name,
    profile_key,
    profile_keys,
)
from ..times import parse_export_date
from .messages import ConversationMembers, count_messages, message_facts
from .table import CsvTable, column_key, read_csv
from .text import LIMITS, Limits, describe_lines, describe_size

if TYPE_CHECKING:
    import pandas

__all__ = ["ExportData", "ExportFile", "ExportSource", "KindFacts", "FileRead", "read_export", "file_kind",
           "KNOWN_FILES", "FACT_KINDS", "FILE_NAMES", "export_date", "read_connections", "check_connections"]

#: normalised file name -> the kind of data read from it; any other file is listed as ignored
KNOWN_FILES = {
    "connections.csv": "connections",
    "messages.csv": "messages",
    "invitations.csv": "invitations",
    "recommendations received.csv": "recommendations_received",
    "recommendations given.csv": "recommendations_given",
    "endorsement received info.csv": "endorsements_received",
    "endorsement given info.csv": "endorsements_given",
    "profile.csv": "profile",
    "positions.csv": "positions",
}
_ORDER = ["connections", "profile", "positions", "invitations", "messages", "recommendations_received",
          "recommendations_given", "endorsements_received", "endorsements_given"]
#: the kinds of file whose facts about people are kept per kind (the columns of an
#: :class:`~backchannel.domain.Interaction` each fills are its own: see ``workspace``)
FACT_KINDS = ("messages", "invitations", "recommendations_received", "recommendations_given",
              "endorsements_received", "endorsements_given")
#: each kind's file as LinkedIn names it, for messages
FILE_NAMES = {"connections": "Connections.csv", "messages": "messages.csv", "invitations": "Invitations.csv",
              "recommendations_received": "Recommendations_Received.csv",
              "recommendations_given": "Recommendations_Given.csv",
              "endorsements_received": "Endorsement_Received_Info.csv",
              "endorsements_given": "Endorsement_Given_Info.csv", "profile": "Profile.csv",
              "positions": "Positions.csv"}
_EPOCH = datetime(1970, 1, 1)
_EXPORT_DATE = re.compile(r"LinkedInDataExport_(\d{1,2})-(\d{1,2})-(\d{4})", re.IGNORECASE)


def export_date(path: str | os.PathLike[str]) -> date | None:
    """The day an export was made, from the name LinkedIn gives it
    (``Basic_LinkedInDataExport_MM-DD-YYYY``, month first), on the path or a folder above.

    >>> export_date("/tmp/Basic_LinkedInDataExport_11-20-2026.zip"), export_date("Complete_LinkedInDataExport_02-30-2026")
    (datetime.date(2026, 11, 20), None)
    >>> export_date("Basic_LinkedInDataExport_07-11-2023/Connections.csv"), export_date("Connections.csv")
    (datetime.date(2023, 7, 11), None)
    """
    for part in reversed(Path(path).parts):
        found = _EXPORT_DATE.search(part)
        if found:
            month, day, year = (int(g) for g in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def file_kind(name: str) -> str | None:
    """The kind of an export file from its name; case and ``_``/space do not matter.

    >>> file_kind("Basic_LinkedInDataExport/Endorsement_Received_Info.csv"), file_kind("coach_messages.csv")
    ('endorsements_received', None)
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return KNOWN_FILES.get(base.lower().replace("_", " ").strip())


@dataclass
class KindFacts:
    """What one kind of file says per person: keyed by normalised profile address
    (``by_url``), or for files without addresses (recommendations, 2018 messages and
    invitations) by ``(normalise_name, normalise_company or "")`` (``by_name``)."""

    by_url: dict[str, Interaction] = field(default_factory=dict)
    by_name: dict[tuple[str, str], Interaction] = field(default_factory=dict)

    def add(self, url_key: str, name_key: tuple[str, str], facts: Interaction) -> None:
        """Facts under the profile address when there is one, else under the name."""
        if url_key:
            known = self.by_url.get(url_key)
            if known is None:
                self.by_url[url_key] = facts
            else:
                known.merge(facts)
        elif name_key[0]:
            known = self.by_name.get(name_key)
            if known is None:
                self.by_name[name_key] = facts
            else:
                known.merge(facts)


@dataclass
class FileRead:
    """One file of the export that was read: its name as listed, and the newest date inside."""

    name: str
    newest: date | None = None
    rows: int = 0


@dataclass
class ExportData:
    """Everything read from one export (or the part of one an import holds).

    ``files`` says which kinds of file were read (:data:`KNOWN_FILES`' values); ``facts``
    holds each fact kind's facts (:data:`FACT_KINDS`), ``co_threads`` the pairs of profile
    keys of two people who share group threads (from messages.csv), ``conversations`` who
    was in each conversation (to count those with people who are not connections).
    ``interactions`` and ``interactions_by_name`` are every kind's facts merged.
    """

    source: str
    connections: list[Connection]
    owner_name: str = ""
    owner_profile_url: str = ""  # clickable https form, or ""
    positions: list[Position] = field(default_factory=list)
    facts: dict[str, KindFacts] = field(default_factory=dict)
    co_threads: dict[tuple[str, str], int] = field(default_factory=dict)
    conversations: ConversationMembers | None = None
    files: dict[str, FileRead] = field(default_factory=dict)
    export_date: date | None = None  # from the archive's or folder's name
    files_read: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    skipped: SkipLog = field(default_factory=SkipLog)
    warnings: list[str] = field(default_factory=list)

    @property
    def has_connections(self) -> bool:
        """Whether the export holds a Connections.csv (a part of one may not)."""
        return "connections" in self.files

    def as_of(self, kind: str) -> date | None:
        """The day a kind of file is as of: the export's own date (from its name), else the
        newest date in any of its files (an export is one snapshot: each file is as new as
        the newest thing any of them holds; a lone file, as its own newest date)."""
        if kind not in self.files:
            return None
        if self.export_date is not None:
            return self.export_date
        days = [read.newest for read in self.files.values() if read.newest is not None]
        return max(days) if days else None

    def kind_facts(self, kind: str) -> KindFacts:
        return self.facts.setdefault(kind, KindFacts())

    @property
    def interactions(self) -> dict[str, Interaction]:
        """Every kind's facts by profile address, merged (a new dict each time)."""
        out: dict[str, Interaction] = {}
        for facts in self.facts.values():
            for key, one in facts.by_url.items():
                out.setdefault(key, Interaction()).merge(one)
        return out

    @property
    def interactions_by_name(self) -> dict[tuple[str, str], Interaction]:
        """Every kind's facts by name, merged (a new dict each time)."""
        out: dict[tuple[str, str], Interaction] = {}
        for facts in self.facts.values():
            for key, one in facts.by_name.items():
                out.setdefault(key, Interaction()).merge(one)
        return out

    def connections_frame(self) -> pandas.DataFrame:
        """The connections as a pandas DataFrame, one row each."""
        import pandas as pd

        columns = ["name", "first_name", "last_name", "profile_url", "email", "company", "position",
                   "connected_on"]
        rows = [(c.name, c.first_name, c.last_name, c.profile_url, c.email, c.company, c.position, c.connected_on)
                for c in self.connections]
        return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- the source


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: its name as listed, its name in messages, its (declared) size."""

    name: str
    display: str
    size: int
    opener: Callable[[], BinaryIO] = field(repr=False)


class _Member:
    """A ZIP member being read: damage found while inflating it is an InputError."""

    def __init__(self, raw: IO[bytes], display: str):
        self._raw = raw
        self._display = display

    def read(self, n: int = -1) -> bytes:
        try:
            return self._raw.read(n)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=self._display) from None

    def close(self) -> None:
        self._raw.close()


class ExportSource:
    """A folder, a ZIP or a single CSV, seen as a set of named files."""

    def __init__(self, path: Path, limits: Limits = LIMITS):
        self.path = path
        self.limits = limits
        self.single = False  # a lone CSV, read as Connections.csv whatever its name
        self.files: dict[str, ExportFile] = {}
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self._scan_folder(path)
        elif path.is_file() and zipfile.is_zipfile(path):
            self._scan_zip(path)
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                raise InputError("truncated or damaged ZIP archive; download the export again", path=path)
            self.files[path.name] = self._file(path)
            self.single = True
        elif not path.exists():
            raise InputError("no such file or folder", path=path)
        else:
            raise InputError("not a LinkedIn export (expected a .zip, a folder or Connections.csv)", path=path)

    @staticmethod
    def _file(path: Path) -> ExportFile:
        return ExportFile(path.name, str(path), path.stat().st_size, lambda: open(path, "rb"))  # noqa: SIM115

    def _scan_folder(self, root: Path) -> None:
        found = {p.name: p for p in root.iterdir() if p.is_file()}
        if not any(file_kind(n) == "connections" for n in found):
            # an export unpacked into a folder of its own, or with a Jobs/ folder beside it
            subs = [d for d in root.iterdir() if d.is_dir() and any(
                file_kind(p.name) == "connections" for p in d.iterdir() if p.is_file())]
            if len(subs) == 1:
                found = {p.name: p for p in subs[0].iterdir() if p.is_file()}
        self.files = {name: self._file(p) for name, p in found.items()}

    def _scan_zip(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=path) from None
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise InputError("the archive is password-protected; LinkedIn's export is not: download it again",
                                 path=path)
            if file_kind(info.filename) is None:
                self.files[info.filename] = self._member(info)
                continue
            if info.file_size > self.limits.max_file_bytes:
                raise InputError(
                    f"{info.filename} would inflate to {info.file_size // 1024**2} MiB, over the "
                    f"{describe_size(self.limits.max_file_bytes)} limit; refusing a possible ZIP bomb", path=path)
            total += info.file_size
            # a LinkedIn file is never deeper than one folder
            if info.filename.count("/") <= 1:
                self.files.setdefault(info.filename, self._member(info))
        if total > self.limits.max_archive_bytes:
            raise InputError("the archive inflates to more than the size limit; refusing a possible ZIP bomb",
                             path=path)

    def _member(self, info: zipfile.ZipInfo) -> ExportFile:
        archive, display = self._zip, f"{self.path}!{info.filename}"
        assert archive is not None

        def open_member() -> BinaryIO:
            try:
                return _Member(archive.open(info), display)  # type: ignore[return-value]
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=display) from None
            except (NotImplementedError, RuntimeError) as exc:
                raise InputError(f"cannot read this file from the archive ({exc}); download the export again",
                                 path=display) from None

        return ExportFile(info.filename, display, info.file_size, open_member)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# --------------------------------------------------------------------------- Connections.csv

T = TypeVar("T")
_CONNECTIONS_WHAT = "Connections.csv (First Name, Last Name, ...)"
_UNSEEN = object()


def _is_connections_header(cells: list[str]) -> bool:
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
        return read_csv(file.opener, file.display, _is_connections_header, read, what=_CONNECTIONS_WHAT,
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


# --------------------------------------------------------------------------- the small files


def _rows(file: ExportFile, export: ExportData, is_header: Callable[[list[str]], bool], what: str,
          keys: list[str] | Callable[[list[str]], list[str]], limits: Limits,
          field_lines: int | None = None) -> list[tuple[str, ...]]:
    """The ``keys`` columns of a small file (or the keys ``keys(header)`` gives), each row a
    tuple of strings ("" for a missing column); what was skipped or replaced goes to ``export``."""

    def read(table: CsvTable) -> tuple[list[tuple[str, ...]], SkipLog, list[str]]:
        wanted = keys(table.header) if callable(keys) else keys
        rows: list[tuple[str, ...]] = []
        for block in table.blocks(wanted):
            rows.extend(zip(*(block.strings(k) for k in wanted), strict=True))
        return rows, table.skipped, table.warnings

    rows, skipped, warnings = read_csv(file.opener, file.display, is_header, read, what=what, limits=limits,
                                       field_lines=field_lines)
    export.skipped.merge(skipped)
    export.warnings.extend(warnings)
    return rows


def _names_and(*others: str) -> Callable[[list[str]], list[str]]:
    """The keys of the first two columns (a first and a last name, whatever their spelling), then ``others``."""
    return lambda header: [column_key(header[0]), column_key(header[1]), *others]


def _newest(export: ExportData, texts: Iterable[str]) -> date | None:
    """The newest day among dates as an export writes them (each distinct day parsed once);
    None without looking when the export's name gives its date."""
    if export.export_date is not None:
        return None
    days = {_day_part(text.strip()) for text in set(texts)}
    found = [when.date() for text in days if (when := parse_export_date(text)) is not None]
    return max(found) if found else None


def _day_part(text: str) -> str:
    """The day of a date and time as an export writes it: ``3/7/24`` of ``3/7/24, 9:05 PM``,
    ``2025/01/02`` of ``2025/01/02 10:00:00 UTC``.

    >>> _day_part("3/7/24, 9:05 PM"), _day_part("2025/01/02 10:00:00 UTC"), _day_part("05 Jun 2026")
    ('3/7/24', '2025/01/02', '05 Jun 2026')
    """
    if ", " in text:
        return text.split(", ", 1)[0]
    if text[:4].isdigit() and " " in text:
        return text.split(" ", 1)[0]
    return text


def _read_invitations(file: ExportFile, export: ExportData, limits: Limits) -> str:
    """Who invited whom, and with a note; returns the owner's profile key when it shows (the
    inviter of OUTGOING rows, the invitee of INCOMING ones)."""

    def is_header(cells: list[str]) -> bool:
        low = {c.lower() for c in cells}
        return "from" in low and "to" in low and "direction" in low

    rows = _rows(file, export, is_header, "Invitations.csv (From, To, Sent At, Direction)",
                 ["from", "to", "message", "direction", "inviterprofileurl", "inviteeprofileurl", "sent at"], limits,
                 field_lines=limits.max_field_lines)
    export.files["invitations"] = FileRead(file.name, _newest(export, (row[6] for row in rows)), len(rows))
    facts = export.kind_facts("invitations")
    owners: Counter[str] = Counter()
    inviters = profile_keys([row[4].strip() for row in rows])
    invitees = profile_keys([row[5].strip() for row in rows])
    for (sender, receiver, note, direction_text, *_), inviter, invitee in zip(rows, inviters, invitees, strict=True):
        direction = direction_text.strip().upper()
        if direction == "OUTGOING":
            if inviter:
                owners[inviter] += 1
            other, other_name, who = invitee, receiver, "owner"
        elif direction == "INCOMING":
            if invitee:
                owners[invitee] += 1
            other, other_name, who = inviter, sender, "them"
        else:
            continue
        # Interaction.merge keeps the first direction met for a person (the newest invitation)
        facts.add(other, (normalise_name(other_name), ""), Interaction(invited_by=who,
                                                                      invitation_note=bool(note.strip())))
    return owners.most_common(1)[0][0] if owners else ""


def _read_recommendations(file: ExportFile, export: ExportData, given: bool, limits: Limits) -> None:
    kind = "recommendations_given" if given else "recommendations_received"
    rows = _rows(file, export, _is_connections_header, "Recommendations (First Name, Last Name, ...)",
                 _names_and("company", "status", "creation date"), limits)
    export.files[kind] = FileRead(file.name, _newest(export, (row[4] for row in rows)), len(rows))
    facts = export.kind_facts(kind)
    for first, last, company, status, _created in rows:
        if status.strip().upper() not in {"", "VISIBLE", "ACCEPTED"}:
            continue
        key = (normalise_name(f"{first.strip()} {last.strip()}"), normalise_company(company.strip()))
        facts.add("", key, Interaction(recommendations_given=1) if given else Interaction(recommendations_received=1))


def _read_endorsements(file: ExportFile, export: ExportData, given: bool, limits: Limits) -> None:
    def is_header(cells: list[str]) -> bool:
        return any(c.lower() == "skill name" for c in cells)

    kind = "endorsements_given" if given else "endorsements_received"
    who = "endorsee" if given else "endorser"
    rows = _rows(file, export, is_header, "Endorsements (Endorsement Date, Skill Name, ...)",
                 [f"{who} public url", f"{who} first name", f"{who} last name", "endorsement status",
                  "endorsement date"], limits)
    export.files[kind] = FileRead(file.name, _newest(export, (row[4] for row in rows)), len(rows))
    facts = export.kind_facts(kind)
    urls = profile_keys([row[0].strip() for row in rows])
    for (_url, first, last, status, _when), url_key in zip(rows, urls, strict=True):
        if status.strip().upper() == "PENDING":
            continue
        facts.add(url_key, (normalise_name(f"{first.strip()} {last.strip()}"), ""),
                  Interaction(endorsements_given=1) if given else Interaction(endorsements_received=1))


def _read_profile(file: ExportFile, export: ExportData, limits: Limits) -> str:
    """The owner's name: the first and last name of the first row that has one."""

    def read(table: CsvTable) -> tuple[str, list[str]]:
        first, last = column_key(table.header[0]), column_key(table.header[1])
        found = ""
        for block in table.blocks([first, last]):
            for a, b in zip(block.strings(first), block.strings(last), strict=True):
                full = " ".join(p for p in (a.strip(), b.strip()) if p)
                if full and not found:
                    found = full
        return found, table.warnings

    name, warnings = read_csv(file.opener, file.display, _is_connections_header, read,
                              what="Profile.csv (First Name, Last Name, ...)", limits=limits)
    export.warnings.extend(warnings)
    export.files["profile"] = FileRead(file.name, None, 1 if name else 0)
    return name


def _read_positions(file: ExportFile, export: ExportData, limits: Limits) -> list[Position]:
    """The owner's employers, each with its dates (no end date: the current one)."""

    def is_header(cells: list[str]) -> bool:
        return any(c.lower() == "company name" for c in cells)

    rows = _rows(file, export, is_header, "Positions.csv (Company Name, Title, ...)",
                 ["company name", "title", "started on", "finished on"], limits)
    positions = [Position(company.strip(), title.strip(), parse_export_date(started.strip()),
                          parse_export_date(finished.strip()))
                 for company, title, started, finished in rows if company.strip()]
    days = [d.date() for p in positions for d in (p.started_on, p.finished_on) if d is not None]
    export.files["positions"] = FileRead(file.name, max(days) if days else None, len(positions))
    return positions


# --------------------------------------------------------------------------- entry point


def _add_messages(export: ExportData, file: ExportFile, owner_key: str, limits: Limits) -> None:
    """Put what messages.csv says into the export."""
    owner_name_key = normalise_name(export.owner_name)
    groups = count_messages(file.opener, file.display, limits=limits, with_names=not owner_key and bool(owner_name_key))
    export.warnings.extend(groups.warnings)
    newest = int(groups.last.max()) if len(groups) else None
    export.files["messages"] = FileRead(
        file.name, (_EPOCH + timedelta(seconds=newest)).date() if newest is not None else None,
        int(groups.count.sum()))
    facts = message_facts(groups, owner_key, owner_name_key)
    del groups
    export.skipped.merge(facts.skipped)
    export.facts["messages"] = KindFacts(facts.by_url, facts.by_name)
    export.co_threads = facts.co_threads
    export.conversations = facts.conversations
    if facts.owner_key and not export.owner_profile_url:
        export.owner_profile_url = canonical_profile_url(facts.owner_key)


def read_export(path: str | os.PathLike[str], *, limits: Limits = LIMITS, owner_name: str = "",
                owner_profile_url: str = "") -> ExportData:
    """Read a LinkedIn export (a ZIP, a folder, Connections.csv or another file of an export)
    into :class:`ExportData`.

    ``owner_name`` and ``owner_profile_url`` are what is already known of the owner (from an
    earlier import), used where this export does not say (no Profile.csv, no Invitations.csv):
    they tell the owner's own messages from the others'.

    The read is complete when this returns. Raises :class:`~backchannel.errors.InputError`
    with the file (``archive.zip!messages.csv`` for a ZIP member) and line for anything
    that is not an export or breaks a :class:`~backchannel.readers.text.Limits` limit.
    """
    path = Path(path)
    source = ExportSource(path, limits)
    try:
        by_kind: dict[str, ExportFile] = {}
        ignored: list[str] = []
        for name in sorted(source.files, key=lambda n: (n.count("/"), n)):
            kind = (file_kind(name) or "connections") if source.single else file_kind(name)
            if kind is None or kind in by_kind:
                ignored.append(name)
                continue
            by_kind[kind] = source.files[name]
        if not by_kind:
            raise InputError("no Connections.csv nor any other file of a LinkedIn export here; is it a LinkedIn "
                             "data export?", path=path)
        export = ExportData(source=str(path), connections=[], files_ignored=ignored, export_date=export_date(path))
        # the small files first: the owner's name and address tell sent from received messages
        if "profile" in by_kind:
            export.owner_name = _read_profile(by_kind["profile"], export, limits)
        if "positions" in by_kind:
            export.positions = _read_positions(by_kind["positions"], export, limits)
        owner_key = ""
        if "invitations" in by_kind:
            owner_key = _read_invitations(by_kind["invitations"], export, limits)
            export.owner_profile_url = canonical_profile_url(owner_key)
        if not owner_key and owner_profile_url:
            owner_key = profile_key(owner_profile_url)
        if not export.owner_name and owner_name:
            export.owner_name = owner_name
        if "messages" in by_kind:
            if "connections" in by_kind:
                # before the rows of Connections.csv, so that its working memory is free before
                # the connections are held (but after its header: a wrong file fails at once)
                check_connections(by_kind["connections"], limits)
            _add_messages(export, by_kind["messages"], owner_key, limits)
        if "connections" in by_kind:
            connections, skipped, warnings = read_connections(by_kind["connections"], limits)
            export.connections = connections
            export.skipped.merge(skipped)
            export.warnings.extend(warnings)
            days = [c.connected_on for c in connections if c.connected_on is not None]
            export.files["connections"] = FileRead(by_kind["connections"].name,
                                                   max(days).date() if days else None, len(connections))
        for kind, given in (("recommendations_received", False), ("recommendations_given", True)):
            if kind in by_kind:
                _read_recommendations(by_kind[kind], export, given, limits)
        for kind, given in (("endorsements_received", False), ("endorsements_given", True)):
            if kind in by_kind:
                _read_endorsements(by_kind[kind], export, given, limits)
        export.files_read = [by_kind[k].name for k in _ORDER if k in by_kind]
        return export
    finally:
        source.close()
