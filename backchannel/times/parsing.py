"""Dates and times read from files and from what people type.

The shapes LinkedIn's export writes (:func:`parse_export_date`, naive UTC), and what a person
types or a spreadsheet saves (:func:`parse_user_time`): ISO 8601 with or without an offset,
``11/24/2026 14:00``, ``24.11.2026 14:00``, ``2026-11-24 14:00``. Whether ``03/04/2026`` is
day-first or month-first is decided per file (:func:`decide_day_first`) and refused when
nothing tells. Every date a user gives lies between 1900 and 2200 (:func:`check_bounds`), so
that no later computation on it can overflow. A stored time is read back as naive UTC by
:func:`utc_naive`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo  # noqa: F401 (the examples use it)

from ..errors import BackchannelError
from .zones import zone_from_name

__all__ = ["MIN_YEAR", "MAX_YEAR", "DEFAULT_INTERVIEW_TIME", "parse_export_date", "parse_user_time",
           "decide_day_first", "check_bounds", "utc_naive"]

MIN_YEAR, MAX_YEAR = 1900, 2200
DEFAULT_INTERVIEW_TIME = time(17, 0)  # an interview date given without a time

# --------------------------------------------------------------------------- export dates

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3})[a-z]*\.?[ \-,]+(\d{2}|\d{4})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(?:\s*(?:UTC|Z))?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_JAVA = re.compile(r"^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$")
_MON_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


@lru_cache(maxsize=65536)
def parse_export_date(value: str) -> datetime | None:
    """Parse any date shape seen in LinkedIn exports; None when it is not a date.

    >>> parse_export_date("05 Jun 2026")
    datetime.datetime(2026, 6, 5, 0, 0)
    >>> parse_export_date("3/7/24, 9:05 PM")
    datetime.datetime(2024, 3, 7, 21, 5)
    >>> parse_export_date("2024-10-26 11:43:11 UTC")
    datetime.datetime(2024, 10, 26, 11, 43, 11)
    >>> parse_export_date("7-Feb-22"), parse_export_date("05.06.2026")
    (datetime.datetime(2022, 2, 7, 0, 0), datetime.datetime(2026, 6, 5, 0, 0))
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        if m := _ISO.match(text):
            y, mo, d, hh, mm, ss = m.groups()
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        if m := _DAY_MON_YEAR.match(text):
            d, mon, y = m.groups()
            return datetime(_year(y), _MONTHS[mon.lower()], int(d))
        if m := _US.match(text):
            mo, d, y, hh, mm, ss, ampm = m.groups()
            hour = int(hh) % 12 + (12 if ampm.lower() == "pm" else 0)
            return datetime(_year(y), int(mo), int(d), hour, int(mm), int(ss or 0))
        if m := _US_DATE.match(text):
            mo, d, y = m.groups()
            return datetime(_year(y), int(mo), int(d))
        if m := _DOTTED.match(text):
            d, mo, y = m.groups()
            return datetime(_year(y), int(mo), int(d))
        if m := _JAVA.match(text):
            mon, d, hh, mm, ss, y = m.groups()
            return datetime(int(y), _MONTHS[mon.lower()], int(d), int(hh), int(mm), int(ss))
        if m := _MON_YEAR.match(text):
            mon, y = m.groups()
            return datetime(int(y), _MONTHS[mon.lower()], 1)
        if m := _YEAR.match(text):
            return datetime(int(m.group(1)), 1, 1)
    except (KeyError, ValueError):
        return None
    return None



# --------------------------------------------------------------------------- what users type

