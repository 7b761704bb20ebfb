"""An invitation's start and end as aware times, and how their zone was found.

The rules, by ``zone_source`` (``tzid``, ``windows``, ``vtimezone``, ``x-wr-timezone``,
``utc``, ``floating``, ``date``), are the "Zones" section of
:mod:`backchannel.readers.invites`. Windows zone names are read with CLDR's table as
icalendar ships it; a VTIMEZONE is read from the file itself, never from icalendar's
process-wide cache.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from ...errors import InputError
from ...times import DEFAULT_INTERVIEW_TIME, MAX_YEAR, MIN_YEAR, zone_name
from .properties import _one, _text, _value

try:  # CLDR's table of Windows zone names, as icalendar ships it
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
except ImportError:  # pragma: no cover - icalendar before 6
    WINDOWS_TO_OLSON = {}


#: Windows' display names of its zones (what Outlook writes as a TZID for many accounts:
#: "(UTC-05:00) Eastern Time (US & Canada)"), without the offset, to the IANA zone
_WINDOWS_DISPLAY = {
    "eastern time (us & canada)": "America/New_York", "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver", "pacific time (us & canada)": "America/Los_Angeles",
    "arizona": "America/Phoenix", "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
    "atlantic time (canada)": "America/Halifax", "newfoundland": "America/St_Johns", "saskatchewan": "America/Regina",
    "indiana (east)": "America/Indiana/Indianapolis", "guadalajara, mexico city, monterrey": "America/Mexico_City",
    "bogota, lima, quito, rio branco": "America/Bogota", "bogota, lima, quito": "America/Bogota",
    "brasilia": "America/Sao_Paulo", "city of buenos aires": "America/Argentina/Buenos_Aires",
    "buenos aires": "America/Argentina/Buenos_Aires", "santiago": "America/Santiago", "caracas": "America/Caracas",
    "coordinated universal time": "UTC", "dublin, edinburgh, lisbon, london": "Europe/London",
    "monrovia, reykjavik": "Atlantic/Reykjavik", "azores": "Atlantic/Azores", "casablanca": "Africa/Casablanca",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "brussels, copenhagen, madrid, paris": "Europe/Paris", "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "west central africa": "Africa/Lagos", "athens, bucharest": "Europe/Bucharest",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "helsinki, kiev, riga, sofia, tallinn, vilnius": "Europe/Helsinki", "jerusalem": "Asia/Jerusalem",
    "cairo": "Africa/Cairo", "harare, pretoria": "Africa/Johannesburg", "istanbul": "Europe/Istanbul",
    "moscow, st. petersburg": "Europe/Moscow", "moscow, st. petersburg, volgograd": "Europe/Moscow",
    "nairobi": "Africa/Nairobi", "abu dhabi, muscat": "Asia/Dubai", "tehran": "Asia/Tehran",
    "islamabad, karachi": "Asia/Karachi", "chennai, kolkata, mumbai, new delhi": "Asia/Kolkata",
    "kathmandu": "Asia/Kathmandu", "dhaka": "Asia/Dhaka", "bangkok, hanoi, jakarta": "Asia/Bangkok",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai", "kuala lumpur, singapore": "Asia/Singapore",
    "perth": "Australia/Perth", "taipei": "Asia/Taipei", "osaka, sapporo, tokyo": "Asia/Tokyo", "seoul": "Asia/Seoul",
    "adelaide": "Australia/Adelaide", "darwin": "Australia/Darwin", "brisbane": "Australia/Brisbane",
    "canberra, melbourne, sydney": "Australia/Sydney", "hobart": "Australia/Hobart",
    "auckland, wellington": "Pacific/Auckland",
}
_DISPLAY_NAME = re.compile(r"^\((?:UTC|GMT)\s*(?:([+-])(\d{1,2}):(\d{2}))?\)\s*(.+)$", re.IGNORECASE)


def _from_display_name(tzid: str) -> str:
    """The IANA zone of a Windows display name, when its offset agrees (in winter or in summer).

    >>> _from_display_name("(UTC-05:00) Eastern Time (US & Canada)"), _from_display_name("(UTC+01:00) Mars")
    ('America/New_York', '')
    """
    m = _DISPLAY_NAME.match(" ".join(tzid.split()))
    key = _WINDOWS_DISPLAY.get(m.group(4).strip().lower(), "") if m else ""
    if not key or m is None:
        return ""
    sign, hours, minutes = m.group(1), m.group(2), m.group(3)
    said = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    zone = ZoneInfo(key)
    offsets = {zone.utcoffset(datetime(2026, month, 15)) for month in (1, 7)}
    return key if said in offsets else ""


def _iana(tzid: str) -> tuple[ZoneInfo | None, str]:
    """The IANA zone a TZID names, and how ("tzid" or "windows"); (None, "") when none."""
    cleaned = tzid.strip().strip('"').strip("/")
    candidates = [(cleaned, "tzid")]
    if cleaned in WINDOWS_TO_OLSON:
        candidates.append((WINDOWS_TO_OLSON[cleaned], "windows"))
    display = _from_display_name(cleaned)
    if display:
        candidates.append((display, "windows"))
    parts = cleaned.split("/")
    candidates += [("/".join(parts[i:]), "tzid") for i in range(1, len(parts) - 1)]  # /vendor/Europe/Berlin
    for key, how in candidates:
        if not key or key.startswith((".", "/")) or ".." in key:
            continue
        try:
            return ZoneInfo(key), how
        except Exception:  # ZoneInfoNotFoundError, ValueError, OSError for names that are no zone
            continue
    return None, ""


def _own_definition(cal: Any, tzid: str) -> tzinfo | None:
    """The zone the file's own VTIMEZONE with this TZID defines (never icalendar's cache)."""
    from icalendar.timezone import tzp

    for component in cal.walk("VTIMEZONE"):
        if str(component.get("TZID", "")).strip().strip('"') == tzid.strip().strip('"'):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    zone: tzinfo = component.to_tz(tzp, lookup_tzid=False)
                return zone
            except Exception:  # a definition icalendar cannot turn into a zone
                return None
    return None


def _x_wr_zone(cal: Any, notes: list[str]) -> ZoneInfo | None:
    value = _text(cal, "X-WR-TIMEZONE")
    if not value:
        return None
    zone, _how = _iana(value)
    if zone is None:
        notes.append(f"X-WR-TIMEZONE {value[:60]!r} is not a zone we know; it was not used")
    return zone


def _fixed(offset: timedelta | None) -> timezone:
    return timezone(offset or timedelta(0))


def _localise(value: date | datetime, tzid: str | None, cal: Any, x_wr: ZoneInfo | None, zone: tzinfo,
              notes: list[str]) -> tuple[datetime, str]:
    """A DTSTART or DTEND value as an aware datetime, and how its zone was found."""
    if not isinstance(value, datetime):
        local = x_wr or zone
        return datetime.combine(value, DEFAULT_INTERVIEW_TIME).replace(tzinfo=local), "date"
    wall = value.replace(tzinfo=None)
    if tzid:
        iana, how = _iana(tzid)
        own = _own_definition(cal, tzid)
        if iana is not None:
            at = wall.replace(tzinfo=iana)
            if own is not None and own.utcoffset(wall) is not None and own.utcoffset(wall) != at.utcoffset():
                notes.append(f"the invitation's own definition of {tzid!r} gives another offset than {iana.key} at "
                             "the start; the invitation's was used")
                return wall.replace(tzinfo=_fixed(own.utcoffset(wall))), "vtimezone"
            return at, how
        if own is not None:
            fixed = _fixed(own.utcoffset(wall))
            notes.append(f"the zone {tzid[:80]!r} is not a zone name we know; the offset its definition in the "
                         f"file gives at that time ({zone_name(fixed)}) was used")
            return wall.replace(tzinfo=fixed), "vtimezone"
        notes.append(f"the zone {tzid[:80]!r} is not a zone name we know and the file does not define it")
    elif value.tzinfo is not None:
        utc = value.astimezone(timezone.utc)
        if x_wr is not None:
            return utc.astimezone(x_wr), "x-wr-timezone"
        return utc, "utc"
    if x_wr is not None:
        return wall.replace(tzinfo=x_wr), "x-wr-timezone"
    return wall.replace(tzinfo=zone), "floating"


def _start(event: Any, cal: Any, x_wr: ZoneInfo | None, zone: tzinfo, display: str, line: int | None,
           notes: list[str]) -> tuple[datetime, str, str]:
    prop = _one(event, "DTSTART")
    if prop is None:
        raise InputError("the invitation has no start (DTSTART)", path=display, line=line)
    value = _value(prop)
    if not isinstance(value, date):
        raw = getattr(prop, "to_ical", lambda: b"")()
        shown = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise InputError(f"the start (DTSTART) {shown[:40]!r} is not a date", path=display, line=line)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InputError(f"the start (DTSTART) is in the year {value.year}", path=display, line=line)
    start, source = _localise(value, prop.params.get("TZID"), cal, x_wr, zone, notes)
    if source == "date":
        notes.append("the invitation gives a day without a time: 17:00 was taken, as for a date alone")
    if event.get("RRULE") is not None:
        notes.append("the event repeats: its first occurrence was taken")
    return start, zone_name(start.tzinfo, start), source


def _end(event: Any, cal: Any, start: datetime, x_wr: ZoneInfo | None, zone: tzinfo,
         notes: list[str]) -> datetime | None:
    end: datetime | None = None
    prop = _one(event, "DTEND")
    if prop is not None:
        value = _value(prop)
        if isinstance(value, datetime):
            end, _source = _localise(value, prop.params.get("TZID"), cal, x_wr, zone, [])
        elif isinstance(value, date):
            end = None  # an all-day event: its end says nothing about the interview's
    elif _one(event, "DURATION") is not None:
        value = _value(_one(event, "DURATION"))
        if isinstance(value, timedelta):
            end = (start.astimezone(timezone.utc) + value).astimezone(start.tzinfo)
    if end is None:
        return None
    end = end.astimezone(start.tzinfo)
    if end <= start:
        notes.append("the end is not after the start; an hour is assumed")
        return None
    return end
