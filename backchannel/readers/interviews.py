"""The interviews file: one row per person per interview, read and checked. No matching here.

Header names are case-insensitive, in any order; unknown columns are kept with the person and
reported once. Any invalid row stops the import with the file and line, so nothing is imported
from a file with a mistake in it. Dates may be ISO 8601 or as a spreadsheet saves them; whether
``03/04/2026`` is day-first is decided for the whole file (``times.decide_day_first``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from ..domain import LANGUAGES, ROLE_ALIASES, ROLES, Interview, InterviewPerson
from ..errors import BackchannelError, InputError
from ..identity import (
    canonical_profile_url,
    email_address,
    normalise_company,
    normalise_name,
    normalise_profile_url,
    profile_key,
    slugify,
)
from ..times import decide_day_first, parse_user_time, work_calendar, zone_name
from .text import read_all_rows

__all__ = ["KNOWN_COLUMNS", "InterviewsFile", "read_interviews", "person_slug", "interview_id_for",
           "parse_role", "split_list", "check_language", "check_topic", "check_email", "check_profile_url",
           "optional_text",
           "FIELD_LIMITS"]

KNOWN_COLUMNS = ("interview", "company", "date", "role", "name", "profile_url", "email", "title", "interests",
                 "mutuals", "discreet", "notes", "topic", "position", "language", "country", "works_at")
_COLUMN_ALIASES = {"url": "profile_url", "linkedin": "profile_url", "profile": "profile_url", "e-mail": "email",
                   "mail": "email", "job": "position", "when": "date", "datetime": "date", "person": "name",
                   "lang": "language", "their_company": "works_at", "works at": "works_at"}
#: the longest value a cell may hold, by column (a longer one is a mistake, or hostile)
FIELD_LIMITS = {"name": 200, "notes": 5000, "topic": 300, "interests": 1000, "mutuals": 5000}
_DEFAULT_LIMIT = 500
#: the more decisive role wins when one person is listed twice in one interview
_ROLE_ORDER = ("hiring-manager", "interviewer", "recruiter", "referrer")


@dataclass
class InterviewsFile:
    """What the file holds, and what the reader noticed."""

    interviews: list[Interview]
    unknown_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # "line 7: Jane Roe listed again (acme-…)"
    day_first: bool | None = None
    columns: list[str] = field(default_factory=list)  # the known columns the file has


def split_list(value: str) -> list[str]:
    """``;``-separated items (line breaks also separate), trimmed, empty ones dropped."""
    return [v.strip() for v in value.replace("\n", ";").split(";") if v.strip()]


def parse_role(text: str) -> str:
    role = " ".join(text.strip().lower().split())
    role = ROLE_ALIASES.get(role, role)
    if role not in ROLES:
        raise ValueError(f"unknown role {text.strip()!r}; use one of {', '.join(ROLES)}")
    return role


def check_language(text: str) -> str:
    lang = text.strip().lower()
    if lang and lang not in LANGUAGES:
        raise ValueError(f"unknown language {text.strip()!r}; available: {', '.join(LANGUAGES)}")
    return lang


def check_email(text: str) -> str:
    """An email address as people write it (local@domain.tld, :func:`~backchannel.identity.email_address`),
    or "" for none; anything else is an error.

    >>> check_email(" jane@acme.example "), check_email("")
    ('jane@acme.example', '')
    >>> check_email("javascript:alert(1)//@x")
    Traceback (most recent call last):
    ValueError: email 'javascript:alert(1)//@x' is not an email address
    """
    value = optional_text(text)
    if value and not email_address(value):
        raise ValueError(f"email {value[:80]!r} is not an email address")
    return value


def check_profile_url(text: str) -> str:
    r"""A LinkedIn profile address in its one clickable form, or "" for none; anything else
    (another site, or an address a browser would open elsewhere) is an error.

    >>> check_profile_url("uk.linkedin.com/in/jane-roe/"), check_profile_url(" ")
    ('https://www.linkedin.com/in/jane-roe', '')
    >>> check_profile_url("https://evil.example\\.linkedin.com/in/nina")
    Traceback (most recent call last):
    ValueError: profile_url 'https://evil.example\\.linkedin.com/in/nina' is not a LinkedIn profile address
    """
    value = text.strip()
    if not value:
        return ""
    if not profile_key(value):
        raise ValueError(f"profile_url {value[:80]!r} is not a LinkedIn profile address")
    return canonical_profile_url(value)


def person_slug(name: str, profile_url: str = "", email: str = "") -> str:
    """The part of touch ids that names a person: from the name, else the profile address's
    own slug, else the email's local part. It never depends on matching, so a touch keeps its
    id when the export arrives later."""
    if name.strip():
        return slugify(name)
    key = normalise_profile_url(profile_url)
    if key:
        return slugify(key.rstrip("/").rsplit("/", 1)[-1].replace("%", " "))
    return slugify(email.split("@", 1)[0])


def interview_id_for(company: str, at_date: str) -> str:
    return f"{slugify(company)}-{at_date}"


def _check_interview_id(value: str) -> str:
    if not value or len(value) > 100 or not all(ch.isalnum() or ch in "-_." for ch in value):
        raise ValueError(f"interview id {value[:80]!r} may hold only letters, digits, '-', '_' and '.' "
                         "(at most 100)")
    return value


#: what a spreadsheet writes for an empty cell
_EMPTY = {"null", "none", "n/a", "na", "nan", "-", "--", "#n/a", "tbd", "?"}
_SENTENCE_START = {"i", "we", "they", "he", "she", "you", "it", "я", "мы", "они", "он", "она", "вы"}


def optional_text(value: str) -> str:
    """An optional cell as text: "null", "n/a" and their kind are empty."""
    text = " ".join(value.split())
    return "" if text.lower() in _EMPTY else text


def check_topic(value: str) -> str:
    """A topic is a phrase that follows "our discussion of": a sentence is refused.

    >>> check_topic("the billing migration to Kafka.")
    'the billing migration to Kafka'
    """
    text = optional_text(value).rstrip(" .;:")
    words = text.split()
    if words and (words[0].lower().strip(",") in _SENTENCE_START or any(mark in text for mark in (". ", "? ", "! "))
                  or text.endswith(("?", "!"))):
        raise ValueError("the topic reads as a sentence; drafts put it after 'our discussion of', so write a "
                         "phrase such as 'the billing migration to Kafka'")
    return text


_YES = {"yes", "y", "true", "1", "да"}
_NO = {"", "no", "n", "false", "0", "нет"}


def read_interviews(path: str | os.PathLike[str], *, zone: tzinfo, default_language: str = "",
                    default_country: str = "") -> InterviewsFile:
    """Parse and check the file. Raises :class:`InputError` naming the line of any bad row."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path)
    columns, rows = _read_table(path)
    try:
        day_first = decide_day_first((line, columns.get(cells, "date")) for line, cells in rows)
    except ValueError as exc:
        raise InputError(str(exc), path=path) from None
    found = _Interviews(path)
    for line, cells in rows:
        row = _check_row(columns, cells, line, path, zone=zone, day_first=day_first,
                         default_language=default_language, default_country=default_country)
        found.add(row, _person(columns, cells, row), optional_text(columns.get(cells, "position")))
    for iv in found.interviews.values():
        _assign_slugs(iv)
    return InterviewsFile(list(found.interviews.values()), unknown_columns=columns.unknown,
                          duplicates=found.duplicates, day_first=day_first,
                          columns=[h for h in columns.header if h in KNOWN_COLUMNS])


