"""Calendar invitations to rows: an interview from the invitation a recruiter sends.

``read_invite(path, own_addresses=..., companies=...)`` reads one ``.ics`` file (or a saved
invitation email, ``.eml``, whose ``text/calendar`` part it reads) with the ``icalendar``
library and returns an :class:`Invite`:

=====================  ================================================================
``uid``, ``sequence``  the event's UID and SEQUENCE (0 when absent): an invitation with the
                       same UID and a higher SEQUENCE is an update that moves the interview
``method``             the calendar's METHOD (``REQUEST``, ``PUBLISH``, ``CANCEL``, or "")
``cancelled``          ``METHOD:CANCEL`` or ``STATUS:CANCELLED``
``start``              aware, in the invitation's own zone (see "Zones" below)
``end``                DTEND, or DTSTART + DURATION, in the start's zone; None when the
                       invitation gives neither (:attr:`Invite.ends`: an hour after the start)
``zone``               the zone's name as :func:`backchannel.times.zone_name` writes it
                       (``America/New_York``, ``UTC-05:00``, ``UTC``), usable as an
                       interview's ``tz``
``zone_source``        how the zone was found: ``tzid``, ``windows``, ``vtimezone``,
                       ``x-wr-timezone``, ``utc``, ``floating``, ``date`` (see below)
``summary``            the event's SUMMARY, one line
``company``            as the summary writes it, or the known company the attendees' mail
                       domain names; "" when neither says (the caller asks)
``company_source``     ``summary``, ``domain`` or ""
``company_candidates`` every name the reader considered, for the question it leaves
``organizer``          an :class:`InvitePerson` with the role hint ``recruiter`` (unless the
                       caller says otherwise); None when there is none, or it is the user
``attendees``          everyone else invited, except the user, rooms, groups and people who
                       declined: role hint ``interviewer``
``stamp``              DTSTAMP (UTC), or None: orders two versions with the same SEQUENCE
``where``, ``start_where``, ``company_where``: ``invite.ics, line 12`` for the event, its
DTSTART, and the SUMMARY or ATTENDEE line the company came from; each person has its own.
``notes``              what the reader noticed and decided (a zone it did not know, people
                       left out, which of several events it took)
=====================  ================================================================

Zones
-----
- ``TZID=America/New_York`` (Google, Apple): that IANA zone (``tzid``).
- Outlook's Windows names with their VTIMEZONE (``TZID=Eastern Standard Time``): the IANA
  zone CLDR maps them to (``windows``), unless the file's own VTIMEZONE gives another offset
  at the start, which then wins as a fixed offset (``vtimezone``).
- Any other TZID with a VTIMEZONE in the file (``Customized Time Zone``, ``(UTC-05:00)
  Eastern Time (US & Canada)``): that definition's offset at the start (``vtimezone``). The
  definition is read from this file alone: icalendar keeps every custom VTIMEZONE it has
  seen in a process-wide cache under its TZID, so a second file with another "Customized
  Time Zone" would otherwise get the first one's offsets.
- UTC (``…Z``): UTC (``utc``), or the calendar's ``X-WR-TIMEZONE`` when it has one (Apple and
  Google exports) (``x-wr-timezone``); the instant is unchanged.
- Floating (no zone): the calendar's ``X-WR-TIMEZONE``, else ``zone`` (the user's own zone,
  which the caller passes) (``floating``).
- A day without a time: 17:00 that day, as the interviews file reads a date alone (``date``).

For ``utc`` and ``floating`` the invitation did not say where the interview is; the caller
may prefer to show it in the user's zone.

Bad files (not an iCalendar file, no event, no start, a reply instead of an invitation,
several events none of which reads as an interview) are one-line
:class:`~backchannel.errors.InputError` naming the file, and the line where one can be told.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..domain import ROLES
from ..errors import InputError
from ..identity import normalise_company, normalise_name
from ..times import DEFAULT_INTERVIEW_TIME, MAX_YEAR, MIN_YEAR, zone_name

try:  # CLDR's table of Windows zone names, as icalendar ships it
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
except ImportError:  # pragma: no cover - icalendar before 6
    WINDOWS_TO_OLSON = {}

__all__ = ["Invite", "InvitePerson", "read_invite", "parse_invite", "company_from_summary", "DEFAULT_DURATION",
           "MAX_INVITE_BYTES"]

#: how long an interview lasts when the invitation does not say
DEFAULT_DURATION = timedelta(hours=1)
#: an invitation is a few KiB; a bigger file is a whole calendar
MAX_INVITE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class InvitePerson:
    """Someone on the invitation.

    ``name`` is the CN as written ("Roe, Jane" turned round to "Jane Roe"), "" when the
    invitation gives only an address; ``email`` is lower-cased, "" when there is none;
    ``role`` is a hint (``recruiter`` for the organizer, ``interviewer`` for the others);
    ``required`` is False for an optional attendee; ``where`` is ``invite.ics, line 14``.
    """

    name: str
    email: str
    role: str
    required: bool
    where: str


@dataclass(frozen=True, slots=True)
class Invite:
    """One interview invitation; see the module docstring for the fields."""

    uid: str
    sequence: int
    method: str
    cancelled: bool
    start: datetime
    end: datetime | None
    zone: str
    zone_source: str
    summary: str
    company: str
    company_source: str
    company_candidates: tuple[str, ...]
    organizer: InvitePerson | None
    attendees: tuple[InvitePerson, ...]
    stamp: datetime | None
    path: str
    where: str
    start_where: str
    company_where: str
    notes: tuple[str, ...]

    @property
    def ends(self) -> datetime:
        """The end, or an hour after the start when the invitation gives none."""
        return self.end if self.end is not None else self.start + DEFAULT_DURATION


# --------------------------------------------------------------------------- the file's lines


@dataclass
class _Lines:
    """Where each property of each event is: the physical line its content line starts on."""

    events: list[dict[str, list[int]]]  # per VEVENT in document order: property name -> lines
    event_lines: list[int]  # the BEGIN:VEVENT line of each
    bad_line: int | None  # the first line that is not a content line
    unclosed: tuple[str, int] | None  # a component never ended: (its name, its BEGIN line)
    cut_short: bool = False  # the text ends inside a component


_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
_PHYSICAL = re.compile(r"\r\n|\n|\r")


def _scan_lines(text: str) -> _Lines:
    events: list[dict[str, list[int]]] = []
    event_lines: list[int] = []
    bad: int | None = None
    unclosed: tuple[str, int] | None = None
    stack: list[tuple[str, int]] = []
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(_PHYSICAL.split(text), start=1):
        if line[:1] in (" ", "\t") and logical:
            continue  # a folded continuation: part of the line before
        if line.strip():
            logical.append((number, line))
    for number, line in logical:
        if not _CONTENT_LINE.match(line):
            bad = bad or number
            continue
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        value = line.split(":", 1)[1].strip().upper() if ":" in line else ""
        if name == "BEGIN":
            stack.append((value, number))
            if value == "VEVENT":
                events.append({})
                event_lines.append(number)
            continue
        if name == "END":
            if any(open_name == value for open_name, _ in stack):
                while stack:
                    open_name, open_line = stack.pop()
                    if open_name == value:
                        break
                    unclosed = unclosed or (open_name, open_line)  # ended by its parent's END
            else:
                bad = bad or number  # an END without its BEGIN
            continue
        if stack and stack[-1][0] == "VEVENT" and events:
            events[-1].setdefault(name, []).append(number)
    return _Lines(events, event_lines, bad, stack[0] if stack else unclosed, bool(stack))


# --------------------------------------------------------------------------- reading the file


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
                zone: tzinfo = timezone.utc, organizer_role: str = "recruiter") -> Invite:
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
                        organizer_role=organizer_role)


def parse_invite(text: str, display: str = "invite.ics", *, own_addresses: Iterable[str], companies: Iterable[str],
                 zone: tzinfo = timezone.utc, organizer_role: str = "recruiter") -> Invite:
    """:func:`read_invite` for the text of an invitation; ``display`` names it in messages."""
    from icalendar import Calendar

    if organizer_role not in ROLES:
        raise ValueError(f"unknown role {organizer_role!r}")
    own = {a.strip().lower() for a in own_addresses if a and a.strip()}
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
    notes: list[str] = []
    index = _choose_event(events, lines, display, notes)
    cal, event = events[index]
    at = lines.events[index]
    event_line = lines.event_lines[index] or None

    def line_of(name: str, k: int = 0) -> int | None:
        found = at.get(name, [])
        return found[k] if k < len(found) else event_line

    def where(name: str, k: int = 0) -> str:
        line = line_of(name, k)
        return f"{display}, line {line}" if line else display

    method = _text(cal, "METHOD").upper()
    if method in ("REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"):
        raise InputError(f"this is an answer to an invitation (METHOD:{method}), not the invitation; use the "
                         "invitation the recruiter sent", path=display, line=event_line)
    status = _text(event, "STATUS").upper()
    cancelled = method == "CANCEL" or status in ("CANCELLED", "CANCELED")
    x_wr = _x_wr_zone(cal, notes)
    start, zone_label, zone_source = _start(event, cal, x_wr, zone, display, line_of("DTSTART"), notes)
    end = _end(event, cal, start, x_wr, zone, notes)
    summary = _text(event, "SUMMARY")[:500]
    organizer, attendees, own_name = _people(event, own, organizer_role, where, notes)
    people_names = [p.name for p in (organizer, *attendees) if p is not None] + ([own_name] if own_name else [])
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


def _one(component: Any, name: str) -> Any:
    """A property that should appear once: the first when a file gives it several times."""
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(component: Any, name: str) -> str:
    return " ".join(str(_one(component, name) or "").split())


# --------------------------------------------------------------------------- which event

_INTERVIEW = re.compile(r"\b(?:interview\w*|on-?site|screen(?:ing)?|loop|panel|super ?day|hiring manager|"
                        r"technical|final round|recruiter call)\b", re.IGNORECASE)


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


# --------------------------------------------------------------------------- times


def _iana(tzid: str) -> tuple[ZoneInfo | None, str]:
    """The IANA zone a TZID names, and how ("tzid" or "windows"); (None, "") when none."""
    cleaned = tzid.strip().strip('"').strip("/")
    candidates = [(cleaned, "tzid")]
    if cleaned in WINDOWS_TO_OLSON:
        candidates.append((WINDOWS_TO_OLSON[cleaned], "windows"))
    parts = cleaned.split("/")
    candidates += [("/".join(parts[i:]), "tzid") for i in range(1, len(parts) - 1)]  # /vendor/Europe/Berlin
    for key, how in candidates:
        if not key or key.startswith((".", "/")) or ".." in key:
            continue
        try:
            return ZoneInfo(key), how
        except Exception:  # ZoneInfoNotFoundError, ValueError, OSError for names that are no zone
            continue
    return None, ""


def _own_definition(cal: Any, tzid: str) -> tzinfo | None:
    """The zone the file's own VTIMEZONE with this TZID defines (never icalendar's cache)."""
    from icalendar.timezone import tzp

    for component in cal.walk("VTIMEZONE"):
        if str(component.get("TZID", "")).strip().strip('"') == tzid.strip().strip('"'):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    zone: tzinfo = component.to_tz(tzp, lookup_tzid=False)
                return zone
            except Exception:  # a definition icalendar cannot turn into a zone
                return None
    return None


def _x_wr_zone(cal: Any, notes: list[str]) -> ZoneInfo | None:
    value = _text(cal, "X-WR-TIMEZONE")
    if not value:
        return None
    zone, _how = _iana(value)
    if zone is None:
        notes.append(f"X-WR-TIMEZONE {value[:60]!r} is not a zone we know; it was not used")
    return zone


def _fixed(offset: timedelta | None) -> timezone:
    return timezone(offset or timedelta(0))


def _localise(value: date | datetime, tzid: str | None, cal: Any, x_wr: ZoneInfo | None, zone: tzinfo,
              notes: list[str]) -> tuple[datetime, str]:
    """A DTSTART or DTEND value as an aware datetime, and how its zone was found."""
    if not isinstance(value, datetime):
        local = x_wr or zone
        return datetime.combine(value, DEFAULT_INTERVIEW_TIME).replace(tzinfo=local), "date"
    wall = value.replace(tzinfo=None)
    if tzid:
        iana, how = _iana(tzid)
        own = _own_definition(cal, tzid)
        if iana is not None:
            at = wall.replace(tzinfo=iana)
            if own is not None and own.utcoffset(wall) is not None and own.utcoffset(wall) != at.utcoffset():
                notes.append(f"the invitation's own definition of {tzid!r} gives another offset than {iana.key} at "
                             "the start; the invitation's was used")
                return wall.replace(tzinfo=_fixed(own.utcoffset(wall))), "vtimezone"
            return at, how
        if own is not None:
            fixed = _fixed(own.utcoffset(wall))
            notes.append(f"the zone {tzid[:80]!r} is not a zone name we know; the offset its definition in the "
                         f"file gives at that time ({zone_name(fixed)}) was used")
            return wall.replace(tzinfo=fixed), "vtimezone"
        notes.append(f"the zone {tzid[:80]!r} is not a zone name we know and the file does not define it")
    elif value.tzinfo is not None:
        utc = value.astimezone(timezone.utc)
        if x_wr is not None:
            return utc.astimezone(x_wr), "x-wr-timezone"
        return utc, "utc"
    if x_wr is not None:
        return wall.replace(tzinfo=x_wr), "x-wr-timezone"
    return wall.replace(tzinfo=zone), "floating"


def _value(prop: Any) -> Any:
    """A property's value, or None when icalendar could not read it."""
    try:
        return prop.dt
    except Exception:  # icalendar's BrokenCalendarProperty, or a property of another type
        return None


