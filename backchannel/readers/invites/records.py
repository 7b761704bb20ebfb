"""What the invitation reader hands out: :class:`Invite` and the :class:`InvitePerson` records on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Invite", "InvitePerson", "DEFAULT_DURATION"]

#: how long an interview lasts when the invitation does not say
DEFAULT_DURATION = timedelta(hours=1)


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
