"""Message drafts, per kind and language, from Jinja2 templates.

Built-in templates live in ``templates/drafts/<language>/<kind>.txt.j2`` (English and Russian,
each written natively). A template may start with a ``Subject:`` (``Тема:``) line. A user
overrides any of them by putting a file of the same name in their templates directory
(``templates_dir`` in the config, or ``--templates``), in a ``en/`` or ``ru/`` subfolder (an
English template may also sit at the top). A user template gets the same variables and
nothing is added to it.

Variables every template receives (a missing optional value is an empty string, never
``None``; a template leaves its sentence out):

====================== ==========================================================================
``kind``, ``language`` the touch kind and the draft's language
``candidate``          your name (from Profile.csv); ``candidate_first`` your first name
``name``               the recipient's full name; ``first_name``; ``greeting_name`` (in Russian the
                       first name and patronymic where the name has one)
``role``               interviewer, hiring-manager, recruiter, referrer, connection
``company``            the hiring company as you wrote it; ``position`` the job (optional)
``topic``              what you discussed with them (optional; the private ``notes`` never appear)
``title``              their job title (optional); ``interest`` for casual touches
``number``, ``last``   check-in / casual number; ``last``: the check-in after which the ring rests
``met``, ``met_text``  the people deciding you met (a list, and joined in words)
``met_others_text``    the same without the recipient
``bridges_to``         the interviewers a back channel knows; ``bridge_text``, ``bridge_first``
``evidence``           back channel: mutual, second_degree, co_thread or colleague
``history``            your tie with them: ``recent``, ``dormant`` or ``never`` (no messages)
``connected_year``     the year you connected (optional)
``discreet``           a quiet search: back-channel drafts ask to keep it between you
``next_contact``       the ring date (a datetime, or ``None`` when the message names none);
                       ``next_contact_text`` it in words ("on Friday, November 27" / "в пятницу, 27 ноября");
                       ``commitment`` the whole sentence ("I'll check in on Friday, November 27.")
``team_next_contact_text`` your next contact with the people deciding (for the referrer): "on Friday,
                       November 27", or "by Monday, November 30" when their dates differ
``interview_day_text`` the interview's day in words ("on Tuesday, November 24"); ``interview_past``,
                       ``interview_recent`` (within the last day and a half)
``outcome``            offer, rejected, withdrawn (referrer thanks, outcome news, keep-in-touch)
``variant``            0, 1, 2...: the recipient's place among people of the same role, so that two
                       emails differ in more than the name
``late``               the message goes after its window closed
``replied``, ``agreed`` check-ins: it follows their reply; its date was agreed with them (``replied --next``)
``folded``             a check-in that also thanks them (the thank-you email was a week late)
``lead``               the recipient hears the company's round (owns the decision); else a message
                       to them says you will check in with the team
``correction``         outcome news that corrects an earlier one (the outcome changed)
``met_first``, ``met_others`` the first person met (greeting name); the people met but the recipient
``wrote_lately``       you wrote to them (any interview, as logged) in the last 90 days
``same_company``       a back channel who works at the hiring company
``interview_just``, ``interview_yesterday`` the interview ended within four hours; it was the day before
``worked_together``    reconnect: your last messages date from when you both worked at ``company``
``ago``, ``shared_employer``, ``same_employer``  reconnect: how long since you last talked; their company,
                       where you used to work; or you both work there now
====================== ==========================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import DECISION_ROLES, LANGUAGES, RING_KINDS, Interview, InterviewPerson, Touch
from .errors import BackchannelError
from .times import format_by_day, format_day

if TYPE_CHECKING:
    from .followup import InterviewPlan

__all__ = ["Draft", "render_draft", "draft_context", "draft_for", "format_day", "format_by_day", "join_names",
           "greeting_name", "duration_words", "check_language", "choose_language", "language_for", "reconnect_draft",
           "TEMPLATE_VARIABLES", "drafts_for", "last_contacted"]

_BUILTIN = Path(__file__).parent / "templates" / "drafts"
_PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична|ovich|evich|ovna|evna|ichna|inichna)$", re.I)
_TITLES = {"dr", "mr", "mrs", "ms", "miss", "prof", "sir", "dame"}
#: what a spreadsheet writes for an empty cell: never a topic or a title
_EMPTY_WORDS = {"null", "none", "n/a", "na", "nan", "-", "--", "#n/a", "tbd", "?"}
TEMPLATE_VARIABLES = (
    "kind", "language", "candidate", "candidate_first", "name", "first_name", "greeting_name", "role", "company",
    "position", "topic", "title", "interest", "number", "last", "met", "met_text", "met_others_text",
    "bridges_to", "bridge_text", "bridge_first", "evidence", "history", "connected_year", "discreet",
    "next_contact", "next_contact_text", "commitment", "team_next_contact_text", "interview_day_text",
    "interview_past", "interview_recent", "outcome", "variant", "ago", "shared_employer", "same_employer", "late",
    "replied", "agreed", "email", "folded", "lead", "correction", "worked_together", "met_first", "met_others",
    "wrote_lately", "same_company", "interview_just", "interview_yesterday",
)


@dataclass
class Draft:
    """A message ready to send: ``draft --format json`` gives these fields."""

    id: str
    to: str
    email: str
    subject: str
    body: str
    next_contact: datetime | None
    language: str
    kind: str = ""

    def text(self) -> str:
        subject_word = "Тема" if self.language == "ru" else "Subject"
        return f"{subject_word}: {self.subject}\n\n{self.body}" if self.subject else self.body

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["next_contact"] = self.next_contact.isoformat() if self.next_contact else None
        out.pop("kind")
        return out


def check_language(language: str) -> str:
    lang = (language or "").strip().lower()
    if lang not in LANGUAGES:
        raise BackchannelError(f"unknown language {language!r}; available: {', '.join(LANGUAGES)}")
    return lang


def join_names(names: Sequence[str], language: str) -> str:
    """``Jane Roe and Sam Patel``; ``A, B and C``; in Russian with «и».

    >>> join_names(["Jane Roe", "Sam Patel", "Priya Nair"], "en")
    'Jane Roe, Sam Patel and Priya Nair'
    """
    names = [n for n in names if n]
    word = " и " if language == "ru" else " and "
    if len(names) <= 2:
        return word.join(names)
    return ", ".join(names[:-1]) + word + names[-1]


def greeting_name(name: str, language: str) -> str:
    """The name a greeting uses: the first name; in Russian, first name and patronymic where
    the name has one (in either order: «Иван Петрович Сидоров» or «Сидоров Иван Петрович»). An
    English greeting to a name with a patronymic uses the first name.

    >>> greeting_name("Сидоров Иван Петрович", "ru"), greeting_name("Сидоров Иван Петрович", "en")
    ('Иван Петрович', 'Иван')
    >>> greeting_name("Jane Roe", "en")
    'Jane'
    """
    words = display_name(name).split()
    if not words:
        return ""
    if len(words) >= 3:
        for i in (1, 2):
            if i < len(words) and _PATRONYMIC.search(words[i]) and words[i][:1].isupper():
                return f"{words[i - 1]} {words[i]}" if language == "ru" else words[i - 1]
    return words[0]


def display_name(name: str) -> str:
    """A name as a message writes it: without credentials after a comma, honorifics, emoji,
    or shouting (a name all in capitals is written with initial capitals).

    >>> display_name("JANE DOE, PhD"), display_name("Dr. Kim Lo 🚀"), display_name("  Sam O'Neil, MBA, PMP")
    ('Jane Doe', 'Kim Lo', "Sam O'Neil")
    """
    from .identity import _looks_like_credentials

    text = " ".join((name or "").split())
    head, *rest = text.split(",")
    if rest and all(_looks_like_credentials(part) for part in rest):
        text = head.strip()
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
    text = " ".join(words)
    if text.isupper() and len(text) > 3:
        text = " ".join(w.capitalize() if "'" not in w else "'".join(p.capitalize() for p in w.split("'"))
                        for w in text.split())
    return text or " ".join((name or "").split())


def clean_phrase(value: str) -> str:
    """An optional phrase from the user's file, ready to sit inside a sentence: an empty-cell
    word ("null", "n/a") is nothing, and a trailing full stop or colon goes.

    >>> clean_phrase("Staff Engineer."), clean_phrase("N/A"), clean_phrase("the ledger migration;")
    ('Staff Engineer', '', 'the ledger migration')
    """
    text = " ".join((value or "").split()).rstrip(" .;:,")
    return "" if text.lower() in _EMPTY_WORDS else text


def clean_company(value: str, language: str = "en") -> str:
    """A company name inside a sentence: a final full stop stays only on a legal abbreviation
    ("Acme Corp."), where the sentence's own stop folds into it; in Russian a name written in
    Cyrillic is quoted, as Russian writes them.

    >>> clean_company("Hooli."), clean_company("Acme Corp."), clean_company("Ромашка", "ru")
    ('Hooli', 'Acme Corp.', '«Ромашка»')
    """
    from .identity import _LEGAL_SUFFIXES

    text = " ".join((value or "").split())
    if text.endswith(".") and not text.endswith(".."):
        last = text[:-1].split()[-1].lower().rstrip(".") if text[:-1].split() else ""
        if last not in _LEGAL_SUFFIXES:
            text = text.rstrip(".")
    if language == "ru" and re.search("[А-Яа-яЁё]", text) and not text.startswith(("«", '"')):
        text = f"«{text}»"
    return text


def duration_words(days: int, language: str) -> str:
    """How long since the last contact, as a person says it: whole months under a year, then
    years rounded the way people round them (3.8 years is "nearly 4 years", 3.4 "over 3 years").

    >>> duration_words(800, "ru"), duration_words(70, "en"), duration_words(1390, "en"), duration_words(1240, "ru")
    ('2 года', '2 months', 'nearly 4 years', 'больше 3 лет')
    """
    months = days // 30
    if days < 365:
        n = max(months, 1)
        return f"{n} {_ru_plural(n, 'месяц', 'месяца', 'месяцев')}" if language == "ru" else \
            f"{n} month{'s' if n != 1 else ''}"
    exact = days / 365.25
    whole = int(exact)
    part = exact - whole
    if part >= 0.7:
        n = whole + 1
        return f"почти {n} {_ru_plural(n, 'год', 'года', 'лет')}" if language == "ru" else f"nearly {n} years"
    if part >= 0.3:
        return (f"больше {whole} {'года' if whole % 10 == 1 and whole % 100 != 11 else 'лет'}" if language == "ru"
                else f"over {whole} year{'s' if whole != 1 else ''}")
    return f"{whole} {_ru_plural(whole, 'год', 'года', 'лет')}" if language == "ru" else \
        f"{whole} year{'s' if whole != 1 else ''}"


def _ru_plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


@lru_cache(maxsize=16)
def _environment(templates_dir: str | None, language: str) -> Any:
    """One environment per templates folder and language: templates compile once per process
    (compiling them for each of 20,000 calendar events took minutes)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders = []
    if templates_dir:
        path = Path(templates_dir).expanduser()
        if not path.is_dir():
            raise BackchannelError("templates directory not found", path=path)
        loaders.append(FileSystemLoader(str(path / language)))
        if language == "en":
            loaders.append(FileSystemLoader(str(path)))
    loaders.append(FileSystemLoader(str(_BUILTIN / language)))
    return SandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=False, undefined=StrictUndefined,
                                keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)