@dataclass
class _Columns:
    """The file's header, read: the column names (aliases resolved), those backchannel does
    not know, and where each name first is."""

    header: list[str]
    unknown: list[str]
    index: dict[str, int]

    def get(self, cells: list[str], key: str) -> str:
        """The cell of column ``key`` in a row, trimmed ("" when the file has no such column)."""
        i = self.index.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""


def _read_table(path: Path) -> tuple[_Columns, list[tuple[int, list[str]]]]:
    """The file's columns and its rows that are not empty, as (line, cells); a file without
    the required columns, or without a row, is an :class:`InputError`."""

    def is_header(cells: list[str]) -> bool:
        low = {_column(c) for c in cells}
        return "company" in low and "role" in low

    try:
        table, rows = read_all_rows(lambda: open(path, "rb"), str(path), is_header,  # noqa: SIM115
                                    what="interviews (company, date, role, name, ...)")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    header = [_column(h) for h in table.header]
    for required in ("company", "date", "role"):
        if required not in header:
            raise InputError(f"missing required column {required!r}", path=path, line=table.header_line)
    if "name" not in header and "profile_url" not in header:
        raise InputError("missing required column 'name' (or 'profile_url')", path=path, line=table.header_line)
    unknown = [h for h in header if h and h not in KNOWN_COLUMNS]
    index = {h: i for i, h in reversed(list(enumerate(header)))}
    rows = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise InputError("the file has a header but no interviews", path=path)
    return _Columns(header, unknown, index), rows