_USER_NUMERIC = re.compile(
    r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$")
_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                        r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", re.I)


def check_bounds(dt: datetime, what: str = "date") -> datetime:
    """Refuse a date outside 1900–2200 (no computation on a stored date can overflow then)."""
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        raise ValueError(f"{what} {dt.date().isoformat()} is out of range: use a date between "
                         f"{MIN_YEAR} and {MAX_YEAR}")
    return dt


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text.upper() == "Z":
        return timezone.utc
    return zone_from_name(text)


def parse_user_time(text: str, tz: tzinfo, *, default_time: time = DEFAULT_INTERVIEW_TIME,
                    day_first: bool | None = None) -> datetime:
    """A date and time as a person types it or a spreadsheet saves it, in ``tz`` unless it
    carries an offset; a date alone is at ``default_time``. Raises ``ValueError`` with a
    message fit for the user.

    ``day_first`` settles ``03/04/2026`` (from :func:`decide_day_first`); when it is None an
    ambiguous date is refused. Dotted dates (``24.11.2026``) are always day first.

    >>> utc = timezone.utc
    >>> parse_user_time("2026-11-24", utc).isoformat()
    '2026-11-24T17:00:00+00:00'
    >>> parse_user_time("11/24/2026 2:00 PM", utc).isoformat()
    '2026-11-24T14:00:00+00:00'
    >>> parse_user_time("24.11.2026 14:00", utc).isoformat()
    '2026-11-24T14:00:00+00:00'
    >>> parse_user_time("2026-11-24T14:00-05:00", utc).isoformat()
    '2026-11-24T14:00:00-05:00'
    >>> parse_user_time("24 Nov 2026", utc).isoformat(), parse_user_time("2026-10-26 11:43:11 UTC", utc).isoformat()
    ('2026-11-24T17:00:00+00:00', '2026-10-26T11:43:11+00:00')

    A wall-clock time the zone skips (clocks jump forward) is refused, with the time it would
    have been; one the zone has twice (clocks fall back) is the first of the two:

    >>> ny = ZoneInfo("America/New_York")
    >>> parse_user_time("2026-03-08 02:30", ny)
    Traceback (most recent call last):
    ...
    ValueError: 2026-03-08 02:30 does not exist in America/New_York: clocks jump from 02:00 to 03:00 that day; did you mean 03:30?
    >>> parse_user_time("2026-11-01 01:30", ny).isoformat()
    '2026-11-01T01:30:00-04:00'
    """
    value = " ".join((text or "").split())
    if not value:
        raise ValueError("the date is empty")
    if len(value) > 64:
        raise ValueError("not a date (too long)")
    try:
        day, clock, zone = _read_user_time(value, text, tz, default_time, day_first)
    except BackchannelError as exc:
        raise ValueError(str(exc)) from None
    except ValueError as exc:
        if "is not a date" in str(exc) or "could be" in str(exc) or "AM/PM" in str(exc):
            raise
        raise ValueError(f"{text.strip()!r} is not a valid date ({exc})") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"{text.strip()!r} is out of range: use a date between {MIN_YEAR} and {MAX_YEAR}")
    result = datetime.combine(day, clock, tzinfo=zone)
    _refuse_skipped_time(result, clock, zone)
    return result


def _read_user_time(value: str, text: str, tz: tzinfo, default_time: time,
                    day_first: bool | None) -> tuple[date, time, tzinfo]:
    """The day, wall-clock time and zone of :func:`parse_user_time`'s ``value`` (``text``
    with its spacing collapsed; ``text`` is what messages quote)."""
    if m := _ISO_LOOSE.match(value):
        y, mo, d, hh, mm, ss, off = m.groups()
        day = date(int(y), int(mo), int(d))
        clock = time(int(hh), int(mm), int(ss or 0)) if hh is not None else default_time
        return day, clock, _offset(off) or tz
    if m := _USER_NUMERIC.match(value):
        return _read_numeric_time(m, text, tz, default_time, day_first)
    if re.search(r"[A-Za-z]{3}", value) and (exported := parse_export_date(value)) is not None:
        # the forms LinkedIn's own files use, with a month's name or "UTC": 05 Jun 2026,
        # 7-Feb-26, 2026-10-26 11:43:11 UTC (a month name is never ambiguous)
        day = exported.date()
        clock = exported.time() if ":" in value else default_time
        return day, clock, timezone.utc if value.upper().endswith(("UTC", "GMT")) else tz
    raise ValueError(f"{text.strip()!r} is not a date; use ISO 8601 such as 2026-11-24T14:00 "
                     "(a spreadsheet's 11/24/2026 14:00 or 24.11.2026 14:00 work too)")


def _read_numeric_time(m: re.Match[str], text: str, tz: tzinfo, default_time: time,
                       day_first: bool | None) -> tuple[date, time, tzinfo]:
    """A spreadsheet's ``a/b/yyyy`` or ``a.b.yyyy`` date (:data:`_USER_NUMERIC`), with its
    time when it has one; ``day_first`` settles a date that could be read either way."""
    a, sep, b, y, hh, mm, ss, ampm, off = m.groups()
    first, second = int(a), int(b)
    if sep == ".":
        dayfirst = True
    elif first > 12 or second > 12:
        dayfirst = first > 12
    elif first == second or day_first is not None:
        dayfirst = bool(day_first)
    else:
        raise ValueError(f"{text.strip()!r} could be day-first or month-first; write it as "
                         f"YYYY-MM-DD (for example {_year(y)}-{second:02d}-{first:02d})")
    d, mo = (first, second) if dayfirst else (second, first)
    day = date(_year(y), mo, d)
    if hh is not None:
        hour = int(hh)
        if ampm:
            if not 1 <= hour <= 12:
                raise ValueError(f"{text.strip()!r}: hour {hour} with AM/PM")
            hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
        clock = time(hour, int(mm), int(ss or 0))
    else:
        clock = default_time
    return day, clock, _offset(off) or tz


