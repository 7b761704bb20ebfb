"""The workspace's file and its neighbours: where it lives by default, private folders, opening
it read-only, SQLite's errors as :class:`~backchannel.errors.BackchannelError`, and the lock
note (``<workspace>-writer``) that says which command holds the write lock."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import BackchannelError


def default_db_path() -> Path:
    env = os.environ.get("BACKCHANNEL_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("backchannel", appauthor=False)) / "workspace.sqlite"


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
