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
    "email_address",
    "profile_key",
    "profile_keys",
    "is_linkedin_host",
    "browser_host",
    "balance_bidi",
    "slugify",
    "PersonRecord",
    "Match",
    "PeopleIndex",
    "company_search",
    "company_pick",
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
#: legal forms, dropped from the end of a company name when comparing ("Acme, Inc." is Acme);
#: words of the name (Group, Holdings, Labs, Health, Consulting) are never in this list
_LEGAL_FORMS = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "ltd", "limited", "plc",
    "gmbh", "mbh", "ag", "kg", "kgaa", "ug", "ohg", "se", "sa", "sas", "sasu", "sarl", "sca", "sl", "slu",
    "srl", "spa", "bv", "nv", "vof", "oy", "oyj", "ab", "as", "asa", "aps", "pty", "pte", "kk", "lp", "llp",
    "lllp", "pllc", "cv", "sro", "zrt", "kft", "doo", "sp", "oo", "bhd", "sdn", "tbk", "pvt",
    "ооо", "оао", "зао", "пао", "ао", "ип", "нко", "тоо", "ано", "фгуп", "гуп", "муп",
}
#: the legal forms as a word ends them, dots and all ("S.A."): drafts keep a final full stop on these
_LEGAL_SUFFIXES = _LEGAL_FORMS | {"s.a", "l.l.c", "s.p.a", "s.r.l", "b.v", "n.v", "s.a.s", "s.r.o", "d.o.o", "o.o"}
#: legal forms that come first (Russian and neighbouring usage: ООО «Ромашка»)
_LEADING_LEGAL_FORMS = {"ооо", "оао", "зао", "пао", "ао", "ип", "нко", "тоо", "ано", "фгуп", "гуп", "муп"}
#: words that join two legal forms ("GmbH & Co. KG", "S.A. de C.V.", "Sp. z o.o.")
_LEGAL_JOINERS = {"and", "de", "und", "z"}


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NON_WORD = re.compile(r"[\W_]+")
#: characters that show as nothing (zero-width spaces and joiners, the soft hyphen, word
#: joiners, bidirectional controls, byte-order marks, Hangul fillers): "Ka\u200btie" is "Katie"
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]")
#: dotted abbreviations of single letters ("S.A.", "L.L.C.", "S.p.A", "J.P."), written as one word
_DOTTED = re.compile(r"(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)")


