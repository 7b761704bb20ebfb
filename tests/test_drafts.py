"""Drafts: every kind and variant in English and Russian, with and without the optional
details; never a placeholder, never a private note, never the other language."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from backchannel.drafts import (
    TEMPLATE_VARIABLES,
    format_day,
    greeting_name,
    join_names,
    render_draft,
)

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
ALLOWED_LATIN = {"LinkedIn"}  # a brand name is written in Latin letters in Russian too
NOT_TEXT = re.compile(r"None|nan\b|\{\{|\}\}|\{%|%\}|\[|\]|  |\.\.(?!\.)| ,| \.|\bTODO\b|\bXXX\b")


def people(language: str) -> dict[str, str]:
    if language == "ru":
        return {"candidate": "Алексей Морозов", "candidate_first": "Алексей", "company": "Ромашка",
                "position": "ведущий разработчик", "topic": "перенос платёжного реестра",
                "interest": "бег по пересечённой местности", "jane": "Иванова Анна Сергеевна",
                "sam": "Пётр Смирнов", "priya": "Ольга Кузнецова", "chris": "Дмитрий Лебедев",
                "omar": "Игорь Соколов", "title": "руководитель разработки", "shared": "Вектор"}
    return {"candidate": "Alex Morgan", "candidate_first": "Alex", "company": "Acme Corp.",
            "position": "Senior Backend Engineer", "topic": "the plan to move the ledger to event sourcing",
            "interest": "trail running", "jane": "Jane Roe", "sam": "Sam Patel", "priya": "Priya Nair",
            "chris": "Chris Lee", "omar": "Omar Haddad", "title": "Engineering Manager", "shared": "Globex"}


def contexts(language: str, full: bool):
    """Every kind and variant, as the API builds their context."""
    p = people(language)
    when = datetime(2026, 11, 27, 10, 0)
    day = format_day(when, language)
    opt = (lambda value: value) if full else (lambda value: "")
    met = [p["jane"], p["sam"], p["priya"]]
    base = {"candidate": p["candidate"], "candidate_first": p["candidate_first"], "company": p["company"],
            "position": opt(p["position"]), "topic": opt(p["topic"]), "title": opt(p["title"]), "discreet": full,
            "met": met, "met_text": join_names(met, language), "interview_day_text": format_day(
                datetime(2026, 11, 24, 14), language), "interview_past": True, "interview_recent": full,
            "variant": 0, "number": 1, "last": False, "email": ""}

    def person(key: str, role: str) -> dict:
        name = p[key]
        return {"name": name, "first_name": name.split()[0], "greeting_name": greeting_name(name, language),
                "role": role}

    ring = {"next_contact": when, "next_contact_text": day,
            "commitment": (f"Я свяжусь с Вами {day}." if language == "ru" else f"I'll check in {day}.")}
    out = {}
    for role, key in (("interviewer", "jane"), ("hiring-manager", "sam"), ("recruiter", "priya")):
        for variant in range(3):
            others = [m for m in met if m != p[key]]
            out[f"thank-you-email/{role}/{variant}"] = ("thank-you-email", {
                **base, **person(key, role), **ring, "variant": variant, "met_others_text": join_names(others, language)})
    out["handwritten-note/interviewer"] = ("handwritten-note", {**base, **person("jane", "interviewer")})
    out["handwritten-note/hiring-manager"] = ("handwritten-note", {**base, **person("sam", "hiring-manager")})
    for team in (day, ""):
        for past, recent in ((True, True), (True, False), (False, False)):
            out[f"referrer-thanks/{bool(team)}/{past}/{recent}"] = ("referrer-thanks", {
                **base, **person("chris", "referrer"), "team_next_contact_text": team, "interview_past": past,
                "interview_recent": recent})
    for outcome in ("offer", "rejected", "withdrawn"):  # closed while the thanks was still open: it carries the news
        out[f"referrer-thanks/{outcome}"] = ("referrer-thanks", {**base, **person("chris", "referrer"),
                                                                 "outcome": outcome})
    for evidence, history in itertools.product(("mutual", "second_degree", "co_thread", "colleague"),
                                               ("recent", "dormant", "never")):
        bridges = [] if evidence == "colleague" else [p["jane"]]
        out[f"back-channel/{evidence}/{history}"] = ("back-channel", {
            **base, **person("omar", "connection"), "evidence": evidence, "history": history,
            "connected_year": "2019" if full else "", "bridges_to": bridges, "bridge_text": join_names(bridges, language),
            "bridge_first": greeting_name(bridges[0], language) if bridges else ""})
    for number in (1, 2):
        out[f"casual-touch/{number}"] = ("casual-touch", {**base, **person("jane", "interviewer"),
                                                          "interest": p["interest"], "number": number})
    for number, last in ((1, False), (2, False), (3, True)):
        ring_or_none = {} if last else ring
        out[f"check-in/{number}"] = ("check-in", {**base, **person("jane", "interviewer"), **ring_or_none,
                                                  "number": number, "last": last})
    for number, last in ((1, False), (2, True)):  # to someone who does not own the decision
        for key, role in (("jane", "interviewer"), ("priya", "recruiter")):
            out[f"check-in/optional/{role}/{number}"] = ("check-in", {**base, **person(key, role),
                                                                     **({} if last else ring), "lead": False,
                                                                     "number": number, "last": last})
    out["check-in/late"] = ("check-in", {**base, **person("jane", "interviewer"), **ring, "late": True})
    out["check-in/replied"] = ("check-in", {**base, **person("jane", "interviewer"), **ring, "number": 2,
                                            "replied": True})
    for outcome in ("offer", "rejected", "withdrawn"):
        for key, role in (("chris", "referrer"), ("omar", "connection")):
            out[f"outcome-news/{role}/{outcome}"] = ("outcome-news", {**base, **person(key, role), "outcome": outcome,
                                                                       "email": "x@example.com" if full else ""})
    out["keep-in-touch"] = ("keep-in-touch", {**base, **person("sam", "hiring-manager"), "outcome": "rejected"})
    for same in (False, True):
        out[f"reconnect/{same}"] = ("reconnect", {**base, **person("omar", "connection"),
                                                  "ago": "3 года" if language == "ru" else "3 years",
                                                  "shared_employer": "" if same else opt(p["shared"]),
                                                  "same_employer": same})
    return out


CASES = [(lang, full, key) for lang in ("en", "ru") for full in (True, False) for key in contexts(lang, full)]


@pytest.mark.parametrize("language, full, key", CASES, ids=[f"{lang}-{'full' if full else 'bare'}-{key}"
                                                             for lang, full, key in CASES])
def test_every_kind_reads_cleanly_in_its_language(language, full, key):
    kind, context = contexts(language, full)[key]
    draft = render_draft(kind, context, touch_id=f"x/{kind}/y", to=context["name"], email="", language=language)
    text = draft.subject + "\n" + draft.body
    assert draft.body and not NOT_TEXT.search(text), text
    glued = re.search(r"[a-zа-я][,!?;][A-Za-zА-Яа-я]|[a-zа-я][.][A-ZА-Я][a-z]", text)
    assert glued is None, (glued.group(0), text)  # (a sign-off or sentence run into the next word)
    body, _, sign_off = draft.body.rstrip().rpartition("\n\n")
    assert body and sign_off.count("\n") <= 1, draft.body  # the sign-off in a paragraph of its own
    doubled = re.search(r"\b(\w+) \1\b", text)
    assert doubled is None, (doubled.group(0), text)
    if language == "ru":
        assert set(LATIN_WORD.findall(text)) <= ALLOWED_LATIN, text
        assert "Вы" in text or "Вам" in text or "Вас" in text or "Ваш" in text, text  # the formal you
    else:
        assert not CYRILLIC.search(text), text
    assert "hope to hear" not in text.lower() and "надеюсь на ответ" not in text.lower()
    if context.get("commitment"):
        assert context["next_contact_text"] in text  # the ring date, as the plan has it
    if kind in ("casual-touch", "back-channel", "referrer-thanks", "outcome-news", "reconnect", "handwritten-note"):
        assert not re.search(r"check in on|свяжусь с Вами (в|во) ", text)  # no date of yours in these
    if kind == "handwritten-note":  # a card names no date but holds the ring in words
        assert "I'll be in touch." in text or "Я обязательно свяжусь с Вами." in text
    if kind == "back-channel" and not context["interview_recent"]:
        assert "just interviewed" not in text and "Только что" not in text
    if context.get("outcome") in ("offer", "rejected") and kind in ("referrer-thanks", "outcome-news"):
        assert ("offer" in text or "another candidate" in text or "предложение" in text
                or "другого кандидата" in text)
    if context.get("outcome") == "withdrawn" and kind in ("referrer-thanks", "outcome-news"):
        # says it plainly, as the candidate's own decision, and invents no reason and no other outcome
        assert "decided to withdraw" in text or "отзываю свою кандидатуру" in text, text
        assert not re.search(r"offer|another candidate|because|предложение|другого кандидата|потому", text), text
        if context["role"] == "referrer":
            assert "hear it from me first" in text or "первыми узнали об этом от меня" in text, text
    if kind == "back-channel":
        if context["evidence"] == "colleague":
            assert context["bridge_first"] == "" and p_name_absent(text, language)
        if context["discreet"] and context["history"] == "never":  # a stranger is not told a secret search
            assert context["company"] not in text and "interview" not in text and "собеседован" not in text
        elif context["discreet"]:
            assert ("between us" in text) or ("между нами" in text)
        if context["history"] != "recent":
            assert "catch up" not in text and "созвонимся" not in text


def p_name_absent(text: str, language: str) -> bool:
    jane = people(language)["jane"]
    return jane not in text and jane.split()[0] not in text


def test_two_thank_you_emails_differ_in_more_than_the_name():
    bodies = []
    for variant in (0, 1):
        kind, context = contexts("en", False)[f"thank-you-email/interviewer/{variant}"]
        draft = render_draft(kind, context, touch_id="x", to="", email="", language="en")
        bodies.append(draft.body.replace(context["greeting_name"], "NAME"))
    assert bodies[0] != bodies[1]


def test_russian_dates_names_and_greetings():
    assert format_day(datetime(2026, 11, 26), "ru") == "в четверг, 26 ноября"
    assert format_day(datetime(2026, 12, 1), "ru") == "во вторник, 1 декабря"
    assert format_day(datetime(2026, 11, 25), "ru") == "в среду, 25 ноября"
    assert format_day(datetime(2026, 11, 27), "en") == "on Friday, November 27"
    assert greeting_name("Анна Сергеевна Иванова", "ru") == "Анна Сергеевна"
    assert greeting_name("Иванова Анна Сергеевна", "ru") == "Анна Сергеевна"
    assert greeting_name("Пётр Смирнов", "ru") == "Пётр"
    assert join_names(["А", "Б", "В"], "ru") == "А, Б и В"


def test_user_templates_get_the_same_variables_and_nothing_is_appended(tmp_path):
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "thank-you-email.txt.j2").write_text("Спасибо, {{ greeting_name }}! {{ next_contact_text }}",
                                                             encoding="utf-8")
    (tmp_path / "check-in.txt.j2").write_text(" ".join(f"{{{{ {v} }}}}" for v in TEMPLATE_VARIABLES), encoding="utf-8")
    kind, context = contexts("ru", True)["thank-you-email/interviewer/0"]
    draft = render_draft(kind, context, touch_id="x", to="", email="", language="ru", templates_dir=str(tmp_path))
    assert draft.body == "Спасибо, Анна Сергеевна! в пятницу, 27 ноября"
    kind, context = contexts("en", True)["check-in/1"]
    draft = render_draft(kind, context, touch_id="x", to="", email="", language="en", templates_dir=str(tmp_path))
    assert "on Friday, November 27" in draft.body and "I'll check in" in draft.body


def test_an_unknown_language_lists_the_available_ones():
    from backchannel.errors import BackchannelError

    kind, context = contexts("en", True)["handwritten-note/interviewer"]
    with pytest.raises(BackchannelError, match="unknown language 'de'; available: en, ru"):
        render_draft(kind, context, touch_id="x", to="", email="", language="de")


# ---------------------------------------------------------------- cases found by reading drafts as their recipients


def _workspace(tmp_path, interviews_csv: str):
    from conftest import write

    from backchannel.api import Backchannel
    from backchannel.config import Config
    from backchannel.sample import generate_export

    app = Backchannel(tmp_path / "ws.sqlite", config=Config())
    app.import_linkedin(generate_export(tmp_path / "export.zip", 400, 4000))
    app.import_interviews(write(tmp_path / "iv.csv", interviews_csv))
    return app


def test_names_companies_and_titles_are_written_as_a_person_would(tmp_path):
    app = _workspace(tmp_path, "company,date,role,name,title,position,topic\n"
                               "Hooli.,2026-11-24T14:00-05:00,interviewer,\"JANE DOE, PhD\",CTO,Staff Engineer.,null\n"
                               "Hooli.,2026-11-24T14:00-05:00,hiring-manager,Dr. Kim Lo 🚀,n/a,Staff Engineer.,\n")
    at = datetime.fromisoformat("2026-11-24T18:00-05:00")
    email = app.draft("jane-doe-phd/email", at=at)
    assert email.body.startswith("Dear Jane,") and "Staff Engineer role at Hooli." in email.body
    assert email.subject == "Thank you: Staff Engineer interview"
    assert "null" not in email.body and "Hooli.," not in email.body
    assert app.draft("dr-kim-lo/email", at=at).body.startswith("Dear Kim,")
    app.close()


def test_a_topic_written_as_a_sentence_is_refused_with_the_line(tmp_path):
    from click.testing import CliRunner
    from conftest import write

    from backchannel.cli import cli

    iv = write(tmp_path / "iv.csv", "company,date,role,name,topic\n"
                                    "Acme,2026-11-24,interviewer,Jane Roe,the ledger migration\n"
                                    "Acme,2026-11-24,interviewer,Sam Lee,We talked about Kafka. It was great.\n")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "ws.sqlite"), "import", "interviews", str(iv)])
    assert result.exit_code == 1 and "iv.csv, line 3: the topic reads as a sentence" in result.output


def test_previewing_a_later_time_commits_nothing(app):
    later = datetime.fromisoformat("2026-12-01T09:00:00-05:00")
    app.report("acme-corp-2026-11-24", at=later)  # a look ahead
    app.draft("jane-roe/email", at=later)
    now_ = datetime.fromisoformat("2026-11-24T19:00:00-05:00")
    assert app.draft("jane-roe/email", at=now_).next_contact == datetime.fromisoformat(
        "2026-11-26T10:00:00-05:00")


def test_the_referrer_never_hears_a_date_that_has_gone_by(app):
    early = datetime.fromisoformat("2026-11-24T17:00:00-05:00")
    app.draft("jane-roe/email", at=early)  # proposes Thu 26 Nov 10:00
    late = datetime.fromisoformat("2026-11-28T10:00:00-05:00")
    thanks = app.draft("chris-lee/thanks", at=late).body
    assert "November 26" not in thanks


def test_the_referrer_is_told_a_day_true_for_everyone_met(app):
    """All three check-ins on Thursday: the referrer hears that day. Sam, who owns the decision,
    moves the round to Monday: Jane and Priya are told the team hears from you on Monday too, and
    so is the referrer; never a Thursday that is wrong for Sam."""
    def at(text: str) -> datetime:
        return datetime.fromisoformat(text + "-05:00")

    first = at("2026-11-24T17:00")
    thanks = app.draft("chris-lee/thanks", at=first).body
    assert "I'll check in with them on Thursday, November 26," in thanks
    logged = at("2026-11-24T18:00")
    assert app.done("sam-patel/email", at=logged, next_at=at("2026-11-30T10:00")).checkin.due_from == \
        at("2026-11-30T10:00")
    later = at("2026-11-24T18:30")
    thanks = app.draft("chris-lee/thanks", at=later).body
    assert "I'll check in with them on Monday, November 30," in thanks and "Thursday" not in thanks
    assert "I'll check in with the team on Monday, November 30." in app.draft("jane-roe/email", at=later).body
    russian = app.draft("chris-lee/thanks", at=later, lang="ru").body
    assert "Я свяжусь с ними в понедельник, 30 ноября" in russian


def test_the_ring_keeps_the_interviews_clock_whoever_logs_it_where(app):
    """You log in UTC; the interview is at -05:00: a check-in booked by `done`, with no draft
    first, or given as a day alone with --next, is at 10:00 on the interview's clock."""
    from backchannel.errors import BackchannelError

    logged = datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc)  # Tue 24 Nov 20:00 at -05:00
    booked = app.done("jane-roe/email", at=logged).checkin.due_from
    assert booked == datetime.fromisoformat("2026-11-26T10:00:00-05:00") and booked.utcoffset() == timedelta(hours=-5)
    day = app.parse_next("2026-12-03")
    assert day == date(2026, 12, 3)
    assert app.parse_next("2026-12-03T09:30") == datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc)
    booked = app.done("sam-patel/email", at=logged, next_at=day).checkin.due_from
    assert booked == datetime.fromisoformat("2026-12-03T10:00:00-05:00")
    with pytest.raises(BackchannelError, match=r"already done \(Wed 25 Nov 01:00 UTC\)"):
        app.done("jane-roe/email", at=logged)  # in your zone, as you logged it


