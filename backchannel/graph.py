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
connection      owner — person                   ``strength`` (ties.py), ``connected_on``
works_at        person — company                 ``position``
referred        person — interview
interviews_for  person — interview               ``role`` (interviewer, hiring-manager,
                                                 recruiter)
mutual          person — person                  recorded in the interviews file
second_degree   person/owner — person            from another owner's export
co_thread       person — person                  ``threads``: shared group conversations
=============== ================================ =======================================

``build_graph`` builds the whole network (used by ``map --all`` and the Python API);
``focus_graph`` builds just what one interview or company needs, fast at any size.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import networkx as nx

from .config import Config
from .identity import normalise_company, normalise_name
from .people import owner_employers, strength_of
from .workspace import Workspace

__all__ = ["NODE_KINDS", "EDGE_KINDS", "node_id", "build_graph", "focus_graph"]

NODE_KINDS = ("owner", "person", "company", "interview")
EDGE_KINDS = ("connection", "works_at", "referred", "interviews_for", "mutual", "second_degree", "co_thread")


def node_id(kind: str, key) -> str:
    assert kind in NODE_KINDS
    return f"{kind}:{key}"


def _add_person(g: nx.MultiGraph, row, aliases) -> str:
    n = node_id("person", row["id"])
    if n not in g:
        company_key = row["company_key"]
        if aliases:
            company_key = aliases.get(company_key, company_key)
        g.add_node(n, kind="person", label=row["name"], name=row["name"], profile_url=row["profile_url"],
                   email=row["email"], company=row["company"], position=row["position"],
                   company_key=company_key, person_id=row["id"])
        if row["company"]:
            c = _add_company(g, row["company"], aliases, company_key)
            g.add_edge(n, c, kind="works_at", position=row["position"])
    return n


def _add_company(g: nx.MultiGraph, name: str, aliases, key: str | None = None) -> str:
    key = normalise_company(name, aliases) if key is None else key
    n = node_id("company", key)
    if n not in g:
        g.add_node(n, kind="company", label=name, name=name, company_key=key)
    return n


def _add_owner(g: nx.MultiGraph, owner) -> str:
    n = node_id("owner", owner["id"])
    if n not in g:
        g.add_node(n, kind="owner", label=owner["name"], name=owner["name"], is_self=bool(owner["is_self"]))
    return n


def _add_connections(g, owner_node, rows, now, employers, config) -> None:
    for r in rows:
        p = _add_person(g, r, config.aliases)
        t = strength_of(r, now, employers, config)
        g.add_edge(owner_node, p, kind="connection", strength=t.value, history=t.history,
                   connected_on=r["connected_on"], facts=_facts(r))


_FACT_KEYS = ("messages_sent", "messages_received", "conversations", "group_conversations", "first_message",
              "last_message", "invited_by", "invitation_note", "recommendations_received",
              "recommendations_given", "endorsements_received", "endorsements_given", "connected_on")


def _facts(r: dict) -> dict:
    return {k: r.get(k) for k in _FACT_KEYS}


def _add_interview(g, ws: Workspace, iv, aliases) -> None:
    n = node_id("interview", iv["id"])
    g.add_node(n, kind="interview", label=f"{iv['company']} {iv['at'][:10]}", name=iv["id"], company=iv["company"],
               at=iv["at"], discreet=bool(iv["discreet"]), outcome=iv["outcome"])
    g.add_edge(n, _add_company(g, iv["company"], aliases), kind="works_at", position="interview")
    people = ws.interview_people(iv["id"])
    by_id = ws.people_by_id([p["person_id"] for p in people if p["person_id"]])
    slug_node = {}
    for p in people:
        if p["person_id"] and p["person_id"] in by_id:
            pn = _add_person(g, by_id[p["person_id"]], aliases)
        else:
            pn = f"person:{iv['id']}/{p['slug']}"
            if pn not in g:
                g.add_node(pn, kind="person", label=p["name"], name=p["name"], profile_url=p["profile_url"],
                           email=p["email"], company=iv["company"], position=p["title"],
                           company_key=normalise_company(iv["company"], aliases), person_id=None)
        g.nodes[pn].setdefault("roles", {})[iv["id"]] = p["role"]
        if p["title"] and not g.nodes[pn].get("position"):
            g.nodes[pn]["position"] = p["title"]
        slug_node[p["slug"]] = pn
        if p["role"] == "referrer":
            g.add_edge(pn, n, kind="referred")
        else:
            g.add_edge(pn, n, kind="interviews_for", role=p["role"])
    mutual_rows = ws.interview_mutuals(iv["id"])
    mids = ws.people_by_id([m["person_id"] for m in mutual_rows if m["person_id"]])
    for m in mutual_rows:
        if m["person_id"] and m["person_id"] in mids and m["slug"] in slug_node:
            mn = _add_person(g, mids[m["person_id"]], aliases)
            if mn != slug_node[m["slug"]]:
                g.add_edge(mn, slug_node[m["slug"]], kind="mutual")


