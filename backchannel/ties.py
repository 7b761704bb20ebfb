"""Tie strength: one documented formula, a value in [0, 1] from the export's signals.

    strength = sum(weight[k] * component[k])            (the weights sum to 1)

components, each in [0, 1]:

``messages``
    ``intensity * recency``. Intensity counts *reciprocated* messages:
    ``e = 2 * min(sent, received) + 0.25 * |sent - received|`` and ``intensity = 1 - exp(-e / 16)``,
    so one-way contact (mail merges, cold InMail) is worth little. Recency is 1 while the last
    message is at most 180 days old, then decays linearly to 0.1 at four years (commercial
    relationship scores decay reciprocated contact linearly over years in the same way).
``recommendation``
    1 if either of you recommended the other.
``endorsements``
    ``1 - exp(-(given + received) / 3)``.
``invitation_note``
    1 if the invitation that connected you carried a personal note.
``duration``
    connection age in years / 8, capped at 1.
``shared_employer``
    1 if they work now at a company you work or worked at (from Positions.csv).
``group_threads``
    shared group conversations / 3, capped at 1 (structure: you move in the same circles).

Recency and intensity of contact are the strongest predictors of tie strength in the
research on social-media ties, hence the largest weight. ``history`` is the same formula
with recency fixed at 1: how strong the tie *was*, which ``reconnect`` compares with now.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .times import human_ago, utc_naive

__all__ = ["TIE_WEIGHTS", "TieStrength", "tie_strength", "tie_strengths", "describe_history", "describe_tie",
           "is_weak_tie", "tie_history", "WEAK_TIE_QUIET_DAYS"]

#: without a reciprocated exchange in this many days (and no recommendation), a tie is weak:
#: the candidate should reintroduce themselves before asking for anything
WEAK_TIE_QUIET_DAYS = 730

TIE_WEIGHTS: dict[str, float] = {
    "messages": 0.40,
    "recommendation": 0.15,
    "endorsements": 0.08,
    "invitation_note": 0.05,
    "duration": 0.12,
    "shared_employer": 0.10,
    "group_threads": 0.10,
}


_DEFAULT_TOTAL = sum(TIE_WEIGHTS.values())
# a row's facts as tie_strengths reads them: the first seven decide everything but the messages
TIE_FIELDS = ("recommendations_received", "recommendations_given", "endorsements_received", "endorsements_given",
              "invitation_note", "connected_on", "group_conversations", "messages_sent", "messages_received",
              "last_message")


@dataclass(frozen=True)
class TieStrength:
    value: float
    history: float
    components: dict[str, float]


def _recency(days: float) -> float:
    if days <= 180:
        return 1.0
    return max(0.1, 1.0 - 0.9 * (days - 180) / (4 * 365 - 180))


def _weights(weights: Mapping[str, float] | None) -> tuple[Mapping[str, float], float]:
    """The weights with the config's over the defaults (unknown names ignored), and their sum."""
    if not weights:
        return TIE_WEIGHTS, _DEFAULT_TOTAL
    w = dict(TIE_WEIGHTS)
    w.update({k: float(v) for k, v in weights.items() if k in w})
    return w, sum(w.values()) or 1.0


def tie_strength(facts: Mapping, now: datetime, *, shared_employer: bool = False,
                 weights: Mapping[str, float] | None = None) -> TieStrength:
    """Tie strength of the owner with one connection.

    ``facts`` has the interaction columns of the workspace (missing ones count as zero).

    >>> from datetime import datetime, timezone
    >>> now = datetime(2026, 11, 1)
    >>> t = tie_strength({"messages_sent": 8, "messages_received": 8,
    ...                   "last_message": "2026-10-01T00:00:00",
    ...                   "connected_on": "2022-11-01T00:00:00"}, now)
    >>> round(t.components["messages"], 3), round(t.value, 3)
    (0.632, 0.313)
    """
    w, total_weight = _weights(weights)
    sent = int(facts.get("messages_sent") or 0)
    received = int(facts.get("messages_received") or 0)
    effective = 2 * min(sent, received) + 0.25 * abs(sent - received)
    intensity = 1 - math.exp(-effective / 16)
    last = utc_naive(facts.get("last_message"))
    recency = _recency((now - last).days) if last else 0.0
    connected = utc_naive(facts.get("connected_on"))
    years = max(0.0, (now - connected).days / 365.25) if connected else 0.0
    endorsements = int(facts.get("endorsements_received") or 0) + int(facts.get("endorsements_given") or 0)
    recs = int(facts.get("recommendations_received") or 0) + int(facts.get("recommendations_given") or 0)
    components = {
        "messages": intensity * recency,
        "recommendation": 1.0 if recs else 0.0,
        "endorsements": 1 - math.exp(-endorsements / 3),
        "invitation_note": 1.0 if facts.get("invitation_note") else 0.0,
        "duration": min(years / 8, 1.0),
        "shared_employer": 1.0 if shared_employer else 0.0,
        "group_threads": min(int(facts.get("group_conversations") or 0) / 3, 1.0),
    }
    value = (w["messages"] * components["messages"] + w["recommendation"] * components["recommendation"]
             + w["endorsements"] * components["endorsements"] + w["invitation_note"] * components["invitation_note"]
             + w["duration"] * components["duration"] + w["shared_employer"] * components["shared_employer"]
             + w["group_threads"] * components["group_threads"]) / total_weight
    history = value + w["messages"] * (intensity - components["messages"]) / total_weight
    return TieStrength(round(min(max(value, 0.0), 1.0), 4), round(min(max(history, 0.0), 1.0), 4), components)


