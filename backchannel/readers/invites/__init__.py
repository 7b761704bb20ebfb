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
- Outlook's Windows names with their VTIMEZONE (``TZID=Eastern Standard Time``), and Windows'
  display names of the common zones (``(UTC-05:00) Eastern Time (US & Canada)``, when the
  offset agrees): the IANA zone they name (``windows``), unless the file's own VTIMEZONE gives
  another offset at the start, which then wins as a fixed offset (``vtimezone``).
- Any other TZID with a VTIMEZONE in the file (``Customized Time Zone``): that definition's
  offset at the start (``vtimezone``). The
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

The modules
-----------
- :mod:`~backchannel.readers.invites.reader`: :func:`read_invite` and :func:`parse_invite`,
  the file, the calendar, which event;
- :mod:`~backchannel.readers.invites.zones`: the start and end, and their zone;
- :mod:`~backchannel.readers.invites.people`: the organizer and the attendees;
- :mod:`~backchannel.readers.invites.company`: the company, from the summary or the mail
  domains (:func:`company_from_summary`);
- :mod:`~backchannel.readers.invites.lines`: where each property is, for messages;
- :mod:`~backchannel.readers.invites.properties`: an event's properties, read forgivingly;
- :mod:`~backchannel.readers.invites.records`: :class:`Invite` and :class:`InvitePerson`.

Import from here (``from backchannel.readers.invites import read_invite``).
"""

from __future__ import annotations

from .company import company_from_summary
from .reader import MAX_INVITE_BYTES, parse_invite, read_invite
from .records import DEFAULT_DURATION, Invite, InvitePerson

__all__ = ["Invite", "InvitePerson", "read_invite", "parse_invite", "company_from_summary", "DEFAULT_DURATION",
           "MAX_INVITE_BYTES"]
