"""Your mail tells the plan what happened: which touch a message you sent fulfils, and which of
your messages an answer answers. Pure: the orchestrator reads the archive (readers/mail.py)
and writes the events these functions decide.

Each message between you and a person of an interview (by the address the interviews file,
an invitation or your export gives them) is read in the order it was sent:

- **One you sent** to them (in ``To``; someone only copied is listed, never logged) is the
  open touch with them that it fulfils: of the thank-you email, a check-in, the news, a
  keep-in-touch, the referrer's thanks and a back-channel message, the one due first whose
  window has opened, or opens within a day of the message (a check-in: within
  :data:`CHECK_IN_EARLY`, on the eve of its day). It is logged done at the message's time,
  booking the next contact exactly as ``done --at`` would. A message within
  :data:`FOLLOW_UP` of your last one to them is a follow-up in that exchange (the code sample
  they asked for, a resend), not a new touch. A handwritten note and a casual touch are
  never read from mail: a card is paper, and a casual note cannot be told from a business
  one without reading it.
- **One they sent** you after a message of yours is their reply to your last one: noted as
  ``replied`` (once; a second message in the thread changes nothing), which resets the
  back-off and drops the casual touches that were waiting for silence. An automatic one (an
  out-of-office reply, a bounce) is never their answer.
- **Nothing you logged by hand is overridden**: a message within :data:`BY_HAND` of something
  you logged by hand with the same person is taken to be that, and left as it is.
- A message from before the interview ended (arranging it), or dated after now, logs
  nothing. One address on several interviews (a recruiter of two rounds) is the most recent
  interview before the message with a touch open for it.

Only who, when and which direction are used; a message is known by the hash of its
Message-ID, so reading the same archive again changes nothing, and a message whose event you
undid stays undone (for that person: one whose address you added since is read for them).

>>> from datetime import datetime, timezone
>>> EARLY.days, CHECK_IN_EARLY.seconds // 3600, FOLLOW_UP.days, BY_HAND.days
(1, 12, 1, 1)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .domain import Interview, Touch, TouchEvent
from .errors import BackchannelError
from .followup import INTERVIEW_HOURS, InterviewPlan, decide_done, decide_replied, ring_states
from .times import WorkCalendar

if TYPE_CHECKING:
    pass

__all__ = ["Message", "Logged", "Left", "MailLog", "log_messages", "MAIL_KINDS", "EARLY", "CHECK_IN_EARLY",
           "FOLLOW_UP", "BY_HAND", "CROWD",
           "interview_end", "person_name", "your_addresses", "checked_addresses", "addresses_of"]

#: the touches a message can fulfil
MAIL_KINDS = ("thank-you-email", "check-in", "outcome-news", "keep-in-touch", "referrer-thanks", "back-channel")
#: a message sent this long before its touch's window opens still is that touch (a check-in:
#: :data:`CHECK_IN_EARLY`)
EARLY = timedelta(days=1)
CHECK_IN_EARLY = timedelta(hours=12)
#: a message this soon after your last one to the same person is a follow-up to it, not a new touch
FOLLOW_UP = timedelta(days=1)
#: a message this close to something logged by hand with the same person is that, already logged
BY_HAND = timedelta(days=1)
#: mail to more people than this, half of them or more not of your interviews, is to a crowd, not to them
CROWD = 3


class Message(Protocol):
    """What is read of a message (:class:`~backchannel.readers.mail.MailMessage` has it)."""

    @property
    def message_hash(self) -> str: ...
    @property
    def sent_at(self) -> datetime: ...
    @property
    def sender(self) -> str: ...
    @property
    def recipients(self) -> tuple[str, ...]: ...
    @property
    def addressed(self) -> int: ...
    @property
    def automatic(self) -> bool: ...
    @property
    def written_to(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Logged:
    """An event read from a message: the touch as it was, and what was logged on it."""

    touch: Touch
    event: TouchEvent
    reread: bool = False  # logged before from a later message, read again in order with an earlier one

    @property
    def handle(self) -> str:
        return f"{self.touch.interview}/{self.touch.handle}"


@dataclass(frozen=True)
class Left:
    """A message to or from an interview person that logged nothing, and why."""

    interview: str
    person: str
    at: datetime
    reason: str


@dataclass
class MailLog:
    """What a pass over the messages decided: the events to write, in order, and the rest."""

    logged: list[Logged] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    seen: int = 0  # read before (or undone): nothing to do
    automatic: int = 0  # sent by a machine (an out-of-office reply, a bounce): never their answer
    before: int = 0  # from before the interview ended
    future: int = 0  # dated after now
    #: senders that are neither you nor anyone of your interviews, writing to them: perhaps an
    #: address of yours not given (with how many messages)
    strangers: dict[str, int] = field(default_factory=dict)
    #: events read from mail before, from messages later than one read now: removed, and their
    #: messages read again in order (the orchestrator deletes these)
    removed: list[TouchEvent] = field(default_factory=list)


#: the plan of an interview with these events, as of a moment (the orchestrator binds ranking and calendar)
PlanAt = Callable[[Interview, list[TouchEvent], datetime], InterviewPlan]


def interview_end(iv: Interview) -> datetime:
    """When an interview ended: as its invitation said, else an hour after it started."""
    return iv.ends if iv.ends is not None else iv.at + timedelta(hours=INTERVIEW_HOURS)


def checked_addresses(given: Iterable[str], option: str = "--me") -> list[str]:
    """The addresses given with ``--me`` (or ``option``), in lower case; one that is not an
    address is a one-line error."""
    from .identity import normalise_email

    found = []
    for text in given:
        address = normalise_email(text)
        if not address:
            raise BackchannelError(f"{option}: {text!r} is not a mail address")
        found.append(address)
    return found


def your_addresses(given: Iterable[str], configured: Iterable[str], remembered: Iterable[str],
                   export: str | os.PathLike[str] = "") -> tuple[str, ...]:
    """Your addresses, each once: those given, the config's, those given before, then those of
    your export's ``Email Addresses.csv`` (when the export is still at ``export``)."""
    from .errors import InputError
    from .readers.mail import export_addresses

    found = [*checked_addresses(given), *configured, *remembered]
    if export and Path(export).exists():
        with contextlib.suppress(InputError, OSError):
            found += export_addresses(export)
    return tuple(dict.fromkeys(found))


