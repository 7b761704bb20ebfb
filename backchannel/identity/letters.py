"""Text reduced to what tells names apart: the ground every key and slug here is built on.

Accents dropped (``José`` is ``jose``), characters that show as nothing removed (a zero-width
space, a soft hyphen), words of letters and digits (emoji, symbols and punctuation become
spaces), and :func:`slugify`'s short typeable slugs (Cyrillic spelled in Latin letters).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]


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


def _visible(text: str) -> str:
    """``text`` without the characters that show as nothing."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


def _only_letters_digits(text: str) -> str:
    """Lower-case words of letters and digits; emoji, symbols and punctuation become spaces."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


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
