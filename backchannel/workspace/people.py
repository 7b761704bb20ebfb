"""Reading the people of the workspace: counts, connections with their facts, companies,
group threads, other owners' links, and the rows a graph is built from."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..domain import GraphRows, Interview
from ..identity import PersonRecord
from .files import _sqlite_error
from .schema import CONNECTION_TABLE_FIELDS, INTERACTION_FIELDS
from .store import WorkspaceStore


class PeopleReads(WorkspaceStore):
    """The people of the workspace, as queries read them (a part of
    :class:`~backchannel.workspace.Workspace`)."""

    if TYPE_CHECKING:  # (the interviews' part)
        def interviews(self, ids: Iterable[str] | None = None) -> list[Interview]: ...
        def interview_mutuals(self, interview_id: str) -> list[dict[str, Any]]: ...

    def counts(self) -> dict[str, int]:
        one = self._one
        return {
            "owners": one("SELECT COUNT(*) FROM owners"),
            "people": one("SELECT COUNT(*) FROM people"),
            "connections": one("SELECT COUNT(*) FROM connections c JOIN owners o ON o.id = c.owner_id "
                               "WHERE o.is_self = 1"),
            "interactions": one("SELECT COUNT(*) FROM interactions"),
            "interviews": one("SELECT COUNT(*) FROM interviews"),
            "touch_events": one("SELECT COUNT(*) FROM touch_events"),
        }

    def connections(self, owner_id: int | None = None, *, company_keys: Iterable[str] | None = None,
                    person_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """First-degree connections of an owner (the user by default) with their interaction facts."""
        if owner_id is None:
            me = self.self_owner()
            if me is None:
                return []
            owner_id = me["id"]
        sql = (
            "SELECT p.*, c.connected_on, c.owner_id, " + ", ".join(f"i.{f}" for f in INTERACTION_FIELDS)
            + " FROM connections c JOIN people p ON p.id = c.person_id "
            "LEFT JOIN interactions i ON i.owner_id = c.owner_id AND i.person_id = c.person_id "
            "WHERE c.owner_id = ?")
        params: list[Any] = [owner_id]
        if company_keys is not None:
            keys = list(company_keys)
            sql += f" AND p.company_key IN ({','.join('?' * len(keys))})"
            params += keys
        if person_ids is not None:
            ids = list(person_ids)
            sql += f" AND p.id IN ({','.join('?' * len(ids))})"
            params += ids
        return self._rows(sql, params)

    def connection_table(self, owner_id: int) -> list[tuple[Any, ...]]:
        """An owner's connections as plain tuples of :data:`CONNECTION_TABLE_FIELDS`, in the
        order of :meth:`connections`: the whole network (LinkedIn's cap is 30,000) without a
        dict per row or the columns only the import needs."""
        sql = ("SELECT " + ", ".join(f"p.{f}" for f in CONNECTION_TABLE_FIELDS[:8]) + ", c.connected_on, "
               + ", ".join(f"i.{f}" for f in INTERACTION_FIELDS)
               + " FROM connections c JOIN people p ON p.id = c.person_id "
               "LEFT JOIN interactions i ON i.owner_id = c.owner_id AND i.person_id = c.person_id "
               "WHERE c.owner_id = ?")
        try:
            return self._conn.execute(sql, (owner_id,)).fetchall()
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path, self._holder()) from None

    def person_records(self) -> list[PersonRecord]:
        """Everyone in the workspace, as matching sees them (``first_degree``: your connection)."""
        me = self.self_owner()
        mine: set[int] = set()
        if me is not None:
            mine = {r[0] for r in self._conn.execute("SELECT person_id FROM connections WHERE owner_id = ?",
                                                     (me["id"],))}
        return [PersonRecord(r[0], r[1], r[2], r[3], r[4], r[0] in mine) for r in self._conn.execute(
            "SELECT id, name, profile_url, email, company FROM people")]

    def people_by_id(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = list(ids)
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for r in self._rows(f"SELECT * FROM people WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[r["id"]] = r
        return out

    def company_names(self) -> dict[str, dict[str, int]]:
        """Company key -> {name as written: people} over your connections and interviews."""
        out: dict[str, dict[str, int]] = {}
        me = self.self_owner()
        if me is not None:
            for key, name, n in self._conn.execute(
                    "SELECT p.company_key, p.company, COUNT(*) FROM connections c JOIN people p ON p.id = c.person_id "
                    "WHERE c.owner_id = ? AND p.company_key != '' GROUP BY p.company_key, p.company", (me["id"],)):
                out.setdefault(key, {})[name] = n
        for key, name in self._conn.execute("SELECT company_key, company FROM interviews"):
            out.setdefault(key, {}).setdefault(name, 0)
        return out

    def co_threads(self, person_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        if person_ids is None:
            return self._rows("SELECT * FROM co_threads")
        ids = list(person_ids)
        marks = ",".join("?" * len(ids))
        return self._rows(f"SELECT * FROM co_threads WHERE a IN ({marks}) OR b IN ({marks})", ids + ids)

    def second_degree(self, person_ids: Iterable[int]) -> list[dict[str, Any]]:
        """Connections that other owners' exports show for these people."""
        ids = list(person_ids)
        marks = ",".join("?" * len(ids))
        return self._rows(
            f"SELECT o.id AS owner_id, o.name AS owner_name, o.name_key AS owner_key, c.person_id "
            f"FROM connections c JOIN owners o ON o.id = c.owner_id WHERE o.is_self = 0 AND c.person_id IN ({marks})",
            ids)

    def other_owner_links(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT o.id AS owner_id, o.name AS owner_name, o.name_key AS owner_key, c.person_id "
            "FROM connections c JOIN owners o ON o.id = c.owner_id WHERE o.is_self = 0")

    def graph_rows(self, *, interview_ids: Iterable[str] | None = None, company_keys: Iterable[str] = (),
                   whole: bool = False) -> GraphRows:
        """The rows a graph is built from (:class:`~backchannel.domain.GraphRows`).

        ``whole``: every connection (as tuples), every group thread and link. Otherwise the
        part around the interviews (all of them, or ``interview_ids``): the connections at the
        stored ``company_keys``, those among the people around the interviews, and those named
        as another owner whose export shows one of those people.
        """
        me = self.self_owner()
        interviews = self.interviews(interview_ids)
        mutuals = {iv.id: self.interview_mutuals(iv.id) for iv in interviews}
        near = {p.person_id for iv in interviews for p in iv.people if p.person_id}
        near |= {m["person_id"] for rows in mutuals.values() for m in rows if m["person_id"]}
        rows = GraphRows(owner=me, interviews=interviews, mutuals=mutuals,
                         positions=self.owner_positions(me["id"]) if me is not None else [])
        if whole:
            rows.co_threads = self.co_threads(None)
            rows.second_degree = self.other_owner_links()
            partners = {r[k] for r in rows.co_threads if r["a"] in near or r["b"] in near for k in ("a", "b")}
            rows.people = self.people_by_id(near | partners)
            rows.connection_table = self.connection_table(me["id"]) if me is not None else []
            return rows
        rows.co_threads = self.co_threads(near) if near else []
        around = near | {r["a"] for r in rows.co_threads} | {r["b"] for r in rows.co_threads}
        rows.people = self.people_by_id(around)
        rows.second_degree = self.second_degree(around) if around else []
        if me is not None:
            picked = self.connections(me["id"], company_keys=list(company_keys)) if company_keys else []
            seen = {r["id"] for r in picked}
            picked += [r for r in self.connections(me["id"], person_ids=around) if r["id"] not in seen]
            owner_keys = {link["owner_key"] for link in rows.second_degree}
            if owner_keys:
                seen = {r["id"] for r in picked}
                picked += [r for r in self.connections(me["id"]) if r["name_key"] in owner_keys and r["id"] not in seen]
            rows.connections = picked
        return rows