def tie_strengths(rows: Sequence[Any], now: datetime, shared_employer: Sequence[bool], *,
                  weights: Mapping[str, float] | None = None,
                  fields_of: Callable[[Any], tuple[Any, ...]] | None = None) -> list[tuple[float, float]]:
    """(strength, history) for many connections at once: :func:`tie_strength`'s formula, row
    by row at LinkedIn's cap of 30,000. Rows are mappings, or what ``fields_of`` reads the facts of
    :data:`TIE_FIELDS` from (in that order), such as tuples and an ``itemgetter`` of their places.

    >>> row = {"messages_sent": 8, "messages_received": 8, "last_message": "2026-10-01T00:00:00"}
    >>> now = datetime(2026, 11, 1)
    >>> tie_strengths([row], now, [False])[0] == (tie_strength(row, now).value, tie_strength(row, now).history)
    True
    """
    w, total = _weights(weights)
    wm, wr, we, wi, wd, ws, wg = (w[k] / total for k in ("messages", "recommendation", "endorsements",
                                                           "invitation_note", "duration", "shared_employer",
                                                           "group_threads"))
    exp = math.exp
    # The inputs repeat across thousands of rows (dates, counts; most people were never messaged),
    # so each term is worked out once per distinct value, with the same operations in the same
    # order as above (the same floats), and a row's fields are read in one C call: three times
    # faster at 30,000 connections.
    rests: tuple[dict[tuple[Any, ...], float], dict[tuple[Any, ...], float]] = ({}, {})
    never_messaged: tuple[dict[tuple[Any, ...], tuple[float, float]], ...] = ({}, {})
    intensities: dict[tuple[Any, Any], float] = {}
    recencies: dict[object, float] = {}
    durations: dict[object, float] = {}

    def rest_of(key: tuple[Any, ...], shared: bool) -> float:
        recs_received, recs_given, endorsed, endorsing, note, connected_on, groups = key
        recs = (recs_received or 0) + (recs_given or 0)
        endorsements = (endorsed or 0) + (endorsing or 0)
        if connected_on not in durations:
            connected = utc_naive(connected_on)
            years = max(0.0, (now - connected).days / 365.25) if connected else 0.0
            durations[connected_on] = min(years / 8, 1.0)
        rests[shared][key] = rest = (
            wr * (1.0 if recs else 0.0) + we * (1 - exp(-endorsements / 3) if endorsements else 0.0)
            + wi * (1.0 if note else 0.0) + wd * durations[connected_on]
            + ws * (1.0 if shared else 0.0) + wg * min((groups or 0) / 3, 1.0))
        return rest

    fields = fields_of or operator.itemgetter(*TIE_FIELDS)
    out: list[tuple[float, float]] = []
    append = out.append
    for row, shared_flag in zip(rows, shared_employer, strict=True):
        shared = bool(shared_flag)
        try:
            values = fields(row)
        except KeyError:  # a partial row: missing facts count as zero
            values = tuple(row.get(f) for f in TIE_FIELDS)
        key, sent, received = values[:7], values[7] or 0, values[8] or 0
        if not (sent or received):  # strength and history are both the rest
            pair = never_messaged[shared].get(key)
            if pair is None:
                rest = rests[shared].get(key)
                if rest is None:
                    rest = rest_of(key, shared)
                value = round(min(max(wm * 0.0 + rest, 0.0), 1.0), 4)  # as below, with intensity 0
                pair = never_messaged[shared][key] = (value, value)
            append(pair)
            continue
        rest = rests[shared].get(key)
        if rest is None:
            rest = rest_of(key, shared)
        intensity = intensities.get((sent, received))
        if intensity is None:
            intensity = intensities[(sent, received)] = 1 - exp(-(2 * min(sent, received)
                                                                  + 0.25 * abs(sent - received)) / 16)
        last_message = values[9]
        recency = recencies.get(last_message)
        if recency is None:
            last = utc_naive(last_message)
            recency = recencies[last_message] = _recency((now - last).days) if last else 0.0
        value = wm * intensity * recency + rest
        history = wm * intensity + rest
        # round(min(max(v, 0.0), 1.0), 4): the conditions are what max and min decide (NaN included)
        append((round(0.0 if value < 0.0 else 1.0 if value > 1.0 else value, 4),
                round(0.0 if history < 0.0 else 1.0 if history > 1.0 else history, 4)))
    return out


