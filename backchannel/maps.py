"""Interactive, self-contained maps of who connects you to whom. The only module importing pyvis.

A map is one HTML file: vis-network is inlined from the pyvis package (no CDN, no ``lib/``
folder), a Content-Security-Policy forbids any network request, and every string from the
user's data travels as JSON escaped for a ``<script>`` block and is shown with
``textContent`` or as vis-network's plain-text labels and tooltips, never as HTML.

Two maps, both pure functions of the network and rankings (no workspace, no clock):

``focused_map``
    one interview or company as a plan you can see: you, the ranked people to warm up
    (numbered as in ``rank``), the people deciding, the interview; the best path to each
    interviewer in orange; a "next steps" list; an explicit empty state when nobody reaches
    the company.
``full_map``
    the whole network, usable at LinkedIn's cap of 30,000 connections. It opens on what
    matters (you, the interviews, the people deciding, the top-ranked people) and shows every
    other company as one node sized by its head count. A company's people are not in the
    browser's graph until you open it: they travel as compact columns and are added on click
    (and removed on the next click). Measured in headless Chromium, this precomputed
    aggregation keeps the first draw and every redraw of the 30,000 map close to the 3,000
    one, where vis-network's own clustering would first build all 30,000 nodes
    (``benchmarks/bench_maps_browser.py``). It is drawn from a
    :class:`~backchannel.graph.NetworkView` (everyone as a plain row, only the interviews'
    part as a graph), and writes those rows to the page's columns directly: no node dict is made
    for a person of a collapsed company unless someone asks :class:`MapNodes` for it.

Map data, for power users and tests. Every node carries ``role`` (one of :data:`ROLES`) and
``rank`` where ranked; every edge carries ``kind`` (a graph edge kind), ``strength`` on
connection edges and ``best_path: True`` on best paths. Colour encodes role; on edges from
you, width encodes tie strength, best paths included (a best path is marked by colour only).

Layouts are computed here, deterministically, and physics is off.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from bisect import bisect_right
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, overload

import networkx as nx

from .bulk import gc_paused
from .domain import Candidate
from .followup import InterviewPlan
from .graph import NetworkView
from .rank import people_search_link
from .times import human_day, human_time, human_window

__all__ = ["BackchannelMap", "MapDetails", "MapNodes", "ROLES", "ROLE_COLOURS", "EDGE_STYLES", "focused_map",
           "full_map", "script_safe_json"]

#: role -> (legend text, colour). Every colour a map uses is one of these.
ROLE_COLOURS: dict[str, tuple[str, str]] = {
    "you": ("You", "#2b6cb0"),
    "referrer": ("Referred you", "#d69e2e"),
    "interviewer": ("Interviewer", "#c53030"),
    "hiring-manager": ("Hiring manager", "#822727"),
    "recruiter": ("Recruiter", "#d53f8c"),
    "mutual": ("Knows an interviewer", "#2f855a"),
    "colleague": ("Works at the company (may know the team)", "#805ad5"),
    "other": ("Other connection", "#a0aec0"),
    "company": ("Company", "#4a5568"),
    "interview": ("Interview", "#2c7a7b"),
}
ROLES = tuple(ROLE_COLOURS)
TARGET_ROLES = ("interviewer", "hiring-manager", "recruiter")
BRIDGE_KINDS = ("mutual", "second_degree", "co_thread")  # strongest first, as in rank.py
HIGHLIGHT = "#dd6b20"
_GREY = "#cbd5e0"
_GREEN = "#2f855a"
_TEXT = "#1a202c"
#: edge style -> (legend text, colour, line samples as (width, dashed))
EDGE_STYLES: dict[str, tuple[str, str, tuple[tuple[int, bool], ...]]] = {
    "connection": ("Your connection: the wider, the stronger your tie (thinnest: never messaged)", "#90a4bf",
                   ((1, False), (6, False))),
    "best_path": ("Best path you \u2192 them \u2192 interviewer: your tie (width as above), then how they "
                  "know the interviewer (dashed)", HIGHLIGHT, ((1, False), (6, False), (2, True))),
    "bridge": ("Knows an interviewer: recorded mutual, group conversation or another export", _GREEN,
               ((2, True),)),
    "structure": ("Works at, interviews for, referred you", _GREY, ((1, False),)),
}
LINKEDIN_PREFIX = "https://www.linkedin.com/"
_TEMPLATE = Path(__file__).parent / "templates" / "map.html"
_PLAIN_DETAILS = frozenset({"name", "role", "work", "url", "tie_strength", "email"})

# whole-network map: how many companies get their own node before the rest share one
MAX_COMPANY_CLUSTERS = 300
# an interview company's people start shown when there are at most this many of them
OPEN_CLUSTER_LIMIT = 60
# the smallest on-screen label at the opening zoom is font size x this scale (12 x 0.8 = 9.6 px)
MIN_OPENING_SCALE = 0.8
_MEMBER_FONT = 12
_CORE_FONT = 16  # the people around the interviews, on the whole-network map
_SLOT_DX, _SLOT_DY = 150, 36  # a person's place in an opened company: a small dot, its name below


def script_safe_json(value: Any) -> str:
    """JSON that cannot end a ``<script>`` block or open markup, whatever the strings hold.

    ASCII only (every other character escaped) and not looked through for cycles (the data has
    none): a whole network's 5 MB encode in 60% of the time, and the page is then put together
    from one-byte text, ten times faster than from the four-byte text one emoji in a name makes.
    """
    text = json.dumps(value, ensure_ascii=True, check_circular=False, separators=(",", ":"))
    # (``in`` first: it finds a character at memchr speed, where a replace that finds nothing
    # still counts through the whole text; most pages hold none of these)
    for char, escaped in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                   ("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    # found without importing pyvis: its import (IPython and all) costs more than a whole map
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyvis is required to write maps (pip install pyvis==0.3.2)")
    lib = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # the inlined script must not be able to close its own <script> block
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


#: the columns of a collapsed company's people, as they travel to the page (one list each, in
#: the same order): ``name``, ``work``, ``url`` and ``tie`` (tie strength) are ``None`` for a
#: person whose details travel in ``details`` (a ranked person or one deciding); ``email``, when
#: any of them has one, is a column of its own
MEMBER_COLUMNS = ("id", "x", "y", "role", "rank", "name", "work", "url", "tie")


def _member_columns(rows: Iterable[Sequence[Any]]) -> dict[str, list[Any]]:
    """The page's columns of a company's people, from their compact rows: ``[id, x, y, role, rank]``
    for a person whose details travel in ``details``, ``[id, x, y, role, None, name, work, url, tie
    strength(, email)]`` for everyone else."""
    cols: dict[str, list[Any]] = {k: [] for k in MEMBER_COLUMNS}
    emails: list[Any] = []
    columns = [cols[k] for k in MEMBER_COLUMNS]
    for row in rows:
        for col, value in zip(columns, row[:9] if len(row) > 5 else [*row, None, None, None, None], strict=True):
            col.append(value)
        emails.append(row[9] if len(row) > 9 else None)
    if any(e is not None for e in emails):
        cols["email"] = emails
    return cols


def _member_rows(cols: Mapping[str, Sequence[Any]], detailed: Container[str]) -> list[list[Any]]:
    """The compact rows of a company's people (as :func:`_member_columns` takes them), from their
    columns; ``detailed``: the people whose details are kept elsewhere."""
    emails = cols.get("email")
    rows: list[list[Any]] = []
    for j, row in enumerate(zip(*(cols[k] for k in MEMBER_COLUMNS), strict=True)):
        if row[0] in detailed:
            rows.append(list(row[:5]))
            continue
        rows.append(list(row))
        if emails is not None and emails[j] is not None:
            rows[-1].append(emails[j])
    return rows


def _member_node(row: Sequence[Any], cluster: str, details: Mapping[str, dict]) -> dict:
    """The node of a person of a collapsed company, from their compact row (as the page makes it)."""
    nid, x, y, role, rank = row[:5]
    if len(row) > 5:  # a plain person: [id, x, y, role, None, name, work, url, tie strength(, email)]
        name, work = row[5], row[6]
        return {"id": nid, "label": name, "x": x, "y": y, "role": role, "shape": "dot",
                "color": ROLE_COLOURS[role][1], "size": _member_size(role),
                "font": {"size": _MEMBER_FONT, "color": _TEXT, "strokeWidth": 3, "strokeColor": "#ffffff"},
                "cluster": cluster, "title": f"{name}\n{work}" if work else name}
    info = details[nid]
    node = _node_style(role, label=info.get("name", ""), size=_member_size(role), font_size=_MEMBER_FONT)
    node["cluster"] = cluster
    if rank is not None:
        node["rank"] = rank
    node.update(id=nid, x=x, y=y, title=_tooltip(info.get("name", ""), info.get("role_text"), info.get("work"),
                                                 f"rank {rank}" if rank is not None else ""))
    return node


def _member_details(row: Sequence[Any]) -> dict:
    """The details of a plain person of a collapsed company, from their compact row."""
    info = {"name": row[5], "role": row[3], "work": row[6], "url": row[7]}
    if row[8] is not None:
        info["tie_strength"] = row[8]
    if len(row) > 9:
        info["email"] = row[9]
    return info


class MapNodes(Sequence[dict]):
    """The nodes of a whole-network map, in the order they were made: those drawn from the start
    (``shown``), each company's node followed by its people. The people of a collapsed company
    are kept as the page's columns (``columns``: company node id -> :data:`MEMBER_COLUMNS`) and
    made into node dicts only when asked for: the page needs only the columns, and 30,000 dicts
    built to be thrown away cost more than the rest of the map. ``rows``: the same people as
    compact rows (see :func:`_member_columns`)."""

    def __init__(self, shown: list[dict], columns: dict[str, dict[str, list[Any]]],
                 details: Mapping[str, dict]) -> None:
        self.shown, self.columns, self._details = shown, columns, details
        self._starts: list[int] | None = None
        self._rows: dict[str, list[list[Any]]] | None = None

    @property
    def rows(self) -> dict[str, list[list[Any]]]:
        if self._rows is None:
            self._rows = {cid: _member_rows(cols, self._details) for cid, cols in self.columns.items()}
        return self._rows

    def __len__(self) -> int:
        return len(self.shown) + sum(len(cols["id"]) for cols in self.columns.values())

    def __iter__(self) -> Iterator[dict]:
        for node in self.shown:
            yield node
            for row in self.rows.get(node["id"], ()):
                yield _member_node(row, node["id"], self._details)

    @overload
    def __getitem__(self, i: int) -> dict: ...

    @overload
    def __getitem__(self, i: slice) -> list[dict]: ...

    def __getitem__(self, i: int | slice) -> dict | list[dict]:
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("node index out of range")
        if self._starts is None:  # where each shown node is in the whole order
            self._starts, at = [], 0
            for node in self.shown:
                self._starts.append(at)
                at += 1 + len(self.rows.get(node["id"], ()))
        j = bisect_right(self._starts, i) - 1
        node = self.shown[j]
        if i == self._starts[j]:
            return node
        return _member_node(self.rows[node["id"]][i - self._starts[j] - 1], node["id"], self._details)


class MapDetails(Mapping[str, dict]):
    """The details of a whole-network map, in the order they were made. ``own`` holds those of
    everyone drawn from the start and of every ranked person or person deciding; those of the
    plain people of collapsed companies are made from their company's columns when asked for."""

    def __init__(self, own: dict[str, dict], nodes: MapNodes) -> None:
        self.own, self._nodes = own, nodes  # (the people's rows are the nodes', made once for both)
        self._plain: dict[str, list[Any]] | None = None

    @property
    def _rows(self) -> dict[str, list[list[Any]]]:
        return self._nodes.rows

    def _plain_rows(self) -> dict[str, list[Any]]:
        if self._plain is None:
            self._plain = {row[0]: row for rows in self._rows.values() for row in rows if len(row) > 5}
        return self._plain

    def __getitem__(self, node: str) -> dict:
        if node in self.own:
            return self.own[node]
        return _member_details(self._plain_rows()[node])

    def __iter__(self) -> Iterator[str]:
        members = {row[0] for rows in self._rows.values() for row in rows}
        for node in self.own:
            if node not in members:
                yield node
                for row in self._rows.get(node, ()):  # a company's people follow it
                    yield row[0]

    def __len__(self) -> int:
        return len(self.own) + len(self._plain_rows())


