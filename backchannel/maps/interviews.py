"""The interviews' part of a graph as both maps read and draw it.

Who decides (their role as the interviews file gives it), who referred you, each interview's
company, and every time in the user's zone with its label, as every other view says it
(``times.human_time``). The edges between the people to warm up and the people deciding, and
the best paths you → them → the people deciding they reach (``Candidate.bridge_nodes``).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import networkx as nx

from ..domain import DECISION_ROLES, Candidate
from ..graph import BRIDGE_KINDS
from ..times import human_day, human_time
from .style import bridge_edge, link, mark_best_path, node_style, tooltip, work_of

__all__ = ["Interviews", "read_interviews", "target_details", "person_bridges", "bridge_edges", "mark_best_paths"]

_BRIDGE_WORDS = {"mutual": "knows {b} (recorded mutual)", "second_degree": "is connected to {b} (another export)",
                 "co_thread": "was in a group conversation with {b}"}


@dataclass
class Interviews:
    """The interviews of a graph, by time. ``deciding``: each interview's people deciding and
    their roles; ``role``, ``of``: a person deciding's role (the first of
    ``domain.DECISION_ROLES`` they hold) and their first interview; ``referrers``: each referrer's
    first interview; ``company``: each interview's company node; ``when``, ``label``, ``short``:
    ``Tue 24 Nov 14:00 EST``, ``Acme Corp., Tue 24 Nov 14:00 EST`` and ``Acme Corp.`` (with the
    day when two interviews share a company)."""

    nodes: list[str] = field(default_factory=list)
    deciding: dict[str, dict[str, str]] = field(default_factory=dict)
    role: dict[str, str] = field(default_factory=dict)
    of: dict[str, str] = field(default_factory=dict)
    referrers: dict[str, str] = field(default_factory=dict)
    company: dict[str, str] = field(default_factory=dict)
    when: dict[str, str] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)

    def details(self, g: nx.MultiGraph, iv: str) -> dict:
        """An interview's details panel."""
        d = g.nodes[iv]
        info: dict[str, Any] = {"name": f"Interview at {d.get('company', '')}".strip(), "role": "interview",
                                "role_text": "interview", "when": self.when[iv]}
        if d.get("position"):
            info["work"] = f"for {d['position']}"
        if d.get("discreet"):
            info["discreet"] = True
        return info

    def node(self, g: nx.MultiGraph, iv: str, label: str, font_size: int = 14) -> dict:
        """An interview's box (its place is set by the caller)."""
        node = node_style("interview", shape="box", label=label, font_size=font_size)
        node.update(id=iv, title=tooltip(f"Interview at {g.nodes[iv].get('company', '')}", self.when[iv]))
        return node


def _when(at: Any, zone: tzinfo | None, now: datetime | None) -> tuple[str, str]:
    """(``Tue 24 Nov 14:00 EST``, ``Tue 24 Nov``) of an interview's ISO time, in ``zone``."""
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        return str(at or ""), str(at or "")
    if moment.tzinfo is None:
        return human_day(moment), human_day(moment)
    return human_time(moment, zone, now=now, label=True), human_day(moment, zone, now=now)


