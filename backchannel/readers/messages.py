"""messages.csv: who the owner wrote with, how often, and who shares group threads.

Two steps. :func:`count_messages` streams the file in Arrow blocks with only the columns it
needs (conversation, sender and recipient addresses, date, folder, draft flag; the names
and direction for 2018 files: never CONTENT or SUBJECT), drops drafts and the spam folder,
parses dates vectorised, and counts the messages per (conversation, sender, recipients)
with their first and last date: Arrow codes the values on dictionaries, numpy groups the
codes. A conversation has a handful of senders and recipient lists, so this leaves a small
fraction of the rows. :func:`message_facts` then works out per-person facts, in Python once
per distinct sender and recipient list and with numpy over the groups: that step needs the
owner's address (to tell sent from received), which comes from Invitations.csv or, when
there is none, from the messages themselves (the address in the most conversations).

Every header LinkedIn has used is read, by column name::

    2018   From,To,Date,Subject,Content,Direction,Folder                   (names, US dates)
    ~2020  FROM,TO,DATE,SUBJECT,CONTENT,DIRECTION,FOLDER
    2021   CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER
    2023   ... RECIPIENT PROFILE URLS after TO
    2024   ... IS MESSAGE DRAFT,IS CONVERSATION DRAFT appended (ATTACHMENTS in 2026)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..domain import Interaction, SkipLog
from ..identity import normalise_name, profile_keys
from ..times import parse_export_date
from .table import (
    POOL,
    Block,
    Column,
    CsvTable,
    bool_array,
    bools,
    chunks_of,
    int_array,
    ints,
    read_csv,
    string_array,
    value_sizes,
)
from .text import LIMITS, Limits

__all__ = [
    "MESSAGES_WHAT",
    "MAX_GROUP_THREAD",
    "is_messages_header",
    "MessageGroups",
    "MessageFacts",
    "ConversationMembers",
    "count_messages",
    "message_facts",
    "read_messages",
]

MESSAGES_WHAT = "messages.csv (FROM, TO, DATE, ...)"
#: the largest group thread whose members count as sharing a thread with each other
MAX_GROUP_THREAD = 50

DRAFT = "message draft"
NO_DATE = "message without a readable date"
SPAM = "message in the spam folder"

_EPOCH = datetime(1970, 1, 1)
# messages coded and counted at once (a few MiB of key columns)
_JOIN_ROWS = 30_000


def is_messages_header(cells: list[str]) -> bool:
    """A messages.csv header names FROM, TO and DATE (any case)."""
    low = {c.lower() for c in cells}
    return "from" in low and "to" in low and "date" in low


@dataclass
class MessageGroups:
    """messages.csv counted per (conversation, sender, recipients).

    ``keys`` maps each key column the file has (``conv``, ``sender``, ``recipients`` when
    it has profile addresses; ``conv``, ``direction``, ``from``, ``to`` for the 2018 file
    with names only) to the code of each group in that column and the column's distinct
    values (an Arrow string array). ``count``, ``first`` and ``last`` are per group; dates
    are seconds since 1970, UTC.
    """

    keys: dict[str, tuple[np.ndarray, pa.Array]]
    count: np.ndarray
    first: np.ndarray
    last: np.ndarray
    has_urls: bool
    skipped: SkipLog = field(default_factory=SkipLog)
    warnings: list[str] = field(default_factory=list)  # bytes not in the file's encoding, replaced

    def __len__(self) -> int:
        return len(self.count)

    def rows(self) -> list[tuple[str, ...]]:
        """Each group as ``(*keys, count, first, last)`` in Python values (for tests and notebooks)."""
        columns = []
        for codes, values in self.keys.values():
            distinct = values.to_pylist()
            columns.append([distinct[c] for c in codes.tolist()])
        return [(*key, n, a, b) for *key, n, a, b in zip(*columns, self.count.tolist(), self.first.tolist(),
                                                         self.last.tolist(), strict=True)]


@dataclass
class ConversationMembers:
    """Who was in each conversation, the owner left out: ``threads[i]`` and ``members[i]``
    say that person ``people[members[i]]`` (a profile key, or a ``(name key, "")`` pair) was
    in conversation ``threads[i]`` (sorted by conversation)."""

    threads: np.ndarray
    members: np.ndarray
    people: list[str | tuple[str, str]]

    def __len__(self) -> int:
        """How many conversations there are."""
        return len(np.unique(self.threads))

    def without(self, unknown: Set[str | tuple[str, str]]) -> tuple[int, int]:
        """(conversations in which everybody is ``unknown``, the people in them): the
        conversations with people who are not connections."""
        if not len(self.threads) or not unknown:
            return 0, 0
        is_known = np.ones(len(self.people), dtype=bool)
        is_known[[i for i, k in enumerate(self.people) if k in unknown]] = False
        per_thread = np.bincount(self.threads, weights=is_known[self.members])
        present = np.bincount(self.threads) > 0
        unknown_threads = present & (per_thread == 0)
        people = np.unique(self.members[unknown_threads[self.threads]])
        return int(unknown_threads.sum()), len(people)


@dataclass
class MessageFacts:
    """What messages.csv says per person, and who shares group threads."""

    by_url: dict[str, Interaction]
    by_name: dict[tuple[str, str], Interaction]
    co_threads: dict[tuple[str, str], int]
    owner_key: str = ""  # the owner's address as found from the messages ("" when given)
    skipped: SkipLog = field(default_factory=SkipLog)
    conversations: ConversationMembers | None = None


# --------------------------------------------------------------------------- counting


def count_messages(opener: Callable[[], BinaryIO], name: str, *, limits: Limits = LIMITS,
                   with_names: bool = False) -> MessageGroups:
    """Count messages.csv per (conversation, sender, recipients) with first and last dates.

    Drafts (``IS MESSAGE DRAFT`` = Yes), messages in the SPAM folder and messages without a
    readable date are skipped and counted. ``with_names`` counts the sender's name (FROM)
    too, for a file with addresses whose owner is known only by name (Profile.csv).
    """

    def count(table: CsvTable) -> MessageGroups:
        has_urls = table.has("sender profile url")
        columns = [k for k in (("conversation id", "sender profile url", "recipient profile urls") if has_urls
                               else ("conversation id", "direction", "from", "to")) if table.has(k)]
        if has_urls and with_names and table.has("from"):
            columns.append("from")
        log = SkipLog()
        tally = _Tally(len(columns))
        for block in table.blocks([*columns, "date", "folder", "is message draft"], every_column=False):
            _count_block(block, columns, log, name, tally)
        counted = tally.finish()
        keys = {_SHORT[c]: coded for c, coded in zip(columns, counted.coded, strict=True)}
        return MessageGroups(keys, counted.count, counted.first, counted.last, has_urls, table.skipped.merge(log),
                             table.warnings)

    return read_csv(opener, name, is_messages_header, count, what=MESSAGES_WHAT, limits=limits,
                    row_bytes=limits.max_message_row_bytes)


_SHORT = {"conversation id": "conv", "sender profile url": "sender", "recipient profile urls": "recipients",
          "direction": "direction", "from": "from", "to": "to"}
_NEVER = np.iinfo(np.int64)


@dataclass
class _Counted:
    """Messages counted per distinct key: for each key column, the code of each group and
    the column's distinct values."""

    coded: list[tuple[np.ndarray, pa.Array]]
    count: np.ndarray
    first: np.ndarray
    last: np.ndarray


