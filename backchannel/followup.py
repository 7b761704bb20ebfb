"""The follow-up plan: touches, their windows and statuses, and the ring. Pure functions.

:func:`build_plan` turns plain rows (an interview with its people, what was logged, the
back-channel ranking, and the moment asked about) into an :class:`InterviewPlan`: every touch
with its window, its status and, for a message to someone deciding, the next-contact date its
draft names. Every view (tables, JSON, drafts, the calendar, the report, the maps) reads that
plan; none works a window, a status or a date out again. With ``t`` the interview time:

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
                   touch was done (any outcome)
keep-in-touch      the hiring manager (rejected)         4–8 weeks after the close
================== ===================================== ==========================================

**The ring.** Each person deciding (interviewer, hiring manager, recruiter) has at most one
open next-contact commitment: a booked check-in. The thank-you email and each check-in name
the next one with its date. That date is a function of when the message is sent and nothing
else (:func:`promised_next`): two business days later at 10:00 in the interview's zone for the
first, then backing off (5, then 10 business days) while check-ins go unanswered, so a draft
looked at today names the date ``done`` books when the message is logged the same business
day, and looking at a draft changes nothing. A check-in sent late promises its whole gap from
when it is sent. ``done --next`` or ``replied --next`` sets the date instead. After three
unanswered check-ins in a row the ring rests: the third is written as the last, and no further
check-in is booked. A reply resets the back-off. Casual touches carry no business and no date.

Statuses: ``pending`` before the window (or while waiting for another touch), ``due`` inside
it, ``overdue`` after it, ``done``, ``skipped``, ``cancelled`` (the interview was closed, or a
newer commitment replaced a check-in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from .domain import (
    DECISION_ROLES,
    KIND_LABELS,
    RING_KINDS,
    TOUCH_KINDS,
    Candidate,
    Interview,
    InterviewPerson,
    Touch,
    TouchEvent,
    handle_for,
)
from .errors import BackchannelError, NotFoundError
from .identity import slugify
from .times import RING_TIME, WorkCalendar, add_hours, human_time, zone_from_name

__all__ = ["Touch", "RingState", "InterviewPlan", "build_plan", "ring_states", "promised_next", "default_next",
           "send_time", "decide_done", "decide_replied", "decide_skip", "decide_undo", "find_touch", "handle_for",
           "BACKOFF_BUSINESS_DAYS", "RING_RESTS_AFTER", "KIND_LABELS"]

#: business days to the next contact after 0, 1, 2 unanswered check-ins
BACKOFF_BUSINESS_DAYS = (2, 5, 10)
#: unanswered check-ins in a row after which the ring rests
RING_RESTS_AFTER = 3
CHECK_IN_HOURS = 24


@dataclass
class RingState:
    """Where one person's ring stands: the open check-in, the unanswered ones since the last
    reply, the check-ins booked so far, and the last thing logged with them."""

    slug: str
    open_id: str | None = None  # the check-in that is the open commitment
    open_due: datetime | None = None
    unanswered: int = 0
    numbers: list[int] = field(default_factory=list)
    last: TouchEvent | None = None

    @property
    def resting(self) -> bool:
        return self.open_id is None and self.unanswered >= RING_RESTS_AFTER


@dataclass(frozen=True)
class InterviewPlan:
    """One interview's touches at a moment, and the dates its messages name.

    ``promised``: each person deciding's open commitment (the booked check-in's time).
    ``team_next``: the first and last next contact with the people deciding still ahead of the
    referrer's thanks (what the referrer hears), or None.
    """

    interview: Interview
    at: datetime
    touches: tuple[Touch, ...]
    promised: Mapping[str, datetime] = field(default_factory=dict)
    team_next: tuple[datetime, datetime] | None = None

    def __iter__(self) -> Any:
        return iter(self.touches)

    def __len__(self) -> int:
        return len(self.touches)

    @property
    def next_promised(self) -> datetime | None:
        """The earliest next contact you committed to (a booked check-in), if any."""
        return min(self.promised.values(), default=None)


def _zone(iv: Interview) -> tzinfo:
    try:
        return zone_from_name(iv.tz)
    except BackchannelError:
        return iv.at.tzinfo or zone_from_name("UTC")


def _log_by_touch(events: Iterable[TouchEvent]) -> dict[str, list[TouchEvent]]:
    out: dict[str, list[TouchEvent]] = {}
    for ev in sorted(events, key=lambda e: e.seq):
        out.setdefault(ev.touch_id, []).append(ev)
    return out


class _Touches:
    """The touches of one plan as it is built: in order, by id, each with what was logged on it."""

    def __init__(self, iv: Interview, log: Mapping[str, Sequence[TouchEvent]], tz: tzinfo):
        self.iv, self.log, self.tz = iv, log, tz
        self.by_id: dict[str, Touch] = {}

    def add(self, kind: str, slug: str, name: str, role: str, start: datetime | None, end: datetime | None, *,
            number: int = 0, **extra: Any) -> Touch:
        touch_id = f"{self.iv.id}/{kind}/{slug}" + (f"-{number}" if number else "")
        touch = Touch(id=touch_id, interview=self.iv.id, kind=kind, person=name, person_slug=slug, role=role,
                      due_from=start, due_by=end, number=number, **extra)
        for ev in self.log.get(touch_id, ()):
            if ev.event == "done":
                touch = replace(touch, done_at=ev.at.astimezone(self.tz),
                                next_contact=ev.next_at.astimezone(self.tz) if ev.next_at else None)
            elif ev.event == "skipped":
                touch = replace(touch, skipped_at=ev.at.astimezone(self.tz))
            elif ev.event == "replied":
                touch = replace(touch, replied_at=ev.at.astimezone(self.tz))
        self.by_id[touch_id] = touch
        return touch

    def set(self, touch: Touch, **changes: Any) -> Touch:
        self.by_id[touch.id] = new = replace(touch, **changes)
        return new

    def __contains__(self, touch_id: str) -> bool:
        return touch_id in self.by_id

    def all(self) -> list[Touch]:
        return list(self.by_id.values())


def _node(iv: Interview, p: InterviewPerson) -> str:
    return f"person:{p.person_id}" if p.person_id else f"person:{iv.id}/{p.slug}"


def build_plan(iv: Interview, events: Iterable[TouchEvent], *, at: datetime, ranking: Sequence[Candidate] = (),
               back_channel_count: int = 3, calendar: WorkCalendar | None = None) -> InterviewPlan:
    """Every touch of one interview, with its status at ``at`` (see the module docstring)."""
    calendar = calendar or WorkCalendar()
    tz = _zone(iv)
    events = sorted(events, key=lambda e: e.seq)
    plan = _Touches(iv, _log_by_touch(events), tz)
    _people_touches(plan, iv.at.astimezone(tz))
    _back_channels(plan, ranking, back_channel_count)
    states = ring_states(iv, events)
    _checkins(plan, events, states)
    _kept_from_the_log(plan, iv.at.astimezone(tz))
    if iv.outcome:
        _closing(plan, at, calendar)
    for touch in plan.all():
        plan.set(touch, status="cancelled" if touch.status == "cancelled" else _status(touch, at))
    # the open commitments: booked check-ins still to make (none once the interview is closed)
    promised = {t.person_slug: t.due_from for t in plan.all()
                if t.kind == "check-in" and t.is_open and t.due_from is not None}
    for touch in plan.all():
        if touch.is_open and touch.kind in RING_KINDS and touch.role in DECISION_ROLES:
            state = states.get(touch.person_slug) or RingState(touch.person_slug)
            plan.set(touch, next_contact=promised_next(touch, state, send_at=send_time(touch, at), calendar=calendar))
    t = iv.at.astimezone(tz)
    touches = sorted(plan.all(), key=lambda x: (x.due_from is None, x.due_from or t, TOUCH_KINDS.index(x.kind),
                                                x.person, x.number))
    return InterviewPlan(iv, at, tuple(touches), promised, _team_next(touches, promised, at))


def _people_touches(plan: _Touches, t: datetime) -> None:
    """The thank-you emails, notes and casual touches of the people deciding; the referrer's thanks."""
    iv = plan.iv
    for p in iv.people:
        name, node = p.name or p.profile_url, _node(iv, p)
        if p.role in DECISION_ROLES:
            email = plan.add("thank-you-email", p.slug, name, p.role, add_hours(t, 2), add_hours(t, 48), node=node)
            if p.role in ("interviewer", "hiring-manager"):
                sent = email.done_at or (email.due_from if email.skipped_at else None)
                if sent is not None:  # a skipped email (sent some other way) no longer holds the note back
                    plan.add("handwritten-note", p.slug, name, p.role, add_hours(sent, 24), add_hours(sent, 48),
                             node=node)
                else:
                    plan.add("handwritten-note", p.slug, name, p.role, None, None, waiting_for=email.id,
                             note="follows the thank-you email: 24–48 h after it is sent", node=node)
            if p.role == "interviewer" and p.interests:
                first = plan.add("casual-touch", p.slug, name, p.role, t + timedelta(days=7), t + timedelta(days=14),
                                 number=1, interest=p.interests[0], node=node)
                if len(p.interests) > 1:  # a second touch on the same topic would only repeat the first
                    anchor = first.done_at or first.due_from or t
                    plan.add("casual-touch", p.slug, name, p.role, anchor + timedelta(days=7),
                             anchor + timedelta(days=14), number=2, interest=p.interests[1], node=node)
        elif p.role == "referrer":
            plan.add("referrer-thanks", p.slug, name, p.role, t, add_hours(t, 24), node=node)