# The page is templates/map.html with its ``{{ slot }}``s filled in: plain text, no template
# engine (importing and compiling Jinja was 3% of the whole-network map's time). Only ``title``
# is text from the user's data; it is escaped as Jinja's autoescape escaped it. The legend is
# markup made here from constants. One trailing newline of the file is dropped, as Jinja does.
_SLOT = re.compile(r"\{\{ (\w+) \}\}")


@lru_cache(maxsize=1)
def _page_parts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the template's text around its slots, the slots' names)."""
    text = _TEMPLATE.read_text(encoding="utf-8")
    if text.endswith("\n"):
        text = text[:-1]
    parts = _SLOT.split(text)
    if any(marker in part for part in parts[0::2] for marker in ("{{", "{%")):
        raise ValueError(f"{_TEMPLATE}: only {{{{ slot }}}}s are filled in")
    return tuple(parts[0::2]), tuple(parts[1::2])


def _render_page(**values: str) -> str:
    texts, slots = _page_parts()
    out = [texts[0]]
    for slot, text in zip(slots, texts[1:], strict=True):
        out += (values[slot], text)
    return "".join(out)


def _escape(text: Any) -> str:
    """Text made safe inside markup and attributes, character for character as Jinja escapes it."""
    return (str(text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


def _legend_html(legend: Iterable[Mapping]) -> str:
    """The legend's list items: a swatch (dot or box) for a role, line samples for an edge style."""
    items = []
    for item in legend:
        colour = _escape(item["colour"])
        if item["type"] == "node":
            swatch = f'<span class="sw{" box" if item["shape"] == "box" else ""}" style="background: {colour}"></span>'
        else:
            lines = "".join(f'<span style="border-top: {_escape(s["width"])}px {"dashed" if s["dashed"] else "solid"} '
                            f'{colour}"></span>' for s in item["samples"])
            swatch = f'<span class="ln">{lines}</span>'
        items.append(f"<li>{swatch}{_escape(item['text'])}</li>\n        ")
    return "".join(items)


@dataclass
class BackchannelMap:
    """A map: nodes, edges and details, rendered to one HTML page; shows inline in Jupyter.

    ``nodes`` holds every node, including the people of a collapsed company: those carry
    ``cluster`` (the company node's id) and travel to the page as compact columns, added to the
    drawing when the company is opened (the whole-network map keeps them as those columns:
    :class:`MapNodes` and :class:`MapDetails`). ``clusters`` maps a company node's id to its
    ``label``, ``count`` and whether it starts ``expanded``.
    """

    title: str
    subtitle: str = ""
    nodes: Sequence[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    details: Mapping[str, dict] = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    height: int = 640
    kind: str = "focused"
    owner: str | None = None
    steps: list[dict] = field(default_factory=list)
    empty: dict | None = None
    clusters: dict[str, dict] = field(default_factory=dict)
    view: dict = field(default_factory=dict)
    legend: list[dict] = field(default_factory=list)

    def _payload(self) -> dict:
        collapsed = {cid for cid, c in self.clusters.items() if not c.get("expanded")}
        shown: list[dict] = []
        members: dict[str, list[list[Any]]] = {cid: [] for cid in self.clusters}
        stored: dict[str, dict[str, list[Any]]] = {}
        drawn: Iterable[dict] = self.nodes
        details = self.details
        if isinstance(self.nodes, MapNodes) and isinstance(self.details, MapDetails) and \
                self.nodes.columns.keys() <= collapsed:  # (unless a company was opened since)
            stored, drawn, details = self.nodes.columns, self.nodes.shown, self.details.own
        own = details
        details = dict(details)
        for n in drawn:
            cid = n.get("cluster")
            if cid not in collapsed:
                shown.append(n)
                continue
            # a compact row, sent as columns; the page rebuilds the node (colour from role, label and
            # tooltip from details) when the company opens. Plain people carry their details in it too.
            nid = n["id"]
            info = details.get(nid, {})
            row = [nid, n["x"], n["y"], n["role"], n.get("rank")]
            if info.keys() <= _PLAIN_DETAILS:
                row += [info.get("name", ""), info.get("work", ""), info.get("url", ""), info.get("tie_strength")]
                if info.get("email"):
                    row.append(info["email"])
                del details[nid]
            members[cid].append(row)
        columns = {cid: stored[cid] if cid in stored and not members[cid]  # already the page's columns
                   else _member_columns(members[cid] + _member_rows(stored[cid], own) if cid in stored
                                        else members[cid])
                   for cid in self.clusters}
        clusters = {cid: {**c, "members": columns[cid]} for cid, c in self.clusters.items()}
        return {"kind": self.kind, "title": self.title, "subtitle": self.subtitle, "owner": self.owner,
                "nodes": shown, "edges": self.edges, "details": details, "clusters": clusters,
                "steps": self.steps, "empty": self.empty, "view": self.view, "options": self.options,
                "colours": {role: colour for role, (_, colour) in ROLE_COLOURS.items()},
                "memberFont": _MEMBER_FONT}

    def html(self) -> str:
        """The page: one self-contained, offline HTML document."""
        js, css = _vis_assets()
        with gc_paused():
            data_json = script_safe_json(self._payload())
        return _render_page(title=_escape(self.title), legend=_legend_html(self.legend), vis_css=css, vis_js=js,
                            data_json=data_json)

    def write(self, path: str | os.PathLike) -> Path:
        """Write the page (UTF-8) whole or not at all; nothing else is written next to it."""
        from .output import write_atomically

        return write_atomically(Path(path), self.html(), what="the map")

    def _repr_html_(self) -> str:
        # an iframe with srcdoc works in classic Notebook, JupyterLab and VS Code, writes no file
        # and keeps the page's script away from the notebook's own page; popups only so that a
        # profile link the user clicks can open in a new tab
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
                f'style="width: 100%; height: {self.height}px; border: 1px solid #e2e8f0;" '
                f'title="{html.escape(self.title)}"></iframe>')

    def to_pyvis(self) -> Any:
        """The same map as a pyvis ``Network`` (lists assigned directly; no quadratic add_node).

        People of collapsed companies are included, hidden.
        """
        from pyvis.network import Network

        collapsed = {cid for cid, c in self.clusters.items() if not c.get("expanded")}
        net = Network(height=f"{self.height}px", width="100%", directed=False, cdn_resources="in_line")
        net.nodes = [{**n, "hidden": True} if n.get("cluster") in collapsed else dict(n) for n in self.nodes]
        net.edges = [dict(e) for e in self.edges]
        net.node_ids = [n["id"] for n in self.nodes]
        net.node_map = {n["id"]: n for n in net.nodes}
        net.toggle_physics(False)
        return net


