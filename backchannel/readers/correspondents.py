"""Who the owner wrote with, from counted messages: per-person facts and shared group threads.

:func:`message_facts` works on :class:`~backchannel.readers.message_groups.MessageGroups`
(messages counted per conversation, sender and recipients). It needs the owner's address to
tell sent from received: from Invitations.csv or, when there is none, from the messages
themselves (the address in the most conversations). The work is done in Python once per
distinct way a message is addressed (a pair of sender and recipients, or of direction and
names: a few per person), then spread over the groups with numpy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from itertools import chain
from typing import TypeAlias

import numpy as np
import pyarrow as pa

from ..domain import Interaction, SkipLog
from ..identity import normalise_name, profile_keys
from .arrays import distinct_sorted, string_array, value_sizes
from .message_groups import MessageGroups
from .tally import combine_codes

__all__ = ["MessageFacts", "ConversationMembers", "message_facts", "MAX_GROUP_THREAD", "address_keys"]

#: the largest group thread whose members count as sharing a thread with each other
MAX_GROUP_THREAD = 50

_NEVER = np.iinfo(np.int64)
Person: TypeAlias = "str | tuple[str, str]"  # a profile key, or a (name key, "") pair


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
        return len(distinct_sorted(self.threads))

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
        people = distinct_sorted(self.members[unknown_threads[self.threads]])
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
    none = (np.zeros(len(groups), dtype=np.int64), string_array([""]))
    conv_codes, conv_values = groups.keys.get("conv", none)
    coded = [groups.keys.get(c, none) for c in (("sender", "recipients") if groups.has_urls
                                                   else ("direction", "from", "to"))]
    pair_of, pair_codes = _ways_of_addressing([codes for codes, _values in coded])
    people = _People()
    found_owner = ""
    if groups.has_urls:
        senders, recipients = address_keys(coded[0][1].to_pylist(), coded[1][1].to_pylist())
        if not owner_key:
            owner_key = found_owner = _find_owner(conv_codes, pair_of, senders, recipients, pair_codes[0],
                                                  pair_codes[1], _senders_named(groups, senders, owner_name_key))
        ways = _ways_by_address(pair_codes, senders, recipients, owner_key, people)
    else:
        ways = _ways_by_name(pair_codes, [values.to_pylist() for _codes, values in coded], owner_name_key, people)
    counted = _Usable(groups, conv_codes, pair_of, ways.usable)
    exchanges = _exchanges(counted, ways, len(people.keys))
    threads, members = _memberships(counted, ways, conv_values, len(people.keys))
    by_url, by_name = _interactions(people.keys, exchanges, threads, members)
    return MessageFacts(by_url, by_name, _co_threads(threads, members, people.keys), found_owner, groups.skipped,
                        ConversationMembers(threads, members, people.keys))


# --------------------------------------------------------------------------- ways of addressing


class _People:
    """The people the messages name, the owner left out, numbered in the order met."""

    def __init__(self) -> None:
        self.keys: list[Person] = []
        self._numbers: dict[Person, int] = {}

    def number(self, key: Person) -> int:
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self.keys)
            self.keys.append(key)
        return found


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


@dataclass
class _Ways:
    """Per distinct way of addressing: whether its messages count, whether the owner sent
    them, who they count for (``counterparts``) and who is in the conversation (``participants``)."""

    usable: np.ndarray
    outgoing: np.ndarray
    counterparts: _Lists = field(default_factory=_Lists)
    participants: _Lists = field(default_factory=_Lists)

    @classmethod
    def empty(cls, n: int) -> _Ways:
        return cls(np.ones(n, dtype=bool), np.zeros(n, dtype=bool))


def _ways_of_addressing(codes: list[np.ndarray]) -> tuple[np.ndarray, list[list[int]]]:
    """Which distinct way of addressing each group is, and each way's codes in each column."""
    _, first_row, pair_of = np.unique(combine_codes(codes), return_index=True, return_inverse=True)
    return pair_of.reshape(-1), [column[first_row].tolist() for column in codes]