_SUBJECT = re.compile(r"^(?:Subject|Тема):[ \t]*(.*)$")


def _tidy(text: str) -> str:
    """One space between words, no space before punctuation, at most one blank line, and a
    name that ends in a full stop ("Acme Corp.") not followed by another."""
    lines = []
    for line in text.replace("\r", "").split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        line = re.sub(r" ([,.;:!?])", r"\1", line)
        line = re.sub(r"(?<!\.)\.\.(?!\.)", ".", line)
        lines.append(line)
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return out


def env_for(templates_dir: str | None, language: str) -> Any:
    """The template environment of a templates folder (or the built-in ones) and a language."""
    return _environment(templates_dir, check_language(language))


def _render(env: Any, kind: str, context: Mapping[str, Any]) -> str:
    from jinja2 import TemplateError, TemplateNotFound

    values = {name: "" for name in TEMPLATE_VARIABLES}
    values.update({k: v for k, v in context.items() if v is not None or k == "next_contact"})
    values["kind"] = values.get("kind") or kind
    try:
        return _tidy(env.get_template(f"{kind}.txt.j2").render(**values))
    except TemplateNotFound:
        raise BackchannelError(f"no draft template for {kind} in {values.get('language') or 'en'}") from None
    except TemplateError as exc:
        raise BackchannelError(f"draft template for {kind} ({values.get('language') or 'en'}): {exc}") from None


