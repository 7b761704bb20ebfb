"""Advice with tact: a company hears from a person, not a mail merge; every message is true to
what happened, and nothing asks a stranger to vouch. Drafts read as their recipients would."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from conftest import INTERVIEW_ID

from backchannel.drafts import duration_words, render_draft
from backchannel.errors import BackchannelError


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "-05:00")


def _body(app, handle, when):
    return app.draft(handle, at=at(when)).body


def test_no_two_people_at_one_company_get_the_same_words(app):
    for handle in ("jane-roe/email", "sam-patel/email", "priya-nair/email"):
        app.done(handle, at=at("2026-11-24T18:00"))
    when = "2026-11-26T10:30"
    drafts = {h: _body(app, h, when) for h in ("jane-roe/check-in-1", "sam-patel/check-in-1",
                                               "priya-nair/check-in-1", "jane-roe/note", "sam-patel/note")}
    bodies = [re.sub(r"^(Dear|Hi) \w+,", "", b) for b in drafts.values()]
    assert len(set(bodies)) == len(bodies)  # not one text with another name on it
    # the one who owns the decision hears the round; the others hear a different, optional note
    plan = {t.handle: t for t in app.plan(INTERVIEW_ID, at=at(when))}
    assert plan["sam-patel/check-in-1"].status == "due"
    assert plan["jane-roe/check-in-1"].status == "optional" and plan["priya-nair/check-in-1"].status == "optional"
    assert "As I said I would, I'm checking in" in drafts["sam-patel/check-in-1"]
    assert "checking in" not in drafts["jane-roe/check-in-1"]
    assert "I'll check in with the team on" in drafts["jane-roe/check-in-1"]
    # the company's round is what `due` and `today` point at
    assert [t.handle for t in app.due(at=at(when)) if t.kind == "check-in"] == ["sam-patel/check-in-1"]


def test_a_note_holds_the_ring_in_words_and_names_no_date(app):
    for handle in ("jane-roe/email", "sam-patel/email"):
        app.done(handle, at=at("2026-11-24T18:00"))
    for handle in ("jane-roe/note", "sam-patel/note"):
        body = _body(app, handle, "2026-11-25T19:00")
        assert body.rstrip().splitlines()[-4] == "I'll be in touch."
        assert not re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday), \w+ \d", body)
    ru = app.draft("jane-roe/note", at=at("2026-11-25T19:00"), lang="ru").body
    assert "Я обязательно свяжусь с Вами." in ru


def test_only_an_agreed_date_is_called_agreed(app):
    app.done("sam-patel/email", at=at("2026-11-24T18:00"))
    app.replied("sam-patel/email", at=at("2026-11-25T09:00"))  # they answered, no date
    body = _body(app, "sam-patel/check-in-1", "2026-11-26T10:30")
    assert "Thank you for your reply" in body and "agreed" not in body and "suggested" not in body
    ru = app.draft("sam-patel/check-in-1", at=at("2026-11-26T10:30"), lang="ru").body
    assert "договаривались" not in ru
    app.done("sam-patel/check-in-1", at=at("2026-11-26T10:30"))
    app.replied("sam-patel/check-in-1", at=at("2026-11-26T12:00"), next_at=at("2026-12-02T10:00"))
    agreed = _body(app, "sam-patel/check-in-3", "2026-12-02T10:30")
    assert agreed.split("\n\n")[1].startswith("As we agreed, I'm checking in")


@pytest.mark.parametrize("evidence", ["mutual", "second_degree", "co_thread", "colleague"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_someone_you_never_wrote_to_is_introduced_to_and_asked_for_nothing(evidence, language):
    context = {"name": "Sam Lee", "greeting_name": "Sam", "company": "Acme", "position": "Engineer",
               "bridge_text": "Jane Roe", "bridge_first": "Jane", "bridges_to": ["Jane Roe"], "evidence": evidence,
               "history": "never", "connected_year": "2019", "interview_past": True, "candidate": "Alex Morgan",
               "candidate_first": "Alex", "discreet": False}
    body = render_draft("back-channel", context, touch_id="x", to="Sam Lee", email="", language=language).body
    for ask in ("a word from you", "would you have", "ten minutes", "доброе слово", "не найдётся ли"):
        assert ask not in body
    assert "nothing you need to do" in body or "Делать ничего не нужно" in body


def test_a_changed_outcome_sends_a_correction_and_the_sent_news_keeps_its_words(app):
    app.done("dana-whitfield/back-channel", at=at("2026-11-25T12:00"))
    app.close_interview(INTERVIEW_ID, "rejected", at=at("2026-12-01T12:00"))
    app.done("dana-whitfield/news", at=at("2026-12-01T13:00"))
    app.close_interview(INTERVIEW_ID, "offer", change=True, at=at("2026-12-03T09:00"))
    sent = app.draft("dana-whitfield/news", at=at("2026-12-03T10:00")).body
    assert "another candidate" in sent and "offer" not in sent  # what it said when it was sent
    correction = app.draft("dana-whitfield/news-2", at=at("2026-12-03T10:00")).body
    assert "correction" in correction and "offer" in correction
    assert {t.handle: t.status for t in app.plan(INTERVIEW_ID, at=at("2026-12-03T10:00"))}[
        "dana-whitfield/news-2"] == "due"


def test_a_dead_draft_is_refused_with_the_reason_unless_forced(app):
    app.close_interview(INTERVIEW_ID, "offer", at=at("2026-11-26T09:00"))
    with pytest.raises(BackchannelError, match="jane-roe/email is cancelled .*nothing to send; --force"):
        app.draft("jane-roe/email", at=at("2026-11-26T10:00"))
    assert app.draft("jane-roe/email", at=at("2026-11-26T10:00"), force=True).body
    app.skip("chris-lee/thanks", at=at("2026-11-26T10:00"))
    with pytest.raises(BackchannelError, match="chris-lee/thanks is skipped"):
        app.draft("chris-lee/thanks", at=at("2026-11-26T11:00"))


def test_a_late_email_says_so_and_a_week_later_folds_into_the_first_check_in(app):
    late = _body(app, "jane-roe/email", "2026-11-28T10:00")  # two days past its window
    assert late.split("\n\n")[1].startswith("I'm sorry this note comes later than I meant it to.")
    folded_at = "2026-12-04T10:00"
    plan = {t.handle: t for t in app.plan(INTERVIEW_ID, at=at(folded_at))}
    assert plan["jane-roe/email"].status == "cancelled" and plan["jane-roe/check-in-1"].status == "due"
    assert "jane-roe/email" not in [t.handle for t in app.today(at=at(folded_at))]
    folded = _body(app, "jane-roe/check-in-1", folded_at)
    assert "I owe you a thank-you" in folded and "I'll check in" in folded


def test_a_discreet_search_asks_the_referrer_for_discretion_too(app):
    thanks = _body(app, "chris-lee/thanks", "2026-11-24T16:00")
    assert "please keep it between us" in thanks
    app.edit_interview(INTERVIEW_ID, discreet=False)
    assert "between us" not in _body(app, "chris-lee/thanks", "2026-11-24T16:00")


def test_russian_wording_reads_naturally(app):
    back = app.draft("omar-haddad/back-channel", at=at("2026-11-25T12:00"), lang="ru").body
    assert "среди интервьюеров" not in back and "один из моих собеседников — Jane Roe" in back
    thanks = app.draft("chris-lee/thanks", at=at("2026-11-24T16:00"), lang="ru").body
    assert "проводили" not in thanks and "Со мной говорили" in thanks  # the recruiter did not interview


def test_years_are_rounded_as_people_round_them():
    assert duration_words(int(3.8 * 365.25), "en") == "nearly 4 years"
    assert duration_words(int(3.4 * 365.25), "en") == "over 3 years"
    assert duration_words(int(3.05 * 365.25), "en") == "3 years"
    assert duration_words(int(3.8 * 365.25), "ru") == "почти 4 года"


def test_reconnect_says_you_worked_together_when_the_messages_date_from_then():
    from backchannel.drafts import reconnect_draft

    row = {"name": "Kwame Mensah", "company": "Initech", "last_message": "2022-05-01T10:00:00",
           "shared_employer": "Initech", "same_employer": False, "worked_together": True}
    text = reconnect_draft(row, now=at("2026-11-25T10:00"), language="en", candidate="Alex Morgan").body
    assert "since we worked together at Initech" in text and "where I used to work" not in text


def test_a_referrer_who_heard_an_offer_in_the_thanks_gets_a_correction(app):
    app.close_interview(INTERVIEW_ID, "offer", at=at("2026-11-25T09:00"))
    app.done("chris-lee/thanks", at=at("2026-11-25T10:00"))  # the thanks carried the offer
    app.close_interview(INTERVIEW_ID, "rejected", change=True, at=at("2026-11-26T09:00"))
    correction = app.draft("chris-lee/news-2", at=at("2026-11-26T10:00")).body
    assert "correction" in correction and "another candidate" in correction
    assert correction.rstrip().endswith("All the best,\nAlex")  # the sign-off on its own line


def test_no_ring_date_falls_between_christmas_and_the_new_year():
    from backchannel.ring import default_next
    from backchannel.times import WorkCalendar

    when = default_next(datetime.fromisoformat("2026-12-22T10:00-05:00"), 1, WorkCalendar("US"))  # 5 days on
    assert when.isoformat() == "2027-01-04T10:00:00-05:00"


def test_someone_you_wrote_to_lately_is_not_greeted_as_a_stranger_nor_reconnected(app):
    app.done("marco-rossi-phd/back-channel", at=at("2026-11-25T12:00"))
    assert all(r["name"] != "Marco Rossi, PhD" for r in app.reconnect(top=10).to_records())
    app.add_interview(company="Initech", date="2026-12-02 10:00", people=[("interviewer", "Omar Silva")])
    assert "marco-rossi-phd/back-channel" in [t.handle for t in app.plan("initech-2026-12-02")]
    body = app.draft("initech-2026-12-02/marco-rossi-phd/back-channel", at=at("2026-12-03T10:00")).body
    assert "It has been a while" not in body and "Thank you for reading my last note" in body
