"""Matching a reference (a name, a profile address, an email, a company) to the people of a workspace.

:class:`PeopleIndex` looks people up by profile address, then email, then name, and says how
each reference matched (:class:`Match`): a name alone matches only at the same company, and
an unmatched name is offered the closest names in the network, when they are close enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .addresses import normalise_email, normalise_profile_url
from .companies import normalise_company
from .names import normalise_name

__all__ = ["PersonRecord", "Match", "PeopleIndex", "CLOSEST_NAME_THRESHOLD"]

#: a suggestion for an unmatched name must be at least this similar (rapidfuzz
#: ``token_sort_ratio``, 0-100, word order ignored): "Dana Levy" for "Dana Levi" (89) is offered,
#: "Jane Smith" for "Jane Roe" (44) is not. None is better than a wrong one.
CLOSEST_NAME_THRESHOLD = 80
#: names longer than this are cut before fuzzy matching (no real name is this long, and a
#: hostile 100,000-character one would make each comparison slow)
_MAX_NAME_FOR_MATCHING = 120


@dataclass(frozen=True)
class PersonRecord:
    """What matching needs to know about one person in the workspace."""

    id: int
    name: str
    profile_url: str = ""
    email: str = ""
    company: str = ""
    first_degree: bool = True  # one of the user's own connections (not only another owner's)


@dataclass
class Match:
    """The outcome of matching one reference to the people of a workspace.

    ``status`` is ``matched`` (``person`` and ``via``), ``ambiguous`` (several ``candidates``,
    never merged), ``possible`` (a namesake at another company, in ``possible``: confirm with a
    profile address or email) or ``unmatched`` (with the ``closest`` names, if any are close).
    """

    reference: str
    person: PersonRecord | None = None
    via: str = ""  # "profile address", "email", "name and company", "name"
    candidates: list[PersonRecord] = field(default_factory=list)
    possible: list[PersonRecord] = field(default_factory=list)
    closest: list[str] = field(default_factory=list)
    company_unknown: bool = False  # matched by a name unique in the network, at a company the export leaves blank

    @property
    def status(self) -> str:
        if self.person is not None:
            return "matched"
        if len(self.candidates) > 1:
            return "ambiguous"
        if self.possible:
            return "possible"
        return "unmatched"

    @property
    def ambiguous(self) -> bool:
        return self.status == "ambiguous"


class PeopleIndex:
    """Look people up by profile address, then email, then name.

    A name alone matches only at the same company (after normalisation and the user's
    aliases): a namesake elsewhere is a *possible* match the user confirms with a profile
    address or an email, which match across companies (people change jobs). A blank company
    is unknown, not another company: a name unique in the network whose company the export
    leaves blank matches (``company_unknown``). Without a company to compare (a mutual
    connection as LinkedIn lists it), a name matches when it is unique among the candidates.

    >>> index = PeopleIndex([PersonRecord(1, "Dana Levi", company="Northwind"),
    ...                      PersonRecord(2, "Jane Roe", "https://www.linkedin.com/in/jane", company="Acme")])
    >>> index.match(name="Dana Levi", company="Acme Corp.").status
    'possible'
    >>> index.match(name="Jane Roe", profile_url="linkedin.com/in/jane/", company="Globex").via
    'profile address'
    >>> index.match(name="jane roe", company="ACME Inc").via
    'name and company'
    >>> blank = PeopleIndex([PersonRecord(3, "Yugam Parashar", company="")])
    >>> m = blank.match(name="Yugam Parashar", company="Truelancer.com")
    >>> m.status, m.via, m.company_unknown
    ('matched', 'name', True)
    """

    def __init__(self, people: Iterable[PersonRecord], aliases: Mapping[str, str] | None = None):
        self.aliases = dict(aliases or {})
        self.by_url: dict[str, list[PersonRecord]] = {}
        self.by_email: dict[str, list[PersonRecord]] = {}
        self.by_name: dict[str, list[PersonRecord]] = {}
        self.company_of: dict[int, str] = {}
        for p in people:
            if p.profile_url:
                self.by_url.setdefault(normalise_profile_url(p.profile_url), []).append(p)
            if p.email:
                self.by_email.setdefault(normalise_email(p.email), []).append(p)
            key = normalise_name(p.name)
            if key:
                self.by_name.setdefault(key, []).append(p)
            self.company_of[p.id] = normalise_company(p.company, self.aliases)
        self._names: list[str] | None = None

    def match(self, *, name: str = "", profile_url: str = "", email: str = "", company: str | None = None,
              first_degree_only: bool = False) -> Match:
        """Match one reference. ``company`` is the company the reference works at (None when
        unknown); ``first_degree_only`` restricts the match to the user's own connections."""
        reference = name or profile_url or email

        def eligible(found: list[PersonRecord]) -> list[PersonRecord]:
            return [p for p in found if p.first_degree] if first_degree_only else found

        url_key = normalise_profile_url(profile_url)
        if url_key:
            found = eligible(self.by_url.get(url_key, []))
            if len(found) == 1:
                return Match(reference, person=found[0], via="profile address")
        mail = normalise_email(email)
        if mail:
            found = eligible(self.by_email.get(mail, []))
            if len(found) == 1:
                return Match(reference, person=found[0], via="email")
        key = normalise_name(name[:_MAX_NAME_FOR_MATCHING * 4])
        if not key:
            return Match(reference)
        found = eligible(self.by_name.get(key, []))
        if company is None:
            if len(found) == 1:
                return Match(reference, person=found[0], via="name")
            if len(found) > 1:
                return Match(reference, candidates=sorted(found, key=lambda p: (p.company, p.id)))
            return Match(reference, closest=self.closest_names(key, first_degree_only=first_degree_only))
        company_key = normalise_company(company, self.aliases)
        same = [p for p in found if company_key and self.company_of.get(p.id) == company_key]
        if len(same) == 1:
            return Match(reference, person=same[0], via="name and company")
        if len(same) > 1:
            return Match(reference, candidates=sorted(same, key=lambda p: (p.company, p.id)))
        if len(found) == 1 and not self.company_of.get(found[0].id):
            return Match(reference, person=found[0], via="name", company_unknown=True)
        if found:
            return Match(reference, possible=sorted(found, key=lambda p: (p.company, p.id)))
        return Match(reference, closest=self.closest_names(key, first_degree_only=first_degree_only))

    def closest_names(self, key: str, limit: int = 3, *, first_degree_only: bool = False) -> list[str]:
        """Up to ``limit`` names at least :data:`CLOSEST_NAME_THRESHOLD` similar to ``key``
        (a normalised name), most similar first."""
        from rapidfuzz import fuzz, process

        if self._names is None:
            self._names = list(self.by_name)
        query = key[:_MAX_NAME_FOR_MATCHING]
        hits = process.extract(query, self._names, scorer=fuzz.token_sort_ratio, limit=limit * 3,
                               score_cutoff=CLOSEST_NAME_THRESHOLD)
        out: list[str] = []
        for name_key, _score, _index in hits:
            people = self.by_name[name_key]
            if first_degree_only:
                people = [p for p in people if p.first_degree]
            if people and people[0].name not in out:
                out.append(people[0].name)
            if len(out) == limit:
                break
        return out