def _start(event: Any, cal: Any, x_wr: ZoneInfo | None, zone: tzinfo, display: str, line: int | None,
           notes: list[str]) -> tuple[datetime, str, str]:
    prop = _one(event, "DTSTART")
    if prop is None:
        raise InputError("the invitation has no start (DTSTART)", path=display, line=line)
    value = _value(prop)
    if not isinstance(value, date):
        raw = getattr(prop, "to_ical", lambda: b"")()
        shown = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise InputError(f"the start (DTSTART) {shown[:40]!r} is not a date", path=display, line=line)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InputError(f"the start (DTSTART) is in the year {value.year}", path=display, line=line)
    start, source = _localise(value, prop.params.get("TZID"), cal, x_wr, zone, notes)
    if source == "date":
        notes.append("the invitation gives a day without a time: 17:00 was taken, as for a date alone")
    if event.get("RRULE") is not None:
        notes.append("the event repeats: its first occurrence was taken")
    return start, zone_name(start.tzinfo, start), source


def _end(event: Any, cal: Any, start: datetime, x_wr: ZoneInfo | None, zone: tzinfo,
         notes: list[str]) -> datetime | None:
    end: datetime | None = None
    prop = _one(event, "DTEND")
    if prop is not None:
        value = _value(prop)
        if isinstance(value, datetime):
            end, _source = _localise(value, prop.params.get("TZID"), cal, x_wr, zone, [])
        elif isinstance(value, date):
            end = None  # an all-day event: its end says nothing about the interview's
    elif _one(event, "DURATION") is not None:
        value = _value(_one(event, "DURATION"))
        if isinstance(value, timedelta):
            end = (start.astimezone(timezone.utc) + value).astimezone(start.tzinfo)
    if end is None:
        return None
    end = end.astimezone(start.tzinfo)
    if end <= start:
        notes.append("the end is not after the start; an hour is assumed")
        return None
    return end


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


