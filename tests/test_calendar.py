"""The calendar: short, free events at the start of each window, with a reminder and the draft;
private and neutral for a discreet search; every file read back by the icalendar package."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import INTERVIEW_ID
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from backchannel.calendar import fold, ics_text

AT = datetime.fromisoformat("2026-11-25T09:00:00-05:00")


def events(path):
    return {str(e["uid"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_each_open_touch_is_a_short_free_event_with_a_reminder_and_its_draft(app, tmp_path):
    app.edit_interview(INTERVIEW_ID, discreet=False)
    path = tmp_path / "plan.ics"
    count = app.write_ics(path, INTERVIEW_ID, at=AT)
    found = events(path)
    open_touches = [t for t in app.plan(INTERVIEW_ID, at=AT) if t.is_open and t.due_from and t.status != "optional"]
    assert count == len(open_touches) == len(found) > 5
    for t in open_touches:
        e = found[f"{t.id}@backchannel.local"]
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert end - start == timedelta(minutes=15)  # a short event, not the whole window
        assert t.due_from <= start <= t.due_by
        local = start.astimezone(t.due_from.tzinfo)
        assert local.weekday() < 5 and 9 <= local.hour < 18  # in their business hours
        assert str(e["transp"]) == "TRANSPARENT" and "class" not in e
        alarms = e.walk("VALARM")
        assert len(alarms) == 1 and alarms[0].decoded("trigger") == timedelta(0)  # at the event: waking hours
        assert f"backchannel done {t.id}" in str(e["description"]) and "Window:" in str(e["description"])


def test_a_discreet_interview_is_private_opaque_and_neutral(app, tmp_path):
    """The sample interview is discreet: nothing in the file names the company or a person."""
    path = tmp_path / "plan.ics"
    app.write_ics(path, INTERVIEW_ID, at=AT)
    text = path.read_text(encoding="utf-8")
    for word in ("Acme", "acme", "Jane", "jane-roe", "Chris", "thank-you-email", "backchannel done"):
        assert word not in text
    for uid, e in events(path).items():
        assert str(e["class"]) == "PRIVATE" and str(e["summary"]) == "Follow-up (private)"
        assert "categories" not in e and str(e["description"]) == "Follow-up: open backchannel"
        assert len(uid.split("@")[0]) == 32  # an opaque, stable name
    again = tmp_path / "again.ics"
    app.write_ics(again, INTERVIEW_ID, at=AT)
    assert set(events(again)) == set(events(path))


def test_reminders_fall_in_your_waking_hours_and_name_their_business_hours(tmp_path, sample_zip):
    """You live in Los Angeles, the company is in Berlin: a check-in at 10:00 there is 01:00 for
    you; its reminder comes at 08:00 your time (17:00 theirs), and says so."""
    from conftest import write

    from backchannel.api import Backchannel
    from backchannel.config import Config

    with Backchannel(tmp_path / "ws.sqlite", config=Config(timezone="America/Los_Angeles")) as app:
        app.import_interviews(write(tmp_path / "iv.csv", "company,date,role,name\n"
                                    "Hooli,2026-11-24T11:00+01:00,hiring-manager,Ruth Abernathy\n"))
        iv = "hooli-2026-11-24"
        app.done("ruth-abernathy/email", at=datetime.fromisoformat("2026-11-24T16:00+01:00"))  # books Thu 10:00
        path = tmp_path / "h.ics"
        app.write_ics(path, iv, at=datetime.fromisoformat("2026-11-25T12:00+01:00"))
        e = events(path)[f"{iv}/check-in/ruth-abernathy-1@backchannel.local"]
        start = e.decoded("dtstart").astimezone(ZoneInfo("America/Los_Angeles"))
        assert (start.hour, start.minute) == (8, 0)
        assert "Their business hours: 09:00–18:00 UTC+01:00 (00:00–09:00 PST your time)" in str(e["description"])


def test_nothing_is_due_before_the_interview_ends_and_no_reminder_on_a_public_holiday(tmp_path, sample_zip):
    from conftest import write

    from backchannel.api import Backchannel
    from backchannel.config import Config

    with Backchannel(tmp_path / "ws.sqlite", config=Config(timezone="America/New_York")) as app:
        app.import_interviews(write(tmp_path / "iv.csv", "company,date,role,name\n"
                                    "Globex,2026-12-23T10:00-05:00,interviewer,Aisha Okafor\n"
                                    "Globex,2026-12-23T10:00-05:00,referrer,Tom Brown\n"))
        iv = "globex-2026-12-23"
        thanks = next(t for t in app.plan(iv) if t.kind == "referrer-thanks")
        assert thanks.due_from == datetime.fromisoformat("2026-12-23T11:00-05:00")  # the interview has ended
        app.done("aisha-okafor/email", at=datetime.fromisoformat("2026-12-23T17:00-05:00"))  # note: 24-26 Dec
        path = tmp_path / "g.ics"
        app.write_ics(path, iv, at=datetime.fromisoformat("2026-12-24T09:00-05:00"))
        note = events(path)[f"{iv}/handwritten-note/aisha-okafor@backchannel.local"]
        start = note.decoded("dtstart").astimezone(ZoneInfo("America/New_York"))
        assert start.date().isoformat() != "2026-12-25" and 8 <= start.hour < 21


def test_a_window_with_no_business_hours_gets_a_daytime_event(app, tmp_path):
    """The email logged early on a Friday: the note's window is Saturday 05:50 to Sunday 05:50.
    Its reminder comes on Saturday morning (your waking hours start at 08:00), not before dawn."""
    app.edit_interview(INTERVIEW_ID, discreet=False)
    app.config.timezone = "America/New_York"  # you live where the company is
    logged = datetime.fromisoformat("2026-11-27T05:50:00-05:00")
    app.done("jane-roe/email", at=logged)
    path = tmp_path / "plan.ics"
    app.write_ics(path, INTERVIEW_ID, at=logged)
    note = events(path)[f"{INTERVIEW_ID}/handwritten-note/jane-roe@backchannel.local"]
    start = note.decoded("dtstart").astimezone(logged.tzinfo)
    assert start == datetime.fromisoformat("2026-11-28T08:00:00-05:00")


def test_the_email_and_its_calendar_entry_name_the_same_date(app, tmp_path):
    app.edit_interview(INTERVIEW_ID, discreet=False)
    path = tmp_path / "plan.ics"
    app.write_ics(path, INTERVIEW_ID, at=AT)
    description = str(events(path)[f"{INTERVIEW_ID}/thank-you-email/jane-roe@backchannel.local"]["description"])
    draft = app.draft("jane-roe/email", at=AT)
    assert draft.body in description and "I'll check in with the team on Friday, November 27." in description


def test_a_non_discreet_interview_names_the_touch(tmp_path, sample_zip):
    from conftest import write

    from backchannel.api import Backchannel
    from backchannel.config import Config

    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(sample_zip)
        app.import_interviews(write(tmp_path / "iv.csv", "company,date,role,name\n"
                                    "Globex,2026-11-24T14:00-05:00,interviewer,Aisha Okafor\n"))
        path = tmp_path / "g.ics"
        app.write_ics(path, at=AT)
        e = events(path)["globex-2026-11-24/thank-you-email/aisha-okafor@backchannel.local"]
        assert str(e["summary"]) == "Thank-you email: Aisha Okafor (Globex)" and "class" not in e


def test_skipped_done_and_waiting_touches_stay_out(app, tmp_path):
    app.edit_interview(INTERVIEW_ID, discreet=False)
    app.skip("omar-haddad/back-channel", at=AT)
    app.done("chris-lee/thanks", at=AT)
    path = tmp_path / "plan.ics"
    app.write_ics(path, INTERVIEW_ID, at=AT)
    uids = set(events(path))
    assert f"{INTERVIEW_ID}/back-channel/omar-haddad@backchannel.local" not in uids
    assert f"{INTERVIEW_ID}/referrer-thanks/chris-lee@backchannel.local" not in uids
    assert f"{INTERVIEW_ID}/handwritten-note/jane-roe@backchannel.local" not in uids  # no window until the email


@given(st.text(max_size=300))
def test_any_text_survives_the_round_trip(text):
    line = f"DESCRIPTION:{ics_text(text)}"
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    ical = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20261125T000000Z\r\n"
            f"{folded}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    event = Calendar.from_ical(ical).walk("VEVENT")[0]
    assert str(event["description"]) == text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("text", ["Zoë; O'Brien, PhD \\ 🚀", "Ольга Иванова " * 20, "李" * 60])
def test_names_with_punctuation_and_long_unicode_fold_cleanly(text):
    folded = fold(f"SUMMARY:{ics_text(text)}")
    assert "".join(part[1:] if i else part for i, part in enumerate(folded.split("\r\n"))) == \
        f"SUMMARY:{ics_text(text)}"


def test_the_calendar_is_utc_and_valid(app, tmp_path):
    path = tmp_path / "plan.ics"
    app.write_ics(path, INTERVIEW_ID, at=AT)
    cal = Calendar.from_ical(path.read_bytes())
    assert cal["version"] == "2.0" and "backchannel" in str(cal["prodid"])
    for e in cal.walk("VEVENT"):
        assert e.decoded("dtstart").tzinfo == timezone.utc or e.decoded("dtstart").utcoffset() == timedelta(0)
    assert path.read_bytes().count(b"\r\n") > 20 and b"\n\n" not in path.read_bytes()
