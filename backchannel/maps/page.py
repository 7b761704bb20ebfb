"""A map as one HTML page: self-contained, offline, every string from the user's data inert.

The page is templates/map.html with its ``{{ slot }}``s filled in: vis-network inlined from the
pyvis package (no CDN, no ``lib/`` folder), a Content-Security-Policy that forbids any network
request, and the map's data as JSON escaped for a ``<script>`` block, shown by the page with
``textContent`` or as vis-network's plain-text labels and tooltips, never as HTML.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..bulk import gc_paused
from .members import MapDetails, MapNodes, member_columns
from .style import MEMBER_FONT, ROLE_COLOURS

__all__ = ["BackchannelMap", "script_safe_json"]

_TEMPLATE = Path(__file__).parent.parent / "templates" / "map.html"


def script_safe_json(value: Any) -> str:
    """JSON that cannot end a ``<script>`` block or open markup, whatever the strings hold.

    ASCII only (every other character escaped) and not looked through for cycles (the data has
    none): a whole network's 5 MB encode in 60% of the time, and the page is then put together
    from one-byte text, ten times faster than from the four-byte text one emoji in a name makes.

    >>> script_safe_json({"name": "</script>"})
    '{"name":"\\\\u003c/script\\\\u003e"}'
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


# Plain text slots, no template engine (importing and compiling Jinja was 3% of the
# whole-network map's time). Only ``title`` is text from the user's data; it is escaped as
# Jinja's autoescape escapes it. The legend is markup made here from constants. One trailing
# newline of the file is dropped, as Jinja does.
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

    ``nodes`` holds every node. On the whole-network map it is a :class:`MapNodes`: the people
    of each company travel to the page as compact columns and are drawn when the company is
    opened (those of a company that starts ``expanded`` from the start). ``clusters`` maps a
    company node's id to its ``label``, ``count``, whether it starts ``expanded``, its people's
    ``center`` and ``radius``, and its node's label and size when closed. ``steps`` are the
    panel's next steps; ``empty`` the empty state; ``view`` the opening view (the nodes it
    frames, its zoom limits); ``legend`` what the map draws.
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
        shown: Sequence[dict] = self.nodes
        columns: Mapping[str, dict[str, list[Any]]] = {}
        labels: Mapping[str, Mapping[str, str]] = {}
        if isinstance(self.nodes, MapNodes):  # (never made whole: 30,000 dicts to throw away)
            shown, columns, labels = self.nodes.shown, self.nodes.columns, self.nodes.labels
        details = self.details.own if isinstance(self.details, MapDetails) else self.details
        clusters = {cid: {**c, "members": columns.get(cid) or member_columns(()), "labels": labels.get(cid, {})}
                    for cid, c in self.clusters.items()}
        return {"kind": self.kind, "title": self.title, "subtitle": self.subtitle, "owner": self.owner,
                "nodes": list(shown), "edges": self.edges, "details": details, "clusters": clusters,
                "steps": self.steps, "empty": self.empty, "view": self.view, "options": self.options,
                "colours": {role: colour for role, (_, colour) in ROLE_COLOURS.items()},
                "memberFont": MEMBER_FONT}

    def html(self) -> str:
        """The page: one self-contained, offline HTML document."""
        js, css = _vis_assets()
        with gc_paused():
            data_json = script_safe_json(self._payload())
        return _render_page(title=_escape(self.title), legend=_legend_html(self.legend), vis_css=css, vis_js=js,
                            data_json=data_json)

    def write(self, path: str | os.PathLike) -> Path:
        """Write the page (UTF-8) whole or not at all; nothing else is written next to it."""
        from ..output import write_atomically

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

        The people of companies that start closed are included, hidden.
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
