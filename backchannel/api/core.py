"""The orchestrator's core: the workspace and config it holds, the clock and zones, the one
write path (a transaction that refreshes the rankings it touched), and the plans, focus graphs
and drafts every other part of :class:`~backchannel.api.Backchannel` reads."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Self

from ..config import Config, load_config
from ..domain import Candidate, Interview, Touch, TouchEvent
from ..drafts import Draft, drafts_for
from ..errors import BackchannelError
from ..followup import (
    InterviewPlan,
    RingState,
    build_plan,
)
from ..results import (
    PlanResult,
)
from ..times import (
    WorkCalendar,
    country_of_zone,
    local_zone,
    parse_user_time,
    work_calendar,
)
from ..workspace import Workspace

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["Core", "system_clock", "Decide"]


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


class Core:
    """See :class:`~backchannel.api.Backchannel`: this is what its other parts stand on."""

    # ------------------------------------------------------------------ opening

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

    def __enter__(self) -> Self:
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
        from ..rank import rank_candidates

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

    # ------------------------------------------------------------------ plans, focus graphs, drafts

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

    def _plan_at(self, iv: Interview, events: list[TouchEvent], at: datetime) -> InterviewPlan:
        return build_plan(iv, events, at=at, ranking=self._ranking(iv), back_channel_count=self.config.back_channel_count,
                          calendar=self._calendar(iv))

    def _listing(self, touches: list[Touch], plans: dict[str, InterviewPlan] | None, at: datetime) -> PlanResult:
        """Touches with the handle each is named by: its own where it names one touch across all
        interviews (what ``draft`` and ``done`` accept), else after its interview's id."""
        everyone = None
        if len(self.workspace.interview_ids()) > 1:
            plans = plans if plans is not None and len(plans) > 1 else self._plans(at)
            everyone = [t for plan in plans.values() for t in plan]
        return PlanResult(touches, zone=self.zone(), among=everyone)

    def _drafts(self, touches: Sequence[Touch], plans: dict[str, InterviewPlan], at: datetime, lang: str | None,
                templates_dir: str | None = None) -> dict[str, Draft]:
        everyone = plans if len(plans) == len(self.workspace.interview_ids()) else self._plans(at)
        return drafts_for(touches, plans, everyone=everyone.values(), emails=self._emails(plans.values()),
                          candidate=self.workspace.your_name(), at=at, lang=lang, configured=self.config.language,
                          templates_dir=templates_dir or self.config.templates_dir or None)

    def _emails(self, plans: Iterable[InterviewPlan]) -> dict[int, str]:
        """The export's address of each person the plans reach (interview people matched, back channels)."""
        return self._reached(plans, "email")

    def _reached(self, plans: Iterable[InterviewPlan], column: str) -> dict[int, str]:
        """A column of the export's row of each person the plans reach, by person id."""
        plans = list(plans)
        ids = {p.person_id for plan in plans for p in plan.interview.people if p.person_id}
        ids |= {int(t.node[7:]) for plan in plans for t in plan if t.node[7:].isdigit()}
        return {pid: row[column] or "" for pid, row in self.workspace.people_by_id(ids).items()}

    def companies_for(self, query: str, *, pick: bool = False) -> list[str]:
        """Company keys a partial name fits (see ``identity.company_search``); with ``pick``,
        a whole name of one company is that company alone (``identity.company_pick``)."""
        from ..identity import company_pick, company_search

        find = company_pick if pick else company_search
        return find(query, self.workspace.company_names(), self.config.aliases)

    def _one_company(self, company: str) -> tuple[str, str, list[str]]:
        """The one company a name fits: its key, how it is written, and its stored keys."""
        from ..people import one_company

        return one_company(company, self.workspace.company_names(), self.config.aliases)

    def _focus(self, now: datetime, *, interview_id: str | None = None, company: str | None = None,
               network: Any = None) -> nx.MultiGraph:
        from ..graph import focus_graph
        from ..identity import normalise_company

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
