"""The interview report: one offline, printable page; inert strings; drawn in a real Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from backchannel.domain import Candidate, Interview, InterviewPerson, Touch
from backchannel.drafts import Draft
from backchannel.errors import BackchannelError
from backchannel.followup import InterviewPlan
from backchannel.report import (
    Report,
    ReportData,
    build_report,
    csp_hash,
    linkedin_url,
    mailto_href,
)
from backchannel.results import RankResult

CHROMIUM = "/usr/bin/chromium"
NY = ZoneInfo("America/New_York")
AT = datetime(2026, 11, 24, 14, 0, tzinfo=NY)
NOW = datetime(2026, 11, 27, 0, 30, tzinfo=timezone.utc)  # Thu 26 Nov, 19:30 in New York
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    '"><svg onload=window.__pwned=3>',
    "{{7*7}} ${window.__pwned=4}",
]
TRICKY_SUBJECT = "Thank you — the ledger & what's next? (#1 on my list)"
TRICKY_BODY = ("Hi Sam,\n\nThank you for Tuesday. I keep thinking about your question on moving the ledger to "
               "event sourcing & keeping reads fast: the approach in issue #42 of the café-service repo is what "
               "I'd try first. Does it match what you had in mind?\n\nI'll check in on Monday, November 30.\n\n"
               "Best,\nAlex Morgan")


def _touch(person_slug: str, kind: str, label: str, person: str, role: str, status: str, start: datetime | None,
           hours: float, draft: tuple | None = None, done_at: datetime | None = None,
           note: str = "", waiting: str = "", number: int = 0, profile_url: str = "") -> tuple[Touch, Draft | None]:
    end = start + timedelta(hours=hours) if start else None
    touch = Touch(id=f"acme-corp-2026-11-24/{kind}/{person_slug}" + (f"-{number}" if number else ""),
                  interview="acme-corp-2026-11-24", kind=kind, person=person, person_slug=person_slug, role=role,
                  due_from=start, due_by=end, status=status, done_at=done_at, note=note or waiting, number=number,
                  waiting_for="x" if waiting else "",
                  candidate=Candidate(rank=2, node="person:9", name=person, role="mutual", evidence="mutual",
                                      score=0.7, profile_url=profile_url) if profile_url else None)
    made = None
    if draft is not None:
        subject, body, email, language, ring = draft
        made = Draft(id=touch.id, to=person, email=email, subject=subject, body=body, next_contact=ring,
                     language=language, kind=kind)
    return touch, made


def _map(names: list[str]):
    from backchannel.maps import BackchannelMap  # here: nothing else in these tests needs maps

    nodes = [{"id": "you", "label": "Alex Morgan", "x": 0, "y": 0, "color": "#2b6cb0", "title": "You"}]
    edges = []
    for i, name in enumerate(names, start=1):
        nodes.append({"id": f"p{i}", "label": name, "x": 330, "y": (i - 2) * 110, "color": "#2f855a", "title": name})
        edges.append({"from": "you", "to": f"p{i}", "width": 2 + i})
    return BackchannelMap(title="Back channel: Acme Corp.", subtitle="interview 24 Nov", nodes=nodes, edges=edges,
                          details={n["id"]: {"name": n["label"], "role": "mutual"} for n in nodes},
                          options={"physics": {"enabled": False}})


def sample_data(*, discreet: bool = False, hostile: bool = False, with_map: bool = True,
                names: list[str] | None = None) -> ReportData:
    """The evening two days after an interview: every status, drafts by email, LinkedIn and by hand.

    In order: 1 thank the referrer (done), 2 thank-you to Jane (done), 3 to Sam (overdue, the tricky
    email), 4 to Priya (skipped), 5 back channel to Omar (due, Russian, LinkedIn), 6 note to Jane (due,
    by hand), 7 an old check-in (cancelled), 8 check-in with Jane (pending, email), 9 casual touch
    (pending, LinkedIn), 10 note to Sam (pending, waiting for the email).
    """
    names = names or (HOSTILE if hostile else ["Jane Roe", "Sam Patel", "Omar Haddad", "Priya Nair"])
    jane, sam, omar, priya = names
    t = AT
    jane_ring = datetime(2026, 11, 27, 10, 0, tzinfo=NY)
    sam_ring = datetime(2026, 11, 30, 10, 0, tzinfo=NY)
    sam_body = TRICKY_BODY if not hostile else f"Hi {sam},\n\nThank you, {jane} and {omar}.\n\n{priya}"
    touches = [
        _touch("chris-lee", "referrer-thanks", "Thank the referrer", "Chris Lee", "referrer", "done", t, 24,
               done_at=datetime(2026, 11, 24, 18, 20, tzinfo=NY)),
        _touch("jane-roe", "thank-you-email", "Thank-you email", jane, "interviewer", "done",
               t + timedelta(hours=2), 46, done_at=datetime(2026, 11, 25, 8, 45, tzinfo=NY)),
        _touch("sam-patel", "thank-you-email", "Thank-you email", sam, "hiring-manager", "overdue",
               t + timedelta(hours=2), 46,
               (TRICKY_SUBJECT if not hostile else f"Thank you, {sam}", sam_body, "sam.patel+hiring@acme.example", "en", sam_ring)),
        _touch("priya-nair", "thank-you-email", "Thank-you email", priya, "recruiter", "skipped",
               t + timedelta(hours=2), 46),
        _touch("sam-patel", "handwritten-note", "Handwritten note", sam, "hiring-manager", "pending", None, 0,
               ("", f"Dear {sam},\n\nThank you again for Tuesday's conversation.\n\n"
                    "I'll be in touch.\n\nAlex", "", "en", None),
               waiting="24–48 hours after the thank-you email is sent"),
        _touch("omar-haddad", "back-channel", "Back channel", omar, "connection", "due",
               t + timedelta(days=1), 48,
               ("", f"Привет, {omar.split()[0]}! Во вторник я прошёл собеседование в "
                    f"Acme с {jane}. Если будет случай, буду рад доброму слову. Спасибо!", "", "ru", None),
               profile_url="https://www.linkedin.com/in/omar-haddad"),
        _touch("jane-roe", "handwritten-note", "Handwritten note", jane, "interviewer", "due",
               datetime(2026, 11, 26, 8, 45, tzinfo=NY), 24,
               ("", f"Dear {jane},\n\nThank you for the time you gave me on Tuesday; "
                    "the whiteboard session on the ledger was the best hour of my week.\n\n"
                    "I'll be in touch.\n\nAlex",
                "jane.roe@acme.example", "en", None)),  # an address, yet a card: no mail link
        _touch("jane-roe", "check-in", "Check-in", jane, "interviewer", "cancelled",
               datetime(2026, 11, 26, 10, 0, tzinfo=NY), 24, number=1,
               note="Superseded by the check-in you committed to in your thank-you note."),
        _touch("jane-roe", "check-in", "Check-in", jane, "interviewer", "pending", jane_ring, 24,
               ("Checking in", f"Hi {jane},\n\nAs promised, checking in on the "
                "Senior Backend Engineer role. I'll check in again on Wednesday, December 2.\n\nAlex",
                "jane.roe@acme.example", "en", datetime(2026, 12, 2, 10, 0, tzinfo=NY)), number=2),
        _touch("jane-roe", "casual-touch", "Casual touch", jane, "interviewer", "pending",
               t + timedelta(days=7), 24 * 7,
               ("", f"Hi {jane}, saw this piece on event sourcing at scale and thought "
                    "of our conversation. No reply needed!", "", "en", None), number=1,
               note="No business and no date: just something they care about."),
    ]
    ranking = [
        Candidate(rank=1, node="person:1", name="Chris Lee", role="referrer", evidence="referrer", score=1.0,
                  profile_url="https://www.linkedin.com/in/chris-lee", company="Acme Corp.", position="Staff Engineer",
                  reasons=("referred you to Acme Corp.", "23 messages, the last in October"),
                  action="Thank them today, tell them how the interview went and when you expect to hear back"),
        Candidate(rank=2, node="person:9", name=omar, role="mutual", evidence="mutual", score=0.74,
                  profile_url="https://www.linkedin.com/in/omar-haddad", company="Globex",
                  position="Principal Engineer",
                  reasons=(f"knows {jane} (mutual connection)", "48 messages both ways, the last in September",
                           "recommended you in 2024"),
                  bridges_to=(jane,), action=f"Let them know you interviewed with {jane}; a good word from them would carry"),
        Candidate(rank=3, node="person:5", name=priya if hostile else "Lena Park", role="colleague",
                  evidence="colleague", score=0.41, profile_url="javascript:window.__pwned=5",
                  company=sam if hostile else "Acme Corp.", position="Product Designer",
                  reasons=("works at Acme Corp. as Product Designer", "connected since 2021, no messages yet"),
                  bridges_to=(jane, sam),
                  action="Reconnect first (it has been quiet), then tell them you interviewed at Acme"),
    ]
    people = [InterviewPerson("jane-roe", "interviewer", jane, title="Engineering Manager"),
              InterviewPerson("sam-patel", "hiring-manager", sam,
                              title=HOSTILE[2] if hostile else "Director of Engineering"),
              InterviewPerson("priya-nair", "recruiter", priya, title="Technical Recruiter"),
              InterviewPerson("chris-lee", "referrer", "Chris Lee", title="Staff Engineer")]
    iv = Interview(id="acme-corp-2026-11-24", company="Acme Corp." if not hostile else HOSTILE[1], at=AT,
                   tz="America/New_York", position="Senior Backend Engineer" if not hostile else HOSTILE[0],
                   discreet=discreet, people=people)
    plan = InterviewPlan(iv, NOW, tuple(t for t, _ in touches), promised={"jane-roe": jane_ring})
    drafts = {t.id: d for t, d in touches if d is not None}
    profiles = {"jane-roe": "https://www.linkedin.com/in/jane-roe", "sam-patel": "http://evil.example/sam",
                "priya-nair": "", "chris-lee": "https://uk.linkedin.com/in/chris-lee"}
    return ReportData(plan=plan, drafts=drafts, ranking=RankResult(ranking, company=iv.company), profiles=profiles,
                      map=_map(names) if with_map else None, zone=NY, generated_at=NOW)


# ------------------------------------------------------------------------------- links


def _decode_mailto(href: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    fields = dict(pair.split("=", 1) for pair in parts.query.split("&")) if parts.query else {}
    return unquote(parts.path), {k: unquote(v) for k, v in fields.items()}


def test_mailto_is_rfc6068_percent_encoded():
    href = mailto_href("sam.patel+hiring@acme.example", TRICKY_SUBJECT, TRICKY_BODY)
    assert " " not in href and "\n" not in href and "+" not in href.split("?", 1)[1]
    assert re.fullmatch(r"mailto:[A-Za-z0-9%._~!$'()*+,;:@-]+\?subject=[A-Za-z0-9%._~-]+&body=[A-Za-z0-9%._~-]+", href)
    to, fields = _decode_mailto(href)
    assert to == "sam.patel+hiring@acme.example"
    assert fields["subject"] == TRICKY_SUBJECT
    assert fields["body"] == TRICKY_BODY.replace("\n", "\r\n")
    assert "%0D%0A" in href and "%26" in href and "%3F" in href and "%23" in href


def test_mailto_refuses_what_is_not_an_address():
    for bad in ("", "jane", "a@b@c", "jane roe@acme.example", "x@y\nBcc: z@w", "javascript:x@y", "<a@b>"):
        assert mailto_href(bad, "s", "b") == "", bad
    assert mailto_href("jane@acme.example") == "mailto:jane@acme.example"
    assert mailto_href("ivan@пример.рф").startswith("mailto:ivan@xn--")
    assert mailto_href("a@b.example", "line one\nline two") == "mailto:a@b.example?subject=line%20one%20line%20two"


def test_only_https_linkedin_links_are_kept():
    assert linkedin_url("https://www.linkedin.com/in/jane-roe/") == "https://www.linkedin.com/in/jane-roe/"
    assert linkedin_url("https://linkedin.com/in/x") == "https://linkedin.com/in/x"
    for bad in ("http://www.linkedin.com/in/x", "javascript:alert(1)", "https://evil.example/in/x",
                "https://linkedin.com.evil.example/", "https://user@www.linkedin.com/in/x", "//www.linkedin.com/in/x",
                "https://www.linkedin.com/in/x y", "data:text/html,<b>"):
        assert linkedin_url(bad) == "", bad


# ------------------------------------------------------------------------------- the page as text


def _csp(page: str) -> str:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert match, "no CSP meta"
    return match.group(1)


def _outside_map(page: str) -> str:
    """The page without the map (in a srcdoc attribute, escaped once more: its own page)."""
    return re.sub(r'srcdoc="[^"]*"', "", page)


def test_discreet_interview_has_the_badge_and_a_csp():
    page = build_report(sample_data(discreet=True)).html()
    assert page.startswith("<!DOCTYPE html>")
    assert 'id="discreet-badge"' in page and "Discreet search" in page
    csp = _csp(page)
    assert csp.startswith("default-src 'none';")
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]  # scripts by hash only
    assert "'unsafe-eval'" not in csp and "http" not in csp
    assert "form-action 'none'" in csp and "base-uri 'none'" in csp
    assert 'id="discreet-badge"' not in build_report(sample_data(discreet=False)).html()


def test_page_has_every_touch_draft_and_link():
    data = sample_data()
    page = build_report(data).html()
    assert page.count('class="touch status-') == len(data.plan.touches)
    # touches in time order (stable for equal starts), the one still waiting for another at the end
    order = re.findall(r'data-status="(\w+)"', page)
    assert order == ["done", "done", "overdue", "skipped", "due", "due", "cancelled", "pending", "pending", "pending"]
    assert re.findall(r'<span class="kind">([^<]+)</span>', page)[-1] == "Handwritten note"
    # open touches carry their drafts, closed ones do not
    assert page.count('<pre class="draft-body"') == 6
    assert "Tue 24 Nov 14:00 EST" in page and ">open<" in page
    assert "Thu 26 Nov 19:30 EST" in page  # prepared, in the user's zone, labelled
    assert "Tue 24 Nov 18:20 EST" in page  # when the referrer was thanked
    # the ring date each draft commits to (a card names none)
    rings = re.findall(r'class="ring-date">([^<]+)<', page)
    assert rings == ["Mon 30 Nov 10:00 EST", "Wed 2 Dec 10:00 EST"]
    # the headline is the check-in you booked, never what an unsent message would promise
    assert "Your next promised contact: <strong>Fri 27 Nov 10:00 EST (Jane Roe)</strong>" in page
    # how each draft goes out: mail app, LinkedIn, by hand
    assert page.count('class="button mailto"') == 2
    assert page.count('class="button linkedin" href="https://www.linkedin.com/in/omar-haddad"') == 1
    assert page.count('class="button linkedin" href="https://www.linkedin.com/in/jane-roe"') == 1
    assert page.count("Write it by hand on a card and post it.") == 2
    assert 'lang="ru"' in page
    # only https LinkedIn profile links
    assert 'href="https://uk.linkedin.com/in/chris-lee"' in page
    outside = _outside_map(page)
    assert "javascript:" not in outside and "evil.example" not in outside
    assert "backchannel done sam-patel/email" in page
    assert "Superseded by the check-in you committed to in your thank-you note." in page
    assert "1 overdue" in page and "2 due" in page and "To send now: 3 messages." in page


def test_no_resource_is_loaded_from_anywhere():
    outside = _outside_map(build_report(sample_data()).html())
    assert re.findall(r"\s(?:src|srcset|action|formaction|poster|data)\s*=", outside) == []
    assert re.findall(r"<(?:link|base|object|embed|form|img|video|audio|source)\b", outside) == []
    assert re.findall(r'href="(?!https://(?:[a-z]+\.)?linkedin\.com/|mailto:)', outside) == []
    assert "@import" not in outside and "url(" not in outside


def test_as_of_closed_outcome_and_a_long_message():
    data = sample_data(with_map=False)
    data.as_of = datetime(2026, 11, 28, 9, 0, tzinfo=NY)
    data.plan.interview.outcome = "offer"
    data.drafts["acme-corp-2026-11-24/thank-you-email/sam-patel"].body = "Спасибо! " * 150  # 6x as long encoded
    page = build_report(data).html()
    assert "As of · Sat 28 Nov 09:00 EST" in page
    assert page.index('id="now"') > page.index("Fri 27 Nov 10:00 – Sat 28 Nov 10:00 EST")  # after the check-in
    assert '<span class="outcome outcome-offer" id="outcome">offer</span>' in page
    assert page.count("if your mail app cuts it short") == 1
    check_in = next(t for t in data.plan.touches if t.kind == "check-in" and t.id in data.drafts)
    data.drafts[check_in.id].email = "jane at acme"
    page = build_report(data).html()
    assert page.count('class="button mailto"') == 1 and "jane at acme" in page
    assert "That email address does not look right" in page


def test_hostile_strings_are_text_in_the_markup():
    page = build_report(sample_data(hostile=True)).html()
    outside = _outside_map(page)
    for h in HOSTILE[:3]:
        assert h not in outside
    assert "<img" not in outside and "<svg" not in outside and "onerror=" not in outside.replace("onerror=&#34;", "")
    assert outside.count("<script>") == 1  # only the page's own
    assert "{{7*7}} ${window.__pwned=4}" in outside  # shown literally, never evaluated
    assert "49" not in re.sub(r"[0-9a-f]{4,}|sha256-[^']+", "", outside)


def test_no_map_says_so():
    page = build_report(sample_data(with_map=False)).html()
    assert "No map for this interview." in page and "<iframe" not in page
    csp = _csp(page)
    assert csp.count("sha256-") == 1


def test_map_is_embedded_in_a_sandboxed_srcdoc_frame_with_its_scripts_hashed():
    data = sample_data()
    page = build_report(data).html()
    frame = re.search(r"<iframe [^>]*>", page).group(0)
    assert 'sandbox="allow-scripts"' in frame and "allow-same-origin" not in frame
    assert 'title="Back channel: Acme Corp."' in frame
    # every inline script of the map page is allowed by hash (found here another way), and the page's own
    # (a data block, <script type="application/json">, never runs and needs no hash)
    own = re.findall(r"<script>(.*?)</script>", _outside_map(page), flags=re.S)
    scripts = own + re.findall(r"<script(?: type=\"(?:text/javascript|module)\")?>(.*?)</script>", data.map.html(),
                               flags=re.S)
    assert len(own) == 1
    assert set(re.findall(r"'sha256-[^']+'", _csp(page))) == {csp_hash(s) for s in scripts}


SEARCH = "https://www.linkedin.com/search/results/people/?keywords=Acme%20Corp&network=%5B%22S%22%5D"


def test_empty_ranking_hint_is_a_link_with_words():
    data = sample_data(with_map=False)
    # the terminal's message names the address as text: the page says it in words, the address a link
    data.ranking = RankResult([], company="Acme Corp.", search_link=SEARCH,
                              message=f"No first-degree connections reach Acme Corp. Look there yourself: {SEARCH}")
    page = build_report(data).html()
    hint = page[page.index('id="empty-ranking"'):page.index("</section>", page.index('id="empty-ranking"'))]
    assert "Nobody in your network reaches Acme Corp. yet" in hint
    assert re.findall(r'<a class="search" href="([^"]+)"[^>]*>([^<]+)</a>', hint) == [
        (SEARCH.replace("&", "&amp;"), "Search LinkedIn for people at Acme Corp.")]
    assert page.count("linkedin.com/search") == 1  # only in the link's address, never as text
    data.ranking = RankResult([], company="Acme Corp.", message="No connections yet: import your export first.")
    assert "No connections yet: import your export first." in build_report(data).html()
    data.ranking = RankResult([], company="Acme Corp.")
    assert "Nobody in your network reaches Acme Corp. yet." in build_report(data).html()


# ------------------------------------------------------------------------------- a long back channel


def crowd(data: ReportData, n: int, *, top: int | None = 10) -> ReportData:
    """``data`` with a ranking of ``n`` people, as 30,000 connections give (4,298 at Acme, down to 0.01):
    the referrer first, the plan's back channel (Omar) second, then colleagues by falling score."""
    head = list(data.ranking)[:2]
    rest = [Candidate(rank=k, node=f"person:{1000 + k}", name=f"Person {k} Colleague", role="colleague",
                      evidence="colleague", score=round(0.6 * (1 - k / n) + 0.01, 4),
                      profile_url=f"https://www.linkedin.com/in/person-{k}", company="Acme Corp.",
                      position="Staff Engineer, Payments",
                      reasons=(f"you: {k % 40} messages, the last {k % 11 + 1} months ago",
                               "works at Acme Corp. as Staff Engineer, Payments (may know the team)"),
                      action="Tell them you interviewed at Acme Corp. and ask what the team is like")
            for k in range(3, n + 1)]
    return replace(data, ranking=RankResult(head + rest, company="Acme Corp."), top=top)


