"""Reading a LinkedIn data export: a ZIP as downloaded, the unpacked folder, or one CSV.

Every file is optional except Connections.csv. Columns are mapped by name, headers are
found by content after any preamble, and each file becomes a small frame or a table of
per-person facts. Nothing here touches the workspace.
"""

from __future__ import annotations

import contextlib
import gc
import os
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from .dates import parse_export_date
from .errors import InputError
from .identity import (
    canonical_profile_url,
    normalise_company,
    normalise_name,
    normalise_profile_url,
)
from .textfiles import (
    LIMITS,
    CsvText,
    Limits,
    find_row_boundary,
    open_csv,
    read_all_rows,
    read_rows_from,
)

__all__ = ["Connection", "Interaction", "ImportReport", "LinkedInExport", "read_export", "file_kind"]

# normalised file name -> kind of data we read from it
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


def file_kind(name: str) -> str | None:
    """The kind of an export file from its name; case and ``_``/space do not matter."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return KNOWN_FILES.get(base.lower().replace("_", " ").strip())


@dataclass(slots=True)
class Connection:
    line: int
    first_name: str
    last_name: str
    profile_url: str
    url_key: str
    email: str
    company: str
    position: str
    connected_on: datetime | None

    @property
    def name(self) -> str:
        first, last = self.first_name, self.last_name
        return f"{first} {last}" if first and last else first or last


@dataclass
class Interaction:
    """What the export says about the owner's history with one person."""

    messages_sent: int = 0
    messages_received: int = 0
    conversations: int = 0
    group_conversations: int = 0
    first_message: datetime | None = None
    last_message: datetime | None = None
    invited_by: str = ""  # "owner" or "them"
    invitation_note: bool = False
    recommendations_received: int = 0
    recommendations_given: int = 0
    endorsements_received: int = 0
    endorsements_given: int = 0


_MESSAGE_FIELDS = ("messages_sent", "messages_received", "conversations", "group_conversations",
                   "first_message", "last_message")


@dataclass
class ImportReport:
    files_read: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        examples = self.skipped_examples.setdefault(reason, [])
        if len(examples) < 3:
            examples.append(where)


@dataclass
class LinkedInExport:
    """Everything read from one export, keyed by canonical profile address where possible."""

    source: str
    connections: list[Connection]
    owner_name: str = ""
    owner_profile_url: str = ""
    positions: list[dict] = field(default_factory=list)
    interactions: dict[str, Interaction] = field(default_factory=dict)
    # name-keyed facts for files without profile addresses (recommendations, 2018 messages)
    interactions_by_name: dict[tuple[str, str], Interaction] = field(default_factory=dict)
    co_threads: Counter = field(default_factory=Counter)  # (url_key, url_key) -> shared group threads
    report: ImportReport = field(default_factory=ImportReport)
    _pending: _MessagesJob | None = field(default=None, repr=False)

    def complete(self) -> LinkedInExport:
        """Wait for messages.csv when it is being read in the background, and merge it in."""
        messages = self.take_messages()
        if messages is not None:
            _merge_message_facts(self, *messages)
        return self

    def take_messages(self) -> tuple[dict, dict] | None:
        """Wait for messages.csv when it is being read in the background and return what it
        says per person, ``(by address, by name)``, each a list in ``_MESSAGE_FIELDS`` order with
        dates as "YYYY-MM-DD HH:MM:SS" text, without merging it into ``interactions`` (the
        workspace stores it as it is). Shared threads, the owner's address and what was skipped
        are set on the export. None when there is no background read (the facts are in
        ``interactions`` already)."""
        job, self._pending = self._pending, None
        if job is None:
            return None
        tallied, skipped, examples = job.result()
        _merge_report(self.report, skipped, examples)
        return _set_message_context(self, tallied)

    def abandon(self) -> None:
        """Stop a background read that is no longer wanted."""
        job, self._pending = self._pending, None
        if job is not None:
            job.cancel()

    def connections_frame(self):
        import pandas as pd

        rows = [
            {
                "name": c.name,
                "first_name": c.first_name,
                "last_name": c.last_name,
                "profile_url": c.profile_url,
                "email": c.email,
                "company": c.company,
                "position": c.position,
                "connected_on": c.connected_on,
            }
            for c in self.connections
        ]
        return pd.DataFrame(rows, columns=["name", "first_name", "last_name", "profile_url", "email",
                                           "company", "position", "connected_on"])


# --------------------------------------------------------------------------- opening files


