"""What a text file is written in: sniffed from its first bytes, decided by all of them.

A file is read as UTF-8 until a byte says otherwise (:func:`sniff_encoding` tells UTF-16 and
byte-order marks at once); then the whole file decides (:func:`decide_encoding`): a file whose
UTF-8 characters are at least as many as its bytes that are not UTF-8 is UTF-8 with a few
damaged bytes, read as UTF-8 with those bytes replaced (U+FFFD) and their lines named
(:func:`replacement_warnings`); a file with none, or fewer, is cp1252 (as Excel saves it). One
stray byte never turns every "Zoë" into "ZoÃ«".
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import BinaryIO

from ..errors import InputError
from .limits import LIMITS, Limits, describe_lines

__all__ = ["NotUtf8", "REPLACE", "sniff_encoding", "decide_encoding", "replacement_warnings", "ESCAPED"]


class NotUtf8(Exception):
    """Raised inside a read of a file taken for UTF-8 that is not: let the whole file decide
    (:func:`decide_encoding`) and read it again."""


#: the encoding of a file that is UTF-8 but for a few bytes: those are replaced, their lines named
REPLACE = "utf-8 (bad bytes replaced)"


def replacement_warnings(name: str, encoding: str, lines: list[int]) -> list[str]:
    """The warning for bytes replaced with U+FFFD as a file was read (none when there are none)."""
    if not lines:
        return []
    if encoding == REPLACE:
        return [f"{name}: bytes that are not UTF-8 (the rest of the file is) replaced with \ufffd on "
                f"{describe_lines(lines)}; save the file as UTF-8 to keep them"]
    return [f"{name}: bytes that are no character in {encoding} (the file's encoding) replaced with \ufffd on "
            f"{describe_lines(lines)}"]


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a file from its first bytes, and the length of its byte-order mark.

    Without a mark and without the NUL bytes of UTF-16, a file is taken for UTF-8 until a
    byte says otherwise (then :func:`decide_encoding` reads all of it).

    >>> sniff_encoding(codecs.BOM_UTF8 + b"a,b"), sniff_encoding("a,b".encode("utf-16"))
    (('utf-8', 3), ('utf-16', 0))
    >>> sniff_encoding("a,b\\n".encode("utf-16-le")), sniff_encoding("Café,Paris,France".encode("cp1252"))
    (('utf-16-le', 0), ('utf-8', 0))
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0  # the codec reads the mark and the byte order
    sample = head[:4096]
    if b"\x00" in sample:
        # UTF-16 without a mark: every other byte of ASCII text is NUL
        odd = sample[1::2]
        if odd.count(0) > len(odd) * 0.4:
            return "utf-16-le", 0
        raise InputError("this is a binary file, not a CSV text file")
    return "utf-8", 0


#: bytes that are not text in the encoding, as a ``surrogateescape`` decoder gives them
ESCAPED = re.compile("[\udc80-\udcff]+")


def decide_encoding(opener: Callable[[], BinaryIO], limits: Limits = LIMITS) -> str:
    """What a file that is not all UTF-8 is: :data:`REPLACE` (UTF-8 but for a few bytes) or
    ``"cp1252"``, from all of its bytes: UTF-8 when its UTF-8 characters beyond ASCII are at
    least as many as its runs of bytes that are not UTF-8, and there is one at least.

    A cp1252 file (Excel's) has no UTF-8 characters, or a few by chance ("É’" is one);
    a UTF-8 file with a stray byte has its names' accents.

    >>> import io
    >>> decide_encoding(lambda: io.BytesIO("Zoë Quinn\\nJosé\\xff".encode("utf-8", "surrogateescape")))
    'utf-8 (bad bytes replaced)'
    >>> decide_encoding(lambda: io.BytesIO("Zoë Quinn,Café".encode("cp1252")))
    'cp1252'
    """
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    good = bad = total = 0
    with opener() as raw:
        while total <= limits.max_file_bytes:
            chunk = raw.read(1 << 20)
            total += len(chunk)
            text = decoder.decode(chunk, final=not chunk)
            if not text.isascii():
                runs = ESCAPED.findall(text)
                bad += len(runs)
                good += len(text) - len(text.encode("ascii", "ignore")) - sum(map(len, runs))
            if not chunk:
                break
    return REPLACE if good and good >= bad else "cp1252"