def render_draft(kind: str, context: Mapping[str, Any], *, touch_id: str, to: str, email: str, language: str,
                 templates_dir: str | None = None) -> Draft:
    """Render the template of ``kind`` in ``language`` with ``context`` (see the module docstring)."""
    language = check_language(language)
    text = _render(_environment(templates_dir, language), kind, {**context, "kind": kind, "language": language})
    subject = ""
    first, _, rest = text.partition("\n")
    if m := _SUBJECT.match(first):
        subject, text = m.group(1).strip(), rest.strip()
    return Draft(id=touch_id, to=to, email=email, subject=subject, body=text,
                 next_contact=context.get("next_contact"), language=language, kind=kind)


# --------------------------------------------------------------------------- the context of a draft


def choose_language(*choices: str | None) -> str:
    """The first language given, most specific first (``--lang``, the person's, the
    interview's, the config's); English when none is.

    >>> choose_language(None, "", "ru", "en"), choose_language(None, "")
    ('ru', 'en')
    """
    for value in choices:
        if value:
            return check_language(value)
    return "en"


def language_for(touch: Touch, plan: InterviewPlan, chosen: str | None, configured: str) -> str:
    """A draft's language: ``--lang``; then, for the people of the interview, their own and the
    interview's; then the config's; English otherwise. Your own connections read yours."""
    iv = plan.interview
    person = iv.person(touch.person_slug) if touch.role != "connection" else None
    return choose_language(chosen, person.language if person else "", iv.language if person else "", configured)


