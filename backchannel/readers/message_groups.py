"""messages.csv counted per (conversation, sender, recipients): :class:`MessageGroups`.

What :func:`~backchannel.readers.messages.count_messages` leaves and
:func:`~backchannel.readers.correspondents.message_facts` works on: a small fraction of the
file's rows (a conversation has a handful of senders and recipient lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pyarrow as pa

from ..domain import SkipLog

__all__ = ["MessageGroups", "RecentMessage"]


@dataclass
class MessageGroups:
    """messages.csv counted per (conversation, sender, recipients).

    ``keys`` maps each key column the file has (``conv``, ``sender``, ``recipients`` when
    it has profile addresses; ``conv``, ``direction``, ``from``, ``to`` for the 2018 file
    with names only) to the code of each group in that column and the column's distinct
    values (an Arrow string array). ``count``, ``first`` and ``last`` are per group; dates
    are seconds since 1970, UTC.
    """

    keys: dict[str, tuple[np.ndarray, pa.Array]]
    count: np.ndarray
    first: np.ndarray
    last: np.ndarray
    has_urls: bool
    skipped: SkipLog = field(default_factory=SkipLog)
    warnings: list[str] = field(default_factory=list)  # bytes not in the file's encoding, replaced
    #: each message from ``since`` on, as it is (see :func:`~backchannel.readers.messages.count_messages`)
    recent: list[tuple[str, str, str, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.count)

    def rows(self) -> list[tuple[str, ...]]:
        """Each group as ``(*keys, count, first, last)`` in Python values (for tests and notebooks)."""
        columns = []
        for codes, values in self.keys.values():
            distinct = values.to_pylist()
            columns.append([distinct[c] for c in codes.tolist()])
        return [(*key, n, a, b) for *key, n, a, b in zip(*columns, self.count.tolist(), self.first.tolist(),
                                                         self.last.tolist(), strict=True)]


@dataclass(frozen=True)
class RecentMessage:
    """One LinkedIn message, as :mod:`backchannel.inbox` reads a message: who (profile keys),
    when, and a hash that knows it again in a newer export (of its conversation, sender,
    time and recipients: never what it says). Everyone it went to is in ``To``."""

    message_hash: str
    sent_at: datetime
    sender: str
    recipients: tuple[str, ...]
    automatic: bool = False

    @property
    def addressed(self) -> int:
        return len(self.recipients)

    @property
    def written_to(self) -> tuple[str, ...]:
        return self.recipients