def addresses_of(plans: Iterable[InterviewPlan], emails: Mapping[int, str], *,
                 profiles: bool = False) -> dict[str, list[tuple[str, str]]]:
    """Each mail address of the people of the plans (the interviews file's or an invitation's,
    and ``emails``: the export's, by person id) to the (interview, person slug) pairs it
    reaches. With ``profiles``, the same for LinkedIn profile keys (``emails`` then holds the
    export's profile addresses)."""
    from .identity import normalise_email, profile_key

    key = profile_key if profiles else normalise_email
    out: dict[str, list[tuple[str, str]]] = {}
    for plan in plans:
        people = plan.interview.people
        pairs = [(p.slug, p.profile_url if profiles else p.email) for p in people]
        pairs += [(p.slug, emails.get(p.person_id, "")) for p in people if p.person_id]
        pairs += [(t.person_slug, emails.get(int(t.node[7:]), "")) for t in plan if t.node[7:].isdigit()]
        for slug, email in pairs:
            address = key(email)
            if address and (plan.interview.id, slug) not in out.setdefault(address, []):
                out[address].append((plan.interview.id, slug))
    return out


def log_messages(messages: Iterable[Message], *, interviews: Mapping[str, Interview],
                 events: Mapping[str, Sequence[TouchEvent]], addresses: Mapping[str, Sequence[tuple[str, str]]],
                 own: Iterable[str], known: set[tuple[str, str, str]], plan_at: PlanAt, calendar_of: Callable[[Interview], WorkCalendar],
                 now: datetime, zone: tzinfo, source: str = "mail") -> MailLog:
    """Decide what each message logs (see the module docstring). ``addresses``: each address (lower-case) to the
    (interview, person) pairs it reaches; ``events``: what is logged so far, per interview; ``known``: (message hash,
    interview, person) read before or undone (a message is read again for anyone else it reaches). The events
    returned carry ``source`` and the message's hash, numbered after the existing ones, in the order to write them."""
    mine = {a.lower() for a in own}
    log = MailLog()
    current = {k: list(v) for k, v in events.items()}
    seq = max((e.seq for evs in current.values() for e in evs), default=0)
    messages = list(messages)
    replays = _read_again(messages, current, addresses, interviews, known, mine, now, log)
    replayed = {(r.message_hash, *r.only) for r in replays}
    wrote: dict[tuple[str, str], datetime] = {}  # your first message to each person in this pass
    known = known - replayed
    for message in sorted([*messages, *replays], key=lambda m: (m.sent_at, m.message_hash)):
        at, key = message.sent_at, message.message_hash
        outgoing = message.sender.lower() in mine
        if not outgoing and message.sender.lower() not in addresses:
            if any(a in addresses for a in message.written_to):  # to them, from someone who is not you
                log.strangers[message.sender.lower()] = log.strangers.get(message.sender.lower(), 0) + 1
            continue
        only = getattr(message, "only", None)
        targets = _targets(message, outgoing, addresses, interviews, known, replayed)
        if not any(pairs for _a, _c, pairs in targets):
            log.seen += bool(targets)  # (read before for everyone it reaches)
            continue
        if at > now:
            log.future += 1
            continue
        if not outgoing and message.automatic:
            log.automatic += 1
            continue
        done: set[tuple[str, str]] = set()  # a person reached at two of their addresses is one
        before = False
        crowd = _not_personal(message, outgoing, addresses, mine, source)
        for _address, copied_on, pairs in targets:
            ended = [p for p in pairs if p not in done and at >= interview_end(interviews[p[0]])]
            before = before or any(p not in done for p in pairs if p not in ended)
            if not ended:
                continue
            if crowd:
                iv_id, slug = ended[0]
                done.update(ended)
                log.left.append(Left(iv_id, person_name(interviews[iv_id], slug), at, crowd))
                continue
            if copied_on:
                iv_id, slug = ended[0]
                done.add(ended[0])
                log.left.append(Left(iv_id, person_name(interviews[iv_id], slug), at, f"copied on your message to "
                                     f"{copied_on}: not logged as a message to them (log it by hand if it was)"))
                continue
            reasons: list[Left] = []
            for iv_id, slug in ended:  # the most recent interview with a touch open for them takes it
                iv = interviews[iv_id]
                plan = plan_at(iv, current.setdefault(iv_id, []), at)
                if outgoing:
                    wrote.setdefault((iv_id, slug), at)
                decided = _decide(message, plan, slug, current[iv_id], calendar_of(iv), now, outgoing, zone,
                                  wrote.get((iv_id, slug)))
                if isinstance(decided, str):
                    reasons.append(Left(iv_id, person_name(iv, slug, plan), at, decided))
                    continue
                seq += 1
                event = replace(decided[1], seq=seq, source=getattr(message, "source", source), message=key)
                current[iv_id].append(event)
                log.logged.append(Logged(decided[0], event, reread=only is not None))
                done.add((iv_id, slug))
                break
            else:
                log.left.append(reasons[0])
                done.update(ended)
        if before and not done:
            log.before += 1
    _keep_what_did_not_change(log)
    return log


