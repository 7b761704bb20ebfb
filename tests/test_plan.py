"""The plan as a pure function of rows: windows, statuses, the ring, back-off, outcomes.

Every case is built by hand (an interview, what was logged, "now"); no workspace, no sample.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from backchannel.domain import Candidate, Interview, InterviewPerson, TouchEvent
from backchannel.errors import BackchannelError, NotFoundError
from backchannel.followup import (
    build_plan,
    decide_done,
    decide_replied,
    decide_skip,
    decide_undo,
    find_touch,
    ring_states,
)
from backchannel.times import WorkCalendar

NY = ZoneInfo("America/New_York")
T = datetime(2026, 11, 24, 14, 0, tzinfo=NY)  # a Tuesday
ID = "acme-2026-11-24"


def interview(**changes) -> Interview:
    people = [
        InterviewPerson("jane-roe", "interviewer", "Jane Roe", interests=["trail running", "Rust"]),
        InterviewPerson("sam-patel", "hiring-manager", "Sam Patel"),
        InterviewPerson("priya-nair", "recruiter", "Priya Nair"),
        InterviewPerson("chris-lee", "referrer", "Chris Lee"),
    ]
    base = {"id": ID, "company": "Acme Corp.", "at": T, "tz": "America/New_York", "people": people}
    base.update(changes)
    return Interview(**base)


RANKING = [
    Candidate(1, "person:1", "Chris Lee", "referrer", "referrer", 1.0),
    Candidate(2, "person:6", "Omar Haddad", "mutual", "mutual", 0.9, bridges_to=("Jane Roe",)),
    Candidate(3, "person:7", "Dana Whitfield", "mutual", "co_thread", 0.8, bridges_to=("Jane Roe",)),
    Candidate(4, "person:8", "Lena Schmidt", "colleague", "colleague", 0.4, weak_tie=True, history="dormant"),
    Candidate(5, "person:9", "José Pérez", "colleague", "colleague", 0.3),
]


class Log:
    """What was logged, built step by step exactly as the API does it."""

    def __init__(self, iv: Interview | None = None, calendar: WorkCalendar | None = None):
        self.iv = iv or interview()
        self.events: list[TouchEvent] = []
        self.calendar = calendar or WorkCalendar()

    def plan(self, at: datetime):
        return {t.handle: t for t in build_plan(self.iv, self.events, at=at, ranking=RANKING, calendar=self.calendar)}

    def _write(self, event: TouchEvent) -> TouchEvent:
        stored = TouchEvent(len(self.events) + 1, *[getattr(event, f) for f in (
            "interview_id", "touch_id", "person_slug", "event", "at", "next_at", "checkin_id", "logged_at", "person")])
        self.events.append(stored)
        return stored

    def draft_date(self, handle: str, at: datetime):
        """The date a draft names when looked at ``at`` (what ``Backchannel.draft`` shows)."""
        return self.plan(at)[handle].next_contact

    def done(self, handle: str, at: datetime, next_at: datetime | None = None) -> TouchEvent:
        plan = build_plan(self.iv, self.events, at=at, ranking=RANKING, calendar=self.calendar).touches
        touch = next(t for t in plan if t.handle == handle)
        state = ring_states(self.iv, self.events).get(touch.person_slug)
        return self._write(decide_done(touch, state, at=at, next_at=next_at, calendar=self.calendar,
                                       plan=plan, logged_at=at))

    def replied(self, handle: str, at: datetime, next_at: datetime | None = None) -> TouchEvent:
        plan = build_plan(self.iv, self.events, at=at, ranking=RANKING, calendar=self.calendar).touches
        touch = next(t for t in plan if t.handle == handle)
        return self._write(decide_replied(touch, ring_states(self.iv, self.events).get(touch.person_slug), at=at,
                                          next_at=next_at, plan=plan, logged_at=at))


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def test_windows_from_the_spec_table():
    p = Log().plan(at(24, 15))
    assert (p["jane-roe/email"].due_from, p["jane-roe/email"].due_by) == (at(24, 16), at(26, 14))
    # nothing is due before the interview ends (it lasts an hour)
    assert (p["chris-lee/thanks"].due_from, p["chris-lee/thanks"].due_by) == (at(24, 15), at(25, 14))
    assert "priya-nair/note" not in p and "priya-nair/email" in p  # recruiters get no handwritten note
    backs = sorted(h for h in p if h.endswith("/back-channel"))
    assert backs == ["dana-whitfield/back-channel", "lena-schmidt/back-channel", "omar-haddad/back-channel"]
    assert all(p[h].due_from == at(25, 14) and p[h].due_by == at(27, 14) for h in backs)
    # casual touches wait for the thank-you email; the second is kept for after the ring rests
    assert p["jane-roe/casual-1"].due_from is None and "thank-you email" in p["jane-roe/casual-1"].note
    assert p["jane-roe/casual-2"].due_from is None and "after the ring rests" in p["jane-roe/casual-2"].note
    one = Log(interview(people=[InterviewPerson("jane-roe", "interviewer", "Jane Roe", interests=["jazz"])]))
    assert "jane-roe/casual-1" in one.plan(at(25)) and "jane-roe/casual-2" not in one.plan(at(25))
    assert "sam-patel/casual-1" not in p  # interests make casual touches for interviewers only


@pytest.mark.parametrize("when, status", [
    (at(24, 15, 59), "pending"), (at(24, 16), "due"), (at(26, 14), "due"), (at(26, 14, 1), "overdue"),
    (datetime(2026, 11, 26, 19, 1, tzinfo=timezone.utc), "overdue"),  # the same instant in another zone
])
def test_status_at_a_given_time(when, status):
    assert Log().plan(when)["jane-roe/email"].status == status


def test_the_note_waits_for_the_email_then_opens_a_day_after_it():
    log = Log()
    note = log.plan(at(27, 9))["jane-roe/note"]  # long after the email's window: still only waiting
    assert note.status == "pending" and note.due_from is None and note.waiting_for.endswith("thank-you-email/jane-roe")
    with pytest.raises(BackchannelError, match="log the email first"):
        log.done("jane-roe/note", at(27, 9))
    log.done("jane-roe/email", at(25, 11))
    note = log.plan(at(26, 12))["jane-roe/note"]
    assert (note.due_from, note.due_by, note.status) == (at(26, 11), at(27, 11), "due")


def test_one_ring_one_date_in_every_draft_and_in_done():
    log = Log()
    first = log.draft_date("jane-roe/email", at(24, 16, 30))  # drafted as its window opens
    assert first == at(26, 10)  # two business days later at 10:00
    assert log.draft_date("jane-roe/email", at(24, 17)) == first  # drafted again: the same date
    ev = log.done("jane-roe/email", at(24, 18))
    assert ev.next_at == first and ev.checkin_id == f"{ID}/check-in/jane-roe-1"
    checkins = [t for t in log.plan(at(25, 19)).values() if t.kind == "check-in"]
    assert [(t.handle, t.due_from) for t in checkins] == [("jane-roe/check-in-1", first)]
    assert log.plan(at(25, 19))["jane-roe/email"].next_contact == first


def test_the_handwritten_note_names_no_date_and_leaves_the_ring_alone():
    """A card arrives days after it is written: a date in it would often have passed."""
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    note = log.plan(at(25, 19))["jane-roe/note"]
    assert note.next_contact is None
    ev = log.done("jane-roe/note", at(26, 12))  # even after the check-in's time
    assert ev.next_at is None and ev.checkin_id is None
    p = log.plan(at(26, 13))
    assert p["jane-roe/check-in-1"].status == "due" and "jane-roe/check-in-2" not in p


def test_the_date_a_draft_names_is_the_date_done_books_the_same_business_day():
    log = Log()
    tonight = log.draft_date("sam-patel/email", at(24, 19))
    assert tonight == at(26, 10)  # two business days after Tuesday
    assert log.draft_date("sam-patel/email", at(25, 10)) == at(27, 10)  # sent on Wednesday: two days from then
    ev = log.done("sam-patel/email", at(24, 21))  # logged the same evening: the date the draft named
    assert ev.next_at == tonight


def test_looking_at_a_draft_never_changes_a_later_one():
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    log.done("jane-roe/check-in-1", at(26, 10, 5))  # check-in-2 on Thu 3 Dec
    alone = log.draft_date("jane-roe/check-in-2", at(3, 17, 30, month=12))
    looked = Log()
    looked.done("jane-roe/email", at(24, 18))
    looked.done("jane-roe/check-in-1", at(26, 10, 5))
    looked.draft_date("jane-roe/check-in-2", at(27, 8))  # an early look
    assert looked.draft_date("jane-roe/check-in-2", at(3, 17, 30, month=12)) == alone == at(17, 10, month=12)
    # a check-in sent late promises its whole gap from when it is sent
    assert log.draft_date("jane-roe/check-in-2", at(7, 9, month=12)) == at(21, 10, month=12)


def test_unanswered_check_ins_back_off_and_the_ring_rests_after_three():
    log = Log()
    log.done("jane-roe/email", at(24, 18))  # Tue → Thu 26
    assert log.plan(at(26, 11))["jane-roe/check-in-1"].due_from == at(26, 10)
    log.done("jane-roe/check-in-1", at(26, 10, 5))  # +5 business days → Thu 3 Dec
    assert log.plan(at(27, 9))["jane-roe/check-in-2"].due_from == at(3, 10, month=12)
    log.done("jane-roe/check-in-2", at(3, 10, 5, month=12))  # +10 → Thu 17 Dec
    assert log.plan(at(4, month=12))["jane-roe/check-in-3"].due_from == at(17, 10, month=12)
    assert log.draft_date("jane-roe/check-in-3", at(17, 10, month=12)) is None  # the last: names no date
    ev = log.done("jane-roe/check-in-3", at(17, 10, 5, month=12))
    assert ev.next_at is None and ev.checkin_id is None
    p = log.plan(at(18, month=12))
    assert "jane-roe/check-in-4" not in p and "casual touch" in p["jane-roe/check-in-3"].note
    assert p["jane-roe/check-in-3"].rests and not p["jane-roe/check-in-2"].rests


def test_plan_and_today_say_the_ring_rests(app):
    """After three check-ins without a reply, the plan says so (table and JSON), not only `done`."""
    from backchannel.output import human_touch
    from backchannel.results import plan_row

    for handle, day in (("jane-roe/email", 24), ("jane-roe/check-in-1", 26), ("jane-roe/check-in-2", 3),
                        ("jane-roe/check-in-3", 17)):
        when = at(day, 11, month=11 if day > 20 else 12)
        app.done(handle, at=when)
    later = at(23, 12, month=12)
    last = next(t for t in app.plan("acme-corp-2026-11-24", at=later) if t.handle == "jane-roe/check-in-3")
    assert human_touch(last, timezone.utc, later, handle=last.handle)["state"] == "done, ring rests"
    assert "the way back in" in plan_row(last)["note"]


def test_a_reply_resets_the_back_off_and_next_follows_what_they_said():
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    log.done("jane-roe/check-in-1", at(26, 10, 5))
    log.replied("jane-roe/check-in-1", at(27, 9), next_at=at(8, 10, month=12))
    p = log.plan(at(27, 10))
    assert p["jane-roe/check-in-2"].status == "cancelled" and "replaced" in p["jane-roe/check-in-2"].note
    assert p["jane-roe/check-in-3"].due_from == at(8, 10, month=12)
    assert ring_states(log.iv, log.events)["jane-roe"].unanswered == 0
    # after the reply, the next check-in's draft backs off from the start again (5 business days)
    assert log.draft_date("jane-roe/check-in-3", at(8, 10, month=12)) == at(15, 10, month=12)


def test_done_with_next_replaces_the_commitment_everywhere():
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    log.replied("jane-roe/email", at(25, 18), next_at=at(30, 10))
    p = log.plan(at(26, 9))
    assert p["jane-roe/check-in-1"].status == "cancelled"
    assert p["jane-roe/check-in-2"].due_from == at(30, 10) and p["jane-roe/check-in-2"].status == "pending"
    assert log.draft_date("jane-roe/check-in-2", at(30, 10)) == at(7, 10, month=12)
    with pytest.raises(BackchannelError, match="carries no next contact"):
        log.done("jane-roe/note", at(26, 10), next_at=at(30, 10))


def test_business_days_skip_the_countrys_holidays():
    us = Log(interview(country="US"), calendar=WorkCalendar("US"))
    assert us.draft_date("jane-roe/email", at(25, 9)) == at(30, 10)  # Thu 26 is Thanksgiving
    plain = Log()
    assert plain.draft_date("jane-roe/email", at(25, 9)) == at(27, 10)


def test_casual_touches_carry_no_date_and_book_nothing():
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    ev = log.done("jane-roe/casual-1", at(2, month=12))
    assert ev.next_at is None and ev.checkin_id is None
    with pytest.raises(BackchannelError, match="carries no next contact"):
        log.done("sam-patel/email", at(25, 10), next_at=at(30, 10)) and log.done("jane-roe/note", at(26), next_at=at(30))


def test_a_casual_touch_sits_in_a_quiet_gap_never_next_to_another_message():
    """The check-in is due Thu 26 Nov; a week after the interview is Tue 1 Dec, two business days
    clear of it: the casual touch opens then. With a check-in booked on Tue 1 Dec, it moves on."""
    log = Log()
    log.done("jane-roe/email", at(24, 18))  # books Thu 26 Nov
    p = log.plan(at(25))
    assert p["jane-roe/casual-1"].due_from.date().isoformat() == "2026-12-01"
    busy = Log()
    busy.done("jane-roe/email", at(24, 18), next_at=at(1, 10, month=12))  # a check-in on Tue 1 Dec
    start = busy.plan(at(25))["jane-roe/casual-1"].due_from
    assert start.date().isoformat() == "2026-12-03"  # two business days after it


def test_a_reply_drops_the_casual_touches():
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    log.replied("jane-roe/email", at(25, 9))
    p = log.plan(at(25, 10))
    assert p["jane-roe/casual-1"].status == "cancelled" and "they replied" in p["jane-roe/casual-1"].note
    assert p["jane-roe/casual-2"].status == "cancelled"


def test_one_casual_touch_is_kept_for_after_the_ring_rests():
    log = Log()
    log.done("jane-roe/email", at(24, 18))
    log.done("jane-roe/casual-1", at(2, month=12))
    for handle, day, month in (("jane-roe/check-in-1", 26, 11), ("jane-roe/check-in-2", 3, 12),
                               ("jane-roe/check-in-3", 17, 12)):
        log.done(handle, at(day, 10, 5, month=month))
    after = log.plan(at(18, month=12))["jane-roe/casual-2"]
    assert after.status == "pending" and after.due_from >= at(31, month=12)  # two weeks after the ring rested


def test_the_company_hears_one_check_in_per_round_from_whoever_owns_the_decision():
    log = Log()
    for handle in ("jane-roe/email", "sam-patel/email", "priya-nair/email"):
        log.done(handle, at(24, 18))
    p = log.plan(at(26, 10, 30))
    assert p["sam-patel/check-in-1"].status == "due"  # the hiring manager owns the decision
    assert p["jane-roe/check-in-1"].status == "optional" and p["priya-nair/check-in-1"].status == "optional"
    assert "from Sam Patel" in p["jane-roe/check-in-1"].note
    no_manager = Log(interview(people=[InterviewPerson("jane-roe", "interviewer", "Jane Roe"),
                                       InterviewPerson("priya-nair", "recruiter", "Priya Nair")]))
    no_manager.done("jane-roe/email", at(24, 18))
    no_manager.done("priya-nair/email", at(24, 18))
    q = no_manager.plan(at(26, 10, 30))
    assert q["priya-nair/check-in-1"].status == "due" and q["jane-roe/check-in-1"].status == "optional"
    # a date agreed with someone is kept, whoever they are
    log.replied("jane-roe/email", at(25, 9), next_at=at(2, 10, month=12))
    assert log.plan(at(2, 10, 30, month=12))["jane-roe/check-in-2"].status == "due"


def test_a_thank_you_email_a_week_late_folds_into_the_first_check_in():
    log = Log()
    p = log.plan(at(4, 12, month=12))  # the window closed Thu 26 Nov 14:00, a week ago and more
    assert p["jane-roe/email"].status == "cancelled" and "check-in-1 thanks them" in p["jane-roe/email"].note
    fold = p["jane-roe/check-in-1"]
    assert fold.folded and fold.status == "due" and fold.next_contact is not None
    assert log.plan(at(4, 12, month=12))["jane-roe/note"].waiting_for.endswith("check-in/jane-roe-1")
    ev = log.done("jane-roe/check-in-1", at(4, 12, 30, month=12))
    assert ev.checkin_id.endswith("jane-roe-2")
    note = log.plan(at(5, 13, month=12))["jane-roe/note"]  # the card follows the message that thanked her
    assert note.status == "due" and note.due_from == at(5, 12, 30, month=12)
    assert log.plan(at(5, month=12))["jane-roe/check-in-1"].status == "done"
    with pytest.raises(BackchannelError, match="too late to send"):
        log.done("jane-roe/email", at(4, month=12))


def test_done_twice_skip_and_undo():
    log = Log()
    log.done("jane-roe/email", at(25, 11))
    with pytest.raises(BackchannelError, match="already done"):
        log.done("jane-roe/email", at(25, 12))
    p = log.plan(at(25, 12))
    assert decide_skip(p["omar-haddad/back-channel"], at=at(25, 12), logged_at=at(25, 12)).event == "skipped"
    log.done("jane-roe/check-in-1", at(27, 10))
    with pytest.raises(BackchannelError, match="undo that first"):
        decide_undo(log.plan(at(27, 11))["jane-roe/email"], log.events)
    last = decide_undo(log.plan(at(27, 11))["jane-roe/check-in-1"], log.events)
    assert last.touch_id.endswith("check-in/jane-roe-1") and last.event == "done"


def test_closing_with_an_offer_keeps_the_referrer_thanks_and_plans_the_news():
    log = Log()
    log.done("omar-haddad/back-channel", at(25, 15))
    log.iv.outcome, log.iv.closed_at = "offer", at(1, 12, month=12)
    p = log.plan(at(1, 13, month=12))
    assert p["chris-lee/thanks"].status == "overdue"  # still open: thank them anyway
    assert p["jane-roe/email"].status == "cancelled" and p["dana-whitfield/back-channel"].status == "cancelled"
    assert p["omar-haddad/back-channel"].status == "done"
    # the referrer's open thanks carries the news itself; the back channel told hears it
    assert sorted(h for h in p if h.endswith("/news")) == ["omar-haddad/news"]
    assert p["omar-haddad/news"].status == "due" and "sam-patel/keep-in-touch" not in p
    thanked = Log()
    thanked.done("chris-lee/thanks", at(24, 20))
    thanked.iv.outcome, thanked.iv.closed_at = "offer", at(1, 12, month=12)
    assert "chris-lee/news" in thanked.plan(at(1, 13, month=12))
    with pytest.raises(BackchannelError, match="cancelled when the interview was closed"):
        decide_done(p["jane-roe/email"], None, at=at(1, 13, month=12), next_at=None, calendar=WorkCalendar(),
                    plan=list(p.values()), logged_at=at(1, 13, month=12))


def test_a_rejection_keeps_in_touch_with_whoever_owned_the_decision():
    rejected = Log(interview(outcome="rejected", closed_at=at(1, 12, month=12))).plan(at(1, 13, month=12))
    kit = rejected["sam-patel/keep-in-touch"]
    assert (kit.due_from - at(1, 12, month=12)).days == 28 and (kit.due_by - at(1, 12, month=12)).days == 56
    assert kit.due_from.weekday() < 5
    no_manager = interview(outcome="rejected", closed_at=at(1, 12, month=12),
                           people=[InterviewPerson("jane-roe", "interviewer", "Jane Roe"),
                                   InterviewPerson("bob-li", "interviewer", "Bob Li")])
    assert "jane-roe/keep-in-touch" in Log(no_manager).plan(at(1, 13, month=12))  # the first interviewer


def test_a_changed_outcome_corrects_the_news_whoever_heard_it():
    log = Log()
    log.done("omar-haddad/back-channel", at(25, 15))
    log.iv.outcome, log.iv.closed_at = "rejected", at(1, 12, month=12)
    log.iv.outcomes = [("rejected", at(1, 12, month=12))]
    log.done("omar-haddad/news", at(1, 13, month=12))
    log.iv.outcome, log.iv.closed_at = "offer", at(3, 9, month=12)
    log.iv.outcomes.append(("offer", at(3, 9, month=12)))
    p = log.plan(at(3, 10, month=12))
    assert p["omar-haddad/news"].status == "done"  # what was sent stays sent
    assert p["omar-haddad/news-2"].status == "due" and "corrects the news" in p["omar-haddad/news-2"].note
    assert "sam-patel/keep-in-touch" not in p


def test_withdrawing_stops_the_follow_ups_but_the_people_who_vouched_for_you_hear_it_from_you():
    log = Log()
    log.done("omar-haddad/back-channel", at(25, 15))
    log.iv.outcome, log.iv.closed_at = "withdrawn", at(1, 12, month=12)
    p = log.plan(at(1, 13, month=12))
    still = {h for h, t in p.items() if t.status != "cancelled"}
    # nothing more to the people deciding, no keep-in-touch; the referrer's open thanks carries
    # the news, and the back channel you asked hears it too
    assert still == {"chris-lee/thanks", "omar-haddad/back-channel", "omar-haddad/news"}
    assert p["omar-haddad/news"].status == "due" and p["omar-haddad/back-channel"].status == "done"
    thanked = Log()
    thanked.done("chris-lee/thanks", at(24, 20))
    thanked.iv.outcome, thanked.iv.closed_at = "withdrawn", at(1, 12, month=12)
    assert thanked.plan(at(1, 13, month=12))["chris-lee/news"].status == "due"
    # withdrawing before the interview: the thanks is due now, not after the interview that won't be
    early = Log(interview(outcome="withdrawn", closed_at=at(20, 9))).plan(at(20, 10))
    assert (early["chris-lee/thanks"].due_from, early["chris-lee/thanks"].due_by) == (at(20, 9), at(23, 9))
    assert early["chris-lee/thanks"].status == "due"
    assert all(t.status == "cancelled" for h, t in early.items() if h != "chris-lee/thanks")


def test_hour_windows_are_elapsed_time_across_a_dst_change():
    iv = interview(at=datetime(2026, 10, 31, 14, 0, tzinfo=NY))  # clocks go back on 1 November
    email = Log(iv).plan(datetime(2026, 10, 31, 15, 0, tzinfo=NY))["jane-roe/email"]
    assert email.due_by.isoformat() == "2026-11-02T13:00:00-05:00"  # 48 real hours later, in winter time


def test_touches_are_found_by_id_handle_or_unique_end():
    plans = [list(Log().plan(at(25)).values()),
             list(Log(interview(id="globex-2026-11-30")).plan(at(25)).values())]
    assert find_touch(f"{ID}/thank-you-email/jane-roe", plans).interview == ID
    assert find_touch(f"{ID}/jane-roe/email", plans).id == f"{ID}/thank-you-email/jane-roe"
    assert find_touch(f"{ID}/thank-you-email/jane-roe", plans).handle == "jane-roe/email"
    with pytest.raises(NotFoundError, match="fits several touches: acme-2026-11-24/jane-roe/email, globex"):
        find_touch("jane-roe/email", plans)
    with pytest.raises(NotFoundError, match="unknown touch"):
        find_touch("nobody/email", plans)


def test_back_channel_touches_follow_the_ranking_given_and_skip_the_referrer_and_interview_people():
    p = Log().plan(at(25))
    assert "chris-lee/back-channel" not in p
    assert p["omar-haddad/back-channel"].candidate.evidence == "mutual"
    assert p["lena-schmidt/back-channel"].candidate.weak_tie


def test_today_lists_what_opens_later_today_in_the_order_it_opens():
    """Of two touches that open later today, the one opening in 4 hours comes before the one
    opening in 9, whatever their deadlines (the table shows when each opens)."""
    from backchannel.domain import Touch
    from backchannel.followup import todays_touches

    now = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)

    def touch(slug: str, opens: int, closes: int, status: str = "pending") -> Touch:
        return Touch(id=f"iv/{slug}", interview="iv", kind="thank-you-email", person=slug, person_slug=slug,
                     role="interviewer", due_from=now + timedelta(hours=opens), due_by=now + timedelta(hours=closes),
                     status=status)

    note = touch("note", 9, 30)  # opens in 9 h, due in a day
    back = touch("back", 4, 52)  # opens in 4 h, due in two days
    late = touch("late", -30, -2, "overdue")
    assert [t.person for t in todays_touches([[note, back, late]], at=now, zone=timezone.utc)] == \
        ["late", "back", "note"]


def test_an_overdue_check_in_reads_as_the_day_you_promised():
    """A check-in promised for Friday 10:00 (its window ends on Saturday) is, on Wednesday,
    late since Friday: the row names Friday, never a Saturday you did not promise."""
    from backchannel.domain import Touch
    from backchannel.output import human_touch

    ny = ZoneInfo("America/New_York")
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=ny)
    check_in = Touch(id="iv/check-in/sam-patel-1", interview="iv", kind="check-in", person="Sam Patel",
                     person_slug="sam-patel", role="hiring-manager", due_from=friday,
                     due_by=friday + timedelta(days=1), status="overdue", number=1)
    row = human_touch(check_in, ny, datetime(2026, 12, 2, 10, 0, tzinfo=ny), handle="sam-patel/check-in-1")
    assert row["when"].startswith("Fri 27 Nov") and row["state"] == "5 days overdue"
