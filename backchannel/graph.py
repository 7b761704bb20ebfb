"""The networkx graph of a workspace. Node and edge kinds are defined here, once.

Nodes (key ``"<kind>:<id>"``, attribute ``kind``):

========== ============================================================
owner      you, and anyone whose export you imported with ``--owner``
person     a person: a connection, an interviewer, a mutual, a referrer
company    a company, keyed by its normalised name
interview  one interview (company + date)
========== ============================================================

Edges (``nx.MultiGraph``; attribute ``kind``):

=============== ================================ =======================================
kind            between                          attributes
=============== ================================ =======================================
connection      owner — person                   ``strength`` and ``history`` (ties.py),
                                                 ``connected_on``, ``facts`` (the interaction counts)
works_at        person — company                 ``position``
referred        person — interview
interviews_for  person — interview               ``role`` (interviewer, hiring-manager,
                                                 recruiter)
mutual          person — person                  stated in the interviews file
second_degree   person/owner — person            from another owner's export (``via``)
co_thread       person — person                  ``threads``: shared group conversations
=============== ================================ =======================================

An interview person who matched none of your connections is a node of their own
(``person:<interview>/<slug>``), never a namesake's: see ``identity.PeopleIndex``.

``build_graph`` builds the whole network (``map --all`` and the Python API); ``focus_graph``
builds just what one interview or company needs, fast at any size. Both take "now" for
tie strengths; neither reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import networkx as nx

from .config import Config
from .domain import Interview
from .identity import normalise_company, normalise_name
from .ties import parse_stamp, tie_strengths
from .workspace import Workspace

__all__ = ["NODE_KINDS", "EDGE_KINDS", "BRIDGE_KINDS", "node_id", "build_graph", "focus_graph", "owner_employers"]

NODE_KINDS = ("owner", "person", "company", "interview")
EDGE_KINDS = ("connection", "works_at", "referred", "interviews_for", "mutual", "second_degree", "co_thread")
#: edges that show a connection can reach a person (evidence for a back channel)
BRIDGE_KINDS = ("mutual", "second_degree", "co_thread")


def node_id(kind: str, key: object) -> str:
    assert kind in NODE_KINDS
    return f"{kind}:{key}"


def owner_employers(ws: Workspace, aliases: Mapping[str, str] | None = None) -> tuple[set[str], set[str]]:
    """(current, all) employer keys of the user, from Positions.csv."""
    me = ws.self_owner()
    if me is None:
        return set(), set()
    current, every = set(), set()
    for p in ws.owner_positions(me["id"]):
        key = normalise_company(p["company"], aliases)
        every.add(key)
        if p["current"]:
            current.add(key)
    return current, every


def _company_key(row: Mapping[str, Any], aliases: Mapping[str, str] | None) -> str:
    key = row["company_key"]
    return aliases.get(key, key) if aliases else key


def _add_company(g: nx.MultiGraph, name: str, key: str) -> str:
    n = node_id("company", key)
    if n not in g:
        g.add_node(n, kind="company", label=name, name=name, company_key=key)
    return n


def _add_people(g: nx.MultiGraph, rows: Iterable[Mapping[str, Any]], aliases: Mapping[str, str] | None) -> None:
    """Person nodes with their works-at edges, in bulk (30,000 at LinkedIn's cap)."""
    nodes, edges = [], []
    companies: dict[str, str] = {}
    for row in rows:
        n = node_id("person", row["id"])
        if n in g:
            continue
        key = _company_key(row, aliases)
        nodes.append((n, {"kind": "person", "label": row["name"], "name": row["name"],
                          "profile_url": row["profile_url"], "email": row["email"], "company": row["company"],
                          "position": row["position"], "company_key": key, "person_id": row["id"]}))
        if row["company"] and key:
            companies.setdefault(key, row["company"])
            edges.append((n, node_id("company", key), {"kind": "works_at", "position": row["position"]}))
    g.add_nodes_from(nodes)
    for key, name in companies.items():
        _add_company(g, name, key)
    _add_edges(g, edges)


def _add_edges(g: nx.MultiGraph, edges: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """Add edges between nodes already in the graph, writing networkx's adjacency directly.

    ``MultiGraph.add_edges_from`` goes through ``add_edge`` one edge at a time, which is about
    half the cost of the whole network at 30,000 connections; filling the adjacency the same
    way it does (one key dict shared by both ends, the lowest free integer key) is twice as
    fast. The test suite checks the result equals ``add_edges_from``'s.
    """
    adj = g._adj
    for u, v, data in edges:
        keydict = adj[u].get(v)
        if keydict is None:
            keydict = adj[u][v] = adj[v][u] = {}
        key = len(keydict)
        while key in keydict:
            key += 1
        keydict[key] = data
    clear = getattr(nx, "_clear_cache", None)
    if clear is not None:  # networkx 3.3+: cached views of the graph are stale now
        clear(g)


def _add_connections(g: nx.MultiGraph, owner_node: str, rows: list[dict[str, Any]], now: datetime,
                     employers: set[str], config: Config) -> None:
    aliases = config.aliases
    _add_people(g, rows, aliases)
    shared = [bool(employers) and _company_key(r, aliases) in employers for r in rows]
    strengths = tie_strengths(rows, now, shared, weights=config.tie_weights)
    # the row itself carries the interaction facts (``facts``): copying 30,000 of them costs more
    # than the rest of the edge
    _add_edges(g, ((owner_node, f"person:{r['id']}", {"kind": "connection", "strength": value, "history": history,
                                                      "connected_on": r["connected_on"], "facts": r})
                   for r, (value, history) in zip(rows, strengths, strict=True)))


def _add_owner(g: nx.MultiGraph, owner: Mapping[str, Any]) -> str:
    n = node_id("owner", owner["id"])
    if n not in g:
        g.add_node(n, kind="owner", label=owner["name"], name=owner["name"], is_self=bool(owner["is_self"]))
    return n


def _add_interview(g: nx.MultiGraph, ws: Workspace, iv: Interview, aliases: Mapping[str, str] | None,
                   people_rows: Mapping[int, Mapping[str, Any]]) -> None:
    n = node_id("interview", iv.id)
    company_key = normalise_company(iv.company, aliases)
    g.add_node(n, kind="interview", label=f"{iv.company} {iv.at.date().isoformat()}", name=iv.id,
               company=iv.company, company_key=company_key, at=iv.at.isoformat(), discreet=iv.discreet,
               outcome=iv.outcome, position=iv.position, topic=iv.topic)
    g.add_edge(n, _add_company(g, iv.company, company_key), kind="works_at", position="interview")
    slug_node = {}
    for p in iv.people:
        row = people_rows.get(p.person_id) if p.person_id else None
        if row is not None:
            _add_people(g, [row], aliases)
            pn = node_id("person", row["id"])
        else:
            pn = f"person:{iv.id}/{p.slug}"
            company = p.works_at or iv.company
            if pn not in g:
                g.add_node(pn, kind="person", label=p.name, name=p.name or p.profile_url,
                           profile_url=p.profile_url, email=p.email, company=company, position=p.title,
                           company_key=normalise_company(company, aliases), person_id=None)
        d = g.nodes[pn]
        d.setdefault("roles", {})[iv.id] = p.role
        if p.title:
            d["position"] = p.title  # the title the candidate recorded beats an older export's
        if p.email and not d.get("email"):
            d["email"] = p.email
        if p.interests:
            d["interests"] = list(p.interests)
        if p.topic or iv.topic:
            d["topic"] = p.topic or iv.topic
        slug_node[p.slug] = pn
        if p.role == "referrer":
            g.add_edge(pn, n, kind="referred")
        else:
            g.add_edge(pn, n, kind="interviews_for", role=p.role)
    mutual_rows = ws.interview_mutuals(iv.id)
    mutual_people = ws.people_by_id([m["person_id"] for m in mutual_rows if m["person_id"]])
    _add_people(g, mutual_people.values(), aliases)
    for m in mutual_rows:
        if m["person_id"] in mutual_people and m["slug"] in slug_node:
            mn = node_id("person", m["person_id"])
            if mn != slug_node[m["slug"]] and not any(e["kind"] == "mutual" for e in
                                                     g.get_edge_data(mn, slug_node[m["slug"]], default={}).values()):
                g.add_edge(mn, slug_node[m["slug"]], kind="mutual")


def _add_co_threads(g: nx.MultiGraph, ws: Workspace, person_ids: set[int] | None) -> None:
    rows = ws.co_threads(person_ids)
    for r in rows:
        a, b = node_id("person", r["a"]), node_id("person", r["b"])
        if a in g and b in g:
            g.add_edge(a, b, kind="co_thread", threads=r["threads"])


def _add_second_degree(g: nx.MultiGraph, links: list[dict[str, Any]]) -> None:
    """Edges from another owner's export: that owner knows these people."""
    if not links:
        return
    # another owner is the same human as one of your connections when the names match
    by_name: dict[str, list[str]] = {}
    for n, d in g.nodes(data=True):
        if d.get("kind") == "person" and d.get("person_id"):
            by_name.setdefault(normalise_name(d.get("name", "")), []).append(n)
    for link in links:
        target = node_id("person", link["person_id"])
        if target not in g:
            continue
        same = by_name.get(link["owner_key"], [])
        source = same[0] if len(same) == 1 else None
        if source is None:
            source = node_id("owner", link["owner_id"])
            if source not in g:
                g.add_node(source, kind="owner", label=link["owner_name"], name=link["owner_name"], is_self=False)
        if source != target:
            g.add_edge(source, target, kind="second_degree", via=link["owner_name"])


def _interview_people_rows(ws: Workspace, interviews: list[Interview]) -> dict[int, dict[str, Any]]:
    return ws.people_by_id({p.person_id for iv in interviews for p in iv.people if p.person_id})


def build_graph(ws: Workspace, config: Config | None = None, *, now: datetime) -> nx.MultiGraph:
    """The whole network as a MultiGraph (see the module docstring for the schema)."""
    config = config or Config()
    now_naive = parse_stamp(now) or datetime(2000, 1, 1)
    g = nx.MultiGraph()
    current, employers = owner_employers(ws, config.aliases)
    g.graph["current_employers"] = current
    me = ws.self_owner()
    if me is not None:
        on = _add_owner(g, me)
        g.graph["owner"] = on
        _add_connections(g, on, ws.connections(me["id"]), now_naive, employers, config)
    interviews = ws.interviews()
    rows = _interview_people_rows(ws, interviews)
    for iv in interviews:
        _add_interview(g, ws, iv, config.aliases, rows)
    _add_co_threads(g, ws, None)
    _add_second_degree(g, ws.other_owner_links())
    return g


def focus_graph(ws: Workspace, config: Config | None = None, *, now: datetime, interview_id: str | None = None,
                company_key: str | None = None, company_name: str = "") -> nx.MultiGraph:
    """The part of the network around one interview or company: fast at 30,000 connections."""
    config = config or Config()
    now_naive = parse_stamp(now) or datetime(2000, 1, 1)
    g = nx.MultiGraph()
    if interview_id is not None:
        interviews = [ws.interview(interview_id)]
        key = normalise_company(interviews[0].company, config.aliases)
        g.graph["interview"] = interview_id
    else:
        key = company_key or ""
        interviews = [iv for iv in ws.interviews() if normalise_company(iv.company, config.aliases) == key]
    g.graph["company_key"] = key
    current, employers = owner_employers(ws, config.aliases)
    g.graph["current_employers"] = current
    rows_by_id = _interview_people_rows(ws, interviews)
    for iv in interviews:
        _add_interview(g, ws, iv, config.aliases, rows_by_id)
    if company_name:
        _add_company(g, company_name, key)
    me = ws.self_owner()
    if me is None:
        return g
    on = _add_owner(g, me)
    g.graph["owner"] = on
    raw_keys = [key]
    if config.aliases:  # the stored keys that the user's aliases turn into this company
        raw_keys = [k for k in ws.company_names() if normalise_company(k, config.aliases) == key] or [key]
    ids_in_graph = {d["person_id"] for _, d in g.nodes(data=True) if d.get("person_id")}
    _add_co_threads_focus(g, ws, ids_in_graph, config.aliases)
    ids_in_graph = {d["person_id"] for _, d in g.nodes(data=True) if d.get("person_id")}
    links = ws.second_degree(ids_in_graph)
    rows = ws.connections(me["id"], company_keys=raw_keys)
    seen = {r["id"] for r in rows}
    rows += [r for r in ws.connections(me["id"], person_ids=ids_in_graph) if r["id"] not in seen]
    owner_keys = {link["owner_key"] for link in links}
    if owner_keys:
        seen = {r["id"] for r in rows}
        rows += [r for r in ws.connections(me["id"]) if r["name_key"] in owner_keys and r["id"] not in seen]
    _add_connections(g, on, rows, now_naive, employers, config)
    _add_second_degree(g, links)
    return g


def _add_co_threads_focus(g: nx.MultiGraph, ws: Workspace, person_ids: set[int],
                          aliases: Mapping[str, str] | None) -> None:
    """Shared group threads between the interview's people and anyone: those people join the graph."""
    if not person_ids:
        return
    rows = ws.co_threads(person_ids)
    others = {r["a"] for r in rows} | {r["b"] for r in rows}
    people = ws.people_by_id(others - person_ids)
    _add_people(g, people.values(), aliases)
    for r in rows:
        a, b = node_id("person", r["a"]), node_id("person", r["b"])
        if a in g and b in g:
            g.add_edge(a, b, kind="co_thread", threads=r["threads"])
