"""An interview's people, as you record them by hand: add, edit, find, and how each matched. Pure.

The command line's ``interview add``, ``interview edit`` and ``interview person`` come here
through the orchestrator (backchannel.api), which reads the interview inside its write transaction,
lets these functions change it, and writes it back in the same transaction: two edits at once
never lose one another's change.

>>> from datetime import datetime, timezone
>>> iv = Interview(id="acme-2026-11-24", company="Acme", at=datetime(2026, 11, 24, 14, tzinfo=timezone.utc), tz="UTC")
>>> add_person(iv, "interviewer", "Jane Roe").slug, add_person(iv, "hiring-manager", "Sam Patel").slug
('jane-roe', 'sam-patel')
>>> find_person(iv, "jane roe").name
'Jane Roe'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .domain import Interview, InterviewPerson
from .errors import BackchannelError, NotFoundError
from .identity import normalise_name, normalise_profile_url, slugify
from .readers.interviews import (
    check_email,
    check_language,
    check_profile_url,
    check_topic,
    parse_role,
    person_slug,
    split_list,
)

__all__ = ["PersonMatch", "MatchReport", "find_person", "add_person", "set_person_details", "checked",
           "describe_matches", "merge_import", "merge_imports", "remove_person", "new_interview", "edit_interview", "person_to_set", "INTERVIEW_FIELDS",
           "PERSON_FIELDS"]

#: what ``interview edit`` may change
INTERVIEW_FIELDS = ("company", "date", "position", "topic", "discreet", "language", "country")
#: what ``interview person`` may set
PERSON_FIELDS = ("name", "email", "title", "profile_url", "works_at", "interests", "mutuals", "notes", "topic",
                 "language")

T = TypeVar("T")


def checked(check: Callable[[Any], T], value: Any, label: str = "") -> T:
    """A reader's check of a value the user gave, its ValueError as the one-line error."""
    try:
        return check(value)
    except ValueError as exc:
        raise BackchannelError(f"{label}: {exc}" if label else str(exc)) from None


@dataclass
class PersonMatch:
    """How one interview person (or a mutual) was matched, for the import's report."""

    interview: str
    name: str
    role: str
    status: str  # matched, ambiguous, possible, unmatched, waiting
    via: str = ""
    detail: list[str] = field(default_factory=list)
    mutual_of: str = ""
    matched_name: str = ""

    def sentence(self) -> str:
        who = f"{self.name} (mutual of {self.mutual_of})" if self.mutual_of else f"{self.name} ({self.role})"
        if self.status == "matched":
            return f"{who}: matched by {self.via}" + (f" to {self.matched_name}" if self.matched_name
                                                        and self.matched_name != self.name else "") + \
                "".join(f"; {d}" for d in self.detail)
        if self.status == "ambiguous":
            return f"{who}: could be {'; '.join(self.detail)}; add profile_url or email to choose"
        if self.status == "possible":
            places = "; ".join(self.detail)
            where = ("connections of that name are at another company or one your export does not name"
                     if any(d.endswith("(company unknown)") for d in self.detail)
                     else "a connection of that name is at another company")
            return f"{who}: not matched; {where} ({places}); add profile_url or email to confirm"
        if self.status == "waiting":
            return f"{who}: waiting for your LinkedIn export"
        hint = f" (closest: {', '.join(self.detail)})" if self.detail else ""
        return f"{who}: not one of your connections{hint}"

    def as_dict(self) -> dict[str, Any]:
        return {"interview": self.interview, "name": self.name, "role": self.role, "mutual_of": self.mutual_of or None,
                "status": self.status, "via": self.via or None, "matched": self.matched_name or None,
                "detail": self.detail}


@dataclass
class MatchReport:
    """What an import or an edit did to interviews, and how each person matched."""

    interviews: list[str]
    people: int
    matches: list[PersonMatch]
    unknown_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    no_connections: bool = False
    notes: list[str] = field(default_factory=list)  # what else the user should know (kept edits, renames)

    def count(self, status: str) -> int:
        return sum(1 for m in self.matches if m.status == status)

    def to_records(self) -> list[dict[str, Any]]:
        return [m.as_dict() for m in self.matches]