def _listed(page: str) -> list[str]:
    return re.findall(r'<div class="rank-no">(\d+)</div>', page)


def test_a_long_back_channel_lists_the_plans_people_and_the_next_best():
    data = sample_data(with_map=False)
    small, big = build_report(crowd(data, 435)).html(), build_report(crowd(data, 4298)).html()
    # the referrer and Omar (the plan's back channel), then the next best ten
    assert _listed(big) == [str(k) for k in range(1, 13)]
    assert big.count('class="plan-tag"') == 2
    assert re.search(r'<strong>4,286 more people reach Acme Corp.</strong> \(scores 0\.\d\d down to 0\.01\)', big)
    assert "<code>backchannel rank acme-corp-2026-11-24 --top 4298</code>" in big
    assert "backchannel map --all" in big
    # the page does not grow with the ranking: only the count of the rest differs
    assert abs(len(big) - len(small)) < 20 and len(big) < 100_000
    # --top 0: only the people the plan contacts; None: everyone
    assert _listed(build_report(crowd(data, 4298, top=0)).html()) == ["1", "2"]
    everyone = build_report(crowd(data, 500, top=None)).html()
    assert len(_listed(everyone)) == 500 and 'id="more-people"' not in everyone
    # nobody in the plan and --top 0: no list, still the count
    nobody = crowd(data, 50, top=0)
    nobody = replace(nobody, plan=replace(nobody.plan, touches=tuple(t for t in nobody.plan if t.kind != "back-channel")),
                     ranking=RankResult(list(nobody.ranking)[1:], company="Acme Corp."))
    page = build_report(nobody).html()
    assert _listed(page) == [] and "<strong>49 more people reach Acme Corp.</strong>" in page
    # a person the plan contacts is listed wherever they rank
    deep = crowd(data, 4298, top=3)
    omar = deep.ranking[1]
    moved = [c for c in deep.ranking if c.node != omar.node]
    moved.insert(40, replace(omar, rank=41))
    deep = replace(deep, ranking=RankResult([replace(c, rank=i) for i, c in enumerate(moved, start=1)],
                                            company="Acme Corp."))
    assert _listed(build_report(deep).html()) == ["1", "2", "3", "4", "41"]


