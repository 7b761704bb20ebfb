"""The vocabulary of backchannel: roles, touch kinds, statuses, outcomes, and the typed
records that readers hand to the rest of the package.

Every layer imports its words from here, so that "hiring-manager" or "check-in" is spelled
once. Nothing here reads files, the clock or the workspace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "ROLES",
    "DECISION_ROLES",
    "ROLE_ALIASES",
    "OUTCOMES",
    "TOUCH_KINDS",
    "BUSINESS_KINDS",
    "STATUSES",
    "OPEN_STATUSES",
    "LANGUAGES",
    "Interaction",
    "Connection",
    "Position",
    "SkipLog",
    "InterviewPerson",
    "Interview",
    "TouchEvent",
    "EVENTS",
    "RING_KINDS",
    "MATCH_STATUSES",
    "KIND_LABELS",
    "handle_for",
    "Candidate",
    "Touch",
    "GraphRows",
]

#: roles a person can have in an interview
ROLES = ("interviewer", "hiring-manager", "recruiter", "referrer")
#: the people deciding: they get the thank-you email and the ring of check-ins
DECISION_ROLES = ("interviewer", "hiring-manager", "recruiter")
ROLE_ALIASES = {
    "hiring manager": "hiring-manager", "hiring_manager": "hiring-manager", "hm": "hiring-manager",
    "manager": "hiring-manager", "referral": "referrer", "referer": "referrer", "referred by": "referrer",
    "recruiting": "recruiter", "talent": "recruiter", "interviewers": "interviewer",
}

#: how an interview can end
OUTCOMES = ("offer", "rejected", "withdrawn")

#: every kind of touch, in the order a plan lists touches that fall at the same time
TOUCH_KINDS = (
    "referrer-thanks",
    "thank-you-email",
    "handwritten-note",
    "back-channel",
    "check-in",
    "casual-touch",
    "outcome-news",
    "keep-in-touch",
)
#: touches that carry business: they name the next contact, and logging them keeps the ring
BUSINESS_KINDS = ("thank-you-email", "handwritten-note", "check-in", "keep-in-touch")
#: touches whose message names the person's next contact date (the ring). The handwritten note
#: is not one: a card arrives days after it is written, when a date it named may have passed
RING_KINDS = ("thank-you-email", "check-in")
#: what can be logged on a touch
EVENTS = ("done", "replied", "skipped")
#: how an interview person was matched to a connection
MATCH_STATUSES = ("matched", "ambiguous", "possible", "unmatched", "waiting")

STATUSES = ("pending", "due", "overdue", "optional", "done", "skipped", "cancelled")
#: statuses of a touch still to do; ``optional``: shown in the plan, never due (a check-in to
#: someone at the company who does not own the decision)
OPEN_STATUSES = ("pending", "due", "overdue", "optional")

#: languages the drafts are written in
LANGUAGES = ("en", "ru")

KIND_LABELS = {
    "thank-you-email": "Thank-you email",
    "handwritten-note": "Handwritten note",
    "referrer-thanks": "Thank the referrer",
    "back-channel": "Back channel",
    "casual-touch": "Casual touch",
    "check-in": "Check-in",
    "outcome-news": "Share the news",
    "keep-in-touch": "Keep in touch",
}
_HANDLE_KINDS = {"thank-you-email": "email", "handwritten-note": "note", "referrer-thanks": "thanks",
                 "back-channel": "back-channel", "casual-touch": "casual", "check-in": "check-in",
                 "outcome-news": "news", "keep-in-touch": "keep-in-touch"}


def handle_for(kind: str, slug: str, number: int = 0) -> str:
    """The short handle of a touch within its interview: ``jane-roe/email``, ``jane-roe/check-in-2``.

    >>> handle_for("check-in", "jane-roe", 2), handle_for("thank-you-email", "jane-roe")
    ('jane-roe/check-in-2', 'jane-roe/email')
    """
    short = _HANDLE_KINDS[kind]
    return f"{slug}/{short}-{number}" if number else f"{slug}/{short}"


@dataclass(slots=True)
class Interaction:
    """What an export says about the owner's history with one person.

    Dates are naive UTC. One record type, one merge: the same person can have facts from
    several files (messages by address, recommendations by name) or several parts of one.
    """

    messages_sent: int = 0
    messages_received: int = 0
    conversations: int = 0
    group_conversations: int = 0
    first_message: datetime | None = None
    last_message: datetime | None = None
    invited_by: str = ""  # "owner" or "them"
    invitation_note: bool = False
    recommendations_received: int = 0
    recommendations_given: int = 0
    endorsements_received: int = 0
    endorsements_given: int = 0

    def merge(self, other: Interaction) -> Interaction:
        """Add another record about the same person into this one (counts add up, the first
        message is the earliest, the last the latest); returns self.

        >>> a = Interaction(messages_sent=2, last_message=datetime(2026, 1, 5))
        >>> b = Interaction(messages_received=3, last_message=datetime(2026, 3, 1), invited_by="them")
        >>> m = a.merge(b)
        >>> (m.messages_sent, m.messages_received, m.last_message.month, m.invited_by)
        (2, 3, 3, 'them')
        """
        self.messages_sent += other.messages_sent
        self.messages_received += other.messages_received
        self.conversations += other.conversations
        self.group_conversations += other.group_conversations
        if other.first_message is not None and (self.first_message is None or other.first_message < self.first_message):
            self.first_message = other.first_message
        if other.last_message is not None and (self.last_message is None or other.last_message > self.last_message):
            self.last_message = other.last_message
        self.invited_by = self.invited_by or other.invited_by
        self.invitation_note = self.invitation_note or other.invitation_note
        self.recommendations_received += other.recommendations_received
        self.recommendations_given += other.recommendations_given
        self.endorsements_received += other.endorsements_received
        self.endorsements_given += other.endorsements_given
        return self

    @property
    def messages(self) -> int:
        return self.messages_sent + self.messages_received


@dataclass(slots=True)
class Connection:
    """One row of Connections.csv, cleaned."""

    line: int
    first_name: str
    last_name: str
    profile_url: str  # clickable https form, "" when the export has none
    url_key: str  # normalised profile address (identity.normalise_profile_url)
    email: str
    company: str
    position: str
    connected_on: datetime | None
    member: str = ""  # LinkedIn's member id (``urn:li:member:…``) where the 2018 export put it as the email

    @property
    def name(self) -> str:
        first, last = self.first_name, self.last_name
        return f"{first} {last}" if first and last else first or last


@dataclass(slots=True)
class Position:
    """One row of the owner's Positions.csv."""

    company: str
    title: str = ""
    started_on: datetime | None = None
    finished_on: datetime | None = None

    @property
    def current(self) -> bool:
        return self.finished_on is None