# --------------------------------------------------------------------------- people

_CREDENTIALS = {"phd", "ph.d.", "mba", "md", "cpa", "pmp", "jr", "jr.", "sr", "sr.", "ii", "iii", "esq", "esq."}


def _person_name(cn: str, address: str) -> str:
    """A CN as a name: quotes dropped, "Roe, Jane" turned round, "" when it is the address.

    >>> _person_name('"Roe, Jane"', "jane@x"), _person_name("Rossi, PhD", ""), _person_name("jane@x", "jane@x")
    ('Jane Roe', 'Rossi, PhD', '')
    """
    name = " ".join(cn.strip().strip('"').strip("'").split())
    if not name or name.lower() == address or ("@" in name and " " not in name):
        return ""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if (first and last and first.lower() not in _CREDENTIALS and len(first.split()) <= 2
                and len(last.split()) <= 2 and not first.isupper()):
            return f"{first} {last}"
    return name


def _address_of(prop: Any) -> str:
    params = getattr(prop, "params", {})
    explicit = str(params.get("EMAIL", "") or "").strip()
    value = str(prop).strip()
    if explicit:
        address = explicit
    elif value[:7].lower() == "mailto:":
        address = value[7:]
    elif "@" in value and ":" not in value:
        address = value
    else:
        return ""  # urn:uuid:…, invalid:nomail (Apple, for attendees without an address)
    address = address.strip().strip("<>").lower()
    return address if re.fullmatch(r"[^\s@<>,;:\"]+@[^\s@<>,;:\"]+", address) else ""


