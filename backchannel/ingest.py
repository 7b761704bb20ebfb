"""From readers' rows to workspace writes: who is who, and whose facts are whose. Pure.

The workspace hands in what it holds (:class:`KnownPeople`), these functions decide, and the
workspace writes the result in one transaction. Nothing here touches SQLite or the clock.

**Person keys.** A person is keyed by their normalised profile address (``url:…``); a row
without one (an export from before 2022) by its email (``email:…``), else by the member id a
2018 export writes where the email goes (``urn:li:member:…``), else by name, company and
connection day (``name:…``). Hidden-profile rows never get a name key (the readers skip
them).

**Facts go to the owner's connections**, all of them: those this import's Connections.csv
lists and those an earlier import gave (:func:`connection_lookup`), so a file imported without
Connections.csv, or a newer messages.csv beside an older Connections.csv, loses nobody's facts.

**Old and new exports merge.** A person first known without a profile address is the same
person as a later row with the same email or, when exactly one fits, the same normalised
name and company (a matching connection day settles a tie). The person keeps their id, so
their messages, endorsements and interview links move with them. Nothing is merged on an
ambiguous fit; both directions (old export first or last) give the same people.

**Matching interview people** (:func:`resolve_interview_people`) is a function of the whole
workspace, redone whenever an export or interviews change, so the order of imports never
changes the answer (see :class:`~backchannel.identity.PeopleIndex` for the rules).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .domain import Connection, Interaction, Interview
from .identity import Match, PeopleIndex, normalise_company, normalise_name

__all__ = [
    "KnownPeople",
    "PeoplePlan",
    "plan_people",
    "attribute_facts",
    "person_for_name",
    "connection_lookup",
    "co_thread_rows",
    "Resolution",
    "resolve_interview_people",
    "describe_match",
    "COMPANY_UNKNOWN",
]


@dataclass
class KnownPeople:
    """What the workspace already holds, as the import needs it."""

    by_key: dict[str, tuple[int, tuple[str, str, str, str, str]]]  # key -> (id, (name, url, email, company, position))
    url_less: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    # ^ this owner's connections without a profile address: (id, key, name_key, company_key, email, day)
    owner_named: dict[tuple[str, str], list[tuple[int, str, str]]] = field(default_factory=dict)
    # ^ this owner's connections by (name key, company key) -> [(id, key, day)]
    email_to_key: dict[str, str] = field(default_factory=dict)
    next_id: int = 1


@dataclass
class PeoplePlan:
    inserts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    rekeys: list[tuple[str, int]] = field(default_factory=list)  # (new key, person id)
    links: list[tuple[int, str | None]] = field(default_factory=list)  # (person id, connected on)
    url_to_id: dict[str, int] = field(default_factory=dict)  # the people of this export, by profile key
    name_to_ids: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # and by name: [(id, company key)]
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # people whose values differ in this export but were not updated (an older file)
    merged: int = 0  # rows found to be a person known under another key (old and new exports)
    kept_apart: int = 0  # rows that could have been such a person, but not surely
    duplicates: list[int] = field(default_factory=list)  # lines of rows for a person already in this export


def plan_people(connections: Iterable[Connection], known: KnownPeople, *, is_self: bool,
                aliases: Mapping[str, str] | None, stamp: str, update: bool | None = None) -> PeoplePlan:
    """Decide, for each connection row, which person it is (new, the same, or merged).

    ``update`` (by default ``is_self``) says whether a row's name, address, email, company
    and position replace what is known of a person: never from another owner's export, nor
    from a Connections.csv older than the one they came from (those count as ``kept``)."""
    planner = _PeoplePlanner(list(connections), known, is_self=is_self, aliases=aliases, stamp=stamp,
                             update=is_self if update is None else update)
    for c in planner.connections:
        planner.place(c)
    return planner.plan


class _PeoplePlanner:
    """:func:`plan_people`, row by row: the key of each row's person, then what to write."""

    def __init__(self, connections: list[Connection], known: KnownPeople, *, is_self: bool,
                 aliases: Mapping[str, str] | None, stamp: str, update: bool):
        self.connections, self.known, self.is_self, self.aliases = connections, known, is_self, aliases
        self.stamp, self.update = stamp, update
        self.plan = PeoplePlan()
        self.by_key = known.by_key
        self.next_id = known.next_id
        # this owner's people without an address, by email and by name and company, for merging
        self.url_less_by_email: dict[str, list[tuple[int, str]]] = {}
        self.url_less_by_name: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
        for pid, key, name_key, company_key, email, day in known.url_less:
            if email:
                self.url_less_by_email.setdefault(email, []).append((pid, key))
            self.url_less_by_name.setdefault((name_key, company_key), []).append((pid, key, day))
        self.fitting = self._fitting() if self.url_less_by_name else Counter()
        self.claimed: set[int] = set()
        self.seen: set[str] = set()
        self.stamps: dict[Any, tuple[str | None, str]] = {None: (None, "")}  # connection dates repeat across rows
        self.company_keys: dict[str, str] = {}  # a few hundred companies across thousands of rows

    def _fitting(self) -> Counter[tuple[str, ...]]:
        """How many rows of this export a URL-less person could be, by name and company and by
        name, company and day: when several fit one name and company, only the connection day
        can say which (a Lee Park who is two people stays two people)."""
        fitting: Counter[tuple[str, ...]] = Counter()
        for c in self.connections:
            if c.url_key and "url:" + c.url_key not in self.by_key:
                name_company = (normalise_name(c.name), normalise_company(c.company, self.aliases))
                if name_company in self.url_less_by_name:
                    day_text = c.connected_on.isoformat()[:10] if c.connected_on is not None else ""
                    fitting[name_company] += 1
                    fitting[(*name_company, day_text)] += 1
        return fitting

    def _unique(self, found: Sequence[tuple[Any, ...]], day: str) -> tuple[tuple[Any, ...] | None, bool]:
        """(the one unclaimed candidate or None, whether several fit even after the day)."""
        found = [f for f in found if f[0] not in self.claimed]
        if len(found) > 1:
            same_day = [f for f in found if day and f[-1] == day]
            return (same_day[0], False) if len(same_day) == 1 else (None, True)
        return (found[0] if found else None), False

    def place(self, c: Connection) -> None:
        """Decide one row: its person's key, then an insert, an update or nothing, and the link."""
        first, last = c.first_name, c.last_name
        name = f"{first} {last}" if first and last else first or last
        name_key = normalise_name(name)
        company_key = self.company_keys.get(c.company)
        if company_key is None:
            company_key = self.company_keys[c.company] = normalise_company(c.company, self.aliases)
        on = c.connected_on
        stamped = self.stamps.get(on)
        if stamped is None:  # (None is seeded)
            text = on.isoformat()  # type: ignore[union-attr]
            stamped = self.stamps[on] = (text, text[:10])
        on_text, day = stamped
        merged_into_known = False
        if c.url_key:
            key = "url:" + c.url_key
            if key not in self.by_key and (self.url_less_by_email or self.url_less_by_name):
                self._merge_url_less(key, c.email.lower(), name_key, company_key, day)
        else:
            key = self._key_without_address(c, name_key, company_key, day)
            merged_into_known = key.startswith("url:")
        if key in self.seen:
            self.plan.duplicates.append(c.line)
            return
        self.seen.add(key)
        person_id = self._write(c, key, name, name_key, company_key, merged_into_known)
        plan = self.plan
        plan.links.append((person_id, on_text))
        if c.url_key:
            plan.url_to_id[c.url_key] = person_id
        ids = plan.name_to_ids.get(name_key)
        if ids is None:
            plan.name_to_ids[name_key] = [(person_id, company_key)]
        else:
            ids.append((person_id, company_key))

    def _merge_url_less(self, key: str, email: str, name_key: str, company_key: str, day: str) -> None:
        """A row with an address may be a person first known without one: the same email, or
        the one fitting name and company (the day settles a tie); then they are rekeyed."""
        found, several = self._unique(self.url_less_by_email.get(email, []), "") if email else (None, False)
        if found is None and not several:
            candidates = self.url_less_by_name.get((name_key, company_key), [])
            if candidates and self.fitting[(name_key, company_key)] > 1:
                # the day settles it when it picks out one row of this export; the rows
                # it does not pick are other people, and without it nobody is merged
                settled = any(self.fitting[(name_key, company_key, f[-1])] == 1 for f in candidates if f[-1])
                candidates = [f for f in candidates if settled and day and f[-1] == day]
                several = not settled
            if candidates:
                found, several = self._unique(candidates, day)
        if found is not None:
            pid, old_key = found[0], found[1]
            self.claimed.add(pid)
            self.by_key[key] = self.by_key.pop(old_key)
            self.plan.rekeys.append((key, pid))
            self.plan.merged += 1
        elif several:
            self.plan.kept_apart += 1

    def _key_without_address(self, c: Connection, name_key: str, company_key: str, day: str) -> str:
        """The key of a row without a profile address: a known person with its email or member
        id, or the one known connection of that name and company, else a key of its own."""
        email = c.email.lower()  # (an address: the reader keeps nothing else)
        key = self.known.email_to_key.get(email, "") if email else ""
        if not key and c.member and c.member in self.by_key:
            key = c.member
        if not key:
            found, several = self._unique(self.known.owner_named.get((name_key, company_key), []), day)
            if found is not None:
                key = found[1]
            elif several:
                self.plan.kept_apart += 1
        return key or ("email:" + email if email else c.member or f"name:{name_key}|{company_key}|{day}")

    def _write(self, c: Connection, key: str, name: str, name_key: str, company_key: str,
               merged_into_known: bool) -> int:
        """Insert a new person, update a known one (when allowed), or keep them as they are."""
        plan = self.plan
        values = (name, c.profile_url, c.email, c.company, c.position)
        existing = self.by_key.get(key)
        if existing is None:
            person_id = self.next_id
            self.next_id += 1
            plan.inserts.append((person_id, key, name, name_key, c.profile_url, c.url_key, c.email, c.company,
                                 company_key, c.position, self.stamp))
            self.by_key[key] = (person_id, values)
            plan.added += 1
            return person_id
        person_id, old_values = existing
        if merged_into_known:
            # an old export's row for someone a newer export already gave: keep the newer data
            plan.merged += 1
        elif old_values != values and self.update:
            plan.updates.append((name, name_key, c.profile_url, c.url_key, c.email, c.company, company_key,
                                 c.position, self.stamp, person_id))
            plan.updated += 1
        else:
            plan.unchanged += 1
            if old_values != values and self.is_self:
                plan.kept += 1
        return person_id