@dataclass
class _Row:
    """One row's checked values: the interview it belongs to, and the person's own."""

    line: int
    interview_id: str
    company: str
    at: datetime
    country: str
    discreet: bool
    role: str
    name: str
    url: str
    email: str
    topic: str
    language: str


def _check_row(columns: _Columns, cells: list[str], line: int, path: Path, *, zone: tzinfo, day_first: bool | None,
               default_language: str, default_country: str) -> _Row:
    """A row's values, each checked; the first bad one is an :class:`InputError` naming the line."""

    def fail(message: str, line: int = line) -> InputError:
        return InputError(message, path=path, line=line)

    def get(key: str) -> str:
        return columns.get(cells, key)

    for key in columns.header:
        if key and len(get(key)) > FIELD_LIMITS.get(key, _DEFAULT_LIMIT):
            raise fail(f"{key} is longer than {FIELD_LIMITS.get(key, _DEFAULT_LIMIT)} characters")
    company = get("company")
    if not company:
        raise fail("the company is empty")
    try:
        at = parse_user_time(get("date"), zone, day_first=day_first)
        role = parse_role(get("role"))
        topic = check_topic(get("topic"))
        language = check_language(get("language")) or default_language
        country = get("country").upper() or default_country
        if country:
            work_calendar(country)
    except (ValueError, BackchannelError) as exc:
        raise fail(str(exc)) from None
    name, url = get("name"), get("profile_url")
    try:
        email = check_email(get("email"))
    except ValueError as exc:
        raise fail(str(exc)) from None
    if not name and not url:
        raise fail("a person needs a name or a profile_url")
    try:
        url = check_profile_url(url)
    except ValueError as exc:
        raise fail(str(exc)) from None
    discreet_text = get("discreet").lower()
    if discreet_text not in _YES | _NO:
        raise fail(f"discreet must be yes or no, not {get('discreet')!r}")
    try:
        interview_id = _check_interview_id(get("interview") or interview_id_for(company, at.date().isoformat()))
    except ValueError as exc:
        raise fail(str(exc)) from None
    return _Row(line, interview_id, company, at, country, discreet_text in _YES, role, name, url, email, topic,
                language)


def _person(columns: _Columns, cells: list[str], row: _Row) -> InterviewPerson:
    """The person a checked row names (their slug is given once the whole file is read)."""

    def get(key: str) -> str:
        return columns.get(cells, key)

    return InterviewPerson(
        slug="", role=row.role, name=row.name, profile_url=row.url, email=optional_text(row.email),
        title=optional_text(get("title")), works_at=optional_text(get("works_at")),
        interests=[i for i in split_list(get("interests")) if optional_text(i)],
        mutuals=split_list(get("mutuals")), notes=get("notes"), topic=row.topic,
        language=row.language, extra={h: get(h) for h in columns.unknown if get(h)}, line=row.line)


