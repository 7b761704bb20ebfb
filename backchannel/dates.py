"""Parsing the date shapes LinkedIn exports (and spreadsheet re-saves) use.

All results are naive datetimes in UTC (LinkedIn writes UTC or no zone at all).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

__all__ = ["parse_export_date"]

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