def _targets(message: Message, outgoing: bool, addresses: Mapping[str, Sequence[tuple[str, str]]],
             interviews: Mapping[str, Interview], known: set[tuple[str, str, str]],
             replayed: set[tuple[str, str, str]]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each address of interview people a message concerns, with "" or whom it was written to
    (for someone only copied), and the (interview, person) pairs it still has to be read for."""
    at, key, only = message.sent_at, message.message_hash, getattr(message, "only", None)
    return [(a, copied, [p for p in _latest_first(addresses.get(a, ()), interviews, at) if (key, *p) not in known
                         and (p == only if only is not None else (key, *p) not in replayed)])
            for a, copied in _whom(message, outgoing, addresses, interviews)]


def _not_personal(message: Message, outgoing: bool, addresses: Mapping[str, Sequence[tuple[str, str]]],
                  mine: set[str], source: str) -> str:
    """Why a message is not one to (or from) them personally, or "": a message in a LinkedIn
    group conversation (a post to several people is no thank-you, and no answer to yours), or
    mail written to people who are not of your interviews as well (a newsletter, a greeting to
    friends: to more than :data:`CROWD` people, half or more of them not of your interviews). Mail to
    the panel at once is personal, and so is one to a person and someone you have no address for."""
    to = [a.lower() for a in message.written_to if a.lower() not in mine]
    besides = len(to) - (1 if outgoing else 0)  # (besides you and the one it is from or to)
    if source == "linkedin" and besides > 0:
        return f"a message in a group conversation of {besides + 2} people: not a message to them alone, not logged"
    if outgoing and source != "linkedin" and len(to) > CROWD:
        strangers = [a for a in to if a not in addresses]
        if 2 * len(strangers) >= len(to):
            return (f"written to {len(to)} people at once, {len(strangers)} of them not of your interviews: not a "
                    "message to them alone, not logged (log it by hand if it was)")
    return ""


def _same_event(a: TouchEvent, b: TouchEvent) -> bool:
    return (a.touch_id, a.event, a.at, a.next_at, a.checkin_id, a.message, a.source) == \
        (b.touch_id, b.event, b.at, b.next_at, b.checkin_id, b.message, b.source)


def _keep_what_did_not_change(log: MailLog) -> None:
    """A person whose later messages were read again, where the earlier message logged nothing
    new and each one logs what it logged before, keeps their events as they are: nothing is
    rewritten, and nothing is announced as logged (an archive read again says nothing new)."""
    fresh = {(x.event.interview_id, x.event.person_slug) for x in log.logged if not x.reread}
    people = {(e.interview_id, e.person_slug) for e in log.removed} - fresh
    for person in people:
        removed = sorted((e for e in log.removed if (e.interview_id, e.person_slug) == person),
                         key=lambda e: (e.at, e.touch_id))
        again = sorted((x for x in log.logged if x.reread and (x.event.interview_id, x.event.person_slug) == person),
                       key=lambda x: (x.event.at, x.event.touch_id))
        if len(removed) == len(again) and all(_same_event(a, x.event) for a, x in zip(removed, again, strict=True)):
            log.removed = [e for e in log.removed if e not in removed]
            log.logged = [x for x in log.logged if x not in again]


@dataclass(frozen=True)
class _Again:
    """A message read into the log before, read again (from what its event kept: who, when,
    which direction), for one person only."""

    message_hash: str
    sent_at: datetime
    sender: str
    recipients: tuple[str, ...]
    only: tuple[str, str]
    source: str
    addressed: int = 1
    automatic: bool = False

    @property
    def written_to(self) -> tuple[str, ...]:
        return self.recipients


def _read_again(messages: list[Message], current: dict[str, list[TouchEvent]],
                addresses: Mapping[str, Sequence[tuple[str, str]]], interviews: Mapping[str, Interview],
                known: set[tuple[str, str, str]], mine: set[str], now: datetime, log: MailLog) -> list[_Again]:
    """The events read from mail before, from messages later than a new one to or from the same
    person: taken out of ``current`` (and into ``log.removed``), their messages to be read again
    in order. Not when you logged something by hand with them since: that stays as it is."""
    address_of = {pair: address for address, pairs in addresses.items() for pair in pairs}
    earliest: dict[tuple[str, str], datetime] = {}
    for m in messages:
        if m.sent_at > now:
            continue
        outgoing = m.sender.lower() in mine
        for a in (m.written_to if outgoing else (m.sender.lower(),)):
            for pair in addresses.get(a, ()):
                if (m.message_hash, *pair) not in known and pair[0] in interviews:
                    earliest[pair] = min(earliest.get(pair, m.sent_at), m.sent_at)
    me = min(mine) if mine else ""
    again: list[_Again] = []
    for (iv_id, slug), first in earliest.items():
        theirs = [e for e in current.get(iv_id, []) if e.person_slug == slug and e.at > first]
        later = [e for e in theirs if e.source != "hand" and e.message]
        if not later or any(e.source == "hand" for e in theirs) or (iv_id, slug) not in address_of or not me:
            continue
        address = address_of[(iv_id, slug)]
        for e in later:
            current[iv_id].remove(e)
            log.removed.append(e)
            done = e.event == "done"
            again.append(_Again(e.message, e.at, me if done else address, (address,) if done else (me,),
                                (iv_id, slug), e.source))
    return again


def _whom(message: Message, outgoing: bool, addresses: Mapping[str, Sequence[tuple[str, str]]],
          interviews: Mapping[str, Interview]) -> list[tuple[str, str]]:
    """The addresses of interview people a message concerns, each with "" or, for someone only
    copied, the names of those it was written to."""
    if not outgoing:
        return [(message.sender.lower(), "")]
    written = message.recipients[:message.addressed]
    names = [person_name(interviews[iv], slug) for a in written for iv, slug in addresses.get(a, ())
             if iv in interviews]
    to = ", ".join(dict.fromkeys(n for n in names if n)) or "someone else"
    return [(a, "") for a in written] + [(a, to) for a in message.recipients[message.addressed:]]


def _latest_first(pairs: Iterable[tuple[str, str]], interviews: Mapping[str, Interview],
                  at: datetime) -> list[tuple[str, str]]:
    """Interviews before the message first, the most recent of them first; then later ones."""
    known = [p for p in pairs if p[0] in interviews]
    return sorted(known, key=lambda p: (interviews[p[0]].at > at, -interviews[p[0]].at.timestamp()))


def _decide(message: Message, plan: InterviewPlan, slug: str, events: list[TouchEvent], calendar: WorkCalendar,
            now: datetime, outgoing: bool, zone: tzinfo, wrote: datetime | None = None) -> tuple[Touch, TouchEvent] | str:
    """What a message logs, or why nothing; ``wrote``: when your first message to them in this
    pass was sent (so an answer that came before you logged that message by hand answers it)."""
    from .times import human_time

    at = message.sent_at

    def when(moment: datetime) -> str:
        return human_time(moment, zone, label=True)

    handles = {t.id: t.handle for t in plan}
    by_hand = [e for e in events if e.person_slug == slug and e.source == "hand" and abs(e.at - at) <= BY_HAND
               and e.event == ("done" if outgoing else "replied") and e.touch_id.split("/")[1:2] in
               [[k] for k in MAIL_KINDS]]
    if by_hand:
        e = by_hand[-1]
        return (f"you logged {handles.get(e.touch_id, e.touch_id)} {'done' if outgoing else 'answered'} by hand "
                f"({when(e.at)}): left as you logged it")
    mine = [t for t in plan if t.person_slug == slug and t.kind in MAIL_KINDS]
    if outgoing:
        return _sent(at, mine, plan, slug, events, calendar, now, when)
    sent = sorted((t for t in mine if t.done_at is not None and t.done_at < at), key=lambda t: t.done_at or at)
    if not sent and wrote is not None and wrote < at:  # you logged by hand, later, what you had sent before
        sent = [t for t in mine if t.done_at is not None and t.done_via == "hand" and wrote <= t.done_at <= wrote + BY_HAND]
        sent = sorted(sent, key=lambda t: t.done_at or at)[:1]
    if not sent:
        return _closed_before(plan, at, when) or \
            "you had not written to them yet (a message they were only copied on is not logged)"
    last = sent[-1]
    if last.replied_at is not None:
        return f"their answer to your last message ({last.handle}) is noted already"
    try:
        return last, decide_replied(last, ring_states(plan.interview, events).get(slug), at=at, next_at=None,
                                    plan=plan.touches, logged_at=now)
    except BackchannelError as exc:
        return str(exc)


def _sent(at: datetime, mine: list[Touch], plan: InterviewPlan, slug: str, events: list[TouchEvent],
          calendar: WorkCalendar, now: datetime, when: Callable[[datetime], str]) -> tuple[Touch, TouchEvent] | str:
    """The touch a message you sent fulfils, or why it fulfils none."""
    earlier = [t for t in mine if t.done_at is not None and t.done_at <= at]
    last = max(earlier, key=lambda t: t.done_at or at, default=None)
    if last is not None and last.done_at is not None and at - last.done_at < FOLLOW_UP:
        return f"a follow-up to your message of {when(last.done_at)} ({last.handle}): not a new touch"
    open_now = [t for t in mine if t.is_open and t.due_from is not None and t.due_from - _early(t) <= at]
    if not open_now:
        closed = _closed_before(plan, at, when)
        if closed:
            return closed
        coming = [t for t in mine if t.is_open and t.due_from is not None]
        skipped = [t for t in mine if t.status == "skipped"]
        if coming:
            first = min(coming, key=lambda t: t.due_from or at)
            return f"too early for {first.handle} (due {when(first.due_from or at)}): not logged"
        if skipped:
            return f"you skipped {skipped[-1].handle}: not logged"
        return "nothing was due with them then"
    touch = min(open_now, key=lambda t: (t.due_from or at, t.id))
    try:
        return touch, decide_done(touch, ring_states(plan.interview, events).get(slug), at=at, next_at=None,
                                  calendar=calendar, plan=plan.touches, logged_at=now)
    except BackchannelError as exc:
        return str(exc)


def _closed_before(plan: InterviewPlan, at: datetime, when: Callable[[datetime], str]) -> str:
    """Why a message from before you closed the interview logs nothing (its touches were closed
    with it, as they were), or "" when it was open then."""
    iv = plan.interview
    if not iv.outcome or iv.closed_at is None or at >= iv.closed_at:
        return ""
    return (f"you closed the interview since ({iv.outcome}, {when(iv.closed_at)}): its touches from before were "
            "closed with it, as they were")


def _early(touch: Touch) -> timedelta:
    """How long before its window opens a message still is this touch: a check-in only on the eve
    of its day (earlier, it is a conversation, not the check-in you promised), others a day."""
    return CHECK_IN_EARLY if touch.kind == "check-in" else EARLY


def person_name(iv: Interview, slug: str, plan: InterviewPlan | None = None) -> str:
    """How a person is named: as the interview names them, else as their touches do."""
    person = iv.person(slug)
    if person is not None:
        return person.name or person.email or person.profile_url
    return next((t.person for t in plan if t.person_slug == slug), slug) if plan is not None else slug
