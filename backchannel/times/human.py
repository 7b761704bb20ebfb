"""Human times: the same words in tables, pages, maps and calendars whatever the machine's locale.

``Thu 26 Nov 14:00 EST`` (:func:`human_time`, with a zone's label wherever a page shows a
time: :func:`zone_label`), ``in 3 h`` (:func:`human_relative`), ``2 days ago``
(:func:`human_ago`); and a day in a message's words, in English or Russian (``on Thursday,
November 26``, ``в четверг, 26 ноября``: :func:`format_day`, :func:`format_by_day`, through
Babel, imported when first needed).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo  # noqa: F401 (timezone: the examples)
from functools import lru_cache
from zoneinfo import ZoneInfo  # noqa: F401 (the examples use it)

__all__ = ["zone_label", "human_day", "human_time", "human_window", "human_relative", "human_duration",
           "human_ago", "format_day", "format_by_day"]

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
