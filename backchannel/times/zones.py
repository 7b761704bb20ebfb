"""Time zones: which zone the user is in, zones named in files, and the C library's own.

The user's zone (:func:`local_zone`): the config's ``timezone`` wins, then
``$BACKCHANNEL_TZ``, then ``$TZ`` read the way the C library reads it (POSIX rules such as
``EST5EDT,M3.2.0,M11.1.0`` included, as :class:`SystemZone`), then the system zone.
:func:`zone_from_name` reads an IANA name or a fixed offset and :func:`zone_name` writes one
back; :func:`country_of_zone` says which country's public holidays a named zone's business
days skip.
"""

from __future__ import annotations

import calendar
import os
import re
import time as _time
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BackchannelError

__all__ = ["SystemZone", "zone_from_name", "zone_name", "local_zone", "country_of_zone"]

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

