"""Reading a LinkedIn data export: the ZIP as downloaded, the unpacked folder, a folder one
level down, or a single Connections.csv.

Every file is optional except Connections.csv. File names are matched case-insensitively
with ``_`` for space (``Rich_Media.csv`` is ``Rich Media.csv``); ZIP members are read where
they are, never written to disk, after their declared sizes are checked. Each CSV is read
through the Arrow reader of :mod:`backchannel.readers.table`, one after the other: the small
files first, since the owner's address they give tells sent from received messages. Nothing
here touches the workspace, and nothing runs on after :func:`read_export` returns.

>>> import tempfile
>>> from backchannel.sample import generate_export
>>> with tempfile.TemporaryDirectory() as tmp:
...     export = read_export(generate_export(f"{tmp}/export.zip", 40, 300))
>>> len(export.connections), export.owner_name, export.owner_profile_url
(40, 'Alex Morgan', 'https://www.linkedin.com/in/alex-morgan-5b1')
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, TypeVar

from ..domain import Connection, Interaction, Position, SkipLog
from ..errors import InputError
from ..identity import (
    canonical_profile_url,
    normalise_company,
    normalise_name,
    normalise_profile_url,
    normalise_profile_urls,
)
from ..times import parse_export_date
from .messages import count_messages, message_facts
from .table import CsvTable, column_key, read_csv
from .text import LIMITS, Limits, describe_size

if TYPE_CHECKING:
    import pandas

__all__ = ["ExportData", "ExportFile", "ExportSource", "read_export", "file_kind", "KNOWN_FILES",
           "read_connections", "check_connections"]

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


def file_kind(name: str) -> str | None:
    """The kind of an export file from its name; case and ``_``/space do not matter.

    >>> file_kind("Basic_LinkedInDataExport/Endorsement_Received_Info.csv"), file_kind("coach_messages.csv")
    ('endorsements_received', None)
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return KNOWN_FILES.get(base.lower().replace("_", " ").strip())


@dataclass
class ExportData:
    """Everything read from one export, keyed by normalised profile address where possible.

    ``interactions`` is keyed by :func:`~backchannel.identity.normalise_profile_url`;
    ``interactions_by_name`` by ``(normalise_name, normalise_company or "")`` for files
    without addresses (recommendations, 2018 messages, invitations without URLs);
    ``co_threads`` by the sorted pair of profile keys of two people who share group threads.
    """

    source: str
    connections: list[Connection]
    owner_name: str = ""
    owner_profile_url: str = ""  # clickable https form, or ""
    positions: list[Position] = field(default_factory=list)
    interactions: dict[str, Interaction] = field(default_factory=dict)
    interactions_by_name: dict[tuple[str, str], Interaction] = field(default_factory=dict)
    co_threads: dict[tuple[str, str], int] = field(default_factory=dict)
    files_read: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    skipped: SkipLog = field(default_factory=SkipLog)
    warnings: list[str] = field(default_factory=list)

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


def read_connections(file: ExportFile, limits: Limits = LIMITS) -> tuple[list[Connection], SkipLog, list[str]]:
    """Connections.csv, cleaned: ``(connections, skipped rows, warnings)``.

    Blank ghost rows (hidden profiles), exact duplicates and later rows with the same
    profile address are skipped and counted; a date that cannot be read is kept as None
    with a warning. Names, companies and positions are trimmed; credentials and emoji stay.
    """

    def read(table: CsvTable) -> _Connections:
        _check_connections_header(table, file)
        out = _Connections([], SkipLog(), [])
        keys = list(dict.fromkeys(column_key(h) for h in table.header))
        at = {k: i for i, k in enumerate(keys)}
        first_at, last_at = at[column_key(table.header[0])], at[column_key(table.header[1])]
        url_at, mail_at = at.get("url"), at.get("email address")
        company_at, position_at, on_at = at.get("company"), at.get("position"), at["connected on"]
        seen_rows: set[tuple[str, ...]] = set()
        seen_urls: set[str] = set()
        dates: dict[str, datetime | None] = {}  # a few thousand days across tens of thousands of rows
        where = file.display + ", line {}"
        append, skip = out.connections.append, out.skipped.skip
        for block in table.blocks(keys):
            columns = [block.strings(k) for k in keys]
            url_keys = normalise_profile_urls(columns[url_at]) if url_at is not None else [""] * len(block)
            for line, cells, url_key in zip(block.numbers.tolist(), zip(*columns, strict=True), url_keys, strict=True):
                if max(map(len, cells)) > MAX_PERSON_FIELD:
                    skip(f"a field longer than {MAX_PERSON_FIELD:,} characters (no LinkedIn name, company or "
                         "position is)", where.format(line))
                    continue
                first, last = cells[first_at].strip(), cells[last_at].strip()
                if not first and not last and not url_key:
                    if any(c.strip() for c in cells):
                        skip("hidden profile (no name and no profile address)", where.format(line))
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
                append(Connection(
                    line, first, last, _clickable(url_key), url_key,
                    cells[mail_at].strip() if mail_at is not None else "",
                    cells[company_at].strip() if company_at is not None else "",
                    cells[position_at].strip() if position_at is not None else "",
                    connected_on,  # type: ignore[arg-type]
                ))
        out.skipped.merge(table.skipped)
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