def _ways_by_address(pair_codes: list[list[int]], senders: list[str], recipients: list[tuple[str, ...]],
                     owner_key: str, people: _People) -> _Ways:
    """The ways of addressing of a file with profile addresses: a message the owner sent
    counts for everyone in it, one the owner received for its sender."""
    # the people each distinct sender and recipient list names, the owner left out
    sender_ids = [(people.number(k),) if k and k != owner_key else () for k in senders]
    recipient_ids = [tuple(people.number(k) for k in keys if k and k != owner_key) for keys in recipients]
    ways = _Ways.empty(len(pair_codes[0]))
    add_counterparts, add_participants = ways.counterparts.add, ways.participants.add
    for i, (s_code, r_code) in enumerate(zip(*pair_codes, strict=True)):
        sender = senders[s_code]
        if not sender and not recipients[r_code]:
            ways.usable[i] = False
            add_counterparts(())
            add_participants(())
            continue
        them = sender_ids[s_code]
        members = recipient_ids[r_code] + them
        if len(members) > 1:
            members = tuple(sorted(set(members)))
        ways.outgoing[i] = mine = bool(owner_key) and sender == owner_key
        add_counterparts(members if mine else them)
        add_participants(members)
    return ways


def _ways_by_name(pair_codes: list[list[int]], values: list[list[str]], owner_name_key: str,
                  people: _People) -> _Ways:
    """The ways of addressing of a 2018 file (names and a direction): a message counts for
    the one person on the other side."""
    directions, froms, tos = values
    ways = _Ways.empty(len(pair_codes[0]))
    for i, (d_code, f_code, t_code) in enumerate(zip(*pair_codes, strict=True)):
        ways.outgoing[i] = mine = directions[d_code].strip().upper() in {"OUTGOING", "SENT"}
        name_key = normalise_name(tos[t_code] if mine else froms[f_code])
        them = () if not name_key or name_key == owner_name_key else (people.number((name_key, "")),)
        ways.counterparts.add(them)
        ways.participants.add(them)
    return ways


