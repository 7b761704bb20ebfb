"""Matching you can trust: the order of imports never changes the answer, a namesake is never
taken for an interviewer, old and new exports merge, and company search is search."""

from __future__ import annotations

import json

import pytest
from conftest import HEADER_2021, HEADER_2024, NOW, PREAMBLE, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.api import Backchannel
from backchannel.config import Config

IV = "acme-corp-2026-11-24"


def _answers(app: Backchannel) -> dict:
    """Everything the advice depends on, without volatile fields."""
    plan = [{k: v for k, v in row.items()} for row in app.plan(at=NOW).to_records()]
    rank = app.rank(IV).to_records()
    matches = app.match_report(*app.workspace.interview_ids()).to_records()
    return {"plan": plan, "rank": [{k: r[k] for k in ("name", "score", "reasons", "bridges_to", "action")}
                                   for r in rank], "matches": matches}


def _import(app: Backchannel, step: str, sample_zip, sample_interviews) -> None:
    if step == "export":
        app.import_linkedin(sample_zip)
    else:
        app.import_interviews(sample_interviews)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["export", "interviews"]), min_size=2, max_size=4).filter(
    lambda steps: {"export", "interviews"} <= set(steps)))
def test_any_import_order_gives_the_same_rankings_plans_and_matches(tmp_path_factory, sample_zip, sample_interviews,
                                                                    steps):
    reference = tmp_path_factory.mktemp("ref") / "ws.sqlite"
    with Backchannel(reference, config=Config()) as app:
        app.import_linkedin(sample_zip)
        app.import_interviews(sample_interviews)
        expected = _answers(app)
    db = tmp_path_factory.mktemp("order") / "ws.sqlite"
    with Backchannel(db, config=Config()) as app:
        for step in steps:
            _import(app, step, sample_zip, sample_interviews)
        assert _answers(app) == expected


def test_interviews_first_then_the_export(tmp_path, sample_zip, sample_interviews):
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        report = app.import_interviews(sample_interviews)
        assert report.no_connections and {m.status for m in report.matches} == {"waiting"}
        app.done(f"{IV}/thank-you-email/jane-roe", at=NOW)  # logged before the export arrives
        summary = app.import_linkedin(sample_zip)
        assert summary.rematched == 4
        rank = app.rank(IV).to_records()
        assert rank[0]["name"] == "Chris Lee" and rank[0]["reasons"][0].startswith("referred you")
        names = {r["name"] for r in rank}
        assert not names & {"Jane Roe", "Sam Patel", "Priya Nair"}  # the people deciding are never candidates
        assert "Omar Haddad" in names and "Marco Rossi, PhD" in names  # the stated mutuals
        plan = {t["id"]: t for t in app.plan(IV, at=NOW).to_records()}
        assert plan[f"{IV}/thank-you-email/jane-roe"]["status"] == "done"  # logged touches keep their ids


def test_the_cli_says_people_wait_for_the_export(tmp_path, sample_interviews):
    from click.testing import CliRunner

    from backchannel.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "ws.sqlite"), "import", "interviews",
                                      str(sample_interviews)])
    assert result.exit_code == 0
    assert "no connections yet: people will be matched when you import your LinkedIn export" in result.output


NAMESAKE_EXPORT = (PREAMBLE + HEADER_2024 +
                   "Dana,Levi,https://www.linkedin.com/in/dana-levi-sales,,Northwind Traders,Sales Executive,05 Jun 2024\n"
                   "Omar,Haddad,https://www.linkedin.com/in/omar-haddad,,Initech,Engineer,05 Jun 2023\n"
                   "Lena,Schmidt,https://www.linkedin.com/in/lena-schmidt,,Acme,Engineer,05 Jun 2022\n")


