"""Interactive, self-contained maps of who connects you to whom. The only module importing pyvis.

A map is one HTML file: vis-network is inlined from the pyvis package (no CDN, no ``lib/``
folder), a Content-Security-Policy forbids any network request, and every string from the
user's data travels as JSON escaped for a ``<script>`` block and is shown with
``textContent`` or as vis-network's plain-text labels and tooltips, never as HTML.

Layouts are computed here, deterministically, and physics is off: the focused map is laid
out in columns (you, the people to warm up, the people deciding, the company); the full
map clusters people around their companies on a spiral, which stays usable at LinkedIn's
cap of 30,000 connections.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BackchannelMap", "ROLE_COLOURS", "focused_map", "full_map", "script_safe_json"]

ROLE_COLOURS = {
    "you": ("You", "#2b6cb0"),
    "referrer": ("Referrer", "#d69e2e"),
    "interviewer": ("Interviewer, hiring manager, recruiter", "#c53030"),
    "mutual": ("Knows an interviewer (mutual)", "#2f855a"),
    "colleague": ("Works at the company", "#805ad5"),
    "other": ("Other connection", "#a0aec0"),
    "company": ("Company", "#4a5568"),
}
HIGHLIGHT = "#dd6b20"
_TEMPLATE = Path(__file__).parent / "templates" / "map.html"


def script_safe_json(value) -> str:
    """JSON that cannot end a ``<script>`` block or open markup, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # the inlined script must not be able to close its own <script> block
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


@dataclass
class BackchannelMap:
    """A map: nodes, edges and details, rendered to one HTML page; shows inline in Jupyter."""

    title: str
    subtitle: str = ""
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    details: dict[str, dict] = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    height: int = 640

    def html(self) -> str:
        from jinja2 import Environment

        js, css = _vis_assets()
        legend = [(role, label, colour) for role, (label, colour) in ROLE_COLOURS.items()]
        data = {"title": self.title, "subtitle": self.subtitle, "nodes": self.nodes, "edges": self.edges,
                "details": self.details, "options": self.options}
        env = Environment(autoescape=True)
        template = env.from_string(_TEMPLATE.read_text(encoding="utf-8"))
        # the orange line means something only on a map that draws best paths
        best_paths = any(isinstance(e.get("color"), dict) and e["color"].get("color") == HIGHLIGHT
                         for e in self.edges)
        return template.render(title=self.title, legend=legend, best_paths=best_paths, vis_js=js, vis_css=css,
                               data_json=script_safe_json(data))

    def write(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # an iframe with srcdoc works in classic Notebook, JupyterLab and VS Code, writes no file
        # and keeps the page's script away from the notebook's own page
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" sandbox="allow-scripts" '
                f'style="width: 100%; height: {self.height}px; border: 1px solid #e2e8f0;" '
                f'title="{html.escape(self.title)}"></iframe>')

    def to_pyvis(self):
        """The same map as a pyvis ``Network`` (lists assigned directly; no quadratic add_node)."""
        from pyvis.network import Network

        net = Network(height=f"{self.height}px", width="100%", directed=False, cdn_resources="in_line")
        net.nodes = [dict(n) for n in self.nodes]
        net.edges = [dict(e) for e in self.edges]
        net.node_ids = [n["id"] for n in self.nodes]
        net.node_map = {n["id"]: n for n in net.nodes}
        net.toggle_physics(False)
        return net


def _options(large: bool) -> dict:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
        "edges": {"smooth": False, "color": {"color": "#cbd5e0", "inherit": False}},
        "nodes": {"shape": "dot", "font": {"size": 14 if not large else 10, "face": "system-ui"},
                  "borderWidth": 1},
    }


def _work(d: dict) -> str:
    position, company = d.get("position") or "", d.get("company") or ""
    if position and company:
        return f"{position} at {company}"
    return position or company


def _person_role(d: dict, ranked: dict, targets: set, referrers: set, company_key: str, node: str) -> str:
    if node in targets:
        return "interviewer"
    if node in referrers:
        return "referrer"
    row = ranked.get(node)
    if row and row.get("bridge"):
        return "mutual"
    if company_key and d.get("company_key") == company_key:
        return "colleague"
    return "other"