def read_interviews(g: nx.MultiGraph, zone: tzinfo | None = None, now: datetime | None = None) -> Interviews:
    """The interviews of a graph in :mod:`backchannel.graph`'s schema, times in ``zone``."""
    found = Interviews()
    found.nodes = sorted((n for n, d in g.nodes(data=True) if d.get("kind") == "interview"),
                         key=lambda n: (str(g.nodes[n].get("at", "")), n))
    for iv in found.nodes:
        deciding: dict[str, str] = {}
        for nbr, edges in g[iv].items():
            for e in edges.values():
                kind = e.get("kind")
                if kind == "interviews_for":
                    role = e.get("role") or "interviewer"
                    deciding[nbr] = role if role in DECISION_ROLES else "interviewer"
                elif kind == "referred":
                    found.referrers.setdefault(nbr, iv)
                elif kind == "works_at" and g.nodes[nbr].get("kind") == "company":
                    found.company.setdefault(iv, nbr)
        found.deciding[iv] = deciding
        for n, role in deciding.items():
            if n not in found.role or DECISION_ROLES.index(role) < DECISION_ROLES.index(found.role[n]):
                found.role[n] = role
            found.of.setdefault(n, iv)
        d = g.nodes[iv]
        found.when[iv], day = _when(d.get("at"), zone, now)
        found.label[iv] = f"{d.get('company', '')}, {found.when[iv]}".strip(", ")
        found.short[iv] = day  # (the company is put in front below)
    companies = [str(g.nodes[iv].get("company", "")) for iv in found.nodes]
    for iv, company in zip(found.nodes, companies, strict=True):
        found.short[iv] = f"{company} {found.short[iv]}" if companies.count(company) > 1 else company
    return found


def target_details(g: nx.MultiGraph, n: str, role: str, interview_label: str, include_emails: bool) -> dict:
    """A person deciding's details panel: their interests and topic, never their notes (private)."""
    d = g.nodes[n]
    info: dict[str, Any] = {"name": d.get("name", ""), "role": role,
                            "role_text": f"{role.replace('-', ' ')}, {interview_label}".strip(", "),
                            "work": work_of(d.get("position"), d.get("company")), "url": link(d.get("profile_url"))}
    interests = [str(i) for i in d.get("interests") or [] if str(i).strip()]
    if interests:
        info["interests"] = interests
    if d.get("topic"):
        info["topic"] = str(d["topic"])
    if include_emails and d.get("email"):
        info["email"] = str(d["email"])
    return info


def person_bridges(g: nx.MultiGraph, person: str, others: Container[str]) -> dict[str, list[str]]:
    """The bridge kinds (``graph.BRIDGE_KINDS``, strongest first) from ``person`` to each of ``others``."""
    found: dict[str, list[str]] = {}
    for nbr, edges in g[person].items():
        if nbr in others:
            kinds = {e.get("kind") for e in edges.values()}
            if not kinds.isdisjoint(BRIDGE_KINDS):
                found[nbr] = [k for k in BRIDGE_KINDS if k in kinds]
    return found


def bridge_edges(g: nx.MultiGraph, people: Iterable[str], deciding: Container[str],
                 name_of: Callable[[str], Any]) -> dict[tuple[str, str], dict]:
    """The edges from each of ``people`` to the people deciding they know (never person to
    person: that is noise on these maps), by (person, person deciding)."""
    edges: dict[tuple[str, str], dict] = {}
    for c in people:
        if c not in g:  # nobody in the interviews' part: no bridge to the people deciding
            continue
        for t, kinds in person_bridges(g, c, deciding).items():
            name = g.nodes[t].get("name", "")
            text = "; ".join(_BRIDGE_WORDS[k].format(b=name) for k in kinds)
            edges[(c, t)] = bridge_edge(c, t, kinds[0], f"{name_of(c)} {text}")
    return edges


def mark_best_paths(edges: dict[tuple[str, str], dict], owner: str | None, candidates: Iterable[Candidate],
                    deciding: Container[str]) -> None:
    """Light the best paths you → candidate → each of the people deciding they reach (among
    ``deciding``), adding the bridge where the graph holds none; ``edges`` by (from, to)."""
    if owner is None:
        return
    for c in candidates:
        for t, name in zip(c.bridge_nodes, c.bridges_to, strict=False):
            if t not in deciding:
                continue
            edge = edges.get((c.node, t))
            if edge is None:
                kind = c.evidence if c.evidence in BRIDGE_KINDS else "mutual"
                edge = edges[(c.node, t)] = bridge_edge(c.node, t, kind, f"{c.name} reaches {name}")
            mark_best_path(edge)
            if (owner, c.node) in edges:
                mark_best_path(edges[(owner, c.node)])
