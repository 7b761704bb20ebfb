"""Invitations to interviews: Google, Outlook and Apple variants, updates, cancellations, bad files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.errors import InputError
from backchannel.readers.invites import company_from_summary, parse_invite, read_invite
from backchannel.sample import SAMPLE_USER_EMAIL, sample_invite, write_sample_invite

ME = "alex.morgan@example.com"
COMPANIES = ["Acme Corp.", "ACME Corporation", "Globex", "Initech", "Hooli", "Wayne Enterprises"]
NEW_YORK = ZoneInfo("America/New_York")


def ics(*lines: str, method: str = "REQUEST", head: tuple[str, ...] = ()) -> str:
    """A calendar around ``lines`` (the event's own lines), CRLF, as mailers write them."""
    top = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"] + ([f"METHOD:{method}"] if method else [])
    return "\r\n".join([*top, *head, "BEGIN:VEVENT", *lines, "END:VEVENT", "END:VCALENDAR"]) + "\r\n"


def write(tmp_path: Path, text: str, name: str = "invite.ics") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def read(path: Path, **kwargs):
    kwargs.setdefault("own_addresses", [ME])
    kwargs.setdefault("companies", COMPANIES)
    return read_invite(path, **kwargs)


# --------------------------------------------------------------------------- Google

GOOGLE = ics(
    "DTSTART:20261124T190000Z",
    "DTEND:20261124T200000Z",
    "DTSTAMP:20261120T150000Z",
    "ORGANIZER;CN=Priya Nair:mailto:priya.nair@acme.example",
    "UID:7kukuqrfedlm2f9t0vcc8bgp3o@google.com",
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Priya Nair;X-NUM-GUESTS=0:mailto:priy",
    " a.nair@acme.example",
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=",
    " TRUE;CN=Jane Roe;X-NUM-GUESTS=0:mailto:jane.roe@acme.example",
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=",
    " TRUE;CN=sam.patel@acme.example;X-NUM-GUESTS=0:mailto:sam.patel@acme.example",
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=",
    " TRUE;CN=Alex.Morgan@example.com;X-NUM-GUESTS=0:mailto:Alex.Morgan@example.com",
    "ATTENDEE;CUTYPE=RESOURCE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=NYC-5-Hu",
    " dson (8);X-NUM-GUESTS=0:mailto:c_188abc@resource.calendar.google.com",
    "X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij",
    "DESCRIPTION:Join with Google Meet: https://meet.google.com/abc-defg-hij\\n\\nInvitation from Google Calen",
    " dar",
    "SEQUENCE:0",
    "STATUS:CONFIRMED",
    "SUMMARY:Interview with Acme Corp",
    "TRANSP:OPAQUE",
    "BEGIN:VALARM",
    "ACTION:EMAIL",
    "ATTENDEE:mailto:someone.else@acme.example",
    "TRIGGER:-P0DT0H30M0S",
    "END:VALARM",
)


def test_a_google_invitation(tmp_path):
    invite = read(write(tmp_path, GOOGLE))
    assert invite.start == datetime(2026, 11, 24, 19, 0, tzinfo=timezone.utc)
    assert invite.end == invite.ends == datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
    assert (invite.zone, invite.zone_source) == ("UTC", "utc")
    assert (invite.uid, invite.sequence, invite.method, invite.cancelled) == (
        "7kukuqrfedlm2f9t0vcc8bgp3o@google.com", 0, "REQUEST", False)
    assert (invite.company, invite.company_source) == ("Acme Corp", "summary")
    assert invite.organizer is not None
    assert (invite.organizer.name, invite.organizer.email, invite.organizer.role) == (
        "Priya Nair", "priya.nair@acme.example", "recruiter")
    # the organizer listed again, the user, the room and the alarm's address are not interviewers
    assert [(p.name, p.email, p.role, p.required) for p in invite.attendees] == [
        ("Jane Roe", "jane.roe@acme.example", "interviewer", True),
        ("", "sam.patel@acme.example", "interviewer", False)]
    path = tmp_path / "invite.ics"
    assert invite.organizer.where == f"{path}, line 9"
    assert [p.where for p in invite.attendees] == [f"{path}, line 13", f"{path}, line 15"]
    assert (invite.where, invite.start_where, invite.company_where) == (
        f"{path}, line 5", f"{path}, line 6", f"{path}, line 26")
    assert invite.stamp == datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)
    assert any("room or resource" in n for n in invite.notes)
    assert any("does not say where" in n for n in invite.notes)