def _refuse_skipped_time(result: datetime, clock: time, zone: tzinfo) -> None:
    """Refuse a wall-clock time its zone skips (clocks jump forward), naming the time it would
    have been; a time that exists passes."""
    if (gap := _skipped_by_clocks(result)) is None:
        return
    start, end = gap
    meant = result.replace(tzinfo=None) + (end - start)
    same_day = start.date() == end.date() == meant.date()
    shown = (lambda t: _hhmm(t.time())) if same_day else (lambda t: f"{t:%Y-%m-%d} {_hhmm(t.time())}")
    raise ValueError(f"{result:%Y-%m-%d} {_hhmm(clock)} does not exist in {_zone_label(zone)}: clocks jump from "
                     f"{shown(start)} to {shown(end)}{' that day' if same_day else ''}; "
                     f"did you mean {shown(meant)}?")


def _skipped_by_clocks(dt: datetime) -> tuple[datetime, datetime] | None:
    """For a wall-clock time its zone skips (clocks jump forward): the skipped stretch of the
    wall clock, [start, end); None for a time that exists."""
    naive = dt.replace(tzinfo=None)

    def skipped(wall: datetime) -> bool:
        try:
            shown = wall.replace(tzinfo=dt.tzinfo).astimezone(timezone.utc).astimezone(dt.tzinfo)
        except (OverflowError, ValueError):
            return False
        return shown.replace(tzinfo=None) != wall

    if dt.tzinfo is None or isinstance(dt.tzinfo, timezone) or not skipped(naive):
        return None
    # the same instant read back is off by the length of the jump (later with Python's zones,
    # earlier with the C library's)
    jump = abs(dt.astimezone(timezone.utc).astimezone(dt.tzinfo).replace(tzinfo=None) - naive)
    low, high = naive - jump, naive  # low is before the stretch, high inside it: bisect to its start
    while high - low > timedelta(seconds=1):
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if skipped(middle):
            high = middle
        else:
            low = middle
    return high, high + jump


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _zone_label(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    return str(key) if key else "your time zone"


def decide_day_first(values: Iterable[tuple[int, str]]) -> bool | None:
    """Decide, for a whole file, whether ``a/b/yyyy`` dates are day-first (True) or
    month-first (False); None when no date says (all are unambiguous or ISO).

    ``values`` are (line, text) pairs. A file that says both is refused with the lines.

    >>> decide_day_first([(2, "24/11/2026 14:00"), (3, "03/12/2026")])
    True
    >>> decide_day_first([(2, "11/24/2026")])
    False
    >>> decide_day_first([(2, "2026-11-24")]) is None
    True
    """
    day_first_at = month_first_at = None
    for line, text in values:
        m = _USER_NUMERIC.match(" ".join((text or "").split()))
        if not m or m.group(2) == ".":
            continue
        first, second = int(m.group(1)), int(m.group(3))
        if first > 12 and day_first_at is None:
            day_first_at = (line, text.strip())
        elif second > 12 and month_first_at is None:
            month_first_at = (line, text.strip())
    if day_first_at and month_first_at:
        raise ValueError(f"dates are day-first on line {day_first_at[0]} ({day_first_at[1]!r}) but "
                         f"month-first on line {month_first_at[0]} ({month_first_at[1]!r}); use one "
                         "order, or YYYY-MM-DD")
    if day_first_at:
        return True
    if month_first_at:
        return False
    return None



# --------------------------------------------------------------------------- stored times


def utc_naive(value: object) -> datetime | None:
    """A stored or given time as naive UTC, the form the export's facts keep (None when empty
    or unreadable). Aware times are converted; naive ones are taken as UTC already.

    >>> utc_naive("2026-11-24T14:00:00-05:00"), utc_naive("2024-10-26T11:43:11"), utc_naive("not a date")
    (datetime.datetime(2026, 11, 24, 19, 0), datetime.datetime(2024, 10, 26, 11, 43, 11), None)
    """
    if not value:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.replace(tzinfo=None)