def is_weak_tie(facts: Mapping, now: datetime) -> bool:
    """No reciprocated exchange in the last two years and no recommendation either way:
    the candidate should reintroduce themselves before asking for anything.

    >>> is_weak_tie({"messages_sent": 3, "messages_received": 0}, datetime(2026, 1, 1))
    True
    """
    if int(facts.get("recommendations_received") or 0) or int(facts.get("recommendations_given") or 0):
        return False
    sent = int(facts.get("messages_sent") or 0)
    received = int(facts.get("messages_received") or 0)
    last = utc_naive(facts.get("last_message"))
    return not (sent and received and last and (now - last).days <= WEAK_TIE_QUIET_DAYS)


def tie_history(facts: Mapping, now: datetime) -> str:
    """Your history with a connection in one word, for the drafts: ``never`` (no message either
    way), ``dormant`` (a weak tie, :func:`is_weak_tie`, or a year without a message) or ``recent``.

    >>> tie_history({}, datetime(2026, 1, 1)), tie_history({"messages_sent": 2}, datetime(2026, 1, 1))
    ('never', 'dormant')
    """
    if not int(facts.get("messages_sent") or 0) + int(facts.get("messages_received") or 0):
        return "never"
    last = utc_naive(facts.get("last_message"))
    quiet = last is None or (now - last).days > 365  # a year of silence: say hello before anything else
    return "dormant" if quiet or is_weak_tie(facts, now) else "recent"


def describe_tie(facts: Mapping, now: datetime) -> str:
    """The candidate's side of a path in one line: ``you: 24 messages, the last 3 weeks ago;
    they recommended you``.

    >>> describe_tie({"connected_on": "2019-05-01"}, datetime(2026, 11, 1))
    'you: connected since 2019, no messages yet'
    """
    parts = describe_history(facts, now)
    if parts and parts[0].startswith("you exchanged "):
        parts[0] = parts[0][len("you exchanged "):]
    if not any(p[0].isdigit() and "message" in p for p in parts[:1]):
        connected = utc_naive(facts.get("connected_on"))
        parts.insert(0, f"connected since {connected.year}, no messages yet" if connected else "no messages yet")
    return "you: " + "; ".join(parts)


def describe_history(facts: Mapping, now: datetime) -> list[str]:
    """Plain sentences about the history of a tie, for reasons."""
    out = []
    sent = int(facts.get("messages_sent") or 0)
    received = int(facts.get("messages_received") or 0)
    last = utc_naive(facts.get("last_message"))
    if sent + received:
        text = f"you exchanged {sent + received} message{'s' if sent + received != 1 else ''}"
        if last:
            text += f", the last {human_ago(last, now)}"
        if sent and not received:
            text += " (all from you)"
        elif received and not sent:
            text += " (all from them)"
        out.append(text)
    if int(facts.get("recommendations_received") or 0):
        out.append("they recommended you")
    if int(facts.get("recommendations_given") or 0):
        out.append("you recommended them")
    endorsements = int(facts.get("endorsements_received") or 0) + int(facts.get("endorsements_given") or 0)
    if endorsements:
        out.append(f"{endorsements} endorsement{'s' if endorsements != 1 else ''} between you")
    groups = int(facts.get("group_conversations") or 0)
    if groups:
        out.append(f"in {groups} group conversation{'s' if groups != 1 else ''} with you")
    return out