def _back_channels(plan: _Touches, ranking: Sequence[Candidate], count: int) -> None:
    iv = plan.iv
    t = iv.at.astimezone(plan.tz)
    person_slugs = {p.slug for p in iv.people}
    for c in [c for c in ranking if not c.referrer][:count]:
        slug = slugify(c.name)
        if slug in person_slugs or f"{iv.id}/back-channel/{slug}" in plan:
            continue
        plan.add("back-channel", slug, c.name, "connection", add_hours(t, 24), add_hours(t, 72), candidate=c,
                 node=c.node)


def _checkins(plan: _Touches, events: Sequence[TouchEvent], states: Mapping[str, RingState]) -> None:
    """Check-ins booked by logged events, in the order they were logged; a newer commitment
    replaces an open one; the last check-in before the ring rests says so."""
    iv, tz = plan.iv, plan.tz
    person_of = {p.slug: p for p in iv.people}
    open_checkin: dict[str, Touch] = {}
    for ev in events:
        if not ev.checkin_id or ev.next_at is None:
            continue
        slug = ev.person_slug
        who = person_of.get(slug)
        previous = open_checkin.get(slug)
        if previous is not None and previous.done_at is None and previous.skipped_at is None:
            plan.set(plan.by_id[previous.id], status="cancelled", closed_reason="replaced",
                     note=f"replaced by a new commitment ({human_time(ev.next_at.astimezone(tz))})")
        due = ev.next_at.astimezone(tz)
        open_checkin[slug] = plan.add(
            "check-in", slug, who.name if who else ev.person, who.role if who else "interviewer", due,
            add_hours(due, CHECK_IN_HOURS), number=_number(ev.checkin_id), node=_node(iv, who) if who else "",
            after_reply=ev.event == "replied", agreed=ev.event == "replied")
    for slug, state in states.items():
        if state.resting:
            last = max((x for x in plan.all() if x.kind == "check-in" and x.person_slug == slug),
                       key=lambda x: x.number, default=None)
            if last is not None:
                plan.set(last, rests=True, note="the ring rests after three check-ins without a reply: a casual "
                                                "touch is the way back in")


