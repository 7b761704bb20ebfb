"""Dates of a whole column at once, as an export writes them: seconds since 1970, UTC.

messages.csv writes ``YYYY-MM-DD HH:MM:SS UTC`` (2021 on): that shape is read with numpy from
the column's bytes, and checked as Python's datetime checks a date (no 30 February, no hour
24). Any other text (a 2018 export's ``3/7/18, 9:05 PM``) goes to
:func:`~backchannel.times.parse_export_date`, once per distinct value.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..times import parse_export_date
from .arrays import POOL, Column, bool_array, bools, chunks_of, int_array, ints, string_array

__all__ = ["parse_dates", "when"]

_EPOCH = datetime(1970, 1, 1)


def when(seconds: int | None) -> datetime | None:
    """The naive UTC datetime of seconds since 1970 (None stays None)."""
    return None if seconds is None else _EPOCH + timedelta(seconds=seconds)


def parse_dates(dates: Column) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 (UTC) for each date, and whether it was readable.

    >>> seconds, ok = parse_dates(string_array(["2024-10-26 11:43:11 UTC", "3/7/18, 9:05 PM",
    ...                                         "2024-02-30 10:00:00 UTC", "2024-10-16 09:00+01 UTC", ""]))
    >>> [when(s) if k else None for s, k in zip(seconds.tolist(), ok.tolist())]
    [datetime.datetime(2024, 10, 26, 11, 43, 11), datetime.datetime(2018, 3, 7, 21, 5), None, None, None]
    """
    shaped = [_utc_shape(chunk) for chunk in chunks_of(dates)]
    seconds = np.concatenate([s for s, _ in shaped]) if len(shaped) != 1 else shaped[0][0]
    ok = np.concatenate([k for _, k in shaped]) if len(shaped) != 1 else shaped[0][1]
    if ok.all():
        return seconds, ok
    rest = np.flatnonzero(~ok)
    others = pc.take(dates, int_array(rest), memory_pool=POOL)
    distinct = pc.unique(others, memory_pool=POOL).to_pylist()
    readable = [(text, found) for text in distinct if (found := parse_export_date(text)) is not None]
    if readable:
        found_at = pc.index_in(others, value_set=string_array([t for t, _ in readable]), memory_pool=POOL)
        hit = bools(pc.is_valid(found_at, memory_pool=POOL))
        values = np.array([int((found - _EPOCH).total_seconds()) for _, found in readable], dtype=np.int64)
        seconds[rest[hit]] = values[ints(pc.filter(found_at, bool_array(hit), memory_pool=POOL))]
        ok[rest[hit]] = True
    return seconds, ok


_SHAPE = b"0000-00-00 00:00:00 UTC"
_DIGITS = np.array([c == ord("0") for c in _SHAPE])
_FIXED = ~_DIGITS
_FIXED_CHARS = np.frombuffer(_SHAPE, dtype=np.uint8)[_FIXED]
# where year, month, day, hour, minute and second are among the shape's digits
_FIELDS = ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _utc_shape(dates: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Dates of the exact shape ``YYYY-MM-DD HH:MM:SS UTC`` read with numpy: seconds since
    1970 and whether each date had that shape and a real day and time in it."""
    n = len(dates)
    width = len(_SHAPE)
    offsets = np.frombuffer(dates.buffers()[1], dtype=np.int32, count=n + 1, offset=dates.offset * 4)
    data = dates.buffers()[2]
    if data is None or not n:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    text = np.frombuffer(data, dtype=np.uint8)
    rows = None  # every row, or those of the shape's length
    if offsets[-1] - offsets[0] == n * width and (np.diff(offsets) == width).all():
        # every date has the shape's length (the usual case): the column is a matrix as it is
        chars = text[offsets[0]:offsets[-1]].reshape(n, width)
    else:
        rows = np.flatnonzero(np.diff(offsets) == width)
        chars = text[offsets[rows][:, None] + np.arange(width, dtype=np.int32)]
    digits = chars[:, _DIGITS] - np.uint8(48)  # wraps below '0': any byte not a digit is over 9
    good = (chars[:, _FIXED] == _FIXED_CHARS).all(axis=1) & (digits <= 9).all(axis=1)
    year, month, day, hour, minute, second = (_number(digits, start, end) for start, end in _FIELDS)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    good &= (year >= 1) & (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59) & (second <= 59)
    good &= (day >= 1) & (day <= _DAYS_IN_MONTH[np.clip(month, 0, 12)] + (leap & (month == 2)))
    seconds = np.where(good, _days_since_1970(year, month, day) * 86400 + hour * 3600 + minute * 60 + second, 0)
    if rows is None:
        return seconds, good
    all_seconds, ok = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    all_seconds[rows], ok[rows] = seconds, good
    return all_seconds, ok


def _number(digits: np.ndarray, start: int, end: int) -> np.ndarray:
    """The decimal number the digit columns ``start`` to ``end`` of each row write."""
    value = digits[:, start].astype(np.int32)
    for k in range(start + 1, end):
        value = value * 10 + digits[:, k]
    return value


def _days_since_1970(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's ``days_from_civil``)."""
    y = (year - (month <= 2)).astype(np.int64)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
