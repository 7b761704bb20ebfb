"""Time zones and time arithmetic: absolute hours, business days, parsing user input."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BackchannelError

__all__ = ["local_zone", "parse_when", "add_hours", "add_business_days", "zone_name", "zone_from_name",
           "DEFAULT_INTERVIEW_TIME"]

DEFAULT_INTERVIEW_TIME = time(17, 0)


def zone_from_name(name: str) -> tzinfo:
    if not name:
        return timezone.utc
    if name.startswith(("UTC+", "UTC-")) or name == "UTC":
        if name == "UTC":
            return timezone.utc
        sign = 1 if name[3] == "+" else -1
        hh, mm = name[4:].split(":")
        return timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BackchannelError(f"unknown time zone {name!r}; use a name such as Europe/Berlin") from None


def zone_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if key:
        return key
    offset = tz.utcoffset(None) or timedelta(0)
    if offset == timedelta(0):
        return "UTC"
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def local_zone(configured: str = "") -> tzinfo:
    """The user's zone: the config, ``$BACKCHANNEL_TZ``, ``$TZ``, ``/etc/localtime``, else UTC."""
    for name in (configured, os.environ.get("BACKCHANNEL_TZ", ""), os.environ.get("TZ", "").lstrip(":")):
        if name:
            return zone_from_name(name)
    link = Path("/etc/localtime")
    try:
        target = str(link.resolve())
        if "zoneinfo/" in target:
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    return timezone.utc


def parse_when(text: str, tz: tzinfo, *, default_time: time = DEFAULT_INTERVIEW_TIME) -> datetime:
    """ISO 8601 date-time with or without an offset, or a date alone (at ``default_time``)."""
    value = (text or "").strip()
    if not value:
        raise ValueError("empty date")
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            return datetime.combine(d, default_time).replace(tzinfo=tz)
        dt = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or date-time (e.g. 2026-11-24T14:00-05:00)") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt


def add_hours(dt: datetime, hours: float) -> datetime:
    """Elapsed-time arithmetic: 48 hours are 48 real hours, across a daylight-saving change."""
    tz = dt.tzinfo
    return (dt.astimezone(timezone.utc) + timedelta(hours=hours)).astimezone(tz)


def add_business_days(dt: datetime, days: int) -> datetime:
    """Calendar arithmetic on the wall clock: the same local time, ``days`` working days later."""
    current = dt.replace(tzinfo=None)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current.replace(tzinfo=dt.tzinfo)
