"""The vocabulary of backchannel: roles, touch kinds, statuses, outcomes, and the typed
records that readers hand to the rest of the package.

Every layer imports its words from here, so that "hiring-manager" or "check-in" is spelled
once. Nothing here reads files, the clock or the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
    "Proposal",
    "EVENTS",
    "RING_KINDS",
    "MATCH_STATUSES",
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

STATUSES = ("pending", "due", "overdue", "done", "skipped", "cancelled")
OPEN_STATUSES = ("pending", "due", "overdue")

#: languages the drafts are written in
LANGUAGES = ("en", "ru")


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

    def person(self, slug: str) -> InterviewPerson | None:
        return next((p for p in self.people if p.slug == slug), None)


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


@dataclass(frozen=True)
class Proposal:
    """A next-contact date a draft named before anything was logged with it."""

    interview_id: str
    person_slug: str
    after_touch: str  # "" for the person's first commitment; else the check-in it follows
    next_at: datetime
    made_at: datetime