def _combine(codes: list[np.ndarray]) -> np.ndarray:
    """One integer per row that is equal exactly when the codes of every column are."""
    group = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64)
    room = 1
    for column in codes:
        size = int(column.max()) + 1 if len(column) else 1
        if room * size >= 1 << 62:
            # renumbered densely, so that the product stays in 64 bits
            group = np.unique(group, return_inverse=True)[1].reshape(-1)
            room = int(group.max()) + 1 if len(group) else 1
        group = group * size + column
        room *= size
    return group


def _reduce(codes: list[np.ndarray], count: np.ndarray | None, first: np.ndarray,
            last: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Rows with the same codes in every column in one: counts add up (one per row when
    ``count`` is None), the first date is the earliest, the last the latest."""
    _, at, group = np.unique(_combine(codes), return_index=True, return_inverse=True)
    group = group.reshape(-1)
    k = len(at)
    if count is None:
        counts = np.bincount(group, minlength=k).astype(np.int64)
    else:
        counts = np.bincount(group, weights=count, minlength=k).astype(np.int64)
    firsts = np.full(k, _NEVER.max, dtype=np.int64)
    np.minimum.at(firsts, group, first)
    lasts = np.full(k, _NEVER.min, dtype=np.int64)
    np.maximum.at(lasts, group, last)
    return [column[at] for column in codes], counts, firsts, lasts


class _Tally:
    """The running count of a messages.csv, as integer codes into dictionaries of distinct
    values, so that memory holds each conversation id and address about once.

    The messages of a few blocks wait as they are, then are coded on dictionaries of their
    own and counted together. A column's dictionaries are kept one after the other and
    joined into one (a value met in several steps gets one code) when they have grown to
    twice what the last join left, and at the end: each join costs what it joins, so the
    whole stays linear in the file whatever repeats where."""

    def __init__(self, n_keys: int):
        self.columns = [_Codes() for _ in range(n_keys)]
        self.counted: list[tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]] = []
        self.pending: list[tuple[list[pa.Array], np.ndarray]] = []
        self.pending_rows = 0

    def add(self, columns: list[pa.Array], seconds: np.ndarray) -> None:
        self.pending.append((columns, seconds))
        self.pending_rows += len(seconds)
        if self.pending_rows >= _JOIN_ROWS:
            self._count_pending()

    def _count_pending(self) -> None:
        codes = []
        for i, column in enumerate(self.columns):
            codes.append(column.code(pa.chunked_array([c for columns, _ in self.pending for c in chunks_of(columns[i])])))
        seconds = np.concatenate([s for _, s in self.pending])
        self.pending, self.pending_rows = [], 0
        self.counted.append(_reduce(codes, None, seconds, seconds))
        for i, column in enumerate(self.columns):
            if column.due():
                remap = column.join()
                for part in self.counted:
                    part[0][i] = remap[part[0][i]]

    def finish(self) -> _Counted:
        if self.pending:
            self._count_pending()
        if not self.counted:
            none = np.zeros(0, dtype=np.int64)
            return _Counted([(none, string_array([])) for _ in self.columns], none, none, none)
        codes = []
        for i, column in enumerate(self.columns):
            remap = column.join()
            codes.append(remap[np.concatenate([part[0][i] for part in self.counted])])
        count, first, last = (np.concatenate([part[k] for part in self.counted]) for k in (1, 2, 3))
        self.counted = []
        codes, count, first, last = _reduce(codes, count, first, last)
        return _Counted([(c, column.values()) for c, column in zip(codes, self.columns, strict=True)],
                        count, first, last)


def _indices(encoded: Column) -> tuple[np.ndarray, pa.Array]:
    """The codes and the dictionary of a dictionary-encoded column (its chunks share one)."""
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if not chunks:
        return np.zeros(0, dtype=np.int64), string_array([])
    return np.concatenate([ints(c.indices).astype(np.int64) for c in chunks]), chunks[0].dictionary


class _Codes:
    """The dictionaries of one key column: values coded so far, in parts."""

    def __init__(self) -> None:
        self.parts: list[pa.Array] = []
        self.size = 0  # values in the parts
        self.joined = 0  # distinct values the last join left

    def code(self, column: Column) -> np.ndarray:
        """Codes for a column's values (a value already met may get a new code until the next join)."""
        encoded = pc.dictionary_encode(column, memory_pool=POOL)
        codes, dictionary = _indices(encoded)
        self.parts.append(dictionary)
        self.size += len(dictionary)
        return codes + (self.size - len(dictionary))

    def due(self) -> bool:
        return self.size > max(2 * self.joined, _JOIN_ROWS)

    def join(self) -> np.ndarray:
        """One dictionary of distinct values; returns the new code of each old code."""
        encoded = pc.dictionary_encode(pa.chunked_array(self.parts, type=pa.string()), memory_pool=POOL)
        codes, dictionary = _indices(encoded)
        self.parts = [dictionary]
        self.size = self.joined = len(dictionary)
        return codes

    def values(self) -> pa.Array:
        assert len(self.parts) <= 1
        return self.parts[0] if self.parts else string_array([])


def _count_block(block: Block, columns: list[str], log: SkipLog, name: str, tally: _Tally) -> None:
    keep = np.ones(len(block), dtype=bool)
    draft = block.get("is message draft")
    if draft is not None:
        # the flag has two or three distinct values: the rule is applied to those in Python
        flags = pc.unique(draft, memory_pool=POOL).to_pylist()
        yes = [v for v in flags if v and v != "No" and v.strip().lower() == "yes"]
        if yes:
            is_draft = bools(pc.is_in(draft, value_set=string_array(yes), memory_pool=POOL))
            block.skip(log, DRAFT, name, is_draft)
            keep &= ~is_draft
    dates = block.get("date")
    assert dates is not None  # a messages header has a DATE column
    seconds, dated = parse_dates(dates)
    undated = keep & ~dated
    if undated.any():
        block.skip(log, NO_DATE, name, undated)
        keep &= dated
    folder = block.get("folder")
    if folder is not None:
        spam = bools(pc.is_in(folder, value_set=string_array(["SPAM"]), memory_pool=POOL)) & keep
        if spam.any():
            block.skip(log, SPAM, name, spam)
            keep &= ~spam
    if not keep.any():
        return
    if keep.all():
        kept = [block.columns[c] for c in columns]
    else:
        mask = bool_array(keep)
        kept = [pc.filter(block.columns[c], mask, memory_pool=POOL) for c in columns]
        seconds = seconds[keep]
    tally.add(kept, seconds)


def parse_dates(dates: Column) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 (UTC) for each date, and whether it was readable.

    The ``YYYY-MM-DD HH:MM:SS UTC`` shape LinkedIn writes is read with numpy from the
    column's bytes (and checked as Python's datetime checks it); any other text goes to
    :func:`~backchannel.times.parse_export_date`, once per distinct value.

    >>> seconds, ok = parse_dates(string_array(["2024-10-26 11:43:11 UTC", "3/7/18, 9:05 PM",
    ...                                         "2024-02-30 10:00:00 UTC", "2024-10-16 09:00+01 UTC", ""]))
    >>> [_when(s) if k else None for s, k in zip(seconds.tolist(), ok.tolist())]
    [datetime.datetime(2024, 10, 26, 11, 43, 11), datetime.datetime(2018, 3, 7, 21, 5), None, None, None]
    """
    shaped = [_utc_shape(chunk) for chunk in chunks_of(dates)]
    seconds = np.concatenate([s for s, _ in shaped]) if len(shaped) != 1 else shaped[0][0]
    ok = np.concatenate([k for _, k in shaped]) if len(shaped) != 1 else shaped[0][1]
    if ok.all():
        return seconds, ok
    rest = np.flatnonzero(~ok)
    others = pc.take(dates, int_array(rest), memory_pool=POOL)
    distinct = pc.unique(others, memory_pool=POOL).to_pylist()
    readable = [(text, when) for text in distinct if (when := parse_export_date(text)) is not None]
    if readable:
        found = pc.index_in(others, value_set=string_array([t for t, _ in readable]), memory_pool=POOL)
        hit = bools(pc.is_valid(found, memory_pool=POOL))
        values = np.array([int((when - _EPOCH).total_seconds()) for _, when in readable], dtype=np.int64)
        seconds[rest[hit]] = values[ints(pc.filter(found, bool_array(hit), memory_pool=POOL))]
        ok[rest[hit]] = True
    return seconds, ok


_SHAPE = b"0000-00-00 00:00:00 UTC"
_DIGITS = np.array([c == ord("0") for c in _SHAPE])
_FIXED = ~_DIGITS
_FIXED_CHARS = np.frombuffer(_SHAPE, dtype=np.uint8)[_FIXED]
# the digits of the shape -> year, month, day, hour, minute, second
_PLACES = np.zeros((int(_DIGITS.sum()), 6), dtype=np.int64)
for _column, (_start, _width) in enumerate(((0, 4), (4, 2), (6, 2), (8, 2), (10, 2), (12, 2))):
    _PLACES[_start:_start + _width, _column] = 10 ** np.arange(_width - 1, -1, -1)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _utc_shape(dates: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Dates of the exact shape ``YYYY-MM-DD HH:MM:SS UTC`` read with numpy: seconds since
    1970 and whether each date had that shape and a real day and time in it."""
    n = len(dates)
    seconds = np.zeros(n, dtype=np.int64)
    width = len(_SHAPE)
    offsets = np.frombuffer(dates.buffers()[1], dtype=np.int32, count=n + 1, offset=dates.offset * 4)
    data = dates.buffers()[2]
    if data is None or not n:
        return seconds, np.zeros(n, dtype=bool)
    text = np.frombuffer(data, dtype=np.uint8)
    if offsets[-1] - offsets[0] == n * width and (np.diff(offsets) == width).all():
        # every date has the shape's length (the usual case): the column is a matrix as it is
        rows = np.arange(n)
        chars = text[offsets[0]:offsets[-1]].reshape(n, width)
    else:
        rows = np.flatnonzero(np.diff(offsets) == width)
        chars = text[offsets[rows][:, None] + np.arange(width, dtype=np.int32)]
    good = (chars[:, _FIXED] == _FIXED_CHARS).all(axis=1)
    digits = chars[:, _DIGITS] - np.uint8(48)  # wraps below '0': any byte not a digit is over 9
    good &= (digits <= 9).all(axis=1)
    year, month, day, hour, minute, second = (digits.astype(np.int64) @ _PLACES).T
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    good &= (year >= 1) & (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59) & (second <= 59)
    good &= (day >= 1) & (day <= _DAYS_IN_MONTH[np.clip(month, 0, 12)] + (leap & (month == 2)))
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    seconds[rows] = np.where(good, days * 86400 + hour * 3600 + minute * 60 + second, 0)
    ok = np.zeros(n, dtype=bool)
    ok[rows] = good
    return seconds, ok