def test_a_namesake_at_another_company_is_not_the_interviewer(tmp_path):
    export = write(tmp_path / "Connections.csv", NAMESAKE_EXPORT)
    interviews = write(tmp_path / "iv.csv", "company,date,role,name,title,mutuals\n"
                       "Acme,2026-11-24T14:00-05:00,interviewer,Dana Levi,CTO,Omar Haddad\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(export)
        report = app.import_interviews(interviews)
        dana = next(m for m in report.matches if m.name == "Dana Levi")
        assert dana.status == "possible" and dana.detail == ["Dana Levi (Northwind Traders)"]
        assert "add profile_url or email to confirm" in dana.sentence()
        g = app.graph(interview="acme-2026-11-24")
        interviewer = next(n for n, d in g.nodes(data=True) if d.get("roles", {}).get("acme-2026-11-24"))
        assert g.nodes[interviewer]["position"] == "CTO" and g.nodes[interviewer]["company"] == "Acme"
        owner = g.graph["owner"]
        assert not g.has_edge(owner, interviewer)  # no direct tie that does not exist
        # confirmed by address, the match crosses companies (she changed jobs)
        confirmed = write(tmp_path / "iv2.csv", "company,date,role,name,profile_url\n"
                          "Acme,2026-11-24T14:00-05:00,interviewer,Dana Levi,linkedin.com/in/dana-levi-sales/\n")
        report = app.import_interviews(confirmed)
        assert report.matches[0].status == "matched" and report.matches[0].via == "profile address"


def test_the_json_report_lists_every_person(tmp_path):
    from click.testing import CliRunner

    from backchannel.cli import cli

    export = write(tmp_path / "Connections.csv", NAMESAKE_EXPORT)
    interviews = write(tmp_path / "iv.csv", "company,date,role,name,mutuals\n"
                       "Acme,2026-11-24T14:00-05:00,interviewer,Dana Levi,Omar Haddad; Nobody Known\n"
                       "Acme,2026-11-24T14:00-05:00,referrer,Lena Schmidt,\n")
    runner = CliRunner()
    db = str(tmp_path / "ws.sqlite")
    assert runner.invoke(cli, ["--db", db, "import", "linkedin", str(export)]).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "import", "interviews", str(interviews), "--format", "json"])
    rows = json.loads(result.output)
    assert [(r["name"], r["status"], r["via"]) for r in rows] == [
        ("Dana Levi", "possible", None), ("Omar Haddad", "matched", "name"), ("Nobody Known", "unmatched", None),
        ("Lena Schmidt", "matched", "name and company")]