def _visible(text: str) -> str:
    """``text`` without the characters that show as nothing."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


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
    return _column_keys(values, profiles_only=False)


def _column_keys(values: Iterable[str], *, profiles_only: bool) -> list[str]:
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
            key = normalise_profile_url(value)
            if profiles_only and key and not (key.startswith(_PROFILE_PREFIXES) and (
                    value.startswith(_LINKEDIN_PREFIXES) or is_linkedin_host(browser_host(value)))):
                key = ""  # (profile_key, without a call per value: most of messages.csv's addresses come here)
            out.append(key)
    if slugs:
        decoded = unicodedata.normalize("NFC", unquote(_SLUG_SEPARATOR.join(slugs))).lower().split(_SLUG_SEPARATOR)
        for at, value, text in zip(encoded, slugs, decoded, strict=True):
            # as the one-by-one path decides: a slug that decodes to spaces or a path takes the slow path
            key = "linkedin.com/in/" + text if _plain_slug(text) else _general_key(_CANONICAL_PREFIX + value)
            out[at] = key if not profiles_only or _is_profile_key(key) else ""
    return out


def canonical_profile_url(value: str | None) -> str:
    """The clickable https form of a LinkedIn profile address: ``https://www.linkedin.com/in/<slug>``,
    or "" when ``value`` is not one (see :func:`profile_key`)."""
    key = profile_key(value)
    return "https://www." + key if key else ""


#: an email address as people write it: local@domain.tld, nothing around it
_EMAIL = re.compile(r'[^@\s<>()\[\]\\,;:"]+@[^@\s<>()\[\]\\,;:"]+\.[^@\s<>()\[\]\\,;:".]{2,}')


def email_address(value: str | None) -> str:
    """``value`` trimmed when it is an email address, else "": only an address is an email
    (a 2018 export's ``urn:li:member:664293716`` is not, nor is ``javascript:…//@x``).

    >>> email_address(" jane@acme.example "), email_address("urn:li:member:664293716")
    ('jane@acme.example', '')
    """
    text = (value or "").strip()
    return text if text and _EMAIL.fullmatch(text) else ""


def normalise_email(value: str | None) -> str:
    """Email key: the address in lower case; "" for anything that is not an address."""
    return email_address(value).lower()


# ---------------------------------------------------------------------- profile addresses, checked

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_PROFILE_PREFIXES = ("linkedin.com/in/", "linkedin.com/pub/")
#: the forms LinkedIn writes (messages.csv's raw Unicode slugs, endorsements' addresses without a
#: scheme): a browser opens www.linkedin.com for each, whatever comes after the slash
_LINKEDIN_PREFIXES = ("https://www.linkedin.com/", "www.linkedin.com/", "https://linkedin.com/", "linkedin.com/")


def browser_host(value: str) -> str:
    r"""The host a browser opens for ``value`` taken as an http(s) address ("" when it would
    open none, or has a user part before the host).

    As a browser reads it: surrounding spaces and control characters dropped, tabs and line
    breaks inside removed, a backslash read as a slash, percent-escapes in the host decoded.

    >>> browser_host("https://evil.example\\.linkedin.com/in/nina"), browser_host("www.linkedin.com/in/x")
    ('evil.example', 'www.linkedin.com')
    >>> browser_host("https://www.linkedin.com@evil.example/in/x"), browser_host("javascript:alert(1)")
    ('', '')
    """
    text = value.strip(_C0_AND_SPACE)
    text = text.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    scheme = _SCHEME.match(text)
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            return ""
        text = text[scheme.end():]
    authority = re.split(r"[/?#]", text.lstrip("/"), maxsplit=1)[0]
    if "@" in authority or authority.startswith("["):
        return ""
    host, colon, port = authority.partition(":")
    if colon and not port.isdigit():
        return ""
    host = unquote(host).lower()
    return host[:-1] if host.endswith(".") else host


def is_linkedin_host(host: str) -> bool:
    """``linkedin.com`` itself, ``www.``, ``m.`` or a country's subdomain (``uk.``).

    >>> is_linkedin_host("uk.linkedin.com"), is_linkedin_host("linkedin.com.evil.example")
    (True, False)
    """
    return bool(_LINKEDIN_HOST.match(host))


def profile_key(value: str | None) -> str:
    r"""The key of a LinkedIn profile address (:func:`normalise_profile_url`), or "" when
    ``value`` is not one: the one check every profile address passes where it enters.

    The host is the one a browser would open, so an address that reads as LinkedIn's but
    opens another site is refused (a backslash, a user part, a host that only ends in
    ``linkedin.com``); the path is a profile's (``/in/…`` or ``/pub/…``).

    >>> profile_key("https://uk.linkedin.com/in/Jos%C3%A9/"), profile_key("https://evil.example\\.linkedin.com/in/x")
    ('linkedin.com/in/josé', '')
    >>> profile_key("https://www.linkedin.com/company/acme"), profile_key("www.linkedin.com/in/jane-roe")
    ('', 'linkedin.com/in/jane-roe')
    """
    if not value:
        return ""
    value = str(value)
    key = normalise_profile_url(value)
    if not _is_profile_key(key):
        return ""
    if value.startswith(_LINKEDIN_PREFIXES):
        return key  # the host ends at that slash, whatever follows: nothing else to check
    return key if is_linkedin_host(browser_host(value)) else ""


def _is_profile_key(key: str) -> bool:
    # (a key never ends in a slash: "linkedin.com/in/" and nothing after it is "linkedin.com/in")
    return key.startswith(_PROFILE_PREFIXES)


def profile_keys(values: Iterable[str]) -> list[str]:
    """:func:`profile_key` of each value, for a whole column at once (LinkedIn's own form,
    most of an export, takes the batch path of :func:`normalise_profile_urls`)."""
    return _column_keys(values, profiles_only=True)


_BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
              "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI_ANY = re.compile("[\u202a-\u202e\u2066-\u2069]")


def balance_bidi(text: str) -> str:
    """``text`` without the bidirectional controls that are not closed within it (or close
    nothing): a name's U+202E can reverse the name, never the text after it.

    >>> balance_bidi("Nina\u202e evil"), balance_bidi("a\u2067ب\u2069c"), balance_bidi("x\u202c")
    ('Nina evil', 'a\u2067ب\u2069c', 'x')
    """
    if text.isascii() or not _BIDI_ANY.search(text):
        return text
    chars = list(text)
    opened: list[int] = []
    drop: set[int] = set()
    for i, ch in enumerate(chars):
        if ch in _BIDI_OPEN:
            opened.append(i)
        elif ch in ("\u202c", "\u2069"):
            # a closer closes the latest opener of its kind (and, as Unicode says, those
            # opened after it are closed with it: they are unpaired)
            at = next((k for k in range(len(opened) - 1, -1, -1) if _BIDI_OPEN[chars[opened[k]]] == ch), None)
            if at is None:
                drop.add(i)
            else:
                drop.update(opened[at + 1:])
                del opened[at:]
    drop.update(opened)
    return "".join(ch for i, ch in enumerate(chars) if i not in drop)


@lru_cache(maxsize=1 << 16)
def normalise_name(value: str | None) -> str:
    """Name key: case, accents, credentials, emoji, punctuation, spacing and characters that
    show as nothing (a zero-width space, a soft hyphen) do not matter.

    A name with no letters or digits ("😀", "!!!") is its own key, as it is written (spacing
    and case aside): two such people are never one.

    >>> normalise_name("  José Pérez, PhD 🚀 ")
    'jose perez'
    >>> normalise_name("Dr. Jane ROE, MBA, PMP"), normalise_name("Ka\u200btie Smi\u00adth")
    ('jane roe', 'katie smith')
    >>> normalise_name("😀"), normalise_name(" !!! ")
    ('😀', '!!!')
    """
    if not value:
        return ""
    text = str(value)
    if text.isascii() and text.replace(" ", "").isalpha():
        # plain letters and spaces (most names): no accents, punctuation or credentials list
        words = text.lower().split()
    else:
        text = _visible(text)
        words = _name_words(text) or _only_letters_digits(_strip_accents(text)).split()
    if not words:
        # nothing but symbols: the name as written is all there is to go on
        return " ".join(text.casefold().split())
    key = " ".join(words)
    while words and words[-1] in _CREDENTIALS:
        words.pop()
    while words and words[0] in {"dr", "mr", "mrs", "ms", "prof"}:
        words.pop(0)
    return " ".join(words) if words else key  # a name that is all title or credentials ("Ba") stays one


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
    """Company key: case, punctuation, accents and legal forms do not matter; the words of the
    name do ("Acme Group" and "Acme Inc." are two companies).

    ``aliases`` maps a normalised name to the normalised name it stands for.

    >>> normalise_company("ACME Corp.") == normalise_company("Acme Corporation") == "acme"
    True
    >>> normalise_company("Acme, Inc."), normalise_company("Acme Group"), normalise_company("Acme S.A. de C.V.")
    ('acme', 'acme group', 'acme')
    >>> normalise_company("The Boston Consulting Group"), normalise_company("ООО «Ромашка»")
    ('boston consulting group', 'ромашка')
    """
    key = _company_key(str(value or ""))
    if aliases:
        key = aliases.get(key, key)
    return key


@lru_cache(maxsize=1 << 16)  # companies repeat: thousands of connections share a few hundred
def _company_key(value: str) -> str:
    if not value:
        return ""
    words = _company_words(value)
    changed = True
    while changed and len(words) > 1:
        changed = False
        # from the end: legal forms, and a word joining two of them ("GmbH & Co. KG")
        while len(words) > 1 and (words[-1] in _LEGAL_FORMS or (
                words[-1] in _LEGAL_JOINERS and len(words) > 2 and words[-2] in _LEGAL_FORMS)):
            words.pop()
            changed = True
        # from the start: "The", and the legal forms written first ("ООО Ромашка")
        while len(words) > 1 and (words[0] == "the" or words[0] in _LEADING_LEGAL_FORMS):
            words.pop(0)
            changed = True
    return " ".join(words)


def _company_words(text: str) -> list[str]:
    """The words of a company name: letters and digits, "&" as "and", dotted abbreviations
    ("S.A.") as one word."""
    text = _visible(text)
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return _only_letters_digits(_strip_accents(text).replace("&", " and ")).split()


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


def _words(text: str) -> list[str]:
    return _company_words(str(text))


def company_search(query: str, companies: Mapping[str, Iterable[str]],
                   aliases: Mapping[str, str] | None = None) -> list[str]:
    """Every company key a query fits: any part of a company name, on word boundaries, case
    and accents ignored (the query's last word may be the start of a word). ``companies``
    maps each company key to the names it is written as. A company named exactly as the
    query is one fit among others: "bill" lists Bill and Bill.com.

    >>> names = {"umbrella health": ["Umbrella Health"], "acme": ["Acme Corp.", "ACME Corporation"],
    ...          "acme labs": ["Acme Labs"], "bill": ["Bill"], "bill com": ["Bill.com"]}
    >>> company_search("umbrella", names), company_search("Acme", names)
    (['umbrella health'], ['acme', 'acme labs'])
    >>> company_search("acme corp", names), company_search("bill", names)
    (['acme'], ['bill', 'bill com'])
    """
    exact, partial = _company_fits(query, companies, aliases)
    return sorted(set(exact + partial))


def company_pick(query: str, companies: Mapping[str, Iterable[str]],
                 aliases: Mapping[str, str] | None = None) -> list[str]:
    """The companies a query names when one company is wanted (``rank --company``): a query
    that is the whole name of one company picks it alone, else every fit
    (:func:`company_search`), for the user to choose from.

    >>> names = {"acme": ["Acme Corp."], "acme labs": ["Acme Labs"], "bill": ["Bill"], "bill com": ["Bill.com"]}
    >>> company_pick("bill", names), company_pick("acme", names)
    (['bill'], ['acme', 'acme labs'])
    """
    exact, partial = _company_fits(query, companies, aliases)
    if len(exact) == 1:
        return exact
    return sorted(set(exact + partial))


def _company_fits(query: str, companies: Mapping[str, Iterable[str]],
                  aliases: Mapping[str, str] | None) -> tuple[list[str], list[str]]:
    """(companies written exactly as the query, companies with the query inside a name)."""
    wanted = _words(query)
    if not wanted:
        return [], []
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
    return exact, partial


def _contains_run(words: list[str], wanted: list[str]) -> bool:
    n = len(wanted)
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] == wanted[:-1] and words[i + n - 1].startswith(wanted[-1]):
            return True
    return False
