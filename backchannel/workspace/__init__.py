"""The SQLite workspace: schema, migrations, transactions, typed reads and writes.

The only package that speaks SQL (and imports ``sqlite3``). Its errors reach the rest of the
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

The package's parts: ``schema`` (the SQL, version and fact columns), ``migrations`` (older
schemas moved to this one), ``files`` (the file, its folder, read-only opening, SQLite's errors,
the lock note), ``rows`` (stored values read back), ``store`` (opening, transactions, plain
reads, owners), and what :class:`Workspace` combines: ``imports`` (an export), ``people`` (the
people queries and graph rows), ``interviews`` (interviews and the touch log).
"""

from __future__ import annotations

from .files import default_db_path, make_private_folder
from .imports import ExportImports, ImportSummary, KindImport
from .interviews import InterviewsAndLog
from .people import PeopleReads
from .schema import APPLICATION_ID, FACT_COLUMNS, SCHEMA_VERSION
from .schema import CONNECTION_TABLE_FIELDS as CONNECTION_TABLE_FIELDS
from .schema import INTERACTION_FIELDS as INTERACTION_FIELDS

__all__ = ["Workspace", "ImportSummary", "KindImport", "default_db_path", "make_private_folder", "SCHEMA_VERSION",
           "APPLICATION_ID", "FACT_COLUMNS"]


class Workspace(ExportImports, PeopleReads, InterviewsAndLog):
    """A backchannel workspace in one SQLite file.

    ``create=True`` (for commands that write) makes a new workspace where there is none;
    otherwise a missing file is an error. ``command`` names the command for the message a
    waiting command shows when this one holds the lock (the command line's words, such as
    ``import linkedin``). ``read_only``: None (the default) opens read-only exactly when the
    file or its folder is not writable here; True always; False never (a write then fails as
    SQLite refuses it).
    """

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
