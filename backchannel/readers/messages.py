"""messages.csv: who the owner wrote with, how often, and who shares group threads.

Two steps. :func:`count_messages` streams the file in Arrow blocks with only the columns it
needs (conversation, sender and recipient addresses, date, folder, draft flag; the names
and direction for 2018 files: never CONTENT or SUBJECT), drops drafts and the spam folder,
parses dates vectorised (:mod:`backchannel.readers.dates`), and counts the messages per
(conversation, sender, recipients) with their first and last date: Arrow codes the values on
dictionaries, numpy groups the codes (:mod:`backchannel.readers.tally`). A conversation has a
handful of senders and recipient lists, so this leaves a small fraction of the rows
(:class:`~backchannel.readers.message_groups.MessageGroups`). :func:`message_facts`
(:mod:`backchannel.readers.correspondents`) then works out per-person facts, in Python once
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

import re
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO
from urllib.parse import quote

import numpy as np
import pyarrow.compute as pc

from ..domain import SkipLog
from .arrays import POOL, bool_array, bools, hand_back_memory, string_array
from .correspondents import MAX_GROUP_THREAD, ConversationMembers, MessageFacts, message_facts
from .dates import parse_dates
from .message_groups import MessageGroups
from .table import Block, CsvTable, read_csv
from .tally import Tally
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
    "parse_dates",
    "read_messages",
]

MESSAGES_WHAT = "messages.csv (FROM, TO, DATE, ...)"

DRAFT = "message draft"
NO_DATE = "message without a readable date"
SPAM = "message in the spam folder"

#: the most messages kept as they are for the follow-ups (the newest; a month of a heavy user's)
MAX_RECENT = 50_000
# messages coded and counted at once (a few MiB of key columns)
_JOIN_ROWS = 30_000


def is_messages_header(cells: list[str]) -> bool:
    """A messages.csv header names FROM, TO and DATE (any case)."""
    low = {c.lower() for c in cells}
    return "from" in low and "to" in low and "date" in low


# --------------------------------------------------------------------------- counting


def count_messages(opener: Callable[[], BinaryIO], name: str, *, limits: Limits = LIMITS,
                   with_names: bool = False, since: int | None = None, of: Sequence[str] = ()) -> MessageGroups:
    """Count messages.csv per (conversation, sender, recipients) with first and last dates.

    Drafts (``IS MESSAGE DRAFT`` = Yes), messages in the SPAM folder and messages without a
    readable date are skipped and counted. ``with_names`` counts the sender's name (FROM)
    too, for a file with addresses whose owner is known only by name (Profile.csv).
    ``since`` (seconds since 1970, UTC) keeps each message from then on to or from one of the
    profile keys ``of`` as it is, in :attr:`MessageGroups.recent` (conversation, sender and
    recipient addresses, date: a file with profile addresses only), for the interviews'
    follow-ups to read; at most :data:`MAX_RECENT` of them, the newest. (Picked in Arrow by
    the keys' slugs, any case, percent-encoded or not: a row that only looks like one is
    told apart later, by its keys.)
    """

    def count(table: CsvTable) -> MessageGroups:
        has_urls = table.has("sender profile url")
        columns = [k for k in (("conversation id", "sender profile url", "recipient profile urls") if has_urls
                               else ("conversation id", "direction", "from", "to")) if table.has(k)]
        if has_urls and with_names and table.has("from"):
            columns.append("from")
        log = SkipLog()
        tally = Tally(len(columns), _JOIN_ROWS)
        recent: list[tuple[str, str, str, int]] = []
        # (who a message went to is needed: a 2021 file without RECIPIENT PROFILE URLS keeps none)
        pattern = _slugs_pattern(of)
        watch = since is not None and bool(pattern) and table.has("recipient profile urls")
        for block in table.blocks([*columns, "date", "folder", "is message draft"], every_column=False):
            _count_block(block, columns, log, name, tally, recent if watch else None, since or 0, pattern)
        hand_back_memory()  # what reading the file freed, before the tally's last step takes its own
        counted = tally.finish()
        keys = {_SHORT[c]: coded for c, coded in zip(columns, counted.coded, strict=True)}
        recent.sort(key=lambda row: row[3])
        return MessageGroups(keys, counted.count, counted.first, counted.last, has_urls, table.skipped.merge(log),
                             table.warnings, recent[-MAX_RECENT:])

    return read_csv(opener, name, is_messages_header, count, what=MESSAGES_WHAT, limits=limits,
                    row_bytes=limits.max_message_row_bytes)


_SHORT = {"conversation id": "conv", "sender profile url": "sender", "recipient profile urls": "recipients",
          "direction": "direction", "from": "from", "to": "to"}


def _count_block(block: Block, columns: list[str], log: SkipLog, name: str, tally: Tally,
                 recent: list[tuple[str, str, str, int]] | None, since: int, pattern: str = "") -> None:
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
        # (a handful of distinct folders: the rule, any case, applied to those in Python)
        names = [v for v in pc.unique(folder, memory_pool=POOL).to_pylist() if v and v.strip().upper() == "SPAM"]
        spam = bools(pc.is_in(folder, value_set=string_array(names or ["SPAM"]), memory_pool=POOL)) & keep
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
    if recent is not None:
        _keep_recent(dict(zip(columns, kept, strict=True)), seconds, since, recent, pattern)


def _slugs_pattern(keys: Sequence[str]) -> str:
    """A regular expression for a profile address holding one of ``keys``' slugs (as written,
    or percent-encoded), or "" for none."""
    slugs = {k.rsplit("/", 1)[-1] for k in keys if k}
    forms = sorted({form for slug in slugs if slug for form in (slug, quote(slug, safe="-_.~"))})
    return "|".join(f"/{re.escape(form)}(?:[/?#,\\s]|$)" for form in forms)


def _keep_recent(kept: dict[str, Any], seconds: np.ndarray, since: int, recent: list[tuple[str, str, str, int]],
                 pattern: str) -> None:
    """The block's messages from ``since`` on with the people ``pattern`` finds, as Python
    values (a few, next to the file)."""
    new = seconds >= since
    if not new.any():
        return
    found = np.zeros(len(new), dtype=bool)
    for column in ("sender profile url", "recipient profile urls"):
        if kept.get(column) is not None:
            found |= bools(pc.match_substring_regex(kept[column], pattern, ignore_case=True, memory_pool=POOL))
    new &= found
    if not new.any():
        return
    mask = bool_array(new)
    conv, sender, recipients = ([""] * int(new.sum()) if kept.get(c) is None else
                                pc.filter(kept[c], mask, memory_pool=POOL).to_pylist()
                                for c in ("conversation id", "sender profile url", "recipient profile urls"))
    for row in zip(conv, sender, recipients, seconds[new].tolist(), strict=True):
        recent.append((row[0] or "", row[1] or "", row[2] or "", int(row[3])))
    if len(recent) > 2 * MAX_RECENT:
        recent.sort(key=lambda row: row[3])
        del recent[:-MAX_RECENT]


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
