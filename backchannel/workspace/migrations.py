"""Older workspaces moved to the current schema without losing anything logged: the first
release's (schema 1) and schema 2's. Each runs inside the transaction that opens the workspace."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from .rows import _when
from .schema import FACT_COLUMNS, SCHEMA


def _bounded(value: str | None) -> str | None:
    """A stored time from the first release, or None when it is out of 1900–2200 (such a date
    used to break every later command)."""
    when = _when(value)
    if when is None or not 1900 <= when.year <= 2200:
        return None
    return value


def _migrate_v1_to_v2(tx: sqlite3.Connection) -> None:
    """The first release's workspace, moved to schema 2 without losing anything logged.

    Interviews gain position/topic/language/country; interview people are one row per person
    (the first role listed wins); the done log and its check-ins become events. Notes stay
    notes (private); out-of-range dates the first release accepted are dropped.
    """
    tx.execute("ALTER TABLE interviews RENAME TO interviews_v1")
    tx.execute("ALTER TABLE interview_people RENAME TO interview_people_v1")
    tx.execute("ALTER TABLE interview_mutuals RENAME TO interview_mutuals_v1")
    for statement in SCHEMA.split(";"):
        text = statement.strip()
        if text.startswith(("CREATE TABLE interviews(", "CREATE TABLE interview_people(",
                            "CREATE TABLE interview_mutuals(", "CREATE TABLE touch_events(",
                            "CREATE INDEX touch_events_by_interview",
                            "CREATE TABLE rank_cache(")):
            tx.execute(text)
    positions = {r[0]: r[1] for r in tx.execute("SELECT interview_id, position FROM interview_meta")}
    for r in tx.execute("SELECT * FROM interviews_v1").fetchall():
        row = dict(r)
        at = _bounded(row["at"]) or "2200-01-01T17:00:00+00:00"
        tx.execute("INSERT INTO interviews(id, company, company_key, at, tz, discreet, position, outcome, closed_at, "
                   "source, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   (row["id"], row["company"], row["company_key"], at, row["tz"], row["discreet"],
                    positions.get(row["id"], ""), row["outcome"], _bounded(row["closed_at"]), row["source"] or "",
                    row["imported_at"]))
    tx.execute("INSERT OR IGNORE INTO interview_people(interview_id, slug, role, name, profile_url, email, title, "
               "interests, mutuals, notes, extra, line, person_id) SELECT interview_id, slug, role, name, profile_url, "
               "email, title, interests, mutuals, notes, extra, line, person_id FROM interview_people_v1 "
               "ORDER BY rowid")
    tx.execute("INSERT INTO interview_mutuals(interview_id, slug, reference, person_id) "
               "SELECT interview_id, slug, reference, person_id FROM interview_mutuals_v1")
    checkins = {r["after_touch"]: dict(r) for r in tx.execute("SELECT * FROM checkins ORDER BY created_at")}
    for r in tx.execute("SELECT * FROM touch_log ORDER BY logged_at").fetchall():
        row = dict(r)
        if _bounded(row["done_at"]) is None:
            continue
        parts = row["touch_id"].split("/")
        slug = parts[-1] if len(parts) == 3 else ""
        if len(parts) == 3 and parts[1] in ("check-in", "casual-touch") and slug.rsplit("-", 1)[-1].isdigit():
            slug = slug.rsplit("-", 1)[0]
        booked = checkins.get(row["touch_id"])
        next_at = _bounded(booked["due_at"]) if booked else _bounded(row["next_at"])
        tx.execute("INSERT INTO touch_events(interview_id, touch_id, person_slug, event, at, next_at, checkin_id, "
                   "logged_at) VALUES (?,?,?,?,?,?,?,?)",
                   (row["interview_id"], row["touch_id"], slug, "done", row["done_at"], next_at,
                    booked["id"] if booked and next_at else None, row["logged_at"]))
    for old in ("interviews_v1", "interview_people_v1", "interview_mutuals_v1", "interview_meta", "touch_log",
                "checkins"):
        tx.execute(f"DROP TABLE {old}")


# the company key of schema 2 (before "Group", "Holdings" and "Holding" were words of a name), to
# tell which stored keys were made by that rule (and not by one of the user's aliases)
_V2_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "l.l.c", "ltd", "limited",
    "plc", "gmbh", "ag", "sa", "s.a", "sas", "sarl", "bv", "nv", "oy", "ab", "as", "aps", "spa",
    "srl", "pty", "pte", "kk", "kg", "lp", "llp", "group", "holdings", "holding",
}


def _v2_company_key(value: str) -> str:
    import re
    import unicodedata

    if not value:
        return ""
    text = value
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.replace("&", " and ").lower().replace("'", "").replace("\u2019", "")
    words = re.sub(r"[\W_]+", " ", text).split()
    while len(words) > 1 and words[-1] in _V2_SUFFIXES:
        words.pop()
    if words and words[0] == "the" and len(words) > 1:
        words.pop(0)
    return " ".join(words)


def _add_columns(tx: sqlite3.Connection, table: str, columns: Mapping[str, str]) -> None:
    """Add the columns a table does not have yet (a migration run on a newer table adds none)."""
    present = {r[1] for r in tx.execute(f"PRAGMA table_info({table})")}
    for name, declaration in columns.items():
        if name not in present:
            tx.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")


def _migrate_v2_to_v3(tx: sqlite3.Connection) -> None:
    """Schema 2 to 3 without losing anything: facts by kind of file, and keys by today's rules.

    - ``interactions`` are split into ``facts``, one row per kind of file: each kind fills
      columns of its own (:data:`FACT_COLUMNS`), so the split is exact and ``interactions``
      (left as it is) is their sum. There is no "unknown" kind to double-count: a later
      import of messages.csv replaces exactly the messages' part, and a lone Connections.csv
      leaves every part as it is.
    - ``imports`` records, per owner and kind that has facts (and for connections and
      positions), the last export's source and time with no as-of day: schema 2 did not know
      it, so the next file of that kind, whatever its date, replaces it.
    - An email that is not an address (``urn:li:member:…`` from a 2018 export) is cleared; a
      person keyed by it (``email:urn:li:member:…``) is keyed by the member id, as imports
      key such rows now. A profile address a browser would open on another site is cleared
      (people and interview people): it was never LinkedIn's.
    - Name keys, and company keys made by schema 2's rule, are made again by today's rules
      (zero-width characters ignored, names without letters kept apart; Group and Holdings
      are words of a company's name), and so are the keys of people known by name, company
      and day (kept as they are where the new key is taken). A company key one of the
      user's aliases made is left as it is. Cached rankings are dropped.
    - An interview keeps every outcome it has had (``close --change`` plans a correction to
      whoever heard the old one) and which details were set in the terminal (a re-imported
      interviews file keeps them); the dates drafts used to store are gone (a draft works its
      date out from when it is sent, and looking at one writes nothing).
    - An interview can come from a calendar invitation (its UID and SEQUENCE, and when it
      ends); what was logged says where it came from (``hand``, ``mail``, ``linkedin``) and
      the hash of the message it was read from; a message whose event was undone is
      remembered, so importing the same mail again leaves it undone; the addresses you gave
      as yours (``--me``) are kept.
    - Interviews, their people, the touch log and notes are not otherwise touched.
    """
    _split_facts(tx)
    _rekey_people(tx)
    _rekey_the_rest(tx)
    _add_columns(tx, "interviews", {"outcomes": "TEXT NOT NULL DEFAULT '[]'", "edited": "TEXT NOT NULL DEFAULT '{}'",
                                    "ends": "TEXT", "invite_uid": "TEXT NOT NULL DEFAULT ''",
                                    "invite_sequence": "INTEGER NOT NULL DEFAULT 0"})
    _add_columns(tx, "interview_people", {"edited": "TEXT NOT NULL DEFAULT '{}'"})
    _add_columns(tx, "touch_events", {"source": "TEXT NOT NULL DEFAULT 'hand'", "message": "TEXT"})
    tx.execute("CREATE TABLE IF NOT EXISTS undone_messages(message TEXT NOT NULL, interview_id TEXT NOT NULL, "
               "person_slug TEXT NOT NULL, undone_at TEXT NOT NULL, PRIMARY KEY(message, interview_id, person_slug)) "
               "WITHOUT ROWID")
    tx.execute("CREATE TABLE IF NOT EXISTS own_addresses(address TEXT PRIMARY KEY, added_at TEXT NOT NULL) "
               "WITHOUT ROWID")
    tx.execute("UPDATE interviews SET outcomes = json_array(json_array(outcome, closed_at)) "
               "WHERE outcome IS NOT NULL AND closed_at IS NOT NULL")
    tx.execute("DROP TABLE IF EXISTS ring_proposals")
    tx.execute("DELETE FROM rank_cache")


def _split_facts(tx: sqlite3.Connection) -> None:
    """Schema 3's facts by kind of file, from schema 2's interactions, and what each owner's
    last import was (see :func:`_migrate_v2_to_v3`)."""
    for statement in SCHEMA.split(";"):
        text = statement.strip()
        if text.startswith(("CREATE TABLE facts(", "CREATE TABLE imports(")):
            tx.execute(text)
    defaults = {"first_message": "IS NOT NULL", "last_message": "IS NOT NULL", "invited_by": "!= ''"}
    for kind, columns in FACT_COLUMNS.items():
        some = " OR ".join(f"{c} {defaults.get(c, '!= 0')}" for c in columns)
        tx.execute(f"INSERT INTO facts(owner_id, kind, person_id, {', '.join(columns)}) "
                   f"SELECT owner_id, '{kind}', person_id, {', '.join(columns)} FROM interactions WHERE {some}")
    from ..readers.export import FILE_NAMES

    owners = tx.execute("SELECT id, COALESCE(source, ''), imported_at FROM owners").fetchall()
    for owner_id, source, imported_at in owners:
        kinds = [r[0] for r in tx.execute("SELECT DISTINCT kind FROM facts WHERE owner_id = ?", (owner_id,))]
        if tx.execute("SELECT 1 FROM connections WHERE owner_id = ? LIMIT 1", (owner_id,)).fetchone():
            kinds.append("connections")
        if tx.execute("SELECT 1 FROM owner_positions WHERE owner_id = ? LIMIT 1", (owner_id,)).fetchone():
            kinds.append("positions")
        tx.executemany("INSERT OR IGNORE INTO imports(owner_id, kind, file, source, imported_at, as_of) "
                       "VALUES (?,?,?,?,?,NULL)",
                       [(owner_id, kind, FILE_NAMES.get(kind, ""), source, imported_at) for kind in kinds])


def _rekey_people(tx: sqlite3.Connection) -> None:
    """People's emails, profile addresses and keys by today's rules (see :func:`_migrate_v2_to_v3`)."""
    from ..identity import email_address, normalise_company, normalise_name, profile_key

    taken = {r[0] for r in tx.execute("SELECT key FROM people")}
    people = tx.execute("SELECT id, key, name, email, profile_url, company, company_key FROM people").fetchall()
    for pid, key, name, email, url, company, company_key in people:
        changes: dict[str, Any] = {}
        if email and not email_address(email):
            changes["email"] = ""
        if url and not profile_key(url):
            changes["profile_url"] = changes["url_key"] = ""
        name_key = normalise_name(name)
        changes["name_key"] = name_key
        if company_key == _v2_company_key(company or ""):
            company_key = changes["company_key"] = normalise_company(company)
        new_key = key
        if key.startswith("email:urn:li:"):
            new_key = key[len("email:"):]
        elif key.startswith("name:"):
            _old, _company, day = key[len("name:"):].rsplit("|", 2)
            new_key = f"name:{name_key}|{company_key}|{day}"
        if new_key != key and new_key not in taken:
            taken.discard(key)
            taken.add(new_key)
            changes["key"] = new_key
        tx.execute(f"UPDATE people SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
                   (*changes.values(), pid))


def _rekey_the_rest(tx: sqlite3.Connection) -> None:
    """Company keys of interviews and positions, interview people's addresses and owners' name
    keys by today's rules (see :func:`_migrate_v2_to_v3`)."""
    from ..identity import normalise_company, normalise_name, profile_key

    for table, id_column in (("interviews", "id"), ("owner_positions", "rowid")):
        for row_id, company, company_key in tx.execute(
                f"SELECT {id_column}, company, company_key FROM {table}").fetchall():
            if company_key == _v2_company_key(company or ""):
                tx.execute(f"UPDATE {table} SET company_key = ? WHERE {id_column} = ?",
                           (normalise_company(company), row_id))
    for interview_id, slug, url in tx.execute(
            "SELECT interview_id, slug, profile_url FROM interview_people WHERE profile_url != ''").fetchall():
        if not profile_key(url):
            tx.execute("UPDATE interview_people SET profile_url = '' WHERE interview_id = ? AND slug = ?",
                       (interview_id, slug))
    for owner_id, name in tx.execute("SELECT id, name FROM owners").fetchall():
        tx.execute("UPDATE owners SET name_key = ? WHERE id = ?", (normalise_name(name), owner_id))