def _kept_from_the_log(plan: _Touches, t: datetime) -> None:
    """Touches logged once and no longer suggested (a person left the file, the ranking moved)."""
    for touch_id, entries in plan.log.items():
        if touch_id in plan or touch_id.count("/") != 2:
            continue
        _, kind, rest = touch_id.split("/")
        if kind not in TOUCH_KINDS or kind in ("check-in", "outcome-news", "keep-in-touch"):
            continue
        slug, number = rest, 0
        if kind == "casual-touch" and rest.rsplit("-", 1)[-1].isdigit():
            slug, number = rest.rsplit("-", 1)[0], int(rest.rsplit("-", 1)[1])
        name = entries[-1].person or slug.replace("-", " ").title()
        plan.add(kind, slug, name, "connection" if kind == "back-channel" else "", add_hours(t, 24), add_hours(t, 72),
                 number=number, note="no longer in the plan; kept because you logged it")


def _closing(plan: _Touches, at: datetime, calendar: WorkCalendar) -> None:
    """A closed interview: open touches are cancelled but the referrer's thanks; whatever the
    end, the people who vouched for you hear it from you, not from the company; a rejection
    keeps in touch with the hiring manager."""
    iv = plan.iv
    closed_at = (iv.closed_at or at).astimezone(plan.tz)
    for touch in plan.all():
        if touch.kind != "referrer-thanks":
            plan.set(touch, closed_reason=touch.closed_reason or "closed")
        elif touch.done_at is None and touch.skipped_at is None and touch.due_from and closed_at < touch.due_from:
            # closed before the interview (withdrawing early): the thanks carries the news now
            plan.set(touch, due_from=closed_at, due_by=add_hours(closed_at, 72))
    touches = plan.all()
    thanked = {x.person_slug for x in touches if x.kind == "referrer-thanks"
               and (x.done_at is not None or x.skipped_at is not None)}
    news_to = [(p.slug, p.name or p.profile_url, p.role, _node(iv, p)) for p in iv.people
               if p.role == "referrer" and (p.slug in thanked or not any(
                   x.kind == "referrer-thanks" and x.person_slug == p.slug for x in touches))]
    news_to += [(x.person_slug, x.person, "connection", x.node) for x in touches
                if x.kind == "back-channel" and x.done_at is not None]
    for slug, name, role, node in news_to:
        if f"{iv.id}/outcome-news/{slug}" not in plan:
            plan.add("outcome-news", slug, name, role, closed_at, add_hours(closed_at, 72), node=node)
    if iv.outcome == "rejected":
        for p in iv.people:
            if p.role == "hiring-manager" and f"{iv.id}/keep-in-touch/{p.slug}" not in plan:
                start = calendar.next_business_moment(closed_at + timedelta(weeks=4))
                plan.add("keep-in-touch", p.slug, p.name, p.role, start, closed_at + timedelta(weeks=8),
                         node=_node(iv, p))
                break


