"""The export's smaller files: Profile.csv and Positions.csv (the owner), Invitations.csv,
the recommendations and the endorsements (facts about people, by kind).

Each reader puts what its file says into the :class:`~backchannel.readers.export_data.ExportData`
being read: the facts under the kind of file, the file as read (with the newest date inside),
and what was skipped or replaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from ..domain import Interaction, Position, SkipLog
from ..identity import normalise_company, normalise_name, profile_keys
from ..times import parse_export_date
from .connections import is_connections_header
from .export_data import ExportData, FileRead
from .limits import Limits
from .source import ExportFile
from .table import CsvTable, column_key, read_csv

__all__ = ["read_invitations", "read_recommendations", "read_endorsements", "read_profile", "read_positions"]


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


def _profile_keys_once(values: list[str]) -> list[str]:
    """:func:`~backchannel.identity.profile_keys` of each value, each distinct value once (the
    owner's address is on every other row of Invitations.csv)."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) == len(values):
        return profile_keys(values)
    key_of = dict(zip(distinct, profile_keys(distinct), strict=True))
    return [key_of[v] for v in values]


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


def read_invitations(file: ExportFile, export: ExportData, limits: Limits) -> str:
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
    inviters = _profile_keys_once([row[4].strip() for row in rows])
    invitees = _profile_keys_once([row[5].strip() for row in rows])
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


def read_recommendations(file: ExportFile, export: ExportData, given: bool, limits: Limits) -> None:
    kind = "recommendations_given" if given else "recommendations_received"
    rows = _rows(file, export, is_connections_header, "Recommendations (First Name, Last Name, ...)",
                 _names_and("company", "status", "creation date"), limits)
    export.files[kind] = FileRead(file.name, _newest(export, (row[4] for row in rows)), len(rows))
    facts = export.kind_facts(kind)
    for first, last, company, status, _created in rows:
        if status.strip().upper() not in {"", "VISIBLE", "ACCEPTED"}:
            continue
        key = (normalise_name(f"{first.strip()} {last.strip()}"), normalise_company(company.strip()))
        facts.add("", key, Interaction(recommendations_given=1) if given else Interaction(recommendations_received=1))


def read_endorsements(file: ExportFile, export: ExportData, given: bool, limits: Limits) -> None:
    def is_header(cells: list[str]) -> bool:
        return any(c.lower() == "skill name" for c in cells)

    kind = "endorsements_given" if given else "endorsements_received"
    who = "endorsee" if given else "endorser"
    rows = _rows(file, export, is_header, "Endorsements (Endorsement Date, Skill Name, ...)",
                 [f"{who} public url", f"{who} first name", f"{who} last name", "endorsement status",
                  "endorsement date"], limits)
    export.files[kind] = FileRead(file.name, _newest(export, (row[4] for row in rows)), len(rows))
    facts = export.kind_facts(kind)
    urls = _profile_keys_once([row[0].strip() for row in rows])
    for (_url, first, last, status, _when), url_key in zip(rows, urls, strict=True):
        if status.strip().upper() == "PENDING":
            continue
        facts.add(url_key, (normalise_name(f"{first.strip()} {last.strip()}"), ""),
                  Interaction(endorsements_given=1) if given else Interaction(endorsements_received=1))


def read_profile(file: ExportFile, export: ExportData, limits: Limits) -> str:
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

    name, warnings = read_csv(file.opener, file.display, is_connections_header, read,
                              what="Profile.csv (First Name, Last Name, ...)", limits=limits)
    export.warnings.extend(warnings)
    export.files["profile"] = FileRead(file.name, None, 1 if name else 0)
    return name


def read_positions(file: ExportFile, export: ExportData, limits: Limits) -> list[Position]:
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
