"""The follow-up plan: touches, their windows and statuses, and the ring. Pure functions.

:func:`build_plan` turns plain rows (an interview with its people, what was logged, the dates
drafts proposed, the back-channel ranking, and "now") into touches; the workspace only reads
and writes those rows. With ``t`` the interview time:

================== ===================================== ==========================================
kind               who                                   window
================== ===================================== ==========================================
thank-you-email    each interviewer, hiring manager,     t+2h .. t+48h
                   recruiter
handwritten-note   each interviewer and hiring manager   24–48 h after the email was logged;
                                                         ``pending`` (waiting) until then
referrer-thanks    the referrer                          t .. t+24h
back-channel       the top ranked (3 by default), not    t+1d .. t+3d
                   interviewers, not the referrer
casual-touch       an interviewer with interests, two    t+7d .. t+14d; the second a week or more
                   at most                               after the first
check-in           booked when a ring touch is logged    the committed time .. +24 h
outcome-news       the referrer, back channels whose     the close .. +3 days
                   touch was done (any outcome: an
                   offer, a rejection or withdrawing)
keep-in-touch      the hiring manager (rejected)         4–8 weeks after the close
================== ===================================== ==========================================

**The ring.** Each person deciding (interviewer, hiring manager, recruiter) has at most one
open next-contact commitment. The thank-you email, the note and each check-in name it with its
date; the first draft that needs one proposes it (two business days after sending, at 10:00 in
the interview's zone, skipping public holidays) and every later draft names the same date.
Logging a ring touch as done without ``--next`` books exactly that date as a check-in; ``--next``
or a reply with ``--next`` replaces it everywhere. Check-ins that get no reply back off (the next
after 2, then 5, then 10 business days) and after three unanswered check-ins in a row the ring
rests: the third one is written as the last, no further check-in is booked, and the plan says a
casual touch is the way back in. A reply resets the back-off. Casual touches carry no business
and no date.

Statuses: ``pending`` before the window (or while waiting for another touch), ``due`` inside
it, ``overdue`` after it, ``done``, ``skipped``, ``cancelled`` (the interview was closed, or a
newer commitment replaced a check-in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from .domain import DECISION_ROLES, RING_KINDS, TOUCH_KINDS, Interview, Proposal, TouchEvent
from .errors import BackchannelError, NotFoundError
from .identity import slugify
from .times import RING_TIME, WorkCalendar, add_hours, human_time, zone_from_name

__all__ = ["Touch", "RingState", "build_plan", "ring_states", "promised_next", "decide_done", "decide_replied",
           "decide_skip", "decide_undo", "find_touch", "handle_for", "BACKOFF_BUSINESS_DAYS", "RING_RESTS_AFTER",
           "KIND_LABELS"]

#: business days to the next contact after 0, 1, 2 unanswered check-ins
BACKOFF_BUSINESS_DAYS = (2, 5, 10)
#: unanswered check-ins in a row after which the ring rests
RING_RESTS_AFTER = 3
CHECK_IN_HOURS = 24
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


@dataclass
class Touch:
    """One suggested contact, with its window and its status at the time asked."""

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
    replied_at: datetime | None = None
    skipped_at: datetime | None = None
    next_contact: datetime | None = None
    waiting_for: str = ""  # the touch this one waits for
    note: str = ""
    rests: bool = False  # the last check-in before the ring rests (three without a reply)
    number: int = 0  # check-ins and casual touches are numbered per person
    interest: str = ""
    evidence: str = ""  # back channel: mutual, co_thread, second_degree, colleague
    weak_tie: bool = False
    reasons: list[str] = field(default_factory=list)
    bridges_to: list[str] = field(default_factory=list)
    node: str = ""  # the person's node in the graph, when known
    closed_reason: str = ""

    @property
    def handle(self) -> str:
        return handle_for(self.kind, self.person_slug, self.number)

    @property
    def is_open(self) -> bool:
        return self.status in ("pending", "due", "overdue")

    @property
    def label(self) -> str:
        text = KIND_LABELS[self.kind]
        return f"{text} {self.number}" if self.kind in ("check-in", "casual-touch") and self.number else text


def handle_for(kind: str, slug: str, number: int = 0) -> str:
    """The short handle of a touch within its interview: ``jane-roe/email``, ``jane-roe/check-in-2``."""
    short = _HANDLE_KINDS[kind]
    return f"{slug}/{short}-{number}" if number else f"{slug}/{short}"


@dataclass
class RingState:
    """Where one person's ring stands: the open check-in, the unanswered ones since the last
    reply, and the check-ins booked so far."""

    slug: str
    open_id: str | None = None  # the check-in that is the open commitment
    open_due: datetime | None = None
    unanswered: int = 0
    numbers: list[int] = field(default_factory=list)
    last_event_seq: int = 0

    @property
    def resting(self) -> bool:
        return self.open_id is None and self.unanswered >= RING_RESTS_AFTER


def _zone(iv: Interview) -> Any:
    try:
        return zone_from_name(iv.tz)
    except BackchannelError:
        return iv.at.tzinfo


def _log_by_touch(events: Iterable[TouchEvent]) -> dict[str, list[TouchEvent]]:
    out: dict[str, list[TouchEvent]] = {}
    for ev in sorted(events, key=lambda e: e.seq):
        out.setdefault(ev.touch_id, []).append(ev)
    return out


def _apply_log(touch: Touch, log: Sequence[TouchEvent], tz: Any) -> None:
    for ev in log:
        if ev.event == "done":
            touch.done_at = ev.at.astimezone(tz)
            touch.next_contact = ev.next_at.astimezone(tz) if ev.next_at else None
        elif ev.event == "skipped":
            touch.skipped_at = ev.at.astimezone(tz)
        elif ev.event == "replied":
            touch.replied_at = ev.at.astimezone(tz)


def build_plan(iv: Interview, events: Iterable[TouchEvent], *, at: datetime, ranking: Sequence[Mapping[str, Any]] = (),
               proposals: Iterable[Proposal] = (), back_channel_count: int = 3,
               calendar: WorkCalendar | None = None) -> list[Touch]:
    """Every touch of one interview, with its status at ``at`` (see the module docstring)."""
    calendar = calendar or WorkCalendar()
    tz = _zone(iv)
    t = iv.at.astimezone(tz)
    events = sorted(events, key=lambda e: e.seq)
    log = _log_by_touch(events)
    touches: list[Touch] = []
    by_id: dict[str, Touch] = {}

    def add(kind: str, slug: str, name: str, role: str, start: datetime | None, end: datetime | None, *,
            number: int = 0, **extra: Any) -> Touch:
        touch_id = f"{iv.id}/{kind}/{slug}" + (f"-{number}" if number else "")
        touch = Touch(id=touch_id, interview=iv.id, kind=kind, person=name, person_slug=slug, role=role,
                      due_from=start, due_by=end, number=number, **extra)
        _apply_log(touch, log.get(touch_id, ()), tz)
        touches.append(touch)
        by_id[touch_id] = touch
        return touch

    for p in iv.people:
        name = p.name or p.profile_url
        if p.role in DECISION_ROLES:
            email = add("thank-you-email", p.slug, name, p.role, add_hours(t, 2), add_hours(t, 48))
            if p.role in ("interviewer", "hiring-manager"):
                sent = email.done_at or (email.due_from if email.skipped_at else None)
                if sent is not None:  # a skipped email (sent some other way) no longer holds the note back
                    add("handwritten-note", p.slug, name, p.role, add_hours(sent, 24), add_hours(sent, 48))
                else:
                    add("handwritten-note", p.slug, name, p.role, None, None, waiting_for=email.id,
                        note="follows the thank-you email: 24–48 h after it is sent")
            if p.role == "interviewer" and p.interests:
                first = add("casual-touch", p.slug, name, p.role, t + timedelta(days=7), t + timedelta(days=14),
                            number=1, interest=p.interests[0])
                if len(p.interests) > 1:  # a second touch on the same topic would only repeat the first
                    anchor = first.done_at or first.due_from or t
                    add("casual-touch", p.slug, name, p.role, anchor + timedelta(days=7),
                        anchor + timedelta(days=14), number=2, interest=p.interests[1])
        elif p.role == "referrer":
            add("referrer-thanks", p.slug, name, p.role, t, add_hours(t, 24))

    person_slugs = {p.slug for p in iv.people}
    chosen = [r for r in ranking if not r.get("referrer")][:back_channel_count]
    for r in chosen:
        slug = slugify(r["name"])
        if slug in person_slugs or f"{iv.id}/back-channel/{slug}" in by_id:
            continue
        add("back-channel", slug, r["name"], "connection", add_hours(t, 24), add_hours(t, 72),
            evidence=r.get("evidence", ""), weak_tie=bool(r.get("weak_tie")), reasons=list(r.get("reasons", [])),
            bridges_to=list(r.get("bridges_to", [])), node=r.get("node", ""))

    # the ring: check-ins booked by logged events, in the order they were logged
    states = ring_states(iv, events)
    person_of = {p.slug: p for p in iv.people}
    open_checkin: dict[str, Touch] = {}
    for ev in events:
        if ev.checkin_id and ev.next_at is not None:
            slug = ev.person_slug
            who = person_of.get(slug)
            previous = open_checkin.get(slug)
            if previous is not None and previous.done_at is None and previous.skipped_at is None:
                previous.status = "cancelled"
                previous.closed_reason = "replaced"
                previous.note = f"replaced by a new commitment ({human_time(ev.next_at.astimezone(tz))})"
            number = _number(ev.checkin_id)
            due = ev.next_at.astimezone(tz)
            touch = add("check-in", slug, who.name if who else ev.person, who.role if who else "interviewer",
                        due, add_hours(due, CHECK_IN_HOURS), number=number)
            open_checkin[slug] = touch
    for slug, state in states.items():
        if state.resting:
            last = max((x for x in touches if x.kind == "check-in" and x.person_slug == slug),
                       key=lambda x: x.number, default=None)
            if last is not None:
                last.rests = True
                last.note = ("the ring rests after three check-ins without a reply: a casual touch is the way "
                             "back in")

    # touches logged once and no longer suggested (a person left the file, the ranking moved)
    for touch_id, entries in log.items():
        if touch_id in by_id or touch_id.count("/") != 2:
            continue
        _, kind, rest = touch_id.split("/")
        if kind not in TOUCH_KINDS or kind in ("check-in", "outcome-news", "keep-in-touch"):
            continue
        slug, number = rest, 0
        if kind == "casual-touch" and rest.rsplit("-", 1)[-1].isdigit():
            slug, number = rest.rsplit("-", 1)[0], int(rest.rsplit("-", 1)[1])
        name = entries[-1].person or slug.replace("-", " ").title()
        add(kind, slug, name, "connection" if kind == "back-channel" else "", add_hours(t, 24),
            add_hours(t, 72), number=number, note="no longer in the plan; kept because you logged it")

    # closing an interview
    if iv.outcome:
        closed_at = (iv.closed_at or at).astimezone(tz)
        for touch in touches:
            if touch.kind != "referrer-thanks":
                touch.closed_reason = touch.closed_reason or "closed"
            elif touch.done_at is None and touch.skipped_at is None and touch.due_from and closed_at < touch.due_from:
                # closed before the interview (withdrawing early): the thanks carries the news now
                touch.due_from, touch.due_by = closed_at, add_hours(closed_at, 72)
        # whatever the end, the people who vouched for you hear it from you, not from the
        # company: an open referrer thanks stays and carries the news itself (its draft
        # says the outcome); a referrer already thanked, and back channels you told, get news
        thanked = {x.person_slug for x in touches if x.kind == "referrer-thanks"
                   and (x.done_at is not None or x.skipped_at is not None)}
        news_to = [(p.slug, p.name or p.profile_url, p.role) for p in iv.people
                   if p.role == "referrer" and (p.slug in thanked or not any(
                       x.kind == "referrer-thanks" and x.person_slug == p.slug for x in touches))]
        news_to += [(x.person_slug, x.person, "connection") for x in list(touches)
                    if x.kind == "back-channel" and x.done_at is not None]
        for slug, name, role in news_to:
            if f"{iv.id}/outcome-news/{slug}" not in by_id:
                add("outcome-news", slug, name, role, closed_at, add_hours(closed_at, 72))
        if iv.outcome == "rejected":
            for p in iv.people:
                if p.role == "hiring-manager" and f"{iv.id}/keep-in-touch/{p.slug}" not in by_id:
                    start = calendar.next_business_moment(closed_at + timedelta(weeks=4))
                    add("keep-in-touch", p.slug, p.name, p.role, start, closed_at + timedelta(weeks=8))
                    break

    proposals_by = {(pr.person_slug, pr.after_touch): pr for pr in proposals if pr.interview_id == iv.id}
    for touch in touches:
        if touch.status != "cancelled":
            touch.status = _status(touch, at)
        if touch.kind in RING_KINDS and touch.role in DECISION_ROLES and touch.is_open:
            state = states.get(touch.person_slug) or RingState(touch.person_slug)
            touch.next_contact = _named_date(touch, state, proposals_by)
    touches.sort(key=lambda x: (x.due_from is None, x.due_from or t, TOUCH_KINDS.index(x.kind), x.person, x.number))
    return touches


def _number(checkin_id: str) -> int:
    tail = checkin_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def _status(touch: Touch, at: datetime) -> str:
    if touch.done_at is not None:
        return "done"
    if touch.skipped_at is not None:
        return "skipped"
    if touch.closed_reason:
        return "cancelled"
    if touch.due_from is None or touch.due_by is None:
        return "pending"
    if at < touch.due_from:
        return "pending"
    if at <= touch.due_by:
        return "due"
    return "overdue"


def ring_states(iv: Interview, events: Iterable[TouchEvent]) -> dict[str, RingState]:
    """Each deciding person's ring, from what was logged (in order)."""
    deciding = {p.slug for p in iv.people if p.role in DECISION_ROLES}
    states = {slug: RingState(slug) for slug in deciding}
    for ev in sorted(events, key=lambda e: e.seq):
        state = states.get(ev.person_slug)
        if state is None:
            continue
        state.last_event_seq = ev.seq
        kind = ev.touch_id.split("/")[1] if ev.touch_id.count("/") == 2 else ""
        if ev.event == "replied":
            state.unanswered = 0
        if ev.checkin_id and ev.next_at is not None:
            state.numbers.append(_number(ev.checkin_id))
            state.open_id, state.open_due = ev.checkin_id, ev.next_at
        if kind == "check-in" and ev.event in ("done", "skipped"):
            if ev.event == "done":
                state.unanswered += 1
            if state.open_id == ev.touch_id and not ev.checkin_id:
                state.open_id = state.open_due = None
    return states