# ---------------------------------------------------------------- shared pieces


def _options(hover: bool) -> dict:
    return {
        "autoResize": False,  # the page frames the view itself on resize (templates/map.html)
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": hover, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "zoomSpeed": 0.6},
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 1},
        "nodes": {"shape": "dot", "font": {"size": 14, "face": "system-ui, sans-serif", "color": _TEXT},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 6}}},
    }


def _work(d: Mapping) -> str:
    return _work_of(d.get("position"), d.get("company"))


def _work_of(position: Any, company: Any) -> str:
    position, company = position or "", company or ""
    if position and company:
        return f"{position} at {company}"
    return position or company


def _link(url: Any) -> str:
    """A LinkedIn address the user may click, or nothing: no other scheme or host reaches the page."""
    return url if isinstance(url, str) and url.startswith(LINKEDIN_PREFIX) else ""


def _human_time(at: Any) -> str:
    """'Tue 24 Nov 14:00 EST' in the interview's own zone, from an ISO stamp (as every view says it)."""
    try:
        when = datetime.fromisoformat(str(at))
    except ValueError:
        return str(at or "")
    if when.tzinfo is None:
        return human_day(when)
    return human_time(when, label=True)


def _evidence(row: Mapping) -> str:
    ev = row.get("evidence")
    if ev:
        return str(ev)
    if row.get("referrer"):
        return "referrer"
    return "mutual" if row.get("bridge") else "colleague"


def _role_from_rows(rows: Iterable[Mapping]) -> str:
    evidence = {_evidence(r) for r in rows}
    if "referrer" in evidence:
        return "referrer"
    if evidence & {"mutual", "second_degree", "co_thread"}:
        return "mutual"
    return "colleague" if evidence else "other"


def _bridges(row: Mapping) -> list[str]:
    """The interviewers a row has evidence of reaching (a colleague row reaches no one in particular)."""
    if _evidence(row) == "colleague":
        return []
    return [str(b) for b in row.get("bridges_to") or []]


def _node_style(role: str, *, size: float | None = None, label: str = "", font_size: int = 14,
                shape: str = "dot") -> dict:
    colour = ROLE_COLOURS[role][1]
    sizes = {"you": 26, "referrer": 20, "interviewer": 20, "hiring-manager": 20, "recruiter": 20,
             "mutual": 16, "colleague": 14, "other": 10}
    style: dict[str, Any] = {"role": role, "label": label, "shape": shape, "color": colour,
                             "font": {"size": font_size, "color": _TEXT, "strokeWidth": 3,
                                      "strokeColor": "#ffffff"}}
    if shape == "box":
        style["font"] = {"size": font_size, "color": "#ffffff", "strokeWidth": 0}
        style["margin"] = 8
    else:
        style["size"] = size if size is not None else sizes.get(role, 12)
    return style


def _edge_colour(colour: str) -> dict:
    # highlight and hover set explicitly: vis-network's defaults would turn a best path grey when selected
    return {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 1.0}


def _connection_width(strength: float) -> float:
    return round(1 + 7 * max(0.0, min(1.0, strength)), 2)


def _connection_edge(owner: str, person: str, strength: float) -> dict:
    return {"from": owner, "to": person, "kind": "connection", "strength": round(strength, 4),
            "width": _connection_width(strength), "color": _edge_colour(EDGE_STYLES["connection"][1]),
            "title": f"your tie: strength {strength:.2f}"}


def _bridge_edge(a: str, b: str, kinds: Sequence[str], text: str) -> dict:
    return {"from": a, "to": b, "kind": kinds[0], "width": 2, "dashes": [6, 5],
            "color": _edge_colour(_GREEN), "title": text}


def _structure_edge(a: str, b: str, kind: str, title: str) -> dict:
    return {"from": a, "to": b, "kind": kind, "width": 1, "color": _edge_colour(_GREY), "title": title}


def _mark_best_path(edge: dict) -> None:
    edge["best_path"] = True
    edge["color"] = _edge_colour(HIGHLIGHT)


def _person_bridges(g: nx.MultiGraph, person: str, others: set[str]) -> dict[str, list[str]]:
    """Bridge edge kinds from ``person`` to each of ``others``, strongest first."""
    found: dict[str, list[str]] = {}
    for nbr, edges in g[person].items():
        if nbr in others:
            kinds = {e.get("kind") for e in edges.values()} & set(BRIDGE_KINDS)
            if kinds:
                found[nbr] = [k for k in BRIDGE_KINDS if k in kinds]
    return found


_BRIDGE_WORDS = {"mutual": "knows {b} (recorded mutual)", "second_degree": "is connected to {b} (another export)",
                 "co_thread": "was in a group conversation with {b}"}


def _interview_parts(g: nx.MultiGraph, iv: str) -> tuple[dict[str, str], set[str], list[str]]:
    """(people deciding -> role, referrers, company nodes) of an interview node."""
    targets: dict[str, str] = {}
    referrers: set[str] = set()
    companies: list[str] = []
    for nbr, edges in g[iv].items():
        for e in edges.values():
            kind = e.get("kind")
            if kind == "interviews_for":
                role = e.get("role") or "interviewer"
                targets[nbr] = role if role in TARGET_ROLES else "interviewer"
            elif kind == "referred":
                referrers.add(nbr)
            elif kind == "works_at" and g.nodes[nbr].get("kind") == "company":
                companies.append(nbr)
    return targets, referrers, companies


def _target_details(g: nx.MultiGraph, n: str, role: str, interview_label: str) -> dict:
    d = g.nodes[n]
    info: dict[str, Any] = {"name": d.get("name", ""), "role": role,
                            "role_text": f"{role.replace('-', ' ')}, {interview_label}".strip(", "),
                            "work": _work(d), "url": _link(d.get("profile_url"))}
    interests = [str(i) for i in d.get("interests") or [] if str(i).strip()]
    if interests:
        info["interests"] = interests
    if d.get("topic"):
        info["topic"] = str(d["topic"])
    return info  # never d["notes"]: those are private


def _person_details(d: Mapping, role: str, include_emails: bool) -> dict:
    return _details_of(d.get("name", ""), d.get("position"), d.get("company"), d.get("profile_url"), d.get("email"),
                       role, include_emails)


