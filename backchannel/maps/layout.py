"""Where things sit on a map: computed here, deterministically (physics is off in the browser).

- the core of a map in columns, left to right: you; the people to warm up; the people
  deciding; the interviews and their companies. On the whole-network map each interview
  company is a band of its own, its people level with its interview (:func:`place_bands`);
- a company's people in a disc, row by row, leaving room for the company's label
  (:func:`disc_columns`);
- the other companies' discs on rings around the core (:func:`pack_rings`).

>>> xs, ys, radius = disc_columns(3)
>>> len(xs), len(set(zip(xs, ys))), all(x * x + y * y <= radius * radius for x, y in zip(xs, ys))
(3, 3, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["SLOT_DX", "SLOT_DY", "TWO_LINE_DY", "disc_columns", "pack_rings", "label_width", "Band", "place_bands", "place_columns", "place_companies",
           "X_YOU", "X_CANDIDATES", "X_DECIDING", "X_INTERVIEWS", "X_COMPANIES", "companies_x"]

SLOT_DX, SLOT_DY = 150, 36  # a person's place in an opened company: a small dot, its name below
#: the core's columns (canvas units). Compact enough that the core of a whole network, labels
#: included, is read whole at the opening zoom on a 1280 x 800 laptop screen; the companies'
#: column is as far right of the interviews as their boxes and the companies' labels need
#: (:func:`companies_x`), at least ``X_COMPANIES``.
X_YOU, X_CANDIDATES, X_DECIDING, X_INTERVIEWS, X_COMPANIES = 0.0, 230.0, 470.0, 700.0, 900.0
_CANDIDATE_DY, _DECIDING_DY, _INTERVIEW_DY, _BAND_GAP = 68.0, 90.0, 130.0, 40.0
#: the candidates' spacing when their labels are two lines (a name, then the interview)
TWO_LINE_DY = 80.0


def label_width(text: str, font_size: float) -> float:
    """A generous estimate of a label's width on the canvas (its longest line), for spacing.

    >>> label_width("Acme Corp. \u00b7 52", 20)
    180.0
    """
    longest = max((len(line) for line in text.split("\n")), default=0)
    return round(0.6 * font_size * longest, 1)


def disc_columns(n: int, hole: tuple[float, float] | None = None) -> tuple[list[float], list[float], float]:
    """``n`` places for names, row by row inside a disc centred on (0, 0): (their x, their y, the radius).

    Rows of names read left to right like a list (alphabetical order stays readable); ``hole``
    keeps a (half-width, half-height) box at the centre free for the company's label.

    >>> xs, ys, radius = disc_columns(40, (150.0, 40.0))
    >>> any(abs(x) < 150 + SLOT_DX / 2 and abs(y) < 40 + SLOT_DY / 2 for x, y in zip(xs, ys))
    False
    """
    if n <= 0:
        return [], [], 0.0
    hole_area = 4 * hole[0] * hole[1] if hole else 0.0
    radius = math.sqrt((n * SLOT_DX * SLOT_DY + hole_area) / math.pi) + SLOT_DY
    while True:
        xs: list[float] = []
        ys: list[float] = []
        for r in range(int(2 * radius // SLOT_DY)):
            y = -radius + (r + 0.5) * SLOT_DY
            half = math.sqrt(max(0.0, radius * radius - y * y))
            k = int(2 * half // SLOT_DX)
            centre = (k - 1) / 2
            row = [(i - centre) * SLOT_DX for i in range(k)]
            if hole and abs(y) < hole[1] + SLOT_DY / 2:
                row = [x for x in row if not abs(x) < hole[0] + SLOT_DX / 2]
            xs += row
            ys += [y] * len(row)
            if len(xs) >= n:
                return xs[:n], ys[:n], radius
        radius *= 1.06


def pack_rings(radii: Sequence[float], inner: float, gap: float = 60.0) -> list[tuple[float, float]]:
    """Centres for circles (largest first) on rings around a core of radius ``inner``, none overlapping.

    Two of radius 100 around a core of 200: on a ring of 200 + 60 (the gap) + 100 = 360, the
    second as close to the first as the gap allows (100 + 60 + 100 = 260 apart):

    >>> a, b = pack_rings([100.0, 100.0], 200.0)
    >>> a, b, round(math.dist(a, b))
    ((360.0, 0.0), (266.1, 242.5), 260)
    """
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


def place_columns(columns: Sequence[tuple[float, Sequence[str]]], dx: float = 330.0
                  ) -> dict[str, tuple[float, float]]:
    """Places for columns of nodes (each its spacing and its nodes), left to right ``dx`` apart,
    each centred on y = 0; an empty column takes no room.

    >>> place_columns([(0.0, ["you"]), (80.0, []), (80.0, ["a", "b"])])
    {'you': (0.0, 0.0), 'a': (330.0, -40.0), 'b': (330.0, 40.0)}
    """
    places: dict[str, tuple[float, float]] = {}
    for x_index, (spacing, column) in enumerate(c for c in columns if c[1]):
        for i, node in enumerate(column):
            places[node] = (x_index * dx, round((i - (len(column) - 1) / 2) * spacing, 1))
    return places


@dataclass
class Band:
    """One row of the whole-network map's core: an interview company (its node, ``company``,
    whose node and label are ``company_height`` tall), its interviews, the people to warm up
    for them (``candidate_dy`` apart) and the people deciding."""

    company: str | None
    interviews: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    deciding: list[str] = field(default_factory=list)
    company_height: float = 0.0
    candidate_dy: float = _CANDIDATE_DY

    @property
    def height(self) -> float:
        return max(self.candidate_dy * len(self.candidates), _DECIDING_DY * len(self.deciding),
                   _INTERVIEW_DY * len(self.interviews), self.company_height) + _BAND_GAP


def companies_x(box_half_width: float, label_reach: float) -> float:
    """The x of the companies' column: the widest interview box (half its width) and the widest
    company label or node (how far it reaches either side) side by side, 24 apart.

    >>> companies_x(100.0, 130.0)
    954.0
    """
    return max(X_COMPANIES, X_INTERVIEWS + box_half_width + 24 + label_reach)


def place_bands(bands: Sequence[Band], x_companies: float = X_COMPANIES
                ) -> tuple[dict[str, tuple[float, float]], float]:
    """Places of the bands' candidates, people deciding, interviews and companies, each column
    centred on its band, the bands stacked top to bottom around y = 0; and the core's height.

    >>> places, height = place_bands([Band("company:a", ["iv:a"], ["p1", "p2"], ["t1"], 100.0)])
    >>> places["p1"], places["p2"], places["t1"], places["company:a"], height
    ((230.0, -34.0), (230.0, 34.0), (470.0, 0.0), (900.0, 0.0), 176.0)
    """
    total = sum(b.height for b in bands)
    places: dict[str, tuple[float, float]] = {}
    top = -total / 2
    for band in bands:
        centre = top + band.height / 2
        for x, column, dy in ((X_CANDIDATES, band.candidates, band.candidate_dy),
                              (X_DECIDING, band.deciding, _DECIDING_DY),
                              (X_INTERVIEWS, band.interviews, _INTERVIEW_DY)):
            for i, node in enumerate(column):
                places.setdefault(node, (x, round(centre + (i - (len(column) - 1) / 2) * dy, 1)))
        if band.company is not None:
            places.setdefault(band.company, (x_companies, round(centre, 1)))
        top += band.height
    return places, total


Disc = tuple[float, float, list[float], list[float], float]  # centre x, y; places' x, y (from the centre); radius


def place_companies(interview_discs: Sequence[tuple[float, int, float]], other_discs: Sequence[tuple[int, float]],
                    core_height: float, x_companies: float = X_COMPANIES) -> tuple[list[Disc], list[Disc]]:
    """Discs for the people of each company, none overlapping another or the core.

    ``interview_discs``: for each interview company, the y of its node (in the core's last
    column), its head count, and how far right of its node its label reaches; their discs
    are to the right of the core, stacked top to bottom, each as level with its node as the
    ones above allow. ``other_discs``: for each other company, its head count and the
    half-width its label needs at the disc's centre (where its node is); their discs are on
    rings around the core, largest first. Returns each disc, in the order given: its centre,
    its places (:func:`disc_columns`) and its radius.

    An interview company of three whose label reaches 60 right of its node: a disc of radius
    107.8 (see :func:`disc_columns`), level with the node, its left edge clear of the label and
    of its people's names (900 + 60 + 75 + 30 + 107.8):

    >>> ivs, others = place_companies([(0.0, 3, 60.0)], [(2, 150.0)], 300.0)
    >>> [round(v, 1) for v in (ivs[0][0], ivs[0][1], ivs[0][4])], len(ivs[0][2]), len(others[0][2])
    ([1172.8, 0.0, 107.8], 3, 2)
    """
    placed_ivs: list[Disc] = []
    bottom: float | None = None
    for y, count, reach in interview_discs:
        xs, ys, radius = disc_columns(count)
        cy = y if bottom is None else max(y, bottom + radius + 80)
        bottom = cy + radius
        placed_ivs.append((x_companies + reach + SLOT_DX / 2 + 30 + radius, cy, xs, ys, radius))
    half = core_height / 2 + 200.0
    top_y = min([-half] + [d[1] - d[4] for d in placed_ivs])
    bottom_y = max([half] + [d[1] + d[4] for d in placed_ivs])
    right_x = max([x_companies + 220.0] + [d[0] + d[4] for d in placed_ivs])
    centre_x, centre_y = (right_x - 200.0) / 2, (top_y + bottom_y) / 2
    core_radius = math.hypot((right_x + 200.0) / 2, (bottom_y - top_y) / 2)
    discs = [disc_columns(count, (reach, 40.0)) for count, reach in other_discs]
    order = sorted(range(len(discs)), key=lambda i: (-discs[i][2], i))
    centres = pack_rings([discs[i][2] + 40 for i in order], core_radius)
    placed_others: list[Disc] = [(0.0, 0.0, [], [], 0.0)] * len(discs)
    for i, (x, y) in zip(order, centres, strict=True):
        placed_others[i] = (centre_x + x, centre_y + y, *discs[i])
    return placed_ivs, placed_others