def address_keys(senders: list[str], recipients: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    """The profile key of each distinct sender, and of each address in each distinct
    RECIPIENT PROFILE URLS cell, split on commas (addresses never hold one; names can: "Roe,
    PhD"); each address is normalised and checked once, however often it is met.

    >>> address_keys(["https://www.linkedin.com/in/a"],
    ...               ["https://www.linkedin.com/in/a", "", "linkedin.com/in/B, https://www.linkedin.com/in/c/"])
    (['linkedin.com/in/a'], [('linkedin.com/in/a',), (), ('linkedin.com/in/b', 'linkedin.com/in/c')])
    """
    parts: list[list[str]] = [[u for u in text.split(",") if u.strip()] if "," in text
                              else [text] if text.strip() else [] for text in recipients]
    distinct = list(dict.fromkeys(chain(senders, chain.from_iterable(parts))))
    key_of = dict(zip(distinct, profile_keys(distinct), strict=True))
    return [key_of[s] for s in senders], [tuple(key_of[u] for u in cell) for cell in parts]


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
    seen = distinct_sorted(conv_codes[at] * len(addresses) + who)
    convs_per_address = np.bincount(seen % len(addresses), minlength=len(addresses))
    candidates = [k for k in addresses if k in named] or list(addresses)
    return max(candidates, key=lambda k: (int(convs_per_address[addresses[k]]), k))


# --------------------------------------------------------------------------- per person


class _Usable:
    """The groups whose messages count (a way of addressing with nobody in it does not)."""

    def __init__(self, groups: MessageGroups, conv_codes: np.ndarray, pair_of: np.ndarray, usable: np.ndarray):
        self.pair_of, self.conv_of = pair_of, conv_codes
        self.count, self.first, self.last = groups.count, groups.first, groups.last
        if not usable.all():
            rows = np.flatnonzero(usable[pair_of])
            self.pair_of, self.conv_of = pair_of[rows], conv_codes[rows]
            self.count, self.first, self.last = self.count[rows], self.first[rows], self.last[rows]


@dataclass
class _Exchanges:
    """Per person: messages the owner sent them and received from them, and the first and
    last (``dated`` says whether there is one)."""

    sent: np.ndarray
    received: np.ndarray
    firsts: np.ndarray
    lasts: np.ndarray
    dated: np.ndarray


def _exchanges(counted: _Usable, ways: _Ways, n_people: int) -> _Exchanges:
    """Messages, each way, and the first and last, per counterpart."""
    at, who = ways.counterparts.spread(counted.pair_of)
    count, outgoing = counted.count[at], ways.outgoing[counted.pair_of[at]]
    sent = np.bincount(who, weights=count * outgoing, minlength=n_people).astype(np.int64)
    received = np.bincount(who, weights=count * ~outgoing, minlength=n_people).astype(np.int64)
    firsts = np.full(n_people, _NEVER.max, dtype=np.int64)
    np.minimum.at(firsts, who, counted.first[at])
    lasts = np.full(n_people, _NEVER.min, dtype=np.int64)
    np.maximum.at(lasts, who, counted.last[at])
    dated = np.zeros(n_people, dtype=bool)
    dated[who] = True
    return _Exchanges(sent, received, firsts, lasts, dated)


def _memberships(counted: _Usable, ways: _Ways, conv_values: pa.Array, n_people: int) -> tuple[np.ndarray, np.ndarray]:
    """Who was in each conversation, as (thread, person) pairs sorted by thread: a
    conversation without an id is the set of people in it."""
    thread_of = counted.conv_of.copy()
    empty_conv = np.flatnonzero(value_sizes(conv_values) == 0)
    if len(empty_conv):
        sets: dict[tuple[int, ...], int] = {}
        set_of_pair = np.array([sets.setdefault(p, len(sets)) for p in ways.participants.tuples()], dtype=np.int64)
        no_id = np.isin(counted.conv_of, empty_conv)
        thread_of[no_id] = len(conv_values) + set_of_pair[counted.pair_of[no_id]]
    at, who = ways.participants.spread(counted.pair_of)
    membership = distinct_sorted(thread_of[at] * max(n_people, 1) + who)  # sorted by thread
    threads, members = np.divmod(membership, max(n_people, 1))
    return threads, members


def _co_threads(threads: np.ndarray, members: np.ndarray, people: list[Person]) -> dict[tuple[str, str], int]:
    """Pairs of profile keys of two people in the same group conversation (of up to
    :data:`MAX_GROUP_THREAD`), with how many they share."""
    size = np.bincount(threads) if len(threads) else np.zeros(0, dtype=np.int64)
    co_threads: dict[tuple[str, str], int] = defaultdict(int)
    shared = (size[threads] > 1) & (size[threads] <= MAX_GROUP_THREAD)
    if shared.any():
        thread_ids, member_ids = threads[shared], members[shared]
        bounds = np.flatnonzero(np.diff(thread_ids)) + 1
        for ids in np.split(member_ids, bounds):
            urls = sorted(k for k in (people[i] for i in ids.tolist()) if isinstance(k, str))
            for i, a in enumerate(urls):
                for b in urls[i + 1:]:
                    co_threads[a, b] += 1
    return dict(co_threads)


def _interactions(people: list[Person], exchanges: _Exchanges, threads: np.ndarray, members: np.ndarray
                  ) -> tuple[dict[str, Interaction], dict[tuple[str, str], Interaction]]:
    """An :class:`~backchannel.domain.Interaction` for everyone with messages or a conversation."""
    n_people = len(people)
    size = np.bincount(threads) if len(threads) else np.zeros(0, dtype=np.int64)
    conversations = np.bincount(members, minlength=n_people)
    group_conversations = np.bincount(members[size[threads] > 1], minlength=n_people)
    dated = exchanges.dated
    known = np.flatnonzero(dated | (conversations > 0))
    # numpy makes the datetimes (as UTC seconds) without a Python call each
    first_dates = np.where(dated, exchanges.firsts, 0)[known].astype("datetime64[s]").tolist()
    last_dates = np.where(dated, exchanges.lasts, 0)[known].astype("datetime64[s]").tolist()
    by_url: dict[str, Interaction] = {}
    by_name: dict[tuple[str, str], Interaction] = {}
    for i, s, r, c, g, is_dated, a, b in zip(known.tolist(), exchanges.sent[known].tolist(),
                                            exchanges.received[known].tolist(), conversations[known].tolist(),
                                            group_conversations[known].tolist(), dated[known].tolist(), first_dates,
                                            last_dates, strict=True):
        k = people[i]
        facts = Interaction(messages_sent=s, messages_received=r, conversations=c, group_conversations=g,
                            first_message=a if is_dated else None, last_message=b if is_dated else None)
        if isinstance(k, str):
            by_url[k] = facts
        else:
            by_name[k] = facts
    return by_url, by_name