class _Source:
    """A folder, a ZIP or a single CSV, seen as a set of named files."""

    single = False  # a lone CSV, read as Connections.csv whatever its name

    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        self.zip: zipfile.ZipFile | None = None
        self.files: dict[str, str] = {}  # display name -> member name or file path
        if path.is_dir():
            self._scan_folder(path)
        elif path.is_file() and zipfile.is_zipfile(path):
            self._scan_zip(path)
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                raise InputError("truncated or damaged ZIP archive; download the export again", path=path)
            self.files[path.name] = str(path)
            self.single = True
        elif not path.exists():
            raise InputError("no such file or folder", path=path)
        else:
            raise InputError("not a LinkedIn export (expected a .zip, a folder or Connections.csv)", path=path)

    def _scan_folder(self, root: Path) -> None:
        found = {p.name: str(p) for p in root.iterdir() if p.is_file()}
        if not any(file_kind(n) == "connections" for n in found):
            # an export unpacked into a subfolder of its own, or with a Jobs/ folder beside
            subs = [d for d in root.iterdir() if d.is_dir() and any(
                file_kind(p.name) == "connections" for p in d.iterdir() if p.is_file())]
            if len(subs) == 1:
                found = {p.name: str(p) for p in subs[0].iterdir() if p.is_file()}
        self.files = found

    def _scan_zip(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=path) from None
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            kind = file_kind(info.filename)
            if kind is None:
                self.files[info.filename] = info.filename
                continue
            if info.file_size > self.limits.max_file_bytes:
                raise InputError(
                    f"{info.filename} would inflate to {info.file_size // 1024**2} MiB, over the "
                    f"{self.limits.max_file_bytes // 1024**2} MiB limit; refusing a possible ZIP bomb",
                    path=path,
                )
            total += info.file_size
            # a LinkedIn file is never at a deeper level than one folder
            if info.filename.count("/") <= 1:
                self.files.setdefault(info.filename, info.filename)
        if total > self.limits.max_archive_bytes:
            raise InputError("the archive inflates to more than the size limit; refusing a possible ZIP bomb",
                             path=path)

    def opener(self, name: str) -> Callable[[], BinaryIO]:
        target = self.files[name]
        if self.zip is not None:
            zf = self.zip

            def open_member() -> BinaryIO:
                try:
                    return zf.open(target)
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                    raise InputError(f"cannot read {target} from the archive ({exc})", path=self.path) from None

            return open_member
        return lambda: open(target, "rb")  # noqa: SIM115 - closed by the reader

    def display(self, name: str) -> str:
        if self.zip is not None:
            return f"{self.path}!{name}"
        return self.files[name]

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _read(source: _Source, name: str, is_header, what: str, project=None, stop_at_line: int | None = None):
    opener = source.opener(name)
    display = source.display(name)
    try:
        return read_all_rows(opener, display, is_header, what=what, limits=source.limits, project=project,
                             stop_at_line=stop_at_line)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
        raise InputError(f"damaged ZIP archive ({exc})", path=display) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=display) from None


