"""Who is who: canonical forms of profile addresses, names and companies, and matching.

All matching in backchannel goes through this module, so that "ACME Corp." and "Acme",
``https://uk.linkedin.com/in/Jos%C3%A9/`` and ``www.linkedin.com/in/josé`` and
"José Pérez, PhD" and "jose perez" are the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

__all__ = [
    "normalise_profile_url",
    "normalise_profile_urls",
    "canonical_profile_url",
    "normalise_name",
    "normalise_company",
    "normalise_email",
    "slugify",
    "PersonRecord",
    "Match",
    "PeopleIndex",
    "company_search",
    "CLOSEST_NAME_THRESHOLD",
]

_CANONICAL_PREFIX = "https://www.linkedin.com/in/"
_LINKEDIN_HOST = re.compile(r"^(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com$")
_CREDENTIALS = {
    "phd", "ph.d", "ph.d.", "mba", "pmp", "cpa", "md", "m.d.", "msc", "ms", "ma", "bsc", "bs", "ba",
    "jd", "j.d.", "cfa", "pe", "p.eng", "rn", "esq", "esq.", "dds", "dvm", "mfa", "meng", "beng",
    "llm", "cissp", "csm", "shrm-cp", "shrm-scp", "phr", "sphr", "facs", "frcs", "mph", "edd", "dr",
    "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "acca", "aca", "ca", "cma", "cpa,", "pmi-acp",
}
_LEGAL_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "l.l.c", "ltd", "limited",
    "plc", "gmbh", "ag", "sa", "s.a", "sas", "sarl", "bv", "nv", "oy", "ab", "as", "aps", "spa",
    "srl", "pty", "pte", "kk", "kg", "lp", "llp", "group", "holdings", "holding",
}


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NON_WORD = re.compile(r"[\W_]+")


def _only_letters_digits(text: str) -> str:
    """Lower-case words of letters and digits; emoji, symbols and punctuation become spaces."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


@lru_cache(maxsize=1 << 17)
def normalise_profile_url(value: str | None) -> str:
    """Canonical key of a LinkedIn profile address: ``linkedin.com/in/<slug>``.

    Scheme, ``www.``/country subdomains, trailing slash, query, fragment, percent-encoding
    and case do not matter. Anything that is not a LinkedIn profile address is returned
    lower-cased and stripped so it still compares equal to itself. Empty input gives "".

    >>> normalise_profile_url("https://uk.linkedin.com/in/Jos%C3%A9-P%C3%A9rez-1/?trk=x")
    'linkedin.com/in/josé-pérez-1'
    >>> normalise_profile_url("www.linkedin.com/in/josé-pérez-1")
    'linkedin.com/in/josé-pérez-1'
    """
    if not value:
        return ""
    value = str(value)
    slug, encoded = _own_form(value)
    if slug and not encoded:
        return "linkedin.com/in/" + slug.lower()
    if slug:
        decoded = unicodedata.normalize("NFC", unquote(slug)).lower()
        if _plain_slug(decoded):
            return "linkedin.com/in/" + decoded
    return _general_key(value)


def _own_form(value: str) -> tuple[str, bool]:
    """``(slug, percent-encoded)`` of an address in the shape LinkedIn itself writes (most
    addresses in an export: ``https://www.linkedin.com/in/`` and ASCII letters, digits and
    hyphens, with %-escapes for names with accents); ``("", False)`` for anything else."""
    if not (value.startswith(_CANONICAL_PREFIX) and value.isascii()):
        return "", False
    slug = value[len(_CANONICAL_PREFIX):]
    plain = slug.replace("-", "")
    if plain.isalnum():
        return slug, False
    if plain.replace("%", "").isalnum():
        return slug, True
    return "", False


def _plain_slug(decoded: str) -> bool:
    """Whether a decoded slug is a slug as it stands (no spaces around it, no path or query)."""
    return decoded == decoded.strip() and not any(ch in decoded for ch in "/?#")


