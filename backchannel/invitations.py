"""An invitation makes or moves an interview: which interview it is about, the people it
adds (you and a team's address left out, a name turned round from "Nair, Priya"), what a newer
version changes, and that a cancellation changes nothing. Pure: the orchestrator reads the
invitation (:mod:`backchannel.readers.invites`) and saves what these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from .domain import Interview
from .errors import BackchannelError

if TYPE_CHECKING:
    from .domain import InterviewPerson
    from .readers.invites import Invite, InvitePerson

__all__ = ["InviteChange", "interview_for_invite", "new_interview_from_invite", "join_invite", "without_you",
           "apply_invite"]


@dataclass
class InviteChange:
    """What an invitation did to the interviews: ``added`` (a new interview), ``joined`` (to an
    interview you had recorded), ``updated`` (a newer version moved or changed it),
    ``unchanged``, ``older`` (an older version than the one read before: nothing changed) or
    ``cancelled`` (nothing changed: closing it is yours to decide)."""

    interview: str
    action: str
    notes: list[str] = field(default_factory=list)


def interview_for_invite(invite: Invite, interviews: Iterable[Interview], company_key: str) -> Interview | None:
    """The interview an invitation is about: the one made from it (same UID), else one you
    recorded at the same company within twelve hours of its start that has no invitation yet."""
    pool = list(interviews)
    found = next((iv for iv in pool if iv.invite_uid and iv.invite_uid == invite.uid), None)
    if found is not None:
        return found
    near = [iv for iv in pool if not iv.invite_uid and iv.company_key == company_key
            and abs(iv.at - invite.start) <= timedelta(hours=12)]
    return min(near, key=lambda iv: abs(iv.at - invite.start)) if near else None


def new_interview_from_invite(invite: Invite, *, company: str, company_key: str, interview_id: str, zone: str,
                              when: str, own: Iterable[str] = ()) -> tuple[Interview, list[str]]:
    """A new interview from an invitation; ``zone`` is where its times are shown (the
    invitation's own, or yours when it gave none)."""
    start = invite.start
    iv = Interview(id=interview_id, company=company, at=start, tz=zone, company_key=company_key,
                   source=f"invitation {invite.path.replace(chr(92), '/').rsplit('/', 1)[-1]}")
    notes = join_invite(iv, invite, when=when, zone=zone, own=own)
    return iv, [n for n in notes if not n.startswith("moved")]


def join_invite(iv: Interview, invite: Invite, *, when: str, zone: str, own: Iterable[str] = ()) -> list[str]:
    """Bring an interview in line with its invitation (in place): its time, zone and end, and
    its people's addresses (someone new is added with the invitation's role). Returns what
    changed, in words. An invitation that gave no zone of its own (UTC, or a floating time)
    keeps the interview's zone. You (``own``: your addresses) are never one of its people; a
    team address (Talent Team, recruiting@…) is no person and is left out; someone a newer
    version no longer lists is named (kept: removing them is yours to decide)."""
    from .times import human_time, zone_from_name

    notes: list[str] = []
    if invite.zone_source not in ("utc", "floating"):
        iv.tz = zone
    if iv.at != invite.start:
        shown = zone_from_name(iv.tz or zone)
        notes.append(f"moved from {human_time(iv.at, shown, label=True)} to {human_time(invite.start, shown, label=True)}")
        iv.at = invite.start
    iv.ends = invite.end
    mine = {a.lower() for a in own}
    for p in [p for p in iv.people if p.email and p.email.lower() in mine]:
        iv.people.remove(p)
        notes.append(f"left you out ({p.email} is your address)")
    listed = [p for p in (invite.organizer, *invite.attendees) if p is not None]
    for person in listed:
        if _is_a_team(person.name, person.email):
            notes.append(f"left out {person.name or person.email}: a team's address, not a person (add who you "
                         f"meet with: backchannel interview person {iv.id} NAME --role ROLE)")
            continue
        notes += _join_person(iv, person, invite.uid, when)
    for p in iv.people:  # on the version read before, not on this one
        if p.edited.get("invitation") == iv.invite_uid == invite.uid and not any(
                _same(p, person) for person in listed):
            notes.append(f"{p.name} is no longer on the invitation (still in the interview; to remove them: "
                         f"backchannel interview person {iv.id} \"{p.name}\" --remove)")
    iv.invite_uid, iv.invite_sequence = invite.uid, invite.sequence
    return notes


def _same(p: InterviewPerson, person: InvitePerson) -> bool:
    from .identity import normalise_name

    return bool((person.email and p.email.lower() == person.email)
                or (person.name and normalise_name(p.name) == normalise_name(person.name)))


def _join_person(iv: Interview, person: InvitePerson, uid: str, when: str) -> list[str]:
    """One person of the invitation on the interview: their address given to whoever they are,
    or added with the invitation's role."""
    from .roster import add_person

    found = next((p for p in iv.people if person.email and p.email.lower() == person.email), None) or \
        next((p for p in iv.people if _same(p, person)), None)
    if found is not None:
        if person.email and not found.email:
            found.email = person.email
            found.edited["email"] = when  # an interviews file without it keeps it
            return [f"{found.name}'s address is {person.email}"]
        return []
    name, named = _invite_name(person.name, person.email)
    added = add_person(iv, person.role, name, when=when)
    added.email = person.email
    added.edited["email"] = when
    added.edited["invitation"] = uid
    note = f"added {name} ({person.role}{'' if person.required else ', optional on the invitation'})"
    if not named:
        note += (f": named from the address {person.email}; to correct it: backchannel interview person {iv.id} "
                 f"\"{name}\" --name \"...\"")
    return [note]


#: words of a team's name or address: no person to thank
_TEAM_WORDS = frozenset({
    "team", "talent", "recruiting", "recruitment", "recruiter", "recruiters", "careers", "career", "hiring", "hr",
    "people", "jobs", "scheduling", "scheduler", "interviews", "interview", "coordinator", "coordination",
    "acquisition", "noreply", "no-reply", "staffing",
})


def _is_a_team(name: str, email: str) -> bool:
    """A team's name or address (Talent Team, Recruiting Coordinator, recruiting@…), not a person's.

    >>> _is_a_team("Talent Team", ""), _is_a_team("", "recruiting@acme.example"), _is_a_team("Jane Roe", "jane@x")
    (True, True, False)
    """
    words = name.lower().replace("-", " ").split()
    local = email.split("@", 1)[0].lower().replace(".", " ").replace("_", " ").replace("-", " ").split()
    return bool((words and all(w in _TEAM_WORDS for w in words)) or (not words and local
                                                                   and all(w in _TEAM_WORDS for w in local)))


def apply_invite(invite: Invite, interviews: Sequence[Interview], *, company: str, company_key: str, zone: str,
                 when: str, own: Iterable[str] = ()) -> tuple[InviteChange, Interview | None]:
    """What an invitation does (see :class:`InviteChange`), and the interview to save (None
    when nothing changed)."""
    from .readers.interviews import interview_id_for
    from .times import human_time, zone_from_name

    iv = interview_for_invite(invite, interviews, company_key)
    if invite.cancelled:
        if iv is None:
            raise BackchannelError(f"{invite.path}: this invitation cancels an interview backchannel does not "
                                   "know; nothing changed")
        return InviteChange(iv.id, "cancelled", [
            f"{iv.company} cancelled the interview of {human_time(iv.at, zone_from_name(iv.tz), label=True)}; "
            "nothing changed: a cancellation is often a new time on its way, and its invitation will move this "
            "interview"]), None
    if iv is None:
        base = interview_id_for(company, invite.start.astimezone(zone_from_name(zone)).date().isoformat())
        taken, new_id, n = {i.id for i in interviews}, base, 1
        while new_id in taken:  # another interview there that day
            n += 1
            new_id = f"{base}-{n}"
        iv, notes = new_interview_from_invite(invite, company=company, company_key=company_key,
                                              interview_id=new_id, zone=zone, when=when, own=own)
        return InviteChange(iv.id, "added", notes), iv
    if iv.invite_uid == invite.uid and invite.sequence < iv.invite_sequence:
        return InviteChange(iv.id, "older", [f"this is an older version of the invitation ({invite.sequence}) "
                                             f"than the one read before ({iv.invite_sequence}); nothing changed"]), None
    joined = iv.invite_uid != invite.uid
    notes = join_invite(iv, invite, when=when, zone=zone, own=own)
    return InviteChange(iv.id, "joined" if joined else "updated" if notes else "unchanged", notes), iv


def without_you(invite: Invite, your_name: str) -> Invite:
    """The invitation without you, told by your name (for an invitation read without your
    addresses, which lists you among the interviewers)."""
    from .identity import normalise_name

    me = normalise_name(your_name)
    if not me:
        return invite

    def is_you(person: InvitePerson) -> bool:
        return normalise_name(_invite_name(person.name, person.email)[0]) == me

    return replace(invite, organizer=None if invite.organizer is not None and is_you(invite.organizer)
                   else invite.organizer, attendees=tuple(p for p in invite.attendees if not is_you(p)))


def _invite_name(name: str, email: str) -> tuple[str, bool]:
    """A person's name from the invitation, else read from an address such as
    ``jane.roe@acme.example`` (said so), else the address itself.

    >>> _invite_name("", "jane.roe@acme.example"), _invite_name("", "jr@acme.example")
    (('Jane Roe', False), ('jr@acme.example', False))
    """
    if name:
        return name, True
    local = email.split("@", 1)[0]
    parts = [p for p in local.replace("_", ".").replace("-", ".").split(".") if p]
    if len(parts) in (2, 3) and all(p.isalpha() and len(p) > 1 for p in parts):
        return " ".join(p.capitalize() for p in parts), False
    return email, False
