"""What every part of the workspace stands on: opening the file (refusing any other, creating
it, migrating it), transactions and the write lock, reads as plain rows, the rankings cached
after a change, and the owners."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import BackchannelError, NotFoundError
from .files import (
    _connect_read_only,
    _read_note,
    _read_only_error,
    _remove_note,
    _sqlite_error,
    _writable_here,
    _write_note,
    default_db_path,
    make_private_folder,
)
from .migrations import _migrate_v1_to_v2, _migrate_v2_to_v3
from .schema import _SQLITE_MAGIC, _V1_TABLES, APPLICATION_ID, SCHEMA, SCHEMA_VERSION


class WorkspaceStore:
    """The base of :class:`~backchannel.workspace.Workspace` (whose docstring says what the
    arguments mean): the connection, its transactions and plain reads, which the parts that
    import, read people and keep interviews build on."""

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
        for suffix in ("", "-journal", "-wal", "-shm", "-writer"):
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
