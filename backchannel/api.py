"""The Python API, and the one orchestrator: it opens the workspace, reads the clock once per
call, loads rows, calls pure code (ranking, plan, drafts, views) and saves results through one
write path. Queries return typed results (results.py) with ``to_frame()``; the graph, the maps
and the report are at hand for Jupyter.

For example (``notebooks/walkthrough.ipynb`` runs it on the sample)::

    from backchannel import Backchannel
    bc = Backchannel("workspace.sqlite")
    bc.import_linkedin("Basic_LinkedInDataExport.zip")
    bc.rank("acme-2026-11-24").to_frame()
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import inbox, roster
from .config import Config, load_config
from .domain import OUTCOMES, Candidate, Interview, InterviewPerson, Touch, TouchEvent
from .drafts import Draft, choose_language, drafts_for
from .errors import BackchannelError
from .followup import (
    InterviewPlan,
    RingState,
    build_plan,
    close_changes,
    decide_done,
    decide_replied,
    decide_skip,
    decide_undo,
    find_touch,
    on_ring_clock,
    refuse_dead,
    ring_states,
    todays_touches,
)
from .readers.interviews import parse_role
from .results import (
    CloseResult,
    InterviewsResult,
    LogResult,
    MailResult,
    PeopleResult,
    PlanResult,
    RankResult,
    ReconnectResult,
)
from .roster import MatchReport
from .times import (
    WorkCalendar,
    country_of_zone,
    local_zone,
    parse_user_time,
    work_calendar,
)
from .workspace import ImportSummary, Workspace

if TYPE_CHECKING:
    import networkx as nx

    from .inbox import InviteChange
    from .maps import BackchannelMap
    from .readers.invites import Invite
    from .report import Report

__all__ = ["Backchannel", "system_clock"]


def system_clock() -> datetime:
    """Now, in UTC; ``$BACKCHANNEL_NOW`` (ISO 8601 with an offset) stands in for the clock, so a
    demo or a test can run as if it were then."""
    fixed = os.environ.get("BACKCHANNEL_NOW", "").strip()
    if fixed:
        try:
            when = datetime.fromisoformat(fixed)
        except ValueError:
            raise BackchannelError(f"BACKCHANNEL_NOW: {fixed!r} is not an ISO 8601 time") from None
        if when.tzinfo is None:
            raise BackchannelError(f"BACKCHANNEL_NOW: {fixed!r} needs a UTC offset")
        return when.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


Decide = Callable[[Touch, RingState | None, InterviewPlan, list[TouchEvent]], TouchEvent]


class Backchannel:
    """A workspace with its config: everything the CLI does, as methods.

    ``create=False`` refuses a missing workspace (the CLI's read-only commands); ``command``
    names the command for anyone waiting on the workspace's lock; ``clock`` gives "now"
    (:func:`system_clock` by default), read once per call.
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, *, config: str | os.PathLike[str] | Config | None = None,
                 create: bool = True, command: str = "", clock: Callable[[], datetime] | None = None):
        self.clock = clock or system_clock
        self.config = config if isinstance(config, Config) else load_config(config)
        self.workspace = Workspace(db, create=create, command=command)
        self._rankings: dict[str, list[Candidate]] = {}

    def close(self, *interview: object) -> None:
        """Close the workspace. (An interview is closed with :meth:`close_interview`: given one
        here, this says so instead of closing anything.)"""
        if interview:
            raise BackchannelError(f"close() closes the workspace; to close the interview {interview[0]!r}: "
                                   "close_interview(interview, outcome)")
        self.workspace.close()

    def __enter__(self) -> Backchannel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        c = self.workspace.counts()
        return f"<Backchannel {self.workspace.path}: {c['connections']} connections, {c['interviews']} interviews>"

    # ------------------------------------------------------------------ time

    def zone(self) -> tzinfo:
        """Your zone: the config's ``timezone``, ``$BACKCHANNEL_TZ``, ``$TZ``, the system's."""
        return local_zone(self.config.timezone)

    def parse_time(self, text: str | None, *, default_time: time = time(9, 0), what: str = "date") -> datetime:
        """A time the user typed (ISO 8601 or a spreadsheet's form; a date alone is at
        ``default_time``), in their zone; None or "" means now."""
        if not text:
            return self.clock().astimezone(self.zone())
        try:
            return parse_user_time(text, self.zone(), default_time=default_time)
        except ValueError as exc:
            raise BackchannelError(f"{what}: {exc}") from None

    def parse_next(self, text: str, *, what: str = "--next") -> datetime | date:
        """A next contact the user typed: a datetime, or a date alone (a day, whose hour is the
        ring's 10:00 on the interview's clock once the touch is known)."""
        at_ten = self.parse_time(text, default_time=time(10, 0), what=what)
        if self.parse_time(text, default_time=time(11, 0), what=what) != at_ten:
            return at_ten.date()
        return at_ten

    def _calendar(self, iv: Interview) -> WorkCalendar:
        """Business days for an interview: its country's public holidays, else the config's,
        else those of the interview's or your own time zone's country."""
        if iv.country or self.config.country:
            return work_calendar(iv.country or self.config.country)
        try:
            return work_calendar(country_of_zone(iv.tz) or country_of_zone(self.zone()))
        except BackchannelError:  # a zone whose country the holidays package does not know
            return work_calendar("")

    # ------------------------------------------------------------------ the one write path

    @contextmanager
    def _writing(self, touched: Callable[[], Iterable[str] | None] = lambda: ()) -> Iterator[Workspace]:
        """One change, one transaction: read, decide and write inside it; the rankings of the
        open interviews it touched (``touched()`` after the change; None: all) are worked out
        again, as of each interview, and stored in the same transaction."""
        with self.workspace.transaction():
            yield self.workspace
            self._rankings.clear()
            ids = touched()
            ids = list(ids) if ids is not None else None
            if ids is None or ids:
                fresh = {iv.id: self._rank_as_of(iv) for iv in self.workspace.interviews(ids) if not iv.outcome}
                self.workspace.store_rankings({k: [c.as_dict() for c in v] for k, v in fresh.items()})
                self._rankings.update(fresh)

    def _rank_as_of(self, iv: Interview) -> list[Candidate]:
        """The top of the ranking as of the interview: what its back-channel touches need."""
        from .rank import rank_candidates

        if self.workspace.self_owner() is None:
            return []
        g = self._focus(iv.at, interview_id=iv.id)
        return rank_candidates(g, iv.at, weights=self.config.rank_weights, top=self.config.back_channel_count + 10)

    def _ranking(self, iv: Interview) -> list[Candidate]:
        """The ranking as of the interview, as the last change left it (a read never writes)."""
        if iv.id not in self._rankings:
            cached = self.workspace.cached_ranking(iv.id)
            try:
                rows = [Candidate.from_dict(r) for r in cached] if cached is not None else None
            except TypeError:  # a cache from an older release: work it out again
                rows = None
            self._rankings[iv.id] = rows if rows is not None else self._rank_as_of(iv)
        return self._rankings[iv.id]

    # ------------------------------------------------------------------ importing

    def import_linkedin(self, path: str | os.PathLike[str], *, owner: str | None = None,
                        progress: Any = None) -> ImportSummary:
        """Import an export (ZIP, folder or Connections.csv); returns what changed. Its
        messages with your interviews' people log the touches they fulfil, as mail does
        (:meth:`import_mail`; ``summary.followups``)."""
        from .bulk import gc_paused
        from .readers.export import read_export

        me = self.workspace.self_owner() if owner is None else None
        known = {"owner_name": me["name"] if me["name"] != "me" else "", "owner_profile_url": me["profile_url"]} \
            if me else {}
        starts = [iv.at for iv in self.workspace.interviews()] if owner is None else []
        with gc_paused():  # a million rows, keys and facts, all alive until the transaction ends
            # what is known of you tells your messages from theirs
            export = read_export(path, **known, messages_since=min(starts) if starts else None)
            with self._writing(lambda: None):
                summary = self.workspace.import_export(export, owner=owner, aliases=self.config.aliases,
                                                       now=self.clock(), progress=progress)
            recent = export.recent_messages
            del export  # (freed before the collector is back: its next collection need not walk it)
        if recent:
            summary.followups = self._log_linkedin(recent)
        return summary

    def _log_linkedin(self, messages: Sequence[inbox.Message]) -> inbox.MailLog | None:
        """LinkedIn messages with your interviews' people (by profile address), logged as mail is."""
        from .identity import profile_key

        me = self.workspace.self_owner()
        own = profile_key(me["profile_url"]) if me is not None else ""
        if not own:
            return None
        now = self.clock()
        plans = self._plans(now)
        ids = {p.person_id for plan in plans.values() for p in plan.interview.people if p.person_id}
        ids |= {int(t.node[7:]) for plan in plans.values() for t in plan if t.node[7:].isdigit()}
        urls = {pid: row["profile_url"] or "" for pid, row in self.workspace.people_by_id(ids).items()}
        addresses = inbox.addresses_of(plans.values(), urls, profiles=True)
        messages = [m for m in messages if m.sender in addresses or any(r in addresses for r in m.recipients)]
        if not messages:
            return None
        with self._writing(lambda: []) as ws:
            log = inbox.log_messages(messages, interviews={iv.id: iv for iv in ws.interviews()},
                                     events=ws.events_by_interview(), addresses=addresses, own=[own],
                                     known=ws.known_messages(), plan_at=self._plan_at, calendar_of=self._calendar,
                                     now=now, zone=self.zone(), source="linkedin")
            for event in log.removed:
                ws.delete_event(event.seq, undone=False)
            for logged in log.logged:
                ws.add_event(logged.event)
        return log

    def import_interviews(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> MatchReport:
        """Import the interviews file; returns how each person was matched, or why not. Importing
        it again changes only what its columns say: details you set in the terminal after the
        file was saved are kept (and reported) unless ``overwrite``."""
        from .readers.interviews import read_interviews

        parsed = read_interviews(path, zone=self.zone(), default_language="", default_country="")
        file_time = datetime.fromtimestamp(Path(path).stat().st_mtime, timezone.utc).isoformat()
        ids = [iv.id for iv in parsed.interviews]
        with self._writing(lambda: ids) as ws:  # (read inside the transaction: an edit at the same time is seen)
            notes = roster.merge_imports({iv.id: iv for iv in ws.interviews(ids)}, parsed.interviews,
                                         set(parsed.columns), file_time=file_time, overwrite=overwrite,
                                         aliases=self.config.aliases)
            ws.save_interviews(parsed.interviews, now=self.clock(), aliases=self.config.aliases)
        report = self.match_report(*ids)
        report.unknown_columns, report.duplicates, report.notes = parsed.unknown_columns, parsed.duplicates, notes
        return report

    def match_report(self, *interview_ids: str) -> MatchReport:
        """How interviews' people and mutuals match your connections now."""
        ws = self.workspace
        interviews = ws.interviews(interview_ids)
        mutuals = {iv.id: ws.interview_mutuals(iv.id) for iv in interviews}
        ids = {p.person_id for iv in interviews for p in iv.people if p.person_id}
        ids |= {m["person_id"] for rows in mutuals.values() for m in rows if m["person_id"]}
        names = {pid: row["name"] for pid, row in ws.people_by_id(ids).items()}
        return MatchReport(list(interview_ids), sum(len(iv.people) for iv in interviews),
                           roster.describe_matches(interviews, mutuals, names),
                           no_connections=ws.self_owner() is None)

    # ------------------------------------------------------------------ interviews by hand

    def add_interview(self, *, company: str, date: str, people: Sequence[tuple[str, str]], interview_id: str = "",
                      position: str = "", topic: str = "", discreet: bool = False, language: str = "",
                      country: str = "") -> MatchReport:
        """Record an interview without a CSV. ``people`` are (role, name or profile address)."""
        iv = roster.new_interview(company=company, at=self.parse_time(date, default_time=time(17, 0), what="--date"),
                                  people=people, interview_id=interview_id, position=position, topic=topic,
                                  discreet=discreet, language=language, country=country,
                                  aliases=self.config.aliases, when=self.clock().isoformat())
        with self._writing(lambda: [iv.id]) as ws:
            if ws.find_interview(iv.id) is not None:  # (inside the transaction: two adds never both succeed)
                raise BackchannelError(f"interview {iv.id} already exists; change it with: backchannel interview "
                                       f"edit {iv.id} (or give --id)")
            ws.save_interviews([iv], now=self.clock(), aliases=self.config.aliases)
        return self.match_report(iv.id)

    def edit_interview(self, interview_id: str, **changes: Any) -> Interview:
        """Change an interview's details: company, date, position, topic, discreet, language, country."""
        with self._writing(lambda: [interview_id]) as ws:
            iv = ws.interview(interview_id)  # read inside the transaction: a concurrent edit is never lost
            roster.edit_interview(iv, changes, parse_time=self.parse_time, aliases=self.config.aliases,
                                  when=self.clock().isoformat())
            ws.update_interview(iv, now=self.clock(), aliases=self.config.aliases)
        return iv

    def set_person(self, interview_id: str, person: str, *, role: str | None = None, **details: Any) -> MatchReport:
        """Set a person's details in an interview (email, title, interests, mutuals, notes, topic,
        language, profile_url, works_at); with ``role``, a new person is added."""
        with self._writing(lambda: [interview_id]) as ws:
            iv = ws.interview(interview_id)
            found = roster.person_to_set(iv, person, role, when=self.clock().isoformat())
            roster.set_person_details(found, details, when=self.clock().isoformat())
            ws.update_interview(iv, now=self.clock(), aliases=self.config.aliases)
        report = self.match_report(interview_id)
        names = {found.name, found.profile_url} - {""}
        report.matches = [m for m in report.matches if m.name in names or m.mutual_of in names]
        return report

    def remove_person(self, interview_id: str, person: str) -> InterviewPerson:
        """Take someone off an interview (an invitation's team address, someone who did not
        come); what was logged with them stays in the log."""
        with self._writing(lambda: [interview_id]) as ws:
            iv = ws.interview(interview_id)
            removed = roster.remove_person(iv, person)
            ws.update_interview(iv, now=self.clock(), aliases=self.config.aliases)
        return removed

    def interviews(self) -> InterviewsResult:
        """Your interviews, in date order."""
        return InterviewsResult(self.workspace.interviews(), zone=self.zone())

    # ------------------------------------------------------------------ people, the graph, ranking

    def people(self, query: str = "", *, company: str = "", limit: int | None = None) -> PeopleResult:
        """Your first-degree connections matching a query (name, company or position), strongest first."""
        from .people import search_people

        keys = self.companies_for(company) if company else None
        rows = [] if keys == [] else self.workspace.connections(company_keys=keys)
        positions = self.workspace.your_positions()
        found = search_people(rows, query, positions, self.config, now=self.clock())
        return PeopleResult(found[:limit] if limit else found, zone=self.zone())

    def companies_for(self, query: str, *, pick: bool = False) -> list[str]:
        """Company keys a partial name fits (see ``identity.company_search``); with ``pick``,
        a whole name of one company is that company alone (``identity.company_pick``)."""
        from .identity import company_pick, company_search

        find = company_pick if pick else company_search
        return find(query, self.workspace.company_names(), self.config.aliases)

    def _one_company(self, company: str) -> tuple[str, str, list[str]]:
        """The one company a name fits: its key, how it is written, and its stored keys."""
        from .people import one_company

        return one_company(company, self.workspace.company_names(), self.config.aliases)

    def _focus(self, now: datetime, *, interview_id: str | None = None, company: str | None = None,
               network: Any = None) -> nx.MultiGraph:
        from .graph import focus_graph
        from .identity import normalise_company

        if interview_id is not None:
            iv = self.workspace.interview(interview_id)
            key = normalise_company(iv.company, self.config.aliases)
            stored = [k for k in self.workspace.company_names() if normalise_company(k, self.config.aliases) == key]
            rows = self.workspace.graph_rows(interview_ids=[interview_id], company_keys=stored or [key])
            return focus_graph(rows, self.config, now=now, interview_id=interview_id, network=network)
        assert company is not None
        key, name, stored = self._one_company(company)
        ids = [iv.id for iv in self.workspace.interviews() if normalise_company(iv.company, self.config.aliases) == key]
        rows = self.workspace.graph_rows(interview_ids=ids, company_keys=stored)
        return focus_graph(rows, self.config, now=now, company_key=key, company_name=name)

    def graph(self, *, interview: str | None = None, company: str | None = None) -> nx.MultiGraph:
        """The networkx graph: the whole network, or the focus on one interview or company."""
        from .graph import build_graph

        now = self.clock()
        if interview or company:
            return self._focus(now, interview_id=interview, company=company)
        return build_graph(self.workspace.graph_rows(whole=True), self.config, now=now)

    def rank(self, interview: str | None = None, *, company: str | None = None, top: int | None = None) -> RankResult:
        """Ranked back-channel candidates, with what to say when there are none."""
        from .rank import acted_on, rank_candidates

        if not interview and not company:
            raise BackchannelError("name an interview, or a company with --company")
        now = self.clock()
        g = self._focus(now, interview_id=interview, company=company)
        name = self.workspace.interview(interview).company if interview else self._one_company(company or "")[1]
        ranking = rank_candidates(g, now, weights=self.config.rank_weights, top=top)
        if interview:  # what is left to do, once the plan's message to them is sent
            ranking = acted_on(ranking, self._plans(now, interview)[interview])
        return RankResult.of(ranking, company=name, has_connections=self.workspace.self_owner() is not None)

    def reconnect(self, *, top: int = 10, drafts: bool = False, lang: str | None = None) -> ReconnectResult:
        """Dormant strong ties worth renewing (with ``drafts``, a short note for each)."""
        from .people import reconnect_rows

        language = choose_language(lang, self.config.language)
        now = self.clock()
        contacted = frozenset(t.node for plan in self._plans(now, rank_closed=False).values() for t in plan
                              if t.done_at is not None and t.node and now - t.done_at <= timedelta(days=365))
        rows = reconnect_rows(self.workspace.graph_rows(whole=True), self.config, now=now, top=top,
                              drafts=drafts, language=language, candidate=self.workspace.your_name(), contacted=contacted)
        return ReconnectResult(rows, zone=self.zone())

    # ------------------------------------------------------------------ the follow-up plan

    def _plans(self, at: datetime, interview: str | None = None, *, rank_closed: bool = True
               ) -> dict[str, InterviewPlan]:
        """Each interview's plan at ``at``. Without ``rank_closed`` a closed interview's
        suggestions are left out (what is due has none)."""
        ws = self.workspace
        interviews = [ws.interview(interview)] if interview else ws.interviews()
        events = ws.events_by_interview(interview)
        return {iv.id: build_plan(iv, events.get(iv.id, []), at=at,
                                  ranking=self._ranking(iv) if rank_closed or not iv.outcome else [],
                                  back_channel_count=self.config.back_channel_count, calendar=self._calendar(iv))
                for iv in interviews}

    def _listing(self, touches: list[Touch], plans: dict[str, InterviewPlan] | None, at: datetime) -> PlanResult:
        """Touches with the handle each is named by: its own where it names one touch across all
        interviews (what ``draft`` and ``done`` accept), else after its interview's id."""
        everyone = None
        if len(self.workspace.interview_ids()) > 1:
            plans = plans if plans is not None and len(plans) > 1 else self._plans(at)
            everyone = [t for plan in plans.values() for t in plan]
        return PlanResult(touches, zone=self.zone(), among=everyone)

    def plan(self, interview: str | None = None, *, at: datetime | None = None) -> PlanResult:
        """Every touch (of one interview, or all) with its window and status at ``at`` (now)."""
        at = at or self.clock()
        plans = self._plans(at, interview)
        return self._listing([t for plan in plans.values() for t in plan], plans, at)

    def due(self, *, at: datetime | None = None) -> PlanResult:
        """What is due or overdue."""
        at = at or self.clock()
        plans = self._plans(at, rank_closed=False)
        touches = [t for plan in plans.values() for t in plan if t.status in ("due", "overdue")]
        return self._listing(touches, plans, at)

    def today(self, *, at: datetime | None = None) -> PlanResult:
        """What to do today: overdue, due, and what opens before the day ends (your zone)."""
        at = at or self.clock()
        plans = self._plans(at, rank_closed=False)
        return self._listing(todays_touches(plans.values(), at=at, zone=self.zone()), plans, at)

    def find_touch(self, reference: str, *, at: datetime | None = None) -> Touch:
        return find_touch(reference, self._plans(at or self.clock()).values())

    # ------------------------------------------------------------------ drafts

    def draft(self, touch: str, *, at: datetime | None = None, lang: str | None = None,
              templates_dir: str | None = None, force: bool = False) -> Draft:
        """The message draft for a touch. A message to the people deciding names your next
        contact: the date ``done`` books when it is logged the same business day; a touch done
        shows what it said when it was sent. A cancelled or skipped touch has nothing to send
        (``force`` shows its draft anyway). Nothing is written: looking at a draft never changes
        a later one."""
        at = at or self.clock()
        if lang:
            choose_language(lang)
        plans = self._plans(at)
        found = find_touch(touch, plans.values())
        if not force:
            refuse_dead(found)
        return self._drafts([found], plans, at, lang, templates_dir)[found.id]

    def _drafts(self, touches: Sequence[Touch], plans: dict[str, InterviewPlan], at: datetime, lang: str | None,
                templates_dir: str | None = None) -> dict[str, Draft]:
        everyone = plans if len(plans) == len(self.workspace.interview_ids()) else self._plans(at)
        return drafts_for(touches, plans, everyone=everyone.values(), emails=self._emails(plans.values()),
                          candidate=self.workspace.your_name(), at=at, lang=lang, configured=self.config.language,
                          templates_dir=templates_dir or self.config.templates_dir or None)

    # ------------------------------------------------------------------ logging

    def _log(self, reference: str, decide: Decide, *, at: datetime) -> LogResult:
        """Find the touch, decide and write inside one write transaction (fresh state)."""
        with self._writing() as ws:
            plans = self._plans(at)
            current = find_touch(reference, plans.values())
            plan = plans[current.interview]
            events = ws.events(current.interview)
            event = decide(current, ring_states(plan.interview, events).get(current.person_slug), plan, events)
            if event.seq:  # undo: an existing event to remove
                ws.delete_event(event.seq, at=at)
                after = [e for e in events if e.seq != event.seq]
            else:
                after = [*events, replace(event, seq=ws.add_event(event))]
            new_plan = build_plan(plan.interview, after, at=at, ranking=self._ranking(plan.interview),
                                  back_channel_count=self.config.back_channel_count,
                                  calendar=self._calendar(plan.interview))
        checkin = next((t for t in new_plan if t.id == event.checkin_id), None) if event.checkin_id else None
        return LogResult(current, event, checkin)

    def done(self, touch: str, *, at: datetime | None = None, next_at: datetime | date | None = None) -> LogResult:
        """Log a touch as done, and the next contact you committed to (default: the date its
        drafts named; a date alone is at 10:00 on the interview's clock)."""
        logged = self.clock()
        when = at or logged

        def decide(t: Touch, state: RingState | None, plan: InterviewPlan, events: list[TouchEvent]) -> TouchEvent:
            return decide_done(t, state, at=when, next_at=on_ring_clock(next_at, t, plan.interview),
                               calendar=self._calendar(plan.interview), plan=plan.touches, logged_at=logged)

        return self._log(touch, decide, at=when)

    def replied(self, touch: str, *, at: datetime | None = None, next_at: datetime | date | None = None) -> LogResult:
        """They answered: the back-off resets; with ``next_at`` your next contact follows what they said."""
        logged = self.clock()
        when = at or logged

        def decide(t: Touch, state: RingState | None, plan: InterviewPlan, events: list[TouchEvent]) -> TouchEvent:
            return decide_replied(t, state, at=when, next_at=on_ring_clock(next_at, t, plan.interview),
                                  plan=plan.touches, logged_at=logged)

        return self._log(touch, decide, at=when)

    def skip(self, touch: str, *, at: datetime | None = None) -> LogResult:
        """Drop a touch: status ``skipped``, not due, not in the calendar."""
        logged = self.clock()
        return self._log(touch, lambda t, *_: decide_skip(t, at=at or logged, logged_at=logged), at=at or logged)

    def undo(self, touch: str) -> LogResult:
        """Revert the last thing logged on a touch."""
        return self._log(touch, lambda t, state, plan, events: decide_undo(t, events), at=self.clock())

    # ------------------------------------------------------------------ mail and invitations

    def own_addresses(self, me: Iterable[str] = ()) -> tuple[str, ...]:
        """Your own mail addresses: ``me``, then the config's ``email``, those you gave before,
        then your export's ``Email Addresses.csv`` (when the export is still where it was)."""
        owner = self.workspace.self_owner()
        return inbox.your_addresses(me, self.config.emails, self.workspace.own_addresses(),
                                    owner["source"] if owner is not None else "")

    def import_mail(self, path: str | os.PathLike[str], *, me: Iterable[str] = (), dry_run: bool = False) -> MailResult:
        """Read a mail archive (mbox, Maildir, a folder of .eml files): each message you sent to
        an interview person logs the touch it fulfils, each answer notes their reply (see
        ``inbox``). Nothing you logged by hand changes; ``dry_run`` writes nothing."""
        from .readers.mail import read_mail

        own = self.own_addresses(me)
        if not own:
            raise BackchannelError("which addresses are yours? give --me ADDRESS (or set email = \"...\" in the "
                                   "config, or import an export with Email Addresses.csv)")
        now = self.clock()
        plans = self._plans(now)
        addresses = inbox.addresses_of(plans.values(), self._emails(plans.values()))
        archive = read_mail(path, only=addresses)
        messages = list(archive)  # (read before the write lock is taken: a big archive takes a while)
        with self._writing(lambda: []) if not dry_run else contextlib.nullcontext(self.workspace) as ws:
            log = inbox.log_messages(messages, interviews={iv.id: iv for iv in ws.interviews()},
                                     events=ws.events_by_interview(), addresses=addresses, own=own,
                                     known=ws.known_messages(), plan_at=self._plan_at, calendar_of=self._calendar,
                                     now=now, zone=self.zone())
            if not dry_run:
                ws.add_own_addresses(inbox.checked_addresses(me), at=now)  # the next command knows them
                for event in log.removed:  # (read again in order with an earlier message)
                    ws.delete_event(event.seq, undone=False)
                for logged in log.logged:
                    ws.add_event(logged.event)
        return MailResult(str(path), archive.found, len(messages), log, archive.skipped, archive.warnings,
                          dry_run=dry_run, own=own)

    def _plan_at(self, iv: Interview, events: list[TouchEvent], at: datetime) -> InterviewPlan:
        return build_plan(iv, events, at=at, ranking=self._ranking(iv), back_channel_count=self.config.back_channel_count,
                          calendar=self._calendar(iv))

    def _emails(self, plans: Iterable[InterviewPlan]) -> dict[int, str]:
        """The export's address of each person the plans reach (interview people matched, back channels)."""
        ids = {p.person_id for plan in plans for p in plan.interview.people if p.person_id}
        ids |= {int(t.node[7:]) for plan in plans for t in plan if t.node[7:].isdigit()}
        return {pid: row["email"] for pid, row in self.workspace.people_by_id(ids).items()}

    def add_from_invite(self, path: str | os.PathLike[str], *, me: Iterable[str] = (), company: str = "",
                        organizer_role: str = "recruiter", ask_company: Callable[[Invite], str] | None = None
                        ) -> InviteChange:
        """An interview from its calendar invitation (.ics, or the invitation email): a new one,
        or the one you recorded at that company and time (its people get the invitation's
        addresses); a newer version of the same invitation moves it; a cancelled one says so."""
        from .identity import normalise_company
        from .readers.invites import read_invite
        from .times import zone_name

        names = [name for written in self.workspace.company_names().values() for name in written]
        own = self.own_addresses(me)
        invite = read_invite(path, own_addresses=own, companies=names, zone=self.zone(),
                             organizer_role=roster.checked(parse_role, organizer_role, "--organizer-role"),
                             own_name=self.workspace.your_name())
        invite = inbox.without_you(invite, self.workspace.your_name())
        company = company.strip() or invite.company or (ask_company(invite) if ask_company else "")
        if not company:
            raise BackchannelError(f"{invite.path}: the invitation does not say which company it is for "
                                   f"({invite.summary!r}); add --company NAME")
        zone = invite.zone if invite.zone_source not in ("utc", "floating") else zone_name(self.zone(), invite.start)
        with self._writing(lambda: [change.interview]) as ws:
            ws.add_own_addresses(inbox.checked_addresses(me), at=self.clock())
            change, changed = inbox.apply_invite(invite, ws.interviews(), company=company,
                                                 company_key=normalise_company(company, self.config.aliases),
                                                 zone=zone, when=self.clock().isoformat(), own=own)
            if changed is not None:
                ws.save_interviews([changed], now=self.clock(), aliases=self.config.aliases)
        change.notes[:0] = invite.notes  # what the reader noticed (an all-day event, a zone it did not know)
        return change

    # ------------------------------------------------------------------ closing

    def close_interview(self, interview: str, outcome: str, *, change: bool = False,
                        at: datetime | None = None) -> CloseResult:
        """Close an interview: its open touches to the people deciding are cancelled; whatever
        the outcome, the referrer (and back channels you told) hear it from you, and a
        rejection adds a keep-in-touch with the hiring manager."""
        if outcome not in OUTCOMES:
            raise BackchannelError(f"outcome must be one of {', '.join(OUTCOMES)}")
        at = at or self.clock()
        with self._writing() as ws:
            iv = ws.interview(interview)  # read inside the transaction: a racing close sees this one
            if iv.outcome == outcome:
                raise BackchannelError(f"{interview} is already closed ({outcome}); nothing changed")
            if iv.outcome and not change:
                raise BackchannelError(f"{interview} is already closed ({iv.outcome}); to change the outcome, "
                                       "add --change")
            before = self._plans(at, interview)[interview]
            ws.close_interview(interview, outcome, at)
            after = self._plans(at, interview)[interview]
        return CloseResult(interview, outcome, *close_changes(before.touches, after.touches))

    # ------------------------------------------------------------------ calendar, maps, report

    def write_ics(self, path: str | os.PathLike[str], interview: str | None = None, *, at: datetime | None = None,
                  lang: str | None = None) -> int:
        """Write the open touches as an iCalendar file; returns the number of events."""
        from .calendar import Reminders, plan_to_ics
        from .output import write_atomically

        now = self.clock()
        at = at or now
        plans = self._plans(at, interview)
        touches = [t for plan in plans.values() for t in plan if t.is_open and t.due_from is not None]
        drafts = self._drafts(touches, plans, at, lang)
        interviews = {k: plan.interview for k, plan in plans.items()}
        zone = self.zone()
        reminders = Reminders(zone, work_calendar(self.config.country or country_of_zone(zone)))
        data = plan_to_ics(touches, drafts, interviews, stamp=now, zone=zone, reminders=reminders,
                           salt=str(self.workspace.path), calendars={k: self._calendar(iv) for k, iv in interviews.items()})
        write_atomically(Path(path), data)
        return len(touches)

    def map(self, interview: str | None = None, *, company: str | None = None, all: bool = False, top: int = 10,
            include_emails: bool = False) -> BackchannelMap:
        """The interactive map (shows inline in Jupyter): one interview or company, or ``all``."""
        from .maps import focused_map, full_map
        from .rank import acted_on, rank_candidates

        now = self.clock()
        if all:
            from .bulk import gc_paused
            from .graph import focus_graph, network_view

            rows = self.workspace.graph_rows(whole=True)
            # a million objects that all live until the map is made: the cycle collector would go
            # through them again and again and free nothing
            with gc_paused():
                network = network_view(rows, self.config, now=now)
                plans = self._plans(now)
                rankings = {iv.id: acted_on(rank_candidates(focus_graph(rows, self.config, now=now, interview_id=iv.id,
                                                                        network=network),
                                                            now, weights=self.config.rank_weights, explain=25),
                                            plans[iv.id])
                            for iv in rows.interviews}
                whole = full_map(network, rankings=rankings, owner=self.workspace.your_name(), include_emails=include_emails,
                                 zone=self.zone(), now=now)
                del network, rankings, rows  # (freed while the collector still sleeps)
            return whole
        if not interview and not company:
            raise BackchannelError("name an interview, a company with --company, or use --all")
        g = self._focus(now, interview_id=interview, company=company)
        ranking = rank_candidates(g, now, weights=self.config.rank_weights)
        plan = self._plans(now, interview)[interview] if interview else None
        ranking = acted_on(ranking, plan) if plan is not None else ranking
        name = plan.interview.company if plan is not None else self._one_company(company or "")[1]
        return focused_map(g, ranking, company=name, plan=plan, zone=self.zone(), now=now, top=top,
                           include_emails=include_emails)

    def report(self, interview: str, *, at: datetime | None = None, lang: str | None = None,
               top: int | None = 10) -> Report:
        """One offline page for an interview: the plan with its drafts, the people, the map.

        The back channel lists the people the plan uses and the next best ``top`` (None: all),
        and the map draws as many."""
        from .report import ReportData, build_report, people_to_show

        now = self.clock()
        at = at or now
        plans = self._plans(at, interview)
        plan = plans[interview]
        drafts = self._drafts([t for t in plan if t.is_open], plans, at, lang)
        matched = self.workspace.people_by_id([p.person_id for p in plan.interview.people if p.person_id])
        profiles = {p.slug: p.profile_url or (matched[p.person_id]["profile_url"] if p.person_id in matched else "")
                    for p in plan.interview.people}
        ranking = self.rank(interview)
        listed = len(people_to_show(plan, ranking, top))
        return build_report(ReportData(plan=plan, drafts=drafts, ranking=ranking, profiles=profiles,
                                       map=self.map(interview, top=listed), zone=self.zone(),
                                       generated_at=now, as_of=at, top=top))

