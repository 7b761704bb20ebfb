"""The calendar view of a plan: one short iCalendar event per open touch.

Each event sits at the start of its touch's window, moved into business hours (09:00–18:00 on
a business day, in the interview's zone), lasts a quarter of an hour, is marked free
(``TRANSP:TRANSPARENT``) so it never blocks the day, and carries a reminder (``VALARM``) and
the window and the draft in its description. A discreet interview's events are
``CLASS:PRIVATE`` with a neutral summary ("Follow-up (private)") that names neither the
company nor the person. Times are written in UTC, so every calendar application imports them
the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from .domain import Interview
from .followup import Touch
from .times import WorkCalendar, human_window, zone_from_name

__all__ = ["plan_to_ics", "event_start", "EVENT_MINUTES", "REMINDER_MINUTES"]

EVENT_MINUTES = 15
REMINDER_MINUTES = 10


def event_start(touch: Touch, calendar: WorkCalendar) -> datetime:
    """The start of the touch's window, moved into business hours when that stays inside it."""
    assert touch.due_from is not None and touch.due_by is not None
    start = calendar.next_business_moment(touch.due_from)
    return start if start < touch.due_by else touch.due_from


def plan_to_ics(touches: Sequence[Touch], drafts: Mapping[str, Any], interviews: Mapping[str, Interview], *,
                stamp: datetime, calendars: Mapping[str, WorkCalendar]) -> bytes:
    """An iCalendar file with an event for each open touch that has a window."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//backchannel//follow-up plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "backchannel follow-ups")
    stamp_utc = stamp.astimezone(timezone.utc)
    for touch in touches:
        if not touch.is_open or touch.due_from is None or touch.due_by is None:
            continue
        iv = interviews[touch.interview]
        tz = zone_from_name(iv.tz) if iv.tz else touch.due_from.tzinfo
        start = event_start(touch, calendars.get(touch.interview) or WorkCalendar())
        event = Event()
        event.add("uid", f"{touch.id}@backchannel.local")
        event.add("dtstamp", stamp_utc)
        event.add("dtstart", start.astimezone(timezone.utc))
        event.add("dtend", (start + timedelta(minutes=EVENT_MINUTES)).astimezone(timezone.utc))
        event.add("transp", "TRANSPARENT")
        draft = drafts.get(touch.id)
        window = f"Window: {human_window(touch.due_from, touch.due_by, tz)}"
        text = draft.text() if draft is not None else ""
        description = f"{window}\n\n{text}\n\nWhen done: backchannel done {touch.id}".replace("\n\n\n\n", "\n\n")
        if iv.discreet:
            event.add("class", "PRIVATE")
            event.add("summary", "Follow-up (private)")
        else:
            event.add("summary", f"{touch.label}: {touch.person} ({iv.company})")
        event.add("description", description)
        event.add("categories", ["backchannel", touch.kind])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Follow-up (private)" if iv.discreet else f"{touch.label}: {touch.person}")
        alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())