def _team_next(touches: Sequence[Touch], promised: Mapping[str, datetime], at: datetime
               ) -> tuple[datetime, datetime] | None:
    """When you next contact the people deciding, as the referrer hears it: each one's booked
    check-in, or the date their unsent thank-you email names; only dates after the thanks goes."""
    thanks = next((t for t in touches if t.kind == "referrer-thanks" and t.is_open), None)
    after = send_time(thanks, at) if thanks is not None else at
    resting = {t.person_slug for t in touches if t.rests}
    dates = [when for slug, when in promised.items() if slug not in resting]
    dates += [t.next_contact for t in touches if t.kind == "thank-you-email" and t.is_open
              and t.person_slug not in promised and t.next_contact is not None]
    future = [d for d in dates if d > after]
    return (min(future), max(future)) if future else None


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
    if touch.due_from is None or touch.due_by is None or at < touch.due_from:
        return "pending"
    return "due" if at <= touch.due_by else "overdue"


def ring_states(iv: Interview, events: Iterable[TouchEvent]) -> dict[str, RingState]:
    """Each deciding person's ring, from what was logged (in order)."""
    states = {p.slug: RingState(p.slug) for p in iv.people if p.role in DECISION_ROLES}
    for ev in sorted(events, key=lambda e: e.seq):
        state = states.get(ev.person_slug)
        if state is None:
            continue
        state.last = ev
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


def send_time(touch: Touch, at: datetime) -> datetime:
    """When a message goes when you act at ``at``: then, or when its window opens if that is
    later (a note still waiting for its email goes a day after ``at``)."""
    if touch.due_from is None:
        return at + timedelta(days=1)
    return max(at.astimezone(touch.due_from.tzinfo), touch.due_from)