def _people(event: Any, own: set[str], organizer_role: str, where: Callable[..., str],
            notes: list[str]) -> tuple[InvitePerson | None, tuple[InvitePerson, ...], str]:
    """The organizer, the other people (interviewers), and the user's own name as the invitation gives it."""
    own_name = ""
    organizer: InvitePerson | None = None
    prop = _one(event, "ORGANIZER")
    if prop is not None:
        params = getattr(prop, "params", {})
        address = _address_of(prop)
        sent_by = str(params.get("SENT-BY", "") or "")
        if address.endswith("calendar.google.com") and sent_by:
            address = sent_by.removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()
        name = _person_name(str(params.get("CN", "") or ""), address)
        if address and address in own:
            own_name = name
            notes.append("you are the organizer: there is no recruiter on this invitation")
        elif address or name:
            organizer = InvitePerson(name, address, organizer_role, True, where("ORGANIZER"))
    found = event.get("ATTENDEE")
    props = found if isinstance(found, list) else [found] if found is not None else []
    attendees: list[InvitePerson] = []
    seen = {organizer.email} if organizer is not None and organizer.email else set()
    for k, prop in enumerate(props):
        params = getattr(prop, "params", {})
        address = _address_of(prop)
        name = _person_name(str(params.get("CN", "") or ""), address)
        kind = str(params.get("CUTYPE", "INDIVIDUAL") or "INDIVIDUAL").upper()
        if address in own and address:
            own_name = own_name or name
            continue
        if kind in ("ROOM", "RESOURCE") or address.endswith("resource.calendar.google.com"):
            notes.append(f"a room or resource ({name or address}) was left out")
            continue
        if kind == "GROUP":
            notes.append(f"a group ({name or address}) was left out: add its people by hand")
            continue
        if str(params.get("PARTSTAT", "") or "").upper() == "DECLINED":
            notes.append(f"{name or address} declined and was left out")
            continue
        if (address and address in seen) or not (address or name):
            continue
        if address:
            seen.add(address)
        required = str(params.get("ROLE", "REQ-PARTICIPANT") or "").upper() != "OPT-PARTICIPANT"
        attendees.append(InvitePerson(name, address, "interviewer", required, where("ATTENDEE", k)))
    if not own_name and own and not any(_address_of(p) in own for p in props):
        notes.append("none of your addresses is on the invitation (was it forwarded to you?)")
    return organizer, tuple(attendees), own_name