def _named_date(touch: Touch, state: RingState, proposals_by: Mapping[tuple[str, str], Proposal]) -> datetime | None:
    """The next-contact date a ring touch's draft names, as far as it is already fixed (a
    booked check-in or a stored proposal); None when the first draft will propose it."""
    tz = touch.due_from.tzinfo if touch.due_from else None
    if touch.kind == "check-in":
        proposal = proposals_by.get((touch.person_slug, touch.id))
        when = proposal.next_at if proposal else None
    elif state.open_due is not None:
        when = state.open_due
    else:
        proposal = proposals_by.get((touch.person_slug, ""))
        when = proposal.next_at if proposal else None
    return when.astimezone(tz) if when is not None and tz is not None else when


def default_next(send_at: datetime, unanswered: int, calendar: WorkCalendar) -> datetime | None:
    """The ring's default after a message sent at ``send_at``: 2, 5, then 10 business days
    later at 10:00; None once the ring rests."""
    if unanswered >= len(BACKOFF_BUSINESS_DAYS):
        return None
    return calendar.add_business_days(send_at, BACKOFF_BUSINESS_DAYS[unanswered], at=RING_TIME)


def promised_next(touch: Touch, state: RingState, proposals: Iterable[Proposal], *, send_at: datetime,
                  calendar: WorkCalendar) -> tuple[datetime | None, Proposal | None]:
    """The next-contact date a ring touch's message names when sent at ``send_at``, and the
    proposal to store when the date is new (so every later draft, and ``done``, use it).

    For the email and the note that is the open commitment; for a check-in, the contact after
    it (backing off), or None when it is the last before the ring rests.
    """
    if touch.due_from is not None:  # the ring keeps the interview's clock, whoever logs it where
        send_at = send_at.astimezone(touch.due_from.tzinfo)
    tz = send_at.tzinfo
    by = {(p.person_slug, p.after_touch): p for p in proposals if p.interview_id == touch.interview}
    if touch.kind == "check-in":
        after, unanswered = touch.id, state.unanswered + 1
    else:
        if state.resting:
            return None, None
        if state.open_due is not None and state.open_due > send_at:
            return state.open_due.astimezone(tz), None
        after, unanswered = "", state.unanswered
    proposal = by.get((touch.person_slug, after))
    # a date a draft proposed holds while it leaves a business day; nobody was told it otherwise
    if proposal is not None and proposal.next_at >= calendar.add_business_days(send_at, 1, at=RING_TIME):
        return proposal.next_at.astimezone(tz), None
    when = default_next(send_at, unanswered, calendar)
    if when is None:
        return None, None
    return when, Proposal(touch.interview, touch.person_slug, after, when, send_at)


