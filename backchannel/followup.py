"""The follow-up plan: touches with stable ids, due windows, statuses, the ring, the calendar.

With ``t`` the interview time (see SPEC and the README for the table):

- ``thank-you-email``  interviewer, hiring manager, recruiter   t+2h .. t+48h
- ``handwritten-note`` interviewer, hiring manager              email sent +24h .. +48h
  (until the email is logged, anchored on its earliest time, t+2h)
- ``referrer-thanks``  the referrer                             t .. t+24h
- ``back-channel``     the top N ranked candidates              t+1d .. t+3d
- ``casual-touch``     interviewers with recorded interests, two at most, a week apart:
  the first t+7d .. t+14d, the second 7..14 days after the first was done (or due)
- ``check-in``         created when a touch to an interviewer, hiring manager or recruiter is
  logged done: at the date the candidate committed to (``--next``), by default two business
  days later; the window is that day (24 hours). A newer check-in with the same person
  supersedes an older one that was not done.

Hour windows are elapsed time (48 hours are 48 real hours across a daylight-saving change);
business days are counted on the interview's wall clock. Statuses: ``pending`` before the
window, ``due`` inside it, ``overdue`` after it, ``done`` once logged, ``cancelled`` when the
interview is closed (or the check-in was superseded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from .errors import BackchannelError, NotFoundError
from .identity import slugify
from .interviews import DECISION_ROLES
from .timeutil import add_business_days, add_hours, zone_from_name
from .workspace import Workspace

__all__ = ["Touch", "KINDS", "build_plan", "status_at", "log_done", "find_touch", "to_ics", "OUTCOMES"]

KINDS = ("thank-you-email", "handwritten-note", "referrer-thanks", "back-channel", "casual-touch", "check-in")
OUTCOMES = ("offer", "rejected", "withdrawn")
RING_DEFAULT_BUSINESS_DAYS = 2


@dataclass
class Touch:
    id: str
    interview: str
    kind: str
    person: str
    role: str
    due_from: datetime
    due_by: datetime
    status: str = "pending"
    done_at: datetime | None = None
    next_at: datetime | None = None
    company: str = ""
    person_slug: str = ""
    title: str = ""
    email: str = ""
    interest: str = ""
    notes: str = ""
    job: str = ""
    reasons: list[str] = field(default_factory=list)
    bridges_to: list[str] = field(default_factory=list)


def status_at(touch: Touch, at: datetime, closed: bool) -> str:
    if touch.done_at is not None:
        return "done"
    if closed:
        return "cancelled"
    if at < touch.due_from:
        return "pending"
    if at <= touch.due_by:
        return "due"
    return "overdue"


def _parse(value: str | None, tz) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt.astimezone(tz) if dt.tzinfo else dt.replace(tzinfo=tz)


def build_plan(ws: Workspace, interview_id: str, at: datetime, *, back_channel: list[dict] | None = None,
               back_channel_count: int = 3) -> list[Touch]:
    """Every touch of one interview, with its status at ``at``.

    ``back_channel`` is the ranking (``rank.rank_candidates``) for the interview.
    """
    iv = ws.interview(interview_id)
    tz = zone_from_name(iv["tz"])
    t = datetime.fromisoformat(iv["at"])
    # the interview's own zone (a named zone keeps daylight-saving rules; an offset stays fixed)
    t = t.replace(tzinfo=tz) if t.tzinfo is None else t.astimezone(tz)
    log = ws.touch_log(interview_id)
    closed = bool(iv["outcome"])
    touches: list[Touch] = []
    people = ws.interview_people(interview_id)

    def add(kind: str, slug: str, p: dict, start: datetime, end: datetime, suffix: str = "", **extra) -> Touch:
        touch_id = f"{interview_id}/{kind}/{slug}{suffix}"
        entry = log.get(touch_id)
        touch = Touch(id=touch_id, interview=interview_id, kind=kind, person=p.get("name", ""),
                      role=p.get("role", ""), due_from=start, due_by=end, company=iv["company"], person_slug=slug,
                      title=p.get("title", ""), email=p.get("email", ""), notes=p.get("notes", ""),
                      job=iv["position"], **extra)
        if entry is not None:
            touch.done_at = _parse(entry["done_at"], tz)
            touch.next_at = _parse(entry["next_at"], tz)
        touches.append(touch)
        return touch

    for p in people:
        slug, role = p["slug"], p["role"]
        if role in DECISION_ROLES:
            email = add("thank-you-email", slug, p, add_hours(t, 2), add_hours(t, 48))
            if role in ("interviewer", "hiring-manager"):
                anchor = email.done_at or email.due_from
                add("handwritten-note", slug, p, add_hours(anchor, 24), add_hours(anchor, 48))
            if role == "interviewer" and p["interests"]:
                first = add("casual-touch", slug, p, t + timedelta(days=7), t + timedelta(days=14), "-1",
                            interest=p["interests"][0])
                anchor = first.done_at or first.due_from
                add("casual-touch", slug, p, anchor + timedelta(days=7), anchor + timedelta(days=14), "-2",
                    interest=p["interests"][1 % len(p["interests"])])
        elif role == "referrer":
            add("referrer-thanks", slug, p, t, add_hours(t, 24))

    chosen = [r for r in (back_channel or []) if not r.get("referrer")][:back_channel_count]
    seen = set()
    for r in chosen:
        slug = slugify(r["name"])
        seen.add(f"{interview_id}/back-channel/{slug}")
        add("back-channel", slug, {"name": r["name"], "role": "connection", "title": r.get("position", "")},
            add_hours(t, 24), add_hours(t, 72), reasons=r.get("reasons", []), bridges_to=r.get("bridges_to", []))
    # back-channel touches already done stay in the plan even if the ranking moved on
    for touch_id, entry in log.items():
        if "/back-channel/" in touch_id and touch_id not in seen:
            slug = touch_id.rsplit("/", 1)[1]
            done = add("back-channel", slug, {"name": slug.replace("-", " ").title(), "role": "connection"},
                       add_hours(t, 24), add_hours(t, 72))
            done.done_at = _parse(entry["done_at"], tz)

    checkins = ws.checkins(interview_id)
    latest: dict[str, str] = {}
    for c in checkins:
        latest[c["person_slug"]] = c["id"]
    by_slug = {p["slug"]: p for p in people}
    for c in checkins:
        due = _parse(c["due_at"], tz)
        p = dict(by_slug.get(c["person_slug"], {"name": c["person"], "role": c["role"]}))
        touch = add("check-in", c["person_slug"], p, due, add_hours(due, 24),
                    suffix=c["id"][len(f"{interview_id}/check-in/{c['person_slug']}"):])
        if latest[c["person_slug"]] != c["id"] and touch.done_at is None:
            touch.status = "cancelled"
    for touch in touches:
        if touch.status != "cancelled":
            touch.status = status_at(touch, at, closed)
    touches.sort(key=lambda x: (x.due_from, KINDS.index(x.kind), x.person))
    return touches


def find_touch(touch_id: str, plan: list[Touch]) -> Touch:
    """The touch with this id in an interview's plan."""
    for touch in plan:
        if touch.id == touch_id:
            return touch
    known = [t.id for t in plan][:3]
    hint = f"; for example {', '.join(known)}" if known else "; list them with: backchannel plan"
    raise NotFoundError(f"unknown touch {touch_id!r}{hint}")


