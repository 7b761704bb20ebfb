"""The messages.csv tally as backchannel 0.1 did it, row by row with Python's csv module:
the oracle the Arrow reader is property-tested against.

Copied from ``backchannel/linkedin.py`` (``_MessageTally``, ``_projector``, ``_conversations``)
and trimmed to one plain function. Two changes: a row with another number of fields than the
header is skipped (it was padded or cut and counted), and a file is taken whole (no preamble;
messages.csv has none).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter, defaultdict
from datetime import datetime

from backchannel.identity import normalise_name, profile_key
from backchannel.times import parse_export_date

WRONG_WIDTH = "row with another number of fields than the header"
MAX_GROUP_THREAD = 50


def decode(data: bytes) -> str:
    """The text of a file: a BOM decides, else UTF-16 without one, else UTF-8, else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:4096] and data[1:4096:2].count(0) > len(data[1:4096:2]) * 0.4:
        return data.decode("utf-16-le")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _columns(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, h in enumerate(header):
        out.setdefault(" ".join(h.lower().replace("_", " ").split()), i)
    return out


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def oracle_facts(data: bytes, owner_key: str = "", owner_name_key: str = "") -> dict:
    """Per-person facts of a messages.csv, as
    ``{"by_url": {key: facts}, "by_name": {key: facts}, "co_threads": {...}, "owner": key,
    "skipped": {reason: count}}`` with facts ``(sent, received, conversations, groups,
    first, last)`` (datetimes or None). ``owner`` is the address found from the messages
    when ``owner_key`` is empty."""
    rows = csv.reader(io.StringIO(decode(data), newline=""))
    header = [c.strip() for c in next(rows)]
    col = _columns(header)
    i_conv, i_from, i_to = col.get("conversation id"), col.get("from"), col.get("to")
    i_surl, i_rurls, i_date = col.get("sender profile url"), col.get("recipient profile urls"), col["date"]
    i_dir, i_draft, i_folder = col.get("direction"), col.get("is message draft"), col.get("folder")
    width = len(header)
    has_urls = i_surl is not None
    from_iso = datetime.fromisoformat
    skipped: Counter = Counter()
    groups: dict[tuple, list] = {}
    for n, cells in enumerate(rows):
        if n == 0 and cells and cells[0].startswith("\ufeff"):
            # a byte-order mark right after the header starts the body as one starts a file:
            # it is dropped (a file glued to another), and a line of it alone is empty
            cells[0] = cells[0][1:]
            if cells == [""]:
                continue
        if not cells:
            continue  # an empty line
        if len(cells) != width:
            skipped[WRONG_WIDTH] += 1
            continue
        draft = cells[i_draft] if i_draft is not None else ""
        if draft and draft != "No" and draft.strip().lower() == "yes":
            skipped["message draft"] += 1
            continue
        text = cells[i_date]
        if len(text) == 23 and text[19:] == " UTC" and text[4:17:3] == "-- ::":
            stamp = text[:19]
            try:
                from_iso(stamp)
            except ValueError:
                stamp = None
        else:
            when = parse_export_date(text)
            stamp = when.isoformat(" ") if when is not None else None
        if stamp is None:
            skipped["message without a readable date"] += 1
            continue
        if i_folder is not None and cells[i_folder] == "SPAM":
            skipped["message in the spam folder"] += 1
            continue
        conv = cells[i_conv] if i_conv is not None else ""
        if has_urls:
            key = (conv, cells[i_surl], cells[i_rurls] if i_rurls is not None else "")
        else:
            key = (conv, cells[i_dir].strip().upper() if i_dir is not None else "", _cell(cells, i_from),
                   _cell(cells, i_to))
        group = groups.get(key)
        if group is None:
            groups[key] = [1, stamp, stamp]
        else:
            group[0] += 1
            if stamp < group[1]:
                group[1] = stamp
            elif stamp > group[2]:
                group[2] = stamp

    found = ""
    if has_urls and not owner_key:
        seen: dict[str, set] = defaultdict(set)
        for conv, sender, recips in groups:
            for k in (profile_key(sender), *(profile_key(u) for u in recips.split(",") if u.strip())):
                if k:
                    seen[k].add(conv)
        owner_key = found = max(seen, key=lambda k: (len(seen[k]), k)) if seen else ""

    by_url: dict = {}
    by_name: dict = {}
    threads: dict = {}
    for key, (count, first, last) in groups.items():
        if has_urls:
            conv, sender_text, recips_text = key
            sender = profile_key(sender_text)
            recips = tuple(profile_key(u) for u in recips_text.split(",") if u.strip())
            if not sender and not recips:
                continue
            participants = frozenset(k for k in (sender, *recips) if k and k != owner_key)
            outgoing = bool(owner_key) and sender == owner_key
            counterparts = tuple(participants) if outgoing else ((sender,) if sender else ())
            table = by_url
        else:
            conv, direction, from_name, to_name = key
            outgoing = direction in {"OUTGOING", "SENT"}
            name_key = normalise_name(to_name if outgoing else from_name)
            counterparts = () if not name_key or name_key == owner_name_key else ((name_key, ""),)
            participants = frozenset(counterparts)
            table = by_name
        if not conv:
            conv = "|".join(sorted(map(str, participants)))
        threads[conv] = threads.get(conv, frozenset()) | participants
        for k in counterparts:
            facts = table.get(k)
            if facts is None:
                table[k] = [count, 0, 0, 0, first, last] if outgoing else [0, count, 0, 0, first, last]
            else:
                facts[0 if outgoing else 1] += count
                facts[4] = min(facts[4], first)
                facts[5] = max(facts[5], last)

    co_threads: Counter = Counter()
    for members in threads.values():
        group = len(members) > 1
        for k in members:
            table = by_url if isinstance(k, str) else by_name
            facts = table.get(k)
            if facts is None:
                facts = table[k] = [0, 0, 0, 0, None, None]
            facts[2] += 1
            if group:
                facts[3] += 1
        if group and len(members) <= MAX_GROUP_THREAD:
            urls = sorted(k for k in members if isinstance(k, str))
            for i, a in enumerate(urls):
                for b in urls[i + 1:]:
                    co_threads[a, b] += 1

    def typed(table: dict) -> dict:
        return {k: (s, r, c, g, first and from_iso(first), last and from_iso(last))
                for k, (s, r, c, g, first, last) in table.items()}

    return {"by_url": typed(by_url), "by_name": typed(by_name), "co_threads": dict(co_threads), "owner": found,
            "skipped": dict(skipped)}
