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

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BackchannelError
from ..times import country_of_zone, work_calendar
from .advice import Advice
from .core import system_clock

if TYPE_CHECKING:
    from ..maps import BackchannelMap
    from ..report import Report

__all__ = ["Backchannel", "system_clock"]


class Backchannel(Advice):
    """A workspace with its config: everything the CLI does, as methods.

    ``create=False`` refuses a missing workspace (the CLI's read-only commands); ``command``
    names the command for anyone waiting on the workspace's lock; ``clock`` gives "now"
    (:func:`system_clock` by default), read once per call.

    The parts, one module each: :mod:`.core` (the workspace, the clock, the one write path,
    plans and drafts), :mod:`.intake` (imports, interviews by hand, mail and invitations),
    :mod:`.advice` (people, ranking, the plan, drafts, logging, closing), and here the pages
    (calendar, maps, report).
    """

    # ------------------------------------------------------------------ calendar, maps, report

    def write_ics(self, path: str | os.PathLike[str], interview: str | None = None, *, at: datetime | None = None,
                  lang: str | None = None) -> int:
        """Write the open touches as an iCalendar file; returns the number of events."""
        from ..calendar import Reminders, plan_to_ics
        from ..output import write_atomically

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
        from ..maps import focused_map, full_map
        from ..rank import acted_on, rank_candidates

        now = self.clock()
        if all:
            from ..bulk import gc_paused
            from ..graph import focus_graph, network_view

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
        from ..report import ReportData, build_report, people_to_show

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
