"""The Python API: one object over a workspace, DataFrames out, the graph and maps at hand.

>>> from backchannel import Backchannel               # doctest: +SKIP
>>> bc = Backchannel("workspace.sqlite")               # doctest: +SKIP
>>> bc.import_linkedin("Basic_LinkedInDataExport.zip") # doctest: +SKIP
>>> bc.rank("acme-2026-11-24")                         # doctest: +SKIP
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from .config import Config, load_config
from .workspace import ImportSummary, Workspace

__all__ = ["Backchannel"]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


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

        export = read_export(path)
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
