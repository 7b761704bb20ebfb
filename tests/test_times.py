"""times.py: parsing what people type, zones as the C library sees them, business days with holidays."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backchannel.errors import BackchannelError
from backchannel.times import (
    RING_TIME,
    WorkCalendar,
    decide_day_first,
    human_relative,
    human_time,
    human_window,
    parse_user_time,
    zone_from_name,
)

UTC = timezone.utc


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24T14:00:00-05:00", "2026-11-24T14:00:00-05:00"),
    ("2026-11-24T19:00Z", "2026-11-24T19:00:00+00:00"),
    ("2026-11-24 14:00", "2026-11-24T14:00:00+00:00"),
    ("2026-11-24", "2026-11-24T17:00:00+00:00"),
    ("11/24/2026 14:00", "2026-11-24T14:00:00+00:00"),
    ("11/24/2026 2:00 PM", "2026-11-24T14:00:00+00:00"),
    ("24.11.2026 14:00", "2026-11-24T14:00:00+00:00"),
    ("24/11/2026 14:00", "2026-11-24T14:00:00+00:00"),
    ("05.06.2026", "2026-06-05T17:00:00+00:00"),
    ("05 Jun 2026", "2026-06-05T17:00:00+00:00"),  # the forms LinkedIn's own files use
    ("7-Feb-26", "2026-02-07T17:00:00+00:00"),
    ("2026-10-26 11:43:11 UTC", "2026-10-26T11:43:11+00:00"),
])
def test_dates_as_people_and_spreadsheets_write_them(text, expected):
    assert parse_user_time(text, UTC).isoformat() == expected


def test_an_ambiguous_date_is_refused_unless_the_file_decides():
    with pytest.raises(ValueError, match="day-first or month-first"):
        parse_user_time("03/04/2026 10:00", UTC)
    assert parse_user_time("03/04/2026 10:00", UTC, day_first=True).date() == date(2026, 4, 3)
    assert parse_user_time("03/04/2026 10:00", UTC, day_first=False).date() == date(2026, 3, 4)


def test_the_order_is_decided_per_file_and_a_contradiction_names_both_lines():
    assert decide_day_first([(2, "03/04/2026"), (3, "24/11/2026")]) is True
    assert decide_day_first([(2, "03/04/2026"), (3, "11/24/2026")]) is False
    assert decide_day_first([(2, "2026-11-24"), (3, "24.11.2026")]) is None
    with pytest.raises(ValueError, match="line 2.*line 5"):
        decide_day_first([(2, "24/11/2026"), (5, "11/24/2026")])


@pytest.mark.parametrize("text", ["9999-12-31T23:00", "0001-01-01T00:00+05:00", "1899-12-31", "12/31/9999"])
def test_far_dates_are_refused_in_one_line(text):
    with pytest.raises(ValueError, match="between 1900 and 2200"):
        parse_user_time(text, UTC)


@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_with_a_value_error(text):
    try:
        value = parse_user_time(text, UTC)
    except ValueError as exc:
        assert "\n" not in str(exc)
    else:
        assert 1900 <= value.year <= 2200 and value.tzinfo is not None


def _zone_in_subprocess(tz: str) -> str:
    code = ("from backchannel.times import local_zone, zone_name; from datetime import datetime;"
            "z = local_zone(); print(zone_name(z, datetime(2026, 7, 1, 12)), datetime(2026, 1, 15, 12, tzinfo=z).utcoffset())")
    env = {k: v for k, v in os.environ.items() if k != "BACKCHANNEL_TZ"}
    env["TZ"] = tz
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.parametrize("tz, expected", [
    ("UTC0", "UTC 0:00:00"),
    ("EST5EDT,M3.2.0,M11.1.0", "UTC-04:00 -1 day, 19:00:00"),  # summer -4, winter -5
    ("UTC+5", "UTC-05:00 -1 day, 19:00:00"),  # POSIX: +5 is five hours west
    ("UTC+05:30", "UTC-05:30 -1 day, 18:30:00"),
    ("America/New_York", "America/New_York -1 day, 19:00:00"),
])
def test_posix_tz_values_resolve_as_the_c_library_does(tz, expected):
    assert _zone_in_subprocess(tz) == expected


def test_tz_pointing_at_a_zone_file():
    assert _zone_in_subprocess(":/usr/share/zoneinfo/Europe/Berlin").startswith("Europe/Berlin 1:00")


def test_an_unknown_zone_in_the_config_names_the_config_file(tmp_path):
    from backchannel.config import load_config

    config = tmp_path / "config.toml"
    config.write_text('timezone = "Mars/Olympus"\n')
    with pytest.raises(BackchannelError) as info:
        load_config(config)
    assert str(info.value).startswith(f"{config}: timezone: unknown time zone 'Mars/Olympus'")


def test_config_zone_wins_and_offsets_are_east_positive(monkeypatch):
    from backchannel.times import local_zone

    monkeypatch.setenv("TZ", "UTC+5")
    assert local_zone("+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    with pytest.raises(BackchannelError, match="unknown time zone"):
        zone_from_name("Mars/Olympus")


def test_a_check_in_booked_across_thanksgiving_skips_it():
    wed = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    assert WorkCalendar("US").add_business_days(wed, 2, at=RING_TIME) == \
        datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    assert WorkCalendar().add_business_days(wed, 2, at=RING_TIME).date() == date(2026, 11, 27)


def test_a_check_in_booked_across_russias_unity_day_skips_it():
    tue = datetime(2026, 11, 3, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))  # 4 November is a holiday
    assert WorkCalendar("RU").add_business_days(tue, 2, at=RING_TIME).date() == date(2026, 11, 6)
    assert WorkCalendar("RU").holiday_name(date(2026, 11, 4))


def test_unknown_country_is_one_line():
    with pytest.raises(BackchannelError, match="unknown country 'XX'"):
        WorkCalendar("XX")


def test_business_hours():
    cal = WorkCalendar()
    sat = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    assert cal.next_business_moment(sat) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    late = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    assert cal.next_business_moment(late) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    inside = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    assert cal.next_business_moment(inside) == inside


def test_human_times():
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert human_time(datetime(2026, 11, 26, 14, 0, tzinfo=UTC), UTC, now=now) == "Thu 26 Nov 14:00"
    assert human_time(datetime(2027, 1, 5, 10, 0, tzinfo=UTC), UTC, now=now) == "Tue 5 Jan 2027 10:00"
    assert human_relative(now + timedelta(hours=3), now) == "in 3 h"
    assert human_relative(now - timedelta(days=2), now) == "2 days ago"
    assert human_window(now, now + timedelta(hours=29), UTC) == "Wed 25 Nov 09:00 – Thu 26 Nov 14:00"
