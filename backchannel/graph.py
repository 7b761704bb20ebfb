"""The networkx graph of a workspace, built from plain rows. Node and edge kinds are defined here, once.

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

Every builder takes :class:`~backchannel.domain.GraphRows` (what the workspace read) and
"now" (for tie strengths), and uses networkx's public API, as its own ``from_edgelist`` does.
:func:`build_graph` builds the whole network (the Python API, ``reconnect``);
:func:`focus_graph` just what one interview or company needs, fast at any size;
:func:`network_view` the whole network as ``map --all`` draws it: every person as one plain
row and only the part around the interviews as a graph.

>>> from datetime import datetime, timezone
>>> rows = GraphRows(owner={"id": 1, "name": "Alex", "is_self": 1},
...                  connections=[{"id": 7, "name": "Jane Roe", "profile_url": "", "email": "", "company": "Acme",
...                                "company_key": "acme", "position": "CTO", "connected_on": "2020-01-01",
...                                "name_key": "jane roe", "messages_sent": 3, "messages_received": 2}])
>>> g = build_graph(rows, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
>>> sorted(g.nodes), [d["kind"] for _, _, d in g.edges(data=True)]
(['company:acme', 'owner:1', 'person:7'], ['connection', 'works_at'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

import networkx as nx

from .config import Config
from .domain import GraphRows, Interview
from .identity import normalise_company, normalise_name
from .ties import TIE_FIELDS, tie_strengths
from .times import utc_naive
from .workspace import CONNECTION_TABLE_FIELDS

__all__ = ["NODE_KINDS", "EDGE_KINDS", "BRIDGE_KINDS", "PERSON_FIELDS", "GraphRows", "NetworkView", "node_id",
           "build_graph", "focus_graph", "network_view", "owner_employers"]

NODE_KINDS = ("owner", "person", "company", "interview")
EDGE_KINDS = ("connection", "works_at", "referred", "interviews_for", "mutual", "second_degree", "co_thread")
#: edges that show a connection can reach a person (evidence for a back channel), strongest first
BRIDGE_KINDS = ("mutual", "second_degree", "co_thread")
_EPOCH = datetime(2000, 1, 1)


def node_id(kind: str, key: object) -> str:
    assert kind in NODE_KINDS
    return f"{kind}:{key}"


def owner_employers(positions: Iterable[Mapping[str, Any]], aliases: Mapping[str, str] | None = None
                    ) -> tuple[set[str], set[str]]:
    """(current, all) employer keys of the user, from their Positions.csv rows."""
    current, every = set(), set()
    for p in positions:
        key = normalise_company(p["company"], aliases)
        every.add(key)
        if p["current"]:
            current.add(key)
    return current, every


def _aliased(key: str, aliases: Mapping[str, str] | None) -> str:
    return aliases.get(key, key) if aliases else key


def _add_company(g: nx.MultiGraph, name: str, key: str) -> str:
    n = node_id("company", key)
    if n not in g:
        g.add_node(n, kind="company", label=name, name=name, company_key=key)
    return n


def _person_attrs(row: Mapping[str, Any], key: str) -> dict[str, Any]:
    name = row["name"]
    return {"kind": "person", "label": name, "name": name, "profile_url": row["profile_url"], "email": row["email"],
            "company": row["company"], "position": row["position"], "company_key": key, "person_id": row["id"]}


def _add_people(g: nx.MultiGraph, rows: Iterable[Mapping[str, Any]], aliases: Mapping[str, str] | None) -> None:
    """Person nodes with their works-at edges, in bulk (30,000 at LinkedIn's cap)."""
    nodes, edges = [], []
    companies: dict[str, str] = {}
    seen: set[str] = set()
    for row in rows:
        n = f"person:{row['id']}"
        if n in g or n in seen:  # (a person in several group threads comes more than once)
            continue
        seen.add(n)
        key = _aliased(row["company_key"], aliases)
        nodes.append((n, _person_attrs(row, key)))
        if row["company"] and key:
            companies.setdefault(key, row["company"])
            edges.append((n, f"company:{key}", {"kind": "works_at", "position": row["position"]}))
    g.add_nodes_from(nodes)
    for key, name in companies.items():
        _add_company(g, name, key)
    g.add_edges_from(edges)


def _tie_strengths(rows: Sequence[Mapping[str, Any]], now: datetime, employers: set[str], config: Config
                   ) -> list[tuple[float, float]]:
    """(strength, history) of connection rows."""
    aliases = config.aliases
    shared = ([_aliased(r["company_key"], aliases) in employers for r in rows] if employers
              else [False] * len(rows))
    return tie_strengths(rows, now, shared, weights=config.tie_weights)


def _add_connections(g: nx.MultiGraph, owner_node: str, rows: Sequence[Mapping[str, Any]], now: datetime,
                     employers: set[str], config: Config,
                     strengths: Sequence[tuple[float, float]] | None = None) -> None:
    """Connection edges (and their people) from rows; ``strengths`` when already worked out for them."""
    _add_people(g, rows, config.aliases)
    if strengths is None:
        strengths = _tie_strengths(rows, now, employers, config)
    # the row itself carries the interaction facts (``facts``): copying 30,000 of them costs more
    # than the rest of the edge
    g.add_edges_from((owner_node, f"person:{r['id']}", {"kind": "connection", "strength": value, "history": history,
                                                        "connected_on": r["connected_on"], "facts": r})
                     for r, (value, history) in zip(rows, strengths, strict=True))


def _add_owner(g: nx.MultiGraph, owner: Mapping[str, Any]) -> str:
    n = node_id("owner", owner["id"])
    if n not in g:
        g.add_node(n, kind="owner", label=owner["name"], name=owner["name"], is_self=bool(owner["is_self"]))
    return n


def _interview_person_node(g: nx.MultiGraph, iv: Interview, p: Any, row: Mapping[str, Any] | None,
                           aliases: Mapping[str, str] | None) -> str:
    """The node of one interview person: their connection's, or one of their own."""
    if row is not None:
        _add_people(g, [row], aliases)
        return node_id("person", row["id"])
    pn = f"person:{iv.id}/{p.slug}"
    company = p.works_at or iv.company
    if pn not in g:
        g.add_node(pn, kind="person", label=p.name, name=p.name or p.profile_url, profile_url=p.profile_url,
                   email=p.email, company=company, position=p.title,
                   company_key=normalise_company(company, aliases), person_id=None)
    return pn


def _add_interview(g: nx.MultiGraph, iv: Interview, rows: GraphRows, aliases: Mapping[str, str] | None) -> None:
    n = node_id("interview", iv.id)
    company_key = normalise_company(iv.company, aliases)
    g.add_node(n, kind="interview", label=f"{iv.company} {iv.at.date().isoformat()}", name=iv.id,
               company=iv.company, company_key=company_key, at=iv.at.isoformat(), discreet=iv.discreet,
               outcome=iv.outcome, position=iv.position, topic=iv.topic)
    g.add_edge(n, _add_company(g, iv.company, company_key), kind="works_at", position="interview")
    slug_node = {}
    for p in iv.people:
        pn = _interview_person_node(g, iv, p, rows.people.get(p.person_id) if p.person_id else None, aliases)
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
    mutual_rows = rows.mutuals.get(iv.id, ())
    _add_people(g, [rows.people[m["person_id"]] for m in mutual_rows if m["person_id"] in rows.people], aliases)
    for m in mutual_rows:
        if m["person_id"] in rows.people and m["slug"] in slug_node:
            mn, target = node_id("person", m["person_id"]), slug_node[m["slug"]]
            known = g.get_edge_data(mn, target, default={})
            if mn != target and not any(e["kind"] == "mutual" for e in known.values()):
                g.add_edge(mn, target, kind="mutual")


def _second_degree_links(people: Iterable[tuple[str, str]], links: Iterable[Mapping[str, Any]],
                         in_network: Callable[[str], bool]) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(source, target, link) of each link from another owner's export whose person is in the
    network. That owner is the same human as one of your connections when exactly one person
    (``people``: node and name) has their name; otherwise the source is the owner's own node."""
    by_name: dict[str, list[str]] = {}
    for n, name in people:
        by_name.setdefault(normalise_name(name), []).append(n)
    found = []
    for link in links:
        target = node_id("person", link["person_id"])
        if not in_network(target):
            continue
        same = by_name.get(link["owner_key"], [])
        source = same[0] if len(same) == 1 else node_id("owner", link["owner_id"])
        if source != target:
            found.append((source, target, link))
    return found


def _add_second_degree_edge(g: nx.MultiGraph, source: str, target: str, link: Mapping[str, Any]) -> None:
    if source not in g:  # the other owner, as a node of their own
        g.add_node(source, kind="owner", label=link["owner_name"], name=link["owner_name"], is_self=False)
    g.add_edge(source, target, kind="second_degree", via=link["owner_name"])


def _add_second_degree(g: nx.MultiGraph, links: Sequence[Mapping[str, Any]]) -> None:
    """Edges from another owner's export: that owner knows these people."""
    if not links:
        return
    people = [(n, d.get("name", "")) for n, d in g.nodes(data=True) if d.get("kind") == "person" and d.get("person_id")]
    for source, target, link in _second_degree_links(people, links, g.__contains__):
        _add_second_degree_edge(g, source, target, link)


def _add_co_threads(g: nx.MultiGraph, co_threads: Iterable[Mapping[str, Any]]) -> None:
    g.add_edges_from((node_id("person", r["a"]), node_id("person", r["b"]), {"kind": "co_thread",
                                                                           "threads": r["threads"]})
                     for r in co_threads if node_id("person", r["a"]) in g and node_id("person", r["b"]) in g)


def _all_connections(rows: GraphRows) -> Sequence[Mapping[str, Any]]:
    if rows.connection_table is not None:
        return ConnectionTable(rows.connection_table)
    return rows.connections


def build_graph(rows: GraphRows, config: Config | None = None, *, now: datetime) -> nx.MultiGraph:
    """The whole network as a MultiGraph (see the module docstring for the schema)."""
    config = config or Config()
    g = nx.MultiGraph()
    current, employers = owner_employers(rows.positions, config.aliases)
    g.graph["current_employers"] = current
    if rows.owner is not None:
        on = _add_owner(g, rows.owner)
        g.graph["owner"] = on
        _add_connections(g, on, list(_all_connections(rows)), utc_naive(now) or _EPOCH, employers, config)
    for iv in rows.interviews:
        _add_interview(g, iv, rows, config.aliases)
    _add_co_threads(g, rows.co_threads)
    _add_second_degree(g, rows.second_degree)
    return g


def focus_graph(rows: GraphRows, config: Config | None = None, *, now: datetime, interview_id: str | None = None,
                company_key: str | None = None, company_name: str = "",
                network: NetworkView | None = None) -> nx.MultiGraph:
    """The part of the network around one interview or company: fast at 30,000 connections.

    ``rows`` hold at least that part (:meth:`Workspace.graph_rows` reads just it). ``network``,
    the whole network's view made with the same ``now`` and config, lends its connection rows
    and tie strengths instead of working them out again.
    """
    config = config or Config()
    aliases = config.aliases
    now_naive = utc_naive(now) or _EPOCH
    g = nx.MultiGraph()
    if interview_id is not None:
        interviews = [iv for iv in rows.interviews if iv.id == interview_id]
        key = normalise_company(interviews[0].company, aliases) if interviews else ""
        g.graph["interview"] = interview_id
    else:
        key = company_key or ""
        interviews = [iv for iv in rows.interviews if normalise_company(iv.company, aliases) == key]
    g.graph["company_key"] = key
    current, employers = owner_employers(rows.positions, aliases)
    g.graph["current_employers"] = current
    for iv in interviews:
        _add_interview(g, iv, rows, aliases)
    if company_name:
        _add_company(g, company_name, key)
    if rows.owner is None:
        return g
    on = _add_owner(g, rows.owner)
    g.graph["owner"] = on
    near = {d["person_id"] for _, d in g.nodes(data=True) if d.get("person_id")}
    threads = [r for r in rows.co_threads if r["a"] in near or r["b"] in near]
    _add_people(g, [rows.people[i] for r in threads for i in (r["a"], r["b"]) if i not in near and i in rows.people],
                aliases)
    _add_co_threads(g, threads)
    near = {d["person_id"] for _, d in g.nodes(data=True) if d.get("person_id")}
    links = [link for link in rows.second_degree if link["person_id"] in near]
    owner_keys = {link["owner_key"] for link in links}
    if network is not None and network.now == now_naive and network.config == config:
        lent, strengths = network.pick_connections(key, near, owner_keys)
        _add_connections(g, on, lent, now_naive, employers, config, strengths)
    else:
        picked = _pick(_all_connections(rows), key, near, owner_keys, aliases)
        _add_connections(g, on, picked, now_naive, employers, config)
    _add_second_degree(g, links)
    return g


def _pick(connections: Sequence[Mapping[str, Any]], key: str, person_ids: set[int], name_keys: set[str],
          aliases: Mapping[str, str] | None) -> list[Mapping[str, Any]]:
    """The connections a focus graph holds: those at the company, then those of the given
    people, then those named as other owners, each in the rows' order."""
    at_company = [r for r in connections if key and _aliased(r["company_key"], aliases) == key]
    seen = {r["id"] for r in at_company}
    people = [r for r in connections if r["id"] in person_ids and r["id"] not in seen]
    seen |= {r["id"] for r in people}
    named = [r for r in connections if name_keys and r["name_key"] in name_keys and r["id"] not in seen]
    return at_company + people + named


# ---------------------------------------------------------------- the whole network, without a graph of everyone

#: a person's row in a :class:`NetworkView`, as :func:`build_graph` gives them as node attributes
PERSON_FIELDS = ("name", "company", "position", "company_key", "profile_url", "email")


def _person_row(d: Mapping[str, Any]) -> tuple[Any, ...]:
    """A person node's :data:`PERSON_FIELDS` (a nameless person's name is "")."""
    return (d.get("name", ""), d.get("company"), d.get("position"), d.get("company_key"), d.get("profile_url"),
            d.get("email"))


class ConnectionTable(Sequence[dict[str, Any]]):
    """The user's connections as :meth:`Workspace.connection_table` reads them (tuples of
    :data:`CONNECTION_TABLE_FIELDS`); a row becomes a dict only when asked for, as few are."""

    def __init__(self, tuples: list[tuple[Any, ...]]) -> None:
        self.tuples = tuples

    def __len__(self) -> int:
        return len(self.tuples)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [dict(zip(CONNECTION_TABLE_FIELDS, t, strict=True)) for t in self.tuples[i]]
        return dict(zip(CONNECTION_TABLE_FIELDS, self.tuples[i], strict=True))

    def dicts(self, places: Iterable[int]) -> list[dict[str, Any]]:
        """The rows at these places, as ``table[i]`` makes each (but in C)."""
        return list(map(dict, map(partial(zip, strict=True), repeat(CONNECTION_TABLE_FIELDS),
                                  map(self.tuples.__getitem__, places))))

    @staticmethod
    def getter(*names: str) -> Callable[[tuple[Any, ...]], Any]:
        """Reads the named fields from a row's tuple."""
        return itemgetter(*(CONNECTION_TABLE_FIELDS.index(n) for n in names))


@dataclass(eq=False)
class NetworkView:
    """The whole network as ``map --all`` draws it: everyone as one plain row, and as a graph
    only the part around the interviews.

    ``people[i]`` is a person's node id (as in :func:`build_graph`) and ``rows[i]`` their
    :data:`PERSON_FIELDS` as it would give them; ``strength`` is your tie strength with each
    connection; ``companies`` maps a company key to its node and label. ``part`` is the
    sub-graph of :func:`build_graph`'s graph that holds you (``part.graph`` carries
    ``owner`` and ``current_employers``), the interviews, their companies and people, and
    every bridge (mutual, second_degree, co_thread) of those people with the person at its
    other end: all the structure the map draws. ``connections`` and ``ties`` are the
    connection rows and their (strength, history), lent to :func:`focus_graph` when it is
    asked for the same ``now`` and ``config`` as the view was made with.
    """

    people: list[str]
    rows: list[tuple[Any, ...]]
    strength: dict[str, float]
    companies: dict[str, tuple[str, Any]]
    part: nx.MultiGraph
    connections: ConnectionTable = field(default_factory=lambda: ConnectionTable([]))
    ties: list[tuple[float, float]] = field(default_factory=list)
    now: datetime | None = None
    config: Config | None = None
    index: dict[str, int] = field(default_factory=dict, repr=False)  # node id -> its place in people

    def __post_init__(self) -> None:
        if len(self.index) != len(self.people):
            self.index = {n: i for i, n in enumerate(self.people)}

    def __contains__(self, node: object) -> bool:
        return node in self.index or node in self.part

    def person(self, node: str) -> dict[str, Any]:
        """A person's fields as a dict."""
        return dict(zip(PERSON_FIELDS, self.rows[self.index[node]], strict=True))

    @classmethod
    def from_graph(cls, g: nx.MultiGraph) -> NetworkView:
        """The view of a graph in :func:`build_graph`'s schema (the whole graph serves as ``part``)."""
        people, rows = [], []
        companies: dict[str, tuple[str, Any]] = {}
        for n, d in g.nodes(data=True):
            kind = d.get("kind")
            if kind == "person":
                people.append(n)
                rows.append(_person_row(d))
            elif kind == "company":
                key = d.get("company_key") or ""
                companies.setdefault(key, (n, d.get("label", key)))
        strength: dict[str, float] = {}
        owner = g.graph.get("owner")
        if owner in g:
            for p, es in g[owner].items():
                for e in es.values():
                    if e.get("kind") == "connection":
                        strength[p] = float(e.get("strength") or 0.0)
        return cls(people, rows, strength, companies, g)

    def pick_connections(self, company_key: str, person_ids: set[int], name_keys: set[str]
                         ) -> tuple[list[dict[str, Any]], list[tuple[float, float]]]:
        """The connection rows (and their ties) :func:`focus_graph` holds: those at the company
        (its key after the config's aliases), then those of the given people, then those named
        as other owners, each in the rows' order."""
        rows, tuples = self.connections, self.connections.tuples
        company_of, id_of, name_of = (ConnectionTable.getter(f) for f in ("company_key", "id", "name_key"))
        aliases = self.config.aliases if self.config is not None else {}
        keys = {company_key} | {k for k, v in aliases.items() if v == company_key} if company_key else set()
        # (column by column, in C: this looks through every connection for each interview)
        places = range(len(tuples))
        at_company = list(map(keys.__contains__, map(company_of, tuples)))
        picked = list(compress(places, at_company))
        if person_ids:
            picked += [i for i in compress(places, map(person_ids.__contains__, map(id_of, tuples)))
                       if not at_company[i]]
        if name_keys:
            seen = set(picked)
            picked += [i for i in compress(places, map(name_keys.__contains__, map(name_of, tuples)))
                       if i not in seen]
        return rows.dicts(picked), list(map(self.ties.__getitem__, picked))


def network_view(rows: GraphRows, config: Config | None = None, *, now: datetime) -> NetworkView:
    """The whole network as :class:`NetworkView`: what :func:`build_graph` holds, for a map.

    ``rows`` are the whole network's (``connection_table`` set). Only the interviews' part is a
    graph, built by the same steps as in :func:`build_graph`, so every person, tie and bridge is
    the same.
    """
    config = config or Config()
    aliases = config.aliases
    now_naive = utc_naive(now) or _EPOCH
    part = nx.MultiGraph()
    current, employers = owner_employers(rows.positions, aliases)
    part.graph["current_employers"] = current
    connections = ConnectionTable(rows.connection_table or [])
    if rows.owner is not None:
        part.graph["owner"] = _add_owner(part, rows.owner)
    table = connections.tuples
    people = [f"person:{i}" for i in map(ConnectionTable.getter("id"), table)]
    person_rows = list(map(ConnectionTable.getter(*PERSON_FIELDS), table))
    if aliases:
        person_rows = [(*r[:3], aliases.get(r[3], r[3]), *r[4:]) for r in person_rows]
    shared = [r[3] in employers for r in person_rows] if employers else [False] * len(person_rows)
    ties = tie_strengths(table, now_naive, shared, weights=config.tie_weights,
                         fields_of=ConnectionTable.getter(*TIE_FIELDS))
    strength = {n: value for n, (value, _) in zip(people, ties, strict=True)}
    companies: dict[str, tuple[str, Any]] = {}
    for _, company, _, key, _, _ in person_rows:
        if company and key and key not in companies:
            companies[key] = (node_id("company", key), company)
    for iv in rows.interviews:
        _add_interview(part, iv, rows, aliases)
    index = {n: i for i, n in enumerate(people)}
    _add_bridges(part, rows, connections, index, list(zip(people, person_rows, strict=True)), aliases)
    # the interviews' people: a connection's row as the interviews left it, the others after the connections
    for n, d in part.nodes(data=True):
        if d.get("kind") != "person":
            continue
        if n in index:
            person_rows[index[n]] = _person_row(d)
        else:
            index[n] = len(people)
            people.append(n)
            person_rows.append(_person_row(d))
    for n, d in part.nodes(data=True):
        if d.get("kind") == "company":  # named as in build_graph: as your first connection there writes it
            _, label = companies.setdefault(d["company_key"], (n, d["label"]))
            d["label"] = d["name"] = label
    return NetworkView(people, person_rows, strength, companies, part, connections, ties, now_naive, config, index)


def _add_bridges(part: nx.MultiGraph, rows: GraphRows, connections: ConnectionTable, index: Mapping[str, int],
                 named: Sequence[tuple[str, tuple[Any, ...]]], aliases: Mapping[str, str] | None) -> None:
    """Every bridge of the interviews' people, in build_graph's order (the order of a person's
    neighbours decides the order of the map's edges); a connection at the other end joins the part."""
    near = {n for n, d in part.nodes(data=True) if d.get("kind") == "person"}

    def in_network(n: str) -> bool:
        return n in index or n in near

    def join(n: str) -> None:
        if n not in part and n in index:
            _add_people(part, [connections[index[n]]], aliases)

    for r in rows.co_threads:
        a, b = node_id("person", r["a"]), node_id("person", r["b"])
        if (a in near or b in near) and in_network(a) and in_network(b):
            join(a)
            join(b)
            part.add_edge(a, b, kind="co_thread", threads=r["threads"])
    if rows.second_degree:
        people = [(n, r[0]) for n, r in named]
        people += [(n, d.get("name", "")) for n, d in part.nodes(data=True)
                   if n in near and n not in index and d.get("person_id")]
        for source, target, link in _second_degree_links(people, rows.second_degree, in_network):
            if source in near or target in near:
                join(source)
                join(target)
                _add_second_degree_edge(part, source, target, link)