def connection_lookup(known: Sequence[tuple[int, str, str, str]], plan: PeoplePlan | None = None
                      ) -> tuple[dict[str, int], dict[str, list[tuple[int, str]]]]:
    """An owner's connections as facts find them: ``(profile key -> id, name key -> [(id,
    company key)])``: the people of this export as ``plan`` has them, and the connections
    already in the workspace that it does not name, from ``known`` rows ``(id, url key, name
    key, company key)``."""
    # (the plan's own dicts, extended: nothing reads them after this)
    url_to_id = plan.url_to_id if plan is not None else {}
    name_to_ids = plan.name_to_ids if plan is not None else {}
    if not known:
        return url_to_id, name_to_ids
    named = {pid for pid, _on in plan.links} if plan is not None else set()
    for pid, url_key, name_key, company_key in known:
        if pid in named:
            continue
        if url_key:
            url_to_id.setdefault(url_key, pid)
        if name_key:
            name_to_ids.setdefault(name_key, []).append((pid, company_key))
    return url_to_id, name_to_ids


def person_for_name(name_to_ids: Mapping[str, list[tuple[int, str]]], name_key: str, company_key: str) -> int | None:
    """The one connection with this name (the company tells namesakes apart), or None."""
    candidates = name_to_ids.get(name_key, [])
    if company_key and len(candidates) > 1:
        candidates = [c for c in candidates if c[1] == company_key] or candidates
    ids = {c[0] for c in candidates}
    return candidates[0][0] if len(ids) == 1 else None