# --------------------------------------------------------------------------- people


def _when(seconds: int | None) -> datetime | None:
    return None if seconds is None else _EPOCH + timedelta(seconds=seconds)


class _Lists:
    """Short lists of integers, one per way of addressing, kept flat (a few numbers each)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.flat: list[int] = []

    def add(self, values: tuple[int, ...] | list[int]) -> None:
        self.sizes.append(len(values))
        self.flat.extend(values)

    def tuples(self) -> list[tuple[int, ...]]:
        out, at = [], 0
        for n in self.sizes:
            out.append(tuple(self.flat[at:at + n]))
            at += n
        return out

    def spread(self, list_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For rows each pointing at one list: (row, value) for every value of each row's list."""
        sizes = np.array(self.sizes, dtype=np.int64)
        flat = np.array(self.flat, dtype=np.int32)
        per_row = sizes[list_of]
        rows = np.repeat(np.arange(len(list_of), dtype=np.int32), per_row)
        # the place in flat of a row's first value, less the place in the output of its first
        shift = (np.cumsum(sizes) - sizes)[list_of] - (np.cumsum(per_row) - per_row)
        return rows, flat[np.arange(len(rows)) + np.repeat(shift, per_row)] if len(rows) else flat[:0]


def message_facts(groups: MessageGroups, owner_key: str = "", owner_name_key: str = "") -> MessageFacts:
    """Per-person facts from counted messages.

    ``owner_key`` is the owner's normalised profile address (from Invitations.csv); when it
    is empty and the file has addresses, the address in the most conversations is taken and
    returned as ``owner_key``. ``owner_name_key`` (a :func:`normalise_name` key) tells the
    owner in 2018 files, which have names only.

    A message the owner sent counts for everyone it went to; a message the owner received
    counts for its sender. Everyone in a conversation but the owner is in it; a conversation
    with more than one such person is a group conversation, and its members (up to
    :data:`MAX_GROUP_THREAD`) share a thread, two by two. The work is done once per distinct
    way a message is addressed (a few per person), then spread over the groups with numpy.
    """
    g = len(groups)
    zeros = np.zeros(g, dtype=np.int64)
    none = (zeros, string_array([""]))
    conv_codes, conv_values = groups.keys.get("conv", none)
    n_convs = len(conv_values)
    empty_conv = np.flatnonzero(value_sizes(conv_values) == 0)
    # each distinct way a message is addressed (a pair of sender and recipients, or of
    # direction and names), and which of them each group is
    coded = [groups.keys.get(c, none) for c in (("sender", "recipients") if groups.has_urls
                                                   else ("direction", "from", "to"))]
    combined = _combine([codes for codes, _values in coded])
    _, first_row, pair_of = np.unique(combined, return_index=True, return_inverse=True)
    pair_of = pair_of.reshape(-1)
    del combined
    pair_codes = [codes[first_row].tolist() for codes, _values in coded]
    n_pairs = len(first_row)

    people: list[str | tuple[str, str]] = []
    person_ids: dict[str | tuple[str, str], int] = {}

    def person(k: str | tuple[str, str]) -> int:
        i = person_ids.get(k)
        if i is None:
            i = person_ids[k] = len(people)
            people.append(k)
        return i

    # per way of addressing: whether the owner sent it, who it counts for, who is in it
    usable = np.ones(n_pairs, dtype=bool)
    outgoing = np.zeros(n_pairs, dtype=bool)
    counterparts = _Lists()
    participants = _Lists()
    found_owner = ""
    if groups.has_urls:
        # addresses are normalised (and checked) once per distinct value
        senders = profile_keys(coded[0][1].to_pylist())
        recipients = _recipient_keys(coded[1][1].to_pylist())
        if not owner_key:
            owner_key = found_owner = _find_owner(conv_codes, pair_of, senders, recipients, pair_codes[0],
                                                  pair_codes[1], _senders_named(groups, senders, owner_name_key))
        # the people each distinct sender and recipient list names, the owner left out
        sender_ids = [(person(k),) if k and k != owner_key else () for k in senders]
        recipient_ids = [tuple(person(k) for k in keys if k and k != owner_key) for keys in recipients]
        for i, (s_code, r_code) in enumerate(zip(*pair_codes, strict=True)):
            sender = senders[s_code]
            if not sender and not recipients[r_code]:
                usable[i] = False
                counterparts.add(())
                participants.add(())
                continue
            them = sender_ids[s_code]
            members = recipient_ids[r_code] + them
            if len(members) > 1:
                members = tuple(sorted(set(members)))
            outgoing[i] = mine = bool(owner_key) and sender == owner_key
            counterparts.add(members if mine else them)
            participants.add(members)
        del senders, recipients, sender_ids, recipient_ids
    else:
        directions, froms, tos = (values.to_pylist() for _codes, values in coded)
        for i, (d_code, f_code, t_code) in enumerate(zip(*pair_codes, strict=True)):
            outgoing[i] = mine = directions[d_code].strip().upper() in {"OUTGOING", "SENT"}
            name_key = normalise_name(tos[t_code] if mine else froms[f_code])
            them = () if not name_key or name_key == owner_name_key else (person((name_key, "")),)
            counterparts.add(them)
            participants.add(them)

    count, first, last = groups.count, groups.first, groups.last
    conv_of = conv_codes
    if not usable.all():
        rows = np.flatnonzero(usable[pair_of])
        pair_of, conv_of = pair_of[rows], conv_codes[rows]
        count, first, last = count[rows], first[rows], last[rows]

    n_people = len(people)
    # messages, each way, and the first and last, per counterpart
    at, who = counterparts.spread(pair_of)
    sent = np.bincount(who, weights=count[at] * outgoing[pair_of[at]], minlength=n_people).astype(np.int64)
    received = np.bincount(who, weights=count[at] * ~outgoing[pair_of[at]], minlength=n_people).astype(np.int64)
    firsts = np.full(n_people, _NEVER.max, dtype=np.int64)
    np.minimum.at(firsts, who, first[at])
    lasts = np.full(n_people, _NEVER.min, dtype=np.int64)
    np.maximum.at(lasts, who, last[at])
    dated = np.zeros(n_people, dtype=bool)
    dated[who] = True

    # conversations: a conversation without an id is the set of people in it
    thread_of = conv_of.copy()
    if len(empty_conv):
        sets: dict[tuple[int, ...], int] = {}
        set_of_pair = np.array([sets.setdefault(p, len(sets)) for p in participants.tuples()], dtype=np.int64)
        no_id = np.isin(conv_of, empty_conv)
        thread_of[no_id] = n_convs + set_of_pair[pair_of[no_id]]
    at, who = participants.spread(pair_of)
    membership = np.unique(thread_of[at] * max(n_people, 1) + who)  # sorted by thread
    threads, members = np.divmod(membership, max(n_people, 1))
    size = np.bincount(threads) if len(threads) else np.zeros(0, dtype=np.int64)
    conversations = np.bincount(members, minlength=n_people)
    grouped = size[threads] > 1
    group_conversations = np.bincount(members[grouped], minlength=n_people)
    co_threads: dict[tuple[str, str], int] = defaultdict(int)
    shared = grouped & (size[threads] <= MAX_GROUP_THREAD)
    if shared.any():
        thread_ids, member_ids = threads[shared], members[shared]
        bounds = np.flatnonzero(np.diff(thread_ids)) + 1
        for ids in np.split(member_ids, bounds):
            urls = sorted(k for k in (people[i] for i in ids.tolist()) if isinstance(k, str))
            for i, a in enumerate(urls):
                for b in urls[i + 1:]:
                    co_threads[a, b] += 1

    by_url: dict[str, Interaction] = {}
    by_name: dict[tuple[str, str], Interaction] = {}
    known = np.flatnonzero(dated | (conversations > 0))
    # numpy makes the datetimes (as UTC seconds) without a Python call each
    first_dates = np.where(dated, firsts, 0)[known].astype("datetime64[s]").tolist()
    last_dates = np.where(dated, lasts, 0)[known].astype("datetime64[s]").tolist()
    for i, s, r, c, g_, is_dated, a, b in zip(known.tolist(), sent[known].tolist(), received[known].tolist(),
                                             conversations[known].tolist(), group_conversations[known].tolist(),
                                             dated[known].tolist(), first_dates, last_dates, strict=True):
        k = people[i]
        facts = Interaction(messages_sent=s, messages_received=r, conversations=c, group_conversations=g_,
                            first_message=a if is_dated else None, last_message=b if is_dated else None)
        if isinstance(k, str):
            by_url[k] = facts
        else:
            by_name[k] = facts
    return MessageFacts(by_url, by_name, dict(co_threads), found_owner, groups.skipped,
                        ConversationMembers(threads, members, people))


