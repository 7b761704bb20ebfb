"""Counting rows per distinct key, as integer codes into Arrow dictionaries (messages.csv's tally).

A :class:`Tally` takes the key columns of rows block by block (Arrow strings) with each row's
date, and counts the rows per distinct key with their first and last date. Memory holds each
distinct value about once, whatever the file's size: the rows of a few blocks wait as they
are, then are coded on dictionaries of their own and counted together (:func:`reduce_rows`);
a column's dictionaries are kept one after the other and joined into one when they have grown
to twice what the last join left, and at the end. Each join costs what it joins, so the whole
stays linear in the file whatever repeats where.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import POOL, Column, chunks_of, ints, string_array

__all__ = ["Tally", "Counted", "combine_codes", "reduce_rows"]

_NEVER = np.iinfo(np.int64)


@dataclass
class Counted:
    """Rows counted per distinct key: for each key column, the code of each group and the
    column's distinct values; per group, the rows and the first and last date."""

    coded: list[tuple[np.ndarray, pa.Array]]
    count: np.ndarray
    first: np.ndarray
    last: np.ndarray


def combine_codes(codes: list[np.ndarray]) -> np.ndarray:
    """One integer per row that is equal exactly when the codes of every column are.

    >>> combine_codes([np.array([0, 1, 0]), np.array([2, 2, 2])]).tolist()
    [2, 5, 2]
    """
    group = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64)
    room = 1
    for column in codes:
        size = int(column.max()) + 1 if len(column) else 1
        if room * size >= 1 << 62:
            # renumbered densely, so that the product stays in 64 bits
            group = np.unique(group, return_inverse=True)[1].reshape(-1)
            room = int(group.max()) + 1 if len(group) else 1
        group = group * size + column
        room *= size
    return group


def reduce_rows(codes: list[np.ndarray], count: np.ndarray | None, first: np.ndarray,
                last: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Rows with the same codes in every column in one: counts add up (one per row when
    ``count`` is None), the first date is the earliest, the last the latest."""
    _, at, group = np.unique(combine_codes(codes), return_index=True, return_inverse=True)
    group = group.reshape(-1)
    k = len(at)
    if count is None:
        counts = np.bincount(group, minlength=k).astype(np.int64)
    else:
        counts = np.bincount(group, weights=count, minlength=k).astype(np.int64)
    firsts = np.full(k, _NEVER.max, dtype=np.int64)
    np.minimum.at(firsts, group, first)
    lasts = np.full(k, _NEVER.min, dtype=np.int64)
    np.maximum.at(lasts, group, last)
    return [column[at] for column in codes], counts, firsts, lasts


class Tally:
    """The running count of rows per distinct key (see the module docstring).

    Parameters
    ----------
    n_keys
        The key columns each :meth:`add` gives.
    join_rows
        Rows that wait before they are coded and counted; also the least a column's
        dictionaries grow to before they are joined.
    """

    def __init__(self, n_keys: int, join_rows: int):
        self.join_rows = join_rows
        self.columns = [_Codes(join_rows) for _ in range(n_keys)]
        self.counted: list[tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]] = []
        self.pending: list[tuple[list[Column], np.ndarray]] = []
        self.pending_rows = 0

    def add(self, columns: list[Column], seconds: np.ndarray) -> None:
        """Rows: their key columns and their dates (seconds since 1970)."""
        self.pending.append((columns, seconds))
        self.pending_rows += len(seconds)
        if self.pending_rows >= self.join_rows:
            self._count_pending()

    def _count_pending(self) -> None:
        codes = []
        for i, column in enumerate(self.columns):
            codes.append(column.code(pa.chunked_array([c for columns, _ in self.pending for c in chunks_of(columns[i])])))
        seconds = np.concatenate([s for _, s in self.pending])
        self.pending, self.pending_rows = [], 0
        self.counted.append(reduce_rows(codes, None, seconds, seconds))
        for i, column in enumerate(self.columns):
            if column.due():
                remap = column.join()
                for part in self.counted:
                    part[0][i] = remap[part[0][i]]

    def finish(self) -> Counted:
        """Every row counted: one group per distinct key."""
        if self.pending:
            self._count_pending()
        if not self.counted:
            none = np.zeros(0, dtype=np.int64)
            return Counted([(none, string_array([])) for _ in self.columns], none, none, none)
        codes = []
        for i, column in enumerate(self.columns):
            remap = column.join()
            codes.append(remap[np.concatenate([part[0][i] for part in self.counted])])
        count, first, last = (np.concatenate([part[k] for part in self.counted]) for k in (1, 2, 3))
        self.counted = []
        codes, count, first, last = reduce_rows(codes, count, first, last)
        return Counted([(c, column.values()) for c, column in zip(codes, self.columns, strict=True)],
                       count, first, last)


def _indices(encoded: Column) -> tuple[np.ndarray, pa.Array]:
    """The codes and the dictionary of a dictionary-encoded column (its chunks share one)."""
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if not chunks:
        return np.zeros(0, dtype=np.int64), string_array([])
    return np.concatenate([ints(c.indices).astype(np.int64) for c in chunks]), chunks[0].dictionary


class _Codes:
    """The dictionaries of one key column: values coded so far, in parts."""

    def __init__(self, join_rows: int) -> None:
        self.parts: list[pa.Array] = []
        self.size = 0  # values in the parts
        self.joined = 0  # distinct values the last join left
        self.join_rows = join_rows

    def code(self, column: Column) -> np.ndarray:
        """Codes for a column's values (a value already met may get a new code until the next join)."""
        encoded = pc.dictionary_encode(column, memory_pool=POOL)
        codes, dictionary = _indices(encoded)
        self.parts.append(dictionary)
        self.size += len(dictionary)
        return codes + (self.size - len(dictionary))

    def due(self) -> bool:
        return self.size > max(2 * self.joined, self.join_rows)

    def join(self) -> np.ndarray:
        """One dictionary of distinct values; returns the new code of each old code."""
        encoded = pc.dictionary_encode(pa.chunked_array(self.parts, type=pa.string()), memory_pool=POOL)
        codes, dictionary = _indices(encoded)
        self.parts = [dictionary]
        self.size = self.joined = len(dictionary)
        return codes

    def values(self) -> pa.Array:
        assert len(self.parts) <= 1
        return self.parts[0] if self.parts else string_array([])
