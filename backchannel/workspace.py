"""The SQLite workspace: schema, migrations, transactions. The only module that speaks SQL.

One import is one transaction (``BEGIN IMMEDIATE``): on any error, or a killed process,
the workspace is exactly as before. WAL and a busy timeout let two commands write the same
workspace at once: the second waits, then succeeds.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from .errors import BackchannelError, NotFoundError
from .identity import PersonRecord, normalise_company, normalise_email, normalise_name

__all__ = ["Workspace", "ImportSummary", "default_db_path", "SCHEMA_VERSION"]

MIGRATIONS: list[str] = [
    # 1: the first schema. Few secondary indexes on purpose: every query here reads at most one
    # owner's connections (30,000 rows at LinkedIn's cap, a few milliseconds to scan), while
    # each index costs every import about a tenth of its time.
    """
    CREATE TABLE owners(
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, name_key TEXT NOT NULL,
        profile_url TEXT NOT NULL DEFAULT '', is_self INTEGER NOT NULL DEFAULT 0,
        source TEXT, imported_at TEXT, hidden_rows INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE people(
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_key TEXT NOT NULL,
        profile_url TEXT NOT NULL DEFAULT '', url_key TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
        company TEXT NOT NULL DEFAULT '', company_key TEXT NOT NULL DEFAULT '',
        position TEXT NOT NULL DEFAULT '', updated_at TEXT);
    CREATE TABLE connections(
        owner_id INTEGER NOT NULL REFERENCES owners(id), person_id INTEGER NOT NULL REFERENCES people(id),
        connected_on TEXT, PRIMARY KEY(owner_id, person_id)) WITHOUT ROWID;
    CREATE TABLE interactions(
        owner_id INTEGER NOT NULL, person_id INTEGER NOT NULL,
        messages_sent INTEGER NOT NULL DEFAULT 0, messages_received INTEGER NOT NULL DEFAULT 0,
        conversations INTEGER NOT NULL DEFAULT 0, group_conversations INTEGER NOT NULL DEFAULT 0,
        first_message TEXT, last_message TEXT, invited_by TEXT NOT NULL DEFAULT '',
        invitation_note INTEGER NOT NULL DEFAULT 0,
        recommendations_received INTEGER NOT NULL DEFAULT 0, recommendations_given INTEGER NOT NULL DEFAULT 0,
        endorsements_received INTEGER NOT NULL DEFAULT 0, endorsements_given INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(owner_id, person_id)) WITHOUT ROWID;
    CREATE TABLE co_threads(
        owner_id INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, threads INTEGER NOT NULL,
        PRIMARY KEY(owner_id, a, b)) WITHOUT ROWID;
    CREATE TABLE owner_positions(
        owner_id INTEGER NOT NULL, company TEXT NOT NULL, company_key TEXT NOT NULL, title TEXT,
        started_on TEXT, finished_on TEXT, current INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE interviews(
        id TEXT PRIMARY KEY, company TEXT NOT NULL, company_key TEXT NOT NULL, at TEXT NOT NULL,
        tz TEXT NOT NULL, discreet INTEGER NOT NULL DEFAULT 0, outcome TEXT, closed_at TEXT,
        source TEXT, imported_at TEXT);
    CREATE TABLE interview_people(
        interview_id TEXT NOT NULL REFERENCES interviews(id), slug TEXT NOT NULL, role TEXT NOT NULL,
        name TEXT NOT NULL, profile_url TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '', interests TEXT NOT NULL DEFAULT '[]', mutuals TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '', extra TEXT NOT NULL DEFAULT '{}', person_id INTEGER, line INTEGER,
        PRIMARY KEY(interview_id, slug, role));
    CREATE TABLE interview_mutuals(
        interview_id TEXT NOT NULL, slug TEXT NOT NULL, reference TEXT NOT NULL, person_id INTEGER);
    CREATE TABLE touch_log(
        touch_id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, done_at TEXT NOT NULL, next_at TEXT,
        logged_at TEXT NOT NULL);
    CREATE TABLE interview_meta(interview_id TEXT PRIMARY KEY, position TEXT NOT NULL DEFAULT '');
    CREATE TABLE checkins(
        id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, person_slug TEXT NOT NULL, person TEXT NOT NULL,
        role TEXT NOT NULL, due_at TEXT NOT NULL, after_touch TEXT NOT NULL, created_at TEXT NOT NULL);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def default_db_path() -> Path:
    env = os.environ.get("BACKCHANNEL_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("backchannel", appauthor=False)) / "workspace.sqlite"


def _while_busy(step, seconds: float = 60.0):
    """Run a step that SQLite may refuse while another process holds a lock.

    Switching to WAL on a brand-new file does not wait on the busy handler, so two commands
    opening a new workspace at once would see "database is locked": wait and retry instead.
    """
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


INTERACTION_FIELDS = ("messages_sent", "messages_received", "conversations", "group_conversations",
                      "first_message", "last_message", "invited_by", "invitation_note",
                      "recommendations_received", "recommendations_given", "endorsements_received",
                      "endorsements_given")


def _person_for_name(name_to_ids: dict, name_key: str, company_key: str) -> int | None:
    """The one connection with this name (the company tells apart namesakes), or None."""
    candidates = name_to_ids.get(name_key, [])
    if company_key and len(candidates) > 1:
        candidates = [c for c in candidates if c[1] == company_key] or candidates
    return candidates[0][0] if len(candidates) == 1 else None


def _merge_facts(old: list, new: list) -> list:
    """Two sets of interaction facts about one person, in ``Interaction`` field order (dates as
    ISO text), as one."""
    out = list(old)
    for i, value in enumerate(new):
        if i == 4:  # first message
            out[i] = min((v for v in (out[i], value) if v), default=None)
        elif i == 5:  # last message
            out[i] = max((v for v in (out[i], value) if v), default=None)
        elif i in (6, 7):  # invited by, invitation note
            out[i] = out[i] or value
        else:
            out[i] += value
    return out


@lru_cache(maxsize=1 << 14)  # connection dates repeat across thousands of rows
def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class ImportSummary:
    owner: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_not_in_export: int = 0
    interactions: int = 0
    unmatched_facts: int = 0
    files_read: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class Workspace:
    """A backchannel workspace in one SQLite file."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self._conn = self._connect()

    # ------------------------------------------------------------------ lifecycle

    def _connect(self) -> sqlite3.Connection:
        path = self.path
        try:
            if str(path) != ":memory:":
                if not path.parent.exists():
                    path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
                if not path.exists():
                    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                    os.close(fd)
            conn = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 60000")
            _while_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = OFF")
            _while_busy(lambda: self._migrate(conn))
        except sqlite3.OperationalError as exc:
            raise BackchannelError(f"cannot open the workspace ({exc})", path=path) from None
        except sqlite3.DatabaseError as exc:
            raise BackchannelError(f"not a backchannel workspace ({exc})", path=path) from None
        except OSError as exc:
            raise BackchannelError(f"cannot open the workspace ({exc.strerror or exc})", path=path) from None
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BackchannelError(
                f"workspace schema {version} is newer than this backchannel ({SCHEMA_VERSION}); upgrade backchannel",
                path=self.path)
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One writing transaction: all of it happens, or none of it."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _query(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, tuple(params)).fetchall()

    def _query_dicts(self, sql: str, params: Iterable = ()) -> list[dict]:
        """Rows as plain dicts: cheaper than sqlite3.Row when every row is read whole."""
        cursor = self._conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # ------------------------------------------------------------------ owners

    def self_owner(self) -> sqlite3.Row | None:
        rows = self._query("SELECT * FROM owners WHERE is_self = 1")
        return rows[0] if rows else None

    def owners(self) -> list[sqlite3.Row]:
        return self._query("SELECT * FROM owners ORDER BY is_self DESC, name")

    def owner_positions(self, owner_id: int) -> list[sqlite3.Row]:
        return self._query("SELECT * FROM owner_positions WHERE owner_id = ?", (owner_id,))

    # ------------------------------------------------------------------ LinkedIn import

    def import_linkedin(self, export, *, owner: str | None = None, aliases=None,
                        now: datetime | None = None, progress=None) -> ImportSummary:
        """Store an export: one transaction, people keyed by profile address, then email."""
        now = now or datetime.now(timezone.utc)
        is_self = owner is None
        owner_name = (owner or export.owner_name or "me").strip()
        summary = ImportSummary(owner=owner_name)
        report = export.report
        summary.files_read, summary.files_ignored = list(report.files_read), list(report.files_ignored)
        summary.skipped, summary.warnings = dict(report.skipped), list(report.warnings)
        try:
            return self._import_linkedin(export, owner_name, is_self, summary, aliases, now, progress)
        finally:
            export.abandon()

    def _import_linkedin(self, export, owner_name, is_self, summary, aliases, now, progress) -> ImportSummary:
        report = export.report
        with self.transaction() as conn:
            owner_id = self._upsert_owner(conn, owner_name, is_self, export, now)
            existing = {row[0]: (row[1], tuple(row[2:])) for row in conn.execute(
                "SELECT key, id, name, profile_url, email, company, position FROM people")}
            by_url_less_name = {}
            for row in conn.execute(
                    "SELECT p.key, p.id FROM people p JOIN connections c ON c.person_id = p.id "
                    "WHERE c.owner_id = ? AND p.url_key = ''", (owner_id,)):
                by_url_less_name[row[0]] = row[1]
            inserts, updates, links = [], [], []
            # new people get the ids SQLite would give them (the write lock is held): no need to
            # read them back
            next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0]
            url_to_id: dict[str, int] = {}
            name_to_ids: dict[str, list[tuple[int, str]]] = {}
            stamp = now.isoformat()
            seen_keys: set[str] = set()
            total = len(export.connections)
            company_keys: dict[str, str] = {}  # a few hundred companies across thousands of rows
            for n, c in enumerate(export.connections):
                if progress and n % 5000 == 0:
                    progress(n, total)
                name = c.name
                name_key = normalise_name(name)
                company_key = company_keys.get(c.company)
                if company_key is None:
                    company_key = company_keys[c.company] = normalise_company(c.company, aliases)
                email = normalise_email(c.email) if c.email else ""
                on = _iso(c.connected_on)
                day = on[:10] if on else ""
                if c.url_key:
                    key = "url:" + c.url_key
                    if by_url_less_name and key not in existing:
                        legacy = f"name:{name_key}|{company_key}|{day}"
                        if legacy in by_url_less_name:
                            # the same person from an older export without addresses: upgrade the key
                            conn.execute("UPDATE people SET key = ? WHERE id = ?", (key, by_url_less_name[legacy]))
                            existing[key] = existing.pop(legacy)
                elif email:
                    key = "email:" + email
                else:
                    key = f"name:{name_key}|{company_key}|{day}"
                if key in seen_keys:
                    report.skip("same person as an earlier row", f"line {c.line}")
                    summary.skipped = dict(report.skipped)
                    continue
                seen_keys.add(key)
                values = (name, c.profile_url, c.email, c.company, c.position)
                found = existing.get(key)
                if found is None:
                    person_id, next_id = next_id, next_id + 1
                    inserts.append((person_id, key, name, name_key, c.profile_url, c.url_key, c.email, c.company,
                                    company_key, c.position, stamp))
                    summary.added += 1
                else:
                    person_id, old_values = found
                    if old_values != values and is_self:
                        updates.append((name, name_key, c.profile_url, c.url_key, c.email, c.company,
                                        company_key, c.position, stamp, person_id))
                        summary.updated += 1
                    else:
                        summary.unchanged += 1
                links.append((owner_id, person_id, on))
                if c.url_key:
                    url_to_id[c.url_key] = person_id
                name_to_ids.setdefault(name_key, []).append((person_id, company_key))
            conn.executemany(
                "INSERT INTO people(id, key, name, name_key, profile_url, url_key, email, company, company_key, "
                "position, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", inserts)
            conn.executemany(
                "UPDATE people SET name=?, name_key=?, profile_url=?, url_key=?, email=?, company=?, "
                "company_key=?, position=?, updated_at=? WHERE id=?", updates)
            conn.executemany(
                "INSERT INTO connections(owner_id, person_id, connected_on) VALUES (?,?,?) "
                "ON CONFLICT(owner_id, person_id) DO UPDATE SET connected_on = excluded.connected_on", links)
            after = conn.execute("SELECT COUNT(*) FROM connections WHERE owner_id = ?", (owner_id,)).fetchone()[0]
            summary.kept_not_in_export = max(0, after - len(links))
            merged = self._facts_by_person(export, url_to_id, name_to_ids, summary)
            messages = export.take_messages()  # messages.csv may still be being read in the background
            if messages is not None:
                self._add_message_facts(merged, messages, export, url_to_id, name_to_ids, summary)
                if is_self and export.owner_profile_url:  # found from the messages themselves
                    conn.execute("UPDATE owners SET profile_url = ? WHERE id = ? AND profile_url = ''",
                                 (export.owner_profile_url, owner_id))
            summary.skipped = dict(report.skipped)
            self._store_interactions(conn, owner_id, merged, export.co_threads, url_to_id, summary)
            self._store_positions(conn, owner_id, export, aliases)
        return summary

    def _upsert_owner(self, conn, name: str, is_self: bool, export, now: datetime) -> int:
        if is_self:
            row = conn.execute("SELECT id FROM owners WHERE is_self = 1").fetchone()
            if row is None:
                clash = conn.execute("SELECT id FROM owners WHERE name = ?", (name,)).fetchone()
                if clash is not None:
                    conn.execute("UPDATE owners SET is_self = 1 WHERE id = ?", (clash[0],))
                    row = clash
        else:
            row = conn.execute("SELECT id FROM owners WHERE name = ?", (name,)).fetchone()
        hidden = export.report.skipped.get("hidden profile (no name and no profile address)", 0)
        if row is None:
            cur = conn.execute(
                "INSERT INTO owners(name, name_key, profile_url, is_self, source, imported_at, hidden_rows) "
                "VALUES (?,?,?,?,?,?,?)",
                (name, normalise_name(name), export.owner_profile_url if is_self else "", int(is_self),
                 export.source, now.isoformat(), hidden))
            return int(cur.lastrowid)
        owner_id = int(row[0])
        conn.execute(
            "UPDATE owners SET profile_url = CASE WHEN ? != '' THEN ? ELSE profile_url END, source = ?, "
            "imported_at = ?, hidden_rows = ? WHERE id = ?",
            (export.owner_profile_url if is_self else "", export.owner_profile_url if is_self else "",
             export.source, now.isoformat(), hidden, owner_id))
        return owner_id

    def _facts_by_person(self, export, url_to_id, name_to_ids, summary) -> dict[int, list]:
        """The export's interaction facts per person id, dates as stored (ISO text)."""
        values_of = attrgetter(*INTERACTION_FIELDS)
        merged: dict[int, list] = {}

        def merge(pid: int, facts) -> None:
            values = list(values_of(facts))
            values[4], values[5] = _iso(values[4]), _iso(values[5])
            old = merged.get(pid)
            # one person can have facts under an address and under a name (2018 files)
            merged[pid] = values if old is None else _merge_facts(old, values)

        for url_key, facts in export.interactions.items():
            pid = url_to_id.get(url_key)
            if pid is None:
                summary.unmatched_facts += 1
                continue
            merge(pid, facts)
        for (name_key, company_key), facts in export.interactions_by_name.items():
            pid = _person_for_name(name_to_ids, name_key, company_key)
            if pid is None:
                summary.unmatched_facts += 1
            else:
                merge(pid, facts)
        return merged

    def _add_message_facts(self, merged, messages, export, url_to_id, name_to_ids, summary) -> None:
        """Add what a background read of messages.csv says (``export.take_messages()``)."""
        by_url, by_name = messages
        for table, known, person_of in (
                (by_url, export.interactions, url_to_id.get),
                (by_name, export.interactions_by_name, lambda key: _person_for_name(name_to_ids, *key))):
            for key, (sent, received, conversations, groups, first, last) in table.items():
                pid = person_of(key)
                if pid is None:
                    if key not in known:  # each person counts once, whatever files name them
                        summary.unmatched_facts += 1
                    continue
                first = first and first.replace(" ", "T")
                last = last and last.replace(" ", "T")
                old = merged.get(pid)
                if old is None:
                    merged[pid] = [sent, received, conversations, groups, first, last, "", False, 0, 0, 0, 0]
                    continue
                # as _merge_facts, for the message fields only
                old[0] += sent
                old[1] += received
                old[2] += conversations
                old[3] += groups
                if first and (not old[4] or first < old[4]):
                    old[4] = first
                if last and (not old[5] or last > old[5]):
                    old[5] = last

    def _store_interactions(self, conn, owner_id, merged, co_threads, url_to_id, summary) -> None:
        conn.execute("DELETE FROM interactions WHERE owner_id = ?", (owner_id,))
        rows = [(owner_id, pid, *v[:7], int(bool(v[7])), *v[8:]) for pid, v in merged.items()]
        conn.executemany(
            f"INSERT INTO interactions(owner_id, person_id, {', '.join(INTERACTION_FIELDS)}) VALUES "
            f"({', '.join('?' * (len(INTERACTION_FIELDS) + 2))})", rows)
        summary.interactions = len(rows)
        conn.execute("DELETE FROM co_threads WHERE owner_id = ?", (owner_id,))
        pairs = []
        for (a, b), n in co_threads.items():
            ia, ib = url_to_id.get(a), url_to_id.get(b)
            if ia and ib and ia != ib:
                pairs.append((owner_id, min(ia, ib), max(ia, ib), n))
        conn.executemany("INSERT OR REPLACE INTO co_threads(owner_id, a, b, threads) VALUES (?,?,?,?)", pairs)

    def _store_positions(self, conn, owner_id: int, export, aliases) -> None:
        if not export.positions:
            return
        conn.execute("DELETE FROM owner_positions WHERE owner_id = ?", (owner_id,))
        conn.executemany(
            "INSERT INTO owner_positions(owner_id, company, company_key, title, started_on, finished_on, current) "
            "VALUES (?,?,?,?,?,?,?)",
            [(owner_id, p["company"], normalise_company(p["company"], aliases), p["title"],
              _iso(p["started_on"]), _iso(p["finished_on"]), int(p["current"])) for p in export.positions])

    # ------------------------------------------------------------------ people

    def counts(self) -> dict[str, int]:
        one = lambda sql: self._conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "owners": one("SELECT COUNT(*) FROM owners"),
            "people": one("SELECT COUNT(*) FROM people"),
            "connections": one("SELECT COUNT(*) FROM connections"),
            "interactions": one("SELECT COUNT(*) FROM interactions"),
            "interviews": one("SELECT COUNT(*) FROM interviews"),
            "touches_done": one("SELECT COUNT(*) FROM touch_log"),
        }

    def connections(self, owner_id: int | None = None, *, company_keys: Iterable[str] | None = None,
                    person_ids: Iterable[int] | None = None, name_like: str | None = None,
                    name_keys: Iterable[str] | None = None) -> list[dict]:
        """First-degree connections of an owner (the user by default) with their interaction facts."""
        if owner_id is None:
            me = self.self_owner()
            if me is None:
                return []
            owner_id = me["id"]
        sql = (
            "SELECT p.*, c.connected_on, c.owner_id, i.messages_sent, i.messages_received, i.conversations, "
            "i.group_conversations, i.first_message, i.last_message, i.invited_by, i.invitation_note, "
            "i.recommendations_received, i.recommendations_given, i.endorsements_received, "
            "i.endorsements_given FROM connections c JOIN people p ON p.id = c.person_id "
            "LEFT JOIN interactions i ON i.owner_id = c.owner_id AND i.person_id = c.person_id "
            "WHERE c.owner_id = ?")
        params: list = [owner_id]
        if company_keys is not None:
            keys = list(company_keys)
            sql += f" AND p.company_key IN ({','.join('?' * len(keys))})"
            params += keys
        if person_ids is not None:
            ids = list(person_ids)
            sql += f" AND p.id IN ({','.join('?' * len(ids))})"
            params += ids
        if name_keys is not None:
            keys = list(name_keys)
            sql += f" AND p.name_key IN ({','.join('?' * len(keys))})"
            params += keys
        if name_like:
            sql += " AND (p.name_key LIKE ? OR p.company_key LIKE ? OR lower(p.position) LIKE ?)"
            params += [f"%{name_like}%"] * 3
        return self._query_dicts(sql, params)

    def person_records(self) -> list[PersonRecord]:
        return [PersonRecord(r[0], r[1], r[2], r[3], r[4]) for r in self._conn.execute(
            "SELECT id, name, profile_url, email, company FROM people")]

    def people_by_id(self, ids: Iterable[int]) -> dict[int, sqlite3.Row]:
        ids = list(ids)
        out = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for r in self._query(f"SELECT * FROM people WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[r["id"]] = r
        return out

    def company_keys(self) -> list[str]:
        return [r[0] for r in self._query("SELECT DISTINCT company_key FROM people WHERE company_key != ''")]

    def co_threads(self, person_ids: Iterable[int] | None = None) -> list[sqlite3.Row]:
        if person_ids is None:
            return self._query("SELECT * FROM co_threads")
        ids = list(person_ids)
        marks = ",".join("?" * len(ids))
        return self._query(f"SELECT * FROM co_threads WHERE a IN ({marks}) OR b IN ({marks})", ids + ids)

    def second_degree(self, person_ids: Iterable[int]) -> list[sqlite3.Row]:
        """Connections that other owners' exports show for these people."""
        ids = list(person_ids)
        marks = ",".join("?" * len(ids))
        return self._query(
            f"SELECT o.id AS owner_id, o.name AS owner_name, o.name_key AS owner_key, c.person_id "
            f"FROM connections c JOIN owners o ON o.id = c.owner_id WHERE o.is_self = 0 AND c.person_id IN ({marks})",
            ids)

    def other_owner_links(self) -> list[sqlite3.Row]:
        return self._query(
            "SELECT o.id AS owner_id, o.name AS owner_name, o.name_key AS owner_key, c.person_id "
            "FROM connections c JOIN owners o ON o.id = c.owner_id WHERE o.is_self = 0")

    # ------------------------------------------------------------------ interviews

    def save_interviews(self, interviews: list[dict], now: datetime) -> None:
        """Insert or update interviews (by id) with their people; the touch log is untouched."""
        with self.transaction() as conn:
            for iv in interviews:
                conn.execute(
                    "INSERT INTO interviews(id, company, company_key, at, tz, discreet, source, imported_at) "
                    "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET company=excluded.company, "
                    "company_key=excluded.company_key, at=excluded.at, tz=excluded.tz, "
                    "discreet=excluded.discreet, source=excluded.source, imported_at=excluded.imported_at",
                    (iv["id"], iv["company"], iv["company_key"], iv["at"], iv["tz"], int(iv["discreet"]),
                     iv["source"], now.isoformat()))
                conn.execute("INSERT OR REPLACE INTO interview_meta(interview_id, position) VALUES (?,?)",
                             (iv["id"], iv.get("position", "")))
                conn.execute("DELETE FROM interview_people WHERE interview_id = ?", (iv["id"],))
                conn.execute("DELETE FROM interview_mutuals WHERE interview_id = ?", (iv["id"],))
                for p in iv["people"]:
                    conn.execute(
                        "INSERT OR REPLACE INTO interview_people(interview_id, slug, role, name, profile_url, email, "
                        "title, interests, mutuals, notes, extra, person_id, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (iv["id"], p["slug"], p["role"], p["name"], p["profile_url"], p["email"], p["title"],
                         json.dumps(p["interests"]), json.dumps(p["mutuals"]), p["notes"],
                         json.dumps(p["extra"]), p["person_id"], p["line"]))
                    for ref, pid in p["mutual_ids"]:
                        conn.execute(
                            "INSERT INTO interview_mutuals(interview_id, slug, reference, person_id) VALUES (?,?,?,?)",
                            (iv["id"], p["slug"], ref, pid))

    def interviews(self) -> list[sqlite3.Row]:
        return self._query("SELECT * FROM interviews ORDER BY at, id")

    def interview(self, interview_id: str) -> sqlite3.Row:
        rows = self._query("SELECT i.*, coalesce(m.position, '') AS position FROM interviews i "
                           "LEFT JOIN interview_meta m ON m.interview_id = i.id WHERE i.id = ?", (interview_id,))
        if not rows:
            known = [r[0] for r in self._query("SELECT id FROM interviews ORDER BY at DESC LIMIT 5")]
            hint = f"; known: {', '.join(known)}" if known else "; import your interviews first"
            raise NotFoundError(f"unknown interview {interview_id!r}{hint}")
        return rows[0]

    def interview_people(self, interview_id: str) -> list[dict]:
        out = []
        for r in self._query("SELECT * FROM interview_people WHERE interview_id = ? ORDER BY line, role",
                             (interview_id,)):
            d = dict(r)
            d["interests"] = json.loads(d["interests"])
            d["mutuals"] = json.loads(d["mutuals"])
            d["extra"] = json.loads(d["extra"])
            out.append(d)
        return out

    def interview_mutuals(self, interview_id: str) -> list[sqlite3.Row]:
        return self._query("SELECT * FROM interview_mutuals WHERE interview_id = ?", (interview_id,))

    def close_interview(self, interview_id: str, outcome: str, at: datetime) -> None:
        self.interview(interview_id)
        with self.transaction() as conn:
            conn.execute("UPDATE interviews SET outcome = ?, closed_at = ? WHERE id = ?",
                         (outcome, at.isoformat(), interview_id))

    # ------------------------------------------------------------------ the touch log

    def touch_log(self, interview_id: str | None = None) -> dict[str, sqlite3.Row]:
        if interview_id is None:
            rows = self._query("SELECT * FROM touch_log")
        else:
            rows = self._query("SELECT * FROM touch_log WHERE interview_id = ?", (interview_id,))
        return {r["touch_id"]: r for r in rows}

    def checkins(self, interview_id: str) -> list[sqlite3.Row]:
        return self._query("SELECT * FROM checkins WHERE interview_id = ? ORDER BY created_at, id", (interview_id,))

    def log_touch(self, touch_id: str, interview_id: str, done_at: datetime, next_at: datetime | None,
                  checkin: dict | None, now: datetime) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO touch_log(touch_id, interview_id, done_at, next_at, logged_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(touch_id) DO UPDATE SET done_at=excluded.done_at, next_at=excluded.next_at, "
                "logged_at=excluded.logged_at",
                (touch_id, interview_id, done_at.isoformat(), _iso(next_at), now.isoformat()))
            if checkin:
                conn.execute(
                    "INSERT INTO checkins(id, interview_id, person_slug, person, role, due_at, after_touch, created_at) "
                    "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET due_at = excluded.due_at",
                    (checkin["id"], interview_id, checkin["person_slug"], checkin["person"], checkin["role"],
                     checkin["due_at"].isoformat(), touch_id, now.isoformat()))
