"""People's names: the key two spellings of one name share, and names safe to show.

:func:`normalise_name` makes "José Pérez, PhD" and "jose perez" one name, and a name with a
zero-width space or a soft hyphen inside the same as the name without: case, accents,
credentials, titles, emoji, punctuation and spacing do not matter. :func:`balance_bidi` keeps a name's bidirectional
controls from reversing the text after it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .letters import _only_letters_digits, _strip_accents, _visible

__all__ = ["normalise_name", "balance_bidi"]

#: credentials and suffixes that follow a name ("Jane Roe, PhD"), dropped from its key
_CREDENTIALS = {
    "phd", "ph.d", "ph.d.", "mba", "pmp", "cpa", "md", "m.d.", "msc", "ms", "ma", "bsc", "bs", "ba",
    "jd", "j.d.", "cfa", "pe", "p.eng", "rn", "esq", "esq.", "dds", "dvm", "mfa", "meng", "beng",
    "llm", "cissp", "csm", "shrm-cp", "shrm-scp", "phr", "sphr", "facs", "frcs", "mph", "edd", "dr",
    "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "acca", "aca", "ca", "cma", "cpa,", "pmi-acp",
}

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