def test_the_headline_names_a_booked_check_in_only():
    data = sample_data(with_map=False)
    page = build_report(data).html()
    assert "Your next promised contact: <strong>Fri 27 Nov 10:00 EST (Jane Roe)</strong>" in page
    # the unsent thank-you to Sam names Mon 30 Nov: a draft's promise is not a booking
    assert "Mon 30 Nov 10:00 EST" in page
    data.plan = replace(data.plan, promised={})
    page = build_report(data).html()
    assert "Your next promised contact" not in page
    # two booked: the earliest, with whom
    data.plan = replace(data.plan, promised={"sam-patel": datetime(2026, 12, 3, 9, 0, tzinfo=NY),
                                             "jane-roe": datetime(2026, 12, 2, 15, 30, tzinfo=NY)})
    assert "Your next promised contact: <strong>Wed 2 Dec 15:30 EST (Jane Roe)</strong>" in build_report(data).html()


_TIME = re.compile(r"\b\d{1,2}:\d{2}(?:\s*–\s*(?:\w{3} \d{1,2} \w{3} )?\d{1,2}:\d{2})?(?P<after>\s*[\w+:-]*)")


def _page_times(page: str) -> list[tuple[str, str]]:
    """Every time on the page outside the drafts' own words (a letter speaks the recipient's
    zone) and the map: the time and the word after it."""
    text = re.sub(r'<pre class="draft-body".*?</pre>', " ", _outside_map(page), flags=re.S)
    text = re.sub(r"<style>.*?</style>|<script>.*?</script>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [(m.group(0).strip(), m.group("after").strip()) for m in _TIME.finditer(text)]


def test_every_time_is_in_the_users_zone_with_its_label():
    data = sample_data(with_map=False)
    data.zone = ZoneInfo("Europe/Berlin")  # the interview is in New York
    page = build_report(data).html()
    times = _page_times(page)
    assert len(times) >= 15
    assert {after for _, after in times} == {"CET"}, times
    assert "Tue 24 Nov 20:00 CET" in page  # the interview, 14:00 in New York
    assert "Times are in your time zone (Europe/Berlin)." in page and "EST" not in _outside_map(page)


# ------------------------------------------------------------------------------- writing


def test_write_is_atomic_and_writes_one_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    report = build_report(sample_data(with_map=False))
    path = report.write(out / "report.html")
    assert path == out / "report.html"
    assert [p.name for p in out.iterdir()] == ["report.html"]
    assert path.read_text(encoding="utf-8") == report.html()
    assert (path.stat().st_mode & 0o777) == 0o600  # personal data
    path.chmod(0o644)
    report.write(str(path))  # an existing file is replaced, keeping its permissions
    assert (path.stat().st_mode & 0o777) == 0o644
    assert [p.name for p in out.iterdir()] == ["report.html"]


def test_unwritable_paths_raise_a_one_line_error(tmp_path):
    report = build_report(sample_data(with_map=False))
    for target in (tmp_path / "missing" / "report.html", tmp_path):
        with pytest.raises(BackchannelError) as info:
            report.write(target)
        message = str(info.value)
        assert "\n" not in message and str(target) in message

def test_read_only_folder_raises_and_leaves_nothing(tmp_path):
    """A folder you may not write to: a read-only one of yours; as root (who writes into those),
    /sys, where nobody creates files."""
    if os.geteuid() == 0:
        target = Path("/sys/backchannel-report.html")
        with pytest.raises(BackchannelError) as info:
            build_report(sample_data(with_map=False)).write(target)
        assert "\n" not in str(info.value) and str(target) in str(info.value)
        assert not [p for p in Path("/sys").iterdir() if p.name.startswith("backchannel-report")]
        return
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(BackchannelError, match="locked"):
            build_report(sample_data(with_map=False)).write(locked / "report.html")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr("backchannel.report.os.replace", refuse)
    with pytest.raises(BackchannelError, match="Permission denied"):
        build_report(sample_data(with_map=False)).write(out / "report.html")
    assert list(out.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_nobody_can_write_to_raises():
    with pytest.raises(BackchannelError) as info:
        build_report(sample_data(with_map=False)).write("/proc/report.html")
    assert str(info.value).startswith("/proc/report.html: cannot write the report") and "\n" not in str(info.value)


def test_repr_html_for_jupyter_writes_nothing(tmp_path, monkeypatch):
    notebook_dir = tmp_path / "notebook"
    notebook_dir.mkdir()
    monkeypatch.chdir(notebook_dir)
    report = build_report(sample_data())
    snippet = report._repr_html_()
    assert snippet.startswith("<iframe srcdoc=") and "allow-scripts" in snippet and "allow-same-origin" not in snippet
    assert "<script" not in snippet.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert list(notebook_dir.iterdir()) == []
    assert isinstance(report, Report) and report.title == "Follow-up: Acme Corp., Senior Backend Engineer"


# ------------------------------------------------------------------------------- in a real browser


def _launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True,
                             args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                   "--disable-component-update", "--disable-sync"])


