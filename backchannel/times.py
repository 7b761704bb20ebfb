"""Every date and time rule of backchannel, in one place.

- **Parsing.** The shapes LinkedIn's export writes (:func:`parse_export_date`, naive UTC), and
  what a person types or a spreadsheet saves (:func:`parse_user_time`): ISO 8601 with or
  without an offset, ``11/24/2026 14:00``, ``24.11.2026 14:00``, ``2026-11-24 14:00``. Whether
  ``03/04/2026`` is day-first or month-first is decided per file (:func:`decide_day_first`) and
  refused when nothing tells. Every date a user gives lies between 1900 and 2200, so that no
  later computation on it can overflow.
- **Zones.** The config's ``timezone`` wins, then ``$BACKCHANNEL_TZ``, then ``$TZ`` read the
  way the C library reads it (POSIX rules such as ``EST5EDT,M3.2.0,M11.1.0`` included), then
  the system zone.
- **Hours and business days.** Hour windows are elapsed time (48 hours stay 48 hours across a
  daylight-saving change); business days are counted on the wall clock and skip weekends and,
  when a country is configured, its public holidays (the ``holidays`` package). Business hours
  are 09:00–18:00; the ring's default time is 10:00.
- **Human times**, the same words in tables, pages, maps and calendars whatever the machine's
  locale: ``Thu 26 Nov 14:00 EST`` (a zone's label wherever a page shows a time), ``in 3 h``,
  ``2 days ago``; and a day in a message's words, in English or Russian (``on Thursday,
  November 26``, ``в четверг, 26 ноября``).

Nothing here reads the clock: "now" is always passed in.
"""

from __future__ import annotations

import calendar
import os
import re
import time as _time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BackchannelError

__all__ = [
    "MIN_YEAR",
    "MAX_YEAR",
    "DEFAULT_INTERVIEW_TIME",
    "RING_TIME",
    "BUSINESS_START",
    "BUSINESS_END",
    "parse_export_date",
    "zone_from_name",
    "zone_name",
    "local_zone",
    "SystemZone",
    "parse_user_time",
    "decide_day_first",
    "check_bounds",
    "add_hours",
    "WorkCalendar",
    "work_calendar",
    "country_of_zone",
    "utc_naive",
    "zone_label",
    "human_day",
    "human_time",
    "human_window",
    "human_relative",
    "human_duration",
    "human_ago",
    "format_day",
    "format_by_day",
]

MIN_YEAR, MAX_YEAR = 1900, 2200
DEFAULT_INTERVIEW_TIME = time(17, 0)  # an interview date given without a time
RING_TIME = time(10, 0)  # the ring's default: 10:00 on a business day
BUSINESS_START, BUSINESS_END = time(9, 0), time(18, 0)

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


# --------------------------------------------------------------------------- zones

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.I)


class SystemZone(tzinfo):
    """The local zone exactly as the C library sees it (``$TZ`` with POSIX rules included).

    Used when ``$TZ`` is not a zone name Python knows, such as ``UTC0`` or
    ``EST5EDT,M3.2.0,M11.1.0``: the offsets come from ``localtime``, as ``time.strftime`` and
    ``datetime.astimezone()`` get them.
    """

    def __init__(self) -> None:
        _time.tzset()

    @staticmethod
    def _local(dt: datetime) -> _time.struct_time:
        stamp = _time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1))
        return _time.localtime(stamp)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        local = _time.localtime() if dt is None else self._local(dt)
        return timedelta(seconds=local.tm_gmtoff or 0)

    def dst(self, dt: datetime | None) -> timedelta:
        local = _time.localtime() if dt is None else self._local(dt)
        return timedelta(hours=1) if local.tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        local = _time.localtime() if dt is None else self._local(dt)
        return local.tm_zone or "local"

    def fromutc(self, dt: datetime) -> datetime:
        stamp = calendar.timegm(dt.replace(tzinfo=None).timetuple())
        return dt + timedelta(seconds=_time.localtime(stamp).tm_gmtoff or 0)

    def __repr__(self) -> str:
        return "SystemZone()"


def zone_from_name(name: str) -> tzinfo:
    """A zone from a name: an IANA name (``Europe/Berlin``), ``UTC``, or an offset east of
    UTC (``+05:30``, ``UTC+5``, ``UTC-03:30``). Unknown names are a one-line error.

    >>> zone_from_name("UTC+05:30").utcoffset(None)
    datetime.timedelta(seconds=19800)
    >>> zone_from_name("Europe/Berlin").key
    'Europe/Berlin'
    """
    text = (name or "").strip()
    if not text or text.upper() in {"UTC", "Z", "GMT", "ETC/UTC"}:
        return timezone.utc
    if m := _OFFSET.match(text):
        sign, hh, mm = m.groups()
        minutes = int(hh) * 60 + int(mm or 0)
        if minutes > 14 * 60:
            raise BackchannelError(f"time zone offset {name!r} is out of range (-14:00 to +14:00)")
        return timezone((1 if sign == "+" else -1) * timedelta(minutes=minutes))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise BackchannelError(f"unknown time zone {name!r}; use a name such as Europe/Berlin or an "
                               "offset such as +05:30") from None


