"""How a map looks: colours by role, edge styles, node styles, labels and the legend.

Colour encodes role; on edges from you, width encodes tie strength (best paths included: a
best path is marked by its colour only). Every colour a map uses is in :data:`ROLE_COLOURS`
or :data:`EDGE_STYLES`, and the legend lists only the styles a map draws.

>>> rank_label("Jane Roe", [(3, "Acme Corp.")], name_interview=False)
'3. Jane Roe'
>>> rank_label("Jane Roe", [(3, "Acme Corp."), (1, "Initrode")], name_interview=True)
'Jane Roe\\n#3 Acme Corp. · #1 Initrode'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..graph import BRIDGE_KINDS

__all__ = ["ROLE_COLOURS", "ROLES", "EDGE_STYLES", "HIGHLIGHT", "LINKEDIN_PREFIX", "MEMBER_FONT", "CORE_FONT",
           "node_style", "connection_edge", "bridge_edge", "structure_edge", "mark_best_path", "edge_style",
           "legend", "options", "rank_label", "ranks_text", "tooltip", "work_of", "link", "role_text",
           "member_size", "cluster_size", "cluster_font", "strongest_role"]

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
#: a candidate's roles (``Candidate.role``), strongest first: someone ranked for two interviews
#: is shown in the strongest of theirs
CANDIDATE_ROLES = ("referrer", "mutual", "colleague")
HIGHLIGHT = "#dd6b20"
GREY = "#cbd5e0"
GREEN = "#2f855a"
TEXT = "#1a202c"
#: edge style -> (legend text, colour, line samples as (width, dashed))
EDGE_STYLES: dict[str, tuple[str, str, tuple[tuple[int, bool], ...]]] = {
    "connection": ("Your connection: the wider, the stronger your tie (thinnest: never messaged)", "#90a4bf",
                   ((1, False), (6, False))),
    "best_path": ("Best path you \u2192 them \u2192 interviewer: your tie (the wider, the stronger), then how "
                  "they know the interviewer (dashed)", HIGHLIGHT, ((1, False), (6, False), (2, True))),
    "bridge": ("Knows an interviewer: recorded mutual, group conversation or another export", GREEN,
               ((2, True),)),
    "structure": ("Works at, interviews for, referred you", GREY, ((1, False),)),
}
LINKEDIN_PREFIX = "https://www.linkedin.com/"
MEMBER_FONT = 12  # a person inside a company
CORE_FONT = 16  # the people around the interviews, on the whole-network map
_SIZES = {"you": 26, "referrer": 20, "interviewer": 20, "hiring-manager": 20, "recruiter": 20, "mutual": 16,
          "colleague": 14, "other": 10}
_ROLE_TEXTS = {role: text.lower() for role, (text, _) in ROLE_COLOURS.items()} | {"other": "connection"}


def role_text(role: str) -> str:
    """A role as the details panel says it: ``knows an interviewer``, ``connection``."""
    return _ROLE_TEXTS[role]


def strongest_role(roles: Iterable[str]) -> str:
    """The strongest of a person's candidate roles (:data:`CANDIDATE_ROLES`).

    >>> strongest_role(["colleague", "mutual"])
    'mutual'
    """
    present = set(roles)
    return next((r for r in CANDIDATE_ROLES if r in present), "other")


def options(hover: bool = True) -> dict:
    """vis-network's options: physics off (layouts are computed here), no smoothing."""
    return {
        "autoResize": False,  # the page frames the view itself on resize (templates/map.html)
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": hover, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "zoomSpeed": 0.6},
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 1},
        "nodes": {"shape": "dot", "font": {"size": 14, "face": "system-ui, sans-serif", "color": TEXT},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 6}}},
    }


def node_style(role: str, *, size: float | None = None, label: str = "", font_size: int = 14,
               shape: str = "dot") -> dict:
    """A node's role, label, shape, colour and font (a box's label is white on its colour)."""
    style: dict[str, Any] = {"role": role, "label": label, "shape": shape, "color": ROLE_COLOURS[role][1],
                             "font": {"size": font_size, "color": TEXT, "strokeWidth": 3, "strokeColor": "#ffffff"}}
    if shape == "box":
        style["font"] = {"size": font_size, "color": "#ffffff", "strokeWidth": 0}
        style["margin"] = 8
    else:
        style["size"] = size if size is not None else _SIZES.get(role, 12)
    return style


