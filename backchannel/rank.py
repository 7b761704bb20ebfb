"""Back-channel ranking: who can carry a good word to the people deciding, and why.

For an interview, the *targets* are its interviewers, hiring manager and recruiter. Each of
your first-degree connections gets

    score = w_bridge * B + w_company * C + w_tie * T        (weights sum to 1; score in [0, 1])

``B`` (bridge)
    how surely they reach the targets: ``1 - prod(1 - b_t)`` over targets, with ``b_t`` = 1.0
    for a recorded mutual connection of target t, 0.9 when another owner's export shows them
    connected, and 0.8 for a shared group conversation.
``C`` (colleague)
    1 if they work at the hiring company now (they can ask around, but know no one in particular).
``T`` (tie)
    your tie strength with them (ties.py).

The referrer of the interview, when a first-degree connection, gets 1.0 and ranks first:
thanking them re-invests them in your candidacy. Interviewers, hiring managers and
recruiters are never candidates. In a discreet interview, nobody at your current
employer is suggested.

Which effect this relies on: a back channel to a specific interviewer works through people
who will speak up for you, so the tie term rewards *strong* ties (recent, reciprocated
contact). Research on LinkedIn's own data found that moderately weak ties carry the most
job mobility overall; that effect is what ``reconnect`` surfaces, not this ranking.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote

import networkx as nx

from .interviews import DECISION_ROLES
from .ties import describe_history, parse_stamp

__all__ = ["RANK_WEIGHTS", "BRIDGE_STRENGTH", "rank_candidates", "reconnect_candidates", "people_search_link"]

RANK_WEIGHTS: dict[str, float] = {"bridge": 0.5, "company": 0.25, "tie": 0.25}
BRIDGE_STRENGTH: dict[str, float] = {"mutual": 1.0, "second_degree": 0.9, "co_thread": 0.8}
_BRIDGE_WORDS = {
    "mutual": "knows {name} (mutual connection)",
    "second_degree": "is connected to {name} (from {via}'s export)",
    "co_thread": "was in a group conversation with {name}",
}


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
                    discreet: bool | None = None, top: int | None = None) -> list[dict]:
    """Rank the owner's first-degree connections in a focus graph (see ``graph.focus_graph``)."""
    w = {**RANK_WEIGHTS, **(weights or {})}
    total = sum(w.values()) or 1.0
    now = now.replace(tzinfo=None)
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
    rows = []
    for person, edges in g[owner].items():
        conn = next((e for e in edges.values() if e["kind"] == "connection"), None)
        if conn is None or person in targets:
            continue
        d = g.nodes[person]
        if discreet and d.get("company_key") and d["company_key"] in current_employers:
            continue
        bridges: dict[str, tuple[float, str]] = {}
        for nbr, pedges in g[person].items():
            if nbr not in targets:
                continue
            for e in pedges.values():
                b = BRIDGE_STRENGTH.get(e["kind"], 0.0)
                if b > bridges.get(nbr, (0.0, ""))[0]:
                    text = _BRIDGE_WORDS[e["kind"]].format(name=g.nodes[nbr]["name"], via=e.get("via", ""))
                    bridges[nbr] = (b, text)
        missing = 1.0
        for b, _ in bridges.values():
            missing *= 1 - b
        bridge = 1 - missing
        colleague = 1.0 if company_key and d.get("company_key") == company_key else 0.0
        tie = float(conn["strength"])
        is_referrer = person in referrers
        if not (bridge or colleague or is_referrer):
            continue
        score = 1.0 if is_referrer else (w["bridge"] * bridge + w["company"] * colleague + w["tie"] * tie) / total
        reasons = []
        if is_referrer:
            reasons.append(f"referred you to {company_label}")
        reasons += [text for _, text in sorted(bridges.values(), key=lambda x: -x[0])]
        if colleague:
            pos = f" as {d['position']}" if d.get("position") else ""
            reasons.append(f"works at {d.get('company') or company_label}{pos}")
        facts = conn.get("facts", {})
        reasons += describe_history(facts, now)
        connected = parse_stamp(conn.get("connected_on"))
        if connected and not facts.get("messages_sent") and not facts.get("messages_received"):
            reasons.append(f"connected since {connected.year}, no messages yet")
        bridges_to = [g.nodes[t]["name"] for t in bridges]
        if colleague:
            bridges_to += [g.nodes[t]["name"] for t in targets if t not in bridges
                           and g.nodes[t].get("company_key") == company_key]
        rows.append({
            "node": person,
            "name": d["name"],
            "profile_url": d.get("profile_url", ""),
            "company": d.get("company", ""),
            "position": d.get("position", ""),
            "score": round(score, 4),
            "tie_strength": round(tie, 4),
            "reasons": reasons,
            "bridges_to": bridges_to,
            "action": _action(is_referrer, bridges, g, colleague, tie, company_label),
            "referrer": is_referrer,
            "bridge": round(bridge, 4),
        })
    rows.sort(key=lambda r: (not r["referrer"], -r["score"], -r["tie_strength"], r["name"]))
    if top:
        rows = rows[:top]
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def _action(is_referrer, bridges, g, colleague, tie, company) -> str:
    if is_referrer:
        return "Thank them today, tell them how the interview went and when you expect to hear back"
    warm = "" if tie >= 0.15 else "Reconnect first (it has been quiet), then "
    if bridges:
        names = ", ".join(g.nodes[t]["name"] for t in bridges)
        text = f"let them know you interviewed with {names}; a good word from them would carry"
    else:
        text = f"tell them you interviewed at {company} and ask what the team is like"
    text = (warm + text) if warm else text[0].upper() + text[1:]
    return text


def reconnect_candidates(g: nx.MultiGraph, now: datetime, *, top: int = 10, quiet_days: int = 365) -> list[dict]:
    """Dormant strong ties: a strong history, then a long silence (see the ranking docstring)."""
    now = now.replace(tzinfo=None)
    owner = g.graph.get("owner")
    rows = []
    if owner is None:
        return rows
    for person, edges in g[owner].items():
        conn = next((e for e in edges.values() if e["kind"] == "connection"), None)
        if conn is None:
            continue
        facts = conn.get("facts", {})
        last = parse_stamp(facts.get("last_message"))
        history = float(conn.get("history", 0.0))
        if last is None or (now - last).days < quiet_days or history < 0.2:
            continue
        years = (now - last).days / 365.25
        dormancy = min(years / 3, 1.0)
        score = round(history * (0.5 + 0.5 * dormancy), 4)
        d = g.nodes[person]
        reasons = describe_history(facts, now)
        reasons.append(f"quiet for {years:.1f} years")
        if d.get("company"):
            reasons.append(f"now at {d['company']}" + (f" as {d['position']}" if d.get("position") else ""))
        rows.append({"name": d["name"], "profile_url": d.get("profile_url", ""), "company": d.get("company", ""),
                     "position": d.get("position", ""), "score": score, "last_message": last.date().isoformat(),
                     "reasons": reasons,
                     "action": "Send a short personal note about something you shared; no ask yet"})
    rows.sort(key=lambda r: (-r["score"], r["name"]))
    rows = rows[:top]
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows
