"""Tie strength and ranking on tiny hand-worked graphs, then through the real workspace."""

from __future__ import annotations

import math
from datetime import datetime

import networkx as nx
import pytest
from conftest import INTERVIEW_ID, NOW, PREAMBLE, write

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.errors import NotFoundError
from backchannel.rank import rank_candidates
from backchannel.ties import TIE_WEIGHTS, tie_strength

T0 = datetime(2026, 11, 1)


def test_tie_weights_sum_to_one():
    assert math.isclose(sum(TIE_WEIGHTS.values()), 1.0)


def test_tie_strength_worked_example():
    # 8 sent, 8 received: e = 2*8 = 16 -> intensity 1 - e^-1 = 0.632; last message a month ago -> recency 1
    # connected 4 years -> duration 0.5; messages 0.40*0.632 + duration 0.12*0.5 = 0.3129
    t = tie_strength({"messages_sent": 8, "messages_received": 8, "last_message": "2026-10-01T00:00:00",
                      "connected_on": "2022-11-01T00:00:00"}, T0)
    assert t.components["messages"] == pytest.approx(1 - math.exp(-1))
    assert t.value == pytest.approx(0.40 * (1 - math.exp(-1)) + 0.12 * (1461 / 365.25 / 8), abs=1e-4)


def test_one_way_messages_count_little():
    two_way = tie_strength({"messages_sent": 5, "messages_received": 5, "last_message": "2026-10-01"}, T0)
    one_way = tie_strength({"messages_sent": 10, "messages_received": 0, "last_message": "2026-10-01"}, T0)
    # e = 10 versus e = 2.5
    assert one_way.components["messages"] == pytest.approx(1 - math.exp(-2.5 / 16))
    assert two_way.value > 3 * one_way.value


def test_recency_decays_linearly_to_a_floor():
    recent = tie_strength({"messages_sent": 8, "messages_received": 8, "last_message": "2026-09-01"}, T0)
    old = tie_strength({"messages_sent": 8, "messages_received": 8, "last_message": "2024-11-01"}, T0)
    ancient = tie_strength({"messages_sent": 8, "messages_received": 8, "last_message": "2016-11-01"}, T0)
    assert recent.value > old.value > ancient.value > 0
    # history ignores recency: the same strength as it was
    assert recent.history == pytest.approx(ancient.history)
    assert ancient.components["messages"] == pytest.approx(0.1 * (1 - math.exp(-1)))


def test_recommendation_note_endorsements_and_shared_employer_all_count():
    base = tie_strength({}, T0).value
    assert base == 0
    assert tie_strength({"recommendations_received": 1}, T0).value == pytest.approx(0.15)
    assert tie_strength({"invitation_note": 1}, T0).value == pytest.approx(0.05)
    assert tie_strength({"endorsements_given": 3}, T0).value == pytest.approx(0.08 * (1 - math.exp(-1)), abs=1e-4)
    assert tie_strength({}, T0, shared_employer=True).value == pytest.approx(0.10)


def test_weights_can_be_overridden():
    t = tie_strength({"recommendations_received": 1}, T0, weights={"recommendation": 2.0})
    assert t.value == pytest.approx(2.0 / 2.85, abs=1e-4)


# ---------------------------------------------------------------- hand-worked ranking graphs


def _graph(people: dict[str, dict], *, discreet=False, current=frozenset()) -> nx.MultiGraph:
    """people: name -> {strength, company, role, mutual_of, co_thread_with}"""
    g = nx.MultiGraph(owner="owner:1", company_key="acme", current_employers=set(current))
    g.add_node("owner:1", kind="owner", name="Me")
    g.add_node("interview:x", kind="interview", name="x", discreet=discreet)
    g.add_node("company:acme", kind="company", label="Acme", company_key="acme")
    for name, p in people.items():
        n = f"person:{name}"
        key = p.get("company", "").lower()
        g.add_node(n, kind="person", name=name, company=p.get("company", ""), company_key=key, position="")
        if "strength" in p:
            g.add_edge("owner:1", n, kind="connection", strength=p["strength"], facts={})
        if p.get("role") == "referrer":
            g.add_edge(n, "interview:x", kind="referred")
        elif p.get("role"):
            g.add_edge(n, "interview:x", kind="interviews_for", role=p["role"])
    for name, p in people.items():
        for other in p.get("mutual_of", []):
            g.add_edge(f"person:{name}", f"person:{other}", kind="mutual")
        for other in p.get("co_thread_with", []):
            g.add_edge(f"person:{name}", f"person:{other}", kind="co_thread", threads=1)
    return g