class _Interviews:
    """The interviews of a file as its rows are added: one per id, each row's person in it
    once (a person listed twice in one interview is counted as a duplicate)."""

    def __init__(self, path: Path):
        self.path = path
        self.interviews: dict[str, Interview] = {}
        self.duplicates: list[str] = []  # "line 7: Jane Roe listed again (acme-…)"
        self._first_line: dict[str, int] = {}
        self._seen: dict[tuple[str, str], tuple[int, InterviewPerson]] = {}

    def add(self, row: _Row, person: InterviewPerson, position: str) -> None:
        """Add a row's person to its interview; an interview whose rows disagree on the time or
        the company is an :class:`InputError`."""
        iv = self._interview(row)
        iv.discreet = iv.discreet or row.discreet
        if position and not iv.position:
            iv.position = position
        interview_id, name, url, role, line = row.interview_id, row.name, row.url, row.role, row.line
        identity = normalise_profile_url(url) or normalise_name(name) or row.email.lower()
        twin = self._seen.get((interview_id, identity))
        if twin is not None:
            twin_line, kept = twin
            if kept.role != role:
                self.duplicates.append(f"line {line}: {name or url} is listed again in {interview_id} (line "
                                       f"{twin_line}), as {role}; kept as {min(kept.role, role, key=_ROLE_ORDER.index)}")
                kept.role = min(kept.role, role, key=_ROLE_ORDER.index)
            else:
                self.duplicates.append(f"line {line}: {name or url} is listed again in {interview_id} as {role} "
                                       f"(line {twin_line}); counted once")
            _fill_gaps(kept, person)
            return
        self._seen[(interview_id, identity)] = (line, person)
        iv.people.append(person)

    def _interview(self, row: _Row) -> Interview:
        """The row's interview, made at its first row; later rows must agree with that one."""
        interview_id, at, company, country = row.interview_id, row.at, row.company, row.country
        iv = self.interviews.get(interview_id)
        if iv is None:
            iv = self.interviews[interview_id] = Interview(
                id=interview_id, company=company, at=at, tz=zone_name(at.tzinfo, at),
                company_key=normalise_company(company), language="", country=country, source=str(self.path))
            self._first_line[interview_id] = row.line
            return iv
        first = self._first_line[interview_id]
        if at != iv.at:
            raise InputError(f"interview {interview_id} is on {iv.at.isoformat()} (line {first}), this row says "
                             f"{at.isoformat()}; give the second interview its own id", path=self.path, line=row.line)
        if normalise_company(company) != iv.company_key:
            raise InputError(f"interview {interview_id} is at {iv.company} (line {first}), this row says {company}",
                             path=self.path, line=row.line)
        if country and not iv.country:
            iv.country = country
        return iv


def _column(cell: str) -> str:
    text = " ".join(cell.strip().lower().split())
    text = _COLUMN_ALIASES.get(text, text)
    return text.replace(" ", "_")


def _fill_gaps(kept: InterviewPerson, other: InterviewPerson) -> None:
    """A repeated row may add what the first one left empty; it never overwrites."""
    for name in ("profile_url", "email", "title", "works_at", "notes", "topic", "language"):
        if not getattr(kept, name) and getattr(other, name):
            setattr(kept, name, getattr(other, name))
    kept.interests += [i for i in other.interests if i not in kept.interests]
    kept.mutuals += [m for m in other.mutuals if m not in kept.mutuals]


def _assign_slugs(iv: Interview) -> None:
    counts: dict[str, int] = {}
    for p in iv.people:
        if p.slug:
            counts[p.slug] = counts.get(p.slug, 0) + 1
    for p in iv.people:
        if p.slug:
            continue
        base = person_slug(p.name, p.profile_url, p.email)
        counts[base] = counts.get(base, 0) + 1
        p.slug = base if counts[base] == 1 else f"{base}-{counts[base]}"
