"""The follow-up planner: windows, re-anchoring, time zones, the ring, drafts, the calendar."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import INTERVIEW_ID, NOW, write

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.errors import BackchannelError, NotFoundError

EST = timezone(timedelta(hours=-5))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def plan(app, when: str):
    return {t["id"]: t for t in app.plan_records(INTERVIEW_ID, at=at(when))}


def tid(kind: str, slug: str) -> str:
    return f"{INTERVIEW_ID}/{kind}/{slug}"


def test_windows_from_the_spec_table(app):
    p = plan(app, "2026-11-24T15:00:00-05:00")
    assert (p[tid("thank-you-email", "jane-roe")]["due_from"], p[tid("thank-you-email", "jane-roe")]["due_by"]) == (
        "2026-11-24T16:00:00-05:00", "2026-11-26T14:00:00-05:00")
    # until the email is logged, the note is anchored on the email's earliest time (t+2h)
    note = p[tid("handwritten-note", "jane-roe")]
    assert (note["due_from"], note["due_by"]) == ("2026-11-25T16:00:00-05:00", "2026-11-26T16:00:00-05:00")
    thanks = p[tid("referrer-thanks", "chris-lee")]
    assert (thanks["due_from"], thanks["due_by"], thanks["status"]) == (
        "2026-11-24T14:00:00-05:00", "2026-11-25T14:00:00-05:00", "due")
    # recruiters get an email but no handwritten note
    assert tid("thank-you-email", "priya-nair") in p and tid("handwritten-note", "priya-nair") not in p
    backs = [t for t in p.values() if t["kind"] == "back-channel"]
    assert len(backs) == 3 and all(t["due_from"] == "2026-11-25T14:00:00-05:00" for t in backs)
    assert "Chris Lee" not in {t["person"] for t in backs}  # the referrer is thanked, not back-channelled
    casual = sorted(t["id"] for t in p.values() if t["kind"] == "casual-touch")
    assert casual == [tid("casual-touch", "jane-roe-1"), tid("casual-touch", "jane-roe-2")]
    assert p[tid("casual-touch", "jane-roe-1")]["due_from"] == "2026-12-01T14:00:00-05:00"
    assert p[tid("casual-touch", "jane-roe-2")]["due_from"] == "2026-12-08T14:00:00-05:00"
    # Sam Patel's interests are recorded, but he is the hiring manager: no casual touch
    assert not any("sam-patel" in t for t in casual)


@pytest.mark.parametrize("when, status", [
    ("2026-11-24T15:59:00-05:00", "pending"),
    ("2026-11-24T16:00:00-05:00", "due"),
    ("2026-11-26T14:00:00-05:00", "due"),
    ("2026-11-26T14:01:00-05:00", "overdue"),
    ("2026-11-26T19:01:00+00:00", "overdue"),  # the same instant in another zone
])
def test_status_at_a_given_time(app, when, status):
    assert plan(app, when)[tid("thank-you-email", "jane-roe")]["status"] == status


def test_note_reanchors_on_the_logged_email(app):
    app.done(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T20:30:00-05:00"))
    note = plan(app, "2026-11-25T09:00:00-05:00")[tid("handwritten-note", "jane-roe")]
    assert (note["due_from"], note["due_by"]) == ("2026-11-25T20:30:00-05:00", "2026-11-26T20:30:00-05:00")


def test_ring_default_is_two_business_days(app):
    # done on the Friday after the interview: the check-in is on Tuesday, same time
    checkin = app.done(tid("thank-you-email", "sam-patel"), at=at("2026-11-27T10:00:00-05:00"))
    assert checkin["id"] == tid("check-in", "sam-patel-1")
    assert checkin["due_at"].isoformat() == "2026-12-01T10:00:00-05:00"
    p = plan(app, "2026-12-01T12:00:00-05:00")
    assert p[tid("check-in", "sam-patel-1")]["status"] == "due"
    assert p[tid("thank-you-email", "sam-patel")]["status"] == "done"


def test_next_commitment_and_supersession(app):
    app.done(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T18:00:00-05:00"),
             next_at=at("2026-11-27T09:00:00-05:00"))
    app.done(tid("handwritten-note", "jane-roe"), at=at("2026-11-25T20:00:00-05:00"),
             next_at=at("2026-12-02T09:00:00-05:00"))
    p = plan(app, "2026-11-28T09:00:00-05:00")
    assert p[tid("check-in", "jane-roe-1")]["status"] == "cancelled"  # superseded by the newer commitment
    assert p[tid("check-in", "jane-roe-2")]["status"] == "pending"
    assert p[tid("check-in", "jane-roe-2")]["due_from"] == "2026-12-02T09:00:00-05:00"
    with pytest.raises(BackchannelError, match="superseded"):
        app.done(tid("check-in", "jane-roe-1"), at=at("2026-11-28T09:00:00-05:00"))
    with pytest.raises(BackchannelError, match="--next must be after"):
        app.done(tid("thank-you-email", "sam-patel"), at=at("2026-11-25T09:00:00-05:00"),
                 next_at=at("2026-11-24T09:00:00-05:00"))


def test_referrer_and_back_channel_touches_make_no_check_in(app):
    assert app.done(tid("referrer-thanks", "chris-lee"), at=at("2026-11-24T18:00:00-05:00")) is None


def test_unknown_touch_is_a_clear_error(app):
    with pytest.raises(NotFoundError, match="unknown touch"):
        app.done(f"{INTERVIEW_ID}/thank-you-email/nobody", at=NOW)
    with pytest.raises(NotFoundError, match="unknown interview"):
        app.done("nope/thank-you-email/jane-roe", at=NOW)


def test_close_cancels_open_touches_and_keeps_done_ones(app):
    app.done(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T18:00:00-05:00"))
    cancelled = app.close_interview(INTERVIEW_ID, "rejected", at=at("2026-11-26T09:00:00-05:00"))
    p = plan(app, "2026-11-26T10:00:00-05:00")
    assert p[tid("thank-you-email", "jane-roe")]["status"] == "done"
    statuses = {t["status"] for k, t in p.items() if k != tid("thank-you-email", "jane-roe")}
    assert statuses == {"cancelled"}
    assert cancelled == len(p) - 1
    assert app.due_records(at=at("2026-11-26T10:00:00-05:00")) == []


def test_done_survives_reimports(app, sample_zip, sample_interviews):
    app.done(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T18:00:00-05:00"))
    app.done(tid("back-channel", "omar-haddad"), at=at("2026-11-25T18:00:00-05:00"))
    app.import_linkedin(sample_zip, now=NOW)
    app.import_interviews(sample_interviews, now=NOW)
    p = plan(app, "2026-11-26T10:00:00-05:00")
    assert p[tid("thank-you-email", "jane-roe")]["done_at"] == "2026-11-24T18:00:00-05:00"
    assert p[tid("back-channel", "omar-haddad")]["status"] == "done"
    assert p[tid("check-in", "jane-roe-1")]["due_from"] == "2026-11-26T18:00:00-05:00"


def test_hour_windows_are_elapsed_time_across_a_dst_change(tmp_path, sample_zip):
    config = tmp_path / "config.toml"
    config.write_text('timezone = "America/New_York"\n')
    # 2026-11-01 02:00 EDT: clocks go back an hour
    iv = write(tmp_path / "iv.csv", "company,date,role,name\nAcme,2026-10-31T14:00,interviewer,Jane Roe\n")
    with Backchannel(tmp_path / "ws.sqlite", config=config) as app:
        app.import_linkedin(sample_zip, now=NOW)
        app.import_interviews(iv, now=NOW)
        p = {t["id"]: t for t in app.plan_records("acme-2026-10-31", at=at("2026-10-31T15:00:00-04:00"))}
        email = p["acme-2026-10-31/thank-you-email/jane-roe"]
        assert email["due_from"] == "2026-10-31T16:00:00-04:00"
        assert email["due_by"] == "2026-11-02T13:00:00-05:00"  # 48 real hours later, in winter time
        checkin = app.done("acme-2026-10-31/thank-you-email/jane-roe",
                           at=datetime(2026, 10, 30, 10, 0, tzinfo=ZoneInfo("America/New_York")) + timedelta(days=1))
        # business days keep the wall-clock time across the change: Mon 2 Nov... Tue 3 Nov at 10:00 EST
        assert checkin["due_at"].isoformat() == "2026-11-03T10:00:00-05:00"


def test_every_interviewer_facing_draft_carries_a_dated_commitment(app):
    touches = app.plan_touches(INTERVIEW_ID, at=at("2026-11-24T15:00:00-05:00"))
    app.done(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T18:00:00-05:00"))
    touches = app.plan_touches(INTERVIEW_ID, at=at("2026-11-24T19:00:00-05:00"))
    facing = [t for t in touches if t.role in ("interviewer", "hiring-manager", "recruiter")]
    assert {t.kind for t in facing} >= {"thank-you-email", "handwritten-note", "casual-touch", "check-in"}
    for t in facing:
        text = app.draft(t.id, at=at("2026-11-24T19:00:00-05:00"))
        assert "hope to hear" not in text.lower()
        assert re.search(r"^I'll check in on [A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}\.$", text, re.M), text
    email = app.draft(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T19:00:00-05:00"))
    assert "I'll check in on Thursday, November 26." in email  # two business days after sending
    assert "Senior Backend Engineer" in email and "payments ledger" in email
    explicit = app.draft(tid("thank-you-email", "sam-patel"), at=at("2026-11-24T19:00:00-05:00"),
                         next_at=at("2026-11-27T09:00:00-05:00"))
    assert "I'll check in on Friday, November 27." in explicit


def test_other_drafts(app):
    when = at("2026-11-25T15:00:00-05:00")
    thanks = app.draft(tid("referrer-thanks", "chris-lee"), at=when)
    assert "Thank you for referring me to Acme Corp" in thanks
    back = app.draft(tid("back-channel", "omar-haddad"), at=when)
    assert "Jane Roe" in back and "check in" not in back
    casual = app.draft(tid("casual-touch", "jane-roe-1"), at=when)
    assert "trail running" in casual
    casual2 = app.draft(tid("casual-touch", "jane-roe-2"), at=when)
    assert "Rust" in casual2


def test_user_templates_override_and_keep_the_ring(app, tmp_path):
    own = tmp_path / "templates"
    own.mkdir()
    (own / "thank-you-email.txt.j2").write_text("Thanks {{ first_name }}! -- {{ candidate }}")
    text = app.draft(tid("thank-you-email", "jane-roe"), at=at("2026-11-24T19:00:00-05:00"), templates_dir=str(own))
    assert text.startswith("Thanks Jane! -- Alex Morgan")
    assert text.endswith("I'll check in on Thursday, November 26.")


def test_ics_parses_back_with_the_same_entries(app, tmp_path):
    from icalendar import Calendar

    when = at("2026-11-25T09:00:00-05:00")
    path = tmp_path / "plan.ics"
    count = app.write_ics(path, INTERVIEW_ID, at=when)
    cal = Calendar.from_ical(path.read_bytes())
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    open_touches = [t for t in app.plan_records(INTERVIEW_ID, at=when) if t["status"] in ("pending", "due", "overdue")]
    assert count == len(open_touches) == len(events)
    for t in open_touches:
        e = events[f"{t['id']}@backchannel.local"]
        assert e.decoded("dtstart") == at(t["due_from"])
        assert e.decoded("dtend") == at(t["due_by"])
        assert f"backchannel done {t['id']}" in str(e["description"])
    assert cal["version"] == "2.0" and "backchannel" in str(cal["prodid"])


def test_plan_json_fields(app):
    row = app.plan_records(INTERVIEW_ID, at=NOW)[0]
    assert {"id", "interview", "kind", "person", "due_from", "due_by", "status", "done_at"} <= set(row)
    assert datetime.fromisoformat(row["due_from"]).tzinfo is not None


def test_unknown_config_timezone(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('timezone = "Mars/Olympus"\n')
    with Backchannel(tmp_path / "ws.sqlite", config=Config(timezone="Mars/Olympus")) as app, \
            pytest.raises(BackchannelError, match="unknown time zone"):
        app.parse_time("2026-11-24")


def test_back_channel_touches_are_stable_over_time(app):
    early = {t["id"] for t in app.plan_records(INTERVIEW_ID, at=at("2026-11-24T15:00:00-05:00"))}
    late = {t["id"] for t in app.plan_records(INTERVIEW_ID, at=at("2027-06-01T15:00:00-05:00"))}
    assert early == late
    assert {t for t in early if "/back-channel/" in t} == {
        tid("back-channel", "omar-haddad"), tid("back-channel", "marco-rossi-phd"), tid("back-channel", "dana-whitfield")}