# --------------------------------------------------------------------------- Outlook

EASTERN = (
    "BEGIN:VTIMEZONE", "TZID:Eastern Standard Time",
    "BEGIN:STANDARD", "DTSTART:16010101T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3", "END:DAYLIGHT",
    "END:VTIMEZONE",
)


def test_an_outlook_invitation_with_a_windows_zone(tmp_path):
    path = write_sample_invite(tmp_path / "invite.ics")
    invite = read(path)
    assert invite.start == datetime(2026, 11, 24, 14, 0, tzinfo=NEW_YORK)
    assert invite.start.tzinfo == NEW_YORK and invite.end == datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
    assert (invite.zone, invite.zone_source, invite.method, invite.sequence) == (
        "America/New_York", "windows", "REQUEST", 0)
    assert (invite.company, invite.company_source) == ("Acme Corp.", "summary")
    assert invite.organizer is not None and invite.organizer.name == "Priya Nair"  # "Nair, Priya"
    assert [(p.name, p.email) for p in invite.attendees] == [("Jane Roe", "jane.roe@acme.example"),
                                                             ("Sam Patel", "sam.patel@acme.example")]
    assert [p.where for p in invite.attendees] == [f"{path}, line 22", f"{path}, line 24"]
    assert invite.notes == ()


def test_an_update_moves_the_interview_and_a_cancellation_says_so(tmp_path):
    first = read(write(tmp_path, sample_invite("2026-11-24T14:00:00"), "first.ics"))
    moved = read(write(tmp_path, sample_invite("2026-11-26T10:30:00", sequence=1), "moved.ics"))
    cancelled = read(write(tmp_path, sample_invite("2026-11-26T10:30:00", sequence=2, cancelled=True), "c.ics"))
    assert first.uid == moved.uid == cancelled.uid
    assert (first.sequence, moved.sequence, cancelled.sequence) == (0, 1, 2)
    assert moved.start == datetime(2026, 11, 26, 10, 30, tzinfo=NEW_YORK)
    assert not first.cancelled and not moved.cancelled
    assert cancelled.cancelled and cancelled.method == "CANCEL"
    assert cancelled.company == "Acme Corp."  # "Canceled: Interview with Acme Corp."
    status_only = sample_invite(sequence=3).replace("STATUS:CONFIRMED", "STATUS:CANCELLED")
    assert read(write(tmp_path, status_only, "s.ics")).cancelled


def test_a_windows_zone_in_summer_and_an_outlook_display_name_zone(tmp_path):
    summer = read(write(tmp_path, sample_invite("2026-07-01T09:00:00"), "summer.ics"))
    assert summer.start.utcoffset() == timedelta(hours=-4) and summer.zone == "America/New_York"
    display = sample_invite().replace("TZID:Eastern Standard Time",
                                      "TZID:(UTC-05:00) Eastern Time (US & Canada)").replace(
        "TZID=Eastern Standard Time", 'TZID="(UTC-05:00) Eastern Time (US & Canada)"')
    invite = read(write(tmp_path, display, "display.ics"))
    assert invite.start == datetime(2026, 11, 24, 19, 0, tzinfo=timezone.utc)
    # Windows' display name is the zone it names: its holidays and its daylight saving, not a fixed offset
    assert (invite.zone, invite.zone_source) == ("America/New_York", "windows")
    mars = read(write(tmp_path, display.replace("Eastern Time (US & Canada)", "Mars Base"), "mars.ics"))
    assert (mars.zone, mars.zone_source) == ("UTC-05:00", "vtimezone")
    assert any("not a zone name we know" in n for n in mars.notes)