def _columns(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, h in enumerate(header):
        out.setdefault(" ".join(h.lower().replace("_", " ").split()), i)
    return out


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


# --------------------------------------------------------------------------- connections


def _is_connections_header(cells: list[str]) -> bool:
    low = [c.lower() for c in cells]
    return len(low) >= 2 and low[0] in {"first name", "firstname"} and low[1] in {"last name", "lastname"}


def _read_connections(source: _Source, name: str, report: ImportReport) -> list[Connection]:
    display = source.display(name)
    out: list[Connection] = []
    attempts: list[ImportReport] = []

    def project(table: CsvText):
        col = _columns(table.header)
        if "connected on" not in col:
            raise InputError("Connections.csv has no 'Connected On' column; is this a LinkedIn export?",
                             path=display, line=table.header_line)
        i_url, i_mail = col.get("url"), col.get("email address")
        i_company, i_position, i_on = col.get("company"), col.get("position"), col["connected on"]
        # a fresh start for each attempt (a retry in another encoding reads the file again)
        out.clear()
        attempts.append(ImportReport())
        report = attempts[-1]
        seen_rows: set[tuple] = set()
        seen_urls: set[str] = set()
        width = len(table.header)
        append = out.append

        def keep(line: int, cells: list[str]) -> None:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            first, last = cells[0].strip(), cells[1].strip()
            url_key = normalise_profile_url(cells[i_url]) if i_url is not None else ""
            if not first and not last and not url_key:
                if any(c.strip() for c in cells):
                    report.skip("hidden profile (no name and no profile address)", f"{display}, line {line}")
                return
            key = tuple(cells)
            if key in seen_rows:
                report.skip("exact duplicate row", f"{display}, line {line}")
                return
            seen_rows.add(key)
            if url_key:
                if url_key in seen_urls:
                    report.skip("same profile address as an earlier row (the newer row is kept)",
                                f"{display}, line {line}")
                    return
                seen_urls.add(url_key)
            on_text = cells[i_on].strip()
            connected_on = parse_export_date(on_text)
            if on_text and connected_on is None:
                report.warnings.append(f"{display}, line {line}: date {on_text[:40]!r} not understood; "
                                       "kept without a date")
            append(Connection(
                line, first, last, _clickable(url_key) if url_key else "", url_key,
                cells[i_mail].strip() if i_mail is not None else "",
                cells[i_company].strip() if i_company is not None else "",
                cells[i_position].strip() if i_position is not None else "",
                connected_on,
            ))

        return keep

    try:
        _read(source, name, _is_connections_header, "Connections.csv (First Name, Last Name, ...)", project)
    except InputError as exc:
        if "header row" in exc.message:
            hint = _guess_kind_hint(source, name)
            raise InputError(exc.message + hint, path=display) from None
        raise
    last = attempts[-1]
    _merge_report(report, dict(last.skipped), last.skipped_examples)
    report.warnings.extend(last.warnings)
    return out


def _clickable(url_key: str) -> str:
    if not url_key:
        return ""
    return "https://www." + url_key if url_key.startswith("linkedin.com/") else "https://" + url_key


def _guess_kind_hint(source: _Source, name: str) -> str:
    try:
        raw = source.opener(name)()
        head = raw.read(4096).decode("utf-8", "replace").lower()
        raw.close()
    except Exception:  # the hint is a courtesy; the error itself is already clear
        return ""
    if "conversation id" in head or ("from,to" in head and "content" in head):
        return "; this looks like messages.csv, not Connections.csv"
    if "sent at" in head and "direction" in head:
        return "; this looks like Invitations.csv, not Connections.csv"
    return "; expected LinkedIn's Connections.csv, the export folder or the ZIP"


# --------------------------------------------------------------------------- messages


def _is_messages_header(cells: list[str]) -> bool:
    low = {c.lower() for c in cells}
    return "from" in low and "to" in low and "date" in low


class _MessageTally:
    """messages.csv in two steps: rows are counted per (conversation, sender, recipients) as
    they are read, then each such group is worked out into per-person facts once.

    A conversation has a handful of senders and recipient lists, so the second step sees a
    fraction of the rows, and the owner's address (needed to tell sent from received) can be
    found after the read when Invitations.csv did not give it.
    """

    def __init__(self, has_urls: bool):
        self.has_urls = has_urls
        # (conversation, sender address, recipient addresses) -> [messages, first, last] (the
        # dates as "YYYY-MM-DD HH:MM:SS"); for
        # 2018 files, which have names only: (conversation, direction, from name, to name)
        self.groups: dict[tuple, list] = {}
        self._pairs: dict | None = None
        self.report = ImportReport()  # what this read skipped

    def merge(self, groups: dict[tuple, list]) -> None:
        """Add the groups counted from another part of the same file."""
        self._pairs = None
        mine = self.groups
        for key, (count, first, last) in groups.items():
            group = mine.get(key)
            if group is None:
                mine[key] = [count, first, last]
            else:
                group[0] += count
                if first < group[1]:
                    group[1] = first
                if last > group[2]:
                    group[2] = last

    def finish(self, owner_key: str, owner_name_key: str) -> tuple:
        """Facts per person from the groups: ``(by_address, by_name, co_threads, owner_address)``,
        each person's facts a list in the order of ``_MESSAGE_FIELDS``, dates as text."""
        owner_url = ""
        if self.has_urls and not owner_key:
            owner_key = self.find_owner()
            owner_url = canonical_profile_url(owner_key) if owner_key else ""
        return (*_conversations(*self.people(owner_key, owner_name_key)), owner_url)

    def _addresses(self) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
        """(sender text, recipients text) -> (sender key, recipient keys), each text normalised once."""
        if self._pairs is not None:
            return self._pairs
        url_keys: dict[str, str] = {}
        lists: dict[str, tuple[str, ...]] = {}

        def key_of(raw: str) -> str:
            k = url_keys.get(raw)
            if k is None:
                k = url_keys[raw] = normalise_profile_url(raw)
            return k

        pairs = self._pairs = {}
        for pair in {(sender, recips) for _conv, sender, recips in self.groups}:
            recips = pair[1]
            keys = lists.get(recips)
            if keys is None:
                keys = lists[recips] = tuple(key_of(u) for u in recips.split(",") if u.strip())
            pairs[pair] = (key_of(pair[0]), keys)
        return pairs

    def find_owner(self) -> str:
        """The owner's address when Invitations.csv did not give it: the one in the most conversations."""
        addresses = self._addresses()
        seen: dict[str, set] = defaultdict(set)
        for conv, sender, recips in self.groups:
            sender_key, keys = addresses[sender, recips]
            for k in (sender_key, *keys):
                if k:
                    seen[k].add(conv)
        return max(seen, key=lambda k: (len(seen[k]), k)) if seen else ""

    def people(self, owner_key: str, owner_name_key: str) -> tuple[dict, dict, dict]:
        """``(by_address, by_name, threads)``: message counts and dates per person (conversations
        not yet counted) and the people in each conversation. Parts of one file give parts
        that :func:`_merge_people` adds up."""
        groups = self.groups
        by_url: dict[str, list] = {}
        by_name: dict[tuple[str, str], list] = {}
        # who sent a message and to whom repeats across conversations: work each out once, as
        # (outgoing, counterparts, participants, table) or None when it names nobody
        shapes: dict[tuple, tuple | None] = {}
        if self.has_urls:
            for pair, (sender, recips) in self._addresses().items():
                if not sender and not recips:
                    shapes[pair] = None
                    continue
                participants = frozenset(k for k in (sender, *recips) if k and k != owner_key)
                outgoing = bool(owner_key) and sender == owner_key
                counterparts = tuple(participants) if outgoing else ((sender,) if sender else ())
                shapes[pair] = (outgoing, counterparts, participants, by_url)
            rows = ((conv, shapes[sender, recips], group) for (conv, sender, recips), group in groups.items())
        else:
            for _conv, direction, from_name, to_name in groups:
                raw = (direction, from_name, to_name)
                if raw not in shapes:
                    outgoing = direction in {"OUTGOING", "SENT"}
                    key = normalise_name(to_name if outgoing else from_name)
                    counterparts = () if not key or key == owner_name_key else ((key, ""),)
                    shapes[raw] = (outgoing, counterparts, frozenset(counterparts), by_name)
            rows = ((conv, shapes[direction, from_name, to_name], group)
                    for (conv, direction, from_name, to_name), group in groups.items())

        threads: dict[str, frozenset] = {}
        for conv, shape, (count, first, last) in rows:
            if shape is None:
                continue
            outgoing, counterparts, participants, table = shape
            if not conv:
                conv = "|".join(sorted(map(str, participants)))
            members = threads.get(conv)
            if members is None:
                threads[conv] = participants
            elif not participants <= members:
                threads[conv] = members | participants
            for k in counterparts:
                facts = table.get(k)
                if facts is None:
                    table[k] = [count, 0, 0, 0, first, last] if outgoing else [0, count, 0, 0, first, last]
                else:
                    facts[0 if outgoing else 1] += count
                    if first < facts[4]:
                        facts[4] = first
                    if last > facts[5]:
                        facts[5] = last
        return by_url, by_name, threads


def _merge_people(mine: tuple[dict, dict, dict], theirs: tuple[dict, dict, dict]) -> tuple[dict, dict, dict]:
    """Add the people of another part of the same messages.csv (see ``_MessageTally.people``)."""
    for table, other in ((mine[0], theirs[0]), (mine[1], theirs[1])):
        for k, (sent, received, _conversations, _groups, first, last) in other.items():
            facts = table.get(k)
            if facts is None:
                table[k] = [sent, received, 0, 0, first, last]
            else:
                facts[0] += sent
                facts[1] += received
                if first < facts[4]:
                    facts[4] = first
                if last > facts[5]:
                    facts[5] = last
    threads = mine[2]
    for conv, members in theirs[2].items():
        known = threads.get(conv)
        threads[conv] = members if known is None else known | members
    return mine


def _conversations(by_url: dict, by_name: dict, threads: dict) -> tuple[dict, dict, Counter]:
    """Count each person's conversations and group conversations, and who shares a group thread."""
    co_threads: Counter = Counter()
    for members in threads.values():
        group = len(members) > 1
        for k in members:
            table = by_url if isinstance(k, str) else by_name
            facts = table.get(k)
            if facts is None:
                facts = table[k] = [0, 0, 0, 0, None, None]
            facts[2] += 1
            if group:
                facts[3] += 1
        if group and len(members) <= 50:
            urls = sorted(k for k in members if isinstance(k, str))
            for i, a in enumerate(urls):
                for b in urls[i + 1:]:
                    co_threads[a, b] += 1
    return by_url, by_name, co_threads


MESSAGES_WHAT = "messages.csv (FROM, TO, DATE, ...)"


def _read_messages(source: _Source, name: str, owner: Callable[[], tuple[str, str]],
                   report: ImportReport, *, in_two: bool = False) -> tuple:
    """Tally messages.csv into per-person facts (see :class:`_MessageTally`); what it skips
    goes to ``report``. ``owner()`` gives the owner's address and name key, needed only after
    the last row. ``in_two``: read each half of the file in its own process when it can."""
    known: list[tuple[str, str]] = []

    def owner_once() -> tuple[str, str]:
        if not known:
            known.append(owner())
        return known[0]

    tallied = _tally_in_two(source, name, owner_once, report) if in_two else None
    if tallied is None:
        tallies: list[_MessageTally] = []
        _read(source, name, _is_messages_header, MESSAGES_WHAT, _projector(tallies))
        _merge_report(report, dict(tallies[-1].report.skipped), tallies[-1].report.skipped_examples)
        tallied = tallies[-1].finish(*owner_once())
    return tallied


def _projector(tallies: list[_MessageTally]):
    """What to do with each row of messages.csv, given its header: count it in a new tally
    (with its own report of what it skipped)."""

    def project(table: CsvText):
        col = _columns(table.header)
        i_conv, i_from, i_to = col.get("conversation id"), col.get("from"), col.get("to")
        i_surl, i_rurls, i_date = col.get("sender profile url"), col.get("recipient profile urls"), col["date"]
        i_dir, i_draft, i_folder = col.get("direction"), col.get("is message draft"), col.get("folder")
        width = len(table.header)
        display = table.name
        has_urls = i_surl is not None
        from_iso = datetime.fromisoformat
        # a fresh tally for each attempt: a read abandoned part-way (to retry in another
        # encoding) leaves nothing half-counted behind
        tally = _MessageTally(has_urls)
        tallies.append(tally)
        groups, report = tally.groups, tally.report

        # this runs once per message (hundreds of thousands): keep it lean
        def keep(line: int, cells: list[str]) -> None:
            if len(cells) < width:
                if not any(cells):
                    return
                cells = cells + [""] * (width - len(cells))
            draft = cells[i_draft] if i_draft is not None else ""
            if draft and draft != "No" and draft.strip().lower() == "yes":
                report.skip("message draft", f"{display}, line {line}")
                return
            # dates are kept as "YYYY-MM-DD HH:MM:SS" text: it sorts as the time does, and is
            # cheaper than datetimes to compare and to send between processes
            text = cells[i_date]
            if len(text) == 23 and text[19:] == " UTC" and text[4:17:3] == "-- ::":
                stamp = text[:19]
                try:
                    from_iso(stamp)  # a real date and time, not just its shape
                except ValueError:
                    stamp = None
            else:
                when = parse_export_date(text)
                stamp = when.isoformat(" ") if when is not None else None
            if stamp is None:
                report.skip("message without a readable date", f"{display}, line {line}")
                return
            if i_folder is not None and cells[i_folder] == "SPAM":
                report.skip("message in the spam folder", f"{display}, line {line}")
                return
            conv = cells[i_conv] if i_conv is not None else ""
            if has_urls:
                key = (conv, cells[i_surl], cells[i_rurls] if i_rurls is not None else "")
            else:
                key = (conv, cells[i_dir].strip().upper() if i_dir is not None else "",
                       _cell(cells, i_from), _cell(cells, i_to))
            group = groups.get(key)
            if group is None:
                groups[key] = [1, stamp, stamp]
            else:
                group[0] += 1
                if stamp < group[1]:
                    group[1] = stamp
                elif stamp > group[2]:
                    group[2] = stamp

        return keep

    return project


def _tally_in_two(source: _Source, name: str, owner: Callable[[], tuple[str, str]],
                  report: ImportReport) -> tuple | None:
    """Count messages.csv in two processes, this one taking the first half and a forked one
    the second, and work out the people of each half in its own process; the facts as
    ``_MessageTally.finish`` gives them, or None when the file cannot be cut safely (then
    read it whole).

    The cut is a line end outside quotes (:func:`find_row_boundary`). It is verified: this
    process must end a row exactly on the line before the cut, and its next row must be the
    first row the other process read. Anything unexpected (another encoding, a child that
    died, an error in the second half) gives None, and the whole-file read decides.
    """
    limits, opener, display = source.limits, source.opener(name), source.display(name)
    size = _size_of(source, name)
    if not _can_fork() or size > limits.max_file_bytes:
        return None
    try:
        head = open_csv(opener, display, _is_messages_header, what=MESSAGES_WHAT, limits=limits)
    except InputError:
        return None
    if head.encoding not in {"utf-8", "cp1252"}:
        return None
    with opener() as raw:
        boundary = find_row_boundary(raw, size // 2)
    if boundary is None or boundary[1] <= head._line_offset:
        return None
    start, lines_before = boundary
    path = source.path
    # the owner is known early (the parent sends it once the small files are read); without
    # an address for the owner, it is found from all the conversations, so the second half
    # sends its counts as they are
    owner_key, owner_name_key = owner()
    each_half = bool(owner_key) or "sender profile url" not in _columns(head.header)

    def second_half() -> tuple:
        part = _Source(path, limits)
        tallies: list[_MessageTally] = []
        keep = _projector(tallies)(head)
        try:
            _, first = read_rows_from(part.opener(name), head, start, lines_before, keep, limits=limits)
        except (InputError, UnicodeDecodeError, OSError, zipfile.BadZipFile, EOFError):
            return ("failed",)
        tally = tallies[-1]
        counted = tally.people(owner_key, owner_name_key) if each_half else tally.groups
        return ("ok", counted, first, dict(tally.report.skipped), tally.report.skipped_examples)

    other = _Forked(second_half)
    try:
        tallies = []
        table, _ = _read(source, name, _is_messages_header, MESSAGES_WHAT, _projector(tallies),
                         stop_at_line=lines_before)
        if table.encoding != head.encoding:
            return None
        tally = tallies[-1]
        mine = tally.report
        if table.stopped_at is None:
            # no row ended at the cut (a quote the boundary scan read differently): this
            # process has read the whole file itself
            _merge_report(report, dict(mine.skipped), mine.skipped_examples)
            return tally.finish(owner_key, owner_name_key)
        people = tally.people(owner_key, owner_name_key) if each_half else None  # while the other works
        outcome = other.result()
    finally:
        other.cancel()
    if outcome is None or outcome[0] != "ok" or outcome[2] != table.next_cells:
        return None
    _, counted, _first, skipped, examples = outcome
    _merge_report(report, dict(mine.skipped), mine.skipped_examples)
    _merge_report(report, skipped, examples)
    if people is None:
        tally.merge(counted)
        return tally.finish(owner_key, owner_name_key)
    return (*_conversations(*_merge_people(people, counted)), "")


def _merge_report(report: ImportReport, skipped: dict, examples: dict) -> None:
    for reason, count in skipped.items():
        report.skipped[reason] += count
        kept = report.skipped_examples.setdefault(reason, [])
        kept.extend(examples.get(reason, [])[:max(0, 3 - len(kept))])


class _Forked:
    """A function run in a forked child process; its return value comes back through a pipe.

    The value must be made of plain dicts, lists, tuples, strings, numbers and None: it is sent
    with ``marshal``, several times quicker than pickle for large tables, and safe here because
    both ends are this code. The child never returns into the caller's code: it ends with
    ``os._exit``, so it never touches the parent's open files or database. If the parent dies,
    the child's write fails on the closed pipe and it ends.

    With ``own_group``, the child leads a process group of its own, so that :meth:`cancel`
    also stops the processes it forked in turn."""

    def __init__(self, fn: Callable[[], object], *, close_in_child: tuple[int, ...] = (),
                 own_group: bool = False):
        import marshal

        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                if own_group:
                    os.setpgid(0, 0)
                gc.disable()  # a short-lived process that allocates a lot and makes no cycles to speak of
                os.close(read_fd)
                for fd in close_in_child:
                    os.close(fd)
                data = marshal.dumps(fn())
                with os.fdopen(write_fd, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - nothing may escape a forked child
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        if own_group:
            with contextlib.suppress(OSError):  # set on both sides: whichever runs first wins
                os.setpgid(pid, pid)
        self.own_group = own_group
        self.pid: int | None = pid
        self.read_fd: int | None = read_fd

    def result(self) -> object:
        """What the function returned; None when the child failed or was killed."""
        import marshal

        fd, self.read_fd = self.read_fd, None
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        pid, self.pid = self.pid, None
        _, status = os.waitpid(pid, 0)
        return marshal.loads(data) if status == 0 and data else None

    def cancel(self) -> None:
        """Stop the child if it is still running (nothing once :meth:`result` has been taken)."""
        import signal

        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                if self.own_group:
                    os.killpg(self.pid, signal.SIGKILL)
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.read_fd is not None:
            os.close(self.read_fd)
            self.read_fd = None


# --------------------------------------------------------------------------- the other files


def _read_invitations(source: _Source, name: str, export: LinkedInExport) -> str:
    """Read invitations into interactions; return the owner's profile key when it shows."""

    def is_header(cells):
        low = {c.lower() for c in cells}
        return "from" in low and "to" in low and "direction" in low

    table, rows = _read(source, name, is_header, "Invitations.csv (From, To, Sent At, Direction)")
    col = _columns(table.header)
    i_dir, i_msg = col["direction"], col.get("message")
    i_inviter, i_invitee = col.get("inviterprofileurl"), col.get("inviteeprofileurl")
    i_from, i_to = col["from"], col["to"]
    owners = Counter()
    for _line, cells in rows:
        direction = _cell(cells, i_dir).upper()
        inviter = normalise_profile_url(_cell(cells, i_inviter))
        invitee = normalise_profile_url(_cell(cells, i_invitee))
        if direction == "OUTGOING":
            if inviter:
                owners[inviter] += 1
            other, other_name, who = invitee, _cell(cells, i_to), "owner"
        elif direction == "INCOMING":
            if invitee:
                owners[invitee] += 1
            other, other_name, who = inviter, _cell(cells, i_from), "them"
        else:
            continue
        if other.startswith("linkedin.com/"):
            facts = export.interactions.setdefault(other, Interaction())
        else:
            key = (normalise_name(other_name), "")
            if not key[0]:
                continue
            facts = export.interactions_by_name.setdefault(key, Interaction())
        facts.invited_by = who
        facts.invitation_note = facts.invitation_note or bool(_cell(cells, i_msg))
    return owners.most_common(1)[0][0] if owners else ""


def _read_recommendations(source: _Source, name: str, export: LinkedInExport, given: bool) -> None:
    table, rows = _read(source, name, _is_connections_header, "Recommendations (First Name, Last Name, ...)")
    col = _columns(table.header)
    i_company, i_status = col.get("company"), col.get("status")
    for _line, cells in rows:
        if i_status is not None and _cell(cells, i_status).upper() not in {"", "VISIBLE", "ACCEPTED"}:
            continue
        key = (normalise_name(f"{_cell(cells, 0)} {_cell(cells, 1)}"), normalise_company(_cell(cells, i_company)))
        if not key[0]:
            continue
        facts = export.interactions_by_name.setdefault(key, Interaction())
        if given:
            facts.recommendations_given += 1
        else:
            facts.recommendations_received += 1


def _read_endorsements(source: _Source, name: str, export: LinkedInExport, given: bool) -> None:
    def is_header(cells):
        return any(c.lower() == "skill name" for c in cells)

    table, rows = _read(source, name, is_header, "Endorsements (Endorsement Date, Skill Name, ...)")
    col = _columns(table.header)
    who = "endorsee" if given else "endorser"
    i_url, i_first, i_last = col.get(f"{who} public url"), col.get(f"{who} first name"), col.get(f"{who} last name")
    i_status = col.get("endorsement status")
    for _line, cells in rows:
        if i_status is not None and _cell(cells, i_status).upper() == "PENDING":
            continue
        url = normalise_profile_url(_cell(cells, i_url))
        if url:
            facts = export.interactions.setdefault(url, Interaction())
        else:
            key = (normalise_name(f"{_cell(cells, i_first)} {_cell(cells, i_last)}"), "")
            if not key[0]:
                continue
            facts = export.interactions_by_name.setdefault(key, Interaction())
        if given:
            facts.endorsements_given += 1
        else:
            facts.endorsements_received += 1


def _read_profile(source: _Source, name: str) -> str:
    _table, rows = _read(source, name, _is_connections_header, "Profile.csv (First Name, Last Name, ...)")
    for _line, cells in rows:
        full = " ".join(p for p in (_cell(cells, 0), _cell(cells, 1)) if p)
        if full:
            return full
    return ""


def _read_positions(source: _Source, name: str) -> list[dict]:
    def is_header(cells):
        return any(c.lower() == "company name" for c in cells)

    table, rows = _read(source, name, is_header, "Positions.csv (Company Name, Title, ...)")
    col = _columns(table.header)
    out = []
    for _line, cells in rows:
        company = _cell(cells, col["company name"])
        if not company:
            continue
        started = parse_export_date(_cell(cells, col.get("started on")))
        finished = parse_export_date(_cell(cells, col.get("finished on")))
        out.append({
            "company": company,
            "title": _cell(cells, col.get("title")),
            "started_on": started,
            "finished_on": finished,
            "current": finished is None,
        })
    return out


# --------------------------------------------------------------------------- entry point


BACKGROUND_MESSAGES_BYTES = 8 << 20  # below this, a second process costs more than it saves


class _MessagesJob:
    """messages.csv read in a forked child process (:class:`_Forked`) while the parent reads
    and stores the rest; the child reads half of a large file in a child of its own.

    The child starts before the small files are read: it needs the owner's address and name
    only after the last row, and gets them through a pipe (:meth:`tell_owner`). If the parent
    dies, the child's read of the owner or write of the result fails and it ends.
    """

    def __init__(self, path: Path, limits: Limits, name: str):
        import marshal

        owner_read, owner_write = os.pipe()

        def owner() -> tuple[str, str]:
            with os.fdopen(owner_read, "rb") as pipe:
                return marshal.loads(pipe.read())

        self.args = (str(path), limits, name)
        self.job = _Forked(lambda: _messages_job(*self.args, owner, in_two=True), close_in_child=(owner_write,),
                           own_group=True)
        os.close(owner_read)
        self.owner_fd: int | None = owner_write
        self.owner: tuple[str, str] = ("", "")

    def tell_owner(self, owner_key: str, owner_name_key: str) -> None:
        """The owner's address and name, as soon as the small files have given them."""
        import marshal

        self.owner = (owner_key, owner_name_key)
        fd, self.owner_fd = self.owner_fd, None
        if fd is not None:
            try:
                os.write(fd, marshal.dumps(self.owner))
            except OSError:
                pass  # the child is gone: result() reads the file here
            finally:
                os.close(fd)

    def result(self) -> tuple:
        self.tell_owner(*self.owner)  # never leave the child waiting
        outcome = self.job.result()
        if outcome is None:
            # the child died (out of memory, killed): read the file here instead
            outcome = _messages_job(*self.args, lambda: self.owner)
        if outcome[0] == "error":
            raise InputError(outcome[1], path=outcome[2], line=outcome[3])
        return outcome[1]

    def cancel(self) -> None:
        self.job.cancel()
        if self.owner_fd is not None:
            os.close(self.owner_fd)
            self.owner_fd = None


def _messages_job(path: str, limits: Limits, name: str, owner: Callable[[], tuple[str, str]], *,
                  in_two: bool = False) -> tuple:
    """Read messages.csv alone; the result is plain lists and dicts, quick to send between processes."""
    source = _Source(Path(path), limits)
    report = ImportReport()
    try:
        tallied = _read_messages(source, name, owner, report, in_two=in_two)
    except InputError as exc:
        return ("error", exc.message, exc.path, exc.line)
    finally:
        source.close()
    by_url, by_name, co_threads, owner_url = tallied
    return ("ok", ((by_url, by_name, dict(co_threads), owner_url), dict(report.skipped), report.skipped_examples))


def _merge_messages(export: LinkedInExport, tallied: tuple) -> None:
    """Put what messages.csv says into the export, keeping the other facts."""
    _merge_message_facts(export, *_set_message_context(export, tallied))


def _set_message_context(export: LinkedInExport, tallied: tuple) -> tuple[dict, dict]:
    """Shared threads and the owner's address from a messages tally; returns the per-person facts."""
    by_url, by_name, co_threads, owner_profile_url = tallied
    export.co_threads.update(co_threads)
    if owner_profile_url and not export.owner_profile_url:
        export.owner_profile_url = owner_profile_url
    return by_url, by_name


def _merge_message_facts(export: LinkedInExport, by_url: dict, by_name: dict) -> None:
    """Put what messages.csv says about each person into the export, keeping the other facts."""
    from_iso = datetime.fromisoformat
    for table, mine in ((export.interactions, by_url), (export.interactions_by_name, by_name)):
        for key, (sent, received, conversations, groups, first, last) in mine.items():
            values = (sent, received, conversations, groups, first and from_iso(first), last and from_iso(last))
            facts = table.get(key)
            if facts is None:
                # the message fields come first in Interaction, in _MESSAGE_FIELDS order
                table[key] = Interaction(*values)
            else:
                for field_name, value in zip(_MESSAGE_FIELDS, values, strict=True):
                    setattr(facts, field_name, value)


def _can_fork() -> bool:
    import threading

    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def _size_of(source: _Source, name: str) -> int:
    try:
        if source.zip is not None:
            return source.zip.getinfo(source.files[name]).file_size
        return os.path.getsize(source.files[name])
    except (KeyError, OSError):
        return 0


def read_export(path: str | os.PathLike, *, limits: Limits = LIMITS, background: bool = False) -> LinkedInExport:
    """Read a LinkedIn export (ZIP, folder or Connections.csv) into a :class:`LinkedInExport`.

    Raises :class:`~backchannel.errors.InputError` with the file and line for anything that
    is not an export. With ``background=True`` a large messages.csv is read by a second
    process while the caller goes on; call ``export.complete()`` before using the
    interaction facts (the workspace import does).
    """
    path = Path(path)
    source = _Source(path, limits)
    report = ImportReport()
    export = None
    try:
        by_kind: dict[str, str] = {}
        for name in sorted(source.files, key=lambda n: (n.count("/"), n)):
            kind = "connections" if source.single else file_kind(name)
            if kind is None or kind in by_kind:
                report.files_ignored.append(name)
                continue
            by_kind[kind] = name
        if "connections" not in by_kind:
            raise InputError("no Connections.csv in this export; is it a LinkedIn data export?", path=path)
        export = LinkedInExport(source=str(path), connections=[], report=report)
        messages = by_kind.get("messages")
        if messages and background and _can_fork() and _size_of(source, messages) >= BACKGROUND_MESSAGES_BYTES:
            export._pending = _MessagesJob(path, limits, messages)
        # the small files first: the owner's name and address tell sent from received messages
        if "profile" in by_kind:
            export.owner_name = _read_profile(source, by_kind["profile"])
        if "positions" in by_kind:
            export.positions = _read_positions(source, by_kind["positions"])
        owner_key = ""
        if "invitations" in by_kind:
            # the owner's own address: needed to tell sent from received messages
            owner_key = _read_invitations(source, by_kind["invitations"], export)
            export.owner_profile_url = canonical_profile_url(owner_key)
        owner = (owner_key, normalise_name(export.owner_name))
        if export._pending is not None:
            export._pending.tell_owner(*owner)
        export.connections = _read_connections(source, by_kind["connections"], report)
        if messages and export._pending is None:
            _merge_messages(export, _read_messages(source, messages, lambda: owner, report))
        for kind, reader, given in (
            ("recommendations_received", _read_recommendations, False),
            ("recommendations_given", _read_recommendations, True),
            ("endorsements_received", _read_endorsements, False),
            ("endorsements_given", _read_endorsements, True),
        ):
            if kind in by_kind:
                reader(source, by_kind[kind], export, given)
        order = ["connections", "profile", "positions", "invitations", "messages", "recommendations_received",
                 "recommendations_given", "endorsements_received", "endorsements_given"]
        report.files_read.extend(by_kind[k] for k in order if k in by_kind)
        return export
    except BaseException:
        if export is not None:
            export.abandon()
        raise
    finally:
        source.close()
