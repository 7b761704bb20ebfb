"""Interviews and their people (written, matched again, read), and the touch log: events
logged by hand or read from mail and messages, messages undone, your own addresses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..domain import Interview, InterviewPerson, TouchEvent
from ..errors import NotFoundError
from ..identity import PeopleIndex, PersonRecord
from .rows import _edits, _iso, _outcomes, _person_from_row, _when
from .store import WorkspaceStore


class InterviewsAndLog(WorkspaceStore):
    """Interviews and the touch log (a part of :class:`~backchannel.workspace.Workspace`)."""

    if TYPE_CHECKING:  # (the people's part)
        def person_records(self) -> list[PersonRecord]: ...

    def save_interviews(self, interviews: Iterable[Interview], *, now: datetime,
                        aliases: Mapping[str, str] | None = None) -> None:
        """Insert or replace interviews (by id) with their people, then match everyone again.
        The touch log is untouched."""
        with self.transaction() as conn:
            for iv in interviews:
                self._write_interview(conn, iv, now)
                conn.execute("DELETE FROM rank_cache WHERE interview_id = ?", (iv.id,))
            self._resolve_interviews(aliases)

    def _write_interview(self, conn: sqlite3.Connection, iv: Interview, now: datetime) -> None:
        conn.execute(
            "INSERT INTO interviews(id, company, company_key, at, tz, discreet, position, topic, language, country, "
            "outcome, closed_at, source, imported_at, edited, ends, invite_uid, invite_sequence) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET company=excluded.company, company_key=excluded.company_key, "
            "at=excluded.at, tz=excluded.tz, discreet=excluded.discreet, position=excluded.position, "
            "topic=excluded.topic, language=excluded.language, country=excluded.country, source=excluded.source, "
            "imported_at=excluded.imported_at, edited=excluded.edited, "
            # an interviews file knows nothing of the invitation: what it said stays, and its end
            # while the interview has not moved
            "ends=CASE WHEN excluded.ends IS NOT NULL THEN excluded.ends WHEN excluded.at = at THEN ends END, "
            "invite_uid=CASE WHEN excluded.invite_uid != '' THEN excluded.invite_uid ELSE invite_uid END, "
            "invite_sequence=CASE WHEN excluded.invite_uid != '' THEN excluded.invite_sequence "
            "ELSE invite_sequence END",
            (iv.id, iv.company, iv.company_key, iv.at.isoformat(), iv.tz, int(iv.discreet), iv.position, iv.topic,
             iv.language, iv.country, iv.outcome, _iso(iv.closed_at), iv.source, now.isoformat(),
             json.dumps(iv.edited), _iso(iv.ends), iv.invite_uid, iv.invite_sequence))
        conn.execute("DELETE FROM interview_people WHERE interview_id = ?", (iv.id,))
        conn.execute("DELETE FROM interview_mutuals WHERE interview_id = ?", (iv.id,))
        conn.executemany(
            "INSERT INTO interview_people(interview_id, slug, role, name, profile_url, email, title, works_at, "
            "interests, mutuals, notes, topic, language, extra, line, person_id, edited) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(iv.id, p.slug, p.role, p.name, p.profile_url, p.email, p.title, p.works_at,
              json.dumps(p.interests, ensure_ascii=False), json.dumps(p.mutuals, ensure_ascii=False), p.notes,
              p.topic, p.language, json.dumps(p.extra, ensure_ascii=False), p.line, None, json.dumps(p.edited))
             for p in iv.people])

    def update_interview(self, iv: Interview, *, now: datetime, aliases: Mapping[str, str] | None = None) -> None:
        """Write one interview as it is now (after an edit), and match everyone again."""
        self.save_interviews([iv], now=now, aliases=aliases)

    def _resolve_interviews(self, aliases: Mapping[str, str] | None) -> int:
        """Match every interview person and mutual against the current people (inside the
        caller's transaction); returns how many people's match changed."""
        from ..ingest import describe_match, resolve_interview_people

        interviews = self.interviews()
        if not interviews:
            return 0
        conn = self._conn
        has_connections = self.self_owner() is not None
        index = PeopleIndex(self.person_records(), aliases)
        changed = 0
        old = {(r["interview_id"], r["slug"]): r["person_id"] for r in self._rows(
            "SELECT interview_id, slug, person_id FROM interview_people")}
        conn.execute("DELETE FROM interview_mutuals")
        people_rows, mutual_rows = [], []
        company_of = {iv.id: iv.company for iv in interviews}
        for res in resolve_interview_people(interviews, index):
            status, via, detail = describe_match(res.match, company=company_of[res.interview_id])
            if not has_connections and status == "unmatched":
                status = "waiting"
            if res.mutual:
                mutual_rows.append((res.interview_id, res.slug, res.reference, res.person_id, status, via,
                                    json.dumps(detail, ensure_ascii=False)))
            else:
                if old.get((res.interview_id, res.slug)) != res.person_id:
                    changed += 1
                people_rows.append((res.person_id, status, via, json.dumps(detail, ensure_ascii=False),
                                    res.interview_id, res.slug))
        conn.executemany("UPDATE interview_people SET person_id = ?, match_status = ?, match_via = ?, "
                         "match_detail = ? WHERE interview_id = ? AND slug = ?", people_rows)
        conn.executemany("INSERT INTO interview_mutuals(interview_id, slug, reference, person_id, match_status, "
                         "match_via, match_detail) VALUES (?,?,?,?,?,?,?)", mutual_rows)
        return changed

    def interview_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM interviews ORDER BY at, id")]

    def interviews(self, ids: Iterable[str] | None = None) -> list[Interview]:
        """Interviews with their people, in date order."""
        if ids is None:
            rows = self._rows("SELECT * FROM interviews ORDER BY at, id")
            people = self._rows("SELECT * FROM interview_people ORDER BY interview_id, line, slug")
        else:
            wanted = list(ids)
            marks = ",".join("?" * len(wanted))
            rows = self._rows(f"SELECT * FROM interviews WHERE id IN ({marks}) ORDER BY at, id", wanted)
            people = self._rows(f"SELECT * FROM interview_people WHERE interview_id IN ({marks}) "
                                "ORDER BY interview_id, line, slug", wanted)
        by_interview: dict[str, list[InterviewPerson]] = {}
        for p in people:
            by_interview.setdefault(p["interview_id"], []).append(_person_from_row(p))
        out = []
        for r in rows:
            at = _when(r["at"]) or datetime(2000, 1, 1, tzinfo=timezone.utc)
            out.append(Interview(
                id=r["id"], company=r["company"], at=at, tz=r["tz"], company_key=r["company_key"],
                discreet=bool(r["discreet"]), position=r["position"], topic=r["topic"], language=r["language"],
                country=r["country"], outcome=r["outcome"], closed_at=_when(r["closed_at"]), source=r["source"],
                outcomes=_outcomes(r.get("outcomes")), edited=_edits(r.get("edited")),
                people=by_interview.get(r["id"], []), ends=_when(r.get("ends")),
                invite_uid=r.get("invite_uid") or "", invite_sequence=r.get("invite_sequence") or 0))
        return out

    def interview_by_invite(self, uid: str) -> Interview | None:
        """The interview a calendar invitation (its UID) made or was joined to, or None."""
        row = self._conn.execute("SELECT id FROM interviews WHERE invite_uid = ? AND invite_uid != ''",
                                 (uid,)).fetchone()
        return self.find_interview(row[0]) if row else None

    def find_interview(self, interview_id: str) -> Interview | None:
        """The interview with this id, or None."""
        found = self.interviews([interview_id])
        return found[0] if found else None

    def interview(self, interview_id: str) -> Interview:
        found = self.interviews([interview_id])
        if not found:
            known = [r["id"] for r in self._rows("SELECT id FROM interviews ORDER BY at DESC LIMIT 5")]
            hint = f"; known: {', '.join(known)}" if known else "; add one with: backchannel interview add"
            raise NotFoundError(f"unknown interview {interview_id!r}{hint}")
        return found[0]

    def interview_mutuals(self, interview_id: str) -> list[dict[str, Any]]:
        rows = self._rows("SELECT * FROM interview_mutuals WHERE interview_id = ?", (interview_id,))
        for r in rows:
            r["match_detail"] = json.loads(r["match_detail"] or "[]")
        return rows

    def close_interview(self, interview_id: str, outcome: str | None, at: datetime | None) -> None:
        """Set an interview's outcome, and add it to the outcomes it has had."""
        with self.transaction() as conn:
            row = conn.execute("SELECT outcomes FROM interviews WHERE id = ?", (interview_id,)).fetchone()
            history = json.loads(row[0] or "[]") if row is not None else []
            if outcome and at is not None:
                history.append([outcome, at.isoformat()])
            conn.execute("UPDATE interviews SET outcome = ?, closed_at = ?, outcomes = ? WHERE id = ?",
                         (outcome, _iso(at), json.dumps(history), interview_id))

    # ------------------------------------------------------------------ the touch log

    def events(self, interview_id: str | None = None) -> list[TouchEvent]:
        """Everything logged on touches, oldest first."""
        if interview_id is None:
            rows = self._rows("SELECT * FROM touch_events ORDER BY seq")
        else:
            rows = self._rows("SELECT * FROM touch_events WHERE interview_id = ? ORDER BY seq", (interview_id,))
        out = []
        for r in rows:
            at = _when(r["at"])
            if at is None:
                continue  # a damaged row: never a crash
            out.append(TouchEvent(seq=r["seq"], interview_id=r["interview_id"], touch_id=r["touch_id"],
                                  person_slug=r["person_slug"], event=r["event"], at=at, next_at=_when(r["next_at"]),
                                  checkin_id=r["checkin_id"], logged_at=_when(r["logged_at"]), person=r["person"],
                                  source=r.get("source") or "hand", message=r.get("message") or ""))
        return out

    def events_by_interview(self, interview_id: str | None = None) -> dict[str, list[TouchEvent]]:
        """Everything logged, by interview, oldest first."""
        out: dict[str, list[TouchEvent]] = {}
        for event in self.events(interview_id):
            out.setdefault(event.interview_id, []).append(event)
        return out

    def add_event(self, event: TouchEvent) -> int:
        """Append an event (inside the caller's transaction); returns its sequence number."""
        cur = self._conn.execute(
            "INSERT INTO touch_events(interview_id, touch_id, person_slug, person, event, at, next_at, checkin_id, "
            "logged_at, source, message) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (event.interview_id, event.touch_id, event.person_slug, event.person, event.event, event.at.isoformat(),
             _iso(event.next_at), event.checkin_id, _iso(event.logged_at) or datetime.now(timezone.utc).isoformat(),
             event.source, event.message or None))
        return int(cur.lastrowid or 0)

    def delete_event(self, seq: int, *, at: datetime | None = None, undone: bool = True) -> None:
        """Remove an event (inside the caller's transaction); one read from a message and
        ``undone`` (by you) is remembered as undone at ``at``, so reading that message again
        never logs it again."""
        row = self._conn.execute("SELECT message, interview_id, person_slug FROM touch_events WHERE seq = ?",
                                 (seq,)).fetchone()
        if undone and row is not None and row[0]:
            self._conn.execute("INSERT OR REPLACE INTO undone_messages(message, interview_id, person_slug, undone_at) "
                               "VALUES (?, ?, ?, ?)", (*row, (at or datetime.now(timezone.utc)).isoformat()))
        self._conn.execute("DELETE FROM touch_events WHERE seq = ?", (seq,))

    def own_addresses(self) -> list[str]:
        """The addresses you said are yours (``--me``), in the order given."""
        return [r[0] for r in self._conn.execute("SELECT address FROM own_addresses ORDER BY added_at, address")]

    def add_own_addresses(self, addresses: Iterable[str], *, at: datetime) -> None:
        with self.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO own_addresses(address, added_at) VALUES (?, ?)",
                             [(a, at.isoformat()) for a in addresses])

    def forget_own_addresses(self, addresses: Iterable[str]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM own_addresses WHERE address = ?", [(a,) for a in addresses])

    def known_messages(self) -> set[tuple[str, str, str]]:
        """(message hash, interview, person) of every message read into the log, or whose event
        was undone."""
        return {(r[0], r[1], r[2]) for r in self._conn.execute(
            "SELECT message, interview_id, person_slug FROM touch_events WHERE message IS NOT NULL UNION "
            "SELECT message, interview_id, person_slug FROM undone_messages")}
