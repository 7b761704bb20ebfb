"""What a path holds: an mbox, a Maildir, a folder of message files, or one message.

:func:`find_sources` tells the layout from the path and the first bytes of its files, and
lists the files to read in name order: mbox files (``.mbox``, ``.mbx``, and files without an
extension that start as an mbox does: Thunderbird's ``Inbox``, Apple Mail's ``X.mbox/mbox``),
the files of Maildirs (``cur/`` and ``new/``, Maildir++ subfolders such as ``.Sent``
included), ``.eml`` and ``.emlx`` files. A path that is no mailbox (a ZIP, a compressed
file, anything else) is a one-line :class:`~backchannel.errors.InputError`.
:func:`_file_headers` reads the header block of a one-message file.
"""

from __future__ import annotations

import os
from pathlib import Path

from ...errors import InputError
from .mbox import _BLANK_LINE, _HEADER_LINE, _HEADER_START, is_from_line
from .records import KiB, MailLimits, MailSource

__all__ = ["find_sources"]

def _sniff(head: bytes) -> str:
    """What a file's first bytes say it is: "empty", "mbox", "message", or what it is not."""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    text = text.lstrip(b"\r\n")
    if not head:
        return "empty"
    if not text:
        return "blank"
    if text.startswith(b"From "):
        # a From_ line, or at least a header after the first line: not a letter that starts "From the desk of"
        eol = text.find(b"\n")
        if eol < 0 or is_from_line(text[:eol + 1]) or _HEADER_START.match(text, eol + 1):
            return "mbox"
        return "other"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd")):
        return "compressed"
    if _HEADER_LINE.match(text) and b"\x00" not in head:
        return "message"
    return "other"


def _head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


_NOT_MAILBOX = "not a mailbox: expected an mbox file (it starts with a 'From ' line), a Maildir or a folder of .eml files"


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def find_sources(path: Path) -> tuple[str, list[MailSource]]:
    """The layout of ``path`` ("mbox", "message", "maildir", "folder") and the files to read.

    Raises :class:`InputError` for a path that is no mailbox at all.
    """
    if not path.exists():
        raise InputError("no such file or folder", path=path)
    if path.is_file():
        try:
            kind = _sniff(_head(path))
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
        if kind in ("empty", "blank", "mbox"):
            return "mbox", [MailSource("mbox", path, path.name)]
        if kind == "message" or (path.suffix.lower() == ".emlx" and _emlx_head(path)):
            return "message", [MailSource("emlx" if path.suffix.lower() == ".emlx" else "message", path, path.name)]
        if kind == "zip":
            raise InputError("this is a ZIP archive; unpack it and give the .mbox file or the folder inside "
                             "(Gmail Takeout: Takeout/Mail/)", path=path)
        if kind == "compressed":
            raise InputError("this is a compressed file; unpack it and give the .mbox file or the folder inside",
                             path=path)
        raise InputError(_NOT_MAILBOX, path=path, line=1)
    if not path.is_dir():
        raise InputError(_NOT_MAILBOX, path=path)
    sources: list[MailSource] = []
    root_is_maildir = _is_maildir(path)
    for folder, dirs, files in os.walk(path):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or _is_maildir(here / d))
        if _is_maildir(here):
            for sub in ("cur", "new"):
                for name in sorted(os.listdir(here / sub)):
                    file = here / sub / name
                    if not name.startswith(".") and file.is_file():
                        sources.append(MailSource("message", file, _display(path, file)))
            dirs[:] = [d for d in dirs if d not in ("cur", "new", "tmp")]
        for name in sorted(files):
            file = here / name
            low = name.lower()
            if not file.is_file():
                continue  # a pipe, a socket, a device: never opened (a pipe would be waited on forever)
            if low.endswith(".eml"):
                sources.append(MailSource("message", file, _display(path, file)))
            elif low.endswith(".emlx"):
                sources.append(MailSource("emlx", file, _display(path, file)))
            elif low.endswith((".mbox", ".mbx")) or ("." not in name and _starts_with_from(file)):
                # files without an extension that start as an mbox does: Thunderbird's Inbox,
                # Sent, ...; Apple Mail's X.mbox/mbox
                sources.append(MailSource("mbox", file, _display(path, file)))
    sources.sort(key=lambda s: tuple(part.lower() for part in s.path.relative_to(path).parts))
    if not sources:
        raise InputError("no mail in this folder: " + _NOT_MAILBOX.split(": ", 1)[1], path=path)
    kinds = {s.kind for s in sources}
    layout = "maildir" if root_is_maildir and kinds == {"message"} else "eml" if kinds <= {"message", "emlx"} else (
        "mbox" if kinds == {"mbox"} else "folder")
    return layout, sources


def _starts_with_from(file: Path) -> bool:
    try:
        return _sniff(_head(file, 64)) == "mbox"
    except OSError:
        return False


def _display(root: Path, file: Path) -> str:
    return str(Path(root.name) / file.relative_to(root))


def _emlx_head(path: Path) -> bool:
    head = _head(path, 64)
    first = head.split(b"\n", 1)[0].strip()
    return first.isdigit()


def _file_headers(source: MailSource, limits: MailLimits) -> tuple[bytes, str]:
    """The header block of a one-message file, and what is wrong ("" when nothing)."""
    with open(source.path, "rb") as fh:
        data = fh.read(64 * KiB)
        if source.kind == "emlx":  # Apple Mail: a line with the message's length first
            first, _, rest = data.partition(b"\n")
            if not first.strip().isdigit():
                return b"", "not_mail"
            data = rest
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        if data.startswith(b"From ", start):  # a message saved from an mbox
            eol = data.find(b"\n", start)
            start = eol + 1 if eol >= 0 else len(data)
        if data[start:start + 1] in (b"\n", b"\r"):
            return b"", "not_mail"  # no headers at all
        if not _HEADER_LINE.match(data, start) or b"\x00" in data[start:start + 4096]:
            return b"", "not_mail"
        search = start
        while True:
            m = _BLANK_LINE.search(data, search)
            if m is not None and m.start() - start <= limits.max_header_bytes:
                return data[start:m.start() + 1], ""
            if m is not None or len(data) - start > limits.max_header_bytes:
                return b"", "headers"
            more = fh.read(64 * KiB)
            if not more:
                headers = data[start:]
                return (b"", "truncated") if not headers.endswith(b"\n") else (headers, "")
            search = max(start, len(data) - 2)
            data += more
