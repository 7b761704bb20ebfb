"""Interactive, self-contained maps of who connects you to whom. The only package importing pyvis.

A map is one HTML file (:mod:`.page`): vis-network inlined, a Content-Security-Policy that
forbids any network request, every string from the user's data shown as text. Two maps, both
pure functions of typed records (no workspace, no clock), and neither works out a role, a
rank, a window or a date: it shows those of the :class:`~backchannel.domain.Candidate` and
:class:`~backchannel.domain.Touch` records it is given, every time in the user's zone.

:func:`focused_map` (:mod:`.focused`)
    one interview or company as a plan you can see: you, the ranked people to warm up
    (numbered as in ``rank``), the people deciding, the interview; the best path to each of
    them in orange; the plan's next steps; an explicit empty state when nobody reaches it.
:func:`full_map` (:mod:`.network`)
    the whole network, usable at LinkedIn's cap of 30,000 connections: it opens on what
    matters and shows every other company as one node sized by its head count, opened on click
    (its people travel as compact columns, :mod:`.members`).

How a map looks is in :mod:`.style` (colours by role, edge styles, labels, the legend), where
things sit in :mod:`.layout`, and what both maps read of the interviews in :mod:`.interviews`.

Map data, for power users and tests. Every node carries ``role`` (one of :data:`ROLES`) and
``rank`` where ranked; every edge carries ``kind`` (a graph edge kind), ``strength`` on
connection edges and ``best_path: True`` on best paths. The page exposes the network as
``window.backchannelNetwork`` and sets ``data-drawn`` on ``<body>`` after its first draw.
"""

from __future__ import annotations

from .focused import focused_map
from .members import MapDetails, MapNodes
from .network import full_map
from .page import BackchannelMap, script_safe_json
from .style import EDGE_STYLES, HIGHLIGHT, ROLE_COLOURS, ROLES

__all__ = ["BackchannelMap", "focused_map", "full_map", "ROLE_COLOURS", "ROLES", "EDGE_STYLES", "HIGHLIGHT",
           "script_safe_json", "MapNodes", "MapDetails"]