def _add_co_threads(g, ws: Workspace, person_ids: Iterable[int] | None, aliases) -> None:
    """Edges between people who shared a group conversation in the user's messages."""
    ids = list(person_ids) if person_ids is not None else None
    rows = ws.co_threads(ids)
    need = {r["a"] for r in rows} | {r["b"] for r in rows}
    missing = [i for i in need if node_id("person", i) not in g]
    extra = ws.people_by_id(missing) if missing else {}
    for r in rows:
        a, b = node_id("person", r["a"]), node_id("person", r["b"])
        for pid, n in ((r["a"], a), (r["b"], b)):
            if n not in g and pid in extra:
                _add_person(g, extra[pid], aliases)
        if a in g and b in g:
            g.add_edge(a, b, kind="co_thread", threads=r["threads"])


def _add_second_degree(g, links) -> None:
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


def build_graph(ws: Workspace, config: Config | None = None, now: datetime | None = None) -> nx.MultiGraph:
    """The whole network as a MultiGraph (see the module docstring for the schema)."""
    config = config or Config()
    now = (now or datetime.utcnow()).replace(tzinfo=None)
    g = nx.MultiGraph()
    _, employers = owner_employers(ws, config)
    for owner in ws.owners():
        if owner["is_self"]:
            on = _add_owner(g, owner)
            g.graph["owner"] = on
            _add_connections(g, on, ws.connections(owner["id"]), now, employers, config)
    for iv in ws.interviews():
        _add_interview(g, ws, iv, config.aliases)
    _add_co_threads(g, ws, None, config.aliases)
    _add_second_degree(g, ws.other_owner_links())
    return g


def focus_graph(ws: Workspace, config: Config | None = None, *, interview_id: str | None = None,
                company: str | None = None, now: datetime | None = None) -> nx.MultiGraph:
    """The part of the network around one interview or company: fast at 30,000 connections."""
    config = config or Config()
    now = (now or datetime.utcnow()).replace(tzinfo=None)
    g = nx.MultiGraph()
    me = ws.self_owner()
    interviews = []
    if interview_id is not None:
        iv = ws.interview(interview_id)
        interviews = [iv]
        company_key = iv["company_key"]
        g.graph["interview"] = iv["id"]
    else:
        company_key = normalise_company(company or "", config.aliases)
        interviews = [iv for iv in ws.interviews() if normalise_company(iv["company"], config.aliases) == company_key]
    g.graph["company_key"] = company_key
    for iv in interviews:
        _add_interview(g, ws, iv, config.aliases)
    if company:
        _add_company(g, company, config.aliases)
    if me is None:
        return g
    on = _add_owner(g, me)
    g.graph["owner"] = on
    _, employers = owner_employers(ws, config)
    keys = [k for k in ws.company_keys() if normalise_company(k, config.aliases) == company_key] or [company_key]
    ids_in_graph = {d["person_id"] for _, d in g.nodes(data=True) if d.get("person_id")}
    _add_co_threads(g, ws, ids_in_graph, config.aliases)
    ids_in_graph = {d["person_id"] for _, d in g.nodes(data=True) if d.get("person_id")}
    links = ws.second_degree(ids_in_graph)
    rows = ws.connections(me["id"], company_keys=keys)
    rows += [r for r in ws.connections(me["id"], person_ids=ids_in_graph) if r["company_key"] not in keys]
    owner_keys = {link["owner_key"] for link in links}
    if owner_keys:
        seen = {r["id"] for r in rows}
        rows += [r for r in ws.connections(me["id"], name_keys=owner_keys) if r["id"] not in seen]
    _add_connections(g, on, rows, now, employers, config)
    _add_second_degree(g, links)
    g.graph["current_employers"], _ = owner_employers(ws, config)
    return g