class Opened:
    """A report loaded in Chromium with every request that is not file/data/about recorded and aborted."""

    def __init__(self, p, path: Path, *, clipboard: bool = True):
        self.browser = _launch(p)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 1000})
        if clipboard:
            self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        # (uncaught errors of the map's frame arrive here too, with the frame's stack)
        self.page.on("pageerror", lambda exc: self.errors.append(f"{exc} {exc.stack}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.errors.append("dialog:" + d.message), d.dismiss()))

        def block(route):
            url = route.request.url
            if url.split(":", 1)[0] in ("file", "data", "about"):
                route.continue_()
            else:
                self.requests.append(url)
                route.abort()

        self.context.route("**/*", block)
        self.context.on("request", lambda r: None if r.url.split(":", 1)[0] in ("file", "data", "about")
                        else self.requests.append(r.url))
        self.page.goto(path.resolve().as_uri())

    def map_frame(self, timeout_s: float = 30.0):
        # Chromium does not render an off-screen cross-origin frame (the sandbox makes it one):
        # the map draws when the reader scrolls to it, so scroll to it
        self.page.locator("#map-frame").scroll_into_view_if_needed()
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            for frame in self.page.frames:
                if frame is not self.page.main_frame and frame.evaluate(
                        "document.body && document.body.getAttribute('data-drawn')") == "yes":
                    return frame
            self.page.wait_for_timeout(100)
        return None

    def close(self) -> None:
        self.browser.close()


def _playwright():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (.ci/run installs it)")
    return sync_api.sync_playwright()


@pytest.mark.browser
def test_report_loads_offline_shows_everything_and_draws_the_map(tmp_path):
    data = sample_data(discreet=True)
    path = build_report(data).write(tmp_path / "report.html")
    with _playwright() as p:
        o = Opened(p, path)
        try:
            frame = o.map_frame()
            assert frame is not None, o.errors  # the map drew under the report's CSP
            inked = frame.evaluate("""() => {
                const c = document.querySelector('canvas'); if (!c) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4 * 13) { if (d[i] > 0) n++; } return n; }""")
            assert inked > 100
            page = o.page
            assert page.locator("#discreet-badge").is_visible()
            assert page.locator("li.touch").count() == len(data.plan.touches)
            bodies = page.locator("pre.draft-body").all_text_contents()
            expected = [data.drafts[t.id].body for t in data.plan.touches if t.id in data.drafts and t.status in ("due", "overdue", "pending")]
            assert sorted(bodies) == sorted(expected)
            assert page.locator(".ring-date").first.is_visible()
            # the mailto link carries the subject and the body
            hrefs = page.locator("a.mailto").evaluate_all("els => els.map(e => e.getAttribute('href'))")
            assert len(hrefs) == 2
            to, fields = _decode_mailto(hrefs[0])
            assert to == "sam.patel+hiring@acme.example"
            assert fields == {"subject": TRICKY_SUBJECT, "body": TRICKY_BODY.replace("\n", "\r\n")}
            # the copy button puts the draft on the clipboard
            page.locator("#touch-3 button.copy", has_text="Copy message").click()
            # (a locator, not wait_for_function: its string predicate is an eval, which the CSP refuses)
            expect = pytest.importorskip("playwright.sync_api").expect
            expect(page.locator("#touch-3 .actions .copy-status")).to_have_text("Copied.")
            assert page.evaluate("navigator.clipboard.readText()") == TRICKY_BODY
            assert o.requests == [] and o.errors == []
        finally:
            o.close()


@pytest.mark.browser
def test_copy_falls_back_to_selecting_the_text(tmp_path):
    path = build_report(sample_data(with_map=False)).write(tmp_path / "report.html")
    with _playwright() as p:
        o = Opened(p, path, clipboard=False)
        try:
            page = o.page
            # a browser without the async clipboard: the button selects the draft instead
            page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
            page.locator("#touch-5 button.copy", has_text="Copy message").click()
            status = page.locator("#touch-5 .actions .copy-status").text_content()  # set at once: no promise
            assert status in ("Copied.", "Selected: press Ctrl+C (\u2318C on a Mac) to copy.")
            assert page.evaluate("window.getSelection().toString()") == page.locator("#draft-5").text_content()
            assert o.requests == [] and o.errors == []
        finally:
            o.close()


@pytest.mark.browser
def test_hostile_names_stay_inert_in_chromium(tmp_path):
    path = build_report(sample_data(hostile=True)).write(tmp_path / "report.html")
    with _playwright() as p:
        o = Opened(p, path)
        try:
            assert o.map_frame() is not None
            for frame in o.page.frames:
                assert frame.evaluate("window.__pwned === undefined"), frame.url
                assert frame.evaluate("document.querySelectorAll('img, svg').length") == 0
            page = o.page
            assert page.locator("h1").text_content() == HOSTILE[1]
            assert page.locator("#position").text_content() == HOSTILE[0]
            assert page.evaluate("document.querySelectorAll('script').length") == 1
            assert page.evaluate("document.querySelectorAll('iframe').length") == 1
            assert HOSTILE[3] in page.locator("#people").text_content()
            assert page.evaluate("[...document.querySelectorAll('a[href]')].every(a => "
                                 "/^(https:\\/\\/([a-z]+\\.)?linkedin\\.com\\/|mailto:)/.test(a.getAttribute('href')))")
            assert o.requests == [] and o.errors == []
        finally:
            o.close()


@pytest.mark.browser
def test_report_prints_to_pdf(tmp_path):
    data = sample_data()
    path = build_report(data).write(tmp_path / "report.html")
    with _playwright() as p:
        o = Opened(p, path)
        try:
            o.page.emulate_media(media="print")
            assert o.page.locator("#map-frame").is_hidden()
            assert o.page.locator("button.copy").first.is_hidden()
            assert o.page.locator("pre.draft-body").first.is_visible()
            pdf = o.page.pdf(format="A4", print_background=True)
            assert o.requests == [] and o.errors == []
        finally:
            o.close()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    out = tmp_path / "report.pdf"
    out.write_bytes(pdf)
    text = subprocess.run([_poppler("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    squashed = " ".join(text.split())
    for needle in ("Acme Corp.", "Timeline", "Thank-you email", "what's next? (#1 on my list)", "café-service",
                   "Привет, Omar!", "Fri 27 Nov 10:00 EST", "The back channel", "open the file in a browser",
                   "Omar Haddad"):
        assert needle in squashed, needle
    assert "Copy message" not in squashed and "Open in your mail app" not in squashed


def test_the_module_examples_hold():
    import doctest

    import backchannel.report

    assert doctest.testmod(backchannel.report).failed == 0


@pytest.mark.browser
def test_jupyter_snippet_shows_the_report_its_map_and_copies(tmp_path):
    notebook = tmp_path / "notebook.html"
    notebook.write_text("<!DOCTYPE html><html><body><h1>a notebook</h1>"
                        + build_report(sample_data())._repr_html_() + "</body></html>", encoding="utf-8")
    with _playwright() as p:
        o = Opened(p, notebook)
        try:
            report = next(f for f in o.page.frames if f.parent_frame is o.page.main_frame)
            assert report.locator("li.touch").count() == 10
            report.locator("#map-frame").scroll_into_view_if_needed()
            deadline = time.time() + 30
            while time.time() < deadline and not any(
                    f.evaluate("document.body && document.body.getAttribute('data-drawn')") == "yes"
                    for f in o.page.frames if f.parent_frame is report):
                o.page.wait_for_timeout(100)
            assert time.time() < deadline, "the map did not draw inside the notebook's frame"
            report.locator("#touch-3 button.copy", has_text="Copy message").click()
            expect = pytest.importorskip("playwright.sync_api").expect
            expect(report.locator("#touch-3 .actions .copy-status")).to_have_text(re.compile(r"^(Copied|Selected)"))
            assert o.requests == [] and o.errors == []
        finally:
            o.close()


# ------------------------------------------------------------------------------- a long back channel, print, phone


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.fail(f"{tool} (Debian's poppler-utils) is required for the print tests (.ci/run installs it)")
    return found


def _print(page) -> bytes:
    page.emulate_media(media="print")
    return page.pdf(format="A4", print_background=True)


@pytest.mark.browser
def test_a_long_back_channel_keeps_the_page_short_and_the_pdf_the_same(tmp_path):
    # 435 ranked people at 3,000 connections, 4,298 at 30,000: the page and the PDF are the same
    data = sample_data()
    paths = {n: build_report(crowd(data, n)).write(tmp_path / f"report-{n}.html") for n in (435, 4298)}
    with _playwright() as p:
        o = {n: Opened(p, path) for n, path in paths.items()}
        try:
            shown = {n: x.page.locator("li.candidate").count() for n, x in o.items()}
            map_at = {n: x.page.evaluate("document.getElementById('map-frame').getBoundingClientRect().top + scrollY")
                      for n, x in o.items()}
            more = o[4298].page.locator("#more-people")
            assert more.is_visible() and more.text_content().startswith("4,286 more people reach Acme Corp.")
            pages = {n: _pdf_pages(_print(x.page)) for n, x in o.items()}
            assert all(x.requests == [] and x.errors == [] for x in o.values())
        finally:
            for x in o.values():
                x.close()
    assert shown == {435: 12, 4298: 12}
    assert map_at[4298] < 12_000 and abs(map_at[4298] - map_at[435]) < 50  # was at y = 1,006,641
    assert pages[4298] == pages[435] <= 9  # was 1,086 pages
    assert paths[4298].stat().st_size < 1.5 * 2**20


def _ink_rows(png_dir: Path, pdf: Path) -> list[tuple[float, float]]:
    """Each page's first and last inked row as a fraction of its height (page numbers aside)."""
    subprocess.run([_poppler("pdftoppm"), "-gray", "-r", "24", str(pdf), str(png_dir / "page")], check=True)
    rows = []
    for path in sorted(png_dir.glob("page-*.pgm")):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        width, height = int(width), int(height)
        # the bottom margin (15 mm of 297) holds only the page number: leave it out
        inked = [y for y in range(int(height * 0.94))
                 if min(pixels[y * width:(y + 1) * width]) < 200]
        rows.append((inked[0] / height, inked[-1] / height) if inked else (1.0, 0.0))
    return rows


@pytest.mark.browser
def test_print_is_one_tidy_document(tmp_path):
    data = crowd(sample_data(), 4298)
    path = build_report(data).write(tmp_path / "report.html")
    with _playwright() as p:
        o = Opened(p, path)
        try:
            pdf = _print(o.page)
            assert o.requests == [] and o.errors == []
        finally:
            o.close()
    out = tmp_path / "report.pdf"
    out.write_bytes(pdf)
    pages = _ink_rows(tmp_path, out)
    assert len(pages) == _pdf_pages(pdf) <= 9  # 10 touches, 12 people, the map's note
    # cards follow one another: every page but the last is filled to its foot (a card that
    # does not fit leaves at most its own height), none is empty or half empty
    for n, (top, bottom) in enumerate(pages[:-1], start=1):
        assert top < 0.1 and bottom > 0.75, (n, top, bottom)
    assert pages[-1][1] > 0.1
    first = subprocess.run([_poppler("pdftotext"), "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Acme Corp." in first and "Timeline" in first and "Thank the referrer" in first  # not the header alone
    text = subprocess.run([_poppler("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True).stdout
    squashed = " ".join(text.split())
    # every letter is there, in order, word for word (a long one may go on over a page)
    for t in data.plan.touches:
        if t.id in data.drafts and t.status in ("due", "overdue", "pending"):
            assert " ".join(data.drafts[t.id].body.split())[:60] in squashed, t.id
    assert "http" not in squashed  # addresses are links, never printed as text
    assert squashed.count("In your plan") + squashed.count("IN YOUR PLAN") == 2


LONG = ("Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflege"
        "undsorgfaltigkeitbeschutzenvonangreifendurchihrraubgierigfeinde")


def _wide(page) -> list[str]:
    return page.evaluate("""() => {
        const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)
            .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40)); }""")


@pytest.mark.browser
def test_nothing_scrolls_sideways_on_a_phone(tmp_path):
    # one unbroken token in a name, a company, an address and a subject; then the empty state
    data = sample_data(names=[f"Jane {LONG}", "Sam Patel", f"Omar {LONG}", "Priya Nair"])
    data.plan.interview.company = f"Acme{LONG}"
    sam = "acme-corp-2026-11-24/thank-you-email/sam-patel"
    data.drafts[sam].email = f"sam.{LONG.lower()}@acme.example"
    data.drafts[sam].subject = f"Thank you — {LONG}"
    empty = sample_data(with_map=False, names=[f"Jane {LONG}", "Sam Patel", "Omar Haddad", "Priya Nair"])
    empty.plan.interview.company = f"Acme{LONG}"
    empty.ranking = RankResult([], company=f"Acme{LONG}", search_link=SEARCH, message=f"Look yourself: {SEARCH}")
    paths = [build_report(crowd(data, 200)).write(tmp_path / "long.html"),  # (with the line on the rest)
             build_report(empty).write(tmp_path / "empty.html")]
    with _playwright() as p:
        browser = _launch(p)
        try:
            for path in paths:
                assert ('id="more-people"' in path.read_text(encoding="utf-8")) == (path.name == "long.html")
                phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                            device_scale_factor=2).new_page()
                phone.goto(path.as_uri())
                assert phone.evaluate("document.documentElement.scrollWidth") == 390, path.name
                assert _wide(phone) == [], path.name
                frame = phone.locator("#map-frame")
                if frame.count():
                    box = frame.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 420
                # a web address is a link with words, never text
                assert "http" not in phone.evaluate("document.body.innerText")
            link = phone.locator("#empty-ranking a")
            assert link.get_attribute("href") == SEARCH and link.text_content() == f"Search LinkedIn for people at Acme{LONG}"
        finally:
            browser.close()


# ------------------------------------------------------------------------------- the command


def test_report_command_lists_the_plans_people_and_the_top(tmp_path, sample_zip, sample_interviews):
    from click.testing import CliRunner

    from backchannel.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, ["--db", str(tmp_path / "ws.sqlite"), *args], catch_exceptions=False)

    assert run("import", "linkedin", str(sample_zip)).exit_code == 0
    assert run("import", "interviews", str(sample_interviews)).exit_code == 0
    ranked = len(run("rank", "acme-corp-2026-11-24", "--top", "1000", "--format", "json").output.split('"rank":')) - 1
    out = tmp_path / "report.html"
    result = run("report", "acme-corp-2026-11-24", "--top", "2", "-o", str(out))
    assert result.exit_code == 0 and result.output == f"Wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    in_plan = page.count('class="plan-tag"')
    assert in_plan == 4  # the referrer and the three back channels
    assert len(_listed(page)) == in_plan + 2
    assert f"<strong>{ranked - in_plan - 2:,} more people reach Acme Corp.</strong>" in page
    assert "Wrote" in run("report", "acme-corp-2026-11-24", "-o", str(out)).output
    assert len(_listed(out.read_text(encoding="utf-8"))) == min(ranked, in_plan + 10)  # --top 10 by default
    bad = CliRunner().invoke(cli, ["--db", str(tmp_path / "ws.sqlite"), "report", "acme-corp-2026-11-24", "--top", "-1",
                                   "-o", str(out)])
    assert bad.exit_code == 2 and "--top" in bad.output