def zone_name(tz: tzinfo | None, at: datetime | None = None) -> str:
    """A name :func:`zone_from_name` reads back: the IANA key, or the fixed offset (for the C
    library's zone, the offset it has at ``at``).

    >>> zone_name(timezone(timedelta(hours=-5)))
    'UTC-05:00'
    """
    if tz is None:
        return "UTC"
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    probe = at.replace(tzinfo=None) if at is not None else None
    offset = tz.utcoffset(probe) or timedelta(0)
    if offset == timedelta(0):
        return "UTC"
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def _zone_from_environment_tz(value: str) -> tzinfo:
    """``$TZ`` as the C library reads it: a zone name, a path after ``:``, or POSIX rules."""
    text = value.strip()
    path = text[1:] if text.startswith(":") else text
    if path.startswith("/"):
        try:
            with open(path, "rb") as handle:
                return ZoneInfo.from_file(handle, key=_key_from_path(path))
        except (OSError, ValueError):
            return SystemZone()
    if path and not any(ch in path for ch in ",<>") and not re.search(r"\d", path):
        try:
            return ZoneInfo(path)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    if re.fullmatch(r"[A-Za-z]+/[A-Za-z_+\-0-9/]+", path):
        try:
            return ZoneInfo(path)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return SystemZone()


def _key_from_path(path: str) -> str | None:
    try:
        target = str(Path(path).resolve())
    except OSError:
        return None
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else None


def local_zone(configured: str = "") -> tzinfo:
    """The user's zone: the config's ``timezone``, ``$BACKCHANNEL_TZ``, ``$TZ``, the system's."""
    for name in (configured, os.environ.get("BACKCHANNEL_TZ", "")):
        if name.strip():
            return zone_from_name(name)
    tz_env = os.environ.get("TZ")
    if tz_env is not None and tz_env.strip():
        return _zone_from_environment_tz(tz_env)
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:  # noqa: BLE001 - any failure to name the system zone falls back to libc's view
        return SystemZone()


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
        if m := _ISO_LOOSE.match(value):
            y, mo, d, hh, mm, ss, off = m.groups()
            day = date(int(y), int(mo), int(d))
            clock = time(int(hh), int(mm), int(ss or 0)) if hh is not None else default_time
            zone = _offset(off) or tz
        elif m := _USER_NUMERIC.match(value):
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
            zone = _offset(off) or tz
        elif re.search(r"[A-Za-z]{3}", value) and (exported := parse_export_date(value)) is not None:
            # the forms LinkedIn's own files use, with a month's name or "UTC": 05 Jun 2026,
            # 7-Feb-26, 2026-10-26 11:43:11 UTC (a month name is never ambiguous)
            day = exported.date()
            clock = exported.time() if ":" in value else default_time
            zone = timezone.utc if value.upper().endswith(("UTC", "GMT")) else tz
        else:
            raise ValueError(f"{text.strip()!r} is not a date; use ISO 8601 such as 2026-11-24T14:00 "
                             "(a spreadsheet's 11/24/2026 14:00 or 24.11.2026 14:00 work too)")
    except BackchannelError as exc:
        raise ValueError(str(exc)) from None
    except ValueError as exc:
        if "is not a date" in str(exc) or "could be" in str(exc) or "AM/PM" in str(exc):
            raise
        raise ValueError(f"{text.strip()!r} is not a valid date ({exc})") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"{text.strip()!r} is out of range: use a date between {MIN_YEAR} and {MAX_YEAR}")
    result = datetime.combine(day, clock, tzinfo=zone)
    if (gap := _skipped_by_clocks(result)) is not None:
        start, end = gap
        meant = result.replace(tzinfo=None) + (end - start)
        same_day = start.date() == end.date() == meant.date()
        shown = (lambda t: _hhmm(t.time())) if same_day else (lambda t: f"{t:%Y-%m-%d} {_hhmm(t.time())}")
        raise ValueError(f"{result:%Y-%m-%d} {_hhmm(clock)} does not exist in {_zone_label(zone)}: clocks jump from "
                         f"{shown(start)} to {shown(end)}{' that day' if same_day else ''}; "
                         f"did you mean {shown(meant)}?")
    return result


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


# --------------------------------------------------------------------------- arithmetic