def _general_key(value: str) -> str:
    """:func:`normalise_profile_url` for any text: the slow path, which takes every form."""
    text = unicodedata.normalize("NFC", unquote(value.strip())).lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("#", 1)[0].split("?", 1)[0].strip().rstrip("/").strip()
    host, _, path = text.partition("/")
    if _LINKEDIN_HOST.match(host):
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] in {"in", "pub"}:
            return f"linkedin.com/{parts[0]}/{parts[1]}"
        return "linkedin.com/" + "/".join(parts)
    return text


_SLUG_SEPARATOR = "\n"  # never in a slug the batch takes (letters, digits, hyphens and %, never %0A)


def normalise_profile_urls(values: Iterable[str]) -> list[str]:
    """:func:`normalise_profile_url` of each value, for a whole column at once.

    The addresses LinkedIn writes itself (``https://www.linkedin.com/in/<slug>``, the slug
    percent-encoded when the name has accents) are decoded together: their slugs joined by
    line feeds are decoded, composed and lower-cased in one call each (none of the three
    carries anything across a line feed), so an export's 30,000 addresses cost a few
    string operations instead of 30,000 calls. Everything else goes through
    :func:`normalise_profile_url` one by one.

    >>> normalise_profile_urls(["https://www.linkedin.com/in/Jos%C3%A9-1", "", "https://uk.linkedin.com/in/x/"])
    ['linkedin.com/in/josé-1', '', 'linkedin.com/in/x']
    """
    out: list[str] = []
    encoded: list[int] = []  # where percent-encoded slugs are, in ``out``
    slugs: list[str] = []
    for value in values:
        slug, is_encoded = _own_form(value)
        if slug and not is_encoded:
            out.append("linkedin.com/in/" + slug.lower())
        elif slug and "%0a" not in slug.lower():
            encoded.append(len(out))
            slugs.append(slug)
            out.append("")
        else:
            out.append(normalise_profile_url(value))
    if slugs:
        decoded = unicodedata.normalize("NFC", unquote(_SLUG_SEPARATOR.join(slugs))).lower().split(_SLUG_SEPARATOR)
        for at, value, text in zip(encoded, slugs, decoded, strict=True):
            # as the one-by-one path decides: a slug that decodes to spaces or a path takes the slow path
            out[at] = "linkedin.com/in/" + text if _plain_slug(text) else _general_key(_CANONICAL_PREFIX + value)
    return out


def canonical_profile_url(value: str | None) -> str:
    """A clickable https form of a profile address ("" when there is none)."""
    key = normalise_profile_url(value)
    if not key:
        return ""
    return "https://www." + key if key.startswith("linkedin.com/") else "https://" + key


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


@lru_cache(maxsize=1 << 16)
def normalise_name(value: str | None) -> str:
    """Name key: case, accents, credentials, emoji, punctuation and spacing do not matter.

    >>> normalise_name("  José Pérez, PhD 🚀 ")
    'jose perez'
    >>> normalise_name("Dr. Jane ROE, MBA, PMP")
    'jane roe'
    """
    if not value:
        return ""
    text = str(value)
    if text.isascii() and text.replace(" ", "").isalpha():
        # plain letters and spaces (most names): no accents, punctuation or credentials list
        words = text.lower().split()
    else:
        words = _name_words(text)
    while words and words[-1] in _CREDENTIALS:
        words.pop()
    while words and words[0] in {"dr", "mr", "mrs", "ms", "prof"}:
        words.pop(0)
    return " ".join(words)


def _name_words(text: str) -> list[str]:
    # Credentials follow a comma: "Roe, PhD", "Roe, MBA, PMP". Keep the part before the first
    # comma unless what follows the comma does not look like credentials.
    head, *rest = text.split(",")
    if rest and all(_looks_like_credentials(part) for part in rest):
        text = head
    return _only_letters_digits(_strip_accents(text)).split()


def _looks_like_credentials(part: str) -> bool:
    words = _only_letters_digits(_strip_accents(part)).split()
    if not words:
        return True
    return all(w in _CREDENTIALS or (w.isupper() and len(w) <= 6) for w in part.split()) or all(
        w in _CREDENTIALS for w in words
    )


