"""Where an export's files are: the ZIP as downloaded, the unpacked folder, a folder one level
down, or a single CSV, seen as a set of named files.

File names are matched case-insensitively with ``_`` for space (``Rich_Media.csv`` is
``Rich Media.csv``); ZIP members are read where they are, never written to disk, after their
declared sizes are checked (a ZIP bomb is refused before a byte is inflated). The export's own
date comes from the name LinkedIn gives it (:func:`export_date`).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

from ..errors import InputError
from .limits import LIMITS, Limits, describe_size

__all__ = ["KNOWN_FILES", "file_kind", "export_date", "ExportFile", "ExportSource"]

#: normalised file name -> the kind of data read from it; any other file is listed as ignored
KNOWN_FILES = {
    "connections.csv": "connections",
    "messages.csv": "messages",
    "invitations.csv": "invitations",
    "recommendations received.csv": "recommendations_received",
    "recommendations given.csv": "recommendations_given",
    "endorsement received info.csv": "endorsements_received",
    "endorsement given info.csv": "endorsements_given",
    "profile.csv": "profile",
    "positions.csv": "positions",
}
_EXPORT_DATE = re.compile(r"LinkedInDataExport_(\d{1,2})-(\d{1,2})-(\d{4})", re.IGNORECASE)


def export_date(path: str | os.PathLike[str]) -> date | None:
    """The day an export was made, from the name LinkedIn gives it
    (``Basic_LinkedInDataExport_MM-DD-YYYY``, month first), on the path or a folder above.

    >>> export_date("/tmp/Basic_LinkedInDataExport_11-20-2026.zip"), export_date("Complete_LinkedInDataExport_02-30-2026")
    (datetime.date(2026, 11, 20), None)
    >>> export_date("Basic_LinkedInDataExport_07-11-2023/Connections.csv"), export_date("Connections.csv")
    (datetime.date(2023, 7, 11), None)
    """
    for part in reversed(Path(path).parts):
        found = _EXPORT_DATE.search(part)
        if found:
            month, day, year = (int(g) for g in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def file_kind(name: str) -> str | None:
    """The kind of an export file from its name; case and ``_``/space do not matter.

    >>> file_kind("Basic_LinkedInDataExport/Endorsement_Received_Info.csv"), file_kind("coach_messages.csv")
    ('endorsements_received', None)
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return KNOWN_FILES.get(base.lower().replace("_", " ").strip())



@dataclass(frozen=True)
class ExportFile:
    """One file of an export: its name as listed, its name in messages, its (declared) size."""

    name: str
    display: str
    size: int
    opener: Callable[[], BinaryIO] = field(repr=False)


class _Member:
    """A ZIP member being read: damage found while inflating it is an InputError."""

    def __init__(self, raw: IO[bytes], display: str):
        self._raw = raw
        self._display = display

    def read(self, n: int = -1) -> bytes:
        try:
            return self._raw.read(n)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=self._display) from None

    def close(self) -> None:
        self._raw.close()


class ExportSource:
    """A folder, a ZIP or a single CSV, seen as a set of named files."""

    def __init__(self, path: Path, limits: Limits = LIMITS):
        self.path = path
        self.limits = limits
        self.single = False  # a lone CSV, read as Connections.csv whatever its name
        self.files: dict[str, ExportFile] = {}
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self._scan_folder(path)
        elif path.is_file() and zipfile.is_zipfile(path):
            self._scan_zip(path)
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                raise InputError("truncated or damaged ZIP archive; download the export again", path=path)
            self.files[path.name] = self._file(path)
            self.single = True
        elif not path.exists():
            raise InputError("no such file or folder", path=path)
        else:
            raise InputError("not a LinkedIn export (expected a .zip, a folder or Connections.csv)", path=path)

    @staticmethod
    def _file(path: Path) -> ExportFile:
        return ExportFile(path.name, str(path), path.stat().st_size, lambda: open(path, "rb"))  # noqa: SIM115

    def _scan_folder(self, root: Path) -> None:
        found = {p.name: p for p in root.iterdir() if p.is_file()}
        if not any(file_kind(n) == "connections" for n in found):
            # an export unpacked into a folder of its own, or with a Jobs/ folder beside it
            subs = [d for d in root.iterdir() if d.is_dir() and any(
                file_kind(p.name) == "connections" for p in d.iterdir() if p.is_file())]
            if len(subs) == 1:
                found = {p.name: p for p in subs[0].iterdir() if p.is_file()}
        self.files = {name: self._file(p) for name, p in found.items()}

    def _scan_zip(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=path) from None
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise InputError("the archive is password-protected; LinkedIn's export is not: download it again",
                                 path=path)
            if file_kind(info.filename) is None:
                self.files[info.filename] = self._member(info)
                continue
            if info.file_size > self.limits.max_file_bytes:
                raise InputError(
                    f"{info.filename} would inflate to {info.file_size // 1024**2} MiB, over the "
                    f"{describe_size(self.limits.max_file_bytes)} limit; refusing a possible ZIP bomb", path=path)
            total += info.file_size
            # a LinkedIn file is never deeper than one folder
            if info.filename.count("/") <= 1:
                self.files.setdefault(info.filename, self._member(info))
        if total > self.limits.max_archive_bytes:
            raise InputError("the archive inflates to more than the size limit; refusing a possible ZIP bomb",
                             path=path)

    def _member(self, info: zipfile.ZipInfo) -> ExportFile:
        archive, display = self._zip, f"{self.path}!{info.filename}"
        assert archive is not None

        def open_member() -> BinaryIO:
            try:
                return _Member(archive.open(info), display)  # type: ignore[return-value]
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                raise InputError(f"damaged ZIP archive ({exc}); download the export again", path=display) from None
            except (NotImplementedError, RuntimeError) as exc:
                raise InputError(f"cannot read this file from the archive ({exc}); download the export again",
                                 path=display) from None

        return ExportFile(info.filename, display, info.file_size, open_member)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

