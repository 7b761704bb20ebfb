"""The Python API: one object over a workspace, DataFrames out, the graph and maps at hand.

>>> from backchannel import Backchannel               # doctest: +SKIP
>>> bc = Backchannel("workspace.sqlite")               # doctest: +SKIP
>>> bc.import_linkedin("Basic_LinkedInDataExport.zip") # doctest: +SKIP
>>> bc.rank("acme-2026-11-24")                         # doctest: +SKIP
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from datetime import datetime, timezone

from .config import Config, load_config
from .workspace import ImportSummary, Workspace

__all__ = ["Backchannel"]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@contextmanager
def _cycle_collector_paused():
    """Bulk work makes hundreds of thousands of objects and almost no reference cycles:
    pausing Python's cycle collector meanwhile saves about a tenth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Backchannel:
    """A workspace with its config: everything the CLI does, as methods."""

    def __init__(self, db: str | os.PathLike | None = None, *, config: str | os.PathLike | Config | None = None):
        self.config = config if isinstance(config, Config) else load_config(config)
        self.workspace = Workspace(db)

    def close(self) -> None:
        self.workspace.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        c = self.workspace.counts()
        return (f"<Backchannel {self.workspace.path}: {c['connections']} connections, "
                f"{c['interviews']} interviews>")

    # ------------------------------------------------------------------ importing

    def import_linkedin(self, path: str | os.PathLike, *, owner: str | None = None, progress=None,
                        now: datetime | None = None) -> ImportSummary:
        """Import an export (ZIP, folder or Connections.csv); returns what changed."""
        from .linkedin import read_export

        with _cycle_collector_paused():
            export = read_export(path, background=True)
            return self.workspace.import_linkedin(export, owner=owner, aliases=self.config.aliases,
                                                  now=now or _utcnow(), progress=progress)

    # ------------------------------------------------------------------ people

    def people_records(self, query: str = "", *, company: str = "", limit: int | None = None,
                       now: datetime | None = None) -> list[dict]:
        from .people import search_people

        return search_people(self.workspace, self.config, query, company, now=now, limit=limit)

    def people(self, query: str = "", *, company: str = "", limit: int | None = None):
        """Your first-degree connections as a DataFrame, strongest tie first."""
        import pandas as pd

        rows = self.people_records(query, company=company, limit=limit)
        return pd.DataFrame(rows, columns=["name", "profile_url", "company", "position", "connected_on",
                                           "strength", "messages", "email"])

    # ------------------------------------------------------------------ interviews

    def import_interviews(self, path: str | os.PathLike, *, now: datetime | None = None):
        """Import the interviews file; returns a report of matched, ambiguous and unmatched people."""
        from .identity import PeopleIndex
        from .interviews import read_interviews, resolve_interviews

        interviews, unknown = read_interviews(path, timezone_name=self.config.timezone)
        index = PeopleIndex(self.workspace.person_records(), self.config.aliases)
        report = resolve_interviews(interviews, index, self.config.aliases)
        report.unknown_columns = unknown
        self.workspace.save_interviews(interviews, now or _utcnow())
        return report

    def interview_records(self) -> list[dict]:
        out = []
        for iv in self.workspace.interviews():
            people = self.workspace.interview_people(iv["id"])
            out.append({
                "interview": iv["id"], "company": iv["company"], "date": iv["at"],
                "people": [f"{p['name']} ({p['role']})" for p in people],
                "discreet": bool(iv["discreet"]), "status": iv["outcome"] or "open",
            })
        return out

    def interviews(self):
        import pandas as pd

        return pd.DataFrame(self.interview_records(),
                            columns=["interview", "company", "date", "people", "discreet", "status"])

    # ------------------------------------------------------------------ graph and ranking

    def graph(self, *, interview: str | None = None, company: str | None = None, now: datetime | None = None):
        """The networkx graph: the whole network, or the focus on one interview or company."""
        from .graph import build_graph, focus_graph

        if interview or company:
            return focus_graph(self.workspace, self.config, interview_id=interview, company=company, now=now)
        return build_graph(self.workspace, self.config, now=now)

    def rank_records(self, interview: str | None = None, *, company: str | None = None, top: int | None = None,
                     now: datetime | None = None) -> list[dict]:
        from .errors import BackchannelError
        from .rank import rank_candidates

        if not interview and not company:
            raise BackchannelError("name an interview, or a company with --company")
        now = now or _utcnow()
        g = self.graph(interview=interview, company=company, now=now)
        return rank_candidates(g, now, weights=self.config.rank_weights, top=top)

    def rank(self, interview: str | None = None, *, company: str | None = None, top: int | None = None,
             now: datetime | None = None):
        """Ranked back-channel candidates as a DataFrame (reasons and bridges as lists)."""
        import pandas as pd

        rows = self.rank_records(interview, company=company, top=top, now=now)
        return pd.DataFrame(rows, columns=["rank", "name", "profile_url", "company", "position", "score",
                                           "reasons", "bridges_to", "action"])

    def reconnect_records(self, *, top: int = 10, now: datetime | None = None) -> list[dict]:
        from .graph import build_graph
        from .rank import reconnect_candidates

        now = now or _utcnow()
        return reconnect_candidates(build_graph(self.workspace, self.config, now=now), now, top=top)

    def reconnect(self, *, top: int = 10, now: datetime | None = None):
        import pandas as pd

        return pd.DataFrame(self.reconnect_records(top=top, now=now),
                            columns=["rank", "name", "profile_url", "company", "position", "score",
                                     "last_message", "reasons", "action"])

    # ------------------------------------------------------------------ the follow-up plan

    def _zone(self):
        from .timeutil import local_zone

        return local_zone(self.config.timezone)

    def parse_time(self, text: str | None, *, default_time=None) -> datetime:
        """Parse a user-given time (ISO 8601; a date alone is 09:00 local); None means now."""
        from datetime import time

        from .errors import BackchannelError
        from .timeutil import parse_when

        if not text:
            return datetime.now(self._zone())
        try:
            return parse_when(text, self._zone(), default_time=default_time or time(9, 0))
        except ValueError as exc:
            raise BackchannelError(str(exc)) from None

    def plan_touches(self, interview: str | None = None, *, at: datetime | None = None) -> list:
        from .followup import build_plan

        at = at or datetime.now(self._zone())
        ids = [interview] if interview else [iv["id"] for iv in self.workspace.interviews()]
        touches = []
        for interview_id in ids:
            # ranked as of the interview, so the back-channel touches (and their ids) stay put
            # whenever the plan is asked for
            held_at = datetime.fromisoformat(self.workspace.interview(interview_id)["at"])
            ranking = self.rank_records(interview_id, now=held_at)
            touches += build_plan(self.workspace, interview_id, at, back_channel=ranking,
                                  back_channel_count=self.config.back_channel_count)
        return touches

    def plan_records(self, interview: str | None = None, *, at: datetime | None = None) -> list[dict]:
        return [plan_row(t) for t in self.plan_touches(interview, at=at)]

    def plan(self, interview: str | None = None, *, at: datetime | None = None):
        """The follow-up plan as a DataFrame (one row per touch)."""
        import pandas as pd

        return pd.DataFrame(self.plan_records(interview, at=at), columns=PLAN_COLUMNS)

    def due_records(self, *, at: datetime | None = None) -> list[dict]:
        return [r for r in self.plan_records(at=at) if r["status"] in ("due", "overdue")]

    def due(self, *, at: datetime | None = None):
        import pandas as pd

        return pd.DataFrame(self.due_records(at=at), columns=PLAN_COLUMNS)

    def _touch(self, touch_id: str, at: datetime):
        from .followup import find_touch

        interview_id = touch_id.split("/", 1)[0]
        self.workspace.interview(interview_id)
        return find_touch(touch_id, self.plan_touches(interview_id, at=at))

    def done(self, touch_id: str, *, at: datetime | None = None, next_at: datetime | None = None) -> dict:
        """Log a touch as done (and the next contact you committed to); returns the check-in made, if any."""
        from .followup import log_done

        at = at or datetime.now(self._zone())
        touch = self._touch(touch_id, at)
        return log_done(self.workspace, touch, at, next_at, _utcnow())

    def draft(self, touch_id: str, *, at: datetime | None = None, next_at: datetime | None = None,
              templates_dir: str | None = None) -> str:
        """The message draft for a touch, ending with your dated next-contact commitment where it applies."""
        from .drafts import render_draft

        at = at or datetime.now(self._zone())
        touch = self._touch(touch_id, at)
        return render_draft(touch, candidate=self._candidate_name(), at=at, next_at=next_at,
                            templates_dir=templates_dir or self.config.templates_dir or None)

    def _candidate_name(self) -> str:
        me = self.workspace.self_owner()
        return me["name"] if me is not None and me["name"] != "me" else ""

    def close_interview(self, interview: str, outcome: str, *, at: datetime | None = None) -> int:
        """Close an interview; its open touches are cancelled. Returns how many were cancelled."""
        from .errors import BackchannelError
        from .followup import OUTCOMES

        if outcome not in OUTCOMES:
            raise BackchannelError(f"outcome must be one of {', '.join(OUTCOMES)}")
        at = at or datetime.now(self._zone())
        open_before = sum(1 for t in self.plan_touches(interview, at=at) if t.status in ("pending", "due", "overdue"))
        self.workspace.close_interview(interview, outcome, at)
        return open_before

    def write_ics(self, path: str | os.PathLike, interview: str | None = None, *, at: datetime | None = None,
                  touches: list | None = None) -> int:
        """Write the open touches as an iCalendar file; returns the number of events.

        ``touches`` is a plan already worked out for the same interview and time, if any.
        """
        from .drafts import render_draft
        from .followup import to_ics

        at = at or datetime.now(self._zone())
        if touches is None:
            touches = self.plan_touches(interview, at=at)
        open_touches = [t for t in touches if t.status in ("pending", "due", "overdue")]
        drafts = {t.id: render_draft(t, candidate=self._candidate_name(), at=at,
                                     templates_dir=self.config.templates_dir or None) for t in open_touches}
        data = to_ics(open_touches, drafts, _utcnow())
        from pathlib import Path

        Path(path).write_bytes(data)
        return len(open_touches)


    def map(self, interview: str | None = None, *, company: str | None = None, all: bool = False,
                top: int = 10, include_emails: bool = False, now: datetime | None = None):
        """The interactive map (a :class:`~backchannel.maps.BackchannelMap`; shows inline in Jupyter).

        Focused on one interview or company by default; ``all=True`` draws the whole network.
        """
        from .errors import BackchannelError
        from .maps import focused_map, full_map

        now = now or _utcnow()
        me = self.workspace.self_owner()
        who = me["name"] if me is not None else "you"
        if all:
            with _cycle_collector_paused():
                g = self.graph(now=now)
                people = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "person")
                return full_map(g, title=f"{who}'s network", subtitle=f"{people:,} people, clustered by company",
                                include_emails=include_emails)
        if not interview and not company:
            raise BackchannelError("name an interview, a company with --company, or use --all")
        from .rank import rank_candidates

        g = self.graph(interview=interview, company=company, now=now)
        ranking = rank_candidates(g, now, weights=self.config.rank_weights)
        if interview:
            iv = self.workspace.interview(interview)
            title, subtitle = f"Back channel: {iv['company']}", f"Interview {iv['id']}, {iv['at'][:16].replace('T', ' ')}"
        else:
            title, subtitle = f"Back channel: {company}", "Who can put in a good word"
        return focused_map(g, ranking, title=title, subtitle=subtitle, top=top, include_emails=include_emails)


PLAN_COLUMNS = ["id", "interview", "kind", "person", "due_from", "due_by", "status", "done_at"]


def plan_row(t) -> dict:
    return {
        "id": t.id, "interview": t.interview, "kind": t.kind, "person": t.person, "role": t.role,
        "due_from": t.due_from.isoformat(), "due_by": t.due_by.isoformat(), "status": t.status,
        "done_at": t.done_at.isoformat() if t.done_at else None,
        "next_at": t.next_at.isoformat() if t.next_at else None,
    }

