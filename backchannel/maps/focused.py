"""The map of one interview or company: the plan you can see.

Columns, left to right: you; the top ranked people, numbered as in ``rank``; the people
deciding; the interview and the company. Each candidate's best path to each person deciding
they reach is orange; the plan's touches are the panel's "next steps"; when nobody in your
network reaches the company, the map says so, with LinkedIn's second-degree search.

Everything shown is read from the records: a person's role and number from their
:class:`~backchannel.domain.Candidate` (or their role in the interview), each next step and
its window from the plan's :class:`~backchannel.domain.Touch` records, formatted in the
user's zone with its label.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..domain import DECISION_ROLES, Candidate, Touch
from ..rank import people_search_link
from ..times import human_time, human_window
from .interviews import Interviews, bridge_edges, mark_best_paths, read_interviews, target_details
from .layout import place_columns
from .page import BackchannelMap
from .style import (
    connection_edge,
    legend,
    link,
    node_style,
    options,
    role_text,
    structure_edge,
    tooltip,
    work_of,
)

if TYPE_CHECKING:
    from ..followup import InterviewPlan

__all__ = ["focused_map", "plan_steps"]

_NOBODY = 10**9


def focused_map(g: nx.MultiGraph, ranking: Sequence[Candidate], *, company: str, plan: InterviewPlan | None = None,
                zone: tzinfo | None = None, now: datetime | None = None, top: int = 10,
                include_emails: bool = False) -> BackchannelMap:
    """The map of one interview (``plan``) or company (``company``), from its focus graph
    (``graph.focus_graph``) and ranking; times in ``zone``, emails only when asked.

    ``top`` ranked people are shown, numbered as in ``rank``; the people deciding and
    referrers who are not your connections are shown too.
    """
    ivs = read_interviews(g, zone, now)
    owner = g.graph.get("owner")
    owner = owner if owner in g else None
    shown = [c for c in sorted(ranking, key=attrgetter("rank")) if c.node in g and c.node not in ivs.role][:top]
    ranked = {c.node: c for c in shown}
    candidates = list(ranked) + sorted((n for n in ivs.referrers if n not in ranked and n not in ivs.role),
                                       key=lambda n: g.nodes[n].get("name", ""))

    def best_rank_to(t: str) -> int:
        return min((c.rank for c in shown if t in c.bridge_nodes), default=_NOBODY)

    deciding = sorted(ivs.role, key=lambda t: (best_rank_to(t), DECISION_ROLES.index(ivs.role[t]),
                                               g.nodes[t].get("name", "")))
    company_key = g.graph.get("company_key", "")
    companies = [n for n, d in g.nodes(data=True) if d.get("kind") == "company"
                 and (d.get("company_key") == company_key or n in ivs.company.values())]
    places = place_columns([(0.0, [owner] if owner else []), (80.0, candidates), (100.0, deciding),
                            (110.0, ivs.nodes + [c for c in companies if c not in ivs.nodes])])
    nodes, details = _nodes(g, ivs, ranked, places, include_emails)
    edges = _edges(g, ivs, owner, ranked, candidates, places)
    if plan is not None:
        iv = plan.interview
        title = f"Back channel: {iv.company}"
        subtitle = f"Interview {iv.id}, {human_time(iv.at, zone, now=now, label=True)}"
    else:
        title, subtitle = f"Back channel: {company}", "Who can put in a good word"
    empty = None
    if not ranking:
        name = company.rstrip(".")
        empty = {"text": f"Nobody in your network reaches {name} yet.", "link": link(people_search_link(name)),
                 "link_text": "Search LinkedIn for second-degree people there (opens in your browser)"}
    return BackchannelMap(title=title, subtitle=subtitle, nodes=nodes, edges=edges, details=details,
                          options=options(), kind="focused", owner=owner,
                          steps=plan_steps(plan.touches, zone, places) if plan is not None else [], empty=empty,
                          view={"focus": [], "minScale": 0.7, "maxScale": 1.2},
                          legend=legend((n["role"] for n in nodes), edges))


def _nodes(g: nx.MultiGraph, ivs: Interviews, ranked: dict[str, Candidate], places: dict[str, tuple[float, float]],
           include_emails: bool) -> tuple[list[dict], dict[str, dict]]:
    """The nodes at their places, and everyone's details panel."""
    nodes: list[dict] = []
    details: dict[str, dict] = {}
    for n, (x, y) in places.items():
        d = g.nodes[n]
        kind = d.get("kind")
        if kind == "owner":
            node = node_style("you", label=d.get("label") or d.get("name") or "You")
            details[n] = {"name": d.get("name") or d.get("label") or "You", "role": "you", "role_text": "you"}
        elif kind == "interview":
            node = ivs.node(g, n, f"Interview\n{ivs.when[n]}")
            details[n] = ivs.details(g, n)
        elif kind == "company":
            name = d.get("label") or d.get("name", "")
            node = node_style("company", shape="box", label=name)
            details[n] = {"name": name, "role": "company", "role_text": "company"}
        elif n in ivs.role:
            role = ivs.role[n]
            node = node_style(role, label=f"{d.get('name', '')}\n{role.replace('-', ' ')}")
            details[n] = target_details(g, n, role, ivs.label[ivs.of[n]], include_emails)
        elif n in ranked:
            c = ranked[n]
            node = node_style(c.role, label=f"{c.rank}. {c.name}")
            node["rank"] = c.rank
            details[n] = _candidate_details(c, include_emails)
        else:  # a referrer who is not one of your connections (never ranked)
            node = node_style("referrer", label=d.get("name", ""))
            details[n] = _person_details(d, "referrer", include_emails)
        info = details[n]
        node.update(id=n, x=x, y=y)
        node.setdefault("title", tooltip(info.get("name"), info.get("role_text"), info.get("work"),
                                         f"rank {node['rank']}" if "rank" in node else ""))
        nodes.append(node)
    return nodes, details