def test_each_file_is_read_with_its_own_zone_definition(tmp_path):
    """icalendar caches custom zones by name for the whole process; a second file with the
    same made-up name and other offsets must still get its own."""

    def custom(offset: str) -> str:
        return ics("UID:c1", "DTSTART;TZID=Customized Time Zone:20261124T140000", "SUMMARY:Interview with Globex",
                   head=("BEGIN:VTIMEZONE", "TZID:Customized Time Zone", "BEGIN:STANDARD",
                         "DTSTART:16010101T000000", f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}", "END:STANDARD",
                         "END:VTIMEZONE"))

    west = read(write(tmp_path, custom("-0800"), "west.ics"))
    east = read(write(tmp_path, custom("+0300"), "east.ics"))
    assert west.start.utcoffset() == timedelta(hours=-8)
    assert east.start.utcoffset() == timedelta(hours=3)
    assert (east.zone, east.zone_source) == ("UTC+03:00", "vtimezone")


def test_a_windows_name_whose_definition_disagrees_keeps_the_definition(tmp_path):
    odd = sample_invite().replace("TZOFFSETTO:-0500", "TZOFFSETTO:-0600")
    invite = read(write(tmp_path, odd))
    assert invite.start.utcoffset() == timedelta(hours=-6) and invite.zone_source == "vtimezone"


# --------------------------------------------------------------------------- Apple

APPLE = ics(
    "CREATED:20261120T101010Z",
    "UID:9F1A3C52-7B0E-4C1D-9E8F-6A2B3C4D5E6F",
    "DTEND;TZID=America/Los_Angeles:20261124T113000",
    "TRANSP:OPAQUE",
    "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC",
    "SUMMARY:Globex – onsite",
    "DTSTART;TZID=America/Los_Angeles:20261124T100000",
    "DTSTAMP:20261120T101015Z",
    "SEQUENCE:1",
    'ORGANIZER;CN="Dana Whitfield";EMAIL="dana@talentbridge.example":mailto:dana@talentbridge.example',
    'ATTENDEE;CN="Omar Haddad";CUTYPE=INDIVIDUAL;EMAIL="omar.haddad@globex.example";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:urn:uuid:1B2C3D4E-0000-0000-0000-000000000001',
    'ATTENDEE;CN="Alex Morgan";CUTYPE=INDIVIDUAL;EMAIL="alex.morgan@example.com";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:urn:uuid:1B2C3D4E-0000-0000-0000-000000000002',
    'ATTENDEE;CN="Lena Schmidt";CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION:invalid:nomail',
    'ATTENDEE;CN="Marco Rossi";CUTYPE=INDIVIDUAL;EMAIL="marco@globex.example";PARTSTAT=DECLINED:urn:uuid:3',
    head=("CALSCALE:GREGORIAN", "X-WR-TIMEZONE:America/Los_Angeles",
          "BEGIN:VTIMEZONE", "TZID:America/Los_Angeles", "BEGIN:STANDARD", "DTSTART:20071104T020000",
          "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "TZOFFSETFROM:-0700", "TZOFFSETTO:-0800", "TZNAME:PST",
          "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:20070311T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
          "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700", "TZNAME:PDT", "END:DAYLIGHT", "END:VTIMEZONE"),
)


def test_an_apple_invitation(tmp_path):
    invite = read(write(tmp_path, APPLE))
    los_angeles = ZoneInfo("America/Los_Angeles")
    assert invite.start == datetime(2026, 11, 24, 10, 0, tzinfo=los_angeles)
    assert invite.end == datetime(2026, 11, 24, 11, 30, tzinfo=los_angeles)
    assert (invite.zone, invite.zone_source, invite.sequence) == ("America/Los_Angeles", "tzid", 1)
    assert (invite.company, invite.company_source) == ("Globex", "summary")
    assert invite.organizer is not None and invite.organizer.email == "dana@talentbridge.example"
    assert [(p.name, p.email) for p in invite.attendees] == [("Omar Haddad", "omar.haddad@globex.example"),
                                                             ("Lena Schmidt", "")]
    assert any("Marco Rossi declined" in n for n in invite.notes)


