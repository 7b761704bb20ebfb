"""Where each row of a CSV read by Arrow is: the physical line it starts on, or its row.

Arrow numbers every row in turn, the invalid ones too, and reports invalid rows (another
number of fields than the header) as it parses them, which can be a block ahead of the batch it
returns. :class:`RowPlaces` puts them back in order: with ``count_lines``, the line breaks
inside rows give the line each starts on; else rows are numbered as a spreadsheet numbers them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import text_breaks

__all__ = ["RowPlaces", "InvalidRow"]


class RowPlaces:
    """Where each row is. Arrow numbers every row in turn, the invalid ones too, and reports
    invalid rows as it parses them, which can be a block ahead of the batch it returns; with
    ``count_lines``, the line breaks inside rows give the line each starts on."""

    def __init__(self, first: int, *, count_lines: bool):
        self.count_lines = count_lines
        self.next = first  # the line (or row) of the next row
        self.next_row = 1  # Arrow's number for the next row
        self.last = first  # the line (or row) of the last row so far
        self.end_seen = False
        self.pending: list[tuple[int, str, int]] = []  # invalid rows not yet placed: (number, text, fields)

    def place(self, breaks: np.ndarray, *, final: bool = False) -> tuple[np.ndarray, list[InvalidRow]]:
        """The place of each of a batch's valid rows (``breaks`` line breaks inside each),
        and the invalid rows that come before or among them (all that are left when
        ``final``)."""
        n = len(breaks)
        self.pending.sort()
        placed: list[tuple[int, int, str, int]] = []  # (position in the batch, ...)
        while self.pending:
            number, text, fields = self.pending[0]
            at = number - self.next_row
            if placed:
                at = max(at, placed[-1][0] + 1)
            at = max(at, 0)
            if at > n + len(placed) and not final:
                break  # a row of a later batch
            at = min(at, n + len(placed))
            placed.append((at, number, text, fields))
            self.pending.pop(0)
        total = n + len(placed)
        spans = np.ones(total, dtype=np.int64)
        is_invalid = np.zeros(total, dtype=bool)
        invalid_breaks = [text_breaks(text) for _a, _n, text, _f in placed]
        if placed:
            positions = np.array([a for a, _n, _t, _f in placed], dtype=np.int64)
            is_invalid[positions] = True
            if self.count_lines:
                spans[positions] += invalid_breaks
        if self.count_lines:
            spans[~is_invalid] += breaks
        starts = self.next + np.concatenate(([0], np.cumsum(spans)[:-1])) if total else spans
        invalid = [InvalidRow(int(number), more, fields)
                   for number, more, (_a, _n, _t, fields) in zip(starts[is_invalid], invalid_breaks, placed,
                                                                 strict=True)]
        if total:
            self.last = int(starts[-1])
            self.next += int(spans.sum())
            self.next_row += total
        return starts[~is_invalid].astype(np.int64), invalid


@dataclass
class InvalidRow:
    number: int  # its line, or its row
    breaks: int  # line breaks inside the row
    fields: int