def add_hours(dt: datetime, hours: float) -> datetime:
    """Elapsed time: 48 hours are 48 real hours, across a daylight-saving change."""
    tz = dt.tzinfo
    return (dt.astimezone(timezone.utc) + timedelta(hours=hours)).astimezone(tz)


@lru_cache(maxsize=16)
def _holidays(country: str):  # type: ignore[no-untyped-def]
    import holidays

    try:
        return holidays.country_holidays(country.upper())
    except (NotImplementedError, KeyError, AttributeError):
        raise BackchannelError(
            f"unknown country {country!r} for public holidays; use a code such as US, GB, DE or RU") from None


@dataclass(frozen=True)
class WorkCalendar:
    """Business days and hours: weekends off, and the public holidays of ``country`` when set.

    >>> us = WorkCalendar("US")
    >>> wed = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)   # the day before Thanksgiving
    >>> us.add_business_days(wed, 2, at=RING_TIME).date()           # Thu is a holiday, Fri, Mon
    datetime.date(2026, 11, 30)
    >>> WorkCalendar().add_business_days(wed, 2, at=RING_TIME).date()
    datetime.date(2026, 11, 27)
    """

    country: str = ""

    def __post_init__(self) -> None:
        if self.country:
            _holidays(self.country)  # an unknown country is an error now, not at first use

    def is_business_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        return not (self.country and day in _holidays(self.country))

    def holiday_name(self, day: date) -> str:
        if not self.country:
            return ""
        return str(_holidays(self.country).get(day) or "")

    def add_business_days(self, dt: datetime, days: int, *, at: time | None = None) -> datetime:
        """``days`` business days after ``dt``, on the wall clock (at ``at`` when given)."""
        day = dt.date()
        added = 0
        while added < days:
            day += timedelta(days=1)
            if self.is_business_day(day):
                added += 1
        return datetime.combine(day, at if at is not None else dt.timetz().replace(tzinfo=None),
                                tzinfo=dt.tzinfo)

    def next_business_moment(self, dt: datetime) -> datetime:
        """``dt`` when it falls in business hours on a business day, else the next opening."""
        local = dt
        day, clock = local.date(), local.time()
        if self.is_business_day(day) and BUSINESS_START <= clock < BUSINESS_END:
            return dt
        if self.is_business_day(day) and clock < BUSINESS_START:
            return datetime.combine(day, BUSINESS_START, tzinfo=dt.tzinfo)
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, BUSINESS_START, tzinfo=dt.tzinfo)