def describe_matches(interviews: Sequence[Interview], mutuals: Mapping[str, Sequence[Mapping[str, Any]]],
                     names: Mapping[int, str]) -> list[PersonMatch]:
    """Each person and stated mutual of these interviews, as matched (``names``: matched
    people's names by id)."""
    out = []
    for iv in interviews:
        for p in iv.people:
            out.append(PersonMatch(iv.id, p.name or p.profile_url, p.role, p.match_status or "waiting", p.match_via,
                                   list(p.match_detail), matched_name=names.get(p.person_id or -1, "")))
            for m in (m for m in mutuals.get(iv.id, ()) if m["slug"] == p.slug):
                out.append(PersonMatch(iv.id, m["reference"], "mutual", m["match_status"] or "waiting",
                                       m["match_via"], list(m["match_detail"]), mutual_of=p.name or p.profile_url,
                                       matched_name=names.get(m["person_id"] or -1, "")))
    return out


def find_person(iv: Interview, reference: str) -> InterviewPerson | None:
    """The person of an interview a name, a slug or a profile address means."""
    text = reference.strip()
    url = normalise_profile_url(text) if "linkedin.com/" in text.lower() else ""
    for p in iv.people:
        if url and normalise_profile_url(p.profile_url) == url:
            return p
        if not url and (normalise_name(p.name) == normalise_name(text) or p.slug == slugify(text) == text):
            return p
    return None


def add_person(iv: Interview, role: str, reference: str, *, when: str = "") -> InterviewPerson:
    """Add a person (a name or a profile address) with a role; their slug is new in the
    interview; ``when``: added in the terminal then (a re-imported file keeps them)."""
    text = reference.strip()
    if not text:
        raise BackchannelError(f"a {role} needs a name or a profile address")
    if len(text) > 200:
        raise BackchannelError(f"{role}: a name is at most 200 characters")
    if find_person(iv, text) is not None:
        raise BackchannelError(f"{text} is already in {iv.id}")
    is_url = "linkedin.com/" in text.lower()
    if is_url:
        text = checked(check_profile_url, text, role)
    person = InterviewPerson(slug="", role=checked(parse_role, role), name="" if is_url else text,
                             profile_url=text if is_url else "")
    base = person_slug(person.name, person.profile_url)
    taken = {p.slug for p in iv.people}
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    person.slug = slug
    if when:
        person.edited["added"] = when
    iv.people.append(person)
    return person


def set_person_details(person: InterviewPerson, details: Mapping[str, Any], *, when: str = "") -> list[str]:
    """Set a person's details (None leaves one as it is), noting each as set in the terminal at
    ``when``; returns the names of those set."""
    changed = []
    for key, value in details.items():
        if value is None:
            continue
        if key in ("interests", "mutuals"):
            setattr(person, key, split_list(value) if isinstance(value, str) else list(value))
        elif key == "language":
            person.language = checked(check_language, value)
        elif key == "topic":
            person.topic = checked(check_topic, str(value), "--topic")
        elif key == "email":
            person.email = checked(check_email, str(value), "--email")
        elif key == "profile_url":
            person.profile_url = checked(check_profile_url, str(value), "--profile-url")
        elif key in ("title", "notes", "works_at"):
            setattr(person, key, str(value).strip())
        elif key == "name":
            name = " ".join(str(value).split())
            if not name or len(name) > 200:
                raise BackchannelError("--name: a name of 1 to 200 characters")
            person.name = name  # (the slug stays: what was logged with them keeps its handles)
        else:
            raise BackchannelError(f"unknown detail {key!r}")
        changed.append(key)
        if when:
            person.edited[key] = when
    return changed


# --------------------------------------------------------------------------- a file imported again

