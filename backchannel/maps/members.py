"""A company's people on the whole-network map: compact columns for the page, nodes when asked.

A company's people are not in the browser's graph until it is opened: they travel as one list
per field (:data:`MEMBER_COLUMNS`) and the page makes their nodes on click
(templates/map.html). :class:`MapNodes` and :class:`MapDetails` show the same people to Python
as node and details dicts, made only when asked for: 30,000 dicts built to be thrown away
would cost more than the rest of the map.

A person's label inside a company is their name, numbered (``6. Jane Roe``) where they are
ranked; a company's ``labels`` hold the few labels that say more (a number for an interview
at another company).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from .style import MEMBER_FONT, ROLE_COLOURS, TEXT, member_size, node_style, ranks_text, tooltip

__all__ = ["MEMBER_COLUMNS", "MapNodes", "MapDetails", "member_columns"]

#: the columns of a company's people, as they travel to the page (one list each, in the same
#: order): ``name``, ``work``, ``url`` and ``tie`` (tie strength) are ``None`` for a person
#: whose details travel in ``details`` (a ranked person or one deciding); ``email``, when any
#: of them has one, is a column of its own
MEMBER_COLUMNS = ("id", "x", "y", "role", "rank", "name", "work", "url", "tie")


def member_columns(rows: Iterable[Sequence[Any]]) -> dict[str, list[Any]]:
    """The page's columns of a company's people, from their compact rows: ``[id, x, y, role,
    rank]`` for a person whose details travel in ``details``, ``[id, x, y, role, None, name,
    work, url, tie strength(, email)]`` for everyone else."""
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
    """The compact rows of a company's people (as :func:`member_columns` takes them), from
    their columns; ``detailed``: the people whose details are kept elsewhere."""
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


def _member_node(row: Sequence[Any], cluster: str, details: Mapping[str, dict], labels: Mapping[str, str]) -> dict:
    """The node of a person of a company, from their compact row (as the page makes it)."""
    nid, x, y, role, rank = row[:5]
    if len(row) > 5:  # a plain person: [id, x, y, role, None, name, work, url, tie strength(, email)]
        name, work = row[5], row[6]
        return {"id": nid, "label": name, "x": x, "y": y, "role": role, "shape": "dot",
                "color": ROLE_COLOURS[role][1], "size": member_size(role),
                "font": {"size": MEMBER_FONT, "color": TEXT, "strokeWidth": 3, "strokeColor": "#ffffff"},
                "cluster": cluster, "title": tooltip(name, work)}
    info = details[nid]
    name = info.get("name", "")
    label = labels.get(nid) or (f"{rank}. {name}" if rank is not None else name)
    node = node_style(role, label=label, size=member_size(role), font_size=MEMBER_FONT)
    node["cluster"] = cluster
    if rank is not None:
        node["rank"] = rank
    ranks = info.get("ranks")
    rank_text = ranks_text([(p["rank"], p["short"]) for p in ranks]) if ranks else f"rank {rank}" if rank else ""
    node.update(id=nid, x=x, y=y, title=tooltip(name, info.get("role_text"), info.get("work"), rank_text))
    return node


def _member_details(row: Sequence[Any]) -> dict:
    """The details of a plain person of a company, from their compact row."""
    info = {"name": row[5], "role": row[3], "work": row[6], "url": row[7]}
    if row[8] is not None:
        info["tie_strength"] = row[8]
    if len(row) > 9:
        info["email"] = row[9]
    return info


class MapNodes(Sequence[dict]):
    """The nodes of a whole-network map: those drawn from the start (``shown``), each company's
    node followed by its people. A company's people are kept as the page's columns
    (``columns``: company node id -> :data:`MEMBER_COLUMNS`) with the labels that are more
    than a name or a numbered name (``labels``: company node id -> person -> label), and made
    into node dicts when asked for. ``rows``: the same people as compact rows (see
    :func:`member_columns`)."""

    def __init__(self, shown: list[dict], columns: dict[str, dict[str, list[Any]]], details: Mapping[str, dict],
                 labels: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.shown, self.columns, self._details = shown, columns, details
        self.labels = dict(labels or {})
        self._starts: list[int] | None = None
        self._rows: dict[str, list[list[Any]]] | None = None

    @property
    def rows(self) -> dict[str, list[list[Any]]]:
        if self._rows is None:
            self._rows = {cid: _member_rows(cols, self._details) for cid, cols in self.columns.items()}
        return self._rows

    def _node(self, row: Sequence[Any], cluster: str) -> dict:
        return _member_node(row, cluster, self._details, self.labels.get(cluster, {}))

    def __len__(self) -> int:
        return len(self.shown) + sum(len(cols["id"]) for cols in self.columns.values())

    def __iter__(self) -> Iterator[dict]:
        for node in self.shown:
            yield node
            for row in self.rows.get(node["id"], ()):
                yield self._node(row, node["id"])

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
        return self._node(self.rows[node["id"]][i - self._starts[j] - 1], node["id"])


class MapDetails(Mapping[str, dict]):
    """The details of a whole-network map, in the order of its nodes. ``own`` holds those of
    everyone drawn from the start and of every ranked person or person deciding; those of the
    plain people of companies are made from their company's columns when asked for."""

    def __init__(self, own: dict[str, dict], nodes: MapNodes) -> None:
        self.own, self._nodes = own, nodes  # (the people's rows are the nodes', made once for both)
        self._plain: dict[str, list[Any]] | None = None

    def _plain_rows(self) -> dict[str, list[Any]]:
        if self._plain is None:
            self._plain = {row[0]: row for rows in self._nodes.rows.values() for row in rows if len(row) > 5}
        return self._plain

    def __getitem__(self, node: str) -> dict:
        if node in self.own:
            return self.own[node]
        return _member_details(self._plain_rows()[node])

    def __iter__(self) -> Iterator[str]:
        rows = self._nodes.rows
        for node in self._nodes.shown:
            yield node["id"]
            for row in rows.get(node["id"], ()):  # a company's people follow it
                yield row[0]

    def __len__(self) -> int:
        return len(self.own) + len(self._plain_rows())