def _recipient_keys(texts: list[str]) -> list[tuple[str, ...]]:
    """The profile keys of each RECIPIENT PROFILE URLS cell, split on commas (addresses
    never hold one; names can: "Roe, PhD").

    >>> _recipient_keys(["https://www.linkedin.com/in/a", "", "linkedin.com/in/B, https://www.linkedin.com/in/c/"])
    [('linkedin.com/in/a',), (), ('linkedin.com/in/b', 'linkedin.com/in/c')]
    """
    parts: list[list[str]] = [[u for u in text.split(",") if u.strip()] if "," in text
                              else [text] if text.strip() else [] for text in texts]
    keys = iter(profile_keys([u for cell in parts for u in cell]))
    return [tuple(next(keys) for _ in cell) for cell in parts]


def _senders_named(groups: MessageGroups, senders: list[str], owner_name_key: str) -> set[str]:
    """The sender addresses whose messages are signed with the owner's name (when the file's
    FROM names were counted: :func:`count_messages`' ``with_names``)."""
    if not owner_name_key or "from" not in groups.keys or "sender" not in groups.keys:
        return set()
    sender_codes, _ = groups.keys["sender"]
    from_codes, from_values = groups.keys["from"]
    names = from_values.to_pylist()
    pairs = np.unique(np.stack([sender_codes, from_codes]), axis=1) if len(sender_codes) else np.zeros((2, 0), int)
    return {senders[s] for s, f in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)
            if senders[s] and normalise_name(names[f]) == owner_name_key}