def attribute_facts(by_url: Mapping[str, Interaction], by_name: Mapping[tuple[str, str], Interaction],
                    url_to_id: Mapping[str, int], name_to_ids: Mapping[str, list[tuple[int, str]]]
                    ) -> tuple[dict[int, Interaction], set[str | tuple[str, str]]]:
    """Facts per person id, and the keys of the people the facts name who are not
    connections (their facts are not kept)."""
    merged: dict[int, Interaction] = {}
    copied: set[int] = set()  # people whose facts are a merged copy (the export's own records stay as they are)
    unmatched: set[str | tuple[str, str]] = set()

    def add(pid: int, facts: Interaction) -> None:
        known = merged.get(pid)
        if known is None:
            merged[pid] = facts
        elif pid in copied:
            known.merge(facts)
        else:
            merged[pid] = Interaction().merge(known).merge(facts)
            copied.add(pid)

    id_of = url_to_id.get
    for url_key, facts in by_url.items():
        pid = id_of(url_key)
        if pid is None:
            unmatched.add(url_key)
        elif pid not in merged:  # (the usual case: a person's first facts, kept as they are)
            merged[pid] = facts
        else:
            add(pid, facts)
    for (name_key, company_key), facts in by_name.items():
        pid = person_for_name(name_to_ids, name_key, company_key)
        if pid is None:
            unmatched.add((name_key, company_key))
        else:
            add(pid, facts)
    return merged, unmatched