@dataclass
class SkipLog:
    """Rows a reader left out, by reason, with where they are ("file, line N"): every place
    up to :attr:`PLACES` per reason, then only the count."""

    #: places kept per reason (the import names them all up to this many, then "and N more")
    PLACES = 50

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, where: str, n: int = 1) -> None:
        """Count ``n`` rows skipped for ``reason``; ``where`` (when not empty) is the first's place."""
        self.counts[reason] = self.counts.get(reason, 0) + n
        kept = self.examples.setdefault(reason, [])
        if where and len(kept) < self.PLACES:
            kept.append(where)

    def merge(self, other: SkipLog) -> SkipLog:
        for reason, n in other.counts.items():
            self.counts[reason] = self.counts.get(reason, 0) + n
            kept = self.examples.setdefault(reason, [])
            kept.extend(other.examples.get(reason, [])[: max(0, self.PLACES - len(kept))])
        return self


@dataclass
class InterviewPerson:
    """One person of an interview, as the user described them, with how they were matched."""

    slug: str  # stable within the interview; part of touch ids
    role: str
    name: str
    profile_url: str = ""
    email: str = ""
    title: str = ""
    works_at: str = ""  # their own company, when it is not the hiring company
    interests: list[str] = field(default_factory=list)
    mutuals: list[str] = field(default_factory=list)
    notes: str = ""  # private: never in any message
    topic: str = ""  # what you discussed with them, as a phrase; drafts mention it
    language: str = ""  # the language of their drafts
    extra: dict[str, str] = field(default_factory=dict)
    line: int | None = None
    person_id: int | None = None
    match_status: str = ""
    match_via: str = ""
    match_detail: list[str] = field(default_factory=list)
    #: details set in the terminal (``interview person``), with when: a re-imported file keeps them
    edited: dict[str, str] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        return parts[0] if parts else ""


