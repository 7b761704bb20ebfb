"""The SQLite workspace: schema, migrations, transactions, typed reads and writes.

The only module that speaks SQL (and imports ``sqlite3``). Its errors reach the rest of the
package as :class:`~backchannel.errors.BackchannelError`.

- **One change, one transaction** (``BEGIN IMMEDIATE``): on an error, Ctrl-C or ``kill -9``
  the workspace is exactly as before. WAL and a busy timeout let several commands write at
  once; where SQLite does not wait by itself (switching a new file to WAL) the step is retried,
  and a command that gives up waiting names the command holding the lock.
- **Only a workspace is opened.** A workspace carries backchannel's application id
  (``PRAGMA application_id``) and schema. Any other file, an SQLite database of another
  application included, is refused before a byte of it changes. A workspace from the first
  release (schema 1, no application id) is recognised by its tables and migrated.
- **Only writers create.** Opening a missing workspace for reading is an error naming the
  path; nothing is created. Folders made for a workspace are mode 700 and the file mode 600,
  whatever the umask; a workspace this object created and that still holds nothing can be
  removed again (:meth:`Workspace.remove_if_new`, for a first command that failed).
- **A workspace you may only read is read.** When the file or its folder is not writable here
  (another user's workspace, a read-only mount), it is opened read-only: reads work, and a
  write is one error ("the workspace is read-only here"). SQLite needs the ``-wal`` and ``-shm``
  files to read a WAL database read-only; when they are absent (the owner closed it) and
  cannot be created, the file alone holds everything and is opened ``immutable``.
- **The lock note** (``<workspace>-writer``: which command holds the write lock, for the
  message a waiting command shows) is created exclusively (``O_EXCL | O_NOFOLLOW``), never
  through a link, and removed only when it is still the one this command wrote.
- **Interview people are matched again** against the current connections whenever an export
  or interviews change, inside the same transaction (``ingest.resolve_interview_people``).
- **An import replaces only the kinds of file it holds.** What each kind of file says about a
  person is kept apart in ``facts`` (one row per owner, kind and person; each kind fills its
  own columns: :data:`FACT_COLUMNS`), and ``imports`` records per owner and kind the file, the
  source, when it was imported and the day it is as of. ``interactions`` is their sum per
  person, rebuilt in the import's transaction by one ``INSERT … SELECT`` per kind (the columns
  being disjoint, each adds its own), so reads are as fast as ever. A kind an import does not hold stays exactly as it was; an older file
  of a kind (its as-of day before the stored one's) replaces nothing, and an older
  Connections.csv adds people without overwriting what a newer one said of those known.
  ``co_threads`` belong to messages, ``owner_positions`` to Positions.csv. Logged touches,
  interviews and notes are never touched by an import.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .domain import GraphRows, Interaction, Interview, InterviewPerson, SkipLog, TouchEvent
from .errors import BackchannelError, NotFoundError
from .identity import PeopleIndex, PersonRecord, normalise_company, normalise_email, normalise_name

__all__ = ["Workspace", "ImportSummary", "KindImport", "default_db_path", "make_private_folder", "SCHEMA_VERSION",
           "APPLICATION_ID", "FACT_COLUMNS"]

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


def default_db_path() -> Path:
    env = os.environ.get("BACKCHANNEL_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("backchannel", appauthor=False)) / "workspace.sqlite"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: str | None) -> datetime | None:
    """A stored time; None for what cannot be one (a damaged or hand-edited row)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _nearly_full(path: Path) -> bool:
    """Less than a MiB left where the workspace lives."""
    try:
        st = os.statvfs(path.parent if str(path.parent) else ".")
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 2**20


def _sqlite_error(exc: sqlite3.Error, path: Path, holder: str = "") -> BackchannelError:
    text = str(exc)
    if "disk I/O error" in text and _nearly_full(path):  # a full disk can surface as an I/O error
        text = "database or disk is full"
    if "disk is full" in text or isinstance(exc, sqlite3.OperationalError) and "full" in text:
        return BackchannelError("the disk is full (database or disk is full); nothing was changed: free some "
                                "space and run the command again", path=path)
    if "locked" in text or "busy" in text:
        who = holder or "another command"
        return BackchannelError(f"the workspace is busy: {who} is writing to it; wait for it to finish and "
                                "try again", path=path)
    if "readonly" in text or "read-only" in text:
        return _read_only_error(path)
    if "out of memory" in text:
        return BackchannelError("out of memory (SQLite); nothing was changed: close other programs or raise the "
                                "memory limit, and try again", path=path)
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return BackchannelError(f"the workspace file is damaged ({text})", path=path)
    return BackchannelError(f"workspace error ({text})", path=path)


