"""The advice: people, the graph and the ranking; the plan and what is due; drafts; logging
what you did (done, replied, skip, undo) and closing an interview."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..domain import OUTCOMES, Touch, TouchEvent
from ..drafts import Draft, choose_language
from ..errors import BackchannelError
from ..followup import (
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
from ..results import (
    CloseResult,
    LogResult,
    PeopleResult,
    PlanResult,
    RankResult,
    ReconnectResult,
)
from .core import Decide
from .intake import Intake

if TYPE_CHECKING:
    import networkx as nx



__all__ = ["Advice"]


class Advice(Intake):
    """See :class:`~backchannel.api.Backchannel`."""

    # ------------------------------------------------------------------ people, the graph, ranking

    def people(self, query: str = "", *, company: str = "", limit: int | None = None) -> PeopleResult:
        """Your first-degree connections matching a query (name, company or position), strongest first."""
        from ..people import search_people

        keys = self.companies_for(company) if company else None
        rows = [] if keys == [] else self.workspace.connections(company_keys=keys)
        positions = self.workspace.your_positions()
        found = search_people(rows, query, positions, self.config, now=self.clock())
        return PeopleResult(found[:limit] if limit else found, zone=self.zone())

    def graph(self, *, interview: str | None = None, company: str | None = None) -> nx.MultiGraph:
        """The networkx graph: the whole network, or the focus on one interview or company."""
        from ..graph import build_graph

        now = self.clock()
        if interview or company:
            return self._focus(now, interview_id=interview, company=company)
        return build_graph(self.workspace.graph_rows(whole=True), self.config, now=now)

    def rank(self, interview: str | None = None, *, company: str | None = None, top: int | None = None) -> RankResult:
        """Ranked back-channel candidates, with what to say when there are none."""
        from ..rank import acted_on, rank_candidates

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
        from ..people import reconnect_rows

        language = choose_language(lang, self.config.language)
        now = self.clock()
        contacted = frozenset(t.node for plan in self._plans(now, rank_closed=False).values() for t in plan
                              if t.done_at is not None and t.node and now - t.done_at <= timedelta(days=365))
        rows = reconnect_rows(self.workspace.graph_rows(whole=True), self.config, now=now, top=top,
                              drafts=drafts, language=language, candidate=self.workspace.your_name(), contacted=contacted)
        return ReconnectResult(rows, zone=self.zone())

    # ------------------------------------------------------------------ the follow-up plan

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
                               calendar=self._calendar(plan.interview), plan=plan.touches, logged_at=logged,
                               zone=self.zone())

        return self._log(touch, decide, at=when)

    def replied(self, touch: str, *, at: datetime | None = None, next_at: datetime | date | None = None) -> LogResult:
        """They answered: the back-off resets; with ``next_at`` your next contact follows what they said."""
        logged = self.clock()
        when = at or logged

        def decide(t: Touch, state: RingState | None, plan: InterviewPlan, events: list[TouchEvent]) -> TouchEvent:
            return decide_replied(t, state, at=when, next_at=on_ring_clock(next_at, t, plan.interview),
                                  plan=plan.touches, logged_at=logged, zone=self.zone())

        return self._log(touch, decide, at=when)

    def skip(self, touch: str, *, at: datetime | None = None) -> LogResult:
        """Drop a touch: status ``skipped``, not due, not in the calendar."""
        logged = self.clock()
        return self._log(touch, lambda t, *_: decide_skip(t, at=at or logged, logged_at=logged), at=at or logged)

    def undo(self, touch: str) -> LogResult:
        """Revert the last thing logged on a touch."""
        return self._log(touch, lambda t, state, plan, events: decide_undo(t, events), at=self.clock())

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