@dataclass
class Interview:
    """One interview (a company on a date) and its people."""

    id: str
    company: str
    at: datetime  # aware
    tz: str  # the zone its times are shown and scheduled in
    company_key: str = ""
    discreet: bool = False
    position: str = ""
    topic: str = ""
    language: str = ""
    country: str = ""
    outcome: str | None = None
    closed_at: datetime | None = None
    source: str = ""
    people: list[InterviewPerson] = field(default_factory=list)
    #: every outcome it has had, oldest first, with when it was set (``close --change`` adds one)
    outcomes: list[tuple[str, datetime]] = field(default_factory=list)
    #: details set in the terminal (``interview add``/``edit``), with when: a re-imported file keeps them
    edited: dict[str, str] = field(default_factory=dict)
    #: when it ends, when its invitation says (else an hour after it starts)
    ends: datetime | None = None
    #: the calendar invitation it came from: its UID and SEQUENCE (a newer one moves it)
    invite_uid: str = ""
    invite_sequence: int = 0

    def person(self, slug: str) -> InterviewPerson | None:
        return next((p for p in self.people if p.slug == slug), None)

    def outcome_at(self, when: datetime) -> str:
        """The outcome in force at ``when`` ("" while it was open)."""
        current = ""
        for outcome, since in self.outcomes or ([(self.outcome, self.closed_at)] if self.outcome and self.closed_at
                                                else []):
            if since <= when:
                current = outcome
        return current

    @property
    def owner(self) -> InterviewPerson | None:
        """Who owns the decision: the hiring manager, else the recruiter who runs the process,
        else the first interviewer."""
        for role in ("hiring-manager", "recruiter", "interviewer"):
            found = next((p for p in self.people if p.role == role), None)
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class TouchEvent:
    """One thing logged on a touch: it was done, they replied, or it was skipped."""

    seq: int
    interview_id: str
    touch_id: str
    person_slug: str
    event: str  # one of EVENTS
    at: datetime
    next_at: datetime | None = None  # the next contact this event committed to
    checkin_id: str | None = None  # the check-in this event booked, if any
    logged_at: datetime | None = None
    person: str = ""  # the name at the time, for touches whose person left the interviews file
    source: str = "hand"  # "hand" (a command), "mail" (import mail) or "linkedin" (import linkedin)
    message: str = ""  # the hash of the message it was read from (mail, LinkedIn), never its text


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person worth warming up for an interview or company, as ``rank`` decides (rank.py).

    Every view reads these fields and works none of them out again: the map colours a person by
    ``role`` and numbers them by ``rank``, the plan's back-channel touches and their drafts take
    ``evidence``, ``bridges_to`` and ``history``, the report lists ``reasons`` and ``action``.

    ``role`` is ``referrer`` (referred you to this interview), ``mutual`` (evidence that they
    know someone deciding: ``bridges_to`` names them) or ``colleague`` (works at the company,
    nothing more). ``evidence`` is the strongest kind of that evidence (``referrer``,
    ``mutual``, ``second_degree``, ``co_thread`` or ``colleague``). ``history`` is your history
    with them (``recent``, ``dormant``, ``never``: never a message either way). Reasons and
    action are empty past the rows a ranking was asked to explain.
    """

    rank: int
    node: str  # the person's node in the graph ("person:12")
    name: str
    role: str
    evidence: str
    score: float
    profile_url: str = ""
    company: str = ""
    position: str = ""
    email: str = ""
    tie_strength: float = 0.0
    willing: float = 0.0
    reach: float = 0.0
    reasons: tuple[str, ...] = ()
    bridges_to: tuple[str, ...] = ()  # the names of the people deciding they reach
    bridge_nodes: tuple[str, ...] = ()  # their nodes, in the same order
    action: str = ""
    weak_tie: bool = False
    history: str = "recent"
    connected_year: int | None = None

    @property
    def referrer(self) -> bool:
        return self.role == "referrer"

    def as_dict(self) -> dict[str, object]:
        """Every field, JSON-ready (tuples as lists)."""
        return {name: (list(value) if isinstance(value, tuple) else value)
                for name in self.__slots__ for value in (getattr(self, name),)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Candidate:
        """The record :meth:`as_dict` gave (unknown keys ignored)."""
        known = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in cls.__slots__}
        return cls(**known)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Touch:
    """One suggested contact, with its window and its status at the time the plan was made
    (followup.py). Every view (tables, JSON, drafts, calendar, report, maps) reads these.

    ``next_contact`` is, for an open message to someone deciding, the date its draft names (the
    date ``done`` books when it is logged the same business day); for a done one, the date it
    booked. ``optional``: shown in the plan, never due (a check-in to someone who does not own
    the decision). ``candidate``: the ranking row a back-channel touch came from.
    """

    id: str
    interview: str
    kind: str
    person: str
    person_slug: str
    role: str  # interviewer, hiring-manager, recruiter, referrer, or connection (back channel)
    due_from: datetime | None
    due_by: datetime | None
    status: str = "pending"
    done_at: datetime | None = None
    done_via: str = ""  # what logged it done: "hand" (a command), "mail" (import mail), "linkedin" (an export)
    replied_at: datetime | None = None
    skipped_at: datetime | None = None
    next_contact: datetime | None = None
    waiting_for: str = ""  # the touch this one waits for
    note: str = ""
    rests: bool = False  # the last check-in before the ring rests (three without a reply)
    number: int = 0  # check-ins and casual touches are numbered per person
    interest: str = ""
    candidate: Candidate | None = None
    node: str = ""  # the person's node in the graph, when known
    closed_reason: str = ""
    optional: bool = False
    folded: bool = False  # a check-in that also carries the thanks never sent (the email came too late)
    after_reply: bool = False  # a check-in that follows their reply
    agreed: bool = False  # a check-in whose date was agreed with them (``replied --next``)

    @property
    def handle(self) -> str:
        return handle_for(self.kind, self.person_slug, self.number)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def label(self) -> str:
        text = KIND_LABELS[self.kind]
        return f"{text} {self.number}" if self.kind in ("check-in", "casual-touch") and self.number else text


@dataclass
class GraphRows:
    """What a graph is built from (graph.py): plain rows read from the workspace, nothing more.

    ``connections`` are the user's connection rows with their interaction facts (dicts), or,
    for the whole network, ``connection_table``: the same as tuples of
    ``workspace.CONNECTION_TABLE_FIELDS`` (30,000 rows without a dict each). ``people`` are the
    rows of the people around the interviews (interview people, their stated mutuals, people in
    group threads with them) by id; ``mutuals`` the stated mutuals per interview; ``co_threads``
    rows ``(a, b, threads)``; ``second_degree`` the links other owners' exports show
    (``owner_id``, ``owner_name``, ``owner_key``, ``person_id``); ``positions`` the user's own.
    """

    owner: Mapping[str, Any] | None = None
    connections: Sequence[Mapping[str, Any]] = ()
    connection_table: list[tuple[Any, ...]] | None = None
    positions: Sequence[Mapping[str, Any]] = ()
    interviews: Sequence[Interview] = ()
    people: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    mutuals: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    co_threads: Sequence[Mapping[str, Any]] = ()
    second_degree: Sequence[Mapping[str, Any]] = ()