def co_thread_rows(co_threads: Mapping[tuple[str, str], int], url_to_id: Mapping[str, int]
                   ) -> list[tuple[int, int, int]]:
    """Shared group threads between two connections, as (smaller id, larger id, threads)."""
    out: dict[tuple[int, int], int] = {}
    for (a, b), n in co_threads.items():
        ia, ib = url_to_id.get(a), url_to_id.get(b)
        if ia and ib and ia != ib:
            pair = (min(ia, ib), max(ia, ib))
            out[pair] = out.get(pair, 0) + n
    return [(a, b, n) for (a, b), n in out.items()]


@dataclass
class Resolution:
    """How one interview person (or one of their mutuals) resolved."""

    interview_id: str
    slug: str
    reference: str  # the person's name, or the mutual as written
    match: Match
    mutual: bool = False

    @property
    def person_id(self) -> int | None:
        return self.match.person.id if self.match.person else None


def resolve_interview_people(interviews: Iterable[Interview], index: PeopleIndex) -> list[Resolution]:
    """Match every interview person and every stated mutual against the workspace's people.

    An interview person's company is the interview's unless the row names their own
    (``works_at``); a mutual is matched among the user's own connections only.
    """
    out: list[Resolution] = []
    for iv in interviews:
        for p in iv.people:
            company = p.works_at or iv.company
            match = index.match(name=p.name, profile_url=p.profile_url, email=p.email, company=company)
            out.append(Resolution(iv.id, p.slug, p.name or p.profile_url or p.email, match))
            for ref in p.mutuals:
                is_url = "linkedin.com/" in ref.lower()
                m = index.match(name="" if is_url else ref, profile_url=ref if is_url else "",
                                first_degree_only=True)
                out.append(Resolution(iv.id, p.slug, ref, m, mutual=True))
    return out


#: the detail of a match by a name whose company the export leaves blank
COMPANY_UNKNOWN = "their company is not in your export"


def describe_match(match: Match, *, company: str = "") -> tuple[str, str, list[str]]:
    """(status, via, detail) to store and show: detail lists candidates, namesakes or
    close names as "Name (Company)", a blank company as "company unknown"; a match by a
    name whose company is blank says so (:data:`COMPANY_UNKNOWN`)."""
    status = match.status
    if status == "matched":
        return status, match.via, [COMPANY_UNKNOWN] if match.company_unknown else []
    if status == "ambiguous":
        return status, "", [f"{c.name} ({c.company or 'company unknown'})" for c in match.candidates]
    if status == "possible":
        return status, "", [f"{c.name} ({c.company or 'company unknown'})" for c in match.possible]
    return status, "", list(match.closest)
