"""Listing and searching the people of a workspace, with their tie strength."""

from __future__ import annotations

from datetime import datetime

from .config import Config
from .identity import normalise_company, normalise_name
from .ties import parse_stamp, tie_strength
from .workspace import Workspace

__all__ = ["search_people", "owner_employers", "strength_of"]


def owner_employers(ws: Workspace, config: Config) -> tuple[set[str], set[str]]:
    """(current, all) employer keys of the user, from Positions.csv."""
    me = ws.self_owner()
    if me is None:
        return set(), set()
    current, every = set(), set()
    for p in ws.owner_positions(me["id"]):
        key = normalise_company(p["company"], config.aliases)
        every.add(key)
        if p["current"]:
            current.add(key)
    return current, every


def strength_of(row: dict, now: datetime, employers: set[str], config: Config):
    """Tie strength of a connection row (``Workspace.connections``)."""
    key = row["company_key"]
    if config.aliases:
        key = config.aliases.get(key, key)
    return tie_strength(row, now, shared_employer=bool(key and key in employers), weights=config.tie_weights)


def search_people(ws: Workspace, config: Config, query: str = "", company: str = "",
                  now: datetime | None = None, limit: int | None = None) -> list[dict]:
    """The user's first-degree connections matching a query (name, company or position)."""
    now = (now or datetime.utcnow()).replace(tzinfo=None)
    company_keys = None
    if company:
        wanted = normalise_company(company, config.aliases)
        company_keys = [k for k in ws.company_keys() if normalise_company(k, config.aliases) == wanted] or [wanted]
    needle = normalise_name(query) if query else None
    rows = ws.connections(company_keys=company_keys, name_like=needle)
    if needle:
        lowered = query.strip().lower()
        rows = [r for r in rows if needle in r["name_key"] or needle in r["company_key"]
                or lowered in (r["position"] or "").lower()]
    _, employers = owner_employers(ws, config)
    out = []
    for r in rows:
        t = strength_of(r, now, employers, config)
        connected = parse_stamp(r["connected_on"])
        out.append({
            "name": r["name"],
            "profile_url": r["profile_url"],
            "company": r["company"],
            "position": r["position"],
            "connected_on": connected.date().isoformat() if connected else None,
            "strength": t.value,
            "messages": int(r["messages_sent"] or 0) + int(r["messages_received"] or 0),
            "email": r["email"],
        })
    out.sort(key=lambda d: (-d["strength"], d["name"]))
    return out[:limit] if limit else out