def _read_only_error(path: Path) -> BackchannelError:
    return BackchannelError("the workspace is read-only here: you may read it but not change it (check the "
                            "permissions of the file and its folder)", path=path)


def _writable_here(path: Path) -> bool:
    """Whether this user may write the workspace: the file, and its folder (for SQLite's
    ``-wal`` and ``-shm`` files)."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL database is read through its ``-wal`` and ``-shm`` files,
    which SQLite must find, or be able to create (SQLite's "WAL-mode File Format", section on
    read-only access); when they are absent and the folder is not writable, the database file
    alone holds every change (the last connection to close checkpointed it), so it is opened
    ``immutable``, without locks. A ``-wal`` file that holds changes is never bypassed."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=5, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        wal = Path(str(path) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise BackchannelError(f"cannot read the workspace here while its -wal file holds changes that "
                                   f"SQLite cannot read without write access ({exc}); try again once the command "
                                   "writing to it is done", path=path) from None
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, timeout=5, isolation_level=None,
                           check_same_thread=False)


def make_private_folder(folder: str | os.PathLike[str]) -> Path:
    """``folder`` and any missing parent, each made mode 700 whatever the umask; folders that
    exist are left as they are. Returns the folder."""
    folder = Path(folder)
    missing = []
    here = folder
    while not os.path.lexists(here) and here != here.parent:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs, left as it is
        os.chmod(path, 0o700)
    return folder


_NOTE_BYTES = 4096


def _write_note(path: Path, note: Mapping[str, Any]) -> tuple[Path, int, int] | None:
    """Leave the lock note beside the workspace; None when it cannot be left (it is only a
    courtesy). Created exclusively and never through a link: a stale note, or a link planted
    in its place, is removed (a link is removed, never what it points to); another user's
    file or a folder there is left alone, and no note is written."""
    data = json.dumps(dict(note)).encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(2):
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            try:
                info = os.lstat(path)
                if not (stat.S_ISLNK(info.st_mode) or stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()):
                    return None
                os.unlink(path)  # stale: this command holds the lock, so whoever wrote it does not
            except OSError:
                return None
            continue
        except OSError:
            return None
        try:
            os.write(fd, data)
            info = os.fstat(fd)
            return path, info.st_dev, info.st_ino
        except OSError:
            return None
        finally:
            os.close(fd)
    return None


def _remove_note(note: tuple[Path, int, int] | None) -> None:
    """Remove the note this command wrote, if it is still that file."""
    if note is None:
        return
    path, device, inode = note
    with contextlib.suppress(OSError):
        info = os.lstat(path)
        if (info.st_dev, info.st_ino) == (device, inode):
            os.unlink(path)


def _read_note(path: Path) -> str:
    """The lock note's text; never follows a link nor waits on a pipe (OSError otherwise)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        return os.read(fd, _NOTE_BYTES).decode("utf-8", "replace")
    finally:
        os.close(fd)


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


