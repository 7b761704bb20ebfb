"""The user's own addresses, from a LinkedIn export's ``Email Addresses.csv``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .headers import _clean_address

if TYPE_CHECKING:
    from ..table import CsvTable

__all__ = ["export_addresses"]

def _is_addresses_name(name: str) -> bool:
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower().replace("_", " ").strip() == "email addresses.csv"


def _is_addresses_header(cells: list[str]) -> bool:
    low = {c.lower() for c in cells}
    return "email address" in low and "primary" in low


def export_addresses(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The user's own addresses from a LinkedIn export's ``Email Addresses.csv`` (header
    ``Email Address,Confirmed,Primary,Updated On``): the primary one first, then the
    confirmed ones, then the rest, in the file's order, lower-cased, each once; text that is
    not an address is left out. ``path`` is the export's ZIP, its folder or the CSV itself;
    an export without the file gives ``()``.

    Raises :class:`~backchannel.errors.InputError` for a file that is not that table.
    """
    # imported here: the export readers bring pyarrow and numpy (70 MiB, 0.1 s), which
    # read_mail does not need
    from ..export import ExportSource
    from ..table import read_csv
    from ..text import LIMITS

    source = ExportSource(Path(path), LIMITS)
    try:
        named = sorted((name for name in source.files if _is_addresses_name(name)),
                       key=lambda n: (n.count("/"), n))
        if source.single:
            named = list(source.files)  # a CSV given by itself: its header says whether it is one
        if not named:
            return ()
        file = source.files[named[0]]

        def read(table: CsvTable) -> list[tuple[str, str, str]]:
            rows: list[tuple[str, str, str]] = []
            for block in table.blocks(["email address", "confirmed", "primary"]):
                rows.extend(zip(block.strings("email address"), block.strings("confirmed"),
                                block.strings("primary"), strict=True))
            return rows

        rows = read_csv(file.opener, file.display, _is_addresses_header, read,
                        what="Email Addresses.csv (Email Address, Confirmed, Primary, Updated On)")
    finally:
        source.close()
    ranked: list[tuple[int, int, str]] = []
    for i, (address, confirmed, primary) in enumerate(rows):
        clean = _clean_address(address)
        if clean:
            rank = 0 if primary.strip().lower() == "yes" else 1 if confirmed.strip().lower() == "yes" else 2
            ranked.append((rank, i, clean))
    return tuple(dict.fromkeys(address for _rank, _i, address in sorted(ranked)))
