"""Hours and business days.

Hour windows are elapsed time (:func:`add_hours`: 48 hours stay 48 hours across a
daylight-saving change); business days are counted on the wall clock and skip weekends and,
when a country is configured, its public holidays (the ``holidays`` package, imported when
first needed) (:class:`WorkCalendar`). Business hours are 09:00–18:00; the ring's default
time is 10:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from ..errors import BackchannelError

__all__ = ["RING_TIME", "BUSINESS_START", "BUSINESS_END", "add_hours", "WorkCalendar", "work_calendar"]

RING_TIME = time(10, 0)  # the ring's default: 10:00 on a business day
BUSINESS_START, BUSINESS_END = time(9, 0), time(18, 0)


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