def _details_of(name: Any, position: Any, company: Any, url: Any, email: Any, role: str,
                include_emails: bool) -> dict:
    info: dict[str, Any] = {"name": name, "role": role, "work": _work_of(position, company), "url": _link(url)}
    if include_emails and email:
        info["email"] = str(email)
    return info


def _ranked_part(row: Mapping, interview_label: str = "") -> dict:
    get = row.get
    reasons, bridges_to, evidence = get("reasons"), get("bridges_to"), get("evidence")
    part = {"rank": get("rank"), "score": get("score"), "reasons": list(reasons) if reasons else [],
            "action": get("action", ""), "bridges_to": list(bridges_to) if bridges_to else [],
            "evidence": str(evidence) if evidence else _evidence(row)}
    if interview_label:
        part["interview"] = interview_label
    return part


def _legend(roles: Iterable[str], edge_styles: Iterable[str], texts: Mapping[str, str] | None = None
            ) -> list[dict]:
    present = set(roles)
    texts = texts or {}
    items: list[dict[str, Any]] = [{"type": "node", "text": texts.get(role, text), "colour": colour,
              "shape": "box" if role == "interview" or (role == "company" and "company" not in texts) else "dot"}
             for role, (text, colour) in ROLE_COLOURS.items() if role in present]
    for style in edge_styles:
        text, colour, samples = EDGE_STYLES[style]
        items.append({"type": "edge", "text": text, "colour": colour,
                      "samples": [{"width": w, "dashed": d} for w, d in samples]})
    return items


def _tooltip(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p)


# ---------------------------------------------------------------- the focused map


def _candidate_rows(candidates: Iterable[Candidate]) -> list[dict]:
    return [{"node": c.node, "name": c.name, "rank": c.rank, "evidence": c.evidence, "bridges_to": list(c.bridges_to),
             "reasons": list(c.reasons), "action": c.action, "tie_strength": c.tie_strength,
             "profile_url": c.profile_url, "company": c.company, "position": c.position, "score": c.score,
             "referrer": c.referrer, "weak_tie": c.weak_tie} for c in candidates]


def focused_map(g: nx.MultiGraph, ranking: Sequence[Candidate], *, company: str, plan: InterviewPlan | None = None,
                zone: tzinfo | None = None, now: datetime | None = None, top: int = 10,
                include_emails: bool = False) -> BackchannelMap:
    """The map of one interview (``plan``) or company, from its focus graph and ranking."""
    steps: list[dict] = []
    if plan is not None:
        iv = plan.interview
        title, subtitle = f"Back channel: {iv.company}", f"Interview {iv.id}, {human_time(iv.at, zone, label=True)}"
        for t in plan.touches:
            window = (human_window(t.due_from, t.due_by, zone, label=True) if t.due_from and t.due_by
                      else (t.note or "waiting"))
            steps.append({"handle": t.handle, "kind": t.kind, "label": t.label, "person": t.person, "node": t.node,
                          "status": t.status, "window": window})
    else:
        title, subtitle = f"Back channel: {company}", "Who can put in a good word"
    empty = None
    if not ranking:
        empty = {"text": f"Nobody in your network reaches {company.rstrip('.')} yet.",
                 "link": people_search_link(company.rstrip(".")),
                 "link_text": "Search LinkedIn for second-degree people there (opens in your browser)"}
    return _focused_map(g, _candidate_rows(ranking), title=title, subtitle=subtitle, steps=steps, top=top,
                        include_emails=include_emails, empty_hint=empty)


def _focused_map(g: nx.MultiGraph, ranking: list[dict], *, title: str, subtitle: str = "",
                 steps: Sequence[dict] = (), top: int = 10, include_emails: bool = False,
                 empty_hint: dict | None = None) -> BackchannelMap:
    """The map of one interview or company, from its focus graph and ranking (best first).

    Columns, left to right: you; the top ``top`` ranked people, numbered as in ``rank``; the
    people deciding; the interview and the company. Each candidate with evidence of reaching
    interviewers (``bridges_to``) has its best path to each of them drawn in orange.
    ``steps`` become the panel's "next steps"; ``empty_hint`` (text and a LinkedIn search
    link) is shown when nobody in the network reaches the interview.
    """
    owner = g.graph.get("owner")
    company_key = g.graph.get("company_key", "")
    interviews = sorted((n for n, d in g.nodes(data=True) if d.get("kind") == "interview"),
                        key=lambda n: (str(g.nodes[n].get("at", "")), n))
    targets: dict[str, str] = {}
    referrers: set[str] = set()
    iv_companies: list[str] = []
    for iv in interviews:
        iv_deciding, iv_referrers, iv_cos = _interview_parts(g, iv)
        for n, role in iv_deciding.items():
            targets.setdefault(n, role)
        referrers |= iv_referrers
        iv_companies += [x for x in iv_cos if x not in iv_companies]
    companies = [n for n, d in g.nodes(data=True) if d.get("kind") == "company"
                 and (d.get("company_key") == company_key or n in iv_companies)]
    rows = sorted(ranking, key=lambda r: (r.get("rank") or 10**9))
    shown_rows = [r for r in rows if r.get("node") in g and r["node"] not in targets][:top]
    ranked = {r["node"]: r for r in shown_rows}
    name_of_target = {g.nodes[t].get("name", ""): t for t in targets}

    # candidates column: ranked people by rank, then referrers who are not first-degree connections
    candidates = [r["node"] for r in shown_rows]
    candidates += sorted((r for r in referrers if r not in ranked and r not in targets),
                         key=lambda n: g.nodes[n].get("name", ""))

    def best_rank_to(t: str) -> int:
        name = g.nodes[t].get("name", "")
        return min((r.get("rank") or 10**9 for r in shown_rows if name in _bridges(r)), default=10**9)

    deciding = sorted(targets, key=lambda t: (best_rank_to(t), TARGET_ROLES.index(targets[t]),
                                               g.nodes[t].get("name", "")))
    # empty columns take no room (an empty state has no candidates)
    columns = [(spacing, column) for spacing, column in [
        (0, [owner] if owner in g else []), (80, candidates), (100, deciding),
        (110, interviews + [c for c in companies if c not in interviews])] if column]
    nodes: list[dict] = []
    details: dict[str, dict] = {}
    interview_label = ""
    if interviews:
        iv0 = g.nodes[interviews[0]]
        interview_label = f"{iv0.get('company', '')}, {_human_time(iv0.get('at'))}".strip(", ")
    for x_index, (spacing, column) in enumerate(columns):
        x = x_index * 330
        for i, n in enumerate(column):
            d = g.nodes[n]
            y = round((i - (len(column) - 1) / 2) * spacing, 1)
            kind = d.get("kind")
            if kind == "owner":
                node = _node_style("you", label=d.get("label") or d.get("name") or "You")
                details[n] = {"name": d.get("name") or d.get("label") or "You", "role": "you",
                              "role_text": "you"}
            elif kind == "interview":
                when = _human_time(d.get("at"))
                node = _node_style("interview", shape="box", label=f"Interview\n{when}")
                info: dict[str, Any] = {"name": f"Interview at {d.get('company', '')}".strip(),
                                        "role": "interview", "role_text": "interview", "when": when}
                if d.get("position"):
                    info["work"] = f"for {d['position']}"
                if d.get("discreet"):
                    info["discreet"] = True
                details[n] = info
            elif kind == "company":
                node = _node_style("company", shape="box", label=d.get("label") or d.get("name", ""))
                details[n] = {"name": d.get("label") or d.get("name", ""), "role": "company", "role_text": "company"}
            else:
                row = ranked.get(n)
                if n in targets:
                    role = targets[n]
                    node = _node_style(role, label=f"{d.get('name', '')}\n{role.replace('-', ' ')}")
                    details[n] = _target_details(g, n, role, interview_label)
                    if include_emails and d.get("email"):
                        details[n]["email"] = str(d["email"])
                else:
                    if row is not None:
                        role = _role_from_rows([row])
                    elif n in referrers:
                        role = "referrer"
                    elif company_key and d.get("company_key") == company_key:
                        role = "colleague"
                    else:
                        role = "other"
                    label = f"{row['rank']}. {d.get('name', '')}" if row is not None else d.get("name", "")
                    node = _node_style(role, label=label)
                    details[n] = _person_details(d, role, include_emails)
                    details[n]["role_text"] = ROLE_COLOURS[role][0].lower() if role != "other" else "connection"
                    if row is not None:
                        node["rank"] = row["rank"]
                        details[n].update(_ranked_part(row))
                        if row.get("tie_strength") is not None:
                            details[n]["tie_strength"] = row["tie_strength"]
            node.update(id=n, x=x, y=y)
            node["title"] = _tooltip(details[n].get("name"), details[n].get("role_text"), details[n].get("work"),
                                     f"rank {node['rank']}" if "rank" in node else "")
            nodes.append(node)
    placed = {n["id"] for n in nodes}

    edges: list[dict] = []
    strength: dict[str, float] = {}
    if owner in g:
        for p, es in g[owner].items():
            for e in es.values():
                if e.get("kind") == "connection" and p in placed:
                    strength[p] = float(e.get("strength") or 0.0)
    edge_at: dict[tuple[str, str], dict] = {}
    for p, s in strength.items():
        edge = _connection_edge(owner, p, s)
        edge_at[(owner, p)] = edge
        edges.append(edge)
    # people reaching the people deciding (never candidate to candidate: that is noise here)
    for c in candidates:
        for t, kinds in _person_bridges(g, c, set(targets)).items():
            name = g.nodes[t].get("name", "")
            text = "; ".join(_BRIDGE_WORDS[k].format(b=name) for k in kinds)
            edge = _bridge_edge(c, t, kinds, f"{g.nodes[c].get('name', '')} {text}")
            edge_at[(c, t)] = edge
            edges.append(edge)
    for n in placed:
        d = g.nodes[n]
        if d.get("kind") != "person":
            continue
        for nbr, es in g[n].items():
            if nbr not in placed:
                continue
            for e in es.values():
                kind = e.get("kind")
                if kind == "interviews_for" and n in targets:
                    edges.append(_structure_edge(n, nbr, kind, (e.get("role") or "interviewer").replace("-", " ")))
                elif kind == "referred":
                    edges.append(_structure_edge(n, nbr, kind, "referred you"))
                elif kind == "works_at" and n in ranked and _evidence(ranked[n]) == "colleague":
                    # (the people deciding and the referrer link to the interview already)
                    edges.append(_structure_edge(n, nbr, kind, "works at"))
    for iv in interviews:
        for c in _interview_parts(g, iv)[2]:
            if c in placed:
                edges.append(_structure_edge(iv, c, "works_at", "interview at"))
    # best paths: you -> candidate -> each interviewer it has evidence of reaching
    for r in shown_rows:
        c = r["node"]
        for name in _bridges(r):
            target = name_of_target.get(name)
            if target is None or owner not in g:
                continue
            if (c, target) not in edge_at:
                edge = _bridge_edge(c, target, [_evidence(r) if _evidence(r) in BRIDGE_KINDS else "mutual"],
                                    f"{r.get('name', '')} reaches {name}")
                edge_at[(c, target)] = edge
                edges.append(edge)
            _mark_best_path(edge_at[(c, target)])
            if (owner, c) in edge_at:
                _mark_best_path(edge_at[(owner, c)])
    for i, e in enumerate(edges):
        e["id"] = f"e{i}"

    roles_present = {n["role"] for n in nodes}
    styles = ["connection"] if strength else []
    styles += ["best_path"] if any(e.get("best_path") for e in edges) else []
    styles += ["bridge"] if any(e["kind"] in BRIDGE_KINDS for e in edges) else []
    styles += ["structure"] if any(e["kind"] in ("works_at", "interviews_for", "referred") for e in edges) else []
    step_rows = [{k: s.get(k) for k in ("handle", "kind", "label", "person", "window", "status")}
                 | {"node": s.get("node") if s.get("node") in placed else None} for s in steps]
    empty = None
    if empty_hint:
        empty = {"text": str(empty_hint.get("text", "")), "link": _link(empty_hint.get("link")),
                 "link_text": str(empty_hint.get("link_text") or empty_hint.get("link") or "")}
    return BackchannelMap(title=title, subtitle=subtitle, nodes=nodes, edges=edges, details=details,
                          options=_options(hover=True), kind="focused", owner=owner if owner in g else None,
                          steps=step_rows, empty=empty,
                          view={"focus": [], "minScale": 0.7, "maxScale": 1.2},
                          legend=_legend(roles_present, styles))


