"""The whole network, usable at LinkedIn's cap of 30,000 connections.

It opens on what matters: you, each interview with its company, the people deciding and the
top ranked people, each interview company a band of its own. Every other company is one node
sized by its head count. A company's people are not in the browser's graph until you open it:
they travel as compact columns and are added on click (and removed on the next click).
Measured in headless Chromium, this precomputed aggregation keeps the first draw and every
redraw of the 30,000 map close to the 3,000 one, where vis-network's own clustering would
first build all 30,000 nodes (``benchmarks/bench_maps_browser.py``).

It is drawn from a :class:`~backchannel.graph.NetworkView` (everyone as a plain row, only the
interviews' part as a graph) and the rankings' :class:`~backchannel.domain.Candidate` records:
they alone decide who is coloured as a candidate and how they are numbered. Where the map holds
more than one interview, each number says its interview (``#3 Acme Corp.``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from operator import attrgetter, itemgetter
from typing import Any

from ..bulk import gc_paused
from ..domain import DECISION_ROLES, Candidate
from ..graph import NetworkView
from .interviews import bridge_edges, mark_best_paths, read_interviews, target_details
from .layout import TWO_LINE_DY, X_YOU, Band, companies_x, label_width, place_bands, place_companies
from .members import MapDetails, MapNodes
from .page import BackchannelMap
from .style import (
    CORE_FONT,
    LINKEDIN_PREFIX,
    cluster_font,
    cluster_size,
    connection_edge,
    legend,
    link,
    node_style,
    options,
    rank_label,
    ranks_text,
    role_text,
    strongest_role,
    structure_edge,
    tooltip,
    work_of,
)

__all__ = ["full_map", "MAX_COMPANY_CLUSTERS", "OPEN_CLUSTER_LIMIT", "MIN_OPENING_SCALE"]

#: how many companies get their own node before the rest share one
MAX_COMPANY_CLUSTERS = 300
#: an interview company's people start shown when there are at most this many of them
OPEN_CLUSTER_LIMIT = 60
#: the smallest on-screen label at the opening zoom is font size x this scale (12 x 0.8 = 9.6 px)
MIN_OPENING_SCALE = 0.8
_OPEN_SIZE = 12  # an opened company's node: small, its people around it
_INTERVIEW_FONT = 15
_COMPANY_TEXT = "Company: your connections there (the bigger, the more); click to show or hide them"


def full_map(network: NetworkView, *, rankings: Mapping[str, Sequence[Candidate]] | None = None, owner: str = "",
             title: str = "", subtitle: str = "", include_emails: bool = False, top: int = 5,
             zone: tzinfo | None = None, now: datetime | None = None) -> BackchannelMap:
    """The whole network: it opens on what matters, every other company one node that opens on click.

    ``network`` is the whole network as :func:`backchannel.graph.network_view` reads it from a
    workspace (or :meth:`~backchannel.graph.NetworkView.from_graph` makes of a graph).
    ``rankings`` maps an interview id to its ranking (the discreet rule already applied): they
    alone decide who is coloured as a candidate and how they are numbered, so pass whole
    rankings, not a top cut, for every candidate to be coloured; a ranking of an interview the
    network does not hold is left out. The top ``top`` of each are shown from the start with
    their paths to the people deciding. Without rankings, nobody is a candidate. Times are
    shown in ``zone``; emails only when asked.
    """
    title = title or (f"{owner}'s network" if owner else "Your network")
    subtitle = subtitle or f"{len(network.people):,} people; other companies collapsed (click to open)"
    with gc_paused():
        whole = _Whole(network, rankings or {}, top=top, include_emails=include_emails, zone=zone, now=now)
        return whole.map(title, subtitle)


@dataclass
class _Company:
    """A company node of the whole map and its people (their places in the view's rows)."""

    cid: str
    name: str
    people: list[int]
    interview: bool

    @property
    def label(self) -> str:
        return f"{self.name} \u00b7 {len(self.people):,}" if self.people else self.name

    @property
    def reach(self) -> float:
        """How far from its centre the node and its label reach sideways."""
        count = len(self.people)
        return max(cluster_size(count), label_width(self.label, cluster_font(count)) / 2)


def _ranked_part(c: Candidate, interview: str, short: str) -> dict:
    """Why someone ranks for one interview, as the details panel shows it. Reasons, action and
    the people they reach only where there are some: past the rows a ranking explains there are
    none, and thousands of empty lists would be a sixth of the whole page's details."""
    part: dict[str, Any] = {"rank": c.rank, "score": c.score, "evidence": c.evidence, "interview": interview,
                            "short": short}
    if c.reasons:
        part["reasons"] = list(c.reasons)
    if c.action:
        part["action"] = c.action
    if c.bridges_to:
        part["bridges_to"] = list(c.bridges_to)
    return part


def _candidate_role(parts: Sequence[tuple[str, Candidate]]) -> str:
    """The role of someone ranked: their candidate's, or the strongest of their candidates'."""
    return parts[0][1].role if len(parts) == 1 else strongest_role(c.role for _, c in parts)


class _Whole:
    """The whole map being made: the view's rows, the interviews, the rankings, the details."""

    def __init__(self, network: NetworkView, rankings: Mapping[str, Sequence[Candidate]], *, top: int,
                 include_emails: bool, zone: tzinfo | None, now: datetime | None) -> None:
        self.network, self.g = network, network.part
        owner = self.g.graph.get("owner")
        self.owner: str | None = owner if owner in self.g else None
        self.people, self.rows, self.index, self.strength = network.people, network.rows, network.index, network.strength
        self.ivs = read_interviews(self.g, zone, now)
        self.include_emails = include_emails
        self.details: dict[str, dict] = {}
        self.name_interview = len(self.ivs.nodes) > 1
        # tie strengths repeat: each value rounded once
        self.rounded: dict[Any, float] = {s: round(s, 4) for s in set(self.strength.values())}
        self._rank(rankings, top)
        # set as the map is made: the companies' people by company key, the companies that share
        # one node, the interview companies of one interview each, the plain columns
        self.members: dict[str, list[int]] = {}
        self.rest: list[str] = []
        self.one_interview: set[str] = set()
        self.names: list[Any] = []
        self.works: list[str] = []
        self.urls: list[str] = []
        self.ties: list[float | None] = []
        self.casefolded: list[str] = []

    def _rank(self, rankings: Mapping[str, Sequence[Candidate]], top: int) -> None:
        """``ranked``: each ranked person's (interview, candidate), by interview time; ``best``:
        their best rank; ``shown``: each interview's top ``top`` (the people deciding left out)."""
        by_name = {self.g.nodes[iv].get("name"): iv for iv in self.ivs.nodes}
        by_node = {by_name.get(iid, f"interview:{iid}"): ranking for iid, ranking in rankings.items()}
        self.ranked: dict[str, list[tuple[str, Candidate]]] = {}
        self.best: dict[str, int] = {}
        self.shown: dict[str, list[Candidate]] = {}
        for iv in self.ivs.nodes:
            ranking = [c for c in sorted(by_node.get(iv, ()), key=attrgetter("rank")) if c.node in self.network]
            for c in ranking:
                self.ranked.setdefault(c.node, []).append((iv, c))
                if c.rank < self.best.get(c.node, c.rank + 1):
                    self.best[c.node] = c.rank
            self.shown[iv] = [c for c in ranking if c.node not in self.ivs.role][:top]

    def role_of(self, n: str) -> str:
        """A person's role: theirs in an interview, else their candidate role, else ``other``."""
        role = self.ivs.role.get(n)
        if role is not None:
            return role
        parts = self.ranked.get(n)
        if parts:
            return _candidate_role(parts)
        return "referrer" if n in self.ivs.referrers else "other"

    def name_of(self, n: str) -> Any:
        return self.rows[self.index[n]][0] if n in self.index else self.g.nodes[n].get("name", "")

    def tie_of(self, n: str) -> float | None:
        s = self.strength.get(n)
        if s is None:
            return None
        r = self.rounded.get(s)
        return r if r is not None else round(s, 4)

    def ranks(self, n: str) -> list[tuple[int, str]]:
        return [(c.rank, self.ivs.short[iv]) for iv, c in self.ranked.get(n, ())]

    def person_details(self, n: str, role: str) -> dict:
        """The details panel of someone in the core."""
        name, company, position, _, url, email = self.rows[self.index[n]]
        if role in DECISION_ROLES:
            info = target_details(self.g, n, role, self.ivs.label[self.ivs.of[n]], self.include_emails)
        else:
            info = {"name": name, "role": role, "work": work_of(position, company), "url": link(url)}
            if self.include_emails and email:
                info["email"] = str(email)
            info["role_text"] = role_text(role)
        if n in self.strength:
            info["tie_strength"] = self.tie_of(n)
        parts = self.ranked.get(n)
        if parts:
            info["ranks"] = [_ranked_part(c, self.ivs.label[iv], self.ivs.short[iv]) for iv, c in parts]
        return info

    # ------------------------------------------------------------ the core

    def bands(self) -> list[Band]:
        """The core: a band per interview company, with its interviews, the top of their rankings
        and their referrers (each person once, in the first band that has them), the people deciding."""
        ivs = self.ivs
        bands: list[Band] = []
        for iv in ivs.nodes:
            company = ivs.company.get(iv)
            band = next((b for b in bands if company is not None and b.company == company), None)
            if band is None:
                # (a number that says its interview is a second line under the name)
                bands.append(band := Band(company, candidate_dy=TWO_LINE_DY) if self.name_interview else Band(company))
            band.interviews.append(iv)
        placed: set[str] = set(ivs.role)
        for band in bands:
            for c in (c for iv in band.interviews for c in self.shown.get(iv, ())):
                if c.node not in placed:
                    band.candidates.append(c.node)
                    placed.add(c.node)
            referrers = [n for n, iv in ivs.referrers.items() if iv in band.interviews and n not in placed]
            band.candidates += sorted(referrers, key=lambda n: (str(self.name_of(n)), n))
            placed.update(referrers)
            band.deciding = [t for iv in band.interviews for t in ivs.deciding[iv] if ivs.of[t] == iv]
        return bands

    def core_node(self, n: str, x: float, y: float) -> dict:
        """Someone in the core, numbered (with the interview, where there are several) where ranked."""
        role = self.role_of(n)
        info = self.details[n] = self.person_details(n, role)
        name = self.name_of(n)
        ranks = self.ranks(n)
        if role in DECISION_ROLES:
            label = f"{name}\n{role.replace('-', ' ')}"
        else:
            label = rank_label(name, ranks, name_interview=self.name_interview)
        node = node_style(role, label=label, font_size=CORE_FONT)
        if n in self.best:
            node["rank"] = self.best[n]
        node.update(id=n, x=round(x, 1), y=round(y, 1),
                    title=tooltip(name, info.get("role_text"), info.get("work"), ranks_text(ranks)))
        return node

    # ------------------------------------------------------------ everyone else, by company

    def companies(self, core: set[str]) -> list[_Company]:
        """Everyone outside the core, by company: interview companies first, the largest others
        (up to :data:`MAX_COMPANY_CLUSTERS`), the rest together, then those with no company."""
        members: dict[str, list[int]] = {}
        for i, (n, row) in enumerate(zip(self.people, self.rows, strict=True)):
            if n not in core:
                members.setdefault(row[3] or "", []).append(i)
        known = self.network.companies
        iv_keys: list[str] = []
        for c in self.ivs.company.values():
            key = self.g.nodes[c].get("company_key")
            if key is not None and key not in iv_keys:
                iv_keys.append(key)
        found = []
        for key in iv_keys:
            cid, name = known.get(key) or (f"company:{key}", key)
            found.append(_Company(cid, name, members.get(key, []), True))
        others = sorted((k for k in members if k and k not in iv_keys), key=lambda k: (-len(members[k]), k))
        own = [k for k in others[:MAX_COMPANY_CLUSTERS] if len(members[k]) >= 2]
        for key in own:
            cid, name = known.get(key) or (f"company:{key}", self.rows[members[key][0]][1] or key)
            found.append(_Company(cid, name, members[key], False))
        own_set = set(own)
        self.rest = [k for k in others if k not in own_set]
        if self.rest:
            tail = [i for k in self.rest for i in members[k]]
            others_name = f"{len(self.rest):,} other compan{'y' if len(self.rest) == 1 else 'ies'}"
            found.append(_Company("cluster:other-companies", others_name, tail, False))
        if members.get(""):
            found.append(_Company("cluster:no-company", "No company given", members[""], False))
        self.members = members
        return found

    def company_node(self, company: _Company, x: float, y: float, origin: tuple[float, float], radius: float
                     ) -> tuple[dict, dict]:
        """(its node, its cluster): open from the start when it is a small interview company."""
        count, name = len(company.people), company.name
        expanded = company.interview and 0 < count <= OPEN_CLUSTER_LIMIT
        closed_title = (f"{name}: {count:,} of your connections \u2014 click to show them" if count else
                        f"{name}: everyone you know there is shown around the interview" if company.interview
                        else name)
        open_title = f"{name}: {count:,} of your connections \u2014 click to hide them"
        cluster: dict[str, Any] = {"label": name, "count": count, "expanded": expanded,
                                   "center": [round(origin[0], 1), round(origin[1], 1)], "radius": round(radius, 1),
                                   "anchor_label": company.label, "anchor_size": cluster_size(count),
                                   "anchor_title": closed_title, "open_title": open_title}
        if company.cid == "cluster:other-companies":
            cluster["companies"] = sorted(
                ([(self.network.companies.get(k) or ("", k))[1], sorted(self.people[i] for i in self.members[k])]
                 for k in self.rest), key=lambda c: str(c[0]).casefold())
        node = node_style("company", size=_OPEN_SIZE if expanded else cluster_size(count), label=company.label,
                          font_size=cluster_font(count))
        node.update(id=company.cid, x=round(x, 1), y=round(y, 1), count=count, expandable=count > 0,
                    title=open_title if expanded else closed_title)
        self.details[company.cid] = {"name": name, "role": "company", "role_text": "company", "count": count,
                                     "interview_company": company.interview}
        return node, cluster

    def plain_columns(self) -> None:
        """Everyone's name, work, link and tie as the page shows them, made once in the view's
        order (a company's people are picked from them): reading the rows in their own order is
        much faster than in a company's alphabetical one."""
        rows = self.rows
        self.names = list(map(itemgetter(0), rows))
        self.works = [f"{r[2]} at {r[1]}" if r[2] and r[1] else r[2] or r[1] or "" for r in rows]
        self.urls = [url if isinstance(url, str) and url.startswith(LINKEDIN_PREFIX) else ""
                     for url in map(itemgetter(4), rows)]
        self.ties = list(map(self.rounded.get, map(self.strength.get, self.people)))
        self.casefolded = list(map(str.casefold, map(str, self.names)))

    def member_columns(self, company: _Company, dxs: list[float], dys: list[float], ox: float, oy: float
                       ) -> tuple[dict[str, list[Any]], dict[str, str]]:
        """A company's people, by name, at its disc's places, as the page's columns
        (:data:`~backchannel.maps.members.MEMBER_COLUMNS`), and the labels that say more than a
        (numbered) name. Column by column, in C where it can be: everyone as a plain person
        first, then the ranked people put right (their details go to ``details``)."""
        # by name, then node id (two stable sorts of strings: twice as fast as one of pairs)
        ppl = sorted(sorted(company.people, key=self.people.__getitem__), key=self.casefolded.__getitem__)
        ids = list(map(self.people.__getitem__, ppl))
        # (a place's x and y repeat along the rows of the disc: each rounded once)
        x_at = {dx: round(ox + dx) for dx in set(dxs)}
        y_at = {dy: round(oy + dy) for dy in set(dys)}
        cols: dict[str, list[Any]] = {
            "id": ids, "x": list(map(x_at.__getitem__, dxs)), "y": list(map(y_at.__getitem__, dys)),
            "role": ["other"] * len(ids), "rank": [None] * len(ids), "name": list(map(self.names.__getitem__, ppl)),
            "work": list(map(self.works.__getitem__, ppl)), "url": list(map(self.urls.__getitem__, ppl)),
            "tie": list(map(self.ties.__getitem__, ppl))}
        emails: list[Any] | None = None
        if self.include_emails:
            emails = [str(row[5]) if row[5] else None for row in map(self.rows.__getitem__, ppl)]
        labels: dict[str, str] = {}
        if not self.ranked.keys().isdisjoint(ids):
            for j in [j for j, n in enumerate(ids) if n in self.ranked]:
                self.ranked_member(cols, j, ppl[j], company.cid, (ox + dxs[j], oy + dys[j]), labels)
                if emails is not None:
                    emails[j] = None
        if emails is not None and any(e is not None for e in emails):
            cols["email"] = emails
        return cols, labels

    def ranked_member(self, cols: dict[str, list[Any]], j: int, k: int, cid: str, at: tuple[float, float],
                      labels: dict[str, str]) -> None:
        """Put right the ``j``-th person of a company's columns (``k``-th of the view), who is
        ranked: their role, number and exact place in the columns, their details in
        ``details`` (as :meth:`person_details` makes them, but from the plain columns: at a
        large company there are thousands of them)."""
        n = cols["id"][j]
        parts = self.ranked[n]
        role = _candidate_role(parts)
        info: dict[str, Any] = {"name": self.names[k], "role": role, "work": self.works[k], "url": self.urls[k]}
        if self.include_emails and self.rows[k][5]:
            info["email"] = str(self.rows[k][5])
        info["role_text"] = role_text(role)
        tie = self.ties[k] if self.ties[k] is not None else self.tie_of(n)
        if tie is not None:
            info["tie_strength"] = tie
        info["ranks"] = [_ranked_part(c, self.ivs.label[iv], self.ivs.short[iv]) for iv, c in parts]
        self.details[n] = info
        cols["role"][j], cols["rank"][j] = role, self.best[n]
        cols["x"][j], cols["y"][j] = round(at[0], 1), round(at[1], 1)
        cols["name"][j] = cols["work"][j] = cols["url"][j] = cols["tie"][j] = None
        # "6. Jane Roe" says it inside the company of the one interview they rank for, or on a map
        # of one interview; a number for another interview says which ("6. Jane Roe · #2 Initrode")
        if self.name_interview:
            here = next((c for iv, c in parts if self.ivs.company.get(iv) == cid and cid in self.one_interview), None)
            others = [(c.rank, self.ivs.short[iv]) for iv, c in parts if c is not here]
            if others:
                name = f"{here.rank}. {self.names[k]}" if here is not None else self.names[k]
                labels[n] = f"{name} \u00b7 {ranks_text(others)}"

    # ------------------------------------------------------------ putting it together

    def map(self, title: str, subtitle: str) -> BackchannelMap:
        bands = self.bands()
        core = [n for b in bands for n in (*b.candidates, *b.deciding)]
        companies = self.companies(set(core))
        counts = {c.cid: len(c.people) for c in companies}
        for band in bands:
            n = counts.get(band.company or "", 0)
            band.company_height = 2 * cluster_size(n) + 1.4 * cluster_font(n) + 50
        boxes = [label_width(self.interview_label(iv), _INTERVIEW_FONT) / 2 + 8 for iv in self.ivs.nodes]
        x_companies = companies_x(max(boxes, default=0.0), max((c.reach for c in companies if c.interview), default=0.0))
        places, height = place_bands(bands, x_companies)
        nodes = self.core_nodes(core, places)
        iv_companies = list(self.ivs.company.values())
        self.one_interview = {c for c in iv_companies if iv_companies.count(c) == 1}
        self.plain_columns()
        columns, labels, clusters = self.company_nodes(companies, places, height, x_companies, nodes)
        edges = self.edges(bands, core)
        focus = [*([self.owner] if self.owner else []), *core, *self.ivs.nodes,
                 *(c.cid for c in companies if c.interview)]
        map_nodes = MapNodes(nodes, columns, self.details, labels)
        roles = {n["role"] for n in nodes}.union(*(cols["role"] for cols in columns.values()))
        return BackchannelMap(title=title, subtitle=subtitle, nodes=map_nodes, edges=edges,
                              details=MapDetails(self.details, map_nodes), options=options(), height=720, kind="full",
                              owner=self.owner, clusters=clusters,
                              view={"focus": focus, "minScale": MIN_OPENING_SCALE, "maxScale": 1.2},
                              legend=legend(roles, edges, {"company": _COMPANY_TEXT}))

    def core_nodes(self, core: Iterable[str], places: Mapping[str, tuple[float, float]]) -> list[dict]:
        """You, the people of the core, the interviews."""
        nodes: list[dict] = []
        if self.owner:
            d = self.g.nodes[self.owner]
            node = node_style("you", label=d.get("label") or d.get("name") or "You", font_size=CORE_FONT)
            node.update(id=self.owner, x=X_YOU, y=0.0, title="You")
            nodes.append(node)
            self.details[self.owner] = {"name": d.get("name") or d.get("label") or "You", "role": "you",
                                        "role_text": "you"}
        nodes += [self.core_node(n, *places[n]) for n in core]
        for iv in self.ivs.nodes:
            node = self.ivs.node(self.g, iv, self.interview_label(iv), _INTERVIEW_FONT)
            node.update(x=places[iv][0], y=places[iv][1])
            nodes.append(node)
            self.details[iv] = self.ivs.details(self.g, iv)
        return nodes

    def interview_label(self, iv: str) -> str:
        return f"{self.g.nodes[iv].get('company', '')}\n{self.ivs.when[iv]}"

    def company_nodes(self, companies: list[_Company], places: Mapping[str, tuple[float, float]], height: float,
                      x_companies: float, nodes: list[dict]
                      ) -> tuple[dict[str, dict[str, list[Any]]], dict[str, dict[str, str]], dict[str, dict]]:
        """Each company's node (added to ``nodes``), its people's columns and labels, its cluster."""
        at_interviews = [c for c in companies if c.interview]
        others = [c for c in companies if not c.interview]
        iv_discs, other_discs = place_companies(
            [(places.get(c.cid, (0.0, 0.0))[1], len(c.people), c.reach) for c in at_interviews],
            [(len(c.people), max(150.0, label_width(c.label, cluster_font(len(c.people))) / 2)) for c in others],
            height, x_companies)
        columns: dict[str, dict[str, list[Any]]] = {}
        labels: dict[str, dict[str, str]] = {}
        clusters: dict[str, dict] = {}
        for company, (ox, oy, dxs, dys, radius) in zip([*at_interviews, *others], [*iv_discs, *other_discs],
                                                      strict=True):
            x, y = places.get(company.cid, (ox, oy))
            node, clusters[company.cid] = self.company_node(company, x, y, (ox, oy), radius)
            nodes.append(node)
            columns[company.cid], found = self.member_columns(company, dxs, dys, ox, oy)
            if found:
                labels[company.cid] = found
        return columns, labels, clusters

    def edges(self, bands: Sequence[Band], core: Sequence[str]) -> list[dict]:
        """Your ties to the core; who knows the people deciding (the best paths lit); who
        interviews for, referred you to, or holds each interview."""
        ivs, owner = self.ivs, self.owner
        edge_at: dict[tuple[str, str], dict] = {}
        if owner is not None:
            for p in core:
                if p in self.strength:
                    edge_at[(owner, p)] = connection_edge(owner, p, self.strength[p])
        edge_at.update(bridge_edges(self.g, [n for b in bands for n in b.candidates], ivs.role, self.name_of))
        for iv in ivs.nodes:
            mark_best_paths(edge_at, owner, self.shown.get(iv, ()), ivs.deciding[iv])
        structure: list[dict] = []
        for iv in ivs.nodes:
            structure += [structure_edge(t, iv, "interviews_for", role.replace("-", " "))
                          for t, role in ivs.deciding[iv].items()]
            structure += [structure_edge(n, iv, "referred", "referred you") for n, riv in ivs.referrers.items()
                          if riv == iv]
            if iv in ivs.company:
                structure.append(structure_edge(iv, ivs.company[iv], "works_at", "interview at"))
        edges = [*edge_at.values(), *structure]
        for i, e in enumerate(edges):
            e["id"] = f"e{i}"
        return edges