def find_touch(reference: str, plans: Mapping[str, Sequence[Touch]]) -> Touch:
    """The touch a user means: its full id, its handle (``jane-roe/email``, optionally after the
    interview id), or any unique end of its id (``thank-you-email/jane-roe``). One line listing
    the candidates when several fit."""
    text = reference.strip().strip("/")
    every = [t for plan in plans.values() for t in plan]
    exact = [t for t in every if t.id == text]
    if exact:
        return exact[0]
    found = [t for t in every if t.handle == text or f"{t.interview}/{t.handle}" == text
             or t.id.endswith("/" + text)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(f"{t.interview}/{t.handle}" for t in found[:6])
        more = f" (and {len(found) - 6} more)" if len(found) > 6 else ""
        raise NotFoundError(f"{reference!r} fits several touches: {names}{more}; say which")
    known = [t.handle for t in every][:3]
    hint = f"; for example {', '.join(known)}" if known else "; list them with: backchannel plan"
    raise NotFoundError(f"unknown touch {reference!r}{hint}")


# --------------------------------------------------------------------------- logging


def _refuse_closed(touch: Touch) -> None:
    if touch.status == "cancelled":
        if touch.closed_reason == "replaced":
            raise BackchannelError(f"{touch.handle} was replaced by a newer commitment ({touch.note}); "
                                   "log that one instead")
        raise BackchannelError(f"{touch.handle} was cancelled when the interview was closed; nothing changed")


def decide_done(touch: Touch, state: RingState | None, proposals: Iterable[Proposal], *, at: datetime,
                next_at: datetime | None, calendar: WorkCalendar, plan: Sequence[Touch],
                logged_at: datetime) -> TouchEvent:
    """The event that logs ``touch`` as done (with the check-in it books), or a one-line error."""
    if touch.status == "done":
        raise BackchannelError(f"{touch.handle} is already done ({human_time(touch.done_at, at.tzinfo)}); "
                               f"to change it: backchannel undo {touch.handle}" if touch.done_at else
                               f"{touch.handle} is already done")
    if touch.status == "skipped":
        raise BackchannelError(f"{touch.handle} was skipped; to log it after all: backchannel undo {touch.handle}")
    _refuse_closed(touch)
    if touch.waiting_for and touch.due_from is None:
        raise BackchannelError(f"{touch.handle} follows the thank-you email; log the email first "
                               f"({touch.waiting_for.split('/', 1)[1]})")
    ring = touch.kind in RING_KINDS and touch.role in DECISION_ROLES
    if not ring:
        if next_at is not None:
            raise BackchannelError(f"--next is for messages to the people deciding; a {KIND_LABELS[touch.kind].lower()} "
                                   "carries no next contact")
        return TouchEvent(0, touch.interview, touch.id, touch.person_slug, "done", at, logged_at=logged_at,
                          person=touch.person)
    state = state or RingState(touch.person_slug)
    when: datetime | None = next_at
    if next_at is not None and next_at <= at:
        raise BackchannelError("--next must be after the time the touch was done")
    if next_at is None:
        when, _ = promised_next(touch, state, proposals, send_at=at, calendar=calendar)
    if when is None:  # the ring rests
        return TouchEvent(0, touch.interview, touch.id, touch.person_slug, "done", at, logged_at=logged_at,
                          person=touch.person)
    keeps_open = touch.kind != "check-in" and state.open_due is not None and state.open_due == when
    checkin_id = None if keeps_open else _next_checkin_id(touch, state, plan)
    return TouchEvent(0, touch.interview, touch.id, touch.person_slug, "done", at, next_at=when,
                      checkin_id=checkin_id, logged_at=logged_at, person=touch.person)


def _next_checkin_id(touch: Touch, state: RingState, plan: Sequence[Touch]) -> str:
    used = set(state.numbers) | {t.number for t in plan if t.kind == "check-in" and t.person_slug == touch.person_slug}
    number = max(used, default=0) + 1
    return f"{touch.interview}/check-in/{touch.person_slug}-{number}"


def decide_replied(touch: Touch, state: RingState | None, *, at: datetime, next_at: datetime | None,
                   plan: Sequence[Touch], logged_at: datetime) -> TouchEvent:
    """They answered: the back-off resets; with ``next_at`` the next contact follows what they said."""
    if touch.status == "cancelled" and touch.closed_reason == "closed" and next_at is not None:
        _refuse_closed(touch)
    checkin_id = None
    if next_at is not None:
        if touch.role not in DECISION_ROLES:
            raise BackchannelError("--next is for the people deciding; note the reply without it")
        if next_at <= at:
            raise BackchannelError("--next must be after the reply")
        checkin_id = _next_checkin_id(touch, state or RingState(touch.person_slug), plan)
    return TouchEvent(0, touch.interview, touch.id, touch.person_slug, "replied", at, next_at=next_at,
                      checkin_id=checkin_id, logged_at=logged_at, person=touch.person)


def decide_skip(touch: Touch, *, at: datetime, logged_at: datetime) -> TouchEvent:
    if touch.status == "done":
        raise BackchannelError(f"{touch.handle} is already done; to take it back: backchannel undo {touch.handle}")
    if touch.status == "skipped":
        raise BackchannelError(f"{touch.handle} is already skipped")
    _refuse_closed(touch)
    return TouchEvent(0, touch.interview, touch.id, touch.person_slug, "skipped", at, logged_at=logged_at,
                      person=touch.person)


def decide_undo(touch: Touch, events: Sequence[TouchEvent]) -> TouchEvent:
    """The event ``undo`` removes: the last one logged on the touch. Refused when a check-in it
    booked has been logged on since (undo that first)."""
    mine = [e for e in events if e.touch_id == touch.id]
    if not mine:
        raise BackchannelError(f"nothing is logged on {touch.handle}")
    last = max(mine, key=lambda e: e.seq)
    if last.checkin_id and any(e.touch_id == last.checkin_id for e in events):
        booked = last.checkin_id.split("/", 1)[1]
        raise BackchannelError(f"the check-in this booked ({booked}) has been logged since; undo that first")
    return last


def without(events: Sequence[TouchEvent], seq: int) -> list[TouchEvent]:
    return [e for e in events if e.seq != seq]


def with_event(events: Sequence[TouchEvent], event: TouchEvent) -> list[TouchEvent]:
    seq = max((e.seq for e in events), default=0) + 1
    return [*events, replace(event, seq=seq)]
