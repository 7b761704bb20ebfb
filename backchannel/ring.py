"""The ring: each person deciding's open next-contact commitment, and what logging decides.

Pure functions over an interview's people and what was logged. The date a message names is a
function of when it is sent and nothing else (:func:`promised_next`): two business days later at
10:00 in the interview's zone for the first, then backing off (5, then 10 business days) while
check-ins go unanswered; after three unanswered check-ins in a row the ring rests. A reply
resets the back-off; ``--next`` sets the date instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from .domain import DECISION_ROLES, KIND_LABELS, RING_KINDS, Interview, Touch, TouchEvent
from .errors import BackchannelError, NotFoundError
from .times import RING_TIME, WorkCalendar, human_time

__all__ = ["RingState", "ring_states", "on_ring_clock", "checkin_number", "send_time", "default_next", "promised_next",
           "decide_done", "decide_replied", "decide_skip", "decide_undo", "find_touch", "BACKOFF_BUSINESS_DAYS",
           "RING_RESTS_AFTER"]

#: business days to the next contact after 0, 1, 2 unanswered check-ins
BACKOFF_BUSINESS_DAYS = (2, 5, 10)
#: unanswered check-ins in a row after which the ring rests
RING_RESTS_AFTER = 3


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


def checkin_number(checkin_id: str) -> int:
    tail = checkin_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 1


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
            state.numbers.append(checkin_number(ev.checkin_id))
            state.open_id, state.open_due = ev.checkin_id, ev.next_at
        if kind == "check-in" and ev.event in ("done", "skipped"):
            if ev.event == "done":
                state.unanswered += 1
            if state.open_id == ev.touch_id and not ev.checkin_id:
                state.open_id = state.open_due = None
    return states


def on_ring_clock(when: datetime | date | None, touch: Touch, iv: Interview) -> datetime | None:
    """A next contact given as a day: at the ring's hour on the interview's clock."""
    if when is None or isinstance(when, datetime):
        return when
    return datetime.combine(when, RING_TIME, tzinfo=(touch.due_from or iv.at).tzinfo)


def send_time(touch: Touch, at: datetime) -> datetime:
    """When a message goes when you act at ``at``: then, or when its window opens if that is
    later (a note still waiting for its email goes a day after ``at``)."""
    if touch.due_from is None:
        return at + timedelta(days=1)
    return max(at.astimezone(touch.due_from.tzinfo), touch.due_from)


def default_next(send_at: datetime, unanswered: int, calendar: WorkCalendar) -> datetime | None:
    """The ring's date after a message sent at ``send_at``: 2, 5, then 10 business days later at
    10:00, never between 24 December and 1 January; None once the ring rests.

    >>> from datetime import timezone
    >>> default_next(datetime(2026, 11, 25, 16, 0, tzinfo=timezone.utc), 0, WorkCalendar("US")).isoformat()
    '2026-11-30T10:00:00+00:00'
    """
    if unanswered >= len(BACKOFF_BUSINESS_DAYS):
        return None
    when = calendar.add_business_days(send_at, BACKOFF_BUSINESS_DAYS[unanswered], at=RING_TIME)
    if (when.month, when.day) >= (12, 24) or (when.month, when.day) <= (1, 1):
        # the week between Christmas and the new year: nobody decides then; the first business day after
        year = when.year + 1 if when.month == 12 else when.year
        when = calendar.add_business_days(datetime(year, 1, 1, tzinfo=when.tzinfo), 1, at=RING_TIME)
    return when


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
    if touch.status != "cancelled":
        return
    reasons = {
        "replaced": f"{touch.handle} was replaced by a newer commitment ({touch.note}); log that one instead",
        "folded": f"{touch.handle} came too late to send as it was ({touch.note}); log that one instead",
        "replied": f"{touch.handle} was dropped: they replied, so no casual touch is needed",
    }
    raise BackchannelError(reasons.get(touch.closed_reason,
                                       f"{touch.handle} was cancelled when the interview was closed; nothing changed"))


def _event(touch: Touch, event: str, at: datetime, logged_at: datetime, *, next_at: datetime | None = None,
           checkin_id: str | None = None) -> TouchEvent:
    return TouchEvent(0, touch.interview, touch.id, touch.person_slug, event, at, next_at=next_at,
                      checkin_id=checkin_id, logged_at=logged_at, person=touch.person)


def _zone_of(touch: Touch) -> tzinfo | None:
    """The zone a touch's times are shown in (its window's: the interview's clock)."""
    for moment in (touch.due_from, touch.due_by, touch.done_at):
        if moment is not None:
            return moment.tzinfo
    return None


def decide_done(touch: Touch, state: RingState | None, *, at: datetime, next_at: datetime | None,
                calendar: WorkCalendar, plan: Sequence[Touch], logged_at: datetime,
                zone: tzinfo | None = None) -> TouchEvent:
    """The event that logs ``touch`` as done (with the check-in it books), or a one-line error."""
    if touch.status == "done":
        raise BackchannelError(f"{touch.handle} is already done ({human_time(touch.done_at, zone or _zone_of(touch), label=True)}); "
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
    # the date its draft names (the plan's, for a message sent at ``at``), unless --next says otherwise
    when = next_at if next_at is not None else touch.next_contact if touch.is_open and touch.next_contact and \
        touch.next_contact > at else promised_next(touch, state, send_at=at, calendar=calendar)
    if when is None:  # the ring rests
        return _event(touch, "done", at, logged_at)
    keeps_open = touch.kind != "check-in" and state.open_due is not None and state.open_due == when
    return _event(touch, "done", at, logged_at, next_at=when,
                  checkin_id=None if keeps_open else _next_checkin_id(touch, state, plan))


def _next_checkin_id(touch: Touch, state: RingState, plan: Sequence[Touch]) -> str:
    used = set(state.numbers) | {t.number for t in plan if t.kind == "check-in" and t.person_slug == touch.person_slug}
    return f"{touch.interview}/check-in/{touch.person_slug}-{max(used, default=0) + 1}"


def decide_replied(touch: Touch, state: RingState | None, *, at: datetime, next_at: datetime | None,
                   plan: Sequence[Touch], logged_at: datetime, zone: tzinfo | None = None) -> TouchEvent:
    """They answered: the back-off resets; with ``next_at`` the next contact follows what they said.
    Only a message you sent can be answered, and an answer is noted once."""
    if touch.done_at is None:
        raise BackchannelError(f"{touch.handle} was never sent, so there is no reply to note: note it on the "
                               "message they answered (or log this one first with backchannel done)")
    if touch.replied_at is not None:
        noted = human_time(touch.replied_at, zone or _zone_of(touch), label=True)
        raise BackchannelError(f"their reply to {touch.handle} is noted already ({noted}); "
                               f"to change it: backchannel undo {touch.handle}")
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