# --------------------------------------------------------------------------- the company

_PREFIX = re.compile(r"^\s*(?:updated\s+invitation(?:\s+with\s+note)?|invitation(?:\s+with\s+note)?|"
                     r"invitation\s+from\s+google\s+calendar|updated|cancel+ed(?:\s+event)?(?:\s+with\s+note)?|"
                     r"accepted|declined|tentative(?:ly\s+accepted)?|fwd?|re|aw|wg)\s*:\s*", re.IGNORECASE)
_GOOGLE_WHEN = re.compile(r"\s@\s(?:mon|tue|wed|thu|fri|sat|sun|daily|weekly|monthly|every)\b.*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[-–—:|/·•x]\s+|\s*[|/·•–—()\[\]<>,;]\s*|:\s+|\s+<>\s+|\s+&\s+")
_CONNECTORS = re.compile(r"\s+(?:with|at|for|@)\s+", re.IGNORECASE)
#: words a summary wraps the company in
_GENERIC_WORDS = """
interview interviews interviewing onsite on-site on site virtual video phone screen screening call chat technical
tech coding code system systems design behavioral behavioural cultural culture fit values final round rounds
first second third fourth 1st 2nd 3rd 4th initial intro introduction introductory meeting meet conversation session
panel loop super superday hiring manager recruiter recruiting talent acquisition team zoom teams google microsoft
webex hangout hangouts with at for and the a an of to your you our my candidate follow-up followup follow up
debrief sync catch-up min mins minute minutes hour hours hr hrs part stage step next steps invitation invite
discussion deep dive pairing pair programming take-home review presentation case study lunch dinner coffee tour
office remote in-person in person sr jr senior staff principal lead position role job opening opportunity
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_TITLE = re.compile(r"\b(?:engineer|developer|manager|designer|scientist|analyst|director|architect|recruiter|"
                    r"consultant|specialist|administrator|product owner)s?\b", re.IGNORECASE)
_WHEN = re.compile(r"^(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|\d{1,4}[-./]\d{1,2}(?:[-./]\d{1,4})?|"
                   r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d{1,2}|"
                   r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|[a-z]{2,5}t|utc|gmt)$", re.IGNORECASE)
_FREE_MAIL = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de",
    "gmx.net", "web.de", "yandex.ru", "yandex.com", "ya.ru", "mail.ru", "fastmail.com", "zoho.com", "hey.com",
    "qq.com", "163.com", "example.com", "example.org", "example.net",
}
#: scheduling and recruiting services that send invitations for companies
_SERVICES = ("calendar.google.com", "greenhouse.io", "lever.co", "ashbyhq.com", "goodtime.io", "calendly.com",
             "workday.com", "myworkday.com", "smartrecruiters.com", "icims.com", "gem.com", "modernloop.io",
             "zoom.us", "microsoft.com", "teams.microsoft.com", "linkedin.com")
_GENERIC_LABELS = {"mail", "email", "e-mail", "corp", "co", "com", "net", "org", "inc", "ltd", "gmbh", "us", "eu",
                   "uk", "de", "app", "apps", "hq", "careers", "jobs", "talent", "team", "recruiting", "people", "hr",
                   "www", "smtp", "mx", "exchange", "outlook", "example", "internal", "int", "global", "group"}


#: legal forms written with a dot, which stays ("Acme Corp.")
_ABBREVIATIONS = {"corp", "inc", "ltd", "co", "llc", "plc", "gmbh", "ag", "sa", "bv", "nv", "pty", "pvt"}


def _strip_generic(words: list[str]) -> list[str]:
    while words and words[0].lower().strip(".,!?'\"") in _GENERIC:
        words = words[1:]
    while words and words[-1].lower().strip(".,!?'\"") in _GENERIC:
        words = words[:-1]
    return words


def company_from_summary(summary: str, people: Iterable[str] = ()) -> tuple[list[str], bool]:
    """The names a summary may give as the company, in order, and whether the summary reads
    as an interview's. People's names (and their first names) are not companies.

    >>> company_from_summary("Interview with Acme Corp")
    (['Acme Corp'], True)
    >>> company_from_summary("Acme Corp – onsite")
    (['Acme Corp'], True)
    >>> company_from_summary("Invitation: Jane Roe / Alex Morgan - Technical Interview @ Tue Nov 24, 2026 2pm - 3pm (EST)",
    ...                      ["Jane Roe", "Alex Morgan"])
    ([], True)
    """
    text = summary
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _GOOGLE_WHEN.sub("", text)
    names: set[str] = set()
    for person in people:
        key = normalise_name(person)
        if key:
            names.add(key)
            names.update(key.split())
    out: list[str] = []
    for segment in _SEPARATORS.split(text):
        for part in _CONNECTORS.split(f" {segment} "):
            words = _strip_generic(part.split())
            candidate = " ".join(words).strip(" ,!?'\"")
            if candidate.endswith(".") and candidate[:-1].rsplit(" ", 1)[-1].lower() not in _ABBREVIATIONS:
                candidate = candidate.rstrip(".")
            if not candidate or not any(ch.isalpha() for ch in candidate) or "@" in candidate:
                continue
            if _TITLE.search(candidate) or _WHEN.match(candidate):
                continue
            key = normalise_name(candidate)
            if key in names or all(w in names for w in key.split()):
                continue
            if candidate not in out:
                out.append(candidate)
    return out, bool(_INTERVIEW.search(text))


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _domain_labels(address: str) -> list[str]:
    """The labels of an address's domain that may name a company, the registrable one
    (``acme`` in ``eng.acme.co.uk``) first; none for free mail and scheduling services."""
    domain = address.rsplit("@", 1)[-1].strip(".").lower()
    if not domain or domain in _FREE_MAIL or any(domain == s or domain.endswith("." + s) for s in _SERVICES):
        return []
    labels = [label for label in domain.split(".")[:-1]  # not the top-level domain
              if label and label not in _GENERIC_LABELS and not label.isdigit()]
    return labels[::-1]


def _company(summary: str, people: list[str], organizer: InvitePerson | None, attendees: tuple[InvitePerson, ...],
             companies: Iterable[str], own: set[str],
             summary_at: str) -> tuple[str, str, tuple[str, ...], str]:
    """The company, where it came from, the candidates considered, and the line it came from."""
    known: dict[str, str] = {}  # company key -> the name as first written
    compact: dict[str, str] = {}  # a squeezed form of a name (as a mail domain writes it) -> company key
    for name in companies:
        key = normalise_company(name)
        if not key:
            continue
        known.setdefault(key, name.strip())
        compact.setdefault(_compact(key), key)
        compact.setdefault(_compact(name), key)
    candidates, interview_like = company_from_summary(summary, people)
    matched = list(dict.fromkeys(normalise_company(c) for c in candidates if normalise_company(c) in known))
    if len(matched) == 1:
        written = next(c for c in candidates if normalise_company(c) == matched[0])
        return written, "summary", tuple(candidates), summary_at
    if not matched and interview_like and len(candidates) == 1:
        return candidates[0], "summary", tuple(candidates), summary_at
    # the attendees' mail domains: interviewers first, the organizer (perhaps an agency) after
    own_domains = {a.rsplit("@", 1)[-1] for a in own}
    by_domain: dict[str, InvitePerson] = {}
    guesses: list[str] = []
    for person in (*attendees, *([organizer] if organizer is not None else [])):
        if not person.email or person.email.rsplit("@", 1)[-1] in own_domains:
            continue
        labels = _domain_labels(person.email)
        matches = [m for m in (compact.get(_compact(label)) for label in labels) if m is not None]
        if matches:
            by_domain.setdefault(matches[0], person)
        elif labels and labels[0].capitalize() not in guesses:
            guesses.append(labels[0].capitalize())
    all_candidates = tuple(dict.fromkeys([*candidates, *(known[k] for k in by_domain), *guesses]))
    from_attendees = [k for k, p in by_domain.items() if p is not organizer]
    chosen = from_attendees if from_attendees else list(by_domain)
    if len(set(chosen)) == 1:
        key = chosen[0]
        return known[key], "domain", all_candidates, by_domain[key].where
    return "", "", all_candidates, ""
