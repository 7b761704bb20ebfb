"""Back-channel ranking: who can carry a good word to the people deciding, and why.

A good word needs two things: the connector must be **willing** to speak for you (their tie to
you) and **able** to reach the people deciding (their tie to the interviewers). The score is
the strength of that path, so a weak half caps it::

    score = willing × reach                                   (both in [0, 1])
    willing = 1 − exp(−T / s)                                 T: tie strength (ties.py), s = 0.2
    reach = 1 − (1 − 0.5·C) × Π_t (1 − e_t)                   over the interviewers t

``e_t`` is the evidence that they know interviewer t: 1.0 for a mutual connection stated in
the interviews file, 0.9 when another owner's export shows them connected, 0.8 for a shared
group conversation (the only link between two of your connections the export itself shows).
``C`` is 1 when they work at the hiring company now: they can ask around, but nothing says
they know the people deciding, so it counts half.

Worked through: a strong tie (T = 0.5, willing 0.92) who is a stated mutual scores 0.92; the
same tie who only works at the company 0.46; a stated mutual you never exchanged a message
with (T = 0.05, willing 0.22) 0.22. Between otherwise equal people the stronger tie wins, and
a stated mutual beats a colleague.

The referrer of the interview, when one of your connections, ranks first (thanking them
re-invests them in your candidacy). Interviewers, hiring managers and recruiters are never
candidates. In a discreet interview nobody at your current employer is suggested.

Which effect this relies on: a back channel to a *specific* interviewer works through people
who will speak up for you, so the willing half rewards strong ties (recent, reciprocated
contact). The finding that moderately weak ties carry the most job mobility overall is about
finding leads; that is what ``reconnect`` surfaces, not this ranking. A candidate whose tie is
weak is still shown when they reach an interviewer, with the action "reintroduce yourself
first" and a draft to match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

import networkx as nx

from .domain import DECISION_ROLES, Candidate, Touch
from .ties import describe_history, describe_tie, is_weak_tie, tie_history
from .times import utc_naive

__all__ = ["EVIDENCE_STRENGTH", "COLLEAGUE_REACH", "WILLING_SCALE", "willingness", "path_strength",
           "rank_candidates", "reconnect_candidates", "people_search_link", "acted_on"]

EVIDENCE_STRENGTH: dict[str, float] = {"mutual": 1.0, "second_degree": 0.9, "co_thread": 0.8}
COLLEAGUE_REACH = 0.5
WILLING_SCALE = 0.2
_EVIDENCE_WORDS = {
    "mutual": "to {name}: mutual connection",
    "second_degree": "to {name}: connected (from {via}'s export)",
    "co_thread": "to {name}: in a group conversation together",
}


def willingness(tie: float, scale: float = WILLING_SCALE) -> float:
    """How surely a connection speaks up for you, from your tie strength with them.

    >>> round(willingness(0.5), 2), round(willingness(0.05), 2)
    (0.92, 0.22)
    """
    return 1 - math.exp(-max(tie, 0.0) / scale)


def path_strength(tie: float, evidence: list[float], colleague: bool, *,
                  colleague_reach: float = COLLEAGUE_REACH, scale: float = WILLING_SCALE) -> tuple[float, float, float]:
    """(score, willing, reach) of the path you → connector → the people deciding.

    >>> [round(x, 2) for x in path_strength(0.5, [1.0], False)]
    [0.92, 0.92, 1.0]
    >>> [round(x, 2) for x in path_strength(0.5, [], True)]
    [0.46, 0.92, 0.5]
    """
    missing = 1 - colleague_reach if colleague else 1.0
    for e in evidence:
        missing *= 1 - e
    reach = 1 - missing
    willing = willingness(tie, scale)
    return willing * reach, willing, reach


def people_search_link(company: str) -> str:
    """A LinkedIn people search for 2nd-degree people at a company, for the user to open."""
    return ("https://www.linkedin.com/search/results/people/?keywords=" + quote(company)
            + "&network=%5B%22S%22%5D")


def _targets(g: nx.MultiGraph, interview_nodes: list[str]) -> tuple[dict[str, str], set[str]]:
    targets, referrers = {}, set()
    for iv in interview_nodes:
        for nbr, edges in g[iv].items():
            for e in edges.values():
                if e["kind"] == "interviews_for" and e.get("role") in DECISION_ROLES:
                    targets[nbr] = e["role"]
                elif e["kind"] == "referred":
                    referrers.add(nbr)
    return targets, referrers


def rank_candidates(g: nx.MultiGraph, now: datetime, *, weights: Mapping[str, float] | None = None,
                    discreet: bool | None = None, top: int | None = None,
                    explain: int | None = None) -> list[Candidate]:
    """Rank the owner's first-degree connections in a focus graph (``graph.focus_graph``).

    ``weights`` may set ``mutual``, ``second_degree``, ``co_thread`` (evidence strengths),
    ``colleague`` (the reach of working at the company) and ``willing_scale``. ``top`` keeps the
    best rows; ``explain`` writes reasons and an action for only that many (all by default):
    thousands of colleagues at a large company are ranked in a blink, explained one by one.
    """
    w = dict(weights or {})
    evidence_strength = {k: float(w.get(k, v)) for k, v in EVIDENCE_STRENGTH.items()}
    colleague_reach = float(w.get("colleague", COLLEAGUE_REACH))
    scale = float(w.get("willing_scale", WILLING_SCALE)) or WILLING_SCALE
    now = utc_naive(now) or now
    owner = g.graph.get("owner")
    if owner is None:
        return []
    interview_nodes = [n for n, d in g.nodes(data=True) if d.get("kind") == "interview"]
    targets, referrers = _targets(g, interview_nodes)
    if discreet is None:
        discreet = any(g.nodes[n].get("discreet") for n in interview_nodes)
    company_key = g.graph.get("company_key", "")
    company_label = next((d["label"] for n, d in g.nodes(data=True)
                          if d.get("kind") == "company" and d.get("company_key") == company_key), company_key)
    current_employers = g.graph.get("current_employers", set())
    found: list[_Found] = []
    adj, nodes = g.adj, g.nodes
    # the rounded (score, tie, willing, reach) of a tie strength without bridges: thousands of
    # colleagues share a few hundred tie strengths
    plain: dict[tuple[float, bool], tuple[float, float, float, float]] = {}
    for person, edges in adj[owner].items():
        conn = next((e for e in edges.values() if e["kind"] == "connection"), None)
        if conn is None or person in targets:
            continue
        d = nodes[person]
        is_referrer = person in referrers
        if discreet and d.get("company_key") and d["company_key"] in current_employers and not is_referrer:
            continue
        bridges = _bridges(adj[person], targets, nodes, evidence_strength)
        colleague = bool(company_key) and d.get("company_key") == company_key
        if not (bridges or colleague or is_referrer):
            continue
        tie = float(conn["strength"])
        numbers = plain.get((tie, colleague)) if not bridges else None
        if numbers is None:
            score, willing, reach = path_strength(tie, [b[0] for b in bridges.values()], colleague,
                                                  colleague_reach=colleague_reach, scale=scale)
            numbers = (round(score, 4), round(tie, 4), round(willing, 4), round(reach, 4))
            if not bridges and tie > 0.0:  # (0.0 and -0.0 would share a key; NaN is no key)
                plain[(tie, colleague)] = numbers
        ordered = sorted(bridges.items(), key=lambda kv: (-kv[1][0], nodes[kv[0]]["name"]))
        found.append(_Found(person, d, conn.get("facts", {}), is_referrer, colleague, ordered,
                            1.0 if is_referrer else numbers[0], numbers))
    found.sort(key=lambda f: (not f.referrer, -f.score, -f.numbers[1], f.data["name"]))
    if top:
        found = found[:top]
    return [f.candidate(i, now, company_label, explained=explain is None or i <= explain)
            for i, f in enumerate(found, start=1)]


def _bridges(neighbours: Mapping[str, Mapping[Any, Mapping[str, Any]]], targets: Mapping[str, str],
             nodes: Any, strength: Mapping[str, float]) -> dict[str, _Bridge]:
    """The people deciding a person reaches: target node -> (evidence strength, reason, kind, name)."""
    bridges: dict[str, _Bridge] = {}
    for nbr, pedges in neighbours.items():
        if nbr not in targets:
            continue
        for e in pedges.values():
            b = strength.get(e["kind"], 0.0)
            if b > (bridges[nbr][0] if nbr in bridges else 0.0):
                name = nodes[nbr]["name"]
                bridges[nbr] = (b, _EVIDENCE_WORDS[e["kind"]].format(name=name, via=e.get("via", "")), e["kind"], name)
    return bridges


_Bridge = tuple[float, str, str, str]


class _Found:
    """A connection who reaches the interview, before their place (and reasons) are known."""

    __slots__ = ("node", "data", "facts", "referrer", "colleague", "bridges", "score", "numbers")

    def __init__(self, node: str, data: Mapping[str, Any], facts: Mapping[str, Any], referrer: bool, colleague: bool,
                 bridges: list[tuple[str, _Bridge]], score: float,
                 numbers: tuple[float, float, float, float]) -> None:
        self.node, self.data, self.facts, self.referrer, self.colleague = node, data, facts, referrer, colleague
        self.bridges, self.score, self.numbers = bridges, score, numbers

    def candidate(self, rank: int, now: datetime, company_label: str, *, explained: bool) -> Candidate:
        d, facts = self.data, self.facts
        role = "referrer" if self.referrer else "mutual" if self.bridges else "colleague"
        evidence = "referrer" if self.referrer else self.bridges[0][1][2] if self.bridges else "colleague"
        reasons: tuple[str, ...] = ()
        action, weak = "", False
        if explained:
            weak = not self.referrer and is_weak_tie(facts, now)
            words = [b[1] for _, b in self.bridges]
            listed = [f"referred you to {company_label}"] if self.referrer else []
            listed.append(describe_tie(facts, now))
            listed += words
            if self.colleague:
                pos = f" as {d['position']}" if d.get("position") else ""
                listed.append(f"works at {d.get('company') or company_label}{pos}"
                              + ("" if words else " (may know the team)"))
            reasons = tuple(listed)
            action = _action(self.referrer, [b[3] for _, b in self.bridges], weak, company_label,
                             never=tie_history(facts, now) == "never")
        connected = utc_naive(facts.get("connected_on"))
        return Candidate(
            rank=rank, node=self.node, name=d["name"], role=role, evidence=evidence, score=self.score,
            profile_url=d.get("profile_url") or "", company=d.get("company") or "", position=d.get("position") or "",
            email=d.get("email") or "", tie_strength=self.numbers[1], willing=self.numbers[2], reach=self.numbers[3],
            reasons=reasons, bridges_to=tuple(b[3] for _, b in self.bridges),
            bridge_nodes=tuple(t for t, _ in self.bridges),
            action=action, weak_tie=weak, history=tie_history(facts, now),
            connected_year=connected.year if connected else None)


def acted_on(candidates: Sequence[Candidate], touches: Iterable[Touch]) -> list[Candidate]:
    """The candidates with what is left to do once the plan's message to them is sent: the
    referrer thanked, a back channel written to. (The ranking says what to do; the plan knows
    what was done.)

    >>> from datetime import datetime, timezone
    >>> c = Candidate(rank=1, node="person:7", name="Chris Lee", role="referrer", evidence="referrer", score=1.0,
    ...               action="Thank them today")
    >>> t = Touch(id="a/referrer-thanks/chris-lee", interview="a", kind="referrer-thanks", person="Chris Lee",
    ...           person_slug="chris-lee", role="referrer", due_from=None, due_by=None, status="done",
    ...           done_at=datetime(2026, 11, 24, tzinfo=timezone.utc), node="person:7")
    >>> acted_on([c], [t])[0].action
    'You thanked them; tell them how it turns out when you hear'
    """
    done = {t.node: t.kind for t in touches if t.done_at is not None and t.node
            and t.kind in ("referrer-thanks", "back-channel")}
    out = []
    for c in candidates:
        kind = done.get(c.node)
        if kind == "referrer-thanks" and c.referrer:
            c = replace(c, action="You thanked them; tell them how it turns out when you hear")
        elif kind == "back-channel" and not c.referrer:
            c = replace(c, action="You wrote to them; thank them if they put in a word, and tell them how it "
                                  "turns out")
        out.append(c)
    return out


def _action(is_referrer: bool, bridges: list[str], weak: bool, company: str, *, never: bool = False) -> str:
    if is_referrer:
        return "Thank them today: say how it went, who you met, and when you expect to hear"
    if never:  # someone you never wrote to is not asked to vouch for you
        return "Introduce yourself (you have never exchanged a message) and ask for nothing yet"
    if bridges:
        names = " and ".join(bridges) if len(bridges) <= 2 else ", ".join(bridges[:-1]) + " and " + bridges[-1]
        ask = f"tell them you interviewed with {names}; a good word from them would carry"
    else:
        ask = f"tell them you interviewed at {company} and ask what the team is like"
    if weak:
        return "Reintroduce yourself first (you have not been in touch), then " + ask
    return ask[0].upper() + ask[1:]


def reconnect_candidates(g: nx.MultiGraph, now: datetime, *, top: int = 10, quiet_days: int = 365,
                         past_employers: Mapping[str, str] | None = None,
                         tenures: Mapping[str, list[tuple[datetime, datetime | None]]] | None = None
                         ) -> list[dict[str, Any]]:
    """Dormant strong ties: a strong history, then a long silence.

    ``past_employers`` maps company keys you worked at (Positions.csv) to their names: someone
    now at a company where you worked has a reason to hear from you. ``tenures`` (company key ->
    your spells there) tell when your last messages date from when you both worked there.
    """
    now = utc_naive(now) or now
    owner = g.graph.get("owner")
    rows: list[dict[str, Any]] = []
    if owner is None:
        return rows
    past_employers = past_employers or {}
    current = g.graph.get("current_employers", set())
    for person, edges in g[owner].items():
        conn = next((e for e in edges.values() if e["kind"] == "connection"), None)
        if conn is None:
            continue
        facts = conn.get("facts", {})
        last = utc_naive(facts.get("last_message"))
        history = float(conn.get("history", 0.0))
        if last is None or (now - last).days < quiet_days or history < 0.2:
            continue
        years = (now - last).days / 365.25
        dormancy = min(years / 3, 1.0)
        score = round(history * (0.5 + 0.5 * dormancy), 4)
        d = g.nodes[person]
        reasons = describe_history(facts, now)
        reasons.append(f"quiet for {years:.1f} years")
        same = bool(d.get("company_key")) and d.get("company_key") in current
        shared = "" if same else past_employers.get(d.get("company_key", ""), "")
        together = not same and any(start <= last and (end is None or last <= end)
                       for start, end in (tenures or {}).get(d.get("company_key", ""), []))
        if d.get("company"):
            reasons.append(f"now at {d['company']}" + (f" as {d['position']}" if d.get("position") else "")
                           + (", where you work too" if same else ", where you worked too" if shared else ""))
        rows.append({"node": person, "name": d["name"], "profile_url": d.get("profile_url", ""),
                     "company": d.get("company", ""), "position": d.get("position", ""), "score": score,
                     "last_message": last.date().isoformat(), "reasons": reasons, "shared_employer": shared,
                     "same_employer": same, "worked_together": together,
                     "action": "Send a short personal note about something you shared; no ask yet"})
    rows.sort(key=lambda r: (-r["score"], r["name"]))
    rows = rows[:top]
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows
