"""The follow-up plan: touches, their windows and statuses. Pure functions.

:func:`build_plan` turns plain rows (an interview with its people, what was logged, the
back-channel ranking, and the moment asked about) into an :class:`InterviewPlan`: every touch
with its window, its status and, for a message to someone deciding, the next-contact date its
draft names (ring.py). Every view (tables, JSON, drafts, the calendar, the report, the maps)
reads that plan; none works a window, a status or a date out again. With ``t`` the interview's
start and ``t + 1 h`` its end (an interview lasts an hour):

================== ===================================== ==========================================
kind               who                                   window
================== ===================================== ==========================================
thank-you-email    each interviewer, hiring manager,     t+2h .. t+48h; a week past it, it folds
                   recruiter                             into the first check-in
handwritten-note   each interviewer and hiring manager   24–48 h after the email was logged;
                                                         ``pending`` (waiting) until then
referrer-thanks    the referrer                          the end of the interview .. t+24h
back-channel       the top ranked (3 by default), not    t+1d .. t+3d
                   interviewers, not the referrer
casual-touch       an interviewer with interests, two    the first in a quiet gap from t+7d (never
                   at most                               within two business days of another
                                                         message to them); the second after the
                                                         ring rests; dropped when they reply
check-in           booked when a business message is     the committed time .. +24 h; one per round
                   logged; the company's round goes to   for the company, the others ``optional``
                   whoever owns the decision             (shown, never due)
outcome-news       the referrer, back channels whose     the close .. +3 days; a changed outcome
                   touch was done (any outcome)          sends a correction to who heard the old one
keep-in-touch      whoever owned the decision (rejected) 4–8 weeks after the close
================== ===================================== ==========================================

**Who owns the decision** (:attr:`Interview.owner`): the hiring manager, else the recruiter who
runs the process, else the first interviewer. A company hears one check-in per round, from the
owner's ring; the others' check-ins are ``optional`` (a date agreed with someone is never
optional). Statuses: ``pending`` before the window (or while waiting for another touch), ``due``
inside it, ``overdue`` after it, ``optional``, ``done``, ``skipped``, ``cancelled`` (the
interview was closed, a newer commitment replaced a check-in, they replied before a casual
touch, or the email folded into the first check-in).
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
from .errors import BackchannelError
from .identity import slugify
from .ring import (
    BACKOFF_BUSINESS_DAYS,
    RING_RESTS_AFTER,
    RingState,
    checkin_number,
    decide_done,
    decide_replied,
    decide_skip,
    decide_undo,
    default_next,
    find_touch,
    on_ring_clock,
    promised_next,
    ring_states,
    send_time,
)
from .times import WorkCalendar, add_hours, human_time, zone_from_name

__all__ = ["Touch", "RingState", "InterviewPlan", "build_plan", "ring_states", "promised_next", "default_next",
           "send_time", "decide_done", "decide_replied", "decide_skip", "decide_undo", "find_touch", "handle_for",
           "BACKOFF_BUSINESS_DAYS", "RING_RESTS_AFTER", "KIND_LABELS", "INTERVIEW_HOURS", "FOLD_AFTER",
           "close_changes", "on_ring_clock", "todays_touches", "refuse_dead"]

CHECK_IN_HOURS = 24
#: how long an interview lasts: nothing is due before it ends
INTERVIEW_HOURS = 1
#: a thank-you email this far past its window folds into the first check-in
FOLD_AFTER = timedelta(days=7)
#: business days a casual touch keeps away from any other message to the same person
QUIET_BUSINESS_DAYS = 2


@dataclass(frozen=True)
class InterviewPlan:
    """One interview's touches at a moment, and the dates its messages name.

    ``promised``: each person deciding's open commitment (the booked check-in still to make).
    ``team_next``: the first and last next contact with the people deciding still ahead of the
    referrer's thanks (what the referrer hears), or None. ``lead``: the person whose ring is the
    company's round; a message to anyone else names the round's date ("I'll check in with the
    team on ...").
    """

    interview: Interview
    at: datetime
    touches: tuple[Touch, ...]
    promised: Mapping[str, datetime] = field(default_factory=dict)
    team_next: tuple[datetime, datetime] | None = None
    lead: str | None = None  # whose check-ins the company hears this round (who owns the decision)

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


class _Touches:
    """The touches of one plan as it is built: in order, by id, each with what was logged on it."""

    def __init__(self, iv: Interview, events: Sequence[TouchEvent], tz: tzinfo, calendar: WorkCalendar):
        self.iv, self.events, self.tz, self.calendar = iv, events, tz, calendar
        self.log: dict[str, list[TouchEvent]] = {}
        for ev in events:
            self.log.setdefault(ev.touch_id, []).append(ev)
        self.by_id: dict[str, Touch] = {}
        # the moment the windows count from: the start of an hour's interview; for a longer
        # one (its invitation says when it ends) an hour before its end
        longer = iv.ends is not None and iv.ends - iv.at > timedelta(hours=INTERVIEW_HOURS)
        self.t = (iv.ends - timedelta(hours=INTERVIEW_HOURS) if longer and iv.ends else iv.at).astimezone(tz)

    def add(self, kind: str, slug: str, name: str, role: str, start: datetime | None, end: datetime | None, *,
            number: int = 0, **extra: Any) -> Touch:
        touch_id = f"{self.iv.id}/{kind}/{slug}" + (f"-{number}" if number else "")
        touch = Touch(id=touch_id, interview=self.iv.id, kind=kind, person=name, person_slug=slug, role=role,
                      due_from=start, due_by=end, number=number, **extra)
        for ev in self.log.get(touch_id, ()):
            if ev.event == "done":
                touch = replace(touch, done_at=ev.at.astimezone(self.tz), done_via=ev.source,
                                next_contact=ev.next_at.astimezone(self.tz) if ev.next_at else None)
            elif ev.event == "skipped":
                touch = replace(touch, skipped_at=ev.at.astimezone(self.tz))
            elif ev.event == "replied":
                touch = replace(touch, replied_at=ev.at.astimezone(self.tz))
        self.by_id[touch_id] = touch
        return touch

    def set(self, touch: Touch, **changes: Any) -> Touch:
        self.by_id[touch.id] = new = replace(self.by_id[touch.id], **changes)
        return new

    def cancel(self, touch: Touch, reason: str, note: str) -> None:
        if touch.done_at is None and touch.skipped_at is None:
            self.set(touch, status="cancelled", closed_reason=reason, note=note)

    def __contains__(self, touch_id: str) -> bool:
        return touch_id in self.by_id

    def all(self) -> list[Touch]:
        return list(self.by_id.values())

    def of(self, slug: str, kind: str | None = None) -> list[Touch]:
        return [t for t in self.by_id.values() if t.person_slug == slug and (kind is None or t.kind == kind)]


def _node(iv: Interview, p: InterviewPerson) -> str:
    return f"person:{p.person_id}" if p.person_id else f"person:{iv.id}/{p.slug}"


def build_plan(iv: Interview, events: Iterable[TouchEvent], *, at: datetime, ranking: Sequence[Candidate] = (),
               back_channel_count: int = 3, calendar: WorkCalendar | None = None) -> InterviewPlan:
    """Every touch of one interview, with its status at ``at`` (see the module docstring)."""
    events = sorted(events, key=lambda e: e.seq)
    plan = _Touches(iv, events, _zone(iv), calendar or WorkCalendar())
    _people_touches(plan)
    _back_channels(plan, ranking, back_channel_count)
    states = ring_states(iv, events)
    _checkins(plan, states)
    _fold_late_emails(plan, at, states)
    _casual_touches(plan, states)
    _kept_from_the_log(plan)
    if iv.outcome:
        _closing(plan, at)
    _statuses(plan, at)
    promised = {t.person_slug: t.due_from for t in plan.all()
                if t.kind == "check-in" and t.is_open and not t.optional and t.due_from is not None}
    lead = _round_lead(iv, states)
    _next_contacts(plan, states, at, lead)
    # (back channels due together in the ranking's order, as every view lists them)
    touches = sorted(plan.all(), key=lambda x: (x.due_from is None, x.due_from or plan.t, TOUCH_KINDS.index(x.kind),
                                                x.candidate.rank if x.candidate else 0, x.person, x.number))
    return InterviewPlan(iv, at, tuple(touches), promised, _team_next(touches, promised, at), lead)


def _people_touches(plan: _Touches) -> None:
    """The thank-you emails and notes of the people deciding; the referrer's thanks."""
    iv, t = plan.iv, plan.t
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
        elif p.role == "referrer":
            plan.add("referrer-thanks", p.slug, name, p.role, add_hours(t, INTERVIEW_HOURS), add_hours(t, 24),
                     node=node)


def _back_channels(plan: _Touches, ranking: Sequence[Candidate], count: int) -> None:
    iv, t = plan.iv, plan.t
    person_slugs = {p.slug for p in iv.people}
    for c in [c for c in ranking if not c.referrer][:count]:
        slug = slugify(c.name)
        if slug in person_slugs or f"{iv.id}/back-channel/{slug}" in plan:
            continue
        plan.add("back-channel", slug, c.name, "connection", add_hours(t, 24), add_hours(t, 72), candidate=c,
                 node=c.node)


def _checkins(plan: _Touches, states: Mapping[str, RingState]) -> None:
    """Check-ins booked by logged events, in the order they were logged; a newer commitment
    replaces an open one; the last before the ring rests says so; the company's round goes to
    whoever owns the decision, the others' check-ins are optional."""
    iv, tz = plan.iv, plan.tz
    person_of = {p.slug: p for p in iv.people}
    open_checkin: dict[str, Touch] = {}
    for ev in plan.events:
        if not ev.checkin_id or ev.next_at is None:
            continue
        slug = ev.person_slug
        who = person_of.get(slug)
        previous = open_checkin.get(slug)
        if previous is not None:
            plan.cancel(previous, "replaced", f"replaced by a new commitment ({human_time(ev.next_at.astimezone(tz))})")
        due = ev.next_at.astimezone(tz)
        open_checkin[slug] = plan.add(
            "check-in", slug, who.name if who else ev.person, who.role if who else "interviewer", due,
            add_hours(due, CHECK_IN_HOURS), number=checkin_number(ev.checkin_id), node=_node(iv, who) if who else "",
            agreed=ev.event == "replied")
    for slug, touch in open_checkin.items():
        state = states.get(slug)
        if state is not None and state.last is not None and state.last.event == "replied":
            plan.set(touch, after_reply=True)  # their answer came after the check-in was booked
        if state is not None and state.resting:
            last = max(plan.of(slug, "check-in"), key=lambda x: x.number)
            plan.set(last, rests=True, note="the ring rests after three check-ins without a reply: a casual touch is "
                                            "the way back in")
    lead = _round_lead(iv, states)
    for touch in [t for t in plan.all() if t.kind == "check-in" and not t.agreed]:
        if touch.done_at is not None:  # optional then? (its draft shows what it said)
            done = next(ev for ev in plan.log[touch.id] if ev.event == "done")
            was = _round_lead(iv, ring_states(iv, [ev for ev in plan.events if ev.seq < done.seq]))
            if touch.person_slug != was:
                plan.set(touch, optional=True)
        elif touch.person_slug != lead and touch.skipped_at is None and touch.status != "cancelled":
            plan.set(touch, optional=True,
                     note=f"optional: the company hears one check-in per round, from {_name(iv, lead)}")


def _next_contacts(plan: _Touches, states: Mapping[str, RingState], at: datetime, lead: str | None) -> None:
    """The date each open message to someone deciding names: the lead's from their own ring;
    everyone else's the company's next round (the lead's next date still ahead of it), so that
    colleagues who compare notes read one date; their own when the lead has none."""
    ring = [t for t in plan.all() if t.is_open and t.kind in RING_KINDS and t.role in DECISION_ROLES]
    for touch in ring:
        state = states.get(touch.person_slug) or RingState(touch.person_slug)
        plan.set(touch, next_contact=promised_next(touch, state, send_at=send_time(touch, at), calendar=plan.calendar))
    leads = [plan.by_id[t.id] for t in ring if t.person_slug == lead]
    rounds = sorted(d for t in leads for d in (t.due_from if t.kind == "check-in" else None, t.next_contact)
                    if d is not None)
    for touch in (plan.by_id[t.id] for t in ring if t.person_slug != lead and not t.agreed):
        if touch.next_contact is None:  # the ring rests: nothing to name
            continue
        sent = send_time(touch, at)
        ahead = next((d for d in rounds if d > sent), None)
        if ahead is not None:
            plan.set(touch, next_contact=ahead)


def _name(iv: Interview, slug: str | None) -> str:
    p = iv.person(slug) if slug else None
    return (p.name or p.profile_url) if p is not None else "the person who owns the decision"


def _round_lead(iv: Interview, states: Mapping[str, RingState]) -> str | None:
    """Whose check-in the company hears this round: the owner's, while their ring is on (or
    resting); else the most decisive person whose ring is on."""
    owner = iv.owner
    if owner is not None and owner.slug in states and (states[owner.slug].open_id or states[owner.slug].resting):
        return owner.slug
    for role in ("hiring-manager", "recruiter", "interviewer"):
        for p in iv.people:
            if p.role == role and p.slug in states and states[p.slug].open_id:
                return p.slug
    return owner.slug if owner is not None else None


def _fold_late_emails(plan: _Touches, at: datetime, states: Mapping[str, RingState]) -> None:
    """A thank-you email a week past its window is not sent as it was written: it folds into the
    first check-in, which thanks them and checks in at once."""
    booked = {ev.checkin_id for ev in plan.events if ev.checkin_id}
    for email in [t for t in plan.all() if t.kind == "thank-you-email"]:
        state = states.get(email.person_slug)
        if email.done_at is not None or email.skipped_at is not None or email.due_by is None:
            continue
        first = f"{plan.iv.id}/check-in/{email.person_slug}-1"
        folded_before = first in plan.log and first not in booked  # (logged: it stays what it was)
        late = at >= email.due_by + FOLD_AFTER and not (state is not None and (state.open_id or state.numbers))
        if not (folded_before or late):
            continue
        start = email.due_by + FOLD_AFTER
        checkin = plan.add("check-in", email.person_slug, email.person, email.role, start, add_hours(start, 72),
                           number=1, node=email.node, folded=True,
                           note="also thanks them: the thank-you email was a week late")
        plan.cancel(email, "folded", f"a week past its window: {checkin.handle} thanks them instead")
        note = plan.by_id.get(f"{plan.iv.id}/handwritten-note/{email.person_slug}")
        if note is not None and note.due_from is None:  # the card follows the message that thanked them
            sent = checkin.done_at
            plan.set(note, due_from=add_hours(sent, 24) if sent else None, due_by=add_hours(sent, 48) if sent else None,
                     waiting_for="" if sent else checkin.id,
                     note="" if sent else "follows your first message: 24–48 h after it is sent")


def _messages_to(plan: _Touches, slug: str, but: str) -> list[datetime]:
    """When messages went (or are due) to one person: what was logged, and the check-ins due."""
    out = []
    for t in plan.of(slug):
        if t.id == but or t.kind == "casual-touch":
            continue
        if t.done_at is not None:
            out.append(t.done_at)
        elif t.kind == "check-in" and not t.optional and t.skipped_at is None and t.due_from is not None:
            out.append(t.due_from)
    return out


def _quiet(plan: _Touches, day: datetime, messages: Sequence[datetime]) -> bool:
    """No other message to the person within two business days of ``day``."""
    cal = plan.calendar
    for m in messages:
        first, last = sorted((m.astimezone(plan.tz).date(), day.astimezone(plan.tz).date()))
        between, d = 0, first
        while d < last and between < QUIET_BUSINESS_DAYS:
            d += timedelta(days=1)
            between += cal.is_business_day(d)
        if between < QUIET_BUSINESS_DAYS:
            return False
    return True


def _quiet_window(plan: _Touches, earliest: datetime, messages: Sequence[datetime]) -> tuple[datetime, datetime]:
    """The first week-long stretch from ``earliest`` whose first day is quiet."""
    start = earliest
    for _ in range(90):
        if plan.calendar.is_business_day(start.date()) and _quiet(plan, start, messages):
            break
        start += timedelta(days=1)
    return start, start + timedelta(days=7)


def _casual_touches(plan: _Touches, states: Mapping[str, RingState]) -> None:
    """At most two per interviewer with interests: the first in a quiet gap after the thank-you
    email, the second kept for after the ring rests; both dropped once they reply."""
    iv = plan.iv
    for p in (p for p in iv.people if p.role == "interviewer" and p.interests):
        state = states.get(p.slug) or RingState(p.slug)
        email = plan.by_id.get(f"{iv.id}/thank-you-email/{p.slug}")
        sent = (email.done_at or email.skipped_at) if email is not None else None
        if sent is None and email is not None and email.closed_reason == "folded":
            sent = next((t.done_at for t in plan.of(p.slug, "check-in") if t.folded), None)
        name, node = p.name or p.profile_url, _node(iv, p)
        for number, interest in enumerate(p.interests[:2], start=1):
            touch_id = f"{iv.id}/casual-touch/{p.slug}-{number}"
            after_rest = number == 2 or (len(p.interests) == 1 and state.resting)
            rested_at = _rested_at(plan, p.slug) if state.resting else None
            if after_rest and rested_at is None:
                plan.add("casual-touch", p.slug, name, p.role, None, None, number=number, interest=interest,
                         node=node, note="kept for after the ring rests: the way back in")
                continue
            if sent is None and not after_rest:
                plan.add("casual-touch", p.slug, name, p.role, None, None, number=number, interest=interest,
                         node=node, waiting_for=email.id if email is not None else "",
                         note="after the thank-you email, in a quiet week")
                continue
            earliest = (rested_at + timedelta(days=14)) if after_rest and rested_at else plan.t + timedelta(days=7)
            if sent is not None and not after_rest:
                earliest = max(earliest, sent + timedelta(days=2))
            start, end = _quiet_window(plan, earliest, _messages_to(plan, p.slug, touch_id))
            plan.add("casual-touch", p.slug, name, p.role, start, end, number=number, interest=interest, node=node)
        if any(ev.event == "replied" and ev.person_slug == p.slug for ev in plan.events):
            for t in plan.of(p.slug, "casual-touch"):
                plan.cancel(t, "replied", "they replied: the conversation is open, no casual touch is needed")


def _rested_at(plan: _Touches, slug: str) -> datetime | None:
    """When the ring came to rest: the last check-in's done time."""
    last = [t.done_at for t in plan.of(slug, "check-in") if t.rests and t.done_at is not None]
    return last[0] if last else None


def _kept_from_the_log(plan: _Touches) -> None:
    """Touches logged once and no longer suggested (a person left the file, the ranking moved)."""
    t = plan.t
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


def _closing(plan: _Touches, at: datetime) -> None:
    """A closed interview: open touches are cancelled but the referrer's thanks; whatever the
    end, the people who vouched for you hear it from you, not from the company; a changed outcome
    corrects what they heard; a rejection keeps in touch with whoever owned the decision."""
    iv = plan.iv
    closed_at = (iv.closed_at or at).astimezone(plan.tz)
    for touch in plan.all():
        if touch.kind != "referrer-thanks":
            plan.set(touch, closed_reason=touch.closed_reason or "closed")
        elif touch.done_at is None and touch.skipped_at is None and touch.due_from and closed_at < touch.due_from:
            # closed before the interview (withdrawing early): the thanks carries the news now
            plan.set(touch, due_from=closed_at, due_by=add_hours(closed_at, 72))
    _news(plan, closed_at)
    owner = iv.owner
    if iv.outcome == "rejected" and owner is not None and f"{iv.id}/keep-in-touch/{owner.slug}" not in plan:
        start = plan.calendar.next_business_moment(closed_at + timedelta(weeks=4))
        plan.add("keep-in-touch", owner.slug, owner.name or owner.profile_url, owner.role, start,
                 closed_at + timedelta(weeks=8), node=_node(iv, owner))


def _news(plan: _Touches, closed_at: datetime) -> None:
    """Outcome news to a referrer already thanked and each back channel you told; after a changed
    outcome, a correction (news number 2, 3...) to everyone who heard an earlier one."""
    iv = plan.iv
    touches = plan.all()
    thanked = {x.person_slug for x in touches if x.kind == "referrer-thanks"
               and (x.done_at is not None or x.skipped_at is not None)}
    news_to = [(p.slug, p.name or p.profile_url, p.role, _node(iv, p)) for p in iv.people
               if p.role == "referrer" and (p.slug in thanked or not any(
                   x.kind == "referrer-thanks" and x.person_slug == p.slug for x in touches))]
    news_to += [(x.person_slug, x.person, "connection", x.node) for x in touches
                if x.kind == "back-channel" and x.done_at is not None]
    changed_at = iv.outcomes[-1][1].astimezone(plan.tz) if len(iv.outcomes) > 1 else None
    for slug, name, role, node in news_to:
        heard = _heard_outcome(plan, slug)
        if changed_at is not None and heard and heard != iv.outcome:
            # a correction is never the first word on the outcome (the thanks may have carried it)
            number = max(2, 1 + sum(1 for ev in plan.events if ev.event == "done"
                                    and ev.touch_id.startswith(f"{iv.id}/outcome-news/{slug}")))
            plan.add("outcome-news", slug, name, role, changed_at, add_hours(changed_at, 72), node=node,
                     number=number, note=f"corrects the news you sent ({heard})")
        elif not heard and f"{iv.id}/outcome-news/{slug}" not in plan:
            plan.add("outcome-news", slug, name, role, closed_at, add_hours(closed_at, 72), node=node)
    for number in range(1, 6):  # news sent before (a first one, an earlier correction) stays in the plan
        for slug, name, role, node in news_to:
            touch_id = f"{iv.id}/outcome-news/{slug}" + (f"-{number}" if number > 1 else "")
            if touch_id in plan.log and touch_id not in plan:
                plan.add("outcome-news", slug, name, role, closed_at, add_hours(closed_at, 72), node=node,
                         number=number if number > 1 else 0)


def _heard_outcome(plan: _Touches, slug: str) -> str:
    """The outcome the person last heard from you (news, or a thanks sent after the close)."""
    iv, heard = plan.iv, ""
    prefixes = (f"{iv.id}/outcome-news/{slug}", f"{iv.id}/referrer-thanks/{slug}")
    for ev in plan.events:
        if ev.event == "done" and ev.touch_id.startswith(prefixes):
            heard = iv.outcome_at(ev.at) or heard
    return heard


def _statuses(plan: _Touches, at: datetime) -> None:
    for touch in plan.all():
        if touch.status == "cancelled":
            continue
        status = _status(touch, at)
        if touch.optional and status in ("pending", "due", "overdue"):
            status = "optional"
        plan.set(touch, status=status)


def _team_next(touches: Sequence[Touch], promised: Mapping[str, datetime], at: datetime
               ) -> tuple[datetime, datetime] | None:
    """When you next contact the people deciding, as the referrer hears it: each one's booked
    check-in, or the date their unsent thank-you email names; only dates after the thanks goes."""
    thanks = next((t for t in touches if t.kind == "referrer-thanks" and t.is_open), None)
    after = send_time(thanks, at) if thanks is not None else at
    dates = list(promised.values())
    dates += [t.next_contact for t in touches if t.kind == "thank-you-email" and t.is_open
              and t.person_slug not in promised and t.next_contact is not None]
    future = [d for d in dates if d > after]
    return (min(future), max(future)) if future else None


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


def close_changes(before: Sequence[Touch], after: Sequence[Touch]) -> tuple[list[Touch], list[Touch], list[Touch]]:
    """What closing (or changing the outcome) did to a plan: (cancelled, added, kept open).
    A changed outcome also takes back what the first one planned (its news, its keep-in-touch)."""
    was = {t.id: t for t in before}
    now_ids = {t.id for t in after}
    cancelled = [t for t in after if t.status == "cancelled" and t.id in was and was[t.id].is_open]
    cancelled += [t for t in before if t.is_open and t.id not in now_ids]
    return cancelled, [t for t in after if t.id not in was], [t for t in after if t.is_open and t.id in was]


def todays_touches(plans: Iterable[InterviewPlan], *, at: datetime, zone: tzinfo) -> list[Touch]:
    """What to do today: overdue, due, and what opens before the day ends in ``zone``; the most
    pressing first."""
    local = at.astimezone(zone)
    end = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=local.tzinfo)
    touches = [t for plan in plans for t in plan if t.status in ("due", "overdue")
               or (t.status == "pending" and t.due_from is not None and t.due_from < end)]
    order = {"overdue": 0, "due": 1, "pending": 2}
    # (what is due by when it must be done; what opens later today by when it opens, as listed)
    return sorted(touches, key=lambda t: (order[t.status], (t.due_from if t.status == "pending" else t.due_by) or at,
                                          t.due_by or at))


def refuse_dead(touch: Touch) -> None:
    """A cancelled or skipped touch has nothing to send: one line saying why."""
    if touch.status in ("cancelled", "skipped"):
        why = touch.note or ("the interview was closed" if touch.closed_reason == "closed" else touch.status)
        raise BackchannelError(f"{touch.handle} is {touch.status} ({why}): there is nothing to send; "
                               "--force shows its draft anyway")