def normalise_company(value: str | None, aliases: Mapping[str, str] | None = None) -> str:
    """Company key: case, punctuation, accents and legal suffixes do not matter.

    ``aliases`` maps a normalised name to the normalised name it stands for.

    >>> normalise_company("ACME Corp.") == normalise_company("Acme Corporation") == "acme"
    True
    >>> normalise_company("Acme, Inc.")
    'acme'
    """
    key = _company_key(str(value or ""))
    if aliases:
        key = aliases.get(key, key)
    return key


@lru_cache(maxsize=1 << 16)  # companies repeat: thousands of connections share a few hundred
def _company_key(value: str) -> str:
    if not value:
        return ""
    text = _strip_accents(str(value)).replace("&", " and ")
    words = _only_letters_digits(text).split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    if words and words[0] == "the" and len(words) > 1:
        words.pop(0)
    return " ".join(words)


_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"], strict=True))


def slugify(value: str) -> str:
    """A short slug for ids, typeable where it can be: accents dropped, Cyrillic spelled in
    Latin letters; other scripts kept as they are.

    >>> slugify("Acme Corp."), slugify("Анна Сергеевна Иванова"), slugify("Zoë O'Brien, PhD")
    ('acme-corp', 'anna-sergeevna-ivanova', 'zoe-obrien-phd')
    """
    text = _strip_accents(value or "").lower()
    if not text.isascii():
        text = "".join(_CYRILLIC.get(ch, ch) for ch in text)
    words = _only_letters_digits(text).split()
    return "-".join(words)[:80].strip("-") or "x"


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
    address or an email, which match across companies (people change jobs). Without a
    company to compare (a mutual connection as LinkedIn lists it), a name matches when it is
    unique among the candidates.

    >>> index = PeopleIndex([PersonRecord(1, "Dana Levi", company="Northwind"),
    ...                      PersonRecord(2, "Jane Roe", "https://www.linkedin.com/in/jane", company="Acme")])
    >>> index.match(name="Dana Levi", company="Acme Corp.").status
    'possible'
    >>> index.match(name="Jane Roe", profile_url="linkedin.com/in/jane/", company="Globex").via
    'profile address'
    >>> index.match(name="jane roe", company="ACME Inc").via
    'name and company'
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


def _words(text: str) -> list[str]:
    return _only_letters_digits(_strip_accents(str(text)).replace("&", " and ")).split()


def company_search(query: str, companies: Mapping[str, Iterable[str]],
                   aliases: Mapping[str, str] | None = None) -> list[str]:
    """The company keys a query names: any part of a company name, on word boundaries, case
    and accents ignored (the query's last word may be the start of a word). ``companies``
    maps each company key to the names it is written as. A query that is a whole name of
    one company picks that company alone.

    >>> names = {"umbrella health": ["Umbrella Health"], "acme": ["Acme Corp.", "ACME Corporation"],
    ...          "acme labs": ["Acme Labs"]}
    >>> company_search("umbrella", names)
    ['umbrella health']
    >>> company_search("Acme", names)
    ['acme', 'acme labs']
    >>> company_search("acme corp", names)
    ['acme']
    """
    wanted = _words(query)
    if not wanted:
        return []
    alias_key = normalise_company(query, aliases)
    exact, partial = [], []
    for key, written in companies.items():
        variants = [_words(w) for w in written]
        if any(v == wanted for v in variants):
            exact.append(key)
        elif any(_contains_run(v, wanted) for v in [*variants, key.split()]):
            partial.append(key)
    if aliases and alias_key in companies and alias_key not in exact and alias_key != _company_key(query):
        exact.append(alias_key)  # the user's own alias names a company outright
    if len(exact) == 1:
        return exact
    return sorted(set(exact + partial))


def _contains_run(words: list[str], wanted: list[str]) -> bool:
    n = len(wanted)
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] == wanted[:-1] and words[i + n - 1].startswith(wanted[-1]):
            return True
    return False
