"""Every date and time rule of backchannel, in one place.

- **Parsing** (:mod:`~backchannel.times.parsing`). The shapes LinkedIn's export writes
  (:func:`parse_export_date`, naive UTC), and what a person types or a spreadsheet saves
  (:func:`parse_user_time`): ISO 8601 with or without an offset, ``11/24/2026 14:00``,
  ``24.11.2026 14:00``, ``2026-11-24 14:00``. Whether ``03/04/2026`` is day-first or
  month-first is decided per file (:func:`decide_day_first`) and refused when nothing tells.
  Every date a user gives lies between 1900 and 2200, so that no later computation on it can
  overflow.
- **Zones** (:mod:`~backchannel.times.zones`). The config's ``timezone`` wins, then
  ``$BACKCHANNEL_TZ``, then ``$TZ`` read the way the C library reads it (POSIX rules such as
  ``EST5EDT,M3.2.0,M11.1.0`` included), then the system zone.
- **Hours and business days** (:mod:`~backchannel.times.workdays`). Hour windows are elapsed
  time (48 hours stay 48 hours across a daylight-saving change); business days are counted
  on the wall clock and skip weekends and, when a country is configured, its public holidays
  (the ``holidays`` package). Business hours are 09:00–18:00; the ring's default time is 10:00.
- **Human times** (:mod:`~backchannel.times.human`), the same words in tables, pages, maps and
  calendars whatever the machine's locale: ``Thu 26 Nov 14:00 EST`` (a zone's label wherever
  a page shows a time), ``in 3 h``, ``2 days ago``; and a day in a message's words, in English
  or Russian (``on Thursday, November 26``, ``в четверг, 26 ноября``).

Nothing here reads the clock: "now" is always passed in. Import from here
(``from backchannel.times import parse_user_time``); the modules are how the rules are kept.
"""

from __future__ import annotations

from .human import (
    format_by_day,
    format_day,
    human_ago,
    human_day,
    human_duration,
    human_relative,
    human_time,
    human_window,
    zone_label,
)
from .parsing import (
    DEFAULT_INTERVIEW_TIME,
    MAX_YEAR,
    MIN_YEAR,
    check_bounds,
    decide_day_first,
    parse_export_date,
    parse_user_time,
    utc_naive,
)
from .workdays import (
    BUSINESS_END,
    BUSINESS_START,
    RING_TIME,
    WorkCalendar,
    add_hours,
    work_calendar,
)
from .zones import SystemZone, country_of_zone, local_zone, zone_from_name, zone_name

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