#: interview details a file can set, by the column that sets them (company and date are required)
_INTERVIEW_COLUMNS = {"discreet": "discreet", "position": "position", "country": "country"}
#: person details a file can set, by the column that sets them
_PERSON_COLUMNS = {"name": "name", "email": "email", "title": "title", "works_at": "works_at", "interests": "interests",
                   "mutuals": "mutuals", "notes": "notes", "topic": "topic", "language": "language",
                   "profile_url": "profile_url"}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(value) or "none"
    return repr(str(value)) if value else "empty"


def _keep_edits(old: Any, new: Any, columns: set[str], fields: dict[str, str], *, file_time: str, overwrite: bool,
                who: str) -> list[str]:
    """Settle one record's details between the file and what the terminal set: a column the file
    lacks changes nothing; a file value that contradicts a later terminal edit keeps the edit
    (unless ``overwrite``) and is reported."""
    notes, edited = [], dict(old.edited)
    for name, column in fields.items():
        if column not in columns:
            setattr(new, name, getattr(old, name))
            continue
        mine, theirs = getattr(old, name), getattr(new, name)
        if name in ("email", "profile_url") and mine and not theirs:
            setattr(new, name, mine)  # an empty cell never erases an address (an invitation's, or yours)
            continue
        if mine == theirs or name not in edited:  # the same, or never set in the terminal: the file's
            continue
        if edited[name] >= file_time and not overwrite:
            setattr(new, name, mine)
            notes.append(f"{who}: kept your {name.replace('_', ' ')} ({_shown(mine)}) set in the terminal; the file "
                         f"says {_shown(theirs)} (to take the file's, import it with --overwrite)")
        else:
            edited.pop(name)
    new.edited = edited
    return notes


def _same_person(p: InterviewPerson, old: Interview) -> InterviewPerson | None:
    """The person of the stored interview a file row is: the same slug, or (renamed) the same
    email or profile address."""
    from .identity import normalise_email

    by_slug = old.person(p.slug)
    if by_slug is not None:
        return by_slug
    for q in old.people:
        if p.email and q.email and normalise_email(p.email) == normalise_email(q.email):
            return q
        if p.profile_url and q.profile_url and normalise_profile_url(p.profile_url) == normalise_profile_url(q.profile_url):
            return q
    return None


def merge_import(old: Interview, new: Interview, columns: set[str], *, file_time: str, overwrite: bool = False
                 ) -> list[str]:
    """Bring an interview read again from its file together with what is stored (``new`` is
    changed in place): the outcome and terminal-only details stay, terminal edits later than the
    file stay, a renamed person (same email or profile address) keeps their touches, and people
    added in the terminal stay. Returns what the user should know, one line each."""
    new.outcome, new.closed_at, new.outcomes = old.outcome, old.closed_at, old.outcomes
    new.topic, new.language = old.topic, old.language  # set only in the terminal
    notes = _keep_edits(old, new, columns, _INTERVIEW_COLUMNS, file_time=file_time, overwrite=overwrite, who=new.id)
    taken: set[str] = set()
    for p in new.people:
        twin = _same_person(p, old)
        if twin is None or twin.slug in taken:
            continue
        taken.add(twin.slug)
        if twin.slug != p.slug:
            if any(q.slug == twin.slug for q in new.people if q is not p):
                continue
            notes.append(f"{new.id}: {twin.name or twin.profile_url} is now {p.name or p.profile_url} (the same "
                         "email or profile address): one person, their touches kept")
            p.slug = twin.slug
        who = f"{new.id}, {p.name or p.profile_url}"
        notes += _keep_edits(twin, p, columns, _PERSON_COLUMNS, file_time=file_time, overwrite=overwrite, who=who)
    for q in old.people:
        if q.slug not in taken and "added" in q.edited and not any(p.slug == q.slug for p in new.people):
            new.people.append(q)
            notes.append(f"{new.id}: kept {q.name or q.profile_url} ({q.role}), added in the terminal")
    return notes