def _team_day_text(team: tuple[datetime, datetime] | None, tz: tzinfo, language: str) -> str:
    """When you next contact the people deciding, for the referrer: one day, or the last of them
    when their dates differ (the referrer is never told a day that is wrong for some of them)."""
    if team is None:
        return ""
    first, last = (d.astimezone(tz) for d in team)
    return format_day(first, language) if first.date() == last.date() else format_by_day(last, language)


def draft_context(touch: Touch, plan: InterviewPlan, *, language: str, candidate: str, at: datetime,
                  contacted: Mapping[str, datetime] | None = None) -> dict[str, Any]:
    """The variables of a touch's draft (see the module docstring), from the plan alone.

    Pure: the plan already holds the date a message names (``touch.next_contact``), when the
    people deciding hear from you next (``plan.team_next``) and the ranking row a back channel
    came from (``touch.candidate``). ``contacted``: when you last wrote to each person (by
    node) across all interviews, as logged. A touch done says what it said when it was sent.
    """
    from .followup import send_time
    from .identity import normalise_company

    iv = plan.interview
    send_at = touch.done_at if touch.done_at is not None else send_time(touch, at)
    outcome = iv.outcome_at(send_at) if iv.outcomes else (iv.outcome or "")
    person = iv.person(touch.person_slug) if touch.role != "connection" else None
    tz = (touch.due_from or iv.at).tzinfo or iv.at.tzinfo
    assert tz is not None
    deciding = [p for p in iv.people if p.role in DECISION_ROLES]
    met = [display_name(p.name or p.profile_url) for p in deciding]
    others = [m for m, p in zip(met, deciding, strict=True) if not person or p.slug != person.slug]
    c = touch.candidate
    bridges = [display_name(b) for b in c.bridges_to] if c else []
    name = display_name(touch.person)
    happened = send_at >= iv.at
    since = send_at - iv.at
    ring = touch.kind in RING_KINDS and touch.role in DECISION_ROLES
    next_contact = touch.next_contact if ring else None
    wrote = (contacted or {}).get(touch.node) if touch.node else None
    wrote = wrote if wrote is not None and wrote < send_at else None
    history = c.history if c else "recent"
    if wrote is not None and send_at - wrote <= timedelta(days=365):
        history = "recent"  # you wrote to them lately, whatever the export says
    return {
        "language": language, "candidate": candidate, "candidate_first": candidate.split()[0] if candidate else "",
        "name": name, "first_name": greeting_name(name, "en"), "greeting_name": greeting_name(name, language),
        "role": touch.role, "company": clean_company(iv.company, language), "position": clean_phrase(iv.position),
        "topic": clean_phrase(_topic(touch, person, iv)), "title": clean_phrase(person.title if person else ""),
        "interest": clean_phrase(touch.interest), "number": touch.number,
        "last": touch.kind == "check-in" and next_contact is None and not touch.after_reply,
        "late": touch.due_by is not None and send_at > touch.due_by,
        "replied": touch.after_reply, "agreed": touch.agreed, "folded": touch.folded,
        # (the owner of the decision leads the round once their ring is on: what they read now is
        # what they read once it is sent)
        "lead": not touch.optional if touch.kind == "check-in" else
        plan.lead in (None, touch.person_slug) or (iv.owner is not None and iv.owner.slug == touch.person_slug),
        "correction": touch.kind == "outcome-news" and touch.number > 1,
        "met": met, "met_text": join_names(met, language), "met_first": greeting_name(met[0], language) if met else "",
        "met_others": others, "met_others_text": join_names(others, language),
        "bridges_to": bridges, "bridge_text": join_names(bridges, language),
        "bridge_first": greeting_name(bridges[0], language) if bridges else "",
        "evidence": c.evidence if c else "", "history": history,
        "wrote_lately": wrote is not None and send_at - wrote <= timedelta(days=90),
        "same_company": bool(c) and normalise_company(c.company) == iv.company_key,  # type: ignore[union-attr]
        "connected_year": str(c.connected_year) if c and c.connected_year and c.connected_year != send_at.year
        else "",
        "discreet": iv.discreet, "next_contact": next_contact,
        "next_contact_text": format_day(next_contact.astimezone(tz), language) if next_contact else "",
        "team_next_contact_text": _team_day_text(plan.team_next, tz, language),
        "interview_day_text": format_day(iv.at.astimezone(tz), language),
        "interview_past": happened, "interview_recent": happened and since <= timedelta(hours=36),
        "interview_just": happened and since <= timedelta(hours=4),
        "interview_yesterday": happened and (send_at.astimezone(tz).date() - iv.at.astimezone(tz).date()).days == 1,
        "outcome": outcome, "variant": _variant(touch, person, plan), "email": person.email if person else "",
    }


