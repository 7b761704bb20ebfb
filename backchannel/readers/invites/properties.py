"""An event's properties as icalendar gives them, read forgivingly.

A property that should appear once is the first when a file gives it several times
(:func:`_one`); text is on one line (:func:`_text`); a value icalendar could not read is None
(:func:`_value`); SEQUENCE and DTSTAMP order the versions of one event.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def _one(component: Any, name: str) -> Any:
    """A property that should appear once: the first when a file gives it several times."""
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(component: Any, name: str) -> str:
    return " ".join(str(_one(component, name) or "").split())



def _value(prop: Any) -> Any:
    """A property's value, or None when icalendar could not read it."""
    try:
        return prop.dt
    except Exception:  # icalendar's BrokenCalendarProperty, or a property of another type
        return None


def _sequence(event: Any, notes: list[str]) -> int:
    prop = _one(event, "SEQUENCE")
    if prop is None:
        return 0
    try:
        return max(0, int(prop))
    except (TypeError, ValueError):
        notes.append("SEQUENCE is not a number; 0 was taken")
        return 0


def _stamp(event: Any) -> datetime | None:
    prop = _one(event, "DTSTAMP")
    value = _value(prop) if prop is not None else None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return None