# ---------------------------------------------------------------- the whole network


def _disc_slots(n: int, hole: tuple[float, float] | None = None) -> tuple[list[tuple[float, float]], float]:
    """``n`` places for names, row by row inside a disc centred on (0, 0); and the disc's radius.

    Rows of names read left to right like a list (alphabetical order stays readable);
    ``hole`` keeps a (half-width, half-height) box at the centre free for the company's label.
    """
    xs, ys, radius = _disc_columns(n, hole)
    return list(zip(xs, ys, strict=True)), radius


def _disc_columns(n: int, hole: tuple[float, float] | None = None) -> tuple[list[float], list[float], float]:
    """:func:`_disc_slots` as columns: (the places' x, their y, the radius)."""
    if n <= 0:
        return [], [], 0.0
    hole_area = 4 * hole[0] * hole[1] if hole else 0.0
    radius = math.sqrt((n * _SLOT_DX * _SLOT_DY + hole_area) / math.pi) + _SLOT_DY
    while True:
        xs: list[float] = []
        ys: list[float] = []
        for r in range(int(2 * radius // _SLOT_DY)):
            y = -radius + (r + 0.5) * _SLOT_DY
            half = math.sqrt(max(0.0, radius * radius - y * y))
            k = int(2 * half // _SLOT_DX)
            centre = (k - 1) / 2
            row = [(i - centre) * _SLOT_DX for i in range(k)]
            if hole and abs(y) < hole[1] + _SLOT_DY / 2:
                row = [x for x in row if not abs(x) < hole[0] + _SLOT_DX / 2]
            xs += row
            ys += [y] * len(row)
            if len(xs) >= n:
                return xs[:n], ys[:n], radius
        radius *= 1.06


def _member_size(role: str) -> int:
    return 4 if role == "other" else 6


def _cluster_size(count: int) -> float:
    # area grows with the head count; capped so a 5,000-person company stays a node, not a wall
    return round(min(60.0, 8 + 1.6 * math.sqrt(count)), 1)


def _cluster_font(count: int) -> int:
    return int(min(24, 14 + 1.5 * math.log2(max(1, count))))


def _pack_rings(radii: list[float], inner: float, gap: float = 60.0) -> list[tuple[float, float]]:
    """Centres for circles (largest first) on rings around a core of radius ``inner``."""
    centres: list[tuple[float, float]] = []
    i = 0
    ring_inner = inner
    while i < len(radii):
        thickness = radii[i]
        ring = ring_inner + gap + thickness
        theta, prev = 0.0, None
        first = radii[i]
        while i < len(radii):
            r = radii[i]
            if prev is not None:
                step = 2 * math.asin(min(1.0, (prev + r + gap) / (2 * ring)))
                closing = 2 * math.asin(min(1.0, (first + r + gap) / (2 * ring)))
                if theta + step + closing > 2 * math.pi + 1e-9:
                    break
                theta += step
            centres.append((round(ring * math.cos(theta), 1), round(ring * math.sin(theta), 1)))
            prev = r
            i += 1
        ring_inner = ring + thickness
    return centres


def full_map(network: NetworkView, *, rankings: Mapping[str, Sequence[Candidate]] | None = None, owner: str = "",
             title: str = "", subtitle: str = "", include_emails: bool = False, top: int = 5,
             zone: tzinfo | None = None, now: datetime | None = None) -> BackchannelMap:
    """The whole network: it opens on what matters, every other company one node that opens on click.

    ``network`` is the whole network as :func:`backchannel.graph.network_view` reads it from a
    workspace (or :meth:`~backchannel.graph.NetworkView.from_graph` makes it of a graph).
    ``rankings`` maps an interview id to its ranking rows (best first, the discreet rule
    already applied): they alone decide who is coloured as a candidate and how they are
    numbered, so pass whole rankings, not a top cut, for every candidate to be coloured. The
    top ``top`` of each are shown from the start with their paths to the interviewers.
    Without rankings, roles follow the graph's structure and nobody is numbered.
    """
    title = title or (f"{owner}'s network" if owner else "Your network")
    subtitle = subtitle or f"{len(network.people):,} people; other companies collapsed (click to open)"
    rows: dict[str, list[dict]] | None = None
    if rankings is not None:  # (rows made by hand are still taken as they are)
        rows = {k: _candidate_rows(v) if v and isinstance(v[0], Candidate) else [dict(r) for r in v]  # type: ignore[call-overload]
                for k, v in rankings.items()}
    with gc_paused():
        return _full_map(network, rankings=rows, title=title, subtitle=subtitle, include_emails=include_emails,
                         top=top)


def _full_map(network: NetworkView, *, rankings: Mapping[str, list[dict]] | None, title: str, subtitle: str,
              include_emails: bool, top: int) -> BackchannelMap:
    # Everyone is a row of the view (people[i], person_rows[i]); only the interviews' part is a
    # graph (g). The people of collapsed companies become the page's columns directly.
    g = network.part
    owner = g.graph.get("owner")
    owner = owner if owner in g else None
    people, person_rows, index = network.people, network.rows, network.index
    strength = network.strength
    companies = network.companies
    interviews = sorted((n for n, d in g.nodes(data=True) if d.get("kind") == "interview"),
                        key=lambda n: (str(g.nodes[n].get("at", "")), n))

    def name_of(n: str) -> Any:
        return person_rows[index[n]][0] if n in index else g.nodes[n].get("name", "")

    # the interviews: who decides, who referred, which companies
    iv_targets: dict[str, dict[str, str]] = {}
    target_role: dict[str, str] = {}
    target_of: dict[str, str] = {}
    referrers: dict[str, str] = {}
    iv_company: dict[str, str] = {}
    iv_label: dict[str, str] = {}
    for iv in interviews:
        iv_deciding, iv_referrers, iv_cos = _interview_parts(g, iv)
        iv_targets[iv] = iv_deciding
        for n, role in iv_deciding.items():
            if n not in target_role or TARGET_ROLES.index(role) < TARGET_ROLES.index(target_role[n]):
                target_role[n] = role
            target_of.setdefault(n, iv)
        for n in iv_referrers:
            referrers.setdefault(n, iv)
        if iv_cos:
            iv_company[iv] = iv_cos[0]
        d = g.nodes[iv]
        iv_label[iv] = f"{d.get('company', '')}, {_human_time(d.get('at'))}".strip(", ")

    def interview_node(iid: str) -> str | None:
        if f"interview:{iid}" in g:
            return f"interview:{iid}"
        return next((iv for iv in interviews if g.nodes[iv].get("name") == iid), None)

    # the rankings decide candidates' roles and ranks
    rows_of: dict[str, list[tuple[str, dict]]] = {}
    best: dict[str, int] = {}  # a person's best rank over the interviews
    shown_rows: dict[str, list[dict]] = {}
    for iid, iid_rows in (rankings or {}).items():
        iv_node = interview_node(iid)
        ordered = sorted(iid_rows, key=lambda r: (r.get("rank") or 10**9))
        in_network = []
        for r in ordered:
            node = r.get("node")
            if node is not None and (node in index or node in network):
                in_network.append(r)
                rows_of.setdefault(node, []).append((iv_node or iid, r))
                if r.get("rank"):
                    best[node] = min(best.get(node, 10**9), int(r["rank"]))
        if iv_node is not None:
            shown_rows[iv_node] = [r for r in in_network if r["node"] not in target_role][:top]
    iv_company_keys = {g.nodes[c].get("company_key") for c in iv_company.values()}
    quiet = any(g.nodes[iv].get("discreet") for iv in interviews)
    current_employers = set(g.graph.get("current_employers") or ())
    targets = set(target_role)

    def role_of(n: str, company_key: Any) -> str:
        if n in target_role:
            return target_role[n]
        if n in rows_of:
            ranked = rows_of[n]
            if len(ranked) == 1:  # (most people: _role_from_rows of one row, inline)
                evidence = _evidence(ranked[0][1])
                return "referrer" if evidence == "referrer" else "mutual" if evidence in BRIDGE_KINDS else "colleague"
            return _role_from_rows(r for _, r in ranked)
        if rankings is None:
            if n in referrers:
                return "referrer"
            if quiet and company_key in current_employers:
                return "other"  # the discreet rule, as rank applies it: nobody at your current employer
            if targets and n in g and _person_bridges(g, n, targets):
                return "mutual"
            if company_key in iv_company_keys:
                return "colleague"
        elif n in referrers and n not in strength:
            return "referrer"  # a referrer who is not a first-degree connection is never ranked
        return "other"

    # who is shown from the start: the core, laid out in columns like the focused map
    cand_column: list[str] = []
    for iv in interviews:
        for r in shown_rows.get(iv, []):
            if r["node"] not in cand_column:
                cand_column.append(r["node"])
    for n in sorted(referrers, key=lambda n: (interviews.index(referrers[n]), g.nodes[n].get("name", ""))):
        if n not in cand_column and n not in target_role:
            cand_column.append(n)
    if rankings is None:  # without rankings, the recorded mutuals stand in for the ranked people
        for i in sorted(range(len(people)), key=lambda i: person_rows[i][0]):
            n = people[i]
            if n not in cand_column and n not in target_role and role_of(n, person_rows[i][3]) == "mutual":
                cand_column.append(n)
    target_column = [t for iv in interviews for t in iv_targets[iv] if target_of[t] == iv]
    core_people = set(cand_column) | set(target_column)

    nodes: list[dict] = []  # drawn from the start
    details: dict[str, dict] = {}  # of everyone but the plain people of collapsed companies (in their rows)
    member_cols: dict[str, dict[str, list[Any]]] = {}  # the people of collapsed companies, as the page's columns

    member_font = {"size": _MEMBER_FONT, "color": _TEXT, "strokeWidth": 3, "strokeColor": "#ffffff"}
    # tie strengths repeat: each value rounded once (None, no tie, is no key: .get gives None)
    rounded: dict[Any, float] = {s: round(s, 4) for s in set(strength.values())}

    def tie_of(n: str) -> float | None:
        s = strength.get(n)
        if s is None:
            return None
        r = rounded.get(s)
        if r is None:
            r = rounded[s] = round(s, 4)
        return r

    best_rank = best.get
    role_texts = {role: ROLE_COLOURS[role][0].lower() if role != "other" else "connection" for role in ROLES}
    rank_labels = {iv: iv_label.get(iv, str(iv)) for ranked in rows_of.values() for iv, _ in ranked}

    def person_details(n: str, role: str) -> dict:
        name, company, position, _, url, email = person_rows[index[n]]
        if role in TARGET_ROLES:
            info = _target_details(g, n, role, iv_label.get(target_of[n], ""))
            if include_emails and email:
                info["email"] = str(email)
        else:  # (_details_of, inline)
            position, company = position or "", company or ""
            info = {"name": name, "role": role,
                    "work": f"{position} at {company}" if position and company else position or company,
                    "url": url if isinstance(url, str) and url.startswith(LINKEDIN_PREFIX) else ""}
            if include_emails and email:
                info["email"] = str(email)
            info["role_text"] = role_texts[role]
        if n in strength:
            info["tie_strength"] = tie_of(n)
        ranks = rows_of.get(n)
        if ranks:
            info["ranks"] = [_ranked_part(r, rank_labels[iv]) for iv, r in ranks]
        return info

    def add_person(n: str, x: float, y: float, cluster: str | None) -> None:
        role = role_of(n, person_rows[index[n]][3])
        name = name_of(n)
        info = person_details(n, role)
        rank = best_rank(n)
        node: dict[str, Any]
        if cluster is None:
            label = f"{rank}. {name}" if rank is not None else name
            if role in TARGET_ROLES:
                label = f"{name}\n{role.replace('-', ' ')}"
            node = _node_style(role, label=label, font_size=_CORE_FONT)
        else:
            node = _node_style(role, label=name, size=_member_size(role), font_size=_MEMBER_FONT)
            node["cluster"] = cluster
        if rank is not None:
            node["rank"] = rank
        node.update(id=n, x=round(x, 1), y=round(y, 1),
                    title=_tooltip(name, info.get("role_text"), info.get("work"),
                                   f"rank {rank}" if rank is not None else ""))
        nodes.append(node)
        details[n] = info

    def add_member(i: int, x: float, y: float, cluster: str) -> None:
        """A person inside a company that starts open: light, as there can be many of them."""
        n = people[i]
        name, company, position, company_key, url, email = person_rows[i]
        role = role_of(n, company_key)
        if n in rows_of or role in TARGET_ROLES:
            add_person(n, x, y, cluster)
            return
        work = _work_of(position, company)
        info: dict[str, Any] = {"name": name, "role": role, "work": work, "url": _link(url)}
        if n in strength:
            info["tie_strength"] = tie_of(n)
        if include_emails and email:
            info["email"] = str(email)
        nodes.append({"id": n, "label": name, "x": round(x), "y": round(y), "role": role, "shape": "dot",
                      "color": ROLE_COLOURS[role][1], "size": _member_size(role), "font": member_font,
                      "cluster": cluster, "title": f"{name}\n{work}" if work else name})
        details[n] = info

    ranked_or_deciding = rows_of.keys() | target_role.keys()
    special = ranked_or_deciding | referrers.keys()

    # the plain columns of everyone, made once in the view's order (a company's people are picked
    # from them): reading the rows in their own order is much faster than in a company's
    # alphabetical one
    names_all = list(map(itemgetter(0), person_rows))
    works_all = [f"{row[2]} at {row[1]}" if row[2] and row[1] else row[2] or row[1] or "" for row in person_rows]
    urls_all = [url if isinstance(url, str) and url.startswith(LINKEDIN_PREFIX) else ""
                for url in map(itemgetter(4), person_rows)]
    ties_all = list(map(rounded.get, map(strength.get, people)))

    def member_columns_of(ppl: list[int], dxs: list[float], dys: list[float], ox: float, oy: float
                          ) -> dict[str, list[Any]]:
        """The people of a collapsed company as the page's columns (:data:`MEMBER_COLUMNS`): a
        ranked person or one deciding has only ``id``, ``x``, ``y``, ``role`` and ``rank`` (their
        details stay in ``details``); everyone else has their details in the columns too. The page
        rebuilds a node from them when the company opens (templates/map.html). Column by column,
        everyone as a plain person first, then the few special people put right."""
        # (the work of _work_of, _link and tie_of, inline, in C where it can be: this runs for
        # every plain person)
        ids = list(map(people.__getitem__, ppl))
        count = len(ids)
        # (a place's x and y repeat along the rows of the disc: each rounded once)
        x_at = {dx: round(ox + dx) for dx in set(dxs)}
        y_at = {dy: round(oy + dy) for dy in set(dys)}
        xs: list[Any] = list(map(x_at.__getitem__, dxs))
        ys: list[Any] = list(map(y_at.__getitem__, dys))
        if rankings is not None:  # with rankings, only the special people (below) are more than "other"
            roles = ["other"] * count
        else:
            roles = [role_of(n, person_rows[i][3]) for n, i in zip(ids, ppl, strict=True)]
        ranks: list[Any] = [None] * count
        names: list[Any] = list(map(names_all.__getitem__, ppl))
        works: list[Any] = list(map(works_all.__getitem__, ppl))
        urls: list[Any] = list(map(urls_all.__getitem__, ppl))
        ties: list[Any] = list(map(ties_all.__getitem__, ppl))
        emails: list[Any] | None = None
        if include_emails:
            emails = [str(email) if email else None for email in map(itemgetter(5), map(person_rows.__getitem__, ppl))]
        # (a special person's place, to a tenth, by the place in the disc: no place is -0.0)
        x_near: dict[float, float] = {}
        y_near: dict[float, float] = {}
        for j in ([j for j, n in enumerate(ids) if n in special] if not special.isdisjoint(ids) else ()):
            n = ids[j]
            ranked = rows_of.get(n)
            if ranked is not None and len(ranked) == 1 and n not in target_role:
                # (role_of and person_details of someone ranked for one interview, inline and from
                # the plain columns: at a large company there are thousands of them)
                row = ranked[0][1]
                evidence = row.get("evidence")
                evidence = str(evidence) if evidence else _evidence(row)
                role = roles[j] = ("referrer" if evidence == "referrer" else "mutual" if evidence in BRIDGE_KINDS
                                   else "colleague")
                k = index[n]
                info = {"name": names_all[k], "role": role, "work": works_all[k], "url": urls_all[k]}
                if include_emails and person_rows[k][5]:
                    info["email"] = str(person_rows[k][5])
                info["role_text"] = role_texts[role]
                tie = ties_all[k]
                if tie is not None:
                    info["tie_strength"] = tie
                elif n in strength:
                    info["tie_strength"] = tie_of(n)
                info["ranks"] = [_ranked_part(row, rank_labels[ranked[0][0]])]
                details[n] = info
            else:
                role = roles[j] = role_of(n, person_rows[ppl[j]][3])
                if not (n in ranked_or_deciding or role in TARGET_ROLES):
                    continue
                details[n] = person_details(n, role)
            dx, dy = dxs[j], dys[j]
            x = x_near.get(dx)
            if x is None:
                x = x_near[dx] = round(ox + dx, 1)
            y = y_near.get(dy)
            if y is None:
                y = y_near[dy] = round(oy + dy, 1)
            xs[j], ys[j] = x, y
            ranks[j] = best_rank(n)
            names[j] = works[j] = urls[j] = ties[j] = None
            if emails is not None:
                emails[j] = None
        cols = {"id": ids, "x": xs, "y": ys, "role": roles, "rank": ranks, "name": names, "work": works,
                "url": urls, "tie": ties}
        if emails is not None and any(e is not None for e in emails):
            cols["email"] = emails
        return cols

    # everyone else, by company: interview companies first, the largest others, then the rest together
    members: dict[str, list[int]] = {}
    for i, (n, row) in enumerate(zip(people, person_rows, strict=True)):
        if n not in core_people:
            members.setdefault(row[3] or "", []).append(i)
    iv_keys: list[str] = []
    for iv in interviews:
        c = iv_company.get(iv)
        key = g.nodes[c].get("company_key") if c else None
        if key is not None and key not in iv_keys:
            iv_keys.append(key)

    def company(key: str) -> tuple[str, Any]:
        """(node, name) of a company that has its own node."""
        return companies.get(key) or (f"company:{key}", key)

    others = sorted((k for k in members if k and k not in iv_keys), key=lambda k: (-len(members[k]), k))
    own = [k for k in others[:MAX_COMPANY_CLUSTERS] if len(members[k]) >= 2]
    own_set = set(own)
    rest = [k for k in others if k not in own_set]
    groups: list[tuple[str, str, list[int], bool]] = []  # (cluster id, name, people, is an interview company)
    for key in iv_keys:
        groups.append((*company(key), members.get(key, []), True))
    for key in own:
        cid, name = companies.get(key) or (f"company:{key}", person_rows[members[key][0]][1] or key)
        groups.append((cid, name, members[key], False))
    tail = [i for k in rest for i in members[k]]
    if tail:
        groups.append(("cluster:other-companies", f"{len(rest):,} other companies", tail, False))
    if members.get(""):
        groups.append(("cluster:no-company", "No company given", members[""], False))

    # the core, in columns like the focused map, compact enough to be read whole at the opening
    # zoom on a laptop screen: you; the top-ranked people; the people deciding; each interview
    # beside its company's node (rows as tall as that node and its label need)
    x_cand, x_target, x_iv, x_company = 270.0, 570.0, 840.0, 1060.0
    if owner:
        od = g.nodes[owner]
        node = _node_style("you", label=od.get("label") or od.get("name") or "You", font_size=_CORE_FONT)
        node.update(id=owner, x=0.0, y=0.0, title="You")
        nodes.append(node)
        details[owner] = {"name": od.get("name") or od.get("label") or "You", "role": "you", "role_text": "you"}
    for i, n in enumerate(cand_column):
        add_person(n, x_cand, (i - (len(cand_column) - 1) / 2) * 68, None)
    for i, n in enumerate(target_column):
        add_person(n, x_target, (i - (len(target_column) - 1) / 2) * 90, None)
    count_of = {cid: len(ppl) for cid, _, ppl, _ in groups}
    layout_rows: list[tuple[str | None, list[str], float]] = []  # (company node, its interviews, row height)
    for iv in interviews:
        company_node = iv_company.get(iv)
        layout_row = next((r for r in layout_rows if company_node is not None and r[0] == company_node), None)
        if layout_row is None:
            layout_rows.append((company_node, [iv], 0.0))
        else:
            layout_row[1].append(iv)
    layout_rows = [(c, ivs, max(130.0 * len(ivs), 2 * _cluster_size(count_of.get(c or "", 0))
                               + 1.4 * _cluster_font(count_of.get(c or "", 0)) + 50))
                   for c, ivs, _ in layout_rows]
    total = sum(h for _, _, h in layout_rows)
    iv_y: dict[str, float] = {}
    anchors: dict[str, tuple[float, float]] = {}
    y_top = -total / 2
    for company_node, ivs, h in layout_rows:
        centre = y_top + h / 2
        for j, iv in enumerate(ivs):
            iv_y[iv] = centre + (j - (len(ivs) - 1) / 2) * 130
        if company_node is not None:
            anchors[company_node] = (x_company, centre)
        y_top += h
    for iv in interviews:
        d = g.nodes[iv]
        when = _human_time(d.get("at"))
        node = _node_style("interview", shape="box", label=f"{d.get('company', '')}\n{when}", font_size=15)
        node.update(id=iv, x=x_iv, y=round(iv_y[iv], 1), title=_tooltip(f"Interview at {d.get('company', '')}", when))
        nodes.append(node)
        info: dict[str, Any] = {"name": f"Interview at {d.get('company', '')}".strip(), "role": "interview",
                                "role_text": "interview", "when": when}
        if d.get("position"):
            info["work"] = f"for {d['position']}"
        if d.get("discreet"):
            info["discreet"] = True
        details[iv] = info

    clusters: dict[str, dict] = {}
    # interview companies: their node beside the interview, their people in a disc to the right
    core_right = x_company + 220.0
    stack_y: float | None = None
    disc_of: dict[str, tuple[list[float], list[float], float]] = {}  # a company's places: x, y and the radius
    iv_discs: list[tuple[str, float, float, float]] = []
    for cid, _, ppl, is_iv in groups:
        if not is_iv:
            continue
        ay = anchors.setdefault(cid, (x_company, 0.0))[1]
        disc_of[cid] = _disc_columns(len(ppl))
        radius = disc_of[cid][2]
        cy = ay if stack_y is None else max(ay, stack_y + radius + 80)
        stack_y = cy + radius
        iv_discs.append((cid, core_right + radius, cy, radius))
    half = max(len(cand_column) * 34, len(target_column) * 45, total / 2) + 200.0
    top_y = min([-half] + [cy - r for _, _, cy, r in iv_discs])
    bottom_y = max([half] + [cy + r for _, _, cy, r in iv_discs])
    right_x = max([core_right] + [cx + r for _, cx, _, r in iv_discs])
    core_centre = ((right_x - 200.0) / 2, (top_y + bottom_y) / 2)
    core_radius = math.hypot((right_x + 200.0) / 2, (bottom_y - top_y) / 2)
    ring_groups = [grp for grp in groups if not grp[3]]
    hole = (150.0, 40.0)
    disc_of.update({cid: _disc_columns(len(ppl), hole) for cid, _, ppl, _ in ring_groups})
    ring_order = sorted(ring_groups, key=lambda grp: (-disc_of[grp[0]][2], grp[0]))
    centres = _pack_rings([disc_of[grp[0]][2] + 40 for grp in ring_order], core_radius)
    for (cid, _, _, _), (cx, cy) in zip(ring_order, centres, strict=True):
        anchors[cid] = (core_centre[0] + cx, core_centre[1] + cy)

    casefolded = list(map(str.casefold, map(str, map(itemgetter(0), person_rows))))
    iv_disc_at = {cid: (cx, cy) for cid, cx, cy, _ in iv_discs}
    for cid, name, ppl, is_iv in groups:
        ax, ay = anchors[cid]
        # by name, then node id (two stable sorts of strings: twice as fast as one of pairs)
        ppl = sorted(sorted(ppl, key=people.__getitem__), key=casefolded.__getitem__)
        dxs, dys, radius = disc_of[cid]
        ox, oy = iv_disc_at[cid] if is_iv else (ax, ay)
        count = len(ppl)
        expanded = is_iv and count <= OPEN_CLUSTER_LIMIT
        size = _cluster_size(count)
        label = f"{name} \u00b7 {count:,}" if count else name
        clusters[cid] = {"label": name, "count": count, "expanded": expanded, "center": [round(ox, 1), round(oy, 1)],
                         "radius": round(radius, 1), "anchor_label": label, "anchor_size": size}
        if cid == "cluster:other-companies":
            clusters[cid]["companies"] = sorted(
                ([company(k)[1], sorted(people[i] for i in members[k])] for k in rest),
                key=lambda c: str(c[0]).casefold())
        node = _node_style("company", size=12 if expanded else size,
                           label=f"{label}  (click to close)" if expanded else label, font_size=_cluster_font(count))
        node.update(id=cid, x=round(ax, 1), y=round(ay, 1), count=count, expandable=count > 0,
                    title=f"{name}: {count:,} of your connections" + (" \u2014 click to show them" if count else ""))
        nodes.append(node)
        details[cid] = {"name": name, "role": "company", "role_text": "company", "count": count,
                        "interview_company": is_iv}
        if not expanded:
            member_cols[cid] = member_columns_of(ppl, dxs, dys, ox, oy)
            continue
        for i, sx, sy in zip(ppl, dxs, dys, strict=True):
            add_member(i, ox + sx, oy + sy, cid)

    # edges among what is shown from the start
    edges: list[dict] = []
    edge_at: dict[tuple[str, str], dict] = {}
    if owner:
        for p in cand_column + target_column:
            if p in strength and (owner, p) not in edge_at:
                edge_at[(owner, p)] = _connection_edge(owner, p, strength[p])
                edges.append(edge_at[(owner, p)])
    for c in cand_column:
        if c not in g:  # nobody in the interviews' part: no bridge to the people deciding
            continue
        for t, kinds in _person_bridges(g, c, targets).items():
            name = g.nodes[t].get("name", "")
            text = "; ".join(_BRIDGE_WORDS[k].format(b=name) for k in kinds)
            edge_at[(c, t)] = _bridge_edge(c, t, kinds, f"{name_of(c)} {text}")
            edges.append(edge_at[(c, t)])
    for iv in interviews:
        for t, role in iv_targets[iv].items():
            edges.append(_structure_edge(t, iv, "interviews_for", role.replace("-", " ")))
        for n, riv in referrers.items():
            if riv == iv:
                edges.append(_structure_edge(n, iv, "referred", "referred you"))
        if iv in iv_company:
            edges.append(_structure_edge(iv, iv_company[iv], "works_at", "interview at"))
    name_to_target: dict[tuple[str, str], str] = {}
    for iv in interviews:
        for t in iv_targets[iv]:
            name_to_target[(iv, g.nodes[t].get("name", ""))] = t
    for iv, ranked_rows in shown_rows.items():
        for r in ranked_rows:
            c = r["node"]
            for name in _bridges(r):
                target = name_to_target.get((iv, name))
                if target is None or owner is None:
                    continue
                if (c, target) not in edge_at:
                    kind = _evidence(r) if _evidence(r) in BRIDGE_KINDS else "mutual"
                    edge_at[(c, target)] = _bridge_edge(c, target, [kind], f"{r.get('name', '')} reaches {name}")
                    edges.append(edge_at[(c, target)])
                _mark_best_path(edge_at[(c, target)])
                if (owner, c) in edge_at:
                    _mark_best_path(edge_at[(owner, c)])
    for i, e in enumerate(edges):
        e["id"] = f"e{i}"

    focus = ([owner] if owner else []) + cand_column + target_column + interviews
    focus += [cid for cid, _, _, is_iv in groups if is_iv]
    roles_present = {n["role"] for n in nodes}.union(*(cols["role"] for cols in member_cols.values()))
    styles = ["connection"] if any(e["kind"] == "connection" for e in edges) else []
    styles += ["best_path"] if any(e.get("best_path") for e in edges) else []
    styles += ["bridge"] if any(e["kind"] in BRIDGE_KINDS for e in edges) else []
    styles += ["structure"] if any(e["kind"] in ("works_at", "interviews_for", "referred") for e in edges) else []
    options = _options(hover=True)
    map_nodes = MapNodes(nodes, member_cols, details)
    return BackchannelMap(title=title, subtitle=subtitle, nodes=map_nodes, edges=edges,
                          details=MapDetails(details, map_nodes), options=options, height=720, kind="full",
                          owner=owner, clusters=clusters,
                          view={"focus": focus, "minScale": MIN_OPENING_SCALE, "maxScale": 1.2},
                          legend=_legend(roles_present, styles, {
                              "company": "Company: your connections there (the bigger, the more); "
                                         "click to show or hide them"}))
