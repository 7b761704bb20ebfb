"""Your connections as a person looks for them: search by name, company or position; one
company by part of its name; dormant strong ties worth renewing. Pure functions over rows.

>>> search_people([{"id": 1, "name": "Jane Roe", "name_key": "jane roe", "company": "Acme", "company_key": "acme",
...                 "position": "CTO", "profile_url": "", "email": "", "connected_on": "2020-01-01",
...                 "messages_sent": 2, "messages_received": 1}], "jane", [], Config(),
...               now=datetime(2026, 1, 1, tzinfo=timezone.utc))[0]["messages"]
3
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from .config import Config
from .domain import GraphRows
from .errors import BackchannelError
from .identity import company_pick, normalise_company, normalise_name

__all__ = ["search_people", "one_company", "usual_name", "reconnect_rows"]


def search_people(rows: Sequence[Mapping[str, Any]], query: str, positions: Sequence[Mapping[str, Any]],
                  config: Config, *, now: datetime) -> list[dict[str, Any]]:
    """Connection rows that fit a query (a part of the name or company, or of the position),
    strongest tie first, each with ``strength``, ``messages`` and ``connected_on`` (a datetime)."""
    from .graph import owner_employers
    from .ties import tie_strengths
    from .times import utc_naive

    if query:
        needle = normalise_name(query)
        lowered = query.strip().lower()
        rows = [r for r in rows if needle and (needle in r["name_key"] or needle in r["company_key"])
                or lowered in (r["position"] or "").lower()]
    _, employers = owner_employers(positions, config.aliases)
    shared = [bool(employers) and normalise_company(r["company"], config.aliases) in employers for r in rows]
    strengths = tie_strengths(rows, utc_naive(now) or now, shared, weights=config.tie_weights)
    out = []
    for r, (value, _history) in zip(rows, strengths, strict=True):
        connected = utc_naive(r["connected_on"])
        out.append({
            "name": r["name"], "profile_url": r["profile_url"], "company": r["company"], "position": r["position"],
            "connected_on": connected.replace(tzinfo=timezone.utc) if connected else None, "strength": value,
            "messages": int(r.get("messages_sent") or 0) + int(r.get("messages_received") or 0), "email": r["email"],
        })
    out.sort(key=lambda d: (-d["strength"], d["name"]))
    return out


def usual_name(written: Mapping[str, int]) -> str:
    """The way a company is written most often among your connections."""
    return max(written, key=lambda name: (written[name], name))


def one_company(company: str, names: Mapping[str, Mapping[str, int]], aliases: Mapping[str, str] | None
                ) -> tuple[str, str, list[str]]:
    """The one company a part of a name fits: its key, how it is usually written, and the keys
    stored for it (several when aliases join them); a one-line error when several fit."""
    keys = company_pick(company, names, aliases)
    if len(keys) > 1:
        described = ", ".join(f"{usual_name(names[k])} ({sum(names[k].values())} "
                              f"{'person' if sum(names[k].values()) == 1 else 'people'})"
                              for k in sorted(keys, key=lambda k: -sum(names[k].values()))[:8])
        raise BackchannelError(f"{company!r} fits {described}; say which")
    if not keys:
        key = normalise_company(company, aliases)
        return key, company.strip(), [key]
    key = keys[0]
    stored = [k for k in names if normalise_company(k, aliases) == normalise_company(key, aliases)] or [key]
    return key, usual_name(names[key]), stored


def reconnect_rows(rows: GraphRows, config: Config, *, now: datetime, top: int, drafts: bool, language: str,
                   candidate: str, contacted: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Dormant strong ties (``rank.reconnect_candidates``) with, when asked, a draft each;
    people you wrote to in the last year (``contacted``: their nodes, as logged) are not dormant."""
    from .drafts import reconnect_draft
    from .graph import build_graph, owner_employers
    from .rank import reconnect_candidates

    current, _ = owner_employers(rows.positions, config.aliases)
    past = {normalise_company(p["company"], config.aliases): p["company"] for p in rows.positions
            if normalise_company(p["company"], config.aliases) not in current}
    from .times import utc_naive

    tenures: dict[str, list[tuple[datetime, datetime | None]]] = {}
    for p in rows.positions:
        start = utc_naive(p["started_on"])
        if start is not None:
            tenures.setdefault(normalise_company(p["company"], config.aliases), []).append(
                (start, utc_naive(p["finished_on"])))
    found = reconnect_candidates(build_graph(rows, config, now=now), now, top=top + len(contacted),
                                 past_employers=past, tenures=tenures)
    found = [r for r in found if r["node"] not in contacted][:top]
    for rank, r in enumerate(found, start=1):
        r["rank"] = rank
    for r in found:
        if drafts:
            r["draft"] = reconnect_draft(r, now=now, language=language, candidate=candidate,
                                         templates_dir=config.templates_dir or None).text()
        r.pop("node", None)
    return found