def test_old_then_new_export_merge_by_email_and_by_name_and_company(tmp_path):
    old = write(tmp_path / "old" / "Connections.csv", HEADER_2021 +
                "Jane,Roe,jane@example.com,Initech,Engineer,05 Jun 2018\n"  # email: merges though the company moved
                "Omar,Haddad,,Acme,Engineer,05 Jun 2019\n"  # name and company
                "Ana,Kim,,Acme,Engineer,05 Jun 2019\n"  # two Ana Kims at Acme: stays apart
                "Ana,Kim,,Acme,Designer,06 Jun 2019\n")
    new = write(tmp_path / "new" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Jane,Roe,https://www.linkedin.com/in/jane-roe,jane@example.com,Acme,Manager,05 Jun 2018\n"
                "Omar,Haddad,https://www.linkedin.com/in/omar-haddad,,Acme,Engineer,05 Jun 2019\n"
                "Ana,Kim,https://www.linkedin.com/in/ana-kim,,Acme,Engineer,07 Jun 2019\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(old)
        ids_before = {r["name"]: r["id"] for r in app.workspace.connections()}
        summary = app.import_linkedin(new)
        assert (summary.merged, summary.kept_apart) == (2, 1)
        people = app.workspace.connections()
        assert len(people) == 5  # Jane, Omar, the new Ana Kim, and the two old Ana Kims
        by_url = {r["profile_url"]: r["id"] for r in people if r["profile_url"]}
        assert by_url["https://www.linkedin.com/in/jane-roe"] == ids_before["Jane Roe"]
        assert by_url["https://www.linkedin.com/in/omar-haddad"] == ids_before["Omar Haddad"]


@pytest.mark.parametrize("old_day, merged_into", [("01 Feb 2015", None), ("09 Sep 2020", "lee-park-2")])
def test_two_new_namesakes_for_one_old_row_merge_only_by_the_day(tmp_path, old_day, merged_into):
    """One URL-less Lee Park, then an export with two Lee Parks at the same company: only the
    connection day can say which one the old row was; without it, nobody is merged."""
    old = write(tmp_path / "old" / "Connections.csv", HEADER_2021 + f"Lee,Park,,Umbrella Health,Old Title,{old_day}\n")
    new = write(tmp_path / "new" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Lee,Park,https://www.linkedin.com/in/lee-park-1,,Umbrella Health,Nurse,01 Feb 2017\n"
                "Lee,Park,https://www.linkedin.com/in/lee-park-2,,Umbrella Health,Doctor,09 Sep 2020\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(old)
        old_id = app.workspace.connections()[0]["id"]
        summary = app.import_linkedin(new)
        people = {r["id"]: r for r in app.workspace.connections()}
        if merged_into is None:
            assert (summary.merged, summary.kept_apart) == (0, 2)
            assert len(people) == 3 and not people[old_id]["profile_url"]
            assert people[old_id]["connected_on"].startswith("2015-02-01")  # its own day, not a namesake's
        else:
            assert (summary.merged, summary.kept_apart) == (1, 0)
            assert len(people) == 2 and people[old_id]["profile_url"].endswith(merged_into)


def test_new_then_old_export_gives_the_same_people(tmp_path):
    old = write(tmp_path / "old" / "Connections.csv", HEADER_2021 +
                "Jane,Roe,jane@example.com,Initech,Engineer,05 Jun 2018\n"
                "Omar,Haddad,,Acme,Engineer,05 Jun 2019\n")
    new = write(tmp_path / "new" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Jane,Roe,https://www.linkedin.com/in/jane-roe,jane@example.com,Acme,Manager,05 Jun 2018\n"
                "Omar,Haddad,https://www.linkedin.com/in/omar-haddad,,Acme,Engineer,05 Jun 2019\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(new)
        summary = app.import_linkedin(old)
        assert summary.merged == 2 and summary.added == 0
        people = app.workspace.connections()
        assert sorted((r["name"], r["company"]) for r in people) == [("Jane Roe", "Acme"), ("Omar Haddad", "Acme")]


def test_messages_follow_a_merged_person(tmp_path):
    old = tmp_path / "old"
    write(old / "Connections.csv", HEADER_2021 + "Omar,Haddad,,Acme,Engineer,05 Jun 2019\n")
    write(old / "messages.csv", "From,To,Date,Subject,Content,Direction,Folder\n"
          "Alex Morgan,Omar Haddad,\"3/7/18, 9:05 PM\",,hi,OUTGOING,SENT\n"
          "Omar Haddad,Alex Morgan,\"3/8/18, 9:05 PM\",,hello,INCOMING,INBOX\n")
    write(old / "Profile.csv", "First Name,Last Name,Maiden Name,Address,Birth Date,Headline\nAlex,Morgan,,,,\n")
    new = write(tmp_path / "new" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Omar,Haddad,https://www.linkedin.com/in/omar-haddad,,Acme,Engineer,05 Jun 2019\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(old)
        assert app.people().to_records()[0]["messages"] == 2
        app.import_linkedin(new)
        assert app.workspace.counts()["people"] == 1


@pytest.mark.parametrize("query, expected", [("umbrella", {"Umbrella Health"}), ("UMBREL", {"Umbrella Health"}),
                                             ("health", {"Umbrella Health"})])
def test_people_by_any_part_of_the_company(app, query, expected):
    rows = app.people(company=query).to_records()
    assert rows and {r["company"] for r in rows} == expected


def test_rank_by_a_partial_company_name(app):
    rows = app.rank(company="umbrella").to_records()
    assert rows and all(r["company"] == "Umbrella Health" for r in rows)


def test_a_partial_name_that_fits_several_companies_asks_which(tmp_path):
    from click.testing import CliRunner

    from backchannel.cli import cli

    export = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                   "A,One,https://www.linkedin.com/in/a1,,Acme Corp.,Engineer,05 Jun 2024\n"
                   "B,Two,https://www.linkedin.com/in/b2,,Acme Corp.,Engineer,05 Jun 2024\n"
                   "C,Three,https://www.linkedin.com/in/c3,,Acme Labs,Engineer,05 Jun 2024\n")
    runner = CliRunner()
    db = str(tmp_path / "ws.sqlite")
    runner.invoke(cli, ["--db", db, "import", "linkedin", str(export)])
    result = runner.invoke(cli, ["--db", db, "rank", "--company", "Acme", "--format", "json"])
    assert result.exit_code == 1
    assert "'Acme' fits Acme Corp. (2 people), Acme Labs (1 person); say which" in result.output
    result = runner.invoke(cli, ["--db", db, "rank", "--company", "acme labs", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)[0]["name"] == "C Three"


def test_a_unique_name_at_a_blank_company_is_matched_and_says_so(tmp_path):
    # issue 23.4: "a connection of that name is at another company (no company)" was wrong
    from click.testing import CliRunner

    from backchannel.cli import cli

    export = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                   "Yugam,Parashar,https://www.linkedin.com/in/yugam-parashar,,,,05 Jun 2024\n"
                   "Lee,Park,https://www.linkedin.com/in/lee-park-1,,,,05 Jun 2024\n"
                   "Lee,Park,https://www.linkedin.com/in/lee-park-2,,Globex,Engineer,05 Jun 2024\n")
    runner = CliRunner()
    db = str(tmp_path / "ws.sqlite")
    assert runner.invoke(cli, ["--db", db, "import", "linkedin", str(export)]).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "interview", "add", "--company", "Truelancer.com", "--date",
                                 "2026-11-24 14:00", "--referrer", "Yugam Parashar", "--interviewer", "Lee Park"])
    assert result.exit_code == 0, result.output
    assert "Yugam Parashar (referrer): matched by name; their company is not in your export" in result.output
    # a name two people have is never matched on an unknown company
    assert ("Lee Park (interviewer): not matched; connections of that name are at another company or one your "
            "export does not name (Lee Park (company unknown); Lee Park (Globex))") in result.output
    rank = json.loads(runner.invoke(cli, ["--db", db, "rank", "truelancer-com-2026-11-24", "--format",
                                          "json"]).output)
    assert rank[0]["name"] == "Yugam Parashar"  # the referrer, now known, ranks first


def test_people_by_part_of_a_name_lists_every_company_it_fits(tmp_path):
    # issue 23.5: `people --company bill` finds Bill.com although a company named "Bill" exists
    export = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                   "A,One,https://www.linkedin.com/in/a1,,Bill,Engineer,05 Jun 2024\n"
                   "B,Two,https://www.linkedin.com/in/b2,,Bill.com,Engineer,05 Jun 2024\n"
                   "C,Three,https://www.linkedin.com/in/c3,,Acme Group,Engineer,05 Jun 2024\n"
                   "D,Four,https://www.linkedin.com/in/d4,,Acme Inc.,Engineer,05 Jun 2024\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(export)
        assert {r["company"] for r in app.people(company="bill").to_records()} == {"Bill", "Bill.com"}
        assert {r["company"] for r in app.people(company="acme inc").to_records()} == {"Acme Inc."}
        assert {r["company"] for r in app.people(company="acme group").to_records()} == {"Acme Group"}
        assert [r["name"] for r in app.rank(company="Bill").to_records()] == ["A One"]  # the whole name picks


def test_a_zero_width_space_never_splits_a_name(tmp_path):
    # issue 28.11: "Ka\u200btie Smith" in the export is the interviewer Katie Smith
    export = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                   "Ka\u200btie,Smi\u00adth,https://www.linkedin.com/in/katie-smith,,Hooli,PM,05 Jun 2024\n"
                   "😀,,https://www.linkedin.com/in/smiley,,Hooli,PM,05 Jun 2024\n"
                   "!!!,,https://www.linkedin.com/in/bang,,Hooli,PM,05 Jun 2024\n")
    interviews = write(tmp_path / "iv.csv", "company,date,role,name\n"
                       "Hooli,2026-11-24T14:00-05:00,interviewer,Katie Smith\n"
                       "Hooli,2026-11-24T14:00-05:00,interviewer,😀\n")
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(export)
        report = app.import_interviews(interviews)
        assert [(m.name, m.status, m.via, m.matched_name) for m in report.matches] == [
            ("Katie Smith", "matched", "name and company", "Ka\u200btie Smi\u00adth"),
            ("😀", "matched", "name and company", "😀")]
        assert app.workspace.counts()["people"] == 3  # the names without letters are two people