def _names(rows):
    return [r.name for r in rows]


def test_referrer_ranks_first_even_when_weakly_tied():
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme", "strength": 0.5},
        "Ref": {"role": "referrer", "strength": 0.01},
        "Mutual": {"strength": 0.9, "mutual_of": ["Jane"], "company": "Acme"},
    })
    rows = rank_candidates(g, T0)
    assert _names(rows) == ["Ref", "Mutual"]
    assert rows[0].score == 1.0 and "referred you to Acme" in rows[0].reasons


def test_mutual_of_an_interviewer_beats_a_mere_colleague():
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme"},
        "Mutual": {"strength": 0.3, "mutual_of": ["Jane"]},
        "Colleague": {"strength": 0.3, "company": "Acme"},
    })
    rows = rank_candidates(g, T0)
    # willing = 1 - exp(-0.3/0.2) = 0.7769; reach 1.0 for a stated mutual, 0.5 for a colleague
    assert [(r.name, r.score) for r in rows] == [("Mutual", 0.7769), ("Colleague", 0.3884)]
    assert rows[0].bridges_to == ("Jane",) and "to Jane: mutual connection" in rows[0].reasons
    assert rows[1].bridges_to == () and "works at Acme (may know the team)" in rows[1].reasons


def test_the_spec_ordering_strong_mutual_then_strong_colleague_then_silent_mutual():
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme"},
        "Silent mutual": {"strength": 0.05, "mutual_of": ["Jane"]},  # never exchanged a message
        "Strong colleague": {"strength": 0.5, "company": "Acme"},
        "Strong mutual": {"strength": 0.5, "mutual_of": ["Jane"]},
    })
    rows = rank_candidates(g, T0)
    assert _names(rows) == ["Strong mutual", "Strong colleague", "Silent mutual"]
    assert [r.score for r in rows] == [0.9179, 0.459, 0.2212]  # a weak half caps the path


def test_an_engineering_manager_who_wrote_lately_beats_two_silent_mutuals():
    """The case from the field: two stated mutuals never written to ranked above a colleague at
    the company who recommended the candidate and wrote two weeks ago."""
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme"},
        "Silent A": {"strength": 0.04, "mutual_of": ["Jane"]},
        "Silent B": {"strength": 0.06, "mutual_of": ["Jane"]},
        "Manager": {"strength": 0.28, "company": "Acme"},  # recommended them, 4 recent messages
    })
    assert _names(rank_candidates(g, T0))[0] == "Manager"


def test_stronger_tie_wins_between_otherwise_equal_connections():
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme"},
        "Weak": {"strength": 0.1, "mutual_of": ["Jane"]},
        "Strong": {"strength": 0.6, "mutual_of": ["Jane"]},
    })
    assert _names(rank_candidates(g, T0)) == ["Strong", "Weak"]


def test_bridges_to_several_interviewers_add_up():
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme"},
        "Sam": {"role": "hiring-manager", "company": "Acme"},
        "Both": {"strength": 0.2, "mutual_of": ["Jane"], "co_thread_with": ["Sam"]},
        "One": {"strength": 0.2, "mutual_of": ["Jane"]},
    })
    rows = rank_candidates(g, T0)
    assert _names(rows) == ["Both", "One"]
    assert sorted(rows[0].bridges_to) == ["Jane", "Sam"]


def test_interviewers_recruiters_and_hiring_managers_are_never_candidates():
    g = _graph({
        "Jane": {"role": "interviewer", "company": "Acme", "strength": 0.9},
        "Sam": {"role": "hiring-manager", "company": "Acme", "strength": 0.9, "mutual_of": ["Jane"]},
        "Priya": {"role": "recruiter", "company": "Acme", "strength": 0.9},
        "Colleague": {"strength": 0.1, "company": "Acme"},
    })
    assert _names(rank_candidates(g, T0)) == ["Colleague"]


def test_discreet_interview_hides_people_at_your_current_employer():
    people = {
        "Jane": {"role": "interviewer", "company": "Acme"},
        "Boss": {"strength": 0.9, "company": "Globex", "mutual_of": ["Jane"]},
        "Friend": {"strength": 0.2, "company": "Hooli", "mutual_of": ["Jane"]},
    }
    assert _names(rank_candidates(_graph(people, current={"globex"}), T0)) == ["Boss", "Friend"]
    assert _names(rank_candidates(_graph(people, discreet=True, current={"globex"}), T0)) == ["Friend"]


