"""The workspace's schema: its SQL, its version and application id, and the columns each kind
of file fills (see :mod:`backchannel.workspace`)."""

from __future__ import annotations

from dataclasses import fields

from ..domain import Interaction

#: ``PRAGMA application_id`` of a backchannel workspace ("BCH1")
APPLICATION_ID = 0x42434831
SCHEMA_VERSION = 3
_SQLITE_MAGIC = b"SQLite format 3\x00"
_V1_TABLES = {"owners", "people", "connections", "interactions", "co_threads", "owner_positions", "interviews",
              "interview_people", "interview_mutuals", "touch_log", "checkins"}

# Few secondary indexes on purpose: every query reads at most one owner's connections
# (30,000 rows at LinkedIn's cap, a few milliseconds to scan), while each index costs every
# import about a tenth of its time (measured: an index on people's company, 0.05 s of 0.55 s).
# The event log is indexed: `due` reads it for every plan.
SCHEMA = """
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
    owner_id INTEGER NOT NULL, person_id INTEGER NOT NULL, connected_on TEXT,
    PRIMARY KEY(owner_id, person_id)) WITHOUT ROWID;
CREATE TABLE interactions(
    owner_id INTEGER NOT NULL, person_id INTEGER NOT NULL,
    messages_sent INTEGER NOT NULL DEFAULT 0, messages_received INTEGER NOT NULL DEFAULT 0,
    conversations INTEGER NOT NULL DEFAULT 0, group_conversations INTEGER NOT NULL DEFAULT 0,
    first_message TEXT, last_message TEXT, invited_by TEXT NOT NULL DEFAULT '',
    invitation_note INTEGER NOT NULL DEFAULT 0,
    recommendations_received INTEGER NOT NULL DEFAULT 0, recommendations_given INTEGER NOT NULL DEFAULT 0,
    endorsements_received INTEGER NOT NULL DEFAULT 0, endorsements_given INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(owner_id, person_id)) WITHOUT ROWID;
CREATE TABLE facts(
    owner_id INTEGER NOT NULL, kind TEXT NOT NULL, person_id INTEGER NOT NULL,
    messages_sent INTEGER NOT NULL DEFAULT 0, messages_received INTEGER NOT NULL DEFAULT 0,
    conversations INTEGER NOT NULL DEFAULT 0, group_conversations INTEGER NOT NULL DEFAULT 0,
    first_message TEXT, last_message TEXT, invited_by TEXT NOT NULL DEFAULT '',
    invitation_note INTEGER NOT NULL DEFAULT 0,
    recommendations_received INTEGER NOT NULL DEFAULT 0, recommendations_given INTEGER NOT NULL DEFAULT 0,
    endorsements_received INTEGER NOT NULL DEFAULT 0, endorsements_given INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(owner_id, kind, person_id)) WITHOUT ROWID;
CREATE TABLE imports(
    owner_id INTEGER NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
    imported_at TEXT, as_of TEXT, PRIMARY KEY(owner_id, kind)) WITHOUT ROWID;
CREATE TABLE co_threads(
    owner_id INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, threads INTEGER NOT NULL,
    PRIMARY KEY(owner_id, a, b)) WITHOUT ROWID;
CREATE TABLE owner_positions(
    owner_id INTEGER NOT NULL, company TEXT NOT NULL, company_key TEXT NOT NULL, title TEXT,
    started_on TEXT, finished_on TEXT, current INTEGER NOT NULL DEFAULT 0);
CREATE TABLE interviews(
    id TEXT PRIMARY KEY, company TEXT NOT NULL, company_key TEXT NOT NULL, at TEXT NOT NULL,
    tz TEXT NOT NULL, discreet INTEGER NOT NULL DEFAULT 0, position TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT '', country TEXT NOT NULL DEFAULT '',
    outcome TEXT, closed_at TEXT, source TEXT NOT NULL DEFAULT '', imported_at TEXT,
    outcomes TEXT NOT NULL DEFAULT '[]', edited TEXT NOT NULL DEFAULT '{}', ends TEXT,
    invite_uid TEXT NOT NULL DEFAULT '', invite_sequence INTEGER NOT NULL DEFAULT 0);
CREATE TABLE interview_people(
    interview_id TEXT NOT NULL, slug TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
    profile_url TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
    works_at TEXT NOT NULL DEFAULT '', interests TEXT NOT NULL DEFAULT '[]', mutuals TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}', line INTEGER, person_id INTEGER,
    match_status TEXT NOT NULL DEFAULT '', match_via TEXT NOT NULL DEFAULT '', match_detail TEXT NOT NULL DEFAULT '[]',
    edited TEXT NOT NULL DEFAULT '{}', PRIMARY KEY(interview_id, slug)) WITHOUT ROWID;
CREATE TABLE interview_mutuals(
    interview_id TEXT NOT NULL, slug TEXT NOT NULL, reference TEXT NOT NULL, person_id INTEGER,
    match_status TEXT NOT NULL DEFAULT '', match_via TEXT NOT NULL DEFAULT '', match_detail TEXT NOT NULL DEFAULT '[]');
CREATE TABLE touch_events(
    seq INTEGER PRIMARY KEY AUTOINCREMENT, interview_id TEXT NOT NULL, touch_id TEXT NOT NULL,
    person_slug TEXT NOT NULL, person TEXT NOT NULL DEFAULT '', event TEXT NOT NULL, at TEXT NOT NULL,
    next_at TEXT, checkin_id TEXT, logged_at TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'hand', message TEXT);
CREATE INDEX touch_events_by_interview ON touch_events(interview_id, seq);
CREATE TABLE undone_messages(message TEXT NOT NULL, interview_id TEXT NOT NULL, person_slug TEXT NOT NULL,
    undone_at TEXT NOT NULL, PRIMARY KEY(message, interview_id, person_slug)) WITHOUT ROWID;
CREATE TABLE own_addresses(address TEXT PRIMARY KEY, added_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE rank_cache(interview_id TEXT PRIMARY KEY, rows TEXT NOT NULL);
"""

INTERACTION_FIELDS = tuple(f.name for f in fields(Interaction))
#: the columns of ``facts`` (and of ``interactions``) each kind of file fills: none shares one,
#: so a person's interactions are the sum of their facts, kind by kind
FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "messages": ("messages_sent", "messages_received", "conversations", "group_conversations", "first_message",
                 "last_message"),
    "invitations": ("invited_by", "invitation_note"),
    "recommendations_received": ("recommendations_received",),
    "recommendations_given": ("recommendations_given",),
    "endorsements_received": ("endorsements_received",),
    "endorsements_given": ("endorsements_given",),
}
# A person's interactions are the sum of their facts; as no two kinds fill the same column, the
# sum is each kind's columns as they are: one INSERT … SELECT per kind, the later ones adding
# their columns to the rows the earlier made (2.5 times as fast as one GROUP BY over all kinds:
# 0.013 s against 0.033 s at 30,000 connections and 200,000 messages)
_REBUILD_INTERACTIONS = [
    (kind, f"INSERT INTO interactions(owner_id, person_id, {', '.join(columns)}) "
           f"SELECT owner_id, person_id, {', '.join(columns)} FROM facts WHERE owner_id = ? AND kind = ? "
           f"ON CONFLICT(owner_id, person_id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns)}")
    for kind, columns in FACT_COLUMNS.items()]
#: a connection as :meth:`Workspace.connection_table` gives it: who they are, then the facts
CONNECTION_TABLE_FIELDS = ("id", "name", "name_key", "profile_url", "email", "company", "company_key", "position",
                           "connected_on", *INTERACTION_FIELDS)
