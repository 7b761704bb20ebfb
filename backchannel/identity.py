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
    "canonical_profile_url",
    "normalise_name",
    "normalise_company",
    "normalise_email",
    "slugify",
    "PersonRecord",
    "Match",
    "PeopleIndex",
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
    if value.startswith(_CANONICAL_PREFIX) and value.isascii():
        # the shape LinkedIn itself writes (most addresses in an export): no decoding needed
        slug = value[len(_CANONICAL_PREFIX):]
        plain = slug.replace("-", "")
        if plain.isalnum():  # ASCII letters, digits and hyphens only
            return "linkedin.com/in/" + slug.lower()
        if plain.replace("%", "").isalnum():  # percent-encoded letters (names with accents)
            decoded = unicodedata.normalize("NFC", unquote(slug)).lower()
            if decoded == decoded.strip() and not any(ch in decoded for ch in "/?#"):
                return "linkedin.com/in/" + decoded
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


def canonical_profile_url(value: str | None) -> str:
    """A clickable https form of a profile address ("" when there is none)."""
    key = normalise_profile_url(value)
    if not key:
        return ""
    return "https://www." + key if key.startswith("linkedin.com/") else "https://" + key


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


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


def slugify(value: str) -> str:
    """A short ASCII slug for ids: ``Acme Corp.`` -> ``acme-corp``."""
    words = _only_letters_digits(_strip_accents(value or "")).split()
    slug = "-".join(w for w in words if w.isascii())
    return slug or "x"


@dataclass(frozen=True)
class PersonRecord:
    """What matching needs to know about one person in the workspace."""

    id: int
    name: str
    profile_url: str = ""
    email: str = ""
    company: str = ""


@dataclass
class Match:
    """The outcome of matching one reference: a person, several candidates, or none."""

    reference: str
    person: PersonRecord | None = None
    candidates: list[PersonRecord] = field(default_factory=list)
    closest: list[str] = field(default_factory=list)
    via: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.person is None and len(self.candidates) > 1


class PeopleIndex:
    """Look people up by profile address, then email, then name (company breaks ties)."""

    def __init__(self, people: Iterable[PersonRecord], aliases: Mapping[str, str] | None = None):
        self.aliases = dict(aliases or {})
        self.by_url: dict[str, list[PersonRecord]] = {}
        self.by_email: dict[str, list[PersonRecord]] = {}
        self.by_name: dict[str, list[PersonRecord]] = {}
        for p in people:
            if p.profile_url:
                self.by_url.setdefault(normalise_profile_url(p.profile_url), []).append(p)
            if p.email:
                self.by_email.setdefault(normalise_email(p.email), []).append(p)
            key = normalise_name(p.name)
            if key:
                self.by_name.setdefault(key, []).append(p)

    def match(
        self,
        *,
        name: str = "",
        profile_url: str = "",
        email: str = "",
        company: str = "",
    ) -> Match:
        reference = name or profile_url or email
        url_key = normalise_profile_url(profile_url)
        if url_key:
            found = self.by_url.get(url_key, [])
            if len(found) == 1:
                return Match(reference, person=found[0], via="profile address")
        mail = normalise_email(email)
        if mail:
            found = self.by_email.get(mail, [])
            if len(found) == 1:
                return Match(reference, person=found[0], via="email")
        key = normalise_name(name)
        if not key:
            return Match(reference)
        found = self.by_name.get(key, [])
        if len(found) == 1:
            return Match(reference, person=found[0], via="name")
        if len(found) > 1:
            company_key = normalise_company(company, self.aliases)
            if company_key:
                same = [p for p in found if normalise_company(p.company, self.aliases) == company_key]
                if len(same) == 1:
                    return Match(reference, person=same[0], via="name and company")
            return Match(reference, candidates=sorted(found, key=lambda p: (p.company, p.id)))
        return Match(reference, closest=self.closest_names(key))

    def closest_names(self, key: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        hits = process.extract(key, list(self.by_name), scorer=fuzz.WRatio, limit=limit)
        return [self.by_name[h[0]][0].name for h in hits if h[1] >= 60]
