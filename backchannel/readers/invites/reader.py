"""Reading an invitation: the file (or the saved email it came in), the calendar, the event.

:func:`read_invite` reads the file and :func:`parse_invite` its text: icalendar parses the
calendar, :func:`_choose_event` picks the interview when the file holds several events, and
the zones, people and company modules read the event into an :class:`Invite`.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import warnings
from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from ...domain import ROLES
from ...errors import InputError
from .company import _INTERVIEW, _company
from .lines import _EventPlace, _Lines, _scan_lines
from .people import _people
from .properties import _sequence, _stamp, _text
from .records import Invite
from .zones import _end, _start, _x_wr_zone

__all__ = ["read_invite", "parse_invite", "MAX_INVITE_BYTES"]

#: an invitation is a few KiB; a bigger file is a whole calendar
MAX_INVITE_BYTES = 4 * 1024 * 1024


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes any bytes


_MAIL_HEADER = re.compile(rb"^(?:from|to|subject|date|mime-version|content-type|received|return-path|message-id)"
                          rb"[ \t]*:", re.IGNORECASE | re.MULTILINE)


def _from_email(data: bytes, display: str) -> bytes | None:
    """The invitation inside a saved invitation email, or None when ``data`` is not one."""
    head = data[:8192].lstrip()
    if head[:15].upper().startswith(b"BEGIN:VCALENDAR") or not _MAIL_HEADER.search(head):
        return None
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        kind = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if kind in ("text/calendar", "application/ics") or filename.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload
    raise InputError("this mail message holds no invitation (no text/calendar part)", path=display)


def read_invite(path: str | os.PathLike[str], *, own_addresses: Iterable[str], companies: Iterable[str],
                zone: tzinfo = timezone.utc, organizer_role: str = "recruiter", own_name: str = "") -> Invite:
    """Read an invitation file: an ``.ics`` file, or a saved invitation email.

    Parameters
    ----------
    own_addresses
        The user's addresses (the config's ``email``, ``--me``, the export's): the user is
        never an interviewer, and an invitation the user organised has no organizer.
    companies
        The company names known from the export, as written; the attendees' mail domains
        are matched against them.
    zone
        The user's zone: a floating time (no zone in the invitation) is read in it.
    organizer_role
        The role hint of the organizer (``recruiter`` unless the caller knows better).
    own_name
        The user's name (the export's): never the company, whatever the title says.
    """
    path = Path(path)
    display = str(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_INVITE_BYTES:
            raise InputError(f"the file is {size // 1024**2} MiB: a whole calendar, not an invitation; save the "
                             "interview's invitation (.ics) on its own", path=path)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    inner = _from_email(data, display)
    if inner is not None:
        data, display = inner, f"{display} (its invitation)"
    return parse_invite(_decode(data), display, own_addresses=own_addresses, companies=companies, zone=zone,
                        organizer_role=organizer_role, own_name=own_name)


def parse_invite(text: str, display: str = "invite.ics", *, own_addresses: Iterable[str], companies: Iterable[str],
                 zone: tzinfo = timezone.utc, organizer_role: str = "recruiter", own_name: str = "") -> Invite:
    """:func:`read_invite` for the text of an invitation; ``display`` names it in messages."""
    if organizer_role not in ROLES:
        raise ValueError(f"unknown role {organizer_role!r}")
    own = {a.strip().lower() for a in own_addresses if a and a.strip()}
    events, lines = _calendar_events(text, display)
    notes: list[str] = []
    index = _choose_event(events, lines, display, notes)
    cal, event = events[index]
    place = _EventPlace(display, lines.events[index], lines.event_lines[index] or None)
    event_line, where = place.event_line, place.where
    method = _text(cal, "METHOD").upper()
    if method in ("REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"):
        raise InputError(f"this is an answer to an invitation (METHOD:{method}), not the invitation; use the "
                         "invitation the recruiter sent", path=display, line=event_line)
    status = _text(event, "STATUS").upper()
    cancelled = method == "CANCEL" or status in ("CANCELLED", "CANCELED")
    x_wr = _x_wr_zone(cal, notes)
    start, zone_label, zone_source = _start(event, cal, x_wr, zone, display, place.line("DTSTART"), notes)
    end = _end(event, cal, start, x_wr, zone, notes)
    summary = _text(event, "SUMMARY")[:500]
    organizer, attendees, named_you = _people(event, own, organizer_role, where, notes)
    people_names = [p.name for p in (organizer, *attendees) if p is not None] + [n for n in (named_you, own_name) if n]
    company, source, candidates, company_at = _company(summary, people_names, organizer, attendees, companies,
                                                       own, where("SUMMARY"))
    if zone_source in ("utc", "floating"):
        notes.append("the invitation does not say where the interview is" +
                     (" (its times are in UTC)" if zone_source == "utc" else f" (its times were read in {zone_label})"))
    return Invite(
        uid=_text(event, "UID"),
        sequence=_sequence(event, notes),
        method=method,
        cancelled=cancelled,
        start=start,
        end=end,
        zone=zone_label,
        zone_source=zone_source,
        summary=summary,
        company=company,
        company_source=source,
        company_candidates=candidates,
        organizer=organizer,
        attendees=attendees,
        stamp=_stamp(event),
        path=display.removesuffix(" (its invitation)"),
        where=f"{display}, line {event_line}" if event_line else display,
        start_where=where("DTSTART"),
        company_where=company_at,
        notes=tuple(notes),
    )


def _calendar_events(text: str, display: str) -> tuple[list[tuple[Any, Any]], _Lines]:
    """Every event of the text's calendars, each with its calendar, and where their
    properties are; a text that is no calendar, is cut short or holds no event is an
    :class:`InputError`."""
    from icalendar import Calendar

    lines = _scan_lines(text)
    stripped = text.lstrip()
    if not stripped[:15].upper().startswith("BEGIN:VCALENDAR"):
        raise InputError("not a calendar invitation: an .ics file starts with BEGIN:VCALENDAR", path=display,
                         line=1)
    if lines.unclosed is not None:
        name, line = lines.unclosed
        raise InputError(("the file is cut short: " if lines.cut_short else "") + f"BEGIN:{name} on this line is "
                         "never ended", path=display, line=line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError and others for what it cannot read
        detail = str(exc).split("\n", 1)[0][:200]
        given = getattr(exc, "line_number", None)  # icalendar's, when it has one
        bad = lines.bad_line if lines.bad_line is not None else given if isinstance(given, int) else None
        raise InputError(f"not a valid iCalendar file ({detail})", path=display, line=bad) from None
    events: list[tuple[Any, Any]] = [(cal, ev) for cal in calendars for ev in cal.walk("VEVENT")]
    if not events:
        raise InputError("no event in this file (no BEGIN:VEVENT): is it an invitation?", path=display)
    if len(events) != len(lines.events):  # pragma: no cover - the two readings of one text disagree
        lines = _Lines([{} for _ in events], [0] * len(events), lines.bad_line, None)
    return events, lines


def _choose_event(events: list[tuple[Any, Any]], lines: _Lines, display: str, notes: list[str]) -> int:
    if len(events) == 1:
        return 0
    uids = {_text(ev, "UID") for _cal, ev in events}
    if len(uids) == 1:
        # versions of one event (or a series and its changed occurrences): the latest version
        def version(i: int) -> tuple[int, datetime, int]:
            ev = events[i][1]
            stamp = _stamp(ev) or datetime.min.replace(tzinfo=timezone.utc)
            return (_sequence(ev, []), stamp, -i)

        best = max(range(len(events)), key=version)
        notes.append(f"{len(events)} versions of this event in the file; the latest (SEQUENCE "
                     f"{_sequence(events[best][1], [])}, line {lines.event_lines[best]}) was taken")
        return best
    summaries = [_text(ev, "SUMMARY") for _cal, ev in events]
    interviews = [i for i, s in enumerate(summaries) if _INTERVIEW.search(s)]
    if len(interviews) == 1:
        i = interviews[0]
        notes.append(f"{len(events)} events in the file; the interview ({summaries[i]!r}, line "
                     f"{lines.event_lines[i]}) was taken")
        return i
    listed = "; ".join(f"line {lines.event_lines[i]}: {summaries[i][:60]!r}" for i in range(min(len(events), 5)))
    which = "none" if not interviews else f"{len(interviews)}"
    raise InputError(f"{len(events)} events in this file and {which} of them reads as an interview ({listed}); "
                     "save the interview's invitation on its own", path=display)