def _rows(file: ExportFile, is_header: Callable[[list[str]], bool], what: str,
          keys: list[str] | Callable[[list[str]], list[str]], limits: Limits,
          field_lines: int | None = None) -> tuple[list[tuple[str, ...]], SkipLog]:
    """The ``keys`` columns of a small file (or the keys ``keys(header)`` gives), each row a
    tuple of strings ("" for a missing column), and the rows skipped."""

    def read(table: CsvTable) -> tuple[list[tuple[str, ...]], SkipLog]:
        wanted = keys(table.header) if callable(keys) else keys
        rows: list[tuple[str, ...]] = []
        for block in table.blocks(wanted):
            rows.extend(zip(*(block.strings(k) for k in wanted), strict=True))
        return rows, table.skipped

    return read_csv(file.opener, file.display, is_header, read, what=what, limits=limits, field_lines=field_lines)


def _names_and(*others: str) -> Callable[[list[str]], list[str]]:
    """The keys of the first two columns (a first and a last name, whatever their spelling), then ``others``."""
    return lambda header: [column_key(header[0]), column_key(header[1]), *others]


def _facts_for(export: ExportData, url_key: str, name_key: tuple[str, str], facts: Interaction) -> None:
    """Add facts under the profile address when there is one, else under the name."""
    if url_key:
        export.interactions.setdefault(url_key, Interaction()).merge(facts)
    elif name_key[0]:
        export.interactions_by_name.setdefault(name_key, Interaction()).merge(facts)


def _read_invitations(file: ExportFile, export: ExportData, limits: Limits) -> str:
    """Who invited whom, and with a note; returns the owner's profile key when it shows (the
    inviter of OUTGOING rows, the invitee of INCOMING ones)."""

    def is_header(cells: list[str]) -> bool:
        low = {c.lower() for c in cells}
        return "from" in low and "to" in low and "direction" in low

    rows, skipped = _rows(file, is_header, "Invitations.csv (From, To, Sent At, Direction)",
                          ["from", "to", "message", "direction", "inviterprofileurl", "inviteeprofileurl"], limits,
                          field_lines=limits.max_field_lines)
    export.skipped.merge(skipped)
    owners: Counter[str] = Counter()
    inviters = normalise_profile_urls([row[4].strip() for row in rows])
    invitees = normalise_profile_urls([row[5].strip() for row in rows])
    for (sender, receiver, note, direction_text, _, _), inviter, invitee in zip(rows, inviters, invitees, strict=True):
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
        _facts_for(export, other if other.startswith("linkedin.com/") else "", (normalise_name(other_name), ""),
                   Interaction(invited_by=who, invitation_note=bool(note.strip())))
    return owners.most_common(1)[0][0] if owners else ""


def _read_recommendations(file: ExportFile, export: ExportData, given: bool, limits: Limits) -> None:
    rows, skipped = _rows(file, _is_connections_header, "Recommendations (First Name, Last Name, ...)",
                          _names_and("company", "status"), limits)
    export.skipped.merge(skipped)
    for first, last, company, status in rows:
        if status.strip().upper() not in {"", "VISIBLE", "ACCEPTED"}:
            continue
        key = (normalise_name(f"{first.strip()} {last.strip()}"), normalise_company(company.strip()))
        facts = Interaction(recommendations_given=1) if given else Interaction(recommendations_received=1)
        _facts_for(export, "", key, facts)


