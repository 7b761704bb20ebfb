"""Companies: the key two ways of writing one company share, and finding companies by name.

:func:`normalise_company` makes "ACME Corp.", "Acme, Inc." and "Acme Corporation" one
company, and keeps "Acme Group" another: case, punctuation, accents and legal forms do not
matter, the words of the name do. :func:`company_search` and :func:`company_pick` find the
companies a query names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .letters import _only_letters_digits, _strip_accents, _visible

__all__ = ["normalise_company", "company_search", "company_pick"]

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
#: dotted abbreviations of single letters ("S.A.", "L.L.C.", "S.p.A", "J.P."), written as one word
_DOTTED = re.compile(r"(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)")


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