def test_floating_times_take_x_wr_timezone_or_the_users_zone(tmp_path):
    floating = ics("UID:f1", "DTSTART:20261124T100000", "DURATION:PT45M", "SUMMARY:Phone screen with Hooli")
    berlin = ZoneInfo("Europe/Berlin")
    invite = read(write(tmp_path, floating), zone=berlin)
    assert invite.start == datetime(2026, 11, 24, 10, 0, tzinfo=berlin)
    assert invite.end == datetime(2026, 11, 24, 10, 45, tzinfo=berlin)
    assert (invite.zone, invite.zone_source, invite.company) == ("Europe/Berlin", "floating", "Hooli")
    apple = floating.replace("METHOD:REQUEST", "METHOD:PUBLISH\r\nX-WR-TIMEZONE:America/Los_Angeles")
    invite = read(write(tmp_path, apple, "apple.ics"), zone=berlin)
    assert invite.start == datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert invite.zone_source == "x-wr-timezone"
    utc_with_x_wr = apple.replace("DTSTART:20261124T100000", "DTSTART:20261124T180000Z")
    invite = read(write(tmp_path, utc_with_x_wr, "utc.ics"))
    assert invite.start == datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert invite.start.tzinfo == ZoneInfo("America/Los_Angeles")


def test_a_day_without_a_time_and_an_invitation_without_an_end(tmp_path):
    day = read(write(tmp_path, ics("UID:d", "DTSTART;VALUE=DATE:20261124", "DTEND;VALUE=DATE:20261125",
                                   "SUMMARY:Acme Corp onsite interview")), zone=NEW_YORK)
    assert day.start == datetime(2026, 11, 24, 17, 0, tzinfo=NEW_YORK) and day.zone_source == "date"
    assert day.end is None and day.ends == datetime(2026, 11, 24, 18, 0, tzinfo=NEW_YORK)
    assert day.company == "Acme Corp"
    bare = read(write(tmp_path, ics("UID:b", "DTSTART;TZID=Europe/Berlin:20261124T100000"), "b.ics"))
    assert bare.end is None and bare.ends - bare.start == timedelta(hours=1)
    backwards = read(write(tmp_path, ics("UID:x", "DTSTART:20261124T100000Z", "DTEND:20261124T090000Z"), "x.ics"))
    assert backwards.end is None and any("not after the start" in n for n in backwards.notes)


def test_the_invitation_inside_a_saved_email(tmp_path):
    message = EmailMessage()
    message["From"] = "Priya Nair <priya.nair@acme.example>"
    message["To"] = ME
    message["Subject"] = "Invitation: Interview with Acme Corp"
    message.set_content("You are invited.")
    message.add_alternative(sample_invite(), subtype="calendar", params={"method": "REQUEST"})
    path = tmp_path / "Invitation.eml"
    path.write_bytes(message.as_bytes())
    invite = read(path)
    assert invite.start == datetime(2026, 11, 24, 14, 0, tzinfo=NEW_YORK) and invite.company == "Acme Corp."
    assert invite.path == str(path) and invite.where == f"{path} (its invitation), line 20"
    plain = tmp_path / "plain.eml"
    plain.write_bytes(b"From: a@b.example\nSubject: hi\n\nno invitation here\n")
    with pytest.raises(InputError, match="holds no invitation"):
        read(plain)


# --------------------------------------------------------------------------- the company


@pytest.mark.parametrize("summary, company, source", [
    ("Interview with Acme Corp", "Acme Corp", "summary"),
    ("Acme Corp – onsite", "Acme Corp", "summary"),
    ("Acme Corp - Onsite Interview", "Acme Corp", "summary"),
    ("Invitation: Acme Corp: Technical Interview @ Tue Nov 24, 2026 2pm - 3pm (EST) (alex.morgan@example.com)",
     "Acme Corp", "summary"),
    ("Updated invitation: Interview at Initech", "Initech", "summary"),
    ("Senior Backend Engineer | Globex | Final round", "Globex", "summary"),
    ("Alex <> Hooli", "Hooli", "summary"),  # not an interview's words, but a known company
    ("[Wayne Enterprises] Hiring manager chat", "Wayne Enterprises", "summary"),
    ("Pied Piper interview", "Pied Piper", "summary"),  # unknown to the export, but it says so
    ("Jane Roe / Alex Morgan - Technical Interview", "Acme Corp.", "domain"),
    ("Technical interview", "Acme Corp.", "domain"),
    ("Catch-up", "Acme Corp.", "domain"),
])
def test_the_company_from_the_summary_or_the_attendees_domain(tmp_path, summary, company, source):
    text = ics("UID:s", "DTSTART:20261124T190000Z", f"SUMMARY:{summary}",
               "ORGANIZER;CN=Priya Nair:mailto:priya@acme.example",
               "ATTENDEE;CN=Jane Roe:mailto:jane.roe@eng.acme.example",
               "ATTENDEE;CN=Alex Morgan:mailto:alex.morgan@example.com")
    invite = read(write(tmp_path, text))
    assert (invite.company, invite.company_source) == (company, source)
    where = tmp_path / "invite.ics"
    assert invite.company_where == f"{where}, line {8 if source == 'summary' else 10}"