# ---------------------------------------------------------------- through the workspace


def test_rank_on_the_sample(app):
    rows = list(app.rank(INTERVIEW_ID))
    assert rows[0].name == "Chris Lee" and rows[0].reasons[0] == "referred you to Acme Corp."
    omar = next(r for r in rows if r.name == "Omar Haddad")
    assert "to Jane Roe: mutual connection" in omar.reasons
    assert omar.reasons[0].startswith("you: 31 messages, the last 6 weeks ago")  # both halves of the path
    assert omar.evidence == "mutual" and not omar.weak_tie
    names = _names(rows)
    assert {"Jane Roe", "Sam Patel", "Priya Nair"}.isdisjoint(names)
    # discreet: nobody at the owner's current employer (Globex)
    assert all(r.company != "Globex" for r in rows)
    assert all(0 <= r.score <= 1 for r in rows)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_company_variants_match_and_company_ranking(app):
    by_interview = {r.name for r in list(app.rank(INTERVIEW_ID)) if "works at" in " ".join(r.reasons)}
    for spelling in ("ACME Corp.", "Acme Corporation", "acme"):
        rows = list(app.rank(company=spelling))
        assert {r.company for r in rows if not r.bridges_to or "works at" in " ".join(r.reasons)} <= {
            "Acme Corp.", "ACME Corporation", "Acme"}
        assert by_interview <= {r.name for r in rows}


def test_unknown_interview_and_empty_company(app):
    with pytest.raises(NotFoundError, match="unknown interview 'nope'"):
        app.rank("nope")
    assert list(app.rank(company="Nonexistent Widgets")) == []


def test_weights_from_config(tmp_path, sample_zip, sample_interviews):
    config = tmp_path / "config.toml"
    config.write_text('[ranking]\nmutual = 0.0\nco_thread = 0.0\nsecond_degree = 0.0\ncolleague = 1.0\n')
    with Backchannel(tmp_path / "ws.sqlite", config=config) as app:
        app.import_linkedin(sample_zip)
        app.import_interviews(sample_interviews)
        rows = list(app.rank(INTERVIEW_ID))
        # evidence counts for nothing under these weights: only people at the company reach anyone
        assert "Omar Haddad" not in {r.name for r in rows}
        assert all(r.reach == 1.0 for r in rows if not r.referrer)


def test_company_aliases_from_config(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[companies.aliases]\n"Alphabet" = "Google"\n')
    path = write(tmp_path / "Connections.csv", PREAMBLE + "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 "Ann,Alpha,https://www.linkedin.com/in/ann,,Alphabet Inc.,Engineer,05 Jun 2024\n"
                 "Gus,Goo,https://www.linkedin.com/in/gus,,Google,Engineer,05 Jun 2024\n")
    with Backchannel(tmp_path / "ws.sqlite", config=config) as app:
        app.import_linkedin(path)
        assert {r.name for r in app.rank(company="Google LLC")} == {"Ann Alpha", "Gus Goo"}


def test_second_degree_from_another_owners_export(tmp_path, sample_zip, sample_interviews):
    # Dana's own export shows her connected to Sam Patel, the hiring manager
    dana = write(tmp_path / "dana" / "Connections.csv", PREAMBLE +
                 "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 "Sam,Patel,https://www.linkedin.com/in/sam-patel-2f9,,Acme,Director,05 Jun 2024\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(sample_zip)
        app.import_linkedin(dana, owner="Lena Schmidt")
        app.import_interviews(sample_interviews)
        lena = next(r for r in list(app.rank(INTERVIEW_ID)) if r.name == "Lena Schmidt")
        assert "Sam Patel" in lena.bridges_to
        assert "to Sam Patel: connected (from Lena Schmidt's export)" in lena.reasons


def test_reconnect_finds_dormant_strong_ties(app):
    rows = app.reconnect(top=5).to_records()
    assert rows[0]["name"] == "José Pérez"
    assert any(r.startswith("quiet for") for r in rows[0]["reasons"])
    for r in rows:
        assert (NOW.replace(tzinfo=None) - datetime.fromisoformat(r["last_message"])).days >= 365


def test_a_focus_graph_has_no_edge_twice(app):
    """A person in several group threads with the interview's people joins the graph once."""
    g = app.graph(interview=INTERVIEW_ID)
    seen = set()
    for u, v, d in g.edges(data=True):
        key = (frozenset((u, v)), d["kind"], d.get("via"), d.get("role"))
        assert key not in seen, key
        seen.add(key)