def member_size(role: str) -> int:
    """The dot of a person inside a company."""
    return 4 if role == "other" else 6


def cluster_size(count: int) -> float:
    """A company's dot: its area grows with the head count, capped so that a 5,000-person company
    stays a node, not a wall."""
    return round(min(60.0, 8 + 1.6 * math.sqrt(count)), 1)


def cluster_font(count: int) -> int:
    """A company's label: larger for more people."""
    return int(min(24, 14 + 1.5 * math.log2(max(1, count))))


def _edge_colour(colour: str) -> dict:
    # highlight and hover set explicitly: vis-network's defaults would turn a best path grey when selected
    return {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 1.0}


def connection_edge(owner: str, person: str, strength: float) -> dict:
    """You — a connection: width by tie strength."""
    width = round(1 + 7 * max(0.0, min(1.0, strength)), 2)
    return {"from": owner, "to": person, "kind": "connection", "strength": round(strength, 4), "width": width,
            "color": _edge_colour(EDGE_STYLES["connection"][1]), "title": f"your tie: strength {strength:.2f}"}


def bridge_edge(a: str, b: str, kind: str, text: str) -> dict:
    """A connection — someone deciding: how they know each other (dashed)."""
    return {"from": a, "to": b, "kind": kind, "width": 2, "dashes": [6, 5], "color": _edge_colour(GREEN),
            "title": text}


def structure_edge(a: str, b: str, kind: str, title: str) -> dict:
    """Works at, interviews for, referred you."""
    return {"from": a, "to": b, "kind": kind, "width": 1, "color": _edge_colour(GREY), "title": title}


def mark_best_path(edge: dict) -> None:
    edge["best_path"] = True
    edge["color"] = _edge_colour(HIGHLIGHT)


def edge_style(edge: Mapping[str, Any]) -> str:
    """The :data:`EDGE_STYLES` entry an edge is drawn in."""
    if edge.get("best_path"):
        return "best_path"
    kind = edge.get("kind")
    if kind == "connection":
        return "connection"
    return "bridge" if kind in BRIDGE_KINDS else "structure"


def legend(roles: Iterable[str], edges: Iterable[Mapping[str, Any]],
           texts: Mapping[str, str] | None = None) -> list[dict]:
    """The legend of what a map draws: its nodes' roles, then its edges' styles, in a fixed order."""
    present, texts = set(roles), texts or {}
    items: list[dict[str, Any]] = [
        {"type": "node", "text": texts.get(role, text), "colour": colour,
         "shape": "box" if role == "interview" or (role == "company" and "company" not in texts) else "dot"}
        for role, (text, colour) in ROLE_COLOURS.items() if role in present]
    drawn = {edge_style(e) for e in edges}
    for style, (text, colour, samples) in EDGE_STYLES.items():
        if style in drawn:
            items.append({"type": "edge", "text": text, "colour": colour,
                          "samples": [{"width": w, "dashed": d} for w, d in samples]})
    return items


def rank_label(name: str, ranks: Sequence[tuple[int, str]], *, name_interview: bool) -> str:
    """A ranked person's label: ``3. Jane Roe``; where the map holds more than one interview
    (``name_interview``), each number says its interview: ``Jane Roe`` over ``#3 Acme Corp.``."""
    if not ranks:
        return name
    if not name_interview:
        return f"{min(r for r, _ in ranks)}. {name}"
    return f"{name}\n{ranks_text(ranks)}"


def ranks_text(ranks: Sequence[tuple[int, str]]) -> str:
    """``#3 Acme Corp. · #1 Initrode``."""
    return " \u00b7 ".join(f"#{rank} {where}" for rank, where in ranks)


def tooltip(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p)


def work_of(position: Any, company: Any) -> str:
    """``Staff Engineer at Acme Corp.``, or whichever of the two is known."""
    position, company = position or "", company or ""
    if position and company:
        return f"{position} at {company}"
    return position or company


def link(url: Any) -> str:
    """A LinkedIn address the user may click, or nothing: no other scheme or host reaches the page."""
    return url if isinstance(url, str) and url.startswith(LINKEDIN_PREFIX) else ""
