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

The pieces, each a module of its own (their names importable from here, as they always were):
:mod:`~backchannel.readers.source` (the folder, ZIP or CSV as named files),
:mod:`~backchannel.readers.connections`, :mod:`~backchannel.readers.small_files`,
:mod:`~backchannel.readers.messages`, and :mod:`~backchannel.readers.export_data` (what comes
out: :class:`ExportData`).

>>> import tempfile
>>> from backchannel.sample import generate_export
>>> with tempfile.TemporaryDirectory() as tmp:
...     export = read_export(generate_export(f"{tmp}/export.zip", 40, 300))
>>> len(export.connections), export.owner_name, export.owner_profile_url
(40, 'Alex Morgan', 'https://www.linkedin.com/in/alex-morgan-5b1')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..errors import InputError
from ..identity import canonical_profile_url, normalise_name, profile_key
from .arrays import hand_back_memory
from .connections import check_connections, read_connections
from .correspondents import address_keys
from .export_data import FACT_KINDS, FILE_NAMES, ExportData, FileRead, KindFacts
from .message_groups import RecentMessage
from .messages import count_messages, message_facts
from .small_files import (
    read_endorsements,
    read_invitations,
    read_positions,
    read_profile,
    read_recommendations,
)
from .source import KNOWN_FILES, ExportFile, ExportSource, export_date, file_kind
from .text import LIMITS, Limits

__all__ = ["ExportData", "ExportFile", "ExportSource", "KindFacts", "FileRead", "read_export", "file_kind",
           "KNOWN_FILES", "FACT_KINDS", "FILE_NAMES", "export_date", "read_connections", "check_connections"]

_ORDER = ["connections", "profile", "positions", "invitations", "messages", "recommendations_received",
          "recommendations_given", "endorsements_received", "endorsements_given"]
_EPOCH = datetime(1970, 1, 1)


def _add_messages(export: ExportData, file: ExportFile, owner_key: str, limits: Limits,
                  since: datetime | None, of: Sequence[str]) -> None:
    """Put what messages.csv says into the export."""
    owner_name_key = normalise_name(export.owner_name)
    groups = count_messages(file.opener, file.display, limits=limits, with_names=not owner_key and bool(owner_name_key),
                            since=None if since is None else int(since.timestamp()), of=of)
    export.recent_messages = recent_messages(groups.recent)
    export.warnings.extend(groups.warnings)
    newest = int(groups.last.max()) if len(groups) else None
    export.files["messages"] = FileRead(
        file.name, (_EPOCH + timedelta(seconds=newest)).date() if newest is not None else None,
        int(groups.count.sum()))
    facts = message_facts(groups, owner_key, owner_name_key)
    del groups
    hand_back_memory()  # the counting's working memory, before Connections.csv is read
    export.skipped.merge(facts.skipped)
    export.facts["messages"] = KindFacts(facts.by_url, facts.by_name)
    export.co_threads = facts.co_threads
    export.conversations = facts.conversations
    if facts.owner_key and not export.owner_profile_url:
        export.owner_profile_url = canonical_profile_url(facts.owner_key)


def recent_messages(rows: list[tuple[str, str, str, int]]) -> list[RecentMessage]:
    """Messages kept as they are (conversation, sender and recipient addresses, seconds) as
    :class:`RecentMessage`: profile keys, and a hash of the four that knows the message again
    in a newer export."""
    senders, recipients = address_keys([r[1] for r in rows], [r[2] for r in rows])
    out = []
    for (conv, _, _, seconds), sender, to in zip(rows, senders, recipients, strict=True):
        if not sender or not to:
            continue
        key = "\x1f".join(("linkedin", conv, sender, str(seconds), *sorted(to)))  # (in any order)
        out.append(RecentMessage(hashlib.sha256(key.encode()).hexdigest(),
                                 datetime.fromtimestamp(seconds, timezone.utc), sender, to))
    return out


def read_export(path: str | os.PathLike[str], *, limits: Limits = LIMITS, owner_name: str = "",
                owner_profile_url: str = "", messages_since: datetime | None = None,
                messages_of: Sequence[str] = ()) -> ExportData:
    """Read a LinkedIn export (a ZIP, a folder, Connections.csv or another file of an export)
    into :class:`ExportData`.

    ``owner_name`` and ``owner_profile_url`` are what is already known of the owner (from an
    earlier import), used where this export does not say (no Profile.csv, no Invitations.csv):
    they tell the owner's own messages from the others'. ``messages_since`` keeps each
    message of messages.csv from then on to or from one of the profile keys ``messages_of``
    (:attr:`ExportData.recent_messages`): the interviews' follow-ups read them.

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
            export.owner_name = read_profile(by_kind["profile"], export, limits)
        if "positions" in by_kind:
            export.positions = read_positions(by_kind["positions"], export, limits)
        owner_key = ""
        if "invitations" in by_kind:
            owner_key = read_invitations(by_kind["invitations"], export, limits)
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
            _add_messages(export, by_kind["messages"], owner_key, limits, messages_since, messages_of)
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
                read_recommendations(by_kind[kind], export, given, limits)
        for kind, given in (("endorsements_received", False), ("endorsements_given", True)):
            if kind in by_kind:
                read_endorsements(by_kind[kind], export, given, limits)
        export.files_read = [by_kind[k].name for k in _ORDER if k in by_kind]
        return export
    finally:
        source.close()