def _read_endorsements(file: ExportFile, export: ExportData, given: bool, limits: Limits) -> None:
    def is_header(cells: list[str]) -> bool:
        return any(c.lower() == "skill name" for c in cells)

    who = "endorsee" if given else "endorser"
    rows, skipped = _rows(file, is_header, "Endorsements (Endorsement Date, Skill Name, ...)",
                          [f"{who} public url", f"{who} first name", f"{who} last name", "endorsement status"], limits)
    export.skipped.merge(skipped)
    for url, first, last, status in rows:
        if status.strip().upper() == "PENDING":
            continue
        facts = Interaction(endorsements_given=1) if given else Interaction(endorsements_received=1)
        _facts_for(export, normalise_profile_url(url.strip()), (normalise_name(f"{first.strip()} {last.strip()}"), ""),
                   facts)


def _read_profile(file: ExportFile, limits: Limits) -> str:
    """The owner's name: the first and last name of the first row that has one."""

    def read(table: CsvTable) -> str:
        first, last = column_key(table.header[0]), column_key(table.header[1])
        for block in table.blocks([first, last]):
            for a, b in zip(block.strings(first), block.strings(last), strict=True):
                full = " ".join(p for p in (a.strip(), b.strip()) if p)
                if full:
                    return full
        return ""

    return read_csv(file.opener, file.display, _is_connections_header, read,
                    what="Profile.csv (First Name, Last Name, ...)", limits=limits)


def _read_positions(file: ExportFile, limits: Limits) -> tuple[list[Position], SkipLog]:
    """The owner's employers, each with its dates (no end date: the current one)."""

    def is_header(cells: list[str]) -> bool:
        return any(c.lower() == "company name" for c in cells)

    rows, skipped = _rows(file, is_header, "Positions.csv (Company Name, Title, ...)",
                          ["company name", "title", "started on", "finished on"], limits)
    return [Position(company.strip(), title.strip(), parse_export_date(started.strip()),
                     parse_export_date(finished.strip()))
            for company, title, started, finished in rows if company.strip()], skipped


# --------------------------------------------------------------------------- entry point


def _add_messages(export: ExportData, file: ExportFile, owner_key: str, limits: Limits) -> None:
    """Put what messages.csv says into the export, with the facts the other files gave."""
    groups = count_messages(file.opener, file.display, limits=limits)
    facts = message_facts(groups, owner_key, normalise_name(export.owner_name))
    del groups
    export.skipped.merge(facts.skipped)
    for key, interaction in facts.by_url.items():
        known = export.interactions.get(key)
        if known is None:
            export.interactions[key] = interaction
        else:
            known.merge(interaction)
    for name_key, interaction in facts.by_name.items():
        known = export.interactions_by_name.get(name_key)
        if known is None:
            export.interactions_by_name[name_key] = interaction
        else:
            known.merge(interaction)
    export.co_threads = facts.co_threads
    if facts.owner_key and not export.owner_profile_url:
        export.owner_profile_url = canonical_profile_url(facts.owner_key)


def read_export(path: str | os.PathLike[str], *, limits: Limits = LIMITS) -> ExportData:
    """Read a LinkedIn export (a ZIP, a folder or Connections.csv) into :class:`ExportData`.

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
            kind = "connections" if source.single else file_kind(name)
            if kind is None or kind in by_kind:
                ignored.append(name)
                continue
            by_kind[kind] = source.files[name]
        if "connections" not in by_kind:
            raise InputError("no Connections.csv in this export; is it a LinkedIn data export?", path=path)
        export = ExportData(source=str(path), connections=[], files_ignored=ignored)
        # the small files first: the owner's name and address tell sent from received messages
        if "profile" in by_kind:
            export.owner_name = _read_profile(by_kind["profile"], limits)
        if "positions" in by_kind:
            export.positions, skipped = _read_positions(by_kind["positions"], limits)
            export.skipped.merge(skipped)
        owner_key = ""
        if "invitations" in by_kind:
            owner_key = _read_invitations(by_kind["invitations"], export, limits)
            export.owner_profile_url = canonical_profile_url(owner_key)
        if "messages" in by_kind:
            # before the rows of Connections.csv, so that its working memory is free before
            # the connections are held (but after its header: a wrong file fails at once)
            check_connections(by_kind["connections"], limits)
            _add_messages(export, by_kind["messages"], owner_key, limits)
        connections, skipped, warnings = read_connections(by_kind["connections"], limits)
        export.connections = connections
        export.skipped.merge(skipped)
        export.warnings.extend(warnings)
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