def _topic(touch: Touch, person: InterviewPerson | None, iv: Interview) -> str:
    """A recruiter organised the day: only what you discussed with them; for the others, what you
    discussed with them, else the interview's topic."""
    own = person.topic if person else ""
    return own if touch.role == "recruiter" else (own or iv.topic)


def _variant(touch: Touch, person: InterviewPerson | None, plan: InterviewPlan) -> int:
    """Where the recipient stands among those who get a message of the same kind: the people
    deciding (all roles together), the interview's back channels by rank, the news touches; so
    that no two people at one company read the same words."""
    if person is not None and person.role in DECISION_ROLES:
        deciding = [p.slug for p in plan.interview.people if p.role in DECISION_ROLES]
        return deciding.index(person.slug) if person.slug in deciding else 0
    same = [t.person_slug for t in plan.touches if t.kind == touch.kind]
    return same.index(touch.person_slug) if touch.person_slug in same else 0


def draft_for(touch: Touch, plan: InterviewPlan, *, language: str, candidate: str, at: datetime, email: str = "",
              templates_dir: str | None = None, contacted: Mapping[str, datetime] | None = None) -> Draft:
    """The draft of one touch: its context rendered with its kind's template."""
    context = draft_context(touch, plan, language=language, candidate=candidate, at=at, contacted=contacted)
    context["commitment"] = _render(env_for(templates_dir, language), "commitment", context) \
        if context["next_contact"] is not None else ""
    return render_draft(touch.kind, context, touch_id=touch.id, to=touch.person, email=context["email"] or email,
                        language=language, templates_dir=templates_dir)


def reconnect_draft(row: Mapping[str, Any], *, now: datetime, language: str, candidate: str,
                    templates_dir: str | None = None) -> Draft:
    """A short note to a dormant strong tie (``reconnect --drafts``): no ask yet."""
    from .times import utc_naive

    last = utc_naive(row["last_message"])
    days = (utc_naive(now) - last).days if last is not None else 0  # type: ignore[operator]
    name = display_name(row["name"])
    context = {"name": name, "first_name": greeting_name(name, "en"), "greeting_name": greeting_name(name, language),
               "company": clean_company(row["company"]), "ago": duration_words(days, language),
               "shared_employer": clean_company(row["shared_employer"]), "same_employer": bool(row.get("same_employer")),
               "worked_together": bool(row.get("worked_together")),
               "candidate": candidate, "candidate_first": candidate.split()[0] if candidate else ""}
    return render_draft("reconnect", context, touch_id=f"reconnect/{row['name']}", to=row["name"], email="",
                        language=language, templates_dir=templates_dir)


def last_contacted(plans: Iterable[InterviewPlan]) -> dict[str, datetime]:
    """When you last wrote to each person (by graph node), whatever the interview."""
    out: dict[str, datetime] = {}
    for t in (t for plan in plans for t in plan if t.done_at is not None and t.node):
        out[t.node] = max(out.get(t.node, t.done_at), t.done_at)
    return out


def drafts_for(touches: Iterable[Touch], plans: Mapping[str, InterviewPlan], *, everyone: Iterable[InterviewPlan],
               emails: Mapping[int, str], candidate: str, at: datetime, lang: str | None, configured: str,
               templates_dir: str | None = None) -> dict[str, Draft]:
    """The drafts of these touches (by touch id): ``plans`` their interviews' plans,
    ``everyone`` every plan (who you wrote to lately, whatever the interview), ``emails`` the
    export's addresses by person id."""
    contacted = last_contacted(everyone)
    out = {}
    for t in touches:
        plan = plans[t.interview]
        out[t.id] = draft_for(t, plan, language=language_for(t, plan, lang, configured), candidate=candidate, at=at,
                              email=emails.get(int(t.node[7:]), "") if t.node[7:].isdigit() else "",
                              contacted=contacted, templates_dir=templates_dir)
    return out