def focused_map(g, ranking: list[dict], *, title: str, subtitle: str = "", top: int = 10,
                include_emails: bool = False) -> BackchannelMap:
    """The map of one interview or company, from its focus graph and ranking."""
    owner = g.graph.get("owner")
    company_key = g.graph.get("company_key", "")
    interview_nodes = [n for n, d in g.nodes(data=True) if d.get("kind") == "interview"]
    targets, referrers, target_roles = set(), set(), {}
    for iv in interview_nodes:
        for nbr, edges in g[iv].items():
            for e in edges.values():
                if e["kind"] == "interviews_for":
                    targets.add(nbr)
                    target_roles[nbr] = e.get("role", "interviewer")
                elif e["kind"] == "referred":
                    referrers.add(nbr)
    shown_rows = ranking[:top]
    ranked = {r["node"]: r for r in ranking}
    candidates = [r["node"] for r in shown_rows]
    companies = [n for n, d in g.nodes(data=True) if d.get("kind") == "company" and d.get("company_key") == company_key]
    columns = [[owner] if owner else [], [c for c in candidates if c not in targets],
               sorted(targets - set(candidates), key=lambda n: g.nodes[n]["name"]), companies + interview_nodes]
    for r in sorted(referrers):
        if r not in columns[1] and r not in targets:
            columns[1].insert(0, r)
    nodes, details, placed = [], {}, set()
    for x_index, column in enumerate(columns):
        for y_index, n in enumerate(column):
            if n in placed or n is None:
                continue
            placed.add(n)
            d = g.nodes[n]
            y = (y_index - (len(column) - 1) / 2) * 110
            x = x_index * 330
            kind = d.get("kind")
            if kind == "owner":
                role = "you"
            elif kind in ("company", "interview"):
                role = "company"
            else:
                role = _person_role(d, ranked, targets, referrers, company_key, n)
            label, colour = ROLE_COLOURS[role]
            row = ranked.get(n)
            role_text = target_roles.get(n, "").replace("-", " ") or (label if role != "other" else "connection")
            node = {"id": n, "label": d.get("label") or d.get("name", ""), "x": x, "y": y, "color": colour,
                    "title": "\n".join(p for p in [d.get("name", ""), role_text, _work(d)] if p),
                    "size": 22 if role in ("you", "interviewer", "referrer") else 16,
                    "shape": "box" if kind in ("company", "interview") else "dot",
                    "font": {"color": "#ffffff"} if kind in ("company", "interview") else {}}
            nodes.append(node)
            info = {"name": d.get("name", ""), "role": role_text, "work": _work(d),
                    "url": d.get("profile_url", "")}
            if include_emails and d.get("email"):
                info["email"] = d["email"]
            if row:
                info.update(score=row["score"], reasons=row["reasons"], action=row["action"])
                node["title"] += f"\nscore {row['score']:.2f}"
            details[n] = info
    best_paths = set()
    for t in targets:
        name = g.nodes[t]["name"]
        for r in shown_rows:
            if name in r["bridges_to"] and not r.get("referrer") and any(name in reason for reason in r["reasons"]):
                best_paths.add((owner, r["node"]))
                best_paths.add((r["node"], t))
                break
    edges, seen = [], set()
    for a, b, e in g.edges(data=True):
        if a not in placed or b not in placed:
            continue
        key = tuple(sorted((a, b))) + (e["kind"],)
        if key in seen:
            continue
        seen.add(key)
        highlighted = (a, b) in best_paths or (b, a) in best_paths
        edge = {"from": a, "to": b, "title": e["kind"].replace("_", " ")}
        if e["kind"] == "connection":
            edge["width"] = 1 + 7 * float(e.get("strength", 0))
            edge["title"] = f"tie strength {float(e.get('strength', 0)):.2f}"
        elif e["kind"] in ("mutual", "co_thread", "second_degree"):
            edge["width"] = 3
            edge["dashes"] = True
            edge["color"] = {"color": "#2f855a"}
        else:
            edge["width"] = 1
        if highlighted:
            edge["color"] = {"color": HIGHLIGHT}
            edge["width"] = max(edge["width"], 5)
            edge["dashes"] = False
        edges.append(edge)
    return BackchannelMap(title=title, subtitle=subtitle, nodes=nodes, edges=edges, details=details,
                          options=_options(False))


