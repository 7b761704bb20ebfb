"""The people on an invitation: the organizer (a recruiter, as a rule) and the attendees
(interviewers), without the user, rooms, groups and people who declined."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .properties import _one
from .records import InvitePerson

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