def test_an_agency_recruiter_and_an_unknown_company(tmp_path):
    agency = ics("UID:a", "DTSTART:20261124T190000Z", "SUMMARY:Chat",
                 "ORGANIZER;CN=Dana:mailto:dana@acme-recruiting.example",  # an agency whose name looks like Acme
                 "ATTENDEE;CN=Omar Haddad:mailto:omar@globex.example")
    invite = read(write(tmp_path, agency))
    assert (invite.company, invite.company_source) == ("Globex", "domain")  # the interviewers' domain first
    unknown = ics("UID:u", "DTSTART:20261124T190000Z", "SUMMARY:Quick chat",
                  "ORGANIZER;CN=Bob:mailto:bob.recruits@gmail.com",
                  "ATTENDEE;CN=Carol:mailto:carol@umbrella.example")
    invite = read(write(tmp_path, unknown, "u.ics"))
    assert (invite.company, invite.company_source, invite.company_where) == ("", "", "")
    assert invite.company_candidates == ("Quick", "Umbrella")
    two = ics("UID:t", "DTSTART:20261124T190000Z", "SUMMARY:Acme and Globex sync",
              "ATTENDEE;CN=Carol:mailto:carol@umbrella.example")
    assert read(write(tmp_path, two, "t.ics")).company == ""  # two known companies: ask


def test_the_user_as_organizer_has_no_recruiter(tmp_path):
    text = ics("UID:o", "DTSTART:20261124T190000Z", "SUMMARY:Interview with Acme Corp",
               "ORGANIZER;CN=Alex Morgan:mailto:ALEX.MORGAN@example.com",
               "ATTENDEE;CN=Jane Roe:mailto:jane.roe@acme.example")
    invite = read(write(tmp_path, text))
    assert invite.organizer is None and [p.name for p in invite.attendees] == ["Jane Roe"]
    assert "you are the organizer: there is no recruiter on this invitation" in invite.notes
    hm = read(write(tmp_path, GOOGLE, "g.ics"), organizer_role="hiring-manager")
    assert hm.organizer is not None and hm.organizer.role == "hiring-manager"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.lists(st.text(max_size=20), max_size=3))
def test_the_summary_reader_takes_any_text_and_never_names_a_person(summary, people):
    candidates, _ = company_from_summary(summary, people)
    from backchannel.identity import normalise_name

    names = {normalise_name(p) for p in people} - {""}
    assert not any(normalise_name(c) in names for c in candidates)


# --------------------------------------------------------------------------- several events, bad files


def test_several_events_take_the_interview_or_refuse(tmp_path):
    two = GOOGLE.replace("END:VEVENT\r\nEND:VCALENDAR", "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:lunch\r\n"
                         "DTSTART:20261124T170000Z\r\nSUMMARY:Lunch with the team\r\nEND:VEVENT\r\nEND:VCALENDAR")
    invite = read(write(tmp_path, two))
    assert invite.company == "Acme Corp"
    assert any("2 events in the file; the interview ('Interview with Acme Corp', line 5) was taken" in n
               for n in invite.notes)
    neither = two.replace("SUMMARY:Interview with Acme Corp", "SUMMARY:Dentist")
    with pytest.raises(InputError) as caught:
        read(write(tmp_path, neither, "n.ics"))
    assert str(caught.value) == (
        f"{tmp_path / 'n.ics'}: 2 events in this file and none of them reads as an interview (line 5: 'Dentist'; "
        f"line 34: 'Lunch with the team'); save the interview's invitation on its own")
    versions = GOOGLE.replace("END:VEVENT\r\nEND:VCALENDAR\r\n", "END:VEVENT\r\nBEGIN:VEVENT\r\n" + GOOGLE.split(
        "BEGIN:VEVENT\r\n", 1)[1].replace("SEQUENCE:0", "SEQUENCE:4").replace("T190000Z", "T210000Z"))
    latest = read(write(tmp_path, versions, "v.ics"))
    assert latest.sequence == 4 and latest.start.hour == 21