def default_next(send_at: datetime, unanswered: int, calendar: WorkCalendar) -> datetime | None:
    """The ring's date after a message sent at ``send_at``: 2, 5, then 10 business days later at
    10:00; None once the ring rests.

    >>> from datetime import timezone
    >>> default_next(datetime(2026, 11, 25, 16, 0, tzinfo=timezone.utc), 0, WorkCalendar("US")).isoformat()
    '2026-11-30T10:00:00+00:00'
    """
    if unanswered >= len(BACKOFF_BUSINESS_DAYS):
        return None
    return calendar.add_business_days(send_at, BACKOFF_BUSINESS_DAYS[unanswered], at=RING_TIME)


def promised_next(touch: Touch, state: RingState, *, send_at: datetime, calendar: WorkCalendar) -> datetime | None:
    """The next-contact date a ring message names when sent at ``send_at``: for the email the
    open commitment while it is ahead, else the ring's default; for a check-in the contact after
    it (backing off), or None when it is the last before the ring rests."""
    if touch.due_from is not None:  # the ring keeps the interview's clock, whoever logs it where
        send_at = send_at.astimezone(touch.due_from.tzinfo)
    if touch.kind == "check-in":
        return default_next(send_at, state.unanswered + 1, calendar)
    if state.resting:
        return None
    if state.open_due is not None and state.open_due > send_at:
        return state.open_due.astimezone(send_at.tzinfo)
    return default_next(send_at, state.unanswered, calendar)


def find_touch(reference: str, plans: Iterable[Iterable[Touch]]) -> Touch:
    """The touch a user means: its full id, its handle (``jane-roe/email``, optionally after the
    interview id), or any unique end of its id (``thank-you-email/jane-roe``). One line listing
    the candidates when several fit."""
    text = reference.strip().strip("/")
    every = [t for plan in plans for t in plan]
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


def _event(touch: Touch, event: str, at: datetime, logged_at: datetime, *, next_at: datetime | None = None,
           checkin_id: str | None = None) -> TouchEvent:
    return TouchEvent(0, touch.interview, touch.id, touch.person_slug, event, at, next_at=next_at,
                      checkin_id=checkin_id, logged_at=logged_at, person=touch.person)


def decide_done(touch: Touch, state: RingState | None, *, at: datetime, next_at: datetime | None,
                calendar: WorkCalendar, plan: Sequence[Touch], logged_at: datetime) -> TouchEvent:
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
    if not (touch.kind in RING_KINDS and touch.role in DECISION_ROLES):
        if next_at is not None:
            raise BackchannelError(f"--next is for messages to the people deciding; a {KIND_LABELS[touch.kind].lower()} "
                                   "carries no next contact")
        return _event(touch, "done", at, logged_at)
    state = state or RingState(touch.person_slug)
    if next_at is not None and next_at <= at:
        raise BackchannelError("--next must be after the time the touch was done")
    when = next_at if next_at is not None else promised_next(touch, state, send_at=at, calendar=calendar)
    if when is None:  # the ring rests
        return _event(touch, "done", at, logged_at)
    keeps_open = touch.kind != "check-in" and state.open_due is not None and state.open_due == when
    return _event(touch, "done", at, logged_at, next_at=when,
                  checkin_id=None if keeps_open else _next_checkin_id(touch, state, plan))


def _next_checkin_id(touch: Touch, state: RingState, plan: Sequence[Touch]) -> str:
    used = set(state.numbers) | {t.number for t in plan if t.kind == "check-in" and t.person_slug == touch.person_slug}
    return f"{touch.interview}/check-in/{touch.person_slug}-{max(used, default=0) + 1}"


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
    return _event(touch, "replied", at, logged_at, next_at=next_at, checkin_id=checkin_id)


def decide_skip(touch: Touch, *, at: datetime, logged_at: datetime) -> TouchEvent:
    if touch.status == "done":
        raise BackchannelError(f"{touch.handle} is already done; to take it back: backchannel undo {touch.handle}")
    if touch.status == "skipped":
        raise BackchannelError(f"{touch.handle} is already skipped")
    _refuse_closed(touch)
    return _event(touch, "skipped", at, logged_at)


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
