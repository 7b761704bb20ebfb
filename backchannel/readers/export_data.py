"""What an export says, as the readers hand it over: :class:`ExportData`.

**Facts by kind.** What each file says is kept apart (:attr:`ExportData.facts`, keyed by the
kind of file), with the day the file is as of (:meth:`ExportData.as_of`): the export's own
date where its name carries one (``Basic_LinkedInDataExport_11-20-2026``), else the newest
date inside any of its files. The workspace replaces only the kinds an import holds, and an older
file of a kind never replaces a newer one's facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..domain import Connection, Interaction, Position, SkipLog
from .message_groups import RecentMessage
from .messages import ConversationMembers

if TYPE_CHECKING:
    import pandas

__all__ = ["ExportData", "KindFacts", "FileRead", "FACT_KINDS", "FILE_NAMES"]

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
    #: messages.csv's messages from the ``messages_since`` of :func:`~backchannel.readers.export.read_export` on
    recent_messages: list[RecentMessage] = field(default_factory=list)

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