def next_contact(reference: datetime) -> datetime:
    """The ring's default: the same time two business days later."""
    return add_business_days(reference, RING_DEFAULT_BUSINESS_DAYS)


def log_done(ws: Workspace, touch: Touch, done_at: datetime, next_at: datetime | None, now: datetime) -> dict | None:
    """Log a touch as done; for interviewer-side touches, create the committed check-in."""
    if touch.status == "cancelled" and touch.kind == "check-in":
        raise BackchannelError(f"check-in {touch.id} was superseded by a newer one; log that one instead")
    checkin = None
    if touch.role in DECISION_ROLES:
        due = next_at or next_contact(done_at)
        if due <= done_at:
            raise BackchannelError("--next must be after the time the touch was done")
        existing = ws.checkins(touch.interview)
        number = 1 + sum(1 for c in existing if c["person_slug"] == touch.person_slug)
        checkin = {"id": f"{touch.interview}/check-in/{touch.person_slug}-{number}", "person_slug": touch.person_slug,
                   "person": touch.person, "role": touch.role, "due_at": due}
        next_at = due
    ws.log_touch(touch.id, touch.interview, done_at, next_at, checkin, now)
    return checkin


def to_ics(touches: list[Touch], drafts: dict[str, str], now: datetime) -> bytes:
    """An iCalendar file with one event per open touch, spanning its window."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//backchannel//follow-up plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "backchannel follow-ups")
    for touch in touches:
        if touch.status not in ("pending", "due", "overdue"):
            continue
        event = Event()
        event.add("uid", f"{touch.id}@backchannel.local")
        event.add("dtstamp", now)
        # UTC ("Z") times need no VTIMEZONE and import the same into every calendar app
        event.add("dtstart", touch.due_from.astimezone(timezone.utc))
        event.add("dtend", touch.due_by.astimezone(timezone.utc))
        event.add("summary", f"{touch.kind.replace('-', ' ').capitalize()}: {touch.person} ({touch.company})")
        event.add("description", drafts.get(touch.id, "") + f"\n\nWhen done: backchannel done {touch.id}")
        event.add("categories", ["backchannel", touch.kind])
        cal.add_component(event)
    return cal.to_ical()