def _find_owner(conv_codes: np.ndarray, pair_of: np.ndarray, senders: list[str], recipients: list[tuple[str, ...]],
                sender_codes: list[int], recipient_codes: list[int], named: Set[str] = frozenset()) -> str:
    """The owner's address when Invitations.csv did not give it: the one in the most
    conversations, among the addresses that sent messages in the owner's name when there are
    such (a correspondent in every conversation is not the owner when Profile.csv says who is)."""
    addresses: dict[str, int] = {}
    lists = _Lists()
    for s_code, r_code in zip(sender_codes, recipient_codes, strict=True):
        lists.add([addresses.setdefault(k, len(addresses)) for k in (senders[s_code], *recipients[r_code]) if k])
    if not addresses:
        return ""
    at, who = lists.spread(pair_of)
    seen = np.unique(conv_codes[at] * len(addresses) + who)
    convs_per_address = np.bincount(seen % len(addresses), minlength=len(addresses))
    candidates = [k for k in addresses if k in named] or list(addresses)
    return max(candidates, key=lambda k: (int(convs_per_address[addresses[k]]), k))


def read_messages(
    opener: Callable[[], BinaryIO],
    name: str,
    *,
    owner_key: str = "",
    owner_name_key: str = "",
    limits: Limits = LIMITS,
) -> MessageFacts:
    """:func:`count_messages` then :func:`message_facts`: messages.csv read whole.

    >>> import io
    >>> data = (b"CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,CONTENT,FOLDER\\n"
    ...         b"2-a==,Jane,https://www.linkedin.com/in/jane,Me,https://www.linkedin.com/in/me,"
    ...         b"2024-10-26 11:43:11 UTC,hi,INBOX\\n"
    ...         b"2-a==,Me,https://www.linkedin.com/in/me,Jane,https://www.linkedin.com/in/jane,"
    ...         b"2024-10-25 10:00:00 UTC,hello,INBOX\\n")
    >>> facts = read_messages(lambda: io.BytesIO(data), "messages.csv", owner_key="linkedin.com/in/me")
    >>> jane = facts.by_url["linkedin.com/in/jane"]
    >>> jane.messages_sent, jane.messages_received, jane.conversations, jane.last_message.day
    (1, 1, 1, 26)
    """
    groups = count_messages(opener, name, limits=limits)
    return message_facts(groups, owner_key, owner_name_key)