class Workspace:
    """A backchannel workspace in one SQLite file.

    ``create=True`` (for commands that write) makes a new workspace where there is none;
    otherwise a missing file is an error. ``command`` names the command for the message a
    waiting command shows when this one holds the lock (the command line's words, such as
    ``import linkedin``). ``read_only``: None (the default) opens read-only exactly when the
    file or its folder is not writable here; True always; False never (a write then fails as
    SQLite refuses it).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = False, command: str = "",
                 busy_seconds: float = 180.0, read_only: bool | None = None):
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.command = command
        self.busy_seconds = busy_seconds
        self._depth = 0  # transactions open inside one another
        #: True when this object created the file (see :meth:`remove_if_new`)
        self.created = False
        #: True when opened read-only (see ``read_only`` above): a write is then an error
        self.read_only = False
        self._read_only_wanted = read_only
        self._conn = self._open(create)

    # ------------------------------------------------------------------ opening

    def _open(self, create: bool) -> sqlite3.Connection:
        path, read_only = self.path, self._read_only_wanted
        memory = str(path) == ":memory:"
        fresh = False
        if not memory:
            try:
                info: os.stat_result | None = os.stat(path)
            except (FileNotFoundError, NotADirectoryError):
                info = None
            except OSError as exc:  # a folder on the way this user may not enter, a loop of links
                raise BackchannelError(f"cannot open the workspace ({exc.strerror or exc})", path=path) from None
            if info is not None and stat.S_ISDIR(info.st_mode):
                raise BackchannelError("this is a folder, not a workspace file", path=path)
            if info is None and not os.path.islink(path):
                if not create or read_only:
                    raise NotFoundError(
                        "no workspace here; check --db (or BACKCHANNEL_DB), or start one with "
                        "backchannel import linkedin EXPORT", path=path)
                fresh = self._create_file()
            if not fresh:
                fresh = self._check_is_workspace()
                if fresh and not create:  # an empty file: only a command that writes makes it a workspace
                    raise NotFoundError(
                        "an empty file, not a workspace yet; check --db (or BACKCHANNEL_DB), or start one "
                        "with backchannel import linkedin EXPORT", path=path)
                self.read_only = bool(read_only) if read_only is not None else not _writable_here(path)
                if self.read_only:
                    if fresh:
                        raise _read_only_error(path)
                    return self._open_read_only()
        try:
            return self._connect(fresh, memory)
        except BaseException:
            if self.created:  # (an interrupted or failed creation leaves nothing behind)
                self._unlink_files()
            raise

    def _create_file(self) -> bool:
        """The new, empty workspace file: mode 600 in folders of mode 700 (whatever the umask),
        created exclusively. False when a file (or link) appeared there meanwhile: it is then
        opened as any existing file is, never taken over."""
        path = self.path
        try:
            make_private_folder(path.parent)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            return False
        except OSError as exc:
            raise BackchannelError(f"cannot create the workspace ({exc.strerror or exc})", path=path) from None
        self.created = True
        with contextlib.suppress(OSError):  # (the umask may have taken more than the group's and others')
            os.fchmod(fd, 0o600)
        os.close(fd)
        return True

    def _connect(self, fresh: bool, memory: bool) -> sqlite3.Connection:
        path = self.path
        try:
            conn = sqlite3.connect(str(path), timeout=min(self.busy_seconds, 60), isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(min(self.busy_seconds, 60) * 1000)}")
            conn.execute("PRAGMA foreign_keys = OFF")
            self._conn = conn
            self._migrate(conn, fresh)
            if not memory:
                # switching a new file to WAL does not wait on the busy handler: retry it
                self._retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, path, self._holder()) from None
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """A connection that only reads, for a workspace this user may not write."""
        path = self.path
        try:
            conn = _connect_read_only(path)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only = 1")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, path) from None
        if version > SCHEMA_VERSION:
            conn.close()
            raise BackchannelError(
                f"workspace schema {version} is newer than this backchannel ({SCHEMA_VERSION}); upgrade backchannel",
                path=path)
        if version != SCHEMA_VERSION or app_id != APPLICATION_ID:
            conn.close()
            raise BackchannelError("the workspace is from an older backchannel and must be upgraded, which needs "
                                   "write access: run any command that writes (such as backchannel plan --at now "
                                   "as its owner, or import) where it is writable", path=path)
        return conn

    def _unlink_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-writer"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    def remove_if_new(self) -> bool:
        """Close, and delete the workspace when this object created it and it still holds
        nothing (a first command that failed leaves no workspace behind). True when deleted.

        A workspace another command has written to meanwhile is kept.
        """
        if not self.created:
            return False
        self.created = False
        try:
            tables = [r[0] for r in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            if any(self._conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables):
                return False
        except sqlite3.Error:
            pass  # nothing readable in it: nothing to keep
        self.close()
        self._unlink_files()
        return True

    def _check_is_workspace(self) -> bool:
        """Refuse any file that is not a workspace, before changing a byte of it. True when
        the file is empty (a workspace being created)."""
        path = self.path
        try:
            with open(path, "rb") as handle:
                header = handle.read(100)
        except OSError as exc:
            raise BackchannelError(f"cannot open the workspace ({exc.strerror or exc})", path=path) from None
        if not header:
            return True
        if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
            raise BackchannelError("not a backchannel workspace (not an SQLite file); check --db", path=path)
        app_id = int.from_bytes(header[68:72], "big")
        if app_id == APPLICATION_ID:
            return False
        if app_id == 0:
            tables = self._tables_read_only()
            if tables is not None and (not tables or tables >= _V1_TABLES):
                return not tables
        raise BackchannelError("not a backchannel workspace (an SQLite database of another application); "
                               "it was left as it is: check --db", path=path)

    def _tables_read_only(self) -> set[str] | None:
        try:
            conn = _connect_read_only(self.path)
            try:
                return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                conn.close()
        except sqlite3.Error:
            return None

    def _migrate(self, conn: sqlite3.Connection, fresh: bool) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BackchannelError(
                f"workspace schema {version} is newer than this backchannel ({SCHEMA_VERSION}); upgrade backchannel",
                path=self.path)
        if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
            return
        with self.transaction() as tx:
            version = tx.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        tx.execute(statement)
            else:
                if version == 1:
                    _migrate_v1_to_v2(tx)
                    version = 2
                if version == 2:
                    _migrate_v2_to_v3(tx)
            tx.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            tx.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions and locks

    def _holder_path(self) -> Path:
        return Path(str(self.path) + "-writer")

    def _holder(self) -> str:
        """Who holds the write lock, from the note a writing command leaves beside the file."""
        if str(self.path) == ":memory:":
            return ""
        try:
            note = json.loads(_read_note(self._holder_path()))
            pid = int(note["pid"])
            os.kill(pid, 0)
        except (OSError, ValueError, KeyError, TypeError):
            return ""
        command = str(note.get("command") or "a backchannel command")
        since = str(note.get("since", ""))[11:19]
        return f"`backchannel {command}` (process {pid}, since {since} UTC)" if since else \
            f"`backchannel {command}` (process {pid})"

    def _retry_busy(self, step: Any) -> Any:
        """Run a step SQLite may refuse while another process holds a lock, with backoff."""
        deadline = time.monotonic() + self.busy_seconds
        pause = 0.05
        while True:
            try:
                return step()
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One writing transaction: all of it happens, or none of it. Inside another, it is
        part of that one (the outer one commits or rolls back the whole)."""
        conn = self._conn
        if self._depth:
            self._depth += 1
            try:
                yield conn
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self._outermost() as tx:
                yield tx
        finally:
            self._depth = 0

    @contextmanager
    def _outermost(self) -> Iterator[sqlite3.Connection]:
        """One writing transaction: all of it happens, or none of it."""
        if self.read_only:
            raise _read_only_error(self.path)
        conn = self._conn
        try:
            self._retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path, self._holder()) from None
        # wall-clock time on purpose: it tells a person waiting how long the lock has been held
        note = None if str(self.path) == ":memory:" else _write_note(
            self._holder_path(), {"pid": os.getpid(), "command": self.command,
                                  "since": datetime.now(timezone.utc).isoformat()})
        try:
            try:
                yield conn
                _remove_note(note)  # while the lock is held: the next writer's note is never touched
                conn.execute("COMMIT")
            except BaseException:
                _remove_note(note)
                if conn.in_transaction:
                    # a rollback error must never hide the error that caused it
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path, self._holder()) from None

    def cached_ranking(self, interview_id: str) -> list[dict[str, Any]] | None:
        """The ranking as of an interview, as the last writing command left it (None when
        people or the interview changed since)."""
        rows = self._rows("SELECT rows FROM rank_cache WHERE interview_id = ?", (interview_id,))
        if not rows:
            return None
        try:
            return list(json.loads(rows[0]["rows"]))
        except ValueError:
            return None

    def store_rankings(self, rankings: Mapping[str, list[dict[str, Any]]]) -> None:
        """Keep rankings worked out right after a change (by the command that made it)."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO rank_cache(interview_id, rows) VALUES (?,?)",
                             [(k, json.dumps(v, ensure_ascii=False, default=str)) for k, v in rankings.items()])

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """Rows as plain dicts."""
        try:
            cursor = self._conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path, self._holder()) from None
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return next(iter(rows[0].values())) if rows else None

    # ------------------------------------------------------------------ owners

    def self_owner(self) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM owners WHERE is_self = 1")
        return rows[0] if rows else None

    def your_name(self) -> str:
        """Your name as your export gives it ("" before an export, or when it gives none)."""
        me = self.self_owner()
        return me["name"] if me is not None and me["name"] != "me" else ""

    def your_positions(self) -> list[dict[str, Any]]:
        """Your positions (Positions.csv), none before an export."""
        me = self.self_owner()
        return self.owner_positions(me["id"]) if me is not None else []

    def owners(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM owners ORDER BY is_self DESC, name")

    def owner_positions(self, owner_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM owner_positions WHERE owner_id = ?", (owner_id,))

    # ------------------------------------------------------------------ importing an export

    def import_export(self, export: Any, *, owner: str | None = None, aliases: Mapping[str, str] | None = None,
                      now: datetime, progress: Any = None) -> ImportSummary:
        """Store an export (``readers.export.ExportData``) in one transaction, then match
        the interview people again against the connections it brings.

        Only the kinds of file the export holds change, and of those only the ones not older
        than what the workspace has (see the module docstring); the summary says, kind by
        kind, what was replaced and what was kept.
        """
        from .ingest import connection_lookup

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
        from .ingest import KnownPeople

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
        from .ingest import plan_people

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
        from .ingest import attribute_facts, co_thread_rows

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

    def _upsert_owner(self, conn: sqlite3.Connection, name: str, is_self: bool, export: Any, now: datetime) -> int:
        if is_self:
            row = conn.execute("SELECT id FROM owners WHERE is_self = 1").fetchone()
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

    # ------------------------------------------------------------------ people

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

    # ------------------------------------------------------------------ interviews

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
        from .ingest import describe_match, resolve_interview_people

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

    def known_messages(self) -> set[tuple[str, str, str]]:
        """(message hash, interview, person) of every message read into the log, or whose event
        was undone."""
        return {(r[0], r[1], r[2]) for r in self._conn.execute(
            "SELECT message, interview_id, person_slug FROM touch_events WHERE message IS NOT NULL UNION "
            "SELECT message, interview_id, person_slug FROM undone_messages")}


def _outcomes(value: str | None) -> list[tuple[str, datetime]]:
    """The stored outcomes of an interview (a damaged entry is left out)."""
    try:
        rows = json.loads(value or "[]")
    except ValueError:
        return []
    out = []
    for entry in rows if isinstance(rows, list) else []:
        when = _when(entry[1]) if isinstance(entry, list) and len(entry) == 2 else None
        if when is not None:
            out.append((str(entry[0]), when))
    return out


def _edits(value: str | None) -> dict[str, str]:
    try:
        found = json.loads(value or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _person_from_row(p: Mapping[str, Any]) -> InterviewPerson:
    return InterviewPerson(
        slug=p["slug"], role=p["role"], name=p["name"], profile_url=p["profile_url"], email=p["email"],
        title=p["title"], works_at=p["works_at"], interests=json.loads(p["interests"] or "[]"),
        mutuals=json.loads(p["mutuals"] or "[]"), notes=p["notes"], topic=p["topic"], language=p["language"],
        extra=json.loads(p["extra"] or "{}"), line=p["line"], person_id=p["person_id"],
        match_status=p["match_status"], match_via=p["match_via"], match_detail=json.loads(p["match_detail"] or "[]"),
        edited=_edits(p.get("edited")))


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


def _day(value: str | None) -> date | None:
    """A stored day (``YYYY-MM-DD``); None for none or a damaged one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


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
    from .readers.export import FILE_NAMES

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
    from .identity import email_address, normalise_company, normalise_name, profile_key

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
    from .identity import normalise_company, normalise_name, profile_key

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