@lru_cache(maxsize=32)
def work_calendar(country: str = "") -> WorkCalendar:
    return WorkCalendar((country or "").strip().upper())


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the zone table shipped with the time zone data."""
    text = ""
    try:
        from importlib.resources import files

        text = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ImportError, OSError, ModuleNotFoundError):
        try:
            text = Path("/usr/share/zoneinfo/zone.tab").read_text(encoding="utf-8")
        except OSError:
            return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                out[parts[2]] = parts[0]
    return out


def country_of_zone(tz: tzinfo | str | None) -> str:
    """The country a named zone belongs to ("" for UTC or a bare offset), whose public
    holidays business days skip when no country is configured.

    >>> country_of_zone("America/New_York"), country_of_zone("Europe/Moscow"), country_of_zone("UTC-05:00")
    ('US', 'RU', '')
    """
    key = tz if isinstance(tz, str) else getattr(tz, "key", None)
    return _zone_countries().get(key or "", "")


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


# --------------------------------------------------------------------------- human times
#
# One set of words for every view (tables, log lines, pages, maps, calendars), in English
# whatever the machine's locale: strftime's %a and %b follow LC_TIME, these never do.

_WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RU_WEEKDAY_ACCUSATIVE = ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу",
                          "в воскресенье")
_RU_WEEKDAY_GENITIVE = ("понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья")


def zone_label(tz: tzinfo | None, at: datetime) -> str:
    """The short name of a zone at a moment, as a person reads it after a time: its
    abbreviation where it has one (``EST``, ``CET``, ``MSK``), else its offset (``UTC+05:45``).

    >>> moment = datetime(2026, 11, 24, 19, 0, tzinfo=timezone.utc)
    >>> zone_label(ZoneInfo("America/New_York"), moment), zone_label(ZoneInfo("Asia/Kathmandu"), moment)
    ('EST', 'UTC+05:45')
    >>> zone_label(timezone.utc, moment)
    'UTC'
    """
    if tz is None:
        return "UTC"
    local = at.astimezone(tz)
    name = local.tzname() or ""
    if name.isalpha() and name.isupper() and 2 <= len(name) <= 5:
        return name
    offset = local.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        return "UTC"
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def human_day(dt: datetime, tz: tzinfo | None = None, *, now: datetime | None = None) -> str:
    """``Tue 24 Nov`` in ``tz`` (with the year when it is not ``now``'s).

    >>> human_day(datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc))
    'Tue 24 Nov'
    """
    local = dt.astimezone(tz) if tz is not None else dt
    text = f"{_WEEKDAY_ABBR[local.weekday()]} {local.day} {_MONTH_ABBR[local.month - 1]}"
    if now is not None and local.year != (now.astimezone(tz) if tz is not None else now).year:
        text += f" {local.year}"
    return text


def human_time(dt: datetime, tz: tzinfo | None = None, *, now: datetime | None = None, label: bool = False) -> str:
    """``Thu 26 Nov 14:00`` in ``tz`` (the year is added when it is not ``now``'s); with
    ``label``, the zone's name follows (``Thu 26 Nov 14:00 EST``).

    >>> human_time(datetime(2026, 11, 26, 14, 0, tzinfo=timezone.utc))
    'Thu 26 Nov 14:00'
    >>> human_time(datetime(2026, 11, 26, 19, 0, tzinfo=timezone.utc), ZoneInfo("America/New_York"), label=True)
    'Thu 26 Nov 14:00 EST'
    """
    local = dt.astimezone(tz) if tz is not None else dt
    text = f"{human_day(local, now=now.astimezone(local.tzinfo) if now is not None else None)} {local:%H:%M}"
    return f"{text} {zone_label(local.tzinfo, local)}" if label else text


def human_window(start: datetime, end: datetime, tz: tzinfo | None = None, *, label: bool = False) -> str:
    """``Wed 25 Nov 09:00 – Thu 26 Nov 14:00`` (the day once when both ends share it).

    >>> a = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    >>> human_window(a, a + timedelta(hours=29))
    'Wed 25 Nov 09:00 – Thu 26 Nov 14:00'
    >>> human_window(a, a + timedelta(hours=2), label=True)
    'Wed 25 Nov 09:00–11:00 UTC'
    """
    a = start.astimezone(tz) if tz is not None else start
    b = end.astimezone(tz) if tz is not None else end
    text = f"{human_time(a)}–{b:%H:%M}" if a.date() == b.date() else f"{human_time(a)} – {human_time(b)}"
    return f"{text} {zone_label(b.tzinfo, b)}" if label else text


def human_duration(delta: timedelta) -> str:
    """``25 min``, ``3 h``, ``2 days``, ``3 weeks``, ``5 months`` (rounded down).

    >>> human_duration(timedelta(hours=50))
    '2 days'
    """
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, int(seconds // 60))} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    days = int(seconds // 86400)
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 61:
        return f"{days // 7} weeks"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"


def human_relative(dt: datetime, now: datetime) -> str:
    """``in 3 h`` or ``2 days ago``; ``now`` within a minute.

    >>> n = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    >>> human_relative(n + timedelta(hours=3), n), human_relative(n - timedelta(days=2), n)
    ('in 3 h', '2 days ago')
    """
    delta = dt - now
    if abs(delta.total_seconds()) < 60:
        return "now"
    text = human_duration(delta)
    return f"in {text}" if delta.total_seconds() > 0 else f"{text} ago"


def human_ago(then: datetime, now: datetime) -> str:
    """``3 weeks ago`` (``today`` within a day).

    >>> human_ago(datetime(2026, 11, 1), datetime(2026, 11, 25))
    '3 weeks ago'
    """
    return "today" if (now - then).days < 1 else f"{human_duration(now - then)} ago"


@lru_cache(maxsize=4096)
def _day_words(day: date, language: str) -> str:
    from babel.dates import format_date

    if language == "ru":
        return f"{_RU_WEEKDAY_ACCUSATIVE[day.weekday()]}, {format_date(day, 'd MMMM', locale='ru')}"
    return "on " + format_date(day, "EEEE, MMMM d", locale="en")


def format_day(dt: datetime, language: str) -> str:
    """A day in a message's words, as a sentence uses it after a verb ("I'll check in …").

    >>> format_day(datetime(2026, 11, 26, 10), "en"), format_day(datetime(2026, 11, 26, 10), "ru")
    ('on Thursday, November 26', 'в четверг, 26 ноября')
    """
    return _day_words(dt.date(), language)


def format_by_day(dt: datetime, language: str) -> str:
    """The last of several days in a message's words ("I'll check in with them …"): the people
    have different dates, all of them by this one.

    >>> format_by_day(datetime(2026, 11, 30, 10), "en"), format_by_day(datetime(2026, 11, 30, 10), "ru")
    ('by Monday, November 30', 'не позже понедельника, 30 ноября')
    """
    day = dt.date()
    if language == "ru":
        from babel.dates import format_date

        return f"не позже {_RU_WEEKDAY_GENITIVE[day.weekday()]}, {format_date(day, 'd MMMM', locale='ru')}"
    return "by" + _day_words(day, language)[2:]