def full_map(g, *, title: str, subtitle: str = "", include_emails: bool = False,
             strong_tie: float = 0.3) -> BackchannelMap:
    """The whole network, people clustered around their companies; fast at 30,000 connections."""
    owner = g.graph.get("owner")
    by_company: dict[str, list[str]] = {}
    company_node: dict[str, str] = {}
    people = []
    for n, d in g.nodes(data=True):
        kind = d.get("kind")
        if kind == "person":
            people.append(n)
            by_company.setdefault(d.get("company_key") or "", []).append(n)
        elif kind == "company":
            company_node[d["company_key"]] = n
    interview_targets, referrers = set(), set()
    interview_companies = set()
    for n, d in g.nodes(data=True):
        if d.get("kind") == "interview":
            for nbr, edges in g[n].items():
                for e in edges.values():
                    if e["kind"] == "interviews_for":
                        interview_targets.add(nbr)
                    elif e["kind"] == "referred":
                        referrers.add(nbr)
            interview_companies.add(g.nodes[n].get("company"))
    bridges = {b for t in interview_targets for b, edges in g[t].items()
               if any(e["kind"] in ("mutual", "second_degree", "co_thread") for e in edges.values())}
    nodes, details = [], {}
    golden = math.pi * (3 - math.sqrt(5))
    clusters = sorted(by_company.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    radius_of = {}
    for key, members in clusters:
        radius_of[key] = 18 * math.sqrt(len(members)) + 30
    # place cluster centres on a Fermat spiral, spaced by their radii
    placed_centres = []
    for i, (key, members) in enumerate(clusters):
        # you sit at the centre; clusters spiral out around you, the largest first
        spacing = 2.2 * math.sqrt(sum(radius_of[k] ** 2 for k, _ in clusters[: i + 1])) + radius_of[clusters[0][0]]
        angle = i * golden
        cx, cy = math.cos(angle) * spacing, math.sin(angle) * spacing
        placed_centres.append((key, cx, cy))
        members.sort(key=lambda n: g.nodes[n].get("name", ""))
        for j, n in enumerate(members):
            r = 18 * math.sqrt(j + 1)
            d = g.nodes[n]
            role = ("interviewer" if n in interview_targets else "referrer" if n in referrers
                    else "mutual" if n in bridges else "other")
            if role == "other" and g.nodes[n].get("company") in interview_companies:
                role = "colleague"
            colour = ROLE_COLOURS[role][1]
            label = d.get("name", "") if role != "other" else ""
            nodes.append({"id": n, "x": round(cx + r * math.cos(j * golden), 1),
                          "y": round(cy + r * math.sin(j * golden), 1), "color": colour, "label": label,
                          "title": "\n".join(p for p in (d.get("name", ""), _work(d)) if p),
                          "size": 14 if role != "other" else 6})
            info = {"name": d.get("name", ""), "work": _work(d), "url": d.get("profile_url", "")}
            if include_emails and d.get("email"):
                info["email"] = d["email"]
            details[n] = info
        if not key:
            nodes.append({"id": "company:", "x": round(cx, 1), "y": round(cy - radius_of[key] - 20, 1),
                          "shape": "box", "color": "#a0aec0", "label": f"(no company) ({len(members)})",
                          "font": {"color": "#ffffff", "size": max(14, round(radius_of[key] / 5))},
                          "title": "no company given"})
        elif key in company_node:
            cn = company_node[key]
            d = g.nodes[cn]
            nodes.append({"id": cn, "x": round(cx, 1), "y": round(cy - radius_of[key] - 20, 1), "shape": "box",
                          "color": ROLE_COLOURS["company"][1], "label": f"{d.get('label', '')} ({len(members)})",
                          "font": {"color": "#ffffff", "size": max(14, round(radius_of[key] / 5))},
                          "title": d.get("label", "")})
            details[cn] = {"name": d.get("label", ""), "work": f"{len(members)} people"}
    if owner:
        nodes.append({"id": owner, "x": 0.0, "y": 0.0, "color": ROLE_COLOURS["you"][1], "size": 40,
                      "label": g.nodes[owner].get("label", "You"), "title": "You"})
        details[owner] = {"name": g.nodes[owner].get("label", "You"), "role": "you"}
    shown = {n["id"] for n in nodes}
    edges = []
    for a, b, e in g.edges(data=True):
        kind = e["kind"]
        if kind == "connection" and float(e.get("strength", 0)) >= strong_tie:
            edges.append({"from": a, "to": b, "width": 1 + 5 * float(e["strength"]),
                          "color": {"color": "#90cdf4"}})
        elif kind in ("mutual", "second_degree", "interviews_for", "referred") and a in shown and b in shown:
            # (shared group threads are left to the focused maps: across a whole network they are noise)
            edges.append({"from": a, "to": b, "width": 2, "color": {"color": "#2f855a"}})
    return BackchannelMap(title=title, subtitle=subtitle, nodes=nodes, edges=edges, details=details,
                          options=_options(True), height=720)
