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
