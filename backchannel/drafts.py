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
``late``, ``replied``  check-ins: drafted after its window closed; the last thing logged was their reply
``ago``, ``shared_employer``, ``same_employer``  reconnect: how long since you last talked; their company,
                       where you used to work; or you both work there now
====================== ==========================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .domain import LANGUAGES
from .errors import BackchannelError

__all__ = ["Draft", "render_draft", "format_day", "format_by_day", "join_names", "greeting_name", "duration_words",
           "check_language", "TEMPLATE_VARIABLES"]

_BUILTIN = Path(__file__).parent / "templates" / "drafts"
_RU_WEEKDAY_ACCUSATIVE = ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу",
                          "в воскресенье")
_RU_WEEKDAY_GENITIVE = ("понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья")
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
    "replied",
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


def format_day(dt: datetime, language: str) -> str:
    """A day in words, as a sentence uses it after a verb ("I'll check in …").

    >>> from datetime import datetime
    >>> format_day(datetime(2026, 11, 26, 10), "en"), format_day(datetime(2026, 11, 26, 10), "ru")
    ('on Thursday, November 26', 'в четверг, 26 ноября')
    """
    return _format_date(dt.date(), language)


def format_by_day(dt: datetime, language: str) -> str:
    """The last of several days in words, as a sentence uses it after a verb ("I'll check in
    with them …"): the people have different dates, all of them by this one.

    >>> from datetime import datetime
    >>> format_by_day(datetime(2026, 11, 30, 10), "en"), format_by_day(datetime(2026, 11, 30, 10), "ru")
    ('by Monday, November 30', 'не позже понедельника, 30 ноября')
    """
    day = dt.date()
    if language == "ru":
        from babel.dates import format_date

        return f"не позже {_RU_WEEKDAY_GENITIVE[day.weekday()]}, {format_date(day, 'd MMMM', locale='ru')}"
    return "by" + _format_date(day, language)[2:]


@lru_cache(maxsize=4096)
def _format_date(day: date, language: str) -> str:
    from babel.dates import format_date

    if language == "ru":
        return f"{_RU_WEEKDAY_ACCUSATIVE[day.weekday()]}, {format_date(day, 'd MMMM', locale='ru')}"
    return "on " + format_date(day, "EEEE, MMMM d", locale="en")


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
    """``3 years`` / ``3 года``: how long since the last contact, in whole months or years.

    >>> duration_words(800, "ru"), duration_words(70, "en")
    ('2 года', '2 months')
    """
    years, months = days // 365, days // 30
    if language == "ru":
        if years >= 1:
            return f"{years} {_ru_plural(years, 'год', 'года', 'лет')}"
        return f"{max(months, 1)} {_ru_plural(max(months, 1), 'месяц', 'месяца', 'месяцев')}"
    if years >= 1:
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{max(months, 1)} month{'s' if max(months, 1) != 1 else ''}"


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


def render_draft(kind: str, context: Mapping[str, Any], *, touch_id: str, to: str, email: str, language: str,
                 templates_dir: str | None = None) -> Draft:
    """Render the template of ``kind`` in ``language`` with ``context`` (see the module docstring)."""
    from jinja2 import TemplateError, TemplateNotFound

    language = check_language(language)
    env = _environment(templates_dir, language)
    values = {name: "" for name in TEMPLATE_VARIABLES}
    values.update({k: v for k, v in context.items() if v is not None or k == "next_contact"})
    values["kind"], values["language"] = kind, language
    try:
        text = env.get_template(f"{kind}.txt.j2").render(**values)
    except TemplateNotFound:
        raise BackchannelError(f"no draft template for {kind} in {language}") from None
    except TemplateError as exc:
        raise BackchannelError(f"draft template for {kind} ({language}): {exc}") from None
    text = _tidy(text)
    subject = ""
    first, _, rest = text.partition("\n")
    if m := _SUBJECT.match(first):
        subject, text = m.group(1).strip(), rest.strip()
    return Draft(id=touch_id, to=to, email=email, subject=subject, body=text,
                 next_contact=context.get("next_contact"), language=language, kind=kind)


def draft_summary(draft: Draft) -> dict[str, Any]:
    return draft.as_dict()