def test_your_own_connections_hear_from_you_in_your_language(tmp_path):
    from backchannel.api import Backchannel

    app = _workspace(tmp_path, "company,date,role,name,mutuals,language\n"
                               "Acme Corp.,2026-11-24T14:00-05:00,interviewer,Jane Roe,Omar Haddad,ru\n")
    at = datetime.fromisoformat("2026-11-25T15:00-05:00")
    assert app.draft("jane-roe/email", at=at).language == "ru"
    assert app.draft("omar-haddad/back-channel", at=at).language == "en"
    assert isinstance(app, Backchannel)
    app.close()


def test_the_owner_of_the_decision_reads_the_same_words_before_and_after_you_log_it(app):
    """Jane's thank-you went first, so her ring leads the round until Sam's starts; Sam owns the
    decision, and his email says "I'll check in" whether you look at it before sending it or
    after logging it."""
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    app.done("jane-roe/email", at=datetime(2026, 11, 24, 19, 30, tzinfo=ny))
    evening = datetime(2026, 11, 25, 20, 0, tzinfo=ny)
    before = app.draft("sam-patel/email", at=evening).text()
    app.done("sam-patel/email", at=evening)
    after = app.draft("sam-patel/email", at=evening).text()
    assert "I'll check in on " in before and "with the team" not in before
    assert after == before