def _person_details(d: dict[str, Any], role: str, include_emails: bool) -> dict:
    info: dict[str, Any] = {"name": d.get("name", ""), "role": role, "work": work_of(d.get("position"), d.get("company")),
                            "url": link(d.get("profile_url"))}
    if include_emails and d.get("email"):
        info["email"] = str(d["email"])
    info["role_text"] = role_text(role)
    return info


def _candidate_details(c: Candidate, include_emails: bool) -> dict:
    """A ranked person's details panel: who they are, why they rank, what to do."""
    info: dict[str, Any] = {"name": c.name, "role": c.role, "work": work_of(c.position, c.company),
                            "url": link(c.profile_url)}
    if include_emails and c.email:
        info["email"] = c.email
    info.update(role_text=role_text(c.role), rank=c.rank, score=c.score, reasons=list(c.reasons), action=c.action,
                bridges_to=list(c.bridges_to), evidence=c.evidence, tie_strength=c.tie_strength)
    return info


def _edges(g: nx.MultiGraph, ivs: Interviews, owner: str | None, ranked: dict[str, Candidate],
           candidates: list[str], places: dict[str, tuple[float, float]]) -> list[dict]:
    """Your ties to everyone placed; who knows the people deciding (their best paths lit); who
    works at, interviews for or referred you to what."""
    edge_at: dict[tuple[str, str], dict] = {}
    if owner is not None:
        for p, es in g[owner].items():
            for e in es.values():
                if e.get("kind") == "connection" and p in places:
                    edge_at[(owner, p)] = connection_edge(owner, p, float(e.get("strength") or 0.0))
    edge_at.update(bridge_edges(g, candidates, ivs.role, lambda n: g.nodes[n].get("name", "")))
    mark_best_paths(edge_at, owner, ranked.values(), ivs.role)
    structure: list[dict] = []
    for n in places:
        if g.nodes[n].get("kind") != "person":
            continue
        for nbr, es in g[n].items():
            if nbr not in places:
                continue
            for e in es.values():
                kind = e.get("kind")
                if kind == "interviews_for" and n in ivs.role:
                    structure.append(structure_edge(n, nbr, kind, (e.get("role") or "interviewer").replace("-", " ")))
                elif kind == "referred":
                    structure.append(structure_edge(n, nbr, kind, "referred you"))
                elif kind == "works_at" and n in ranked and ranked[n].role == "colleague":
                    # (the people deciding and the referrer link to the interview already)
                    structure.append(structure_edge(n, nbr, kind, "works at"))
    structure += [structure_edge(iv, c, "works_at", "interview at") for iv, c in ivs.company.items() if c in places]
    edges = [*edge_at.values(), *structure]
    for i, e in enumerate(edges):
        e["id"] = f"e{i}"
    return edges


def plan_steps(touches: Sequence[Touch], zone: tzinfo | None, places: dict[str, Any]) -> list[dict]:
    """The panel's next steps: each touch with its window in ``zone`` (labelled), linked to its
    person's node where it is on the map. In the plan's order, but the back channels due
    together by their rank (the plan lists them by name)."""
    first: dict[tuple[Any, str], int] = {}
    for i, t in enumerate(touches):
        first.setdefault((t.due_from, t.kind), i)
    ordered = sorted(touches, key=lambda t: (first[(t.due_from, t.kind)], t.candidate.rank if t.candidate else 0))
    return [{"handle": t.handle, "kind": t.kind, "label": t.label, "person": t.person,
             "window": human_window(t.due_from, t.due_by, zone, label=True) if t.due_from and t.due_by
             else (t.note or "waiting"),
             "status": t.status, "node": t.node if t.node in places else None} for t in ordered]