def merge_imports(stored: Mapping[str, Interview], read: Sequence[Interview], columns: set[str], *, file_time: str,
                  overwrite: bool, aliases: Mapping[str, str] | None) -> list[str]:
    """Each interview read from the file, keyed by its company and brought together with the
    one stored under its id (:func:`merge_import`); returns the notes of all of them."""
    from .identity import normalise_company

    notes: list[str] = []
    for iv in read:
        iv.company_key = normalise_company(iv.company, aliases)
        old = stored.get(iv.id)
        if old is not None:
            notes += merge_import(old, iv, columns, file_time=file_time, overwrite=overwrite)
    return notes


# --------------------------------------------------------------------------- interviews by hand

#: a time the user typed, read in their zone (api.Backchannel.parse_time)
TimeParser = Callable[..., Any]


def new_interview(*, company: str, at: Any, people: Sequence[tuple[str, str]], interview_id: str, position: str,
                  topic: str, discreet: bool, language: str, country: str, aliases: Mapping[str, str] | None,
                  when: str) -> Interview:
    """An interview recorded in the terminal at ``when``: every detail given counts as set there."""
    from .identity import normalise_company
    from .readers.interviews import interview_id_for
    from .times import work_calendar, zone_name

    if not company.strip():
        raise BackchannelError("--company is required")
    if country:
        work_calendar(country.upper())
    iv = Interview(id=interview_id or interview_id_for(company, at.date().isoformat()), company=company.strip(),
                   at=at, tz=zone_name(at.tzinfo, at), company_key=normalise_company(company, aliases),
                   discreet=discreet, position=position.strip(), topic=checked(check_topic, topic, "--topic"),
                   language=checked(check_language, language), country=country.strip().upper(),
                   source="backchannel interview add")
    iv.edited = {k: when for k, v in (("discreet", discreet), ("position", position), ("country", country)) if v}
    for role, reference in people:
        add_person(iv, role, reference, when=when)
    return iv


def edit_interview(iv: Interview, changes: Mapping[str, Any], *, parse_time: TimeParser,
                   aliases: Mapping[str, str] | None, when: str) -> None:
    """Apply ``interview edit`` changes (None leaves a detail as it is), each noted as set at ``when``."""
    from datetime import time as clock

    from .identity import normalise_company
    from .times import work_calendar, zone_name

    for key, value in changes.items():
        if value is None:
            continue
        if key not in INTERVIEW_FIELDS:
            raise BackchannelError(f"unknown detail {key!r}")
        iv.edited[key] = when  # a file imported later keeps it
        if key == "date":
            moved = parse_time(value, default_time=clock(17, 0), what="--date")
            if iv.ends is not None:  # it keeps its length
                iv.ends = moved + (iv.ends - iv.at)
            iv.at = moved
            iv.tz = zone_name(iv.at.tzinfo, iv.at)
        elif key == "company":
            iv.company, iv.company_key = value.strip(), normalise_company(value, aliases)
        elif key == "language":
            iv.language = checked(check_language, value)
        elif key == "country":
            if value:
                work_calendar(value.upper())
            iv.country = value.strip().upper()
        elif key == "topic":
            iv.topic = checked(check_topic, str(value), "--topic")
        else:
            setattr(iv, key, bool(value) if key == "discreet" else str(value).strip())


def remove_person(iv: Interview, reference: str) -> InterviewPerson:
    """Take someone off an interview (what was logged with them stays in the log)."""
    found = find_person(iv, reference)
    if found is None:
        names = ", ".join(p.name or p.profile_url for p in iv.people) or "nobody yet"
        raise NotFoundError(f"{reference!r} is not in {iv.id} ({names})")
    iv.people.remove(found)
    return found


def person_to_set(iv: Interview, reference: str, role: str | None, *, when: str) -> InterviewPerson:
    """The person ``interview person`` changes: found by name or address, or added with ``role``."""
    found = find_person(iv, reference)
    if found is None:
        if not role:
            names = ", ".join(p.name or p.profile_url for p in iv.people) or "nobody yet"
            raise NotFoundError(f"{reference!r} is not in {iv.id} ({names}); to add them, give --role")
        return add_person(iv, role, reference, when=when)
    if role:
        found.role = checked(parse_role, role)
    return found