@pytest.mark.parametrize("text, message, line", [
    ("", "not a calendar invitation", 1),
    ("Hello, see you on Tuesday!\n", "not a calendar invitation", 1),
    ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261124T190000Z\r\n", "cut short: BEGIN:VCALENDAR", 1),
    (ics("UID:x", "SUMMARY:Interview"), "has no start (DTSTART)", 5),
    (ics("UID:x", "DTSTART:next tuesday"), "the start (DTSTART) 'next tuesday' is not a date", 7),
    (ics("UID:x", "DTSTART:20261124T190000Z", method="REPLY"), "an answer to an invitation (METHOD:REPLY)", 5),
    ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no event in this file", None),
    ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis line is garbage\r\nEND:VCALENDAR\r\n", "not a valid iCalendar file", 3),
    ("BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "not a valid iCalendar file", 2),
    ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261124T190000Z\r\nEND:VCALENDAR\r\n",
     "BEGIN:VEVENT on this line is never ended", 2),
])
def test_bad_files_are_one_line_errors_with_the_line(tmp_path, text, message, line):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read(path)
    error = caught.value
    assert message in str(error) and "\n" not in str(error)
    assert error.path == str(path) and error.line == line


def test_missing_and_huge_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nowhere.ics")
    huge = tmp_path / "calendar.ics"
    huge.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (5 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n")
    with pytest.raises(InputError, match="a whole calendar, not an invitation"):
        read(huge)


line_of_event = st.sampled_from([
    "DTSTART:20261124T190000Z", "DTSTART;TZID=Nowhere/City:20261124T190000", "DTSTART;VALUE=DATE:20261124",
    "DTEND:20261124T200000Z", "DURATION:PT1H", "DURATION:garbage", "SEQUENCE:x", "SEQUENCE:3", "STATUS:CANCELLED",
    "SUMMARY:Interview with Acme", "ORGANIZER:mailto:", "ORGANIZER;CN=\"Roe, Jane\":mailto:jane@acme.example",
    "ATTENDEE;CUTYPE=GROUP:mailto:panel@acme.example", "ATTENDEE:invalid:nomail", "ATTENDEE;CN=,:urn:x",
    "UID:x", "DTSTAMP:bad", "RRULE:FREQ=WEEKLY", "X-ODD;P=\"q\":v", "BEGIN:VALARM", "END:VALARM",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line_of_event, max_size=12), st.sampled_from(["REQUEST", "CANCEL", "PUBLISH", ""]))
def test_any_mix_of_properties_reads_or_is_a_one_line_error(lines, method):
    try:
        invite = parse_invite(ics(*lines, method=method), "fuzz.ics", own_addresses=[ME], companies=COMPANIES)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.ics")
    else:
        assert invite.start.tzinfo is not None and invite.ends > invite.start


def test_the_sample_invitation_is_what_the_generator_writes():
    sample = Path(__file__).resolve().parent.parent / "data" / "sample" / "invite.ics"
    assert sample.read_bytes().decode("utf-8") == sample_invite()
    invite = read(sample, own_addresses=[SAMPLE_USER_EMAIL])
    assert invite.company == "Acme Corp." and len(invite.attendees) == 2


def test_a_property_given_twice_takes_the_first(tmp_path):
    text = ics("UID:a", "UID:b", "DTSTART:20261124T190000Z", "DTSTART:20261125T190000Z", "SUMMARY:Interview with Globex",
               "SUMMARY:Something else", "SEQUENCE:2", "SEQUENCE:5")
    invite = read(write(tmp_path, text))
    assert (invite.uid, invite.start.day, invite.summary, invite.sequence, invite.company) == (
        "a", 24, "Interview with Globex", 2, "Globex")


def test_an_ics_that_does_not_start_with_begin_is_not_taken_for_an_email(tmp_path):
    path = write(tmp_path, "PRODID:-//x//EN\r\n" + GOOGLE)
    with pytest.raises(InputError, match="not a calendar invitation"):
        read(path)
