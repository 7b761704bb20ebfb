"""Importing a LinkedIn export: kind by kind, what replaces what the workspace holds (see
:mod:`backchannel.workspace`), the people and connections, the facts summed up into
interactions, and the summary an import hands back."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..domain import SkipLog
from ..errors import BackchannelError
from ..identity import normalise_company, normalise_email, normalise_name
from .rows import _day, _iso, _when
from .schema import _REBUILD_INTERACTIONS, FACT_COLUMNS
from .store import WorkspaceStore


@dataclass
class KindImport:
    """What an import did with one kind of file (``connections``, ``messages``, …).

    ``outcome`` is ``replaced`` (this import's file is the kind's now), ``older`` (this
    import's file is as of a day before the one kept, which stays) or ``absent`` (this
    import holds no such file; what an earlier import gave stays). ``file`` and ``as_of``
    are this import's file; ``kept_*`` say what stays (for ``older`` and ``absent``).
    """

    kind: str
    outcome: str
    file: str = ""
    as_of: date | None = None
    kept_file: str = ""
    kept_source: str = ""
    kept_imported_at: datetime | None = None
    kept_as_of: date | None = None


@dataclass
class ImportSummary:
    owner: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    kept_apart: int = 0
    kept_not_in_export: int = 0
    kept_newer: int = 0  # people an older Connections.csv named, whose newer company and position were kept
    interactions: int = 0  # people with facts (messages, invitations, …) after the import
    unmatched_facts: int = 0  # people in this import's files who are not connections (their facts not kept)
    connections: int = 0  # the owner's connections after the import
    connections_with_messages: int = 0
    conversations_without_connections: int = 0  # conversations in messages.csv with nobody who is a connection
    people_without_connection: int = 0  # the people in those conversations
    as_of: date | None = None  # the export's own date, from its name
    kinds: list[KindImport] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_places: dict[str, list[str]] = field(default_factory=dict)  # reason -> "file, line N" (SkipLog.PLACES)
    warnings: list[str] = field(default_factory=list)
    rematched: int = 0  # interview people whose match changed with this import
    followups: Any = None  # what its messages logged on your interviews' touches (an inbox.MailLog), or None

    def kind(self, kind: str) -> KindImport | None:
        return next((k for k in self.kinds if k.kind == kind), None)


#: the values of each kind's columns (:data:`FACT_COLUMNS`) in an Interaction
_FACT_VALUES: dict[str, Any] = {
    "messages": lambda f: (f.messages_sent, f.messages_received, f.conversations, f.group_conversations,
                           _iso(f.first_message), _iso(f.last_message)),
    "invitations": lambda f: (f.invited_by, int(f.invitation_note)),
    "recommendations_received": lambda f: (f.recommendations_received,),
    "recommendations_given": lambda f: (f.recommendations_given,),
    "endorsements_received": lambda f: (f.endorsements_received,),
    "endorsements_given": lambda f: (f.endorsements_given,),
}


class ExportImports(WorkspaceStore):
    """Importing an export into the workspace (a part of
    :class:`~backchannel.workspace.Workspace`)."""

    if TYPE_CHECKING:  # (the interviews' part)
        def _resolve_interviews(self, aliases: Mapping[str, str] | None) -> int: ...

    def import_export(self, export: Any, *, owner: str | None = None, aliases: Mapping[str, str] | None = None,
                      now: datetime, progress: Any = None) -> ImportSummary:
        """Store an export (``readers.export.ExportData``) in one transaction, then match
        the interview people again against the connections it brings.

        Only the kinds of file the export holds change, and of those only the ones not older
        than what the workspace has (see :mod:`backchannel.workspace`); the summary says, kind by
        kind, what was replaced and what was kept.
        """
        from ..ingest import connection_lookup

        is_self = owner is None
        owner_name = (owner or export.owner_name or "me").strip()
        summary = ImportSummary(owner=owner_name, files_read=list(export.files_read),
                                files_ignored=list(export.files_ignored), skipped=dict(export.skipped.counts),
                                skipped_places={r: list(v) for r, v in export.skipped.examples.items() if v},
                                warnings=list(export.warnings), as_of=export.export_date)
        stamp = now.isoformat()
        with self.transaction() as conn:
            owner_id = self._upsert_owner(conn, owner_name, is_self, export, now)
            replace = self._decide_kinds(conn, owner_id, export, summary)
            if is_self and replace.get("profile") and export.owner_name:
                self._rename_owner(conn, owner_id, export.owner_name)
            known, mine = self._known_people(conn, owner_id, aliases)
            plan = None
            if export.has_connections:
                if progress:
                    progress(0, len(export.connections))
                plan = self._write_people(conn, owner_id, export, known, summary, is_self=is_self,
                                          newer=replace["connections"], aliases=aliases, stamp=stamp)
            elif not mine:
                raise BackchannelError(
                    f"no Connections.csv here, and {'none of yours' if is_self else 'none of ' + owner_name + chr(39) + 's'}"
                    " imported before: import the whole export (the ZIP or its folder) first", path=export.source)
            connections = conn.execute("SELECT COUNT(*) FROM connections WHERE owner_id = ?", (owner_id,)).fetchone()[0]
            summary.connections = connections
            if plan is not None:
                summary.kept_not_in_export = max(0, connections - len(plan.links))
            url_to_id, name_to_ids = connection_lookup(mine, plan)
            unmatched = self._store_facts(conn, owner_id, export, replace, url_to_id, name_to_ids, summary, aliases)
            if replace.get("messages") and export.conversations is not None:
                summary.conversations_without_connections, summary.people_without_connection = \
                    export.conversations.without(unmatched.get("messages", set()))
            self._count_and_record(conn, owner_id, export, replace, summary, stamp)
            summary.rematched = self._resolve_interviews(aliases)
            conn.execute("DELETE FROM rank_cache")  # rankings depend on the connections
        return summary

    def _known_people(self, conn: sqlite3.Connection, owner_id: int, aliases: Mapping[str, str] | None
                      ) -> tuple[Any, list[tuple[int, str, str, str]]]:
        """Everyone the workspace holds, as an import needs them (``ingest.KnownPeople``), and
        this owner's connections as ``(id, url key, name key, company key)``."""
        from ..ingest import KnownPeople

        known = KnownPeople(by_key={}, next_id=conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0])
        for row in conn.execute("SELECT key, id, name, profile_url, email, company, position FROM people"):
            known.by_key[row[0]] = (row[1], tuple(row[2:]))
            if row[4]:
                known.email_to_key.setdefault(normalise_email(row[4]), row[0])
        mine: list[tuple[int, str, str, str]] = []  # this owner's connections: (id, url, name, company keys)
        for row in conn.execute(
                "SELECT p.id, p.key, p.name_key, p.company_key, p.email, p.url_key, c.connected_on "
                "FROM people p JOIN connections c ON c.person_id = p.id WHERE c.owner_id = ?", (owner_id,)):
            pid, key, name_key, company_key, email, url_key, on = row
            company_key = normalise_company(company_key, aliases) if aliases else company_key
            day = (on or "")[:10]
            known.owner_named.setdefault((name_key, company_key), []).append((pid, key, day))
            if not url_key:
                known.url_less.append((pid, key, name_key, company_key, normalise_email(email), day))
            mine.append((pid, url_key, name_key, company_key))
        return known, mine

    def _write_people(self, conn: sqlite3.Connection, owner_id: int, export: Any, known: Any, summary: ImportSummary,
                      *, is_self: bool, newer: bool, aliases: Mapping[str, str] | None, stamp: str) -> Any:
        """The people and connections of the export's Connections.csv (``ingest.plan_people``
        decides who is who); an older Connections.csv adds people and links, and changes no
        date already known. Returns the plan."""
        from ..ingest import plan_people

        plan = plan_people(export.connections, known, is_self=is_self, aliases=aliases, stamp=stamp,
                           update=is_self and newer)
        if plan.duplicates:
            reason = "same person as an earlier row"
            summary.skipped[reason] = summary.skipped.get(reason, 0) + len(plan.duplicates)
            name = export.files["connections"].name
            summary.skipped_places[reason] = [f"{name}, line {n}" for n in plan.duplicates[:SkipLog.PLACES]]
        conn.executemany("UPDATE people SET key = ? WHERE id = ?", plan.rekeys)
        conn.executemany(
            "INSERT INTO people(id, key, name, name_key, profile_url, url_key, email, company, company_key, "
            "position, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", plan.inserts)
        conn.executemany(
            "UPDATE people SET name=?, name_key=?, profile_url=?, url_key=?, email=?, company=?, "
            "company_key=?, position=?, updated_at=? WHERE id=?", plan.updates)
        conn.executemany(
            "INSERT INTO connections(owner_id, person_id, connected_on) VALUES (?,?,?) ON CONFLICT(owner_id, "
            + ("person_id) DO UPDATE SET connected_on = excluded.connected_on" if newer else "person_id) DO NOTHING"),
            [(owner_id, pid, on) for pid, on in plan.links])
        summary.added, summary.updated, summary.unchanged = plan.added, plan.updated, plan.unchanged
        summary.merged, summary.kept_apart, summary.kept_newer = plan.merged, plan.kept_apart, plan.kept
        return plan

    def _count_and_record(self, conn: sqlite3.Connection, owner_id: int, export: Any, replace: Mapping[str, bool],
                          summary: ImportSummary, stamp: str) -> None:
        """The summary's counts after the import, and each kind it replaced recorded in ``imports``."""
        summary.interactions = conn.execute("SELECT COUNT(*) FROM interactions WHERE owner_id = ?",
                                            (owner_id,)).fetchone()[0]
        # facts are only ever a connection's: the people with messages are the connections with them
        summary.connections_with_messages = conn.execute(
            "SELECT COUNT(*) FROM facts WHERE owner_id = ? AND kind = 'messages' AND "
            "messages_sent + messages_received > 0", (owner_id,)).fetchone()[0]
        for kind in export.files:
            if replace[kind]:
                as_of = export.as_of(kind)
                conn.execute(
                    "INSERT OR REPLACE INTO imports(owner_id, kind, file, source, imported_at, as_of) "
                    "VALUES (?,?,?,?,?,?)", (owner_id, kind, export.files[kind].name, export.source, stamp,
                                             as_of.isoformat() if as_of else None))

    def _decide_kinds(self, conn: sqlite3.Connection, owner_id: int, export: Any,
                      summary: ImportSummary) -> dict[str, bool]:
        """Kind by kind, whether this export's file replaces what the workspace has: yes,
        unless what is stored is as of a later day. Every kind the workspace has and the
        export does not is listed as kept."""
        stored = {r[0]: r[1:] for r in conn.execute(
            "SELECT kind, file, source, imported_at, as_of FROM imports WHERE owner_id = ?", (owner_id,))}
        replace: dict[str, bool] = {}
        for kind, read in export.files.items():
            as_of = export.as_of(kind)
            before = stored.get(kind)
            kept_as_of = _day(before[3]) if before else None
            older = as_of is not None and kept_as_of is not None and as_of < kept_as_of
            replace[kind] = not older
            outcome = KindImport(kind, "older" if older else "replaced", read.name, as_of)
            if before and older:
                outcome.kept_file, outcome.kept_source = before[0], before[1]
                outcome.kept_imported_at, outcome.kept_as_of = _when(before[2]), kept_as_of
            summary.kinds.append(outcome)
        for kind, (file, source, imported_at, as_of) in sorted(stored.items()):
            if kind not in export.files:
                summary.kinds.append(KindImport(kind, "absent", kept_file=file, kept_source=source,
                                                kept_imported_at=_when(imported_at), kept_as_of=_day(as_of)))
        return replace

    def _store_facts(self, conn: sqlite3.Connection, owner_id: int, export: Any, replace: Mapping[str, bool],
                     url_to_id: Mapping[str, int], name_to_ids: Mapping[str, list[tuple[int, str]]],
                     summary: ImportSummary, aliases: Mapping[str, str] | None) -> dict[str, set[Any]]:
        """Replace the facts of each kind this export holds (and is not older for), then sum
        them up again into ``interactions``; co-threads go with messages, positions with
        Positions.csv. Returns, per kind, the keys of the people its facts name who are not
        connections."""
        from ..ingest import attribute_facts, co_thread_rows

        changed = False
        unmatched: set[Any] = set()
        missing_by_kind: dict[str, set[Any]] = {}
        for kind, columns in FACT_COLUMNS.items():
            if kind not in export.files or not replace[kind]:
                continue
            facts = export.facts.get(kind)
            found, missing = attribute_facts(facts.by_url, facts.by_name, url_to_id, name_to_ids) if facts \
                else ({}, set())
            unmatched |= missing
            missing_by_kind[kind] = missing
            conn.execute("DELETE FROM facts WHERE owner_id = ? AND kind = ?", (owner_id, kind))
            values = _FACT_VALUES[kind]
            conn.executemany(
                f"INSERT INTO facts(owner_id, kind, person_id, {', '.join(columns)}) "
                f"VALUES ({', '.join('?' * (len(columns) + 3))})",
                [(owner_id, kind, pid, *values(f)) for pid, f in found.items()])
            changed = True
            if kind == "messages":
                conn.execute("DELETE FROM co_threads WHERE owner_id = ?", (owner_id,))
                conn.executemany("INSERT INTO co_threads(owner_id, a, b, threads) VALUES (?,?,?,?)",
                                 [(owner_id, a, b, n) for a, b, n in co_thread_rows(export.co_threads, url_to_id)])
        summary.unmatched_facts = len(unmatched)
        if changed:
            conn.execute("DELETE FROM interactions WHERE owner_id = ?", (owner_id,))
            for kind, rebuild in _REBUILD_INTERACTIONS:
                conn.execute(rebuild, (owner_id, kind))
        if "positions" in export.files and replace["positions"]:
            conn.execute("DELETE FROM owner_positions WHERE owner_id = ?", (owner_id,))
            conn.executemany(
                "INSERT INTO owner_positions(owner_id, company, company_key, title, started_on, finished_on, "
                "current) VALUES (?,?,?,?,?,?,?)",
                [(owner_id, p.company, normalise_company(p.company, aliases), p.title, _iso(p.started_on),
                  _iso(p.finished_on), int(p.current)) for p in export.positions])
        return missing_by_kind

    def _rename_owner(self, conn: sqlite3.Connection, owner_id: int, name: str) -> None:
        """The owner as Profile.csv names them (an import without it called them "me"), unless
        another owner has that name."""
        clash = conn.execute("SELECT 1 FROM owners WHERE name = ? AND id != ?", (name, owner_id)).fetchone()
        if clash is None:
            conn.execute("UPDATE owners SET name = ?, name_key = ? WHERE id = ?", (name, normalise_name(name), owner_id))

    def _refuse_someone_else(self, conn: sqlite3.Connection, owner_id: int, export: Any) -> None:
        """An export whose owner has another profile address and another name than you is
        someone else's (a friend's, imported without --owner): refused, before it replaces you."""
        from ..identity import profile_key

        name, url = conn.execute("SELECT name, profile_url FROM owners WHERE id = ?", (owner_id,)).fetchone()
        theirs, yours = profile_key(export.owner_profile_url), profile_key(url)
        if not theirs or not yours or theirs == yours:
            return
        if export.owner_name and name != "me" and normalise_name(export.owner_name) == normalise_name(name):
            return  # (you, at a new profile address)
        who = export.owner_name or theirs
        raise BackchannelError(f"this export is {who}'s ({theirs}), not yours ({name}, {yours}): to add their "
                               f"connections as someone else's, import it with --owner \"{export.owner_name or 'NAME'}\"")

    def _upsert_owner(self, conn: sqlite3.Connection, name: str, is_self: bool, export: Any, now: datetime) -> int:
        if is_self:
            row = conn.execute("SELECT id FROM owners WHERE is_self = 1").fetchone()
            if row is not None:
                self._refuse_someone_else(conn, int(row[0]), export)
            if row is None:
                clash = conn.execute("SELECT id FROM owners WHERE name = ?", (name,)).fetchone()
                if clash is not None:
                    conn.execute("UPDATE owners SET is_self = 1 WHERE id = ?", (clash[0],))
                    row = clash
        else:
            row = conn.execute("SELECT id FROM owners WHERE name = ?", (name,)).fetchone()
            if row is not None and conn.execute("SELECT is_self FROM owners WHERE id = ?", (row[0],)).fetchone()[0]:
                raise BackchannelError(f"{name!r} is you in this workspace; --owner is for someone else's export")
        hidden = export.skipped.counts.get("hidden profile (no name and no profile address)", 0)
        own_url = export.owner_profile_url if is_self else ""
        if row is None:
            cur = conn.execute(
                "INSERT INTO owners(name, name_key, profile_url, is_self, source, imported_at, hidden_rows) "
                "VALUES (?,?,?,?,?,?,?)",
                (name, normalise_name(name), own_url, int(is_self), export.source, now.isoformat(), hidden))
            return int(cur.lastrowid or 0)
        owner_id = int(row[0])
        conn.execute(
            "UPDATE owners SET profile_url = CASE WHEN ? != '' THEN ? ELSE profile_url END, source = ?, "
            "imported_at = ?, hidden_rows = CASE WHEN ? THEN ? ELSE hidden_rows END WHERE id = ?",
            (own_url, own_url, export.source, now.isoformat(), int(export.has_connections), hidden, owner_id))
        return owner_id
